//! What can be wrong with a field, as stable keys that each page translates.

use crate::i18n::Strings;
use serde::{Deserialize, Serialize};

/// A form field that can carry an error. `id()` is the HTML id of its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Level,
    Tags,
    Comment,
    Ticket,
}

impl Field {
    pub fn id(self) -> &'static str {
        match self {
            Field::Level => "level-5",
            Field::Tags => "tag-attitude",
            Field::Comment => "comment",
            Field::Ticket => "ticket",
        }
    }
}

/// One problem with one field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    LevelRequired,
    TagUnknown,
    CommentTooLong,
    TextControlChars,
    TicketFormat,
    TicketUsed,
}

impl Problem {
    pub fn message(self, s: &Strings) -> &'static str {
        match self {
            Problem::LevelRequired => s.err_level_required,
            Problem::TagUnknown => s.err_tag_unknown,
            Problem::CommentTooLong => s.err_comment_too_long,
            Problem::TextControlChars => s.err_text_control_chars,
            Problem::TicketFormat => s.err_ticket_format,
            Problem::TicketUsed => s.err_ticket_used,
        }
    }
}

/// The problems of a whole form, in the order of its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(Field, Problem)>);

impl FieldErrors {
    pub fn single(field: Field, problem: Problem) -> Self {
        FieldErrors(vec![(field, problem)])
    }
    pub fn push(&mut self, field: Field, problem: Problem) {
        self.0.push((field, problem));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: Field) -> Option<Problem> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
    }
    /// A duplicate ticket is a conflict with stored data, not malformed input.
    pub fn is_conflict(&self) -> bool {
        self.0.iter().any(|(_, p)| *p == Problem::TicketUsed)
    }
}
