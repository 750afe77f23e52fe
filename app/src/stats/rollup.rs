//! Per-day roll-ups of how cases were handled, so that a statistic of a year reads a few
//! hundred sums instead of every case of the year.
//!
//! A day's roll-up holds, for the whole centre and for each hall, department and counter,
//! the `CaseCounts` of the cases filed that day as of the day it was made, and how many of
//! them closed after how many working days. It is made again from the day's cases when:
//! the day was never rolled up; one of its cases is new or changed (the database marks the
//! case, in the transaction of the change); a stage still open passes its limit
//! (`changes_on`: the only way a number changes with no one acting); the working-day
//! calendar or the time limits changed (`rules`); or it was made as of a later day than
//! today (a clock set back). Today is never rolled up: the statistics stop at yesterday.
//! The numbers are therefore exactly those of `case_metrics` over the period's cases.
//! Months that are over are summed once more per unit (`case_rollup_months`), as ratings
//! are (`rating_months`, `rating_hour_months`), so a year reads twelve rows per unit.

use super::metrics::{CaseCounts, CaseFact, outcome};
use crate::calendar::WorkingCalendar;
use crate::office::TimeLimits;
use crate::domain::Category;
use crate::domain::case::{CaseKind, Finding};
use crate::store::{CaseFactRow, DayRollup, RollupState, StatsScope, Store, StoreError};
use crate::clock::{office_day, office_day_start_ms};
use chrono::{Datelike, Days, Months, NaiveDate};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the numbers are judged by.
pub struct Rules<'a> {
    pub calendar: &'a WorkingCalendar,
    pub limits: &'a TimeLimits,
    pub time_zone: Tz,
}

impl Rules<'_> {
    /// A fingerprint of the calendar and the limits: a change to either makes every day's
    /// roll-up be made again.
    pub fn fingerprint(&self) -> String {
        // FNV-1a: stable across builds, unlike the standard library's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |text: &str| {
            for byte in text.bytes().chain(std::iter::once(b';')) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for (day, kind) in self.calendar.listed() {
            feed(&format!("{day}:{kind:?}"));
        }
        for (kind, category, stage, days) in self.limits.entries() {
            feed(&format!("{kind}/{category}/{stage}={days}"));
        }
        format!("{hash:016x}")
    }

    pub fn day_of(&self, ms: i64) -> NaiveDate {
        office_day(self.time_zone, ms)
    }

    pub fn day_start_ms(&self, day: NaiveDate) -> i64 {
        office_day_start_ms(self.time_zone, day)
    }

    /// A stored case as the statistics see it; `None` for a kind this build does not know.
    pub fn fact_of(&self, row: &CaseFactRow) -> Option<CaseFact> {
        let day = |ms: Option<i64>| ms.map(|ms| self.day_of(ms));
        Some(CaseFact {
            kind: CaseKind::parse(&row.kind)?,
            category: row
                .category
                .as_deref()
                .and_then(Category::parse)
                .map(Category::code),
            filed: self.day_of(row.created_at),
            accepted: day(row.accepted_at),
            replied: day(row.replied_at),
            followed_up: day(row.followed_up_at),
            closed: day(row.closed_at),
            reopened: row.reopened,
            finding: row.finding.as_deref().and_then(Finding::parse),
        })
    }
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The days whose roll-up must be made (again) before the statistics of `today` are read.
pub fn days_to_roll(
    state: &RollupState,
    rules: &Rules<'_>,
    fingerprint: &str,
    today: NaiveDate,
) -> BTreeSet<NaiveDate> {
    let mut due = BTreeSet::new();
    let Some(yesterday) = today.pred_opt() else {
        return due;
    };
    let mut rolled = BTreeSet::new();
    for (day, rolled_on, changes_on, rules_then) in &state.days {
        let Some(day) = parse_day(day) else { continue };
        rolled.insert(day);
        let stale = rules_then != fingerprint
            || parse_day(rolled_on).is_none_or(|on| on > today)
            || changes_on
                .as_deref()
                .and_then(parse_day)
                .is_some_and(|on| on <= today);
        if stale && day <= yesterday {
            due.insert(day);
        }
    }
    if let Some(first) = state.first_case_at.map(|ms| rules.day_of(ms)) {
        let mut day = first;
        while day <= yesterday {
            if !rolled.contains(&day) {
                due.insert(day);
            }
            day = day + Days::new(1);
        }
    }
    for &ms in &state.changed_cases_filed_at {
        let day = rules.day_of(ms);
        if day <= yesterday {
            due.insert(day);
        }
    }
    due
}

/// A day's roll-up from its cases, as of `today`.
pub fn roll_up_cases(rows: &[CaseFactRow], rules: &Rules<'_>, today: NaiveDate) -> DayRollup {
    let mut units: HashMap<StatsScope, CaseCounts> = HashMap::new();
    let mut close: BTreeMap<((i64, i64), i64), (StatsScope, i64)> = BTreeMap::new();
    let mut changes_on: Option<NaiveDate> = None;
    for row in rows {
        let Some(fact) = rules.fact_of(row) else { continue };
        let part = outcome(&fact, rules.limits, rules.calendar, today);
        if let Some(day) = part.changes_on {
            changes_on = Some(changes_on.map_or(day, |d| d.min(day)));
        }
        let scopes = [
            Some(StatsScope::Centre),
            row.hall_id.map(StatsScope::Hall),
            row.department_id.map(StatsScope::Department),
            row.counter_id.map(StatsScope::Counter),
        ];
        for scope in scopes.into_iter().flatten() {
            units.entry(scope).or_default().add(&part.counts);
            if let Some(days) = part.days_to_close {
                close.entry((scope.rollup_key(), days)).or_insert((scope, 0)).1 += 1;
            }
        }
    }
    let mut units: Vec<_> = units
        .into_iter()
        .map(|(scope, counts)| (scope, counts.columns()))
        .collect();
    units.sort_by_key(|(scope, _)| scope.rollup_key());
    DayRollup {
        units,
        close: close
            .into_iter()
            .map(|((_, days), (scope, n))| (scope, days, n))
            .collect(),
        changes_on: changes_on.map(day_text),
    }
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// A month's first and last day.
fn month_days(first: NaiveDate) -> (String, String) {
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first);
    (day_text(first), day_text(last))
}

/// Brings the roll-ups up to date for `today`: the days (`days_to_roll`), then the months
/// that are over whose cases (a day of theirs rolled up) or ratings (marked by the
/// database) changed. Returns the number of days and months made again; `progress(done,
/// of)` is told after each.
pub async fn roll_up(
    store: &Store,
    rules: &Rules<'_>,
    today: NaiveDate,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<u64, StoreError> {
    let fingerprint = rules.fingerprint();
    let state = store.rollup_state(rules.day_start_ms(today)).await?;
    let days = days_to_roll(&state, rules, &fingerprint, today);
    let this_month = month_start(today);
    let case_months: BTreeSet<NaiveDate> = days
        .iter()
        .map(|d| month_start(*d))
        .filter(|m| *m < this_month)
        .collect();
    let rating_months: Vec<(String, NaiveDate)> = store
        .rating_months_to_build()
        .await?
        .into_iter()
        .filter_map(|m| {
            let first = parse_day(&format!("{m}-01"))?;
            (first < this_month).then_some((m, first))
        })
        .collect();
    let of = (days.len() + case_months.len() + rating_months.len()) as u64;
    let mut done = 0;
    let today_text = day_text(today);
    for day in days {
        let next = day + Days::new(1);
        store
            .roll_up_day(
                &day_text(day),
                rules.day_start_ms(day),
                rules.day_start_ms(next),
                &today_text,
                &fingerprint,
                |rows| roll_up_cases(&rows, rules, today),
            )
            .await?;
        done += 1;
        progress(done, of);
    }
    for month in case_months {
        let (first, last) = month_days(month);
        store
            .build_case_month(&month.format("%Y-%m").to_string(), &first, &last)
            .await?;
        done += 1;
        progress(done, of);
    }
    for (month, first) in rating_months {
        let (first, last) = month_days(first);
        store.build_rating_month(&month, &first, &last).await?;
        done += 1;
        progress(done, of);
    }
    store.mark_rolled_up(&today_text).await?;
    Ok(of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        parse_day(text).unwrap()
    }

    fn rules_with(calendar: &WorkingCalendar, limits: &TimeLimits) -> String {
        Rules {
            calendar,
            limits,
            time_zone: chrono_tz::Asia::Shanghai,
        }
        .fingerprint()
    }

    #[test]
    fn the_fingerprint_follows_the_calendar_and_the_limits() {
        let limits = TimeLimits::default();
        let plain = rules_with(&WorkingCalendar::default(), &limits);
        assert_eq!(plain, rules_with(&WorkingCalendar::default(), &limits));
        let holiday = WorkingCalendar::new([(d("2026-10-01"), crate::calendar::DayKind::Holiday)]);
        assert_ne!(plain, rules_with(&holiday, &limits));
        let tighter = TimeLimits::from_rows(vec![crate::store::TimeLimitRow {
            kind: "complaint".into(),
            category: String::new(),
            stage: "accept".into(),
            days: 1,
        }]);
        assert_ne!(plain, rules_with(&WorkingCalendar::default(), &tighter));
    }

    #[test]
    fn the_days_to_roll_up_are_the_new_the_changed_and_the_stale() {
        let calendar = WorkingCalendar::default();
        let limits = TimeLimits::default();
        let rules = Rules {
            calendar: &calendar,
            limits: &limits,
            time_zone: chrono_tz::Asia::Shanghai,
        };
        let fp = rules.fingerprint();
        let noon = |day: &str| rules.day_start_ms(d(day)) + 12 * 3_600_000;
        let today = d("2026-03-10");
        let row = |day: &str, on: &str, changes: Option<&str>, rules: &str| {
            (day.to_string(), on.to_string(), changes.map(str::to_string), rules.to_string())
        };
        let state = RollupState {
            first_case_at: Some(noon("2026-03-05")),
            days: vec![
                row("2026-03-05", "2026-03-09", None, &fp),           // up to date
                row("2026-03-06", "2026-03-09", Some("2026-03-10"), &fp), // a limit passes today
                row("2026-03-07", "2026-03-09", Some("2026-03-11"), &fp), // not yet
                row("2026-03-08", "2026-03-09", None, "other"),       // other rules
                row("2026-03-09", "2026-03-12", None, &fp),           // made as of a later day
            ],
            // A case of the 7th changed; one filed today waits for tomorrow.
            changed_cases_filed_at: vec![noon("2026-03-07"), noon("2026-03-10")],
        };
        let days: Vec<String> = days_to_roll(&state, &rules, &fp, today)
            .into_iter()
            .map(day_text)
            .collect();
        assert_eq!(days, vec!["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"]);
        // With nothing rolled yet, every day from the first case to yesterday.
        let fresh = RollupState {
            first_case_at: Some(noon("2026-03-07")),
            ..RollupState::default()
        };
        assert_eq!(days_to_roll(&fresh, &rules, &fp, today).len(), 3);
        assert!(days_to_roll(&RollupState::default(), &rules, &fp, today).is_empty());
    }
}
