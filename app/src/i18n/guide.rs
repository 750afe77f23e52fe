//! The words of the public service guide (`/services`) and of its administration, in each
//! language. Texts with `{…}` placeholders are filled in by the page.

use super::Plural;

pub struct GuideStrings {
    pub nav: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub department_label: &'static str,
    pub all_departments: &'static str,
    pub show_button: &'static str,
    pub none: &'static str,
    /// A service's time limit in working days.
    pub days: Plural,
    pub on_the_spot: &'static str,
    pub time_limit: &'static str,
    pub bring: &'static str,
    pub counter_link: &'static str,
    pub complain_hint: &'static str,
    // Administration.
    pub admin_heading: &'static str,
    pub admin_intro: &'static str,
    pub item_col: &'static str,
    pub department_col: &'static str,
    pub days_col: &'static str,
    pub add_heading: &'static str,
    pub add_button: &'static str,
    /// `{code}`.
    pub change_legend: &'static str,
    pub change_button: &'static str,
    pub code_hint: &'static str,
    pub days_label: &'static str,
    pub days_hint: &'static str,
    pub materials_labels: [&'static str; 3],
    pub materials_hint: &'static str,
    /// created, changed.
    pub done: [&'static str; 2],
    /// service_item_created, service_item_changed.
    pub action_names: [&'static str; 2],
}

// The words themselves live in app/locales/<language>/guide.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/guide.rs"));
