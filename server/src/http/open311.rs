//! Open311 GeoReport v2 (`app::open311`): the address is parsed into what is asked and in
//! which format, the case service answers, and every refusal is the specification's error
//! list in that format with its 4xx.

use super::message::locale_of;
use app::i18n::Locale;
use app::open311::{self, Format, Node, Problem};
use app::state::AppState;
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

/// `POST requests.{json,xml}`: no channel holds a key yet, so every post is refused.
pub async fn post_request(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    match Format::split(&file) {
        Some(("requests", format)) => refused(format, Problem::NoKeys, locale),
        Some((_, format)) => refused(format, Problem::UnknownFormat, locale),
        None => refused(Format::Json, Problem::UnknownFormat, locale),
    }
}

/// `services/{code}.{json,xml}`: one service's definition.
pub async fn service(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    let Some((code, format)) = Format::split(&file) else {
        return refused(Format::Json, Problem::UnknownFormat, locale);
    };
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

fn unavailable(format: Format, error: app::store::StoreError, locale: Locale) -> Response {
    tracing::error!(?error, "storage failed");
    refused(format, Problem::Unavailable, locale)
}
