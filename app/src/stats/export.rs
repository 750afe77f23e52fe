//! Open data: the ratings behind the statistics, one row per office day and counter, for
//! the same filters as the page. Codes only: no names of people, no comments, no tickets.
//! A download is cut into month-sized chunks (the whole centre's: days, each kept rendered
//! by the server once over) read one after the other, so a ten-year range streams in
//! bounded memory. Its ETag changes only when the published numbers can: a new day, an
//! appeal upheld or a rating held or released, ratings loaded for past days (`Store::rating_fingerprints`).

use super::service::{Query, StatsError, StatsService};
use super::StatsFilter;
use crate::store::{DayCount, StatsScope, StoreError};
use chrono::{Days, NaiveDate};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The columns, in order; documented in docs/CONFIGURATION.md ("Open data").
pub const COLUMNS: [&str; 12] = [
    "date",
    "hall",
    "department",
    "counter",
    "ratings",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
    "excluded_by_appeal",
    "held_for_review",
];

/// Days per chunk read from the database.
const CHUNK_DAYS: u64 = 31;

/// One row of the open data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    pub date: String,
    pub hall: String,
    pub department: String,
    pub counter: String,
    /// Counted ratings (upheld appeals and held ratings taken out).
    pub ratings: u64,
    /// The same by level, `levels[0]` is level 1; `None` (blank, or null in JSON) for a day
    /// with fewer ratings than a rate is shown for (`LevelCounts::published`).
    pub levels: Option<[u64; 5]>,
    /// Ratings left out by an upheld appeal.
    pub excluded: u64,
    /// Ratings held for review and not released (waiting, or rejected).
    pub held: u64,
}

impl ExportRow {
    pub fn ratings(&self) -> u64 {
        self.ratings
    }

    /// A CSV line (codes never hold commas or quotes: they are checked on entry).
    pub fn csv(&self) -> String {
        let levels = match self.levels {
            Some([l1, l2, l3, l4, l5]) => format!("{l1},{l2},{l3},{l4},{l5}"),
            None => ",,,,".to_string(),
        };
        format!(
            "{},{},{},{},{},{levels},{},{}\r\n",
            self.date,
            csv_field(&self.hall),
            csv_field(&self.department),
            csv_field(&self.counter),
            self.ratings,
            self.excluded,
            self.held
        )
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "date": self.date,
            "hall": self.hall,
            "department": self.department,
            "counter": self.counter,
            "ratings": self.ratings,
            "level_1": self.levels.map(|l| l[0]),
            "level_2": self.levels.map(|l| l[1]),
            "level_3": self.levels.map(|l| l[2]),
            "level_4": self.levels.map(|l| l[3]),
            "level_5": self.levels.map(|l| l[4]),
            "excluded_by_appeal": self.excluded,
            "held_for_review": self.held,
        })
    }
}

/// A field quoted if it needs to be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// What a download will hold, decided before the first byte is sent.
pub struct ExportPlan {
    pub filter: StatsFilter,
    pub etag: String,
    /// The days the download covers (`YYYY-MM-DD`), for its file name.
    pub first: String,
    pub last: String,
    scope: StatsScope,
    counted: Option<(NaiveDate, NaiveDate)>,
    chunks: Vec<(NaiveDate, NaiveDate)>,
    /// Counter id → (hall, department, counter) codes.
    codes: HashMap<i64, (String, String, String)>,
    /// Names what a day's rows depend on besides the day's counts: the upheld appeals and
    /// the codes of every counter. A day rendered under another version is stale.
    rows_version: String,
    /// Rating totals of the days counted, per month or per day (`Store::rating_fingerprints`).
    fingerprints: HashMap<String, i64>,
}

impl ExportPlan {
    pub fn chunks(&self) -> usize {
        self.chunks.len()
    }

    /// The whole centre's downloads are read a day at a time, so that each day, once over,
    /// can be kept rendered (the server's `DayPieces`); narrower ones a month at a time.
    pub fn by_day(&self) -> bool {
        matches!(self.scope, StatsScope::Centre)
    }

    /// The days counted, oldest first.
    pub fn days(&self) -> Vec<NaiveDate> {
        match self.counted {
            Some((first, last)) => first.iter_days().take_while(|d| *d <= last).collect(),
            None => Vec::new(),
        }
    }

    /// See `rows_version`: hex, safe as a folder name.
    pub fn rows_version(&self) -> &str {
        &self.rows_version
    }

    /// What a day's rows are, as far as counts go: the total of its month once the month is
    /// over (built by the roll-up or not), or of the day itself in the month under way.
    /// Safe in a file name.
    pub fn day_key(&self, day: NaiveDate) -> String {
        let day = day.format("%Y-%m-%d").to_string();
        match self.fingerprints.get(&day) {
            Some(total) => format!("d{total}"),
            None => match self.fingerprints.get(&day[..7]) {
                Some(total) => format!("m{total}"),
                None => "0".to_string(),
            },
        }
    }
}

impl StatsService {
    /// Parses the filter and works out the ETag; the rows come chunk by chunk.
    pub async fn export_plan(
        &self,
        filter: &StatsFilter,
    ) -> Result<ExportPlan, StatsError> {
        let licence = self.licence();
        let places = self.places().await?;
        let query: Query = self.parse(filter, &places)?;
        let mut chunks = Vec::new();
        if let Some((first, last)) = query.counted {
            let mut start = first;
            while start <= last {
                let end = (start + Days::new(CHUNK_DAYS - 1)).min(last);
                chunks.push((start, end));
                start = end + Days::new(1);
            }
        }
        let version = self.store().stats_version().await?;
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let this_month = self.office().today().format("%Y-%m").to_string();
        let fingerprints = match query.counted {
            Some((first, last)) => {
                self.store().rating_fingerprints(&day(first), &day(last), &this_month).await?
            }
            None => Vec::new(),
        };
        // The ETag hashes month sums: the same before and after a month is built.
        let mut months: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        for (key, total) in &fingerprints {
            *months.entry(key[..key.len().min(7)].to_string()).or_default() += total;
        }
        let filter = query.filter();
        // The numbers change only with the days counted, the ratings in them (loaded for
        // past days: totals only grow), appeals upheld, or the licence.
        let etag = {
            let mut hash = Sha256::new();
            hash.update(filter.query().as_bytes());
            hash.update(format!("|{:?}|{:?}|{licence}|{months:?}", query.counted, version).as_bytes());
            format!("\"{}\"", hex::encode(&hash.finalize()[..12]))
        };
        let codes: HashMap<i64, (String, String, String)> = places
            .counters
            .iter()
            .map(|c| {
                (
                    c.id,
                    (c.hall_code.clone(), c.department_code.clone(), c.code.clone()),
                )
            })
            .collect();
        let rows_version = {
            let mut ids: Vec<_> = codes.iter().collect();
            ids.sort_unstable_by_key(|(id, _)| **id);
            let mut hash = Sha256::new();
            hash.update(format!("rows 2|{version:?}").as_bytes());
            for (id, (hall, department, counter)) in ids {
                hash.update(format!("|{id},{hall},{department},{counter}").as_bytes());
            }
            hex::encode(&hash.finalize()[..12])
        };
        Ok(ExportPlan {
            filter,
            etag,
            first: day(query.period.first),
            last: day(query.counted.map(|(_, last)| last).unwrap_or(query.period.last)),
            scope: query.scope,
            counted: query.counted,
            chunks,
            codes,
            rows_version,
            fingerprints: fingerprints.into_iter().collect(),
        })
    }

    /// The plan of the whole centre's last `days` days: what a server renders ahead.
    pub async fn recent_days_plan(&self, days: u64) -> Result<ExportPlan, StatsError> {
        let today = self.office().today();
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let filter = StatsFilter {
            period: "custom".into(),
            from: day(today - Days::new(days)),
            to: day(today - Days::new(1)),
            ..StatsFilter::default()
        };
        self.export_plan(&filter).await
    }

    /// Whether a day's rows can no longer change but by an appeal or a code: it ended a
    /// minute ago or more (a rating sent at midnight is committed by then).
    pub fn day_is_settled(&self, day: NaiveDate) -> bool {
        let next = crate::clock::office_day_start_ms(self.office().time_zone(), day + Days::new(1));
        self.office().clock().now_ms() >= next + 60_000
    }

    /// The rows of one day of a plan, by counter.
    pub async fn export_day(
        &self,
        plan: &ExportPlan,
        day: NaiveDate,
    ) -> Result<Vec<ExportRow>, StoreError> {
        self.export_rows(plan, day, day).await
    }

    /// The rows of chunk `index` of a plan, by day then counter.
    pub async fn export_chunk(
        &self,
        plan: &ExportPlan,
        index: usize,
    ) -> Result<Vec<ExportRow>, StoreError> {
        let Some(&(first, last)) = plan.chunks.get(index) else {
            return Ok(Vec::new());
        };
        self.export_rows(plan, first, last).await
    }

    async fn export_rows(
        &self,
        plan: &ExportPlan,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<ExportRow>, StoreError> {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let (first, last) = (day(first), day(last));
        let days: Vec<DayCount> = self.store().rating_days(&first, &last, plan.scope).await?;
        // Per counter and day: ratings left out by level, and which of them are held.
        let mut upheld: HashMap<(i64, String), [u64; 5]> = HashMap::new();
        let mut held: HashMap<(i64, String), [u64; 5]> = HashMap::new();
        for (counter_id, day, level, is_held, n) in
            self.store().left_out_between(&first, &last, plan.scope).await?
        {
            let slot = (level.clamp(1, 5) - 1) as usize;
            upheld.entry((counter_id, day.clone())).or_default()[slot] += n.max(0) as u64;
            if is_held == 1 {
                held.entry((counter_id, day)).or_default()[slot] += n.max(0) as u64;
            }
        }
        Ok(days
            .into_iter()
            .map(|d| {
                let out = upheld.get(&(d.counter_id, d.day.clone())).copied().unwrap_or_default();
                let held_out = held.get(&(d.counter_id, d.day.clone())).copied().unwrap_or_default();
                let mut levels = [0u64; 5];
                let (mut excluded, mut held) = (0, 0);
                for i in 0..5 {
                    let stored = d.levels[i].max(0) as u64;
                    let taken = out[i].min(stored);
                    levels[i] = stored - taken;
                    let taken_held = held_out[i].min(taken);
                    held += taken_held;
                    excluded += taken - taken_held;
                }
                let (hall, department, counter) =
                    plan.codes.get(&d.counter_id).cloned().unwrap_or_default();
                let counts = crate::domain::rating::LevelCounts { levels };
                ExportRow {
                    date: d.day,
                    hall,
                    department,
                    counter,
                    ratings: counts.count(),
                    levels: counts.published(),
                    excluded,
                    held,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_codes_and_counts_in_the_documented_order() {
        let row = ExportRow {
            date: "2026-03-02".into(),
            hall: "H1".into(),
            department: "SOC".into(),
            counter: "A01".into(),
            ratings: 10,
            levels: Some([1, 0, 2, 3, 4]),
            excluded: 1,
            held: 7,
        };
        assert_eq!(row.csv(), "2026-03-02,H1,SOC,A01,10,1,0,2,3,4,1,7\r\n");
        // A day with too few ratings to publish its levels: the count alone.
        let few = ExportRow { ratings: 2, levels: None, ..row.clone() };
        assert_eq!(few.csv(), "2026-03-02,H1,SOC,A01,2,,,,,,1,7\r\n");
        assert!(few.json()["level_1"].is_null() && few.json()["ratings"] == 2);
        let json = row.json();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        for column in COLUMNS {
            assert!(keys.contains(&column), "{column} in the JSON row");
        }
        assert_eq!(json["ratings"], 10);
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }
}
