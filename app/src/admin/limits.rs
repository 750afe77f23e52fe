//! The time limits of case handling (`/staff/admin/limits`, administrators): each stage's
//! limit for complaints of every category, a category's own accept and reply limits, and
//! the limits of a bad rating's follow-up. A changed limit applies to deadlines set from
//! then on; deadlines already set stay as they were promised.

use crate::domain::case::{CaseKind, Stage};
use crate::domain::complaint::Category;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The shortest and longest limit, in days (the database holds the same bounds).
pub const MIN_LIMIT_DAYS: u32 = 1;
pub const MAX_LIMIT_DAYS: u32 = 90;

/// One limit the page shows and the form sets: of a kind's stage, for every category
/// (`category: None`, required) or for one (blank: the kind's limit applies).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitCell {
    pub kind: CaseKind,
    pub category: Option<Category>,
    pub stage: Stage,
}

impl LimitCell {
    /// Every cell, in the page's order.
    pub fn all() -> Vec<LimitCell> {
        let every = |kind, stage| LimitCell { kind, category: None, stage };
        let mut cells = vec![
            every(CaseKind::Complaint, Stage::Accept),
            every(CaseKind::Complaint, Stage::Reply),
            every(CaseKind::Complaint, Stage::Confirm),
            every(CaseKind::Complaint, Stage::Transfer),
            every(CaseKind::RatingFollowUp, Stage::FollowUp),
            every(CaseKind::RatingFollowUp, Stage::Transfer),
        ];
        for category in Category::ALL {
            for stage in [Stage::Accept, Stage::Reply] {
                cells.push(LimitCell { kind: CaseKind::Complaint, category: Some(category), stage });
            }
        }
        cells
    }

    /// The form field's name (and, with `.` as `-`, its element id):
    /// `complaint.all.reply`, `complaint.rude_language.accept`.
    pub fn field(self) -> String {
        format!(
            "{}.{}.{}",
            self.kind.code(),
            self.category.map_or("all", Category::code),
            self.stage.code()
        )
    }

    pub fn id(self) -> String {
        self.field().replace('.', "-")
    }

    /// The `time_limits` table's category: `''` for every category.
    pub fn category_code(self) -> &'static str {
        self.category.map_or("", Category::code)
    }

    pub fn required(self) -> bool {
        self.category.is_none()
    }
}

/// What the page shows: each cell's field name and its days (none: not set).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimitsView {
    pub days: Vec<(String, Option<u32>)>,
}

impl TimeLimitsView {
    pub fn days_of(&self, cell: LimitCell) -> Option<u32> {
        let field = cell.field();
        self.days.iter().find(|(f, _)| *f == field).and_then(|(_, d)| *d)
    }
}

/// The posted form: the CSRF token and one value per cell, by field name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimitsForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(flatten)]
    pub values: HashMap<String, String>,
}

/// One cell of a posted form: the days asked for and, from the form's hidden `was.{field}`,
/// the days the page showed (`None`: the form did not say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitChange {
    pub cell: LimitCell,
    pub was: Option<Option<u32>>,
    pub days: Option<u32>,
}

impl LimitChange {
    /// Whether the administrator changed this cell on the page.
    pub fn edited(&self) -> bool {
        self.was != Some(self.days)
    }
}

/// The hidden field with the days a cell's field showed when the page was made.
pub fn was_field(cell: LimitCell) -> String {
    format!("was.{}", cell.field())
}

/// Reads a form into every cell's days; on a bad value (a required cell left blank, not a
/// whole number, out of range, missing), every cell with one.
pub fn parse_limits(form: &TimeLimitsForm) -> Result<Vec<LimitChange>, Vec<LimitCell>> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for cell in LimitCell::all() {
        let was = form.values.get(&was_field(cell)).map(|v| v.trim()).and_then(|v| match v {
            "" => Some(None),
            v => v.parse::<u32>().ok().map(Some),
        });
        let days = match form.values.get(&cell.field()).map(|v| v.trim()) {
            Some("") if !cell.required() => None,
            Some(text) => match text.parse::<u32>() {
                Ok(days) if (MIN_LIMIT_DAYS..=MAX_LIMIT_DAYS).contains(&days) => Some(days),
                _ => {
                    bad.push(cell);
                    continue;
                }
            },
            None => {
                bad.push(cell);
                continue;
            }
        };
        out.push(LimitChange { cell, was, days });
    }
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> TimeLimitsForm {
        let mut values: HashMap<String, String> =
            LimitCell::all().into_iter().map(|c| (c.field(), String::new())).collect();
        for cell in LimitCell::all().into_iter().filter(|c| c.required()) {
            values.insert(cell.field(), "3".into());
        }
        for (k, v) in pairs {
            values.insert(k.to_string(), v.to_string());
        }
        TimeLimitsForm { csrf_token: "t".into(), values }
    }

    #[test]
    fn every_cell_has_its_own_field_and_the_kinds_limits_are_required() {
        let cells = LimitCell::all();
        assert_eq!(cells.len(), 6 + 12 * 2);
        let fields: std::collections::HashSet<String> = cells.iter().map(|c| c.field()).collect();
        assert_eq!(fields.len(), cells.len());
        assert!(fields.contains("complaint.all.reply"));
        assert!(fields.contains("complaint.rude_language.accept"));
        assert!(fields.contains("rating_followup.all.follow_up"));
        assert_eq!(cells.iter().filter(|c| c.required()).count(), 6);
    }

    #[test]
    fn a_form_reads_into_days_and_blank_categories_fall_back() {
        let parsed = parse_limits(&form(&[("complaint.all.reply", " 4 "), ("complaint.delay.accept", "2")])).unwrap();
        let days = |field: &str| parsed.iter().find(|c| c.cell.field() == field).unwrap().days;
        assert_eq!(days("complaint.all.reply"), Some(4));
        assert_eq!(days("complaint.delay.accept"), Some(2));
        assert_eq!(days("complaint.delay.reply"), None);
        assert_eq!(days("complaint.all.confirm"), Some(3));
    }

    #[test]
    fn bad_values_are_each_named() {
        for bad in ["0", "91", "2.5", "-1", "abc", "1e1", "9999999999999"] {
            let refused = parse_limits(&form(&[("complaint.other.reply", bad)])).unwrap_err();
            assert_eq!(refused.iter().map(|c| c.field()).collect::<Vec<_>>(), ["complaint.other.reply"], "{bad}");
        }
        let refused = parse_limits(&form(&[("complaint.all.accept", "")])).unwrap_err();
        assert_eq!(refused[0].field(), "complaint.all.accept");
        let mut missing = form(&[]);
        missing.values.remove("rating_followup.all.transfer");
        assert_eq!(parse_limits(&missing).unwrap_err()[0].field(), "rating_followup.all.transfer");
        assert!(parse_limits(&form(&[("complaint.all.reply", "90"), ("complaint.other.reply", "1")])).is_ok());
    }

    #[test]
    fn a_cell_is_edited_when_it_differs_from_what_the_page_showed() {
        let parsed = parse_limits(&form(&[
            ("complaint.all.reply", "4"),
            ("was.complaint.all.reply", "5"),
            ("complaint.all.accept", "3"),
            ("was.complaint.all.accept", "3"),
            ("complaint.delay.accept", ""),
            ("was.complaint.delay.accept", ""),
            ("complaint.delay.reply", "2"),
            ("was.complaint.delay.reply", ""),
        ]))
        .unwrap();
        let of = |field: &str| *parsed.iter().find(|c| c.cell.field() == field).unwrap();
        assert!(of("complaint.all.reply").edited());
        assert!(!of("complaint.all.accept").edited());
        assert!(!of("complaint.delay.accept").edited());
        assert!(of("complaint.delay.reply").edited());
        assert_eq!(of("complaint.delay.reply").was, Some(None));
        // A form that does not say what it showed: every value is taken as asked for.
        assert_eq!(of("complaint.other.reply").was, None);
        assert!(of("complaint.other.reply").edited());
    }
}
