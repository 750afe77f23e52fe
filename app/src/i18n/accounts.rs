//! The words of the staff accounts page (administrators), in each language.

pub struct AccountStrings {
    pub heading: &'static str,
    pub intro: &'static str,
    pub username_col: &'static str,
    pub name_col: &'static str,
    pub role_col: &'static str,
    pub department_col: &'static str,
    pub badge_col: &'static str,
    pub status_col: &'static str,
    pub active: &'static str,
    pub closed: &'static str,
    pub add_heading: &'static str,
    pub add_button: &'static str,
    /// `{username}`.
    pub change_legend: &'static str,
    pub change_button: &'static str,
    pub password_legend: &'static str,
    pub password_button: &'static str,
    pub username_label: &'static str,
    pub username_hint: &'static str,
    pub display_name_label: &'static str,
    pub display_name_hint: &'static str,
    pub role_label: &'static str,
    pub department_label: &'static str,
    pub department_hint: &'static str,
    pub no_department: &'static str,
    pub badge_label: &'static str,
    pub badge_hint: &'static str,
    pub email_label: &'static str,
    pub email_hint: &'static str,
    pub active_label: &'static str,
    pub password_label: &'static str,
    pub password_hint: &'static str,
    /// created, changed, password.
    pub done: [&'static str; 3],
    /// staff_created, staff_changed, staff_password_set.
    pub action_names: [&'static str; 3],
    pub err_username_format: &'static str,
    pub err_username_taken: &'static str,
    pub err_password_short: &'static str,
    pub err_self_lockout: &'static str,
}

// The words themselves live in app/locales/<language>/accounts.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/accounts.rs"));
