//! The supervision area over real HTTP: who may open each new staff route, the calendar
//! loader (a bad file is refused whole with its line numbers), supervision orders' forms,
//! the department report as CSV, and the citizen's extra answers on the tracking page.

mod common;

use app::domain::ComplaintForm;
use app::i18n::Locale;
use app::store::Backend;
use app::views::ActionForm;
use common::{TestApp, csrf};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

async fn file(app: &TestApp, email: &str) -> (i64, String) {
    let form = ComplaintForm {
        category: "cold_attitude".into(),
        counter: "A01".into(),
        occurred_on: today(),
        what_happened: "Nobody looked up.".into(),
        identity: "named".into(),
        name: "Lin".into(),
        email: email.into(),
        ..ComplaintForm::default()
    };
    let filed = app
        .server
        .state
        .cases
        .file(&form, &[], &format!("s-{:x}", rand::random::<u64>()), Locale::En)
        .await
        .unwrap();
    (filed.case_id, filed.token.as_str().to_string())
}

fn multipart_file(boundary: &str, csrf: &str, name: &str, text: &str) -> Vec<u8> {
    format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn each_supervision_route_opens_only_for_the_roles_it_serves() {
    let app = TestApp::sqlite().await;
    let mut cookies = Vec::new();
    for who in ["staff.a01", "head.hrss", "supervisor", "admin"] {
        cookies.push((who, app.sign_in(who).await));
    }
    // (path, who may open it)
    let routes: [(&str, &[&str]); 5] = [
        ("/staff/orders", &["head.hrss", "supervisor"]),
        ("/staff/departments/0", &["head.hrss", "supervisor"]),
        ("/staff/departments/0/report.csv", &["head.hrss", "supervisor"]),
        ("/staff/calendar", &["supervisor", "admin"]),
        ("/staff/mail", &["admin"]),
    ];
    for (path, allowed) in routes {
        let anonymous = app.get_as(path, None).await;
        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER, "{path} without a session");
        assert!(anonymous.headers()[LOCATION].to_str().unwrap().starts_with("/staff/login"));
        for (who, cookie) in &cookies {
            let status = app.get_as(path, Some(cookie)).await.status();
            if allowed.contains(who) {
                assert_eq!(status, StatusCode::OK, "{who} opens {path}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{who} is refused {path}");
            }
        }
    }
    // Another department's report: refused to a head, open to the supervisor.
    let civil = app.server.state.store.departments().await.unwrap().into_iter().find(|d| d.code == "CIVIL").unwrap().id;
    let path = format!("/staff/departments/{civil}");
    let head = &cookies[1].1;
    assert_eq!(app.get_as(&path, Some(head)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get_as(&path, Some(&cookies[2].1)).await.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn a_calendar_file_with_bad_lines_is_refused_whole_and_a_good_one_is_listed() {
    let app = TestApp::start(Backend::Postgres, |_| {}).await;
    let admin = app.sign_in("admin").await;
    let page = app.get_as("/staff/calendar", Some(&admin)).await.text().await.unwrap();
    let token = csrf(&page);
    let boundary = "cpcalendar";
    let post_in = |body: Vec<u8>, language: &'static str| {
        app.client
            .post(app.url("/staff/calendar"))
            .header("cookie", admin.clone())
            .header("accept-language", language)
            .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
    };
    let post = |body: Vec<u8>| post_in(body, "en");
    let bad = "date,kind,name\n2027-01-01,holiday,New Year\n2027-02-30,holiday,Nope\n2027-01-01,workday,Twice\n";
    let response = post(multipart_file(boundary, &token, "2027.csv", bad)).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text().await.unwrap();
    assert!(text.contains("The file was not loaded"), "a clear message");
    assert!(text.contains("Line 3: ") && text.contains("Line 4: "), "each bad line by number");
    assert!(text.contains("not a date: write it as YYYY-MM-DD"), "what is wrong, in words");
    assert!(text.contains("2027-01-01 is already listed on line 2"));
    // In the reader's language: the same file refused in Traditional Chinese.
    let chinese = post_in(multipart_file(boundary, &token, "2027.csv", bad), "zh-TW")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(chinese.contains("日期不正確，請寫成 YYYY-MM-DD") && chinese.contains("2027-01-01 已在第 2 行列出"), "in Chinese");
    let listed = app.get_as("/staff/calendar", Some(&admin)).await.text().await.unwrap();
    assert!(!listed.contains("2027-01-01"), "nothing of a refused file was loaded");

    let forged = post(multipart_file(boundary, "forged", "2027.csv", "date,kind,name\n2027-01-01,holiday,New Year\n")).await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let good = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year\r\nCATEGORIES:HOLIDAY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let response = post(multipart_file(boundary, &token, "2027.ics", good)).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    assert_eq!(location, "/staff/calendar?loaded=1");
    let listed = app.get_as(&location, Some(&admin)).await.text().await.unwrap();
    assert!(listed.contains("1 day loaded."), "the count, in the singular");
    assert!(listed.contains("2027-01-01") && listed.contains("New Year"));

    // A supervisor reads the calendar but may not load one.
    let supervisor = app.sign_in("supervisor").await;
    let page = app.get_as("/staff/calendar", Some(&supervisor)).await.text().await.unwrap();
    assert!(!page.contains(r#"type="file""#), "no loader for a supervisor");
    app.stop().await;
}

#[tokio::test]
async fn orders_take_comments_and_close_and_an_empty_one_is_sent_back_with_its_problem() {
    let app = TestApp::sqlite().await;
    let (id, _) = file(&app, "lin@example.org").await;
    // The supervisor orders a follow-up on the case (an action on the case page).
    let order = ActionForm {
        action: "order".into(),
        body: "Call the citizen back today.".into(),
        ..ActionForm::default()
    };
    app.act_as("supervisor", id, order).await;
    let mails = app.server.state.store.mails_of_case(id).await.unwrap();
    assert!(mails.iter().any(|(e, a, _)| e == "order_given" && a == "staff"), "the head is told: {mails:?}");

    let supervisor = app.sign_in("supervisor").await;
    let page = app.get_as("/staff/orders", Some(&supervisor)).await.text().await.unwrap();
    assert!(page.contains("Call the citizen back today."));
    let order = page.split(r#"action="/staff/orders/"#).nth(1).unwrap().split('"').next().unwrap().to_string();
    let token = csrf(&page);
    let path = format!("/staff/orders/{order}");

    let empty = app.post_as(&path, Some(&supervisor), &format!("csrf_token={token}&step=comment&body=&back=/staff/orders")).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = empty.text().await.unwrap();
    assert!(text.contains("aria-invalid=\"true\""), "the problem is beside the field");

    let head = app.sign_in("head.hrss").await;
    let head_page = app.get_as("/staff/orders", Some(&head)).await.text().await.unwrap();
    let head_token = csrf(&head_page);
    let commented = app.post_as(&path, Some(&head), &format!("csrf_token={head_token}&step=comment&body=Done%20this%20morning.&back=/staff/cases/{id}")).await;
    assert_eq!(commented.status(), StatusCode::SEE_OTHER);
    assert_eq!(commented.headers()[LOCATION], format!("/staff/cases/{id}").as_str());
    let closed_by_head = app.post_as(&path, Some(&head), &format!("csrf_token={head_token}&step=close&body=ok&back=/staff/orders")).await;
    assert_eq!(closed_by_head.status(), StatusCode::FORBIDDEN, "only the bureau closes an order");

    let elsewhere = app.post_as(&path, Some(&supervisor), &format!("csrf_token={token}&step=close&body=Settled.&back=https://evil.example/")).await;
    assert_eq!(elsewhere.status(), StatusCode::SEE_OTHER);
    assert_eq!(elsewhere.headers()[LOCATION], "/staff/orders", "never sent off-site");
    let page = app.get_as("/staff/orders?all=1", Some(&supervisor)).await.text().await.unwrap();
    assert!(page.contains("Done this morning.") && page.contains("Settled."));
    app.stop().await;
}

#[tokio::test]
async fn the_department_report_downloads_as_csv_with_its_columns() {
    let app = TestApp::sqlite().await;
    let (id, _) = file(&app, "lin@example.org").await;
    let finding = ActionForm {
        action: "finding".into(),
        body: "Kept waiting, \"no\" answer.".into(),
        finding: "partly".into(),
        measure: "reminder".into(),
        ..ActionForm::default()
    };
    app.act_as("supervisor", id, finding).await;
    let head = app.sign_in("head.hrss").await;
    let response = app.get_as("/staff/departments/0/report.csv", Some(&head)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "department,from,to,open,overdue,escalated");
    assert_eq!(lines[3], "case,recorded_at,finding,measure,against_department,against_staff,reason,recorded_by");
    assert!(lines[4].starts_with(&format!("{id},")) && lines[4].contains(",partly,reminder,"));
    assert!(lines[4].contains("\"Kept waiting, \"\"no\"\" answer.\""), "quoted as CSV");
    let bad = app.get_as("/staff/departments/0/report.csv?from=2026-02-30", Some(&head)).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "a bad date is a 4xx");
    app.stop().await;
}

#[tokio::test]
async fn a_citizen_answers_a_question_and_stops_mail_from_the_tracking_page() {
    let app = TestApp::sqlite().await;
    let (id, token) = file(&app, "lin@example.org").await;
    app.act_as("staff.a01", id, ActionForm { action: "accept".into(), ..ActionForm::default() }).await;
    app.act_as("staff.a01", id, ActionForm { action: "ask_info".into(), body: "Which counter?".into(), ..ActionForm::default() }).await;

    let path = format!("/track/{token}");
    let page = app.get_as(&path, None).await.text().await.unwrap();
    assert!(page.contains("We need more information from you") && page.contains("Which counter?"));
    assert!(page.contains("Waiting for your information"));
    let empty = app.post_as(&path, None, "step=info&body=").await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await.unwrap().contains(r#"id="info-error""#), "the problem beside the answer box");
    let sent = app.post_as(&path, None, "step=info&body=Counter%20A01.").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()[LOCATION], format!("{path}?info=sent").as_str());
    let page = app.get_as(&format!("{path}?info=sent"), None).await.text().await.unwrap();
    assert!(page.contains("Counter A01.") && !page.contains("Waiting for your information"));

    assert!(page.contains("Stop emails about this complaint"));
    let stopped = app.post_as(&path, None, "step=stop_mail").await;
    assert_eq!(stopped.status(), StatusCode::SEE_OTHER);
    let page = app.get_as(&format!("{path}?mail=stopped"), None).await.text().await.unwrap();
    assert!(page.contains("Emails about this complaint are stopped."));
    assert!(!page.contains("Stop emails about this complaint"));
    let odd = app.post_as(&path, None, "step=nonsense").await;
    assert_eq!(odd.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}

#[tokio::test]
async fn a_kept_tracking_page_is_never_stale_nor_in_another_language() {
    let app = TestApp::sqlite().await;
    let (id, token) = file(&app, "lin@example.org").await;
    let path = format!("/track/{token}");
    let (status, first) = app.get_text(&path, "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("Complaint number") && first.contains("<strong>Sent</strong>"));
    let other = app.client.get(app.url(&path)).header("accept-language", "zh-TW").send().await.unwrap();
    assert_eq!(other.headers().get("x-cache"), None, "no page kept for this language yet");
    let again = app.client.get(app.url(&path)).header("accept-language", "en").send().await.unwrap();
    assert_eq!(again.headers()["x-cache"], "hit", "the page kept for English");
    assert_eq!(again.text().await.unwrap(), first, "the same page again");
    let (_, simplified) = app.get_text(&path, "zh-CN").await;
    assert!(simplified.contains("投诉编号"), "never another language's page");

    // The case changes: the very next view shows it.
    app.act_as("staff.a01", id, ActionForm { action: "accept".into(), ..ActionForm::default() }).await;
    let (_, after) = app.get_text(&path, "en").await;
    assert!(after.contains("<strong>Accepted</strong>") && !after.contains("<strong>Sent</strong>"), "fresh after a change");
    app.stop().await;
}
