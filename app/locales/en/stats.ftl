err_period_unknown = Choose a day, week, month, quarter, year or custom range.
err_range_backwards = The end date cannot be before the start date.
err_range_too_long = A custom range can be ten years at most.
err_level_unknown = Choose the whole centre, a hall, a department or a counter.
err_unit_unknown = There is no such hall, department or counter. Choose one from the list.
filters_legend = Choose what to show
period_label = Period
# day, week, month, quarter, year, custom.
period_names =
    .item-1 = Day
    .item-2 = Week
    .item-3 = Month
    .item-4 = Quarter
    .item-5 = Year
    .item-6 = Custom range
at_label = Any day in the period
at_hint = Leave empty for the period that holds today.
from_label = Custom range: first day
to_label = Custom range: last day
custom_hint = Only used with "Custom range", for example 2026-03-01.
unit_label = Show
whole_centre = The whole centre
# halls, departments, counters (option groups).
unit_groups =
    .item-1 = Halls
    .item-2 = Departments
    .item-3 = Counters
show_button = Show statistics
# Filled in: { $first }, { $last }.
period_range = { $first } to { $last }
# Filled in: { $day }.
counted_until = Counted up to { $day }; ratings are never published on the day they are given.
not_begun = This period has not begun yet: there is nothing to publish.
previous_period = Previous period
next_period = Next period
ratings_heading = Ratings
ratings_label = Ratings
good_rate_label = Good rate
# Filled in: { $low }, { $high }.
interval = 95% interval { $low } to { $high }
# Filled in: { $n }.
too_few_for_rate =
    { $n ->
        [one] Fewer than { $n } rating: no good rate is shown.
       *[other] Fewer than { $n } ratings: no good rate is shown.
    }
# Filled in: { $n }.
# { $n } ratings left out after an upheld appeal.
excluded =
    { $n ->
        [one] 1 more rating is left out after an upheld appeal.
       *[other] { $n } more ratings are left out after an upheld appeal.
    }
held =
    { $n ->
        [one] 1 more rating is held for review as possible stuffing and not counted until the supervision bureau releases it.
       *[other] { $n } more ratings are held for review as possible stuffing and not counted until the supervision bureau releases them.
    }
distribution_heading = Ratings by level
level_col = Level
count_col = Ratings
share_col = Share
complaints_heading = Complaints by category
category_col = Category
complaints_col = Complaints
no_complaints = No complaints in this period.
handling_heading = How cases were handled
handling_intro = A case counts towards a time limit once it was handled or its time ran out; cases still inside their limit are not counted yet.
measure_col = Measure
rate_col = Rate
basis_col = Based on
accepted_on_time = Complaints accepted in time
replied_on_time = Complaints answered in time
median_close = Working days to close (median)
reopened = Reopened after the answer
substantiated = Findings substantiated (wholly or partly)
followed_up_on_time = Bad ratings followed up in time
# Filled in: { $done }, { $of }.
of_cases = { $done } of { $of }
# Filled in: { $n }.
closed_cases = { $n } closed
# departments, counters.
breakdown_headings =
    .item-1 = Departments
    .item-2 = Counters
unit_col = Unit
on_time_col = On time
# Filled in: { $month }.
ranking_heading = Red and black list, { $month }
# Filled in: { $n }.
ranking_intro =
    { $n ->
        [one] Ranked by good rate, then by on-time rate. Only units with at least { $n } rating in the month are ranked.
       *[other] Ranked by good rate, then by on-time rate. Only units with at least { $n } ratings in the month are ranked.
    }
red_heading = Red list (doing best)
black_heading = Black list (needs improvement)
too_few_heading = Too few ratings to rank
rank_col = Rank
# departments, counters.
ranked_groups =
    .item-1 = Departments
    .item-2 = Counters
nobody_ranked = No unit had enough ratings to be ranked.
heatmap_heading = Ratings by weekday and hour
heatmap_intro = The darker the cell, the more ratings.
# Monday first.
weekday_names =
    .item-1 = Monday
    .item-2 = Tuesday
    .item-3 = Wednesday
    .item-4 = Thursday
    .item-5 = Friday
    .item-6 = Saturday
    .item-7 = Sunday
hour_col = Hour
export_heading = Open data
export_intro = Ratings per day and counter for the same filters, with no personal data and no free text.
export_csv = Download CSV
export_json = Download JSON
chart_note = The table under each chart lists the same numbers.
