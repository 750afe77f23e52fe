//! A staff action as the case page posts it, and what it says checked: the action asked
//! for, the version of the case the page showed, and the texts and choices that action
//! needs. Whether the viewer may take it is `case::decide`'s question, asked later with the
//! case's facts; whether a chosen colleague or department exists is the service's.

use super::case::{ActionKind, FollowUpHow};
use super::{Field, Problem, is_forbidden_char};
use serde::{Deserialize, Serialize};

/// The longest note, reply or answer, in characters.
pub const MAX_TEXT: u64 = 4000;
/// The longest reason (for a rejection, an appeal, an order, a finding), in characters.
pub const MAX_REASON: u64 = 1000;
/// The longest referral or follow-up detail, in characters.
pub const MAX_DETAIL: u64 = 500;

/// A staff action form as posted (every field optional; `input` checks what each action
/// needs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub staff_id: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub how: String,
    /// A supervisor's finding: `substantiated`, `partly`, `not_substantiated`.
    #[serde(default)]
    pub finding: String,
    /// What was done: `none`, `reminder`, `efficiency_warning`, `admonition`, `referral`.
    #[serde(default)]
    pub measure: String,
}

impl ActionForm {
    pub fn how(&self) -> Option<FollowUpHow> {
        FollowUpHow::parse(&self.how)
    }
}

/// What an action carries, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionInput {
    /// The reason, note or answer.
    pub body: Option<String>,
    /// A rejection's referral, or how a follow-up reached the citizen (its code).
    pub detail: Option<String>,
    /// The colleague an assignment names.
    pub assignee: Option<i64>,
    /// The department a transfer names.
    pub department: Option<i64>,
}

impl ActionForm {
    /// The staff action it asks for; `None` for anything else (a citizen's or the
    /// scheduler's action is never taken from a staff form).
    pub fn staff_action(&self) -> Option<ActionKind> {
        ActionKind::parse(&self.action).filter(|a| ActionKind::STAFF.contains(a))
    }

    /// The version of the case the page showed; `None` if it is not a number.
    pub fn case_version(&self) -> Option<i64> {
        self.version.trim().parse().ok()
    }

    /// The texts and choices `action` needs, checked, so that what the citizen reads is
    /// never empty and no text runs past its limit.
    pub fn input(&self, action: ActionKind) -> Result<ActionInput, (Field, Problem)> {
        let reason = || text(&self.body, MAX_REASON, Field::Body, Problem::ReasonRequired);
        let words = || text(&self.body, MAX_TEXT, Field::Body, Problem::TextRequired);
        let mut input = match action {
            ActionKind::Reject => ActionInput {
                body: Some(reason()?),
                detail: optional_text(&self.detail, MAX_DETAIL, Field::Detail)?,
                ..ActionInput::default()
            },
            ActionKind::DeclineTransfer | ActionKind::Appeal | ActionKind::Order | ActionKind::Finding => {
                ActionInput { body: Some(reason()?), ..ActionInput::default() }
            }
            ActionKind::Note | ActionKind::Reply | ActionKind::AskInfo => {
                ActionInput { body: Some(words()?), ..ActionInput::default() }
            }
            ActionKind::FollowUp => {
                let how = self.how().ok_or((Field::How, Problem::ChoiceRequired))?;
                ActionInput {
                    body: Some(words()?),
                    detail: Some(how.code().to_string()),
                    ..ActionInput::default()
                }
            }
            _ => ActionInput {
                body: optional_text(&self.body, MAX_REASON, Field::Body)?,
                ..ActionInput::default()
            },
        };
        let chosen = |raw: &str, field: Field| raw.trim().parse::<i64>().map_err(|_| (field, Problem::ChoiceRequired));
        match action {
            ActionKind::Assign | ActionKind::KeepAway => input.assignee = Some(chosen(&self.staff_id, Field::Assignee)?),
            ActionKind::Transfer => input.department = Some(chosen(&self.department_id, Field::Department)?),
            _ => {}
        }
        Ok(input)
    }
}

/// A text of at most `max` characters (line breaks kept as `\n`, surrounding space
/// trimmed): `required` when empty, and no control characters or direction overrides.
pub fn text(raw: &str, max: u64, field: Field, required: Problem) -> Result<String, (Field, Problem)> {
    let text = raw.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err((field, required));
    }
    if text.chars().count() as u64 > max {
        return Err((field, Problem::TextTooLong));
    }
    if text.chars().any(is_forbidden_char) {
        return Err((field, Problem::TextControlChars));
    }
    Ok(text.to_string())
}

/// As `text`, where nothing at all is allowed.
pub fn optional_text(raw: &str, max: u64, field: Field) -> Result<Option<String>, (Field, Problem)> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    text(raw, max, field, Problem::TextRequired).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(action: &str, body: &str) -> ActionForm {
        ActionForm { action: action.into(), version: "3".into(), body: body.into(), ..ActionForm::default() }
    }

    #[test]
    fn only_staff_actions_and_numeric_versions_are_taken() {
        assert_eq!(form("accept", "").staff_action(), Some(ActionKind::Accept));
        assert_eq!(form("satisfied", "").staff_action(), None, "the citizen's, never from a staff form");
        assert_eq!(form("escalate", "").staff_action(), None, "the scheduler's");
        assert_eq!(form("accept", "").case_version(), Some(3));
        assert_eq!(ActionForm { version: "3a".into(), ..form("accept", "") }.case_version(), None);
    }

    #[test]
    fn each_action_gets_what_it_needs_checked() {
        assert_eq!(form("reject", " ").input(ActionKind::Reject), Err((Field::Body, Problem::ReasonRequired)));
        assert_eq!(form("reply", "").input(ActionKind::Reply), Err((Field::Body, Problem::TextRequired)));
        let long = "字".repeat(MAX_TEXT as usize + 1);
        assert_eq!(form("note", &long).input(ActionKind::Note), Err((Field::Body, Problem::TextTooLong)));
        assert_eq!(form("note", "a\u{202E}b").input(ActionKind::Note), Err((Field::Body, Problem::TextControlChars)));
        assert_eq!(form("follow_up", "called").input(ActionKind::FollowUp), Err((Field::How, Problem::ChoiceRequired)));
        assert_eq!(form("assign", "").input(ActionKind::Assign), Err((Field::Assignee, Problem::ChoiceRequired)));
        let assign = ActionForm { staff_id: " 7 ".into(), ..form("assign", "") };
        assert_eq!(assign.input(ActionKind::Assign).unwrap().assignee, Some(7));
        let reject = ActionForm { detail: "Go to counter B02".into(), ..form("reject", "Not ours\r\n") };
        let input = reject.input(ActionKind::Reject).unwrap();
        assert_eq!(input.body.as_deref(), Some("Not ours"));
        assert_eq!(input.detail.as_deref(), Some("Go to counter B02"));
        assert_eq!(form("accept", "").input(ActionKind::Accept), Ok(ActionInput::default()));
    }
}
