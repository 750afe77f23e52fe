//! `/complain` (`?counter=CODE` pre-fills the place): the complaint form, then the page
//! to check it, then the tracking page.
//!
//! The form is a plain `multipart/form-data` post to `/complain`, with JavaScript or
//! without (photos travel best that way on a slow phone). The server answers with this page
//! again, in one of two states held in the `ComplaintEcho`: the form with its problems and
//! what was typed, or the answers to check, with "Change" and "Send" buttons. Sending
//! redirects to the tracking page with the new tracking link.

use super::layout::{FormErrors, problem_text};
use super::rate::textarea_text;
use super::{use_locale, use_strings};
use crate::api::load_directory;
use crate::views::HallGroup;
use crate::domain::{Category, ComplaintForm, CounterCode, Field, FieldErrors};
use crate::views::ComplaintEcho;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ComplainPage() -> impl IntoView {
    let s = use_strings();
    // Read before any resource, in the same order on server and client.
    let echo = SharedValue::new(|| use_context::<ComplaintEcho>().unwrap_or_default()).into_inner();
    let query = use_query_map();
    let directory = Resource::new(|| (), |_| load_directory());
    let mut echo = echo;
    if echo == ComplaintEcho::default() {
        // A fresh form: `?counter=` pre-fills the place (from a counter's QR code or the
        // rating thanks page).
        if let Some(code) = query
            .read_untracked()
            .get("counter")
            .and_then(|c| CounterCode::parse(&c))
        {
            echo.form.counter = code.as_str().to_string();
        }
    }
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                move || {
                    let echo = echo.clone();
                    Suspend::new(async move {
                        let halls = directory.await.unwrap_or_default();
                        if echo.checking {
                            view! { <CheckAnswers echo halls/> }.into_any()
                        } else {
                            view! { <ComplaintFormView echo halls/> }.into_any()
                        }
                    })
                }
            }
        </Suspense>
        <p class="back-link"><a href="/">{s.back_home}</a></p>
    }
}

/// Every department of the directory once, in directory order.
fn departments(halls: &[HallGroup]) -> Vec<(String, crate::i18n::Localized)> {
    let mut seen = Vec::<(String, crate::i18n::Localized)>::new();
    for d in halls.iter().flat_map(|h| &h.departments) {
        if !seen.iter().any(|(code, _)| code == &d.code) {
            seen.push((d.code.clone(), d.name.clone()));
        }
    }
    seen
}

/// The hidden fields that carry the answers from the check page (to send or to change).
fn hidden_answers(echo: &ComplaintEcho) -> impl IntoView + use<> {
    let f = &echo.form;
    let fields = [
        ("category", f.category.clone()),
        ("hall", f.hall.clone()),
        ("department", f.department.clone()),
        ("counter", f.counter.clone()),
        ("occurred_on", f.occurred_on.clone()),
        ("occurred_at", f.occurred_at.clone()),
        ("what_happened", f.what_happened.clone()),
        ("staff_named", f.staff_named.clone()),
        ("identity", f.identity.clone()),
        ("name", f.name.clone()),
        ("email", f.email.clone()),
        ("phone", f.phone.clone()),
        ("submission_id", echo.submission_id.clone()),
    ];
    let photos = echo
        .photo_ids
        .iter()
        .map(|id| view! { <input type="hidden" name="photo_id" value=id.clone()/> })
        .collect_view();
    view! {
        {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
        {photos}
    }
}

#[component]
fn CheckAnswers(echo: ComplaintEcho, halls: Vec<HallGroup>) -> impl IntoView {
    let s = use_strings();
    let c = s.cases;
    let locale = use_locale();
    let _ = halls;
    let f = echo.form.clone();
    let category = Category::parse(&f.category)
        .map(|cat| s.category_names[cat.index()])
        .unwrap_or("");
    let place = echo
        .place_names
        .iter()
        .map(|n| n.get(locale).to_string())
        .collect::<Vec<_>>()
        .join(" · ");
    let when = format!("{} {}", f.occurred_on, f.occurred_at)
        .trim()
        .to_string();
    let who = if f.identity == "named" {
        [f.name.as_str(), f.email.as_str(), f.phone.as_str()]
            .into_iter()
            .filter(|v| !v.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    } else {
        c.anonymous_summary.to_string()
    };
    let row = |label: &'static str, value: String| {
        view! { <div class="summary-row"><dt>{label}</dt><dd>{value}</dd></div> }
    };
    view! {
        <Title text=c.check_title/>
        <h1 id="check-heading" tabindex="-1">{c.check_title}</h1>
        <p>{c.check_intro}</p>
        <dl class="summary-list">
            {row(c.category_legend, category.to_string())}
            {row(c.place_legend, place)}
            {row(c.occurred_on, when)}
            <div class="summary-row"><dt>{c.what_happened}</dt><dd class="pre-wrap">{f.what_happened.clone()}</dd></div>
            {(!f.staff_named.trim().is_empty()).then(|| row(c.staff_named, f.staff_named.clone()))}
            {(!echo.photo_ids.is_empty()).then(|| row(c.photos, echo.photo_ids.len().to_string()))}
            {row(c.identity_legend, who)}
        </dl>
        <div class="button-row">
            <form method="post" action="/complain" enctype="multipart/form-data">
                {hidden_answers(&echo)}
                <input type="hidden" name="step" value="send"/>
                <button type="submit" class="button">{c.send_button}</button>
            </form>
            <form method="post" action="/complain" enctype="multipart/form-data">
                {hidden_answers(&echo)}
                <input type="hidden" name="step" value="change"/>
                <button type="submit" class="button button-secondary">{c.change_button}</button>
            </form>
        </div>
    }
}

#[component]
fn ComplaintFormView(echo: ComplaintEcho, halls: Vec<HallGroup>) -> impl IntoView {
    let s = use_strings();
    let c = s.cases;
    let mut errors: FieldErrors = echo.errors.clone();
    if let Some(p) = echo.photo_problem {
        errors.push(Field::Photos, p);
    }
    let has_errors = !errors.is_empty();
    let title = if has_errors {
        format!("{}{}", s.error_prefix, c.complain_title)
    } else {
        c.complain_title.to_string()
    };
    let f: ComplaintForm = echo.form.clone();
    view! {
        <Title text=title/>
        <FormErrors errors=errors.clone() message=None/>
        <h1>{c.complain_title}</h1>
        <p>{c.complain_intro}</p>
        <form method="post" action="/complain" enctype="multipart/form-data" novalidate=true>
            <input type="hidden" name="step" value="check"/>
            <input type="hidden" name="submission_id" value=echo.submission_id.clone()/>
            {echo.photo_ids.iter().map(|id| view! { <input type="hidden" name="photo_id" value=id.clone()/> }).collect_view()}
            {complaint_fields(&f, &errors, &halls, Some(echo.photo_ids.len()))}
            <button type="submit" class="button">{c.continue_button}</button>
        </form>
    }
}

/// The complaint's own fields, as the citizen's form and the staff's intake form ask them:
/// what kind, where, when, what happened, who, and the complainant. `photos`: the photo
/// field, with how many photos are already kept (the intake form takes none); without it
/// the complainant is "the citizen", not "you".
pub(super) fn complaint_fields(
    f: &ComplaintForm,
    errors: &FieldErrors,
    halls: &[HallGroup],
    photos: Option<usize>,
) -> impl IntoView + use<> {
    let s = use_strings();
    let c = s.cases;
    let locale = use_locale();
    let errors = errors.clone();
    let problem = {
        let errors = errors.clone();
        move |field: Field| problem_text(&errors, field, s)
    };
    let error_line = {
        let problem = problem.clone();
        move |field: Field, id: &'static str| {
            problem(field).map(|m| view! { <p class="field-error" id=id><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })
        }
    };
    let described = {
        let problem = problem.clone();
        move |field: Field, hint: &'static str, err: &'static str| {
            if problem(field).is_some() {
                format!("{hint} {err}").trim().to_string()
            } else {
                hint.to_string()
            }
        }
    };
    let invalid = {
        let problem = problem.clone();
        move |field: Field| problem(field).map(|_| "true")
    };

    let categories = Category::ALL
        .into_iter()
        .map(|cat| {
            let id = format!("category-{}", cat.code());
            let hint_id = format!("{id}-hint");
            view! {
                <div class="choice-option">
                    <input type="radio" id=id.clone() name="category" value=cat.code() checked=f.category == cat.code() aria-describedby=hint_id.clone()/>
                    <label for=id>{s.category_names[cat.index()]}</label>
                    <p class="hint choice-hint" id=hint_id>{c.category_hints[cat.index()]}</p>
                </div>
            }
        })
        .collect_view();

    let hall_options = halls
        .iter()
        .map(|h| view! { <option value=h.code.clone() selected=f.hall == h.code>{h.name.get(locale).to_string()}</option> })
        .collect_view();
    let department_options = departments(halls)
        .into_iter()
        .map(|(code, name)| {
            let selected = f.department == code;
            view! { <option value=code selected=selected>{name.get(locale).to_string()}</option> }
        })
        .collect_view();
    let counter_groups = halls
        .iter()
        .map(|h| {
            let options = h
                .departments
                .iter()
                .flat_map(|d| &d.counters)
                .map(|ct| {
                    view! { <option value=ct.code.clone() selected=f.counter == ct.code>{format!("{} {}", ct.code, ct.name.get(locale))}</option> }
                })
                .collect_view();
            view! { <optgroup label=h.name.get(locale).to_string()>{options}</optgroup> }
        })
        .collect_view();

    let named = f.identity == "named";
    let citizen = photos.is_none();
    let photo_field = photos.map(|kept| {
        let (described, invalid, error_line) = (described.clone(), invalid.clone(), error_line.clone());
        view! {
            <div class="field">
                <label for="photos">{c.photos}</label>
                <p class="hint" id="photos-hint">{c.photos_hint}</p>
                {(kept > 0).then(|| view! { <p class="hint" id="photos-kept">{c.photos_kept}" "{kept.to_string()}</p> })}
                {error_line(Field::Photos, "photos-error")}
                <input type="file" id="photos" name="photo" multiple=true accept="image/jpeg,image/png,image/webp"
                    aria-describedby=described(Field::Photos, "photos-hint", "photos-error")
                    aria-invalid=invalid(Field::Photos)/>
            </div>
        }
    });
    view! {
            <fieldset aria-describedby=problem(Field::Category).map(|_| "category-error")>
                <legend><h2 class="legend-heading">{c.category_legend}</h2></legend>
                {error_line(Field::Category, "category-error")}
                {categories}
            </fieldset>

            <fieldset aria-describedby=described(Field::Place, "place-hint", "place-error")>
                <legend><h2 class="legend-heading">{c.place_legend}</h2></legend>
                <p class="hint" id="place-hint">{c.place_hint}</p>
                {error_line(Field::Place, "place-error")}
                <div class="field">
                    <label for="counter">{c.counter}</label>
                    <select id="counter" name="counter" aria-invalid=invalid(Field::Place)>
                        <option value="">{c.not_sure}</option>
                        {counter_groups}
                    </select>
                </div>
                <div class="field">
                    <label for="hall">{c.hall}</label>
                    <select id="hall" name="hall">
                        <option value="">{c.not_sure}</option>
                        {hall_options}
                    </select>
                </div>
                <div class="field">
                    <label for="department">{c.department}</label>
                    <select id="department" name="department">
                        <option value="">{c.not_sure}</option>
                        {department_options}
                    </select>
                </div>
            </fieldset>

            <div class="field">
                <label for="occurred_on">{c.occurred_on}</label>
                <p class="hint" id="occurred_on-hint">{c.occurred_on_hint}</p>
                {error_line(Field::OccurredOn, "occurred_on-error")}
                <input type="date" id="occurred_on" name="occurred_on" class="input-short" value=f.occurred_on.clone()
                    aria-describedby=described(Field::OccurredOn, "occurred_on-hint", "occurred_on-error")
                    aria-invalid=invalid(Field::OccurredOn)/>
            </div>
            <div class="field">
                <label for="occurred_at">{c.occurred_at}</label>
                {error_line(Field::OccurredAt, "occurred_at-error")}
                <input type="time" id="occurred_at" name="occurred_at" class="input-short" value=f.occurred_at.clone()
                    aria-describedby=problem(Field::OccurredAt).map(|_| "occurred_at-error")
                    aria-invalid=invalid(Field::OccurredAt)/>
            </div>

            <div class="field">
                <label for="what_happened">{c.what_happened}</label>
                <p class="hint" id="what_happened-hint">{c.what_happened_hint}</p>
                {error_line(Field::WhatHappened, "what_happened-error")}
                <textarea id="what_happened" name="what_happened" rows="8" maxlength="4000"
                    aria-describedby=described(Field::WhatHappened, "what_happened-hint", "what_happened-error")
                    aria-invalid=invalid(Field::WhatHappened)>
                    {textarea_text(&f.what_happened)}
                </textarea>
            </div>

            <div class="field">
                <label for="staff_named">{c.staff_named}</label>
                <p class="hint" id="staff_named-hint">{c.staff_named_hint}</p>
                {error_line(Field::StaffNamed, "staff_named-error")}
                <input type="text" id="staff_named" name="staff_named" maxlength="64" autocomplete="off" value=f.staff_named.clone()
                    aria-describedby=described(Field::StaffNamed, "staff_named-hint", "staff_named-error")
                    aria-invalid=invalid(Field::StaffNamed)/>
            </div>

            {photo_field}

            <fieldset aria-describedby=problem(Field::Identity).map(|_| "identity-error")>
                <legend><h2 class="legend-heading">{c.identity_legend}</h2></legend>
                {error_line(Field::Identity, "identity-error")}
                <div class="choice-option">
                    <input type="radio" id="identity-anonymous" name="identity" value="anonymous" checked=f.identity == "anonymous" aria-describedby="identity-anonymous-hint"/>
                    <label for="identity-anonymous">{c.anonymous}</label>
                    <p class="hint choice-hint" id="identity-anonymous-hint">{if citizen { s.channels.intake_anonymous_hint } else { c.anonymous_hint }}</p>
                </div>
                <div class="choice-option">
                    <input type="radio" id="identity-named" name="identity" value="named" checked=named aria-describedby="identity-named-hint"/>
                    <label for="identity-named">{c.named}</label>
                    <p class="hint choice-hint" id="identity-named-hint">{if citizen { s.channels.intake_named_hint } else { c.named_hint }}</p>
                </div>
                <div class="conditional">
                    <div class="field">
                        <label for="name">{if citizen { s.channels.intake_citizen_name } else { c.your_name }}</label>
                        {error_line(Field::Name, "name-error")}
                        <input type="text" id="name" name="name" maxlength="64" autocomplete="name" value=f.name.clone()
                            aria-describedby=problem(Field::Name).map(|_| "name-error") aria-invalid=invalid(Field::Name)/>
                    </div>
                    <div class="field">
                        <label for="email">{c.email}{c.optional}</label>
                        {error_line(Field::Email, "email-error")}
                        <input type="email" id="email" name="email" maxlength="254" autocomplete="email" spellcheck="false" value=f.email.clone()
                            aria-describedby=problem(Field::Email).map(|_| "email-error") aria-invalid=invalid(Field::Email)/>
                    </div>
                    <div class="field">
                        <label for="phone">{c.phone}{c.optional}</label>
                        {error_line(Field::Phone, "phone-error")}
                        <input type="tel" id="phone" name="phone" maxlength="24" autocomplete="tel" value=f.phone.clone()
                            aria-describedby=problem(Field::Phone).map(|_| "phone-error") aria-invalid=invalid(Field::Phone)/>
                    </div>
                </div>
            </fieldset>
    }
}
