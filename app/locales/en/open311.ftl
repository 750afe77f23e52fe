# The services' groups: the four "hard to", the three "not", and conduct.
group_names =
    .item-1 = Hard to enter, face, hear or get done
    .item-2 = Away, distracted or not competent
    .item-3 = Conduct and delay
err_unknown_format = No such address: end it in .json or .xml
err_unknown_service = No service has this service_code
err_unknown_request = No complaint has this service_request_id
err_bad_request_id = service_request_id must be case numbers separated by commas, at most 1000
err_bad_date = Dates must be in W3C format, such as 2026-03-02T00:00:00Z or 2026-03-02
err_bad_status = status must be open or closed
err_dates_reversed = end_date must come after start_date
err_no_keys = Complaints are not taken through Open311 here yet: use the web form at /complain
err_unavailable = The service is unavailable for a moment; try again shortly
