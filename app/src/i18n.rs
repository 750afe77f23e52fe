//! Languages and every user-facing string.
//!
//! The words live in Fluent files a translator can edit, `app/locales/<language>/<area>.ftl`;
//! the build turns them into one `static` table per language (see `app/build/locales.rs`).
//! A key missing from one language stops the build, not a blank on a citizen's phone.
//! Values go in as `{ $name }` and the code fills them with [`fill`]; words with a count in
//! them are a [`Plural`]. This module owns wording only: no markup, no routing.

mod cases;
mod accounts;
mod admin;
mod guide;
mod limits;
mod mail;
mod channels;
mod transparency;
mod stats;
mod supervision;

pub use cases::CaseStrings;
pub use accounts::AccountStrings;
pub use admin::AdminStrings;
pub use guide::GuideStrings;
pub use limits::LimitsStrings;
pub use mail::MailStrings;
pub use channels::ChannelStrings;
pub use transparency::TransparencyStrings;
pub use stats::StatsStrings;
pub use supervision::SupervisionStrings;
use serde::{Deserialize, Serialize};

/// A language the service speaks. zh-Hant is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    ZhHant,
    ZhHans,
    En,
}

/// Name of the cookie that remembers the chosen language.
pub const LOCALE_COOKIE: &str = "lang";

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::ZhHant, Locale::ZhHans, Locale::En];

    /// The BCP 47 tag, as used in `<html lang>`, the cookie and `/lang/{tag}`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhHant => "zh-Hant",
            Locale::ZhHans => "zh-Hans",
            Locale::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhHant => "繁體中文",
            Locale::ZhHans => "简体中文",
            Locale::En => "English",
        }
    }

    /// Parses a tag we issued ourselves (cookie, URL). Case-insensitive.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase();
        match tag.as_str() {
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant-tw" | "zh-hant-hk" => {
                Some(Locale::ZhHant)
            }
            "zh-hans" | "zh-cn" | "zh-sg" | "zh-hans-cn" | "zh-my" => Some(Locale::ZhHans),
            "zh" => Some(Locale::ZhHant),
            t if t == "en" || t.starts_with("en-") => Some(Locale::En),
            t if t.starts_with("zh-hant") => Some(Locale::ZhHant),
            t if t.starts_with("zh-hans") => Some(Locale::ZhHans),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, part) in header.split(',').enumerate().take(16) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(locale) = Locale::from_tag(tag) {
                let better = match best {
                    None => true,
                    Some((bq, bi, _)) => q > bq || (q == bq && index < bi),
                };
                if better {
                    best = Some((q, index, locale));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// Chooses the language for a request: the cookie first, then the browser's wish.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
        cookie
            .and_then(Locale::from_tag)
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default()
    }

    /// Reads our language cookie out of a `Cookie` header.
    pub fn cookie_value(cookie_header: &str) -> Option<&str> {
        crate::cookie(cookie_header, LOCALE_COOKIE)
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::ZhHant => &ZH_HANT,
            Locale::ZhHans => &ZH_HANS,
            Locale::En => &EN,
        }
    }
}

/// A text in the three languages, for names that come from data (halls, counters, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub zh_hant: String,
    pub zh_hans: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhHant => &self.zh_hant,
            Locale::ZhHans => &self.zh_hans,
            Locale::En => &self.en,
        }
    }
}

/// Fills a text's `{name}` places with values.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(text.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// Words with a count in them, in the forms the language has: English says "1 working day"
/// and "2 working days", Chinese has one form (the CLDR plural categories, for whole numbers).
#[derive(Debug)]
pub struct Plural {
    /// The name of the count in the words (`n` in `{n}`).
    pub var: &'static str,
    /// The words for exactly one, where the language has such a form.
    pub one: Option<&'static str>,
    pub other: &'static str,
}

impl Plural {
    /// The words for `count`, the count filled in; other values are left for [`fill`].
    pub fn of(&self, count: impl Into<u64>) -> String {
        let count = count.into();
        let words = match self.one {
            Some(one) if count == 1 => one,
            _ => self.other,
        };
        words.replace(&format!("{{{}}}", self.var), &count.to_string())
    }
}

/// Every fixed string of the interface in one language.
pub struct Strings {
    pub locale: Locale,
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    pub nav_home: &'static str,
    pub nav_complain: &'static str,
    pub nav_stats: &'static str,
    pub footer_hotline: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_find_counter: &'static str,
    pub home_find_counter_hint: &'static str,
    pub home_other_actions: &'static str,
    pub home_complain_link: &'static str,
    pub home_stats_link: &'static str,
    pub home_no_counters: &'static str,
    pub rate_link_prefix: &'static str,

    pub rate_title: &'static str,
    pub rate_where: &'static str,
    pub hall: &'static str,
    pub department: &'static str,
    pub counter: &'static str,
    pub level_legend: &'static str,
    pub level_names: [&'static str; 5],
    pub tags_legend: &'static str,
    pub tag_names: [&'static str; 5],
    pub comment_label: &'static str,
    pub comment_hint: &'static str,
    pub ticket_label: &'static str,
    pub ticket_hint: &'static str,
    pub submit_rating: &'static str,
    pub sending: &'static str,
    pub error_summary_title: &'static str,
    pub error_prefix: &'static str,
    pub no_ratings_yet: &'static str,

    pub thanks_title: &'static str,
    pub thanks_body: &'static str,
    pub thanks_complain: &'static str,
    pub thanks_rate_another: &'static str,

    pub counter_not_found_title: &'static str,
    pub counter_not_found_body: &'static str,
    pub page_not_found_title: &'static str,
    pub page_not_found_body: &'static str,
    pub back_home: &'static str,

    pub too_many_title: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request_body: &'static str,
    pub too_large_title: &'static str,
    pub too_large_body: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable_body: &'static str,
    pub network_error: &'static str,
    /// Under a counter's name: ratings before today, and with the good rate (`{percent}`).
    pub rating_count: Plural,
    pub rating_count_rate: Plural,
    pub too_many_body: Plural,
    pub locked_out: Plural,
    /// `{used}` of `{max}` characters, under a text box.
    pub chars_left: &'static str,

    pub err_level_required: &'static str,
    pub err_tag_unknown: &'static str,
    pub err_comment_too_long: &'static str,
    pub err_text_control_chars: &'static str,
    pub err_ticket_format: &'static str,
    pub err_ticket_used: &'static str,

    pub stats_title: &'static str,
    pub stats_intro: &'static str,
    pub stats_ratings: &'static str,
    pub stats_good_rate: &'static str,
    pub stats_good_rate_note: &'static str,
    pub not_applicable: &'static str,

    pub complain_title: &'static str,

    pub staff_login_title: &'static str,
    pub staff_login_intro: &'static str,
    /// Too many sign-ins at this moment.
    pub sign_in_busy: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub err_wrong_credentials: &'static str,
    pub staff_home_title: &'static str,
    pub signed_in_as: &'static str,
    pub sign_in_needed: &'static str,
    pub role_names: [&'static str; 4],

    pub err_category_required: &'static str,
    pub err_place_required: &'static str,
    pub err_date_invalid: &'static str,
    pub err_date_in_future: &'static str,
    pub err_time_invalid: &'static str,
    pub err_what_happened_required: &'static str,
    pub err_what_happened_too_long: &'static str,
    pub err_staff_named_too_long: &'static str,
    pub err_identity_required: &'static str,
    pub err_name_required: &'static str,
    pub err_name_too_long: &'static str,
    pub err_contact_required: &'static str,
    pub err_email_invalid: &'static str,
    pub err_phone_invalid: &'static str,
    /// Complaint categories, in `Category::ALL` order.
    pub category_names: [&'static str; 12],
    /// Complaints, tracking and the staff case pages.
    pub cases: &'static CaseStrings,
    pub supervision: &'static SupervisionStrings,
    pub stats: &'static StatsStrings,
    pub admin: &'static AdminStrings,
    pub guide: &'static GuideStrings,
    pub limits: &'static LimitsStrings,
    pub accounts: &'static AccountStrings,
    pub mail: &'static MailStrings,
    /// The channels besides the web form: Open311, its channels' keys, staff intake.
    pub channels: &'static ChannelStrings,
    /// The public record (`/transparency`).
    pub transparency: &'static TransparencyStrings,
}

impl Strings {
    /// "12 ratings before today, 83% good" under a counter's name.
    pub fn rating_summary(&self, ratings: u64, good_percent: Option<u32>) -> String {
        match good_percent {
            _ if ratings == 0 => self.no_ratings_yet.to_string(),
            None => self.rating_count.of(ratings),
            Some(p) => fill(&self.rating_count_rate.of(ratings), &[("percent", &p.to_string())]),
        }
    }

    /// The message of the rate-limit page.
    pub fn too_many_body(&self, retry_after_secs: u64) -> String {
        self.too_many_body.of(retry_after_secs)
    }

    /// Why sign-in is refused for now.
    pub fn locked_out(&self, retry_after_secs: u64) -> String {
        self.locked_out.of(retry_after_secs.div_ceil(60).max(1))
    }

    /// The "n of 500 characters" counter under a text box.
    pub fn chars_left(&self, used: usize, max: usize) -> String {
        fill(self.chars_left, &[("used", &used.to_string()), ("max", &max.to_string())])
    }
}

// The words themselves live in app/locales/<language>/main.ftl.
include!(concat!(env!("OUT_DIR"), "/locales/main.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality() {
        assert_eq!(
            Locale::from_accept_language("en;q=0.5, zh-CN;q=0.9, fr"),
            Some(Locale::ZhHans)
        );
        assert_eq!(
            Locale::from_accept_language("zh-TW,zh;q=0.9,en;q=0.8"),
            Some(Locale::ZhHant)
        );
        assert_eq!(
            Locale::from_accept_language("en-GB,en;q=0.9"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("fr-FR, de"), None);
        assert_eq!(
            Locale::from_accept_language("en;q=0, zh-Hans"),
            Some(Locale::ZhHans)
        );
    }

    #[test]
    fn cookie_beats_accept_language_and_default_is_traditional_chinese() {
        assert_eq!(Locale::negotiate(Some("en"), Some("zh-CN")), Locale::En);
        assert_eq!(
            Locale::negotiate(Some("garbage"), Some("zh-CN")),
            Locale::ZhHans
        );
        assert_eq!(Locale::negotiate(None, None), Locale::ZhHant);
        assert_eq!(
            Locale::cookie_value("a=b; lang=zh-Hans; c=d"),
            Some("zh-Hans")
        );
    }

    #[test]
    fn summaries_are_in_each_language() {
        assert_eq!(EN.rating_summary(1, None), "1 rating before today");
        assert_eq!(
            EN.rating_summary(12, Some(83)),
            "12 ratings before today, 83% good"
        );
        assert_eq!(
            ZH_HANS.rating_summary(12, Some(83)),
            "今天以前已有 12 条评价，好评率 83%"
        );
        assert_eq!(ZH_HANT.rating_summary(0, None), "今天以前尚無評價");
    }

    #[test]
    fn english_counts_take_the_singular_for_one_and_chinese_has_one_form() {
        assert_eq!(EN.locked_out(30), "Too many failed sign-ins. Try again in 1 minute.");
        assert_eq!(EN.locked_out(600), "Too many failed sign-ins. Try again in 10 minutes.");
        assert!(EN.too_many_body(1).contains("wait 1 second,"));
        assert_eq!(EN.cases.due_words(1), "due in 1 working day");
        assert_eq!(EN.cases.due_words(-3), "overdue by 3 working days");
        assert_eq!(EN.cases.due_words(0), "due today");
        assert_eq!(ZH_HANT.cases.due_words(1), "還有 1 個工作日");
        assert_eq!(EN.limits.blank_hint.of(1u32), "Blank: 1 day (every category)");
        assert_eq!(EN.chars_left(3, 500), "3 of 500 characters");
        assert_eq!(ZH_HANS.chars_left(3, 500), "已输入 3 / 500 字");
    }
}
