//! Administrative changes to the directory, each written with its audit-trail entry in the
//! same transaction: the change and its record land together or not at all.

use super::{Store, StoreError, on_pool};
use super::BeginWrite;

/// Writes one audit-trail entry inside the change's own transaction (`$tx`), on either
/// backend: `audit!(tx, at, actor_id, action, subject, detail)`.
macro_rules! audit {
    ($tx:expr, $at:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {
        sqlx::query("INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind($at)
            .bind($actor)
            .bind($action)
            .bind($subject)
            .bind($detail)
            .execute(&mut *$tx)
            .await
    };
}
pub(super) use audit;

/// A new counter, already checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCounter {
    pub code: String,
    pub hall_id: i64,
    pub department_id: i64,
    /// zh-Hant, zh-Hans, en.
    pub names: [String; 3],
}

/// One entry of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Why a directory change was refused by the database.
#[derive(Debug, thiserror::Error)]
pub enum AdminWriteError {
    #[error("the code is taken")]
    CodeTaken,
    #[error("no such counter, or it is already retired")]
    NotOpen,
    /// A hall or department still has open counters, or a department open cases.
    #[error("still in use")]
    InUse,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AdminWriteError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => AdminWriteError::CodeTaken,
            _ => AdminWriteError::Store(e.into()),
        }
    }
}

/// A hall or a department: both are a code and a name in three languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceKind {
    Hall,
    Department,
}

impl PlaceKind {
    fn table(self) -> &'static str {
        match self {
            PlaceKind::Hall => "halls",
            PlaceKind::Department => "departments",
        }
    }

    /// The audit trail's action word: `hall_created`, `department_renamed`…
    fn action(self, what: &str) -> String {
        let noun = match self {
            PlaceKind::Hall => "hall",
            PlaceKind::Department => "department",
        };
        format!("{noun}_{what}")
    }
}

impl Store {
    pub async fn create_counter(
        &self,
        actor_id: i64,
        at: i64,
        counter: &NewCounter,
    ) -> Result<(), AdminWriteError> {
        let detail = format!(
            "hall {} department {}: {} / {} / {}",
            counter.hall_id, counter.department_id, counter.names[0], counter.names[1], counter.names[2]
        );
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO counters (code, hall_id, department_id, name_zh_hant, name_zh_hans, name_en, sort_order) \
                 VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM counters))",
            )
            .bind(&counter.code)
            .bind(counter.hall_id)
            .bind(counter.department_id)
            .bind(&counter.names[0])
            .bind(&counter.names[1])
            .bind(&counter.names[2])
            .execute(&mut *tx)
            .await?;
            audit!(tx, at, actor_id, "counter_created", &counter.code, &detail)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// New names for an open counter.
    pub async fn rename_counter(
        &self,
        actor_id: i64,
        at: i64,
        code: &str,
        names: &[String; 3],
    ) -> Result<(), AdminWriteError> {
        self.rename(actor_id, at, "counters", true, "counter_renamed", code, names).await
    }

    /// Retires an open counter; its QR page then sends people to `replaced_by` (an open
    /// counter) if given.
    pub async fn retire_counter(
        &self,
        actor_id: i64,
        at: i64,
        code: &str,
        replaced_by: Option<&str>,
    ) -> Result<(), AdminWriteError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let replacement: Option<i64> = match replaced_by {
                Some(other) => {
                    let found: Option<(i64,)> = sqlx::query_as(
                        "SELECT id FROM counters WHERE code = $1 AND retired_at IS NULL AND code <> $2",
                    )
                    .bind(other)
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await?;
                    match found {
                        Some((id,)) => Some(id),
                        None => return Err(AdminWriteError::NotOpen),
                    }
                }
                None => None,
            };
            let done = sqlx::query(
                "UPDATE counters SET retired_at = $1, replaced_by = $2 WHERE code = $3 AND retired_at IS NULL",
            )
            .bind(at)
            .bind(replacement)
            .bind(code)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Err(AdminWriteError::NotOpen);
            }
            let detail = match replaced_by {
                Some(other) => format!("go to {other} instead"),
                None => "no replacement".to_string(),
            };
            audit!(tx, at, actor_id, "counter_retired", code, detail)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A new hall or department, listed after the others.
    pub async fn create_place(
        &self,
        actor_id: i64,
        at: i64,
        kind: PlaceKind,
        code: &str,
        names: &[String; 3],
    ) -> Result<(), AdminWriteError> {
        let table = kind.table();
        let insert = format!(
            "INSERT INTO {table} (code, name_zh_hant, name_zh_hans, name_en, sort_order) \
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM {table}))"
        );
        let detail = format!("{} / {} / {}", names[0], names[1], names[2]);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&insert)
                .bind(code)
                .bind(&names[0])
                .bind(&names[1])
                .bind(&names[2])
                .execute(&mut *tx)
                .await?;
            audit!(tx, at, actor_id, kind.action("created"), code, &detail)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Retires an open hall or department, if no open counter is in it and (a department)
    /// no open case is with it or on its way to it, and no active account belongs to it.
    pub async fn retire_place(
        &self,
        actor_id: i64,
        at: i64,
        kind: PlaceKind,
        code: &str,
    ) -> Result<(), AdminWriteError> {
        let table = kind.table();
        let find = format!("SELECT id FROM {table} WHERE code = $1 AND retired_at IS NULL");
        let counters = match kind {
            PlaceKind::Hall => "SELECT COUNT(*) FROM counters WHERE hall_id = $1 AND retired_at IS NULL",
            PlaceKind::Department => {
                "SELECT COUNT(*) FROM counters WHERE department_id = $1 AND retired_at IS NULL"
            }
        };
        let cases = "SELECT (SELECT COUNT(*) FROM cases WHERE (department_id = $1 OR pending_department_id = $1) \
                     AND status NOT IN ('closed', 'rejected')) + \
                     (SELECT COUNT(*) FROM staff WHERE department_id = $1 AND active)";
        let retire = format!("UPDATE {table} SET retired_at = $2 WHERE id = $1");
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let found: Option<(i64,)> = sqlx::query_as(&find).bind(code).fetch_optional(&mut *tx).await?;
            let Some((id,)) = found else {
                return Err(AdminWriteError::NotOpen);
            };
            let (open_counters,): (i64,) = sqlx::query_as(counters).bind(id).fetch_one(&mut *tx).await?;
            let (open_cases_and_staff,): (i64,) = match kind {
                PlaceKind::Hall => (0,),
                PlaceKind::Department => sqlx::query_as(cases).bind(id).fetch_one(&mut *tx).await?,
            };
            if open_counters > 0 || open_cases_and_staff > 0 {
                return Err(AdminWriteError::InUse);
            }
            sqlx::query(&retire).bind(id).bind(at).execute(&mut *tx).await?;
            audit!(tx, at, actor_id, kind.action("retired"), code, "")?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn rename_place(
        &self,
        actor_id: i64,
        at: i64,
        kind: PlaceKind,
        code: &str,
        names: &[String; 3],
    ) -> Result<(), AdminWriteError> {
        self.rename(actor_id, at, kind.table(), false, &kind.action("renamed"), code, names).await
    }

    /// Renames the row of `table` (a name from this module, never user text) with this
    /// code — only if not retired when `open_only` — and writes the old and new names to
    /// the audit trail as `action`.
    #[allow(clippy::too_many_arguments)]
    async fn rename(
        &self,
        actor_id: i64,
        at: i64,
        table: &str,
        open_only: bool,
        action: &str,
        code: &str,
        names: &[String; 3],
    ) -> Result<(), AdminWriteError> {
        let condition = if open_only { "code = $1 AND retired_at IS NULL" } else { "code = $1" };
        let select = format!("SELECT name_zh_hant, name_zh_hans, name_en FROM {table} WHERE {condition}");
        let update = format!(
            "UPDATE {table} SET name_zh_hant = $2, name_zh_hans = $3, name_en = $4 WHERE {condition}"
        );
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let old: Option<(String, String, String)> =
                sqlx::query_as(&select).bind(code).fetch_optional(&mut *tx).await?;
            let Some(old) = old else {
                return Err(AdminWriteError::NotOpen);
            };
            sqlx::query(&update)
                .bind(code)
                .bind(&names[0])
                .bind(&names[1])
                .bind(&names[2])
                .execute(&mut *tx)
                .await?;
            let detail = format!("{} / {} / {} -> {} / {} / {}", old.0, old.1, old.2, names[0], names[1], names[2]);
            audit!(tx, at, actor_id, action, code, detail)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A setting's value, if an administrator has set it.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(value,)| value))
    }

    /// Sets a setting; the audit entry keeps the old value (`before`, as the service saw it)
    /// and the new one.
    pub async fn set_setting(
        &self,
        actor_id: i64,
        at: i64,
        key: &str,
        before: &str,
        value: &str,
    ) -> Result<(), AdminWriteError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
            audit!(tx, at, actor_id, "setting_changed", key, format!("{before} -> {value}"))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The newest entries of the audit trail first.
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.id, a.at, s.username AS actor, a.action, a.subject, a.detail \
             FROM audit_log a JOIN staff s ON s.id = a.actor_id ORDER BY a.id DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }
}
