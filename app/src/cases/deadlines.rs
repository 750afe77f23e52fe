//! Time limits that enforce themselves.
//!
//! Every case stage has a deadline (limits per case kind and category, in working days;
//! the citizen's confirmation in calendar days). A scheduler inside each server calls
//! `run_deadlines` now and then: it reminds before a deadline, escalates an overdue case
//! to the department head and then to the supervision bureau (a case event and a
//! supervision order each), returns transfers nobody accepted, and closes replied cases the
//! citizen never confirmed. Each step is a case change guarded by the case's version, so
//! several servers over one database, or a restart half-way, never do a step twice.

use super::{CaseService, Extras, day_text, parse_day};
use crate::calendar::WorkingCalendar;
use crate::domain::case::{ActionKind, CaseKind, Change, Due, Stage, Status};
use crate::store::{CaseRecord, NewOrder, StoreError};
use chrono::NaiveDate;

/// What the scheduler must do to a case now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    /// A case the database opened (a bad rating's follow-up) gets its deadline.
    SetDeadline,
    /// The deadline is near: tell whoever holds the case.
    Remind,
    /// The deadline passed: up to level 1 (department head) or 2 (supervision bureau).
    Escalate(i64),
    /// A transfer nobody accepted in time goes back.
    ExpireTransfer,
    /// The citizen did not confirm in time: the case closes as unconfirmed.
    CloseUnconfirmed,
}

/// Working days past a deadline before the bureau takes an overdue case over from the head.
pub const BUREAU_AFTER_WORKING_DAYS: i64 = 2;
/// Working days before a deadline when the reminder goes out (0: on the day it is due).
pub const REMIND_WITHIN_WORKING_DAYS: i64 = 0;

/// What is due for a case on `today`: one step at a time, in order.
#[allow(clippy::too_many_arguments)]
pub fn duty(
    status: Status,
    due_on: Option<NaiveDate>,
    transfer_due_on: Option<NaiveDate>,
    escalation_step: i64,
    reminded_for: Option<NaiveDate>,
    paused: bool,
    has_department: bool,
    today: NaiveDate,
    calendar: &WorkingCalendar,
) -> Option<Duty> {
    if !status.is_open() {
        return None;
    }
    if status == Status::TransferPending && transfer_due_on.is_some_and(|d| d < today) {
        return Some(Duty::ExpireTransfer);
    }
    if paused {
        return None;
    }
    let Some(due) = due_on else {
        return (status != Status::Replied).then_some(Duty::SetDeadline);
    };
    if status == Status::Replied {
        return (due < today).then_some(Duty::CloseUnconfirmed);
    }
    let left = calendar.working_days_until(today, due);
    if due < today {
        if escalation_step < 1 {
            return Some(Duty::Escalate(if has_department { 1 } else { 2 }));
        }
        if escalation_step < 2 && left <= -BUREAU_AFTER_WORKING_DAYS {
            return Some(Duty::Escalate(2));
        }
        return None;
    }
    (left <= REMIND_WITHIN_WORKING_DAYS && reminded_for != Some(due)).then_some(Duty::Remind)
}

/// What one round of the scheduler did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeadlineRound {
    pub deadlines_set: usize,
    pub reminders: usize,
    pub escalations: usize,
    pub transfers_returned: usize,
    pub closed_unconfirmed: usize,
    /// Someone else (a person, another server) changed the case first: left for next time.
    pub skipped: usize,
}

impl CaseService {
    /// One round of the deadline scheduler, at the service clock's time.
    pub async fn run_deadlines(&self) -> Result<DeadlineRound, StoreError> {
        let today = self.today_date();
        let calendar = self.calendar();
        let horizon = calendar.add_working_days(today, REMIND_WITHIN_WORKING_DAYS as u32);
        let ids = self
            .0
            .store
            .cases_needing_attention(&day_text(today), &day_text(horizon), 1000)
            .await?;
        let mut round = DeadlineRound::default();
        for id in ids {
            let Some(case) = self.0.store.case_by_id(id).await? else {
                continue;
            };
            let status = case.status;
            let Some(duty) = duty(
                status,
                parse_day(case.due_on.as_deref()),
                parse_day(case.transfer_due_on.as_deref()),
                case.escalation_step,
                parse_day(case.reminded_for.as_deref()),
                case.paused_days_left.is_some(),
                case.holders.department_id.is_some(),
                today,
                &calendar,
            ) else {
                continue;
            };
            let done = self.perform(&case, status, duty).await?;
            match (done, duty) {
                (false, _) => round.skipped += 1,
                (true, Duty::SetDeadline) => round.deadlines_set += 1,
                (true, Duty::Remind) => round.reminders += 1,
                (true, Duty::Escalate(_)) => round.escalations += 1,
                (true, Duty::ExpireTransfer) => round.transfers_returned += 1,
                (true, Duty::CloseUnconfirmed) => round.closed_unconfirmed += 1,
            }
        }
        self.0
            .deadline_rounds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        crate::metrics::app()
            .scheduler_last_round_ms
            .store(chrono::Utc::now().timestamp_millis(), std::sync::atomic::Ordering::Relaxed);
        Ok(round)
    }

    /// How many scheduler rounds this server has finished.
    pub fn deadline_rounds(&self) -> u64 {
        self.0
            .deadline_rounds
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Does one duty; `false` if the case changed under it (nothing written).
    async fn perform(&self, case: &CaseRecord, status: Status, duty: Duty) -> Result<bool, StoreError> {
        let kind = case.kind;
        let mut extras = Extras::default();
        let change = match duty {
            Duty::SetDeadline => {
                // The follow-up's clock started when the rating came in.
                let stage = match (kind, status) {
                    (CaseKind::RatingFollowUp, _) => Stage::FollowUp,
                    (CaseKind::Complaint, Status::Submitted) => Stage::Accept,
                    (CaseKind::Complaint, _) => Stage::Reply,
                };
                let days = self.limits().days(kind, case.category.as_deref(), stage);
                let opened = self
                    .time_zone()
                    .timestamp_millis_opt(case.created_at)
                    .single()
                    .map(|t| t.date_naive())
                    .unwrap_or_else(|| self.today_date());
                let due = self.calendar().add_working_days(opened, days);
                return self.0.store.set_first_deadline(case.id, &day_text(due)).await;
            }
            Duty::Remind => {
                extras.reminded_for = Some(case.due_on.clone());
                Change::system(ActionKind::Remind, status, status)
            }
            Duty::Escalate(level) => {
                extras.escalation_step = Some(level);
                extras.level = Some(level);
                extras.order = Some(NewOrder {
                    level: if level >= 2 { "bureau" } else { "department" }.into(),
                    reason: "overdue".into(),
                    due_on: case.due_on.clone(),
                    body: None,
                    opened_by: None,
                });
                let mut change = Change::system(ActionKind::Escalate, status, status);
                if level >= 2 {
                    change.escalated = Some(true);
                }
                change.event_department_id = case.holders.department_id;
                change
            }
            Duty::ExpireTransfer => {
                let back = case.holders.status_before_transfer.unwrap_or(Status::Accepted);
                let mut change = Change::system(ActionKind::ExpireTransfer, status, back);
                change.holders.pending_department_id = Some(None);
                change.holders.status_before_transfer = Some(None);
                change.event_department_id = case.holders.pending_department_id;
                change
            }
            Duty::CloseUnconfirmed => {
                let mut change = Change::system(ActionKind::Unconfirmed, status, Status::Closed);
                change.due = Due::Clear;
                change
            }
        };
        let detail = match duty {
            Duty::Escalate(level) => Some(if level >= 2 { "bureau" } else { "department" }.to_string()),
            _ => None,
        };
        let update = self.update_for(case, &change, None, None, detail, extras).await?;
        let done = self.0.store.apply_change(&update).await?;
        if done {
            tracing::info!(case_id = case.id, action = change.action.code(), "deadline step");
        }
        Ok(done)
    }
}

use chrono::TimeZone;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{CN_MAINLAND_2025_2026, parse_calendar_csv};
    use crate::office::TimeLimits;
    use crate::store::TimeLimitRow;

    fn calendar() -> WorkingCalendar {
        let entries = parse_calendar_csv(CN_MAINLAND_2025_2026).unwrap();
        WorkingCalendar::new(entries.iter().map(|e| (e.day, e.kind)))
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn open(due: NaiveDate, step: i64, today: NaiveDate) -> Option<Duty> {
        duty(Status::Accepted, Some(due), None, step, None, false, true, today, &calendar())
    }

    #[test]
    fn a_case_is_reminded_then_escalated_to_the_head_then_to_the_bureau() {
        // Due Monday 2026-03-09.
        let due = d(2026, 3, 9);
        assert_eq!(open(due, 0, d(2026, 3, 6)), None, "one working day ahead");
        assert_eq!(open(due, 0, d(2026, 3, 8)), None, "Sunday: still one working day ahead");
        assert_eq!(open(due, 0, d(2026, 3, 9)), Some(Duty::Remind), "due today");
        assert_eq!(
            duty(Status::Accepted, Some(due), None, 0, Some(due), false, true, d(2026, 3, 9), &calendar()),
            None,
            "reminded once"
        );
        assert_eq!(open(due, 0, d(2026, 3, 10)), Some(Duty::Escalate(1)));
        assert_eq!(open(due, 1, d(2026, 3, 10)), None, "one working day late: still the head's");
        assert_eq!(open(due, 1, d(2026, 3, 11)), Some(Duty::Escalate(2)));
        assert_eq!(open(due, 2, d(2026, 3, 20)), None, "at the top: nothing more");
    }

    #[test]
    fn holidays_do_not_count_towards_the_bureau_and_make_up_days_do() {
        // Due Friday 2026-02-13. The 14th (Saturday) is a make-up working day; the 15th to
        // the 23rd are the Spring Festival.
        let due = d(2026, 2, 13);
        assert_eq!(open(due, 1, d(2026, 2, 14)), None, "one working day late");
        assert_eq!(
            open(due, 1, d(2026, 2, 23)),
            None,
            "the festival does not count: still one working day late"
        );
        assert_eq!(open(due, 1, d(2026, 2, 24)), Some(Duty::Escalate(2)));
    }

    #[test]
    fn an_unrouted_case_goes_straight_to_the_bureau() {
        let due = d(2026, 3, 9);
        assert_eq!(
            duty(Status::Submitted, Some(due), None, 0, None, false, false, d(2026, 3, 10), &calendar()),
            Some(Duty::Escalate(2))
        );
    }

    #[test]
    fn paused_cases_wait_and_replied_ones_close_unconfirmed_after_their_days() {
        let due = d(2026, 3, 9);
        assert_eq!(
            duty(Status::Accepted, None, None, 0, None, true, true, d(2026, 4, 1), &calendar()),
            None
        );
        assert_eq!(
            duty(Status::Replied, Some(due), None, 0, None, false, true, d(2026, 3, 9), &calendar()),
            None
        );
        assert_eq!(
            duty(Status::Replied, Some(due), None, 0, None, false, true, d(2026, 3, 10), &calendar()),
            Some(Duty::CloseUnconfirmed)
        );
        assert_eq!(
            duty(Status::TransferPending, Some(due), Some(d(2026, 3, 2)), 0, None, false, true, d(2026, 3, 3), &calendar()),
            Some(Duty::ExpireTransfer)
        );
        assert_eq!(
            duty(Status::Closed, Some(due), None, 0, None, false, true, d(2026, 5, 1), &calendar()),
            None
        );
    }

    #[test]
    fn limits_fall_back_from_category_to_kind_to_built_in() {
        let limits = TimeLimits::from_rows(vec![
            TimeLimitRow { kind: "complaint".into(), category: "".into(), stage: "reply".into(), days: 4 },
            TimeLimitRow { kind: "complaint".into(), category: "soliciting".into(), stage: "reply".into(), days: 2 },
        ]);
        assert_eq!(limits.days(CaseKind::Complaint, Some("soliciting"), Stage::Reply), 2);
        assert_eq!(limits.days(CaseKind::Complaint, Some("delay"), Stage::Reply), 4);
        assert_eq!(limits.days(CaseKind::Complaint, None, Stage::Accept), 1);
        assert_eq!(limits.days(CaseKind::RatingFollowUp, None, Stage::FollowUp), 3);
    }
}
