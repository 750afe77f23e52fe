//! Every mail as a plain-text part and an HTML part that say the same thing; the words
//! come from the mail strings of `i18n`. Citizens get their own language; staff the office's (zh-Hant).

use crate::i18n::{fill, Locale};

/// What a mail is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailEvent {
    /// To the citizen: the complaint is in, with the tracking link.
    Received,
    /// To the citizen: a department took it.
    Accepted,
    /// To the citizen: there is an answer; say whether it helped.
    Replied,
    /// To the citizen: the department needs more information; its question, and that the
    /// clock waits for the answer.
    InfoRequested,
    /// To the citizen: the case is closed.
    Closed,
    /// To a staff member: a case is now theirs.
    Assigned,
    /// To the receiving department's head: accept or decline a transfer.
    Transferred,
    /// To the handler (or head): a deadline is near.
    Reminder,
    /// To the handler and the head: a deadline passed.
    Overdue,
    /// To the supervision bureau: a case came up to it.
    Escalated,
    /// To the department head: the supervision bureau ordered a follow-up of a case.
    OrderGiven,
    /// To the department head: the supervision bureau recorded a finding on a case.
    FindingRecorded,
    /// To administrators: repeated wrong passwords locked an account for a network.
    SignInLocked,
    /// To the witnesses: a finished day's digest of the public record, to keep.
    LedgerDigest,
    /// To the supervision bureau and administrators: the public record does not check.
    LedgerBroken,
}

impl MailEvent {
    pub fn code(self) -> &'static str {
        match self {
            MailEvent::Received => "received",
            MailEvent::Accepted => "accepted",
            MailEvent::Replied => "replied",
            MailEvent::InfoRequested => "info_requested",
            MailEvent::Closed => "closed",
            MailEvent::Assigned => "assigned",
            MailEvent::Transferred => "transferred",
            MailEvent::Reminder => "reminder",
            MailEvent::Overdue => "overdue",
            MailEvent::Escalated => "escalated",
            MailEvent::OrderGiven => "order_given",
            MailEvent::FindingRecorded => "finding_recorded",
            MailEvent::SignInLocked => "sign_in_locked",
            MailEvent::LedgerDigest => "ledger_digest",
            MailEvent::LedgerBroken => "ledger_broken",
        }
    }

    pub fn for_citizen(self) -> bool {
        matches!(
            self,
            MailEvent::Received
                | MailEvent::Accepted
                | MailEvent::Replied
                | MailEvent::InfoRequested
                | MailEvent::Closed
        )
    }
}

/// What a mail's words need.
#[derive(Clone, Debug, Default)]
pub struct MailFacts {
    /// The case's reference number (not known yet when a complaint is received).
    pub reference: Option<i64>,
    /// The tracking link (citizen) or the staff case page (staff).
    pub link: String,
    /// The department, in the mail's language.
    pub department: Option<String>,
    /// The deadline, `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// The public reply (replied mails).
    pub reply: Option<String>,
    /// A locked account's user name, the network the attempts came from, and the end of
    /// the lock (sign-in alerts).
    pub account: Option<String>,
    pub network: Option<String>,
    pub until: Option<String>,
    /// The public record's day and number of entries (digest mails).
    pub day: Option<String>,
    pub entries: Option<i64>,
    /// Lines said as they are, in no language: hashes, what a check found.
    pub raw_lines: Vec<String>,
}

/// A mail's subject and its two parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

struct Words {
    subject: String,
    lead: String,
    lines: Vec<String>,
    link_label: &'static str,
    footer: &'static str,
}

fn words(event: MailEvent, locale: Locale, f: &MailFacts) -> Words {
    let m = locale.strings().mail;
    let reference = f.reference.map(|n| format!(" #{n}")).unwrap_or_default();
    let department = f.department.clone().unwrap_or_default();
    let due = f.due_on.clone().unwrap_or_default();
    let account = f.account.clone().unwrap_or_default();
    let network = f.network.clone().unwrap_or_default();
    let until = f.until.clone().unwrap_or_default();
    let day = f.day.clone().unwrap_or_default();
    let entries = f.entries.map(|n| n.to_string()).unwrap_or_default();
    let values = [
        ("day", day.as_str()),
        ("entries", entries.as_str()),
        ("reference", reference.as_str()),
        ("department", department.as_str()),
        ("due", due.as_str()),
        ("account", account.as_str()),
        ("network", network.as_str()),
        ("until", until.as_str()),
    ];
    let say = |text: &str| fill(text, &values);
    // A deadline line only where the deadline is known.
    let due_line = |text: &str| if due.is_empty() { String::new() } else { say(text) };
    let (subject, lead, lines) = match event {
        MailEvent::Received => (m.received_subject, m.received_lead, vec![due_line(m.received_due)]),
        MailEvent::Accepted => (m.accepted_subject, m.accepted_lead, vec![due_line(m.accepted_due)]),
        MailEvent::Replied => (
            m.replied_subject,
            m.replied_lead,
            vec![f.reply.clone().unwrap_or_default(), m.replied_ask.to_string()],
        ),
        MailEvent::InfoRequested => (
            m.info_requested_subject,
            m.info_requested_lead,
            vec![f.reply.clone().unwrap_or_default(), m.info_requested_answer.to_string()],
        ),
        MailEvent::Closed => (m.closed_subject, m.closed_lead, vec![]),
        MailEvent::Assigned => (m.assigned_subject, m.assigned_lead, vec![due_line(m.assigned_due)]),
        MailEvent::Transferred => (m.transferred_subject, m.transferred_lead, vec![]),
        MailEvent::Reminder => (m.reminder_subject, m.reminder_lead, vec![]),
        MailEvent::Overdue => (m.overdue_subject, m.overdue_lead, vec![]),
        MailEvent::Escalated => (m.escalated_subject, m.escalated_lead, vec![due_line(m.escalated_due)]),
        MailEvent::OrderGiven => (m.order_subject, m.order_lead, vec![due_line(m.escalated_due)]),
        MailEvent::FindingRecorded => (m.finding_subject, m.finding_lead, vec![]),
        MailEvent::SignInLocked => (
            m.sign_in_locked_subject,
            m.sign_in_locked_lead,
            vec![m.sign_in_locked_advice.to_string()],
        ),
        MailEvent::LedgerDigest => (m.ledger_digest_subject, m.ledger_digest_lead, f.raw_lines.clone()),
        MailEvent::LedgerBroken => {
            let mut lines = f.raw_lines.clone();
            lines.push(m.ledger_broken_advice.to_string());
            (m.ledger_broken_subject, m.ledger_broken_lead, lines)
        }
    };
    let (link_label, footer) = if event.for_citizen() {
        (m.citizen_link, m.citizen_footer)
    } else if event == MailEvent::SignInLocked {
        (m.admin_link, m.staff_footer)
    } else if matches!(event, MailEvent::LedgerDigest | MailEvent::LedgerBroken) {
        (m.ledger_link, m.staff_footer)
    } else {
        (m.staff_link, m.staff_footer)
    };
    Words {
        subject: format!("[Counterpoint] {}", say(subject)),
        lead: say(lead),
        lines: lines.into_iter().filter(|l| !l.is_empty()).collect(),
        link_label,
        footer,
    }
}

/// The longest line of a plain-text part, in bytes (mail wants under 76 for 8-bit text).
const MAX_LINE_BYTES: usize = 72;

/// Wraps text at spaces, or between characters where there is none (Chinese), so that no
/// line is longer than `MAX_LINE_BYTES`; a single word longer than that stays whole.
fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / MAX_LINE_BYTES);
    for (i, paragraph) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut line = String::new();
        for word in paragraph.split_inclusive(' ') {
            for c in word.chars() {
                if line.len() + c.len_utf8() > MAX_LINE_BYTES && !c.is_ascii() {
                    out.push_str(line.trim_end());
                    out.push('\n');
                    line.clear();
                }
                line.push(c);
            }
            if line.len() > MAX_LINE_BYTES {
                // An ASCII word ran past the end: break before it if it can move down.
                if let Some(cut) = line.trim_end().rfind(' ').filter(|&cut| cut > 0) {
                    let rest = line.split_off(cut + 1);
                    out.push_str(line.trim_end());
                    out.push('\n');
                    line = rest;
                }
            }
        }
        out.push_str(line.trim_end());
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A mail's subject, plain text and HTML, in `locale`.
pub fn render(event: MailEvent, locale: Locale, facts: &MailFacts) -> RenderedMail {
    let w = words(event, locale, facts);
    // Lines short enough for 8-bit transfer: the .eml and the message source stay readable.
    let mut text = format!("{}\n\n", wrap(&w.lead));
    for line in &w.lines {
        text.push_str(&wrap(line));
        text.push_str("\n\n");
    }
    text.push_str(&format!("{}:\n{}\n\n-- \n{}\n", w.link_label, facts.link, wrap(w.footer)));

    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<p>{}</p>\n",
        locale.tag(),
        escape(&w.subject),
        escape(&w.lead)
    );
    for line in &w.lines {
        html.push_str(&format!("<p>{}</p>\n", escape(line).replace('\n', "<br>\n")));
    }
    html.push_str(&format!(
        "<p><a href=\"{0}\">{1}</a><br>\n{0}</p>\n<p><small>{2}</small></p>\n</body></html>\n",
        escape(&facts.link),
        escape(w.link_label),
        escape(w.footer)
    ));
    RenderedMail {
        subject: w.subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> MailFacts {
        MailFacts {
            reference: Some(42),
            link: "https://example.gov/track/ABC".into(),
            department: Some("Civil Affairs".into()),
            due_on: Some("2026-03-09".into()),
            reply: Some("We <apologise> & fixed it.".into()),
            ..Default::default()
        }
    }

    #[test]
    fn each_language_has_its_own_words_and_both_parts_carry_the_link() {
        for locale in Locale::ALL {
            let mail = render(MailEvent::Replied, locale, &facts());
            assert!(mail.text.contains("https://example.gov/track/ABC"), "{locale:?}");
            assert!(mail.html.contains("href=\"https://example.gov/track/ABC\""));
            assert!(mail.subject.contains("#42"));
        }
        assert!(render(MailEvent::Received, Locale::En, &facts()).text.contains("We received"));
        assert!(render(MailEvent::Received, Locale::ZhHant, &facts()).text.contains("已收到您的投訴"));
        assert!(render(MailEvent::Received, Locale::ZhHans, &facts()).text.contains("已收到您的投诉"));
    }

    #[test]
    fn a_question_reaches_the_citizen_with_how_to_answer_it() {
        let asked = MailFacts { reply: Some("Which day did you come?".into()), ..facts() };
        let mail = render(MailEvent::InfoRequested, Locale::En, &asked);
        assert_eq!(mail.subject, "[Counterpoint] Complaint #42: a question for you");
        assert!(mail.text.contains("Civil Affairs needs more information"));
        assert!(mail.text.contains("Which day did you come?") && mail.text.contains("answer on the tracking page"));
        assert!(MailEvent::InfoRequested.for_citizen());
        let mail = render(MailEvent::InfoRequested, Locale::ZhHans, &asked);
        assert!(mail.text.contains("需要您补充资料") && mail.text.contains("Which day did you come?"));
    }

    #[test]
    fn the_html_part_escapes_what_staff_wrote_and_the_text_part_keeps_it() {
        let mail = render(MailEvent::Replied, Locale::En, &facts());
        assert!(mail.html.contains("We &lt;apologise&gt; &amp; fixed it."));
        assert!(!mail.html.contains("<apologise>"));
        assert!(mail.text.contains("We <apologise> & fixed it."));
    }

    #[test]
    fn plain_text_lines_stay_short_whatever_the_language() {
        for locale in Locale::ALL {
            let mail = render(MailEvent::Received, locale, &facts());
            for line in mail.text.lines() {
                assert!(line.len() <= MAX_LINE_BYTES, "{locale:?}: {line:?}");
            }
        }
        let long = "word ".repeat(40);
        assert!(wrap(&long).lines().all(|l| l.len() <= MAX_LINE_BYTES));
        assert_eq!(wrap(&long).split_whitespace().count(), 40, "no word lost");
        let chinese = "投訴".repeat(30);
        assert_eq!(wrap(&chinese).replace('\n', ""), chinese);
    }

    #[test]
    fn a_lock_alert_names_the_account_the_network_and_the_end_and_links_the_audit_trail() {
        let facts = MailFacts {
            link: "https://example.gov/staff/admin#audit-heading".into(),
            account: Some("supervisor".into()),
            network: Some("198.51.100.0/24".into()),
            until: Some("2026-03-09 10:15".into()),
            ..Default::default()
        };
        for locale in Locale::ALL {
            let mail = render(MailEvent::SignInLocked, locale, &facts);
            assert!(mail.subject.contains("supervisor"), "{locale:?}");
            for needed in ["198.51.100.0/24", "2026-03-09 10:15", "/staff/admin#audit-heading"] {
                assert!(mail.text.contains(needed) && mail.html.contains(needed), "{locale:?}: {needed}");
            }
            assert!(!mail.text.contains("{"), "{locale:?}: every placeholder filled");
        }
    }

    #[test]
    fn citizen_mails_say_how_to_stop_them_and_staff_mails_do_not() {
        assert!(render(MailEvent::Accepted, Locale::En, &facts()).text.contains("Stop emails"));
        assert!(!render(MailEvent::Overdue, Locale::En, &facts()).text.contains("Stop emails"));
    }
}
