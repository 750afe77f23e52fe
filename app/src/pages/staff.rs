//! `/staff/login` and `/staff`: staff sign in, see who they are, sign out. The case
//! inbox and actions arrive with the complaint workflow.
//!
//! Both forms are plain posts handled by the server (`server/src/http/staff.rs`), with
//! JavaScript or without: signing in is a full page change either way.

use super::layout::encode_component;
use super::{set_status, use_locale, use_strings};
use crate::api::current_staff;
use leptos::prelude::*;
use leptos_meta::Title;

/// Why the sign-in form came back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SignInProblem {
    WrongCredentials,
    Locked { retry_after_secs: u64 },
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
    let message = echo.problem.as_ref().map(|p| match p {
        SignInProblem::WrongCredentials => s.err_wrong_credentials.to_string(),
        SignInProblem::Locked { retry_after_secs } => s.locked_out(*retry_after_secs),
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

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let s = use_strings();
    let locale = use_locale();
    let me = Resource::new(|| (), |_| current_staff());
    view! {
        <Title text=s.staff_home_title/>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! {
                        <h1>{s.staff_home_title}</h1>
                        <dl class="counter-facts staff-facts">
                            <div><dt>{s.signed_in_as.trim_end_matches(['：', ' '])}</dt><dd>{me.display_name.clone()}" ("{me.username.clone()}")"</dd></div>
                            <div><dt>{s.role_label}</dt><dd>{s.role_names[me.role.index()]}</dd></div>
                            {me.department.as_ref().map(|d| view! { <div><dt>{s.department}</dt><dd>{d.get(locale).to_string()}</dd></div> })}
                        </dl>
                        <p>{s.staff_inbox_soon}</p>
                        <form method="post" action="/staff/logout">
                            <input type="hidden" name="csrf_token" value=me.csrf_token.clone()/>
                            <button type="submit" class="button button-secondary">{s.sign_out}</button>
                        </form>
                    }.into_any(),
                    Ok(None) => {
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect("/staff/login");
                        set_status(303);
                        view! {
                            <h1>{s.staff_home_title}</h1>
                            <p>{s.sign_in_needed}" "<a href=format!("/staff/login?next={}", encode_component("/staff"))>{s.sign_in}</a></p>
                        }.into_any()
                    }
                    Err(e) => {
                        set_status(503);
                        view! { <h1>{s.unavailable_title}</h1><p>{e.message(s)}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
