# Mails to citizens (in their language) and to staff (in the office's).
# { $reference } is the case's number with a space before it (" #42"), or nothing while
# the complaint has none yet. { $department } is the department's name, { $due } a date.

received_subject = Your complaint was received
received_lead = Thank you. We received your complaint and will answer it within the time limits.
# Only when the acceptance deadline is known.
received_due = It is to be accepted by { $due }.
accepted_subject = Complaint{ $reference } accepted
accepted_lead = Your complaint{ $reference } was accepted by { $department }.
accepted_due = An answer is due by { $due }.
replied_subject = Complaint{ $reference }: there is an answer
# Followed by the department's answer itself.
replied_lead = { $department } answered your complaint{ $reference }:
replied_ask = Please tell us whether the answer helped, on the tracking page.
info_requested_subject = Complaint{ $reference }: a question for you
# Followed by the department's question itself.
info_requested_lead = { $department } needs more information to answer your complaint{ $reference }:
info_requested_answer = Please answer on the tracking page. The time limit for the answer waits until you do.
closed_subject = Complaint{ $reference } closed
closed_lead = Your complaint{ $reference } is closed. Thank you for telling us.
assigned_subject = Case{ $reference } assigned to you
assigned_lead = Case{ $reference } is now yours to answer.
assigned_due = Due by { $due }.
transferred_subject = Case{ $reference }: transfer to accept
transferred_lead = Case{ $reference } was transferred to { $department }. Please accept or decline it.
reminder_subject = Case{ $reference } is due by { $due }
reminder_lead = Case{ $reference } is due by { $due }.
overdue_subject = Case{ $reference } is overdue
overdue_lead = Case{ $reference } was due by { $due } and is overdue. It was escalated to the department head.
escalated_subject = Case{ $reference } escalated to the supervision bureau
escalated_lead = Case{ $reference } of { $department } was escalated to the supervision bureau.
escalated_due = Deadline: { $due }
order_subject = Case{ $reference }: a supervision order
order_lead = The supervision bureau ordered a follow-up of case{ $reference } of { $department }.
finding_subject = Case{ $reference }: a finding was recorded
finding_lead = The supervision bureau recorded a finding on case{ $reference } of { $department }.
sign_in_locked_subject = Sign-in to { $account } locked after wrong passwords
# { $network } is the address block the attempts came from, { $until } a date and time.
sign_in_locked_lead = After repeated wrong passwords from { $network }, signing in as { $account } from there is locked until { $until }.
sign_in_locked_advice = If its owner did not mistype, the account may be under attack: each new lock lasts twice as long, and every attempt is in the audit trail. Further locks of this account within the hour are not mailed.
# The link's label and the last words, in mails to citizens.
citizen_link = Follow your complaint
citizen_footer = This mail was sent automatically. To stop mails about this complaint, open the link above and choose "Stop emails".
# The same in mails to staff.
staff_link = Open the case
staff_footer = Counterpoint, sent automatically.
admin_link = Open the audit trail
ledger_link = The public record
ledger_digest_subject = Public record: the digest of { $day }
ledger_digest_lead = The public record of { $day } holds { $entries } entries. Keep this mail: if the record published later ever disagrees with the head below, it was changed after this day.
ledger_broken_subject = The public record does not check
ledger_broken_lead = The daily check of the public record found a difference between the record and the data it records.
ledger_broken_advice = Run `server verify` on the database to see it again; compare with backups and with the digests the witnesses keep. Nothing was changed by the check.
