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
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
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
