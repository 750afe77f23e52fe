//! Staff accounts, their sign-in sessions and failed sign-in attempts.

use super::admin::audit;
use super::BeginWrite;
use super::outbox::insert_mails;
use super::{NewMail, Store, StoreError, on_pool};
use crate::domain::Role;
use crate::i18n::Localized;

/// Ends every session of an account but `$kept` (a token hash; `""` keeps none), in the
/// caller's transaction: `end_sessions!(tx, staff_id, kept)`.
macro_rules! end_sessions {
    ($tx:expr, $staff_id:expr, $kept:expr) => {
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1 AND token_hash <> $2")
            .bind($staff_id)
            .bind($kept)
            .execute(&mut *$tx)
            .await
    };
}
pub(super) use end_sessions;

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
    /// An administrator set the password: its owner must choose their own before anything else.
    pub must_change_password: bool,
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
    bool,
);

const STAFF_SELECT: &str = "SELECT s.id, s.username, s.display_name, s.role, s.department_id, \
    d.name_zh_hant, d.name_zh_hans, d.name_en, s.password_hash, s.active, s.must_change_password \
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
        must_change_password: t.10,
    }
}

/// Failed sign-ins for one user name from one network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: i64,
    pub first_failure: i64,
    pub locked_until: Option<i64>,
    /// Locks so far, the last at `last_lock_at`: a lock soon after another lasts longer.
    pub locks: i64,
    pub last_lock_at: Option<i64>,
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
        let row: (i64, i64, Option<i64>, i64, Option<i64>) = on_pool!(self, |pool| {
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
             RETURNING failures, first_failure, locked_until, locks, last_lock_at"
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
            locks: row.3,
            last_lock_at: row.4,
        })
    }

    /// Locks a user name (from one network) until the given time, as its `locks`-th lock.
    pub async fn lock_login(&self, username: &str, now_ms: i64, until_ms: i64, locks: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE login_failures SET locked_until = $2, locks = $3, last_lock_at = $4 WHERE username = $1"
        )
        .bind(username)
        .bind(until_ms)
        .bind(locks)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Writes a sign-in event about an account to the audit trail (`sign_in_failed`,
    /// `sign_in_locked`), naming the account as its actor since nobody is signed in, with
    /// the mails it causes unless one such event was written since `quiet_since_ms`.
    pub async fn record_sign_in_event(
        &self,
        staff_id: i64,
        username: &str,
        action: &str,
        detail: &str,
        now_ms: i64,
        quiet_since_ms: i64,
        mails: &[NewMail],
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let (recent,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2 AND at > $3",
            )
            .bind(action)
            .bind(username)
            .bind(quiet_since_ms)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, now_ms, staff_id, action, username, detail)?;
            if recent == 0 && !mails.is_empty() {
                let mails: Vec<(Option<i64>, &NewMail)> = mails.iter().map(|m| (None, m)).collect();
                insert_mails!(&mut *tx, &mails, now_ms)?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// The work addresses of active administrators.
    /// The work addresses of the supervision bureau and the administrators: who hears of a
    /// public record that does not check.
    pub async fn bureau_and_administrator_emails(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT email FROM staff WHERE role IN ($1, $2) AND active AND email IS NOT NULL AND email <> '' ORDER BY id"
        )
        .bind(Role::Administrator.code())
        .bind(Role::Supervisor.code())
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }

    pub async fn administrator_emails(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT email FROM staff WHERE role = $1 AND active AND email IS NOT NULL AND email <> '' ORDER BY id"
        )
        .bind(Role::Administrator.code())
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }

    /// Forgets sessions past their end or idle since `idle_since_ms`, and failure counts
    /// that no longer count (their window passed, no lock holds, no lock in the last
    /// `lock_memory_ms` to make the next one longer): nothing else deletes them. Gives how
    /// many rows went.
    pub async fn purge_sign_in_records(
        &self,
        now_ms: i64,
        failure_window_ms: i64,
        idle_since_ms: i64,
        lock_memory_ms: i64,
    ) -> Result<u64, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let sessions = sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                .bind(now_ms)
                .bind(idle_since_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let failures = sqlx::query(
                "DELETE FROM login_failures WHERE first_failure <= $1 AND (locked_until IS NULL OR locked_until <= $2) \
                 AND (last_lock_at IS NULL OR last_lock_at <= $3)",
            )
            .bind(now_ms - failure_window_ms)
            .bind(now_ms)
            .bind(now_ms - lock_memory_ms)
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
        flags: crate::staff::auth::SessionFlags,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, expires_at, last_seen_at, \
             awaiting_code, needs_second_factor) VALUES ($1, $2, $3, $4, $5, $4, $6, $7)"
        )
        .bind(token_hash)
        .bind(staff_id)
        .bind(csrf_token)
        .bind(now_ms)
        .bind(expires_at_ms)
        .bind(flags.awaiting_code)
        .bind(flags.needs_second_factor)
        .execute(pool)
        .await.map(drop)
        })?;
        Ok(())
    }

    /// The active staff member of a session neither past its end nor seen last before
    /// `idle_since_ms`, with the session's CSRF token. A session last seen before
    /// `stale_since_ms` is marked seen now.
    pub async fn session(
        &self,
        token_hash: &str,
        now_ms: i64,
        idle_since_ms: i64,
        stale_since_ms: i64,
    ) -> Result<Option<(StaffRecord, String, crate::staff::auth::SessionFlags)>, StoreError> {
        let row: Option<(i64, String, i64, bool, bool)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT staff_id, csrf_token, last_seen_at, awaiting_code, needs_second_factor FROM staff_sessions \
             WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3"
        )
        .bind(token_hash)
        .bind(now_ms)
        .bind(idle_since_ms)
        .fetch_optional(pool)
        .await
        })?;
        let Some((staff_id, csrf, last_seen, awaiting_code, needs_second_factor)) = row else {
            return Ok(None);
        };
        if last_seen < stale_since_ms {
            on_pool!(self, |pool| sqlx::query(
                "UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2"
            )
            .bind(token_hash)
            .bind(now_ms)
            .execute(pool)
            .await
            .map(drop))?;
        }
        let sql = format!("{STAFF_SELECT} WHERE s.id = $1 AND s.active");
        let staff: Option<StaffTuple> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(staff_id)
            .fetch_optional(pool)
            .await)?;
        let flags = crate::staff::auth::SessionFlags { awaiting_code, needs_second_factor };
        Ok(staff.map(|s| (staff_from(s), csrf, flags)))
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
