//! The public record's downloads: every digest as JSON, and a day's entries as CSV or JSON
//! (`app::transparency`). A day that does not parse gets 400, one without entries 404, both
//! in the reader's language.

use super::message;
use app::i18n::fill;
use app::state::AppState;
use app::transparency::{entries_csv, parse_day};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The record changes with every rating: a minute's caching at most.
const CACHE: &str = "public, max-age=60";

/// `GET /transparency/digests.json`: the chain now and every published digest, newest first.
pub async fn digests(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let found = async {
        let (entries, head) = state.store.ledger_head().await?;
        let digests = state.store.ledger_digests(i64::MAX).await?;
        Ok::<_, app::store::StoreError>(serde_json::json!({ "entries": entries, "head": head, "digests": digests }))
    };
    match found.await {
        Ok(body) => (
            [(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, CACHE)],
            body.to_string(),
        )
            .into_response(),
        Err(error) => unavailable(&headers, error),
    }
}

/// `GET /transparency/ledger/{day}.csv` and `.json`: a day's entries in order.
pub async fn day(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (raw, csv) = match (file.strip_suffix(".csv"), file.strip_suffix(".json")) {
        (Some(day), _) => (day, true),
        (_, Some(day)) => (day, false),
        _ => (file.as_str(), true),
    };
    let Some(day) = parse_day(raw).filter(|_| file.ends_with(".csv") || file.ends_with(".json")) else {
        return message::said(&headers, StatusCode::BAD_REQUEST, |s| {
            (s.transparency.bad_day_title, s.transparency.bad_day_body.to_string())
        });
    };
    let entries = match state.store.ledger_day(&day).await {
        Ok(entries) => entries,
        Err(error) => return unavailable(&headers, error),
    };
    if entries.is_empty() {
        return message::said(&headers, StatusCode::NOT_FOUND, |s| {
            (s.transparency.title, fill(s.transparency.no_entries_body, &[("day", &day)]))
        });
    }
    if csv {
        let disposition = format!("attachment; filename=\"counterpoint-ledger-{day}.csv\"");
        (
            [
                (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (CACHE_CONTROL, CACHE.to_string()),
                (CONTENT_DISPOSITION, disposition),
            ],
            entries_csv(&entries),
        )
            .into_response()
    } else {
        (
            [(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, CACHE)],
            serde_json::to_string(&entries).unwrap_or_default(),
        )
            .into_response()
    }
}

fn unavailable(headers: &HeaderMap, error: app::store::StoreError) -> Response {
    tracing::error!(?error, "the public record could not be read");
    message::refusal(headers, "/transparency", app::error::ApiError::Unavailable)
}
