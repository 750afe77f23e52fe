//! Photo bytes kept in the database (`photo_bytes`), for several app servers.

use super::{Store, StoreError, on_pool};

impl Store {
    pub async fn put_photo_bytes(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query("INSERT INTO photo_bytes (key, bytes) VALUES ($1, $2)")
            .bind(key)
            .bind(bytes)
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn photo_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar("SELECT bytes FROM photo_bytes WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await)?)
    }

    pub async fn delete_photo_bytes(&self, key: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query("DELETE FROM photo_bytes WHERE key = $1")
            .bind(key)
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }
}
