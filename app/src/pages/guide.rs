//! `/services`: the public service guide (辦事指南). Every service item with its time limit
//! and the full list of what to bring, by department; `?department=CODE` shows one (the
//! rating page links there). A plain GET form, so it works without JavaScript.

use super::layout::NotFound;
use super::{set_status, use_locale, use_strings};
use crate::api::load_guide;
use crate::error::ApiError;
use crate::guide::{GuideItem, GuideView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// "3 working days", "1 working day" or "on the spot".
pub fn days_text(days: i64, s: &crate::i18n::Strings) -> String {
    match days {
        0 => s.guide.on_the_spot.to_string(),
        n => s.guide.days.of(n.unsigned_abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::days_text;
    use crate::i18n::Locale;

    #[test]
    fn a_time_limit_reads_in_words_singular_and_plural() {
        let s = Locale::En.strings();
        assert_eq!(days_text(0, s), "On the spot");
        assert_eq!(days_text(1, s), "1 working day");
        assert_eq!(days_text(3, s), "3 working days");
        assert_eq!(days_text(1, Locale::ZhHant.strings()), "1 個工作日");
    }
}

#[component]
pub fn GuidePage() -> impl IntoView {
    let s = use_strings();
    let query = use_query_map();
    let department = move || query.read().get("department").unwrap_or_default();
    let guide = Resource::new(department, load_guide);
    view! {
        <Title text=s.guide.title/>
        <h1>{s.guide.title}</h1>
        <p class="lead">{s.guide.intro}</p>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match guide.await {
                    Ok(view) => view! { <Guide view=view/> }.into_any(),
                    Err(ApiError::NotFound) => {
                        set_status(404);
                        view! { <NotFound title=s.page_not_found_title body=s.page_not_found_body/> }.into_any()
                    }
                    Err(e) => {
                        set_status(e.status());
                        view! { <p role="alert">{e.message(s)}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Guide(view: GuideView) -> impl IntoView {
    let s = use_strings();
    let g = s.guide;
    let locale = use_locale();
    let chosen = view.department.clone().unwrap_or_default();
    let options = view
        .departments
        .iter()
        .map(|(code, name)| {
            view! { <option value=code.clone() selected=*code == chosen>{name.get(locale).to_string()}</option> }
        })
        .collect_view();
    // Items grouped by department, in the listing's order.
    let mut groups: Vec<(String, String, Vec<GuideItem>)> = Vec::new();
    for item in view.items {
        if groups.last().is_none_or(|g| g.0 != item.department_code) {
            groups.push((item.department_code.clone(), item.department.get(locale).to_string(), Vec::new()));
        }
        groups.last_mut().expect("pushed above").2.push(item);
    }
    let groups_empty = groups.is_empty();
    let sections = groups
        .into_iter()
        .map(|(code, name, items)| {
            let heading = format!("dept-{code}");
            let labelled_by = heading.clone();
            let items = items
                .into_iter()
                .map(|item| {
                    let materials = item
                        .material_lines(locale)
                        .into_iter()
                        .map(|line| view! { <li>{line}</li> })
                        .collect_view();
                    let id = format!("item-{}", item.code);
                    let labelled_by = id.clone();
                    view! {
                        <article class="guide-item" aria-labelledby=labelled_by>
                            <h3 id=id>{item.name.get(locale).to_string()}</h3>
                            <dl class="facts">
                                <dt>{g.time_limit}</dt>
                                <dd>{days_text(item.time_limit_days, s)}</dd>
                            </dl>
                            <h4>{g.bring}</h4>
                            <ul class="materials">{materials}</ul>
                        </article>
                    }
                })
                .collect_view();
            view! {
                <section aria-labelledby=labelled_by>
                    <h2 id=heading>{name}</h2>
                    {items}
                </section>
            }
        })
        .collect_view();
    view! {
        <form method="get" action="/services" class="filters" role="search">
            <div class="field">
                <label for="department">{g.department_label}</label>
                <select id="department" name="department">
                    <option value="">{g.all_departments}</option>
                    {options}
                </select>
            </div>
            <button type="submit" class="button button-secondary">{g.show_button}</button>
        </form>
        {if groups_empty { Some(view! { <p>{g.none}</p> }) } else { None }}
        {sections}
        <p class="hint">{g.complain_hint}" "<a href="/complain">{s.nav_complain}</a></p>
    }
    .into_any()
}
