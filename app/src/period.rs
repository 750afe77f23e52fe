//! Statistics periods: a day, an ISO week (Monday to Sunday), a month, a quarter, a year,
//! or a custom range of days, each as the inclusive range of office days it covers. Filters
//! live in the URL, so any view can be shared; a period that does not parse is refused with
//! what was wrong, never guessed.

use chrono::{Datelike, Days, Months, NaiveDate};

/// The kinds of period, by their URL codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodKind {
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Custom,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 6] = [
        PeriodKind::Day,
        PeriodKind::Week,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
        PeriodKind::Custom,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::Day => "day",
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
            PeriodKind::Custom => "custom",
        }
    }

    pub fn parse(code: &str) -> Option<PeriodKind> {
        PeriodKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A period: its kind and the office days it covers, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// Why a period was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodError {
    UnknownKind,
    BadDate,
    /// A custom range ending before it starts.
    Backwards,
    /// A custom range longer than `MAX_CUSTOM_DAYS`.
    TooLong,
}

/// The longest custom range, in days (ten years).
pub const MAX_CUSTOM_DAYS: i64 = 3_660;

fn day(text: &str) -> Result<NaiveDate, PeriodError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| PeriodError::BadDate)
}

impl Period {
    /// `kind` (empty: month) around `at` (empty: today); `custom` uses `from` and `to`.
    pub fn parse(
        kind: &str,
        at: &str,
        from: &str,
        to: &str,
        today: NaiveDate,
    ) -> Result<Period, PeriodError> {
        let kind = match kind.trim() {
            "" => PeriodKind::Month,
            code => PeriodKind::parse(code).ok_or(PeriodError::UnknownKind)?,
        };
        if kind == PeriodKind::Custom {
            let (first, last) = (day(from)?, day(to)?);
            if last < first {
                return Err(PeriodError::Backwards);
            }
            if last.signed_duration_since(first).num_days() >= MAX_CUSTOM_DAYS {
                return Err(PeriodError::TooLong);
            }
            return Ok(Period { kind, first, last });
        }
        let at = if at.trim().is_empty() { today } else { day(at)? };
        Ok(Period::around(kind, at))
    }

    /// The period of `kind` that holds `at` (`Custom`: that one day).
    pub fn around(kind: PeriodKind, at: NaiveDate) -> Period {
        let (first, last) = match kind {
            PeriodKind::Day | PeriodKind::Custom => (at, at),
            PeriodKind::Week => {
                let monday = at - Days::new(u64::from(at.weekday().num_days_from_monday()));
                (monday, monday + Days::new(6))
            }
            PeriodKind::Month => {
                let first = at.with_day(1).unwrap_or(at);
                (first, first + Months::new(1) - Days::new(1))
            }
            PeriodKind::Quarter => {
                let month = (at.month0() / 3) * 3 + 1;
                let first = NaiveDate::from_ymd_opt(at.year(), month, 1).unwrap_or(at);
                (first, first + Months::new(3) - Days::new(1))
            }
            PeriodKind::Year => (
                NaiveDate::from_ymd_opt(at.year(), 1, 1).unwrap_or(at),
                NaiveDate::from_ymd_opt(at.year(), 12, 31).unwrap_or(at),
            ),
        };
        Period { kind, first, last }
    }

    /// The same kind of period just before this one (custom: the same length).
    pub fn previous(&self) -> Period {
        match self.kind {
            PeriodKind::Custom => {
                let length = self.last.signed_duration_since(self.first).num_days() as u64 + 1;
                Period {
                    kind: self.kind,
                    first: self.first - Days::new(length),
                    last: self.first - Days::new(1),
                }
            }
            kind => Period::around(kind, self.first - Days::new(1)),
        }
    }

    pub fn days(&self) -> i64 {
        self.last.signed_duration_since(self.first).num_days() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_kind_covers_the_days_it_says() {
        let today = d(2026, 11, 26); // a Thursday
        let p = |kind, at| Period::parse(kind, at, "", "", today).unwrap();
        assert_eq!((p("", "").first, p("", "").last), (d(2026, 11, 1), d(2026, 11, 30)), "this month by default");
        assert_eq!((p("week", "").first, p("week", "").last), (d(2026, 11, 23), d(2026, 11, 29)));
        assert_eq!((p("quarter", "").first, p("quarter", "").last), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!((p("year", "2024-02-29").first, p("year", "2024-02-29").last), (d(2024, 1, 1), d(2024, 12, 31)));
        assert_eq!(p("month", "2024-02-10").last, d(2024, 2, 29), "a leap February");
        assert_eq!(p("day", "2026-03-02").days(), 1);
        // A week across the new year.
        assert_eq!((p("week", "2027-01-01").first, p("week", "2027-01-01").last), (d(2026, 12, 28), d(2027, 1, 3)));
    }

    #[test]
    fn custom_ranges_and_bad_input() {
        let today = d(2026, 11, 26);
        let custom = Period::parse("custom", "", "2026-01-05", "2026-01-11", today).unwrap();
        assert_eq!(custom.days(), 7);
        assert_eq!(custom.previous().first, d(2025, 12, 29));
        assert_eq!(Period::parse("custom", "", "2026-01-11", "2026-01-05", today), Err(PeriodError::Backwards));
        assert_eq!(Period::parse("custom", "", "2000-01-01", "2026-01-05", today), Err(PeriodError::TooLong));
        assert_eq!(Period::parse("custom", "", "2026-02-30", "2026-03-01", today), Err(PeriodError::BadDate));
        assert_eq!(Period::parse("fortnight", "", "", "", today), Err(PeriodError::UnknownKind));
        assert_eq!(Period::parse("month", "yesterday", "", "", today), Err(PeriodError::BadDate));
        let march = Period::parse("month", "2026-03-15", "", "", today).unwrap();
        assert_eq!((march.previous().first, march.previous().last), (d(2026, 2, 1), d(2026, 2, 28)));
    }
}
