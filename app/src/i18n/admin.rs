//! The words of the administration pages, the QR sheet and a retired counter's page, in
//! each language. Texts with `{…}` placeholders are filled in by the page.

pub struct AdminStrings {
    pub nav_admin: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub counters_heading: &'static str,
    pub code_col: &'static str,
    pub name_col: &'static str,
    pub place_col: &'static str,
    pub status_col: &'static str,
    pub open: &'static str,
    /// `{code}`.
    pub retired_to: &'static str,
    pub retired_plain: &'static str,
    pub add_heading: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub hall_label: &'static str,
    pub department_label: &'static str,
    pub name_labels: [&'static str; 3],
    pub add_button: &'static str,
    /// `{code}`.
    pub change_legend: &'static str,
    pub rename_button: &'static str,
    pub replaced_by_label: &'static str,
    pub replaced_by_hint: &'static str,
    pub no_replacement: &'static str,
    pub retire_button: &'static str,
    pub qr_heading: &'static str,
    /// `{hall}`.
    pub qr_link: &'static str,
    /// `{hall}`.
    pub qr_title: &'static str,
    pub qr_intro: &'static str,
    pub qr_card_hint: &'static str,
    pub audit_heading: &'static str,
    pub when_col: &'static str,
    pub who_col: &'static str,
    pub what_col: &'static str,
    pub subject_col: &'static str,
    pub detail_col: &'static str,
    pub no_audit: &'static str,
    /// created, renamed, retired.
    pub done: [&'static str; 3],
    /// counter_created, counter_renamed, counter_retired.
    pub action_names: [&'static str; 3],
    pub err_code_format: &'static str,
    pub err_code_taken: &'static str,
    pub err_days_range: &'static str,
    pub err_url_invalid: &'static str,
    pub url_heading: &'static str,
    pub url_label: &'static str,
    pub url_hint: &'static str,
    pub url_button: &'static str,
    pub url_done: &'static str,
    pub url_action: &'static str,
    pub halls_heading: &'static str,
    pub departments_heading: &'static str,
    pub add_hall: &'static str,
    pub add_department: &'static str,
    /// `{code}`.
    pub rename_legend: &'static str,
    /// created, renamed.
    /// Added, renamed, retired.
    pub place_done: [&'static str; 3],
    /// A hall's or department's retire button: `{code}`.
    pub retire_place: &'static str,
    /// Shown beside a retired hall or department.
    pub place_retired: &'static str,
    pub err_place_in_use: &'static str,
    /// hall_created, hall_renamed, department_created, department_renamed.
    pub place_actions: [&'static str; 4],
    pub retired_title: &'static str,
    pub retired_body: &'static str,
    /// `{name}`, `{code}`.
    pub go_instead: &'static str,
    pub rate_instead: &'static str,
}

// The words themselves live in app/locales/<language>/admin.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/admin.rs"));
