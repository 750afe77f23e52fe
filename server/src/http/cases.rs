//! Complaints and cases over plain form posts: filing (`/complain`, multipart with photos),
//! the citizen's answer on the tracking page (`/track/{token}`), staff actions
//! (`/staff/cases/{id}`) and case photos (`/staff/photos/{id}`, staff only).
//!
//! Each handler reads the form, calls the case service, and answers with a redirect or
//! with the page again (`render_page`) holding the problems and what was typed.

use super::form_data;
use super::forms::{read_form, render_page};
use super::message;
use app::cases::{CaseError, MAX_PHOTOS};
use app::domain::photo::MAX_PHOTO_BYTES;
use app::domain::{ComplaintForm, Field, FieldErrors, Problem};
use app::error::ApiError;
use app::staff::SignedIn;
use app::staff::auth::same_secret;
use app::state::AppState;
use app::views::{ActionEcho, ActionForm, ComplaintEcho, ConfirmEcho};
use axum::extract::{Path, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The longest text field of the complaint form, in bytes (4,000 characters of up to 4 bytes).
const MAX_TEXT_FIELD_BYTES: usize = 16 * 1024;

fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn status_of(error: &ApiError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// A complaint post as read: the answers, photos already kept, new photo bytes.
#[derive(Default)]
struct ComplaintPost<'a> {
    form: ComplaintForm,
    step: String,
    submission_id: String,
    photo_ids: Vec<String>,
    /// New photos (slices of the request's body), or the problem that stopped reading one.
    photos: Vec<&'a [u8]>,
    photo_problem: Option<Problem>,
}

impl ComplaintPost<'_> {
    fn set(&mut self, name: &str, value: String) {
        let f = &mut self.form;
        match name {
            "category" => f.category = value,
            "hall" => f.hall = value,
            "department" => f.department = value,
            "counter" => f.counter = value,
            "occurred_on" => f.occurred_on = value,
            "occurred_at" => f.occurred_at = value,
            "what_happened" => f.what_happened = value,
            "staff_named" => f.staff_named = value,
            "identity" => f.identity = value,
            "name" => f.name = value,
            "email" => f.email = value,
            "phone" => f.phone = value,
            "step" => self.step = value,
            "submission_id" => self.submission_id = value,
            "photo_id" if self.photo_ids.len() < MAX_PHOTOS && !value.is_empty() => {
                self.photo_ids.push(value)
            }
            _ => {}
        }
    }
}

/// Reads a multipart complaint from its body (bounded by the guard's upload limit),
/// each field a slice of it: a photo is copied once, by the metadata strip.
fn read_multipart<'a>(body: &'a [u8], content_type: &str) -> Result<ComplaintPost<'a>, ()> {
    let boundary = form_data::boundary(content_type).map_err(|_| ())?;
    let mut post = ComplaintPost::default();
    for part in form_data::parts(body, boundary).map_err(|_| ())? {
        if part.name == "photo" {
            let chosen = part.file_name.is_some_and(|n| !n.is_empty());
            if part.data.len() > MAX_PHOTO_BYTES {
                post.photo_problem = Some(Problem::PhotoTooLarge);
            } else if chosen || !part.data.is_empty() {
                if post.photos.len() >= MAX_PHOTOS {
                    post.photo_problem = Some(Problem::TooManyPhotos);
                } else {
                    post.photos.push(part.data);
                }
            }
            continue;
        }
        if part.data.len() > MAX_TEXT_FIELD_BYTES {
            return Err(());
        }
        post.set(part.name, std::str::from_utf8(part.data).map_err(|_| ())?.to_string());
    }
    Ok(post)
}

fn read_urlencoded(bytes: &[u8]) -> Result<ComplaintPost<'static>, ()> {
    let pairs: Vec<(String, String)> = serde_html_form::from_bytes(bytes).map_err(|_| ())?;
    let mut post = ComplaintPost::default();
    for (name, value) in pairs {
        post.set(&name, value);
    }
    Ok(post)
}

/// `POST /complain`: check the answers, change them, or send the complaint.
pub async fn complain(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let content_type = head
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let is_multipart = content_type.starts_with("multipart/form-data");
    // Read whole (the guard bounds its size); a multipart body's fields are slices of it.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return message::too_large(&head.headers, head.uri.path()),
    };
    let post = if is_multipart {
        read_multipart(&bytes, content_type)
    } else {
        read_urlencoded(&bytes)
    };
    let Ok(mut post) = post else {
        return message::refusal(&head.headers, head.uri.path(), ApiError::BadRequest);
    };
    let locale = message::locale_of(&head.headers);

    // New photos replace the ones kept from an earlier step. A refused photo stops the
    // complaint here: nothing of it is stored. Sent at once, a photo's row is written
    // with the complaint (one transaction); on the way to the check page, on its own.
    let sending = post.step == "send";
    let mut new_photos = Vec::new();
    if post.photo_problem.is_none() && !post.photos.is_empty() {
        let mut ids = Vec::new();
        for bytes in std::mem::take(&mut post.photos) {
            let kept = if sending {
                state.cases.prepare_photo(bytes).await.map(|p| {
                    new_photos.push(p);
                })
            } else {
                state
                    .cases
                    .upload_photo(bytes, &super::guard::client_network(&head))
                    .await
                    .map(|id| ids.push(id))
            };
            match kept {
                Ok(()) => {}
                Err(CaseError::Invalid(errors)) => {
                    post.photo_problem = errors.get(Field::Photos);
                    break;
                }
                Err(e) => return failure(&state, head, post, ApiError::from(e)).await,
            }
        }
        if post.photo_problem.is_none() {
            post.photo_ids = ids;
        } else {
            for photo in new_photos.drain(..) {
                state.cases.discard_prepared_photo(&photo).await;
            }
        }
    }
    if let Some(problem) = post.photo_problem {
        let errors = match state.cases.check(&post.form).await {
            Err(CaseError::Invalid(errors)) => errors,
            _ => FieldErrors::default(),
        };
        let echo = echo_of(&post, errors, Some(problem));
        return render_page(state, head, echo, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    match post.step.as_str() {
        "change" => {
            let echo = echo_of(&post, FieldErrors::default(), None);
            render_page(state, head, echo, StatusCode::OK).await
        }
        "send" => {
            let submission_id = match app::cases::submission_id_of(&post.submission_id) {
                Some(id) => id.to_string(),
                None => app::cases::new_submission_id(),
            };
            match state
                .cases
                .file_with_photos(
                    &post.form,
                    &post.photo_ids,
                    new_photos,
                    &submission_id,
                    locale,
                )
                .await
            {
                Ok(filed) => {
                    tracing::info!(case_id = filed.case_id, again = filed.again, "complaint filed");
                    see_other(format!("/track/{}?sent=1", filed.token.as_str()))
                }
                Err(e) => failure(&state, head, post, ApiError::from(e)).await,
            }
        }
        _ => match state.cases.check(&post.form).await {
            Ok((_, place)) => {
                let mut echo = echo_of(&post, FieldErrors::default(), None);
                echo.checking = true;
                echo.place_names = place.names;
                if app::cases::submission_id_of(&echo.submission_id).is_none() {
                    echo.submission_id = app::cases::new_submission_id();
                }
                render_page(state, head, echo, StatusCode::OK).await
            }
            Err(e) => failure(&state, head, post, ApiError::from(e)).await,
        },
    }
}

fn echo_of(
    post: &ComplaintPost,
    errors: FieldErrors,
    photo_problem: Option<Problem>,
) -> ComplaintEcho {
    ComplaintEcho {
        form: post.form.clone(),
        photo_ids: post.photo_ids.clone(),
        submission_id: post.submission_id.clone(),
        errors,
        checking: false,
        photo_problem,
        place_names: Vec::new(),
    }
}

/// The form again with its problems, or a refusal page for what is not about a field.
async fn failure(state: &AppState, head: Parts, post: ComplaintPost<'_>, error: ApiError) -> Response {
    match error {
        ApiError::Invalid(errors) => {
            let echo = echo_of(&post, errors, None);
            render_page(state.clone(), head, echo, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        other => message::refusal(&head.headers, head.uri.path(), other),
    }
}

#[derive(Deserialize)]
struct ConfirmForm {
    /// `confirm` (the default), `info` (more information asked for) or `stop_mail`.
    #[serde(default)]
    step: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    version: String,
}

/// `POST /track/{token}`: the citizen says whether the answer helped.
pub async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let form: ConfirmForm = match read_form(&head, body).await {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let version = form.version.trim().parse::<i64>().ok();
    let canonical = app::domain::TrackingToken::parse(&token)
        .map(|t| t.as_str().to_string())
        .unwrap_or_default();
    match form.step.as_str() {
        "stop_mail" => {
            return match state.cases.stop_mail(&token).await {
                Ok(()) => see_other(format!("/track/{canonical}?mail=stopped")),
                Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
            };
        }
        "info" => {
            return match state.cases.citizen_info(&token, &form.body, version).await {
                Ok(_) => see_other(format!("/track/{canonical}?info=sent")),
                Err(e) => match ApiError::from(e) {
                    error @ (ApiError::Invalid(_) | ApiError::CaseChanged) => {
                        let echo = ConfirmEcho {
                            step: "info".into(),
                            reason: form.body.chars().take(4000).collect(),
                            changed: error == ApiError::CaseChanged,
                            errors: match &error {
                                ApiError::Invalid(errors) => errors.clone(),
                                _ => FieldErrors::default(),
                            },
                        };
                        render_page(state, head, echo, status_of(&error)).await
                    }
                    other => message::refusal(&head.headers, head.uri.path(), other),
                },
            };
        }
        "" | "confirm" => {}
        _ => return message::refusal(&head.headers, head.uri.path(), ApiError::BadRequest),
    }
    let satisfied = match form.answer.as_str() {
        "satisfied" => true,
        "unsatisfied" => false,
        _ => return message::refusal(&head.headers, head.uri.path(), ApiError::BadRequest),
    };
    match state
        .cases
        .confirm(&token, satisfied, &form.body, version)
        .await
    {
        Ok(_) => see_other(format!(
            "/track/{}?confirmed={}",
            app::domain::TrackingToken::parse(&token)
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            form.answer
        )),
        Err(e) => {
            let error = ApiError::from(e);
            let echo = ConfirmEcho {
                step: "confirm".into(),
                reason: form.body.chars().take(1000).collect(),
                changed: error == ApiError::CaseChanged,
                errors: match &error {
                    ApiError::Invalid(errors) => errors.clone(),
                    _ => FieldErrors::default(),
                },
            };
            match error {
                ApiError::Invalid(_) | ApiError::CaseChanged => {
                    render_page(state, head, echo, status_of(&error)).await
                }
                other => message::refusal(&head.headers, head.uri.path(), other),
            }
        }
    }
}

/// The staff member of the session cookie.
pub(super) async fn staff_of(state: &AppState, headers: &HeaderMap) -> Result<Option<SignedIn>, Response> {
    state
        .staff
        .signed_in(headers, now_ms())
        .await
        .map_err(|_| message::refusal(headers, "/staff", ApiError::Unavailable))
}

/// A staff form that repeats the session's CSRF token.
pub(super) trait StaffForm: serde::de::DeserializeOwned {
    fn csrf_token(&self) -> &str;
}

impl StaffForm for ActionForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// What every staff form post checks first: a session (else to sign-in, coming back to
/// `next`), a readable form, and its CSRF token.
pub(super) async fn staff_form<T: StaffForm>(
    state: &AppState,
    head: &Parts,
    body: axum::body::Body,
    next: &str,
) -> Result<(SignedIn, T), Response> {
    let me = match staff_of(state, &head.headers).await? {
        Some(me) => me,
        None => return Err(see_other(format!("/staff/login?next={next}"))),
    };
    let form: T = read_form(head, body).await?;
    if !same_secret(form.csrf_token(), &me.csrf_token) {
        return Err(message::cross_site(&head.headers, head.uri.path()));
    }
    Ok((me, form))
}

/// `POST /staff/cases/{id}`: one staff action, with the session's CSRF token.
pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (SignedIn, ActionForm) =
        match staff_form(&state, &head, body, &format!("/staff/cases/{id}")).await {
            Ok(signed) => signed,
            Err(response) => return response,
        };
    let Ok(case_id) = id.parse::<i64>() else {
        return message::refusal(&head.headers, head.uri.path(), ApiError::NotFound);
    };
    let actor = app::cases::actor_of(&me);
    if form.action == app::views::SHOW_CONTACT {
        // The case page again, this time with the contact details if the rules allow
        // (the showing is logged by the service).
        if let Err(e) = state.cases.case_for(&actor, case_id, false).await {
            return message::refusal(&head.headers, head.uri.path(), ApiError::from(e));
        }
        return render_page(state, head, app::views::RevealContact, StatusCode::OK).await;
    }
    match state.cases.act(&actor, case_id, &form).await {
        Ok(_) => {
            // After a transfer is declined or taken elsewhere, the case may no longer be the
            // actor's to see: their inbox, then, not a "not found".
            let still_visible = state.cases.case_for(&actor, case_id, false).await.is_ok();
            let action = app::domain::case::ActionKind::parse(&form.action)
                .map(|a| a.code())
                .unwrap_or("");
            if still_visible {
                see_other(format!("/staff/cases/{case_id}?done={action}"))
            } else {
                see_other(format!("/staff?done={action}"))
            }
        }
        Err(e) => {
            let error = ApiError::from(e);
            // A case that changed out of the viewer's sight (taken by a colleague): say so
            // on a page of its own, since the case page is no longer theirs to see.
            let still_visible = error != ApiError::CaseChanged
                || state.cases.case_for(&actor, case_id, false).await.is_ok();
            match error {
                ApiError::Invalid(_) | ApiError::CaseChanged if still_visible => {
                    let status = status_of(&error);
                    let echo = ActionEcho {
                        changed: error == ApiError::CaseChanged,
                        errors: match error {
                            ApiError::Invalid(errors) => errors,
                            _ => FieldErrors::default(),
                        },
                        form: ActionForm {
                            csrf_token: String::new(),
                            ..form
                        },
                    };
                    render_page(state, head, echo, status).await
                }
                other => message::refusal(&head.headers, head.uri.path(), other),
            }
        }
    }
}

/// `GET /staff/photos/{id}`: a case photo, for staff who may see the case.
pub async fn photo(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let me = match staff_of(&state, &headers).await {
        Ok(Some(me)) => me,
        Ok(None) => return see_other("/staff/login".into()),
        Err(response) => return response,
    };
    match state.cases.photo_for(&app::cases::actor_of(&me), &id).await {
        Ok((kind, bytes)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(kind.mime())),
                (CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => message::refusal(&headers, "/staff/photos", ApiError::from(e)),
    }
}
