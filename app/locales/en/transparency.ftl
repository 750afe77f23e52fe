title = The public record
nav_link = Public record
intro = Every rating, every step of every case, every appeal and its decision, every supervision order and finding is also written to a public record that cannot be changed afterwards without it showing. Anyone can check it.
what_heading = What is recorded
what_text = For each rating: the counter, the hall, the day, the level and the time. For each case step: the case number, what was done, the status before and after, the department and the time. For appeals, orders and findings: the case and the outcome. Nothing personal is published: comments, ticket numbers, names of staff and every text stand behind a commitment (a hash that binds them without showing them). For each rating held for review: the rating, its counter, day, hour, level and why; for each release or rejection: the rating, the decision and the time.
how_heading = How it is protected
how_text = Each entry's hash is SHA-256 over the previous entry's hash, a line feed and the entry's body, so changing or removing any entry changes every hash after it. The database refuses to change or delete recorded rows. Each finished day's digest (its last hash) is published below and mailed to independent witnesses, so a rewritten history would not match the copies they keep. The server checks the whole record every day.
held_heading = Ratings held for review
held_text = No rating is refused for coming too often, but one is held out of the statistics until the supervision bureau decides when, at one counter within one clock hour, it comes after { $device } from the same browser, after { $address } from the same address block (IPv4 /24, IPv6 /64) or after { $counter } in all; and when a counter gets more ratings in an hour than { $factor } times its usual for that weekday and hour (the same hour over the last eight weeks), and at least { $floor }, that hour at that counter is held as a burst from when it went past its usual. Held ratings are stored and recorded like any other; the bureau releases them (they count from then on) or rejects them (never counted), each decision an entry of this record. The statistics and the open data say how many are held.
now_heading = The record now
entries_label = Entries
head_label = Newest hash
digests_heading = Daily digests
digests_caption = Each finished day (UTC): its number of entries, its last hash and the hash it continues from.
no_digests = No day is finished yet.
col_day = Day
col_entries = Entries
col_head = Last hash
col_previous = Continues from
col_entries_download = The day's entries
col_check = Check
all_digests_json = Every digest as JSON
check_heading = Check it yourself
check_text = Download a day's entries as CSV. Start from the hash it continues from; for each entry, SHA-256 of the previous hash, a line feed and the entry's body (in lower-case hexadecimal) must give the entry's hash; the last one must give the day's published hash. The button next to each day does exactly this in your browser.
check_button = Check { $day }
check_matches = { $count ->
    [one] The { $count } entry of { $day } follows on and gives the published hash: this day is as published.
   *[other] All { $count } entries of { $day } follow one another and give the published hash: this day is as published.
}
check_matches_so_far = { $count ->
    [one] The { $count } entry of { $day } so far follows on from the day before: today is not finished, so it has no published hash yet.
   *[other] All { $count } entries of { $day } so far follow one another from the day before: today is not finished, so it has no published hash yet.
}
so_far = so far
check_entry_differs = Entry { $id } of { $day } does not follow the one before it: this day is not as published.
check_head_differs = The entries of { $day } do not end at the published hash: this day is not as published.
check_no_digest = No digest has been published for { $day }: only finished days (UTC) have one.
check_unavailable = The day's entries could not be fetched just now; try again in a moment.
bad_day_title = Not a day
bad_day_body = Write the day as year-month-day, for example 2026-12-07.
no_entries_body = The public record has no entries on { $day }.
