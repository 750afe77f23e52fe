//! The words of complaints, tracking and the staff case pages, in each language.

use super::Plural;

/// Every fixed string of the case pages in one language.
pub struct CaseStrings {
    // Filing.
    pub complain_title: &'static str,
    pub complain_intro: &'static str,
    pub category_legend: &'static str,
    /// What each category means, in `Category::ALL` order.
    pub category_hints: [&'static str; 12],
    pub place_legend: &'static str,
    pub place_hint: &'static str,
    pub hall: &'static str,
    pub department: &'static str,
    pub counter: &'static str,
    pub not_sure: &'static str,
    pub occurred_on: &'static str,
    pub occurred_on_hint: &'static str,
    pub occurred_at: &'static str,
    pub what_happened: &'static str,
    pub what_happened_hint: &'static str,
    pub staff_named: &'static str,
    pub staff_named_hint: &'static str,
    pub photos: &'static str,
    pub photos_hint: &'static str,
    pub photos_kept: &'static str,
    pub identity_legend: &'static str,
    pub anonymous: &'static str,
    pub anonymous_hint: &'static str,
    pub named: &'static str,
    pub named_hint: &'static str,
    pub your_name: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub optional: &'static str,
    pub continue_button: &'static str,
    pub check_title: &'static str,
    pub check_intro: &'static str,
    pub change_button: &'static str,
    pub send_button: &'static str,
    pub anonymous_summary: &'static str,

    // Tracking.
    pub track_title: &'static str,
    pub track_intro: &'static str,
    pub tracking_code: &'static str,
    pub tracking_code_hint: &'static str,
    pub follow_button: &'static str,
    pub track_not_found: &'static str,
    pub sent_title: &'static str,
    pub sent_body: &'static str,
    pub tracking_link: &'static str,
    pub reference: &'static str,
    pub status: &'static str,
    pub responsible: &'static str,
    pub not_routed_yet: &'static str,
    pub transfer_to: &'static str,
    pub due_by: &'static str,
    pub submitted_on: &'static str,
    pub timeline: &'static str,
    pub referral: &'static str,
    pub confirm_legend: &'static str,
    pub confirm_hint: &'static str,
    pub satisfied_button: &'static str,
    pub unsatisfied_reason: &'static str,
    pub unsatisfied_button: &'static str,
    pub confirmed_satisfied: &'static str,
    pub confirmed_unsatisfied: &'static str,
    /// In `Status::ALL` order.
    pub status_names: [&'static str; 8],
    /// What the citizen sees for each public event kind.
    pub event_submit: &'static str,
    pub event_accept: &'static str,
    pub event_reject: &'static str,
    pub event_transferred: &'static str,
    pub event_reply: &'static str,
    pub event_mark_replied: &'static str,
    pub event_close: &'static str,
    pub event_satisfied: &'static str,
    pub event_unsatisfied: &'static str,

    // Staff inbox.
    pub inbox_title: &'static str,
    pub scope_label: &'static str,
    /// mine, department, all, escalated, unrouted.
    pub scope_names: [&'static str; 5],
    pub filter_status: &'static str,
    pub any: &'static str,
    pub open_cases: &'static str,
    pub all_cases: &'static str,
    pub filter_category: &'static str,
    pub filter_kind: &'static str,
    pub kind_names: [&'static str; 2],
    pub filter_due: &'static str,
    pub due_overdue: &'static str,
    pub due_soon: &'static str,
    pub filter_button: &'static str,
    pub no_cases: &'static str,
    pub case_number: &'static str,
    pub escalated: &'static str,
    pub cases_heading: &'static str,

    // Staff case page.
    pub case_title: &'static str,
    pub back_to_inbox: &'static str,
    pub kind: &'static str,
    pub place: &'static str,
    pub occurred: &'static str,
    pub first_responder: &'static str,
    pub handler: &'static str,
    pub nobody_yet: &'static str,
    pub rating_level: &'static str,
    pub complainant: &'static str,
    pub complainant_anonymous: &'static str,
    pub complainant_withheld: &'static str,
    pub show_contact: &'static str,
    pub contact_views: &'static str,
    pub internal: &'static str,
    pub public_label: &'static str,
    pub by: &'static str,
    pub actions_heading: &'static str,
    pub no_actions: &'static str,
    pub photo_n: &'static str,
    pub appeal_label: &'static str,
    /// pending, upheld, dismissed.
    pub appeal_status_names: [&'static str; 3],
    /// A name for every action code, in `ActionKind::ALL` order; also the staff
    /// timeline's words.
    pub action_names: [&'static str; 25],
    /// Who is kept from a case.
    pub kept_away: &'static str,
    /// Why: named in the complaint, sits at its counter, marked by a head or the bureau.
    pub kept_why_names: [&'static str; 3],
    pub keep_away_who: &'static str,
    pub reason: &'static str,
    pub referral_label: &'static str,
    pub assignee: &'static str,
    pub transfer_department: &'static str,
    pub note_label: &'static str,
    pub note_hint: &'static str,
    pub reply_label: &'static str,
    pub reply_hint: &'static str,
    pub how_label: &'static str,
    /// called back, replied, not reached.
    pub how_names: [&'static str; 3],
    pub remedy_label: &'static str,
    pub decision_note: &'static str,
    pub choose: &'static str,
    pub done: &'static str,
    pub event_submitted_staff: &'static str,

    /// Deadlines in words: due today; due in `n` working days; overdue by `n`.
    pub due_today: &'static str,
    pub due_in: Plural,
    pub overdue_by: Plural,

    // Problems.
    pub forbidden_body: &'static str,
    pub case_changed: &'static str,
    pub err_place_unknown: &'static str,
    pub err_photo_not_image: &'static str,
    pub err_photo_too_large: &'static str,
    pub err_photo_room_used: &'static str,
    pub err_photo_too_many_pixels: &'static str,
    pub err_photo_damaged: &'static str,
    pub err_too_many_photos: &'static str,
    pub err_photo_gone: &'static str,
    pub err_text_required: &'static str,
    pub err_text_too_long: &'static str,
    pub err_reason_required: &'static str,
    pub err_assignee_invalid: &'static str,
    pub err_department_invalid: &'static str,
    pub err_choice_required: &'static str,
}

impl CaseStrings {
    /// A deadline `n` working days away (negative: passed), in words.
    pub fn due_words(&self, n: i64) -> String {
        match n {
            0 => self.due_today.to_string(),
            n if n > 0 => self.due_in.of(n.unsigned_abs()),
            n => self.overdue_by.of(n.unsigned_abs()),
        }
    }
}

// The words themselves live in app/locales/<language>/cases.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/cases.rs"));
