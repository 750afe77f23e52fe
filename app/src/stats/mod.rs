//! Public satisfaction statistics: what the `/stats` page shows and the open-data export
//! serves. The filter is the page's URL query, so any view can be shared; the view is what
//! the page draws (charts and their data tables). Computed on the server (`service`).

use crate::i18n::Localized;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod generate;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod rollup;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use metrics::CaseMetrics;

/// The filters of a statistics view, exactly as they appear in the URL. Empty means the
/// default: this month, the whole centre.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct StatsFilter {
    /// day, week, month, quarter, year, custom.
    pub period: String,
    /// A day inside the period (`YYYY-MM-DD`).
    pub at: String,
    /// A custom range.
    pub from: String,
    pub to: String,
    /// centre, hall, department, counter.
    pub level: String,
    /// The code of the hall, department or counter.
    pub unit: String,
}

impl StatsFilter {
    /// The URL query of this filter, without empty values.
    pub fn query(&self) -> String {
        let pairs = [
            ("period", &self.period),
            ("at", &self.at),
            ("from", &self.from),
            ("to", &self.to),
            ("level", &self.level),
            ("unit", &self.unit),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencoding_light(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes what a filter value may hold (codes and dates need none of it).
fn urlencoding_light(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A unit the filter can name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOption {
    /// hall, department, counter.
    pub level: String,
    pub code: String,
    pub name: Localized,
}

/// A share with its rate, as the page prints it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub done: u64,
    pub of: u64,
}

impl Rate {
    #[cfg(feature = "ssr")]
    pub(crate) fn add(&mut self, done: bool) {
        self.of += 1;
        self.done += u64::from(done);
    }

    /// Whole percent, `None` of nothing.
    pub fn percent(&self) -> Option<u32> {
        (self.of > 0).then(|| ((self.done * 100 + self.of / 2) / self.of) as u32)
    }
}

/// The good rate of some ratings with its 95% Wilson interval, in tenths of a percent;
/// `None` below the minimum sample for a public rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoodRate {
    pub permille: u32,
    pub low_permille: u32,
    pub high_permille: u32,
}

/// One unit of the level below (or a ranked unit): its name, counts and rates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitLine {
    pub level: String,
    pub code: String,
    pub name: Localized,
    pub ratings: u64,
    /// Ratings of levels 3 to 5.
    pub good_ratings: u64,
    pub good: Option<GoodRate>,
    /// Follow-ups and replies in time, of those due.
    pub on_time: Rate,
}

/// The monthly red and black list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingView {
    /// `YYYY-MM`.
    pub month: String,
    pub min_ratings: u64,
    pub departments: RankLists,
    pub counters: RankLists,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RankLists {
    pub red: Vec<UnitLine>,
    pub black: Vec<UnitLine>,
    pub too_few: Vec<UnitLine>,
}

/// Ratings by weekday (Monday first) and hour of the day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    /// The hours shown, first to last (at least the office's usual 8 to 17).
    pub first_hour: u8,
    pub last_hour: u8,
    /// `cells[weekday][hour - first_hour]`: ratings.
    pub cells: Vec<Vec<u64>>,
    pub max: u64,
}

/// Everything the statistics page shows for one filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatsView {
    /// The filter as understood, with defaults filled in.
    pub filter: StatsFilter,
    /// First and last day of the period (`YYYY-MM-DD`).
    pub first: String,
    pub last: String,
    /// The last day counted: yesterday at most, today is never published.
    pub counted_until: Option<String>,
    /// The previous and next periods of the same kind, as URL queries.
    pub previous: String,
    pub next: Option<String>,
    pub unit_name: Option<Localized>,
    pub units: Vec<UnitOption>,
    pub ratings: u64,
    /// Ratings per level, `levels[0]` is level 1; all zero below the fewest ratings a rate
    /// is shown for (`LevelCounts::published`).
    pub levels: [u64; 5],
    /// Ratings taken out by upheld appeals (not in `ratings`).
    pub excluded: u64,
    /// Ratings held for review: waiting for the supervision bureau, or rejected by it (not
    /// in `ratings`).
    pub held: u64,
    pub good: Option<GoodRate>,
    pub min_ratings_for_rate: u64,
    pub complaints: u64,
    /// Complaints per category code, most first.
    pub categories: Vec<(String, u64)>,
    pub accepted_on_time: Rate,
    pub replied_on_time: Rate,
    /// Median working days to close, in tenths.
    pub median_days_to_close_tenths: Option<u32>,
    pub closed: u64,
    pub reopened: Rate,
    pub substantiated: Rate,
    pub followed_up_on_time: Rate,
    /// The units of the level below, each with its numbers.
    pub breakdown: Vec<UnitLine>,
    pub ranking: RankingView,
    /// For a department or a counter.
    pub heatmap: Option<Heatmap>,
}

/// What the statistics page gets: the view, or the filter refused with what was wrong (and
/// the units, so the form can be shown again with the typed values).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StatsAnswer {
    Shown(Box<StatsView>),
    Refused {
        filter: StatsFilter,
        errors: crate::domain::FieldErrors,
        units: Vec<UnitOption>,
    },
}

#[cfg(all(test, feature = "ssr"))]
mod tests;
