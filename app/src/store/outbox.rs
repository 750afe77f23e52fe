//! The mail outbox: mails are written in the transaction of the event that causes them and
//! delivered later by a sender worker. Several servers may send from one database: a mail
//! is leased (a compare-and-set on its row) before it is sent, so one server sends it.

use super::{Store, StoreError, on_pool};
use super::BeginWrite;

/// A mail to write to the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMail {
    /// `<…@…>`, chosen once: a retried mail keeps it.
    pub message_id: String,
    pub event: String,
    /// `citizen` or `staff`.
    pub audience: String,
    pub recipient: String,
    pub locale: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// A mail leased for sending.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: i64,
    pub message_id: String,
    pub case_id: Option<i64>,
    pub event: String,
    pub recipient: String,
    pub locale: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i64,
}

/// A mail as the administrators' list shows it: never its address or its text.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxLine {
    pub id: i64,
    pub case_id: Option<i64>,
    pub event: String,
    pub audience: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub next_attempt_at: i64,
}

/// How many mails are in each state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub dead: i64,
    pub cancelled: i64,
}

/// Writes mails in the caller's transaction. `$mails`: `&[(Option<case id>, &NewMail)]`.
macro_rules! insert_mails {
    ($conn:expr, $mails:expr, $now:expr) => {{
        let now: i64 = $now;
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO outbox (message_id, case_id, event, audience, recipient, locale, subject, \
             text_body, html_body, status, attempts, next_attempt_at, created_at) ",
        );
        insert.push_values(
            $mails.iter(),
            |mut b, (case_id, m): &(Option<i64>, &$crate::store::NewMail)| {
                b.push_bind(&m.message_id)
                    .push_bind(*case_id)
                    .push_bind(&m.event)
                    .push_bind(&m.audience)
                    .push_bind(&m.recipient)
                    .push_bind(&m.locale)
                    .push_bind(&m.subject)
                    .push_bind(&m.text_body)
                    .push_bind(&m.html_body)
                    .push_bind("pending")
                    .push_bind(0i64)
                    .push_bind(now)
                    .push_bind(now);
            },
        );
        insert.build().execute($conn).await.map(drop)
    }};
}
pub(crate) use insert_mails;

impl Store {
    /// Mails due for an attempt now, oldest first, not leased by anyone.
    pub async fn due_mails(&self, now_ms: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
             AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at, id LIMIT $2"
        )
        .bind(now_ms)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Leases one mail for `owner` until `lease_until`; `None` if another sender has it or
    /// it is no longer due. The row's own condition decides, so two servers never both win.
    pub async fn lease_mail(
        &self,
        id: i64,
        owner: &str,
        now_ms: i64,
        lease_until: i64,
    ) -> Result<Option<OutboxMail>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "UPDATE outbox SET lease_until = $3, lease_owner = $2 \
             WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $4 \
             AND (lease_until IS NULL OR lease_until < $4) \
             RETURNING id, message_id, case_id, event, recipient, locale, subject, text_body, \
             html_body, attempts"
        )
        .bind(id)
        .bind(owner)
        .bind(lease_until)
        .bind(now_ms)
        .fetch_optional(pool)
        .await)?)
    }

    /// A mail was accepted by the mail server: its address and text are wiped.
    pub async fn mail_sent(&self, id: i64, owner: &str, now_ms: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $3, attempts = attempts + 1, \
             recipient = '', text_body = '', html_body = '', last_error = NULL, \
             lease_until = NULL, lease_owner = NULL WHERE id = $1 AND lease_owner = $2"
        )
        .bind(id)
        .bind(owner)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// A delivery failed: try again at `retry_at`, or give up (`dead`) when out of attempts.
    pub async fn mail_failed(
        &self,
        id: i64,
        owner: &str,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $3, \
             status = CASE WHEN $4 IS NULL THEN 'dead' ELSE 'pending' END, \
             next_attempt_at = COALESCE($4, next_attempt_at), \
             lease_until = NULL, lease_owner = NULL WHERE id = $1 AND lease_owner = $2"
        )
        .bind(id)
        .bind(owner)
        .bind(error)
        .bind(retry_at)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// The mail server answers again: mails waiting out a backoff after failed attempts
    /// are due now, rather than minutes after it came back. Returns how many.
    pub async fn hurry_waiting_mails(&self, now_ms: i64) -> Result<u64, StoreError> {
        let n = on_pool!(self, |pool| sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1 \
             WHERE status = 'pending' AND attempts > 0 AND next_attempt_at > $1"
        )
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n)
    }

    /// An administrator (`actor_id`) retries a dead mail: it starts over with no attempts,
    /// and the audit trail says who sent it again (never to whom).
    pub async fn retry_dead_mail(&self, id: i64, actor_id: i64, now_ms: i64) -> Result<bool, StoreError> {
        let n = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, \
                 lease_until = NULL, lease_owner = NULL WHERE id = $1 AND status = 'dead'",
            )
            .bind(id)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                super::admin::audit!(tx, now_ms, actor_id, "mail_resent", format!("mail {id}"), "")?;
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(n)
        })?;
        Ok(n == 1)
    }

    /// Mails in a state (`dead`, `pending`), newest first, without addresses or texts.
    pub async fn outbox_lines(&self, status: &str, limit: i64) -> Result<Vec<OutboxLine>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, case_id, event, audience, status, attempts, last_error, created_at, \
             next_attempt_at FROM outbox WHERE status = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(status)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT status, COUNT(*) FROM outbox GROUP BY status"
        )
        .fetch_all(pool)
        .await)?;
        let mut counts = OutboxCounts::default();
        for (status, n) in rows {
            match status.as_str() {
                "pending" => counts.pending = n,
                "sent" => counts.sent = n,
                "dead" => counts.dead = n,
                "cancelled" => counts.cancelled = n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// Every mail of a case, for tests and the case page: (event, audience, status).
    pub async fn mails_of_case(&self, case_id: i64) -> Result<Vec<(String, String, String)>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT event, audience, status FROM outbox WHERE case_id = $1 ORDER BY id"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await)?)
    }
}
