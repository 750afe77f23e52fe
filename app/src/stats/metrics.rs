//! How cases of a period were handled, as pure functions over one fact row per case:
//! accepted and answered within their working-day limits, working days to close, reopened,
//! substantiated, bad ratings followed up in time. A case counts towards a time limit once
//! it was either handled or its deadline has passed ("due"); a case still inside its limit
//! counts for nothing yet, so the rates never flatter the newest days.

use crate::calendar::WorkingCalendar;
use crate::domain::Category;
use crate::domain::case::{CaseKind, Finding, Stage};
use super::Rate;
use chrono::NaiveDate;

/// One case as the statistics see it: days in the office's time zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFact {
    pub kind: CaseKind,
    /// The category's code (`Category::code`), for complaints.
    pub category: Option<&'static str>,
    pub filed: NaiveDate,
    /// First acceptance (or rejection: also an answer to the accept stage).
    pub accepted: Option<NaiveDate>,
    /// First reply to the citizen.
    pub replied: Option<NaiveDate>,
    /// A bad rating's follow-up done.
    pub followed_up: Option<NaiveDate>,
    /// Last time it was closed, when it is closed now.
    pub closed: Option<NaiveDate>,
    /// The citizen found an answer unsatisfying at least once.
    pub reopened: bool,
    /// The bureau's latest finding.
    pub finding: Option<Finding>,
}

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CaseMetrics {
    pub complaints: u64,
    /// Complaints per category code, in `Category::ALL` order, categories with none left out.
    pub by_category: Vec<(String, u64)>,
    pub accepted_on_time: Rate,
    pub replied_on_time: Rate,
    /// Median working days from filing to closing, of the closed complaints.
    pub median_days_to_close: Option<f64>,
    pub closed: u64,
    /// Replied complaints the citizen reopened.
    pub reopened: Rate,
    /// Complaints with a finding that was substantiated (wholly or partly).
    pub substantiated: Rate,
    /// Bad-rating follow-ups done within their limit.
    pub followed_up_on_time: Rate,
}

/// How many numbers `CaseCounts` holds (the roll-up's columns).
pub const COUNT_COLUMNS: usize = 1 + Category::ALL.len() + 2 * 5 + 1;

/// What some cases add up to: the sums kept per unit and day (`rollup.rs`), from which
/// every measure but the median follows; the median comes from a count per number of days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseCounts {
    pub complaints: u64,
    /// Complaints per category, in `Category::ALL` order.
    pub by_category: [u64; Category::ALL.len()],
    pub accepted_on_time: Rate,
    pub replied_on_time: Rate,
    pub reopened: Rate,
    pub substantiated: Rate,
    pub followed_up_on_time: Rate,
    pub closed: u64,
}

impl CaseCounts {
    pub fn add(&mut self, other: &CaseCounts) {
        self.complaints += other.complaints;
        for (sum, n) in self.by_category.iter_mut().zip(other.by_category) {
            *sum += n;
        }
        for (sum, rate) in self.rates_mut().into_iter().zip(other.rates()) {
            sum.done += rate.done;
            sum.of += rate.of;
        }
        self.closed += other.closed;
    }

    fn rates(&self) -> [Rate; 5] {
        [
            self.accepted_on_time,
            self.replied_on_time,
            self.reopened,
            self.substantiated,
            self.followed_up_on_time,
        ]
    }

    fn rates_mut(&mut self) -> [&mut Rate; 5] {
        [
            &mut self.accepted_on_time,
            &mut self.replied_on_time,
            &mut self.reopened,
            &mut self.substantiated,
            &mut self.followed_up_on_time,
        ]
    }

    /// The counts as the roll-up's columns: complaints, the categories, each rate's done
    /// and of, closed.
    pub fn columns(&self) -> [i64; COUNT_COLUMNS] {
        let mut out = [0i64; COUNT_COLUMNS];
        let mut values = std::iter::once(self.complaints)
            .chain(self.by_category)
            .chain(self.rates().into_iter().flat_map(|r| [r.done, r.of]))
            .chain(std::iter::once(self.closed));
        for slot in out.iter_mut() {
            *slot = values.next().unwrap_or(0).min(i64::MAX as u64) as i64;
        }
        out
    }

    /// The counts back from the roll-up's columns (negative numbers read as none).
    pub fn from_columns(columns: &[i64; COUNT_COLUMNS]) -> CaseCounts {
        let mut values = columns.iter().map(|&x| x.max(0) as u64);
        let mut next = || values.next().unwrap_or(0);
        let mut counts = CaseCounts {
            complaints: next(),
            ..CaseCounts::default()
        };
        for slot in counts.by_category.iter_mut() {
            *slot = next();
        }
        for rate in counts.rates_mut() {
            rate.done = next();
            rate.of = next();
        }
        counts.closed = next();
        counts
    }
}

/// One case's part in the statistics as of a day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub counts: CaseCounts,
    /// Working days from filing to closing, when it is closed.
    pub days_to_close: Option<i64>,
    /// The first day on which this part changes with no one acting: the day after the
    /// limit of a stage still open. Until then, the part stays right.
    pub changes_on: Option<NaiveDate>,
}

/// The limit in working days of a stage for a case kind and category.
pub trait Limits {
    fn days(&self, kind: CaseKind, category: Option<&str>, stage: Stage) -> u32;
}

impl Limits for crate::office::TimeLimits {
    fn days(&self, kind: CaseKind, category: Option<&str>, stage: Stage) -> u32 {
        crate::office::TimeLimits::days(self, kind, category, stage)
    }
}

/// Whether a stage that started on `from` with `limit` working days was met by `done`,
/// as of `today`: `Ok(true/false)` once it counts, `Err(day)` while still inside the
/// limit, with the day it will count as late if nothing is done.
fn in_time(
    calendar: &WorkingCalendar,
    from: NaiveDate,
    limit: u32,
    done: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<bool, NaiveDate> {
    let due = calendar.add_working_days(from, limit);
    match done {
        Some(day) => Ok(day <= due),
        None if today > due => Ok(false),
        None => Err(due.succ_opt().unwrap_or(due)),
    }
}

/// The median of values given as (value, how many), sorted here; `None` of none.
pub fn median_of_counts(mut counts: Vec<(i64, u64)>) -> Option<f64> {
    counts.retain(|c| c.1 > 0);
    counts.sort_unstable();
    let total: u64 = counts.iter().map(|c| c.1).sum();
    if total == 0 {
        return None;
    }
    // The value at a 0-based position of the sorted values.
    let at = |position: u64| {
        let mut seen = 0;
        for &(value, n) in &counts {
            seen += n;
            if position < seen {
                return value;
            }
        }
        counts[counts.len() - 1].0
    };
    Some(if total % 2 == 1 {
        at(total / 2) as f64
    } else {
        (at(total / 2 - 1) + at(total / 2)) as f64 / 2.0
    })
}

/// One case's part, as of `today`.
pub fn outcome(
    fact: &CaseFact,
    limits: &impl Limits,
    calendar: &WorkingCalendar,
    today: NaiveDate,
) -> Outcome {
    let mut out = Outcome::default();
    let category = fact.category;
    let limit = |stage| limits.days(fact.kind, category, stage);
    let mut judge = |rate: &mut Rate, from: NaiveDate, stage: Stage, done: Option<NaiveDate>| {
        match in_time(calendar, from, limit(stage), done, today) {
            Ok(ok) => rate.add(ok),
            Err(day) => {
                out.changes_on = Some(out.changes_on.map_or(day, |d: NaiveDate| d.min(day)));
            }
        }
    };
    let mut counts = CaseCounts::default();
    match fact.kind {
        CaseKind::RatingFollowUp => {
            judge(&mut counts.followed_up_on_time, fact.filed, Stage::FollowUp, fact.followed_up);
        }
        CaseKind::Complaint => {
            counts.complaints = 1;
            let code = category.unwrap_or("other");
            let slot = Category::ALL
                .iter()
                .position(|c| c.code() == code)
                .unwrap_or(Category::ALL.len() - 1);
            counts.by_category[slot] = 1;
            judge(&mut counts.accepted_on_time, fact.filed, Stage::Accept, fact.accepted);
            // The reply's clock starts at acceptance.
            if let Some(accepted) = fact.accepted {
                judge(&mut counts.replied_on_time, accepted, Stage::Reply, fact.replied);
            }
            if fact.replied.is_some() {
                counts.reopened.add(fact.reopened);
            }
            if let Some(finding) = fact.finding {
                counts
                    .substantiated
                    .add(matches!(finding, Finding::Substantiated | Finding::Partly));
            }
            if let Some(closed) = fact.closed {
                counts.closed = 1;
                out.days_to_close = Some(calendar.working_days_until(fact.filed, closed).max(0));
            }
        }
    }
    out.counts = counts;
    out
}

/// The measures of summed counts and the count of closed cases per working days to close.
pub fn metrics_of(counts: &CaseCounts, days_to_close: Vec<(i64, u64)>) -> CaseMetrics {
    CaseMetrics {
        complaints: counts.complaints,
        by_category: Category::ALL
            .iter()
            .zip(counts.by_category)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.code().to_string(), n))
            .collect(),
        accepted_on_time: counts.accepted_on_time,
        replied_on_time: counts.replied_on_time,
        median_days_to_close: median_of_counts(days_to_close),
        closed: counts.closed,
        reopened: counts.reopened,
        substantiated: counts.substantiated,
        followed_up_on_time: counts.followed_up_on_time,
    }
}

/// The measures of some cases, directly (the roll-ups give the same from their sums).
pub fn case_metrics<'a>(
    facts: impl IntoIterator<Item = &'a CaseFact>,
    limits: &impl Limits,
    calendar: &WorkingCalendar,
    today: NaiveDate,
) -> CaseMetrics {
    let mut counts = CaseCounts::default();
    let mut days: std::collections::BTreeMap<i64, u64> = Default::default();
    for fact in facts {
        let part = outcome(fact, limits, calendar, today);
        counts.add(&part.counts);
        if let Some(d) = part.days_to_close {
            *days.entry(d).or_default() += 1;
        }
    }
    metrics_of(&counts, days.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::DayKind;

    struct Fixed;
    impl Limits for Fixed {
        fn days(&self, _: CaseKind, category: Option<&str>, stage: Stage) -> u32 {
            match (stage, category) {
                (Stage::Accept, _) => 1,
                (Stage::Reply, Some("delay")) => 2,
                (Stage::Reply, _) => 5,
                (Stage::FollowUp, _) => 3,
                _ => 7,
            }
        }
    }

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn complaint(category: &'static str, filed: &str) -> CaseFact {
        CaseFact {
            kind: CaseKind::Complaint,
            category: Some(category),
            filed: d(filed),
            accepted: None,
            replied: None,
            followed_up: None,
            closed: None,
            reopened: false,
            finding: None,
        }
    }

    #[test]
    fn hand_checked_week_of_cases() {
        // March 2026: Mon 2 … Fri 6, Mon 9 … ; Wed 4 is a holiday here.
        let calendar = WorkingCalendar::new([(d("2026-03-04"), DayKind::Holiday)]);
        let today = d("2026-03-13");
        let mut a = complaint("delay", "2026-03-02");
        // Accept due Tue 3: accepted Tue 3 (on time). Reply limit 2 (delay): from Tue 3,
        // Wed 4 is a holiday, so due Fri 6: replied Fri 6 (on time). Closed Mon 9: working
        // days after Mon 2 up to Mon 9 = Tue 3, Thu 5, Fri 6, Mon 9 = 4.
        a.accepted = Some(d("2026-03-03"));
        a.replied = Some(d("2026-03-06"));
        a.closed = Some(d("2026-03-09"));
        a.finding = Some(Finding::Partly);
        let mut b = complaint("rude_language", "2026-03-03");
        // Accept due Thu 5 (Wed 4 holiday): accepted Fri 6, late. Reply limit 5 from Fri 6:
        // due Fri 13 = today, not replied: not counted yet.
        b.accepted = Some(d("2026-03-06"));
        let mut c = complaint("delay", "2026-03-05");
        // Accept due Fri 6, never accepted, today is past: late. No reply clock.
        c.finding = Some(Finding::NotSubstantiated);
        let mut e = complaint("delay", "2026-03-09");
        // Accepted Mon 9, reply due Wed 11, replied Thu 12: late; reopened; closed Fri 13:
        // Tue 10 … Fri 13 = 4 working days.
        e.accepted = Some(d("2026-03-09"));
        e.replied = Some(d("2026-03-12"));
        e.reopened = true;
        e.closed = Some(d("2026-03-13"));
        let f = complaint("delay", "2026-03-13"); // filed today: inside every limit.
        let follow = |filed: &str, done: Option<&str>| CaseFact {
            kind: CaseKind::RatingFollowUp,
            category: None,
            followed_up: done.map(d),
            ..complaint("", filed)
        };
        // Follow-up limit 3: filed Mon 2 → due Fri 6 (holiday skipped).
        let facts = vec![
            a,
            b,
            c,
            e,
            f,
            follow("2026-03-02", Some("2026-03-06")), // on time
            follow("2026-03-02", Some("2026-03-09")), // late
            follow("2026-03-02", None),               // overdue
            follow("2026-03-12", None),               // not due yet
        ];
        let m = case_metrics(&facts, &Fixed, &calendar, today);
        assert_eq!(m.complaints, 5);
        assert_eq!(
            m.by_category,
            vec![("rude_language".to_string(), 1), ("delay".to_string(), 4)]
        );
        assert_eq!(m.accepted_on_time, Rate { done: 2, of: 4 });
        assert_eq!(m.replied_on_time, Rate { done: 1, of: 2 });
        assert_eq!(m.closed, 2);
        assert_eq!(m.median_days_to_close, Some(4.0));
        assert_eq!(m.reopened, Rate { done: 1, of: 2 });
        assert_eq!(m.substantiated, Rate { done: 1, of: 2 });
        assert_eq!(m.followed_up_on_time, Rate { done: 1, of: 3 });
        assert_eq!(m.accepted_on_time.percent(), Some(50));
        assert_eq!(Rate::default().percent(), None);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let each = |values: &[i64]| values.iter().map(|&v| (v, 1)).collect::<Vec<_>>();
        assert_eq!(median_of_counts(vec![]), None);
        assert_eq!(median_of_counts(vec![(3, 0)]), None);
        assert_eq!(median_of_counts(each(&[7])), Some(7.0));
        assert_eq!(median_of_counts(each(&[9, 1, 4, 2])), Some(3.0));
        assert_eq!(median_of_counts(each(&[5, 1, 3])), Some(3.0));
        // 1, 1, 1, 2, 8, 8: the middle two are 1 and 2.
        assert_eq!(median_of_counts(vec![(8, 2), (1, 3), (2, 1)]), Some(1.5));
        // 4, 4, 4, 9: 4.
        assert_eq!(median_of_counts(vec![(9, 1), (4, 3)]), Some(4.0));
    }

    #[test]
    fn counts_survive_the_roll_up_columns() {
        let mut counts = CaseCounts {
            complaints: 7,
            closed: 3,
            ..CaseCounts::default()
        };
        counts.by_category[2] = 4;
        counts.by_category[11] = 3;
        counts.replied_on_time = Rate { done: 2, of: 5 };
        counts.followed_up_on_time = Rate { done: 9, of: 10 };
        assert_eq!(CaseCounts::from_columns(&counts.columns()), counts);
        let mut twice = counts;
        twice.add(&counts);
        assert_eq!(twice.complaints, 14);
        assert_eq!(twice.followed_up_on_time, Rate { done: 18, of: 20 });
    }

    #[test]
    fn an_open_stage_says_when_it_will_count_as_late() {
        let calendar = WorkingCalendar::new([(d("2026-03-04"), DayKind::Holiday)]);
        // Filed Mon 2, accept limit 1: due Tue 3, so late from Wed 4 on if not accepted.
        let fact = complaint("delay", "2026-03-02");
        let before = outcome(&fact, &Fixed, &calendar, d("2026-03-03"));
        assert_eq!(before.counts.accepted_on_time, Rate::default());
        assert_eq!(before.changes_on, Some(d("2026-03-04")));
        let after = outcome(&fact, &Fixed, &calendar, d("2026-03-04"));
        assert_eq!(after.counts.accepted_on_time, Rate { done: 0, of: 1 });
        assert_eq!(after.changes_on, None);
    }
}
