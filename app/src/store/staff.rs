//! Staff accounts, their sign-in sessions and failed sign-in attempts.

use super::{Store, StoreError, on_pool};
use crate::i18n::Localized;

/// A staff account as sign-in needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department_id: Option<i64>,
    pub department: Option<Localized>,
    pub password_hash: String,
    pub active: bool,
}

type StaffTuple = (
    i64,
    String,
    String,
    String,
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

    pub async fn login_failures(
        &self,
        username: &str,
    ) -> Result<Option<LoginFailures>, StoreError> {
        let row: Option<(i64, i64, Option<i64>)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT failures, first_failure, locked_until FROM login_failures WHERE username = $1"
        )
        .bind(username)
        .fetch_optional(pool)
        .await
        })?;
        Ok(
            row.map(|(failures, first_failure, locked_until)| LoginFailures {
                failures,
                first_failure,
                locked_until,
            }),
        )
    }

    /// Replaces the failure record of a user name.
    pub async fn set_login_failures(
        &self,
        username: &str,
        f: LoginFailures,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO login_failures (username, failures, first_failure, locked_until) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, \
             first_failure = excluded.first_failure, locked_until = excluded.locked_until"
        )
        .bind(username)
        .bind(f.failures)
        .bind(f.first_failure)
        .bind(f.locked_until)
        .execute(pool)
        .await.map(drop)
        })?;
        Ok(())
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
