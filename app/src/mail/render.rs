//! The words of every mail, in each language, as a plain-text part and an HTML part that
//! say the same thing. Citizens get their own language; staff the office's (zh-Hant).

use crate::i18n::Locale;

/// What a mail is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailEvent {
    /// To the citizen: the complaint is in, with the tracking link.
    Received,
    /// To the citizen: a department took it.
    Accepted,
    /// To the citizen: there is an answer; say whether it helped.
    Replied,
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
}

impl MailEvent {
    pub fn code(self) -> &'static str {
        match self {
            MailEvent::Received => "received",
            MailEvent::Accepted => "accepted",
            MailEvent::Replied => "replied",
            MailEvent::Closed => "closed",
            MailEvent::Assigned => "assigned",
            MailEvent::Transferred => "transferred",
            MailEvent::Reminder => "reminder",
            MailEvent::Overdue => "overdue",
            MailEvent::Escalated => "escalated",
        }
    }

    pub fn for_citizen(self) -> bool {
        matches!(
            self,
            MailEvent::Received | MailEvent::Accepted | MailEvent::Replied | MailEvent::Closed
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
    let r = f
        .reference
        .map(|n| format!(" #{n}"))
        .unwrap_or_default();
    let dept = f.department.clone().unwrap_or_default();
    let due = f.due_on.clone().unwrap_or_default();
    let (subject, lead, lines): (String, String, Vec<String>) = match locale {
        Locale::En => match event {
            MailEvent::Received => (
                "Your complaint was received".into(),
                "Thank you. We received your complaint and will answer it within the time limits.".into(),
                vec![if due.is_empty() { String::new() } else { format!("It is to be accepted by {due}.") }],
            ),
            MailEvent::Accepted => (
                format!("Complaint{r} accepted"),
                format!("Your complaint{r} was accepted by {dept}."),
                vec![if due.is_empty() { String::new() } else { format!("An answer is due by {due}.") }],
            ),
            MailEvent::Replied => (
                format!("Complaint{r}: there is an answer"),
                format!("{dept} answered your complaint{r}:"),
                vec![f.reply.clone().unwrap_or_default(), "Please tell us whether the answer helped, on the tracking page.".into()],
            ),
            MailEvent::Closed => (
                format!("Complaint{r} closed"),
                format!("Your complaint{r} is closed. Thank you for telling us."),
                vec![],
            ),
            MailEvent::Assigned => (format!("Case{r} assigned to you"), format!("Case{r} is now yours to answer."), vec![format!("Due by {due}.")]),
            MailEvent::Transferred => (format!("Case{r}: transfer to accept"), format!("Case{r} was transferred to {dept}. Please accept or decline it."), vec![]),
            MailEvent::Reminder => (format!("Case{r} is due by {due}"), format!("Case{r} is due by {due}."), vec![]),
            MailEvent::Overdue => (format!("Case{r} is overdue"), format!("Case{r} was due by {due} and is overdue. It was escalated to the department head."), vec![]),
            MailEvent::Escalated => (format!("Case{r} escalated to the supervision bureau"), format!("Case{r} of {dept} was escalated to the supervision bureau."), vec![format!("Deadline: {due}")]),
        },
        Locale::ZhHans => match event {
            MailEvent::Received => (
                "您的投诉已收到".into(),
                "谢谢。我们已收到您的投诉，将在时限内答复。".into(),
                vec![if due.is_empty() { String::new() } else { format!("将于 {due} 前受理。") }],
            ),
            MailEvent::Accepted => (
                format!("投诉{r}已受理"),
                format!("您的投诉{r}已由{dept}受理。"),
                vec![if due.is_empty() { String::new() } else { format!("将于 {due} 前答复。") }],
            ),
            MailEvent::Replied => (
                format!("投诉{r}已有答复"),
                format!("{dept}答复了您的投诉{r}："),
                vec![f.reply.clone().unwrap_or_default(), "请在跟进页面告诉我们答复是否有帮助。".into()],
            ),
            MailEvent::Closed => (format!("投诉{r}已结案"), format!("您的投诉{r}已结案。谢谢您的意见。"), vec![]),
            MailEvent::Assigned => (format!("案件{r}已分派给您"), format!("案件{r}现由您负责答复。"), vec![format!("期限：{due}")]),
            MailEvent::Transferred => (format!("案件{r}待接收转办"), format!("案件{r}已转至{dept}，请接收或退回。"), vec![]),
            MailEvent::Reminder => (format!("案件{r}将于 {due} 到期"), format!("案件{r}将于 {due} 到期。"), vec![]),
            MailEvent::Overdue => (format!("案件{r}已逾期"), format!("案件{r}的期限 {due} 已过，已提请部门负责人督办。"), vec![]),
            MailEvent::Escalated => (format!("案件{r}已提交效能督查"), format!("{dept}的案件{r}已提交效能办督办。"), vec![format!("期限：{due}")]),
        },
        Locale::ZhHant => match event {
            MailEvent::Received => (
                "您的投訴已收到".into(),
                "謝謝。我們已收到您的投訴，將在時限內答覆。".into(),
                vec![if due.is_empty() { String::new() } else { format!("將於 {due} 前受理。") }],
            ),
            MailEvent::Accepted => (
                format!("投訴{r}已受理"),
                format!("您的投訴{r}已由{dept}受理。"),
                vec![if due.is_empty() { String::new() } else { format!("將於 {due} 前答覆。") }],
            ),
            MailEvent::Replied => (
                format!("投訴{r}已有答覆"),
                format!("{dept}答覆了您的投訴{r}："),
                vec![f.reply.clone().unwrap_or_default(), "請在跟進頁面告訴我們答覆是否有幫助。".into()],
            ),
            MailEvent::Closed => (format!("投訴{r}已結案"), format!("您的投訴{r}已結案。謝謝您的意見。"), vec![]),
            MailEvent::Assigned => (format!("案件{r}已分派給您"), format!("案件{r}現由您負責答覆。"), vec![format!("期限：{due}")]),
            MailEvent::Transferred => (format!("案件{r}待接收轉辦"), format!("案件{r}已轉至{dept}，請接收或退回。"), vec![]),
            MailEvent::Reminder => (format!("案件{r}將於 {due} 到期"), format!("案件{r}將於 {due} 到期。"), vec![]),
            MailEvent::Overdue => (format!("案件{r}已逾期"), format!("案件{r}的期限 {due} 已過，已提請部門負責人督辦。"), vec![]),
            MailEvent::Escalated => (format!("案件{r}已提交效能督查"), format!("{dept}的案件{r}已提交效能辦督辦。"), vec![format!("期限：{due}")]),
        },
    };
    let citizen = event.for_citizen();
    let (link_label, footer) = match (locale, citizen) {
        (Locale::En, true) => (
            "Follow your complaint",
            "This mail was sent automatically. To stop mails about this complaint, open the link above and choose \"Stop emails\".",
        ),
        (Locale::En, false) => ("Open the case", "Counterpoint, sent automatically."),
        (Locale::ZhHans, true) => (
            "跟进您的投诉",
            "此邮件由系统自动发送。如不想再收到有关此投诉的邮件，请打开上面的链接并选择“停止邮件”。",
        ),
        (Locale::ZhHans, false) => ("打开案件", "Counterpoint 系统自动发送。"),
        (Locale::ZhHant, true) => (
            "跟進您的投訴",
            "此郵件由系統自動發送。如不想再收到有關此投訴的郵件，請打開上面的連結並選擇「停止郵件」。",
        ),
        (Locale::ZhHant, false) => ("打開案件", "Counterpoint 系統自動發送。"),
    };
    Words {
        subject: format!("[Counterpoint] {subject}"),
        lead,
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
    fn citizen_mails_say_how_to_stop_them_and_staff_mails_do_not() {
        assert!(render(MailEvent::Accepted, Locale::En, &facts()).text.contains("Stop emails"));
        assert!(!render(MailEvent::Overdue, Locale::En, &facts()).text.contains("Stop emails"));
    }
}
