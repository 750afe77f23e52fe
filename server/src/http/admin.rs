//! Administrators' form posts: counters, halls and departments, service items, staff
//! accounts and the public address. Each goes through the staff-form preamble (session,
//! size-limited form, CSRF token); the service checks the role and writes the change with
//! its audit entry; success goes back to the page with `?done=…`, a refusal is a translated
//! 4xx page.

use super::cases::{StaffForm, staff_form};
use super::message;
use app::admin::channels::ChannelForm;
use app::admin::limits::TimeLimitsForm;
use app::admin::service::AdminError;
use app::admin::{AccountForm, CounterForm, CsrfForm, PasswordForm, PublicUrlForm, RetireForm, SecondFactorRolesForm};
use app::domain::case::Actor;
use app::error::ApiError;
use app::guide::ServiceItemForm;
use app::state::AppState;
use app::store::PlaceKind;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::future::Future;

macro_rules! staff_forms {
    ($($form:ty),*) => {$(
        impl StaffForm for $form {
            fn csrf_token(&self) -> &str {
                &self.csrf_token
            }
        }
    )*};
}
staff_forms!(
    CounterForm,
    RetireForm,
    ServiceItemForm,
    AccountForm,
    PasswordForm,
    PublicUrlForm,
    TimeLimitsForm,
    SecondFactorRolesForm,
    ChannelForm,
    CsrfForm
);

/// One administrator's post: reads and checks the form, lets `act` (given the state, the
/// actor, their user name and the form) make the change, then sends back to `page` with
/// `?done={done}`, or answers the refusal.
async fn admin_post<F, Fut>(
    state: AppState,
    request: Request,
    page: &str,
    done: &str,
    act: impl FnOnce(AppState, Actor, String, F) -> Fut,
) -> Response
where
    F: StaffForm + DeserializeOwned,
    Fut: Future<Output = Result<(), AdminError>>,
{
    let (head, body) = request.into_parts();
    let (me, form): (_, F) = match staff_form(&state, &head, body, page).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let actor = app::cases::actor_of(&me);
    match act(state, actor, me.username, form).await {
        Ok(()) => (StatusCode::SEE_OTHER, [(LOCATION, format!("{page}?done={done}"))]).into_response(),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

const ADMIN: &str = "/staff/admin";
const SERVICES: &str = "/staff/admin/services";
const ACCOUNTS: &str = "/staff/admin/staff";
const LIMITS: &str = "/staff/admin/limits";
const CHANNELS: &str = "/staff/admin/channels";

/// `POST /staff/admin/channels`: a new channel; its key is on this answer only (the page
/// rendered with it, never a redirect that would carry it in an address).
pub async fn create_channel(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, ChannelForm) = match staff_form(&state, &head, body, CHANNELS).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.admin.create_channel(&app::cases::actor_of(&me), &form).await {
        Ok(created) => {
            tracing::info!(staff_id = me.staff_id, "an administrator made a channel");
            super::forms::render_page(state, head, created, StatusCode::CREATED).await
        }
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

/// `POST /staff/admin/channels/{id}/revoke`: the channel's key is refused from now on.
pub async fn revoke_channel(State(state): State<AppState>, Path(id): Path<i64>, request: Request) -> Response {
    admin_post(state, request, CHANNELS, "revoked", |state, actor, _, _: CsrfForm| async move {
        state.admin.revoke_channel(&actor, id).await
    })
    .await
}

/// `POST /staff/admin/counters`: a new counter.
pub async fn create_counter(State(state): State<AppState>, request: Request) -> Response {
    admin_post(state, request, ADMIN, "created", |state, actor, _, form: CounterForm| async move {
        state.admin.create_counter(&actor, &form).await.map(drop)
    })
    .await
}

/// `POST /staff/admin/counters/{code}/rename`.
pub async fn rename_counter(State(state): State<AppState>, Path(code): Path<String>, request: Request) -> Response {
    admin_post(state, request, ADMIN, "renamed", |state, actor, _, form: CounterForm| async move {
        state.admin.rename_counter(&actor, &code, &form).await
    })
    .await
}

/// `POST /staff/admin/counters/{code}/retire`.
pub async fn retire_counter(State(state): State<AppState>, Path(code): Path<String>, request: Request) -> Response {
    admin_post(state, request, ADMIN, "retired", |state, actor, _, form: RetireForm| async move {
        state.admin.retire_counter(&actor, &code, &form.replaced_by).await
    })
    .await
}

fn place_kind(request: &Request) -> PlaceKind {
    if request.uri().path().starts_with("/staff/admin/halls") {
        PlaceKind::Hall
    } else {
        PlaceKind::Department
    }
}

/// `POST /staff/admin/halls` and `/staff/admin/departments`: a new hall or department.
pub async fn create_place(State(state): State<AppState>, request: Request) -> Response {
    let kind = place_kind(&request);
    admin_post(state, request, ADMIN, "place_created", |state, actor, _, form: CounterForm| async move {
        state.admin.create_place(&actor, kind, &form).await.map(drop)
    })
    .await
}

/// `POST /staff/admin/halls/{code}/rename` and `/staff/admin/departments/{code}/rename`.
pub async fn rename_place(State(state): State<AppState>, Path(code): Path<String>, request: Request) -> Response {
    let kind = place_kind(&request);
    admin_post(state, request, ADMIN, "place_renamed", |state, actor, _, form: CounterForm| async move {
        state.admin.rename_place(&actor, kind, &code, &form).await
    })
    .await
}

/// `POST /staff/admin/halls/{code}/retire` and `/staff/admin/departments/{code}/retire`.
pub async fn retire_place(State(state): State<AppState>, Path(code): Path<String>, request: Request) -> Response {
    let kind = place_kind(&request);
    admin_post(state, request, ADMIN, "place_retired", |state, actor, _, _: RetireForm| async move {
        state.admin.retire_place(&actor, kind, &code).await
    })
    .await
}

/// `POST /staff/admin/public-url`: the address QR codes and mails' links point to.
pub async fn set_public_url(State(state): State<AppState>, request: Request) -> Response {
    admin_post(state, request, ADMIN, "public_url", |state, actor, _, form: PublicUrlForm| async move {
        state.admin.set_public_url(&actor, &form.public_url).await
    })
    .await
}

/// `POST /staff/admin/limits`: the time limits of case handling; this server follows
/// them at once, the others within a minute.
pub async fn set_time_limits(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, TimeLimitsForm) = match staff_form(&state, &head, body, LIMITS).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let actor = app::cases::actor_of(&me);
    let changed = match state.admin.set_time_limits(&actor, &form).await {
        Ok(changed) => changed,
        Err(e) => return message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    };
    if let Err(error) = state.cases.office().reload_limits().await {
        // Stored; read again within a minute, as on every other server.
        tracing::warn!(?error, "could not read the time limits again");
    }
    let done = if changed == 0 { "unchanged" } else { "saved" };
    (StatusCode::SEE_OTHER, [(LOCATION, format!("{LIMITS}?done={done}"))]).into_response()
}

/// `POST /staff/admin/services`: a new service item for the public guide.
pub async fn create_service_item(State(state): State<AppState>, request: Request) -> Response {
    admin_post(state, request, SERVICES, "created", |state, actor, _, form: ServiceItemForm| async move {
        state.admin.create_service_item(&actor, &form).await.map(drop)
    })
    .await
}

/// `POST /staff/admin/services/{code}`: changes to a service item.
pub async fn update_service_item(State(state): State<AppState>, Path(code): Path<String>, request: Request) -> Response {
    admin_post(state, request, SERVICES, "changed", |state, actor, _, form: ServiceItemForm| async move {
        state.admin.update_service_item(&actor, &code, &form).await
    })
    .await
}

/// `POST /staff/admin/staff`: a new staff account.
pub async fn create_account(State(state): State<AppState>, request: Request) -> Response {
    admin_post(state, request, ACCOUNTS, "created", |state, actor, _, form: AccountForm| async move {
        state.admin.create_account(&actor, &form).await.map(drop)
    })
    .await
}

/// `POST /staff/admin/staff/{username}`: changes to an account.
pub async fn update_account(State(state): State<AppState>, Path(username): Path<String>, request: Request) -> Response {
    admin_post(state, request, ACCOUNTS, "changed", |state, actor, me, form: AccountForm| async move {
        state.admin.update_account(&actor, &me, &username, &form).await
    })
    .await
}

/// `POST /staff/admin/staff/{username}/password`: a new password; the account's sessions end.
pub async fn set_password(State(state): State<AppState>, Path(username): Path<String>, request: Request) -> Response {
    admin_post(state, request, ACCOUNTS, "password", |state, actor, _, form: PasswordForm| async move {
        state.admin.set_password(&actor, &username, &form).await
    })
    .await
}

/// `POST /staff/admin/second-factor`: which roles must sign in with a second factor.
pub async fn set_second_factor_roles(State(state): State<AppState>, request: Request) -> Response {
    admin_post(state, request, ACCOUNTS, "factor_roles", |state, actor, _, form: SecondFactorRolesForm| async move {
        state.admin.set_second_factor_roles(&actor, &form).await
    })
    .await
}

/// `POST /staff/admin/staff/{username}/second-factor/reset`: for someone who lost their phone.
pub async fn reset_second_factor(State(state): State<AppState>, Path(username): Path<String>, request: Request) -> Response {
    admin_post(state, request, ACCOUNTS, "factor_reset", |state, actor, _, _: CsrfForm| async move {
        state.admin.reset_second_factor(&actor, &username).await
    })
    .await
}
