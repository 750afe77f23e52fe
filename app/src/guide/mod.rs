//! The service guide (辦事指南): every service item a department offers, its time limit in
//! working days and the full list of what to bring, published so that a citizen is told
//! everything at once (一次性告知). Administrators keep it; anyone may read it.

use crate::i18n::Localized;
use serde::{Deserialize, Serialize};

/// One service item as the public guide shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideItem {
    pub code: String,
    pub department_code: String,
    pub department: Localized,
    pub name: Localized,
    /// Working days; 0 means done on the spot.
    pub time_limit_days: i64,
    /// One material a line.
    pub materials: Localized,
}

/// `/services`: every department with items, or one (`?department=CODE`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideView {
    pub departments: Vec<(String, Localized)>,
    /// The department chosen, if any (its code).
    pub department: Option<String>,
    pub items: Vec<GuideItem>,
}

impl GuideItem {
    /// The materials in `locale`'s language, one a line, blank lines left out.
    pub fn material_lines(&self, locale: crate::i18n::Locale) -> Vec<String> {
        self.materials
            .get(locale)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The administrator's add and change form for a service item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceItemForm {
    pub csrf_token: String,
    pub code: String,
    pub department: String,
    pub name_zh_hant: String,
    pub name_zh_hans: String,
    pub name_en: String,
    pub time_limit_days: String,
    pub materials_zh_hant: String,
    pub materials_zh_hans: String,
    pub materials_en: String,
}

#[cfg(feature = "ssr")]
impl From<crate::store::ServiceItemRecord> for GuideItem {
    fn from(r: crate::store::ServiceItemRecord) -> Self {
        GuideItem {
            code: r.code,
            department_code: r.department_code,
            department: r.department,
            name: r.name,
            time_limit_days: r.time_limit_days,
            materials: r.materials,
        }
    }
}
