//! The server over real HTTP: each test starts it on port 0 with its own fresh database
//! and talks to it as a browser without JavaScript, or as the hydrated page, would.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, RETRY_AFTER, SET_COOKIE};
use server::config::{Config, RateLimit, TrustedNet};

#[tokio::test]
async fn health_reports_the_database_on_both_backends() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let response = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"]["backend"], backend.name());
        assert_eq!(body["database"]["status"], "ok");
        // Ready for a load balancer once the start-up roll-up and render-ahead are done:
        // 503 "starting" until then, never anything else.
        let ready = async {
            loop {
                let response = app.client.get(app.url("/readyz")).send().await.unwrap();
                let status = response.status();
                let body: serde_json::Value = response.json().await.unwrap();
                if status == StatusCode::OK {
                    break body;
                }
                assert_eq!((status, body["status"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("starting")));
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        };
        let body = tokio::time::timeout(std::time::Duration::from_secs(60), ready).await.expect("ready within a minute");
        assert_eq!(body["status"], "ready");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_rating_from_the_plain_form_is_thanked_and_counted_on_both_backends() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let response = app
            .post_form(
                "/c/a01",
                "level=2&tags=waiting&tags=attitude&comment=%E5%A4%AA%E6%85%A2&ticket=q-17",
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/c/A01/thanks");

        let (status, thanks) = app.get_text("/c/A01/thanks", "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(thanks.contains("Thank you for your rating"));
        assert!(
            thanks.contains("/complain?counter=A01"),
            "the thanks page links to a complaint about the same counter"
        );

        let (_, page) = app.get_text("/c/A01", "en").await;
        assert!(
            page.contains("No ratings before today"),
            "today's ratings are not public yet"
        );
        let (_, stats) = app.get_text("/stats", "en").await;
        assert!(stats.contains("Counter 1: Social insurance registration"));
        assert_eq!(app.server.state.store.count_ratings().await.unwrap(), 1);
        app.stop().await;
    }
}

#[tokio::test]
async fn public_numbers_stop_before_today_and_show_a_rate_only_from_ten_ratings() {
    let app = TestApp::sqlite().await;
    let store = &app.server.state.store;
    let a01 = common::counter(&app, "A01").await;
    let rating = |level, day: &str| common::rating(&a01, level, day);
    let earlier: Vec<_> = (0..9)
        .map(|i| rating(if i < 6 { 5 } else { 1 }, "2026-01-05"))
        .collect();
    store.insert_ratings(&earlier).await.unwrap();
    let (_, page) = app.get_text("/c/A01", "en").await;
    assert!(
        page.contains("9 ratings before today<"),
        "nine ratings: a count but no rate"
    );
    store
        .insert_ratings(&[rating(1, "2026-01-06")])
        .await
        .unwrap();
    let (_, page) = app.get_text("/c/A01", "en").await;
    assert!(page.contains("10 ratings before today, 60% good"));
    let today = app.server.state.ratings.today();
    store.insert_ratings(&[rating(1, &today)]).await.unwrap();
    let (_, stats) = app
        .get_text("/stats?period=year&at=2026-01-05&level=counter&unit=A01", "en")
        .await;
    assert!(
        stats.contains(">10<") && stats.contains(">60.0%"),
        "today's rating is not published yet"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_second_rating_with_the_same_ticket_at_the_same_hall_is_refused() {
    let app = TestApp::sqlite().await;
    assert_eq!(
        app.post_form("/c/A01", "level=5&ticket=T-100")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let again = app
        .post_form_with(
            "/c/A02",
            "level=1&comment=second+try&ticket=t-100",
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let page = again.text().await.unwrap();
    assert!(page.contains("This ticket number has already been used to rate at this hall"));
    assert!(
        page.contains("second try"),
        "what the citizen typed is kept"
    );
    // Another hall has its own ticket numbers.
    assert_eq!(
        app.post_form("/c/B01", "level=5&ticket=T-100")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.server.state.store.count_ratings().await.unwrap(), 2);
    app.stop().await;
}

#[tokio::test]
async fn a_form_with_problems_is_shown_again_with_every_problem_and_the_input_kept() {
    let app = TestApp::sqlite().await;
    let long = "字".repeat(501);
    let response = app
        .post_form_with(
            "/c/A03",
            &format!("comment={long}&ticket=%3Cscript%3E"),
            &[("cookie", "lang=zh-Hans")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("请选择您对本次服务的满意程度"));
    assert!(page.contains("意见不能超过 500 字"));
    assert!(page.contains("票号只能包含字母"));
    assert!(
        page.contains("&lt;script&gt;"),
        "the typed ticket is kept, escaped"
    );
    assert!(
        !page.contains("<script>alert"),
        "nothing typed is echoed unescaped"
    );
    assert_eq!(app.server.state.store.count_ratings().await.unwrap(), 0);
    app.stop().await;
}

#[tokio::test]
async fn unknown_counters_get_a_translated_404_and_retired_ones_a_410() {
    let app = TestApp::sqlite().await;
    let (status, page) = app.get_text("/c/NOPE", "en-GB,en;q=0.9").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Counter not found"));
    // A retired counter's sticker may still be up: it has closed, and takes no rating.
    let (status, page) = app.get_text("/c/B06", "zh-TW").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("這個窗口已停用"));
    assert!(!page.contains("提交評價"), "no rating form");
    assert_eq!(app.post_form("/c/B06", "level=5").await.status(), StatusCode::NOT_FOUND);
    let response = app.post_form("/c/NOPE", "level=5").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (status, _) = app.get_text("/no/such/page", "en").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn bad_requests_get_a_4xx_never_a_5xx() {
    let app = TestApp::sqlite().await;
    let big = "a".repeat(70 * 1024);
    let response = app
        .post_form("/c/A01", &format!("level=5&comment={big}"))
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let bodies = [
        "%FF%FE=%C0",
        "level=5&level=4",
        "tags[]=1&&&==",
        "level=5&tags=bribery",
        "\u{0}\u{1}",
    ];
    for body in bodies {
        let status = app.post_form("/c/A01", body).await.status();
        assert!(status.is_client_error(), "{body:?} gave {status}");
    }
    for body in [
        "garbage",
        "code=A01&form[level]=9",
        "code=%00&form[level]=5",
    ] {
        let status = app.post_form("/api/rate", body).await.status();
        assert!(status.is_client_error(), "/api/rate {body:?} gave {status}");
    }
    let status = app
        .client
        .get(app.url("/api/counter?code=%2F..%2F"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let not_utf8 = app
        .client
        .post(app.url("/api/rate"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'c', b'o', b'd', b'e', b'=', 0xFF, 0xFE, b'&'])
        .send()
        .await
        .unwrap();
    assert_eq!(not_utf8.status(), StatusCode::BAD_REQUEST);
    // A comment that tries to close the text box comes back as text, not markup.
    let page = app
        .post_form("/c/A01", "comment=%3C%2Ftextarea%3E%3Cb%3Ex&ticket=%25%25")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("&lt;/textarea&gt;&lt;b&gt;x") && !page.contains("</textarea><b>x"));
    assert_eq!(
        app.server.state.store.count_ratings().await.unwrap(),
        0,
        "nothing half-written"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_hydrated_form_gets_typed_errors_with_their_status() {
    let app = TestApp::sqlite().await;
    let ok = app
        .post_form("/api/rate", "code=A01&form[level]=4&form[tags][0]=speed")
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let invalid = app
        .post_form("/api/rate", "code=A01&form[comment]=hi")
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        invalid.text().await.unwrap(),
        r#"{"Invalid":[["Level","LevelRequired"]]}"#
    );
    assert_eq!(
        app.post_form("/api/rate", "code=ZZ9&form[level]=4")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn a_post_from_another_site_is_refused() {
    let app = TestApp::sqlite().await;
    let response = app
        .post_form_with(
            "/c/A01",
            "level=1",
            &[
                ("origin", "https://evil.example"),
                ("accept-language", "en"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("did not come from one of this site")
    );
    let same = app
        .post_form_with("/c/A01", "level=1", &[("origin", &app.base)])
        .await;
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.server.state.store.count_ratings().await.unwrap(), 1);
    app.stop().await;
}

#[tokio::test]
async fn too_many_posts_from_one_address_get_429_with_retry_after() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.rate_limit = RateLimit {
            per_minute: 6,
            burst: 3,
        }
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            app.post_form("/c/A01", "level=5").await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let refused = app
        .post_form_with("/c/A01", "level=5", &[("accept-language", "en")])
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&wait), "retry after {wait}s");
    assert!(refused.text().await.unwrap().contains("Too many attempts"));
    let api = app.post_form("/api/rate", "code=A01&form[level]=5").await;
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(api.text().await.unwrap().contains("RateLimited"));
    // Reading pages is never limited.
    assert_eq!(
        app.client
            .get(app.url("/c/A01"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.server.state.store.count_ratings().await.unwrap(), 3);
    app.stop().await;
}

#[tokio::test]
async fn citizens_using_up_their_budget_leave_the_staff_on_the_same_wifi_working() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.rate_limit = RateLimit { per_minute: 6, burst: 3 }
    })
    .await;
    // A clerk signs in from the hall's network, then the citizens on it rate until refused.
    let clerk = app.sign_in("staff.a01").await;
    let csrf = common::csrf(&app.get_as("/staff", Some(&clerk)).await.text().await.unwrap());
    while app.post_form("/c/A01", "level=5").await.status() != StatusCode::TOO_MANY_REQUESTS {}
    assert_eq!(app.post_form("/c/A02", "level=4").await.status(), StatusCode::TOO_MANY_REQUESTS);
    // The clerk's work has a budget of its own (by session), and so does signing in.
    for _ in 0..5 {
        let page = app.post_as("/staff/cases/999999", Some(&clerk), &format!("csrf_token={csrf}&action=note&body=x")).await;
        assert_ne!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    let head = app.post_form("/staff/login", &format!("username=head.hrss&password={}", app::demo::DEMO_PASSWORD)).await;
    assert_eq!(head.status(), StatusCode::SEE_OTHER);
    // Downloads have a budget of their own: the open data still comes.
    assert_eq!(app.get_as("/stats/export.csv?period=month", None).await.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn downloads_past_their_budget_are_told_when_to_come_back_and_pages_are_not() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.download_limit = RateLimit { per_minute: 2, burst: 3 };
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.get_as("/stats/export.csv?period=month", None).await.status(), StatusCode::OK);
    }
    let refused = app.get_as("/stats/export.json?period=month", None).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key(RETRY_AFTER));
    assert!(refused.text().await.unwrap().contains("Too many attempts"));
    assert_eq!(app.get_as("/stats", None).await.status(), StatusCode::OK, "pages are not downloads");
    app.stop().await;
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    let limited = |c: &mut Config| {
        c.rate_limit = RateLimit {
            per_minute: 1,
            burst: 1,
        }
    };
    async fn post_as(app: &TestApp, client_ip: &str) -> StatusCode {
        app.post_form_with("/c/A01", "level=4", &[("x-forwarded-for", client_ip)])
            .await
            .status()
    }
    let untrusted = TestApp::start(Backend::Sqlite, limited).await;
    assert_eq!(
        post_as(&untrusted, "198.51.100.1").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post_as(&untrusted, "198.51.100.2").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a spoofed header is not a new client"
    );
    untrusted.stop().await;

    let behind_proxy = TestApp::start(Backend::Sqlite, |c| {
        limited(c);
        c.trusted_proxies = vec![TrustedNet::parse("127.0.0.1").unwrap()];
    })
    .await;
    assert_eq!(
        post_as(&behind_proxy, "198.51.100.1").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post_as(&behind_proxy, "198.51.100.2").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post_as(&behind_proxy, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    behind_proxy.stop().await;
}

#[tokio::test]
async fn the_language_follows_the_browser_and_a_chosen_language_sticks() {
    let app = TestApp::sqlite().await;
    let (_, page) = app.get_text("/", "zh-CN,zh;q=0.9").await;
    assert!(page.contains(r#"<html lang="zh-Hans""#));
    assert!(page.contains("为政务服务窗口评价"));
    let (_, page) = app.get_text("/", "fr").await;
    assert!(
        page.contains(r#"<html lang="zh-Hant""#),
        "zh-Hant is the default"
    );

    let switch = app
        .client
        .get(app.url("/lang/en?next=%2Fc%2FA01"))
        .send()
        .await
        .unwrap();
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(switch.headers()[LOCATION], "/c/A01");
    let cookie = switch.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("lang=en;")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let page = app
        .client
        .get(app.url("/c/A01"))
        .header(COOKIE, "lang=en")
        .header(ACCEPT_LANGUAGE, "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Rate this counter&#x27;s service")
            || page.contains("Rate this counter's service")
    );

    let escape = app
        .client
        .get(app.url("/lang/en?next=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(escape.headers()[LOCATION], "/", "no open redirect");
    app.stop().await;
}

#[tokio::test]
async fn the_home_page_lists_halls_departments_and_counters() {
    let app = TestApp::sqlite().await;
    let (status, page) = app.get_text("/", "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Qinghe County Government Service Centre, Ground Floor Hall"));
    assert!(page.contains("Qinghe County Real Estate Registration Hall"));
    assert!(page.contains("Market Regulation Administration"));
    assert!(page.contains(r#"href="/c/B05""#));
    assert!(
        !page.contains(r#"href="/c/B06""#),
        "retired counters are not offered"
    );
    assert!(page.contains(r#"href="/complain""#) && page.contains(r#"href="/stats""#));
    app.stop().await;
}

/// Pages rendered on the server while many requests are in flight on several worker
/// threads, and while other servers start in the same process: every one is answered in
/// full. A reactive value read after its page was disposed once dropped a quarter of the
/// rating pages under load; and building a router used to list the routes each time, which
/// suppresses resource loading through a process-wide flag, so a page whose data began
/// loading at that moment never finished (one in a few hundred pages here, 0% CPU).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_answer_every_one_of_many_simultaneous_requests() {
    // 64 at once, as many as a busy hall's phones.
    const SIMULTANEOUS: usize = 64;
    let app = TestApp::sqlite().await;
    let token = app
        .server
        .state
        .cases
        .file(
            &app::domain::ComplaintForm {
                category: "delay".into(),
                counter: "A01".into(),
                occurred_on: "2026-03-02".into(),
                what_happened: "Waited".into(),
                identity: "anonymous".into(),
                ..Default::default()
            },
            &[],
            "load-1",
            app::i18n::Locale::En,
        )
        .await
        .unwrap()
        .token;
    let paths = [
        "/".to_string(),
        "/c/A01".to_string(),
        "/stats".to_string(),
        "/complain?counter=A01".to_string(),
        format!("/track/{}", token.as_str()),
    ];
    for path in paths {
        let mut requests = tokio::task::JoinSet::new();
        for _ in 0..SIMULTANEOUS {
            let (client, url) = (app.client.clone(), app.url(&path));
            requests.spawn(async move {
                match client
                    .get(url)
                    .timeout(std::time::Duration::from_secs(60))
                    .send()
                    .await
                {
                    Ok(r) => (
                        r.status(),
                        r.text()
                            .await
                            .map(|t| t.contains("</html>"))
                            .unwrap_or(false),
                    ),
                    Err(_) => (StatusCode::BAD_GATEWAY, false),
                }
            });
        }
        // Routers built meanwhile, again and again, as a second server in the same process
        // (another test's) builds its own.
        let answered = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let neighbours = tokio::task::spawn_blocking({
            let (answered, state) = (answered.clone(), app.server.state.clone());
            move || {
                let c = server::config::Config::default();
                while !answered.load(std::sync::atomic::Ordering::Relaxed) {
                    let guard = server::http::guard::Guard::new(
                        c.rate_limit,
                        c.download_limit,
                        c.trusted_proxies.clone(),
                        c.max_body_bytes,
                        c.max_upload_bytes,
                        &c.public_base_url,
                    );
                    drop(server::http::router(state.clone(), guard, false));
                }
            }
        });
        // A hang is a failure with a name, not a stuck run.
        let answers =
            tokio::time::timeout(std::time::Duration::from_secs(120), requests.join_all())
                .await
                .unwrap_or_else(|_| {
                    panic!("{path}: {SIMULTANEOUS} simultaneous requests not all answered in 120 s")
                });
        answered.store(true, std::sync::atomic::Ordering::Relaxed);
        neighbours.await.expect("routers are built meanwhile");
        let failed = answers
            .iter()
            .filter(|(s, whole)| *s != StatusCode::OK || !whole)
            .count();
        assert_eq!(
            failed, 0,
            "{path}: {failed} of {SIMULTANEOUS} requests failed"
        );
    }
    app.stop().await;
}

/// The nonce of a page's `<meta>` script policy.
fn page_nonce(page: &str) -> String {
    let policy = page
        .split(r#"<meta http-equiv="Content-Security-Policy" content=""#)
        .nth(1)
        .expect("a script policy in the page")
        .split('"')
        .next()
        .unwrap();
    policy.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string()
}

#[tokio::test]
async fn pages_run_only_their_own_scripts_and_cannot_be_framed() {
    let app = TestApp::start(Backend::Sqlite, |_| {}).await;
    let mut nonces = Vec::new();
    for path in ["/c/A01", "/c/A01", "/stats", "/complain"] {
        let response = app.get_as(path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let header = response.headers()["content-security-policy"].to_str().unwrap().to_string();
        for part in ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"] {
            assert!(header.contains(part), "{path}: {part} in {header}");
        }
        let page = response.text().await.unwrap();
        let nonce = page_nonce(&page);
        assert!(nonce.len() >= 16, "{path}: a nonce worth the name");
        // Every script the page holds is its own (carries the nonce) or a file of this site.
        for script in page.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap();
            assert!(tag.contains(&format!(r#"nonce="{nonce}""#)) || tag.contains(r#"src="/"#), "{path}: <script{tag}>");
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a new nonce for every page");
    app.stop().await;
}
