//! Staff sign-in: argon2id passwords, server-side sessions, a CSRF token per session,
//! and a lock-out after repeated failures.
//!
//! The session cookie carries a random 256-bit token; the database keeps only its SHA-256,
//! so a copy of the database cannot be used to sign in. Every session has its own CSRF
//! token, which each staff form carries and each staff POST must repeat.

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
/// How long a locked user name stays locked.
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// A session lasts one working day.
pub const SESSION_MS: i64 = 9 * 60 * 60 * 1000;

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

/// Signs staff in and out.
#[derive(Clone)]
pub struct StaffAuth {
    store: Store,
    /// Verified against when the user name is unknown, so that a wrong name takes as long
    /// as a wrong password and does not reveal which names exist.
    decoy_hash: String,
    /// Password checks under way at most: each takes Argon2's 19 MiB and a core for a
    /// while, so a flood of sign-ins (from many addresses, past any per-address limit) must
    /// not take the memory and the cores that ratings and complaints need.
    checks: Arc<Semaphore>,
}

/// How long a sign-in refused as busy is told to wait.
const BUSY_RETRY_SECS: u64 = 2;

impl StaffAuth {
    /// At most as many password checks at once as the machine has cores.
    pub fn new(store: Store) -> StaffAuth {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        StaffAuth::with_concurrent_checks(store, cores)
    }

    pub fn with_concurrent_checks(store: Store, checks: usize) -> StaffAuth {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        let salt = SaltString::generate(&mut OsRng);
        let decoy_hash = argon2::Argon2::default()
            .hash_password(b"decoy password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        StaffAuth { store, decoy_hash, checks: Arc::new(Semaphore::new(checks.max(1))) }
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
        let Some(username) = parse_username(username) else {
            return Err(SignInError::WrongCredentials);
        };
        let attempts = format!("{username} {from}");
        // Taken before the attempt is counted: a sign-in refused as busy costs nobody a try.
        let Ok(_check) = self.checks.clone().try_acquire_owned() else {
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
            return Err(self.lock(&attempts, now_ms).await);
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
            _ if attempt.failures >= MAX_FAILURES => {
                return Err(self.lock(&attempts, now_ms).await);
            }
            _ => return Err(SignInError::WrongCredentials),
        };
        let role = staff.role;
        self.store.clear_login_failures(&attempts).await?;
        let token = SessionToken::new();
        let csrf_token = SessionToken::new().0;
        self.store
            .create_session(
                &token.hash(),
                staff.id,
                &csrf_token,
                now_ms,
                now_ms + SESSION_MS,
            )
            .await?;
        Ok((token, signed_in(staff, role, csrf_token)))
    }

    async fn lock(&self, username: &str, now_ms: i64) -> SignInError {
        match self.store.lock_login(username, now_ms + LOCK_MS).await {
            Ok(()) => locked(now_ms + LOCK_MS, now_ms),
            Err(error) => SignInError::Store(error),
        }
    }

    /// Forgets ended sessions and stale failure counts (run by a background job).
    pub async fn purge(&self, now_ms: i64) -> Result<u64, StoreError> {
        self.store.purge_sign_in_records(now_ms, FAILURE_WINDOW_MS).await
    }

    /// The staff member a session cookie belongs to, if the session is valid.
    pub async fn session(&self, token: &str, now_ms: i64) -> Result<Option<SignedIn>, StoreError> {
        let found = self
            .store
            .session(&SessionToken(token.to_string()).hash(), now_ms)
            .await?;
        Ok(found.map(|(staff, csrf)| {
            let role = staff.role;
            signed_in(staff, role, csrf)
        }))
    }

    /// The staff member signed in on a request (its session cookie), if any.
    pub async fn signed_in(
        &self,
        headers: &axum::http::HeaderMap,
        now_ms: i64,
    ) -> Result<Option<SignedIn>, StoreError> {
        match session_token(headers) {
            Some(token) => self.session(token, now_ms).await,
            None => Ok(None),
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

fn signed_in(staff: StaffRecord, role: Role, csrf_token: String) -> SignedIn {
    SignedIn {
        staff_id: staff.id,
        username: staff.username,
        display_name: staff.display_name,
        role,
        department_id: staff.department_id,
        department: staff.department,
        csrf_token,
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
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
        StaffAuth::new(store.clone())
    }

    #[tokio::test]
    async fn over_the_cap_a_sign_in_is_refused_as_busy_and_costs_no_attempt() {
        on_both_backends(|store| async move {
            store.load_seed(&demo_seed(0).unwrap()).await.unwrap();
            let auth = StaffAuth::with_concurrent_checks(store.clone(), 1);
            let held = auth.checks.clone().try_acquire_owned().unwrap();
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

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }
}

/// The staff session token in a request's `Cookie` headers, if any.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(crate::api::staff_cookie)
}
