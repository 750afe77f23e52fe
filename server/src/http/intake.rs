//! `POST /staff/intake`: a complaint received by telephone, letter, e-mail or in person,
//! entered by a department head or the supervision bureau. The answer is the intake page
//! again: with the complaint's number and tracking address (201), or with the problems and
//! what was typed (422).

use super::cases::{StaffForm, staff_form};
use super::forms::render_page;
use super::message;
use app::cases::CaseError;
use app::domain::intake::IntakeForm;
use app::error::ApiError;
use app::state::AppState;
use app::views::IntakeEcho;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;

impl StaffForm for IntakeForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

pub async fn take_in(State(state): State<AppState>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let (me, form): (_, IntakeForm) = match staff_form(&state, &head, body, "/staff/intake").await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let locale = message::locale_of(&head.headers);
    match state.cases.take_in(&app::cases::actor_of(&me), &form, locale).await {
        Ok(filed) => {
            tracing::info!(case_id = filed.case_id, staff_id = me.staff_id, again = filed.again, "staff entered a complaint");
            let link = state.cases.tracking_link(filed.token.as_str());
            let echo = IntakeEcho { taken: Some((filed.case_id, link)), ..Default::default() };
            // The same form again (its answer lost): the same complaint, nothing new made.
            let status = if filed.again { StatusCode::OK } else { StatusCode::CREATED };
            render_page(state, head, echo, status).await
        }
        Err(CaseError::Invalid(errors)) => {
            let echo = IntakeEcho { form, errors, taken: None };
            render_page(state, head, echo, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => message::refusal(&head.headers, head.uri.path(), ApiError::from(error)),
    }
}
