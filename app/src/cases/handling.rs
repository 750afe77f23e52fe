//! Handling a case: the inbox, the case page, and every staff action — what the viewer may
//! see and do is decided here (with `domain::case`), before any view is built.

use super::*;
use crate::domain::action::ActionInput;

impl CaseService {
    pub(super) async fn facts(&self, case: &CaseRecord) -> Result<CaseFacts, StoreError> {
        let named_staff = self.0.store.named_staff(case.id).await?;
        let events = self.0.store.case_events(case.id, true).await?;
        let appeal = if case.kind == CaseKind::RatingFollowUp {
            self.0.store.appeal_of_case(case.id).await?
        } else {
            None
        };
        Ok(facts_of(
            case,
            named_staff,
            &events,
            appeal.map(|a| a.status == "pending"),
        ))
    }

    pub(super) async fn visible_case(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(CaseRecord, CaseFacts), CaseError> {
        let case = self
            .0
            .store
            .case_by_id(id)
            .await?
            .ok_or(CaseError::NotFound)?;
        let facts = self.facts(&case).await?;
        if !case::can_see(actor, &facts) {
            return Err(CaseError::NotFound);
        }
        Ok((case, facts))
    }

    /// A staff inbox with its filters.
    pub async fn inbox(&self, actor: &Actor, filter: &InboxFilter) -> Result<InboxView, CaseError> {
        let visibility = match actor.role {
            Role::Supervisor => Visibility::All,
            Role::DepartmentHead => Visibility::Department,
            Role::CounterStaff => Visibility::OwnAndNew,
            Role::Administrator => Visibility::Nothing,
        };
        let scopes: Vec<&str> = match actor.role {
            // "all": everything this viewer may see (for counter staff: their own cases and
            // their department's new ones, waiting to be accepted).
            Role::Supervisor => vec!["all", "escalated", "unrouted", "mine"],
            Role::DepartmentHead => vec!["all", "department", "mine"],
            Role::CounterStaff => vec!["all", "mine"],
            Role::Administrator => vec![],
        };
        if scopes.is_empty() {
            // Administrators handle no cases: an empty inbox, whose page links to their work.
            return Ok(InboxView {
                lines: Vec::new(),
                scopes: Vec::new(),
                filter: filter.clone(),
            });
        }
        let scope_code = if scopes.contains(&filter.scope.as_str()) {
            filter.scope.as_str()
        } else {
            scopes[0]
        };
        let scope = match scope_code {
            "mine" => Scope::Mine,
            "department" => Scope::Department,
            "escalated" => Scope::Escalated,
            "unrouted" => Scope::Unrouted,
            _ => Scope::All,
        };
        let today = self.today_date();
        let query = InboxQuery {
            open_only: filter.status.is_empty() || filter.status == "open",
            status: Status::parse(&filter.status).map(|s| s.code().to_string()),
            category: Category::parse(&filter.category).map(|c| c.code().to_string()),
            kind: CaseKind::parse(&filter.kind).map(|k| k.code().to_string()),
            due_by: match filter.due.as_str() {
                "overdue" => today.pred_opt().map(|d| d.format("%Y-%m-%d").to_string()),
                "soon" => Some(
                    (today + chrono::Days::new(2))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                _ => None,
            },
        };
        let query = InboxQuery {
            open_only: query.open_only && filter.status != "all" && query.status.is_none(),
            ..query
        };
        let rows = self
            .0
            .store
            .inbox(actor.id, actor.department_id, visibility, scope, &query)
            .await?;
        let places = self.places().await?;
        Ok(InboxView {
            lines: rows
                .into_iter()
                .map(|r| {
                    let status = r.status;
                    InboxLine {
                        id: r.id,
                        kind: r.kind,
                        status,
                        category: r.category.as_deref().and_then(Category::parse),
                        department: Self::department_name(&places, r.department_id),
                        counter: r.counter_code,
                        due_in: self.due_in(r.due_on.as_deref(), status),
                        due_on: r.due_on,
                        escalated: r.escalated,
                        submitted_on: self.local_time(r.created_at),
                    }
                })
                .collect(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            filter: InboxFilter {
                scope: scope_code.to_string(),
                ..filter.clone()
            },
        })
    }

    /// The staff case page. `reveal_contact`: show the complainant's details (allowed to
    /// supervisors and the handler only; every showing is logged).
    pub async fn case_for(
        &self,
        actor: &Actor,
        id: i64,
        reveal_contact: bool,
    ) -> Result<CaseView, CaseError> {
        let (case, facts) = self.visible_case(actor, id).await?;
        let store = &self.0.store;
        let events = store.case_events(case.id, false).await?;
        let places = self.places().await?;
        let staff = store.staff_briefs().await?;
        let name_of = |id: Option<i64>| {
            id.and_then(|id| staff.iter().find(|s| s.id == id))
                .map(|s| s.display_name.clone())
        };
        let status = facts.status;
        let contact = if case.anonymous || case.complainant_name.is_none() {
            ContactView::Anonymous
        } else if !case::can_see_contact(actor, &facts) {
            ContactView::Withheld
        } else if reveal_contact {
            let now = self.now_ms();
            store.log_contact_view(case.id, actor.id, now).await?;
            tracing::info!(
                case_id = case.id,
                staff_id = actor.id,
                "contact details shown"
            );
            ContactView::Shown {
                name: case.complainant_name.clone().unwrap_or_default(),
                email: case.complainant_email.clone(),
                phone: case.complainant_phone.clone(),
                views: store
                    .contact_views(case.id)
                    .await?
                    .into_iter()
                    .map(|(who, at)| (who, self.local_time(at)))
                    .collect(),
            }
        } else {
            ContactView::OnRequest
        };
        let actions = case::allowed_actions(actor, &facts);
        // The case department's counter staff and head (`more`: and who else qualifies).
        let colleagues = |more: &dyn Fn(&crate::store::StaffBrief) -> bool| -> Vec<Choice> {
            staff
                .iter()
                .filter(|s| {
                    s.department_id.is_some()
                        && s.department_id == case.holders.department_id
                        && matches!(s.role, Role::CounterStaff | Role::DepartmentHead)
                        && more(s)
                })
                .map(|s| Choice { id: s.id, name: s.display_name.clone() })
                .collect()
        };
        // Never someone kept from the case; the same colleagues may be kept away.
        let assignees = if actions.contains(&ActionKind::Assign) || actions.contains(&ActionKind::KeepAway) {
            colleagues(&|s| s.active && !facts.names(s.id))
        } else {
            Vec::new()
        };
        let kept_away = if actions.contains(&ActionKind::KeepAway) {
            store
                .kept_away(case.id)
                .await?
                .into_iter()
                .filter_map(|(id, why)| name_of(Some(id)).map(|name| (name, why)))
                .collect()
        } else {
            Vec::new()
        };
        let departments = if actions.contains(&ActionKind::Transfer)
            || actions.contains(&ActionKind::Finding)
        {
            places
                .departments
                .iter()
                .filter(|d| d.is_open() && Some(d.id) != case.holders.department_id)
                .map(|d| (d.id, d.name()))
                .collect()
        } else {
            Vec::new()
        };
        let counter = case
            .counter_id
            .and_then(|id| self.0.counters.by_id(id))
            .map(|c| (c.code.clone(), c.name.clone()));
        let appeal = if case.kind == CaseKind::RatingFollowUp {
            store
                .appeal_of_case(case.id)
                .await?
                .map(|a| (a.status, a.reason))
        } else {
            None
        };
        let photos = store
            .photos_of_case(case.id)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let orders = self.order_lines(store.orders_of_case(case.id).await?).await?;
        let findings = store
            .findings_of_case(case.id)
            .await?
            .into_iter()
            .map(|f| self.finding_line(f, &places.departments))
            .collect();
        let accountable_staff = if actions.contains(&ActionKind::Finding) {
            colleagues(&|_| true)
        } else {
            Vec::new()
        };
        Ok(CaseView {
            id: case.id,
            kind: facts.kind,
            category: case.category.as_deref().and_then(Category::parse),
            status,
            hall: case
                .hall_id
                .and_then(|id| places.halls.iter().find(|h| h.id == id))
                .map(PlaceRecord::name),
            counter,
            department: Self::department_name(&places, case.holders.department_id),
            transfer_to: Self::department_name(&places, case.holders.pending_department_id),
            occurred: case.occurred_on.clone().map(|d| match &case.occurred_at {
                Some(t) => format!("{d} {t}"),
                None => d,
            }),
            description: case.description.clone(),
            staff_named: case.staff_named.clone(),
            rating_level: case.rating_level,
            first_responder: name_of(case.holders.first_responder_id),
            handler: name_of(case.holders.handler_id),
            due_in: self.due_in(case.due_on.as_deref(), status),
            due_on: case.due_on.clone().filter(|_| status.is_open()),
            escalated: case.escalated,
            submitted_at: self.local_time(case.created_at),
            channel: case.channel.clone(),
            received: case
                .intake
                .as_deref()
                .and_then(crate::domain::intake::Medium::parse)
                .map(|m| (m, case.received_on.clone().unwrap_or_default())),
            version: case.version,
            events: events
                .into_iter()
                .map(|e| StaffEvent {
                    at: self.local_time(e.at),
                    public: e.public,
                    actor: e.actor_name,
                    body: e.body,
                    detail: e.detail,
                    department: Self::department_name(&places, e.department_id),
                    staff: e.staff_name,
                    from_status: e.from_status,
                    to_status: e.to_status,
                    kind: e.kind,
                })
                .collect(),
            photos,
            contact,
            actions,
            assignees,
            kept_away,
            departments,
            appeal,
            orders,
            findings,
            accountable_staff,
            awaiting_citizen: facts.awaiting_citizen,
            csrf_token: String::new(),
            viewer: String::new(),
        })
    }

    /// A staff action on a case. The form's version must be the case's current one.
    pub async fn act(
        &self,
        actor: &Actor,
        id: i64,
        form: &ActionForm,
    ) -> Result<Status, CaseError> {
        let action = form.staff_action().ok_or(CaseError::Forbidden)?;
        let version = form.case_version().ok_or(CaseError::Changed)?;
        let (case, facts) = match self.visible_case(actor, id).await {
            Ok(found) => found,
            // Someone in the same department acted first and the case is no longer this
            // viewer's to see (two clerks accepting at once): they are told it changed, not
            // that it does not exist. Staff it names are never told anything.
            Err(CaseError::NotFound) => {
                let case = self
                    .0
                    .store
                    .case_by_id(id)
                    .await?
                    .ok_or(CaseError::NotFound)?;
                let named = self.0.store.named_staff(id).await?.contains(&actor.id);
                let same_department =
                    actor.department_id.is_some() && case.holders.department_id == actor.department_id;
                return Err(if same_department && !named && case.version != version {
                    CaseError::Changed
                } else {
                    CaseError::NotFound
                });
            }
            Err(other) => return Err(other),
        };
        if version != case.version {
            return Err(CaseError::Changed);
        }
        // What the action needs, checked before the rules so the citizen-facing texts are
        // never empty.
        let ActionInput { body, detail, assignee, department } =
            form.input(action).map_err(|(field, problem)| invalid(field, problem))?;
        let target = if let Some(staff_id) = assignee {
            match self.0.store.staff_brief(staff_id).await? {
                Some(s) => Target::Staff {
                    id: s.id,
                    department_id: s.department_id,
                    role: s.role,
                    active: s.active,
                },
                None => return Err(invalid(Field::Assignee, Problem::AssigneeInvalid)),
            }
        } else if let Some(department) = department {
            let places = self.places().await?;
            if !places.departments.iter().any(|d| d.is_open() && d.id == department) {
                return Err(invalid(Field::Department, Problem::DepartmentInvalid));
            }
            Target::Department(department)
        } else {
            Target::None
        };
        let change = case::decide(actor, &facts, action, target).map_err(|r| match r {
            Refusal::NotAllowed => CaseError::Forbidden,
            Refusal::BadAssignee => invalid(Field::Assignee, Problem::AssigneeInvalid),
            Refusal::BadDepartment => invalid(Field::Department, Problem::DepartmentInvalid),
        })?;
        let mut extras = Extras::default();
        extras.appeal = match action {
            ActionKind::Appeal => match case.rating_id {
                Some(rating_id) => AppealChange::Open {
                    rating_id,
                    reason: body.clone().unwrap_or_default(),
                    staff_id: actor.id,
                },
                None => return Err(CaseError::Forbidden),
            },
            ActionKind::UpholdAppeal | ActionKind::DismissAppeal => AppealChange::Decide {
                upheld: action == ActionKind::UpholdAppeal,
                decided_by: actor.id,
            },
            _ => AppealChange::None,
        };
        let mut detail = detail;
        match action {
            ActionKind::Order => {
                extras.order = Some(NewOrder {
                    level: "bureau".into(),
                    reason: "ordered".into(),
                    due_on: None,
                    body: body.clone(),
                    opened_by: Some(actor.id),
                });
            }
            ActionKind::Finding => {
                let (finding, measure, department_id, staff_id) =
                    self.finding_of(&case, form).await?;
                extras.finding = Some(NewFinding {
                    finding: finding.code().into(),
                    measure: measure.code().into(),
                    department_id,
                    staff_id,
                    reason: body.clone().unwrap_or_default(),
                    recorded_by: actor.id,
                });
                // The citizen sees the outcome in plain words; never who, never why.
                detail = Some(format!("{}/{}", finding.code(), measure.code()));
            }
            _ => {}
        }
        // A finding's reason (which may name staff) is kept with the finding, not in the
        // public event.
        let body = if action == ActionKind::Finding { None } else { body };
        self.store_change(&case, &change, Some(actor.id), body, detail, extras)
            .await?;
        tracing::info!(
            case_id = case.id,
            staff_id = actor.id,
            action = action.code(),
            "case action"
        );
        Ok(change.to)
    }

    pub(super) async fn store_change(
        &self,
        case: &CaseRecord,
        change: &Change,
        actor_id: Option<i64>,
        body: Option<String>,
        detail: Option<String>,
        extras: Extras,
    ) -> Result<(), CaseError> {
        let update = self.update_for(case, change, actor_id, body, detail, extras).await?;
        if self.0.store.apply_change(&update).await? {
            Ok(())
        } else {
            Err(CaseError::Changed)
        }
    }

    /// The store's half of a change: the case row's new values, the event, the order,
    /// finding or appeal it carries, and the mails it causes.
    pub(super) async fn update_for(
        &self,
        case: &CaseRecord,
        change: &Change,
        actor_id: Option<i64>,
        body: Option<String>,
        detail: Option<String>,
        extras: Extras,
    ) -> Result<CaseUpdate, StoreError> {
        let kind = case.kind;
        let due = self.resolve_due(case, change.due);
        let transfer_due_on = if change.to == Status::TransferPending {
            Some(Some(day_text(self.stage_deadline(
                kind,
                case.category.as_deref(),
                Stage::Transfer,
            ))))
        } else if change.from == Status::TransferPending {
            Some(None)
        } else {
            None
        };
        let mut update = CaseUpdate::new(
            case.id,
            case.version,
            change.action.code(),
            change.from,
            change.to,
        );
        update.holders = change.holders;
        update.escalated = change.escalated;
        update.due_on = due.due_on.clone();
        update.paused_days_left = due.paused_days_left;
        if due.new_deadline {
            // A new deadline starts its own escalation ladder and its own reminder.
            update.escalation_step = Some(0);
            update.reminded_for = Some(None);
        }
        if let Some(step) = extras.escalation_step {
            update.escalation_step = Some(step);
        }
        if let Some(reminded) = extras.reminded_for {
            update.reminded_for = Some(reminded);
        }
        update.transfer_due_on = transfer_due_on;
        update.forget_mail_token = !change.to.is_open();
        update.actor_id = actor_id;
        update.public = change.action.is_public();
        update.body = body;
        update.detail = detail;
        update.event_department_id = change.event_department_id;
        update.event_staff_id = change.event_staff_id;
        update.appeal = extras.appeal;
        update.order = extras.order;
        update.finding = extras.finding;
        if change.action == ActionKind::KeepAway {
            update.kept_away = change.event_staff_id;
        }
        update.now_ms = self.now_ms();
        let due_after = match &due.due_on {
            Some(next) => next.clone(),
            None => case.due_on.clone(),
        };
        update.mails = self
            .mails_for(case, change, update.body.as_deref(), due_after.as_deref(), extras.level)
            .await?;
        Ok(update)
    }

    /// A photo's bytes, for a staff member who may see its case.
    pub async fn photo_for(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(PhotoKind, Vec<u8>), CaseError> {
        if !storage::is_key(id) {
            return Err(CaseError::NotFound);
        }
        let photo = self.0.store.photo(id).await?.ok_or(CaseError::NotFound)?;
        let case_id = photo.case_id.ok_or(CaseError::NotFound)?;
        self.visible_case(actor, case_id).await?;
        let kind = PhotoKind::parse(&photo.kind).ok_or(CaseError::NotFound)?;
        let bytes = self.0.photos.get(id).await?.ok_or(CaseError::NotFound)?;
        Ok((kind, bytes))
    }
}

pub(super) fn facts_of(
    case: &CaseRecord,
    named_staff: Vec<i64>,
    public_events: &[EventRecord],
    appeal_pending: Option<bool>,
) -> CaseFacts {
    CaseFacts {
        kind: case.kind,
        status: case.status,
        holders: case.holders,
        named_staff,
        has_public_reply: public_events.iter().any(|e| e.kind == "reply"),
        appeal_pending,
        awaiting_citizen: case.paused_days_left.is_some(),
    }
}
