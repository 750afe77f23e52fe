//! What every page shares: the skip link, header with the language switcher, footer,
//! error summary and "not found" panel.

use super::{set_status, use_locale, use_strings};
use crate::domain::{Field, FieldErrors};
use crate::error::ApiError;
use crate::i18n::{Locale, Strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// Percent-encodes a URL component (RFC 3986 unreserved characters pass through).
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let s = use_strings();
    let current = use_locale();
    let location = use_location();
    let here = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let links = Locale::ALL
        .into_iter()
        .map(|l| {
            let href = move || format!("/lang/{}?next={}", l.tag(), encode_component(&here()));
            view! {
                <li>
                    <a
                        href=href
                        rel="external"
                        lang=l.tag()
                        hreflang=l.tag()
                        aria-current=(l == current).then_some("true")
                    >
                        {l.native_name()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <a class="skip-link" href="#main">{s.skip_to_content}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-name">{s.site_name}</span>
                    <span class="brand-tagline">{s.site_tagline}</span>
                </a>
                <nav class="lang-switch" aria-label=s.language>
                    <ul>{links}</ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let s = use_strings();
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <nav aria-label=s.site_name>
                    <ul class="footer-links">
                        <li><a href="/">{s.nav_home}</a></li>
                        <li><a href="/complain">{s.nav_complain}</a></li>
                        <li><a href="/stats">{s.nav_stats}</a></li>
                        <li><a href="/services">{s.guide.nav}</a></li>
                        <li><a href="/transparency">{s.transparency.nav_link}</a></li>
                    </ul>
                </nav>
                <p>{s.footer_hotline}</p>
            </div>
        </footer>
    }
}

/// A "not found" panel that also sets the 404 status when rendered on the server.
#[component]
pub fn NotFound(title: &'static str, body: &'static str) -> impl IntoView {
    set_status(404);
    let s = use_strings();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{body}</p>
        <p><a href="/">{s.back_home}</a></p>
    }
}

/// The error summary at the top of a form: each field's problem links to the field.
/// Keyboard focus moves here when it appears, so a screen reader announces it.
#[component]
pub fn ErrorSummary(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let s = use_strings();
    move || {
        error.get().map(|e| {
            let items = match &e {
                ApiError::Invalid(fields) => fields
                    .0
                    .iter()
                    .map(|(field, problem)| {
                        // rel="external": the browser, not the router, follows the link, so it
                        // jumps to the field as it does without JavaScript.
                        view! { <li><a href=format!("#{}", field.id()) rel="external">{problem.message(s)}</a></li> }
                    })
                    .collect_view()
                    .into_any(),
                other => view! { <li>{other.message(s)}</li> }.into_any(),
            };
            view! {
                <div class="error-summary" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{s.error_summary_title}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// The problem with `field`, in words, if it has one.
pub fn problem_text(errors: &FieldErrors, field: Field, s: &Strings) -> Option<&'static str> {
    errors.get(field).map(|p| p.message(s))
}

/// The error summary of a form the server handed back: each problem links to its field.
/// It takes the focus when the page loads, so a screen reader reads it first.
#[component]
pub fn FormErrors(errors: FieldErrors, message: Option<String>) -> impl IntoView {
    let s = use_strings();
    if errors.is_empty() && message.is_none() {
        return None;
    }
    let items = errors
        .0
        .iter()
        .map(|(field, problem)| {
            view! { <li><a href=format!("#{}", field.id()) rel="external">{problem.message(s)}</a></li> }
        })
        .collect_view();
    Some(view! {
        <div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus=true aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">{s.error_summary_title}</h2>
            <ul>{message.map(|m| view! { <li>{m}</li> })}{items}</ul>
        </div>
    })
}

/// Moves keyboard focus to the error summary once it is on the page.
pub fn focus_error_summary() {
    focus_when_present("error-summary");
}

/// Moves keyboard focus to the element with this id once it is on the page (trying for
/// about half a second, since a route change may take a few frames).
pub fn focus_when_present(id: &'static str) {
    fn attempt(id: &'static str, frames_left: u32) {
        request_animation_frame(move || {
            use leptos::wasm_bindgen::JsCast;
            match document()
                .get_element_by_id(id)
                .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok())
            {
                Some(el) => {
                    let _ = el.focus();
                }
                None if frames_left > 0 => attempt(id, frames_left - 1),
                None => {}
            }
        });
    }
    attempt(id, 30);
}
