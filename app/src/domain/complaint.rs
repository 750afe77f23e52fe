//! A citizen's complaint as it arrives from the form, and the types it must parse into.
//!
//! The categories are DOMAIN.md's twelve, with stable codes for data, APIs and exports.
//! A complaint names where it happened (at least one of hall, department, counter), when,
//! what happened, optionally the staff member's name or badge as shown at the counter, and
//! either stays anonymous or gives a name with an email address and/or a phone number.

use super::{CounterCode, Field, FieldErrors, Problem, is_forbidden_char};
use serde::{Deserialize, Serialize};
use validator::{ValidateEmail, ValidateLength};

/// What a complaint is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    HardToEnter,
    ColdAttitude,
    RudeLanguage,
    HardToGetDone,
    AbsentFromPost,
    NotAttending,
    NotCompetent,
    ExtraRequirements,
    Favouritism,
    Soliciting,
    Delay,
    Other,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::HardToEnter,
        Category::ColdAttitude,
        Category::RudeLanguage,
        Category::HardToGetDone,
        Category::AbsentFromPost,
        Category::NotAttending,
        Category::NotCompetent,
        Category::ExtraRequirements,
        Category::Favouritism,
        Category::Soliciting,
        Category::Delay,
        Category::Other,
    ];

    /// The stable code (DOMAIN.md).
    pub fn code(self) -> &'static str {
        match self {
            Category::HardToEnter => "hard_to_enter",
            Category::ColdAttitude => "cold_attitude",
            Category::RudeLanguage => "rude_language",
            Category::HardToGetDone => "hard_to_get_done",
            Category::AbsentFromPost => "absent_from_post",
            Category::NotAttending => "not_attending",
            Category::NotCompetent => "not_competent",
            Category::ExtraRequirements => "extra_requirements",
            Category::Favouritism => "favouritism",
            Category::Soliciting => "soliciting",
            Category::Delay => "delay",
            Category::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    /// Position in `ALL`, for the translated names.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Where it happened: at least one of the three is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub hall: Option<String>,
    pub department: Option<String>,
    pub counter: Option<CounterCode>,
}

/// A calendar day, `YYYY-MM-DD`, checked to exist.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(String);

impl Day {
    pub fn parse(raw: &str) -> Option<Day> {
        let raw = raw.trim();
        let b = raw.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let number = |r: std::ops::Range<usize>| {
            raw.get(r)
                .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))?
                .parse::<u32>()
                .ok()
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 2000 && (1..=days_in_month).contains(&day)).then(|| Day(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A time of day, `HH:MM`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeOfDay(String);

impl TimeOfDay {
    pub fn parse(raw: &str) -> Option<TimeOfDay> {
        let (h, m) = raw.trim().split_once(':')?;
        let ok = h.len() == 2
            && m.len() == 2
            && h.parse::<u32>().ok()? < 24
            && m.parse::<u32>().ok()? < 60;
        ok.then(|| TimeOfDay(format!("{h}:{m}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A free text of bounded length with no control characters.
fn bounded_text(raw: &str, max_chars: u64, too_long: Problem) -> Result<Option<String>, Problem> {
    let normalised = raw.replace("\r\n", "\n");
    let text = normalised.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if !text.validate_length(None, Some(max_chars), None) {
        return Err(too_long);
    }
    if text.chars().any(is_forbidden_char) {
        return Err(Problem::TextControlChars);
    }
    Ok(Some(text.to_string()))
}

/// An email address, checked by the `validator` rules (HTML5's definition).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Email> {
        let email = raw.trim();
        (email.len() <= 254 && email.validate_email()).then(|| Email(email.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: 5 to 20 digits, optionally a leading +, spaces and hyphens ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Option<Phone> {
        let raw = raw.trim();
        let (plus, rest) = raw.strip_prefix('+').map(|r| ("+", r)).unwrap_or(("", raw));
        let digits: String = rest.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let ok = (5..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| Phone(format!("{plus}{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who complains: nobody known, or a person who can be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Complainant {
    Anonymous,
    Named {
        name: String,
        email: Option<Email>,
        phone: Option<Phone>,
    },
}

/// The complaint form as it arrives, before anything is trusted; also what a page keeps
/// to show the citizen what they typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub hall: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub counter: String,
    #[serde(default)]
    pub occurred_on: String,
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub what_happened: String,
    #[serde(default)]
    pub staff_named: String,
    /// "anonymous" or "named".
    #[serde(default)]
    pub identity: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// A complaint whose every field has been parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidComplaint {
    pub category: Category,
    pub place: Place,
    pub occurred_on: Day,
    pub occurred_at: Option<TimeOfDay>,
    pub what_happened: String,
    pub staff_named: Option<String>,
    pub complainant: Complainant,
}

impl ComplaintForm {
    pub const MAX_WHAT_HAPPENED: u64 = 4000;
    pub const MAX_STAFF_NAMED: u64 = 64;
    pub const MAX_NAME: u64 = 64;

    /// Parses every field, collecting every problem. `today` is the office's current day,
    /// so a complaint cannot be about the future.
    pub fn parse(&self, today: &Day) -> Result<ValidComplaint, FieldErrors> {
        let mut errors = FieldErrors::default();
        let category = Category::parse(&self.category);
        if category.is_none() {
            errors.push(Field::Category, Problem::CategoryRequired);
        }

        let code = |raw: &str| CounterCode::parse(raw).map(|c| c.as_str().to_string());
        let hall = code(&self.hall);
        let department = code(&self.department);
        let counter = CounterCode::parse(&self.counter);
        let unreadable = [(&self.hall, &hall), (&self.department, &department)]
            .iter()
            .any(|(raw, parsed)| !raw.trim().is_empty() && parsed.is_none())
            || (!self.counter.trim().is_empty() && counter.is_none());
        if unreadable || (hall.is_none() && department.is_none() && counter.is_none()) {
            errors.push(Field::Place, Problem::PlaceRequired);
        }

        let occurred_on = match Day::parse(&self.occurred_on) {
            Some(day) if &day > today => {
                errors.push(Field::OccurredOn, Problem::DateInFuture);
                None
            }
            Some(day) => Some(day),
            None => {
                errors.push(Field::OccurredOn, Problem::DateInvalid);
                None
            }
        };
        let occurred_at = if self.occurred_at.trim().is_empty() {
            None
        } else {
            let parsed = TimeOfDay::parse(&self.occurred_at);
            if parsed.is_none() {
                errors.push(Field::OccurredAt, Problem::TimeInvalid);
            }
            parsed
        };

        let what_happened = match bounded_text(
            &self.what_happened,
            Self::MAX_WHAT_HAPPENED,
            Problem::WhatHappenedTooLong,
        ) {
            Ok(Some(text)) => Some(text),
            Ok(None) => {
                errors.push(Field::WhatHappened, Problem::WhatHappenedRequired);
                None
            }
            Err(problem) => {
                errors.push(Field::WhatHappened, problem);
                None
            }
        };
        let staff_named = bounded_text(
            &self.staff_named,
            Self::MAX_STAFF_NAMED,
            Problem::StaffNamedTooLong,
        )
        .map_err(|p| errors.push(Field::StaffNamed, p));

        let complainant = match self.identity.trim() {
            "anonymous" => Some(Complainant::Anonymous),
            "named" => self.named(&mut errors),
            _ => {
                errors.push(Field::Identity, Problem::IdentityRequired);
                None
            }
        };

        match (
            category,
            occurred_on,
            what_happened,
            staff_named,
            complainant,
        ) {
            (
                Some(category),
                Some(occurred_on),
                Some(what_happened),
                Ok(staff_named),
                Some(complainant),
            ) if errors.is_empty() => Ok(ValidComplaint {
                category,
                place: Place {
                    hall,
                    department,
                    counter,
                },
                occurred_on,
                occurred_at,
                what_happened,
                staff_named,
                complainant,
            }),
            _ => Err(errors),
        }
    }

    fn named(&self, errors: &mut FieldErrors) -> Option<Complainant> {
        let name = match bounded_text(&self.name, Self::MAX_NAME, Problem::NameTooLong) {
            Ok(Some(name)) => Some(name),
            Ok(None) => {
                errors.push(Field::Name, Problem::NameRequired);
                None
            }
            Err(problem) => {
                errors.push(Field::Name, problem);
                None
            }
        };
        let email = (!self.email.trim().is_empty()).then(|| Email::parse(&self.email));
        let phone = (!self.phone.trim().is_empty()).then(|| Phone::parse(&self.phone));
        if matches!(email, Some(None)) {
            errors.push(Field::Email, Problem::EmailInvalid);
        }
        if matches!(phone, Some(None)) {
            errors.push(Field::Phone, Problem::PhoneInvalid);
        }
        if email.is_none() && phone.is_none() {
            errors.push(Field::Email, Problem::ContactRequired);
        }
        match (name, email, phone) {
            (Some(name), email, phone)
                if !matches!(email, Some(None))
                    && !matches!(phone, Some(None))
                    && (email.is_some() || phone.is_some()) =>
            {
                Some(Complainant::Named {
                    name,
                    email: email.flatten(),
                    phone: phone.flatten(),
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Day {
        Day::parse("2026-11-25").unwrap()
    }

    fn form() -> ComplaintForm {
        ComplaintForm {
            category: "cold_attitude".into(),
            counter: "a01".into(),
            occurred_on: "2026-11-24".into(),
            occurred_at: "09:30".into(),
            what_happened: "窗口人員不耐煩，叫我明天再來。".into(),
            staff_named: "工號 0371".into(),
            identity: "named".into(),
            name: "陳先生".into(),
            email: "chen@example.com".into(),
            ..ComplaintForm::default()
        }
    }

    #[test]
    fn a_complete_complaint_parses() {
        let c = form().parse(&today()).unwrap();
        assert_eq!(c.category, Category::ColdAttitude);
        assert_eq!(c.place.counter.unwrap().as_str(), "A01");
        assert_eq!(c.occurred_at.unwrap().as_str(), "09:30");
        assert!(matches!(
            c.complainant,
            Complainant::Named {
                email: Some(_),
                phone: None,
                ..
            }
        ));
    }

    #[test]
    fn every_category_code_round_trips() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
        assert_eq!(Category::ALL.len(), 12);
    }

    #[test]
    fn an_anonymous_complaint_needs_no_contact() {
        let f = ComplaintForm {
            identity: "anonymous".into(),
            name: String::new(),
            email: String::new(),
            ..form()
        };
        assert_eq!(
            f.parse(&today()).unwrap().complainant,
            Complainant::Anonymous
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let f = ComplaintForm {
            category: "bribery".into(),
            counter: String::new(),
            occurred_on: "2026-02-30".into(),
            occurred_at: "25:00".into(),
            what_happened: "字".repeat(4001),
            identity: "named".into(),
            name: String::new(),
            email: "not-an-email".into(),
            phone: "12".into(),
            ..form()
        };
        let errors = f.parse(&today()).unwrap_err();
        for (field, problem) in [
            (Field::Category, Problem::CategoryRequired),
            (Field::Place, Problem::PlaceRequired),
            (Field::OccurredOn, Problem::DateInvalid),
            (Field::OccurredAt, Problem::TimeInvalid),
            (Field::WhatHappened, Problem::WhatHappenedTooLong),
            (Field::Name, Problem::NameRequired),
            (Field::Email, Problem::EmailInvalid),
            (Field::Phone, Problem::PhoneInvalid),
        ] {
            assert_eq!(errors.get(field), Some(problem), "{field:?}");
        }
    }

    #[test]
    fn a_named_complainant_needs_a_way_to_be_answered() {
        let f = ComplaintForm {
            email: String::new(),
            phone: String::new(),
            ..form()
        };
        assert_eq!(
            f.parse(&today()).unwrap_err().get(Field::Email),
            Some(Problem::ContactRequired)
        );
        let by_phone = ComplaintForm {
            email: String::new(),
            phone: "+86 138-0000-0000".into(),
            ..form()
        };
        match by_phone.parse(&today()).unwrap().complainant {
            Complainant::Named { phone: Some(p), .. } => assert_eq!(p.as_str(), "+8613800000000"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_future_and_impossible_days_are_refused() {
        let f = ComplaintForm {
            occurred_on: "2026-11-26".into(),
            ..form()
        };
        assert_eq!(
            f.parse(&today()).unwrap_err().get(Field::OccurredOn),
            Some(Problem::DateInFuture)
        );
        assert!(Day::parse("2024-02-29").is_some());
        assert!(Day::parse("2025-02-29").is_none());
        assert!(Day::parse("2025-13-01").is_none());
        assert!(Day::parse("2025-1-01").is_none());
    }
}
