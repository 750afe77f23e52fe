//! The words of the time limits page (`/staff/admin/limits`), in each language.

use super::Plural;

pub struct LimitsStrings {
    pub title: &'static str,
    pub intro: &'static str,
    pub complaints_legend: &'static str,
    pub follow_ups_legend: &'static str,
    pub categories_heading: &'static str,
    pub categories_intro: &'static str,
    /// In `Stage::ALL` order: accept, reply, confirm, follow-up, transfer.
    pub stage_labels: [&'static str; 5],
    /// Under a category's field: `{days}`, the limit for every category.
    pub blank_hint: Plural,
    pub save_button: &'static str,
    pub saved: &'static str,
    pub unchanged: &'static str,
    pub err_range: &'static str,
    pub err_changed: &'static str,
    /// The audit trail's words for `time_limits_changed` and `calendar_loaded`.
    pub action_name: &'static str,
    pub calendar_action: &'static str,
}

// The words themselves live in app/locales/<language>/limits.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/limits.rs"));
