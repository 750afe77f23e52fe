//! The public record's daily round, run by one app server for all: publish each finished
//! day's digest (mailing it to the witnesses), then check the whole record once a day and
//! tell the supervision bureau and administrators when it does not hold.

use super::DayDigest;
use crate::i18n::Locale;
use crate::mail::{MailEvent, MailFacts, new_message_id, render};
use crate::settings::PublicAddress;
use crate::store::ledger::Verification;
use crate::store::{NewMail, Store, StoreError};

/// The setting that remembers the last day the whole record was checked.
const CHECKED_ON_KEY: &str = "ledger_checked_on";

/// Who is told, and how mails are addressed.
#[derive(Clone)]
pub struct Record {
    pub store: Store,
    /// `COUNTERPOINT_WITNESS_EMAILS`: each finished day's digest goes to them.
    pub witnesses: Vec<String>,
    pub mail_from: String,
    pub public_address: PublicAddress,
}

/// Staff mails are in the office's language.
const LOCALE: Locale = Locale::ZhHant;

impl Record {
    fn mail(&self, event: MailEvent, to: &str, facts: &MailFacts) -> NewMail {
        let rendered = render(event, LOCALE, facts);
        NewMail {
            message_id: new_message_id(&self.mail_from),
            event: event.code().to_string(),
            audience: "staff".to_string(),
            recipient: to.to_string(),
            locale: LOCALE.tag().to_string(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
        }
    }

    /// Publishes the digests of the finished days (before `today`, a UTC day) not yet
    /// published, each mailed to the witnesses in the same transaction.
    pub async fn publish(&self, today: &str, now_ms: i64) -> Result<Vec<DayDigest>, StoreError> {
        let link = format!("{}/transparency", self.public_address.get());
        let mails_for = |d: &DayDigest| -> Vec<NewMail> {
            let facts = MailFacts {
                link: link.clone(),
                day: Some(d.day.clone()),
                entries: Some(d.entries),
                raw_lines: vec![
                    format!("head: {}", d.head),
                    format!("previous head: {}", d.previous_head),
                    format!("entries: {}–{}", d.first_id, d.last_id),
                ],
                ..Default::default()
            };
            self.witnesses.iter().map(|to| self.mail(MailEvent::LedgerDigest, to, &facts)).collect()
        };
        self.store.publish_digests(today, now_ms, &mails_for).await
    }

    /// Checks the whole record, once a day (`today`, a UTC day): a record that does not hold
    /// is logged and mailed to the bureau and the administrators. Gives what was found, or
    /// `None` when today's check was done already.
    pub async fn check_daily(&self, today: &str, now_ms: i64) -> Result<Option<Verification>, StoreError> {
        if self.store.setting(CHECKED_ON_KEY).await?.as_deref() == Some(today) {
            return Ok(None);
        }
        let found = self.store.verify_ledger().await?;
        if let Verification::Broken { entry, day, what } = &found {
            tracing::error!(?entry, ?day, what, "the public record does not check");
            let facts = MailFacts {
                link: format!("{}/transparency", self.public_address.get()),
                raw_lines: vec![format!(
                    "{}{}{what}",
                    entry.map(|e| format!("entry {e}: ")).unwrap_or_default(),
                    day.as_ref().map(|d| format!("({d}) ")).unwrap_or_default()
                )],
                ..Default::default()
            };
            let mails: Vec<NewMail> = self
                .store
                .bureau_and_administrator_emails()
                .await?
                .iter()
                .map(|to| self.mail(MailEvent::LedgerBroken, to, &facts))
                .collect();
            self.store.enqueue_mails(&mails, now_ms).await?;
        }
        self.store.set_setting_quietly(CHECKED_ON_KEY, today).await?;
        Ok(Some(found))
    }
}
