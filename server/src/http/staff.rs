//! Staff sign-in and sign-out: plain form posts, answered with a redirect or with the
//! sign-in page again. The session lives in an HttpOnly, SameSite=Lax cookie; signing out
//! must repeat the session's CSRF token.

use super::forms::{read_form, render_page};
use super::message;
use app::api::STAFF_COOKIE;
use app::pages::{SignInEcho, SignInProblem};
use app::staff::SignInError;
use app::staff::auth::{SESSION_MS, same_secret};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
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

fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let cookie = format!(
        "{STAFF_COOKIE}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
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
    let from = parts
        .extensions
        .get::<super::guard::ClientIp>()
        .map(|ip| super::guard::network(ip.0))
        .unwrap_or_default();
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
            let mut response = (
                StatusCode::SEE_OTHER,
                [(LOCATION, after_sign_in(&form.next))],
            )
                .into_response();
            response.headers_mut().insert(
                SET_COOKIE,
                session_cookie(&token.0, SESSION_MS / 1000, state.secure_cookies),
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

fn session_token(headers: &HeaderMap) -> Option<String> {
    app::staff::auth::session_token(headers).map(str::to_string)
}

/// `POST /staff/logout`: only with the session's CSRF token.
pub async fn sign_out(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(token) = session_token(&parts.headers) else {
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
        .insert(SET_COOKIE, session_cookie("", 0, state.secure_cookies));
    response
}
