//! The public view of complaints that Open311 clients read: no text a citizen wrote, no
//! contact, no staff, only what a case's number, category, place, status and dates say.

use super::{Store, StoreError, on_pool};

/// Most requests one Open311 answer lists (the specification's own cap).
pub const MAX_REQUESTS: usize = 1000;

/// Which complaints to list; every bound is inclusive of its start and exclusive of its end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicRequestQuery {
    /// Only these case numbers (empty: any).
    pub ids: Vec<i64>,
    /// Only these categories (empty: any).
    pub categories: Vec<crate::domain::Category>,
    /// Filed at or after, in ms since the epoch.
    pub from_ms: i64,
    /// Filed before, in ms since the epoch.
    pub until_ms: i64,
    /// `Some(true)`: open only; `Some(false)`: closed only.
    pub open: Option<bool>,
}

/// One complaint as the public may see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicRequestRow {
    pub id: i64,
    pub category: Option<String>,
    pub status: String,
    pub department_id: Option<i64>,
    pub hall_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub due_on: Option<String>,
}

impl Store {
    /// Complaints (not a bad rating's follow-up) by `query`, newest first, at most
    /// `MAX_REQUESTS`.
    pub async fn public_requests(&self, query: &PublicRequestQuery) -> Result<Vec<PublicRequestRow>, StoreError> {
        // The numbers are parsed integers: written into the statement, never text.
        let ids = if query.ids.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = query.ids.iter().map(i64::to_string).collect();
            format!(" AND id IN ({})", list.join(","))
        };
        // The categories' codes are the product's own constants.
        let categories = if query.categories.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = query.categories.iter().map(|c| format!("'{}'", c.code())).collect();
            format!(" AND category IN ({})", list.join(","))
        };
        let rows = format!(
            "SELECT id, category, status, department_id, hall_id, created_at, updated_at, due_on FROM cases \
             WHERE kind = 'complaint' AND created_at >= $1 AND created_at < $2 \
             AND ($3 = 0 OR ($3 = 1 AND status NOT IN ('closed', 'rejected')) \
                         OR ($3 = 2 AND status IN ('closed', 'rejected'))){ids}{categories} \
             ORDER BY created_at DESC, id DESC LIMIT {MAX_REQUESTS}"
        );
        // The rows come back as one JSON array, not a thousand rows: each row fetched costs
        // more than the database's work for it (SQLite hands them over one at a time).
        let columns = "id, category, status, department_id, hall_id, created_at, updated_at, due_on";
        let sql = match self.backend() {
            super::Backend::Sqlite => format!("SELECT json_group_array(json_array({columns})) FROM ({rows})"),
            super::Backend::Postgres => {
                format!("SELECT COALESCE(json_agg(json_build_array({columns})), '[]')::text FROM ({rows}) AS r")
            }
        };
        let open: i64 = match query.open {
            None => 0,
            Some(true) => 1,
            Some(false) => 2,
        };
        let (json,): (String,) = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(query.from_ms)
            .bind(query.until_ms)
            .bind(open)
            .fetch_one(pool)
            .await)?;
        type Row = (i64, Option<String>, String, Option<i64>, Option<i64>, i64, i64, Option<String>);
        let parsed: Vec<Row> = serde_json::from_str(&json).map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))?;
        let mut rows: Vec<PublicRequestRow> = parsed
            .into_iter()
            .map(|(id, category, status, department_id, hall_id, created_at, updated_at, due_on)| PublicRequestRow {
                id,
                category,
                status,
                department_id,
                hall_id,
                created_at,
                updated_at,
                due_on,
            })
            .collect();
        // An aggregate promises no order: newest first again.
        rows.sort_by(|a, b| (b.created_at, b.id).cmp(&(a.created_at, a.id)));
        Ok(rows)
    }
}
