//! Staff accounts, their sign-in sessions and failed sign-in attempts.

use super::{Store, StoreError, on_pool};
use crate::domain::Role;
use crate::i18n::Localized;

/// A staff account as sign-in needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub department: Option<Localized>,
    pub password_hash: String,
    pub active: bool,
}

type StaffTuple = (
    i64,
    String,
    String,
    Role,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    bool,
);

const STAFF_SELECT: &str = "SELECT s.id, s.username, s.display_name, s.role, s.department_id, \
    d.name_zh_hant, d.name_zh_hans, d.name_en, s.password_hash, s.active \
    FROM staff s LEFT JOIN departments d ON d.id = s.department_id";

fn staff_from(t: StaffTuple) -> StaffRecord {
    let department = match (t.5, t.6, t.7) {
        (Some(zh_hant), Some(zh_hans), Some(en)) => Some(Localized {
            zh_hant,
            zh_hans,
            en,
        }),
        _ => None,
    };
    StaffRecord {
        id: t.0,
        username: t.1,
        display_name: t.2,
        role: t.3,
        department_id: t.4,
        department,
        password_hash: t.8,
        active: t.9,
    }
}

/// Failed sign-ins for one user name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: i64,
    pub first_failure: i64,
    pub locked_until: Option<i64>,
}

impl Store {
    pub async fn staff_by_username(
        &self,
        username: &str,
    ) -> Result<Option<StaffRecord>, StoreError> {
        let sql = format!("{STAFF_SELECT} WHERE s.username = $1");
        let row: Option<StaffTuple> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(username)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(staff_from))
    }

    /// Counts one sign-in attempt for a user name, atomically, before its password is
    /// checked, so simultaneous attempts cannot all read the same count. The count starts
    /// again after `window_start_ms` or after a lock has ended; an active lock is kept.
    pub async fn count_login_attempt(
        &self,
        username: &str,
        now_ms: i64,
        window_start_ms: i64,
    ) -> Result<LoginFailures, StoreError> {
        let row: (i64, i64, Option<i64>) = on_pool!(self, |pool| {
            sqlx::query_as(
            "INSERT INTO login_failures (username, failures, first_failure, locked_until) VALUES ($1, 1, $2, NULL) \
             ON CONFLICT (username) DO UPDATE SET \
             failures = CASE WHEN login_failures.locked_until > $2 \
                               OR (login_failures.locked_until IS NULL AND login_failures.first_failure > $3) \
                             THEN login_failures.failures + 1 ELSE 1 END, \
             first_failure = CASE WHEN login_failures.locked_until > $2 \
                               OR (login_failures.locked_until IS NULL AND login_failures.first_failure > $3) \
                             THEN login_failures.first_failure ELSE $2 END, \
             locked_until = CASE WHEN login_failures.locked_until > $2 THEN login_failures.locked_until ELSE NULL END \
             RETURNING failures, first_failure, locked_until"
        )
        .bind(username)
        .bind(now_ms)
        .bind(window_start_ms)
        .fetch_one(pool)
        .await
        })?;
        Ok(LoginFailures {
            failures: row.0,
            first_failure: row.1,
            locked_until: row.2,
        })
    }

    /// Locks a user name until the given time.
    pub async fn lock_login(&self, username: &str, until_ms: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE login_failures SET locked_until = $2 WHERE username = $1"
        )
        .bind(username)
        .bind(until_ms)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Forgets sessions past their end and failure counts that no longer count (their window
    /// passed and no lock holds): nothing else deletes them. Gives how many rows went.
    pub async fn purge_sign_in_records(&self, now_ms: i64, failure_window_ms: i64) -> Result<u64, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let sessions = sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1")
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let failures = sqlx::query(
                "DELETE FROM login_failures WHERE first_failure <= $1 AND (locked_until IS NULL OR locked_until <= $2)",
            )
            .bind(now_ms - failure_window_ms)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(sessions + failures)
        })?)
    }

    pub async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM login_failures WHERE username = $1"
        )
        .bind(username)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf_token: &str,
        now_ms: i64,
        expires_at_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(token_hash)
        .bind(staff_id)
        .bind(csrf_token)
        .bind(now_ms)
        .bind(expires_at_ms)
        .execute(pool)
        .await.map(drop)
        })?;
        Ok(())
    }

    /// The active staff member of an unexpired session, with the session's CSRF token.
    pub async fn session(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Option<(StaffRecord, String)>, StoreError> {
        let row: Option<(i64, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT staff_id, csrf_token FROM staff_sessions WHERE token_hash = $1 AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(pool)
        .await
        })?;
        let Some((staff_id, csrf)) = row else {
            return Ok(None);
        };
        let sql = format!("{STAFF_SELECT} WHERE s.id = $1 AND s.active");
        let staff: Option<StaffTuple> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(staff_id)
            .fetch_optional(pool)
            .await)?;
        Ok(staff.map(|s| (staff_from(s), csrf)))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM staff_sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }
}
