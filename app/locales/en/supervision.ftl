event_ask_info = We need more information from you
event_citizen_info = You added information
event_finding = Supervision finding
event_unconfirmed = Closed: no confirmation received in time
info_legend = Add the information asked for
info_hint = The time limit is paused until you answer.
info_button = Send the information
info_sent = Thank you. Your information was received and the time limit runs again.
stop_mail_legend = Emails
stop_mail_hint = We send news of this complaint to the email address you gave. You can stop them at any time.
stop_mail_button = Stop emails about this complaint
mail_stopped = Emails about this complaint are stopped.
awaiting_you = Waiting for your information
finding_label = Finding
measure_label = Action taken
# substantiated, partly, not substantiated.
finding_names =
    .item-1 = Substantiated
    .item-2 = Partly substantiated
    .item-3 = Not substantiated
# none, reminder, efficiency warning, admonition, referral.
measure_names =
    .item-1 = No action
    .item-2 = Reminder
    .item-3 = Efficiency warning
    .item-4 = Admonition
    .item-5 = Referred for discipline
against_department = Against the department
against_staff = Against a staff member
case_department = The case's department
no_individual = (no individual)
findings_heading = Findings and actions
no_findings = No findings.
question_label = Question
paused = Paused (waiting for the citizen)
orders_title = Supervision orders
orders_intro = An overdue case goes to its department head by itself, then to the supervision bureau if it stays overdue; a citizen's dissatisfaction goes to the bureau.
# department head, supervision bureau.
order_levels =
    .item-1 = Department head
    .item-2 = Supervision bureau
# overdue, unsatisfied, ordered.
order_reasons =
    .item-1 = Overdue
    .item-2 = Citizen unsatisfied
    .item-3 = Ordered by a supervisor
order_open = Open
order_closed = Closed
order_comment_label = Comment
order_comment_button = Add the comment
order_close_label = How it ended
order_close_button = Close the order
no_orders = No supervision orders.
open_only = Open only
all_orders = All
by_scheduler = the scheduler
order_label = Order
missed_deadline = Missed deadline
comments = Comments
order_instruction = What is ordered
department_title = Department accountability
open_count = Open
overdue_count = Overdue
escalated_count = Escalated
period_from = From
period_to = To
show_button = Show
export_csv = Download CSV
department_choice = Department
recorded_by = Recorded by
calendar_title = Working-day calendar
calendar_intro = Monday to Friday are working days, except the holidays below; the make-up working days below are worked even at weekends.
calendar_file_label = Calendar file (CSV or iCalendar)
calendar_file_hint = CSV: one date,kind,name line per day, kind holiday or workday. iCalendar: all-day VEVENTs with CATEGORIES HOLIDAY or WORKDAY. The years the file covers are replaced whole; a file with any bad line is not loaded at all.
calendar_button = Load the calendar
calendar_loaded =
    { $n ->
        [one] 1 day loaded.
       *[other] { $n } days loaded.
    }
calendar_refused = The file was not loaded. Put these lines right:
calendar_empty = The file lists no day.
line_n = Line { $n }:{" "}
# What is wrong with a line of a calendar file, in the order of `CalendarProblem`'s
# variants; { $day } and { $line } are filled in.
calendar_problems =
    .item-1 = this is not a text file (save it as a UTF-8 CSV or iCalendar file)
    .item-2 = not a date: write it as YYYY-MM-DD, like 2026-10-01
    .item-3 = not a date: write it as YYYYMMDD, like 20261001
    .item-4 = the kind must be holiday or workday
    .item-5 = CATEGORIES must be HOLIDAY or WORKDAY
    .item-6 = this event has no DTSTART (its first day)
    .item-7 = DTEND must be a date after DTSTART, at most a year later
    .item-8 = { $day } is already listed on line { $line }
    .item-9 = { $day } falls in the event on line { $line } too
# holiday, make-up working day.
day_kind_names =
    .item-1 = Holiday
    .item-2 = Make-up working day
no_days = No day is listed.
day_label = Day
name_label = Name
mail_title = Mail
mail_pending = Waiting
mail_sent = Sent
mail_dead = Given up
mail_cancelled = Cancelled
dead_letters = Mails given up
no_dead_letters = No mail was given up.
retry_button = Send again
retried = The mail will be sent again.
attempts = Attempts
last_error = Last error
event_label = Event
created_label = Written
mail_folder_note = With no SMTP server configured, mails are written as .eml files to the server's mail folder.
nav_orders = Orders
nav_departments = Departments
nav_calendar = Calendar
nav_mail = Mail
nav_holds = Held ratings
holds_title = Held ratings
holds_intro = Ratings that came too often from one browser or one address block, or in a burst at a counter, are stored but left out of the statistics until you decide. Release what looks like real visitors (they count from then on) and reject what looks like stuffing (kept, never counted). Every decision is an entry of the public record, with your reason.
no_holds = No held rating is waiting for a decision.
held_counter = Counter
held_when = Day and hour
held_reason = Why held
held_ratings = Ratings
held_good = Good among them
# device, address, counter, burst
hold_reasons =
    .item-1 = Many from one browser
    .item-2 = Many from one address block
    .item-3 = More than a window serves in an hour
    .item-4 = A burst, far above the usual for this hour
decision_label = Decision
release_choice = Release: count them
reject_choice = Reject: never count them
why_label = Reason (kept in the public record's private part)
decide_button = Decide
decided =
    { $n ->
        [one] 1 rating decided.
       *[other] { $n } ratings decided.
    }
err_already_decided = These ratings were decided already, by you or someone else. Nothing was changed.
