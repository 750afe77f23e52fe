//! `/transparency`: the public record, what it holds and how it is protected, the chain now,
//! each finished day's digest with its entries to download, and a check of any day. With
//! JavaScript the check runs in the page (the day's entries fetched, every hash recomputed
//! in WebAssembly); without, the same form asks the server to run it (`?check=DAY`).

use super::{set_status, use_strings};
use crate::api::{load_ledger_day, load_transparency};
use crate::error::ApiError;
use crate::i18n::fill;
use crate::transparency::{DayCheck, TransparencyView, check_day};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What a check found: the day, the outcome, and whether the day is finished (checked
/// against its published digest) or today's so far.
type Checked = Result<(String, DayCheck, bool), (String, ApiError)>;

/// Fetches a day's entries and checks them against its digest; a refusal keeps the day it
/// was about.
async fn check(day: String) -> Checked {
    match load_ledger_day(day.clone()).await {
        Ok(found) => Ok((day, check_day(&found.digest, &found.entries), found.finished)),
        Err(e) => Err((day, e)),
    }
}

/// What a check found, in words.
fn check_words(s: &'static crate::i18n::Strings, found: &Checked) -> (bool, String) {
    let t = s.transparency;
    match found {
        Ok((day, DayCheck::Matches { entries }, true)) => {
            (true, fill(&t.check_matches.of(*entries as u64), &[("day", day)]))
        }
        Ok((day, DayCheck::Matches { entries }, false)) => {
            (true, fill(&t.check_matches_so_far.of(*entries as u64), &[("day", day)]))
        }
        Ok((day, DayCheck::EntryDiffers { id }, _)) => {
            (false, fill(t.check_entry_differs, &[("day", day), ("id", &id.to_string())]))
        }
        Ok((day, DayCheck::HeadDiffers, _)) => (false, fill(t.check_head_differs, &[("day", day)])),
        Err((_, ApiError::BadRequest)) => (false, t.bad_day_body.to_string()),
        Err((day, ApiError::NotFound)) => (false, fill(t.check_no_digest, &[("day", day)])),
        Err(_) => (false, t.check_unavailable.to_string()),
    }
}

#[component]
pub fn TransparencyPage() -> impl IntoView {
    let s = use_strings();
    let t = s.transparency;
    let record = Resource::new(|| (), |_| load_transparency());
    let query = use_query_map();
    let asked = move || query.read().get("check").unwrap_or_default();
    let on_server = Resource::new(asked, |day| async move {
        if day.is_empty() { None } else { Some(check(day).await) }
    });
    let in_browser = Action::new(|day: &String| check(day.clone()));
    view! {
        <Title text=t.title/>
        <h1>{t.title}</h1>
        <p class="lead">{t.intro}</p>
        <div role="status" aria-live="polite" class="check-result">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let found = match in_browser.value().get() {
                        Some(found) => Some(found),
                        None => on_server.await,
                    };
                    found.map(|found| {
                        let (good, words) = check_words(s, &found);
                        let class = if good { "panel panel-success" } else { "panel panel-warning" };
                        view! { <div class=class><p>{words}</p></div> }
                    })
                })}
            </Suspense>
        </div>
        <h2>{t.what_heading}</h2>
        <p>{t.what_text}</p>
        <h2>{t.how_heading}</h2>
        <p>{t.how_text}</p>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(view) => {
                        let [device, address, counter, floor, factor] = view.hold_limits.map(|n| n.to_string());
                        let rules = fill(t.held_text, &[("device", &device), ("address", &address), ("counter", &counter), ("floor", &floor), ("factor", &factor)]);
                        view! {
                            <h2 id="stuffing">{t.held_heading}</h2>
                            <p>{rules}</p>
                            <Record view=view in_browser=in_browser/>
                        }.into_any()
                    }
                    Err(e) => {
                        set_status(e.status());
                        view! { <p role="alert">{e.message(s)}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
        <h2>{t.check_heading}</h2>
        <p>{t.check_text}</p>
    }
}

#[component]
fn Record(view: TransparencyView, in_browser: Action<String, Checked>) -> impl IntoView {
    let s = use_strings();
    let t = s.transparency;
    let today = view.today.clone();
    let rows = today
        .iter()
        .chain(view.digests.iter())
        .map(|d| {
            let so_far = today.as_ref().is_some_and(|t| t.day == d.day);
            let day = d.day.clone();
            let label = fill(t.check_button, &[("day", &d.day)]);
            view! {
                <tr>
                    <th scope="row">{d.day.clone()}{so_far.then(|| view! { " " <span class="tag">{t.so_far}</span> })}</th>
                    <td class="number">{d.entries}</td>
                    <td><code class="hash">{d.head.clone()}</code></td>
                    <td><code class="hash">{d.previous_head.clone()}</code></td>
                    <td>
                        <a href=format!("/transparency/ledger/{}.csv", d.day) download="">"CSV"</a>
                        " · "
                        <a href=format!("/transparency/ledger/{}.json", d.day)>"JSON"</a>
                    </td>
                    <td>
                        <form method="get" action="/transparency" on:submit=move |ev| {
                            ev.prevent_default();
                            in_browser.dispatch(day.clone());
                        }>
                            <input type="hidden" name="check" value=d.day.clone()/>
                            <button type="submit" class="button button-secondary">{label}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = view.digests.is_empty() && today.is_none();
    view! {
        <h2>{t.now_heading}</h2>
        <dl class="summary-list">
            <div class="summary-row"><dt>{t.entries_label}</dt><dd>{view.entries}</dd></div>
            <div class="summary-row"><dt>{t.head_label}</dt><dd><code class="hash">{view.head.clone()}</code></dd></div>
        </dl>
        <h2>{t.digests_heading}</h2>
        {if empty {
            view! { <p>{t.no_digests}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=t.digests_heading>
                    <table>
                        <caption>{t.digests_caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.col_day}</th>
                                <th scope="col">{t.col_entries}</th>
                                <th scope="col">{t.col_head}</th>
                                <th scope="col">{t.col_previous}</th>
                                <th scope="col">{t.col_entries_download}</th>
                                <th scope="col">{t.col_check}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <p><a href="/transparency/digests.json">{t.all_digests_json}</a></p>
    }
}
