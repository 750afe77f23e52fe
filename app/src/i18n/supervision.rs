//! The words of deadlines, supervision orders, accountability, the calendar and mail pages,
//! and the citizen's extra answers on the tracking page, in each language.

use super::Plural;

pub struct SupervisionStrings {
    // Tracking page.
    pub event_ask_info: &'static str,
    pub event_citizen_info: &'static str,
    pub event_finding: &'static str,
    pub event_unconfirmed: &'static str,
    pub info_legend: &'static str,
    pub info_hint: &'static str,
    pub info_button: &'static str,
    pub info_sent: &'static str,
    pub stop_mail_legend: &'static str,
    pub stop_mail_hint: &'static str,
    pub stop_mail_button: &'static str,
    pub mail_stopped: &'static str,
    pub awaiting_you: &'static str,

    // Findings.
    pub finding_label: &'static str,
    pub measure_label: &'static str,
    /// substantiated, partly, not substantiated.
    pub finding_names: [&'static str; 3],
    /// none, reminder, efficiency warning, admonition, referral.
    pub measure_names: [&'static str; 5],
    pub against_department: &'static str,
    pub against_staff: &'static str,
    pub case_department: &'static str,
    pub no_individual: &'static str,
    pub findings_heading: &'static str,
    pub no_findings: &'static str,
    pub question_label: &'static str,
    pub paused: &'static str,

    // Orders.
    pub orders_title: &'static str,
    pub orders_intro: &'static str,
    /// department head, supervision bureau.
    pub order_levels: [&'static str; 2],
    /// overdue, unsatisfied, ordered.
    pub order_reasons: [&'static str; 3],
    pub order_open: &'static str,
    pub order_closed: &'static str,
    pub order_comment_label: &'static str,
    pub order_comment_button: &'static str,
    pub order_close_label: &'static str,
    pub order_close_button: &'static str,
    pub no_orders: &'static str,
    pub open_only: &'static str,
    pub all_orders: &'static str,
    pub by_scheduler: &'static str,
    pub order_label: &'static str,
    pub missed_deadline: &'static str,
    pub comments: &'static str,
    pub order_instruction: &'static str,

    // Department page.
    pub department_title: &'static str,
    pub open_count: &'static str,
    pub overdue_count: &'static str,
    pub escalated_count: &'static str,
    pub period_from: &'static str,
    pub period_to: &'static str,
    pub show_button: &'static str,
    pub export_csv: &'static str,
    pub department_choice: &'static str,
    pub recorded_by: &'static str,

    // Calendar page.
    pub calendar_title: &'static str,
    pub calendar_intro: &'static str,
    pub calendar_file_label: &'static str,
    pub calendar_file_hint: &'static str,
    pub calendar_button: &'static str,
    pub calendar_loaded: Plural,
    pub calendar_refused: &'static str,
    pub calendar_empty: &'static str,
    pub line_n: &'static str,
    /// What is wrong with a line of a calendar file, in the order of `CalendarProblem`'s
    /// variants; `{day}` and `{line}` are filled in.
    pub calendar_problems: [&'static str; 9],
    /// holiday, make-up working day.
    pub day_kind_names: [&'static str; 2],
    pub no_days: &'static str,
    pub day_label: &'static str,
    pub name_label: &'static str,

    // Mail page.
    pub mail_title: &'static str,
    pub mail_pending: &'static str,
    pub mail_sent: &'static str,
    pub mail_dead: &'static str,
    pub mail_cancelled: &'static str,
    pub dead_letters: &'static str,
    pub no_dead_letters: &'static str,
    pub retry_button: &'static str,
    pub retried: &'static str,
    pub attempts: &'static str,
    pub last_error: &'static str,
    pub event_label: &'static str,
    pub created_label: &'static str,
    pub mail_folder_note: &'static str,

    // Held ratings.
    pub holds_title: &'static str,
    pub holds_intro: &'static str,
    pub no_holds: &'static str,
    pub held_counter: &'static str,
    pub held_when: &'static str,
    pub held_reason: &'static str,
    pub held_ratings: &'static str,
    pub held_good: &'static str,
    /// device, address, counter, burst (`HoldReason::ALL`).
    pub hold_reasons: [&'static str; 4],
    pub decision_label: &'static str,
    pub release_choice: &'static str,
    pub reject_choice: &'static str,
    pub why_label: &'static str,
    pub decide_button: &'static str,
    pub decided: Plural,
    pub err_already_decided: &'static str,

    // Navigation.
    pub nav_orders: &'static str,
    pub nav_departments: &'static str,
    pub nav_calendar: &'static str,
    pub nav_mail: &'static str,
    pub nav_holds: &'static str,
}

// The words themselves live in app/locales/<language>/supervision.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/supervision.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_string_is_empty_in_any_language() {
        for s in [&ZH_HANT, &ZH_HANS, &EN] {
            for text in [s.info_button, s.stop_mail_button, s.orders_title, s.calendar_title, s.retry_button] {
                assert!(!text.trim().is_empty());
            }
            assert!(s.calendar_loaded.of(2u32).contains('2') && s.line_n.contains("{n}"));
        }
    }
}
