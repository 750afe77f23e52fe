//! `/staff/login`: staff sign in. Their inbox and cases are in `cases.rs`.
//!
//! Both forms are plain posts handled by the server (`server/src/http/staff.rs`), with
//! JavaScript or without: signing in is a full page change either way.

use super::use_strings;
use leptos::prelude::*;
use leptos_meta::Title;

/// Why the sign-in form came back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SignInProblem {
    WrongCredentials,
    Locked { retry_after_secs: u64 },
    /// Too many sign-ins at this moment.
    Busy,
    Unavailable,
}

/// A refused sign-in, handed back to the page by the server: the problem and the user
/// name typed (never the password).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignInEcho {
    pub username: String,
    pub problem: Option<SignInProblem>,
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let s = use_strings();
    let echo = SharedValue::new(|| use_context::<SignInEcho>().unwrap_or_default()).into_inner();
    let next = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    let message = echo.problem.as_ref().map(|p| match p {
        SignInProblem::WrongCredentials => s.err_wrong_credentials.to_string(),
        SignInProblem::Locked { retry_after_secs } => s.locked_out(*retry_after_secs),
        SignInProblem::Busy => s.sign_in_busy.to_string(),
        SignInProblem::Unavailable => s.unavailable_title.to_string(),
    });
    let title = if message.is_some() {
        format!("{}{}", s.error_prefix, s.staff_login_title)
    } else {
        s.staff_login_title.to_string()
    };
    view! {
        <Title text=title/>
        {message.map(|m| view! {
            <div class="error-summary" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{s.error_summary_title}</h2>
                <ul><li><a href="#username">{m}</a></li></ul>
            </div>
        })}
        <h1>{s.staff_login_title}</h1>
        <p>{s.staff_login_intro}</p>
        <form method="post" action="/staff/login" class="narrow-form">
            <input type="hidden" name="next" value=next/>
            <div class="field">
                <label for="username">{s.username}</label>
                <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required=true value=echo.username.clone()/>
            </div>
            <div class="field">
                <label for="password">{s.password}</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required=true/>
            </div>
            <button type="submit" class="button">{s.sign_in}</button>
        </form>
    }
}
