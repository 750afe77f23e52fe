//! The open data: `/stats/export.csv` and `/stats/export.json`, for the same filters as
//! the statistics page. Streamed a month of rows at a time; revalidated by ETag.

use super::message::locale_of;
use app::error::ApiError;
use app::state::AppState;
use app::stats::StatsFilter;
use app::stats::export::{COLUMNS, ExportPlan};
use app::stats::service::StatsError;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

pub async fn csv(
    State(state): State<AppState>,
    Query(filter): Query<StatsFilter>,
    headers: HeaderMap,
) -> Response {
    export(state, filter, headers, Format::Csv).await
}

pub async fn json(
    State(state): State<AppState>,
    Query(filter): Query<StatsFilter>,
    headers: HeaderMap,
) -> Response {
    export(state, filter, headers, Format::Json).await
}

/// A refused filter, in the reader's language, as text or JSON.
fn refused(headers: &HeaderMap, error: ApiError, format: Format) -> Response {
    let s = locale_of(headers).strings();
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let messages: Vec<&str> = match &error {
        ApiError::Invalid(fields) => fields.0.iter().map(|(_, p)| p.message(s)).collect(),
        _ => Vec::new(),
    };
    let message = if messages.is_empty() {
        error.message(s)
    } else {
        messages.join(" ")
    };
    match format {
        Format::Json => (
            status,
            [(CONTENT_TYPE, "application/json")],
            serde_json::json!({ "error": message }).to_string(),
        )
            .into_response(),
        Format::Csv => (
            status,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{message}\n"),
        )
            .into_response(),
    }
}

async fn export(state: AppState, filter: StatsFilter, headers: HeaderMap, format: Format) -> Response {
    let plan = match state.stats.export_plan(&filter).await {
        Ok(plan) => Arc::new(plan),
        // A bad filter is the reader's mistake: 400, whatever the page would say.
        Err(StatsError::Invalid(errors)) => {
            let mut response = refused(&headers, ApiError::Invalid(errors), format);
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return response;
        }
        Err(StatsError::Store(error)) => {
            tracing::error!(?error, "open data: storage failed");
            return refused(&headers, ApiError::Unavailable, format);
        }
    };
    let etag = HeaderValue::from_str(&plan.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = HeaderValue::from_static("public, no-cache");
    let matches = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == plan.etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag), (CACHE_CONTROL, cache)]).into_response();
    }
    let (content_type, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => ("application/json", "json"),
    };
    let disposition = format!(
        "attachment; filename=\"counterpoint-ratings-{}-{}.{ext}\"",
        plan.first, plan.last
    );
    let body = Body::from_stream(rows(state, plan, format));
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (ETAG, etag),
            (CACHE_CONTROL, cache),
            (
                CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

enum Step {
    Head,
    /// The chunk of days to read next; past the last one, the tail.
    Chunk(usize),
    Done,
}

/// The download, piece by piece: the head (licence and columns), one piece per chunk of
/// days, then the tail. A storage failure midway ends the stream with an error, so the
/// reader gets a broken download, never a short file that looks whole.
fn rows(
    state: AppState,
    plan: Arc<ExportPlan>,
    format: Format,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    futures::stream::unfold((Step::Head, false), move |(step, any_row)| {
        let (state, plan) = (state.clone(), plan.clone());
        async move {
            match step {
                Step::Head => {
                    let licence = state.stats.licence();
                    let head = match format {
                        Format::Csv => format!("# Licence: {licence}\r\n{}\r\n", COLUMNS.join(",")),
                        Format::Json => format!(
                            "{{\"licence\":{},\"columns\":{},\"filter\":{},\"rows\":[",
                            serde_json::Value::from(licence),
                            serde_json::json!(COLUMNS),
                            serde_json::json!(plan.filter)
                        ),
                    };
                    Some((Ok(Bytes::from(head)), (Step::Chunk(0), any_row)))
                }
                Step::Chunk(i) if i < plan.chunks() => {
                    match state.stats.export_chunk(&plan, i).await {
                        Ok(rows) => {
                            let mut out = String::with_capacity(rows.len() * 64);
                            let mut any = any_row;
                            for row in &rows {
                                match format {
                                    Format::Csv => out.push_str(&row.csv()),
                                    Format::Json => {
                                        if any {
                                            out.push(',');
                                        }
                                        out.push_str(&row.json().to_string());
                                    }
                                }
                                any = true;
                            }
                            Some((Ok(Bytes::from(out)), (Step::Chunk(i + 1), any)))
                        }
                        Err(error) => {
                            tracing::error!(?error, "open data: storage failed midway");
                            Some((
                                Err(std::io::Error::other("storage failed")),
                                (Step::Done, any_row),
                            ))
                        }
                    }
                }
                Step::Chunk(_) => {
                    let tail = match format {
                        Format::Csv => String::new(),
                        Format::Json => "]}\n".to_string(),
                    };
                    Some((Ok(Bytes::from(tail)), (Step::Done, any_row)))
                }
                Step::Done => None,
            }
        }
    })
}
