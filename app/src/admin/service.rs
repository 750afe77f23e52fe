//! The administrator's service: the directory's counters (add, rename, retire with a
//! "go here instead"), the printable QR sheets, and the audit trail. Every call checks the
//! role first; every change is written with its audit entry.

use super::{
    AccountForm, AccountLine, AccountsView, AdminCounter, AdminView, AuditLine, CounterForm, PasswordForm, QrCard,
    QrSheet, ServicesView,
};
use super::limits::{LimitCell, LimitChange, TimeLimitsForm, TimeLimitsView, parse_limits};
use crate::clock::Clock;
use crate::domain::{CounterCode, Field, FieldErrors, Problem, Role, is_forbidden_char};
use crate::domain::case::Actor;
use crate::rating::CounterDirectory;
use crate::guide::{GuideItem, ServiceItemForm};
use crate::domain::Email;
use crate::settings::{PUBLIC_URL_KEY, PublicAddress, parse_public_url};
use crate::store::{AccountFields, AdminWriteError, LimitWrite, NewCounter, NewServiceItem, PlaceKind, Store, StoreError};
use chrono::TimeZone;
use chrono_tz::Tz;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The longest counter or service item name, in characters.
pub const MAX_NAME: usize = 80;
/// The longest list of materials, in characters (each language).
pub const MAX_MATERIALS: usize = 2000;
/// The longest time limit, in working days.
pub const MAX_DAYS: i64 = 365;

#[derive(Clone)]
pub struct AdminService {
    pub(super) store: Store,
    counters: CounterDirectory,
    pub(super) clock: Clock,
    time_zone: Tz,
    public_base_url: PublicAddress,
}

fn names(form: &CounterForm) -> Result<[String; 3], FieldErrors> {
    three_names([&form.name_zh_hant, &form.name_zh_hans, &form.name_en])
}

/// Names in the three languages: each required, one line, at most `MAX_NAME` characters.
fn three_names(raw: [&String; 3]) -> Result<[String; 3], FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut out: [String; 3] = Default::default();
    for (i, (field, raw)) in [Field::NameZhHant, Field::NameZhHans, Field::NameEn]
        .into_iter()
        .zip(raw)
        .enumerate()
    {
        let text = raw.trim();
        if text.is_empty() {
            errors.push(field, Problem::TextRequired);
        } else if text.chars().count() > MAX_NAME {
            errors.push(field, Problem::TextTooLong);
        } else if text.chars().any(|c| is_forbidden_char(c) || c == '\n' || c == '\r') {
            errors.push(field, Problem::TextControlChars);
        } else {
            out[i] = text.to_string();
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Materials in the three languages: each required, one a line (blank lines and spaces
/// around each dropped), at most `MAX_MATERIALS` characters.
fn materials(raw: [&String; 3]) -> Result<[String; 3], FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut out: [String; 3] = Default::default();
    for (i, (field, raw)) in [Field::MaterialsZhHant, Field::MaterialsZhHans, Field::MaterialsEn]
        .into_iter()
        .zip(raw)
        .enumerate()
    {
        let lines: Vec<&str> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let text = lines.join("\n");
        if text.is_empty() {
            errors.push(field, Problem::TextRequired);
        } else if text.chars().count() > MAX_MATERIALS {
            errors.push(field, Problem::TextTooLong);
        } else if text.chars().any(|c| c != '\n' && (is_forbidden_char(c) || c == '\r')) {
            errors.push(field, Problem::TextControlChars);
        } else {
            out[i] = text;
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// A new account's user name: lower-case letters, digits, `.`, `-`, `_`; 2 to 64.
fn new_username(raw: &str) -> Option<String> {
    let name = raw.trim().to_lowercase();
    let ok = (2..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
    ok.then_some(name)
}

/// A password an administrator sets: by the same rule as everyone's.
fn password(raw: &str) -> Result<&str, Problem> {
    crate::staff::passwords::check(raw)
}

/// Why the command line could not create an administrator.
#[derive(Debug, thiserror::Error)]
pub enum NewAdminError {
    #[error("a user name is 2 to 64 of a-z, 0-9, '.', '-' and '_'")]
    Username,
    #[error("a display name is 1 to {MAX_NAME} characters")]
    DisplayName,
    #[error("a password is 12 to 128 characters")]
    Password,
    #[error("that password is among the most common ones: choose another")]
    CommonPassword,
    #[error("that user name is taken")]
    Taken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An administrator made from the command line (the first one, or one more when every
/// administrator is locked out), by the rules the accounts page applies to names and
/// passwords. The audit trail names the new account as its own creator.
pub async fn create_admin_account(
    store: &Store,
    now_ms: i64,
    username: &str,
    display_name: &str,
    password_text: &str,
) -> Result<String, NewAdminError> {
    let username = new_username(username).ok_or(NewAdminError::Username)?;
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > MAX_NAME {
        return Err(NewAdminError::DisplayName);
    }
    let password_text = password(password_text).map_err(|problem| match problem {
        Problem::PasswordCommon => NewAdminError::CommonPassword,
        _ => NewAdminError::Password,
    })?;
    let hash = hash_password(password_text).await?;
    let fields = AccountFields {
        display_name: display_name.to_string(),
        role: Role::Administrator.code().to_string(),
        department_id: None,
        badge: None,
        email: None,
        active: true,
        counter_id: None,
    };
    match store.create_account(None, now_ms, &username, &fields, &hash).await {
        Ok(()) => Ok(username),
        Err(AdminWriteError::CodeTaken) => Err(NewAdminError::Taken),
        Err(AdminWriteError::Store(e)) => Err(e.into()),
        Err(AdminWriteError::NotOpen | AdminWriteError::InUse) => Err(NewAdminError::Taken),
    }
}

use crate::staff::auth::hash_password;

/// Whether a badge number is already on another account than `username`'s.
fn badge_taken(accounts: &[AccountLine], badge: Option<&str>, username: &str) -> bool {
    badge.is_some_and(|badge| accounts.iter().any(|a| a.badge.as_deref() == Some(badge) && a.username != username))
}

/// A whole number of working days from 0 to `MAX_DAYS`.
fn days(raw: &str) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|d| (0..=MAX_DAYS).contains(d))
}

impl AdminService {
    pub fn new(
        store: Store,
        counters: CounterDirectory,
        clock: Clock,
        time_zone: Tz,
        public_base_url: PublicAddress,
    ) -> AdminService {
        AdminService {
            store,
            counters,
            clock,
            time_zone,
            public_base_url,
        }
    }

    pub(super) fn allow(actor: &Actor) -> Result<(), AdminError> {
        if actor.role == Role::Administrator {
            Ok(())
        } else {
            Err(AdminError::Forbidden)
        }
    }

    pub(super) fn local_time(&self, ms: i64) -> String {
        self.time_zone
            .timestamp_millis_opt(ms)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }

    pub async fn overview(&self, actor: &Actor) -> Result<AdminView, AdminError> {
        Self::allow(actor)?;
        let halls = self.store.halls().await?;
        let departments = self.store.departments().await?;
        let counters = self.store.all_counters().await?;
        let audit = self.store.audit_entries(100).await?;
        Ok(AdminView {
            halls: halls.iter().map(|h| (h.code.clone(), h.name())).collect(),
            departments: departments.iter().map(|d| (d.code.clone(), d.name())).collect(),
            retired_halls: halls.iter().filter(|h| !h.is_open()).map(|h| h.code.clone()).collect(),
            retired_departments: departments
                .iter()
                .filter(|d| !d.is_open())
                .map(|d| d.code.clone())
                .collect(),
            counters: counters
                .into_iter()
                .map(|c| AdminCounter {
                    code: c.code,
                    name: c.name,
                    hall_code: c.hall_code,
                    department_code: c.department_code,
                    retired: c.retired,
                    replaced_by: c.replaced_by,
                })
                .collect(),
            audit: audit
                .into_iter()
                .map(|a| AuditLine {
                    at: self.local_time(a.at),
                    actor: a.actor,
                    action: a.action,
                    subject: a.subject,
                    detail: a.detail,
                })
                .collect(),
            public_base_url: self.public_base_url.get(),
        })
    }

    pub async fn create_counter(&self, actor: &Actor, form: &CounterForm) -> Result<String, AdminError> {
        Self::allow(actor)?;
        let mut errors = FieldErrors::default();
        let code = CounterCode::parse(&form.code);
        if code.is_none() {
            errors.push(Field::Code, Problem::CodeFormat);
        }
        let halls = self.store.halls().await?;
        let departments = self.store.departments().await?;
        let hall = halls.iter().find(|h| h.is_open() && h.code == form.hall.trim());
        if hall.is_none() {
            errors.push(Field::Hall, Problem::PlaceUnknown);
        }
        let department = departments.iter().find(|d| d.is_open() && d.code == form.department.trim());
        if department.is_none() {
            errors.push(Field::Department, Problem::DepartmentInvalid);
        }
        let names = match names(form) {
            Ok(names) => Some(names),
            Err(more) => {
                errors.0.extend(more.0);
                None
            }
        };
        let (Some(code), Some(hall), Some(department), Some(names)) = (code, hall, department, names) else {
            return Err(AdminError::Invalid(errors));
        };
        let counter = NewCounter {
            code: code.as_str().to_string(),
            hall_id: hall.id,
            department_id: department.id,
            names,
        };
        match self.store.create_counter(actor.id, self.clock.now_ms(), &counter).await {
            Ok(()) => {}
            Err(AdminWriteError::CodeTaken) => {
                return Err(AdminError::Invalid(FieldErrors::single(Field::Code, Problem::CodeTaken)));
            }
            Err(AdminWriteError::NotOpen | AdminWriteError::InUse) => return Err(AdminError::NotFound),
            Err(AdminWriteError::Store(e)) => return Err(e.into()),
        }
        self.counters.invalidate().await?;
        Ok(counter.code)
    }

    pub async fn rename_counter(&self, actor: &Actor, code: &str, form: &CounterForm) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let code = CounterCode::parse(code).ok_or(AdminError::NotFound)?;
        let names = names(form).map_err(AdminError::Invalid)?;
        match self.store.rename_counter(actor.id, self.clock.now_ms(), code.as_str(), &names).await {
            Ok(()) => {}
            Err(AdminWriteError::Store(e)) => return Err(e.into()),
            Err(_) => return Err(AdminError::NotFound),
        }
        self.counters.invalidate().await?;
        Ok(())
    }

    /// Retires a counter; `replaced_by` (empty: none) must be another open counter.
    pub async fn retire_counter(&self, actor: &Actor, code: &str, replaced_by: &str) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let code = CounterCode::parse(code).ok_or(AdminError::NotFound)?;
        let replacement = match replaced_by.trim() {
            "" => None,
            other => Some(
                CounterCode::parse(other)
                    .filter(|c| *c != code)
                    .ok_or_else(|| AdminError::Invalid(FieldErrors::single(Field::ReplacedBy, Problem::PlaceUnknown)))?,
            ),
        };
        let exists = self
            .store
            .all_counters()
            .await?
            .into_iter()
            .any(|c| c.code == code.as_str() && !c.retired);
        if !exists {
            return Err(AdminError::NotFound);
        }
        match self
            .store
            .retire_counter(actor.id, self.clock.now_ms(), code.as_str(), replacement.as_ref().map(CounterCode::as_str))
            .await
        {
            Ok(()) => {}
            Err(AdminWriteError::Store(e)) => return Err(e.into()),
            // The counter was open a moment ago: the replacement is what is wrong.
            Err(_) => {
                return Err(AdminError::Invalid(FieldErrors::single(Field::ReplacedBy, Problem::PlaceUnknown)));
            }
        }
        self.counters.invalidate().await?;
        Ok(())
    }

    /// A new hall or department: a code (letters, digits, hyphens) and three names.
    pub async fn create_place(&self, actor: &Actor, kind: PlaceKind, form: &CounterForm) -> Result<String, AdminError> {
        Self::allow(actor)?;
        let mut errors = FieldErrors::default();
        let code = CounterCode::parse(&form.code);
        if code.is_none() {
            errors.push(Field::Code, Problem::CodeFormat);
        }
        let names = names(form).map_err(|more| errors.0.extend(more.0)).ok();
        let (Some(code), Some(names)) = (code, names) else {
            return Err(AdminError::Invalid(errors));
        };
        match self.store.create_place(actor.id, self.clock.now_ms(), kind, code.as_str(), &names).await {
            Ok(()) => Ok(code.as_str().to_string()),
            Err(AdminWriteError::CodeTaken) => Err(AdminError::Invalid(FieldErrors::single(Field::Code, Problem::CodeTaken))),
            Err(AdminWriteError::NotOpen | AdminWriteError::InUse) => Err(AdminError::NotFound),
            Err(AdminWriteError::Store(e)) => Err(e.into()),
        }
    }

    /// Retires a hall or department: refused while an open counter is in it or (a
    /// department) an open case is with it. It is then offered nowhere (counters, staff,
    /// service items, transfers, the complaint form) and kept in the history.
    pub async fn retire_place(&self, actor: &Actor, kind: PlaceKind, code: &str) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let code = CounterCode::parse(code).ok_or(AdminError::NotFound)?;
        match self.store.retire_place(actor.id, self.clock.now_ms(), kind, code.as_str()).await {
            Ok(()) => {}
            Err(AdminWriteError::InUse) => {
                return Err(AdminError::Invalid(FieldErrors::single(Field::Code, Problem::PlaceInUse)));
            }
            Err(AdminWriteError::Store(e)) => return Err(e.into()),
            Err(_) => return Err(AdminError::NotFound),
        }
        self.counters.invalidate().await?;
        Ok(())
    }

    /// New names for a hall or department. Counter pages show them at once; case pages and
    /// statistics within a minute (their caches' age).
    pub async fn rename_place(&self, actor: &Actor, kind: PlaceKind, code: &str, form: &CounterForm) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let code = CounterCode::parse(code).ok_or(AdminError::NotFound)?;
        let names = names(form).map_err(AdminError::Invalid)?;
        match self.store.rename_place(actor.id, self.clock.now_ms(), kind, code.as_str(), &names).await {
            Ok(()) => {}
            Err(AdminWriteError::Store(e)) => return Err(e.into()),
            Err(_) => return Err(AdminError::NotFound),
        }
        self.counters.invalidate().await?;
        Ok(())
    }

    /// Every staff account and the departments to choose from.
    pub async fn accounts(&self, actor: &Actor, me: &str) -> Result<AccountsView, AdminError> {
        Self::allow(actor)?;
        let setting = self.store.setting(crate::staff::auth::SECOND_FACTOR_ROLES_KEY).await?;
        Ok(AccountsView {
            accounts: self.store.accounts().await?,
            departments: open_places(self.store.departments().await?),
            me: me.to_string(),
            second_factor_roles: crate::staff::auth::second_factor_roles(setting.as_deref()),
        })
    }

    /// Sets which roles must sign in with a second factor (their staff set one up at their
    /// next sign-in). Unknown role codes are ignored.
    pub async fn set_second_factor_roles(&self, actor: &Actor, form: &crate::admin::SecondFactorRolesForm) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let roles: Vec<&str> = Role::ALL
            .into_iter()
            .filter(|r| form.roles.iter().any(|c| c == r.code()))
            .map(Role::code)
            .collect();
        let key = crate::staff::auth::SECOND_FACTOR_ROLES_KEY;
        let before = match self.store.setting(key).await? {
            Some(value) => value,
            None => crate::staff::auth::DEFAULT_SECOND_FACTOR_ROLES.map(Role::code).join(","),
        };
        match self.store.set_setting(actor.id, self.clock.now_ms(), key, &before, &roles.join(",")).await {
            Ok(()) => {}
            Err(AdminWriteError::Store(e)) => return Err(e.into()),
            Err(_) => return Err(AdminError::NotFound),
        }
        // Roles that need one now sign in again (and set one up): not the administrator
        // making the change, mid-change.
        let newly: Vec<&str> = roles.iter().copied().filter(|r| !before.split(',').any(|b| b.trim() == *r)).collect();
        self.store.end_sessions_of_roles(&newly, actor.id).await?;
        Ok(())
    }

    /// Removes the second factor of someone who lost their phone: they sign in with their
    /// password alone (and set up a new one if their role requires it); their sessions end.
    pub async fn reset_second_factor(&self, actor: &Actor, username: &str) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let Some(account) = self.store.staff_by_username(username).await? else {
            return Err(AdminError::NotFound);
        };
        self.store
            .remove_second_factor(actor.id, account.id, username, "", self.clock.now_ms())
            .await?;
        Ok(())
    }

    /// Checks an account form (every problem at once). `me`: the administrator's own
    /// account, which they may neither close nor take the administrator role from.
    async fn account_fields(&self, form: &AccountForm, own: bool) -> Result<AccountFields, AdminError> {
        let mut errors = FieldErrors::default();
        let display_name = form.display_name.trim();
        if display_name.is_empty() {
            errors.push(Field::DisplayName, Problem::TextRequired);
        } else if display_name.chars().count() > MAX_NAME {
            errors.push(Field::DisplayName, Problem::TextTooLong);
        } else if display_name.chars().any(|c| is_forbidden_char(c) || c == '\n' || c == '\r') {
            errors.push(Field::DisplayName, Problem::TextControlChars);
        }
        let role = Role::parse(form.role.trim());
        if role.is_none() {
            errors.push(Field::Role, Problem::ChoiceRequired);
        }
        let active = form.active.is_some();
        if own && (!active || role.is_some_and(|r| r != Role::Administrator)) {
            errors.push(Field::Role, Problem::SelfLockout);
        }
        let departments = self.store.departments().await?;
        let department = match form.department.trim() {
            "" => None,
            code => match departments.iter().find(|d| d.is_open() && d.code == code) {
                Some(d) => Some(d.id),
                None => {
                    errors.push(Field::Department, Problem::DepartmentInvalid);
                    None
                }
            },
        };
        let needs_department = matches!(role, Some(Role::CounterStaff | Role::DepartmentHead));
        if needs_department && department.is_none() && form.department.trim().is_empty() {
            errors.push(Field::Department, Problem::DepartmentInvalid);
        }
        let badge = match form.badge.trim() {
            "" => None,
            raw => match CounterCode::parse(raw) {
                Some(code) => Some(code.as_str().to_string()),
                None => {
                    errors.push(Field::Badge, Problem::CodeFormat);
                    None
                }
            },
        };
        // The counter they sit at: an open counter of their department.
        let counter_id = match form.counter_code.trim() {
            "" => None,
            raw => {
                let code = CounterCode::parse(raw);
                let counter = match &code {
                    Some(code) => self.store.directory().await?.into_iter().find(|c| c.code == code.as_str()),
                    None => None,
                };
                match counter {
                    Some(c) if needs_department && c.department_code == form.department.trim() => Some(c.id),
                    _ => {
                        errors.push(Field::StaffCounter, Problem::CounterElsewhere);
                        None
                    }
                }
            }
        };
        let email = match form.email.trim() {
            "" => None,
            raw => match Email::parse(raw) {
                Some(email) => Some(email.as_str().to_string()),
                None => {
                    errors.push(Field::Email, Problem::EmailInvalid);
                    None
                }
            },
        };
        let Some(role) = role.filter(|_| errors.is_empty()) else {
            return Err(AdminError::Invalid(errors));
        };
        Ok(AccountFields {
            display_name: display_name.to_string(),
            role: role.code().to_string(),
            // Supervisors and administrators work across departments.
            department_id: if needs_department { department } else { None },
            badge,
            email,
            active,
            counter_id: if needs_department { counter_id } else { None },
        })
    }

    pub async fn create_account(&self, actor: &Actor, form: &AccountForm) -> Result<String, AdminError> {
        Self::allow(actor)?;
        let username = new_username(&form.username);
        let mut errors = FieldErrors::default();
        let fields = match self.account_fields(form, false).await {
            Ok(fields) => Some(fields),
            Err(AdminError::Invalid(problems)) => {
                errors = problems;
                None
            }
            Err(e) => return Err(e),
        };
        let password = password(&form.password);
        if username.is_none() {
            errors.push(Field::Username, Problem::UsernameFormat);
        }
        if let Err(problem) = password {
            errors.push(Field::Password, problem);
        }
        let password = password.ok();
        let (Some(username), Some(fields), Some(password)) = (username, fields, password) else {
            return Err(AdminError::Invalid(errors));
        };
        let accounts = self.store.accounts().await?;
        if accounts.iter().any(|a| a.username == username) {
            return Err(AdminError::Invalid(FieldErrors::single(Field::Username, Problem::UsernameTaken)));
        }
        if badge_taken(&accounts, fields.badge.as_deref(), &username) {
            return Err(AdminError::Invalid(FieldErrors::single(Field::Badge, Problem::CodeTaken)));
        }
        let hash = hash_password(password).await?;
        match self.store.create_account(Some(actor.id), self.clock.now_ms(), &username, &fields, &hash).await {
            Ok(()) => Ok(username),
            // Two administrators at once: the database's unique keys decide.
            Err(AdminWriteError::CodeTaken) => Err(AdminError::Invalid(FieldErrors::single(Field::Username, Problem::UsernameTaken))),
            Err(AdminWriteError::NotOpen | AdminWriteError::InUse) => Err(AdminError::NotFound),
            Err(AdminWriteError::Store(e)) => Err(e.into()),
        }
    }

    pub async fn update_account(&self, actor: &Actor, me: &str, username: &str, form: &AccountForm) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let fields = self.account_fields(form, username == me).await?;
        if badge_taken(&self.store.accounts().await?, fields.badge.as_deref(), username) {
            return Err(AdminError::Invalid(FieldErrors::single(Field::Badge, Problem::CodeTaken)));
        }
        match self.store.update_account(actor.id, self.clock.now_ms(), username, &fields).await {
            Ok(()) => Ok(()),
            Err(AdminWriteError::CodeTaken) => Err(AdminError::Invalid(FieldErrors::single(Field::Badge, Problem::CodeTaken))),
            Err(AdminWriteError::NotOpen | AdminWriteError::InUse) => Err(AdminError::NotFound),
            Err(AdminWriteError::Store(e)) => Err(e.into()),
        }
    }

    pub async fn set_password(&self, actor: &Actor, username: &str, form: &PasswordForm) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let password = password(&form.password)
            .map_err(|problem| AdminError::Invalid(FieldErrors::single(Field::Password, problem)))?;
        if !self.store.accounts().await?.iter().any(|a| a.username == username) {
            return Err(AdminError::NotFound);
        }
        let hash = hash_password(password).await?;
        match self.store.set_password(actor.id, self.clock.now_ms(), username, &hash).await {
            Ok(()) => Ok(()),
            Err(AdminWriteError::Store(e)) => Err(e.into()),
            Err(_) => Err(AdminError::NotFound),
        }
    }

    /// Reads the public address an administrator set (on this server or another) into the
    /// address every service shares. Called at start, every minute, and by the QR sheet.
    pub async fn refresh_public_url(&self) -> Result<(), StoreError> {
        if let Some(url) = self.store.setting(PUBLIC_URL_KEY).await? {
            self.public_base_url.set(&url);
        }
        Ok(())
    }

    /// The public address QR codes and mails' links point to (the server's own address,
    /// `COUNTERPOINT_PUBLIC_URL`, keeps guarding cookies and form posts).
    pub async fn set_public_url(&self, actor: &Actor, raw: &str) -> Result<(), AdminError> {
        Self::allow(actor)?;
        let url = parse_public_url(raw)
            .ok_or_else(|| AdminError::Invalid(FieldErrors::single(Field::PublicUrl, Problem::UrlInvalid)))?;
        let before = self.public_base_url.get();
        match self.store.set_setting(actor.id, self.clock.now_ms(), PUBLIC_URL_KEY, &before, &url).await {
            Ok(()) => {}
            Err(AdminWriteError::Store(e)) => return Err(e.into()),
            Err(_) => return Err(AdminError::NotFound),
        }
        self.public_base_url.set(&url);
        Ok(())
    }

    /// The time limits of case handling, as the page shows them.
    pub async fn time_limits(&self, actor: &Actor) -> Result<TimeLimitsView, AdminError> {
        Self::allow(actor)?;
        let rows = self.store.time_limits().await?;
        let days = LimitCell::all()
            .into_iter()
            .map(|cell| {
                let set = rows
                    .iter()
                    .find(|r| r.kind == cell.kind.code() && r.category == cell.category_code() && r.stage == cell.stage.code())
                    .map(|r| r.days.clamp(0, i64::from(u32::MAX)) as u32);
                (cell.field(), set)
            })
            .collect();
        Ok(TimeLimitsView { days })
    }

    /// Sets the time limits from the page's form: every value checked first (nothing is
    /// written if one is bad); then the cells the administrator changed on the page are
    /// written, with one audit entry naming each change — refused whole if one of them was
    /// changed by someone else since the page was made. Returns how many changed. The case
    /// service reads them again after.
    pub async fn set_time_limits(&self, actor: &Actor, form: &TimeLimitsForm) -> Result<usize, AdminError> {
        Self::allow(actor)?;
        let wanted = parse_limits(form)
            .map_err(|_| AdminError::Invalid(FieldErrors::single(Field::TimeLimit, Problem::LimitRange)))?;
        let now = self.time_limits(actor).await?;
        let mut changes = Vec::new();
        let mut detail = Vec::new();
        for change in wanted.into_iter().filter(LimitChange::edited) {
            let current = now.days_of(change.cell);
            if change.was.is_some_and(|was| was != current) {
                return Err(AdminError::Invalid(FieldErrors::single(Field::TimeLimit, Problem::LimitChanged)));
            }
            if current == change.days {
                continue;
            }
            let shown = |d: Option<u32>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
            detail.push(format!("{}: {} -> {}", change.cell.field(), shown(current), shown(change.days)));
            changes.push(LimitWrite {
                kind: change.cell.kind.code().to_string(),
                category: change.cell.category_code().to_string(),
                stage: change.cell.stage.code().to_string(),
                was: current.map(i64::from),
                days: change.days.map(i64::from),
            });
        }
        if !changes.is_empty()
            && !self
                .store
                .set_time_limits(actor.id, self.clock.now_ms(), &changes, &detail.join("\n"))
                .await?
        {
            return Err(AdminError::Invalid(FieldErrors::single(Field::TimeLimit, Problem::LimitChanged)));
        }
        Ok(changes.len())
    }

    /// Every service item and the departments they may belong to.
    pub async fn services(&self, actor: &Actor) -> Result<ServicesView, AdminError> {
        Self::allow(actor)?;
        Ok(ServicesView {
            departments: open_places(self.store.departments().await?),
            items: self.store.service_items().await?.into_iter().map(GuideItem::from).collect(),
        })
    }

    /// Checks a service item form: every problem at once.
    async fn service_item(&self, code: &str, form: &ServiceItemForm) -> Result<NewServiceItem, AdminError> {
        let mut errors = FieldErrors::default();
        let code = CounterCode::parse(code);
        if code.is_none() {
            errors.push(Field::Code, Problem::CodeFormat);
        }
        let departments = self.store.departments().await?;
        let department = departments.iter().find(|d| d.is_open() && d.code == form.department.trim());
        if department.is_none() {
            errors.push(Field::Department, Problem::DepartmentInvalid);
        }
        let names = three_names([&form.name_zh_hant, &form.name_zh_hans, &form.name_en])
            .map_err(|more| errors.0.extend(more.0))
            .ok();
        let days = days(&form.time_limit_days);
        if days.is_none() {
            errors.push(Field::TimeLimit, Problem::DaysRange);
        }
        let materials = materials([&form.materials_zh_hant, &form.materials_zh_hans, &form.materials_en])
            .map_err(|more| errors.0.extend(more.0))
            .ok();
        match (code, department, names, days, materials) {
            (Some(code), Some(department), Some(names), Some(time_limit_days), Some(materials)) => Ok(NewServiceItem {
                code: code.as_str().to_string(),
                department_id: department.id,
                names,
                time_limit_days,
                materials,
            }),
            _ => Err(AdminError::Invalid(errors)),
        }
    }

    pub async fn create_service_item(&self, actor: &Actor, form: &ServiceItemForm) -> Result<String, AdminError> {
        Self::allow(actor)?;
        let item = self.service_item(&form.code, form).await?;
        match self.store.create_service_item(actor.id, self.clock.now_ms(), &item).await {
            Ok(()) => Ok(item.code),
            Err(AdminWriteError::CodeTaken) => Err(AdminError::Invalid(FieldErrors::single(Field::Code, Problem::CodeTaken))),
            Err(AdminWriteError::NotOpen | AdminWriteError::InUse) => Err(AdminError::NotFound),
            Err(AdminWriteError::Store(e)) => Err(e.into()),
        }
    }

    /// Changes everything but the code of the service item `code`.
    pub async fn update_service_item(&self, actor: &Actor, code: &str, form: &ServiceItemForm) -> Result<(), AdminError> {
        Self::allow(actor)?;
        CounterCode::parse(code).ok_or(AdminError::NotFound)?;
        let item = self.service_item(code, form).await?;
        match self.store.update_service_item(actor.id, self.clock.now_ms(), &item).await {
            Ok(()) => Ok(()),
            Err(AdminWriteError::Store(e)) => Err(e.into()),
            Err(_) => Err(AdminError::NotFound),
        }
    }

    /// The printable sheet of a hall: one card per open counter, its QR code pointing at
    /// `{public base URL}/c/{code}`.
    pub async fn qr_sheet(&self, actor: &Actor, hall_code: &str) -> Result<QrSheet, AdminError> {
        Self::allow(actor)?;
        let halls = self.store.halls().await?;
        let hall = halls
            .iter()
            .find(|h| h.code.eq_ignore_ascii_case(hall_code.trim()))
            .ok_or(AdminError::NotFound)?;
        // Printed on stickers: the address as stored now, not as this server last read it.
        self.refresh_public_url().await?;
        let base = self.public_base_url.get();
        let cards = self
            .store
            .directory()
            .await?
            .into_iter()
            .filter(|c| c.hall_code == hall.code)
            .map(|c| {
                let url = format!("{base}/c/{}", c.code);
                let (size, path) = super::qr::path(&url).unwrap_or_default();
                QrCard {
                    code: c.code,
                    name: c.name,
                    department: c.department,
                    url,
                    size,
                    path,
                }
            })
            .collect();
        Ok(QrSheet {
            hall_code: hall.code.clone(),
            hall: hall.name(),
            cards,
        })
    }
}

/// The places still open, as (code, name) choices.
fn open_places(places: Vec<crate::store::PlaceRecord>) -> Vec<(String, crate::i18n::Localized)> {
    places
        .iter()
        .filter(|p| p.is_open())
        .map(|p| (p.code.clone(), p.name()))
        .collect()
}
