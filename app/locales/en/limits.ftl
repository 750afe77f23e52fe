title = Time limits
intro = How many days each stage may take. A change applies to deadlines set from now on; deadlines people were already given stay as they are.
complaints_legend = Complaints (every category)
follow_ups_legend = Follow-ups of bad ratings
categories_heading = One complaint category
categories_intro = Fill in when one kind of complaint must be accepted or answered sooner; blank uses the limit for every category above.
# In `Stage::ALL` order: accept, reply, confirm, follow-up, transfer.
stage_labels =
    .item-1 = Accept (working days)
    .item-2 = Answer (working days)
    .item-3 = Citizen confirms (calendar days)
    .item-4 = Follow up (working days)
    .item-5 = Take a transfer (working days)
# Under a category's field: { $days }, the limit for every category.
blank_hint =
    { $days ->
        [one] Blank: { $days } day (every category)
       *[other] Blank: { $days } days (every category)
    }
save_button = Save time limits
saved = Time limits saved: deadlines set from now on follow them.
unchanged = No time limit changed.
err_range = A time limit is a whole number of days from 1 to 90; only a single category's may be left blank.
err_changed = Someone changed a time limit you changed after you opened this page, so nothing was saved. Open the page again to see the limits as they are now.
# The audit trail's words for `time_limits_changed` and `calendar_loaded`.
action_name = Time limits changed
calendar_action = Calendar loaded
