//! What the statistics read: the per-day and per-hour rating counts (never the ratings
//! themselves), upheld appeals, and one fact row per case of a period.

use super::{Store, StoreError, on_pool};

/// Which counters (and cases) a statistic covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsScope {
    Centre,
    Hall(i64),
    Department(i64),
    Counter(i64),
}

impl StatsScope {
    /// A condition on a `counter_id` column, with its parameter as `$3`.
    fn counters(self) -> &'static str {
        match self {
            StatsScope::Centre => "$3 = 0",
            StatsScope::Hall(_) => "counter_id IN (SELECT id FROM counters WHERE hall_id = $3)",
            StatsScope::Department(_) => {
                "counter_id IN (SELECT id FROM counters WHERE department_id = $3)"
            }
            StatsScope::Counter(_) => "counter_id = $3",
        }
    }

    /// A condition on a case row `c`, with its parameter as `$3`.
    fn cases(self) -> &'static str {
        match self {
            StatsScope::Centre => "$3 = 0",
            StatsScope::Hall(_) => "c.hall_id = $3",
            StatsScope::Department(_) => "c.department_id = $3",
            StatsScope::Counter(_) => "c.counter_id = $3",
        }
    }

    fn id(self) -> i64 {
        match self {
            StatsScope::Centre => 0,
            StatsScope::Hall(id) | StatsScope::Department(id) | StatsScope::Counter(id) => id,
        }
    }
}

/// One counter's counts of one day: `levels[0]` is level 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayCount {
    pub day: String,
    pub counter_id: i64,
    pub levels: [i64; 5],
}

/// A case of the period, before its days are worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFactRow {
    pub kind: String,
    pub category: Option<String>,
    pub counter_id: Option<i64>,
    pub department_id: Option<i64>,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub followed_up_at: Option<i64>,
    /// When it was last closed, if it is closed now.
    pub closed_at: Option<i64>,
    pub reopened: bool,
    pub finding: Option<String>,
}

type FactTuple = (
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    Option<String>,
);

impl Store {
    /// Runs `sql` (with `$1`, `$2` the first and last day and `$3` the scope's id).
    async fn over_days<T>(
        &self,
        sql: &str,
        first: &str,
        last: &str,
        scope: StatsScope,
    ) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(first)
            .bind(last)
            .bind(scope.id())
            .fetch_all(pool)
            .await)?)
    }

    /// Rating counts per counter over the office days `first..=last`, summed.
    pub async fn rating_totals(
        &self,
        first: &str,
        last: &str,
        scope: StatsScope,
    ) -> Result<Vec<(i64, [i64; 5])>, StoreError> {
        let sql = format!(
            "SELECT counter_id, CAST(SUM(n1) AS BIGINT), CAST(SUM(n2) AS BIGINT), \
             CAST(SUM(n3) AS BIGINT), CAST(SUM(n4) AS BIGINT), CAST(SUM(n5) AS BIGINT) \
             FROM rating_daily WHERE day >= $1 AND day <= $2 AND {} GROUP BY counter_id",
            scope.counters()
        );
        let rows: Vec<(i64, i64, i64, i64, i64, i64)> =
            self.over_days(&sql, first, last, scope).await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.0, [r.1, r.2, r.3, r.4, r.5]))
            .collect())
    }

    /// The per-day counts of `first..=last`, by day then counter: the open-data rows.
    pub async fn rating_days(
        &self,
        first: &str,
        last: &str,
        scope: StatsScope,
    ) -> Result<Vec<DayCount>, StoreError> {
        let sql = format!(
            "SELECT day, counter_id, n1, n2, n3, n4, n5 FROM rating_daily \
             WHERE day >= $1 AND day <= $2 AND {} ORDER BY day, counter_id",
            scope.counters()
        );
        let rows: Vec<(String, i64, i64, i64, i64, i64, i64)> =
            self.over_days(&sql, first, last, scope).await?;
        Ok(rows
            .into_iter()
            .map(|r| DayCount {
                day: r.0,
                counter_id: r.1,
                levels: [r.2, r.3, r.4, r.5, r.6],
            })
            .collect())
    }

    /// Ratings of `first..=last` taken out by an upheld appeal: (counter, day, level, n).
    pub async fn upheld_between(
        &self,
        first: &str,
        last: &str,
        scope: StatsScope,
    ) -> Result<Vec<(i64, String, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT counter_id, day, level, COUNT(*) FROM rating_appeals \
             WHERE status = 'upheld' AND day >= $1 AND day <= $2 AND {} \
             GROUP BY counter_id, day, level",
            scope.counters()
        );
        self.over_days(&sql, first, last, scope).await
    }

    /// Ratings per office day and hour over `first..=last`: (day, hour, ratings, good).
    pub async fn rating_hours(
        &self,
        first: &str,
        last: &str,
        scope: StatsScope,
    ) -> Result<Vec<(String, i64, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT day, hour, CAST(SUM(n) AS BIGINT), CAST(SUM(good) AS BIGINT) FROM rating_hours \
             WHERE day >= $1 AND day <= $2 AND {} GROUP BY day, hour",
            scope.counters()
        );
        self.over_days(&sql, first, last, scope).await
    }

    /// Every case filed in `[from_ms, to_ms)` within the scope, with the times of the
    /// steps the statistics judge.
    pub async fn case_facts(
        &self,
        from_ms: i64,
        to_ms: i64,
        scope: StatsScope,
    ) -> Result<Vec<CaseFactRow>, StoreError> {
        let sql = format!(
            "SELECT c.kind, c.category, c.counter_id, c.department_id, c.created_at, \
             (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('accept', 'reject')), \
             (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('reply', 'mark_replied')), \
             (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'follow_up'), \
             CASE WHEN c.status = 'closed' THEN \
               (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = c.id AND e.to_status = 'closed') END, \
             (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'unsatisfied'), \
             (SELECT f.finding FROM findings f WHERE f.case_id = c.id ORDER BY f.id DESC LIMIT 1) \
             FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2 AND {}",
            scope.cases()
        );
        let rows: Vec<FactTuple> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(from_ms)
            .bind(to_ms)
            .bind(scope.id())
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|t| CaseFactRow {
                kind: t.0,
                category: t.1,
                counter_id: t.2,
                department_id: t.3,
                created_at: t.4,
                accepted_at: t.5,
                replied_at: t.6,
                followed_up_at: t.7,
                closed_at: t.8,
                reopened: t.9 > 0,
                finding: t.10,
            })
            .collect())
    }

    /// What changes past days' public numbers: appeals upheld (their count and the last
    /// decision). Ratings only ever land on today, which the statistics leave out.
    pub async fn stats_version(&self) -> Result<(i64, i64), StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(MAX(decided_at), 0) AS BIGINT) FROM rating_appeals WHERE status = 'upheld'"
        )
        .fetch_one(pool)
        .await)?)
    }
}
