//! Supervision orders (督辦), their comments, and accountability findings (責任追究).

use super::{Store, StoreError, on_pool};
use crate::views::OrderTerms;

/// An order opened with a case change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    /// `department` or `bureau`.
    pub level: String,
    /// `overdue`, `unsatisfied` or `ordered`.
    pub reason: String,
    /// The missed deadline, for overdue orders.
    pub due_on: Option<String>,
    pub body: Option<String>,
    pub opened_by: Option<i64>,
}

/// A finding recorded with a case event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFinding {
    pub finding: String,
    pub measure: String,
    pub department_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub reason: String,
    pub recorded_by: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderRecord {
    #[sqlx(flatten)]
    pub terms: OrderTerms,
    pub opened_at: i64,
    pub opened_by_name: Option<String>,
    pub status: String,
    pub closed_at: Option<i64>,
    pub closed_by_name: Option<String>,
    pub department_id: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderComment {
    pub id: i64,
    pub order_id: i64,
    pub staff_name: String,
    pub at: i64,
    pub body: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FindingRecord {
    pub id: i64,
    pub case_id: i64,
    pub finding: String,
    pub measure: String,
    pub department_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub reason: String,
    pub recorded_by_name: String,
    pub at: i64,
}

/// A department's cases at a glance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentCounts {
    pub open: i64,
    pub overdue: i64,
    pub escalated: i64,
}

macro_rules! insert_order {
    ($conn:expr, $case_id:expr, $order:expr, $now:expr) => {{
        let order: &$crate::store::NewOrder = $order;
        // An overdue order is opened once per deadline and level, whoever gets there first.
        sqlx::query(
            "INSERT INTO supervision_orders (case_id, level, reason, due_on, body, opened_at, opened_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind($case_id)
        .bind(&order.level)
        .bind(&order.reason)
        .bind(order.due_on.as_deref())
        .bind(order.body.as_deref())
        .bind($now)
        .bind(order.opened_by)
        .execute($conn)
        .await
        .map(drop)
    }};
}
pub(crate) use insert_order;

macro_rules! insert_finding {
    ($conn:expr, $case_id:expr, $finding:expr, $now:expr) => {{
        let f: &$crate::store::NewFinding = $finding;
        sqlx::query(
            "INSERT INTO findings (case_id, finding, measure, department_id, staff_id, reason, \
             recorded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($case_id)
        .bind(&f.finding)
        .bind(&f.measure)
        .bind(f.department_id)
        .bind(f.staff_id)
        .bind(&f.reason)
        .bind(f.recorded_by)
        .bind($now)
        .execute($conn)
        .await
        .map(drop)
    }};
}
pub(crate) use insert_finding;

const ORDER_SELECT: &str = "SELECT o.id, o.case_id, o.level, o.reason, o.due_on, o.body, \
    o.opened_at, a.display_name AS opened_by_name, o.status, o.closed_at, \
    b.display_name AS closed_by_name, o.closing_note, c.department_id \
    FROM supervision_orders o JOIN cases c ON c.id = o.case_id \
    LEFT JOIN staff a ON a.id = o.opened_by LEFT JOIN staff b ON b.id = o.closed_by";

impl Store {
    /// Orders, open ones first; `department`: only that department's cases'.
    pub async fn supervision_orders(
        &self,
        open_only: bool,
        department: Option<i64>,
        limit: i64,
    ) -> Result<Vec<OrderRecord>, StoreError> {
        let sql = format!(
            "{ORDER_SELECT} WHERE ($1 = FALSE OR o.status = 'open') \
             AND (CAST($2 AS BIGINT) IS NULL OR c.department_id = $2) \
             ORDER BY CASE o.status WHEN 'open' THEN 0 ELSE 1 END, o.id DESC LIMIT $3"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(open_only)
            .bind(department)
            .bind(limit)
            .fetch_all(pool)
            .await)?)
    }

    pub async fn orders_of_case(&self, case_id: i64) -> Result<Vec<OrderRecord>, StoreError> {
        let sql = format!("{ORDER_SELECT} WHERE o.case_id = $1 ORDER BY o.id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(case_id)
            .fetch_all(pool)
            .await)?)
    }

    pub async fn order(&self, id: i64) -> Result<Option<OrderRecord>, StoreError> {
        let sql = format!("{ORDER_SELECT} WHERE o.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?)
    }

    pub async fn order_comments(&self, order_id: i64) -> Result<Vec<OrderComment>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT m.id, m.order_id, s.display_name AS staff_name, m.at, m.body \
             FROM supervision_comments m JOIN staff s ON s.id = m.staff_id \
             WHERE m.order_id = $1 ORDER BY m.id"
        )
        .bind(order_id)
        .fetch_all(pool)
        .await)?)
    }

    pub async fn comment_on_order(
        &self,
        order_id: i64,
        staff_id: i64,
        body: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO supervision_comments (order_id, staff_id, at, body) VALUES ($1, $2, $3, $4)"
        )
        .bind(order_id)
        .bind(staff_id)
        .bind(now_ms)
        .bind(body)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Closes an open order. `false`: it was closed already.
    pub async fn close_order(
        &self,
        order_id: i64,
        staff_id: i64,
        note: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(self, |pool| sqlx::query(
            "UPDATE supervision_orders SET status = 'closed', closed_at = $3, closed_by = $2, \
             closing_note = $4 WHERE id = $1 AND status = 'open'"
        )
        .bind(order_id)
        .bind(staff_id)
        .bind(now_ms)
        .bind(note)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    pub async fn findings_of_case(&self, case_id: i64) -> Result<Vec<FindingRecord>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT f.id, f.case_id, f.finding, f.measure, f.department_id, f.staff_id, \
             s.display_name AS staff_name, f.reason, r.display_name AS recorded_by_name, f.at \
             FROM findings f LEFT JOIN staff s ON s.id = f.staff_id JOIN staff r ON r.id = f.recorded_by \
             WHERE f.case_id = $1 ORDER BY f.id"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Findings against a department or its staff, recorded in `[from_ms, to_ms)`.
    pub async fn findings_of_department(
        &self,
        department_id: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<FindingRecord>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT f.id, f.case_id, f.finding, f.measure, f.department_id, f.staff_id, \
             s.display_name AS staff_name, f.reason, r.display_name AS recorded_by_name, f.at \
             FROM findings f LEFT JOIN staff s ON s.id = f.staff_id JOIN staff r ON r.id = f.recorded_by \
             WHERE (f.department_id = $1 OR s.department_id = $1) AND f.at >= $2 AND f.at < $3 \
             ORDER BY f.at, f.id"
        )
        .bind(department_id)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(pool)
        .await)?)
    }

    /// Open, overdue (due before `today`) and escalated cases of a department.
    pub async fn department_counts(
        &self,
        department_id: i64,
        today: &str,
    ) -> Result<DepartmentCounts, StoreError> {
        let (open, overdue, escalated): (i64, i64, i64) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN due_on < $2 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN escalated OR escalation_step > 0 THEN 1 ELSE 0 END), 0) \
             FROM cases WHERE department_id = $1 AND status NOT IN ('closed', 'rejected')"
        )
        .bind(department_id)
        .bind(today)
        .fetch_one(pool)
        .await)?;
        Ok(DepartmentCounts {
            open,
            overdue,
            escalated,
        })
    }
}
