//! The words of the public record's page (`/transparency`) and its downloads' refusals, in
//! each language.

use crate::i18n::Plural;

pub struct TransparencyStrings {
    pub title: &'static str,
    pub nav_link: &'static str,
    pub intro: &'static str,
    pub what_heading: &'static str,
    pub what_text: &'static str,
    pub how_heading: &'static str,
    pub how_text: &'static str,
    pub held_heading: &'static str,
    /// Filled with device, address, counter, floor and factor (`TransparencyView::hold_limits`).
    pub held_text: &'static str,
    pub now_heading: &'static str,
    pub entries_label: &'static str,
    pub head_label: &'static str,
    pub digests_heading: &'static str,
    pub digests_caption: &'static str,
    pub no_digests: &'static str,
    pub col_day: &'static str,
    pub col_entries: &'static str,
    pub col_head: &'static str,
    pub col_previous: &'static str,
    pub col_entries_download: &'static str,
    pub col_check: &'static str,
    pub all_digests_json: &'static str,
    pub check_heading: &'static str,
    pub check_text: &'static str,
    /// `{day}`.
    pub check_button: &'static str,
    /// `{ $count }` entries of `{day}`.
    pub check_matches: Plural,
    pub check_matches_so_far: Plural,
    /// Beside today's row: its entries are not all in yet.
    pub so_far: &'static str,
    /// `{id}`, `{day}`.
    pub check_entry_differs: &'static str,
    /// `{day}`.
    pub check_head_differs: &'static str,
    pub check_unavailable: &'static str,
    /// `{day}`.
    pub check_no_digest: &'static str,
    pub bad_day_title: &'static str,
    pub bad_day_body: &'static str,
    /// `{day}`.
    pub no_entries_body: &'static str,
}

// The words themselves live in app/locales/<language>/transparency.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/transparency.rs"));
