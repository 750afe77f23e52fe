//! `/staff/admin` (administrators): the counters of every hall — add, rename, retire with
//! where to send people instead — links to each hall's QR sheet, and the audit trail.
//! `/staff/admin/halls/{code}/qr`: the printable sheet, one card per open counter.
//! Every form is a plain post with the session's CSRF token; the server checks the role.

use super::cases::{failure, sign_in_redirect};
use super::supervision::StaffNav;
use super::{use_locale, use_strings};
use crate::admin::{AdminCounter, AdminView, QrSheet};
use crate::api::{load_admin, load_qr_sheet};
use crate::i18n::Localized;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn options(list: &[(String, Localized)], locale: crate::i18n::Locale) -> impl IntoView + use<> {
    list.iter()
        .map(|(code, name)| view! { <option value=code.clone()>{format!("{} ({code})", name.get(locale))}</option> })
        .collect_view()
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let s = use_strings();
    let done = use_query_map().read_untracked().get("done");
    let page = Resource::new(|| (), |_| load_admin());
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let done = done.clone();
                move || {
                    let done = done.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some((me, view))) => view! {
                                <StaffNav role=me.role/>
                                <AdminBody view=view csrf=me.csrf_token.clone() done=done/>
                            }
                            .into_any(),
                            Ok(None) => sign_in_redirect(s, "/staff/admin".into()),
                            Err(e) => failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn AdminBody(view: AdminView, csrf: String, done: Option<String>) -> impl IntoView {
    let s = use_strings();
    let a = s.admin;
    let locale = use_locale();
    let done = done.and_then(|d| match d.as_str() {
        "created" => Some(a.done[0]),
        "renamed" => Some(a.done[1]),
        "retired" => Some(a.done[2]),
        _ => None,
    });
    let open: Vec<(String, Localized)> = view
        .counters
        .iter()
        .filter(|c| !c.retired)
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let place = |c: &AdminCounter| {
        let hall = view.halls.iter().find(|h| h.0 == c.hall_code).map(|h| h.1.get(locale).to_string());
        let department = view.departments.iter().find(|d| d.0 == c.department_code).map(|d| d.1.get(locale).to_string());
        [hall, department].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    };
    let rows = view
        .counters
        .iter()
        .map(|c| {
            let status = match (&c.retired, &c.replaced_by) {
                (false, _) => a.open.to_string(),
                (true, Some(code)) => a.retired_to.replace("{code}", code),
                (true, None) => a.retired_plain.to_string(),
            };
            view! {
                <tr>
                    <td><span class="counter-code">{c.code.clone()}</span></td>
                    <th scope="row">{c.name.get(locale).to_string()}</th>
                    <td>{place(c)}</td>
                    <td>{status}</td>
                </tr>
            }
        })
        .collect_view();
    let changes = view
        .counters
        .iter()
        .filter(|c| !c.retired)
        .map(|c| {
            let code = c.code.clone();
            let id = |field: &str| format!("{field}-{code}");
            let others = open
                .iter()
                .filter(|(other, _)| *other != code)
                .map(|(other, name)| view! { <option value=other.clone()>{format!("{} ({other})", name.get(locale))}</option> })
                .collect_view();
            view! {
                <details class="action-form">
                    <summary>{a.change_legend.replace("{code}", &code)}</summary>
                    <form method="post" action=format!("/staff/admin/counters/{code}/rename")>
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        <div class="field">
                            <label for=id("zh-hant")>{a.name_labels[0]}</label>
                            <input type="text" id=id("zh-hant") name="name_zh_hant" value=c.name.zh_hant.clone() required=true maxlength="80"/>
                        </div>
                        <div class="field">
                            <label for=id("zh-hans")>{a.name_labels[1]}</label>
                            <input type="text" id=id("zh-hans") name="name_zh_hans" value=c.name.zh_hans.clone() required=true maxlength="80"/>
                        </div>
                        <div class="field">
                            <label for=id("en")>{a.name_labels[2]}</label>
                            <input type="text" id=id("en") name="name_en" value=c.name.en.clone() required=true maxlength="80"/>
                        </div>
                        <button type="submit" class="button button-secondary">{a.rename_button}</button>
                    </form>
                    <form method="post" action=format!("/staff/admin/counters/{code}/retire")>
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        <div class="field">
                            <label for=id("replaced-by")>{a.replaced_by_label}</label>
                            <p class="hint" id=id("replaced-by-hint")>{a.replaced_by_hint}</p>
                            <select id=id("replaced-by") name="replaced_by" aria-describedby=id("replaced-by-hint")>
                                <option value="">{a.no_replacement}</option>
                                {others}
                            </select>
                        </div>
                        <button type="submit" class="button button-secondary">{a.retire_button}</button>
                    </form>
                </details>
            }
        })
        .collect_view();
    let qr_links = view
        .halls
        .iter()
        .map(|(code, name)| view! {
            <li><a href=format!("/staff/admin/halls/{code}/qr")>{a.qr_link.replace("{hall}", name.get(locale))}</a></li>
        })
        .collect_view();
    let audit = view
        .audit
        .iter()
        .map(|line| {
            let what = match line.action.as_str() {
                "counter_created" => a.action_names[0],
                "counter_renamed" => a.action_names[1],
                "counter_retired" => a.action_names[2],
                _ => "",
            };
            view! {
                <tr>
                    <td>{line.at.clone()}</td>
                    <td>{line.actor.clone()}</td>
                    <td>{if what.is_empty() { line.action.clone() } else { what.to_string() }}</td>
                    <td>{line.subject.clone()}</td>
                    <td class="pre-wrap">{line.detail.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=a.title/>
        {done.map(|text| view! { <div class="panel panel-success" role="status"><p>{text}</p></div> })}
        <h1>{a.title}</h1>
        <p>{a.intro}</p>

        <h2 id="qr-heading">{a.qr_heading}</h2>
        <ul class="action-links">{qr_links}</ul>

        <h2 id="counters-heading">{a.counters_heading}</h2>
        <div class="table-scroll" role="region" aria-labelledby="counters-heading" tabindex="0">
            <table class="cases">
                <thead><tr>
                    <th scope="col">{a.code_col}</th>
                    <th scope="col">{a.name_col}</th>
                    <th scope="col">{a.place_col}</th>
                    <th scope="col">{a.status_col}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="action-forms">{changes}</div>

        <h2 id="add-heading">{a.add_heading}</h2>
        <form method="post" action="/staff/admin/counters" class="narrow-form" aria-labelledby="add-heading">
            <input type="hidden" name="csrf_token" value=csrf.clone()/>
            <div class="field">
                <label for="code">{a.code_label}</label>
                <p class="hint" id="code-hint">{a.code_hint}</p>
                <input type="text" id="code" name="code" required=true maxlength="16" autocomplete="off"
                    autocapitalize="characters" spellcheck="false" aria-describedby="code-hint" class="input-short"/>
            </div>
            <div class="field">
                <label for="hall">{a.hall_label}</label>
                <select id="hall" name="hall" required=true>{options(&view.halls, locale)}</select>
            </div>
            <div class="field">
                <label for="department_id">{a.department_label}</label>
                <select id="department_id" name="department" required=true>{options(&view.departments, locale)}</select>
            </div>
            <div class="field">
                <label for="name_zh_hant">{a.name_labels[0]}</label>
                <input type="text" id="name_zh_hant" name="name_zh_hant" required=true maxlength="80"/>
            </div>
            <div class="field">
                <label for="name_zh_hans">{a.name_labels[1]}</label>
                <input type="text" id="name_zh_hans" name="name_zh_hans" required=true maxlength="80"/>
            </div>
            <div class="field">
                <label for="name_en">{a.name_labels[2]}</label>
                <input type="text" id="name_en" name="name_en" required=true maxlength="80"/>
            </div>
            <button type="submit" class="button">{a.add_button}</button>
        </form>

        <h2 id="audit-heading">{a.audit_heading}</h2>
        {if view.audit.is_empty() {
            view! { <p>{a.no_audit}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" aria-labelledby="audit-heading" tabindex="0">
                    <table class="cases">
                        <thead><tr>
                            <th scope="col">{a.when_col}</th>
                            <th scope="col">{a.who_col}</th>
                            <th scope="col">{a.what_col}</th>
                            <th scope="col">{a.subject_col}</th>
                            <th scope="col">{a.detail_col}</th>
                        </tr></thead>
                        <tbody>{audit}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
    .into_any()
}

#[component]
pub fn QrSheetPage() -> impl IntoView {
    let s = use_strings();
    let params = use_params_map();
    let hall = move || params.read().get("code").unwrap_or_default();
    let sheet = Resource::new(hall, load_qr_sheet);
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(Some((me, sheet))) => view! {
                        <div class="no-print"><StaffNav role=me.role/></div>
                        <Sheet sheet=sheet/>
                    }
                    .into_any(),
                    Ok(None) => sign_in_redirect(s, format!("/staff/admin/halls/{}/qr", hall())),
                    Err(e) => failure(s, e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sheet(sheet: QrSheet) -> impl IntoView {
    let s = use_strings();
    let a = s.admin;
    let locale = use_locale();
    let title = a.qr_title.replace("{hall}", sheet.hall.get(locale));
    let cards = sheet
        .cards
        .iter()
        .map(|card| {
            let label = format!("{} {}", card.code, card.name.get(locale));
            view! {
                <li class="qr-card">
                    <svg class="qr" viewBox=format!("0 0 {0} {0}", card.size) role="img" aria-label=format!("QR: {}", card.url)>
                        <rect width=card.size.to_string() height=card.size.to_string() fill="#fff"></rect>
                        <path d=card.path.clone() fill="#000"></path>
                    </svg>
                    <p class="qr-code">{card.code.clone()}</p>
                    <p class="qr-name">{label}</p>
                    <p class="qr-department">{card.department.get(locale).to_string()}</p>
                    <p class="qr-hint">{a.qr_card_hint}</p>
                    <p class="qr-url"><a href=card.url.clone()>{card.url.clone()}</a></p>
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone()/>
        <h1 class="no-print">{title}</h1>
        <p class="no-print">{a.qr_intro}</p>
        <ul class="qr-sheet">{cards}</ul>
    }
    .into_any()
}
