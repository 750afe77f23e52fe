//! The words of the Open311 GeoReport v2 endpoint (`/open311/v2/`): the groups its services
//! fall in and its refusals; and of the administrators' page of the channels that post to
//! it (`/staff/admin/channels`), in each language.

pub struct Open311Strings {
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
    /// The audit trail's words for `channel_created` and `channel_revoked`.
    pub channel_actions: [&'static str; 2],
}

// The words themselves live in app/locales/<language>/open311.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/open311.rs"));
