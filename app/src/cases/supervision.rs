//! The supervision bureau's side: orders (督辦) and their comments, accountability
//! findings and each department's page; the working-day calendar administrators load; the
//! outbox's dead letters; and the citizen's answers that are not a confirmation (more
//! information, no more mail).

use super::{CaseError, CaseService, Extras, bounded, invalid};
use crate::calendar::{CalendarLineError, parse_calendar};
use crate::domain::case::{self, Actor, Finding, Measure, Status};
use crate::domain::{Field, Problem, Role};
use crate::store::{CaseRecord, FindingRecord, OrderRecord, PlaceRecord, StoreError};
use crate::views::{
    ActionForm, CalendarView, DepartmentView, FindingLine, MailLine, MailView, OrderLine,
    OrdersView,
};
use chrono::NaiveDate;

/// Why a calendar file was not loaded. Nothing of it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarRefusal {
    Forbidden,
    /// Every bad line, with its number.
    Lines(Vec<CalendarLineError>),
    /// No day in it.
    Empty,
    Unavailable,
}

impl From<StoreError> for CalendarRefusal {
    fn from(error: StoreError) -> Self {
        tracing::error!(?error, "calendar storage failed");
        CalendarRefusal::Unavailable
    }
}

fn csv_field(text: &str) -> String {
    // Formula characters first in a cell are neutralised: a spreadsheet never runs them.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

impl CaseService {
    /// The finding, measure and who it is against, from a supervisor's form.
    pub(super) async fn finding_of(
        &self,
        case: &CaseRecord,
        form: &ActionForm,
    ) -> Result<(Finding, Measure, Option<i64>, Option<i64>), CaseError> {
        let finding = Finding::parse(form.finding.trim())
            .ok_or(invalid(Field::Finding, Problem::ChoiceRequired))?;
        let measure = Measure::parse(form.measure.trim())
            .ok_or(invalid(Field::Measure, Problem::ChoiceRequired))?;
        let staff_id = match form.staff_id.trim() {
            "" => None,
            raw => {
                let id: i64 = raw
                    .parse()
                    .map_err(|_| invalid(Field::Assignee, Problem::AssigneeInvalid))?;
                let staff = self
                    .0
                    .store
                    .staff_brief(id)
                    .await?
                    .ok_or(invalid(Field::Assignee, Problem::AssigneeInvalid))?;
                Some(staff.id)
            }
        };
        let department_id = match form.department_id.trim() {
            "" => case.holders.department_id,
            raw => {
                let id: i64 = raw
                    .parse()
                    .map_err(|_| invalid(Field::Department, Problem::DepartmentInvalid))?;
                let places = self.places().await?;
                if !places.departments.iter().any(|d| d.id == id) {
                    return Err(invalid(Field::Department, Problem::DepartmentInvalid));
                }
                Some(id)
            }
        };
        if staff_id.is_none() && department_id.is_none() {
            return Err(invalid(Field::Department, Problem::ChoiceRequired));
        }
        Ok((finding, measure, department_id, staff_id))
    }

    pub(super) fn order_line(
        &self,
        order: OrderRecord,
        departments: &[PlaceRecord],
        comments: Vec<(String, String, String)>,
    ) -> OrderLine {
        OrderLine {
            terms: order.terms,
            opened_at: self.local_time(order.opened_at),
            opened_by: order.opened_by_name,
            open: order.status == "open",
            closed_at: order.closed_at.map(|t| self.local_time(t)),
            closed_by: order.closed_by_name,
            department: departments
                .iter()
                .find(|d| Some(d.id) == order.department_id)
                .map(PlaceRecord::name),
            comments,
        }
    }

    pub(super) async fn order_lines(
        &self,
        orders: Vec<OrderRecord>,
    ) -> Result<Vec<OrderLine>, StoreError> {
        let places = self.places().await?;
        let mut lines = Vec::with_capacity(orders.len());
        for order in orders {
            let comments = self
                .0
                .store
                .order_comments(order.terms.id)
                .await?
                .into_iter()
                .map(|c| (c.staff_name, self.local_time(c.at), c.body))
                .collect();
            lines.push(self.order_line(order, &places.departments, comments));
        }
        Ok(lines)
    }

    pub(super) fn finding_line(&self, f: FindingRecord, departments: &[PlaceRecord]) -> FindingLine {
        FindingLine {
            case_id: f.case_id,
            finding: Finding::parse(&f.finding).unwrap_or(Finding::NotSubstantiated),
            measure: Measure::parse(&f.measure).unwrap_or(Measure::None),
            department: departments
                .iter()
                .find(|d| Some(d.id) == f.department_id)
                .map(PlaceRecord::name),
            staff: f.staff_name,
            reason: f.reason,
            recorded_by: f.recorded_by_name,
            at: self.local_time(f.at),
        }
    }

    /// Supervision orders: every one for supervisors, their department's for heads.
    pub async fn orders(&self, actor: &Actor, open_only: bool) -> Result<OrdersView, CaseError> {
        let department = match actor.role {
            Role::Supervisor => None,
            Role::DepartmentHead if actor.department_id.is_some() => actor.department_id,
            _ => return Err(CaseError::Forbidden),
        };
        let orders = self
            .0
            .store
            .supervision_orders(open_only, department, 200)
            .await?;
        Ok(OrdersView {
            lines: self.order_lines(orders).await?,
            open_only,
            csrf_token: String::new(),
            viewer: String::new(),
        })
    }

    async fn order_for(&self, actor: &Actor, id: i64) -> Result<OrderRecord, CaseError> {
        let order = self.0.store.order(id).await?.ok_or(CaseError::NotFound)?;
        let (_, facts) = self.visible_case(actor, order.terms.case_id).await?;
        let allowed = actor.role == Role::Supervisor
            || (actor.role == Role::DepartmentHead
                && actor.department_id.is_some()
                && facts.holders.department_id == actor.department_id);
        if allowed { Ok(order) } else { Err(CaseError::NotFound) }
    }

    /// A supervisor, or the head of the case's department, comments on an order.
    pub async fn comment_on_order(&self, actor: &Actor, id: i64, body: &str) -> Result<(), CaseError> {
        let order = self.order_for(actor, id).await?;
        let body = bounded(body, 2000, Field::Body, Problem::TextRequired)?;
        self.0
            .store
            .comment_on_order(order.terms.id, actor.id, &body, self.now_ms())
            .await?;
        Ok(())
    }

    /// A supervisor closes an order, saying how it ended.
    pub async fn close_order(&self, actor: &Actor, id: i64, note: &str) -> Result<(), CaseError> {
        let order = self.order_for(actor, id).await?;
        if actor.role != Role::Supervisor {
            return Err(CaseError::Forbidden);
        }
        let note = bounded(note, 2000, Field::Body, Problem::ReasonRequired)?;
        if self
            .0
            .store
            .close_order(order.terms.id, actor.id, &note, self.now_ms())
            .await?
        {
            Ok(())
        } else {
            Err(CaseError::Changed)
        }
    }

    pub(crate) fn day_start_ms(&self, day: NaiveDate) -> i64 {
        crate::clock::office_day_start_ms(self.time_zone(), day)
    }

    /// A department's page: open, overdue and escalated cases now; findings over
    /// `from..=to` (default: this month). Supervisors see any department, heads their own.
    pub async fn department_report(
        &self,
        actor: &Actor,
        department_id: i64,
        from: &str,
        to: &str,
    ) -> Result<DepartmentView, CaseError> {
        if !matches!(actor.role, Role::Supervisor | Role::DepartmentHead) {
            return Err(CaseError::Forbidden);
        }
        let places = self.places().await?;
        // 0: the viewer's own department, or the first one.
        let department_id = match department_id {
            0 => actor
                .department_id
                .or_else(|| places.departments.first().map(|d| d.id))
                .ok_or(CaseError::NotFound)?,
            id => id,
        };
        let allowed = actor.role == Role::Supervisor || actor.department_id == Some(department_id);
        if !allowed {
            return Err(CaseError::Forbidden);
        }
        let name = places
            .departments
            .iter()
            .find(|d| d.id == department_id)
            .map(PlaceRecord::name)
            .ok_or(CaseError::NotFound)?;
        let today = self.today_date();
        let parse = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        let to_day = if to.trim().is_empty() {
            today
        } else {
            parse(to).ok_or(invalid(Field::To, Problem::DateInvalid))?
        };
        let from_day = if from.trim().is_empty() {
            {
            use chrono::Datelike;
            to_day.with_day(1).unwrap_or(to_day)
        }
        } else {
            parse(from).ok_or(invalid(Field::From, Problem::DateInvalid))?
        };
        if from_day > to_day || to_day.signed_duration_since(from_day).num_days() > 3660 {
            return Err(invalid(Field::From, Problem::DateInvalid));
        }
        let counts = self
            .0
            .store
            .department_counts(department_id, &super::day_text(today))
            .await?;
        let findings = self
            .0
            .store
            .findings_of_department(
                department_id,
                self.day_start_ms(from_day),
                self.day_start_ms(to_day + chrono::Days::new(1)),
            )
            .await?
            .into_iter()
            .map(|f| self.finding_line(f, &places.departments))
            .collect();
        let departments = places
            .departments
            .iter()
            .filter(|d| actor.role == Role::Supervisor || Some(d.id) == actor.department_id)
            .map(|d| (d.id, d.name()))
            .collect();
        Ok(DepartmentView {
            id: department_id,
            name,
            from: super::day_text(from_day),
            to: super::day_text(to_day),
            open: counts.open,
            overdue: counts.overdue,
            escalated: counts.escalated,
            findings,
            departments,
            viewer: String::new(),
        })
    }

    /// The report's findings as CSV (UTF-8 with a byte-order mark, for spreadsheets).
    pub fn department_csv(report: &DepartmentView) -> String {
        let mut out = String::from("\u{feff}");
        out.push_str("department,from,to,open,overdue,escalated\n");
        out.push_str(&format!(
            "{},{},{},{},{},{}\n\n",
            csv_field(&report.name.zh_hant),
            report.from,
            report.to,
            report.open,
            report.overdue,
            report.escalated
        ));
        out.push_str("case,recorded_at,finding,measure,against_department,against_staff,reason,recorded_by\n");
        for f in &report.findings {
            let department = f.department.as_ref().map(|d| d.zh_hant.as_str()).unwrap_or("");
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                f.case_id,
                csv_field(&f.at),
                f.finding.code(),
                f.measure.code(),
                csv_field(department),
                csv_field(f.staff.as_deref().unwrap_or("")),
                csv_field(&f.reason),
                csv_field(&f.recorded_by),
            ));
        }
        out
    }

    /// The calendar page: administrators load, supervisors read.
    pub async fn calendar_view(&self, actor: &Actor) -> Result<CalendarView, CaseError> {
        if !matches!(actor.role, Role::Administrator | Role::Supervisor) {
            return Err(CaseError::Forbidden);
        }
        Ok(CalendarView {
            days: self.0.store.calendar_entries().await?,
            csrf_token: String::new(),
            viewer: String::new(),
        })
    }

    /// An administrator loads a calendar file (CSV or iCalendar): the years it covers are
    /// replaced whole, or, with any bad line, nothing is. Returns the days loaded.
    pub async fn load_calendar(&self, actor: &Actor, text: &str) -> Result<usize, CalendarRefusal> {
        if actor.role != Role::Administrator {
            return Err(CalendarRefusal::Forbidden);
        }
        let entries = parse_calendar(text).map_err(CalendarRefusal::Lines)?;
        let (Some(first), Some(last)) = (
            entries.iter().map(|e| e.day).min(),
            entries.iter().map(|e| e.day).max(),
        ) else {
            return Err(CalendarRefusal::Empty);
        };
        use chrono::Datelike as _;
        let first = NaiveDate::from_ymd_opt(first.year(), 1, 1).unwrap_or(first);
        let last = NaiveDate::from_ymd_opt(last.year(), 12, 31).unwrap_or(last);
        let days: Vec<(String, String, String)> = entries
            .iter()
            .map(|e| (super::day_text(e.day), e.kind.code().to_string(), e.name.clone()))
            .collect();
        self.0
            .store
            .replace_calendar(actor.id, self.now_ms(), &super::day_text(first), &super::day_text(last), &days)
            .await?;
        self.0.office.reload_calendar().await?;
        tracing::info!(staff_id = actor.id, days = days.len(), "working-day calendar loaded");
        Ok(days.len())
    }

    /// The outbox for administrators: counts and dead letters.
    pub async fn mail_view(&self, actor: &Actor) -> Result<MailView, CaseError> {
        if actor.role != Role::Administrator {
            return Err(CaseError::Forbidden);
        }
        let counts = self.0.store.outbox_counts().await?;
        let dead_letters = self
            .0
            .store
            .outbox_lines("dead", 200)
            .await?
            .into_iter()
            .map(|m| MailLine {
                id: m.id,
                case_id: m.case_id,
                event: m.event,
                attempts: m.attempts,
                last_error: m.last_error,
                created_at: self.local_time(m.created_at),
            })
            .collect();
        Ok(MailView {
            pending: counts.pending,
            sent: counts.sent,
            dead: counts.dead,
            cancelled: counts.cancelled,
            dead_letters,
            csrf_token: String::new(),
            viewer: String::new(),
        })
    }

    /// An administrator sends a dead letter again.
    pub async fn retry_mail(&self, actor: &Actor, id: i64) -> Result<(), CaseError> {
        if actor.role != Role::Administrator {
            return Err(CaseError::Forbidden);
        }
        if self.0.store.retry_dead_mail(id, actor.id, self.now_ms()).await? {
            tracing::info!(staff_id = actor.id, mail_id = id, "dead letter retried");
            Ok(())
        } else {
            Err(CaseError::NotFound)
        }
    }

    /// The citizen asks for no more mail about their complaint.
    pub async fn stop_mail(&self, raw_token: &str) -> Result<(), CaseError> {
        let case = self.case_by_token(raw_token).await?;
        self.0.store.stop_case_mail(case.id).await?;
        Ok(())
    }

    /// The citizen answers a request for more information; the clock runs again.
    pub async fn citizen_info(
        &self,
        raw_token: &str,
        text: &str,
        version: Option<i64>,
    ) -> Result<Status, CaseError> {
        let case = self.case_by_token(raw_token).await?;
        let text = bounded(text, super::MAX_TEXT, Field::Body, Problem::TextRequired)?;
        let facts = self.facts(&case).await?;
        let change = case::decide_citizen_info(&facts).map_err(|_| CaseError::Changed)?;
        if version.is_some_and(|v| v != case.version) {
            return Err(CaseError::Changed);
        }
        self.store_change(&case, &change, None, Some(text), None, Extras::default())
            .await?;
        Ok(change.to)
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
