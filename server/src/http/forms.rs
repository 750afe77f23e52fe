//! Plain HTML form posts, for browsers without JavaScript (or before it has loaded).
//! Each calls the same service as the server function, then redirects on success or
//! renders the page again with the problems and what the citizen typed.

use super::message;
use app::domain::RatingForm;
use app::error::ApiError;
use app::pages::RatingEcho;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

/// `POST /c/{code}`: a rating from the plain form.
pub async fn rate_counter(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let form: RatingForm = match read_form(&parts, body).await {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let source = parts.extensions.get::<app::rating::Source>().copied().unwrap_or_default();
    let error = match state.ratings.submit(&code, &form, source).await {
        Ok(counter) => {
            return (
                StatusCode::SEE_OTHER,
                [(LOCATION, format!("/c/{}/thanks", counter.code))],
            )
                .into_response();
        }
        Err(e) => ApiError::from(e),
    };
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    render_page(
        state,
        parts,
        RatingEcho {
            form,
            error: Some(error),
        },
        status,
    )
    .await
}

/// Reads a urlencoded form body: 413 when it is cut off at the size limit, 400 when it
/// cannot be read.
pub(super) async fn read_form<T: serde::de::DeserializeOwned>(
    parts: &Parts,
    body: Body,
) -> Result<T, Response> {
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Err(message::too_large(&parts.headers, parts.uri.path()));
    };
    serde_html_form::from_bytes::<T>(&bytes)
        .map_err(|_| message::refusal(&parts.headers, parts.uri.path(), ApiError::BadRequest))
}

/// Renders the page at the request's path with `echo` in context (the rejected form, so
/// the page shows its problems and keeps what was typed), with the given status.
pub(super) async fn render_page<E>(
    state: AppState,
    parts: Parts,
    echo: E,
    status: StatusCode,
) -> Response
where
    E: Clone + Send + Sync + 'static,
{
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(echo.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}
