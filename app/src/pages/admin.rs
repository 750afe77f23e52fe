//! `/staff/admin` (administrators): the counters of every hall — add, rename, retire with
//! where to send people instead — links to each hall's QR sheet, and the audit trail.
//! `/staff/admin/halls/{code}/qr`: the printable sheet, one card per open counter.
//! Every form is a plain post with the session's CSRF token; the server checks the role.

use super::cases::{failure, sign_in_redirect};
use super::supervision::StaffNav;
use super::{use_locale, use_strings};
use crate::admin::{AccountLine, AccountsView, AdminCounter, AdminView, QrSheet, ServicesView};
use crate::domain::Role;
use crate::guide::GuideItem;
use crate::admin::channels::{ChannelsView, NewChannelKey};
use crate::api::{load_accounts, load_admin, load_admin_services, load_channels, load_qr_sheet, load_time_limits};
use crate::admin::limits::{LimitCell, TimeLimitsView, MAX_LIMIT_DAYS, MIN_LIMIT_DAYS, was_field};
use crate::api::StaffView;
use crate::error::ApiError;
use crate::i18n::Localized;
use serde::{Serialize, de::DeserializeOwned};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn options(list: &[(String, Localized)], locale: crate::i18n::Locale) -> impl IntoView + use<> {
    list.iter()
        .map(|(code, name)| view! { <option value=code.clone()>{format!("{} ({code})", name.get(locale))}</option> })
        .collect_view()
}

/// What an administration page loads: the signed-in staff member (none: sign in first)
/// and the page's data.
type AdminLoad<T> = Resource<Result<Option<(StaffView, T)>, ApiError>>;

/// The frame every administration page shares: waits for its data, sends a signed-out
/// visitor to the sign-in page (back to `path` after), shows a refusal (403 for other
/// roles), else the staff navigation and `body(data, csrf token, ?done=)`.
fn admin_frame<T>(path: &'static str, page: AdminLoad<T>, body: fn(T, String, Option<String>) -> AnyView) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    let s = use_strings();
    let done = use_query_map().read_untracked().get("done");
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let done = done.clone();
                move || {
                    let done = done.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some((me, data))) => view! {
                                <StaffNav role=me.role/>
                                {body(data, me.csrf_token.clone(), done)}
                            }
                            .into_any(),
                            Ok(None) => sign_in_redirect(s, path.into()),
                            Err(e) => failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    admin_frame("/staff/admin", Resource::new(|| (), |_| load_admin()), |view, csrf, done| {
        view! { <AdminBody view=view csrf=csrf done=done/> }.into_any()
    })
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
        "place_created" => Some(a.place_done[0]),
        "place_renamed" => Some(a.place_done[1]),
        "place_retired" => Some(a.place_done[2]),
        "public_url" => Some(a.url_done),
        _ => None,
    });
    let still_open = |list: &[(String, Localized)], retired: &[String]| -> Vec<(String, Localized)> {
        list.iter().filter(|(code, _)| !retired.contains(code)).cloned().collect()
    };
    let open_halls = still_open(&view.halls, &view.retired_halls);
    let open_departments = still_open(&view.departments, &view.retired_departments);
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
                "hall_created" => a.place_actions[0],
                "hall_renamed" => a.place_actions[1],
                "department_created" => a.place_actions[2],
                "department_renamed" => a.place_actions[3],
                "setting_changed" => a.url_action,
                "staff_created" => s.accounts.action_names[0],
                "staff_changed" => s.accounts.action_names[1],
                "staff_password_set" => s.accounts.action_names[2],
                "sign_in_failed" => s.accounts.action_names[3],
                "sign_in_locked" => s.accounts.action_names[4],
                "staff_password_changed" => s.accounts.action_names[5],
                "mail_resent" => s.accounts.action_names[6],
                "service_item_created" => s.guide.action_names[0],
                "service_item_changed" => s.guide.action_names[1],
                "time_limits_changed" => s.limits.action_name,
                "calendar_loaded" => s.limits.calendar_action,
                "channel_created" => s.channels.channel_actions[0],
                "channel_revoked" => s.channels.channel_actions[1],
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

        <ul class="action-links">
            <li><a href="/staff/admin/staff">{s.accounts.heading}</a></li>
            <li><a href="/staff/admin/services">{s.guide.admin_heading}</a></li>
            <li><a href="/staff/admin/limits">{s.limits.title}</a></li>
            <li><a href="/staff/admin/channels">{s.channels.channels_link}</a></li>
        </ul>

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
                <select id="hall" name="hall" required=true>{options(&open_halls, locale)}</select>
            </div>
            <div class="field">
                <label for="department_id">{a.department_label}</label>
                <select id="department_id" name="department" required=true>{options(&open_departments, locale)}</select>
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

        <Places kind="halls" heading=a.halls_heading add=a.add_hall list=view.halls.clone()
            retired=view.retired_halls.clone() csrf=csrf.clone()/>
        <Places kind="departments" heading=a.departments_heading add=a.add_department list=view.departments.clone()
            retired=view.retired_departments.clone() csrf=csrf.clone()/>

        <h2 id="url-heading">{a.url_heading}</h2>
        <form method="post" action="/staff/admin/public-url" class="narrow-form" aria-labelledby="url-heading">
            <input type="hidden" name="csrf_token" value=csrf.clone()/>
            <div class="field">
                <label for="public_url">{a.url_label}</label>
                <p class="hint" id="public_url-hint">{a.url_hint}</p>
                <input type="url" id="public_url" name="public_url" value=view.public_base_url.clone() required=true
                    maxlength="200" autocomplete="off" spellcheck="false" aria-describedby="public_url-hint"/>
            </div>
            <button type="submit" class="button button-secondary">{a.url_button}</button>
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

/// The halls or the departments: each can be renamed or retired (`retired`: the codes of
/// those already retired); a new one can be added.
#[component]
fn Places(
    kind: &'static str,
    heading: &'static str,
    add: &'static str,
    list: Vec<(String, Localized)>,
    retired: Vec<String>,
    csrf: String,
) -> impl IntoView {
    let s = use_strings();
    let a = s.admin;
    let locale = use_locale();
    let name_inputs = move |key: String, name: Option<Localized>| {
        let id = move |field: &str| format!("{kind}-{field}-{key}");
        let values = name.map(|n| [n.zh_hant, n.zh_hans, n.en]).unwrap_or_default();
        ["name_zh_hant", "name_zh_hans", "name_en"]
            .into_iter()
            .zip(a.name_labels)
            .zip(values)
            .map(|((field, label), value)| view! {
                <div class="field">
                    <label for=id(field)>{label}</label>
                    <input type="text" id=id(field) name=field value=value required=true maxlength="80"/>
                </div>
            })
            .collect_view()
    };
    let renames = list
        .iter()
        .map(|(code, name)| {
            let is_retired = retired.contains(code);
            let status = if is_retired { format!(" — {}", a.place_retired) } else { String::new() };
            let retire = (!is_retired).then(|| view! {
                <form method="post" action=format!("/staff/admin/{kind}/{code}/retire")>
                    <input type="hidden" name="csrf_token" value=csrf.clone()/>
                    <button type="submit" class="button button-secondary">{a.retire_place.replace("{code}", code)}</button>
                </form>
            });
            view! {
                <details class="action-form">
                    <summary>{format!("{} ({code}){status}", name.get(locale))}" — "{a.rename_legend.replace("{code}", code)}</summary>
                    <form method="post" action=format!("/staff/admin/{kind}/{code}/rename")>
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        {name_inputs(code.clone(), Some(name.clone()))}
                        <button type="submit" class="button button-secondary">{a.rename_button}</button>
                    </form>
                    {retire}
                </details>
            }
        })
        .collect_view();
    let heading_id = format!("{kind}-heading");
    let add_id = format!("{kind}-add-heading");
    let code_id = format!("{kind}-code-new");
    let hint_id = format!("{kind}-code-new-hint");
    view! {
        <h2 id=heading_id>{heading}</h2>
        <div class="action-forms">{renames}</div>
        <h3 id=add_id.clone()>{add}</h3>
        <form method="post" action=format!("/staff/admin/{kind}") class="narrow-form" aria-labelledby=add_id>
            <input type="hidden" name="csrf_token" value=csrf.clone()/>
            <div class="field">
                <label for=code_id.clone()>{a.code_col}</label>
                <p class="hint" id=hint_id.clone()>{s.guide.code_hint}</p>
                <input type="text" id=code_id name="code" required=true maxlength="16" autocomplete="off"
                    autocapitalize="characters" spellcheck="false" aria-describedby=hint_id class="input-short"/>
            </div>
            {name_inputs("new".to_string(), None)}
            <button type="submit" class="button">{add}</button>
        </form>
    }
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

/// `/staff/admin/services`: the service items of the public guide — add one, or change
/// a department, names, time limit or materials of one.
#[component]
pub fn ServicesAdminPage() -> impl IntoView {
    admin_frame("/staff/admin/services", Resource::new(|| (), |_| load_admin_services()), |view, csrf, done| {
        view! { <ServicesBody view=view csrf=csrf done=done/> }.into_any()
    })
}

/// The fields of a service item form; `key` keeps ids unique on a page of many forms.
fn item_fields(
    s: &'static crate::i18n::Strings,
    key: &str,
    item: Option<&GuideItem>,
    departments: &[(String, Localized)],
    locale: crate::i18n::Locale,
) -> impl IntoView + use<> {
    let g = s.guide;
    let id = |field: &str| format!("{field}-{key}");
    let chosen = item.map(|i| i.department_code.clone()).unwrap_or_default();
    let options = departments
        .iter()
        .map(|(code, name)| {
            view! { <option value=code.clone() selected=*code == chosen>{format!("{} ({code})", name.get(locale))}</option> }
        })
        .collect_view();
    let name = |f: fn(&Localized) -> &String| item.map(|i| f(&i.name).clone()).unwrap_or_default();
    let materials = |f: fn(&Localized) -> &String| item.map(|i| f(&i.materials).clone()).unwrap_or_default();
    let names = [name(|l| &l.zh_hant), name(|l| &l.zh_hans), name(|l| &l.en)];
    let lists = [materials(|l| &l.zh_hant), materials(|l| &l.zh_hans), materials(|l| &l.en)];
    let name_fields = ["name_zh_hant", "name_zh_hans", "name_en"]
        .into_iter()
        .zip(s.admin.name_labels)
        .zip(names)
        .map(|((field, label), value)| view! {
            <div class="field">
                <label for=id(field)>{label}</label>
                <input type="text" id=id(field) name=field value=value required=true maxlength="80"/>
            </div>
        })
        .collect_view();
    let material_fields = ["materials_zh_hant", "materials_zh_hans", "materials_en"]
        .into_iter()
        .zip(g.materials_labels)
        .zip(lists)
        .map(|((field, label), value)| {
            let hint = id(&format!("{field}-hint"));
            view! {
                <div class="field">
                    <label for=id(field)>{label}</label>
                    <p class="hint" id=hint.clone()>{g.materials_hint}</p>
                    <textarea id=id(field) name=field rows="4" required=true maxlength="2000" aria-describedby=hint>{value}</textarea>
                </div>
            }
        })
        .collect_view();
    let days = item.map(|i| i.time_limit_days.to_string()).unwrap_or_default();
    view! {
        <div class="field">
            <label for=id("department")>{g.department_col}</label>
            <select id=id("department") name="department" required=true>{options}</select>
        </div>
        {name_fields}
        <div class="field">
            <label for=id("days")>{g.days_label}</label>
            <p class="hint" id=id("days-hint")>{g.days_hint}</p>
            <input type="number" id=id("days") name="time_limit_days" value=days required=true min="0" max="365"
                step="1" inputmode="numeric" class="input-short" aria-describedby=id("days-hint")/>
        </div>
        {material_fields}
    }
}

#[component]
fn ServicesBody(view: ServicesView, csrf: String, done: Option<String>) -> impl IntoView {
    let s = use_strings();
    let g = s.guide;
    let locale = use_locale();
    let done = done.and_then(|d| match d.as_str() {
        "created" => Some(g.done[0]),
        "changed" => Some(g.done[1]),
        _ => None,
    });
    let rows = view
        .items
        .iter()
        .map(|item| view! {
            <tr>
                <td><span class="counter-code">{item.code.clone()}</span></td>
                <th scope="row">{item.name.get(locale).to_string()}</th>
                <td>{item.department.get(locale).to_string()}</td>
                <td>{super::guide::days_text(item.time_limit_days, s)}</td>
            </tr>
        })
        .collect_view();
    let changes = view
        .items
        .iter()
        .map(|item| view! {
            <details class="action-form">
                <summary>{g.change_legend.replace("{code}", &item.code)}</summary>
                <form method="post" action=format!("/staff/admin/services/{}", item.code)>
                    <input type="hidden" name="csrf_token" value=csrf.clone()/>
                    {item_fields(s, &item.code, Some(item), &view.departments, locale)}
                    <button type="submit" class="button button-secondary">{g.change_button}</button>
                </form>
            </details>
        })
        .collect_view();
    view! {
        <Title text=g.admin_heading/>
        {done.map(|text| view! { <div class="panel panel-success" role="status"><p>{text}</p></div> })}
        <p><a href="/staff/admin">{s.admin.title}</a></p>
        <h1>{g.admin_heading}</h1>
        <p>{g.admin_intro}" "<a href="/services">{g.title}</a></p>
        <div class="table-scroll" role="region" aria-labelledby="items-heading" tabindex="0">
            <table class="cases">
                <caption id="items-heading">{g.admin_heading}</caption>
                <thead><tr>
                    <th scope="col">{s.admin.code_col}</th>
                    <th scope="col">{g.item_col}</th>
                    <th scope="col">{g.department_col}</th>
                    <th scope="col">{g.days_col}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="action-forms">{changes}</div>

        <h2 id="add-item-heading">{g.add_heading}</h2>
        <form method="post" action="/staff/admin/services" class="narrow-form" aria-labelledby="add-item-heading">
            <input type="hidden" name="csrf_token" value=csrf.clone()/>
            <div class="field">
                <label for="code-new">{s.admin.code_col}</label>
                <p class="hint" id="code-new-hint">{g.code_hint}</p>
                <input type="text" id="code-new" name="code" required=true maxlength="16" autocomplete="off"
                    autocapitalize="characters" spellcheck="false" aria-describedby="code-new-hint" class="input-short"/>
            </div>
            {item_fields(s, "new", None, &view.departments, locale)}
            <button type="submit" class="button">{g.add_button}</button>
        </form>
    }
    .into_any()
}

/// `/staff/admin/staff`: staff accounts — add one, change one's name, role, department,
/// badge, work email or whether it is active, or set a new password.
#[component]
pub fn AccountsPage() -> impl IntoView {
    admin_frame("/staff/admin/staff", Resource::new(|| (), |_| load_accounts()), |view, csrf, done| {
        view! { <AccountsBody view=view csrf=csrf done=done/> }.into_any()
    })
}

/// The fields every account form shares; `key` keeps ids unique on the page.
fn account_fields(
    s: &'static crate::i18n::Strings,
    key: &str,
    account: Option<&AccountLine>,
    departments: &[(String, Localized)],
    locale: crate::i18n::Locale,
) -> impl IntoView + use<> {
    let t = s.accounts;
    let id = |field: &str| format!("{field}-{key}");
    let role = account.map(|a| a.role);
    let roles = Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.code() selected=role == Some(r)>{s.role_names[r.index()]}</option> })
        .collect_view();
    let chosen = account.and_then(|a| a.department_code.clone()).unwrap_or_default();
    let options = departments
        .iter()
        .map(|(code, name)| {
            view! { <option value=code.clone() selected=*code == chosen>{format!("{} ({code})", name.get(locale))}</option> }
        })
        .collect_view();
    let text = |f: fn(&AccountLine) -> Option<String>| account.and_then(f).unwrap_or_default();
    let display_name = text(|a| Some(a.display_name.clone()));
    let badge = text(|a| a.badge.clone());
    let counter_code = text(|a| a.counter_code.clone());
    let email = text(|a| a.email.clone());
    let active = account.is_none_or(|a| a.active);
    view! {
        <div class="field">
            <label for=id("display-name")>{t.display_name_label}</label>
            <p class="hint" id=id("display-name-hint")>{t.display_name_hint}</p>
            <input type="text" id=id("display-name") name="display_name" value=display_name required=true maxlength="80"
                autocomplete="off" aria-describedby=id("display-name-hint")/>
        </div>
        <div class="field">
            <label for=id("role")>{t.role_label}</label>
            <select id=id("role") name="role" required=true>{roles}</select>
        </div>
        <div class="field">
            <label for=id("department")>{t.department_label}</label>
            <p class="hint" id=id("department-hint")>{t.department_hint}</p>
            <select id=id("department") name="department" aria-describedby=id("department-hint")>
                <option value="">{t.no_department}</option>
                {options}
            </select>
        </div>
        <div class="field">
            <label for=id("badge")>{t.badge_label}</label>
            <p class="hint" id=id("badge-hint")>{t.badge_hint}</p>
            <input type="text" id=id("badge") name="badge" value=badge maxlength="16" autocomplete="off"
                spellcheck="false" class="input-short" aria-describedby=id("badge-hint")/>
        </div>
        <div class="field">
            <label for=id("counter-code")>{t.counter_label}</label>
            <p class="hint" id=id("counter-code-hint")>{t.counter_hint}</p>
            <input type="text" id=id("counter-code") name="counter_code" value=counter_code maxlength="16" autocomplete="off"
                spellcheck="false" class="input-short" aria-describedby=id("counter-code-hint")/>
        </div>
        <div class="field">
            <label for=id("email")>{t.email_label}</label>
            <p class="hint" id=id("email-hint")>{t.email_hint}</p>
            <input type="email" id=id("email") name="email" value=email maxlength="254" autocomplete="off"
                spellcheck="false" aria-describedby=id("email-hint")/>
        </div>
        <div class="check-option">
            <input type="checkbox" id=id("active") name="active" checked=active/>
            <label for=id("active")>{t.active_label}</label>
        </div>
    }
}

#[component]
fn AccountsBody(view: AccountsView, csrf: String, done: Option<String>) -> impl IntoView {
    let s = use_strings();
    let t = s.accounts;
    let locale = use_locale();
    let done = done.and_then(|d| match d.as_str() {
        "created" => Some(t.done[0]),
        "changed" => Some(t.done[1]),
        "password" => Some(t.done[2]),
        "factor_roles" => Some(t.factor_roles_done),
        "factor_reset" => Some(t.factor_reset_done),
        _ => None,
    });
    let department_name = |code: &Option<String>| {
        code.as_ref()
            .and_then(|c| view.departments.iter().find(|d| d.0 == *c))
            .map(|d| d.1.get(locale).to_string())
            .unwrap_or_default()
    };
    let rows = view
        .accounts
        .iter()
        .map(|a| view! {
            <tr>
                <td>{a.username.clone()}</td>
                <th scope="row">{a.display_name.clone()}</th>
                <td>{s.role_names[a.role.index()]}</td>
                <td>{department_name(&a.department_code)}</td>
                <td>{a.badge.clone().unwrap_or_default()}</td>
                <td>{a.counter_code.clone().unwrap_or_default()}</td>
                <td>{if a.active { t.active } else { t.closed }}</td>
            </tr>
        })
        .collect_view();
    let changes = view
        .accounts
        .iter()
        .map(|a| {
            let key = a.username.replace(|c: char| !c.is_ascii_alphanumeric(), "-");
            let path = format!("/staff/admin/staff/{}", super::layout::encode_component(&a.username));
            let password_id = format!("password-{key}");
            let password_hint = format!("password-{key}-hint");
            view! {
                <details class="action-form">
                    <summary>{t.change_legend.replace("{username}", &a.username)}</summary>
                    <form method="post" action=path.clone()>
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        {account_fields(s, &key, Some(a), &view.departments, locale)}
                        <button type="submit" class="button button-secondary">{t.change_button}</button>
                    </form>
                    <form method="post" action=format!("{path}/password")>
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        <div class="field">
                            <label for=password_id.clone()>{t.password_legend}</label>
                            <p class="hint" id=password_hint.clone()>{t.password_hint}</p>
                            <input type="password" id=password_id name="password" required=true minlength="12" maxlength="128"
                                autocomplete="new-password" aria-describedby=password_hint/>
                        </div>
                        <button type="submit" class="button button-secondary">{t.password_button}</button>
                    </form>
                    <form method="post" action=format!("{path}/second-factor/reset")>
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        <p class="hint">{t.factor_reset_hint}</p>
                        <button type="submit" class="button button-secondary">{t.factor_reset_button}</button>
                    </form>
                </details>
            }
        })
        .collect_view();
    let factor_roles = Role::ALL
        .into_iter()
        .map(|role| {
            let id = format!("factor-role-{}", role.code());
            view! {
                <div class="choice-option">
                    <input type="checkbox" id=id.clone() name="roles" value=role.code() checked=view.second_factor_roles.contains(&role)/>
                    <label for=id>{s.role_names[role.index()]}</label>
                </div>
            }
        })
        .collect_view();
    let factor_form = view! {
        <form method="post" action="/staff/admin/second-factor">
            <input type="hidden" name="csrf_token" value=csrf.clone()/>
            <fieldset>
                <legend>{t.factor_roles_legend}</legend>
                <p class="hint">{t.factor_roles_hint}</p>
                {factor_roles}
            </fieldset>
            <button type="submit" class="button button-secondary">{t.factor_roles_button}</button>
        </form>
    };
    view! {
        <Title text=t.heading/>
        {done.map(|text| view! { <div class="panel panel-success" role="status"><p>{text}</p></div> })}
        <p><a href="/staff/admin">{s.admin.title}</a></p>
        <h1>{t.heading}</h1>
        <p>{t.intro}</p>
        <div class="table-scroll" role="region" aria-labelledby="accounts-heading" tabindex="0">
            <table class="cases">
                <caption id="accounts-heading">{t.heading}</caption>
                <thead><tr>
                    <th scope="col">{t.username_col}</th>
                    <th scope="col">{t.name_col}</th>
                    <th scope="col">{t.role_col}</th>
                    <th scope="col">{t.department_col}</th>
                    <th scope="col">{t.badge_col}</th>
                    <th scope="col">{t.counter_col}</th>
                    <th scope="col">{t.status_col}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="action-forms">{changes}</div>

        <h2 id="add-account-heading">{t.add_heading}</h2>
        <form method="post" action="/staff/admin/staff" class="narrow-form" aria-labelledby="add-account-heading">
            <input type="hidden" name="csrf_token" value=csrf.clone()/>
            <div class="field">
                <label for="username-new">{t.username_label}</label>
                <p class="hint" id="username-new-hint">{t.username_hint}</p>
                <input type="text" id="username-new" name="username" required=true maxlength="64" autocomplete="off"
                    autocapitalize="none" spellcheck="false" aria-describedby="username-new-hint"/>
            </div>
            {account_fields(s, "new", None, &view.departments, locale)}
            <div class="field">
                <label for="password-new">{t.password_label}</label>
                <p class="hint" id="password-new-hint">{t.password_hint}</p>
                <input type="password" id="password-new" name="password" required=true minlength="12" maxlength="128"
                    autocomplete="new-password" aria-describedby="password-new-hint"/>
            </div>
            <button type="submit" class="button">{t.add_button}</button>
        </form>

        <h2 id="factor-heading">{t.factor_title}</h2>
        {factor_form}
    }
    .into_any()
}

/// `/staff/admin/limits`: the time limits of case handling — for complaints of every
/// category, a category's own accept and reply limits, a bad rating's follow-up — in one
/// form of labelled number fields.
#[component]
pub fn TimeLimitsPage() -> impl IntoView {
    admin_frame("/staff/admin/limits", Resource::new(|| (), |_| load_time_limits()), |view, csrf, done| {
        view! { <TimeLimitsBody view=view csrf=csrf done=done/> }.into_any()
    })
}

#[component]
fn TimeLimitsBody(view: TimeLimitsView, csrf: String, done: Option<String>) -> impl IntoView {
    use crate::domain::case::{CaseKind, Stage};
    let s = use_strings();
    let l = s.limits;
    let done = done.and_then(|d| match d.as_str() {
        "saved" => Some(l.saved),
        "unchanged" => Some(l.unchanged),
        _ => None,
    });
    let label = |stage: Stage| l.stage_labels[Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0)];
    let field = |cell: LimitCell, hint: Option<String>| {
        let id = cell.id();
        let hint_id = format!("{id}-hint");
        let value = view.days_of(cell).map(|d| d.to_string()).unwrap_or_default();
        view! {
            <input type="hidden" name=was_field(cell) value=value.clone()/>
            <div class="field">
                <label for=id.clone()>{label(cell.stage)}</label>
                {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
                <input type="number" id=id name=cell.field() value=value required=cell.required()
                    min=MIN_LIMIT_DAYS.to_string() max=MAX_LIMIT_DAYS.to_string() step="1" inputmode="numeric"
                    class="input-short" aria-describedby=(!cell.required()).then_some(hint_id.clone())/>
            </div>
        }
    };
    let cells = LimitCell::all();
    let of_kind = |kind: CaseKind| {
        cells
            .iter()
            .filter(|c| c.kind == kind && c.category.is_none())
            .map(|c| field(*c, None))
            .collect_view()
    };
    let complaints = of_kind(CaseKind::Complaint);
    let follow_ups = of_kind(CaseKind::RatingFollowUp);
    let every = |stage: Stage| {
        view.days_of(LimitCell { kind: CaseKind::Complaint, category: None, stage })
            .unwrap_or_else(|| stage.default_days())
    };
    let categories = crate::domain::complaint::Category::ALL
        .into_iter()
        .map(|category| {
            let fields = [Stage::Accept, Stage::Reply]
                .into_iter()
                .map(|stage| {
                    let cell = LimitCell { kind: CaseKind::Complaint, category: Some(category), stage };
                    field(cell, Some(l.blank_hint.of(every(stage))))
                })
                .collect_view();
            view! {
                <fieldset class="limit-group">
                    <legend>{s.category_names[category.index()]}</legend>
                    {fields}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <Title text=l.title/>
        {done.map(|text| view! { <div class="panel panel-success" role="status"><p>{text}</p></div> })}
        <p><a href="/staff/admin">{s.admin.title}</a></p>
        <h1>{l.title}</h1>
        <p>{l.intro}</p>
        <form method="post" action="/staff/admin/limits" class="narrow-form" aria-label=l.title>
            <input type="hidden" name="csrf_token" value=csrf/>
            <fieldset class="limit-group">
                <legend>{l.complaints_legend}</legend>
                {complaints}
            </fieldset>
            <fieldset class="limit-group">
                <legend>{l.follow_ups_legend}</legend>
                {follow_ups}
            </fieldset>
            <h2 id="categories-heading">{l.categories_heading}</h2>
            <p>{l.categories_intro}</p>
            {categories}
            <button type="submit" class="button">{l.save_button}</button>
        </form>
    }
    .into_any()
}

/// `/staff/admin/channels`: the systems that file complaints through Open311 — make one
/// (its key is shown on that answer only) or revoke one's key.
#[component]
pub fn ChannelsPage() -> impl IntoView {
    let s = use_strings();
    let created = SharedValue::new(|| use_context::<NewChannelKey>()).into_inner();
    let done = use_query_map().read_untracked().get("done");
    let page = Resource::new(|| (), |_| load_channels());
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let (created, done) = (created.clone(), done.clone());
                move || {
                    let (created, done) = (created.clone(), done.clone());
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some((me, view))) => view! {
                                <StaffNav role=me.role/>
                                <ChannelsBody view csrf=me.csrf_token.clone() created done/>
                            }
                            .into_any(),
                            Ok(None) => sign_in_redirect(s, "/staff/admin/channels".into()),
                            Err(e) => failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn ChannelsBody(view: ChannelsView, csrf: String, created: Option<NewChannelKey>, done: Option<String>) -> impl IntoView {
    let s = use_strings();
    let o = s.channels;
    let done = done.filter(|d| d == "revoked").map(|_| o.channels_revoked_done);
    let key = created.map(|c| {
        view! {
            <div class="panel panel-success" role="status">
                <h2>{o.channels_key_heading.replace("{name}", &c.name)}</h2>
                <p>{o.channels_key_text}</p>
                <p><code class="secret-key">{c.key}</code></p>
            </div>
        }
    });
    let rows = view
        .channels
        .iter()
        .map(|c| {
            let state = match &c.revoked {
                Some(at) => view! { {o.channels_revoked_at.replace("{at}", at)} }.into_any(),
                None => view! {
                    {o.channels_in_use}
                    <form method="post" action=format!("/staff/admin/channels/{}/revoke", c.id) class="inline-form">
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        <button type="submit" class="button button-secondary">
                            {o.channels_revoke_button.replace("{name}", &c.name)}
                        </button>
                    </form>
                }
                .into_any(),
            };
            view! {
                <tr>
                    <th scope="row">{c.name.clone()}</th>
                    <td>{c.created.clone()}</td>
                    <td>{c.last_used.clone().unwrap_or_else(|| o.channels_never.to_string())}</td>
                    <td>{c.complaints}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if view.channels.is_empty() {
        view! { <p>{o.channels_none}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll" role="region" aria-labelledby="channels-heading" tabindex="0">
                <table class="cases">
                    <caption id="channels-heading">{o.channels_title}</caption>
                    <thead><tr>
                        <th scope="col">{o.channels_col_name}</th>
                        <th scope="col">{o.channels_col_created}</th>
                        <th scope="col">{o.channels_col_last_used}</th>
                        <th scope="col">{o.channels_col_complaints}</th>
                        <th scope="col">{o.channels_col_state}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=o.channels_title/>
        {done.map(|text| view! { <div class="panel panel-success" role="status"><p>{text}</p></div> })}
        {key}
        <p><a href="/staff/admin">{s.admin.title}</a></p>
        <h1>{o.channels_title}</h1>
        <p>{o.channels_intro}" "<a href="/open311/v2/discovery.json">"Open311 GeoReport v2"</a></p>
        {table}
        <h2 id="add-channel-heading">{o.channels_add_button}</h2>
        <form method="post" action="/staff/admin/channels" class="narrow-form" aria-labelledby="add-channel-heading">
            <input type="hidden" name="csrf_token" value=csrf/>
            <div class="field">
                <label for="channel-name">{o.channels_name_label}</label>
                <p class="hint" id="channel-name-hint">{o.channels_name_hint}</p>
                <input type="text" id="channel-name" name="name" required=true maxlength="80" autocomplete="off"
                    aria-describedby="channel-name-hint"/>
            </div>
            <button type="submit" class="button">{o.channels_add_button}</button>
        </form>
    }
}
