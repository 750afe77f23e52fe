//! Staff sign-in: argon2id passwords, server-side sessions, a CSRF token per session,
//! and a lock-out after repeated failures.
//!
//! The session cookie carries a random 256-bit token; the database keeps only its SHA-256,
//! so a copy of the database cannot be used to sign in. Every session has its own CSRF
//! token, which each staff form carries and each staff POST must repeat. A session ends
//! after a working day, or sooner when left idle (`SessionPolicy`).

use crate::domain::Role;
use crate::domain::staff::parse_username;
use crate::i18n::Localized;
use crate::store::{StaffRecord, Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Failures that lock a user name.
pub const MAX_FAILURES: i64 = 5;
/// Failures further apart than this start counting again.
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// How long a first lock lasts; each lock of the same name and network within a day
/// lasts twice as long as the one before, up to a day.
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// How long a lock is remembered to make the next one longer, and the longest lock.
pub const LOCK_MEMORY_MS: i64 = 24 * 60 * 60 * 1000;
/// At most one alert mail per locked account in this long.
const ALERT_QUIET_MS: i64 = 60 * 60 * 1000;
/// A session lasts one working day.
pub const SESSION_MS: i64 = 9 * 60 * 60 * 1000;
/// A session left idle this long ends, unless configured otherwise.
pub const DEFAULT_IDLE_MS: i64 = 30 * 60 * 1000;
/// How stale a session's "last seen" may get before a request writes it again: one write
/// a minute per session at most, not one per page.
const SEEN_EVERY_MS: i64 = 60 * 1000;

/// How the session cookie is named and sent, and how long a session may sit idle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Behind https: the cookie is `Secure` and `__Host-` prefixed, so no other host
    /// (a sibling subdomain) can set or overwrite it.
    pub secure: bool,
    pub idle_ms: i64,
}

impl Default for SessionPolicy {
    fn default() -> SessionPolicy {
        SessionPolicy { secure: false, idle_ms: DEFAULT_IDLE_MS }
    }
}

impl SessionPolicy {
    /// The cookie's name: only the `__Host-` one is read behind https.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure { SECURE_STAFF_COOKIE } else { crate::api::STAFF_COOKIE }
    }

    /// A `Set-Cookie` value for a session token (`""` and 0 to clear it). SameSite=Strict:
    /// no other site's page, link or form ever carries the session.
    pub fn set_cookie(&self, value: &str, max_age_secs: i64) -> String {
        format!(
            "{}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Strict{}",
            self.cookie_name(),
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// The session token in a request's `Cookie` headers, if any.
    pub fn token_in<'h>(&self, headers: &'h axum::http::HeaderMap) -> Option<&'h str> {
        let name = self.cookie_name();
        headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|header| crate::cookie(header, name))
    }
}

/// The session cookie's name behind https.
pub const SECURE_STAFF_COOKIE: &str = "__Host-cp_staff";

/// The secret in the session cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl SessionToken {
    fn new() -> SessionToken {
        SessionToken(hex::encode(rand::random::<[u8; 32]>()))
    }

    fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

/// A signed-in staff member, as every staff page and action sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub staff_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub department: Option<Localized>,
    pub csrf_token: String,
    /// What must be done before any other staff page opens, if anything.
    pub first_step: Option<FirstStep>,
}

/// What a signed-in staff member must do first, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstStep {
    /// Give the code of their second factor (the password was right).
    Code,
    /// Replace the password an administrator set.
    NewPassword,
    /// Set up a second factor, which their role requires.
    SecondFactor,
}

impl FirstStep {
    /// The page where it is done.
    pub fn page(self) -> &'static str {
        match self {
            FirstStep::Code => "/staff/login/code",
            FirstStep::NewPassword => "/staff/password",
            FirstStep::SecondFactor => "/staff/second-factor",
        }
    }
}

/// The `settings` key of the roles that must have a second factor (codes, comma-separated).
pub const SECOND_FACTOR_ROLES_KEY: &str = "second_factor_roles";
/// Roles that must have a second factor until an administrator says otherwise.
pub const DEFAULT_SECOND_FACTOR_ROLES: [Role; 2] = [Role::Supervisor, Role::Administrator];

/// The roles a stored setting names (`None`: never set, the default).
pub fn second_factor_roles(setting: Option<&str>) -> Vec<Role> {
    match setting {
        None => DEFAULT_SECOND_FACTOR_ROLES.to_vec(),
        Some(codes) => Role::ALL.into_iter().filter(|r| codes.split(',').any(|c| c.trim() == r.code())).collect(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong user name or password; which of the two is never said.
    #[error("wrong user name or password")]
    WrongCredentials,
    #[error("locked after repeated failures")]
    Locked { retry_after_secs: u64 },
    /// As many passwords as there are cores are being checked already: try again shortly.
    /// Nothing was counted against the account.
    #[error("too many sign-ins at once")]
    Busy { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A staff member's own password change, as posted.
#[derive(Clone, Default, serde::Deserialize)]
pub struct OwnPasswordForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub repeat_password: String,
}

impl std::fmt::Debug for OwnPasswordForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OwnPasswordForm { .. }")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    #[error("the form has problems")]
    Invalid(crate::domain::FieldErrors),
    /// Locked after wrong passwords, or busy, or the database is away.
    #[error(transparent)]
    SignIn(SignInError),
}

impl From<StoreError> for ChangePasswordError {
    fn from(e: StoreError) -> Self {
        ChangePasswordError::SignIn(SignInError::Store(e))
    }
}

/// An argon2id hash of a password, on the blocking pool (it takes tens of milliseconds).
pub async fn hash_password(password: &str) -> Result<String, StoreError> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| StoreError::Unavailable)
    })
    .await
    .map_err(|_| StoreError::Unavailable)?
}

/// Signs staff in and out.
#[derive(Clone)]
pub struct StaffAuth {
    store: Store,
    /// Verified against when the user name is unknown, so that a wrong name takes as long
    /// as a wrong password and does not reveal which names exist.
    decoy_hash: String,
    /// When password checks may run: each takes Argon2's 19 MiB and tens of milliseconds
    /// of a core, so a flood of sign-ins (from many addresses, past any per-address limit)
    /// must not take the memory and the cores that ratings and complaints need.
    checks: Arc<CheckGate>,
    policy: SessionPolicy,
    alerts: Option<Arc<SignInAlerts>>,
}

/// Where the mail telling administrators of a locked account comes from and links to.
pub struct SignInAlerts {
    pub public_address: crate::settings::PublicAddress,
    pub mail_from: String,
    pub time_zone: chrono_tz::Tz,
}

/// How long a lock lasts after `earlier` locks within the last day.
pub fn lock_duration_ms(earlier: i64) -> i64 {
    (LOCK_MS << earlier.clamp(0, 7)).min(LOCK_MEMORY_MS)
}

/// How long a sign-in refused as busy is told to wait.
const BUSY_RETRY_SECS: u64 = 2;

/// Password checks: at most so many at once, and started at least `spacing` apart, so that
/// together they take a small share of the machine whatever comes in. A check that cannot
/// have its turn within `max_wait` is refused as busy after waiting that long: a flood's
/// connections spend their time waiting, not asking again.
pub struct CheckGate {
    running: Arc<Semaphore>,
    next_turn: std::sync::Mutex<tokio::time::Instant>,
    spacing: std::time::Duration,
    max_wait: std::time::Duration,
}

impl CheckGate {
    /// As many checks a second as there are cores (Argon2 then takes a few hundredths of
    /// the machine; a county office's morning still signs in within seconds), as many at
    /// once as there are cores, two seconds' wait at most.
    pub fn for_this_machine() -> CheckGate {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        CheckGate::new(cores, std::time::Duration::from_millis(1000 / cores as u64), std::time::Duration::from_secs(2))
    }

    pub fn new(at_once: usize, spacing: std::time::Duration, max_wait: std::time::Duration) -> CheckGate {
        CheckGate {
            running: Arc::new(Semaphore::new(at_once.max(1))),
            next_turn: std::sync::Mutex::new(tokio::time::Instant::now()),
            spacing,
            max_wait,
        }
    }

    /// This check's turn, or `None` (busy) after waiting as long as a turn may take.
    async fn turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let now = tokio::time::Instant::now();
        let start = {
            let mut next = self.next_turn.lock().unwrap_or_else(|e| e.into_inner());
            let start = (*next).max(now);
            (start - now <= self.max_wait).then(|| {
                *next = start + self.spacing;
                start
            })
        };
        match start {
            Some(start) => tokio::time::sleep_until(start).await,
            None => {
                tokio::time::sleep(self.max_wait).await;
                return None;
            }
        }
        match self.running.clone().try_acquire_owned() {
            Ok(permit) => Some(permit),
            Err(_) => {
                tokio::time::sleep(self.max_wait).await;
                None
            }
        }
    }
}

impl StaffAuth {
    /// Password checks paced for this machine (`CheckGate::for_this_machine`).
    pub fn new(store: Store, policy: SessionPolicy) -> StaffAuth {
        StaffAuth::with_gate(store, policy, CheckGate::for_this_machine())
    }

    /// Administrators get a mail when an account is locked.
    pub fn with_alerts(self, alerts: SignInAlerts) -> StaffAuth {
        StaffAuth { alerts: Some(Arc::new(alerts)), ..self }
    }

    /// At most `checks` password checks at once, not paced, refused at once when busy
    /// (for tests of the cap).
    pub fn with_concurrent_checks(store: Store, checks: usize) -> StaffAuth {
        let gate = CheckGate::new(checks, std::time::Duration::ZERO, std::time::Duration::ZERO);
        StaffAuth::with_gate(store, SessionPolicy::default(), gate)
    }

    pub fn with_gate(store: Store, policy: SessionPolicy, gate: CheckGate) -> StaffAuth {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        let salt = SaltString::generate(&mut OsRng);
        let decoy_hash = argon2::Argon2::default()
            .hash_password(b"decoy password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        StaffAuth {
            store,
            decoy_hash,
            checks: Arc::new(gate),
            policy,
            alerts: None,
        }
    }

    /// How sessions are kept.
    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    /// Checks a user name and password from the client network `from` (its /24 or /48:
    /// see the server's guard); on success opens a session. Failures are counted per name
    /// and network, so a stranger's wrong guesses lock the name for their network only and
    /// never lock its owner out from the office.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        from: &str,
        now_ms: i64,
    ) -> Result<(SessionToken, SignedIn), SignInError> {
        let (staff, attempts) = self.verify(username, password, from, now_ms).await?;
        let role = staff.role;
        self.store.clear_login_failures(&attempts).await?;
        let has_factor = self.store.second_factor(staff.id).await?.is_some_and(|f| f.confirmed);
        let flags = SessionFlags {
            awaiting_code: has_factor,
            needs_second_factor: !has_factor && self.second_factor_required(role).await?,
        };
        let token = SessionToken::new();
        let csrf_token = SessionToken::new().0;
        self.store
            .create_session(
                &token.hash(),
                staff.id,
                &csrf_token,
                now_ms,
                now_ms + SESSION_MS,
                flags,
            )
            .await?;
        Ok((token, signed_in(staff, role, csrf_token, flags)))
    }

    /// Checks a password the way signing in does (counted, locked after failures, at most
    /// as many at once as there are cores): the account, and the key its failures count under.
    async fn verify(
        &self,
        username: &str,
        password: &str,
        from: &str,
        now_ms: i64,
    ) -> Result<(StaffRecord, String), SignInError> {
        let Some(username) = parse_username(username) else {
            return Err(SignInError::WrongCredentials);
        };
        let attempts = format!("{username} {from}");
        // Taken before the attempt is counted: a sign-in refused as busy costs nobody a try.
        let Some(_check) = self.checks.turn().await else {
            return Err(SignInError::Busy { retry_after_secs: BUSY_RETRY_SECS });
        };
        let attempt = self
            .store
            .count_login_attempt(&attempts, now_ms, now_ms - FAILURE_WINDOW_MS)
            .await?;
        if let Some(until) = attempt.locked_until.filter(|&until| until > now_ms) {
            return Err(locked(until, now_ms));
        }
        if attempt.failures > MAX_FAILURES {
            return Err(self.lock(&attempts, &attempt, &username, from, now_ms).await);
        }
        let staff = self.store.staff_by_username(&username).await?;
        let hash = staff
            .as_ref()
            .map(|s| s.password_hash.clone())
            .unwrap_or_else(|| self.decoy_hash.clone());
        let password = password.to_string();
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    argon2::Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        let staff = match staff {
            Some(s) if matches && s.active => s,
            known => {
                if let Some(account) = known.filter(|_| !matches && attempt.failures == 1) {
                    // The first wrong password of a window for a real account goes to the
                    // audit trail (the lock that may follow says how many came); guesses
                    // at names that do not exist, or every one of a flood, would only
                    // bury the trail.
                    let detail = format!("wrong password from {from}");
                    self.store
                        .record_sign_in_event(account.id, &username, "sign_in_failed", &detail, now_ms, now_ms, &[])
                        .await?;
                }
                if attempt.failures >= MAX_FAILURES {
                    return Err(self.lock(&attempts, &attempt, &username, from, now_ms).await);
                }
                return Err(SignInError::WrongCredentials);
            }
        };
        Ok((staff, attempts))
    }

    /// A staff member's own new password, after their current one (re-authentication).
    /// Every problem is reported at once; the session `token` stays, every other ends.
    pub async fn change_password(
        &self,
        me: &SignedIn,
        token: &str,
        form: &OwnPasswordForm,
        from: &str,
        now_ms: i64,
    ) -> Result<(), ChangePasswordError> {
        use crate::domain::{Field, FieldErrors, Problem};
        let mut errors = FieldErrors::default();
        let checked = super::passwords::check(&form.new_password);
        if let Err(problem) = checked {
            errors.push(Field::NewPassword, problem);
        } else if form.new_password == form.current_password {
            errors.push(Field::NewPassword, Problem::PasswordUnchanged);
        }
        if form.repeat_password != form.new_password {
            errors.push(Field::RepeatPassword, Problem::PasswordsDiffer);
        }
        match self.verify(&me.username, &form.current_password, from, now_ms).await {
            Ok((_, attempts)) => self.store.clear_login_failures(&attempts).await?,
            Err(SignInError::WrongCredentials) => {
                errors.0.insert(0, (Field::CurrentPassword, Problem::PasswordWrong));
            }
            Err(other) => return Err(ChangePasswordError::SignIn(other)),
        }
        if !errors.is_empty() {
            return Err(ChangePasswordError::Invalid(errors));
        }
        let hash = hash_password(&form.new_password).await?;
        self.store
            .change_own_password(me.staff_id, &me.username, now_ms, &hash, &SessionToken(token.to_string()).hash())
            .await?;
        Ok(())
    }

    /// Locks the name for the network, longer after each lock within a day; a real account's
    /// lock goes to the audit trail and, at most hourly, to the administrators by mail.
    async fn lock(
        &self,
        attempts: &str,
        attempt: &crate::store::LoginFailures,
        username: &str,
        from: &str,
        now_ms: i64,
    ) -> SignInError {
        let earlier = match attempt.last_lock_at {
            Some(at) if at > now_ms - LOCK_MEMORY_MS => attempt.locks,
            _ => 0,
        };
        let until = now_ms + lock_duration_ms(earlier);
        if let Err(error) = self.store.lock_login(attempts, now_ms, until, earlier + 1).await {
            return SignInError::Store(error);
        }
        if let Err(error) = self.record_lock(username, from, until, now_ms).await {
            return SignInError::Store(error);
        }
        locked(until, now_ms)
    }

    async fn record_lock(&self, username: &str, from: &str, until_ms: i64, now_ms: i64) -> Result<(), StoreError> {
        let Some(account) = self.store.staff_by_username(username).await? else {
            return Ok(());
        };
        let minutes = (until_ms - now_ms) / 60_000;
        let detail = format!("locked for {minutes} minutes after wrong passwords from {from}");
        let mut mails = Vec::new();
        if let Some(alerts) = &self.alerts {
            use crate::mail::{MailEvent, MailFacts, new_message_id, render};
            use chrono::TimeZone;
            let facts = MailFacts {
                link: format!("{}/staff/admin#audit-heading", alerts.public_address.get()),
                account: Some(username.to_string()),
                network: Some(from.to_string()),
                until: alerts
                    .time_zone
                    .timestamp_millis_opt(until_ms)
                    .single()
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
                ..Default::default()
            };
            // Staff mails are in the office's language.
            let locale = crate::i18n::Locale::ZhHant;
            let rendered = render(MailEvent::SignInLocked, locale, &facts);
            for to in self.store.administrator_emails().await? {
                mails.push(crate::store::NewMail {
                    message_id: new_message_id(&alerts.mail_from),
                    event: MailEvent::SignInLocked.code().to_string(),
                    audience: "staff".to_string(),
                    recipient: to,
                    locale: locale.tag().to_string(),
                    subject: rendered.subject.clone(),
                    text_body: rendered.text.clone(),
                    html_body: rendered.html.clone(),
                });
            }
        }
        self.store
            .record_sign_in_event(account.id, username, "sign_in_locked", &detail, now_ms, now_ms - ALERT_QUIET_MS, &mails)
            .await
    }

    /// Forgets ended and idle sessions and stale failure counts (run by a background job).
    pub async fn purge(&self, now_ms: i64) -> Result<u64, StoreError> {
        self.store
            .purge_sign_in_records(now_ms, FAILURE_WINDOW_MS, now_ms - self.policy.idle_ms, LOCK_MEMORY_MS)
            .await
    }

    /// The staff member a session cookie belongs to, if the session is valid: not past its
    /// end, not idle too long. Using it keeps it from going idle.
    pub async fn session(&self, token: &str, now_ms: i64) -> Result<Option<SignedIn>, StoreError> {
        let found = self
            .store
            .session(
                &SessionToken(token.to_string()).hash(),
                now_ms,
                now_ms - self.policy.idle_ms,
                now_ms - SEEN_EVERY_MS,
            )
            .await?;
        Ok(found.map(|(staff, csrf, flags)| {
            let role = staff.role;
            signed_in(staff, role, csrf, flags)
        }))
    }

    /// The staff member signed in on a request (its session cookie), if any, and free to
    /// work: one with a first step still to do is not (see `signed_in_for`).
    pub async fn signed_in(
        &self,
        headers: &axum::http::HeaderMap,
        now_ms: i64,
    ) -> Result<Option<SignedIn>, StoreError> {
        Ok(self.signed_in_any(headers, now_ms).await?.map(|(_, me)| me).filter(|me| me.first_step.is_none()))
    }

    /// The session token and staff member of a request, free to work or with `step` as
    /// their first step: for the page of that step.
    pub async fn signed_in_for(
        &self,
        headers: &axum::http::HeaderMap,
        now_ms: i64,
        step: FirstStep,
    ) -> Result<Option<(String, SignedIn)>, StoreError> {
        Ok(self
            .signed_in_any(headers, now_ms)
            .await?
            .filter(|(_, me)| me.first_step.is_none_or(|first| first == step)))
    }

    /// The session token and staff member of a request, whatever is still to do.
    pub async fn signed_in_any(
        &self,
        headers: &axum::http::HeaderMap,
        now_ms: i64,
    ) -> Result<Option<(String, SignedIn)>, StoreError> {
        let Some(token) = self.policy.token_in(headers) else {
            return Ok(None);
        };
        Ok(self.session(token, now_ms).await?.map(|me| (token.to_string(), me)))
    }

    /// Whether a role must have a second factor (administrators choose which).
    pub async fn second_factor_required(&self, role: Role) -> Result<bool, StoreError> {
        let setting = self.store.setting(SECOND_FACTOR_ROLES_KEY).await?;
        Ok(second_factor_roles(setting.as_deref()).contains(&role))
    }

    /// The code of a session's second factor (or a recovery code): counted and locked
    /// like a password. On success the session may work (or go on to its next step).
    ///
    /// Wrong codes are counted for the account, from every network together, under a key a
    /// right password never clears: whoever has the password cannot sign in again and again
    /// to guess on. Five lock the account's code step (longer each time within a day), end
    /// the waiting session and tell the administrators. A code costs no password check.
    pub async fn give_code(&self, me: &SignedIn, token: &str, code: &str, from: &str, now_ms: i64) -> Result<(), SignInError> {
        let attempts = format!("{} second factor", me.username);
        let attempt = self.store.count_login_attempt(&attempts, now_ms, now_ms - FAILURE_WINDOW_MS).await?;
        if let Some(until) = attempt.locked_until.filter(|&until| until > now_ms) {
            return Err(locked(until, now_ms));
        }
        if attempt.failures > MAX_FAILURES {
            self.store.delete_session(&SessionToken(token.to_string()).hash()).await?;
            return Err(self.lock(&attempts, &attempt, &me.username, from, now_ms).await);
        }
        let factor = self.store.second_factor(me.staff_id).await?.filter(|f| f.confirmed);
        let right = match factor.and_then(|f| super::totp::Secret::parse(&f.secret).map(|s| (s, f.last_step))) {
            Some((secret, last)) => match secret.verify(code, now_ms, Some(last)) {
                Some(step) => self.store.use_second_factor_step(me.staff_id, step).await?,
                None => {
                    let hash = recovery_hash(code);
                    let used = self.store.use_recovery_code(me.staff_id, &hash, now_ms).await?;
                    if used {
                        let detail = format!("recovery code used from {from}");
                        self.store
                            .record_sign_in_event(me.staff_id, &me.username, "recovery_code_used", &detail, now_ms, now_ms, &[])
                            .await?;
                    }
                    used
                }
            },
            None => false,
        };
        if !right {
            if attempt.failures == 1 {
                let detail = format!("wrong code from {from}");
                self.store
                    .record_sign_in_event(me.staff_id, &me.username, "sign_in_failed", &detail, now_ms, now_ms, &[])
                    .await?;
            }
            if attempt.failures >= MAX_FAILURES {
                self.store.delete_session(&SessionToken(token.to_string()).hash()).await?;
                return Err(self.lock(&attempts, &attempt, &me.username, from, now_ms).await);
            }
            return Err(SignInError::WrongCredentials);
        }
        self.store.clear_login_failures(&attempts).await?;
        self.store.session_passed_second_factor(&SessionToken(token.to_string()).hash()).await
            .map_err(SignInError::Store)
    }

    /// Begins setting up a second factor, after the current password: a new secret for
    /// the authenticator app, unconfirmed until a code from it is typed.
    pub async fn start_second_factor(
        &self,
        me: &SignedIn,
        current_password: &str,
        from: &str,
        now_ms: i64,
    ) -> Result<super::totp::Secret, ChangePasswordError> {
        self.reauthenticate(me, current_password, from, now_ms).await?;
        let secret = super::totp::Secret::generate();
        if !self.store.start_second_factor(me.staff_id, &secret.base32()).await? {
            return Err(ChangePasswordError::Invalid(crate::domain::FieldErrors::single(
                crate::domain::Field::Code,
                crate::domain::Problem::SecondFactorExists,
            )));
        }
        Ok(secret)
    }

    /// The secret being set up, if one is.
    pub async fn pending_second_factor(&self, me: &SignedIn) -> Result<Option<super::totp::Secret>, StoreError> {
        Ok(self
            .store
            .second_factor(me.staff_id)
            .await?
            .filter(|f| !f.confirmed)
            .and_then(|f| super::totp::Secret::parse(&f.secret)))
    }

    /// Whether the account has a second factor, and how many recovery codes it has left.
    pub async fn second_factor_state(&self, me: &SignedIn) -> Result<(bool, i64), StoreError> {
        let confirmed = self.store.second_factor(me.staff_id).await?.is_some_and(|f| f.confirmed);
        let left = if confirmed { self.store.recovery_codes_left(me.staff_id).await? } else { 0 };
        Ok((confirmed, left))
    }

    /// Confirms the second factor being set up with a first code from it: the recovery
    /// codes, shown once; every other session of the account ends.
    pub async fn confirm_second_factor(
        &self,
        me: &SignedIn,
        token: &str,
        code: &str,
        now_ms: i64,
    ) -> Result<Vec<String>, ChangePasswordError> {
        use crate::domain::{Field, FieldErrors, Problem};
        let wrong = || ChangePasswordError::Invalid(FieldErrors::single(Field::Code, Problem::CodeWrong));
        let secret = self.pending_second_factor(me).await?.ok_or_else(wrong)?;
        let step = secret.verify(code, now_ms, None).ok_or_else(wrong)?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
        let kept = SessionToken(token.to_string()).hash();
        if !self.store.confirm_second_factor(me.staff_id, &me.username, step, &hashes, &kept, now_ms).await? {
            return Err(wrong());
        }
        Ok(codes)
    }

    /// Removes one's own second factor, after the current password; refused where the role
    /// requires one.
    pub async fn remove_second_factor(
        &self,
        me: &SignedIn,
        token: &str,
        current_password: &str,
        from: &str,
        now_ms: i64,
    ) -> Result<(), ChangePasswordError> {
        use crate::domain::{Field, FieldErrors, Problem};
        if self.second_factor_required(me.role).await? {
            return Err(ChangePasswordError::Invalid(FieldErrors::single(Field::Code, Problem::SecondFactorRequired)));
        }
        self.reauthenticate(me, current_password, from, now_ms).await?;
        let kept = SessionToken(token.to_string()).hash();
        self.store.remove_second_factor(me.staff_id, me.staff_id, &me.username, &kept, now_ms).await?;
        Ok(())
    }

    /// The current password again, before a change to how one signs in.
    async fn reauthenticate(&self, me: &SignedIn, password: &str, from: &str, now_ms: i64) -> Result<(), ChangePasswordError> {
        use crate::domain::{Field, FieldErrors, Problem};
        match self.verify(&me.username, password, from, now_ms).await {
            Ok((_, attempts)) => Ok(self.store.clear_login_failures(&attempts).await?),
            Err(SignInError::WrongCredentials) => {
                Err(ChangePasswordError::Invalid(FieldErrors::single(Field::CurrentPassword, Problem::PasswordWrong)))
            }
            Err(other) => Err(ChangePasswordError::SignIn(other)),
        }
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), StoreError> {
        self.store
            .delete_session(&SessionToken(token.to_string()).hash())
            .await
    }
}

fn locked(until_ms: i64, now_ms: i64) -> SignInError {
    SignInError::Locked {
        retry_after_secs: ((until_ms - now_ms).max(1000) as u64).div_ceil(1000),
    }
}

fn signed_in(staff: StaffRecord, role: Role, csrf_token: String, flags: SessionFlags) -> SignedIn {
    let first_step = if flags.awaiting_code {
        Some(FirstStep::Code)
    } else if staff.must_change_password {
        Some(FirstStep::NewPassword)
    } else if flags.needs_second_factor {
        Some(FirstStep::SecondFactor)
    } else {
        None
    };
    SignedIn {
        first_step,
        staff_id: staff.id,
        username: staff.username,
        display_name: staff.display_name,
        role,
        department_id: staff.department_id,
        department: staff.department,
        csrf_token,
    }
}

/// How a session stands besides its account: waiting for a code, or for a second factor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionFlags {
    pub awaiting_code: bool,
    pub needs_second_factor: bool,
}

/// Recovery codes given when a second factor is set up, each good once.
pub const RECOVERY_CODES: usize = 10;

/// A recovery code: ten letters and digits in two groups (`k7m2q-x9p4w`), easy to copy by hand.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let pick = |_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]);
    let a: String = (0..5).map(pick).collect();
    let b: String = (0..5).map(pick).collect();
    format!("{a}-{b}")
}

/// What the database keeps of a recovery code: the SHA-256 of its letters, as typed in any
/// case, with or without the dash.
fn recovery_hash(code: &str) -> String {
    let letters: String = code
        .chars()
        .map(super::totp::halfwidth)
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(format!("counterpoint recovery {letters}").as_bytes()))
}

/// Compares two secrets in time that does not depend on where they differ (only on their
/// lengths, which are no secret).
pub fn same_secret(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The network the tests sign in from.
    const HERE: &str = "203.0.113.0/24";
    use crate::demo::{DEMO_PASSWORD, demo_seed};
    use crate::store::testing::on_both_backends;

    const NOW: i64 = 1_764_000_000_000;

    async fn auth(store: &Store) -> StaffAuth {
        store.load_seed(&demo_seed(0).unwrap()).await.unwrap();
        StaffAuth::new(store.clone(), SessionPolicy::default())
    }

    #[tokio::test]
    async fn over_the_cap_a_sign_in_is_refused_as_busy_and_costs_no_attempt() {
        on_both_backends(|store| async move {
            store.load_seed(&demo_seed(0).unwrap()).await.unwrap();
            let auth = StaffAuth::with_concurrent_checks(store.clone(), 1);
            let held = auth.checks.running.clone().try_acquire_owned().unwrap();
            for _ in 0..(MAX_FAILURES + 3) {
                assert!(matches!(
                    auth.sign_in("head.hrss", "wrong password", HERE, NOW).await,
                    Err(SignInError::Busy { retry_after_secs: BUSY_RETRY_SECS })
                ));
            }
            drop(held);
            // No attempt was counted while busy: the right password still opens a session.
            assert!(auth.sign_in("head.hrss", DEMO_PASSWORD, HERE, NOW).await.is_ok());
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn password_checks_are_paced_and_those_without_a_turn_wait_then_are_told_busy() {
        use std::time::Duration;
        on_both_backends(|store| async move {
            store.load_seed(&demo_seed(0).unwrap()).await.unwrap();
            let gate = CheckGate::new(8, Duration::from_millis(200), Duration::from_millis(500));
            let auth = StaffAuth::with_gate(store.clone(), SessionPolicy::default(), gate);
            let started = tokio::time::Instant::now();
            let tries: Vec<_> = (0..10)
                .map(|i| {
                    let auth = auth.clone();
                    tokio::spawn(async move {
                        let answer = auth.sign_in(&format!("nobody.{i}"), "guess", HERE, NOW).await;
                        (answer, started.elapsed())
                    })
                })
                .collect();
            let (mut checked, mut busy) = (0, 0);
            for t in tries {
                match t.await.unwrap() {
                    (Err(SignInError::WrongCredentials), _) => checked += 1,
                    (Err(SignInError::Busy { .. }), waited) => {
                        busy += 1;
                        assert!(waited >= Duration::from_millis(500), "refused only after the wait: {waited:?}");
                    }
                    (other, _) => panic!("{other:?}"),
                }
            }
            // Turns at 0, 200 and 400 ms fit in the half-second wait; the rest do not.
            assert_eq!((checked, busy), (3, 7));
        })
        .await;
    }

    #[tokio::test]
    async fn the_right_password_opens_a_session_that_knows_the_role() {
        on_both_backends(|store| async move {
            let auth = auth(&store).await;
            let (token, me) = auth
                .sign_in(" Head.HRSS ", DEMO_PASSWORD, HERE, NOW)
                .await
                .unwrap();
            assert_eq!(me.role, Role::DepartmentHead);
            assert!(me.department.is_some());
            let again = auth.session(&token.0, NOW + 1000).await.unwrap().unwrap();
            assert_eq!(again.staff_id, me.staff_id);
            assert_eq!(again.csrf_token, me.csrf_token);
            assert!(
                auth.session(&token.0, NOW + SESSION_MS + 1)
                    .await
                    .unwrap()
                    .is_none(),
                "sessions expire"
            );
            auth.sign_out(&token.0).await.unwrap();
            assert!(
                auth.session(&token.0, NOW + 2000).await.unwrap().is_none(),
                "signing out ends the session"
            );
        })
        .await;
    }

    #[tokio::test]
    async fn wrong_passwords_and_unknown_names_look_the_same() {
        on_both_backends(|store| async move {
            let auth = auth(&store).await;
            assert!(matches!(
                auth.sign_in("admin", "guess", HERE, NOW).await,
                Err(SignInError::WrongCredentials)
            ));
            assert!(matches!(
                auth.sign_in("nobody", DEMO_PASSWORD, HERE, NOW).await,
                Err(SignInError::WrongCredentials)
            ));
            assert!(auth.session("not-a-token", NOW).await.unwrap().is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn five_failures_lock_the_name_even_against_the_right_password() {
        on_both_backends(|store| async move {
            let auth = auth(&store).await;
            for i in 0..MAX_FAILURES - 1 {
                assert!(matches!(
                    auth.sign_in("supervisor", "wrong", HERE, NOW + i).await,
                    Err(SignInError::WrongCredentials)
                ));
            }
            assert!(matches!(
                auth.sign_in("supervisor", "wrong", HERE, NOW + 10).await,
                Err(SignInError::Locked { .. })
            ));
            match auth.sign_in("supervisor", DEMO_PASSWORD, HERE, NOW + 20).await {
                Err(SignInError::Locked { retry_after_secs }) => assert!(retry_after_secs > 800),
                other => panic!("expected a lock, got {other:?}"),
            }
            assert!(
                auth.sign_in("supervisor", DEMO_PASSWORD, HERE, NOW + LOCK_MS + 20)
                    .await
                    .is_ok(),
                "the lock ends"
            );
            assert!(
                auth.sign_in("admin", DEMO_PASSWORD, HERE, NOW + 30).await.is_ok(),
                "other names are not locked"
            );
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn simultaneous_guesses_cannot_get_past_the_lock() {
        on_both_backends(|store| async move {
            store.load_seed(&demo_seed(0).unwrap()).await.unwrap();
            // Every guess checked at once (no cap): the count alone must stop them.
            let auth = StaffAuth::with_concurrent_checks(store.clone(), 64);
            let guesses: Vec<_> = (0..20)
                .map(|i| {
                    let auth = auth.clone();
                    tokio::spawn(
                        async move { auth.sign_in("admin", &format!("guess {i}"), HERE, NOW).await },
                    )
                })
                .collect();
            let mut checked = 0;
            for guess in guesses {
                if matches!(guess.await.unwrap(), Err(SignInError::WrongCredentials)) {
                    checked += 1;
                }
            }
            assert!(
                checked < MAX_FAILURES,
                "only the first attempts are checked at all ({checked})"
            );
            assert!(matches!(
                auth.sign_in("admin", DEMO_PASSWORD, HERE, NOW + 1).await,
                Err(SignInError::Locked { .. })
            ));
        })
        .await;
    }

    #[tokio::test]
    async fn a_strangers_wrong_guesses_lock_the_name_for_their_network_only() {
        on_both_backends(|store| async move {
            let auth = auth(&store).await;
            let stranger = "198.51.100.0/24";
            for i in 0..MAX_FAILURES + 2 {
                let _ = auth.sign_in("supervisor", "guess", stranger, NOW + i).await;
            }
            assert!(matches!(
                auth.sign_in("supervisor", DEMO_PASSWORD, stranger, NOW + 20).await,
                Err(SignInError::Locked { .. })
            ));
            // The supervisor, at the office, signs in all the same.
            assert!(auth.sign_in("supervisor", DEMO_PASSWORD, HERE, NOW + 30).await.is_ok());
        })
        .await;
    }

    #[tokio::test]
    async fn ended_sessions_and_stale_failures_are_purged_and_live_ones_kept() {
        on_both_backends(|store| async move {
            let auth = auth(&store).await;
            let (ended, _) = auth.sign_in("head.hrss", DEMO_PASSWORD, HERE, NOW).await.unwrap();
            let _ = auth.sign_in("admin", "guess", HERE, NOW).await;
            let later = NOW + SESSION_MS;
            let (live, _) = auth.sign_in("supervisor", DEMO_PASSWORD, HERE, later).await.unwrap();
            let _ = auth.sign_in("staff.a01", "guess", HERE, later).await;
            assert_eq!(auth.purge(later + 1).await.unwrap(), 2, "the ended session and the old failure");
            assert!(auth.session(&ended.0, NOW + 1).await.unwrap().is_none());
            assert!(auth.session(&live.0, later + 1).await.unwrap().is_some());
            assert_eq!(auth.purge(later + 1).await.unwrap(), 0);
        })
        .await;
    }

    #[tokio::test]
    async fn an_idle_session_ends_and_one_in_use_stays() {
        on_both_backends(|store| async move {
            let auth = auth(&store).await;
            let idle = auth.policy().idle_ms;
            let (used, _) = auth.sign_in("head.hrss", DEMO_PASSWORD, HERE, NOW).await.unwrap();
            let (left, _) = auth.sign_in("supervisor", DEMO_PASSWORD, HERE, NOW).await.unwrap();
            // Used every twenty minutes for two hours: still signed in.
            for step in 1..=6 {
                let at = NOW + step * idle * 2 / 3;
                assert!(auth.session(&used.0, at).await.unwrap().is_some(), "in use at step {step}");
            }
            assert!(
                auth.session(&left.0, NOW + idle + 1).await.unwrap().is_none(),
                "left idle past the limit"
            );
        })
        .await;
    }

    #[tokio::test]
    async fn locks_grow_longer_go_to_the_audit_trail_and_alert_the_administrators_once_an_hour() {
        on_both_backends(|store| async move {
            store.load_seed(&demo_seed(0).unwrap()).await.unwrap();
            let auth = StaffAuth::new(store.clone(), SessionPolicy::default()).with_alerts(SignInAlerts {
                public_address: crate::settings::PublicAddress::new("https://office.example"),
                mail_from: "Counterpoint <no-reply@office.example>".into(),
                time_zone: chrono_tz::Asia::Shanghai,
            });
            let stranger = "198.51.100.0/24";
            let mut at = NOW;
            let mut locks = Vec::new();
            for _ in 0..4 {
                let lock = loop {
                    at += 1000;
                    match auth.sign_in("supervisor", "guess", stranger, at).await {
                        Err(SignInError::WrongCredentials) => continue,
                        Err(SignInError::Locked { retry_after_secs }) => break retry_after_secs,
                        other => panic!("expected a refusal, got {other:?}"),
                    }
                };
                locks.push(lock);
                at += lock as i64 * 1000;
            }
            assert_eq!(locks, vec![15 * 60, 30 * 60, 60 * 60, 120 * 60], "each lock twice the one before");
            assert_eq!(lock_duration_ms(20), LOCK_MEMORY_MS, "never more than a day");

            let audit = store.audit_entries(100).await.unwrap();
            let count = |action: &str| audit.iter().filter(|e| e.action == action && e.subject == "supervisor").count();
            assert_eq!(count("sign_in_locked"), 4);
            assert_eq!(count("sign_in_failed"), 4, "the first of each window; the lock says how many came");
            assert!(audit.iter().all(|e| !e.detail.contains("guess")), "never the password tried");
            // Guesses at a name that does not exist are not written anywhere.
            for i in 0..3 {
                let _ = auth.sign_in("nobody.here", "guess", stranger, at + i).await;
            }
            assert_eq!(store.audit_entries(100).await.unwrap().len(), audit.len());

            // A mail to the administrator for a lock with no other in the hour before: the
            // first, and the fourth (an hour after the third); not the two in between.
            let mails = store.outbox_lines("pending", 100).await.unwrap();
            let alerts = mails.iter().filter(|m| m.event == "sign_in_locked").count();
            let administrators = store.administrator_emails().await.unwrap().len();
            assert!(administrators > 0);
            assert_eq!(alerts, 2 * administrators, "the first lock and the one after a quiet hour");
        })
        .await;
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }
}

