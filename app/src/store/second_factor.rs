//! Staff second factors: an authenticator's secret (unconfirmed until a first code from it
//! is typed), the last time step used (each code works once), and one-use recovery codes,
//! kept only as SHA-256. Sessions waiting for a code are marked on their row.

use super::admin::audit;
use super::BeginWrite;
use super::staff::end_sessions;
use super::{Store, StoreError, on_pool};

/// An account's second factor, as sign-in needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondFactorRecord {
    /// Base32.
    pub secret: String,
    pub confirmed: bool,
    pub last_step: i64,
}

impl Store {
    pub async fn second_factor(&self, staff_id: i64) -> Result<Option<SecondFactorRecord>, StoreError> {
        let row: Option<(String, Option<i64>, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT secret, confirmed_at, last_step FROM staff_second_factors WHERE staff_id = $1"
        )
        .bind(staff_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(secret, confirmed_at, last_step)| SecondFactorRecord {
            secret,
            confirmed: confirmed_at.is_some(),
            last_step,
        }))
    }

    /// A new, unconfirmed secret for an account without a confirmed one (`false`: it has one).
    pub async fn start_second_factor(&self, staff_id: i64, secret: &str) -> Result<bool, StoreError> {
        let n = on_pool!(self, |pool| sqlx::query(
            "INSERT INTO staff_second_factors (staff_id, secret, confirmed_at, last_step) VALUES ($1, $2, NULL, 0) \
             ON CONFLICT (staff_id) DO UPDATE SET secret = excluded.secret, last_step = 0 \
             WHERE staff_second_factors.confirmed_at IS NULL"
        )
        .bind(staff_id)
        .bind(secret)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Confirms the secret with the step of its first code, stores the recovery codes'
    /// hashes, and ends the account's other sessions: one transaction, one audit entry.
    pub async fn confirm_second_factor(
        &self,
        staff_id: i64,
        username: &str,
        step: i64,
        recovery_hashes: &[String],
        kept_session: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE staff_second_factors SET confirmed_at = $2, last_step = $3 \
                 WHERE staff_id = $1 AND confirmed_at IS NULL",
            )
            .bind(staff_id)
            .bind(now_ms)
            .bind(step)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            for hash in recovery_hashes {
                sqlx::query("INSERT INTO staff_recovery_codes (staff_id, code_hash, used_at) VALUES ($1, $2, NULL)")
                    .bind(staff_id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
            }
            end_sessions!(tx, staff_id, kept_session)?;
            sqlx::query("UPDATE staff_sessions SET needs_second_factor = FALSE WHERE token_hash = $1")
                .bind(kept_session)
                .execute(&mut *tx)
                .await?;
            audit!(tx, now_ms, staff_id, "second_factor_added", username, "other sessions ended")?;
            tx.commit().await?;
            Ok::<bool, StoreError>(true)
        })
    }

    /// Removes an account's second factor and recovery codes (by its owner, `actor_id`, or
    /// an administrator for someone who lost their phone), ending the account's sessions
    /// but `kept_session`.
    pub async fn remove_second_factor(
        &self,
        actor_id: i64,
        staff_id: i64,
        username: &str,
        kept_session: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM staff_second_factors WHERE staff_id = $1")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            end_sessions!(tx, staff_id, kept_session)?;
            audit!(tx, now_ms, actor_id, "second_factor_removed", username, "sessions ended")?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Takes a time step as used, if it is later than the last one used (`false`: the code
    /// was used already, here or on another server).
    pub async fn use_second_factor_step(&self, staff_id: i64, step: i64) -> Result<bool, StoreError> {
        let n = on_pool!(self, |pool| sqlx::query(
            "UPDATE staff_second_factors SET last_step = $2 WHERE staff_id = $1 AND last_step < $2 AND confirmed_at IS NOT NULL"
        )
        .bind(staff_id)
        .bind(step)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Uses up a recovery code (`false`: no such unused code).
    pub async fn use_recovery_code(&self, staff_id: i64, code_hash: &str, now_ms: i64) -> Result<bool, StoreError> {
        let n = on_pool!(self, |pool| sqlx::query(
            "UPDATE staff_recovery_codes SET used_at = $3 WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL"
        )
        .bind(staff_id)
        .bind(code_hash)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Recovery codes not yet used.
    pub async fn recovery_codes_left(&self, staff_id: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*) FROM staff_recovery_codes WHERE staff_id = $1 AND used_at IS NULL"
        )
        .bind(staff_id)
        .fetch_one(pool)
        .await)?;
        Ok(n)
    }

    /// The session has given its code: it may work now.
    pub async fn session_passed_second_factor(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE staff_sessions SET awaiting_code = FALSE WHERE token_hash = $1"
        )
        .bind(token_hash)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }
}
