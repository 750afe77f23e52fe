//! Administration (administrators only): the directory's counters — add, rename, retire
//! with where to go instead — the printable QR sheet of each hall, and the audit trail of
//! every change. Views here are shared by server and browser; the service is server-only.

use crate::i18n::Localized;
use serde::{Deserialize, Serialize};

pub mod channels;
pub mod limits;
#[cfg(feature = "ssr")]
pub mod qr;
#[cfg(feature = "ssr")]
pub mod service;

/// The add and rename forms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CounterForm {
    pub csrf_token: String,
    pub code: String,
    pub hall: String,
    pub department: String,
    pub name_zh_hant: String,
    pub name_zh_hans: String,
    pub name_en: String,
}

/// The public address form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicUrlForm {
    pub csrf_token: String,
    pub public_url: String,
}

/// The retire form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetireForm {
    pub csrf_token: String,
    /// The open counter to send people to instead (empty: none).
    pub replaced_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCounter {
    pub code: String,
    pub name: Localized,
    pub hall_code: String,
    pub department_code: String,
    pub retired: bool,
    pub replaced_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminView {
    /// Every hall and department, open or retired (counters name them).
    pub halls: Vec<(String, Localized)>,
    pub departments: Vec<(String, Localized)>,
    /// The codes of the retired ones: offered for nothing new.
    pub retired_halls: Vec<String>,
    pub retired_departments: Vec<String>,
    pub counters: Vec<AdminCounter>,
    pub audit: Vec<AuditLine>,
    pub public_base_url: String,
}

/// `/staff/admin/services`: the service items and the departments they may belong to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesView {
    pub departments: Vec<(String, Localized)>,
    pub items: Vec<crate::guide::GuideItem>,
}

/// The add and change form of a staff account (`password` only when adding).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub csrf_token: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department: String,
    pub badge: String,
    /// The code of the counter they sit at; empty: none.
    pub counter_code: String,
    pub email: String,
    /// A checkbox: present ("on") when ticked.
    pub active: Option<String>,
    pub password: String,
}

/// The new-password form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub csrf_token: String,
    pub password: String,
}

pub use crate::views::AccountLine;

/// `/staff/admin/staff`: every account, and the departments to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub accounts: Vec<AccountLine>,
    pub departments: Vec<(String, Localized)>,
    /// The administrator looking (who may not close their own account).
    pub me: String,
    /// The roles that must sign in with a second factor.
    pub second_factor_roles: Vec<crate::domain::Role>,
}

/// Which roles must sign in with a second factor (checkboxes: each checked role's code).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecondFactorRolesForm {
    pub csrf_token: String,
    pub roles: Vec<String>,
}

/// A form that carries nothing but the session's CSRF token.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf_token: String,
}

/// One card of a hall's QR sheet: the QR code is drawn as one SVG path of `size` units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrCard {
    pub code: String,
    pub name: Localized,
    pub department: Localized,
    pub url: String,
    pub size: u32,
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrSheet {
    pub hall_code: String,
    pub hall: Localized,
    pub cards: Vec<QrCard>,
}
