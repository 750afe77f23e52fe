//! The citizen's side of a case: the tracking page, "did the answer help?", and answers to
//! a request for more information.

use super::*;

impl CaseService {
    pub(super) async fn case_by_token(&self, raw: &str) -> Result<CaseRecord, CaseError> {
        let token = TrackingToken::parse(raw).ok_or(CaseError::NotFound)?;
        self.0
            .store
            .case_by_token_hash(&token_hash(&token))
            .await?
            .ok_or(CaseError::NotFound)
    }

    /// What the tracking page depends on: the case's version and whether it mails the
    /// citizen. `None`: no such case.
    pub async fn tracking_version(
        &self,
        token: &TrackingToken,
    ) -> Result<Option<(i64, bool)>, StoreError> {
        self.0.versions.version(token_hash(token)).await
    }

    /// The tracking page: status, responsible department, deadline and public events.
    pub async fn track(&self, raw_token: &str) -> Result<TrackView, CaseError> {
        let case = self.case_by_token(raw_token).await?;
        let events = self.0.store.case_events(case.id, true).await?;
        let places = self.places().await?;
        let status = case.status;
        Ok(TrackView {
            reference: case.id,
            category: case.category.as_deref().and_then(Category::parse),
            status,
            submitted_on: self.local_time(case.created_at),
            department: Self::department_name(&places, case.holders.department_id),
            transfer_to: Self::department_name(&places, case.holders.pending_department_id),
            due_in: self.due_in(case.due_on.as_deref(), status),
            due_on: case.due_on.filter(|_| status.is_open()),
            events: events
                .into_iter()
                .map(|e| PublicEvent {
                    at: self.local_time(e.at),
                    department: Self::department_name(&places, e.department_id),
                    kind: e.kind,
                    body: e.body,
                    detail: e.detail,
                })
                .collect(),
            can_confirm: status == Status::Replied,
            awaiting_citizen: case.paused_days_left.is_some() && status.is_open(),
            mail_on: case.complainant_email.is_some() && !case.mail_stopped && status.is_open(),
            version: case.version,
        })
    }

    /// The citizen says whether the answer helped: satisfied closes the case; unsatisfied
    /// (with a reason) reopens it and escalates it to a supervisor.
    pub async fn confirm(
        &self,
        raw_token: &str,
        satisfied: bool,
        reason: &str,
        version: Option<i64>,
    ) -> Result<Status, CaseError> {
        let case = self.case_by_token(raw_token).await?;
        let reason = if satisfied {
            optional(reason, 1000, Field::Body)?
        } else {
            Some(bounded(reason, 1000, Field::Body, Problem::ReasonRequired)?)
        };
        let facts = self.facts(&case).await?;
        let change = case::decide_citizen(&facts, satisfied).map_err(|_| CaseError::Changed)?;
        if version.is_some_and(|v| v != case.version) {
            return Err(CaseError::Changed);
        }
        let extras = Extras {
            order: (!satisfied).then(|| NewOrder {
                level: "bureau".into(),
                reason: "unsatisfied".into(),
                due_on: None,
                body: reason.clone(),
                opened_by: None,
            }),
            ..Extras::default()
        };
        self.store_change(&case, &change, None, reason, None, extras)
            .await?;
        Ok(change.to)
    }
}
