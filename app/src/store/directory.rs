//! Halls, departments and counters: where a citizen was served.

use super::{Store, StoreError, on_pool};
use crate::i18n::Localized;

/// A counter with its hall and department: what the rating page, the public directory and
/// the statistics need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterRecord {
    pub id: i64,
    pub code: String,
    pub hall_id: i64,
    pub hall_code: String,
    pub department_code: String,
    pub name: Localized,
    pub hall: Localized,
    pub department: Localized,
    pub retired: bool,
    /// For a retired counter: the code of the counter to go to instead.
    pub replaced_by: Option<String>,
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
    String,
    String,
    Option<i64>,
    Option<String>,
);

/// Every counter, in the order the public pages list them: by hall, department, counter.
const COUNTER_SELECT: &str = "SELECT c.id, c.code, c.hall_id, h.code, d.code, \
    c.name_zh_hant, c.name_zh_hans, c.name_en, \
    h.name_zh_hant, h.name_zh_hans, h.name_en, \
    d.name_zh_hant, d.name_zh_hans, d.name_en, c.retired_at, r.code \
    FROM counters c JOIN halls h ON h.id = c.hall_id JOIN departments d ON d.id = c.department_id \
    LEFT JOIN counters r ON r.id = c.replaced_by \
    ORDER BY h.sort_order, h.code, d.sort_order, d.code, c.sort_order, c.code";

fn counter_from(t: CounterTuple) -> CounterRecord {
    let localized = |zh_hant, zh_hans, en| Localized {
        zh_hant,
        zh_hans,
        en,
    };
    CounterRecord {
        id: t.0,
        code: t.1,
        hall_id: t.2,
        hall_code: t.3,
        department_code: t.4,
        name: localized(t.5, t.6, t.7),
        hall: localized(t.8, t.9, t.10),
        department: localized(t.11, t.12, t.13),
        retired: t.14.is_some(),
        replaced_by: t.15,
    }
}

impl Store {
    /// Every counter, open or retired; the rating service caches this.
    pub async fn all_counters(&self) -> Result<Vec<CounterRecord>, StoreError> {
        let rows: Vec<CounterTuple> = on_pool!(self, |pool| sqlx::query_as(COUNTER_SELECT)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(counter_from).collect())
    }

    /// Open counters for the public directory and statistics, in listing order.
    pub async fn directory(&self) -> Result<Vec<CounterRecord>, StoreError> {
        Ok(self
            .all_counters()
            .await?
            .into_iter()
            .filter(|c| !c.retired)
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
