//! The pages: one module per thing a person comes to do.
//!
//! Everything renders on the server first and works without JavaScript; hydration then
//! makes forms submit in place. Pages take their words from `i18n` and their data from the
//! server functions in `api`.

mod admin;
mod cases;
mod complain;
pub(crate) mod guide;
mod home;
mod intake;
mod layout;
mod rate;
mod staff;
mod stats;
mod supervision;
mod track;
mod transparency;

pub use rate::RatingEcho;
pub use staff::{PasswordEcho, SignInEcho, SignInProblem};

use crate::i18n::{Locale, Strings};
use layout::{NotFound, SiteFooter, SiteHeader};
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                // Before any script: only the scripts this response wrote (their nonce) and
                // what they load from this site run. The rest of the policy is a header.
                {use_nonce().map(|nonce| view! { <meta http-equiv="Content-Security-Policy" content=script_policy(&nonce)/> })}
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <meta name="theme-color" content="#0b3d6e"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's script policy: inline scripts only with this response's nonce (leptos writes
/// it on each inline script it makes), script files and the wasm from this site only.
pub fn script_policy(nonce: &str) -> String {
    format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'")
}

/// The language of this request: on the server from the cookie and `Accept-Language`;
/// in the browser from `<html lang>`, which the server set, so both render alike.
pub fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
        if let Some(parts) = use_context::<axum::http::request::Parts>() {
            let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
            return Locale::negotiate(
                header(COOKIE).and_then(Locale::cookie_value),
                header(ACCEPT_LANGUAGE),
            );
        }
        Locale::default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|tag| Locale::from_tag(&tag))
            .unwrap_or_default()
    }
}

pub(crate) fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

pub(crate) fn use_strings() -> &'static Strings {
    use_locale().strings()
}

/// Sets the HTTP status of the page being rendered on the server (a no-op in the browser).
pub(crate) fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(request_locale());
    let s = use_strings();
    view! {
        <Stylesheet id="leptos" href="/pkg/counterpoint.css"/>
        <Router>
            <SiteHeader/>
            <main id="main" class="wrap" tabindex="-1">
                <Routes fallback=move || view! { <NotFound title=s.page_not_found_title body=s.page_not_found_body/> }>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:code") view=rate::RatePage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:code/thanks") view=rate::ThanksPage/>
                    <Route path=path!("/stats") view=stats::StatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/services") view=guide::GuidePage ssr=SsrMode::Async/>
                    <Route path=path!("/transparency") view=transparency::TransparencyPage ssr=SsrMode::Async/>
                    <Route path=path!("/complain") view=complain::ComplainPage ssr=SsrMode::Async/>
                    <Route path=path!("/track") view=track::TrackEntryPage/>
                    <Route path=path!("/track/:token") view=track::TrackPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view=staff::LoginPage/>
                    <Route path=path!("/staff/password") view=staff::OwnPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login/code") view=staff::CodePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/second-factor") view=staff::SecondFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view=cases::InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/cases/:id") view=cases::CasePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/orders") view=supervision::OrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/intake") view=intake::IntakePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/departments/:id") view=supervision::DepartmentPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/calendar") view=supervision::CalendarPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/mail") view=supervision::MailPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/holds") view=supervision::HoldsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin") view=admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/services") view=admin::ServicesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/staff") view=admin::AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/limits") view=admin::TimeLimitsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/channels") view=admin::ChannelsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/halls/:code/qr") view=admin::QrSheetPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
