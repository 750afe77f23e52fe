//! Held ratings: the burst sweep, the usual hourly count a burst is measured against, and
//! the supervision bureau's review queue with its decisions (migration `0022_holds.sql`).

use super::{Store, StoreError, on_pool};
use crate::domain::{HoldDecision, HoldReason};

/// Held ratings of one counter, office day, hour and reason still waiting for a decision:
/// the review queue decides them together.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HeldGroup {
    pub counter_id: i64,
    pub counter_code: String,
    pub name_zh_hant: String,
    pub name_zh_hans: String,
    pub name_en: String,
    pub day: String,
    pub hour: i64,
    pub reason: String,
    /// Waiting ratings, and how many of them are good (level 3 and up).
    pub ratings: i64,
    pub good: i64,
}

/// How many weeks back a counter's usual for a weekday and hour is taken from.
pub const USUAL_WEEKS: usize = 8;

/// The most groups the queue shows at once, newest first.
const QUEUE_LIMIT: i64 = 200;

impl Store {
    /// Holds every rating of `counter_id` stored in `[from_ms, until_ms)` (one office hour,
    /// `hour`) that is not held yet, as a burst; says how many it held.
    pub async fn hold_burst(
        &self,
        counter_id: i64,
        hour: u8,
        from_ms: i64,
        until_ms: i64,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        let sql = "INSERT INTO rating_holds (rating_id, counter_id, day, hour, level, reason, held_at) \
                   SELECT r.id, r.counter_id, r.day, $2, r.level, 'burst', $5 FROM ratings r \
                   WHERE r.counter_id = $1 AND r.created_at >= $3 AND r.created_at < $4 \
                     AND NOT EXISTS (SELECT 1 FROM rating_holds h WHERE h.rating_id = r.id) \
                   ORDER BY r.id \
                   ON CONFLICT (rating_id) DO NOTHING";
        let done = on_pool!(self, |pool| sqlx::query(sql)
            .bind(counter_id)
            .bind(i64::from(hour))
            .bind(from_ms)
            .bind(until_ms)
            .bind(now_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done)
    }

    /// Ratings of `counter_id` in `hour` over the office days `days`, summed (held ones
    /// included: they came all the same).
    pub async fn ratings_in_hour_over(
        &self,
        counter_id: i64,
        hour: u8,
        days: &[String; USUAL_WEEKS],
    ) -> Result<i64, StoreError> {
        let sql = "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM rating_hours \
                   WHERE counter_id = $1 AND hour = $2 AND day IN ($3, $4, $5, $6, $7, $8, $9, $10)";
        let (n,): (i64,) = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(sql).bind(counter_id).bind(i64::from(hour));
            for day in days {
                query = query.bind(day.as_str());
            }
            query.fetch_one(pool).await
        })?;
        Ok(n)
    }

    /// The review queue: held ratings waiting for a decision, by counter, day, hour and
    /// reason, newest first.
    pub async fn held_groups(&self) -> Result<Vec<HeldGroup>, StoreError> {
        let sql = "SELECT h.counter_id, c.code AS counter_code, c.name_zh_hant, c.name_zh_hans, c.name_en, \
                   h.day, h.hour, h.reason, COUNT(*) AS ratings, \
                   CAST(SUM(CASE WHEN h.level >= 3 THEN 1 ELSE 0 END) AS BIGINT) AS good \
                   FROM rating_holds h JOIN counters c ON c.id = h.counter_id \
                   WHERE NOT EXISTS (SELECT 1 FROM hold_decisions d WHERE d.rating_id = h.rating_id) \
                   GROUP BY h.counter_id, c.code, c.name_zh_hant, c.name_zh_hans, c.name_en, h.day, h.hour, h.reason \
                   ORDER BY h.day DESC, h.hour DESC, c.code, h.reason LIMIT $1";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(QUEUE_LIMIT)
            .fetch_all(pool)
            .await)?)
    }

    /// Decides every waiting held rating of one group (see `HeldGroup`) at once, each
    /// decision an entry of the public record; says how many were decided (none: the group
    /// was decided already, or never held anything).
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_held(
        &self,
        counter_id: i64,
        day: &str,
        hour: u8,
        reason: HoldReason,
        decision: HoldDecision,
        why: &str,
        staff_id: i64,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        let sql = "INSERT INTO hold_decisions (rating_id, decision, reason, decided_by, decided_at) \
                   SELECT h.rating_id, $5, $6, $7, $8 FROM rating_holds h \
                   WHERE h.counter_id = $1 AND h.day = $2 AND h.hour = $3 AND h.reason = $4 \
                     AND NOT EXISTS (SELECT 1 FROM hold_decisions d WHERE d.rating_id = h.rating_id) \
                   ORDER BY h.rating_id \
                   ON CONFLICT (rating_id) DO NOTHING";
        Ok(on_pool!(self, |pool| sqlx::query(sql)
            .bind(counter_id)
            .bind(day)
            .bind(i64::from(hour))
            .bind(reason.as_str())
            .bind(decision.as_str())
            .bind(why)
            .bind(staff_id)
            .bind(now_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?)
    }

    /// Held ratings of one counter and office day by reason, and how many of them are still
    /// waiting: (reason, held, waiting).
    pub async fn holds_of_counter_day(
        &self,
        counter_id: i64,
        day: &str,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let sql = "SELECT h.reason, COUNT(*), \
                   CAST(SUM(CASE WHEN d.rating_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) \
                   FROM rating_holds h LEFT JOIN hold_decisions d ON d.rating_id = h.rating_id \
                   WHERE h.counter_id = $1 AND h.day = $2 GROUP BY h.reason ORDER BY h.reason";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(counter_id)
            .bind(day)
            .fetch_all(pool)
            .await)?)
    }
}
