nav = Service guide
title = Service guide
intro = How many working days each service takes and everything you need to bring, all in one place: a counter should not ask for anything that is not on the list. If it does, you can complain (“Asked for things not on the list”).
department_label = Department
all_departments = All departments
show_button = Show
none = This department has not published any services yet.
# A service's time limit: { $n } working days.
days =
    { $n ->
        [one] 1 working day
       *[other] { $n } working days
    }
on_the_spot = On the spot
time_limit = Time limit
bring = What to bring
counter_link = See this department's service guide
complain_hint = Asked for something not on the list?
admin_heading = Service items
admin_intro = Publish each service's time limit and the full list of materials here; citizens see them in the service guide.
item_col = Service item
department_col = Department
days_col = Time limit
add_heading = Add a service item
add_button = Add the service item
# Filled in: { $code }.
change_legend = Change service item { $code }
change_button = Save the changes
code_hint = Letters, digits and hyphens, at most 16 characters, for example CIVIL-002. It cannot be changed later.
days_label = Time limit (working days)
days_hint = 0 means done on the spot; at most 365.
materials_labels =
    .item-1 = Materials (Traditional Chinese)
    .item-2 = Materials (Simplified Chinese)
    .item-3 = Materials (English)
materials_hint = One a line.
# created, changed.
done =
    .item-1 = The service item was added.
    .item-2 = The service item's changes were saved.
# service_item_created, service_item_changed.
action_names =
    .item-1 = Service item added
    .item-2 = Service item changed
