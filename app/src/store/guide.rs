//! Service items (辦事指南): what each department does, in how many working days, and the
//! full list of what to bring. Changes are written with their audit-trail entry.

use super::admin::audit;
use super::BeginWrite;
use super::{AdminWriteError, Store, StoreError, on_pool};
use crate::i18n::Localized;

/// A service item with its department, as the public guide lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceItemRecord {
    pub code: String,
    pub department_code: String,
    pub department: Localized,
    pub name: Localized,
    pub time_limit_days: i64,
    /// One material a line.
    pub materials: Localized,
}

/// A service item as an administrator sets it, already checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewServiceItem {
    pub code: String,
    pub department_id: i64,
    /// zh-Hant, zh-Hans, en.
    pub names: [String; 3],
    pub time_limit_days: i64,
    /// zh-Hant, zh-Hans, en; one material a line.
    pub materials: [String; 3],
}

type ItemTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
);

impl NewServiceItem {
    /// The audit trail's words for it: codes, names, days and materials (no personal data).
    fn describe(&self) -> String {
        format!(
            "department {}: {} / {} / {}; {} working days; materials: {}",
            self.department_id,
            self.names[0],
            self.names[1],
            self.names[2],
            self.time_limit_days,
            self.materials[2].replace('\n', "; ")
        )
    }
}

impl Store {
    /// Every service item, by department then code.
    pub async fn service_items(&self) -> Result<Vec<ServiceItemRecord>, StoreError> {
        let rows: Vec<ItemTuple> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT s.code, d.code, d.name_zh_hant, d.name_zh_hans, d.name_en, \
             s.name_zh_hant, s.name_zh_hans, s.name_en, s.time_limit_days, \
             s.materials_zh_hant, s.materials_zh_hans, s.materials_en \
             FROM service_items s JOIN departments d ON d.id = s.department_id \
             ORDER BY d.sort_order, d.code, s.code"
        )
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|t| ServiceItemRecord {
                code: t.0,
                department_code: t.1,
                department: Localized { zh_hant: t.2, zh_hans: t.3, en: t.4 },
                name: Localized { zh_hant: t.5, zh_hans: t.6, en: t.7 },
                time_limit_days: t.8,
                materials: Localized { zh_hant: t.9, zh_hans: t.10, en: t.11 },
            })
            .collect())
    }

    pub async fn create_service_item(
        &self,
        actor_id: i64,
        at: i64,
        item: &NewServiceItem,
    ) -> Result<(), AdminWriteError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO service_items (code, department_id, name_zh_hant, name_zh_hans, name_en, \
                 time_limit_days, materials_zh_hant, materials_zh_hans, materials_en) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&item.code)
            .bind(item.department_id)
            .bind(&item.names[0])
            .bind(&item.names[1])
            .bind(&item.names[2])
            .bind(item.time_limit_days)
            .bind(&item.materials[0])
            .bind(&item.materials[1])
            .bind(&item.materials[2])
            .execute(&mut *tx)
            .await?;
            audit!(tx, at, actor_id, "service_item_created", &item.code, item.describe())?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Changes every field but the code; the audit entry keeps the old and new values.
    pub async fn update_service_item(
        &self,
        actor_id: i64,
        at: i64,
        item: &NewServiceItem,
    ) -> Result<(), AdminWriteError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let old: Option<(i64, String, String, String, i64, String, String, String)> = sqlx::query_as(
                "SELECT department_id, name_zh_hant, name_zh_hans, name_en, time_limit_days, \
                 materials_zh_hant, materials_zh_hans, materials_en FROM service_items WHERE code = $1",
            )
            .bind(&item.code)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(old) = old else {
                return Err(AdminWriteError::NotOpen);
            };
            let before = NewServiceItem {
                code: item.code.clone(),
                department_id: old.0,
                names: [old.1, old.2, old.3],
                time_limit_days: old.4,
                materials: [old.5, old.6, old.7],
            };
            sqlx::query(
                "UPDATE service_items SET department_id = $1, name_zh_hant = $2, name_zh_hans = $3, \
                 name_en = $4, time_limit_days = $5, materials_zh_hant = $6, materials_zh_hans = $7, \
                 materials_en = $8 WHERE code = $9",
            )
            .bind(item.department_id)
            .bind(&item.names[0])
            .bind(&item.names[1])
            .bind(&item.names[2])
            .bind(item.time_limit_days)
            .bind(&item.materials[0])
            .bind(&item.materials[1])
            .bind(&item.materials[2])
            .bind(&item.code)
            .execute(&mut *tx)
            .await?;
            let detail = format!("{} -> {}", before.describe(), item.describe());
            audit!(tx, at, actor_id, "service_item_changed", &item.code, detail)?;
            tx.commit().await?;
            Ok(())
        })
    }
}
