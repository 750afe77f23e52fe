//! Channels other systems file complaints through, each with one API key kept as its
//! SHA-256; created and revoked with an audit entry.

use super::admin::audit;
use super::BeginWrite;
use super::{Store, StoreError, on_pool};

/// A channel as the administrators' page lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ChannelRecord {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// Complaints filed through it.
    pub complaints: i64,
}

/// How often a channel's "last used" is written at most.
const LAST_USED_EVERY_MS: i64 = 60_000;

impl Store {
    /// Every channel, the newest first.
    pub async fn channels(&self) -> Result<Vec<ChannelRecord>, StoreError> {
        let sql = "SELECT c.id, c.name, c.created_at, c.revoked_at, c.last_used_at, \
                   (SELECT COUNT(*) FROM cases WHERE channel_id = c.id) AS complaints \
                   FROM channels c ORDER BY c.id DESC";
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, ChannelRecord>(sql).fetch_all(pool).await)?)
    }

    /// A new channel with the key whose hash this is; gives its id.
    pub async fn create_channel(&self, actor_id: i64, at: i64, name: &str, key_hash: &str) -> Result<i64, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let (id,): (i64,) =
                sqlx::query_as("INSERT INTO channels (name, key_hash, created_at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(name)
                    .bind(key_hash)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
            audit!(tx, at, actor_id, "channel_created", id.to_string(), name)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Revokes an open channel; `false`: none open has this id.
    pub async fn revoke_channel(&self, actor_id: i64, at: i64, id: i64) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let name: Option<(String,)> = sqlx::query_as(
                "UPDATE channels SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING name",
            )
            .bind(at)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((name,)) = name else {
                return Ok(false);
            };
            audit!(tx, at, actor_id, "channel_revoked", id.to_string(), name)?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The open channel holding the key with this hash (its id and name), noting when it
    /// was last used (at most once a minute).
    pub async fn channel_by_key(&self, key_hash: &str, at: i64) -> Result<Option<(i64, String)>, StoreError> {
        let found: Option<(i64, String, Option<i64>)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, last_used_at FROM channels WHERE key_hash = $1 AND revoked_at IS NULL"
        )
        .bind(key_hash)
        .fetch_optional(pool)
        .await)?;
        let Some((id, name, last_used)) = found else {
            return Ok(None);
        };
        if last_used.is_none_or(|t| at - t >= LAST_USED_EVERY_MS) {
            on_pool!(self, |pool| sqlx::query("UPDATE channels SET last_used_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(pool)
                .await
                .map(drop))?;
        }
        Ok(Some((id, name)))
    }
}
