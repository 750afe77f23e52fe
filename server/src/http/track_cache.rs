//! Rendered tracking pages, kept while their case is unchanged.
//!
//! A citizen (or their phone on a slow network, retrying) opens `/track/{token}` far more
//! often than the case changes. Each request still asks the database for the case's
//! version, so a page is never stale by a single change, and never shared between cases,
//! languages or days (the deadline's words change at midnight); but the page is rendered
//! once per version, not once per request. Only a plain GET (no query string) is served
//! from here; anything else goes to the page itself.

use app::domain::TrackingToken;
use app::i18n::Locale;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Pages kept at most; past it the cache starts over (a burst of distinct tokens is rare).
const MAX_PAGES: usize = 10_000;
/// A page is rendered again at least this often (a renamed department shows within it).
const MAX_AGE: Duration = Duration::from_secs(60);
/// The largest page kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    token: String,
    locale: Locale,
    day: String,
}

struct Page {
    /// The case's version and whether it still mails the citizen (both change the page).
    version: (i64, bool),
    headers: HeaderMap,
    body: Bytes,
    made: Instant,
}

/// The kept pages. Cheap to clone.
#[derive(Clone, Default)]
pub struct TrackPages(Arc<Mutex<HashMap<Key, Arc<Page>>>>);

fn locale_of(headers: &HeaderMap) -> Locale {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    Locale::negotiate(
        header(COOKIE).and_then(Locale::cookie_value),
        header(ACCEPT_LANGUAGE),
    )
}

/// Middleware: serves `/track/{token}` from the kept page when the case has not changed.
pub async fn serve(
    State((state, pages)): State<(AppState, TrackPages)>,
    request: Request,
    next: Next,
) -> Response {
    let token = (request.method() == Method::GET && request.uri().query().is_none())
        .then(|| request.uri().path().strip_prefix("/track/"))
        .flatten()
        .and_then(TrackingToken::parse);
    let Some(token) = token else {
        return next.run(request).await;
    };
    let Ok(Some(version)) = state.cases.tracking_version(&token).await else {
        return next.run(request).await;
    };
    let key = Key {
        token: token.as_str().to_string(),
        locale: locale_of(request.headers()),
        day: state.cases.today().as_str().to_string(),
    };
    let kept = pages
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    if let Some(page) = kept.filter(|p| p.version == version && p.made.elapsed() < MAX_AGE) {
        let mut response = (StatusCode::OK, page.body.clone()).into_response();
        *response.headers_mut() = page.headers.clone();
        response
            .headers_mut()
            .insert("x-cache", HeaderValue::from_static("hit"));
        return response;
    }
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if response.status() != StatusCode::OK || !html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "").into_response();
    };
    let page = Arc::new(Page {
        version,
        headers: parts.headers.clone(),
        body: body.clone(),
        made: Instant::now(),
    });
    {
        let mut kept = pages.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX_PAGES {
            kept.clear();
        }
        kept.insert(key, page);
    }
    Response::from_parts(parts, Body::from(body))
}
