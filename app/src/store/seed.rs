//! Loading a whole set of reference data (the demo, or a fixture) in one transaction.

use super::{Store, StoreError, on_pool};
use super::BeginWrite;

pub struct SeedDepartment {
    pub code: &'static str,
    pub name: [&'static str; 3],
}

pub struct SeedHall {
    pub code: &'static str,
    pub name: [&'static str; 3],
}

pub struct SeedCounter {
    pub code: &'static str,
    pub hall: &'static str,
    pub department: &'static str,
    pub name: [&'static str; 3],
    pub retired: bool,
}

pub struct SeedServiceItem {
    pub code: &'static str,
    pub department: &'static str,
    pub name: [&'static str; 3],
    pub time_limit_days: i64,
    pub materials: [&'static str; 3],
}

pub struct SeedStaff {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub department: Option<&'static str>,
    /// The number on the badge worn at the counter.
    pub badge: Option<&'static str>,
    /// Where reminders, escalations and assignments go.
    pub email: Option<String>,
    pub password_hash: String,
}

pub struct SeedDay {
    pub day: String,
    pub kind: String,
    pub name: String,
}

/// Reference data for a fresh database. Everything goes in, or nothing does.
pub struct Seed {
    pub departments: Vec<SeedDepartment>,
    pub halls: Vec<SeedHall>,
    pub counters: Vec<SeedCounter>,
    pub service_items: Vec<SeedServiceItem>,
    pub staff: Vec<SeedStaff>,
    pub calendar: Vec<SeedDay>,
    pub now_ms: i64,
    /// Settings as administrators would set them (key, value).
    pub settings: Vec<(&'static str, String)>,
}

impl Store {
    pub async fn load_seed(&self, seed: &Seed) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for (order, d) in seed.departments.iter().enumerate() {
                sqlx::query("INSERT INTO departments (code, name_zh_hant, name_zh_hans, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)")
                    .bind(d.code).bind(d.name[0]).bind(d.name[1]).bind(d.name[2]).bind(order as i64)
                    .execute(&mut *tx).await?;
            }
            for (order, h) in seed.halls.iter().enumerate() {
                sqlx::query("INSERT INTO halls (code, name_zh_hant, name_zh_hans, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)")
                    .bind(h.code).bind(h.name[0]).bind(h.name[1]).bind(h.name[2]).bind(order as i64)
                    .execute(&mut *tx).await?;
            }
            for (order, c) in seed.counters.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO counters (code, hall_id, department_id, name_zh_hant, name_zh_hans, name_en, sort_order, retired_at) \
                     VALUES ($1, (SELECT id FROM halls WHERE code = $2), (SELECT id FROM departments WHERE code = $3), $4, $5, $6, $7, $8)")
                    .bind(c.code).bind(c.hall).bind(c.department)
                    .bind(c.name[0]).bind(c.name[1]).bind(c.name[2]).bind(order as i64)
                    .bind(c.retired.then_some(seed.now_ms))
                    .execute(&mut *tx).await?;
            }
            for s in &seed.service_items {
                sqlx::query(
                    "INSERT INTO service_items (code, department_id, name_zh_hant, name_zh_hans, name_en, time_limit_days, materials_zh_hant, materials_zh_hans, materials_en) \
                     VALUES ($1, (SELECT id FROM departments WHERE code = $2), $3, $4, $5, $6, $7, $8, $9)")
                    .bind(s.code).bind(s.department)
                    .bind(s.name[0]).bind(s.name[1]).bind(s.name[2]).bind(s.time_limit_days)
                    .bind(s.materials[0]).bind(s.materials[1]).bind(s.materials[2])
                    .execute(&mut *tx).await?;
            }
            for s in &seed.staff {
                sqlx::query(
                    "INSERT INTO staff (username, display_name, role, department_id, password_hash, created_at, badge, email) \
                     VALUES ($1, $2, $3, (SELECT id FROM departments WHERE code = $4), $5, $6, $7, $8)")
                    .bind(s.username).bind(s.display_name).bind(s.role).bind(s.department)
                    .bind(&s.password_hash).bind(seed.now_ms).bind(s.badge).bind(s.email.as_deref())
                    .execute(&mut *tx).await?;
            }
            for d in &seed.calendar {
                sqlx::query("INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)")
                    .bind(&d.day)
                    .bind(&d.kind)
                    .bind(&d.name)
                    .execute(&mut *tx)
                    .await?;
            }
            for (key, value) in &seed.settings {
                sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                    .bind(*key).bind(value)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// The listed days of the working-day calendar: (`YYYY-MM-DD`, `holiday`|`workday`).
    pub async fn calendar_days(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT day, kind FROM calendar_days ORDER BY day"
        )
        .fetch_all(pool)
        .await)?)
    }

    /// How many calendar days (holidays and make-up working days) are loaded.
    pub async fn calendar_day_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*) FROM calendar_days"
        )
        .fetch_one(pool)
        .await)?;
        Ok(n)
    }
}
