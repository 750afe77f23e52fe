//! The words of the channels besides the web form, in each language: the Open311 GeoReport
//! v2 endpoint (`/open311/v2/`: its services' groups and refusals), the administrators' page
//! of the channels that post to it (`/staff/admin/channels`), and the staff's intake of
//! complaints received by telephone, letter, e-mail or in person (`/staff/intake`).

pub struct ChannelStrings {
    /// The services' groups: the four "hard to", the three "not", and conduct.
    pub group_names: [&'static str; 3],
    pub err_unknown_format: &'static str,
    pub err_unknown_service: &'static str,
    pub err_unknown_request: &'static str,
    pub err_bad_request_id: &'static str,
    pub err_bad_date: &'static str,
    pub err_bad_status: &'static str,
    pub err_dates_reversed: &'static str,
    pub err_bad_key: &'static str,
    pub err_bad_body: &'static str,
    /// The answer to a complaint taken: `{link}`, its tracking page.
    pub taken_notice: &'static str,
    pub err_bad_service_code: &'static str,
    pub err_unavailable: &'static str,
    pub channels_title: &'static str,
    pub channels_intro: &'static str,
    pub channels_name_label: &'static str,
    pub channels_name_hint: &'static str,
    pub channels_add_button: &'static str,
    pub channels_key_heading: &'static str,
    pub channels_key_text: &'static str,
    pub channels_none: &'static str,
    pub channels_col_name: &'static str,
    pub channels_col_created: &'static str,
    pub channels_col_last_used: &'static str,
    pub channels_col_complaints: &'static str,
    pub channels_col_state: &'static str,
    pub channels_in_use: &'static str,
    pub channels_revoked_at: &'static str,
    pub channels_never: &'static str,
    pub channels_revoke_button: &'static str,
    pub channels_revoked_done: &'static str,
    pub channels_link: &'static str,
    pub channel_label: &'static str,
    pub intake_title: &'static str,
    pub intake_intro: &'static str,
    pub intake_link: &'static str,
    pub intake_medium_legend: &'static str,
    pub intake_received_on: &'static str,
    pub intake_received_hint: &'static str,
    pub intake_citizen_name: &'static str,
    pub intake_anonymous_hint: &'static str,
    pub intake_named_hint: &'static str,
    pub intake_button: &'static str,
    pub intake_done_heading: &'static str,
    pub intake_done_text: &'static str,
    pub intake_open_case: &'static str,
    /// In `Medium::ALL` order.
    pub medium_names: [&'static str; 4],
    /// The audit trail's words for `channel_created` and `channel_revoked`.
    pub channel_actions: [&'static str; 2],
}

// The words themselves live in app/locales/<language>/channels.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/channels.rs"));
