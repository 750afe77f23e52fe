//! The app servers over one database, as each says it is alive.

use super::{Store, StoreError, on_pool};

impl Store {
    /// Notes that server `id` is alive at `now_ms`, forgets servers long silent, and
    /// counts those seen within `window_ms` (this one included).
    pub async fn server_alive(&self, id: &str, now_ms: i64, window_ms: i64) -> Result<u32, StoreError> {
        let count: i64 = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
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
}
