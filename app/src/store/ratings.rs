//! Ratings: appended in batches, counted per counter and day in the same transaction.

use super::{Held, HeldConnection, Store, StoreError, on_pool};
use crate::domain::rating::{HoldReason, LevelCounts, RatingLevel};
use sqlx::QueryBuilder;
use std::collections::{HashMap, HashSet};

/// A rating ready to be stored: every field already parsed and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingRow {
    pub counter_id: i64,
    pub hall_id: i64,
    pub level: i64,
    pub tags: i64,
    pub comment: Option<String>,
    pub ticket: Option<String>,
    pub created_at_ms: i64,
    /// The office's calendar day of `created_at_ms`, for the daily counts.
    pub local_day: String,
    /// The office's hour of the day (0 to 23) of `created_at_ms`, for the heatmap.
    pub local_hour: u8,
    /// Held out of the statistics from the start (`crate::rating::throttle`).
    pub hold: Option<HoldReason>,
}

/// What became of one rating in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsertOutcome {
    Stored,
    /// Its ticket number was already used at that hall that day: one ticket, one rating.
    DuplicateTicket,
}

/// Rows per INSERT statement: 8 parameters each stays far below both backends' limits.
const ROWS_PER_STATEMENT: usize = 500;

impl Store {
    /// Stores a batch of ratings in one transaction (one disk sync for all of them) and
    /// says, for each, whether it was stored or refused for a used ticket. Either the whole
    /// batch is committed or, on error, none of it.
    pub async fn insert_ratings(
        &self,
        rows: &[RatingRow],
    ) -> Result<Vec<InsertOutcome>, StoreError> {
        let mut held = self.hold_connection().await?;
        self.insert_ratings_on(&mut held, rows).await
    }

    /// `insert_ratings` on a connection the caller keeps (the ratings' writer task).
    pub async fn insert_ratings_on(
        &self,
        held: &mut HeldConnection,
        rows: &[RatingRow],
    ) -> Result<Vec<InsertOutcome>, StoreError> {
        // A ticket repeated inside the batch: the first one wins, as it would one by one.
        let mut outcomes = vec![InsertOutcome::Stored; rows.len()];
        let mut seen = HashSet::new();
        for (i, row) in rows.iter().enumerate() {
            if let Some(ticket) = &row.ticket
                && !seen.insert((row.hall_id, row.local_day.as_str(), ticket.as_str()))
            {
                outcomes[i] = InsertOutcome::DuplicateTicket;
            }
        }
        let to_insert: Vec<usize> = (0..rows.len())
            .filter(|&i| outcomes[i] == InsertOutcome::Stored)
            .collect();

        let conn = match &mut held.0 {
            Held::Postgres(conn) => {
                insert_ratings_postgres(conn, rows, &to_insert, &mut outcomes).await?;
                return Ok(outcomes);
            }
            Held::Sqlite(conn) => conn,
        };
        if to_insert.is_empty() {
            return Ok(outcomes);
        }
        // Held ratings are written one by one after their hold (below). Of the others,
        // those without a ticket cannot conflict: a plain insert. Those with one may meet
        // an earlier use of their ticket: skipped, and the stored ones named back.
        let (held, counted): (Vec<usize>, Vec<usize>) =
            to_insert.iter().partition(|&&i| rows[i].hold.is_some());
        let (with_ticket, without_ticket): (Vec<usize>, Vec<usize>) =
            counted.iter().partition(|&&i| rows[i].ticket.is_some());
        if with_ticket.is_empty() && held.is_empty() {
            // Every rating will be stored: the whole transaction is one request to the
            // database's thread (each request waits for that thread, on a busy machine
            // for a core), not one for BEGIN, each statement and COMMIT.
            let mut batch = QueryBuilder::new("BEGIN IMMEDIATE; ");
            push_plain_inserts(&mut batch, rows, &without_ticket);
            push_count_upserts(&mut batch, rows, &without_ticket);
            batch.push("COMMIT");
            if let Err(error) = batch.build().execute(&mut **conn).await {
                // Whichever statement failed, nothing of the batch stays (a ROLLBACK with
                // no transaction open fails harmlessly).
                let _ = sqlx::query("ROLLBACK").execute(&mut **conn).await;
                return Err(error.into());
            }
            return Ok(outcomes);
        }
        // BEGIN and COMMIT by hand, and ROLLBACK after any failure, the failed COMMIT of a
        // full disk included: the transaction must never stay open on the kept connection,
        // where a later batch's "commit" would only release a savepoint inside it.
        sqlx::query("BEGIN IMMEDIATE").execute(&mut **conn).await?;
        let written = insert_checked_sqlite(conn, rows, &to_insert, &without_ticket, &with_ticket, &held, &mut outcomes).await;
        let committed = match written {
            Ok(()) => sqlx::query("COMMIT").execute(&mut **conn).await.map(|_| ()).map_err(StoreError::from),
            Err(error) => Err(error),
        };
        if let Err(error) = committed {
            let _ = sqlx::query("ROLLBACK").execute(&mut **conn).await;
            return Err(error);
        }
        Ok(outcomes)
    }

    /// Ratings left out of the statistics (an upheld appeal, or held and not released):
    /// (counter, level, how many).
    async fn left_out(
        &self,
        counter_id: Option<i64>,
        before_day: &str,
    ) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let sql = "SELECT counter_id, level, COUNT(*) FROM ratings_left_out \
                   WHERE day < $1 AND ($2 = 0 OR counter_id = $2) \
                   GROUP BY counter_id, level";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(before_day)
            .bind(counter_id.unwrap_or(0))
            .fetch_all(pool)
            .await)?)
    }

    /// Totals of one counter over the office days before `before_day` (`YYYY-MM-DD`).
    pub async fn totals_of_counter(
        &self,
        counter_id: i64,
        before_day: &str,
    ) -> Result<LevelCounts, StoreError> {
        let sql = "SELECT CAST(COALESCE(SUM(n1), 0) AS BIGINT), CAST(COALESCE(SUM(n2), 0) AS BIGINT), \
                   CAST(COALESCE(SUM(n3), 0) AS BIGINT), CAST(COALESCE(SUM(n4), 0) AS BIGINT), \
                   CAST(COALESCE(SUM(n5), 0) AS BIGINT) FROM rating_daily WHERE counter_id = $1 AND day < $2";
        let r: (i64, i64, i64, i64, i64) = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(counter_id)
            .bind(before_day)
            .fetch_one(pool)
            .await)?;
        let mut totals = LevelCounts {
            levels: [r.0, r.1, r.2, r.3, r.4].map(|n| n.max(0) as u64),
        };
        for (_, level, n) in self.left_out(Some(counter_id), before_day).await? {
            totals.leave_out(level, n);
        }
        Ok(totals)
    }

    /// How many ratings are stored in all: the ground truth the daily counts must match.
    pub async fn count_ratings(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_pool!(self, |pool| sqlx::query_as("SELECT COUNT(*) FROM ratings")
            .fetch_one(pool)
            .await)?;
        Ok(n)
    }
}

/// The statements of a batch that needs more than plain inserts (tickets that may have
/// been used, held ratings), inside the transaction `insert_ratings_on` opened; marks the
/// ratings refused for a used ticket in `outcomes`.
async fn insert_checked_sqlite(
    conn: &mut sqlx::SqliteConnection,
    rows: &[RatingRow],
    to_insert: &[usize],
    without_ticket: &[usize],
    with_ticket: &[usize],
    held: &[usize],
    outcomes: &mut [InsertOutcome],
) -> Result<(), StoreError> {
    let mut stored_tickets: HashSet<(i64, String, String)> = HashSet::new();
    if !without_ticket.is_empty() {
        let mut insert = QueryBuilder::new("");
        push_plain_inserts(&mut insert, rows, without_ticket);
        insert.build().execute(&mut *conn).await?;
    }
    for chunk in with_ticket.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::new("");
        push_rating_values(&mut insert, rows, chunk);
        insert.push(
            " ON CONFLICT (hall_id, day, ticket) DO NOTHING RETURNING hall_id, day, ticket",
        );
        let returned: Vec<(i64, String, Option<String>)> =
            insert.build_query_as().fetch_all(&mut *conn).await?;
        stored_tickets.extend(
            returned
                .into_iter()
                .filter_map(|(h, d, t)| t.map(|t| (h, d, t))),
        );
    }
    for &i in held {
        if !insert_held_sqlite(conn, &rows[i]).await? {
            outcomes[i] = InsertOutcome::DuplicateTicket;
        }
    }
    let mut stored = Vec::with_capacity(to_insert.len());
    for &i in to_insert {
        let r = &rows[i];
        if outcomes[i] == InsertOutcome::DuplicateTicket {
            continue;
        }
        if r.hold.is_none()
            && let Some(ticket) = &r.ticket
            && !stored_tickets.contains(&(r.hall_id, r.local_day.clone(), ticket.clone()))
        {
            outcomes[i] = InsertOutcome::DuplicateTicket;
            continue;
        }
        stored.push(i);
    }
    if !stored.is_empty() {
        let mut upserts = QueryBuilder::new("");
        push_count_upserts(&mut upserts, rows, &stored);
        upserts.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stores one held rating on SQLite inside the batch's transaction (which holds the write
/// lock): its hold first, under the id the rating is about to get, so that the rating's
/// triggers see it (a held bad rating opens no follow-up); false when its ticket was used.
async fn insert_held_sqlite(conn: &mut sqlx::SqliteConnection, r: &RatingRow) -> Result<bool, StoreError> {
    if let Some(ticket) = &r.ticket {
        let used: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM ratings WHERE hall_id = $1 AND day = $2 AND ticket = $3")
                .bind(r.hall_id)
                .bind(&r.local_day)
                .bind(ticket)
                .fetch_optional(&mut *conn)
                .await?;
        if used.is_some() {
            return Ok(false);
        }
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO rating_holds (rating_id, counter_id, day, hour, level, reason, held_at) \
         SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5, $6 FROM ratings RETURNING rating_id",
    )
    .bind(r.counter_id)
    .bind(&r.local_day)
    .bind(i64::from(r.local_hour.min(23)))
    .bind(r.level)
    .bind(r.hold.map(HoldReason::as_str))
    .bind(r.created_at_ms)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO ratings (id, counter_id, hall_id, level, tags, comment, ticket, created_at, day) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(r.counter_id)
    .bind(r.hall_id)
    .bind(r.level)
    .bind(r.tags)
    .bind(r.comment.as_deref())
    .bind(r.ticket.as_deref())
    .bind(r.created_at_ms)
    .bind(&r.local_day)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// `INSERT INTO ratings … VALUES` of the rows `chunk` (at most `ROWS_PER_STATEMENT`).
fn push_rating_values<'a>(query: &mut QueryBuilder<'a, sqlx::Sqlite>, rows: &'a [RatingRow], chunk: &[usize]) {
    query.push(
        "INSERT INTO ratings (counter_id, hall_id, level, tags, comment, ticket, created_at, day) ",
    );
    query.push_values(chunk.iter().map(|&i| &rows[i]), |mut b, r| {
        b.push_bind(r.counter_id)
            .push_bind(r.hall_id)
            .push_bind(r.level)
            .push_bind(r.tags)
            .push_bind(r.comment.as_deref())
            .push_bind(r.ticket.as_deref())
            .push_bind(r.created_at_ms)
            .push_bind(r.local_day.as_str());
    });
}

/// The statements (each ended by `; `) storing the rows `stored`, which cannot conflict.
fn push_plain_inserts<'a>(query: &mut QueryBuilder<'a, sqlx::Sqlite>, rows: &'a [RatingRow], stored: &[usize]) {
    for chunk in stored.chunks(ROWS_PER_STATEMENT) {
        push_rating_values(query, rows, chunk);
        query.push("; ");
    }
}

/// The statements (each ended by `; `) adding the rows `stored` to the daily and hourly
/// counts, summed per counter and day, and per counter, day and hour.
fn push_count_upserts<'a>(query: &mut QueryBuilder<'a, sqlx::Sqlite>, rows: &'a [RatingRow], stored: &[usize]) {
    let mut daily: HashMap<(i64, &'a str), [i64; 5]> = HashMap::new();
    let mut hourly: HashMap<(i64, &'a str, i64), (i64, i64)> = HashMap::new();
    for &i in stored {
        let r = &rows[i];
        let level = (r.level.clamp(1, 5) - 1) as usize;
        daily.entry((r.counter_id, r.local_day.as_str())).or_default()[level] += 1;
        let slot = hourly
            .entry((r.counter_id, r.local_day.as_str(), i64::from(r.local_hour.min(23))))
            .or_default();
        slot.0 += 1;
        slot.1 += i64::from(r.level >= i64::from(RatingLevel::GOOD_FROM));
    }
    let daily: Vec<_> = daily.into_iter().collect();
    for chunk in daily.chunks(ROWS_PER_STATEMENT) {
        query.push("INSERT INTO rating_daily (counter_id, day, n1, n2, n3, n4, n5) ");
        query.push_values(chunk, |mut b, ((counter_id, day), n)| {
            b.push_bind(*counter_id).push_bind(*day);
            for count in n {
                b.push_bind(*count);
            }
        });
        query.push(
            " ON CONFLICT (counter_id, day) DO UPDATE SET \
             n1 = rating_daily.n1 + excluded.n1, n2 = rating_daily.n2 + excluded.n2, \
             n3 = rating_daily.n3 + excluded.n3, n4 = rating_daily.n4 + excluded.n4, \
             n5 = rating_daily.n5 + excluded.n5; ",
        );
    }
    let hourly: Vec<_> = hourly.into_iter().collect();
    for chunk in hourly.chunks(ROWS_PER_STATEMENT) {
        query.push("INSERT INTO rating_hours (counter_id, day, hour, n, good) ");
        query.push_values(chunk, |mut b, ((counter_id, day, hour), (n, good))| {
            b.push_bind(*counter_id)
                .push_bind(*day)
                .push_bind(*hour)
                .push_bind(*n)
                .push_bind(*good);
        });
        query.push(
            " ON CONFLICT (counter_id, day, hour) DO UPDATE SET \
             n = rating_hours.n + excluded.n, good = rating_hours.good + excluded.good; ",
        );
    }
}

/// The batch on PostgreSQL: one statement, so one round trip and one commit (a statement
/// outside a transaction block is its own transaction: all of it is stored or none). Its
/// text never changes with the batch's size, so it is parsed and planned once per
/// connection; a statement built per batch size would be parsed again for most batches.
/// The hour of a rating is a function of its time, so the hourly counts take it from the
/// batch by `created_at`. Ids are drawn first, so that a held rating's hold is written in
/// the same statement (row triggers, such as the follow-up of a bad rating, run after it
/// and see the hold).
const INSERT_RATINGS_POSTGRES: &str = "\
    WITH input AS ( \
        SELECT t.*, nextval('ratings_id_seq') AS id \
        FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::TEXT[], \
                    $6::TEXT[], $7::BIGINT[], $8::TEXT[], $9::BIGINT[], $10::TEXT[]) \
            AS t(counter_id, hall_id, level, tags, comment, ticket, created_at, day, hour, hold) \
    ), stored AS ( \
        INSERT INTO ratings (id, counter_id, hall_id, level, tags, comment, ticket, created_at, day) \
        SELECT id, counter_id, hall_id, level, tags, comment, ticket, created_at, day FROM input \
        ON CONFLICT (hall_id, day, ticket) DO NOTHING \
        RETURNING id, counter_id, hall_id, level, ticket, created_at, day \
    ), held AS ( \
        INSERT INTO rating_holds (rating_id, counter_id, day, hour, level, reason, held_at) \
        SELECT i.id, i.counter_id, i.day, i.hour, i.level, i.hold, i.created_at \
        FROM input i JOIN stored s ON s.id = i.id WHERE i.hold IS NOT NULL \
    ), daily AS ( \
        INSERT INTO rating_daily (counter_id, day, n1, n2, n3, n4, n5) \
        SELECT counter_id, day, COUNT(*) FILTER (WHERE level = 1), COUNT(*) FILTER (WHERE level = 2), \
               COUNT(*) FILTER (WHERE level = 3), COUNT(*) FILTER (WHERE level = 4), \
               COUNT(*) FILTER (WHERE level = 5) \
        FROM stored GROUP BY counter_id, day \
        ON CONFLICT (counter_id, day) DO UPDATE SET \
            n1 = rating_daily.n1 + excluded.n1, n2 = rating_daily.n2 + excluded.n2, \
            n3 = rating_daily.n3 + excluded.n3, n4 = rating_daily.n4 + excluded.n4, \
            n5 = rating_daily.n5 + excluded.n5 \
    ), hourly AS ( \
        INSERT INTO rating_hours (counter_id, day, hour, n, good) \
        SELECT s.counter_id, s.day, h.hour, COUNT(*), COUNT(*) FILTER (WHERE s.level >= 3 /* RatingLevel::GOOD_FROM */) \
        FROM stored s JOIN (SELECT DISTINCT ON (created_at) created_at, hour FROM input) h \
            ON h.created_at = s.created_at \
        GROUP BY s.counter_id, s.day, h.hour \
        ON CONFLICT (counter_id, day, hour) DO UPDATE SET \
            n = rating_hours.n + excluded.n, good = rating_hours.good + excluded.good \
    ) \
    SELECT hall_id, day, ticket FROM stored WHERE ticket IS NOT NULL";

/// Stores the rows `to_insert` of a batch with `INSERT_RATINGS_POSTGRES` and marks those
/// whose ticket was used before as refused.
async fn insert_ratings_postgres(
    conn: &mut sqlx::PgConnection,
    rows: &[RatingRow],
    to_insert: &[usize],
    outcomes: &mut [InsertOutcome],
) -> Result<(), StoreError> {
    if to_insert.is_empty() {
        return Ok(());
    }
    let column =
        |f: fn(&RatingRow) -> i64| to_insert.iter().map(|&i| f(&rows[i])).collect::<Vec<i64>>();
    let text = |f: fn(&RatingRow) -> Option<&str>| {
        to_insert
            .iter()
            .map(|&i| f(&rows[i]))
            .collect::<Vec<Option<&str>>>()
    };
    let stored: Vec<(i64, String, String)> = sqlx::query_as(INSERT_RATINGS_POSTGRES)
        .bind(column(|r| r.counter_id))
        .bind(column(|r| r.hall_id))
        .bind(column(|r| r.level))
        .bind(column(|r| r.tags))
        .bind(text(|r| r.comment.as_deref()))
        .bind(text(|r| r.ticket.as_deref()))
        .bind(column(|r| r.created_at_ms))
        .bind(text(|r| Some(r.local_day.as_str())))
        .bind(column(|r| i64::from(r.local_hour.min(23))))
        .bind(text(|r| r.hold.map(HoldReason::as_str)))
        .fetch_all(conn)
        .await?;
    let stored: HashSet<(i64, &str, &str)> = stored
        .iter()
        .map(|(hall, day, ticket)| (*hall, day.as_str(), ticket.as_str()))
        .collect();
    for &i in to_insert {
        let r = &rows[i];
        if let Some(ticket) = &r.ticket
            && !stored.contains(&(r.hall_id, r.local_day.as_str(), ticket.as_str()))
        {
            outcomes[i] = InsertOutcome::DuplicateTicket;
        }
    }
    Ok(())
}
