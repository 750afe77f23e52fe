//! Bulk writes for the benchmark data generator: extra counters, and complaints with the
//! events of their handling (accepted, answered, closed), many rows per statement.

use super::{Pool, Store, StoreError, on_pool};
use sqlx::QueryBuilder;

/// A generated complaint and when each step of its handling happened.
#[derive(Clone, Debug)]
pub struct GeneratedCase {
    /// Unique per generated case; how its events find it.
    pub submission_id: String,
    pub category: &'static str,
    pub counter_id: i64,
    pub hall_id: i64,
    pub department_id: i64,
    pub locale: &'static str,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub closed_at: Option<i64>,
}

impl GeneratedCase {
    fn status(&self) -> &'static str {
        if self.closed_at.is_some() {
            "closed"
        } else if self.replied_at.is_some() {
            "replied"
        } else if self.accepted_at.is_some() {
            "accepted"
        } else {
            "submitted"
        }
    }
}

/// Rows per statement: 11 parameters each.
const ROWS: usize = 400;

impl Store {
    /// After a bulk load: what a database that grew a row at a time would have had done by
    /// its background upkeep. PostgreSQL: `VACUUM (ANALYZE)` (visibility map and statistics;
    /// otherwise autovacuum works through the new tables while the server is measured);
    /// SQLite has no background upkeep: nothing.
    pub async fn settle_after_bulk_load(&self) -> Result<(), StoreError> {
        if let Pool::Postgres(pool) = &self.pool {
            sqlx::query("VACUUM (ANALYZE)").execute(pool).await?;
            // The load's pages to disk now, not while the server is measured (needs a
            // superuser or pg_checkpoint: without, the checkpointer does it in its time).
            let _ = sqlx::query("CHECKPOINT").execute(pool).await;
        }
        Ok(())
    }

    /// Adds counters (code, hall id, department id, name) after the existing ones.
    pub async fn add_counters(
        &self,
        counters: &[(String, i64, i64, String)],
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in counters.chunks(ROWS) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO counters (code, hall_id, department_id, name_zh_hant, name_zh_hans, name_en, sort_order) ",
                );
                insert.push_values(chunk, |mut b, (code, hall, department, name)| {
                    b.push_bind(code.as_str())
                        .push_bind(*hall)
                        .push_bind(*department)
                        .push_bind(format!("{code} 號窗口"))
                        .push_bind(format!("{code} 号窗口"))
                        .push_bind(name.as_str())
                        .push_bind(1000_i64);
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Stores generated complaints and their events in one transaction.
    pub async fn insert_generated_cases(&self, cases: &[GeneratedCase]) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in cases.chunks(ROWS) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO cases (kind, submission_id, category, hall_id, counter_id, description, \
                     anonymous, locale, status, department_id, created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut b, c| {
                    b.push_bind("complaint")
                        .push_bind(c.submission_id.as_str())
                        .push_bind(c.category)
                        .push_bind(c.hall_id)
                        .push_bind(c.counter_id)
                        .push_bind("(generated)")
                        .push_bind(true)
                        .push_bind(c.locale)
                        .push_bind(c.status())
                        .push_bind(c.department_id)
                        .push_bind(c.created_at)
                        .push_bind(c.closed_at.or(c.replied_at).or(c.accepted_at).unwrap_or(c.created_at));
                });
                insert.build().execute(&mut *tx).await?;
                let events: Vec<(&GeneratedCase, &str, &str, i64)> = chunk
                    .iter()
                    .flat_map(|c| {
                        [
                            Some((c, "submit", "submitted", c.created_at)),
                            c.accepted_at.map(|at| (c, "accept", "accepted", at)),
                            c.replied_at.map(|at| (c, "reply", "replied", at)),
                            c.closed_at.map(|at| (c, "satisfied", "closed", at)),
                        ]
                    })
                    .flatten()
                    .collect();
                for events in events.chunks(ROWS) {
                    let mut insert = QueryBuilder::new(
                        "INSERT INTO case_events (case_id, at, kind, to_status, public, department_id) ",
                    );
                    insert.push_values(events, |mut b, (c, kind, status, at)| {
                        b.push("(SELECT id FROM cases WHERE submission_id = ")
                            .push_bind_unseparated(c.submission_id.as_str())
                            .push_unseparated(")")
                            .push_bind(*at)
                            .push_bind(*kind)
                            .push_bind(*status)
                            .push_bind(true)
                            .push_bind(c.department_id);
                    });
                    insert.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}
