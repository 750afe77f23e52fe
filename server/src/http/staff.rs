//! Staff sign-in and sign-out: plain form posts, answered with a redirect or with the
//! sign-in page again. The session lives in an HttpOnly, SameSite=Strict cookie
//! (`__Host-` prefixed and Secure behind https); signing out must repeat the session's
//! CSRF token.

use super::forms::{read_form, render_page};
use super::message;
use app::domain::FieldErrors;
use app::pages::{PasswordEcho, SignInEcho, SignInProblem};
use app::staff::auth::{ChangePasswordError, FirstStep, OwnPasswordForm};
use app::views::{CodeEcho, SecondFactorEcho, SecondFactorSetup};
use app::staff::{SignInError, SignedIn};
use app::staff::auth::{SESSION_MS, same_secret};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// Where to go after signing in: a staff page only.
    #[serde(default)]
    next: String,
}

/// `next` if it is a staff page of this site, else the inbox.
fn after_sign_in(next: &str) -> String {
    let safe = next.starts_with("/staff")
        && !next.starts_with("/staff/login")
        && next.len() <= 200
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if safe {
        next.to_string()
    } else {
        "/staff".to_string()
    }
}

#[derive(Deserialize)]
struct SignOutForm {
    #[serde(default)]
    csrf_token: String,
}

fn session_cookie(state: &AppState, value: &str, max_age_secs: i64) -> HeaderValue {
    let cookie = state.staff.policy().set_cookie(value, max_age_secs);
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""))
}

fn see_other(to: &'static str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, HeaderValue::from_static(to))],
    )
        .into_response()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// `POST /staff/login`.
pub async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let form: SignInForm = match read_form(&parts, body).await {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let from = super::guard::client_network(&parts);
    let (status, problem, retry_after) = match state
        .staff
        .sign_in(&form.username, &form.password, &from, now_ms())
        .await
    {
        Ok((token, me)) => {
            tracing::info!(
                staff_id = me.staff_id,
                role = me.role.code(),
                "staff signed in"
            );
            // A code, a password an administrator set, a second factor the role requires:
            // each before anything else.
            let to = match me.first_step {
                Some(FirstStep::Code) => format!("/staff/login/code?next={}", encode(&after_sign_in(&form.next))),
                Some(step) => step.page().to_string(),
                None => after_sign_in(&form.next),
            };
            let mut response = (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response();
            response.headers_mut().insert(
                SET_COOKIE,
                session_cookie(&state, &token.0, SESSION_MS / 1000),
            );
            return response;
        }
        Err(SignInError::WrongCredentials) => (
            StatusCode::UNAUTHORIZED,
            SignInProblem::WrongCredentials,
            None,
        ),
        Err(SignInError::Locked { retry_after_secs }) => (
            StatusCode::TOO_MANY_REQUESTS,
            SignInProblem::Locked { retry_after_secs },
            Some(retry_after_secs),
        ),
        Err(SignInError::Busy { retry_after_secs }) => (
            StatusCode::SERVICE_UNAVAILABLE,
            SignInProblem::Busy,
            Some(retry_after_secs),
        ),
        Err(SignInError::Store(error)) => {
            tracing::error!(?error, "sign-in could not reach the database");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                SignInProblem::Unavailable,
                None,
            )
        }
    };
    let echo = SignInEcho {
        username: form.username.chars().take(64).collect(),
        problem: Some(problem),
    };
    let mut response = render_page(state, parts, echo, status).await;
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}


/// `POST /staff/logout`: only with the session's CSRF token.
pub async fn sign_out(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(token) = state.staff.policy().token_in(&parts.headers).map(str::to_string) else {
        return see_other("/staff/login");
    };
    let Ok(me) = state.staff.session(&token, now_ms()).await else {
        return message::refusal(
            &parts.headers,
            parts.uri.path(),
            app::error::ApiError::Unavailable,
        );
    };
    let Some(me) = me else {
        return see_other("/staff/login");
    };
    let form = axum::body::to_bytes(body, usize::MAX)
        .await
        .ok()
        .and_then(|bytes| serde_html_form::from_bytes::<SignOutForm>(&bytes).ok());
    if !form.is_some_and(|f| same_secret(&f.csrf_token, &me.csrf_token)) {
        return message::cross_site(&parts.headers, parts.uri.path());
    }
    if let Err(error) = state.staff.sign_out(&token).await {
        tracing::error!(?error, "sign-out could not reach the database");
        return message::refusal(
            &parts.headers,
            parts.uri.path(),
            app::error::ApiError::Unavailable,
        );
    }
    let mut response = see_other("/staff/login");
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie(&state, "", 0));
    response
}


/// A form a staff member posts about their own sign-in: it repeats the session's CSRF token.
trait OwnForm: serde::de::DeserializeOwned {
    fn csrf_token(&self) -> &str;
}

impl OwnForm for OwnPasswordForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// What each post about one's own sign-in checks first: a session that `at` lets post
/// (else to `to_sign_in`), a readable form, its CSRF token. Gives the session token, who
/// posts, and the form.
async fn own_form<T: OwnForm>(
    state: &AppState,
    parts: &axum::http::request::Parts,
    body: axum::body::Body,
    at: impl FnOnce(&SignedIn) -> bool,
    to_sign_in: &'static str,
) -> Result<(String, SignedIn, T), Response> {
    let session = match state.staff.signed_in_any(&parts.headers, now_ms()).await {
        Ok(session) => session,
        Err(_) => return Err(message::refusal(&parts.headers, parts.uri.path(), app::error::ApiError::Unavailable)),
    };
    let Some((token, me)) = session.filter(|(_, me)| at(me)) else {
        return Err(see_other(to_sign_in));
    };
    let form: T = read_form(parts, body).await?;
    if !same_secret(form.csrf_token(), &me.csrf_token) {
        return Err(message::cross_site(&parts.headers, parts.uri.path()));
    }
    Ok((token, me, form))
}

/// Free to work, or with `step` to do first.
fn free_or(step: FirstStep) -> impl FnOnce(&SignedIn) -> bool {
    move |me| me.first_step.is_none_or(|first| first == step)
}

/// `POST /staff/password`: a staff member's own new password, after their current one and
/// with the session's CSRF token. Answered with the page again (its problems) or with the
/// page saying it is done.
pub async fn change_password(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let (token, me, form): (_, _, OwnPasswordForm) =
        match own_form(&state, &parts, body, free_or(FirstStep::NewPassword), "/staff/login?next=/staff/password").await {
            Ok(posted) => posted,
            Err(response) => return response,
        };
    let from = super::guard::client_network(&parts);
    let (status, echo, retry_after) = match state.staff.change_password(&me, &token, &form, &from, now_ms()).await {
        Ok(()) => {
            tracing::info!(staff_id = me.staff_id, "staff changed their password");
            return see_other("/staff/password?done=1");
        }
        Err(ChangePasswordError::Invalid(errors)) => {
            let status = if errors.get(app::domain::Field::CurrentPassword).is_some() {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, PasswordEcho { errors, problem: None }, None)
        }
        Err(ChangePasswordError::SignIn(error)) => {
            let (status, problem, retry) = sign_in_refusal(error);
            (status, PasswordEcho { errors: FieldErrors::default(), problem: Some(problem) }, retry)
        }
    };
    let mut response = render_page(state, parts, echo, status).await;
    if let Some(secs) = retry_after {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// Sends one with a first step still to do (a code, a new password, a second factor) from
/// the sign-in page, where every staff page sends a session that may not work yet, to the
/// page of that step.
pub async fn first_step_first(
    State(state): State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    if request.method() == axum::http::Method::GET
        && request.uri().path() == "/staff/login"
        && let Ok(Some((_, me))) = state.staff.signed_in_any(request.headers(), now_ms()).await
        && let Some(step) = me.first_step
    {
        return see_other(step.page());
    }
    next.run(request).await
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn sign_in_refusal(error: SignInError) -> (StatusCode, SignInProblem, Option<u64>) {
    match error {
        SignInError::WrongCredentials => (StatusCode::UNAUTHORIZED, SignInProblem::WrongCredentials, None),
        SignInError::Locked { retry_after_secs } => {
            (StatusCode::TOO_MANY_REQUESTS, SignInProblem::Locked { retry_after_secs }, Some(retry_after_secs))
        }
        SignInError::Busy { retry_after_secs } => (StatusCode::SERVICE_UNAVAILABLE, SignInProblem::Busy, Some(retry_after_secs)),
        SignInError::Store(error) => {
            tracing::error!(?error, "a sign-in step could not reach the database");
            (StatusCode::SERVICE_UNAVAILABLE, SignInProblem::Unavailable, None)
        }
    }
}

fn problem_words(headers: &axum::http::HeaderMap, problem: &SignInProblem, wrong: &'static str) -> String {
    let s = message::locale_of(headers).strings();
    match problem {
        SignInProblem::WrongCredentials => wrong.to_string(),
        SignInProblem::Locked { retry_after_secs } => s.locked_out(*retry_after_secs),
        SignInProblem::Busy => s.sign_in_busy.to_string(),
        SignInProblem::Unavailable => s.unavailable_title.to_string(),
    }
}

impl OwnForm for CodeForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// `POST /staff/login/code`: the code of the second factor (or a recovery code), after a
/// right password. Wrong codes count and lock as wrong passwords do.
pub async fn give_code(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let waiting = |me: &SignedIn| me.first_step == Some(FirstStep::Code);
    let (token, me, form): (_, _, CodeForm) = match own_form(&state, &parts, body, waiting, "/staff/login").await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let from = super::guard::client_network(&parts);
    match state.staff.give_code(&me, &token, &form.code, &from, now_ms()).await {
        Ok(()) => {
            tracing::info!(staff_id = me.staff_id, "staff gave their second factor's code");
            // The next first step, if any, else where they were going.
            match state.staff.signed_in_any(&parts.headers, now_ms()).await {
                Ok(Some((_, me))) if me.first_step.is_some() => see_other(me.first_step.map_or("/staff", FirstStep::page)),
                _ => (StatusCode::SEE_OTHER, [(LOCATION, after_sign_in(&form.next))]).into_response(),
            }
        }
        Err(error) => {
            let (status, problem, retry_after) = sign_in_refusal(error);
            let wrong = message::locale_of(&parts.headers).strings().accounts.err_code_wrong;
            let echo = CodeEcho { problem: Some(problem_words(&parts.headers, &problem, wrong)) };
            let mut response = render_page(state, parts, echo, status).await;
            if let Some(secs) = retry_after {
                response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs));
            }
            response
        }
    }
}

impl OwnForm for SecondFactorForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Deserialize)]
struct SecondFactorForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    code: String,
}

/// `POST /staff/second-factor`: `start` (after the current password: a new key and its QR
/// code), `confirm` (a first code from it: the recovery codes, shown once) or `remove`
/// (after the current password, where the role allows).
pub async fn second_factor(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let at = free_or(FirstStep::SecondFactor);
    let (token, me, form): (_, _, SecondFactorForm) =
        match own_form(&state, &parts, body, at, "/staff/login?next=/staff/second-factor").await {
            Ok(posted) => posted,
            Err(response) => return response,
        };
    let from = super::guard::client_network(&parts);
    let now = now_ms();
    let setup_of = |secret: &app::staff::totp::Secret| {
        let (qr_side, qr_path) = app::admin::qr::path(&secret.uri("Counterpoint", &me.username)).unwrap_or_default();
        let key = secret.base32().as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
        SecondFactorSetup { key, qr_side, qr_path }
    };
    let outcome = match form.action.as_str() {
        "start" => state
            .staff
            .start_second_factor(&me, &form.current_password, &from, now)
            .await
            .map(|secret| SecondFactorEcho { setup: Some(setup_of(&secret)), ..Default::default() }),
        "confirm" => match state.staff.confirm_second_factor(&me, &token, &form.code, now).await {
            Ok(recovery_codes) => {
                tracing::info!(staff_id = me.staff_id, "staff set up a second factor");
                Ok(SecondFactorEcho { recovery_codes, ..Default::default() })
            }
            // A wrong first code: the same key again, to try once more.
            Err(ChangePasswordError::Invalid(errors)) => {
                let setup = state.staff.pending_second_factor(&me).await.ok().flatten().map(|s| setup_of(&s));
                Ok(SecondFactorEcho { errors, setup, ..Default::default() })
            }
            Err(other) => Err(other),
        },
        "remove" => state
            .staff
            .remove_second_factor(&me, &token, &form.current_password, &from, now)
            .await
            .map(|()| SecondFactorEcho { removed: true, ..Default::default() }),
        _ => return message::refusal(&parts.headers, parts.uri.path(), app::error::ApiError::BadRequest),
    };
    let (status, echo, retry_after) = match outcome {
        Ok(echo) if !echo.errors.is_empty() => (StatusCode::UNPROCESSABLE_ENTITY, echo, None),
        Ok(echo) => (StatusCode::OK, echo, None),
        Err(ChangePasswordError::Invalid(errors)) => {
            let status = if errors.get(app::domain::Field::CurrentPassword).is_some() {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, SecondFactorEcho { errors, ..Default::default() }, None)
        }
        Err(ChangePasswordError::SignIn(error)) => {
            let (status, problem, retry) = sign_in_refusal(error);
            let wrong = message::locale_of(&parts.headers).strings().accounts.err_password_wrong;
            let refusal = Some(problem_words(&parts.headers, &problem, wrong));
            (status, SecondFactorEcho { refusal, ..Default::default() }, retry)
        }
    };
    let mut response = render_page(state, parts, echo, status).await;
    if let Some(secs) = retry_after {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}
