//! The words of the Open311 GeoReport v2 endpoint (`/open311/v2/`): the groups its services
//! fall in and its refusals, in each language.

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
    pub err_no_keys: &'static str,
    pub err_unavailable: &'static str,
}

// The words themselves live in app/locales/<language>/open311.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/open311.rs"));
