//! `/c/{code}`: the page a counter's QR code opens. Rate the counter, see the thanks.
//!
//! Without JavaScript the form posts to `/c/{code}`; the server either redirects to the
//! thanks page or renders this page again with the problems and what was typed (the
//! `RatingEcho`). Hydrated, the form calls the `submit_rating` server function in place.

use super::layout::{ErrorSummary, NotFound, focus_error_summary};
use super::{set_status, use_locale, use_strings};
use crate::api::{CounterPage, SubmitRating, load_counter};
use crate::domain::{Comment, Field, RatingForm, RatingLevel, RatingTag};
use crate::error::ApiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

/// A rejected form, handed back to the page by the server so it can show the problems
/// and keep what the citizen typed. Only present right after a failed plain-form POST.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RatingEcho {
    pub form: RatingForm,
    pub error: Option<ApiError>,
}

#[component]
pub fn RatePage() -> impl IntoView {
    let s = use_strings();
    // Read before any resource, in the same order on server and client.
    let echo = SharedValue::new(|| use_context::<RatingEcho>().unwrap_or_default()).into_inner();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let counter = Resource::new(code, load_counter);
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                move || {
                    let echo = echo.clone();
                    Suspend::new(async move {
                        match counter.await {
                            Ok(page) if page.retired.is_some() => {
                                // Gone, not missing: the sticker may still be on the counter.
                                set_status(410);
                                view! { <RetiredCounter page/> }.into_any()
                            }
                            Ok(page) => view! { <RatingFormView page echo/> }.into_any(),
                            Err(ApiError::NotFound) => {
                                view! { <NotFound title=s.counter_not_found_title body=s.counter_not_found_body/> }.into_any()
                            }
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

/// A retired counter's QR page: closed, and where to go instead.
#[component]
fn RetiredCounter(page: CounterPage) -> impl IntoView {
    let s = use_strings();
    let a = s.admin;
    let locale = use_locale();
    let instead = page.retired.and_then(|r| r.replacement).map(|other| {
        let text = a
            .go_instead
            .replace("{name}", other.name.get(locale))
            .replace("{code}", &other.code);
        view! {
            <p class="lead">{text}</p>
            <p><a href=format!("/c/{}", other.code) class="button">{a.rate_instead}</a></p>
        }
    });
    view! {
        <Title text=a.retired_title/>
        <h1>{a.retired_title}</h1>
        <p>{format!("{} · {}", page.name.get(locale), page.hall.get(locale))}</p>
        <p>{a.retired_body}</p>
        {instead}
        <p><a href="/">{s.back_home}</a></p>
    }
}

#[component]
fn RatingFormView(page: CounterPage, echo: RatingEcho) -> impl IntoView {
    let s = use_strings();
    let locale = use_locale();
    let code = page.code.clone();
    let error = RwSignal::new(echo.error.clone());
    let action = ServerAction::<SubmitRating>::new();
    let pending = action.pending();
    let thanks_url = format!("/c/{code}/thanks");
    let navigate = use_navigate();

    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            navigate(&thanks_url, Default::default());
            // Focus follows the citizen to the confirmation, so a screen reader reads it.
            super::layout::focus_when_present("thanks-heading");
        }
        Some(Err(e)) => {
            error.set(Some(e));
            focus_error_summary();
        }
        None => {}
    });

    let on_submit = {
        let code = code.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            if let Some(form) = read_form(&ev) {
                action.dispatch(SubmitRating {
                    code: code.clone(),
                    form,
                });
            }
        }
    };

    let problem = move |field: Field| {
        error.with(|e| match e {
            Some(ApiError::Invalid(fields)) => fields.get(field),
            _ => None,
        })
    };
    let field_error = move |field: Field, id: &'static str| {
        move || {
            problem(field).map(|p| {
                view! { <p class="field-error" id=id><span class="visually-hidden">{s.error_prefix}</span>{p.message(s)}</p> }
            })
        }
    };
    let described = move |field: Field, hint: &'static str, err: &'static str| {
        move || {
            if problem(field).is_some() {
                format!("{hint} {err}").trim().to_string()
            } else {
                hint.to_string()
            }
        }
    };

    let title = move || {
        if error.with(Option::is_some) {
            format!("{}{} – {}", s.error_prefix, s.rate_title, page.code)
        } else {
            format!("{} – {}", s.rate_title, page.code)
        }
    };
    let summary = s.rating_summary(page.ratings, page.good_percent);
    let comment_len = RwSignal::new(echo.form.comment.replace("\r\n", "\n").chars().count());
    let max_comment = Comment::MAX_CHARS as usize;

    let levels = RatingLevel::BEST_FIRST
        .into_iter()
        .map(|level| {
            let value = level.value();
            let id = format!("level-{value}");
            let checked = echo.form.level.trim() == value.to_string();
            let name = s.level_names[usize::from(value) - 1];
            view! {
                <div class=format!("level-option level-{value}")>
                    <input type="radio" id=id.clone() name="level" value=value.to_string() checked=checked required=true/>
                    <label for=id>
                        <span class="level-mark" aria-hidden="true">{value.to_string()}</span>
                        <span class="level-name">{name}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    let tags = RatingTag::ALL
        .into_iter()
        .map(|tag| {
            let id = format!("tag-{}", tag.code());
            let checked = echo.form.has_tag(tag);
            view! {
                <div class="check-option">
                    <input type="checkbox" id=id.clone() name="tags" value=tag.code() checked=checked/>
                    <label for=id>{s.tag_names[tag.index()]}</label>
                </div>
            }
        })
        .collect_view();

    // The server reads the title after the page's signals are gone (and, under load, from
    // another task): it gets a plain string. The browser keeps it in step with the errors.
    let first_title = title();
    let title = move || {
        if cfg!(feature = "ssr") {
            first_title.clone()
        } else {
            title()
        }
    };
    view! {
        <Title text=title/>
        <ErrorSummary error/>
        <h1>{s.rate_title}</h1>
        <section class="counter-card" aria-label=s.rate_where>
            <p class="counter-name">{page.name.get(locale).to_string()}</p>
            <dl class="counter-facts">
                <div><dt>{s.hall}</dt><dd>{page.hall.get(locale).to_string()}</dd></div>
                <div><dt>{s.department}</dt><dd>{page.department.get(locale).to_string()}</dd></div>
            </dl>
            <p class="counter-summary">{summary}</p>
            <p><a href=format!("/services?department={}", super::layout::encode_component(&page.department_code))>{s.guide.counter_link}</a></p>
        </section>

        <form method="post" action=format!("/c/{code}") novalidate=true on:submit=on_submit>
            <fieldset class="levels" aria-describedby=move || problem(Field::Level).map(|_| "level-error")>
                <legend><h2 class="legend-heading">{s.level_legend}</h2></legend>
                {field_error(Field::Level, "level-error")}
                {levels}
            </fieldset>

            <fieldset class="tags" aria-describedby=move || problem(Field::Tags).map(|_| "tags-error")>
                <legend>{s.tags_legend}</legend>
                {field_error(Field::Tags, "tags-error")}
                {tags}
            </fieldset>

            <div class="field">
                <label for="comment">{s.comment_label}</label>
                <p class="hint" id="comment-hint">{s.comment_hint}</p>
                {field_error(Field::Comment, "comment-error")}
                <textarea
                    id="comment"
                    name="comment"
                    rows="4"
                    maxlength=max_comment.to_string()
                    aria-describedby=described(Field::Comment, "comment-hint comment-count", "comment-error")
                    aria-invalid=move || problem(Field::Comment).map(|_| "true")
                    on:input=move |ev| comment_len.set(event_target_value(&ev).chars().count())
                >
                    {textarea_text(&echo.form.comment)}
                </textarea>
                <p class="hint count" id="comment-count">{move || s.chars_left(comment_len.get(), max_comment)}</p>
            </div>

            <div class="field">
                <label for="ticket">{s.ticket_label}</label>
                <p class="hint" id="ticket-hint">{s.ticket_hint}</p>
                {field_error(Field::Ticket, "ticket-error")}
                <input
                    type="text"
                    id="ticket"
                    name="ticket"
                    class="input-ticket"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="40"
                    value=echo.form.ticket.clone()
                    aria-describedby=described(Field::Ticket, "ticket-hint", "ticket-error")
                    aria-invalid=move || problem(Field::Ticket).map(|_| "true")
                />
            </div>

            // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
            // The `pending` guard in `on_submit` is what stops a second send.
            <button type="submit" class="button" aria-disabled=move || pending.get().then_some("true") aria-busy=move || pending.get().then_some("true")>
                {move || if pending.get() { s.sending } else { s.submit_rating }}
            </button>
        </form>
    }
}

/// A `<textarea>`'s initial text. The server writes a textarea's children as they are,
/// so what the citizen typed is escaped there; the browser never renders it again during
/// hydration, and on a fresh client render it is plain text.
pub(crate) fn textarea_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}

/// Reads the submitted form in the browser.
fn read_form(ev: &leptos::ev::SubmitEvent) -> Option<RatingForm> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{FormData, HtmlFormElement};
    let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = FormData::new_with_form(&form).ok()?;
    let text = |key: &str| data.get(key).as_string().unwrap_or_default();
    let tags = data
        .get_all("tags")
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    Some(RatingForm {
        level: text("level"),
        tags,
        comment: text("comment"),
        ticket: text("ticket"),
    })
}

/// `/c/{code}/thanks`: the confirmation after a rating.
#[component]
pub fn ThanksPage() -> impl IntoView {
    let s = use_strings();
    let params = use_params_map();
    let complain = move || {
        let code = params.read().get("code").unwrap_or_default();
        format!(
            "/complain?counter={}",
            super::layout::encode_component(&code)
        )
    };
    view! {
        <Title text=s.thanks_title/>
        <div class="panel panel-success" role="status">
            <h1 id="thanks-heading" tabindex="-1">{s.thanks_title}</h1>
            <p>{s.thanks_body}</p>
        </div>
        <ul class="action-links">
            <li><a href=complain>{s.thanks_complain}</a></li>
            <li><a href="/">{s.thanks_rate_another}</a></li>
        </ul>
    }
}
