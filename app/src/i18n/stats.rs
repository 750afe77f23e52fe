//! The words of the statistics page and the open data, in each language. Texts with
//! `{…}` placeholders are filled in by the page.

use super::Plural;

pub struct StatsStrings {
    pub err_period_unknown: &'static str,
    pub err_range_backwards: &'static str,
    pub err_range_too_long: &'static str,
    pub err_level_unknown: &'static str,
    pub err_unit_unknown: &'static str,

    pub filters_legend: &'static str,
    pub period_label: &'static str,
    /// day, week, month, quarter, year, custom.
    pub period_names: [&'static str; 6],
    pub at_label: &'static str,
    pub at_hint: &'static str,
    pub from_label: &'static str,
    pub to_label: &'static str,
    pub custom_hint: &'static str,
    pub unit_label: &'static str,
    pub whole_centre: &'static str,
    /// halls, departments, counters (option groups).
    pub unit_groups: [&'static str; 3],
    pub show_button: &'static str,
    /// `{first}`, `{last}`.
    pub period_range: &'static str,
    /// `{day}`.
    pub counted_until: &'static str,
    pub not_begun: &'static str,
    pub previous_period: &'static str,
    pub next_period: &'static str,

    pub ratings_heading: &'static str,
    pub ratings_label: &'static str,
    pub good_rate_label: &'static str,
    /// `{low}`, `{high}`.
    pub interval: &'static str,
    pub too_few_for_rate: Plural,
    /// Ratings left out after an upheld appeal.
    pub excluded: Plural,
    /// Ratings held for review (`StatsView::held`).
    pub held: Plural,
    pub distribution_heading: &'static str,
    pub level_col: &'static str,
    pub count_col: &'static str,
    pub share_col: &'static str,

    pub complaints_heading: &'static str,
    pub category_col: &'static str,
    pub complaints_col: &'static str,
    pub no_complaints: &'static str,

    pub handling_heading: &'static str,
    pub handling_intro: &'static str,
    pub measure_col: &'static str,
    pub rate_col: &'static str,
    pub basis_col: &'static str,
    pub accepted_on_time: &'static str,
    pub replied_on_time: &'static str,
    pub median_close: &'static str,
    pub reopened: &'static str,
    pub substantiated: &'static str,
    pub followed_up_on_time: &'static str,
    /// `{done}`, `{of}`.
    pub of_cases: &'static str,
    /// `{n}`.
    pub closed_cases: &'static str,

    /// departments, counters.
    pub breakdown_headings: [&'static str; 2],
    pub unit_col: &'static str,
    pub on_time_col: &'static str,

    /// `{month}`.
    pub ranking_heading: &'static str,
    pub ranking_intro: Plural,
    pub red_heading: &'static str,
    pub black_heading: &'static str,
    pub too_few_heading: &'static str,
    pub rank_col: &'static str,
    /// departments, counters.
    pub ranked_groups: [&'static str; 2],
    pub nobody_ranked: &'static str,

    pub heatmap_heading: &'static str,
    pub heatmap_intro: &'static str,
    /// Monday first.
    pub weekday_names: [&'static str; 7],
    pub hour_col: &'static str,

    pub export_heading: &'static str,
    pub export_intro: &'static str,
    pub export_csv: &'static str,
    pub export_json: &'static str,
    pub chart_note: &'static str,
}

// The words themselves live in app/locales/<language>/stats.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/stats.rs"));
