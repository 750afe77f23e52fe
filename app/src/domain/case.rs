//! A case's life: who may see it, who may do what in which state, and what each action
//! changes. Pure rules, no storage: the case service loads the facts, asks `decide`, and
//! stores the change with its event in one transaction.
//!
//! ```text
//! submitted ─► accepted (first responder set) ─► assigned ─► replied ─► closed (satisfied)
//!     │                                             ▲  │          │
//!     └─► rejected (reason, referral)               └──┘transfer  └─► reopened, escalated
//! ```

use super::Role;
use serde::{Deserialize, Serialize};

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Submitted,
    Accepted,
    Assigned,
    TransferPending,
    Replied,
    Reopened,
    Closed,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::Accepted,
        Status::Assigned,
        Status::TransferPending,
        Status::Replied,
        Status::Reopened,
        Status::Closed,
        Status::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Assigned => "assigned",
            Status::TransferPending => "transfer_pending",
            Status::Replied => "replied",
            Status::Reopened => "reopened",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Rejected)
    }

    /// Being worked on by a department (a reply, an assignment or a transfer may follow).
    fn in_hand(self) -> bool {
        matches!(self, Status::Accepted | Status::Assigned | Status::Reopened)
    }
}

/// A citizen's complaint, or the follow-up a bad rating opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseKind {
    Complaint,
    RatingFollowUp,
}

impl CaseKind {
    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Complaint => "complaint",
            CaseKind::RatingFollowUp => "rating_followup",
        }
    }

    pub fn parse(code: &str) -> Option<CaseKind> {
        match code {
            "complaint" => Some(CaseKind::Complaint),
            "rating_followup" => Some(CaseKind::RatingFollowUp),
            _ => None,
        }
    }
}

/// How a bad rating was followed up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUpHow {
    CalledBack,
    Replied,
    NotReached,
}

impl FollowUpHow {
    pub const ALL: [FollowUpHow; 3] = [
        FollowUpHow::CalledBack,
        FollowUpHow::Replied,
        FollowUpHow::NotReached,
    ];
    pub fn code(self) -> &'static str {
        match self {
            FollowUpHow::CalledBack => "called_back",
            FollowUpHow::Replied => "replied",
            FollowUpHow::NotReached => "not_reached",
        }
    }
    pub fn parse(code: &str) -> Option<FollowUpHow> {
        FollowUpHow::ALL.into_iter().find(|h| h.code() == code)
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Everything that can happen to a case, by its stable code (stored in `case_events.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Accept,
    Reject,
    Assign,
    Transfer,
    AcceptTransfer,
    DeclineTransfer,
    Note,
    Reply,
    MarkReplied,
    Close,
    FollowUp,
    Appeal,
    UpholdAppeal,
    DismissAppeal,
    /// The citizen: the answer helped.
    Satisfied,
    /// The citizen: it did not; the case reopens and goes to a supervisor.
    Unsatisfied,
    /// Staff ask the citizen for more information: the clock pauses.
    AskInfo,
    /// The citizen answers: the clock runs again.
    CitizenInfo,
    /// A supervisor records a finding and an action (accountability).
    Finding,
    /// A supervisor orders a follow-up (督辦).
    Order,
    /// A department head or the bureau keeps a colleague from the case (the complaint is
    /// about them in words the filing did not match, or they were involved): from then on
    /// they neither see it nor are given it.
    KeepAway,
    /// The scheduler: a deadline passed; the case goes up a level.
    Escalate,
    /// The scheduler: a deadline is near.
    Remind,
    /// The scheduler: a transfer not accepted in time returns to the sender.
    ExpireTransfer,
    /// The scheduler: the citizen did not confirm in time; the case closes unconfirmed.
    Unconfirmed,
}

impl ActionKind {
    pub const STAFF: [ActionKind; 18] = [
        ActionKind::Accept,
        ActionKind::Reject,
        ActionKind::Assign,
        ActionKind::Transfer,
        ActionKind::AcceptTransfer,
        ActionKind::DeclineTransfer,
        ActionKind::Note,
        ActionKind::Reply,
        ActionKind::MarkReplied,
        ActionKind::Close,
        ActionKind::FollowUp,
        ActionKind::Appeal,
        ActionKind::UpholdAppeal,
        ActionKind::DismissAppeal,
        ActionKind::AskInfo,
        ActionKind::Finding,
        ActionKind::Order,
        ActionKind::KeepAway,
    ];

    /// The citizen's and the scheduler's kinds, after the staff's in `ALL`.
    const OTHERS: [ActionKind; 7] = [
        ActionKind::Satisfied,
        ActionKind::Unsatisfied,
        ActionKind::CitizenInfo,
        ActionKind::Escalate,
        ActionKind::Remind,
        ActionKind::ExpireTransfer,
        ActionKind::Unconfirmed,
    ];

    /// Every kind: staff actions, the citizen's, the scheduler's.
    pub const ALL: [ActionKind; 25] = {
        let mut all = [ActionKind::Accept; 25];
        let mut i = 0;
        while i < all.len() {
            all[i] = if i < Self::STAFF.len() { Self::STAFF[i] } else { Self::OTHERS[i - Self::STAFF.len()] };
            i += 1;
        }
        assert!(Self::STAFF.len() + Self::OTHERS.len() == 25, "every kind once");
        all
    };

    /// The position in `ALL` (and in the translated action names).
    pub fn index(self) -> usize {
        ActionKind::ALL.iter().position(|a| *a == self).unwrap_or(0)
    }

    /// What the scheduler does by itself.
    pub const SYSTEM: [ActionKind; 4] = [
        ActionKind::Escalate,
        ActionKind::Remind,
        ActionKind::ExpireTransfer,
        ActionKind::Unconfirmed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Accept => "accept",
            ActionKind::Reject => "reject",
            ActionKind::Assign => "assign",
            ActionKind::Transfer => "transfer",
            ActionKind::AcceptTransfer => "accept_transfer",
            ActionKind::DeclineTransfer => "decline_transfer",
            ActionKind::Note => "note",
            ActionKind::Reply => "reply",
            ActionKind::MarkReplied => "mark_replied",
            ActionKind::Close => "close",
            ActionKind::FollowUp => "follow_up",
            ActionKind::Appeal => "appeal",
            ActionKind::UpholdAppeal => "uphold_appeal",
            ActionKind::DismissAppeal => "dismiss_appeal",
            ActionKind::Satisfied => "satisfied",
            ActionKind::Unsatisfied => "unsatisfied",
            ActionKind::AskInfo => "ask_info",
            ActionKind::CitizenInfo => "citizen_info",
            ActionKind::Finding => "finding",
            ActionKind::Order => "order",
            ActionKind::KeepAway => "keep_away",
            ActionKind::Escalate => "escalate",
            ActionKind::Remind => "remind",
            ActionKind::ExpireTransfer => "expire_transfer",
            ActionKind::Unconfirmed => "unconfirmed",
        }
    }

    pub fn parse(code: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Whether the citizen sees the event on the tracking page.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            ActionKind::Accept
                | ActionKind::Reject
                | ActionKind::AcceptTransfer
                | ActionKind::Reply
                | ActionKind::MarkReplied
                | ActionKind::Close
                | ActionKind::Satisfied
                | ActionKind::Unsatisfied
                | ActionKind::AskInfo
                | ActionKind::CitizenInfo
                | ActionKind::Finding
                | ActionKind::Unconfirmed
        )
    }
}

/// A signed-in staff member, as the rules need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: i64,
    pub role: Role,
    pub department_id: Option<i64>,
}

/// Who holds a case: its department, a transfer under way, its first responder and its
/// handler. Stored as columns of the case; the rules read it as one value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Holders {
    pub department_id: Option<i64>,
    /// The department a transfer waits on.
    pub pending_department_id: Option<i64>,
    /// Where a declined transfer returns the case to.
    pub status_before_transfer: Option<Status>,
    /// The first to accept: responsible for the case from then on.
    pub first_responder_id: Option<i64>,
    pub handler_id: Option<i64>,
}

/// How an action changes who holds a case. `None` in a field: unchanged; the first
/// responder, once set, is never unset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HolderChange {
    pub department_id: Option<Option<i64>>,
    pub pending_department_id: Option<Option<i64>>,
    pub status_before_transfer: Option<Option<Status>>,
    pub handler_id: Option<Option<i64>>,
    pub first_responder_id: Option<i64>,
}

impl HolderChange {
    /// The holders after the change.
    pub fn applied_to(&self, holders: Holders) -> Holders {
        Holders {
            department_id: self.department_id.unwrap_or(holders.department_id),
            pending_department_id: self.pending_department_id.unwrap_or(holders.pending_department_id),
            status_before_transfer: self.status_before_transfer.unwrap_or(holders.status_before_transfer),
            first_responder_id: self.first_responder_id.or(holders.first_responder_id),
            handler_id: self.handler_id.unwrap_or(holders.handler_id),
        }
    }
}

/// What the rules need to know of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    pub kind: CaseKind,
    pub status: Status,
    pub holders: Holders,
    /// Staff the complaint names.
    pub named_staff: Vec<i64>,
    pub has_public_reply: bool,
    /// An appeal against the rating of a follow-up case: `Some(true)` while undecided.
    pub appeal_pending: Option<bool>,
    /// Staff asked the citizen for more information and the clock is paused.
    pub awaiting_citizen: bool,
}

impl CaseFacts {
    fn of_my_department(&self, actor: &Actor) -> bool {
        actor.department_id.is_some() && self.holders.department_id == actor.department_id
    }

    fn head_here(&self, actor: &Actor) -> bool {
        actor.role == Role::DepartmentHead && self.of_my_department(actor)
    }

    /// The case is in the actor's hands: they are its handler and still work in its
    /// department (one who moved elsewhere keeps neither the case nor the complainant's
    /// details), or they are of the bureau.
    fn handles(&self, actor: &Actor) -> bool {
        self.holders.handler_id == Some(actor.id)
            && (actor.role == Role::Supervisor || self.of_my_department(actor))
    }

    pub fn names(&self, staff_id: i64) -> bool {
        self.named_staff.contains(&staff_id)
    }
}

/// Whether `actor` may see the case at all. Staff a complaint names never do.
pub fn can_see(actor: &Actor, case: &CaseFacts) -> bool {
    if case.names(actor.id) {
        return false;
    }
    let mine = case.handles(actor) || case.holders.first_responder_id == Some(actor.id);
    match actor.role {
        Role::Supervisor => true,
        Role::Administrator => false,
        Role::DepartmentHead => {
            mine || case.of_my_department(actor)
                || (actor.department_id.is_some()
                    && case.holders.pending_department_id == actor.department_id)
        }
        Role::CounterStaff => {
            mine || (case.status == Status::Submitted && case.of_my_department(actor))
        }
    }
}

/// Whether `actor` may see the complainant's name and contact details: supervisors and the
/// case's current handler only.
pub fn can_see_contact(actor: &Actor, case: &CaseFacts) -> bool {
    can_see(actor, case) && (actor.role == Role::Supervisor || case.handles(actor))
}

/// What `actor` may do to the case now.
pub fn allowed_actions(actor: &Actor, case: &CaseFacts) -> Vec<ActionKind> {
    if !can_see(actor, case) {
        return Vec::new();
    }
    ActionKind::STAFF
        .into_iter()
        .filter(|&action| may(actor, case, action))
        .collect()
}

fn may(actor: &Actor, case: &CaseFacts, action: ActionKind) -> bool {
    let supervisor = actor.role == Role::Supervisor;
    let head = case.head_here(actor);
    let works_here = matches!(actor.role, Role::CounterStaff | Role::DepartmentHead)
        && case.of_my_department(actor);
    let status = case.status;
    let complaint = case.kind == CaseKind::Complaint;
    match action {
        ActionKind::Accept => status == Status::Submitted && works_here,
        ActionKind::Reject => {
            complaint && status == Status::Submitted && (works_here || supervisor)
        }
        ActionKind::Assign => status.in_hand() && (head || supervisor),
        ActionKind::Transfer => {
            (status.in_hand() || status == Status::Submitted) && (head || supervisor)
        }
        ActionKind::AcceptTransfer | ActionKind::DeclineTransfer => {
            status == Status::TransferPending
                && (supervisor
                    || (actor.role == Role::DepartmentHead
                        && actor.department_id.is_some()
                        && case.holders.pending_department_id == actor.department_id))
        }
        ActionKind::Note => true,
        ActionKind::Reply => {
            complaint
                && (status.in_hand() || status == Status::Replied)
                && (case.handles(actor) || head || supervisor)
        }
        ActionKind::MarkReplied => {
            complaint
                && status.in_hand()
                && case.has_public_reply
                && (case.handles(actor) || head || supervisor)
        }
        ActionKind::Close => status == Status::Replied && (head || supervisor),
        ActionKind::FollowUp => {
            !complaint && status.in_hand() && (case.handles(actor) || head || supervisor)
        }
        ActionKind::Appeal => {
            !complaint
                && status.is_open()
                && case.appeal_pending.is_none()
                && (case.handles(actor) || head)
        }
        ActionKind::UpholdAppeal | ActionKind::DismissAppeal => {
            supervisor && case.appeal_pending == Some(true)
        }
        ActionKind::AskInfo => {
            complaint
                && status.in_hand()
                && !case.awaiting_citizen
                && (case.handles(actor) || head || supervisor)
        }
        ActionKind::Finding => supervisor && complaint,
        ActionKind::Order => supervisor && status.is_open(),
        ActionKind::KeepAway => status.is_open() && (head || supervisor),
        ActionKind::Satisfied | ActionKind::Unsatisfied | ActionKind::CitizenInfo => false,
        ActionKind::Escalate
        | ActionKind::Remind
        | ActionKind::ExpireTransfer
        | ActionKind::Unconfirmed => false,
    }
}

/// A stage of a case, each with its own time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// A new complaint waits to be accepted.
    Accept,
    /// An accepted complaint waits for its reply.
    Reply,
    /// A replied complaint waits for the citizen (calendar days, not working days).
    Confirm,
    /// A bad rating waits for its follow-up.
    FollowUp,
    /// A transfer waits for the receiving head.
    Transfer,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Accept,
        Stage::Reply,
        Stage::Confirm,
        Stage::FollowUp,
        Stage::Transfer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Accept => "accept",
            Stage::Reply => "reply",
            Stage::Confirm => "confirm",
            Stage::FollowUp => "follow_up",
            Stage::Transfer => "transfer",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The built-in limit, used when no row of the time limits table applies.
    pub fn default_days(self) -> u32 {
        match self {
            Stage::Accept | Stage::Transfer => 1,
            Stage::Reply => 5,
            Stage::Confirm => 7,
            Stage::FollowUp => 3,
        }
    }

    /// The citizen's time to confirm counts calendar days; every other stage working days.
    pub fn counts_calendar_days(self) -> bool {
        self == Stage::Confirm
    }
}

/// What a supervisor found on a complaint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Finding {
    Substantiated,
    Partly,
    NotSubstantiated,
}

impl Finding {
    pub const ALL: [Finding; 3] = [
        Finding::Substantiated,
        Finding::Partly,
        Finding::NotSubstantiated,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Finding::Substantiated => "substantiated",
            Finding::Partly => "partly",
            Finding::NotSubstantiated => "not_substantiated",
        }
    }
    pub fn parse(code: &str) -> Option<Finding> {
        Finding::ALL.into_iter().find(|f| f.code() == code)
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What was done about it (accountability, 責任追究).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    None,
    Reminder,
    /// 效能告誡
    EfficiencyWarning,
    /// 誡勉
    Admonition,
    /// Referral for discipline.
    Referral,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::None,
        Measure::Reminder,
        Measure::EfficiencyWarning,
        Measure::Admonition,
        Measure::Referral,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Measure::None => "none",
            Measure::Reminder => "reminder",
            Measure::EfficiencyWarning => "efficiency_warning",
            Measure::Admonition => "admonition",
            Measure::Referral => "referral",
        }
    }
    pub fn parse(code: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.code() == code)
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How a change moves the case's deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Keep,
    Clear,
    /// The limit of this stage, from today.
    Stage(Stage),
    /// The clock stops: the days left are kept until the citizen answers.
    Pause,
    /// The clock runs again with the days that were left.
    Resume,
}

/// What an action changes. `None` in a field: unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub action: ActionKind,
    pub from: Status,
    pub to: Status,
    pub holders: HolderChange,
    pub escalated: Option<bool>,
    pub due: Due,
    /// The department or staff member the event is about (transfer target, assignee).
    pub event_department_id: Option<i64>,
    pub event_staff_id: Option<i64>,
}

impl Change {
    /// A change the scheduler makes by itself.
    pub fn system(action: ActionKind, from: Status, to: Status) -> Change {
        Change::new(action, from, to)
    }

    fn new(action: ActionKind, from: Status, to: Status) -> Change {
        Change {
            action,
            from,
            to,
            holders: HolderChange::default(),
            escalated: None,
            due: Due::Keep,
            event_department_id: None,
            event_staff_id: None,
        }
    }
}

/// Why an action was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not do this to this case (or not in its state).
    NotAllowed,
    /// The chosen assignee is not a staff member of the department, or the complaint
    /// names them.
    BadAssignee,
    /// The chosen department is not another existing department.
    BadDepartment,
}

/// The assignee or department an action names, checked against the database by the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    None,
    /// A staff member: their id and department.
    Staff {
        id: i64,
        department_id: Option<i64>,
        role: Role,
        active: bool,
    },
    Department(i64),
}

/// Decides what a staff action does to a case.
pub fn decide(
    actor: &Actor,
    case: &CaseFacts,
    action: ActionKind,
    target: Target,
) -> Result<Change, Refusal> {
    if !may(actor, case, action) || !can_see(actor, case) {
        return Err(Refusal::NotAllowed);
    }
    let from = case.status;
    let complaint = case.kind == CaseKind::Complaint;
    let mut change = Change::new(action, from, from);
    match action {
        ActionKind::Accept => {
            change.to = Status::Accepted;
            change.holders.handler_id = Some(Some(actor.id));
            change.holders.first_responder_id = Some(case.holders.first_responder_id.unwrap_or(actor.id));
            // A complaint's reply clock starts; a bad rating's follow-up keeps its own.
            if complaint {
                change.due = Due::Stage(Stage::Reply);
            }
            change.event_department_id = case.holders.department_id;
        }
        ActionKind::Reject => {
            change.to = Status::Rejected;
            change.due = Due::Clear;
        }
        ActionKind::Assign => {
            let Target::Staff {
                id,
                department_id,
                role,
                active,
            } = target
            else {
                return Err(Refusal::BadAssignee);
            };
            let fits = active
                && department_id.is_some()
                && department_id == case.holders.department_id
                && matches!(role, Role::CounterStaff | Role::DepartmentHead)
                && !case.names(id);
            if !fits {
                return Err(Refusal::BadAssignee);
            }
            change.to = Status::Assigned;
            change.holders.handler_id = Some(Some(id));
            change.event_staff_id = Some(id);
        }
        ActionKind::Transfer => {
            let Target::Department(department) = target else {
                return Err(Refusal::BadDepartment);
            };
            if case.holders.department_id == Some(department) {
                return Err(Refusal::BadDepartment);
            }
            change.event_department_id = Some(department);
            if case.holders.department_id.is_none() {
                // Not yet routed (the complaint named only a hall): a supervisor routes it.
                change.holders.department_id = Some(Some(department));
            } else {
                change.to = Status::TransferPending;
                change.holders.pending_department_id = Some(Some(department));
                change.holders.status_before_transfer = Some(Some(from));
            }
        }
        ActionKind::AcceptTransfer => {
            change.to = Status::Accepted;
            change.holders.department_id = Some(case.holders.pending_department_id);
            change.holders.pending_department_id = Some(None);
            change.holders.status_before_transfer = Some(None);
            change.holders.handler_id = Some(Some(actor.id));
            // The first responder stays accountable through every transfer.
            change.holders.first_responder_id = Some(case.holders.first_responder_id.unwrap_or(actor.id));
            change.event_department_id = case.holders.pending_department_id;
        }
        ActionKind::DeclineTransfer => {
            change.to = case.holders.status_before_transfer.unwrap_or(Status::Accepted);
            change.holders.pending_department_id = Some(None);
            change.holders.status_before_transfer = Some(None);
            change.event_department_id = case.holders.pending_department_id;
        }
        ActionKind::Note | ActionKind::Reply | ActionKind::Appeal => {}
        ActionKind::UpholdAppeal | ActionKind::DismissAppeal => {}
        ActionKind::MarkReplied => {
            change.to = Status::Replied;
            change.due = Due::Stage(Stage::Confirm);
        }
        ActionKind::Close | ActionKind::FollowUp => {
            change.to = Status::Closed;
            change.due = Due::Clear;
        }
        ActionKind::AskInfo => change.due = Due::Pause,
        ActionKind::Finding | ActionKind::Order => {}
        ActionKind::KeepAway => {
            let Target::Staff { id, role, .. } = target else {
                return Err(Refusal::BadAssignee);
            };
            if case.names(id) || role == Role::Administrator {
                return Err(Refusal::BadAssignee);
            }
            change.event_staff_id = Some(id);
            // Their hands are off it: the case waits for the head to give it to someone else.
            if case.holders.handler_id == Some(id) {
                change.holders.handler_id = Some(None);
                if from == Status::Assigned {
                    change.to = Status::Accepted;
                }
            }
        }
        ActionKind::Satisfied | ActionKind::Unsatisfied | ActionKind::CitizenInfo => {
            return Err(Refusal::NotAllowed);
        }
        ActionKind::Escalate
        | ActionKind::Remind
        | ActionKind::ExpireTransfer
        | ActionKind::Unconfirmed => return Err(Refusal::NotAllowed),
    }
    Ok(change)
}

/// Decides the citizen's answer to a reply: satisfied closes the case; unsatisfied reopens
/// it and escalates it to a supervisor.
pub fn decide_citizen(case: &CaseFacts, satisfied: bool) -> Result<Change, Refusal> {
    if case.kind != CaseKind::Complaint || case.status != Status::Replied {
        return Err(Refusal::NotAllowed);
    }
    Ok(if satisfied {
        let mut change = Change::new(ActionKind::Satisfied, Status::Replied, Status::Closed);
        change.due = Due::Clear;
        change
    } else {
        let mut change = Change::new(ActionKind::Unsatisfied, Status::Replied, Status::Reopened);
        change.escalated = Some(true);
        change.due = Due::Stage(Stage::Reply);
        change
    })
}

/// The citizen answers a request for more information: the clock runs again.
pub fn decide_citizen_info(case: &CaseFacts) -> Result<Change, Refusal> {
    if case.kind != CaseKind::Complaint || !case.awaiting_citizen || !case.status.is_open() {
        return Err(Refusal::NotAllowed);
    }
    let mut change = Change::new(ActionKind::CitizenInfo, case.status, case.status);
    change.due = Due::Resume;
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPT: i64 = 10;
    const OTHER: i64 = 20;

    fn staff(id: i64, role: Role, department: Option<i64>) -> Actor {
        Actor {
            id,
            role,
            department_id: department,
        }
    }

    fn new_case() -> CaseFacts {
        CaseFacts {
            kind: CaseKind::Complaint,
            status: Status::Submitted,
            holders: Holders {
                department_id: Some(DEPT),
                ..Holders::default()
            },
            named_staff: vec![],
            has_public_reply: false,
            appeal_pending: None,
            awaiting_citizen: false,
        }
    }

    fn apply(case: &mut CaseFacts, change: &Change) {
        case.status = change.to;
        case.holders = change.holders.applied_to(case.holders);
    }

    #[test]
    fn the_first_to_accept_stays_accountable_through_transfers() {
        let clerk = staff(1, Role::CounterStaff, Some(DEPT));
        let head = staff(2, Role::DepartmentHead, Some(DEPT));
        let other_head = staff(3, Role::DepartmentHead, Some(OTHER));
        let mut case = new_case();

        let accept = decide(&clerk, &case, ActionKind::Accept, Target::None).unwrap();
        apply(&mut case, &accept);
        assert_eq!(
            (case.status, case.holders.first_responder_id),
            (Status::Accepted, Some(1))
        );

        let transfer = decide(
            &head,
            &case,
            ActionKind::Transfer,
            Target::Department(OTHER),
        )
        .unwrap();
        apply(&mut case, &transfer);
        assert_eq!(case.status, Status::TransferPending);
        assert!(
            can_see(&other_head, &case),
            "the receiving head sees the offer"
        );
        assert!(decide(&head, &case, ActionKind::AcceptTransfer, Target::None).is_err());

        let decline = decide(
            &other_head,
            &case,
            ActionKind::DeclineTransfer,
            Target::None,
        )
        .unwrap();
        apply(&mut case, &decline);
        assert_eq!(
            (case.status, case.holders.department_id),
            (Status::Accepted, Some(DEPT))
        );
        assert!(
            !can_see(&other_head, &case),
            "a declined case returns to the sender"
        );

        let again = decide(
            &head,
            &case,
            ActionKind::Transfer,
            Target::Department(OTHER),
        )
        .unwrap();
        apply(&mut case, &again);
        let taken = decide(&other_head, &case, ActionKind::AcceptTransfer, Target::None).unwrap();
        apply(&mut case, &taken);
        assert_eq!(case.holders.department_id, Some(OTHER));
        assert_eq!(
            case.holders.first_responder_id,
            Some(1),
            "first responder unchanged"
        );
        assert!(
            can_see(&clerk, &case),
            "the first responder keeps sight of the case"
        );
    }

    #[test]
    fn a_head_keeps_the_handler_away_and_the_case_waits_for_another() {
        let clerk = staff(5, Role::CounterStaff, Some(DEPT));
        let head = staff(2, Role::DepartmentHead, Some(DEPT));
        let other_head = staff(3, Role::DepartmentHead, Some(OTHER));
        let mut case = new_case();
        case.status = Status::Assigned;
        case.holders.department_id = Some(DEPT);
        case.holders.handler_id = Some(5);
        let target = Target::Staff { id: 5, department_id: Some(DEPT), role: Role::CounterStaff, active: true };
        assert_eq!(decide(&clerk, &case, ActionKind::KeepAway, target), Err(Refusal::NotAllowed));
        assert_eq!(decide(&other_head, &case, ActionKind::KeepAway, target), Err(Refusal::NotAllowed));
        let change = decide(&head, &case, ActionKind::KeepAway, target).unwrap();
        assert_eq!((change.to, change.holders.handler_id, change.event_staff_id), (Status::Accepted, Some(None), Some(5)));
        case.named_staff = vec![5];
        assert_eq!(decide(&head, &case, ActionKind::KeepAway, target), Err(Refusal::BadAssignee));
    }

    #[test]
    fn a_handler_moved_elsewhere_loses_the_case_and_the_contact() {
        let mut case = new_case();
        case.status = Status::Assigned;
        case.holders.department_id = Some(DEPT);
        case.holders.handler_id = Some(5);
        let here = staff(5, Role::CounterStaff, Some(DEPT));
        assert!(can_see_contact(&here, &case));
        // Made head of the same department: still theirs.
        assert!(can_see_contact(&staff(5, Role::DepartmentHead, Some(DEPT)), &case));
        for moved in [staff(5, Role::CounterStaff, Some(OTHER)), staff(5, Role::DepartmentHead, Some(OTHER)), staff(5, Role::Administrator, None)] {
            assert!(!can_see_contact(&moved, &case), "{moved:?}");
            assert!(!can_see(&moved, &case), "{moved:?}");
        }
    }

    #[test]
    fn named_staff_never_see_a_case_nor_get_it() {
        let named = staff(5, Role::CounterStaff, Some(DEPT));
        let head = staff(2, Role::DepartmentHead, Some(DEPT));
        let mut case = new_case();
        case.named_staff = vec![5];
        assert!(!can_see(&named, &case));
        assert!(allowed_actions(&named, &case).is_empty());
        case.status = Status::Accepted;
        case.holders.handler_id = Some(2);
        let target = Target::Staff {
            id: 5,
            department_id: Some(DEPT),
            role: Role::CounterStaff,
            active: true,
        };
        assert_eq!(
            decide(&head, &case, ActionKind::Assign, target),
            Err(Refusal::BadAssignee)
        );
    }

    #[test]
    fn contact_details_only_for_supervisors_and_the_handler() {
        let clerk = staff(1, Role::CounterStaff, Some(DEPT));
        let head = staff(2, Role::DepartmentHead, Some(DEPT));
        let supervisor = staff(3, Role::Supervisor, None);
        let admin = staff(4, Role::Administrator, None);
        let mut case = new_case();
        case.status = Status::Assigned;
        case.holders.handler_id = Some(1);
        case.holders.first_responder_id = Some(2);
        assert!(can_see_contact(&clerk, &case));
        assert!(
            !can_see_contact(&head, &case),
            "a head who is not the handler"
        );
        assert!(can_see_contact(&supervisor, &case));
        assert!(!can_see(&admin, &case));
    }

    #[test]
    fn counter_staff_of_other_departments_see_nothing() {
        let stranger = staff(9, Role::CounterStaff, Some(OTHER));
        let stranger_head = staff(8, Role::DepartmentHead, Some(OTHER));
        let case = new_case();
        assert!(!can_see(&stranger, &case));
        assert!(!can_see(&stranger_head, &case));
        assert_eq!(
            decide(&stranger, &case, ActionKind::Accept, Target::None),
            Err(Refusal::NotAllowed)
        );
    }

    #[test]
    fn the_citizen_confirms_only_a_replied_complaint() {
        let mut case = new_case();
        assert!(decide_citizen(&case, true).is_err());
        case.status = Status::Replied;
        assert_eq!(decide_citizen(&case, true).unwrap().to, Status::Closed);
        let unsatisfied = decide_citizen(&case, false).unwrap();
        assert_eq!(
            (unsatisfied.to, unsatisfied.escalated),
            (Status::Reopened, Some(true))
        );
    }

    #[test]
    fn mark_replied_needs_a_public_reply_first() {
        let clerk = staff(1, Role::CounterStaff, Some(DEPT));
        let mut case = new_case();
        case.status = Status::Accepted;
        case.holders.handler_id = Some(1);
        assert!(!allowed_actions(&clerk, &case).contains(&ActionKind::MarkReplied));
        case.has_public_reply = true;
        assert!(allowed_actions(&clerk, &case).contains(&ActionKind::MarkReplied));
    }

    #[test]
    fn action_codes_round_trip() {
        for a in ActionKind::STAFF {
            assert_eq!(ActionKind::parse(a.code()), Some(a));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }
}
