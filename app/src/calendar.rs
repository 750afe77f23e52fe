//! The working-day calendar as data: public holidays and make-up working days (調休).
//!
//! Monday to Friday are working days and weekends are not, except for the days a calendar
//! file lists. This module parses such a file; it refuses a file with any bad line whole,
//! naming every bad line, so a half-loaded calendar can never shift a deadline.

use chrono::NaiveDate;
use std::collections::HashMap;

/// What a listed day is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// An office is closed, whatever the weekday.
    Holiday,
    /// A weekend day that is worked.
    Workday,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEntry {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// Why one line of a calendar file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarLineError {
    pub line: usize,
    pub reason: String,
}

/// Parses `date,kind,name` lines (with a header line). All good, or every bad line named.
pub fn parse_calendar_csv(text: &str) -> Result<Vec<CalendarEntry>, Vec<CalendarLineError>> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut first_line_of: HashMap<NaiveDate, usize> = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') || (line == 1 && raw.starts_with("date,")) {
            continue;
        }
        let mut fields = raw.splitn(3, ',');
        let (date, kind, name) = (fields.next(), fields.next(), fields.next());
        let day = match date.map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")) {
            Some(Ok(day)) => day,
            _ => {
                errors.push(CalendarLineError {
                    line,
                    reason: "not a date (YYYY-MM-DD)".into(),
                });
                continue;
            }
        };
        let kind = match kind.map(str::trim) {
            Some("holiday") => DayKind::Holiday,
            Some("workday") => DayKind::Workday,
            _ => {
                errors.push(CalendarLineError {
                    line,
                    reason: "kind must be holiday or workday".into(),
                });
                continue;
            }
        };
        if let Some(previous) = first_line_of.insert(day, line) {
            errors.push(CalendarLineError {
                line,
                reason: format!("{day} is already listed on line {previous}"),
            });
            continue;
        }
        let name = name.unwrap_or("").trim().to_string();
        entries.push(CalendarEntry { day, kind, name });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// Working days: Monday to Friday, minus holidays, plus make-up working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    listed: HashMap<NaiveDate, DayKind>,
}

impl WorkingCalendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> WorkingCalendar {
        WorkingCalendar {
            listed: days.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        use chrono::{Datelike, Weekday};
        match self.listed.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The day by which something is due `n` working days after `from`: counting starts
    /// the next day, so a case filed on a holiday still gets `n` whole working days.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        // A year of holidays cannot stop the count: the loop is bounded by n + 366 steps.
        for _ in 0..(n as usize + 366) {
            if left == 0 {
                break;
            }
            day = day.succ_opt().unwrap_or(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days from `today` to `due`: positive when `due` is ahead (the working days
    /// after today up to and including it), negative when it has passed (the working days
    /// after it up to and including today), zero when it is today.
    pub fn working_days_until(&self, today: NaiveDate, due: NaiveDate) -> i64 {
        let (from, to, sign) = if due >= today {
            (today, due, 1)
        } else {
            (due, today, -1)
        };
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.succ_opt().unwrap_or(to);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        sign * count
    }
}

/// The official mainland China calendar for 2025 and 2026, shipped with the demo.
pub const CN_MAINLAND_2025_2026: &str = include_str!("../data/calendar/cn-mainland-2025-2026.csv");

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn the_shipped_calendar_parses_and_matches_the_state_council_notices() {
        let entries = parse_calendar_csv(CN_MAINLAND_2025_2026).unwrap();
        let holidays_2026_spring: Vec<_> = entries
            .iter()
            .filter(|e| e.kind == DayKind::Holiday && e.day.year() == 2026 && e.day.month() == 2)
            .collect();
        assert_eq!(
            holidays_2026_spring.len(),
            9,
            "Spring Festival 2026 is Feb 15 to 23"
        );
        let worked = |y, m, d| {
            entries.iter().any(|e| {
                e.kind == DayKind::Workday && e.day == NaiveDate::from_ymd_opt(y, m, d).unwrap()
            })
        };
        assert!(worked(2026, 2, 14) && worked(2026, 2, 28) && worked(2025, 1, 26));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_and_count_make_up_days() {
        let entries = parse_calendar_csv(CN_MAINLAND_2025_2026).unwrap();
        let cal = WorkingCalendar::new(entries.iter().map(|e| (e.day, e.kind)));
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Friday 2026-02-13 + 1 working day: Saturday the 14th is a make-up working day.
        assert_eq!(cal.add_working_days(d(2026, 2, 13), 1), d(2026, 2, 14));
        // From the 14th, the Spring Festival (15th to 23rd) is skipped: the 24th.
        assert_eq!(cal.add_working_days(d(2026, 2, 14), 1), d(2026, 2, 24));
        // An ordinary week: Thursday + 5 working days is the next Thursday.
        assert_eq!(cal.add_working_days(d(2026, 3, 5), 5), d(2026, 3, 12));
        // Filed on a Sunday: due Monday.
        assert_eq!(cal.add_working_days(d(2026, 3, 8), 1), d(2026, 3, 9));
    }

    #[test]
    fn deadlines_are_counted_in_working_days_both_ways() {
        let entries = parse_calendar_csv(CN_MAINLAND_2025_2026).unwrap();
        let cal = WorkingCalendar::new(entries.iter().map(|e| (e.day, e.kind)));
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            cal.working_days_until(d(2026, 3, 5), d(2026, 3, 9)),
            2,
            "Fri, Mon"
        );
        assert_eq!(
            cal.working_days_until(d(2026, 3, 9), d(2026, 3, 5)),
            -2,
            "Fri, Mon passed"
        );
        assert_eq!(cal.working_days_until(d(2026, 3, 9), d(2026, 3, 9)), 0);
        // Across the Spring Festival: the 14th is worked, the 15th to 23rd are not.
        assert_eq!(cal.working_days_until(d(2026, 2, 13), d(2026, 2, 24)), 2);
    }

    #[test]
    fn a_file_with_bad_lines_is_refused_whole_with_line_numbers() {
        let text = "date,kind,name\n2026-01-01,holiday,New Year\n2026-02-30,holiday,Nope\n2026-01-01,workday,Twice\n2026-03-01,party,Fun\n";
        let errors = parse_calendar_csv(text).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
    }
}
