//! The mails a case change causes: who gets one, in which language, saying what. They are
//! rendered here and written to the outbox in the change's own transaction.

use super::CaseService;
use crate::domain::TrackingToken;
use crate::domain::case::{ActionKind, CaseKind, Change, Status};
use crate::i18n::Locale;
use crate::mail::{MailEvent, MailFacts, new_message_id, render};
use crate::store::{CaseRecord, NewComplaint, NewMail, StoreError};

impl CaseService {
    /// The tracking page of the case whose token this is, at the public address.
    pub fn tracking_link(&self, token: &str) -> String {
        format!("{}/track/{token}", self.0.public_base_url.get())
    }

    fn staff_link(&self, case_id: i64) -> String {
        format!("{}/staff/cases/{case_id}", self.0.public_base_url.get())
    }

    fn mail(&self, event: MailEvent, locale: Locale, to: &str, facts: &MailFacts) -> NewMail {
        let rendered = render(event, locale, facts);
        NewMail {
            message_id: new_message_id(&self.0.mail_from),
            event: event.code().to_string(),
            audience: if event.for_citizen() { "citizen" } else { "staff" }.to_string(),
            recipient: to.to_string(),
            locale: locale.tag().to_string(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
        }
    }

    /// A complaint with an email address keeps its token (for the links of later mails)
    /// and gets its "received" mail, written with it.
    pub(super) fn with_received_mail(
        &self,
        mut complaint: NewComplaint,
        token: &TrackingToken,
    ) -> NewComplaint {
        let Some(email) = complaint.email.clone() else {
            return complaint;
        };
        let locale = Locale::from_tag(&complaint.locale).unwrap_or_default();
        let facts = MailFacts {
            reference: None,
            link: self.tracking_link(token.as_str()),
            department: None,
            due_on: complaint.due_on.clone(),
            reply: None,
            ..Default::default()
        };
        complaint.mail = Some(self.mail(MailEvent::Received, locale, &email, &facts));
        complaint.mail_token = Some(token.as_str().to_string());
        complaint
    }

    fn department_words(&self, id: Option<i64>, locale: Locale) -> Option<String> {
        let places = self
            .0
            .places
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        Self::department_name(&places, id).map(|name| name.get(locale).to_string())
    }

    /// The mails `change` causes. `level`: the escalation level an `Escalate` reached.
    pub(super) async fn mails_for(
        &self,
        case: &CaseRecord,
        change: &Change,
        body: Option<&str>,
        due_after: Option<&str>,
        level: Option<i64>,
    ) -> Result<Vec<NewMail>, StoreError> {
        let mut mails = Vec::new();
        let kind = case.kind;
        // The citizen's mails: complaints with an address, a kept token, mails not stopped.
        let citizen_event = match change.action {
            ActionKind::Accept | ActionKind::AcceptTransfer => Some(MailEvent::Accepted),
            ActionKind::MarkReplied => Some(MailEvent::Replied),
            ActionKind::AskInfo => Some(MailEvent::InfoRequested),
            ActionKind::Close
            | ActionKind::Satisfied
            | ActionKind::Unconfirmed
            | ActionKind::Reject => Some(MailEvent::Closed),
            _ => None,
        };
        if let (Some(event), CaseKind::Complaint, Some(email), Some(token), false) = (
            citizen_event,
            kind,
            case.complainant_email.as_deref(),
            case.mail_token.as_deref(),
            case.mail_stopped,
        ) {
            let locale = Locale::from_tag(&case.locale).unwrap_or_default();
            let department = change
                .holders.department_id
                .flatten()
                .or(change.event_department_id)
                .or(case.holders.department_id);
            let reply = match event {
                MailEvent::Replied => self
                    .0
                    .store
                    .case_events(case.id, true)
                    .await?
                    .into_iter()
                    .rev()
                    .find(|e| e.kind == "reply")
                    .and_then(|e| e.body),
                // The question asked, or the reason a complaint was not accepted.
                MailEvent::InfoRequested => body.map(str::to_string),
                MailEvent::Closed if change.action == ActionKind::Reject => {
                    body.map(str::to_string)
                }
                _ => None,
            };
            let facts = MailFacts {
                reference: Some(case.id),
                link: self.tracking_link(token),
                department: self.department_words(department, locale),
                due_on: due_after.map(str::to_string),
                reply,
                ..Default::default()
            };
            mails.push(self.mail(event, locale, email, &facts));
        }

        // Staff mails, in the office's language.
        let office = Locale::ZhHant;
        let staff_facts = |department: Option<i64>| MailFacts {
            reference: Some(case.id),
            link: self.staff_link(case.id),
            department: self.department_words(department, office),
            due_on: due_after.map(str::to_string),
            reply: None,
            ..Default::default()
        };
        let store = &self.0.store;
        let mut to_staff = |event: MailEvent, emails: Vec<String>, department: Option<i64>| {
            let facts = staff_facts(department);
            for email in emails {
                if !mails.iter().any(|m| m.recipient == email && m.event == event.code()) {
                    mails.push(self.mail(event, office, &email, &facts));
                }
            }
        };
        match change.action {
            ActionKind::Assign => {
                if let Some(email) = match change.event_staff_id {
                    Some(id) => store.staff_email(id).await?,
                    None => None,
                } {
                    to_staff(MailEvent::Assigned, vec![email], case.holders.department_id);
                }
            }
            ActionKind::Transfer if change.to == Status::TransferPending => {
                let heads = store
                    .staff_to_mail("department_head", change.event_department_id)
                    .await?;
                to_staff(
                    MailEvent::Transferred,
                    heads.into_iter().map(|h| h.email).collect(),
                    change.event_department_id,
                );
            }
            ActionKind::Remind => {
                let emails = match case.holders.handler_id {
                    Some(id) => store.staff_email(id).await?.into_iter().collect(),
                    None => self.head_emails(case.holders.department_id).await?,
                };
                to_staff(MailEvent::Reminder, emails, case.holders.department_id);
            }
            ActionKind::Escalate if level == Some(1) => {
                let mut emails: Vec<String> = match case.holders.handler_id {
                    Some(id) => store.staff_email(id).await?.into_iter().collect(),
                    None => Vec::new(),
                };
                emails.extend(self.head_emails(case.holders.department_id).await?);
                to_staff(MailEvent::Overdue, emails, case.holders.department_id);
            }
            // The bureau's order or finding on a case reaches the department's head.
            ActionKind::Order | ActionKind::Finding => {
                let event = if change.action == ActionKind::Order { MailEvent::OrderGiven } else { MailEvent::FindingRecorded };
                let department = change.event_department_id.or(case.holders.department_id);
                to_staff(event, self.head_emails(department).await?, department);
            }
            ActionKind::Escalate | ActionKind::Unsatisfied => {
                let supervisors = store.staff_to_mail("supervisor", None).await?;
                to_staff(
                    MailEvent::Escalated,
                    supervisors.into_iter().map(|s| s.email).collect(),
                    case.holders.department_id,
                );
            }
            _ => {}
        }
        Ok(mails)
    }

    async fn head_emails(&self, department: Option<i64>) -> Result<Vec<String>, StoreError> {
        if department.is_none() {
            return Ok(Vec::new());
        }
        Ok(self
            .0
            .store
            .staff_to_mail("department_head", department)
            .await?
            .into_iter()
            .map(|h| h.email)
            .collect())
    }
}

