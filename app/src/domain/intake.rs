//! A complaint a citizen made by telephone, letter, e-mail or in person, entered by staff:
//! the complaint form's fields, how it reached the office and the day it did.

use super::{ComplaintForm, Day, Field, FieldErrors, Problem, Role};
use serde::{Deserialize, Serialize};

/// Whether `role` enters complaints received by telephone, letter, e-mail or in person:
/// department heads for their hotline and letter box, the supervision bureau for its own.
pub fn may_take_in(role: Role) -> bool {
    matches!(role, Role::DepartmentHead | Role::Supervisor)
}

/// How a complaint reached the office when the citizen did not file it themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Medium {
    Telephone,
    Letter,
    Email,
    InPerson,
}

impl Medium {
    pub const ALL: [Medium; 4] = [Medium::Telephone, Medium::Letter, Medium::Email, Medium::InPerson];

    /// The stable code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Medium::Telephone => "telephone",
            Medium::Letter => "letter",
            Medium::Email => "email",
            Medium::InPerson => "in_person",
        }
    }

    pub fn parse(code: &str) -> Option<Medium> {
        Medium::ALL.into_iter().find(|m| m.code() == code.trim())
    }

    /// Position in `ALL`, for the translated names.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The staff's intake form: the complaint as the citizen told it, and how and when.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IntakeForm {
    pub csrf_token: String,
    /// One form, one complaint: a form sent twice is stored once.
    pub submission_id: String,
    pub medium: String,
    pub received_on: String,
    #[serde(flatten)]
    pub complaint: ComplaintForm,
}

/// How and when a complaint entered by staff reached the office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub medium: Medium,
    pub on: Day,
}

/// Days back a complaint may be entered: a letter found late is still taken, with its
/// deadlines already running.
pub const MAX_DAYS_BACK: i64 = 60;

impl IntakeForm {
    /// How and when, checked: a known medium, and a day from `MAX_DAYS_BACK` days before
    /// `today` up to today.
    pub fn received(&self, today: &Day) -> Result<Received, FieldErrors> {
        let mut errors = FieldErrors::default();
        let medium = Medium::parse(&self.medium);
        if medium.is_none() {
            errors.push(Field::Medium, Problem::ChoiceRequired);
        }
        let on = Day::parse(&self.received_on);
        match &on {
            None => errors.push(Field::ReceivedOn, Problem::DateInvalid),
            Some(day) if day > today => errors.push(Field::ReceivedOn, Problem::DateInFuture),
            Some(day) if days_between(day, today).is_none_or(|d| d > MAX_DAYS_BACK) => {
                errors.push(Field::ReceivedOn, Problem::DateInvalid)
            }
            Some(_) => {}
        }
        match (medium, on) {
            (Some(medium), Some(on)) if errors.is_empty() => Ok(Received { medium, on }),
            _ => Err(errors),
        }
    }
}

fn days_between(from: &Day, to: &Day) -> Option<i64> {
    Some(day_number(to)? - day_number(from)?)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` day (the proleptic Gregorian calendar).
fn day_number(day: &Day) -> Option<i64> {
    let mut parts = day.as_str().split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(medium: &str, on: &str) -> IntakeForm {
        IntakeForm { medium: medium.into(), received_on: on.into(), ..IntakeForm::default() }
    }

    #[test]
    fn how_and_when_are_parsed_or_refused_by_field() {
        let today = Day::parse("2026-03-10").unwrap();
        assert_eq!(
            form("letter", "2026-03-02").received(&today),
            Ok(Received { medium: Medium::Letter, on: Day::parse("2026-03-02").unwrap() })
        );
        for m in Medium::ALL {
            assert_eq!(Medium::parse(m.code()), Some(m));
        }
        let refused = |m: &str, on: &str| form(m, on).received(&today).unwrap_err().0;
        assert_eq!(refused("fax", "2026-03-02"), vec![(Field::Medium, Problem::ChoiceRequired)]);
        assert_eq!(refused("letter", "2026-03-11"), vec![(Field::ReceivedOn, Problem::DateInFuture)]);
        assert_eq!(refused("letter", "2025-12-01"), vec![(Field::ReceivedOn, Problem::DateInvalid)]);
        assert_eq!(refused("", "yesterday").len(), 2);
        assert_eq!(day_number(&Day::parse("2026-03-02").unwrap()), Some(20_514));
        assert_eq!(days_between(&Day::parse("2024-02-28").unwrap(), &Day::parse("2024-03-01").unwrap()), Some(2));
    }
}
