nav_admin = Administration
title = Administration
intro = Add, rename or retire counters, print each hall's QR codes, and see every change in the audit trail.
counters_heading = Counters
code_col = Code
name_col = Name
place_col = Hall and department
status_col = Status
open = Open
# Filled in: { $code }.
retired_to = Retired: go to { $code }
retired_plain = Retired
add_heading = Add a counter
code_label = Counter code
code_hint = Letters, digits or hyphens, up to 16. The code is printed on the QR sticker, so it can never change.
hall_label = Hall
department_label = Department
name_labels =
    .item-1 = Name (Traditional Chinese)
    .item-2 = Name (Simplified Chinese)
    .item-3 = Name (English)
add_button = Add the counter
# Filled in: { $code }.
change_legend = Change counter { $code }
rename_button = Rename
replaced_by_label = Once retired, send people to
replaced_by_hint = People who scan the old QR code are shown this counter.
no_replacement = Nowhere in particular
retire_button = Retire the counter
qr_heading = QR sheets
# Filled in: { $hall }.
qr_link = Print the QR codes of { $hall }
# Filled in: { $hall }.
qr_title = QR codes: { $hall }
qr_intro = One card for each open counter, laid out for A4 in the browser's print view.
qr_card_hint = Scan to rate this counter
audit_heading = Audit trail
when_col = When
who_col = Who
what_col = Change
subject_col = Subject
detail_col = Detail
no_audit = No changes yet.
# created, renamed, retired.
done =
    .item-1 = The counter was added.
    .item-2 = The counter was renamed.
    .item-3 = The counter was retired.
# counter_created, counter_renamed, counter_retired.
action_names =
    .item-1 = Counter added
    .item-2 = Counter renamed
    .item-3 = Counter retired
err_code_format = A code has only letters, digits or hyphens, up to 16.
err_code_taken = This code is already in use (perhaps by something retired). Choose another.
err_days_range = Enter the time limit as a whole number of working days from 0 to 365.
err_url_invalid = Enter an address starting with https:// or http://, without spaces, ? or #, like https://qr.example.gov.
url_heading = Public address
url_label = The address on QR codes and in mail links
url_hint = The start of every address printed on a QR code or linked from a mail. After a change, print the QR sheets again; the addresses on old stickers must keep working.
url_button = Save the address
url_done = The public address was saved.
url_action = Setting changed
halls_heading = Halls
departments_heading = Departments
add_hall = Add a hall
add_department = Add a department
# Filled in: { $code }.
rename_legend = Rename { $code }
# created, renamed.
# Added, renamed, retired.
place_done =
    .item-1 = Added.
    .item-2 = Renamed.
    .item-3 = Retired.
# A hall's or department's retire button: { $code }.
retire_place = Retire { $code }
# Shown beside a retired hall or department.
place_retired = Retired
err_place_in_use = Open counters, active staff accounts or cases still being handled belong here: retire or move the counters and accounts and close or transfer the cases first, then retire it.
# hall_created, hall_renamed, department_created, department_renamed.
place_actions =
    .item-1 = Hall added
    .item-2 = Hall renamed
    .item-3 = Department added
    .item-4 = Department renamed
retired_title = This counter has closed
retired_body = This counter no longer serves anyone, so it cannot be rated.
# Filled in: { $name }, { $code }.
go_instead = Please go to { $name } ({ $code }) instead.
rate_instead = Rate that counter
