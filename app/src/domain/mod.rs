//! Types that parse: a value of one of these types is valid by construction.
//!
//! Forms become these types first thing; storage and services accept nothing else. Each
//! failed parse names the field and the problem, so a page can say what is wrong in the
//! citizen's language and keep what they typed.

pub mod action;
pub mod case;
pub mod complaint;
pub mod counter;
pub mod intake;
pub mod photo;
pub mod problem;
pub mod rating;
pub mod stats;
pub mod staff;
pub mod tracking;

pub use complaint::{Category, Complainant, ComplaintForm, Day, Email, Phone, ValidComplaint};
pub use counter::CounterCode;
pub use problem::{Field, FieldErrors, Problem};
pub use rating::{
    Comment, HoldDecision, HoldReason, RatingForm, RatingLevel, RatingTag, RatingTags, TicketNumber, ValidRating,
};
pub use staff::Role;
pub use tracking::TrackingToken;

/// True for characters a free text may not hold: control characters other than
/// line breaks and tabs, and the bidirectional overrides used to disguise text.
pub(crate) fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
