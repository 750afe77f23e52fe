//! `/track` (enter a tracking code) and `/track/{token}` (a complaint's progress): status,
//! the department answering for it, the deadline, the public timeline, and, once answered,
//! the citizen's "did it help?". Nobody's name appears here, only departments.

use super::layout::{FormErrors, NotFound, encode_component, problem_text};
use super::{set_status, use_locale, use_strings};
use crate::api::load_track;
use crate::domain::{Field, TrackingToken};
use crate::error::ApiError;
use crate::views::{ConfirmEcho, PublicEvent, TrackView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TrackEntryPage() -> impl IntoView {
    let s = use_strings();
    let c = s.cases;
    let query = use_query_map();
    let typed = query.read_untracked().get("token").unwrap_or_default();
    let refused = !typed.trim().is_empty();
    if refused {
        match TrackingToken::parse(&typed) {
            Some(token) => {
                let target = format!("/track/{}", token.as_str());
                #[cfg(feature = "ssr")]
                leptos_axum::redirect(&target);
                #[cfg(not(feature = "ssr"))]
                let _ = target;
                set_status(303);
            }
            None => set_status(404),
        }
    }
    let title = if refused {
        format!("{}{}", s.error_prefix, c.track_title)
    } else {
        c.track_title.to_string()
    };
    view! {
        <Title text=title/>
        {refused.then(|| view! {
            <div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus=true aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{s.error_summary_title}</h2>
                <ul><li><a href="#token" rel="external">{c.track_not_found}</a></li></ul>
            </div>
        })}
        <h1>{c.track_title}</h1>
        <p>{c.track_intro}</p>
        <form method="get" action="/track" class="narrow-form">
            <div class="field">
                <label for="token">{c.tracking_code}</label>
                <p class="hint" id="token-hint">{c.tracking_code_hint}</p>
                <input type="text" id="token" name="token" class="input-token" autocomplete="off" autocapitalize="none" spellcheck="false"
                    maxlength="40" value=typed aria-describedby="token-hint" aria-invalid=refused.then_some("true")/>
            </div>
            <button type="submit" class="button">{c.follow_button}</button>
        </form>
    }
}

fn event_title(s: &'static crate::i18n::Strings, e: &PublicEvent) -> &'static str {
    let c = s.cases;
    match e.kind.as_str() {
        "ask_info" => s.supervision.event_ask_info,
        "citizen_info" => s.supervision.event_citizen_info,
        "finding" => s.supervision.event_finding,
        "unconfirmed" => s.supervision.event_unconfirmed,
        "submit" => c.event_submit,
        "accept" => c.event_accept,
        "reject" => c.event_reject,
        "accept_transfer" => c.event_transferred,
        "reply" => c.event_reply,
        "mark_replied" => c.event_mark_replied,
        "close" => c.event_close,
        "satisfied" => c.event_satisfied,
        "unsatisfied" => c.event_unsatisfied,
        _ => "",
    }
}

#[component]
pub fn TrackPage() -> impl IntoView {
    let s = use_strings();
    let echo = SharedValue::new(|| use_context::<ConfirmEcho>()).into_inner();
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let sent = query.read_untracked().get("sent").is_some();
    let confirmed = query.read_untracked().get("confirmed");
    let notice = query.read_untracked().get("info").map(|_| "info").or_else(|| query.read_untracked().get("mail").map(|_| "mail"));
    let view_of = Resource::new(token, load_track);
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                let confirmed = confirmed.clone();
                move || {
                    let echo = echo.clone();
                    let confirmed = confirmed.clone();
                    let notice = notice;
                    Suspend::new(async move {
                        match view_of.await {
                            Ok(track) => view! { <TrackDetails track token=token() sent confirmed notice echo/> }.into_any(),
                            Err(ApiError::NotFound) => view! { <NotFound title=s.cases.track_title body=s.cases.track_not_found/> }.into_any(),
                            Err(e) => {
                                set_status(503);
                                view! { <Title text=s.unavailable_title/><h1>{s.unavailable_title}</h1><p>{e.message(s)}</p> }.into_any()
                            }
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn TrackDetails(
    track: TrackView,
    token: String,
    sent: bool,
    confirmed: Option<String>,
    notice: Option<&'static str>,
    echo: Option<ConfirmEcho>,
) -> impl IntoView {
    let v = use_strings().supervision;
    let s = use_strings();
    let c = s.cases;
    let locale = use_locale();
    let token = TrackingToken::parse(&token)
        .map(|t| t.as_str().to_string())
        .unwrap_or(token);
    let grouped = TrackingToken::parse(&token)
        .map(|t| t.grouped())
        .unwrap_or_default();
    let path = format!("/track/{}", encode_component(&token));
    let title = format!(
        "{} {} – {}",
        c.reference,
        track.reference,
        c.status_names[track.status.index()]
    );
    let echo = echo.unwrap_or_default();
    let errors = echo.errors.clone();
    let changed = echo.changed.then(|| c.case_changed.to_string());
    let department = match (&track.department, track.status) {
        (Some(d), _) => d.get(locale).to_string(),
        (None, _) => c.not_routed_yet.to_string(),
    };
    let events = track
        .events
        .iter()
        .rev()
        .map(|e| {
            let title = event_title(s, e);
            let department = e.department.as_ref().map(|d| d.get(locale).to_string());
            view! {
                <li class="timeline-item">
                    <p class="timeline-head"><strong>{title}</strong>{department.map(|d| format!(" · {d}"))}</p>
                    <p class="timeline-time"><time>{e.at.clone()}</time></p>
                    {e.body.clone().map(|b| view! { <p class="pre-wrap">{b}</p> })}
                    {e.detail.clone().map(|d| match super::cases::finding_words(s, &d) {
                        Some(words) if e.kind == "finding" => view! { <p>{words}</p> }.into_any(),
                        _ => view! { <p><strong>{c.referral}</strong>{d}</p> }.into_any(),
                    })}
                </li>
            }
        })
        .collect_view();
    let info_step = echo.step == "info";
    let reason_problem = (!info_step).then(|| problem_text(&errors, Field::Body, s)).flatten();
    let info_problem = info_step.then(|| problem_text(&errors, Field::Body, s)).flatten();
    view! {
        <Title text=title/>
        {sent.then(|| view! {
            <div class="panel panel-success" role="status">
                <h1 id="sent-heading" tabindex="-1" autofocus=true>{c.sent_title}</h1>
                <p>{c.sent_body}</p>
                <p>{c.tracking_link}": "<a href=path.clone() class="token-link">{path.clone()}</a></p>
                <p>{c.tracking_code}": "<strong class="token">{grouped.clone()}</strong></p>
            </div>
        })}
        {confirmed.map(|answer| view! {
            <div class="panel panel-success" role="status">
                <p>{if answer == "satisfied" { c.confirmed_satisfied } else { c.confirmed_unsatisfied }}</p>
            </div>
        })}
        {notice.map(|n| view! {
            <div class="panel panel-success" role="status">
                <p>{if n == "info" { v.info_sent } else { v.mail_stopped }}</p>
            </div>
        })}
        <FormErrors errors=errors.clone() message=changed/>
        {if sent {
            view! { <h2>{c.reference}" "{track.reference}</h2> }.into_any()
        } else {
            view! { <h1>{c.reference}" "{track.reference}</h1> }.into_any()
        }}
        <dl class="summary-list">
            <div class="summary-row"><dt>{c.status}</dt><dd><strong>{c.status_names[track.status.index()]}</strong></dd></div>
            {track.category.map(|cat| view! { <div class="summary-row"><dt>{c.category_legend}</dt><dd>{s.category_names[cat.index()]}</dd></div> })}
            <div class="summary-row"><dt>{c.responsible}</dt><dd>{department}</dd></div>
            {track.transfer_to.as_ref().map(|d| view! { <div class="summary-row"><dt>{c.transfer_to}</dt><dd>{d.get(locale).to_string()}</dd></div> })}
            {track.due_on.clone().map(|d| view! {
                <div class="summary-row"><dt>{c.due_by}</dt><dd>{d}{track.due_in.map(|n| view! { " " <strong class=if n < 0 { "tag tag-warning" } else { "tag" }>{c.due_words(n)}</strong> })}</dd></div>
            })}
            {track.awaiting_citizen.then(|| view! { <div class="summary-row"><dt>{c.due_by}</dt><dd><strong class="tag tag-warning">{v.awaiting_you}</strong></dd></div> })}
            <div class="summary-row"><dt>{c.submitted_on}</dt><dd>{track.submitted_on.clone()}</dd></div>
        </dl>

        {track.awaiting_citizen.then(|| view! {
            <section class="confirm" aria-labelledby="info-heading">
                <h2 id="info-heading">{v.info_legend}</h2>
                <p class="hint" id="info-hint">{v.info_hint}</p>
                <form method="post" action=path.clone() class="narrow-form">
                    <input type="hidden" name="version" value=track.version.to_string()/>
                    <input type="hidden" name="step" value="info"/>
                    <div class="field">
                        <label for="info">{v.info_legend}</label>
                        {info_problem.map(|m| view! { <p class="field-error" id="info-error"><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })}
                        <textarea id="info" name="body" rows="5" maxlength="4000"
                            aria-describedby=if info_problem.is_some() { "info-hint info-error" } else { "info-hint" } aria-invalid=info_problem.map(|_| "true")>
                            {super::rate::textarea_text(if info_step { &echo.reason } else { "" })}
                        </textarea>
                    </div>
                    <button type="submit" class="button">{v.info_button}</button>
                </form>
            </section>
        })}

        {(track.can_confirm).then(|| view! {
            <section class="confirm" aria-labelledby="confirm-heading">
                <h2 id="confirm-heading">{c.confirm_legend}</h2>
                <p class="hint">{c.confirm_hint}</p>
                <form method="post" action=path.clone()>
                    <input type="hidden" name="version" value=track.version.to_string()/>
                    <input type="hidden" name="answer" value="satisfied"/>
                    <button type="submit" class="button">{c.satisfied_button}</button>
                </form>
                <form method="post" action=path.clone() class="narrow-form">
                    <input type="hidden" name="version" value=track.version.to_string()/>
                    <input type="hidden" name="answer" value="unsatisfied"/>
                    <div class="field">
                        <label for="body">{c.unsatisfied_reason}</label>
                        {reason_problem.map(|m| view! { <p class="field-error" id="body-error"><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })}
                        <textarea id="body" name="body" rows="4" maxlength="1000"
                            aria-describedby=reason_problem.map(|_| "body-error") aria-invalid=reason_problem.map(|_| "true")>
                            {super::rate::textarea_text(&echo.reason)}
                        </textarea>
                    </div>
                    <button type="submit" class="button button-secondary">{c.unsatisfied_button}</button>
                </form>
            </section>
        })}

        <h2>{c.timeline}</h2>
        <ol class="timeline" reversed=true>{events}</ol>

        {track.mail_on.then(|| view! {
            <section aria-labelledby="mail-heading">
                <h2 id="mail-heading">{v.stop_mail_legend}</h2>
                <p class="hint">{v.stop_mail_hint}</p>
                <form method="post" action=path.clone()>
                    <input type="hidden" name="step" value="stop_mail"/>
                    <button type="submit" class="button button-secondary">{v.stop_mail_button}</button>
                </form>
            </section>
        })}
    }
}
