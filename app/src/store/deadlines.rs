//! What the deadline scheduler reads: time limits, the cases that may need it, the staff to
//! tell; and the working-day calendar an administrator replaces.

use super::admin::audit;
use super::BeginWrite;
use super::{Store, StoreError, on_pool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TimeLimitRow {
    pub kind: String,
    pub category: String,
    pub stage: String,
    pub days: i64,
}

/// A staff member to mail.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffContact {
    pub id: i64,
    pub email: String,
}

impl Store {
    pub async fn time_limits(&self) -> Result<Vec<TimeLimitRow>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT kind, category, stage, days FROM time_limits ORDER BY kind, category, stage"
        )
        .fetch_all(pool)
        .await)?)
    }

    /// Open cases due on or before `horizon` (reminders, escalations, unconfirmed replies),
    /// transfers due before `today`, cases paused for the citizen excepted; and open cases
    /// with no deadline yet.
    pub async fn cases_needing_attention(
        &self,
        today: &str,
        horizon: &str,
        limit: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id FROM cases WHERE \
             (status = 'replied' AND due_on < $1) \
             OR (status = 'transfer_pending' AND transfer_due_on < $1) \
             OR (status NOT IN ('replied', 'closed', 'rejected') AND paused_days_left IS NULL AND ( \
                 due_on IS NULL \
                 OR (due_on < $1 AND escalation_step < 2) \
                 OR (due_on >= $1 AND due_on <= $2 AND (reminded_for IS NULL OR reminded_for <> due_on)))) \
             ORDER BY id LIMIT $3"
        )
        .bind(today)
        .bind(horizon)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Active staff with an email address: the heads of a department, or every supervisor.
    pub async fn staff_to_mail(
        &self,
        role: &str,
        department_id: Option<i64>,
    ) -> Result<Vec<StaffContact>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, email FROM staff WHERE active AND email IS NOT NULL AND role = $1 \
             AND (CAST($2 AS BIGINT) IS NULL OR department_id = $2) ORDER BY id"
        )
        .bind(role)
        .bind(department_id)
        .fetch_all(pool)
        .await)?)
    }

    /// One staff member's address, if they are active and have one.
    pub async fn staff_email(&self, id: i64) -> Result<Option<String>, StoreError> {
        let row: Option<(Option<String>,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT email FROM staff WHERE id = $1 AND active"
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.and_then(|r| r.0))
    }

    /// The citizen asked for no more mail about a case: the flag is set, the kept token
    /// goes, and mails still waiting are cancelled, in one transaction.
    pub async fn stop_case_mail(&self, case_id: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE cases SET mail_stopped = TRUE, mail_token = NULL WHERE id = $1")
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE outbox SET status = 'cancelled', recipient = '', text_body = '', html_body = '' \
                 WHERE case_id = $1 AND audience = 'citizen' AND status IN ('pending', 'dead')",
            )
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Replaces the calendar's days from `first` to `last` (inclusive) with `days`, in one
    /// transaction: a year is loaded whole or not at all.
    /// Replaces the calendar's days `first..=last` with `days` (day, kind, name), with
    /// its audit-trail entry, in one transaction.
    pub async fn replace_calendar(
        &self,
        actor_id: i64,
        at: i64,
        first: &str,
        last: &str,
        days: &[(String, String, String)],
    ) -> Result<(), StoreError> {
        let subject = format!("{first}..{last}");
        let holidays = days.iter().filter(|d| d.1 == "holiday").count();
        let detail = format!("{} holidays, {} working days", holidays, days.len() - holidays);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            audit!(tx, at, actor_id, "calendar_loaded", &subject, &detail)?;
            sqlx::query("DELETE FROM calendar_days WHERE day >= $1 AND day <= $2")
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            for (day, kind, name) in days {
                sqlx::query("INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)")
                    .bind(day)
                    .bind(kind)
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Sets or clears (`None`: the kind's own limit applies) the time limits of the given
    /// cells, with one audit-trail entry, in one transaction — if each cell still holds the
    /// days it was read with (`LimitWrite::was`). `Ok(false)`: one was changed by someone
    /// else meanwhile; nothing is written. Saves are taken one at a time (SQLite: the
    /// audit entry is written first, which takes the write lock before the check reads;
    /// PostgreSQL: an advisory lock), so two saves of the same instant can't both pass.
    pub async fn set_time_limits(
        &self,
        actor_id: i64,
        at: i64,
        cells: &[LimitWrite],
        detail: &str,
    ) -> Result<bool, StoreError> {
        let postgres = self.backend() == super::Backend::Postgres;
        let written = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(7264933)").execute(&mut *tx).await?;
            }
            audit!(tx, at, actor_id, "time_limits_changed", "time_limits", detail)?;
            for cell in cells {
                let now: Option<i64> = sqlx::query_scalar(
                    "SELECT days FROM time_limits WHERE kind = $1 AND category = $2 AND stage = $3",
                )
                .bind(&cell.kind)
                .bind(&cell.category)
                .bind(&cell.stage)
                .fetch_optional(&mut *tx)
                .await?;
                if now != cell.was {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM time_limits WHERE kind = $1 AND category = $2 AND stage = $3")
                    .bind(&cell.kind)
                    .bind(&cell.category)
                    .bind(&cell.stage)
                    .execute(&mut *tx)
                    .await?;
                if let Some(days) = cell.days {
                    sqlx::query("INSERT INTO time_limits (kind, category, stage, days) VALUES ($1, $2, $3, $4)")
                        .bind(&cell.kind)
                        .bind(&cell.category)
                        .bind(&cell.stage)
                        .bind(days)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(true)
        })?;
        Ok(written)
    }

    /// The listed days with their names, for the calendar page.
    pub async fn calendar_entries(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT day, kind, name FROM calendar_days ORDER BY day"
        )
        .fetch_all(pool)
        .await)?)
    }
}

impl Store {
    /// Gives a case its first deadline, if it has none yet (the database opened it).
    pub async fn set_first_deadline(&self, case_id: i64, due_on: &str) -> Result<bool, StoreError> {
        let n = on_pool!(self, |pool| sqlx::query(
            "UPDATE cases SET due_on = $2 WHERE id = $1 AND due_on IS NULL AND paused_days_left IS NULL"
        )
        .bind(case_id)
        .bind(due_on)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}

/// One time-limit cell to write: its key, the days it held when read (`None`: no row, the
/// kind's own limit applied) and the days to set (`None`: remove the row).
#[derive(Clone, Debug)]
pub struct LimitWrite {
    pub kind: String,
    pub category: String,
    pub stage: String,
    pub was: Option<i64>,
    pub days: Option<i64>,
}
