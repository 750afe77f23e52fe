//! A citizen's rating of a counter: five levels, optional tags, comment and ticket number.

use super::{Field, FieldErrors, Problem, is_forbidden_char};
use serde::{Deserialize, Serialize};
use validator::ValidateLength;

/// The five levels of the national "good and bad review" practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RatingLevel {
    VeryDissatisfied = 1,
    Dissatisfied = 2,
    BasicallySatisfied = 3,
    Satisfied = 4,
    VerySatisfied = 5,
}

impl RatingLevel {
    /// From best to worst, the order in which the page offers them.
    pub const BEST_FIRST: [RatingLevel; 5] = [
        RatingLevel::VerySatisfied,
        RatingLevel::Satisfied,
        RatingLevel::BasicallySatisfied,
        RatingLevel::Dissatisfied,
        RatingLevel::VeryDissatisfied,
    ];

    pub fn parse(raw: &str) -> Option<RatingLevel> {
        match raw.trim() {
            "1" => Some(RatingLevel::VeryDissatisfied),
            "2" => Some(RatingLevel::Dissatisfied),
            "3" => Some(RatingLevel::BasicallySatisfied),
            "4" => Some(RatingLevel::Satisfied),
            "5" => Some(RatingLevel::VerySatisfied),
            _ => None,
        }
    }

    pub fn value(self) -> u8 {
        self as u8
    }

    /// The lowest good level: 3 to 5 count as good, 1 and 2 as bad (a bad one opens a
    /// follow-up case).
    pub const GOOD_FROM: u8 = 3;

    pub fn is_good(self) -> bool {
        self.value() >= Self::GOOD_FROM
    }
}

/// The fewest ratings for which a good rate is published: below it, a rate would let
/// someone work out one person's rating.
pub const MIN_RATINGS_FOR_RATE: u64 = 10;

/// Ratings counted by level (index 0 is level 1): the one home of "which are good" and
/// "when a rate may be shown".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    pub levels: [u64; 5],
}

impl LevelCounts {
    pub fn count(&self) -> u64 {
        self.levels.iter().sum()
    }

    /// Ratings of the good levels (`RatingLevel::GOOD_FROM` and up).
    pub fn good(&self) -> u64 {
        self.levels[usize::from(RatingLevel::GOOD_FROM) - 1..].iter().sum()
    }

    /// Whether there are enough ratings for a rate to be shown.
    pub fn has_rate(&self) -> bool {
        self.count() >= MIN_RATINGS_FOR_RATE
    }

    /// The counts by level as they may be published: only from `MIN_RATINGS_FOR_RATE`
    /// ratings, on every page and in every export. Fewer would let a clerk work out how the
    /// one or two people they served rated them.
    pub fn published(&self) -> Option<[u64; 5]> {
        self.has_rate().then_some(self.levels)
    }

    /// The good rate, rounded to a whole percent; `None` below `MIN_RATINGS_FOR_RATE`.
    pub fn good_percent(&self) -> Option<u32> {
        let n = self.count();
        self.has_rate().then(|| ((self.good() * 100 + n / 2) / n) as u32)
    }

    /// Takes `n` ratings of `level` out (an upheld appeal).
    pub fn leave_out(&mut self, level: i64, n: i64) {
        if let Some(slot) = usize::try_from(level - 1).ok().and_then(|i| self.levels.get_mut(i)) {
            *slot = slot.saturating_sub(n.max(0) as u64);
        }
    }
}

/// An aspect of the service a citizen can point out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RatingTag {
    Attitude = 0,
    Speed = 1,
    Guidance = 2,
    Waiting = 3,
    Environment = 4,
}

impl RatingTag {
    pub const ALL: [RatingTag; 5] = [
        RatingTag::Attitude,
        RatingTag::Speed,
        RatingTag::Guidance,
        RatingTag::Waiting,
        RatingTag::Environment,
    ];

    /// The stable code used in forms, data and exports.
    pub fn code(self) -> &'static str {
        match self {
            RatingTag::Attitude => "attitude",
            RatingTag::Speed => "speed",
            RatingTag::Guidance => "guidance",
            RatingTag::Waiting => "waiting",
            RatingTag::Environment => "environment",
        }
    }

    pub fn parse(code: &str) -> Option<RatingTag> {
        RatingTag::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A set of tags, stored as a small bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTags(u8);

impl RatingTags {
    pub fn insert(&mut self, tag: RatingTag) {
        self.0 |= 1 << tag.index();
    }
    pub fn contains(self, tag: RatingTag) -> bool {
        self.0 & (1 << tag.index()) != 0
    }
    pub fn bits(self) -> u8 {
        self.0
    }
}

/// A free-text comment: at most 500 characters, no control characters, never empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment(String);

impl Comment {
    pub const MAX_CHARS: u64 = 500;

    /// `Ok(None)` for a blank comment: the comment is optional.
    pub fn parse(raw: &str) -> Result<Option<Comment>, Problem> {
        // Browsers send line breaks as CRLF; count them as the page's counter does.
        let normalised = raw.replace("\r\n", "\n");
        let text = normalised.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if !text.validate_length(None, Some(Self::MAX_CHARS), None) {
            return Err(Problem::CommentTooLong);
        }
        if text.chars().any(is_forbidden_char) {
            return Err(Problem::TextControlChars);
        }
        Ok(Some(Comment(text.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A queue ticket or receipt number: 1 to 32 letters, digits or hyphens, upper-cased,
/// with spaces removed so that "a 0 12" and "A012" are the same ticket.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TicketNumber(String);

impl TicketNumber {
    pub const MAX_CHARS: u64 = 32;

    pub fn parse(raw: &str) -> Result<Option<TicketNumber>, Problem> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Ok(None);
        }
        let charset_ok = compact
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !charset_ok || !compact.validate_length(Some(1), Some(Self::MAX_CHARS), None) {
            return Err(Problem::TicketFormat);
        }
        Ok(Some(TicketNumber(compact.to_ascii_uppercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The rating form as it arrives, field by field, before anything is trusted.
/// Also what a page keeps to show the citizen what they typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub ticket: String,
}

/// A rating whose every field has been parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRating {
    pub level: RatingLevel,
    pub tags: RatingTags,
    pub comment: Option<Comment>,
    pub ticket: Option<TicketNumber>,
}

impl RatingForm {
    /// The most tags a form can carry; more is not a person using the page.
    const MAX_TAGS: usize = 16;

    /// Parses every field, collecting all problems so the citizen can fix them at once.
    pub fn parse(&self) -> Result<ValidRating, FieldErrors> {
        let mut errors = FieldErrors::default();
        let level = RatingLevel::parse(&self.level);
        if level.is_none() {
            errors.push(Field::Level, Problem::LevelRequired);
        }
        let mut tags = RatingTags::default();
        if self.tags.len() > Self::MAX_TAGS {
            errors.push(Field::Tags, Problem::TagUnknown);
        } else {
            for code in &self.tags {
                match RatingTag::parse(code) {
                    Some(tag) => tags.insert(tag),
                    None => {
                        errors.push(Field::Tags, Problem::TagUnknown);
                        break;
                    }
                }
            }
        }
        let comment = Comment::parse(&self.comment).map_err(|p| errors.push(Field::Comment, p));
        let ticket = TicketNumber::parse(&self.ticket).map_err(|p| errors.push(Field::Ticket, p));
        match (level, comment, ticket) {
            (Some(level), Ok(comment), Ok(ticket)) if errors.is_empty() => Ok(ValidRating {
                level,
                tags,
                comment,
                ticket,
            }),
            _ => Err(errors),
        }
    }

    pub fn has_tag(&self, tag: RatingTag) -> bool {
        self.tags.iter().any(|t| t == tag.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_published_only_from_the_minimum_a_rate_is_shown_for() {
        let few = LevelCounts { levels: [0, 0, 0, 0, 9] };
        assert_eq!((few.published(), few.good_percent()), (None, None));
        let enough = LevelCounts { levels: [1, 0, 0, 0, 9] };
        assert_eq!(enough.published(), Some([1, 0, 0, 0, 9]));
        assert_eq!(enough.good_percent(), Some(90));
    }

    fn form(level: &str, comment: &str, ticket: &str) -> RatingForm {
        RatingForm {
            level: level.into(),
            tags: vec![],
            comment: comment.into(),
            ticket: ticket.into(),
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let mut f = form("4", "  quick and kind ", " a-0 12 ");
        f.tags = vec!["speed".into(), "attitude".into()];
        let r = f.parse().unwrap();
        assert_eq!(r.level, RatingLevel::Satisfied);
        assert!(r.tags.contains(RatingTag::Speed) && !r.tags.contains(RatingTag::Waiting));
        assert_eq!(r.comment.unwrap().as_str(), "quick and kind");
        assert_eq!(r.ticket.unwrap().as_str(), "A-012");
    }

    #[test]
    fn a_missing_level_and_a_long_comment_are_both_reported() {
        let errors = form("", &"字".repeat(501), "").parse().unwrap_err();
        assert_eq!(errors.get(Field::Level), Some(Problem::LevelRequired));
        assert_eq!(errors.get(Field::Comment), Some(Problem::CommentTooLong));
    }

    #[test]
    fn line_breaks_count_once() {
        let text = "a\r\n".repeat(250);
        assert!(
            form("3", &text, "").parse().is_ok(),
            "250 lines of one character and a break are 500 characters"
        );
    }

    #[test]
    fn five_hundred_chinese_characters_fit() {
        assert!(form("3", &"好".repeat(500), "").parse().is_ok());
    }

    #[test]
    fn hostile_values_are_refused() {
        assert!(form("6", "", "").parse().is_err());
        assert!(form("3 OR 1=1", "", "").parse().is_err());
        assert_eq!(
            form("3", "a\u{0000}b", "")
                .parse()
                .unwrap_err()
                .get(Field::Comment),
            Some(Problem::TextControlChars)
        );
        assert_eq!(
            form("3", "", "A'; --")
                .parse()
                .unwrap_err()
                .get(Field::Ticket),
            Some(Problem::TicketFormat)
        );
        assert_eq!(
            form("3", "", &"9".repeat(33))
                .parse()
                .unwrap_err()
                .get(Field::Ticket),
            Some(Problem::TicketFormat)
        );
        let mut f = form("3", "", "");
        f.tags = vec!["bribery".into()];
        assert_eq!(
            f.parse().unwrap_err().get(Field::Tags),
            Some(Problem::TagUnknown)
        );
    }

    #[test]
    fn good_and_bad_follow_the_national_practice() {
        assert!(RatingLevel::BasicallySatisfied.is_good());
        assert!(!RatingLevel::Dissatisfied.is_good());
    }
}

/// Why a stored rating is held out of the statistics until the supervision bureau decides
/// (docs/TRANSPARENCY.md, "Stuffing").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HoldReason {
    /// More ratings of one counter from one browser (its device cookie) than a person gives.
    Device,
    /// More ratings of one counter from one address block (IPv4 /24, IPv6 /64).
    Address,
    /// More ratings at one counter in an hour than a window can serve.
    Counter,
    /// Far more ratings at one counter in an hour than its usual for that weekday and hour.
    Burst,
}

impl HoldReason {
    pub const ALL: [HoldReason; 4] = [
        HoldReason::Device,
        HoldReason::Address,
        HoldReason::Counter,
        HoldReason::Burst,
    ];

    /// Its name in the database, URLs and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::Device => "device",
            HoldReason::Address => "address",
            HoldReason::Counter => "counter",
            HoldReason::Burst => "burst",
        }
    }

    pub fn parse(raw: &str) -> Option<HoldReason> {
        HoldReason::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }
}

/// What the supervision bureau decides about held ratings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoldDecision {
    /// Counted from now on, as if never held.
    Released,
    /// Kept out of the statistics for good (still stored, still in the public record).
    Rejected,
}

impl HoldDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldDecision::Released => "released",
            HoldDecision::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<HoldDecision> {
        match raw.trim() {
            "released" | "release" => Some(HoldDecision::Released),
            "rejected" | "reject" => Some(HoldDecision::Rejected),
            _ => None,
        }
    }
}
