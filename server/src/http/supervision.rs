//! The supervision area's plain form posts: comments on and closing of supervision orders
//! (`/staff/orders/{id}`), loading the working-day calendar (`/staff/calendar`, multipart),
//! retrying a dead letter (`/staff/mail/{id}/retry`), and a department's report as CSV
//! (`GET /staff/departments/{id}/report.csv`). Each checks the session, its CSRF token
//! and, through the case service, the role.

use super::cases::{StaffForm, staff_form, staff_of};
use super::forms::render_page;
use super::message;
use app::cases::{CalendarRefusal, CaseService};
use app::error::ApiError;
use app::staff::auth::same_secret;
use app::state::AppState;
use app::views::{CalendarEcho, OrderEcho, OrderForm};
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
}

/// Where an order form may send its author back: the orders page or a case page.
fn safe_back(back: &str) -> String {
    let ok = back == "/staff/orders"
        || back
            .strip_prefix("/staff/cases/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
    if ok { back.to_string() } else { "/staff/orders".to_string() }
}

/// `POST /staff/orders/{id}`: `step=comment` or `step=close`, with a text.
pub async fn order(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (mut head, body) = request.into_parts();
    let (me, form): (_, OrderForm) = match staff_form(&state, &head, body, "/staff/orders").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let Ok(order_id) = id.parse::<i64>() else {
        return message::refusal(&head.headers, head.uri.path(), ApiError::NotFound);
    };
    let actor = app::cases::actor_of(&me);
    let outcome = match form.step.as_str() {
        "comment" => state.cases.comment_on_order(&actor, order_id, &form.body).await,
        "close" => state.cases.close_order(&actor, order_id, &form.body).await,
        _ => return message::refusal(&head.headers, head.uri.path(), ApiError::BadRequest),
    };
    let back = safe_back(&form.back);
    match outcome.map_err(ApiError::from) {
        Ok(()) => see_other(back),
        Err(ApiError::Invalid(errors)) => {
            // The page the form was on, again, with the problem beside the field.
            head.uri = back.parse::<Uri>().unwrap_or_else(|_| Uri::from_static("/staff/orders"));
            head.method = axum::http::Method::GET;
            let echo = OrderEcho {
                order_id,
                step: form.step.clone(),
                body: form.body.chars().take(2000).collect(),
                errors,
            };
            render_page(state, head, echo, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => message::refusal(&head.headers, head.uri.path(), other),
    }
}

/// `POST /staff/calendar`: an administrator loads a calendar file.
pub async fn calendar(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let path = request.uri().path().to_string();
    let me = match staff_of(&state, &headers).await {
        Ok(Some(me)) => me,
        Ok(None) => return see_other("/staff/login?next=/staff/calendar".into()),
        Err(response) => return response,
    };
    let (head, _) = Request::new(axum::body::Body::empty()).into_parts();
    let mut head = head;
    head.headers = headers.clone();
    head.uri = Uri::from_static("/staff/calendar");
    let mut multipart = match Multipart::from_request(request, &state).await {
        Ok(m) => m,
        Err(_) => return message::refusal(&headers, &path, ApiError::BadRequest),
    };
    let mut csrf = String::new();
    let mut file: Option<Vec<u8>> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let Ok(bytes) = field.bytes().await else {
                    return message::too_large(&headers, &path);
                };
                match name.as_str() {
                    "csrf_token" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
                    "file" => file = Some(bytes.to_vec()),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return message::refusal(&headers, &path, ApiError::BadRequest),
        }
    }
    if !same_secret(&csrf, &me.csrf_token) {
        return message::cross_site(&headers, &path);
    }
    let actor = app::cases::actor_of(&me);
    let refused = |echo: CalendarEcho| render_page(state.clone(), head, echo, StatusCode::UNPROCESSABLE_ENTITY);
    let Some(text) = file.and_then(|bytes| String::from_utf8(bytes).ok()) else {
        return refused(CalendarEcho {
            lines: vec![(1, app::views::CalendarProblem::NotText)],
            ..CalendarEcho::default()
        })
        .await;
    };
    match state.cases.load_calendar(&actor, &text).await {
        Ok(days) => see_other(format!("/staff/calendar?loaded={days}")),
        Err(CalendarRefusal::Lines(lines)) => {
            refused(CalendarEcho {
                lines: lines.into_iter().map(|l| (l.line, l.reason)).collect(),
                ..CalendarEcho::default()
            })
            .await
        }
        Err(CalendarRefusal::Empty) => {
            refused(CalendarEcho {
                empty: true,
                ..CalendarEcho::default()
            })
            .await
        }
        Err(CalendarRefusal::Forbidden) => message::refusal(&headers, &path, ApiError::Forbidden),
        Err(CalendarRefusal::Unavailable) => {
            message::refusal(&headers, &path, ApiError::Unavailable)
        }
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

impl StaffForm for CsrfOnly {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl StaffForm for OrderForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// `POST /staff/mail/{id}/retry`: an administrator sends a dead letter again.
pub async fn retry_mail(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (head, body) = request.into_parts();
    let (me, _): (_, CsrfOnly) = match staff_form(&state, &head, body, "/staff/mail").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let Ok(mail_id) = id.parse::<i64>() else {
        return message::refusal(&head.headers, head.uri.path(), ApiError::NotFound);
    };
    match state
        .cases
        .retry_mail(&app::cases::actor_of(&me), mail_id)
        .await
    {
        Ok(()) => see_other("/staff/mail?retried=1".into()),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

impl StaffForm for app::views::HoldForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// `POST /staff/holds`: the supervision bureau releases or rejects a line of held ratings.
pub async fn decide_holds(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, app::views::HoldForm) = match staff_form(&state, &head, body, "/staff/holds").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match state.ratings.decide_holds(&app::cases::actor_of(&me), &form).await {
        Ok(decided) => see_other(format!("/staff/holds?decided={decided}")),
        Err(e) => message::refusal(&head.headers, head.uri.path(), ApiError::from(e)),
    }
}

#[derive(Deserialize)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /staff/departments/{id}/report.csv?from=&to=`.
pub async fn department_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(period): Query<Period>,
    headers: HeaderMap,
) -> Response {
    let me = match staff_of(&state, &headers).await {
        Ok(Some(me)) => me,
        Ok(None) => return see_other("/staff/login".into()),
        Err(response) => return response,
    };
    let Ok(department_id) = id.parse::<i64>() else {
        return message::refusal(&headers, "/staff/departments", ApiError::NotFound);
    };
    match state
        .cases
        .department_report(&app::cases::actor_of(&me), department_id, &period.from, &period.to)
        .await
    {
        Ok(report) => {
            let name = format!(
                "attachment; filename=\"department-{}-{}-{}.csv\"",
                report.id, report.from, report.to
            );
            (
                [
                    (CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                    (CACHE_CONTROL, HeaderValue::from_static("no-store")),
                    (
                        CONTENT_DISPOSITION,
                        HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment")),
                    ),
                ],
                CaseService::department_csv(&report),
            )
                .into_response()
        }
        Err(e) => message::refusal(&headers, "/staff/departments", ApiError::from(e)),
    }
}
