//! The words of every mail, in each language. For each event: a subject, a lead line, and
//! the lines that follow it (a deadline, a question). `{reference}` is " #42" or nothing.

pub struct MailStrings {
    pub received_subject: &'static str,
    pub received_lead: &'static str,
    pub received_due: &'static str,
    pub accepted_subject: &'static str,
    pub accepted_lead: &'static str,
    pub accepted_due: &'static str,
    pub replied_subject: &'static str,
    pub replied_lead: &'static str,
    pub replied_ask: &'static str,
    pub info_requested_subject: &'static str,
    pub info_requested_lead: &'static str,
    pub info_requested_answer: &'static str,
    pub closed_subject: &'static str,
    pub closed_lead: &'static str,
    pub assigned_subject: &'static str,
    pub assigned_lead: &'static str,
    pub assigned_due: &'static str,
    pub transferred_subject: &'static str,
    pub transferred_lead: &'static str,
    pub reminder_subject: &'static str,
    pub reminder_lead: &'static str,
    pub overdue_subject: &'static str,
    pub overdue_lead: &'static str,
    pub escalated_subject: &'static str,
    pub escalated_lead: &'static str,
    pub escalated_due: &'static str,
    pub sign_in_locked_subject: &'static str,
    pub sign_in_locked_lead: &'static str,
    pub sign_in_locked_advice: &'static str,
    pub citizen_link: &'static str,
    pub citizen_footer: &'static str,
    pub staff_link: &'static str,
    pub staff_footer: &'static str,
    pub admin_link: &'static str,
}

// The words themselves live in app/locales/<language>/mail.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/mail.rs"));
