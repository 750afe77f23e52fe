//! Computes a statistics view from the stored counts: the filter is parsed first (a filter
//! that does not parse is refused with what is wrong), then each number is read from the
//! per-day and per-hour counts and the cases of the period. Today is never counted: a
//! rating published the day it was given could be traced to the person who just left.

use super::metrics::{CaseCounts, CaseMetrics, metrics_of};
use super::rollup::{Rules, day_text, roll_up};
use super::{
    GoodRate, Heatmap, RankLists, RankingView, Rate, StatsFilter, StatsView, UnitLine, UnitOption,
};
use crate::office::Office;
use crate::domain::stats::{UnitScore, Z95, rank, wilson};
use crate::domain::rating::{LevelCounts, MIN_RATINGS_FOR_RATE};
use crate::domain::{Field, FieldErrors, Problem};
use crate::i18n::Localized;
use crate::period::{Period, PeriodError, PeriodKind};
use crate::store::{
    CounterRecord, DaySpan, PlaceRecord, StatsScope, Store, StoreError,
    UnitLevel,
};
use chrono::{Datelike, Days, Months, NaiveDate};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many units each of the red and black lists names.
pub const RANK_LIST_LENGTH: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("invalid filter")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: Field, problem: Problem) -> StatsError {
    StatsError::Invalid(FieldErrors::single(field, problem))
}

/// A filter, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub period: Period,
    pub scope: StatsScope,
    /// The level's URL code and the unit's code.
    pub level: &'static str,
    pub unit: Option<String>,
    pub unit_name: Option<Localized>,
    /// The days counted: the period up to yesterday; `None` when it has not begun yet.
    pub counted: Option<(NaiveDate, NaiveDate)>,
    pub today: NaiveDate,
}

impl Query {
    /// The filter that names this query, defaults filled in.
    pub fn filter(&self) -> StatsFilter {
        filter_of(&self.period, self.level, self.unit.as_deref())
    }
}

fn filter_of(period: &Period, level: &str, unit: Option<&str>) -> StatsFilter {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let custom = period.kind == PeriodKind::Custom;
    StatsFilter {
        period: period.kind.code().to_string(),
        at: if custom { String::new() } else { day(period.first) },
        from: if custom { day(period.first) } else { String::new() },
        to: if custom { day(period.last) } else { String::new() },
        level: if level == "centre" { String::new() } else { level.to_string() },
        unit: unit.unwrap_or_default().to_string(),
    }
}

/// The directory the filters and names come from.
pub struct Places {
    pub halls: Vec<PlaceRecord>,
    pub departments: Vec<PlaceRecord>,
    pub counters: Vec<CounterRecord>,
}

impl Places {
    fn department_id(&self, counter: &CounterRecord) -> Option<i64> {
        self.departments
            .iter()
            .find(|d| d.code == counter.department_code)
            .map(|d| d.id)
    }
}

#[derive(Clone)]
pub struct StatsService {
    store: Store,
    office: Office,
    min_ranked: u64,
    licence: String,
    cache: Arc<Mutex<HashMap<StatsFilter, Cached>>>,
    /// The month's red and black list, shared by every view that ends in that month.
    rankings: Arc<Mutex<HashMap<NaiveDate, CachedRanking>>>,
    /// One roll-up at a time in this server (others wait for it, then find little to do).
    rolling: Arc<tokio::sync::Mutex<()>>,
    /// The office day and time of the last roll-up.
    last_roll: Arc<Mutex<Option<(NaiveDate, Instant)>>>,
}

struct CachedRanking {
    at: Instant,
    today: NaiveDate,
    version: (i64, i64),
    ranking: RankingView,
}

/// A computed view, kept while it can still be right: the same office day, no appeal
/// upheld since, and at most `CACHE_MAX_AGE` old (cases of past days still move on).
struct Cached {
    at: Instant,
    today: NaiveDate,
    version: (i64, i64),
    view: StatsView,
}

const CACHE_MAX_AGE: Duration = Duration::from_secs(60);
/// How often every server brings the roll-ups up to date.
pub const ROLL_EVERY: Duration = Duration::from_secs(30);
const CACHE_MAX_ENTRIES: usize = 512;

fn good_rate(levels: &[u64; 5]) -> Option<GoodRate> {
    let counts = LevelCounts { levels: *levels };
    if !counts.has_rate() {
        return None;
    }
    let (total, good) = (counts.count(), counts.good());
    let (low, high) = wilson(good, total, Z95)?;
    let permille = |x: f64| (x * 1000.0).round() as u32;
    Some(GoodRate {
        permille: ((good * 1000 + total / 2) / total) as u32,
        low_permille: permille(low),
        high_permille: permille(high),
    })
}

impl StatsService {
    /// `min_ranked`: the fewest ratings in a month for a unit to be ranked; `licence`:
    /// the licence line of the open data.
    pub fn new(store: Store, office: Office, min_ranked: u64, licence: String) -> StatsService {
        StatsService {
            store,
            office,
            min_ranked: min_ranked.max(1),
            licence,
            cache: Arc::default(),
            rankings: Arc::default(),
            rolling: Arc::default(),
            last_roll: Arc::default(),
        }
    }

    /// Brings the roll-ups up to date (`rollup.rs`); the days and months made again.
    /// Every server runs it every `ROLL_EVERY`; a view computed when the last one is
    /// older than that, or of another day, runs it first.
    pub async fn roll_up(&self) -> Result<u64, StoreError> {
        let _one_at_a_time = self.rolling.lock().await;
        self.roll_up_now().await
    }

    /// Before a view is computed: a roll-up of another day (or none yet, unless the
    /// database holds one made today) is waited for, as
    /// is one when ratings landed on a month that is over (data loaded for past days: its
    /// monthly counts would be wrong, not merely late); one merely older than `ROLL_EVERY`
    /// is made now unless one is already under way.
    async fn roll_up_if_behind(&self) -> Result<(), StoreError> {
        let today = self.office.today();
        let this_month = today.format("%Y-%m").to_string();
        let past_month_changed = self
            .store
            .rating_months_to_build()
            .await?
            .iter()
            .any(|month| *month < this_month);
        let mut last = *self.last_roll.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none() && self.store.rolled_up_as_of().await?.as_deref() == Some(day_text(today).as_str()) {
            // A server just started, on roll-ups made today (by another server, an earlier
            // run, the data generator): its background roll-up brings them up to date
            // within `ROLL_EVERY`, as at any other time; no view waits for it. Kept as
            // this server's last roll-up, so that views roll up on their own after
            // `ROLL_EVERY` should no background roll-up run.
            last = Some((today, Instant::now()));
            *self.last_roll.lock().unwrap_or_else(|e| e.into_inner()) = last;
        }
        match last {
            Some((day, at)) if day == today && !past_month_changed => {
                if at.elapsed() >= ROLL_EVERY
                    && let Ok(_one_at_a_time) = self.rolling.try_lock()
                {
                    self.roll_up_now().await?;
                }
            }
            _ => {
                self.roll_up().await?;
            }
        }
        Ok(())
    }

    /// Rolls up; the caller holds `rolling`.
    async fn roll_up_now(&self) -> Result<u64, StoreError> {
        let today = self.office.today();
        let done = self.roll_up_days().await?;
        *self.last_roll.lock().unwrap_or_else(|e| e.into_inner()) = Some((today, Instant::now()));
        Ok(done)
    }

    async fn roll_up_days(&self) -> Result<u64, StoreError> {
        let calendar = self.office.calendar();
        let limits = self.office.limits();
        let rules = Rules {
            calendar: &calendar,
            limits: &limits,
            time_zone: self.office.time_zone(),
        };
        roll_up(&self.store, &rules, self.office.today(), &mut |_, _| {}).await
    }

    /// The open data's licence line.
    pub fn licence(&self) -> &str {
        &self.licence
    }

    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    pub(super) fn office(&self) -> &Office {
        &self.office
    }

    pub async fn places(&self) -> Result<Places, StoreError> {
        let (halls, departments, counters) =
            tokio::try_join!(self.store.halls(), self.store.departments(), self.store.all_counters())?;
        Ok(Places { halls, departments, counters })
    }

    /// Parses a filter against today and the directory.
    pub fn parse(&self, filter: &StatsFilter, places: &Places) -> Result<Query, StatsError> {
        let today = self.office.today();
        let period = Period::parse(&filter.period, &filter.at, &filter.from, &filter.to, today)
            .map_err(|e| match e {
                PeriodError::UnknownKind => invalid(Field::Period, Problem::PeriodUnknown),
                PeriodError::BadDate if filter.period.trim() == "custom" => {
                    let field = if Period::parse("day", &filter.from, "", "", today).is_err() {
                        Field::From
                    } else {
                        Field::To
                    };
                    invalid(field, Problem::DateInvalid)
                }
                PeriodError::BadDate => invalid(Field::At, Problem::DateInvalid),
                PeriodError::Backwards => invalid(Field::To, Problem::RangeBackwards),
                PeriodError::TooLong => invalid(Field::To, Problem::RangeTooLong),
            })?;
        // The page's one select sends `unit=counter:A01`; links send `level` and `unit`.
        let (level_code, code) = match filter.unit.trim().split_once(':') {
            Some((level, code))
                if filter.level.trim().is_empty() || filter.level.trim() == level =>
            {
                (level, code.trim())
            }
            Some(_) => return Err(invalid(Field::Unit, Problem::UnitUnknown)),
            None => (filter.level.trim(), filter.unit.trim()),
        };
        let find = |list: &[PlaceRecord]| {
            list.iter()
                .find(|p| p.code.eq_ignore_ascii_case(code))
                .map(|p| (p.id, p.code.clone(), p.name()))
                .ok_or_else(|| invalid(Field::Unit, Problem::UnitUnknown))
        };
        let (level, scope, unit, unit_name) = match level_code {
            "" | "centre" => ("centre", StatsScope::Centre, None, None),
            "hall" => {
                let (id, code, name) = find(&places.halls)?;
                ("hall", StatsScope::Hall(id), Some(code), Some(name))
            }
            "department" => {
                let (id, code, name) = find(&places.departments)?;
                ("department", StatsScope::Department(id), Some(code), Some(name))
            }
            "counter" => {
                let counter = places
                    .counters
                    .iter()
                    .find(|c| c.code.eq_ignore_ascii_case(code))
                    .ok_or_else(|| invalid(Field::Unit, Problem::UnitUnknown))?;
                (
                    "counter",
                    StatsScope::Counter(counter.id),
                    Some(counter.code.clone()),
                    Some(counter.name.clone()),
                )
            }
            _ => return Err(invalid(Field::StatsLevel, Problem::LevelUnknown)),
        };
        let yesterday = today - Days::new(1);
        let counted = (period.first <= yesterday).then(|| (period.first, period.last.min(yesterday)));
        Ok(Query {
            period,
            scope,
            level,
            unit,
            unit_name,
            counted,
            today,
        })
    }

    /// Rating counts per counter over the counted days, with the ratings left out taken
    /// out; and how many were taken out by upheld appeals, and how many are held.
    async fn totals(
        &self,
        counted: Option<(NaiveDate, NaiveDate)>,
        scope: StatsScope,
    ) -> Result<(HashMap<i64, [u64; 5]>, u64, u64), StoreError> {
        let Some((first, last)) = counted else {
            return Ok((HashMap::new(), 0, 0));
        };
        let span = span_of(first, last);
        let (first, last) = (day_text(first), day_text(last));
        let mut totals: HashMap<i64, [u64; 5]> = self
            .store
            .rating_totals(&span, scope)
            .await?
            .into_iter()
            .map(|(id, n)| (id, n.map(|x| x.max(0) as u64)))
            .collect();
        let (mut excluded, mut held_out) = (0, 0);
        for (counter_id, _, level, held, n) in self.store.left_out_between(&first, &last, scope).await? {
            if let Some(slot) = totals
                .get_mut(&counter_id)
                .and_then(|t| t.get_mut((level.clamp(1, 5) - 1) as usize))
            {
                let n = (n.max(0) as u64).min(*slot);
                *slot -= n;
                if held == 1 {
                    held_out += n;
                } else {
                    excluded += n;
                }
            }
        }
        Ok((totals, excluded, held_out))
    }

    /// The case measures of one unit over the counted days, from the roll-ups.
    async fn case_measures(
        &self,
        counted: Option<(NaiveDate, NaiveDate)>,
        scope: StatsScope,
    ) -> Result<CaseMetrics, StoreError> {
        let Some((first, last)) = counted else {
            return Ok(CaseMetrics::default());
        };
        let span = span_of(first, last);
        let (first, last) = (day_text(first), day_text(last));
        let counts = CaseCounts::from_columns(&self.store.rollup_counts(scope, &span).await?);
        let close = self
            .store
            .rollup_close_days(scope, &first, &last)
            .await?
            .into_iter()
            .map(|(days, n)| (days, n.max(0) as u64))
            .collect();
        Ok(metrics_of(&counts, close))
    }

    /// The case counts of every unit of a level within `within` over the counted days.
    async fn unit_counts(
        &self,
        counted: Option<(NaiveDate, NaiveDate)>,
        level: UnitLevel,
        within: StatsScope,
    ) -> Result<HashMap<i64, CaseCounts>, StoreError> {
        let Some((first, last)) = counted else {
            return Ok(HashMap::new());
        };
        Ok(self
            .store
            .rollup_counts_by_unit(level, &span_of(first, last), within)
            .await?
            .into_iter()
            .map(|(id, columns)| (id, CaseCounts::from_columns(&columns)))
            .collect())
    }

    /// The statistics of one filter, from the cache while they cannot have changed.
    pub async fn view(&self, filter: &StatsFilter) -> Result<StatsView, StatsError> {
        let today = self.office.today();
        let version = self.store.stats_version().await?;
        {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(hit) = cache.get(filter)
                && hit.today == today
                && hit.version == version
                && hit.at.elapsed() < CACHE_MAX_AGE
            {
                return Ok(hit.view.clone());
            }
        }
        let view = self.compute(filter, version).await?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_MAX_ENTRIES {
            cache.clear();
        }
        cache.insert(
            filter.clone(),
            Cached {
                at: Instant::now(),
                today,
                version,
                view: view.clone(),
            },
        );
        Ok(view)
    }

    async fn compute(&self, filter: &StatsFilter, version: (i64, i64)) -> Result<StatsView, StatsError> {
        let places = self.places().await?;
        let query = self.parse(filter, &places)?;
        self.roll_up_if_behind().await?;

        // The level below.
        let below = match query.scope {
            StatsScope::Centre => Some(UnitLevel::Department),
            StatsScope::Hall(_) | StatsScope::Department(_) => Some(UnitLevel::Counter),
            StatsScope::Counter(_) => None,
        };
        // The parts read different tables: asked for side by side, so a view waits for
        // its slowest part, not for their sum.
        let (totals, metrics, counts, ranking, heatmap) = tokio::join!(
            self.totals(query.counted, query.scope),
            self.case_measures(query.counted, query.scope),
            async {
                match below {
                    Some(level) => self.unit_counts(query.counted, level, query.scope).await.map(Some),
                    None => Ok(None),
                }
            },
            self.ranking(&query, &places, version),
            async {
                match query.scope {
                    StatsScope::Department(_) | StatsScope::Counter(_) => {
                        self.heatmap(query.counted, query.scope).await.map(Some)
                    }
                    _ => Ok(None),
                }
            },
        );
        let (totals, excluded, held) = totals?;
        let (metrics, ranking, heatmap) = (metrics?, ranking?, heatmap?);
        let mut levels = [0u64; 5];
        for n in totals.values() {
            for (sum, x) in levels.iter_mut().zip(n) {
                *sum += x;
            }
        }
        let mut categories = metrics.by_category.clone();
        categories.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let breakdown = match (below, counts?) {
            (Some(level), Some(counts)) => {
                let name = if level == UnitLevel::Department { "department" } else { "counter" };
                self.unit_lines(name, &places, query.scope, &totals, &counts)
            }
            _ => Vec::new(),
        };

        let previous = query.period.previous();
        let next = next_period(&query.period);
        let yesterday = query.today - Days::new(1);
        let ratings: u64 = levels.iter().sum();
        Ok(StatsView {
            filter: query.filter(),
            first: day_text(query.period.first),
            last: day_text(query.period.last),
            counted_until: query.counted.map(|(_, last)| day_text(last)),
            previous: filter_of(&previous, query.level, query.unit.as_deref()).query(),
            next: (next.first <= yesterday)
                .then(|| filter_of(&next, query.level, query.unit.as_deref()).query()),
            unit_name: query.unit_name.clone(),
            units: unit_options(&places),
            ratings,
            levels: LevelCounts { levels }.published().unwrap_or_default(),
            excluded,
            held,
            good: good_rate(&levels),
            min_ratings_for_rate: MIN_RATINGS_FOR_RATE,
            complaints: metrics.complaints,
            categories,
            accepted_on_time: metrics.accepted_on_time,
            replied_on_time: metrics.replied_on_time,
            median_days_to_close_tenths: metrics
                .median_days_to_close
                .map(|d| (d * 10.0).round() as u32),
            closed: metrics.closed,
            reopened: metrics.reopened,
            substantiated: metrics.substantiated,
            followed_up_on_time: metrics.followed_up_on_time,
            breakdown,
            ranking,
            heatmap,
        })
    }

    /// Each unit of `level` inside `scope`, with its ratings and on-time rate (`cases`:
    /// the case counts of every unit of that level).
    fn unit_lines(
        &self,
        level: &str,
        places: &Places,
        scope: StatsScope,
        totals: &HashMap<i64, [u64; 5]>,
        cases: &HashMap<i64, CaseCounts>,
    ) -> Vec<UnitLine> {
        let in_scope = |c: &CounterRecord| match scope {
            StatsScope::Centre => true,
            StatsScope::Hall(id) => c.hall_id == id,
            StatsScope::Department(id) => places.department_id(c) == Some(id),
            StatsScope::Counter(id) => c.id == id,
        };
        let on_time_of = |id: i64| {
            let m = cases.get(&id).copied().unwrap_or_default();
            Rate {
                done: m.replied_on_time.done + m.followed_up_on_time.done,
                of: m.replied_on_time.of + m.followed_up_on_time.of,
            }
        };
        let sum = |ids: &mut dyn Iterator<Item = i64>| {
            let mut levels = [0u64; 5];
            for id in ids {
                if let Some(n) = totals.get(&id) {
                    for (s, x) in levels.iter_mut().zip(n) {
                        *s += x;
                    }
                }
            }
            levels
        };
        match level {
            "department" => places
                .departments
                .iter()
                .filter_map(|d| {
                    let levels = sum(&mut places
                        .counters
                        .iter()
                        .filter(|c| in_scope(c) && c.department_code == d.code)
                        .map(|c| c.id));
                    let ratings: u64 = levels.iter().sum();
                    Some(UnitLine {
                        level: "department".into(),
                        code: d.code.clone(),
                        name: d.name(),
                        ratings,
                        good_ratings: LevelCounts { levels }.published().map_or(0, |levels| LevelCounts { levels }.good()),
                        good: good_rate(&levels),
                        on_time: on_time_of(d.id),
                    })
                })
                .collect(),
            _ => places
                .counters
                .iter()
                .filter(|c| in_scope(c))
                .filter_map(|c| {
                    let levels = totals.get(&c.id).copied().unwrap_or_default();
                    let ratings: u64 = levels.iter().sum();
                    // A retired counter stays listed only for the days it had ratings.
                    (!c.retired || ratings > 0).then(|| UnitLine {
                        level: "counter".into(),
                        code: c.code.clone(),
                        name: c.name.clone(),
                        ratings,
                        good_ratings: LevelCounts { levels }.published().map_or(0, |levels| LevelCounts { levels }.good()),
                        good: good_rate(&levels),
                        on_time: on_time_of(c.id),
                    })
                })
                .collect(),
        }
    }

    /// The red and black list of the month the period ends in (up to yesterday).
    async fn ranking(
        &self,
        query: &Query,
        places: &Places,
        version: (i64, i64),
    ) -> Result<RankingView, StoreError> {
        let end = query
            .counted
            .map(|(_, last)| last)
            .unwrap_or(query.period.last);
        let month = Period::around(PeriodKind::Month, end);
        {
            let rankings = self.rankings.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(hit) = rankings.get(&month.first)
                && hit.today == query.today
                && hit.version == version
                && hit.at.elapsed() < CACHE_MAX_AGE
            {
                return Ok(hit.ranking.clone());
            }
        }
        let ranking = self.rank_month(query, places, month).await?;
        let mut rankings = self.rankings.lock().unwrap_or_else(|e| e.into_inner());
        if rankings.len() >= CACHE_MAX_ENTRIES {
            rankings.clear();
        }
        rankings.insert(
            month.first,
            CachedRanking {
                at: Instant::now(),
                today: query.today,
                version,
                ranking: ranking.clone(),
            },
        );
        Ok(ranking)
    }

    async fn rank_month(
        &self,
        query: &Query,
        places: &Places,
        month: Period,
    ) -> Result<RankingView, StoreError> {
        let yesterday = query.today - Days::new(1);
        let counted = (month.first <= yesterday).then(|| (month.first, month.last.min(yesterday)));
        let (totals, by_department, by_counter) = tokio::join!(
            self.totals(counted, StatsScope::Centre),
            self.unit_counts(counted, UnitLevel::Department, StatsScope::Centre),
            self.unit_counts(counted, UnitLevel::Counter, StatsScope::Centre),
        );
        let ((totals, _, _), by_department, by_counter) = (totals?, by_department?, by_counter?);
        let [departments, counters] = [("department", by_department), ("counter", by_counter)]
            .map(|(level, cases)| {
                let lines = self.unit_lines(level, places, StatsScope::Centre, &totals, &cases);
                self.rank_lists(lines)
            });
        Ok(RankingView {
            month: format!("{:04}-{:02}", month.first.year(), month.first.month()),
            min_ratings: self.min_ranked,
            departments,
            counters,
        })
    }

    fn rank_lists(&self, lines: Vec<UnitLine>) -> RankLists {
        let scores: Vec<UnitScore> = lines
            .iter()
            .enumerate()
            .map(|(i, line)| UnitScore {
                id: i as i64,
                good: line.good_ratings,
                ratings: line.ratings,
                on_time: line.on_time.done,
                due: line.on_time.of,
            })
            .collect();
        let ranking = rank(scores, self.min_ranked);
        let line = |u: &UnitScore| lines[u.id as usize].clone();
        RankLists {
            red: ranking.red(RANK_LIST_LENGTH).iter().map(line).collect(),
            black: ranking.black(RANK_LIST_LENGTH).into_iter().map(line).collect(),
            too_few: ranking.too_few.iter().map(line).collect(),
        }
    }

    async fn heatmap(
        &self,
        counted: Option<(NaiveDate, NaiveDate)>,
        scope: StatsScope,
    ) -> Result<Heatmap, StoreError> {
        let (rows, held) = match counted {
            Some((first, last)) => (
                self.store.rating_hours(&span_of(first, last), scope).await?,
                self.store.held_hours_between(&day_text(first), &day_text(last), scope).await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        // Held ratings not released are left out here too (from Monday, as drawn).
        let mut held_out: HashMap<(usize, u8), u64> = HashMap::new();
        for (day, hour, n) in held {
            if let Ok(date) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                let key = (date.weekday().num_days_from_monday() as usize, hour.clamp(0, 23) as u8);
                *held_out.entry(key).or_default() += n.max(0) as u64;
            }
        }
        // Stored from Sunday (0); drawn from Monday.
        let cells: Vec<(usize, u8, u64)> = rows
            .into_iter()
            .map(|(weekday, hour, n)| {
                let key = (((weekday.clamp(0, 6) + 6) % 7) as usize, hour.clamp(0, 23) as u8);
                let out = held_out.get(&key).copied().unwrap_or(0);
                (key.0, key.1, (n.max(0) as u64).saturating_sub(out))
            })
            .collect();
        Ok(heatmap_of(&cells))
    }
}

/// Bins (weekday from Monday, hour, ratings) into a grid covering at least 8:00 to 17:59.
pub fn heatmap_of(cells: &[(usize, u8, u64)]) -> Heatmap {
    let used = cells.iter().filter(|c| c.2 > 0);
    let first_hour = used.clone().map(|c| c.1).min().unwrap_or(8).min(8);
    let last_hour = used.map(|c| c.1).max().unwrap_or(17).max(17);
    let width = usize::from(last_hour - first_hour) + 1;
    let mut grid = vec![vec![0u64; width]; 7];
    for &(weekday, hour, n) in cells {
        if weekday < 7 && hour >= first_hour && hour <= last_hour {
            grid[weekday][usize::from(hour - first_hour)] += n;
        }
    }
    let max = grid.iter().flatten().copied().max().unwrap_or(0);
    Heatmap {
        first_hour,
        last_hour,
        cells: grid,
        max,
    }
}

/// The period of the same kind just after this one.
fn next_period(period: &Period) -> Period {
    match period.kind {
        PeriodKind::Custom => {
            let length = period.days() as u64;
            Period {
                kind: PeriodKind::Custom,
                first: period.last + Days::new(1),
                last: period.last + Days::new(length),
            }
        }
        kind => Period::around(kind, period.last + Days::new(1)),
    }
}

pub fn unit_options(places: &Places) -> Vec<UnitOption> {
    let halls = places.halls.iter().map(|h| UnitOption {
        level: "hall".into(),
        code: h.code.clone(),
        name: h.name(),
    });
    let departments = places.departments.iter().map(|d| UnitOption {
        level: "department".into(),
        code: d.code.clone(),
        name: d.name(),
    });
    let counters = places.counters.iter().map(|c| UnitOption {
        level: "counter".into(),
        code: c.code.clone(),
        name: c.name.clone(),
    });
    halls.chain(departments).chain(counters).collect()
}

/// The whole months inside `first..=last` and the days around them. Only months that
/// are over are built, and a counted range ends yesterday at the latest, so every whole
/// month inside it is over.
pub fn span_of(first: NaiveDate, last: NaiveDate) -> DaySpan {
    let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let next_month = |d: NaiveDate| month_start(d).checked_add_months(Months::new(1)).unwrap_or(d);
    // The first whole month starts at `first` if it is a 1st, else the month after.
    let whole_from = if first.day() == 1 { first } else { next_month(first) };
    // The last whole month ends at `last` if tomorrow is a 1st, else the month before.
    let whole_to = if last.succ_opt().is_some_and(|d| d.day() == 1) {
        month_start(last)
    } else {
        month_start(last).checked_sub_months(Months::new(1)).unwrap_or(last)
    };
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    if whole_from > whole_to {
        return DaySpan {
            days: [(day_text(first), day_text(last)), DaySpan::none()],
            months: DaySpan::none(),
        };
    }
    let before = (first < whole_from).then(|| (day_text(first), day_text(whole_from.pred_opt().unwrap_or(first))));
    let after_start = next_month(whole_to);
    let after = (after_start <= last).then(|| (day_text(after_start), day_text(last)));
    DaySpan {
        days: [before.unwrap_or_else(DaySpan::none), after.unwrap_or_else(DaySpan::none)],
        months: (month(whole_from), month(whole_to)),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heatmap_covers_office_hours_and_stretches_for_early_or_late_ratings() {
        let map = heatmap_of(&[(0, 9, 3), (0, 9, 2), (4, 16, 1)]);
        assert_eq!((map.first_hour, map.last_hour), (8, 17));
        assert_eq!(map.cells.len(), 7);
        assert_eq!(map.cells[0][1], 5, "Monday 9:00");
        assert_eq!(map.cells[4][8], 1, "Friday 16:00");
        assert_eq!(map.max, 5);
        let early = heatmap_of(&[(2, 7, 1), (6, 19, 4)]);
        assert_eq!((early.first_hour, early.last_hour), (7, 19));
        assert_eq!(early.cells[6][12], 4);
        let empty = heatmap_of(&[]);
        assert_eq!((empty.first_hour, empty.last_hour, empty.max), (8, 17, 0));
    }

    #[test]
    fn a_span_reads_whole_months_and_the_days_around_them() {
        let d = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
        let none = DaySpan::none();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        // A year to yesterday: five days of November, December to October, 25 days.
        assert_eq!(
            span_of(d("2025-11-26"), d("2026-11-25")),
            DaySpan {
                days: [pair("2025-11-26", "2025-11-30"), pair("2026-11-01", "2026-11-25")],
                months: pair("2025-12", "2026-10"),
            }
        );
        // One whole month; a whole quarter.
        assert_eq!(
            span_of(d("2026-02-01"), d("2026-02-28")),
            DaySpan { days: [none.clone(), none.clone()], months: pair("2026-02", "2026-02") }
        );
        assert_eq!(
            span_of(d("2026-01-01"), d("2026-03-31")).months,
            pair("2026-01", "2026-03")
        );
        // Inside one month, or across two without a whole one: days only.
        assert_eq!(
            span_of(d("2026-03-02"), d("2026-03-08")),
            DaySpan { days: [pair("2026-03-02", "2026-03-08"), none.clone()], months: none.clone() }
        );
        assert_eq!(
            span_of(d("2026-03-20"), d("2026-04-10")),
            DaySpan { days: [pair("2026-03-20", "2026-04-10"), none.clone()], months: none }
        );
    }

    #[test]
    fn a_good_rate_is_published_from_ten_ratings_with_its_interval() {
        assert_eq!(good_rate(&[1, 0, 0, 0, 8]), None, "nine ratings");
        // 8 good of 10: 80.0%, Wilson 49.0% to 94.3%.
        assert_eq!(
            good_rate(&[1, 1, 2, 3, 3]),
            Some(GoodRate {
                permille: 800,
                low_permille: 490,
                high_permille: 943
            })
        );
    }
}
