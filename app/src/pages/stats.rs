//! `/stats`: the public first cut of satisfaction statistics, per counter.

use super::{use_locale, use_strings};
use crate::api::load_stats;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StatsPage() -> impl IntoView {
    let s = use_strings();
    let locale = use_locale();
    let stats = Resource::new(|| (), |_| load_stats());
    view! {
        <Title text=s.stats_title/>
        <h1>{s.stats_title}</h1>
        <p class="lead">{s.stats_intro}</p>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(halls) => halls
                        .into_iter()
                        .map(|hall| {
                            let rows = hall
                                .counters
                                .into_iter()
                                .map(|c| {
                                    let rate = c.good_percent.map(|p| format!("{p}%")).unwrap_or_else(|| s.not_applicable.to_string());
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                <a href=format!("/c/{}", c.code)>{c.name.get(locale).to_string()}</a>
                                                <span class="cell-sub">{c.department.get(locale).to_string()}</span>
                                            </th>
                                            <td class="num">{c.ratings.to_string()}</td>
                                            <td class="num">{rate}</td>
                                        </tr>
                                    }
                                })
                                .collect_view();
                            view! {
                                <div class="table-wrap">
                                    <table class="stats-table">
                                        <caption>{hall.name.get(locale).to_string()}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">{s.counter}</th>
                                                <th scope="col" class="num">{s.stats_ratings}</th>
                                                <th scope="col" class="num">{s.stats_good_rate}</th>
                                            </tr>
                                        </thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any(),
                    Err(e) => {
                        super::set_status(503);
                        view! { <p role="alert">{e.message(s)}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
        <p class="hint">{s.stats_good_rate_note}</p>
    }
}
