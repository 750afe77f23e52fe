//! The supervision pages of the staff area: `/staff/orders` (supervision orders, 督辦),
//! `/staff/departments/{id}` (a department's open, overdue and escalated cases and its
//! findings over a period, with a CSV export), `/staff/calendar` (the working-day
//! calendar, loaded by administrators), `/staff/holds` (held ratings, released or rejected
//! by the bureau) and `/staff/mail` (the outbox's dead letters).
//! Every form is a plain post with the session's CSRF token; the server checks the role.

use super::cases::{failure, sign_in_redirect};
use super::{use_locale, use_strings};
use crate::api::{load_calendar_page, load_department, load_holds_page, load_mail_page, load_orders};
use crate::domain::{Field, Role};
use crate::views::{CalendarEcho, CalendarProblem, OrderEcho, OrderLine};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The staff area's links, as the viewer's role allows.
#[component]
pub fn StaffNav(role: Role) -> impl IntoView {
    let s = use_strings();
    let v = s.supervision;
    let supervises = matches!(role, Role::Supervisor | Role::DepartmentHead);
    let links = [
        (role != Role::Administrator).then_some(("/staff", s.cases.inbox_title)),
        supervises.then_some(("/staff/orders", v.nav_orders)),
        crate::domain::intake::may_take_in(role).then_some(("/staff/intake", s.channels.intake_link)),
        supervises.then_some(("/staff/departments/0", v.nav_departments)),
        matches!(role, Role::Supervisor | Role::Administrator).then_some(("/staff/calendar", v.nav_calendar)),
        (role == Role::Supervisor).then_some(("/staff/holds", v.nav_holds)),
        (role == Role::Administrator).then_some(("/staff/mail", v.nav_mail)),
        (role == Role::Administrator).then_some(("/staff/admin", s.admin.nav_admin)),
    ]
    .into_iter()
    .flatten()
    .map(|(href, label)| view! { <li><a href=href>{label}</a></li> })
    .collect_view();
    view! { <nav class="staff-nav" aria-label=s.staff_home_title><ul>{links}</ul></nav> }
}

fn reason_index(reason: &str) -> usize {
    match reason {
        "overdue" => 0,
        "unsatisfied" => 1,
        _ => 2,
    }
}

/// One supervision order, with its comments and, while open, its forms.
#[component]
pub fn OrderCard(order: OrderLine, csrf_token: String, back: String) -> impl IntoView {
    let s = use_strings();
    let v = s.supervision;
    let locale = use_locale();
    let echo = use_context::<OrderEcho>().filter(|e| e.order_id == order.terms.id);
    let problem = |step: &str| {
        echo.as_ref()
            .filter(|e| e.step == step)
            .and_then(|e| e.errors.get(Field::Body))
            .map(|p| p.message(s))
    };
    let typed = |step: &str| {
        echo.as_ref()
            .filter(|e| e.step == step)
            .map(|e| e.body.clone())
            .unwrap_or_default()
    };
    let level = v.order_levels[if order.terms.level == "bureau" { 1 } else { 0 }];
    let heading_id = format!("order-{}", order.terms.id);
    let comments = order
        .comments
        .iter()
        .map(|(who, at, body)| view! { <li><p class="pre-wrap">{body.clone()}</p><p class="hint">{who.clone()}" · "{at.clone()}</p></li> })
        .collect_view();
    let action = format!("/staff/orders/{}", order.terms.id);
    let form = |step: &'static str, label: &'static str, button: &'static str| {
        let id = format!("order-{}-{step}", order.terms.id);
        let error_id = format!("{id}-error");
        let problem = problem(step);
        view! {
            <form method="post" action=action.clone() class="action-form">
                <input type="hidden" name="csrf_token" value=csrf_token.clone()/>
                <input type="hidden" name="step" value=step/>
                <input type="hidden" name="back" value=back.clone()/>
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    {problem.map(|m| view! { <p class="field-error" id=error_id.clone()><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })}
                    <textarea id=id name="body" rows="2" maxlength="2000" required=true
                        aria-invalid=problem.map(|_| "true") aria-describedby=problem.map(|_| error_id.clone())>
                        {super::rate::textarea_text(&typed(step))}
                    </textarea>
                </div>
                <button type="submit" class="button button-secondary">{button}</button>
            </form>
        }
    };
    view! {
        <article class="order" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()>
                {format!("{} {} · ", v.order_label, order.terms.id)}
                <a href=format!("/staff/cases/{}", order.terms.case_id)>{format!("{} {}", s.cases.case_number, order.terms.case_id)}</a>
                " "<span class=if order.open { "tag tag-warning" } else { "tag" }>{if order.open { v.order_open } else { v.order_closed }}</span>
            </h3>
            <dl class="summary-list">
                <div class="summary-row"><dt>{v.order_label}</dt><dd>{level}" · "{v.order_reasons[reason_index(&order.terms.reason)]}</dd></div>
                {order.department.as_ref().map(|d| view! { <div class="summary-row"><dt>{s.cases.department}</dt><dd>{d.get(locale).to_string()}</dd></div> })}
                {order.terms.due_on.clone().map(|d| view! { <div class="summary-row"><dt>{v.missed_deadline}</dt><dd>{d}</dd></div> })}
                <div class="summary-row"><dt>{s.cases.submitted_on}</dt><dd>{order.opened_at.clone()}" · "{order.opened_by.clone().unwrap_or_else(|| v.by_scheduler.to_string())}</dd></div>
                {order.terms.body.clone().map(|b| view! { <div class="summary-row"><dt>{v.order_instruction}</dt><dd class="pre-wrap">{b}</dd></div> })}
                {order.terms.closing_note.clone().map(|n| view! { <div class="summary-row"><dt>{v.order_close_label}</dt><dd class="pre-wrap">{n}{order.closed_by.clone().map(|b| format!(" ({b}, {})", order.closed_at.clone().unwrap_or_default()))}</dd></div> })}
            </dl>
            {(!order.comments.is_empty()).then(|| view! { <h4>{v.comments}</h4><ul class="comments">{comments}</ul> })}
            {order.open.then(|| form("comment", v.order_comment_label, v.order_comment_button))}
            {order.open.then(|| form("close", v.order_close_label, v.order_close_button))}
        </article>
    }
}

/// `/staff/orders`: open orders first (`?all=1`: closed ones too).
#[component]
pub fn OrdersPage() -> impl IntoView {
    let s = use_strings();
    let v = s.supervision;
    let query = use_query_map();
    let open_only = move || query.read().get("all").is_none();
    let orders = Resource::new(open_only, load_orders);
    view! {
        <Title text=v.orders_title/>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(Some((me, view))) => {
                        let lines = view
                            .lines
                            .iter()
                            .map(|o| view! { <OrderCard order=o.clone() csrf_token=me.csrf_token.clone() back="/staff/orders".to_string()/> })
                            .collect_view();
                        view! {
                            <StaffNav role=me.role/>
                            <h1>{v.orders_title}</h1>
                            <p>{v.orders_intro}</p>
                            <p>
                                {if view.open_only {
                                    view! { <strong>{v.open_only}</strong>" · "<a href="/staff/orders?all=1">{v.all_orders}</a> }.into_any()
                                } else {
                                    view! { <a href="/staff/orders">{v.open_only}</a>" · "<strong>{v.all_orders}</strong> }.into_any()
                                }}
                            </p>
                            {if view.lines.is_empty() { Some(view! { <p>{v.no_orders}</p> }) } else { None }}
                            <div class="orders">{lines}</div>
                        }.into_any()
                    }
                    Ok(None) => sign_in_redirect(s, "/staff/orders".into()),
                    Err(e) => failure(s, e),
                }
            })}
        </Suspense>
    }
}

/// `/staff/departments/{id}?from=&to=` (id 0: the viewer's own, or the first).
#[component]
pub fn DepartmentPage() -> impl IntoView {
    let s = use_strings();
    let v = s.supervision;
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        let id = q
            .get("department")
            .or_else(|| params.read().get("id"))
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(0);
        (id, q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default())
    };
    let report = Resource::new(key, |(id, from, to)| load_department(id, from, to));
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(Some((me, r))) => {
                        let title = format!("{} – {}", v.department_title, r.name.get(locale));
                        let options = r
                            .departments
                            .iter()
                            .map(|(id, name)| view! { <option value=id.to_string() selected=*id == r.id>{name.get(locale).to_string()}</option> })
                            .collect_view();
                        let findings = r
                            .findings
                            .iter()
                            .map(|f| view! {
                                <tr>
                                    <td><a href=format!("/staff/cases/{}", f.case_id)>{format!("{} {}", s.cases.case_number, f.case_id)}</a></td>
                                    <td>{f.at.clone()}</td>
                                    <td>{v.finding_names[f.finding.index()]}</td>
                                    <td>{v.measure_names[f.measure.index()]}</td>
                                    <td>{[f.department.as_ref().map(|d| d.get(locale).to_string()), f.staff.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</td>
                                    <td class="pre-wrap">{f.reason.clone()}</td>
                                </tr>
                            })
                            .collect_view();
                        let csv = format!("/staff/departments/{}/report.csv?from={}&to={}", r.id, r.from, r.to);
                        view! {
                            <Title text=title.clone()/>
                            <StaffNav role=me.role/>
                            <h1>{title}</h1>
                            <form method="get" action="/staff/departments/0" class="filters" id="department-filters">
                                <div class="field">
                                    <label for="department">{v.department_choice}</label>
                                    <select id="department" name="department" disabled=r.departments.len() < 2>{options}</select>
                                </div>
                                <div class="field">
                                    <label for="from">{v.period_from}</label>
                                    <input type="date" id="from" name="from" value=r.from.clone()/>
                                </div>
                                <div class="field">
                                    <label for="to">{v.period_to}</label>
                                    <input type="date" id="to" name="to" value=r.to.clone()/>
                                </div>
                                <button type="submit" class="button button-secondary">{v.show_button}</button>
                            </form>
                            <dl class="summary-list">
                                <div class="summary-row"><dt>{v.open_count}</dt><dd>{r.open}</dd></div>
                                <div class="summary-row"><dt>{v.overdue_count}</dt><dd>{r.overdue}</dd></div>
                                <div class="summary-row"><dt>{v.escalated_count}</dt><dd>{r.escalated}</dd></div>
                            </dl>
                            <h2 id="findings-heading">{v.findings_heading}</h2>
                            <p><a href=csv rel="external" download="">{v.export_csv}</a></p>
                            {if r.findings.is_empty() {
                                view! { <p>{v.no_findings}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" role="region" aria-labelledby="findings-heading" tabindex="0">
                                        <table>
                                            <thead><tr>
                                                <th scope="col">{s.cases.case_number}</th>
                                                <th scope="col">{s.cases.submitted_on}</th>
                                                <th scope="col">{v.finding_label}</th>
                                                <th scope="col">{v.measure_label}</th>
                                                <th scope="col">{v.against_staff}</th>
                                                <th scope="col">{s.cases.reason}</th>
                                            </tr></thead>
                                            <tbody>{findings}</tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Ok(None) => sign_in_redirect(s, "/staff/departments/0".into()),
                    Err(e) => failure(s, e),
                }
            })}
        </Suspense>
    }
}

/// `/staff/calendar`: the listed days, and (administrators) the loader.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let s = use_strings();
    let v = s.supervision;
    let echo = SharedValue::new(|| use_context::<CalendarEcho>()).into_inner();
    let loaded = use_query_map()
        .read_untracked()
        .get("loaded")
        .and_then(|n| n.parse::<usize>().ok());
    let page = Resource::new(|| (), |_| load_calendar_page());
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                move || {
                    let echo = echo.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some((me, cal))) => {
                                let mut echo = echo.unwrap_or_default();
                                echo.loaded = echo.loaded.or(loaded);
                                let refused = !echo.lines.is_empty() || echo.empty;
                                let title = format!("{}{}", if refused { s.error_prefix } else { "" }, v.calendar_title);
                                let rows = cal
                                    .days
                                    .iter()
                                    .map(|(day, kind, name)| view! {
                                        <tr><td>{day.clone()}</td><td>{v.day_kind_names[if kind == "holiday" { 0 } else { 1 }]}</td><td>{name.clone()}</td></tr>
                                    })
                                    .collect_view();
                                let problems = echo
                                    .lines
                                    .iter()
                                    .map(|(line, problem)| view! { <li><a href="#calendar-file" rel="external">{v.line_n.replace("{n}", &line.to_string())}{calendar_problem(problem, v)}</a></li> })
                                    .collect_view();
                                view! {
                                    <Title text=title/>
                                    <StaffNav role=me.role/>
                                    {refused.then(|| view! {
                                        <div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus=true aria-labelledby="error-summary-title">
                                            <h2 id="error-summary-title">{if echo.empty { v.calendar_empty } else { v.calendar_refused }}</h2>
                                            <ul>{problems}</ul>
                                        </div>
                                    })}
                                    {echo.loaded.map(|n| view! { <div class="panel panel-success" role="status"><p>{v.calendar_loaded.of(n as u64)}</p></div> })}
                                    <h1>{v.calendar_title}</h1>
                                    <p>{v.calendar_intro}</p>
                                    {(me.role == Role::Administrator).then(|| view! {
                                        <form method="post" action="/staff/calendar" enctype="multipart/form-data" class="narrow-form">
                                            <input type="hidden" name="csrf_token" value=me.csrf_token.clone()/>
                                            <div class="field">
                                                <label for="calendar-file">{v.calendar_file_label}</label>
                                                <p class="hint" id="calendar-file-hint">{v.calendar_file_hint}</p>
                                                <input type="file" id="calendar-file" name="file" accept=".csv,.ics,text/csv,text/calendar" required=true
                                                    aria-describedby="calendar-file-hint" aria-invalid=refused.then_some("true")/>
                                            </div>
                                            <button type="submit" class="button">{v.calendar_button}</button>
                                        </form>
                                    })}
                                    <h2 id="days-heading">{v.calendar_title}</h2>
                                    {if cal.days.is_empty() {
                                        view! { <p>{v.no_days}</p> }.into_any()
                                    } else {
                                        view! {
                                            <div class="table-scroll" role="region" aria-labelledby="days-heading" tabindex="0">
                                                <table>
                                                    <thead><tr><th scope="col">{v.day_label}</th><th scope="col">{s.cases.kind}</th><th scope="col">{v.name_label}</th></tr></thead>
                                                    <tbody>{rows}</tbody>
                                                </table>
                                            </div>
                                        }.into_any()
                                    }}
                                }.into_any()
                            }
                            Ok(None) => sign_in_redirect(s, "/staff/calendar".into()),
                            Err(e) => failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// `/staff/mail`: the outbox's counts and dead letters (administrators).
#[component]
pub fn MailPage() -> impl IntoView {
    let s = use_strings();
    let v = s.supervision;
    let query = use_query_map();
    let retried = query.read_untracked().get("retried").is_some();
    let page = Resource::new(|| (), |_| load_mail_page());
    view! {
        <Title text=v.mail_title/>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some((me, mail))) => {
                        let rows = mail
                            .dead_letters
                            .iter()
                            .map(|m| view! {
                                <tr>
                                    <td>{m.case_id.map(|id| format!("{} {id}", s.cases.case_number)).unwrap_or_default()}</td>
                                    <td>{m.event.clone()}</td>
                                    <td>{m.created_at.clone()}</td>
                                    <td>{m.attempts}</td>
                                    <td>{m.last_error.clone().unwrap_or_default()}</td>
                                    <td>
                                        <form method="post" action=format!("/staff/mail/{}/retry", m.id)>
                                            <input type="hidden" name="csrf_token" value=me.csrf_token.clone()/>
                                            <button type="submit" class="button button-secondary button-small"
                                                aria-label=format!("{} {}", v.retry_button, m.id)>{v.retry_button}</button>
                                        </form>
                                    </td>
                                </tr>
                            })
                            .collect_view();
                        view! {
                            <StaffNav role=me.role/>
                            {retried.then(|| view! { <div class="panel panel-success" role="status"><p>{v.retried}</p></div> })}
                            <h1>{v.mail_title}</h1>
                            <p class="hint">{v.mail_folder_note}</p>
                            <dl class="summary-list">
                                <div class="summary-row"><dt>{v.mail_pending}</dt><dd>{mail.pending}</dd></div>
                                <div class="summary-row"><dt>{v.mail_sent}</dt><dd>{mail.sent}</dd></div>
                                <div class="summary-row"><dt>{v.mail_dead}</dt><dd>{mail.dead}</dd></div>
                                <div class="summary-row"><dt>{v.mail_cancelled}</dt><dd>{mail.cancelled}</dd></div>
                            </dl>
                            <h2 id="dead-heading">{v.dead_letters}</h2>
                            {if mail.dead_letters.is_empty() {
                                view! { <p>{v.no_dead_letters}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" role="region" aria-labelledby="dead-heading" tabindex="0">
                                        <table>
                                            <thead><tr>
                                                <th scope="col">{s.cases.case_number}</th>
                                                <th scope="col">{v.event_label}</th>
                                                <th scope="col">{v.created_label}</th>
                                                <th scope="col">{v.attempts}</th>
                                                <th scope="col">{v.last_error}</th>
                                                <th scope="col"><span class="visually-hidden">{v.retry_button}</span></th>
                                            </tr></thead>
                                            <tbody>{rows}</tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Ok(None) => sign_in_redirect(s, "/staff/mail".into()),
                    Err(e) => failure(s, e),
                }
            })}
        </Suspense>
    }
}

/// `/staff/holds`: held ratings waiting for the supervision bureau, one line per counter,
/// day, hour and reason, each released or rejected with a reason.
#[component]
pub fn HoldsPage() -> impl IntoView {
    let s = use_strings();
    let v = s.supervision;
    let locale = use_locale();
    let query = use_query_map();
    let decided = query.read_untracked().get("decided").and_then(|n| n.parse::<u64>().ok());
    let page = Resource::new(|| (), |_| load_holds_page());
    view! {
        <Title text=v.holds_title/>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some((me, holds))) => {
                        let lines = holds
                            .groups
                            .iter()
                            .enumerate()
                            .map(|(i, g)| {
                                let reason = crate::domain::HoldReason::ALL
                                    .iter()
                                    .position(|r| r.as_str() == g.reason)
                                    .map(|k| v.hold_reasons[k])
                                    .unwrap_or_default();
                                let what = format!("{} {} {:02}:00", g.counter, g.day, g.hour);
                                let (decision_name, why_id) = (format!("decision-{i}"), format!("why-{i}"));
                                view! {
                                    <tr>
                                        <td>{g.counter.clone()}" "{g.counter_name.get(locale).to_string()}</td>
                                        <td>{format!("{} {:02}:00–{:02}:59", g.day, g.hour, g.hour)}</td>
                                        <td>{reason}</td>
                                        <td>{g.ratings}</td>
                                        <td>{g.good}</td>
                                        <td>
                                            <form method="post" action="/staff/holds" class="hold-decision">
                                                <input type="hidden" name="csrf_token" value=me.csrf_token.clone()/>
                                                <input type="hidden" name="counter" value=g.counter.clone()/>
                                                <input type="hidden" name="day" value=g.day.clone()/>
                                                <input type="hidden" name="hour" value=g.hour.to_string()/>
                                                <input type="hidden" name="reason" value=g.reason.clone()/>
                                                <fieldset>
                                                    <legend>{format!("{} {what}", v.decision_label)}</legend>
                                                    <label><input type="radio" name="decision" value="released" id=decision_name.clone() required/>" "{v.release_choice}</label>
                                                    <label><input type="radio" name="decision" value="rejected" required/>" "{v.reject_choice}</label>
                                                </fieldset>
                                                <label for=why_id.clone()>{format!("{} ({what})", v.why_label)}</label>
                                                <input type="text" id=why_id name="why" maxlength="500" required/>
                                                <button type="submit" class="button button-small">{v.decide_button}</button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        view! {
                            <StaffNav role=me.role/>
                            {decided.map(|n| view! { <div class="panel panel-success" role="status"><p>{v.decided.of(n)}</p></div> })}
                            <h1>{v.holds_title}</h1>
                            <p class="hint">{v.holds_intro}</p>
                            {if holds.groups.is_empty() {
                                view! { <p>{v.no_holds}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" role="region" aria-labelledby="holds-heading" tabindex="0">
                                        <table>
                                            <caption id="holds-heading" class="visually-hidden">{v.holds_title}</caption>
                                            <thead><tr>
                                                <th scope="col">{v.held_counter}</th>
                                                <th scope="col">{v.held_when}</th>
                                                <th scope="col">{v.held_reason}</th>
                                                <th scope="col">{v.held_ratings}</th>
                                                <th scope="col">{v.held_good}</th>
                                                <th scope="col">{v.decision_label}</th>
                                            </tr></thead>
                                            <tbody>{lines}</tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Ok(None) => sign_in_redirect(s, "/staff/holds".into()),
                    Err(e) => failure(s, e),
                }
            })}
        </Suspense>
    }
}

/// What is wrong with a line of a calendar file, in the reader's language.
fn calendar_problem(problem: &CalendarProblem, v: &crate::i18n::SupervisionStrings) -> String {
    let (index, day, line) = match problem {
        CalendarProblem::NotText => (0, "", 0),
        CalendarProblem::NotADate => (1, "", 0),
        CalendarProblem::NotAnIcsDate => (2, "", 0),
        CalendarProblem::BadKind => (3, "", 0),
        CalendarProblem::BadCategory => (4, "", 0),
        CalendarProblem::NoStart => (5, "", 0),
        CalendarProblem::EndNotAfterStart => (6, "", 0),
        CalendarProblem::Listed { day, previous } => (7, day.as_str(), *previous),
        CalendarProblem::Overlaps { day, previous } => (8, day.as_str(), *previous),
    };
    v.calendar_problems[index].replace("{day}", day).replace("{line}", &line.to_string())
}
