//! `/complain`: the complaint intake's stable address. Online filing is not built yet
//! (its own issue); until then the page says honestly how to complain today.

use super::use_strings;
use crate::domain::CounterCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ComplainPage() -> impl IntoView {
    let s = use_strings();
    let query = use_query_map();
    let counter = move || {
        query
            .read()
            .get("counter")
            .and_then(|c| CounterCode::parse(&c))
    };
    view! {
        <Title text=s.complain_title/>
        <h1>{s.complain_title}</h1>
        {move || counter().map(|c| view! {
            <p class="counter-card"><span class="label">{s.complain_about_counter}": "</span><strong>{c.to_string()}</strong></p>
        })}
        <p>{s.complain_body}</p>
        <p><a href="/">{s.back_home}</a></p>
    }
}
