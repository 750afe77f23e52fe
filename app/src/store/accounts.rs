//! Staff accounts as administrators keep them: add, change (name, role, department, badge,
//! work email, active) and set a new password. Each change is written with its audit entry;
//! an account closed or given a new password loses its open sessions in the same
//! transaction. Passwords and email addresses never reach the audit trail.

use super::admin::audit;
use super::BeginWrite;
use super::staff::end_sessions;
use super::{AdminWriteError, Store, StoreError, on_pool};
use crate::views::AccountLine;

/// What an administrator sets on an account, already checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountFields {
    pub display_name: String,
    pub role: String,
    pub department_id: Option<i64>,
    pub badge: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// The counter they sit at: complaints about it are kept from them.
    pub counter_id: Option<i64>,
}

fn describe(f: &AccountFields) -> String {
    format!(
        "{}; role {}; department {}; badge {}; counter {}; {}",
        f.display_name,
        f.role,
        f.department_id.map(|d| d.to_string()).unwrap_or_else(|| "none".into()),
        f.badge.as_deref().unwrap_or("none"),
        f.counter_id.map(|c| c.to_string()).unwrap_or_else(|| "none".into()),
        if f.active { "active" } else { "closed" }
    )
}

impl Store {
    pub async fn accounts(&self) -> Result<Vec<AccountLine>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT s.username, s.display_name, s.role, d.code AS department_code, s.badge, s.email, s.active, \
             c.code AS counter_code \
             FROM staff s LEFT JOIN departments d ON d.id = s.department_id LEFT JOIN counters c ON c.id = s.counter_id \
             ORDER BY s.username"
        )
        .fetch_all(pool)
        .await)?)
    }

    /// Adds an account with its audit entry. `actor_id`: the administrator who made it;
    /// `None`: the server's command line (no one signed in), and the entry names the account.
    pub async fn create_account(
        &self,
        actor_id: Option<i64>,
        at: i64,
        username: &str,
        fields: &AccountFields,
        password_hash: &str,
    ) -> Result<(), AdminWriteError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO staff (username, display_name, role, department_id, password_hash, active, created_at, badge, email, \
                 must_change_password, counter_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(username)
            .bind(&fields.display_name)
            .bind(&fields.role)
            .bind(fields.department_id)
            .bind(password_hash)
            .bind(fields.active)
            .bind(at)
            .bind(&fields.badge)
            .bind(&fields.email)
            // A password an administrator chose is its owner's to replace.
            .bind(actor_id.is_some())
            .bind(fields.counter_id)
            .fetch_one(&mut *tx)
            .await?;
            let (actor, detail) = match actor_id {
                Some(actor) => (actor, describe(fields)),
                None => (id, format!("{} (from the command line)", describe(fields))),
            };
            audit!(tx, at, actor, "staff_created", username, detail)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Changes an account; a closed account's sessions end with the change.
    pub async fn update_account(
        &self,
        actor_id: i64,
        at: i64,
        username: &str,
        fields: &AccountFields,
    ) -> Result<(), AdminWriteError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let old: Option<(i64, String, String, Option<i64>, Option<String>, Option<String>, bool, Option<i64>)> = sqlx::query_as(
                "SELECT id, display_name, role, department_id, badge, email, active, counter_id FROM staff WHERE username = $1",
            )
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(old) = old else {
                return Err(AdminWriteError::NotOpen);
            };
            let before = AccountFields {
                display_name: old.1,
                role: old.2,
                department_id: old.3,
                badge: old.4,
                email: old.5,
                active: old.6,
                counter_id: old.7,
            };
            sqlx::query(
                "UPDATE staff SET display_name = $1, role = $2, department_id = $3, badge = $4, email = $5, active = $6, \
                 counter_id = $8 WHERE id = $7",
            )
            .bind(&fields.display_name)
            .bind(&fields.role)
            .bind(fields.department_id)
            .bind(&fields.badge)
            .bind(&fields.email)
            .bind(fields.active)
            .bind(old.0)
            .bind(fields.counter_id)
            .execute(&mut *tx)
            .await?;
            // A closed account, or one whose role changed (what it may see, whether it needs
            // a second factor), signs in again.
            if !fields.active || fields.role != before.role {
                end_sessions!(tx, old.0, "")?;
            }
            let mut detail = format!("{} -> {}", describe(&before), describe(fields));
            if before.email != fields.email {
                detail.push_str("; work email changed");
            }
            audit!(tx, at, actor_id, "staff_changed", username, detail)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A new password; every open session of the account ends. Set by another administrator,
    /// its owner must replace it at the next sign-in.
    pub async fn set_password(
        &self,
        actor_id: i64,
        at: i64,
        username: &str,
        password_hash: &str,
    ) -> Result<(), AdminWriteError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let id: Option<(i64,)> = sqlx::query_as(
                "UPDATE staff SET password_hash = $1, must_change_password = (id <> $3) WHERE username = $2 RETURNING id",
            )
                .bind(password_hash)
                .bind(username)
                .bind(actor_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((id,)) = id else {
                return Err(AdminWriteError::NotOpen);
            };
            end_sessions!(tx, id, "")?;
            audit!(tx, at, actor_id, "staff_password_set", username, "sessions ended")?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Ends the sessions of every account of these roles but `except` (a role now needs a
    /// second factor: its staff sign in again and set one up). Gives how many ended.
    pub async fn end_sessions_of_roles(&self, roles: &[&str], except: i64) -> Result<u64, StoreError> {
        let mut total = 0;
        for role in roles {
            total += on_pool!(self, |pool| sqlx::query(
                "DELETE FROM staff_sessions WHERE staff_id <> $2 AND staff_id IN (SELECT id FROM staff WHERE role = $1)"
            )
            .bind(*role)
            .bind(except)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        }
        Ok(total)
    }

    /// A staff member's own new password: the one they were given no longer needs
    /// replacing, and every other session of theirs ends (this one, `kept_session`, stays).
    pub async fn change_own_password(
        &self,
        staff_id: i64,
        username: &str,
        at: i64,
        password_hash: &str,
        kept_session: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE staff SET password_hash = $1, must_change_password = FALSE WHERE id = $2")
                .bind(password_hash)
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            end_sessions!(tx, staff_id, kept_session)?;
            audit!(tx, at, staff_id, "staff_password_changed", username, "other sessions ended")?;
            tx.commit().await
        })?;
        Ok(())
    }
}
