//! Halls, departments and counters: where a citizen was served.

use super::{Store, StoreError, on_pool};
use crate::i18n::Localized;

/// A counter with its hall and department, as the rating page needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterRecord {
    pub id: i64,
    pub code: String,
    pub hall_id: i64,
    pub name: Localized,
    pub hall: Localized,
    pub department: Localized,
    pub retired: bool,
}

/// One open counter in the public directory, sorted by hall, department, counter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryRow {
    pub counter_id: i64,
    pub hall_code: String,
    pub hall: Localized,
    pub department_code: String,
    pub department: Localized,
    pub counter_code: String,
    pub counter: Localized,
}

type CounterTuple = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
);

const COUNTER_SELECT: &str = "SELECT c.id, c.code, c.hall_id, \
    c.name_zh_hant, c.name_zh_hans, c.name_en, \
    h.name_zh_hant, h.name_zh_hans, h.name_en, \
    d.name_zh_hant, d.name_zh_hans, d.name_en, c.retired_at \
    FROM counters c JOIN halls h ON h.id = c.hall_id JOIN departments d ON d.id = c.department_id";

fn counter_from(t: CounterTuple) -> CounterRecord {
    CounterRecord {
        id: t.0,
        code: t.1,
        hall_id: t.2,
        name: Localized {
            zh_hant: t.3,
            zh_hans: t.4,
            en: t.5,
        },
        hall: Localized {
            zh_hant: t.6,
            zh_hans: t.7,
            en: t.8,
        },
        department: Localized {
            zh_hant: t.9,
            zh_hans: t.10,
            en: t.11,
        },
        retired: t.12.is_some(),
    }
}

impl Store {
    /// Every counter, open or retired; the rating service caches this.
    pub async fn all_counters(&self) -> Result<Vec<CounterRecord>, StoreError> {
        let sql = format!("{COUNTER_SELECT} ORDER BY c.code");
        let rows: Vec<CounterTuple> =
            on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(counter_from).collect())
    }

    /// Open counters for the public directory on the home page.
    pub async fn directory(&self) -> Result<Vec<DirectoryRow>, StoreError> {
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        );
        let sql = "SELECT c.id, h.code, h.name_zh_hant, h.name_zh_hans, h.name_en, \
                   d.code, d.name_zh_hant, d.name_zh_hans, d.name_en, \
                   c.code, c.name_zh_hant, c.name_zh_hans, c.name_en \
                   FROM counters c JOIN halls h ON h.id = c.hall_id \
                   JOIN departments d ON d.id = c.department_id \
                   WHERE c.retired_at IS NULL \
                   ORDER BY h.sort_order, h.code, d.sort_order, d.code, c.sort_order, c.code";
        let rows: Vec<Row> = on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| DirectoryRow {
                counter_id: r.0,
                hall_code: r.1,
                hall: Localized {
                    zh_hant: r.2,
                    zh_hans: r.3,
                    en: r.4,
                },
                department_code: r.5,
                department: Localized {
                    zh_hant: r.6,
                    zh_hans: r.7,
                    en: r.8,
                },
                counter_code: r.9,
                counter: Localized {
                    zh_hant: r.10,
                    zh_hans: r.11,
                    en: r.12,
                },
            })
            .collect())
    }

    /// True when no department exists yet: a fresh database that may take the demo.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*) FROM departments"
        )
        .fetch_one(pool)
        .await)?;
        Ok(n == 0)
    }
}
