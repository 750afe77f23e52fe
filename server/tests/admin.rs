//! Administration over real HTTP: only administrators reach any admin route (pages, data
//! and posts); counters are added, renamed and retired, each change in the audit trail; a
//! retired counter's QR page sends people to its replacement; the QR sheet links every open
//! counter of a hall to the public address.

mod common;

use common::{TestApp, csrf};
use reqwest::StatusCode;
use reqwest::header::LOCATION;

#[tokio::test]
async fn every_admin_route_is_for_administrators_only() {
    // Many posts from one address: the rate limit is not what this test is about.
    let app = TestApp::start(app::store::Backend::Sqlite, |c| {
        c.rate_limit.per_minute = 1_000;
        c.rate_limit.burst = 1_000;
    })
    .await;
    let reads = ["/staff/admin", "/staff/admin/halls/H1/qr", "/api/admin", "/api/qr_sheet?hall=H1"];
    // Signed out: the pages send to the sign-in page, the data is not given.
    for path in &reads[..2] {
        let response = app.get_as(path, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(response.headers()[LOCATION].to_str().unwrap().starts_with("/staff/login"));
    }
    let posts = [
        "/staff/admin/counters",
        "/staff/admin/counters/A01/rename",
        "/staff/admin/counters/A01/retire",
    ];
    for path in posts {
        let response = app.post_as(path, None, "code=Z9&hall=H1").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
    }
    for username in ["staff.a01", "head.hrss", "supervisor"] {
        let cookie = app.sign_in(username).await;
        for path in reads {
            let response = app.get_as(path, Some(&cookie)).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{username} {path}");
        }
        // A real token of their own (from the inbox's sign-out form): refused by role,
        // not by CSRF.
        let token = csrf(&app.get_as("/staff", Some(&cookie)).await.text().await.unwrap());
        for path in posts {
            let body = format!(
                "csrf_token={token}&code=Z9&hall=H1&department=HRSS&name_zh_hant=x&name_zh_hans=x&name_en=x"
            );
            let response = app.post_as(path, Some(&cookie), &body).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{username} {path}");
        }
    }
    let names: Vec<String> = app
        .server
        .state
        .store
        .all_counters()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.code)
        .collect();
    assert!(!names.contains(&"Z9".to_string()), "nothing was written");
    let admin = app.sign_in("admin").await;
    for path in reads {
        assert_eq!(app.get_as(path, Some(&admin)).await.status(), StatusCode::OK, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn counters_are_added_renamed_and_retired_with_an_audit_trail() {
    let app = TestApp::sqlite().await;
    let admin = app.sign_in("admin").await;
    let page = app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap();
    let token = csrf(&page);
    let add = |code: &str| {
        format!(
            "csrf_token={token}&code={code}&hall=H1&department=HRSS&name_zh_hant=%E7%B6%9C%E5%90%88&name_zh_hans=%E7%BB%BC%E5%90%88&name_en=Counter+Z%3A+General"
        )
    };
    let response = app.post_as("/staff/admin/counters", Some(&admin), &add("z01")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/staff/admin?done=created");
    let (status, page) = app.get_text("/c/Z01", "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Counter Z: General"));

    // The same code again, and a code that cannot be printed on a sticker.
    let again = app.post_as("/staff/admin/counters", Some(&admin), &add("Z01")).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("already has this code"));
    let bad = app.post_as("/staff/admin/counters", Some(&admin), &add("Z%2001%21")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("only letters, digits or hyphens"));

    let rename = format!(
        "csrf_token={token}&name_zh_hant=%E6%96%B0&name_zh_hans=%E6%96%B0&name_en=Counter+Z%3A+Renamed"
    );
    let response = app.post_as("/staff/admin/counters/Z01/rename", Some(&admin), &rename).await;
    assert_eq!(response.headers()[LOCATION], "/staff/admin?done=renamed");
    assert!(app.get_text("/c/Z01", "en").await.1.contains("Counter Z: Renamed"));

    // A03 closes; its sticker now sends people to Z01.
    let response = app
        .post_as("/staff/admin/counters/A03/retire", Some(&admin), &format!("csrf_token={token}&replaced_by=Z01"))
        .await;
    assert_eq!(response.headers()[LOCATION], "/staff/admin?done=retired");
    let (status, page) = app.get_text("/c/A03", "en").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("This counter has closed"));
    assert!(page.contains("Please go to Counter Z: Renamed (Z01) instead."));
    assert!(page.contains(r#"href="/c/Z01""#));
    assert_eq!(app.post_form("/c/A03", "level=5").await.status(), StatusCode::NOT_FOUND);
    // Retired once is retired: a second time is not found.
    let twice = app
        .post_as("/staff/admin/counters/A03/retire", Some(&admin), &format!("csrf_token={token}"))
        .await;
    assert_eq!(twice.status(), StatusCode::NOT_FOUND);

    let page = app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap();
    let trail = page.split("Audit trail").nth(1).expect("the audit trail");
    for words in ["Counter added", "Counter renamed", "Counter retired", "go to Z01 instead"] {
        assert!(trail.contains(words), "{words} in the audit trail");
    }
    assert_eq!(trail.matches("<td>admin</td>").count(), 3, "three changes, each by admin");
    app.stop().await;
}

#[tokio::test]
async fn the_qr_sheet_links_every_open_counter_of_a_hall_to_the_public_address() {
    let app = TestApp::start(app::store::Backend::Sqlite, |c| {
        c.public_base_url = "https://counterpoint.example.gov".into();
    })
    .await;
    let admin = app.sign_in("admin").await;
    let response = app.get_as("/staff/admin/halls/H2/qr", Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let open: Vec<String> = app
        .server
        .state
        .store
        .directory()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.hall_code == "H2")
        .map(|c| c.code)
        .collect();
    assert!(open.len() >= 4);
    for code in &open {
        let url = format!("https://counterpoint.example.gov/c/{code}");
        assert!(page.contains(&format!(r#"href="{url}""#)), "{code} on the sheet");
        assert!(page.contains(&format!(r#"aria-label="QR: {url}""#)), "{code}'s QR code");
    }
    assert_eq!(page.matches(r#"<li class="qr-card">"#).count(), open.len());
    assert!(!page.contains("/c/B06"), "a retired counter gets no card");
    assert_eq!(
        app.get_as("/staff/admin/halls/NOPE/qr", Some(&admin)).await.status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}
