//! `/`: for a citizen without a QR code, find the counter that served them.

use super::{use_locale, use_strings};
use crate::api::load_directory;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let s = use_strings();
    let locale = use_locale();
    let directory = Resource::new(|| (), |_| load_directory());
    view! {
        <Title text=s.home_title/>
        <h1>{s.home_title}</h1>
        <p class="lead">{s.home_intro}</p>
        <section aria-labelledby="find-counter">
            <h2 id="find-counter">{s.home_find_counter}</h2>
            <p class="hint">{s.home_find_counter_hint}</p>
            <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match directory.await {
                        Ok(halls) if halls.is_empty() => view! { <p>{s.home_no_counters}</p> }.into_any(),
                        Ok(halls) => halls
                            .into_iter()
                            .map(|hall| {
                                let departments = hall
                                    .departments
                                    .into_iter()
                                    .map(|d| {
                                        let counters = d
                                            .counters
                                            .into_iter()
                                            .map(|c| {
                                                let label = s.rate_link_prefix;
                                                view! {
                                                    <li>
                                                        <a class="counter-link" href=format!("/c/{}", c.code)>
                                                            <span class="visually-hidden">{label}</span>
                                                            <span class="counter-code">{c.code.clone()}</span>
                                                            <span>{c.name.get(locale).to_string()}</span>
                                                        </a>
                                                    </li>
                                                }
                                            })
                                            .collect_view();
                                        view! {
                                            <h4 class="department-name">{d.name.get(locale).to_string()}</h4>
                                            <ul class="counter-list">{counters}</ul>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <section class="hall" aria-label=hall.name.get(locale).to_string()>
                                        <h3>{hall.name.get(locale).to_string()}</h3>
                                        {departments}
                                    </section>
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
        </section>
        <section aria-labelledby="other-actions">
            <h2 id="other-actions">{s.home_other_actions}</h2>
            <ul class="action-links">
                <li><a href="/complain">{s.home_complain_link}</a></li>
                <li><a href="/stats">{s.home_stats_link}</a></li>
            </ul>
        </section>
    }
}
