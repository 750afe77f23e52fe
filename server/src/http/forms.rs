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
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;

/// `POST /c/{code}`: a rating from the plain form.
pub async fn rate_counter(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return message::too_large(&parts.headers, parts.uri.path()),
    };
    let form: RatingForm = match serde_html_form::from_bytes(&bytes) {
        Ok(form) => form,
        Err(_) => return message::refusal(&parts.headers, parts.uri.path(), ApiError::BadRequest),
    };
    let error = match state.ratings.submit(&code, &form).await {
        Ok(counter) => {
            return Redirect::to(&format!("/c/{}/thanks", counter.code))
                .into_response()
                .with_status(StatusCode::SEE_OTHER);
        }
        Err(e) => ApiError::from(e),
    };
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let echo = RatingEcho {
        form,
        error: Some(error),
    };
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

trait WithStatus {
    fn with_status(self, status: StatusCode) -> Self;
}

impl WithStatus for Response {
    fn with_status(mut self, status: StatusCode) -> Self {
        *self.status_mut() = status;
        self
    }
}
