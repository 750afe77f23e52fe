//! Complaints received by telephone, letter, e-mail or in person, entered by staff at
//! `/staff/intake`, over real HTTP on SQLite and PostgreSQL: the same checks as the web
//! form, deadlines from the day received, the tracking address to give the citizen, the
//! medium on the case; other roles refused; bad input kept with its problems named.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;

fn days_ago(app: &TestApp, days: u64) -> String {
    let today = chrono::NaiveDate::parse_from_str(app.server.state.cases.today().as_str(), "%Y-%m-%d").unwrap();
    (today - chrono::Days::new(days)).format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn a_head_enters_a_letter_whose_deadlines_run_from_the_day_it_came() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let head = app.sign_in("head.hrss").await;
        let page = app.get_as("/staff/intake", Some(&head)).await;
        assert_eq!(page.status(), StatusCode::OK, "{backend:?}");
        let page = page.text().await.unwrap();
        assert!(page.contains("Enter a complaint received by telephone, letter, e-mail or in person"));
        assert!(page.contains("The citizen&#x27;s name") || page.contains("The citizen's name"), "staff words, not the citizen's");
        let token = common::csrf(&page);
        let received = days_ago(&app, 14);
        let before = common::all_cases(&app).await.len();
        let form = format!(
            "csrf_token={token}&submission_id=0123456789abcdef0123&medium=letter&received_on={received}\
             &category=extra_requirements&counter=A01&occurred_on={received}&what_happened=Asked+for+a+paper+not+on+the+list.\
             &identity=named&name=Wang+Fang&phone=13900139000"
        );
        let response = app.post_as("/staff/intake", Some(&head), &form).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{backend:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains("/track/"), "the tracking address to give the citizen");
        let link = page.split(r#"<code class="secret-key">"#).nth(1).unwrap().split('<').next().unwrap().to_string();
        let path = &link[link.find("/track/").unwrap()..];
        assert_eq!(app.get_as(path, None).await.status(), StatusCode::OK, "the citizen can follow it");

        // Sent twice (the first answer lost on the way), it is one complaint with the same
        // tracking address.
        let again = app.post_as("/staff/intake", Some(&head), &form).await;
        assert_eq!(again.status(), StatusCode::OK);
        assert!(again.text().await.unwrap().contains(&link), "the same tracking address");
        assert_eq!(common::all_cases(&app).await.len(), before + 1);

        // Received two weeks ago: a day to accept it, counted from then, has long passed.
        let case = common::newest_case(&app).await;
        let today = app.server.state.cases.today().as_str().to_string();
        assert!(case.due_on.as_deref().is_some_and(|d| d < today.as_str()), "{:?} against {today}", case.due_on);
        let page = app.get_as(&format!("/staff/cases/{}", case.id), Some(&head)).await.text().await.unwrap();
        assert!(page.contains(&format!("Letter – Received on {received}")), "{backend:?}");
        app.stop().await;
    }
}

#[tokio::test]
async fn other_roles_are_refused_and_bad_input_keeps_what_was_typed() {
    let app = TestApp::sqlite().await;
    let clerk = app.sign_in("staff.a01").await;
    assert_eq!(app.get_as("/staff/intake", Some(&clerk)).await.status(), StatusCode::FORBIDDEN);
    let token = common::csrf(&app.get_as("/staff", Some(&clerk)).await.text().await.unwrap());
    let before = common::all_cases(&app).await.len();
    let form = format!(
        "csrf_token={token}&medium=telephone&received_on=2026-03-02&category=delay&counter=A01\
         &occurred_on=2026-03-02&what_happened=x&identity=anonymous"
    );
    assert_eq!(app.post_as("/staff/intake", Some(&clerk), &form).await.status(), StatusCode::FORBIDDEN);

    let supervisor = app.sign_in("supervisor").await;
    let token = common::csrf(&app.get_as("/staff/intake", Some(&supervisor)).await.text().await.unwrap());
    let form = format!(
        "csrf_token={token}&medium=fax&received_on=2099-01-01&counter=A01&occurred_on=2026-03-02\
         &what_happened=Kept+as+typed&identity=anonymous"
    );
    let response = app.post_as("/staff/intake", Some(&supervisor), &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Kept as typed"), "what was typed stays");
    assert!(page.contains(r##"href="#medium-telephone""##) && page.contains(r##"href="#received_on""##), "each problem linked to its field");
    assert!(page.contains(r##"href="#category-hard_to_enter""##), "the complaint's own problems too");
    assert_eq!(common::all_cases(&app).await.len(), before, "nothing stored");
    app.stop().await;
}
