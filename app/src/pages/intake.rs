//! `/staff/intake` (department heads and the supervision bureau): a complaint a citizen
//! made by telephone, letter, e-mail or in person, entered with the web form's own fields,
//! how it reached the office and the day it did. A plain post to `/staff/intake`; the answer
//! is this page again, with the problems and what was typed, or with the complaint's number
//! and the tracking address to give the citizen.

use super::cases::{failure, sign_in_redirect};
use super::complain::complaint_fields;
use super::layout::{FormErrors, problem_text};
use super::supervision::StaffNav;
use super::use_strings;
use crate::api::load_intake;
use crate::domain::Field;
use crate::domain::intake::Medium;
use crate::views::{HallGroup, IntakeEcho};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn IntakePage() -> impl IntoView {
    let s = use_strings();
    // Read before any resource, in the same order on server and client.
    let echo = SharedValue::new(|| use_context::<IntakeEcho>().unwrap_or_default()).into_inner();
    // A fresh key per page: the same form sent twice is one complaint.
    let submission = SharedValue::new(new_submission_key).into_inner();
    let page = Resource::new(|| (), |_| load_intake());
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let (echo, submission) = (echo.clone(), submission.clone());
                move || {
                    let (echo, submission) = (echo.clone(), submission.clone());
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some((me, halls))) => view! {
                                <StaffNav role=me.role/>
                                <IntakeBody echo halls csrf=me.csrf_token.clone() submission/>
                            }
                            .into_any(),
                            Ok(None) => sign_in_redirect(s, "/staff/intake".into()),
                            Err(e) => failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn IntakeBody(echo: IntakeEcho, halls: Vec<HallGroup>, csrf: String, submission: String) -> impl IntoView {
    let s = use_strings();
    let w = s.channels;
    let errors = echo.errors.clone();
    let title = if errors.is_empty() { w.intake_title.to_string() } else { format!("{}{}", s.error_prefix, w.intake_title) };
    let taken = echo.taken.clone().map(|(id, link)| {
        view! {
            <div class="panel panel-success" role="status">
                <h2>{w.intake_done_heading.replace("{reference}", &id.to_string())}</h2>
                <p>{w.intake_done_text}</p>
                <p><code class="secret-key">{link}</code></p>
                <p><a href=format!("/staff/cases/{id}")>{w.intake_open_case}</a></p>
            </div>
        }
    });
    // After a complaint is saved the form starts afresh.
    let form = if echo.taken.is_some() { Default::default() } else { echo.form.clone() };
    let problem = {
        let errors = errors.clone();
        move |field: Field| problem_text(&errors, field, s)
    };
    let mediums = Medium::ALL
        .into_iter()
        .map(|m| {
            let id = format!("medium-{}", m.code());
            view! {
                <div class="choice-option">
                    <input type="radio" id=id.clone() name="medium" value=m.code() checked=form.medium == m.code()/>
                    <label for=id>{w.medium_names[m.index()]}</label>
                </div>
            }
        })
        .collect_view();
    let medium_error = problem(Field::Medium)
        .map(|m| view! { <p class="field-error" id="medium-error"><span class="visually-hidden">{s.error_prefix}</span>{m}</p> });
    let received_error = problem(Field::ReceivedOn)
        .map(|m| view! { <p class="field-error" id="received_on-error"><span class="visually-hidden">{s.error_prefix}</span>{m}</p> });
    let received_described = if received_error.is_some() { "received_on-hint received_on-error" } else { "received_on-hint" };
    view! {
        <Title text=title/>
        {taken}
        <FormErrors errors=errors.clone() message=None/>
        <h1>{w.intake_title}</h1>
        <p>{w.intake_intro}</p>
        <form method="post" action="/staff/intake" novalidate=true>
            <input type="hidden" name="csrf_token" value=csrf/>
            <input type="hidden" name="submission_id" value=submission/>
            <fieldset aria-describedby=problem(Field::Medium).map(|_| "medium-error")>
                <legend><h2 class="legend-heading">{w.intake_medium_legend}</h2></legend>
                {medium_error}
                {mediums}
            </fieldset>
            <div class="field">
                <label for="received_on">{w.intake_received_on}</label>
                <p class="hint" id="received_on-hint">{w.intake_received_hint}</p>
                {received_error}
                <input type="date" id="received_on" name="received_on" class="input-short" value=form.received_on.clone()
                    aria-describedby=received_described aria-invalid=problem(Field::ReceivedOn).map(|_| "true")/>
            </div>
            {complaint_fields(&form.complaint, &errors, &halls, None)}
            <button type="submit" class="button">{w.intake_button}</button>
        </form>
    }
}

#[cfg(feature = "ssr")]
fn new_submission_key() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Made on the server only; the browser reads the server's.
#[cfg(not(feature = "ssr"))]
fn new_submission_key() -> String {
    String::new()
}
