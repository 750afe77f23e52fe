//! Open311 GeoReport v2 (`app::open311`): the address is parsed into what is asked and in
//! which format, the case service answers, and every refusal is the specification's error
//! list in that format with its 4xx.

use super::message::locale_of;
use app::i18n::Locale;
use app::open311::{self, Format, Node, Problem};
use app::state::AppState;
use app::cases::CaseError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

type Params = Query<Vec<(String, String)>>;

/// `/open311/v2/` itself: to the discovery document.
pub async fn index() -> Response {
    (StatusCode::FOUND, [(LOCATION, "/open311/v2/discovery.json")]).into_response()
}

/// `discovery`, `services` and `requests`, each `.json` or `.xml`.
pub async fn document(State(state): State<AppState>, Path(file): Path<String>, Query(params): Params, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    let Some((name, format)) = Format::split(&file) else {
        return refused(Format::Json, Problem::UnknownFormat, locale);
    };
    match name {
        "discovery" => {
            let base = state.cases.public_address().get();
            let contact = format!("{base}/services");
            answer(format, "discovery", &open311::discovery(&base, &contact), true)
        }
        "services" => answer(format, "services", &open311::services(locale), true),
        "requests" => requests(&state, format, &params, locale).await,
        _ => refused(format, Problem::UnknownFormat, locale),
    }
}

/// `POST requests.{json,xml}`: a complaint from a channel's system, with the channel's
/// key; the same checks, deadlines and mail as the web form's, the channel recorded on it.
pub async fn post_request(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let locale = locale_of(&headers);
    let format = match Format::split(&file) {
        Some(("requests", format)) => format,
        Some((_, format)) => return refused(format, Problem::UnknownFormat, locale),
        None => return refused(Format::Json, Problem::UnknownFormat, locale),
    };
    let form_encoded = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let Some(params) = form_encoded.then(|| serde_html_form::from_bytes::<Vec<(String, String)>>(&body).ok()).flatten() else {
        return refused(format, Problem::BadBody, locale);
    };
    let today = state.cases.today();
    let posted = open311::parse_post(&params, today.as_str());
    let now = state.cases.clock().now_ms();
    let channel = match app::admin::channels::channel_of_key(&state.store, &posted.api_key, now).await {
        Ok(Some((id, _))) => id,
        Ok(None) => return refused(format, Problem::BadKey, locale),
        Err(error) => return unavailable(format, error, locale),
    };
    // Each post is a new complaint: the specification has no key to make a post repeatable.
    let submission = format!("open311-{:032x}", rand::random::<u128>());
    match state.cases.file_through(&posted.form, channel, &submission, locale).await {
        Ok(filed) => {
            tracing::info!(case_id = filed.case_id, channel_id = channel, "a complaint came through a channel");
            let link = state.cases.tracking_link(filed.token.as_str());
            let body = open311::taken(filed.case_id, &link, locale).render(format, "service_requests");
            (StatusCode::CREATED, [(CONTENT_TYPE, format.content_type()), (CACHE_CONTROL, "no-store")], body).into_response()
        }
        Err(CaseError::Invalid(errors)) => {
            let body = open311::errors(&open311::field_errors(&errors, locale)).render(format, "errors");
            (StatusCode::BAD_REQUEST, [(CONTENT_TYPE, format.content_type())], body).into_response()
        }
        Err(error) => {
            tracing::error!(?error, "a channel's complaint was not stored");
            refused(format, Problem::Unavailable, locale)
        }
    }
}

/// `services/{code}.{json,xml}`: one service's definition.
pub async fn service(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    let Some((code, format)) = Format::split(&file) else {
        return refused(Format::Json, Problem::UnknownFormat, locale);
    };
    if app::domain::Category::parse(code).is_none() {
        return refused(format, Problem::UnknownService, locale);
    }
    let choices = match state.cases.public_choices().await {
        Ok(choices) => choices,
        Err(error) => return unavailable(format, error, locale),
    };
    match open311::definition(code, &choices, locale) {
        Some(definition) => answer(format, "service_definition", &definition, true),
        None => refused(format, Problem::UnknownService, locale),
    }
}

/// `requests/{id}.{json,xml}`: one complaint's public status, as a list of one.
pub async fn request(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    let Some((id, format)) = Format::split(&file) else {
        return refused(Format::Json, Problem::UnknownFormat, locale);
    };
    let Some(ids) = open311::parse_ids(id).filter(|ids| ids.len() == 1) else {
        return refused(format, Problem::UnknownRequest, locale);
    };
    let query = app::store::PublicRequestQuery { ids, from_ms: i64::MIN, until_ms: i64::MAX, ..Default::default() };
    match state.cases.public_requests(&query, locale).await {
        Ok(Node::List(_, items)) if items.is_empty() => refused(format, Problem::UnknownRequest, locale),
        Ok(list) => answer(format, "service_requests", &list, false),
        Err(error) => unavailable(format, error, locale),
    }
}

async fn requests(state: &AppState, format: Format, params: &[(String, String)], locale: Locale) -> Response {
    let now = state.cases.clock().now_ms();
    let query = match open311::parse_query(params, now, state.cases.time_zone()) {
        Ok(query) => query,
        Err(problem) => return refused(format, problem, locale),
    };
    match state.cases.public_requests(&query, locale).await {
        Ok(list) => answer(format, "service_requests", &list, false),
        Err(error) => unavailable(format, error, locale),
    }
}

/// A 200 in `format`; documents that change only with a release or the directory may be
/// kept by caches for five minutes.
fn answer(format: Format, root: &str, node: &Node, cacheable: bool) -> Response {
    let cache = if cacheable { "public, max-age=300" } else { "no-cache" };
    (
        StatusCode::OK,
        [(CONTENT_TYPE, format.content_type()), (CACHE_CONTROL, cache)],
        node.render(format, root),
    )
        .into_response()
}

fn refused(format: Format, problem: Problem, locale: Locale) -> Response {
    let error = problem.error(locale);
    let status = StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST);
    let body = open311::errors(&[error]).render(format, "errors");
    (status, [(CONTENT_TYPE, format.content_type())], body).into_response()
}

fn unavailable(format: Format, error: impl std::fmt::Debug, locale: Locale) -> Response {
    tracing::error!(?error, "storage failed");
    refused(format, Problem::Unavailable, locale)
}
