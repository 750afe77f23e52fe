//! How cases of a period were handled, as pure functions over one fact row per case:
//! accepted and answered within their working-day limits, working days to close, reopened,
//! substantiated, bad ratings followed up in time. A case counts towards a time limit once
//! it was either handled or its deadline has passed ("due"); a case still inside its limit
//! counts for nothing yet, so the rates never flatter the newest days.

use crate::calendar::WorkingCalendar;
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
    /// Complaints per category code, in `Category::ALL` order of first appearance.
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

/// The limit in working days of a stage for a case kind and category.
pub trait Limits {
    fn days(&self, kind: CaseKind, category: Option<&str>, stage: Stage) -> u32;
}

impl Limits for crate::cases::TimeLimits {
    fn days(&self, kind: CaseKind, category: Option<&str>, stage: Stage) -> u32 {
        crate::cases::TimeLimits::days(self, kind, category, stage)
    }
}

/// Whether a stage that started on `from` with `limit` working days was met by `done`,
/// as of `today`: `Some(true/false)` once it counts, `None` while still inside the limit.
fn in_time(
    calendar: &WorkingCalendar,
    from: NaiveDate,
    limit: u32,
    done: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<bool> {
    let due = calendar.add_working_days(from, limit);
    match done {
        Some(day) => Some(day <= due),
        None if today > due => Some(false),
        None => None,
    }
}

/// The median of `values` (sorted here); `None` of none.
pub fn median(mut values: Vec<i64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid] as f64
    } else {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    })
}

pub fn case_metrics<'a>(
    facts: impl IntoIterator<Item = &'a CaseFact>,
    limits: &impl Limits,
    calendar: &WorkingCalendar,
    today: NaiveDate,
) -> CaseMetrics {
    let mut m = CaseMetrics::default();
    let mut days_to_close = Vec::new();
    for fact in facts {
        let category = fact.category;
        let limit = |stage| limits.days(fact.kind, category, stage);
        match fact.kind {
            CaseKind::RatingFollowUp => {
                if let Some(ok) = in_time(
                    calendar,
                    fact.filed,
                    limit(Stage::FollowUp),
                    fact.followed_up,
                    today,
                ) {
                    m.followed_up_on_time.add(ok);
                }
            }
            CaseKind::Complaint => {
                m.complaints += 1;
                let code = category.unwrap_or("other");
                match m.by_category.iter_mut().find(|(c, _)| c == code) {
                    Some((_, n)) => *n += 1,
                    None => m.by_category.push((code.to_string(), 1)),
                }
                if let Some(ok) =
                    in_time(calendar, fact.filed, limit(Stage::Accept), fact.accepted, today)
                {
                    m.accepted_on_time.add(ok);
                }
                // The reply's clock starts at acceptance.
                if let Some(accepted) = fact.accepted
                    && let Some(ok) =
                        in_time(calendar, accepted, limit(Stage::Reply), fact.replied, today)
                {
                    m.replied_on_time.add(ok);
                }
                if fact.replied.is_some() {
                    m.reopened.add(fact.reopened);
                }
                if let Some(finding) = fact.finding {
                    m.substantiated
                        .add(matches!(finding, Finding::Substantiated | Finding::Partly));
                }
                if let Some(closed) = fact.closed {
                    m.closed += 1;
                    days_to_close.push(calendar.working_days_until(fact.filed, closed).max(0));
                }
            }
        }
    }
    m.median_days_to_close = median(days_to_close);
    m
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
            vec![("delay".to_string(), 4), ("rude_language".to_string(), 1)]
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
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7.0));
        assert_eq!(median(vec![9, 1, 4, 2]), Some(3.0));
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
    }
}
