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
    let reads = [
        "/staff/admin",
        "/staff/admin/halls/H1/qr",
        "/staff/admin/services",
        "/staff/admin/staff",
        "/staff/admin/limits",
        "/staff/admin/channels",
        "/api/admin",
        "/api/qr_sheet?hall=H1",
        "/api/admin_services",
        "/api/admin_staff",
        "/api/admin_limits",
        "/api/admin_channels",
    ];
    // Signed out: the pages send to the sign-in page, the data is not given.
    for path in &reads[..6] {
        let response = app.get_as(path, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(response.headers()[LOCATION].to_str().unwrap().starts_with("/staff/login"));
    }
    let posts = [
        "/staff/admin/counters",
        "/staff/admin/counters/A01/rename",
        "/staff/admin/counters/A01/retire",
        "/staff/admin/services",
        "/staff/admin/services/CIVIL-001",
        "/staff/admin/halls",
        "/staff/admin/halls/H1/rename",
        "/staff/admin/halls/H1/retire",
        "/staff/admin/departments",
        "/staff/admin/departments/HRSS/rename",
        "/staff/admin/departments/HRSS/retire",
        "/staff/admin/staff",
        "/staff/admin/staff/staff.a01",
        "/staff/admin/staff/staff.a01/password",
        "/staff/admin/public-url",
        "/staff/admin/limits",
        "/staff/admin/channels",
        "/staff/admin/channels/1/revoke",
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
                "csrf_token={token}&code=Z9&hall=H1&department=HRSS&name_zh_hant=x&name_zh_hans=x&name_en=x\
                 &time_limit_days=1&materials_zh_hant=x&materials_zh_hans=x&materials_en=x\
                 &username=z9&display_name=x&role=administrator&password=counterpoint-demo\
                 &public_url=https%3A%2F%2Fevil.example&complaint.all.accept=9&complaint.all.reply=9\
                 &complaint.all.confirm=9&complaint.all.transfer=9&rating_followup.all.follow_up=9\
                 &rating_followup.all.transfer=9"
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
    let items = app.server.state.store.service_items().await.unwrap();
    assert!(!items.iter().any(|i| i.code == "Z9"), "no service item was added");
    let halls = app.server.state.store.halls().await.unwrap();
    assert!(!halls.iter().any(|h| h.code == "Z9"), "no hall was added");
    assert!(halls.iter().all(|h| h.name_en != "x"), "none was renamed");
    let departments = app.server.state.store.departments().await.unwrap();
    assert!(!departments.iter().any(|d| d.code == "Z9" || d.name_en == "x"), "nor a department");
    let accounts = app.server.state.store.accounts().await.unwrap();
    assert!(!accounts.iter().any(|a| a.username == "z9" || a.display_name == "x"), "nor an account");
    assert_eq!(app.server.state.store.setting("public_base_url").await.unwrap(), None, "nor the public address");
    let civil = items.iter().find(|i| i.code == "CIVIL-001").expect("the demo's item");
    assert_eq!(civil.time_limit_days, 0, "and none was changed");
    assert!(
        app.server.state.store.time_limits().await.unwrap().iter().all(|l| l.days != 9),
        "nor a time limit"
    );
    assert!(app.server.state.store.audit_entries(10).await.unwrap().is_empty(), "nor audited");
    let admin = app.sign_in("admin").await;
    for path in reads {
        let response = app.get_as(path, Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        // Staff data is never kept by a browser's or a proxy's cache.
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
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
    assert!(again.text().await.unwrap().contains("This code is already in use"));
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

#[tokio::test]
async fn service_items_are_published_with_their_time_limit_and_every_material() {
    for backend in [app::store::Backend::Sqlite, app::store::Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        // The public guide: every department's items, with what to bring, for anyone.
        let (status, guide) = app.get_text("/services", "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(guide.contains("Marriage registration"));
        assert!(guide.contains("<li>Resident identity card</li>"), "each material its own item");

        let admin = app.sign_in("admin").await;
        let page = app.get_as("/staff/admin/services", Some(&admin)).await.text().await.unwrap();
        let token = csrf(&page);
        let item = |code: &str, days: &str, materials_en: &str| {
            format!(
                "csrf_token={token}&code={code}&department=CIVIL&name_zh_hant=%E9%9B%A2%E5%A9%9A%E7%99%BB%E8%A8%98\
                 &name_zh_hans=%E7%A6%BB%E5%A9%9A%E7%99%BB%E8%AE%B0&name_en=Divorce+registration\
                 &time_limit_days={days}&materials_zh_hant=%E8%BA%AB%E4%BB%BD%E8%AD%89\
                 &materials_zh_hans=%E8%BA%AB%E4%BB%BD%E8%AF%81&materials_en={materials_en}"
            )
        };
        let response = app
            .post_as("/staff/admin/services", Some(&admin), &item("civil-009", "3", "Identity+cards%0D%0A%0D%0A++Marriage+certificate+"))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/staff/admin/services?done=created");
        let (status, guide) = app.get_text("/services?department=CIVIL", "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(guide.contains("Divorce registration"));
        assert!(guide.contains("3 working days"));
        assert!(guide.contains("<li>Identity cards</li><li>Marriage certificate</li>"), "{guide}");
        assert!(!guide.contains("Resident identity card"), "one department only");

        // Bad input: a time limit that is not whole days, a taken code, a missing list.
        let bad = app.post_as("/staff/admin/services", Some(&admin), &item("CIVIL-010", "2.5", "x")).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains("whole number of working days from 0 to 365"));
        let taken = app.post_as("/staff/admin/services", Some(&admin), &item("CIVIL-009", "3", "x")).await;
        assert_eq!(taken.status(), StatusCode::CONFLICT);
        let empty = app.post_as("/staff/admin/services", Some(&admin), &item("CIVIL-011", "3", "%0D%0A")).await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // A change: fewer days, one more material.
        let response = app
            .post_as("/staff/admin/services/CIVIL-009", Some(&admin), &item("", "0", "Identity+cards%0AMarriage+certificate%0APhotos"))
            .await;
        assert_eq!(response.headers()[LOCATION], "/staff/admin/services?done=changed");
        let guide = app.get_text("/services?department=civil", "en").await.1;
        assert!(guide.contains("On the spot"));
        assert!(guide.contains("<li>Photos</li>"));
        let missing = app.post_as("/staff/admin/services/NOPE-1", Some(&admin), &item("", "0", "x")).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);

        // Nothing half-written: the refused posts left no item and no audit entry.
        let items = app.server.state.store.service_items().await.unwrap();
        assert!(!items.iter().any(|i| ["CIVIL-010", "CIVIL-011", "NOPE-1"].contains(&i.code.as_str())));
        let trail = app.server.state.store.audit_entries(10).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, ["service_item_changed", "service_item_created"]);
        assert!(trail[0].detail.contains("3 working days") && trail[0].detail.contains("0 working days"));

        // The counter's page links to its department's guide; an unknown department is 404.
        assert!(app.get_text("/c/A01", "en").await.1.contains("/services?department=HRSS"));
        assert_eq!(app.get_text("/services?department=NOPE", "en").await.0, StatusCode::NOT_FOUND);
        app.stop().await;
    }
}

#[tokio::test]
async fn halls_and_departments_are_added_and_renamed_with_an_audit_trail() {
    let app = TestApp::sqlite().await;
    let admin = app.sign_in("admin").await;
    let token = csrf(&app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap());
    let names = |en: &str| format!("csrf_token={token}&name_zh_hant=%E4%B8%89&name_zh_hans=%E4%B8%89&name_en={en}");
    let response = app
        .post_as("/staff/admin/halls", Some(&admin), &format!("{}&code=h9", names("Hall+Nine")))
        .await;
    assert_eq!(response.headers()[LOCATION], "/staff/admin?done=place_created");
    let response = app
        .post_as("/staff/admin/departments/HRSS/rename", Some(&admin), &names("Jobs+and+Pensions"))
        .await;
    assert_eq!(response.headers()[LOCATION], "/staff/admin?done=place_renamed");
    // The new hall can take counters; the counter pages show the department's new name.
    let page = app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains(r#"<option value="H9">Hall Nine (H9)</option>"#));
    assert!(app.get_text("/c/A01", "en").await.1.contains("Jobs and Pensions"));
    // Refused: a taken code, a bad code, an unknown department, an empty name.
    let taken = app.post_as("/staff/admin/halls", Some(&admin), &format!("{}&code=H1", names("x"))).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let bad = app.post_as("/staff/admin/departments", Some(&admin), &format!("{}&code=a+b", names("x"))).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app.post_as("/staff/admin/departments/NOPE/rename", Some(&admin), &names("x")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let empty = app.post_as("/staff/admin/halls/H1/rename", Some(&admin), &names("+")).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let trail = app.server.state.store.audit_entries(10).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["department_renamed", "hall_created"]);
    assert!(trail[0].detail.ends_with("-> 三 / 三 / Jobs and Pensions"), "{}", trail[0].detail);
    app.stop().await;
}

#[tokio::test]
async fn a_hall_or_department_is_retired_once_nothing_open_is_left_in_it() {
    for backend in [app::store::Backend::Sqlite, app::store::Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let admin = app.sign_in("admin").await;
        let token = csrf(&app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap());
        let form = format!("csrf_token={token}");
        // H1 has open counters; HRSS open counters, staff and cases: both refused, saying why.
        for path in ["/staff/admin/halls/H1/retire", "/staff/admin/departments/HRSS/retire"] {
            let refused = app.post_as(path, Some(&admin), &form).await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?} {path}");
            let text = refused.text().await.unwrap();
            assert!(text.contains("Open counters, active staff accounts or cases"), "{backend:?} {path} {text}");
        }
        // A new hall and a new department with nothing in them are retired.
        let names = format!("{form}&name_zh_hant=%E4%B9%9D&name_zh_hans=%E4%B9%9D&name_en=Nine");
        for (path, code) in [("/staff/admin/halls", "H9"), ("/staff/admin/departments", "TEMP")] {
            let created = app.post_as(path, Some(&admin), &format!("{names}&code={code}")).await;
            assert_eq!(created.status(), StatusCode::SEE_OTHER, "{backend:?} {code}");
            let retired = app.post_as(&format!("{path}/{code}/retire"), Some(&admin), &form).await;
            assert_eq!(retired.headers()[LOCATION], "/staff/admin?done=place_retired", "{backend:?}");
            let again = app.post_as(&format!("{path}/{code}/retire"), Some(&admin), &form).await;
            assert_eq!(again.status(), StatusCode::NOT_FOUND, "retired already");
        }
        // Listed as retired, offered for nothing new.
        let page = app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap();
        assert!(page.contains("Nine (H9) — Retired"), "{backend:?}");
        assert!(!page.contains("Retire H9") && page.contains("Retire H1"), "a retire button for open ones only");
        assert!(!page.contains(r#"<option value="H9">"#) && !page.contains(r#"<option value="TEMP">"#));
        assert!(page.contains(r#"<option value="H1">"#), "open halls are still offered");
        let counter = app
            .post_as(
                "/staff/admin/counters",
                Some(&admin),
                &format!("{names}&code=Z01&hall=H9&department=HRSS"),
            )
            .await;
        assert_eq!(counter.status(), StatusCode::UNPROCESSABLE_ENTITY, "no new counter in a retired hall");
        let staff_page = app.get_as("/staff/admin/staff", Some(&admin)).await.text().await.unwrap();
        assert!(!staff_page.contains(r#"<option value="TEMP">"#), "no new staff in a retired department");
        let trail = app.server.state.store.audit_entries(10).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions[..2], ["department_retired", "department_created"], "{backend:?}");
        assert!(actions.contains(&"hall_retired"));
        app.stop().await;
    }
}

#[tokio::test]
async fn staff_accounts_are_added_changed_closed_and_given_new_passwords() {
    for backend in [app::store::Backend::Sqlite, app::store::Backend::Postgres] {
        let app = TestApp::start(backend, |c| {
            c.rate_limit.per_minute = 1_000;
            c.rate_limit.burst = 1_000;
        })
        .await;
        let admin = app.sign_in("admin").await;
        let token = csrf(&app.get_as("/staff/admin/staff", Some(&admin)).await.text().await.unwrap());
        let account = |username: &str, role: &str, department: &str, badge: &str, active: bool, password: &str| {
            format!(
                "csrf_token={token}&username={username}&display_name=%E9%84%AD%E5%B0%8F%E8%8A%B3&role={role}\
                 &department={department}&badge={badge}&email=zheng%40staff.example.gov{}&password={password}",
                if active { "&active=on" } else { "" }
            )
        };
        let response = app
            .post_as("/staff/admin/staff", Some(&admin), &account("Clerk.New", "counter_staff", "HRSS", "a01-99", true, "a-long-temporary-1"))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/staff/admin/staff?done=created");
        let signed_in = app
            .post_form("/staff/login", "username=clerk.new&password=a-long-temporary-1")
            .await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "the new account signs in");
        assert_eq!(signed_in.headers()[LOCATION], "/staff/password", "to choose its own password first");
        let clerk = signed_in.headers()[reqwest::header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
        // Nothing else opens until then: the inbox sends it to sign in, which sends it on.
        let inbox = app.get_as("/staff", Some(&clerk)).await;
        assert_eq!(inbox.status(), StatusCode::SEE_OTHER);
        let login = app.get_as(inbox.headers()[LOCATION].to_str().unwrap(), Some(&clerk)).await;
        assert_eq!(login.headers()[LOCATION], "/staff/password");
        assert_eq!(app.get_as("/api/me", Some(&clerk)).await.text().await.unwrap(), "null");
        let page = app.get_as("/staff/password", Some(&clerk)).await.text().await.unwrap();
        assert!(page.contains("An administrator set your password"), "{page}");
        let clerk_token = csrf(&page);
        let changed = app
            .post_as(
                "/staff/password",
                Some(&clerk),
                &format!("csrf_token={clerk_token}&current_password=a-long-temporary-1&new_password=Tide-Lantern-47-Oak&repeat_password=Tide-Lantern-47-Oak"),
            )
            .await;
        assert_eq!(changed.headers()[LOCATION], "/staff/password?done=1");
        assert_eq!(app.get_as("/staff", Some(&clerk)).await.status(), StatusCode::OK);

        // Refused, with nothing written: a taken user name, a badge on another account, a
        // short password, a role without its department, a user name with spaces.
        let refusals = [
            (account("clerk.new", "counter_staff", "HRSS", "", true, "a-long-temporary-2"), StatusCode::CONFLICT, "This user name is already in use"),
            (account("clerk.two", "counter_staff", "HRSS", "A01-07", true, "a-long-temporary-2"), StatusCode::CONFLICT, "This code is already in use"),
            (account("clerk.two", "counter_staff", "HRSS", "", true, "short"), StatusCode::UNPROCESSABLE_ENTITY, "at least 12 characters"),
            (account("clerk.two", "counter_staff", "HRSS", "", true, "Password1234"), StatusCode::UNPROCESSABLE_ENTITY, "most often used"),
            (account("clerk.two", "department_head", "", "", true, "a-long-temporary-2"), StatusCode::UNPROCESSABLE_ENTITY, "Choose another department"),
            (account("clerk+two", "counter_staff", "HRSS", "", true, "a-long-temporary-2"), StatusCode::UNPROCESSABLE_ENTITY, "lower-case letters"),
            (
                format!("{}&counter_code=A04", account("clerk.two", "counter_staff", "HRSS", "", true, "a-long-temporary-2")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "not an open counter of this account",
            ),
        ];
        for (body, status, words) in refusals {
            let response = app.post_as("/staff/admin/staff", Some(&admin), &body).await;
            assert_eq!(response.status(), status, "{words}");
            assert!(response.text().await.unwrap().contains(words), "{words}");
        }
        let accounts = app.server.state.store.accounts().await.unwrap();
        assert!(!accounts.iter().any(|a| a.username.starts_with("clerk.two") || a.username == "clerk two"));

        // Seated at one of its department's counters: the list says where.
        let seated = format!("{}&counter_code=a02", account("", "counter_staff", "HRSS", "A01-99", true, ""));
        let response = app.post_as("/staff/admin/staff/clerk.new", Some(&admin), &seated).await;
        assert_eq!(response.headers()[LOCATION], "/staff/admin/staff?done=changed");
        let line = app.server.state.store.accounts().await.unwrap().into_iter().find(|a| a.username == "clerk.new").unwrap();
        assert_eq!(line.counter_code.as_deref(), Some("A02"));

        // Promoted to head of another department; then closed: the open session ends at once.
        let response = app
            .post_as("/staff/admin/staff/clerk.new", Some(&admin), &account("", "department_head", "CIVIL", "A01-99", true, ""))
            .await;
        assert_eq!(response.headers()[LOCATION], "/staff/admin/staff?done=changed");
        let me = app.get_as("/api/me", Some(&clerk)).await.text().await.unwrap();
        assert_eq!(me, "null", "a new role signs in again");
        let clerk = session_of(&app.post_form("/staff/login", "username=clerk.new&password=Tide-Lantern-47-Oak").await);
        let me = app.get_as("/api/me", Some(&clerk)).await.text().await.unwrap();
        assert!(me.contains("department_head") || me.contains("DepartmentHead"), "{me}");
        app.post_as("/staff/admin/staff/clerk.new", Some(&admin), &account("", "department_head", "CIVIL", "A01-99", false, ""))
            .await;
        let after = app.get_as("/staff", Some(&clerk)).await;
        assert_eq!(after.status(), StatusCode::SEE_OTHER, "a closed account's session is over");
        let again = app.post_form("/staff/login", "username=clerk.new&password=Tide-Lantern-47-Oak").await;
        assert_ne!(again.status(), StatusCode::SEE_OTHER, "and it cannot sign in");

        // An administrator cannot lock themselves out.
        let own = app
            .post_as("/staff/admin/staff/admin", Some(&admin), &account("", "administrator", "", "", false, ""))
            .await;
        assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(own.text().await.unwrap().contains("cannot close your own account"));
        assert_eq!(app.get_as("/staff/admin/staff", Some(&admin)).await.status(), StatusCode::OK);

        // A new password ends the account's sessions; the old one no longer works.
        let a01 = app.sign_in("staff.a01").await;
        let short = app
            .post_as("/staff/admin/staff/staff.a01/password", Some(&admin), &format!("csrf_token={token}&password=short"))
            .await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get_as("/staff", Some(&a01)).await.status(), StatusCode::OK, "a refused password changes nothing");
        let set = app
            .post_as("/staff/admin/staff/staff.a01/password", Some(&admin), &format!("csrf_token={token}&password=another-long-one-2"))
            .await;
        assert_eq!(set.headers()[LOCATION], "/staff/admin/staff?done=password");
        assert_eq!(app.get_as("/staff", Some(&a01)).await.status(), StatusCode::SEE_OTHER);
        let old = app
            .post_form("/staff/login", &format!("username=staff.a01&password={}", app::demo::DEMO_PASSWORD))
            .await;
        assert_ne!(old.status(), StatusCode::SEE_OTHER);
        let new = app.post_form("/staff/login", "username=staff.a01&password=another-long-one-2").await;
        assert_eq!(new.status(), StatusCode::SEE_OTHER);
        let missing = app
            .post_as("/staff/admin/staff/nobody/password", Some(&admin), &format!("csrf_token={token}&password=another-long-one-2"))
            .await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);

        // The audit trail names each change, never a password or an email address.
        // (Wrong passwords tried are in it too: `sign_in_failed`.)
        let trail: Vec<_> = app
            .server
            .state
            .store
            .audit_entries(20)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.action.starts_with("staff_"))
            .collect();
        let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, ["staff_password_set", "staff_changed", "staff_changed", "staff_changed", "staff_password_changed", "staff_created"]);
        assert!(trail[1].detail.ends_with("closed"), "{}", trail[1].detail);
        for entry in &trail {
            for secret in ["a-long-temporary", "another-long-one", "Tide-Lantern", "zheng@", "$argon2"] {
                assert!(!entry.detail.contains(secret), "{secret} in {}", entry.detail);
            }
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn the_public_address_on_qr_codes_is_set_by_an_administrator() {
    let app = TestApp::start(app::store::Backend::Sqlite, |c| {
        c.public_base_url = "https://counterpoint.example.gov".into();
    })
    .await;
    let admin = app.sign_in("admin").await;
    let page = app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains(r#"value="https://counterpoint.example.gov""#));
    let token = csrf(&page);
    for bad in ["javascript%3Aalert(1)", "qr.example.gov", "https%3A%2F%2Fqr.example.gov%2F%3Fx%3D1"] {
        let response = app
            .post_as("/staff/admin/public-url", Some(&admin), &format!("csrf_token={token}&public_url={bad}"))
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(response.text().await.unwrap().contains("starting with https://"));
    }
    let response = app
        .post_as("/staff/admin/public-url", Some(&admin), &format!("csrf_token={token}&public_url=https%3A%2F%2Fqr.example.gov%2F"))
        .await;
    assert_eq!(response.headers()[LOCATION], "/staff/admin?done=public_url");
    let sheet = app.get_as("/staff/admin/halls/H1/qr", Some(&admin)).await.text().await.unwrap();
    assert!(sheet.contains("QR: https://qr.example.gov/c/A01"), "the cards point to the new address");
    assert!(!sheet.contains("counterpoint.example.gov/c/"));
    // The mails' links follow (the case service shares the address).
    assert_eq!(app.server.state.cases.public_address().get(), "https://qr.example.gov");
    assert_eq!(
        app.server.state.store.setting("public_base_url").await.unwrap().as_deref(),
        Some("https://qr.example.gov"),
        "kept for the next start"
    );
    let trail = app.server.state.store.audit_entries(5).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].detail, "https://counterpoint.example.gov -> https://qr.example.gov");
    app.stop().await;
}

/// The time limits page: an administrator sets a category's own limit and changes one for
/// every category; new complaints get deadlines by them, deadlines already given stay;
/// bad values change nothing; each change is in the audit trail.
#[tokio::test]
async fn time_limits_are_changed_for_deadlines_set_from_then_on() {
    use app::domain::ComplaintForm;
    use app::i18n::Locale;
    for backend in [app::store::Backend::Sqlite, app::store::Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let (cases, store) = (&app.server.state.cases, &app.server.state.store);
        let file = |category: &'static str| async move {
            let complaint = ComplaintForm {
                category: category.into(),
                counter: "A01".into(),
                occurred_on: "2026-03-02".into(),
                what_happened: "Waited three weeks.".into(),
                identity: "anonymous".into(),
                ..ComplaintForm::default()
            };
            let id = cases
                .file(&complaint, &[], &format!("l-{}", rand::random::<u64>()), Locale::En)
                .await
                .unwrap()
                .case_id;
            store.case_by_id(id).await.unwrap().unwrap()
        };
        let before = file("delay").await;

        let admin = app.sign_in("admin").await;
        let page = app.get_as("/staff/admin/limits", Some(&admin)).await.text().await.unwrap();
        assert!(page.contains(r#"name="complaint.all.reply" value="5""#), "the current limit is shown");
        assert!(page.contains(r#"name="complaint.delay.accept" value="""#), "no category's own yet");
        let token = csrf(&page);
        let form = |accept_delay: &str, reply: &str| {
            let mut body = format!("csrf_token={token}&complaint.all.accept=1&complaint.all.reply={reply}&complaint.all.confirm=7&complaint.all.transfer=1&rating_followup.all.follow_up=3&rating_followup.all.transfer=1");
            for category in app::domain::complaint::Category::ALL {
                let accept = if category.code() == "delay" { accept_delay } else { "" };
                body.push_str(&format!("&complaint.{0}.accept={accept}&complaint.{0}.reply=", category.code()));
            }
            body
        };

        // Bad values: refused whole, in words, nothing written.
        for (accept_delay, reply) in [("0", "5"), ("91", "5"), ("2.5", "5"), ("4", ""), ("4", "x")] {
            let response = app.post_as("/staff/admin/limits", Some(&admin), &form(accept_delay, reply)).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{accept_delay} {reply}");
            assert!(response.text().await.unwrap().contains("A time limit is a whole number of days from 1 to 90"));
        }
        assert_eq!(app.server.state.store.time_limits().await.unwrap().len(), 6, "nothing was written");

        // Unchanged: said so, and nothing in the audit trail.
        let response = app.post_as("/staff/admin/limits", Some(&admin), &form("", "5")).await;
        assert_eq!(response.headers()[LOCATION], "/staff/admin/limits?done=unchanged");
        assert!(app.server.state.store.audit_entries(10).await.unwrap().is_empty());

        let response = app.post_as("/staff/admin/limits", Some(&admin), &form("4", "3")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/staff/admin/limits?done=saved");
        let page = app.get_as("/staff/admin/limits?done=saved", Some(&admin)).await.text().await.unwrap();
        assert!(page.contains("Time limits saved"));
        assert!(page.contains(r#"name="complaint.all.reply" value="3""#));
        assert!(page.contains(r#"name="complaint.delay.accept" value="4""#));
        let trail = app.server.state.store.audit_entries(10).await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "time_limits_changed");
        assert_eq!(trail[0].detail, "complaint.all.reply: 5 -> 3\ncomplaint.delay.accept: - -> 4");
        assert!(app.get_as("/staff/admin", Some(&admin)).await.text().await.unwrap().contains("Time limits changed"));

        // A page made before that change: its edit of the same limit is refused whole.
        let stale = format!("{}&was.complaint.all.reply=5&was.complaint.delay.reply=", form("4", "6")).replace("complaint.delay.reply=&", "complaint.delay.reply=2&");
        let response = app.post_as("/staff/admin/limits", Some(&admin), &stale).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert!(response.text().await.unwrap().contains("Someone changed a time limit you changed after you opened this page"));
        let limits = app.server.state.store.time_limits().await.unwrap();
        assert!(limits.iter().any(|l| (l.category.as_str(), l.stage.as_str(), l.days) == ("", "reply", 3)));
        assert!(!limits.iter().any(|l| l.category == "delay" && l.stage == "reply"), "nothing half-written");

        // Two saves made from the same reading at the same instant: one is written, the
        // other finds the limit changed inside its transaction and writes nothing.
        let write = |days: i64| {
            vec![app::store::LimitWrite {
                kind: "complaint".into(),
                category: "".into(),
                stage: "reply".into(),
                was: Some(3),
                days: Some(days),
            }]
        };
        let (first, second) = (write(7), write(8));
        let store = &app.server.state.store;
        let id = store.staff_by_username("admin").await.unwrap().unwrap().id;
        let (a, b) = tokio::join!(
            store.set_time_limits(id, 1, &first, "complaint.all.reply: 3 -> 7"),
            store.set_time_limits(id, 1, &second, "complaint.all.reply: 3 -> 8"),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a ^ b, "exactly one of two racing saves is written: {a} {b}");
        let now = store.time_limits().await.unwrap();
        let reply = now.iter().find(|l| l.category.is_empty() && l.stage == "reply" && l.kind == "complaint").unwrap();
        assert_eq!(reply.days, if a { 7 } else { 8 });
        let trail = store.audit_entries(10).await.unwrap();
        assert_eq!(trail.iter().filter(|e| e.action == "time_limits_changed").count(), 2, "one entry for the first save, one for the race's winner");
        assert!(!store.set_time_limits(id, 1, &write(3), "back").await.unwrap(), "read 3, now 7 or 8: refused");
        let back = vec![app::store::LimitWrite { was: Some(reply.days), days: Some(3), ..write(3).remove(0) }];
        assert!(store.set_time_limits(id, 1, &back, "complaint.all.reply: back to 3").await.unwrap());

        // A new complaint about delay has four working days to be accepted, others one;
        // the deadline already given is kept.
        let delayed = file("delay").await;
        let other = file("other").await;
        assert!(delayed.due_on > other.due_on, "{:?} {:?}", delayed.due_on, other.due_on);
        assert_eq!(other.due_on, before.due_on, "one working day, as before");
        let kept = app.server.state.store.case_by_id(before.id).await.unwrap().unwrap();
        assert_eq!(kept.due_on, before.due_on);

        // Blank again: the category follows every category's limit.
        let response = app.post_as("/staff/admin/limits", Some(&admin), &form("", "3")).await;
        assert_eq!(response.headers()[LOCATION], "/staff/admin/limits?done=saved");
        assert_eq!(file("delay").await.due_on, other.due_on);
        app.stop().await;
    }
}

/// The session cookie a sign-in set.
fn session_of(response: &reqwest::Response) -> String {
    response.headers()[reqwest::header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string()
}
