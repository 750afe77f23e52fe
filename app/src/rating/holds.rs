//! The supervision bureau's review of held ratings (`/staff/holds`): the queue, and
//! releasing or rejecting one line of it with a reason. Each decision is an entry of the
//! public record; a released rating counts from then on, and a released bad rating opens
//! its follow-up then (the database's `released_bad_ratings_open_a_follow_up`).

use super::{RatingError, RatingService};
use crate::domain::case::Actor;
use crate::domain::{CounterCode, Day, Field, FieldErrors, HoldDecision, HoldReason, Problem, Role};
use crate::i18n::Localized;
use crate::views::{HeldLine, HoldForm, HoldsView};

/// The longest reason a decision takes, in characters.
const MAX_WHY: usize = 500;

/// Only the supervision bureau reviews holds.
fn may_review(actor: &Actor) -> Result<(), RatingError> {
    match actor.role {
        Role::Supervisor => Ok(()),
        _ => Err(RatingError::Forbidden),
    }
}

impl RatingService {
    /// The queue: held ratings waiting for a decision, newest first.
    pub async fn holds_view(&self, actor: &Actor) -> Result<HoldsView, RatingError> {
        may_review(actor)?;
        let groups = self.store.held_groups().await.map_err(|_| RatingError::Unavailable)?;
        Ok(HoldsView {
            groups: groups
                .into_iter()
                .map(|g| HeldLine {
                    counter: g.counter_code,
                    counter_name: Localized {
                        zh_hant: g.name_zh_hant,
                        zh_hans: g.name_zh_hans,
                        en: g.name_en,
                    },
                    day: g.day,
                    hour: u8::try_from(g.hour).unwrap_or(0),
                    reason: g.reason,
                    ratings: g.ratings,
                    good: g.good,
                })
                .collect(),
        })
    }

    /// Releases or rejects one line of the queue; says how many ratings it decided. A line
    /// decided already is refused (`Problem::AlreadyDecided`, a conflict), nothing written.
    pub async fn decide_holds(&self, actor: &Actor, form: &HoldForm) -> Result<u64, RatingError> {
        may_review(actor)?;
        // The line's own fields come from the page: one that does not parse names no line.
        let counter = CounterCode::parse(&form.counter).ok_or(RatingError::UnknownCounter)?;
        let day = Day::parse(&form.day).ok_or(RatingError::UnknownCounter)?;
        let hour = form.hour.trim().parse::<u8>().ok().filter(|h| *h < 24).ok_or(RatingError::UnknownCounter)?;
        let reason = HoldReason::parse(&form.reason).ok_or(RatingError::UnknownCounter)?;
        let counter = match self.counters.find(&counter).await {
            Ok(Some(c)) => c,
            Ok(None) => return Err(RatingError::UnknownCounter),
            Err(_) => return Err(RatingError::Unavailable),
        };
        let mut errors = FieldErrors::default();
        let decision = HoldDecision::parse(&form.decision);
        if decision.is_none() {
            errors.push(Field::Decision, Problem::ChoiceRequired);
        }
        let why = form.why.trim();
        if why.is_empty() {
            errors.push(Field::Body, Problem::ReasonRequired);
        } else if why.chars().count() > MAX_WHY {
            errors.push(Field::Body, Problem::TextTooLong);
        } else if why.chars().any(crate::domain::is_forbidden_char) {
            errors.push(Field::Body, Problem::TextControlChars);
        }
        let Some(decision) = decision.filter(|_| errors.is_empty()) else {
            return Err(RatingError::Invalid(errors));
        };
        let decided = self
            .store
            .decide_held(counter.id, day.as_str(), hour, reason, decision, why, actor.id, self.clock.now_ms())
            .await
            .map_err(|_| RatingError::Unavailable)?;
        if decided == 0 {
            return Err(RatingError::Invalid(FieldErrors::single(Field::Decision, Problem::AlreadyDecided)));
        }
        tracing::info!(staff_id = actor.id, counter = counter.id, decided, decision = decision.as_str(), "held ratings decided");
        Ok(decided)
    }
}
