//! Open311 GeoReport v2 over real HTTP, on SQLite and PostgreSQL: discovery, services and
//! their definitions, a complaint's public status in JSON and XML (and nothing personal),
//! complaints posted by a channel with its key (made and revoked by an administrator), and
//! refusals as the specification's error list with a 4xx.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

async fn get(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let (status, _, body) = app.get_decoded(path, None, "gzip, br").await;
    let kind = app.get_as(path, None).await.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string());
    (status, kind.unwrap_or_default(), String::from_utf8(body).unwrap())
}

async fn json(app: &TestApp, path: &str) -> (StatusCode, serde_json::Value) {
    let (status, kind, body) = get(app, path).await;
    assert_eq!(kind, "application/json; charset=utf-8", "{path}");
    (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")))
}

#[tokio::test]
async fn a_complaint_reads_back_through_open311_with_nothing_personal() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let cases = &app.server.state.cases;
        let form = app::domain::ComplaintForm {
            category: "rude_language".into(),
            counter: "A01".into(),
            occurred_on: "2026-03-02".into(),
            what_happened: "The clerk shouted at Wang Xiaoming.".into(),
            identity: "named".into(),
            name: "Wang Xiaoming".into(),
            email: "wang@example.org".into(),
            ..Default::default()
        };
        cases.file(&form, &[], "open311-1", app::i18n::Locale::En).await.unwrap();
        let id = common::newest_case(&app).await.id;

        let (status, list) = json(&app, "/open311/v2/requests.json").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let mine = list.as_array().unwrap().iter().find(|r| r["service_request_id"] == id.to_string()).expect("listed");
        assert_eq!(mine["status"], "open");
        assert_eq!(mine["service_code"], "rude_language");
        assert!(mine["agency_responsible"].as_str().is_some_and(|d| !d.is_empty()), "{mine}");
        assert!(mine["requested_datetime"].as_str().unwrap().ends_with("+08:00"), "{mine}");

        let (status, kind, xml) = get(&app, &format!("/open311/v2/requests/{id}.xml")).await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/xml; charset=utf-8"));
        assert!(xml.contains(&format!("<service_requests><request><service_request_id>{id}</service_request_id><status>open</status>")), "{xml}");
        for personal in ["Wang", "wang@example.org", "shouted"] {
            assert!(!xml.contains(personal), "{personal} in {xml}");
            assert!(!list.to_string().contains(personal), "{personal} in the list");
        }

        // Filters: the category and status pick it or leave it out.
        let (_, picked) = json(&app, "/open311/v2/requests.json?service_code=rude_language&status=open").await;
        assert!(picked.as_array().unwrap().iter().any(|r| r["service_request_id"] == id.to_string()));
        let (_, left) = json(&app, "/open311/v2/requests.json?service_code=delay,favouritism").await;
        assert!(left.as_array().unwrap().iter().all(|r| r["service_request_id"] != id.to_string()));
        let (_, closed) = json(&app, "/open311/v2/requests.json?status=closed").await;
        assert!(closed.as_array().unwrap().is_empty(), "{closed}");
        app.stop().await;
    }
}

#[tokio::test]
async fn discovery_services_and_definitions_follow_the_specification() {
    let app = TestApp::sqlite().await;
    let (status, discovery) = json(&app, "/open311/v2/discovery.json").await;
    assert_eq!(status, StatusCode::OK);
    let endpoint = &discovery["endpoints"][0];
    assert_eq!(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(endpoint["url"].as_str().unwrap().ends_with("/open311/v2"));
    let (_, _, xml) = get(&app, "/open311/v2/discovery.xml").await;
    assert!(xml.contains("<formats><format>text/xml</format><format>application/json</format></formats>"), "{xml}");

    let (_, services) = json(&app, "/open311/v2/services.json?jurisdiction_id=demo").await;
    let codes: Vec<&str> = services.as_array().unwrap().iter().map(|s| s["service_code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 12);
    assert!(codes.contains(&"hard_to_enter") && codes.contains(&"soliciting"));
    assert_eq!(services[0]["service_name"], "Hard to get in or be seen");

    let (status, definition) = json(&app, "/open311/v2/services/extra_requirements.json").await;
    assert_eq!(status, StatusCode::OK);
    let attributes = definition["attributes"].as_array().unwrap();
    let codes: Vec<&str> = attributes.iter().map(|a| a["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["hall", "department", "counter", "staff_badge"]);
    let counters = attributes[2]["values"].as_array().unwrap();
    assert!(counters.iter().any(|v| v["key"] == "A01"), "{counters:?}");

    // Asked in Chinese, the names are Chinese.
    let (_, page) = app.get_text("/open311/v2/services.json", "zh-Hans").await;
    assert!(page.contains("门难进"), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn bad_requests_get_the_error_list_and_a_4xx() {
    let app = TestApp::sqlite().await;
    for (path, status, words) in [
        ("/open311/v2/requests.json?start_date=yesterday", StatusCode::BAD_REQUEST, "W3C format"),
        ("/open311/v2/requests.json?status=pending", StatusCode::BAD_REQUEST, "open or closed"),
        ("/open311/v2/requests.json?service_request_id=1;2", StatusCode::BAD_REQUEST, "case numbers"),
        ("/open311/v2/requests.json?start_date=2026-03-02&end_date=2026-03-01", StatusCode::BAD_REQUEST, "after"),
        ("/open311/v2/requests.json?service_code=nonsense", StatusCode::BAD_REQUEST, "services.json"),
        ("/open311/v2/services/nonsense.json", StatusCode::NOT_FOUND, "service_code"),
        ("/open311/v2/requests/999999.json", StatusCode::NOT_FOUND, "service_request_id"),
        ("/open311/v2/requests/abc.json", StatusCode::NOT_FOUND, "service_request_id"),
        ("/open311/v2/services.csv", StatusCode::NOT_FOUND, ".json or .xml"),
    ] {
        let (got, list) = json(&app, path).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(list[0]["code"], status.as_u16(), "{path}");
        assert!(list[0]["description"].as_str().unwrap().contains(words), "{path}: {list}");
    }
    let (status, kind, xml) = get(&app, "/open311/v2/requests.xml?end_date=nonsense").await;
    assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "text/xml; charset=utf-8"));
    assert!(xml.contains("<errors><error><code>400</code>"), "{xml}");
    let (_, page) = app.get_text("/open311/v2/requests.json?status=x", "zh-Hant").await;
    assert!(page.contains("status 須為 open 或 closed"), "translated: {page}");

    app.stop().await;
}

/// An administrator makes a channel on its page; gives the key the answer showed.
async fn make_channel(app: &TestApp, admin: &str, name: &str) -> String {
    let page = app.get_as("/staff/admin/channels", Some(admin)).await.text().await.unwrap();
    let token = common::csrf(&page);
    let response = app
        .post_as("/staff/admin/channels", Some(admin), &format!("csrf_token={token}&name={name}"))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let page = response.text().await.unwrap();
    page.split(r#"<code class="secret-key">"#).nth(1).expect("the key is shown").split('<').next().unwrap().to_string()
}

async fn post(app: &TestApp, file: &str, body: &str) -> (StatusCode, String) {
    let response = app
        .client
        .post(app.url(&format!("/open311/v2/{file}")))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("accept-language", "en")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_channel_posts_a_complaint_that_staff_handle_and_a_revoked_key_is_refused() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let admin = app.sign_in("admin").await;
        let key = make_channel(&app, &admin, "12345%20hotline").await;
        assert_eq!(key.len(), 43, "{key}");
        // Shown once: the page read again lists the channel, never its key.
        let page = app.get_as("/staff/admin/channels", Some(&admin)).await.text().await.unwrap();
        assert!(page.contains("12345 hotline") && !page.contains(&key), "{backend:?}");

        let before = common::all_cases(&app).await.len();
        let complaint = format!(
            "api_key={key}&service_code=delay&attribute%5Bcounter%5D=A01&description=Waited%20three%20hours.&first_name=Li&last_name=Hua&phone=13800138000"
        );
        let (status, body) = post(&app, "requests.json", &complaint).await;
        assert_eq!(status, StatusCode::CREATED, "{backend:?}: {body}");
        let taken: serde_json::Value = serde_json::from_str(&body).unwrap();
        let id: i64 = taken[0]["service_request_id"].as_str().unwrap().parse().unwrap();
        assert!(taken[0]["service_notice"].as_str().unwrap().contains("/track/"), "{body}");
        assert_eq!(common::all_cases(&app).await.len(), before + 1);

        // Staff see where it came from, and handle it as any other.
        let head = app.sign_in("head.hrss").await;
        let case = app.get_as(&format!("/staff/cases/{id}"), Some(&head)).await.text().await.unwrap();
        assert!(case.contains("Came through") && case.contains("12345 hotline"), "{backend:?}");
        app.act_as("head.hrss", id, app::views::ActionForm { action: "accept".into(), ..Default::default() }).await;
        let (_, status) = json(&app, &format!("/open311/v2/requests/{id}.json")).await;
        assert_eq!(status[0]["status"], "open");
        assert_eq!(status[0]["status_notes"], "Accepted");

        // A bad field is named as the poster sent it, and nothing is stored.
        let (status, body) = post(&app, "requests.xml", &format!("api_key={key}&service_code=delay&description=x")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("<errors><error><code>400</code><description>attribute[hall]:"), "{body}");

        // A wrong key, no key and a revoked key: 403, nothing filed.
        for bad in ["api_key=nonsense&service_code=delay", "service_code=delay"] {
            let (status, body) = post(&app, "requests.json", bad).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
            assert!(body.contains("api_key"), "{body}");
        }
        let page = app.get_as("/staff/admin/channels", Some(&admin)).await.text().await.unwrap();
        let channel = page.split("/staff/admin/channels/").nth(1).unwrap().split('/').next().unwrap().to_string();
        let response = app
            .post_as(&format!("/staff/admin/channels/{channel}/revoke"), Some(&admin), &format!("csrf_token={}", common::csrf(&page)))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (status, _) = post(&app, "requests.json", &complaint).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}: a revoked key");
        assert_eq!(common::all_cases(&app).await.len(), before + 1);
        let page = app.get_as("/staff/admin/channels", Some(&admin)).await.text().await.unwrap();
        assert!(page.contains("Revoked"), "{backend:?}");

        // Only administrators make channels.
        let page = app.get_as("/staff/admin/channels", Some(&head)).await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        let response = app.post_as("/staff/admin/channels", Some(&head), "csrf_token=x&name=mine").await;
        assert!(response.status().is_client_error(), "{}", response.status());
        app.stop().await;
    }
}

#[tokio::test]
async fn a_post_that_is_not_form_fields_is_refused_with_the_error_list() {
    let app = TestApp::sqlite().await;
    let response = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"service_code":"delay"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let list: serde_json::Value = response.json().await.unwrap();
    assert!(list[0]["description"].as_str().unwrap().contains("form-urlencoded"), "{list}");
    let (status, _) = post(&app, "services.json", "api_key=x").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}
