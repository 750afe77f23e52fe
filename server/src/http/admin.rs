//! Administrators' form posts: add, rename and retire counters. Each goes through the
//! staff-form preamble (session, size-limited form, CSRF token); the service checks the
//! role and writes the change with its audit entry.

use super::cases::{StaffForm, staff_form};
use super::message;
use app::admin::{AccountForm, CounterForm, PasswordForm, PublicUrlForm, RetireForm};
use app::guide::ServiceItemForm;
use app::store::PlaceKind;
use app::error::ApiError;
use app::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};

impl StaffForm for CounterForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl StaffForm for RetireForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl StaffForm for ServiceItemForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl StaffForm for AccountForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl StaffForm for PasswordForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl StaffForm for PublicUrlForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

fn done(what: &str) -> Response {
    back("/staff/admin", what)
}

fn back(page: &str, what: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, format!("{page}?done={what}"))]).into_response()
}

/// `POST /staff/admin/counters`: a new counter.
pub async fn create_counter(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, CounterForm) = match staff_form(&state, &head, body, "/staff/admin").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.create_counter(&app::cases::actor_of(&me), &form).await {
        Ok(_) => done("created"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/counters/{code}/rename`.
pub async fn rename_counter(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, CounterForm) = match staff_form(&state, &head, body, "/staff/admin").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.rename_counter(&app::cases::actor_of(&me), &code, &form).await {
        Ok(()) => done("renamed"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/counters/{code}/retire`.
pub async fn retire_counter(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, RetireForm) = match staff_form(&state, &head, body, "/staff/admin").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state
        .admin
        .retire_counter(&app::cases::actor_of(&me), &code, &form.replaced_by)
        .await
    {
        Ok(()) => done("retired"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/services`: a new service item for the public guide.
pub async fn create_service_item(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, ServiceItemForm) = match staff_form(&state, &head, body, "/staff/admin/services").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.create_service_item(&app::cases::actor_of(&me), &form).await {
        Ok(_) => back("/staff/admin/services", "created"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/services/{code}`: changes to a service item.
pub async fn update_service_item(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, ServiceItemForm) = match staff_form(&state, &head, body, "/staff/admin/services").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.update_service_item(&app::cases::actor_of(&me), &code, &form).await {
        Ok(()) => back("/staff/admin/services", "changed"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/halls` and `/staff/admin/departments`: a new hall or department.
pub async fn create_place(State(state): State<AppState>, request: Request) -> Response {
    let kind = place_kind(request.uri().path());
    let (head, body) = request.into_parts();
    let (me, form): (_, CounterForm) = match staff_form(&state, &head, body, "/staff/admin").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.create_place(&app::cases::actor_of(&me), kind, &form).await {
        Ok(_) => done("place_created"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/halls/{code}/rename` and `/staff/admin/departments/{code}/rename`.
pub async fn rename_place(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let kind = place_kind(request.uri().path());
    let (head, body) = request.into_parts();
    let (me, form): (_, CounterForm) = match staff_form(&state, &head, body, "/staff/admin").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.rename_place(&app::cases::actor_of(&me), kind, &code, &form).await {
        Ok(()) => done("place_renamed"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

fn place_kind(path: &str) -> PlaceKind {
    if path.starts_with("/staff/admin/halls") {
        PlaceKind::Hall
    } else {
        PlaceKind::Department
    }
}

/// `POST /staff/admin/staff`: a new staff account.
pub async fn create_account(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, AccountForm) = match staff_form(&state, &head, body, "/staff/admin/staff").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.create_account(&app::cases::actor_of(&me), &form).await {
        Ok(_) => back("/staff/admin/staff", "created"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/staff/{username}`: changes to an account.
pub async fn update_account(
    State(state): State<AppState>,
    Path(username): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, AccountForm) = match staff_form(&state, &head, body, "/staff/admin/staff").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state
        .admin
        .update_account(&app::cases::actor_of(&me), &me.username, &username, &form)
        .await
    {
        Ok(()) => back("/staff/admin/staff", "changed"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/staff/{username}/password`: a new password; the account's sessions end.
pub async fn set_password(
    State(state): State<AppState>,
    Path(username): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, PasswordForm) = match staff_form(&state, &head, body, "/staff/admin/staff").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.set_password(&app::cases::actor_of(&me), &username, &form).await {
        Ok(()) => back("/staff/admin/staff", "password"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/public-url`: the address QR codes and mails' links point to.
pub async fn set_public_url(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, PublicUrlForm) = match staff_form(&state, &head, body, "/staff/admin").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.set_public_url(&app::cases::actor_of(&me), &form.public_url).await {
        Ok(()) => done("public_url"),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}
