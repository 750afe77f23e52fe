//! The staff side of cases: `/staff` (the inbox, with filters) and `/staff/cases/{id}`
//! (the case: its facts, the full timeline, and the actions the viewer's role allows in
//! the case's state). Every action is a plain form post with the session's CSRF token;
//! the server checks role and ownership again whatever the page offered.

use super::layout::encode_component;
use super::{set_status, use_locale, use_strings};
use crate::api::{StaffView, load_case, load_inbox};
use crate::domain::case::{ActionKind, CaseKind, Finding, FollowUpHow, Measure, Status};
use crate::domain::{Category, Field, FieldErrors};
use crate::error::ApiError;
use crate::i18n::{CaseStrings, Strings};
use crate::views::{ActionEcho, CaseView, ContactView, InboxFilter, InboxView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(super) fn sign_in_redirect(s: &'static Strings, next: String) -> AnyView {
    let login = format!("/staff/login?next={}", encode_component(&next));
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&login);
    set_status(303);
    view! {
        <h1>{s.staff_home_title}</h1>
        <p>{s.sign_in_needed}" "<a href=login>{s.sign_in}</a></p>
    }
    .into_any()
}

pub(super) fn failure(s: &'static Strings, e: ApiError) -> AnyView {
    set_status(e.status());
    let title = match e {
        ApiError::NotFound => s.page_not_found_title,
        ApiError::Forbidden => s.cases.forbidden_body,
        _ => s.unavailable_title,
    };
    view! { <Title text=title/><h1>{title}</h1><p>{e.message(s)}</p><p><a href="/staff">{s.cases.back_to_inbox}</a></p> }
        .into_any()
}

fn scope_name(c: &CaseStrings, scope: &str) -> &'static str {
    match scope {
        "mine" => c.scope_names[0],
        "department" => c.scope_names[1],
        "all" => c.scope_names[2],
        "escalated" => c.scope_names[3],
        _ => c.scope_names[4],
    }
}

fn kind_name(c: &CaseStrings, kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Complaint => c.kind_names[0],
        CaseKind::RatingFollowUp => c.kind_names[1],
    }
}

/// `/staff`: who is signed in, and their cases.
#[component]
pub fn InboxPage() -> impl IntoView {
    let s = use_strings();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        InboxFilter {
            scope: get("scope"),
            status: get("status"),
            category: get("category"),
            kind: get("kind"),
            due: get("due"),
        }
    };
    let inbox = Resource::new(filter, load_inbox);
    let done = query
        .read_untracked()
        .get("done")
        .as_deref()
        .and_then(ActionKind::parse)
        .map(|a| format!("{}{}", s.cases.done, action_name(s.cases, a)));
    view! {
        <Title text=s.cases.inbox_title/>
        {done.map(|t| view! { <div class="panel panel-success" role="status"><p>{t}</p></div> })}
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(Some((me, inbox))) => view! { <Inbox me inbox/> }.into_any(),
                    Ok(None) => sign_in_redirect(s, "/staff".into()),
                    Err(e) => failure(s, e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Inbox(me: StaffView, inbox: InboxView) -> impl IntoView {
    let s = use_strings();
    let c = s.cases;
    let locale = use_locale();
    let f = inbox.filter.clone();
    let scopes = inbox
        .scopes
        .iter()
        .map(|scope| view! { <option value=scope.clone() selected=f.scope == *scope>{scope_name(c, scope)}</option> })
        .collect_view();
    let statuses = Status::ALL
        .into_iter()
        .map(|st| view! { <option value=st.code() selected=f.status == st.code()>{c.status_names[st.index()]}</option> })
        .collect_view();
    let categories = Category::ALL
        .into_iter()
        .map(|cat| view! { <option value=cat.code() selected=f.category == cat.code()>{s.category_names[cat.index()]}</option> })
        .collect_view();
    let lines = inbox
        .lines
        .iter()
        .map(|l| {
            let href = format!("/staff/cases/{}", l.id);
            let what = match (l.kind, l.category) {
                (CaseKind::Complaint, Some(cat)) => s.category_names[cat.index()].to_string(),
                (kind, _) => kind_name(c, kind).to_string(),
            };
            view! {
                <tr>
                    <td><a href=href>{format!("{} {}", c.case_number, l.id)}</a></td>
                    <td>{what}{l.escalated.then(|| view! { " " <span class="tag tag-warning">{c.escalated}</span> })}</td>
                    <td>{c.status_names[l.status.index()]}</td>
                    <td>{l.department.as_ref().map(|d| d.get(locale).to_string()).unwrap_or_default()}{l.counter.clone().map(|ct| format!(" · {ct}"))}</td>
                    <td>{l.due_on.clone().unwrap_or_default()}{l.due_in.map(|n| view! { " " <span class=match n { n if n < 0 => "tag tag-warning", 0 => "tag tag-today", _ => "tag" }>{c.due_words(n)}</span> })}</td>
                    <td>{l.submitted_on.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = inbox.lines.is_empty();
    view! {
        <super::supervision::StaffNav role=me.role/>
        <h1>{c.inbox_title}</h1>
        <p class="staff-line">{s.signed_in_as}<strong>{me.display_name.clone()}</strong>" · "{s.role_names[me.role.index()]}
            {me.department.as_ref().map(|d| format!(" · {}", d.get(locale)))}</p>
        <form method="post" action="/staff/logout" class="inline-form">
            <input type="hidden" name="csrf_token" value=me.csrf_token.clone()/>
            <button type="submit" class="button button-secondary button-small">{s.sign_out}</button>
        </form>
        " "<a href="/staff/password">{s.accounts.own_link}</a>
        " · "<a href="/staff/second-factor">{s.accounts.factor_link}</a>
        {(!inbox.scopes.is_empty()).then(|| view! {
        <form method="get" action="/staff" class="filters">
            <div class="field">
                <label for="scope">{c.scope_label}</label>
                <select id="scope" name="scope">{scopes}</select>
            </div>
            <div class="field">
                <label for="status">{c.filter_status}</label>
                <select id="status" name="status">
                    <option value="open" selected=f.status.is_empty() || f.status == "open">{c.open_cases}</option>
                    <option value="all" selected=f.status == "all">{c.all_cases}</option>
                    {statuses}
                </select>
            </div>
            <div class="field">
                <label for="category">{c.filter_category}</label>
                <select id="category" name="category">
                    <option value="">{c.any}</option>
                    {categories}
                </select>
            </div>
            <div class="field">
                <label for="kind">{c.filter_kind}</label>
                <select id="kind" name="kind">
                    <option value="">{c.any}</option>
                    <option value="complaint" selected=f.kind == "complaint">{c.kind_names[0]}</option>
                    <option value="rating_followup" selected=f.kind == "rating_followup">{c.kind_names[1]}</option>
                </select>
            </div>
            <div class="field">
                <label for="due">{c.filter_due}</label>
                <select id="due" name="due">
                    <option value="">{c.any}</option>
                    <option value="overdue" selected=f.due == "overdue">{c.due_overdue}</option>
                    <option value="soon" selected=f.due == "soon">{c.due_soon}</option>
                </select>
            </div>
            <button type="submit" class="button button-secondary">{c.filter_button}</button>
        </form>
        })}
        <h2 id="cases-heading">{c.cases_heading}</h2>
        {if empty {
            view! { <p>{c.no_cases}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" aria-labelledby="cases-heading" tabindex="0">
                    <table class="cases">
                        <thead><tr>
                            <th scope="col">{c.case_number}</th>
                            <th scope="col">{c.filter_category}</th>
                            <th scope="col">{c.filter_status}</th>
                            <th scope="col">{c.department}</th>
                            <th scope="col">{c.due_by}</th>
                            <th scope="col">{c.submitted_on}</th>
                        </tr></thead>
                        <tbody>{lines}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// `/staff/cases/{id}`.
#[component]
pub fn CasePage() -> impl IntoView {
    let s = use_strings();
    let echo = SharedValue::new(|| use_context::<ActionEcho>()).into_inner();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params
            .read()
            .get("id")
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(0);
        id
    };
    let done = query.read_untracked().get("done");
    let case = Resource::new(key, load_case);
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                let done = done.clone();
                move || {
                    let echo = echo.clone();
                    let done = done.clone();
                    Suspend::new(async move {
                        match case.await {
                            Ok(Some(case)) => view! { <CaseDetails case echo done/> }.into_any(),
                            Ok(None) => sign_in_redirect(s, format!("/staff/cases/{}", key())),
                            Err(e) => failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn action_name(c: &CaseStrings, action: ActionKind) -> &'static str {
    c.action_names[action.index()]
}

fn event_name(s: &'static Strings, kind: &str) -> &'static str {
    if kind == "submit" {
        return s.cases.event_submitted_staff;
    }
    ActionKind::parse(kind)
        .map(|a| action_name(s.cases, a))
        .unwrap_or("")
}

#[component]
fn CaseDetails(case: CaseView, echo: Option<ActionEcho>, done: Option<String>) -> impl IntoView {
    let s = use_strings();
    let c = s.cases;
    let locale = use_locale();
    let echo = echo.unwrap_or_default();
    let failed_action = ActionKind::parse(&echo.form.action);
    let has_problem = !echo.errors.is_empty() || echo.changed;
    let title = format!(
        "{}{} {} – {}",
        if has_problem { s.error_prefix } else { "" },
        c.case_title,
        case.id,
        c.status_names[case.status.index()]
    );
    let done_text = done
        .as_deref()
        .and_then(ActionKind::parse)
        .map(|a| format!("{}{}", c.done, action_name(c, a)));
    let summary = has_problem.then(|| {
        let prefix = failed_action.map(|a| a.code()).unwrap_or("action");
        let items = echo
            .errors
            .0
            .iter()
            .map(|(field, problem)| {
                view! { <li><a href=format!("#{prefix}-{}", field.id()) rel="external">{problem.message(s)}</a></li> }
            })
            .collect_view();
        view! {
            <div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus=true aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{s.error_summary_title}</h2>
                <ul>{echo.changed.then(|| view! { <li>{c.case_changed}</li> })}{items}</ul>
            </div>
        }
    });

    let place = [
        case.hall.as_ref().map(|h| h.get(locale).to_string()),
        case.counter
            .as_ref()
            .map(|(code, name)| format!("{code} {}", name.get(locale))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let what = match (case.kind, case.category) {
        (CaseKind::Complaint, Some(cat)) => s.category_names[cat.index()].to_string(),
        (kind, _) => kind_name(c, kind).to_string(),
    };
    let row = |label: &'static str, value: String| view! { <div class="summary-row"><dt>{label}</dt><dd>{value}</dd></div> };

    let contact = match &case.contact {
        ContactView::Anonymous => view! { <p>{c.complainant_anonymous}</p> }.into_any(),
        ContactView::Withheld => view! { <p>{c.complainant_withheld}</p> }.into_any(),
        ContactView::OnRequest => view! {
            // A POST with the session's CSRF token: showing them is a logged act.
            <form method="post" action=format!("/staff/cases/{}", case.id)>
                <input type="hidden" name="csrf_token" value=case.csrf_token.clone()/>
                <input type="hidden" name="action" value=crate::views::SHOW_CONTACT/>
                <button type="submit" class="button button-secondary">{c.show_contact}</button>
            </form>
        }.into_any(),
        ContactView::Shown { name, email, phone, views } => view! {
            <dl class="summary-list">
                {row(c.your_name, name.clone())}
                {email.clone().map(|e| row(c.email, e))}
                {phone.clone().map(|p| row(c.phone, p))}
            </dl>
            <p class="hint">{c.contact_views}": "{views.iter().map(|(who, at)| format!("{who} ({at})")).collect::<Vec<_>>().join("; ")}</p>
        }.into_any(),
    };

    let events = case
        .events
        .iter()
        .rev()
        .map(|e| {
            let status_change = match (e.from_status, e.to_status) {
                (Some(from), Some(to)) if from != to => Some(format!("{} → {}", c.status_names[from.index()], c.status_names[to.index()])),
                _ => None,
            };
            let about = [e.department.as_ref().map(|d| d.get(locale).to_string()), e.staff.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <li class=if e.public { "timeline-item" } else { "timeline-item timeline-internal" }>
                    <p class="timeline-head">
                        <strong>{event_name(s, &e.kind)}</strong>
                        {(!about.is_empty()).then(|| format!(" · {about}"))}
                        " "<span class=if e.public { "tag" } else { "tag tag-internal" }>{if e.public { c.public_label } else { c.internal }}</span>
                    </p>
                    <p class="timeline-time"><time>{e.at.clone()}</time>{e.actor.clone().map(|a| format!(" · {}{a}", c.by))}{status_change.map(|t| format!(" · {t}"))}</p>
                    {e.body.clone().map(|b| view! { <p class="pre-wrap">{b}</p> })}
                    {e.detail.clone().map(|d| {
                        let d = FollowUpHow::parse(&d)
                            .map(|h| c.how_names[h.index()].to_string())
                            .or_else(|| finding_words(s, &d))
                            .or_else(|| match d.as_str() {
                                "department" => Some(s.supervision.order_levels[0].to_string()),
                                "bureau" => Some(s.supervision.order_levels[1].to_string()),
                                _ => None,
                            })
                            .unwrap_or(d);
                        view! { <p class="pre-wrap">{d}</p> }
                    })}
                </li>
            }
        })
        .collect_view();

    let photos = case
        .photos
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let label = format!("{} {}", c.photo_n, i + 1);
            view! { <li><a href=format!("/staff/photos/{id}") target="_blank" rel="noopener">{label}</a></li> }
        })
        .collect_view();

    let forms = case
        .actions
        .iter()
        .map(|&action| {
            let echo_here = (failed_action == Some(action)).then(|| echo.clone());
            view! { <ActionFormView case=case.clone() action echo=echo_here/> }
        })
        .collect_view();

    let v = s.supervision;
    let orders = case
        .orders
        .iter()
        .map(|o| view! { <super::supervision::OrderCard order=o.clone() csrf_token=case.csrf_token.clone() back=format!("/staff/cases/{}", case.id)/> })
        .collect_view();
    let findings = case
        .findings
        .iter()
        .map(|f| {
            let against = [f.department.as_ref().map(|d| d.get(locale).to_string()), f.staff.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <li>
                    <strong>{v.finding_names[f.finding.index()]}</strong>" · "{v.measure_names[f.measure.index()]}
                    {(!against.is_empty()).then(|| format!(" · {against}"))}
                    <p class="pre-wrap">{f.reason.clone()}</p>
                    <p class="hint">{f.at.clone()}" · "{c.by}{f.recorded_by.clone()}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=title/>
        <p class="back-link"><a href="/staff">{c.back_to_inbox}</a></p>
        {summary}
        {done_text.map(|t| view! { <div class="panel panel-success" role="status"><p>{t}</p></div> })}
        <h1>{format!("{} {}", c.case_title, case.id)}</h1>
        <dl class="summary-list">
            {row(c.kind, what)}
            <div class="summary-row"><dt>{c.status}</dt><dd><strong>{c.status_names[case.status.index()]}</strong>{case.escalated.then(|| view! { " " <span class="tag tag-warning">{c.escalated}</span> })}</dd></div>
            {(!place.is_empty()).then(|| row(c.place, place.clone()))}
            {row(c.responsible, case.department.as_ref().map(|d| d.get(locale).to_string()).unwrap_or_else(|| c.not_routed_yet.to_string()))}
            {case.transfer_to.as_ref().map(|d| row(c.transfer_to, d.get(locale).to_string()))}
            {case.occurred.clone().map(|o| row(c.occurred, o))}
            {case.rating_level.map(|l| row(c.rating_level, format!("{l} – {}", s.level_names[(l.clamp(1, 5) - 1) as usize])))}
            {row(c.first_responder, case.first_responder.clone().unwrap_or_else(|| c.nobody_yet.to_string()))}
            {row(c.handler, case.handler.clone().unwrap_or_else(|| c.nobody_yet.to_string()))}
            {(!case.kept_away.is_empty()).then(|| {
                let who = case
                    .kept_away
                    .iter()
                    .map(|(name, why)| {
                        let i = match why.as_str() { "named" => 0, "counter" => 1, _ => 2 };
                        format!("{name} ({})", c.kept_why_names[i])
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                row(c.kept_away, who)
            })}
            {case.due_on.clone().map(|d| view! {
                <div class="summary-row"><dt>{c.due_by}</dt><dd>{d}{case.due_in.map(|n| view! { " " <strong class=if n < 0 { "tag tag-warning" } else { "tag" }>{c.due_words(n)}</strong> })}</dd></div>
            })}
            {case.awaiting_citizen.then(|| row(c.due_by, v.paused.to_string()))}
            {row(c.submitted_on, case.submitted_at.clone())}
            {case.channel.clone().map(|name| row(s.channels.channel_label, name))}
            {case.received.clone().map(|(medium, on)| row(s.channels.channel_label, format!("{} – {} {on}", s.channels.medium_names[medium.index()], s.channels.intake_received_on)))}
            {case.appeal.clone().map(|(status, reason)| {
                let i = match status.as_str() { "pending" => 0, "upheld" => 1, _ => 2 };
                row(c.appeal_label, format!("{} – {reason}", c.appeal_status_names[i]))
            })}
        </dl>
        <h2>{c.what_happened}</h2>
        <p class="pre-wrap case-text">{case.description.clone()}</p>
        {case.staff_named.clone().map(|n| view! { <p><strong>{c.staff_named}": "</strong>{n}</p> })}
        {(!case.photos.is_empty()).then(|| view! { <h2>{c.photos}</h2><ul class="photo-links">{photos}</ul> })}
        {(case.kind == CaseKind::Complaint).then(|| view! { <h2>{c.complainant}</h2> })}
        {(case.kind == CaseKind::Complaint).then_some(contact)}
        {(!case.orders.is_empty()).then(|| view! { <h2>{v.orders_title}</h2><div class="orders">{orders}</div> }.into_any())}
        {(!case.findings.is_empty()).then(|| view! { <h2>{v.findings_heading}</h2><ul class="findings">{findings}</ul> }.into_any())}
        <h2>{c.actions_heading}</h2>
        {if case.actions.is_empty() { Some(view! { <p>{c.no_actions}</p> }) } else { None }}
        <div class="action-forms">{forms}</div>
        <h2>{c.timeline}</h2>
        <ol class="timeline" reversed=true>{events}</ol>
    }
}

fn field_problem(
    echo: &Option<ActionEcho>,
    field: Field,
    s: &'static Strings,
) -> Option<&'static str> {
    echo.as_ref()
        .and_then(|e| e.errors.get(field))
        .map(|p| p.message(s))
}

#[component]
fn ActionFormView(case: CaseView, action: ActionKind, echo: Option<ActionEcho>) -> impl IntoView {
    let s = use_strings();
    let c = s.cases;
    let locale = use_locale();
    let code = action.code();
    let typed = echo.as_ref().map(|e| e.form.clone()).unwrap_or_default();
    let errors: FieldErrors = echo.as_ref().map(|e| e.errors.clone()).unwrap_or_default();
    let _ = errors;
    let text_field = |field: Field,
                      label: &'static str,
                      hint: Option<&'static str>,
                      value: String,
                      rows: &'static str,
                      required: bool| {
        let name = if field == Field::Detail {
            "detail"
        } else {
            "body"
        };
        let id = format!("{code}-{}", field.id());
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let problem = field_problem(&echo, field, s);
        let described = [
            hint.map(|_| hint_id.clone()),
            problem.map(|_| error_id.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                {problem.map(|m| view! { <p class="field-error" id=error_id.clone()><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })}
                <textarea id=id name=name rows=rows maxlength="4000" required=required
                    aria-describedby=(!described.is_empty()).then_some(described)
                    aria-invalid=problem.map(|_| "true")>
                    {super::rate::textarea_text(&value)}
                </textarea>
            </div>
        }
    };
    let fields = match action {
        ActionKind::Reject => view! {
            {text_field(Field::Body, c.reason, None, typed.body.clone(), "3", true)}
            {text_field(Field::Detail, c.referral_label, None, typed.detail.clone(), "2", false)}
        }
        .into_any(),
        ActionKind::DeclineTransfer | ActionKind::Appeal => {
            text_field(Field::Body, c.reason, None, typed.body.clone(), "3", true).into_any()
        }
        ActionKind::AskInfo => text_field(
            Field::Body,
            s.supervision.question_label,
            Some(s.supervision.info_hint),
            typed.body.clone(),
            "3",
            true,
        )
        .into_any(),
        ActionKind::Order => text_field(
            Field::Body,
            s.supervision.order_instruction,
            None,
            typed.body.clone(),
            "3",
            true,
        )
        .into_any(),
        ActionKind::Finding => {
            let v = s.supervision;
            let radios = |field: Field, name: &'static str, legend: &'static str, options: Vec<(&'static str, &'static str)>, chosen: String| {
                let problem = field_problem(&echo, field, s);
                let error_id = format!("{code}-{name}-error");
                let items = options
                    .into_iter()
                    .map(|(value, label)| {
                        let id = format!("{code}-{name}-{value}");
                        view! {
                            <div class="choice-option">
                                <input type="radio" id=id.clone() name=name value=value checked=chosen == value/>
                                <label for=id>{label}</label>
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset aria-describedby=problem.map(|_| error_id.clone())>
                        <legend>{legend}</legend>
                        {problem.map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
                        {items}
                    </fieldset>
                }
            };
            let findings = Finding::ALL.into_iter().map(|f| (f.code(), v.finding_names[f.index()])).collect();
            let measures = Measure::ALL.into_iter().map(|m| (m.code(), v.measure_names[m.index()])).collect();
            let staff_options = case
                .accountable_staff
                .iter()
                .map(|a| view! { <option value=a.id.to_string() selected=typed.staff_id == a.id.to_string()>{a.name.clone()}</option> })
                .collect_view();
            let department_options = case
                .departments
                .iter()
                .map(|(did, name)| view! { <option value=did.to_string() selected=typed.department_id == did.to_string()>{name.get(locale).to_string()}</option> })
                .collect_view();
            view! {
                {radios(Field::Finding, "finding", v.finding_label, findings, typed.finding.clone())}
                {radios(Field::Measure, "measure", v.measure_label, measures, typed.measure.clone())}
                <div class="field">
                    <label for=format!("{code}-department_id")>{v.against_department}</label>
                    <select id=format!("{code}-department_id") name="department_id">
                        <option value="">{v.case_department}</option>
                        {department_options}
                    </select>
                </div>
                <div class="field">
                    <label for=format!("{code}-staff_id")>{v.against_staff}</label>
                    <select id=format!("{code}-staff_id") name="staff_id">
                        <option value="">{v.no_individual}</option>
                        {staff_options}
                    </select>
                </div>
                {text_field(Field::Body, c.reason, None, typed.body.clone(), "3", true)}
            }
            .into_any()
        }
        ActionKind::Note => text_field(
            Field::Body,
            c.note_label,
            Some(c.note_hint),
            typed.body.clone(),
            "3",
            true,
        )
        .into_any(),
        ActionKind::Reply => text_field(
            Field::Body,
            c.reply_label,
            Some(c.reply_hint),
            typed.body.clone(),
            "5",
            true,
        )
        .into_any(),
        ActionKind::Close
        | ActionKind::UpholdAppeal
        | ActionKind::DismissAppeal
        | ActionKind::Transfer
        | ActionKind::KeepAway => text_field(
            Field::Body,
            c.decision_note,
            None,
            typed.body.clone(),
            "2",
            false,
        )
        .into_any(),
        ActionKind::FollowUp => {
            let problem = field_problem(&echo, Field::How, s);
            let options = FollowUpHow::ALL
                .into_iter()
                .map(|how| {
                    let id = format!("{code}-how-{}", how.code());
                    view! {
                        <div class="choice-option">
                            <input type="radio" id=id.clone() name="how" value=how.code() checked=typed.how == how.code()/>
                            <label for=id>{c.how_names[how.index()]}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset aria-describedby=problem.map(|_| format!("{code}-how-error"))>
                    <legend>{c.how_label}</legend>
                    {problem.map(|m| view! { <p class="field-error" id=format!("{code}-how-error")>{m}</p> })}
                    {options}
                </fieldset>
                {text_field(Field::Body, c.remedy_label, None, typed.body.clone(), "3", true)}
            }.into_any()
        }
        _ => ().into_any(),
    };
    let chooser = match action {
        ActionKind::Assign | ActionKind::KeepAway => {
            let id = format!("{code}-staff_id");
            let problem = field_problem(&echo, Field::Assignee, s);
            let label = if action == ActionKind::Assign { c.assignee } else { c.keep_away_who };
            let options = case
                .assignees
                .iter()
                .map(|a| view! { <option value=a.id.to_string() selected=typed.staff_id == a.id.to_string()>{a.name.clone()}</option> })
                .collect_view();
            Some(view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    {problem.map(|m| view! { <p class="field-error" id=format!("{id}-error")>{m}</p> })}
                    <select id=id.clone() name="staff_id" aria-invalid=problem.map(|_| "true") aria-describedby=problem.map(|_| format!("{id}-error"))>
                        <option value="">{c.choose}</option>
                        {options}
                    </select>
                </div>
            }.into_any())
        }
        ActionKind::Transfer => {
            let id = format!("{code}-department_id");
            let problem = field_problem(&echo, Field::Department, s);
            let options = case
                .departments
                .iter()
                .map(|(did, name)| view! { <option value=did.to_string() selected=typed.department_id == did.to_string()>{name.get(locale).to_string()}</option> })
                .collect_view();
            Some(view! {
                <div class="field">
                    <label for=id.clone()>{c.transfer_department}</label>
                    {problem.map(|m| view! { <p class="field-error" id=format!("{id}-error")>{m}</p> })}
                    <select id=id.clone() name="department_id" aria-invalid=problem.map(|_| "true") aria-describedby=problem.map(|_| format!("{id}-error"))>
                        <option value="">{c.choose}</option>
                        {options}
                    </select>
                </div>
            }.into_any())
        }
        _ => None,
    };
    let heading_id = format!("{code}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <form method="post" action=format!("/staff/cases/{}", case.id) class="action-form" aria-labelledby=labelled_by>
            <h3 id=heading_id>{action_name(c, action)}</h3>
            <input type="hidden" name="csrf_token" value=case.csrf_token.clone()/>
            <input type="hidden" name="version" value=case.version.to_string()/>
            <input type="hidden" name="action" value=code/>
            {chooser}
            {fields}
            <button type="submit" class="button">{action_name(c, action)}</button>
        </form>
    }
}

/// A finding's detail (`finding/measure` codes) in words.
pub(super) fn finding_words(s: &'static Strings, detail: &str) -> Option<String> {
    let (finding, measure) = detail.split_once('/')?;
    let finding = Finding::parse(finding)?;
    let measure = Measure::parse(measure)?;
    let v = s.supervision;
    Some(format!(
        "{}: {} · {}: {}",
        v.finding_label,
        v.finding_names[finding.index()],
        v.measure_label,
        v.measure_names[measure.index()]
    ))
}
