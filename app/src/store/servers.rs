//! The app servers over one database: which are alive, and which holds each job that one
//! server does for all.

use super::{Store, StoreError, on_pool};
use super::BeginWrite;

impl Store {
    /// Notes that server `id` is alive at `now_ms`, forgets servers long silent, and
    /// counts those seen within `window_ms` (this one included).
    pub async fn server_alive(&self, id: &str, now_ms: i64, window_ms: i64) -> Result<u32, StoreError> {
        let count: i64 = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO app_servers (id, seen_at) VALUES ($1, $2) \
                 ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
            )
            .bind(id)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM app_servers WHERE seen_at < $1")
                .bind(now_ms - 100 * window_ms)
                .execute(&mut *tx)
                .await?;
            let count = sqlx::query_scalar("SELECT COUNT(*) FROM app_servers WHERE seen_at >= $1")
                .bind(now_ms - window_ms)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<i64, sqlx::Error>(count)
        })?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX).max(1))
    }

    /// A server that stops says so, and is no longer counted.
    pub async fn server_gone(&self, id: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query("DELETE FROM app_servers WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Takes (or keeps) the lease on job `name` for `holder` until `now_ms + ttl_ms`, if no
    /// other server holds it unexpired. `true`: this server runs the job this round.
    pub async fn take_job_lease(&self, name: &str, holder: &str, now_ms: i64, ttl_ms: i64) -> Result<bool, StoreError> {
        let taken = on_pool!(self, |pool| sqlx::query(
            "INSERT INTO job_leases (name, holder, until_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms \
             WHERE job_leases.until_ms < $4 OR job_leases.holder = excluded.holder",
        )
        .bind(name)
        .bind(holder)
        .bind(now_ms + ttl_ms)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))?;
        Ok(taken)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::on_both_backends;

    #[tokio::test]
    async fn one_server_holds_a_job_until_its_lease_runs_out() {
        on_both_backends(|store| async move {
            assert!(store.take_job_lease("roll-up", "a", 1_000, 100).await.unwrap());
            assert!(!store.take_job_lease("roll-up", "b", 1_050, 100).await.unwrap(), "held by a");
            assert!(store.take_job_lease("roll-up", "a", 1_050, 100).await.unwrap(), "a keeps it");
            assert!(store.take_job_lease("sweep", "b", 1_050, 100).await.unwrap(), "another job");
            assert!(!store.take_job_lease("roll-up", "b", 1_149, 100).await.unwrap());
            assert!(store.take_job_lease("roll-up", "b", 1_151, 100).await.unwrap(), "a went quiet");
            assert!(!store.take_job_lease("roll-up", "a", 1_160, 100).await.unwrap());
        })
        .await;
    }
}
