//! Staff sign-in over real HTTP: cookies, CSRF on sign-out, lock-out.

mod common;

use app::demo::DEMO_PASSWORD;
use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use reqwest::header::{LOCATION, RETRY_AFTER, SET_COOKIE};

fn session_cookie(response: &reqwest::Response) -> String {
    let header = response.headers()[SET_COOKIE].to_str().unwrap().to_string();
    header.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn staff_sign_in_see_who_they_are_and_sign_out_with_the_csrf_token() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let signed_in = app
            .post_form(
                "/staff/login",
                &format!("username=head.hrss&password={DEMO_PASSWORD}"),
            )
            .await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
        assert_eq!(signed_in.headers()[LOCATION], "/staff");
        let set_cookie = signed_in.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
            "{set_cookie}"
        );
        let cookie = session_cookie(&signed_in);

        let page = app
            .client
            .get(app.url("/staff"))
            .header("cookie", &cookie)
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(
            page.headers()["cache-control"],
            "no-store",
            "a shared desk's Back button must not show it again"
        );
        let page = page.text().await.unwrap();
        assert!(
            page.contains("李主任")
                && page.contains("Department head")
                && page.contains("Human Resources and Social Security Bureau")
        );
        let csrf = page
            .split(r#"name="csrf_token" value=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();

        let forged = app
            .post_form_with("/staff/logout", "csrf_token=forged", &[("cookie", &cookie)])
            .await;
        assert_eq!(
            forged.status(),
            StatusCode::FORBIDDEN,
            "no sign-out without the session's token"
        );
        let missing = app
            .post_form_with("/staff/logout", "", &[("cookie", &cookie)])
            .await;
        assert_eq!(missing.status(), StatusCode::FORBIDDEN);

        let out = app
            .post_form_with(
                "/staff/logout",
                &format!("csrf_token={csrf}"),
                &[("cookie", &cookie)],
            )
            .await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert!(
            out.headers()[SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let after = app
            .client
            .get(app.url("/staff"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(
            after.status(),
            StatusCode::SEE_OTHER,
            "the old cookie no longer opens the staff area"
        );
        assert_eq!(after.headers()[LOCATION], "/staff/login?next=/staff");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_staff_area_sends_strangers_to_sign_in() {
    let app = TestApp::start(Backend::Sqlite, |_| {}).await;
    for cookie in ["", "cp_staff=guessed-token"] {
        let response = app
            .client
            .get(app.url("/staff"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/staff/login?next=/staff");
        assert!(!response.text().await.unwrap().contains("csrf_token"));
    }
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_the_name_kept_and_five_lock_the_account() {
    let app = TestApp::start(Backend::Sqlite, |c| c.rate_limit.burst = 50).await;
    let wrong = app
        .post_form_with(
            "/staff/login",
            "username=supervisor&password=nope",
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let page = wrong.text().await.unwrap();
    assert!(page.contains("The user name or password is not right"));
    assert!(
        page.contains(r#"value="supervisor""#),
        "the user name is kept"
    );
    assert!(!page.contains("nope"), "the password is never sent back");
    for _ in 0..4 {
        app.post_form("/staff/login", "username=supervisor&password=nope")
            .await;
    }
    let locked = app
        .post_form_with(
            "/staff/login",
            &format!("username=supervisor&password={DEMO_PASSWORD}"),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.headers().contains_key(RETRY_AFTER));
    assert!(
        locked
            .text()
            .await
            .unwrap()
            .contains("Too many failed sign-ins")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_strangers_guesses_do_not_lock_the_owner_out_from_the_office() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.rate_limit.burst = 50;
        c.trusted_proxies = vec![server::config::TrustedNet::parse("127.0.0.1").unwrap()];
    })
    .await;
    let from = |address: &'static str| [("x-forwarded-for", address), ("accept-language", "en")];
    for _ in 0..6 {
        app.post_form_with("/staff/login", "username=supervisor&password=guess", &from("198.51.100.9")).await;
    }
    let right = format!("username=supervisor&password={DEMO_PASSWORD}");
    let stranger = app.post_form_with("/staff/login", &right, &from("198.51.100.9")).await;
    assert_eq!(stranger.status(), StatusCode::TOO_MANY_REQUESTS, "locked for the guesser's network");
    let office = app.post_form_with("/staff/login", &right, &from("203.0.113.40")).await;
    assert_eq!(office.status(), StatusCode::SEE_OTHER, "the supervisor signs in from the office");
    app.stop().await;
}

/// A flood of wrong sign-ins from many addresses (past any per-address limit) takes at most
/// a core's worth of password checks each; the rest are told to wait (a translated 503 with
/// `Retry-After`), never a 500, and citizens' ratings sent meanwhile are all taken.
#[tokio::test]
async fn a_flood_of_sign_ins_leaves_ratings_working_and_is_told_to_wait() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.trusted_proxies = vec![server::config::TrustedNet::parse("127.0.0.1").unwrap()];
    })
    .await;
    let flood = (0..48).map(|i| {
        let app = &app;
        async move {
            let (body, from) = (format!("username=nobody{i}&password=wrong+password"), format!("10.1.0.{}", i + 1));
            app.post_form_with("/staff/login", &body, &[("x-forwarded-for", &from), ("accept-language", "en")]).await
        }
    });
    let ratings = (0..20).map(|i| {
        let app = &app;
        async move {
            let from = format!("10.2.0.{}", i + 1);
            app.post_form_with("/c/A01", "level=4", &[("x-forwarded-for", &from)]).await
        }
    });
    let (flood, ratings) = tokio::join!(futures::future::join_all(flood), futures::future::join_all(ratings));
    for rating in &ratings {
        assert_eq!(rating.status(), StatusCode::SEE_OTHER, "every rating taken during the flood");
    }
    let mut busy = 0;
    for response in flood {
        match response.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert_eq!(response.headers()[RETRY_AFTER], "2");
                assert!(response.text().await.unwrap().contains("Many people are signing in at this moment"));
            }
            other => panic!("a sign-in answered {other}"),
        }
    }
    // 48 checks at once on a machine of a few cores: most wait.
    assert!(busy > 0, "some sign-ins were told to wait");
    app.stop().await;
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_host_only_secure_and_strict() {
    let app = TestApp::start(Backend::Sqlite, |config| {
        config.public_base_url = "https://counterpoint.example".into();
    })
    .await;
    let signed_in = app
        .post_form("/staff/login", &format!("username=head.hrss&password={DEMO_PASSWORD}"))
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let set_cookie = signed_in.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(set_cookie.starts_with("__Host-cp_staff="), "{set_cookie}");
    for part in ["; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict"] {
        assert!(set_cookie.contains(part), "{part} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "host-only: {set_cookie}");
    assert_eq!(signed_in.headers()["strict-transport-security"], "max-age=31536000");
    let cookie = session_cookie(&signed_in);
    let page = app.get_as("/staff", Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    // The same token under the plain name (as a sibling subdomain could set it) is not a
    // session here.
    let token = cookie.split_once('=').unwrap().1;
    let plain = app.get_as("/staff", Some(&format!("cp_staff={token}"))).await;
    assert_eq!(plain.status(), StatusCode::SEE_OTHER);
    assert!(plain.headers()[LOCATION].to_str().unwrap().starts_with("/staff/login"));
    app.stop().await;
}

#[tokio::test]
async fn staff_change_their_own_password_after_giving_the_current_one() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let here = app.sign_in("head.hrss").await;
        let elsewhere = app.sign_in("head.hrss").await;
        let page = app.get_as("/staff/password", Some(&here)).await;
        assert_eq!(page.status(), StatusCode::OK);
        let token = common::csrf(&page.text().await.unwrap());
        let post = |body: String| {
            let (app, here) = (&app, here.clone());
            async move { app.post_as("/staff/password", Some(&here), &body).await }
        };
        let form = |current: &str, new: &str, repeat: &str| {
            format!("csrf_token={token}&current_password={current}&new_password={new}&repeat_password={repeat}")
        };
        // Refused, each with its reason in words and nothing changed.
        let refusals = [
            (form("not-my-password", "Tide-Lantern-47-Oak", "Tide-Lantern-47-Oak"), StatusCode::UNAUTHORIZED, "Your current password is not right"),
            (form(DEMO_PASSWORD, "iloveyou1234", "iloveyou1234"), StatusCode::UNPROCESSABLE_ENTITY, "most often used"),
            (form(DEMO_PASSWORD, "short", "short"), StatusCode::UNPROCESSABLE_ENTITY, "at least 12 characters"),
            (form(DEMO_PASSWORD, "Tide-Lantern-47-Oak", "Tide-Lantern-47-Ok"), StatusCode::UNPROCESSABLE_ENTITY, "are not the same"),
            (form(DEMO_PASSWORD, DEMO_PASSWORD, DEMO_PASSWORD), StatusCode::UNPROCESSABLE_ENTITY, "must differ"),
        ];
        for (body, status, words) in refusals {
            let response = post(body).await;
            assert_eq!(response.status(), status, "{words}");
            let text = response.text().await.unwrap();
            assert!(text.contains(words), "{words}");
            assert!(text.contains(r#"aria-invalid="true""#), "{words}: the field is marked");
        }
        let forged = app
            .post_as("/staff/password", Some(&here), "csrf_token=forged&current_password=x&new_password=y&repeat_password=y")
            .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get_as("/staff", Some(&elsewhere)).await.status(), StatusCode::OK, "nothing changed yet");

        let done = post(form(DEMO_PASSWORD, "Tide-Lantern-47-Oak", "Tide-Lantern-47-Oak")).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(done.headers()[LOCATION], "/staff/password?done=1");
        let page = app.get_as("/staff/password?done=1", Some(&here)).await.text().await.unwrap();
        assert!(page.contains("Your password is changed"));
        assert_eq!(app.get_as("/staff", Some(&here)).await.status(), StatusCode::OK, "this session stays");
        assert_eq!(app.get_as("/staff", Some(&elsewhere)).await.status(), StatusCode::SEE_OTHER, "the others end");
        let old = app.post_form("/staff/login", &format!("username=head.hrss&password={DEMO_PASSWORD}")).await;
        assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
        let new = app.post_form("/staff/login", "username=head.hrss&password=Tide-Lantern-47-Oak").await;
        assert_eq!(new.status(), StatusCode::SEE_OTHER);
        let trail = app.server.state.store.audit_entries(50).await.unwrap();
        assert!(trail.iter().any(|e| e.action == "staff_password_changed" && e.subject == "head.hrss"));
        assert!(trail.iter().all(|e| !e.detail.contains("Tide-Lantern") && !e.detail.contains("not-my-password")));
        // Nobody signed in: to sign in first.
        let stranger = app.get_as("/staff/password", None).await;
        assert_eq!(stranger.status(), StatusCode::SEE_OTHER);
        app.stop().await;
    }
}

/// The six digits an authenticator shows now for the key on a setup page.
fn code_now(secret: &app::staff::totp::Secret, offset_steps: i64) -> String {
    let step = chrono::Utc::now().timestamp() / app::staff::totp::STEP_SECS + offset_steps;
    format!("{:06}", secret.code_at_step(step))
}

/// A code no nearby step has: certainly wrong.
fn wrong_code(secret: &app::staff::totp::Secret) -> String {
    let near: Vec<String> = (-2..=2).map(|o| code_now(secret, o)).collect();
    (0..1_000_000).map(|n| format!("{n:06}")).find(|c| !near.contains(c)).unwrap()
}

#[tokio::test]
async fn a_second_factor_is_set_up_then_asked_for_at_every_sign_in_and_required_where_the_role_says() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let me = app.sign_in("head.hrss").await;
        let page = app.get_as("/staff/second-factor", Some(&me)).await.text().await.unwrap();
        assert!(page.contains("Set up a second factor"), "{page}");
        let token = common::csrf(&page);
        let post = |body: String, cookie: String| {
            let app = &app;
            async move { app.post_as("/staff/second-factor", Some(&cookie), &body).await }
        };
        // The current password first.
        let wrong = post(format!("csrf_token={token}&action=start&current_password=nope"), me.clone()).await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong.text().await.unwrap().contains("Your current password is not right"));
        let started = post(format!("csrf_token={token}&action=start&current_password={DEMO_PASSWORD}"), me.clone()).await;
        assert_eq!(started.status(), StatusCode::OK);
        let page = started.text().await.unwrap();
        assert!(page.contains(r#"shape-rendering="crispEdges" class="qr""#), "a QR code to scan");
        let key = page.split(r#"<code class="secret-key">"#).nth(1).unwrap().split('<').next().unwrap();
        let secret = app::staff::totp::Secret::parse(key).expect("the key as shown");
        // A wrong first code: the same key again, and nothing set up.
        let refused = post(format!("csrf_token={token}&action=confirm&code={}", wrong_code(&secret)), me.clone()).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains(key), "the same key to try again");
        let first_code = code_now(&secret, 0);
        let confirmed = post(format!("csrf_token={token}&action=confirm&code={first_code}"), me.clone()).await;
        assert_eq!(confirmed.status(), StatusCode::OK);
        let page = confirmed.text().await.unwrap();
        let recovery: Vec<String> = page
            .split("<li><code>")
            .skip(1)
            .map(|piece| piece.split('<').next().unwrap().to_string())
            .collect();
        assert_eq!(recovery.len(), 10, "ten recovery codes, shown once");
        assert_eq!(app.get_as("/staff", Some(&me)).await.status(), StatusCode::OK, "this session stays");

        // The next sign-in asks for a code, and nothing opens until it is given.
        let signed_in = app.post_form("/staff/login", &format!("username=head.hrss&password={DEMO_PASSWORD}")).await;
        assert_eq!(signed_in.headers()[LOCATION], "/staff/login/code?next=/staff");
        let waiting = session_cookie(&signed_in);
        assert_eq!(app.get_as("/staff", Some(&waiting)).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get_as("/staff/login", Some(&waiting)).await.headers()[LOCATION], "/staff/login/code");
        let page = app.get_as("/staff/login/code", Some(&waiting)).await.text().await.unwrap();
        let waiting_csrf = common::csrf(&page);
        let give = |code: String, cookie: String, csrf: String| {
            let app = &app;
            async move { app.post_as("/staff/login/code", Some(&cookie), &format!("csrf_token={csrf}&code={code}&next=/staff")).await }
        };
        // The code that confirmed the setup was used: it does not work twice.
        let again = give(first_code, waiting.clone(), waiting_csrf.clone()).await;
        assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "a code works once");
        assert!(again.text().await.unwrap().contains("The code is not right"));
        // A recovery code (typed in capitals) works once.
        let with_recovery = give(recovery[0].to_uppercase(), waiting.clone(), waiting_csrf.clone()).await;
        assert_eq!(with_recovery.status(), StatusCode::SEE_OTHER);
        assert_eq!(with_recovery.headers()[LOCATION], "/staff");
        assert_eq!(app.get_as("/staff", Some(&waiting)).await.status(), StatusCode::OK);
        let other = app.post_form("/staff/login", &format!("username=head.hrss&password={DEMO_PASSWORD}")).await;
        let other = session_cookie(&other);
        let other_csrf = common::csrf(&app.get_as("/staff/login/code", Some(&other)).await.text().await.unwrap());
        let reused = give(recovery[0].clone(), other.clone(), other_csrf.clone()).await;
        assert_eq!(reused.status(), StatusCode::UNAUTHORIZED, "a recovery code works once");

        // An administrator makes department heads need one; a head without one sets it up
        // before anything else.
        let admin = app.sign_in("admin").await;
        let admin_csrf = common::csrf(&app.get_as("/staff/admin/staff", Some(&admin)).await.text().await.unwrap());
        let set = app
            .post_as("/staff/admin/second-factor", Some(&admin), &format!("csrf_token={admin_csrf}&roles=department_head&roles=nonsense"))
            .await;
        assert_eq!(set.headers()[LOCATION], "/staff/admin/staff?done=factor_roles");
        let civil = app.post_form("/staff/login", &format!("username=head.civil&password={DEMO_PASSWORD}")).await;
        assert_eq!(civil.headers()[LOCATION], "/staff/second-factor");
        let civil = session_cookie(&civil);
        assert_eq!(app.get_as("/staff", Some(&civil)).await.status(), StatusCode::SEE_OTHER);
        let page = app.get_as("/staff/second-factor", Some(&civil)).await.text().await.unwrap();
        assert!(page.contains("Your role must sign in with a second factor"));
        // The heads signed in before the change sign in again; nor can a head remove theirs now.
        assert_eq!(app.get_as("/staff", Some(&waiting)).await.status(), StatusCode::SEE_OTHER);
        let head = app.post_form("/staff/login", &format!("username=head.hrss&password={DEMO_PASSWORD}")).await;
        let head = session_cookie(&head);
        let head_csrf = common::csrf(&app.get_as("/staff/login/code", Some(&head)).await.text().await.unwrap());
        let passed = give(recovery[1].clone(), head.clone(), head_csrf.clone()).await;
        assert_eq!(passed.headers()[LOCATION], "/staff");
        let page = app.get_as("/staff/second-factor", Some(&head)).await.text().await.unwrap();
        assert!(!page.contains("Remove it"), "no removal where the role requires it");
        let removal = post(format!("csrf_token={head_csrf}&action=remove&current_password={DEMO_PASSWORD}"), head.clone()).await;
        assert_eq!(removal.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(removal.text().await.unwrap().contains("cannot be removed"));
        let waiting = head;

        // A head who lost their phone: the administrator resets it; every session of theirs ends.
        let reset = app
            .post_as("/staff/admin/staff/head.hrss/second-factor/reset", Some(&admin), &format!("csrf_token={admin_csrf}"))
            .await;
        assert_eq!(reset.headers()[LOCATION], "/staff/admin/staff?done=factor_reset");
        assert_eq!(app.get_as("/staff", Some(&waiting)).await.status(), StatusCode::SEE_OTHER);
        let after = app.post_form("/staff/login", &format!("username=head.hrss&password={DEMO_PASSWORD}")).await;
        assert_eq!(after.headers()[LOCATION], "/staff/second-factor", "a new one, as the role now requires");
        let trail = app.server.state.store.audit_entries(50).await.unwrap();
        for action in ["second_factor_added", "second_factor_removed", "setting_changed"] {
            assert!(trail.iter().any(|e| e.action == action), "{action} in the audit trail");
        }
        app.stop().await;
    }
}
