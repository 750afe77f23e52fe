//! `/staff/login`: staff sign in; `/staff/password`: they change their own password. Their
//! inbox and cases are in `cases.rs`.
//!
//! Both forms are plain posts handled by the server (`server/src/http/staff.rs`), with
//! JavaScript or without: signing in is a full page change either way.

use super::layout::{FormErrors, problem_text};
use super::use_strings;
use crate::api::load_own_password;
use crate::domain::{Field, FieldErrors};
use crate::views::OwnPasswordView;
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

/// A refused password change, handed back to the page by the server: the problems of the
/// form, or why it could not be tried (locked, busy, away). Never a password.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasswordEcho {
    pub errors: FieldErrors,
    pub problem: Option<SignInProblem>,
}

/// `/staff/password`: a staff member changes their own password, giving the current one
/// first. Also where one must go first whose password an administrator set.
#[component]
pub fn OwnPasswordPage() -> impl IntoView {
    let s = use_strings();
    let echo = SharedValue::new(|| use_context::<PasswordEcho>().unwrap_or_default()).into_inner();
    let done = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("done")
        .is_some();
    let page = Resource::new(|| (), |_| load_own_password());
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                move || {
                    let echo = echo.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some(me)) => view! { <OwnPasswordForm me echo done/> }.into_any(),
                            Ok(None) => super::cases::sign_in_redirect(s, "/staff/password".into()),
                            Err(e) => super::cases::failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn OwnPasswordForm(me: OwnPasswordView, echo: PasswordEcho, done: bool) -> impl IntoView {
    let s = use_strings();
    let a = s.accounts;
    let message = echo.problem.as_ref().map(|p| match p {
        SignInProblem::WrongCredentials => a.err_password_wrong.to_string(),
        SignInProblem::Locked { retry_after_secs } => s.locked_out(*retry_after_secs),
        SignInProblem::Busy => s.sign_in_busy.to_string(),
        SignInProblem::Unavailable => s.unavailable_title.to_string(),
    });
    let refused = message.is_some() || !echo.errors.is_empty();
    let title = if refused { format!("{}{}", s.error_prefix, a.own_title) } else { a.own_title.to_string() };
    let errors = echo.errors.clone();
    let field = move |field: Field, label: &'static str, hint: Option<&'static str>, autocomplete: &'static str| {
        let id = field.id();
        let problem = problem_text(&errors, field, s);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described = [hint.map(|_| hint_id.clone()), problem.map(|_| error_id.clone())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        view! {
            <div class=if problem.is_some() { "field field-invalid" } else { "field" }>
                <label for=id>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                {problem.map(|m| view! { <p class="field-error" id=error_id.clone()><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })}
                <input type="password" id=id name=id autocomplete=autocomplete required=true
                    aria-describedby=(!described.is_empty()).then_some(described)
                    aria-invalid=problem.map(|_| "true")/>
            </div>
        }
    };
    view! {
        <Title text=title/>
        <FormErrors errors=echo.errors.clone() message/>
        {done.then(|| view! {
            <div class="panel panel-success" role="status">
                <p>{a.own_done}</p>
                <p><a href="/staff">{s.staff_home_title}</a></p>
            </div>
        })}
        <h1>{a.own_title}</h1>
        <p class="staff-line">{s.signed_in_as}<strong>{me.display_name.clone()}</strong>" ("{me.username.clone()}")"</p>
        {me.must_change.then(|| view! { <p class="callout"><strong>{a.own_must_change}</strong></p> })}
        <p>{a.own_intro}</p>
        <form method="post" action="/staff/password" class="narrow-form">
            <input type="hidden" name="csrf_token" value=me.csrf_token.clone()/>
            // Lets a password manager know whose password this is.
            <input type="text" name="username" autocomplete="username" value=me.username.clone() hidden=true readonly=true/>
            {field(Field::CurrentPassword, a.own_current_label, None, "current-password")}
            {field(Field::NewPassword, a.own_new_label, Some(a.own_new_hint), "new-password")}
            {field(Field::RepeatPassword, a.own_repeat_label, None, "new-password")}
            <button type="submit" class="button">{a.own_button}</button>
        </form>
    }
}

/// `/staff/login/code`: after a right password, the code of the second factor.
#[component]
pub fn CodePage() -> impl IntoView {
    let s = use_strings();
    let a = s.accounts;
    let echo = SharedValue::new(|| use_context::<crate::views::CodeEcho>().unwrap_or_default()).into_inner();
    let next = leptos_router::hooks::use_query_map().read_untracked().get("next").unwrap_or_default();
    let page = Resource::new(|| (), |_| crate::api::load_awaiting_code());
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                let next = next.clone();
                move || {
                    let echo = echo.clone();
                    let next = next.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some(csrf_token)) => {
                                let refused = echo.problem.is_some();
                                let title = if refused { format!("{}{}", s.error_prefix, a.code_title) } else { a.code_title.to_string() };
                                view! {
                                    <Title text=title/>
                                    {echo.problem.clone().map(|m| view! {
                                        <div class="error-summary" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                                            <h2 id="error-summary-title">{s.error_summary_title}</h2>
                                            <ul><li><a href="#code" rel="external">{m}</a></li></ul>
                                        </div>
                                    })}
                                    <h1>{a.code_title}</h1>
                                    <p>{a.code_intro}</p>
                                    <form method="post" action="/staff/login/code" class="narrow-form">
                                        <input type="hidden" name="csrf_token" value=csrf_token/>
                                        <input type="hidden" name="next" value=next/>
                                        <div class=if refused { "field field-invalid" } else { "field" }>
                                            <label for="code">{a.code_label}</label>
                                            <p class="hint" id="code-hint">{a.code_hint}</p>
                                            <input type="text" id="code" name="code" autocomplete="one-time-code" inputmode="text"
                                                autocapitalize="none" spellcheck="false" required=true aria-describedby="code-hint"
                                                aria-invalid=refused.then_some("true")/>
                                        </div>
                                        <button type="submit" class="button">{a.code_button}</button>
                                    </form>
                                }
                                .into_any()
                            }
                            Ok(None) => super::cases::sign_in_redirect(s, "/staff".into()),
                            Err(e) => super::cases::failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// `/staff/second-factor`: set up a second factor (an authenticator app), see how many
/// recovery codes are left, or remove it where the role allows.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let s = use_strings();
    let echo = SharedValue::new(|| use_context::<crate::views::SecondFactorEcho>().unwrap_or_default()).into_inner();
    let page = Resource::new(|| (), |_| crate::api::load_second_factor());
    view! {
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {
                let echo = echo.clone();
                move || {
                    let echo = echo.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(Some(me)) => view! { <SecondFactorForms me echo/> }.into_any(),
                            Ok(None) => super::cases::sign_in_redirect(s, "/staff/second-factor".into()),
                            Err(e) => super::cases::failure(s, e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn SecondFactorForms(me: crate::views::SecondFactorView, echo: crate::views::SecondFactorEcho) -> impl IntoView {
    let s = use_strings();
    let a = s.accounts;
    let refused = echo.refusal.is_some() || !echo.errors.is_empty();
    let title = if refused { format!("{}{}", s.error_prefix, a.factor_title) } else { a.factor_title.to_string() };
    let errors = echo.errors.clone();
    let password_field = move |id_prefix: &'static str| {
        let problem = problem_text(&errors, Field::CurrentPassword, s);
        let id = format!("{id_prefix}current_password");
        let error_id = format!("{id}-error");
        view! {
            <div class=if problem.is_some() { "field field-invalid" } else { "field" }>
                <label for=id.clone()>{a.own_current_label}</label>
                {problem.map(|m| view! { <p class="field-error" id=error_id.clone()><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })}
                <input type="password" id=id name="current_password" autocomplete="current-password" required=true
                    aria-describedby=problem.map(|_| error_id.clone()) aria-invalid=problem.map(|_| "true")/>
            </div>
        }
    };
    let code_problem = problem_text(&echo.errors, Field::Code, s);
    let csrf = me.csrf_token.clone();
    let body = if !echo.recovery_codes.is_empty() {
        view! {
            <div class="panel panel-success" role="status"><p>{a.factor_on}</p></div>
            <h2>{a.factor_codes_heading}</h2>
            <p>{a.factor_codes_intro}</p>
            <ul class="recovery-codes">{echo.recovery_codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}</ul>
            <p><a href="/staff">{s.staff_home_title}</a></p>
        }
        .into_any()
    } else if let Some(setup) = echo.setup.clone() {
        view! {
            <p>{a.factor_scan}</p>
            <svg class="qr" viewBox=format!("0 0 {0} {0}", setup.qr_side) width="240" height="240" role="img" aria-label=a.factor_secret_label shape-rendering="crispEdges">
                <rect width="100%" height="100%" fill="#fff"/>
                <path d=setup.qr_path fill="#000"/>
            </svg>
            <p>{a.factor_secret_label}": "<code class="secret-key">{setup.key.clone()}</code></p>
            <form method="post" action="/staff/second-factor" class="narrow-form">
                <input type="hidden" name="csrf_token" value=csrf.clone()/>
                <input type="hidden" name="action" value="confirm"/>
                <div class=if code_problem.is_some() { "field field-invalid" } else { "field" }>
                    <label for="code">{a.code_label}</label>
                    {code_problem.map(|m| view! { <p class="field-error" id="code-error"><span class="visually-hidden">{s.error_prefix}</span>{m}</p> })}
                    <input type="text" id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required=true
                        aria-describedby=code_problem.map(|_| "code-error") aria-invalid=code_problem.map(|_| "true")/>
                </div>
                <button type="submit" class="button">{a.factor_confirm_button}</button>
            </form>
        }
        .into_any()
    } else if me.on {
        view! {
            {echo.removed.then(|| view! { <div class="panel panel-success" role="status"><p>{a.factor_removed}</p></div> })}
            <p>{a.factor_on}" "{a.factor_codes_left.of(me.codes_left.max(0) as u64)}</p>
            {(!me.required).then(|| view! {
                <form method="post" action="/staff/second-factor" class="narrow-form">
                    <fieldset>
                        <legend>{a.factor_remove_legend}</legend>
                        <input type="hidden" name="csrf_token" value=csrf.clone()/>
                        <input type="hidden" name="action" value="remove"/>
                        {password_field("")}
                        <button type="submit" class="button button-secondary">{a.factor_remove_button}</button>
                    </fieldset>
                </form>
            })}
        }
        .into_any()
    } else {
        view! {
            {echo.removed.then(|| view! { <div class="panel panel-success" role="status"><p>{a.factor_removed}</p></div> })}
            {me.required.then(|| view! { <p class="callout"><strong>{a.factor_required}</strong></p> })}
            <form method="post" action="/staff/second-factor" class="narrow-form">
                <input type="hidden" name="csrf_token" value=csrf.clone()/>
                <input type="hidden" name="action" value="start"/>
                {password_field("")}
                <button type="submit" class="button">{a.factor_start_button}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <Title text=title/>
        <FormErrors errors=echo.errors.clone() message=echo.refusal.clone()/>
        <h1>{a.factor_title}</h1>
        <p class="staff-line">{s.signed_in_as}<strong>{me.display_name.clone()}</strong></p>
        <p>{a.factor_intro}</p>
        {body}
    }
}
