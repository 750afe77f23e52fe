//! What the statistics read: the per-day and per-hour rating counts (never the ratings
//! themselves), upheld appeals, and one fact row per case of a period.

use super::{Store, StoreError, on_pool};
use super::BeginWrite;

/// Which counters (and cases) a statistic covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatsScope {
    Centre,
    Hall(i64),
    Department(i64),
    Counter(i64),
}

impl StatsScope {
    /// A condition on a `counter_id` column, with its parameter as `$3`.
    fn counters(self) -> String {
        self.counters_as("$3")
    }

    /// A condition on a `counter_id` column, with its parameter as `param`.
    fn counters_as(self, param: &str) -> String {
        self.counters_in("counter_id", param)
    }

    /// A condition on `column` (a counter's id): the scope's counters, its id as `param`.
    fn counters_in(self, column: &str, param: &str) -> String {
        match self {
            StatsScope::Centre => format!("{param} = 0"),
            StatsScope::Hall(_) => {
                format!("{column} IN (SELECT id FROM counters WHERE hall_id = {param})")
            }
            StatsScope::Department(_) => {
                format!("{column} IN (SELECT id FROM counters WHERE department_id = {param})")
            }
            StatsScope::Counter(_) => format!("{column} = {param}"),
        }
    }

    fn id(self) -> i64 {
        match self {
            StatsScope::Centre => 0,
            StatsScope::Hall(id) | StatsScope::Department(id) | StatsScope::Counter(id) => id,
        }
    }
}

/// A range of office days as the statistics read it: the whole months inside it from the
/// monthly tables, the days before and after them from the daily ones. An empty range is
/// `("9", "0")` (no day is both at least "9" and at most "0").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySpan {
    /// The days (YYYY-MM-DD) before and after the whole months.
    pub days: [(String, String); 2],
    /// The whole months (YYYY-MM), first and last.
    pub months: (String, String),
}

impl DaySpan {
    pub fn none() -> (String, String) {
        ("9".to_string(), "0".to_string())
    }
}

/// The rows of a span: `select` from `daily` over each of its two ranges of days (`$1`–`$4`)
/// and `month_select` from `monthly` over its months (`$5`, `$6`), where `condition`. Three
/// parts, not an `OR`: each part then seeks its rows by key.
fn span_union(select: &str, daily: &str, month_select: &str, monthly: &str, condition: &str) -> String {
    format!(
        "SELECT {select} FROM {daily} WHERE day >= $1 AND day <= $2 AND {condition} \
         UNION ALL SELECT {select} FROM {daily} WHERE day >= $3 AND day <= $4 AND {condition} \
         UNION ALL SELECT {month_select} FROM {monthly} WHERE month >= $5 AND month <= $6 AND {condition}"
    )
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
    pub hall_id: Option<i64>,
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
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    Option<String>,
);

/// The facts of every case filed in `[$1, $2)`, with the times of the steps the
/// statistics judge: one pass over their events (a join grouped by case), not one look-up
/// per fact and case.
const CASE_FACTS: &str = "SELECT c.kind, c.category, c.hall_id, c.counter_id, c.department_id, c.created_at, \
     MIN(CASE WHEN e.kind IN ('accept', 'reject') THEN e.at END), \
     MIN(CASE WHEN e.kind IN ('reply', 'mark_replied') THEN e.at END), \
     MIN(CASE WHEN e.kind = 'follow_up' THEN e.at END), \
     CASE WHEN c.status = 'closed' THEN MAX(CASE WHEN e.to_status = 'closed' THEN e.at END) END, \
     COUNT(CASE WHEN e.kind = 'unsatisfied' THEN 1 END), \
     (SELECT f.finding FROM findings f WHERE f.case_id = c.id ORDER BY f.id DESC LIMIT 1) \
     FROM cases c LEFT JOIN case_events e ON e.case_id = c.id \
     WHERE c.created_at >= $1 AND c.created_at < $2 \
     GROUP BY c.id, c.kind, c.category, c.hall_id, c.counter_id, c.department_id, c.created_at, c.status";

fn fact_row(t: FactTuple) -> CaseFactRow {
    CaseFactRow {
        kind: t.0,
        category: t.1,
        hall_id: t.2,
        counter_id: t.3,
        department_id: t.4,
        created_at: t.5,
        accepted_at: t.6,
        replied_at: t.7,
        followed_up_at: t.8,
        closed_at: t.9,
        reopened: t.10 > 0,
        finding: t.11,
    }
}

/// The roll-up's columns of counts, in the order of `CaseCounts::columns`.
pub const ROLLUP_COLUMNS: [&str; 24] = [
    "complaints", "cat_1", "cat_2", "cat_3", "cat_4", "cat_5", "cat_6", "cat_7", "cat_8",
    "cat_9", "cat_10", "cat_11", "cat_12", "accepted_on_time", "accept_counted",
    "replied_on_time", "reply_counted", "reopened", "replied", "substantiated", "found",
    "followed_up_on_time", "follow_up_counted", "closed",
];

/// One row of counts, as stored.
pub type RollupCounts = [i64; 24];

/// The unit a roll-up row is kept for: (level, unit id).
impl StatsScope {
    pub fn rollup_key(self) -> (i64, i64) {
        match self {
            StatsScope::Centre => (0, 0),
            StatsScope::Hall(id) => (1, id),
            StatsScope::Department(id) => (2, id),
            StatsScope::Counter(id) => (3, id),
        }
    }
}

/// The level of the units a breakdown lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitLevel {
    Department,
    Counter,
}

impl UnitLevel {
    fn code(self) -> i64 {
        match self {
            UnitLevel::Department => 2,
            UnitLevel::Counter => 3,
        }
    }
}

/// A day's roll-up, as computed from its cases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayRollup {
    /// Counts per unit.
    pub units: Vec<(StatsScope, RollupCounts)>,
    /// Closed cases per unit and working days to close: (unit, days, how many).
    pub close: Vec<(StatsScope, i64, i64)>,
    /// The next day these numbers change by themselves (YYYY-MM-DD).
    pub changes_on: Option<String>,
}

/// What the roll-up has done so far, for deciding which days to do again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RollupState {
    /// When the first case was filed.
    pub first_case_at: Option<i64>,
    /// Each rolled day: (day, rolled_on, changes_on, rules).
    pub days: Vec<(String, String, Option<String>, String)>,
    /// When the cases changed since their day was rolled were filed (before today).
    pub changed_cases_filed_at: Vec<i64>,
}

impl Store {
    /// Runs `sql` over a span: `$1`–`$6` as `span_union` reads them, `$7` the scope's id.
    async fn over_span<T>(&self, sql: &str, span: &DaySpan, scope: StatsScope) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        let texts = [
            &span.days[0].0,
            &span.days[0].1,
            &span.days[1].0,
            &span.days[1].1,
            &span.months.0,
            &span.months.1,
        ];
        self.fetch_with(sql, &texts.map(String::as_str), scope).await
    }

    /// Runs `sql` with `texts` as its first parameters and the scope's id after them.
    async fn fetch_with<T>(&self, sql: &str, texts: &[&str], scope: StatsScope) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        Ok(on_pool!(self, |pool| {
            let mut query = sqlx::query_as(sql);
            for text in texts {
                query = query.bind(*text);
            }
            query.bind(scope.id()).fetch_all(pool).await
        })?)
    }

    /// The weekday (0 Sunday … 6 Saturday) of a `YYYY-MM-DD` column: the one expression
    /// the two backends spell differently.
    fn weekday_of(&self, column: &str) -> String {
        match self.backend() {
            super::Backend::Sqlite => format!("CAST(strftime('%w', {column}) AS BIGINT)"),
            super::Backend::Postgres => {
                format!("CAST(EXTRACT(DOW FROM CAST({column} AS DATE)) AS BIGINT)")
            }
        }
    }

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
        self.fetch_with(sql, &[first, last], scope).await
    }

    /// Rating counts per counter over a span, summed.
    pub async fn rating_totals(
        &self,
        span: &DaySpan,
        scope: StatsScope,
    ) -> Result<Vec<(i64, [i64; 5])>, StoreError> {
        let counters = scope.counters_as("$7");
        let sql = format!(
            "SELECT counter_id, CAST(SUM(n1) AS BIGINT), CAST(SUM(n2) AS BIGINT), \
             CAST(SUM(n3) AS BIGINT), CAST(SUM(n4) AS BIGINT), CAST(SUM(n5) AS BIGINT) FROM ({}) t \
             GROUP BY counter_id",
            span_union(
                "counter_id, n1, n2, n3, n4, n5",
                "rating_daily",
                "counter_id, n1, n2, n3, n4, n5",
                "rating_months",
                &counters
            )
        );
        let rows: Vec<(i64, i64, i64, i64, i64, i64)> = self.over_span(&sql, span, scope).await?;
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

    /// Ratings of `first..=last` left out of the statistics: (counter, day, level, held, n),
    /// `held` 1 for held ratings not released, 0 for those taken out by an upheld appeal.
    pub async fn left_out_between(
        &self,
        first: &str,
        last: &str,
        scope: StatsScope,
    ) -> Result<Vec<(i64, String, i64, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT counter_id, day, level, CAST(held AS BIGINT), COUNT(*) FROM ratings_left_out \
             WHERE day >= $1 AND day <= $2 AND {} \
             GROUP BY counter_id, day, level, held",
            scope.counters()
        );
        self.over_days(&sql, first, last, scope).await
    }

    /// Held ratings not released of `first..=last`, per office day and hour: (day, hour, n).
    pub async fn held_hours_between(
        &self,
        first: &str,
        last: &str,
        scope: StatsScope,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT h.day, h.hour, COUNT(*) FROM rating_holds h \
             WHERE h.day >= $1 AND h.day <= $2 AND {} \
               AND NOT EXISTS (SELECT 1 FROM hold_decisions d WHERE d.rating_id = h.rating_id AND d.decision = 'released') \
             GROUP BY h.day, h.hour",
            scope.counters_in("h.counter_id", "$3")
        );
        self.over_days(&sql, first, last, scope).await
    }

    /// Ratings per weekday (0 Sunday … 6 Saturday) and hour over a span: (weekday, hour,
    /// ratings).
    pub async fn rating_hours(
        &self,
        span: &DaySpan,
        scope: StatsScope,
    ) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let counters = scope.counters_as("$7");
        let weekday = self.weekday_of("day");
        // A department's whole months from its own table; the days summed per day and hour
        // before their weekday is worked out (once a group, not once a row).
        let (monthly, month_condition) = match scope {
            StatsScope::Department(_) => ("rating_hour_months_by_department", "department_id = $7".to_string()),
            _ => ("rating_hour_months", counters.clone()),
        };
        let sql = format!(
            "SELECT weekday, hour, CAST(SUM(n) AS BIGINT) FROM ( \
               SELECT {weekday} AS weekday, hour, n FROM ( \
                 SELECT day, hour, SUM(n) AS n FROM rating_hours WHERE day >= $1 AND day <= $2 AND {counters} GROUP BY day, hour \
                 UNION ALL \
                 SELECT day, hour, SUM(n) AS n FROM rating_hours WHERE day >= $3 AND day <= $4 AND {counters} GROUP BY day, hour \
               ) d \
               UNION ALL SELECT weekday, hour, n FROM {monthly} WHERE month >= $5 AND month <= $6 AND {month_condition} \
             ) t GROUP BY weekday, hour"
        );
        self.over_span(&sql, span, scope).await
    }

    /// What the roll-up has done so far; of the changed cases, those filed before
    /// `today_ms` (today's own are rolled up once the day is over).
    pub async fn rollup_state(&self, today_ms: i64) -> Result<RollupState, StoreError> {
        on_pool!(self, |pool| {
            let (first,): (Option<i64>,) = sqlx::query_as("SELECT MIN(created_at) FROM cases")
                .fetch_one(pool)
                .await?;
            let days = sqlx::query_as("SELECT day, rolled_on, changes_on, rules FROM case_rollup_days")
                .fetch_all(pool)
                .await?;
            let changed: Vec<(i64,)> = sqlx::query_as(
                "SELECT DISTINCT c.created_at FROM case_rollup_dirty d JOIN cases c ON c.id = d.case_id \
                 WHERE c.created_at < $1",
            )
            .bind(today_ms)
            .fetch_all(pool)
            .await?;
            Ok(RollupState {
                first_case_at: first,
                days,
                changed_cases_filed_at: changed.into_iter().map(|r| r.0).collect(),
            })
        })
    }

    /// Rolls up the office day `day` (its cases filed in `[from_ms, to_ms)`) in one
    /// transaction: its cases' changed marks are cleared first, then its cases read and
    /// `compute` turns them into the day's rows, which replace the old ones. A case
    /// changed meanwhile is marked again, so its day is rolled up once more. Servers
    /// roll up one at a time (PostgreSQL: an advisory lock; SQLite: the write lock).
    pub async fn roll_up_day<F>(
        &self,
        day: &str,
        from_ms: i64,
        to_ms: i64,
        rolled_on: &str,
        rules: &str,
        compute: F,
    ) -> Result<(), StoreError>
    where
        F: FnOnce(Vec<CaseFactRow>) -> DayRollup,
    {
        let postgres = self.backend() == super::Backend::Postgres;
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(7264931)")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "DELETE FROM case_rollup_dirty WHERE case_id IN \
                 (SELECT id FROM cases WHERE created_at >= $1 AND created_at < $2)",
            )
            .bind(from_ms)
            .bind(to_ms)
            .execute(&mut *tx)
            .await?;
            let facts: Vec<FactTuple> = sqlx::query_as(CASE_FACTS)
                .bind(from_ms)
                .bind(to_ms)
                .fetch_all(&mut *tx)
                .await?;
            let rollup = compute(facts.into_iter().map(fact_row).collect());
            for table in ["case_rollup", "case_rollup_close"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE day = $1"))
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in rollup.units.chunks(500) {
                let mut insert = sqlx::QueryBuilder::new(format!(
                    "INSERT INTO case_rollup (level, unit_id, day, {}) ",
                    ROLLUP_COLUMNS.join(", ")
                ));
                insert.push_values(chunk, |mut b, (unit, counts)| {
                    let (level, id) = unit.rollup_key();
                    b.push_bind(level).push_bind(id).push_bind(day);
                    for n in counts {
                        b.push_bind(*n);
                    }
                });
                insert.build().execute(&mut *tx).await?;
            }
            for chunk in rollup.close.chunks(2000) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO case_rollup_close (level, unit_id, day, days, n) ",
                );
                insert.push_values(chunk, |mut b, (unit, days, n)| {
                    let (level, id) = unit.rollup_key();
                    b.push_bind(level)
                        .push_bind(id)
                        .push_bind(day)
                        .push_bind(*days)
                        .push_bind(*n);
                });
                insert.build().execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO case_rollup_days (day, rolled_on, changes_on, rules) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (day) DO UPDATE SET rolled_on = $2, changes_on = $3, rules = $4",
            )
            .bind(day)
            .bind(rolled_on)
            .bind(rollup.changes_on.as_deref())
            .bind(rules)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn rollup_sums() -> String {
        ROLLUP_COLUMNS
            .iter()
            .map(|c| format!("CAST(SUM({c}) AS BIGINT)"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The rows of `case_rollup` and `case_rollup_months` in a span (`$1`–`$6`) that
    /// `condition` (on `level` and `unit_id`) keeps, with `columns` first.
    fn rollup_span(columns: &str, condition: &str) -> String {
        let select = format!("{columns} {}", ROLLUP_COLUMNS.join(", "));
        span_union(&select, "case_rollup", &select, "case_rollup_months", condition)
    }

    fn bind_span<'q, DB: sqlx::Database>(
        query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
        span: &'q DaySpan,
    ) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
    where
        String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        query
            .bind(&span.days[0].0)
            .bind(&span.days[0].1)
            .bind(&span.days[1].0)
            .bind(&span.days[1].1)
            .bind(&span.months.0)
            .bind(&span.months.1)
    }

    /// The summed counts of one unit over a span.
    pub async fn rollup_counts(
        &self,
        scope: StatsScope,
        span: &DaySpan,
    ) -> Result<RollupCounts, StoreError> {
        let (level, id) = scope.rollup_key();
        let sql = format!(
            "SELECT {} FROM ({}) t",
            Self::rollup_sums(),
            Self::rollup_span("", "level = $7 AND unit_id = $8")
        );
        on_pool!(self, |pool| {
            let row = Self::bind_span(sqlx::query(&sql), span)
                .bind(level)
                .bind(id)
                .fetch_one(pool)
                .await?;
            let mut counts = [0i64; 24];
            for (i, slot) in counts.iter_mut().enumerate() {
                *slot = sqlx::Row::try_get::<Option<i64>, _>(&row, i)?.unwrap_or(0);
            }
            Ok(counts)
        })
    }

    /// The summed counts of every unit of a level over a span.
    pub async fn rollup_counts_by_unit(
        &self,
        level: UnitLevel,
        span: &DaySpan,
        within: StatsScope,
    ) -> Result<Vec<(i64, RollupCounts)>, StoreError> {
        // Counters' counts within a hall or department: that unit's counters only.
        let within_condition = within.counters_in("unit_id", "$8");
        let sql = format!(
            "SELECT unit_id, {} FROM ({}) t GROUP BY unit_id",
            Self::rollup_sums(),
            Self::rollup_span("unit_id,", &format!("level = $7 AND {within_condition}"))
        );
        on_pool!(self, |pool| {
            let rows = Self::bind_span(sqlx::query(&sql), span)
                .bind(level.code())
                .bind(within.id())
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let mut counts = [0i64; 24];
                for (i, slot) in counts.iter_mut().enumerate() {
                    *slot = sqlx::Row::try_get::<Option<i64>, _>(&row, i + 1)?.unwrap_or(0);
                }
                out.push((sqlx::Row::try_get::<i64, _>(&row, 0)?, counts));
            }
            Ok(out)
        })
    }

    /// The months of ratings changed since they were last built (the current one too).
    pub async fn rating_months_to_build(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT month FROM rating_months_dirty ORDER BY month"
        )
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Rating counts that only ever grow, to tell when something rendered from the days
    /// `first..=last` is stale: the total of each month that is over (`YYYY-MM`), and of
    /// each day of the month still under way, `this_month` (`YYYY-MM-DD`). A month that is
    /// over has the same total whether the roll-up has built it yet (`rating_months`) or not
    /// (its days summed), so what was rendered from it stays good across the build. Counts
    /// only grow, so any rating added changes a total.
    pub async fn rating_fingerprints(
        &self,
        first: &str,
        last: &str,
        this_month: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let changed = self.rating_months_to_build().await?;
        let (first_month, last_month) = (&first[..first.len().min(7)], &last[..last.len().min(7)]);
        let mut out: Vec<(String, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT month, CAST(SUM(n1 + n2 + n3 + n4 + n5) AS BIGINT) FROM rating_months \
             WHERE month >= $1 AND month <= $2 GROUP BY month"
        )
        .bind(first_month)
        .bind(last_month)
        .fetch_all(pool)
        .await)?;
        out.retain(|(month, _)| !changed.contains(month));
        for month in changed.iter().filter(|m| m.as_str() >= first_month && m.as_str() <= last_month) {
            let (from, end) = (format!("{month}-01"), format!("{month}-31"));
            if month.as_str() < this_month {
                // Over: the whole month, as its built row will hold it.
                let total: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(
                    "SELECT CAST(SUM(n1 + n2 + n3 + n4 + n5) AS BIGINT) FROM rating_daily \
                     WHERE day >= $1 AND day <= $2"
                )
                .bind(&from)
                .bind(&end)
                .fetch_one(pool)
                .await)?;
                if let Some(total) = total {
                    out.push((month.clone(), total));
                }
                continue;
            }
            let to = end.min(last.to_string());
            let days: Vec<(String, i64)> = on_pool!(self, |pool| sqlx::query_as(
                "SELECT day, CAST(SUM(n1 + n2 + n3 + n4 + n5) AS BIGINT) FROM rating_daily \
                 WHERE day >= $1 AND day <= $2 GROUP BY day"
            )
            .bind(&from)
            .bind(&to)
            .fetch_all(pool)
            .await)?;
            out.extend(days);
        }
        Ok(out)
    }

    /// Builds a month (`YYYY-MM`, its days `first..=last`) of the monthly rating tables
    /// from the daily ones, in one transaction that first clears its mark (a day changed
    /// meanwhile marks it again).
    pub async fn build_rating_month(&self, month: &str, first: &str, last: &str) -> Result<(), StoreError> {
        let postgres = self.backend() == super::Backend::Postgres;
        let weekday = self.weekday_of("day");
        let hours = format!(
            "INSERT INTO rating_hour_months (month, counter_id, weekday, hour, n, good) \
             SELECT $1, counter_id, {weekday}, hour, SUM(n), SUM(good) FROM rating_hours \
             WHERE day >= $2 AND day <= $3 GROUP BY counter_id, {weekday}, hour"
        );
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(7264932)").execute(&mut *tx).await?;
            }
            for sql in [
                "DELETE FROM rating_months_dirty WHERE month = $1",
                "DELETE FROM rating_months WHERE month = $1",
                "DELETE FROM rating_hour_months WHERE month = $1",
                "DELETE FROM rating_hour_months_by_department WHERE month = $1",
            ] {
                sqlx::query(sql).bind(month).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO rating_months (month, counter_id, n1, n2, n3, n4, n5) \
                 SELECT $1, counter_id, SUM(n1), SUM(n2), SUM(n3), SUM(n4), SUM(n5) FROM rating_daily \
                 WHERE day >= $2 AND day <= $3 GROUP BY counter_id",
            )
            .bind(month)
            .bind(first)
            .bind(last)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&hours).bind(month).bind(first).bind(last).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO rating_hour_months_by_department (department_id, month, weekday, hour, n, good) \
                 SELECT c.department_id, $1, m.weekday, m.hour, SUM(m.n), SUM(m.good) \
                 FROM rating_hour_months m JOIN counters c ON c.id = m.counter_id WHERE m.month = $1 \
                 GROUP BY c.department_id, m.weekday, m.hour",
            )
            .bind(month)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The office day the last complete roll-up was made as of, if any.
    pub async fn rolled_up_as_of(&self) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT as_of FROM rollup_runs WHERE id = 1")
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Notes that a roll-up as of `as_of` is complete.
    pub async fn mark_rolled_up(&self, as_of: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO rollup_runs (id, as_of) VALUES (1, $1) \
                 ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of",
            )
            .bind(as_of)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Builds a month of case roll-ups from its days' roll-ups.
    pub async fn build_case_month(&self, month: &str, first: &str, last: &str) -> Result<(), StoreError> {
        let postgres = self.backend() == super::Backend::Postgres;
        let columns = ROLLUP_COLUMNS.join(", ");
        let sums = ROLLUP_COLUMNS.map(|c| format!("SUM({c})")).join(", ");
        let insert = format!(
            "INSERT INTO case_rollup_months (level, unit_id, month, {columns}) \
             SELECT level, unit_id, $1, {sums} FROM case_rollup \
             WHERE day >= $2 AND day <= $3 GROUP BY level, unit_id"
        );
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(7264931)").execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM case_rollup_months WHERE month = $1")
                .bind(month)
                .execute(&mut *tx)
                .await?;
            sqlx::query(&insert).bind(month).bind(first).bind(last).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// One unit's closed cases over `first..=last` per working days to close.
    pub async fn rollup_close_days(
        &self,
        scope: StatsScope,
        first: &str,
        last: &str,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let (level, id) = scope.rollup_key();
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT days, CAST(SUM(n) AS BIGINT) FROM case_rollup_close \
             WHERE level = $1 AND unit_id = $2 AND day >= $3 AND day <= $4 GROUP BY days"
        )
        .bind(level)
        .bind(id)
        .bind(first)
        .bind(last)
        .fetch_all(pool)
        .await)?)
    }

    /// What changes past days' public numbers: appeals upheld, ratings held and hold
    /// decisions (the upheld count, the newest hold and decision — both tables only grow, so
    /// their largest id is an index seek, not a count — and the last decisions' times).
    /// Ratings only ever land on today, which the statistics leave out.
    pub async fn stats_version(&self) -> Result<(i64, i64), StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT CAST((SELECT COUNT(*) FROM rating_appeals WHERE status = 'upheld') \
                  + (SELECT COALESCE(MAX(id), 0) FROM rating_holds) \
                  + (SELECT COALESCE(MAX(id), 0) FROM hold_decisions) AS BIGINT), \
                    CAST((SELECT COALESCE(MAX(decided_at), 0) FROM rating_appeals WHERE status = 'upheld') \
                  + (SELECT COALESCE(MAX(decided_at), 0) FROM hold_decisions) AS BIGINT)"
        )
        .fetch_one(pool)
        .await)?)
    }
}
