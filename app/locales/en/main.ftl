site_name = Counterpoint
site_tagline = Rate, complain about and follow public services
skip_to_content = Skip to main content
language = Language
nav_home = Home
nav_complain = Complain
nav_stats = Statistics
footer_hotline = Government service hotline: 12345
home_title = Rate a government service counter
home_intro = Scan the QR code on the counter to rate it. No QR code? Find the counter that served you below.
home_find_counter = Find the counter that served you
home_find_counter_hint = Listed by hall and department. Choose a counter to rate it.
home_other_actions = Other things you can do
home_complain_link = Complain about a service
home_stats_link = See satisfaction statistics
home_no_counters = No counters are open at the moment.
rate_link_prefix = Rate
rate_title = Rate this counter's service
rate_where = The counter you are rating
hall = Hall
department = Department
counter = Counter
level_legend = How satisfied are you with the service?
level_names =
    .item-1 = Very dissatisfied
    .item-2 = Dissatisfied
    .item-3 = Basically satisfied
    .item-4 = Satisfied
    .item-5 = Very satisfied
tags_legend = What stood out? (optional)
tag_names =
    .item-1 = Attitude
    .item-2 = Speed
    .item-3 = Clear guidance
    .item-4 = Waiting time
    .item-5 = Environment
comment_label = Comment (optional)
comment_hint = Up to 500 characters. Please do not include ID numbers, phone numbers or other personal details.
ticket_label = Queue ticket or receipt number (optional)
ticket_hint = Printed on your queue ticket or receipt. One rating per ticket.
submit_rating = Send rating
sending = Sending…
error_summary_title = There is a problem
error_prefix = Error:{" "}
no_ratings_yet = No ratings before today
thanks_title = Thank you for your rating
thanks_body = Your rating has been recorded and counts in the public satisfaction statistics.
thanks_complain = Something went wrong? Complain about this counter
thanks_rate_another = Back to the home page
counter_not_found_title = Counter not found
counter_not_found_body = This counter code does not exist or is no longer in use. Find the counter that served you on the home page.
page_not_found_title = Page not found
page_not_found_body = The page you are looking for does not exist. Check the address, or start from the home page.
back_home = Go to the home page
too_many_title = Too many attempts
bad_request_title = The form could not be read
bad_request_body = What was sent could not be read. Go back and try again.
too_large_title = What you sent is too large
too_large_body = What you sent is larger than allowed. Shorten it and try again.
forbidden_title = This request cannot be accepted
forbidden_body = This request did not come from one of this site's pages. Open the page again and send it from there.
unavailable_title = The service is busy
unavailable_body = Nothing was saved. Please try again in a moment.
network_error = Could not reach the server, so your rating has not been saved. Check your connection and try again.
err_level_required = Choose how satisfied you are with the service
err_tag_unknown = Choose tags from the list
err_comment_too_long = Comment must be 500 characters or fewer
err_text_control_chars = The text contains characters that cannot be accepted
err_ticket_format = Ticket number can only contain letters, digits and hyphens, up to 32 characters
err_ticket_used = This ticket number has already been used to rate at this hall today. Each ticket can be rated once.
stats_title = Satisfaction statistics
stats_intro = Every rating counts; staff cannot change or delete them. Basically satisfied, satisfied and very satisfied count as good. Numbers run to the end of yesterday, and a good rate is shown from 10 ratings, so that no one person's rating can be worked out.
stats_ratings = Ratings
stats_good_rate = Good rate
stats_good_rate_note = Good rate: the share of ratings at levels 3 to 5.
not_applicable = n/a
complain_title = Complain about a service
staff_login_title = Staff sign-in
staff_login_intro = For counter staff, department heads, the efficiency supervision bureau and administrators.
# Too many sign-ins at this moment.
sign_in_busy = Many people are signing in at this moment. Please try again in a few seconds.
username = User name
password = Password
sign_in = Sign in
sign_out = Sign out
err_wrong_credentials = The user name or password is not right
staff_home_title = Staff area
signed_in_as = Signed in as{" "}
sign_in_needed = Please sign in first.
role_names =
    .item-1 = Counter staff
    .item-2 = Department head
    .item-3 = Supervisor
    .item-4 = Administrator
err_category_required = Choose what the complaint is about
err_place_required = Choose at least the hall, the department or the counter
err_date_invalid = Enter a real date, for example 2026-11-24
err_date_in_future = The date cannot be in the future
err_time_invalid = Enter a time, for example 09:30
err_what_happened_required = Describe what happened
err_what_happened_too_long = The description must be 4,000 characters or fewer
err_staff_named_too_long = The staff member's name or badge must be 64 characters or fewer
err_identity_required = Choose whether to stay anonymous or give your name
err_name_required = Enter your name
err_name_too_long = Your name must be 64 characters or fewer
err_contact_required = Give an email address or a phone number so that we can answer you
err_email_invalid = Enter an email address in the right format, like name@example.com
err_phone_invalid = Enter a phone number, like 138 0000 0000
# Complaint categories, in `Category::ALL` order.
category_names =
    .item-1 = Hard to get in or be seen
    .item-2 = Impatient or hostile manner
    .item-3 = Rude or demeaning words
    .item-4 = Obstructed or passed around
    .item-5 = Nobody at the counter
    .item-6 = Not attending to the work
    .item-7 = Wrong or unclear guidance
    .item-8 = Asked for things not on the list
    .item-9 = Favouritism
    .item-10 = Asked for meals, gifts or money
    .item-11 = The promised time passed
    .item-12 = Something else
# Under a counter's name: how many ratings it had before today, and the share that was good.
rating_count =
    { $n ->
        [one] { $n } rating before today
       *[other] { $n } ratings before today
    }
rating_count_rate =
    { $n ->
        [one] { $n } rating before today, { $percent }% good
       *[other] { $n } ratings before today, { $percent }% good
    }
# The rate-limit page's message.
too_many_body =
    { $seconds ->
        [one] You have sent a lot in a short time. Please wait { $seconds } second, then try again.
       *[other] You have sent a lot in a short time. Please wait { $seconds } seconds, then try again.
    }
# Why sign-in is refused for now.
locked_out =
    { $minutes ->
        [one] Too many failed sign-ins. Try again in { $minutes } minute.
       *[other] Too many failed sign-ins. Try again in { $minutes } minutes.
    }
# Under a text box, as it is typed in.
chars_left = { $used } of { $max } characters
