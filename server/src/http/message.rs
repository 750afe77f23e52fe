//! Small, translated pages for requests refused before they reach the app: too large,
//! cross-site, unreadable, too many. Server functions get the same refusal as JSON.

use app::error::ApiError;
use app::i18n::{Locale, Strings};
use axum::body::Body;
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The language of a request, as the pages choose it.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    Locale::negotiate(
        header(COOKIE).and_then(Locale::cookie_value),
        header(ACCEPT_LANGUAGE),
    )
}

/// A refusal, as JSON for a server function or as a page for a person.
pub fn refusal(headers: &HeaderMap, path: &str, error: ApiError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let retry_after = match &error {
        ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    };
    let mut response = if path.starts_with("/api/") {
        let body = serde_json::to_vec(&error).unwrap_or_default();
        (status, [(CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        let s = locale_of(headers).strings();
        let (title, body) = words(s, &error);
        (
            status,
            [(CONTENT_TYPE, "text/html; charset=utf-8")],
            page(s, title, &body),
        )
            .into_response()
    };
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

fn words(s: &'static Strings, error: &ApiError) -> (&'static str, String) {
    match error {
        ApiError::RateLimited { .. } => (s.too_many_title, error.message(s)),
        ApiError::BadRequest => (s.bad_request_title, s.bad_request_body.to_string()),
        ApiError::Unavailable => (s.unavailable_title, s.unavailable_body.to_string()),
        // Each field's problem, in words.
        ApiError::Invalid(fields) if !fields.is_empty() => (
            s.bad_request_title,
            fields.0.iter().map(|(_, p)| p.message(s)).collect::<Vec<_>>().join(" "),
        ),
        _ => (s.bad_request_title, error.message(s)),
    }
}

/// Pages for statuses the app itself never renders.
pub fn too_large(headers: &HeaderMap, path: &str) -> Response {
    if path.starts_with("/api/") {
        return refusal(headers, path, ApiError::BadRequest)
            .map_status(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let s = locale_of(headers).strings();
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        page(s, s.too_large_title, s.too_large_body),
    )
        .into_response()
}

pub fn cross_site(headers: &HeaderMap, path: &str) -> Response {
    if path.starts_with("/api/") {
        return refusal(headers, path, ApiError::BadRequest).map_status(StatusCode::FORBIDDEN);
    }
    let s = locale_of(headers).strings();
    (
        StatusCode::FORBIDDEN,
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        page(s, s.forbidden_title, s.forbidden_body),
    )
        .into_response()
}

trait MapStatus {
    fn map_status(self, status: StatusCode) -> Self;
}

impl MapStatus for Response {
    fn map_status(mut self, status: StatusCode) -> Self {
        *self.status_mut() = status;
        self
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A refusal in the reader's language with words of its own (a title and a sentence).
pub fn said(headers: &HeaderMap, status: StatusCode, words: impl FnOnce(&'static Strings) -> (&'static str, String)) -> Response {
    let s = locale_of(headers).strings();
    let (title, body) = words(s);
    (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], page(s, title, &body)).into_response()
}

fn page(s: &'static Strings, title: &str, body: &str) -> Body {
    let lang = s.locale.tag();
    Body::from(format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – {site}</title><link rel=\"stylesheet\" href=\"/pkg/counterpoint.css\"></head>\
         <body><header class=\"site-header\"><div class=\"wrap header-row\"><a class=\"brand\" href=\"/\">\
         <span class=\"brand-name\">{site}</span></a></div></header>\
         <main id=\"main\" class=\"wrap\"><h1>{title}</h1><p>{body}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
        title = escape(title),
        body = escape(body),
        site = escape(s.site_name),
        home = escape(s.back_home),
    ))
}
