//! Bulk writes for the benchmark data generator: extra counters, and complaints with the
//! events of their handling (accepted, answered, closed), many rows per statement.

use super::{Pool, Store, StoreError, on_pool};
use super::BeginWrite;
use sqlx::QueryBuilder;

/// A generated complaint and its handling so far.
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
    pub handling: Handling,
}

/// What happened to a generated case after it was opened, as the staff, the citizen and
/// the deadline scheduler would have left it.
#[derive(Clone, Debug, Default)]
pub struct Handling {
    /// (event kind, status it leads to, when), in order.
    pub events: Vec<(&'static str, &'static str, i64)>,
    /// The deadline of the step the case waits for; none once closed.
    pub due_on: Option<String>,
    /// Set when the deadline is today: the scheduler's reminder went out.
    pub reminded_for: Option<String>,
}

impl Handling {
    fn status(&self) -> &'static str {
        self.events.last().map_or("submitted", |e| e.1)
    }

    fn updated_at(&self, created_at: i64) -> i64 {
        self.events.last().map_or(created_at, |e| e.2)
    }
}

/// A bad rating's follow-up the generator opened (through the ratings' trigger), still
/// untouched.
#[derive(Clone, Copy, Debug)]
pub struct OpenFollowUp {
    pub id: i64,
    pub department_id: Option<i64>,
    pub created_at: i64,
}

/// Rows per statement: at most 13 parameters each.
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
            let mut tx = pool.begin_write().await?;
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
            let mut tx = pool.begin_write().await?;
            for chunk in cases.chunks(ROWS) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO cases (kind, submission_id, category, hall_id, counter_id, description, \
                     anonymous, locale, status, department_id, due_on, reminded_for, created_at, updated_at) ",
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
                        .push_bind(c.handling.status())
                        .push_bind(c.department_id)
                        .push_bind(c.handling.due_on.as_deref())
                        .push_bind(c.handling.reminded_for.as_deref())
                        .push_bind(c.created_at)
                        .push_bind(c.handling.updated_at(c.created_at));
                });
                insert.build().execute(&mut *tx).await?;
                let events: Vec<(&GeneratedCase, &str, &str, i64)> = chunk
                    .iter()
                    .flat_map(|c| {
                        std::iter::once((c, "submit", "submitted", c.created_at))
                            .chain(c.handling.events.iter().map(move |e| (c, e.0, e.1, e.2)))
                    })
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

    /// How many follow-ups of bad ratings are untouched.
    pub async fn count_open_follow_ups(&self) -> Result<u64, StoreError> {
        let (n,): (i64,) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*) FROM cases WHERE kind = 'rating_followup' AND status = 'submitted' AND due_on IS NULL"
        )
        .fetch_one(pool)
        .await)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Up to `limit` untouched follow-ups of bad ratings after case `after`, oldest first.
    pub async fn open_follow_ups(&self, after: i64, limit: i64) -> Result<Vec<OpenFollowUp>, StoreError> {
        let rows: Vec<(i64, Option<i64>, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, department_id, created_at FROM cases \
             WHERE kind = 'rating_followup' AND status = 'submitted' AND due_on IS NULL AND id > $1 \
             ORDER BY id LIMIT $2"
        )
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, department_id, created_at)| OpenFollowUp { id, department_id, created_at })
            .collect())
    }

    /// Records how follow-ups were handled: their events, status and deadline, in one
    /// transaction.
    pub async fn settle_follow_ups(&self, settled: &[(OpenFollowUp, Handling)]) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for chunk in settled.chunks(ROWS) {
                let events: Vec<(&OpenFollowUp, &(&str, &str, i64))> = chunk
                    .iter()
                    .flat_map(|(case, handling)| handling.events.iter().map(move |e| (case, e)))
                    .collect();
                for events in events.chunks(ROWS) {
                    let mut insert = QueryBuilder::new(
                        "INSERT INTO case_events (case_id, at, kind, to_status, public, department_id) ",
                    );
                    insert.push_values(events, |mut b, (case, (kind, status, at))| {
                        b.push_bind(case.id)
                            .push_bind(*at)
                            .push_bind(*kind)
                            .push_bind(*status)
                            .push_bind(true)
                            .push_bind(case.department_id);
                    });
                    insert.build().execute(&mut *tx).await?;
                }
                // Both databases name a VALUES list's columns column1, column2, ...
                let mut update = QueryBuilder::new(
                    "UPDATE cases SET status = v.column2, due_on = v.column3, reminded_for = v.column4, \
                     updated_at = v.column5, version = version + 1 FROM (",
                );
                update.push_values(chunk, |mut b, (case, handling)| {
                    b.push_bind(case.id)
                        .push_bind(handling.status())
                        .push_bind(handling.due_on.as_deref())
                        .push_bind(handling.reminded_for.as_deref())
                        .push_bind(handling.updated_at(case.created_at));
                });
                update.push(") AS v WHERE cases.id = v.column1");
                update.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}
