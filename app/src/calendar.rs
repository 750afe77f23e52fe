//! The working-day calendar as data: public holidays and make-up working days (調休).
//!
//! Monday to Friday are working days and weekends are not, except for the days a calendar
//! file lists. This module parses such a file; it refuses a file with any bad line whole,
//! naming every bad line, so a half-loaded calendar can never shift a deadline.

use crate::views::CalendarProblem;
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
    pub reason: CalendarProblem,
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
                    reason: CalendarProblem::NotADate,
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
                    reason: CalendarProblem::BadKind,
                });
                continue;
            }
        };
        if let Some(previous) = first_line_of.insert(day, line) {
            errors.push(CalendarLineError {
                line,
                reason: CalendarProblem::Listed { day: day.to_string(), previous },
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

/// Parses a calendar file, CSV or iCalendar (told apart by `BEGIN:VCALENDAR`).
pub fn parse_calendar(text: &str) -> Result<Vec<CalendarEntry>, Vec<CalendarLineError>> {
    if text.trim_start_matches('\u{feff}').trim_start().starts_with("BEGIN:VCALENDAR") {
        parse_calendar_ics(text)
    } else {
        parse_calendar_csv(text.trim_start_matches('\u{feff}'))
    }
}

/// Parses an iCalendar file: one all-day `VEVENT` per holiday or make-up working day (or a
/// run of them: `DTEND` is exclusive, as RFC 5545 says), its kind in `CATEGORIES`
/// (`HOLIDAY` or `WORKDAY`), its name in `SUMMARY`. Two events covering one day overlap
/// and are refused, as are bad dates; every bad line is named.
pub fn parse_calendar_ics(text: &str) -> Result<Vec<CalendarEntry>, Vec<CalendarLineError>> {
    struct Event {
        line: usize,
        start: Option<(usize, String)>,
        end: Option<(usize, String)>,
        summary: String,
        kind: Option<(usize, String)>,
    }
    // Unfold continuation lines (a leading space or tab), keeping the first line's number.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let raw = raw.trim_end_matches('\r');
        if (raw.starts_with(' ') || raw.starts_with('\t')) && !lines.is_empty() {
            if let Some(last) = lines.last_mut() {
                last.1.push_str(&raw[1..]);
            }
        } else {
            lines.push((index + 1, raw.to_string()));
        }
    }
    let mut errors = Vec::new();
    let mut events = Vec::new();
    let mut current: Option<Event> = None;
    for (line, content) in lines {
        let (name, value) = content.split_once(':').unwrap_or((content.as_str(), ""));
        let property = name.split(';').next().unwrap_or("").to_ascii_uppercase();
        match (property.as_str(), value) {
            ("BEGIN", "VEVENT") => {
                current = Some(Event { line, start: None, end: None, summary: String::new(), kind: None })
            }
            ("END", "VEVENT") => {
                if let Some(event) = current.take() {
                    events.push(event);
                }
            }
            ("DTSTART", v) => {
                if let Some(e) = current.as_mut() {
                    e.start = Some((line, v.trim().to_string()));
                }
            }
            ("DTEND", v) => {
                if let Some(e) = current.as_mut() {
                    e.end = Some((line, v.trim().to_string()));
                }
            }
            ("SUMMARY", v) => {
                if let Some(e) = current.as_mut() {
                    e.summary = v.replace("\\,", ",").replace("\\;", ";").trim().to_string();
                }
            }
            ("CATEGORIES", v) | ("X-COUNTERPOINT-KIND", v) => {
                if let Some(e) = current.as_mut() {
                    e.kind = Some((line, v.trim().to_ascii_lowercase()));
                }
            }
            _ => {}
        }
    }
    let date = |v: &str| NaiveDate::parse_from_str(v.get(..8).unwrap_or(""), "%Y%m%d").ok().filter(|_| v.len() == 8 || v.as_bytes().get(8) == Some(&b'T'));
    let mut first_line_of: HashMap<NaiveDate, usize> = HashMap::new();
    let mut entries = Vec::new();
    for event in events {
        let Some((start_line, start_text)) = &event.start else {
            errors.push(CalendarLineError { line: event.line, reason: CalendarProblem::NoStart });
            continue;
        };
        let Some(start) = date(start_text) else {
            errors.push(CalendarLineError { line: *start_line, reason: CalendarProblem::NotAnIcsDate });
            continue;
        };
        let end = match &event.end {
            None => start.succ_opt().unwrap_or(start),
            Some((end_line, end_text)) => match date(end_text) {
                Some(end) if end > start && (end - start).num_days() <= 366 => end,
                _ => {
                    errors.push(CalendarLineError { line: *end_line, reason: CalendarProblem::EndNotAfterStart });
                    continue;
                }
            },
        };
        let kind = match event.kind.as_ref().map(|(_, k)| k.as_str()) {
            Some(k) if k.contains("holiday") => DayKind::Holiday,
            Some(k) if k.contains("workday") => DayKind::Workday,
            _ => {
                let line = event.kind.as_ref().map(|(l, _)| *l).unwrap_or(event.line);
                errors.push(CalendarLineError { line, reason: CalendarProblem::BadCategory });
                continue;
            }
        };
        let mut day = start;
        while day < end {
            if let Some(previous) = first_line_of.insert(day, *start_line) {
                errors.push(CalendarLineError {
                    line: *start_line,
                    reason: CalendarProblem::Overlaps { day: day.to_string(), previous },
                });
                break;
            }
            entries.push(CalendarEntry { day, kind, name: event.summary.clone() });
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
    }
    if errors.is_empty() { Ok(entries) } else { Err(errors) }
}

/// Working days: Monday to Friday, minus holidays, plus make-up working days.
///
/// Deadlines and statistics ask this for every case (a year's statistics, hundreds of
/// thousands of times), so the days from 2000 to 2199 are indexed once: how many working
/// days there are up to each day, and where each working day is. The arithmetic is then a
/// lookup; outside that window it counts day by day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingCalendar {
    listed: HashMap<NaiveDate, DayKind>,
    /// `counted[i]`: working days in the window's days `0..=i`.
    counted: Vec<u32>,
    /// The window's working days, as offsets from its first day, in order.
    working: Vec<u32>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        WorkingCalendar::new([])
    }
}

fn window_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a real date")
}

/// Days in the indexed window (2000-01-01 to 2199-12-31).
const WINDOW_DAYS: usize = 73_049;

impl WorkingCalendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> WorkingCalendar {
        let mut calendar = WorkingCalendar {
            listed: days.into_iter().collect(),
            counted: Vec::with_capacity(WINDOW_DAYS),
            working: Vec::new(),
        };
        let mut day = window_start();
        let mut total = 0;
        for offset in 0..WINDOW_DAYS as u32 {
            if calendar.is_listed_working_day(day) {
                total += 1;
                calendar.working.push(offset);
            }
            calendar.counted.push(total);
            day = day.succ_opt().expect("inside chrono's range");
        }
        calendar
    }

    /// The day's place in the window, if it is in it.
    fn offset(&self, day: NaiveDate) -> Option<usize> {
        let offset = usize::try_from((day - window_start()).num_days()).ok()?;
        (offset < self.counted.len()).then_some(offset)
    }

    fn is_listed_working_day(&self, day: NaiveDate) -> bool {
        use chrono::{Datelike, Weekday};
        match self.listed.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.offset(day) {
            Some(0) => self.counted[0] == 1,
            Some(i) => self.counted[i] > self.counted[i - 1],
            None => self.is_listed_working_day(day),
        }
    }

    /// The day by which something is due `n` working days after `from`: counting starts
    /// the next day, so a case filed on a holiday still gets `n` whole working days.
    /// A calendar from stored rows of (day, "holiday" or "workday"); other rows are skipped.
    pub fn from_rows(rows: Vec<(String, String)>) -> WorkingCalendar {
        WorkingCalendar::new(rows.into_iter().filter_map(|(day, kind)| {
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
            let kind = match kind.as_str() {
                "holiday" => DayKind::Holiday,
                "workday" => DayKind::Workday,
                _ => return None,
            };
            Some((day, kind))
        }))
    }

    /// The listed days (holidays and worked weekend days), in order.
    pub fn listed(&self) -> Vec<(NaiveDate, DayKind)> {
        let mut days: Vec<(NaiveDate, DayKind)> =
            self.listed.iter().map(|(d, k)| (*d, *k)).collect();
        days.sort_by_key(|d| d.0);
        days
    }

    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return from;
        }
        // The n-th working day after `from` is the (counted[from] + n)-th of the window.
        let nth = self.offset(from).map(|i| self.counted[i] as usize + n as usize);
        match nth.and_then(|nth| self.working.get(nth - 1)) {
            Some(&offset) => window_start() + chrono::Days::new(u64::from(offset)),
            None => self.add_working_days_by_counting(from, n),
        }
    }

    fn add_working_days_by_counting(&self, from: NaiveDate, n: u32) -> NaiveDate {
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
        if let (Some(a), Some(b)) = (self.offset(from), self.offset(to)) {
            return sign * (i64::from(self.counted[b]) - i64::from(self.counted[a]));
        }
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
    fn the_shipped_icalendar_sample_loads() {
        let entries = parse_calendar(include_str!("../data/calendar/sample.ics")).unwrap();
        assert_eq!(entries.len(), 1 + 7 + 1);
        assert_eq!(entries.iter().filter(|e| e.kind == DayKind::Workday).count(), 1);
    }

    #[test]
    fn an_icalendar_file_loads_runs_of_days_and_names_its_bad_lines() {
        let good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261008\r\nSUMMARY:National Day\r\nCATEGORIES:HOLIDAY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261010\r\nSUMMARY:Make-up\r\n day\r\nCATEGORIES:WORKDAY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let entries = parse_calendar(good).unwrap();
        assert_eq!(entries.len(), 8);
        assert!(entries.iter().take(7).all(|e| e.kind == DayKind::Holiday));
        assert_eq!(entries[7].name, "Make-upday");
        assert_eq!(entries[7].kind, DayKind::Workday);

        let bad = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261001\nDTEND;VALUE=DATE:20261004\nCATEGORIES:HOLIDAY\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261003\nCATEGORIES:WORKDAY\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261345\nCATEGORIES:HOLIDAY\nEND:VEVENT\nEND:VCALENDAR\n";
        let errors = parse_calendar(bad).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![8, 12], "{errors:?}");
        assert_eq!(errors[0].reason, CalendarProblem::Overlaps { day: "2026-10-03".into(), previous: 3 });
        assert_eq!(errors[1].reason, CalendarProblem::NotAnIcsDate);
    }

    #[test]
    fn a_file_with_bad_lines_is_refused_whole_with_line_numbers() {
        let text = "date,kind,name\n2026-01-01,holiday,New Year\n2026-02-30,holiday,Nope\n2026-01-01,workday,Twice\n2026-03-01,party,Fun\n";
        let errors = parse_calendar_csv(text).unwrap_err();
        let lines: Vec<(usize, CalendarProblem)> = errors.into_iter().map(|e| (e.line, e.reason)).collect();
        assert_eq!(
            lines,
            vec![
                (3, CalendarProblem::NotADate),
                (4, CalendarProblem::Listed { day: "2026-01-01".into(), previous: 2 }),
                (5, CalendarProblem::BadKind),
            ]
        );
    }

    /// The index answers exactly what counting day by day answers, around holidays,
    /// make-up days and the window's edges.
    #[test]
    fn the_indexed_arithmetic_matches_counting_day_by_day() {
        let entries = parse_calendar_csv(CN_MAINLAND_2025_2026).unwrap();
        let calendar = WorkingCalendar::new(entries.iter().map(|e| (e.day, e.kind)));
        let by_counting = |from: NaiveDate, n: u32| {
            let mut day = from;
            let mut left = n;
            while left > 0 {
                day = day.succ_opt().unwrap();
                if calendar.is_listed_working_day(day) {
                    left -= 1;
                }
            }
            day
        };
        let span = |a: NaiveDate, b: NaiveDate| {
            let (from, to, sign) = if b >= a { (a, b, 1) } else { (b, a, -1) };
            let mut count = 0;
            let mut day = from;
            while day < to {
                day = day.succ_opt().unwrap();
                if calendar.is_listed_working_day(day) {
                    count += 1;
                }
            }
            sign * count
        };
        let days: Vec<NaiveDate> = (0..800)
            .map(|i| NaiveDate::from_ymd_opt(2024, 12, 1).unwrap() + chrono::Days::new(i))
            .chain([
                NaiveDate::from_ymd_opt(1999, 12, 20).unwrap(),
                NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2199, 12, 20).unwrap(),
                NaiveDate::from_ymd_opt(2199, 12, 31).unwrap(),
                NaiveDate::from_ymd_opt(2300, 6, 1).unwrap(),
            ])
            .collect();
        for &day in &days {
            assert_eq!(calendar.is_working_day(day), calendar.is_listed_working_day(day), "{day}");
            for n in [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 60] {
                assert_eq!(calendar.add_working_days(day, n), by_counting(day, n), "{day} + {n}");
            }
        }
        for (i, &a) in days.iter().enumerate().step_by(7) {
            for &b in days.iter().skip(i % 13).step_by(11) {
                assert_eq!(calendar.working_days_until(a, b), span(a, b), "{a} .. {b}");
            }
        }
    }
}
