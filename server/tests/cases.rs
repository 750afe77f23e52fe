//! Complaints and cases over real HTTP: filing with photos (and what bad input gets), the
//! tracking page, and the matrix of every staff route against every role.

mod common;

use app::domain::case::Actor;
use app::domain::ComplaintForm;
use app::i18n::Locale;
use app::store::Backend;
use app::store::testing::png_with_location;
use app::views::ActionForm;
use common::TestApp;
use common::multipart::Multipart;
use reqwest::StatusCode;
use reqwest::header::LOCATION;

fn hidden(page: &str, name: &str) -> Vec<String> {
    page.split(&format!(r#"name="{name}" value=""#))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or("").to_string())
        .collect()
}

async fn case_count(app: &TestApp) -> usize {
    common::all_cases(app).await.len()
}

#[tokio::test]
async fn a_citizen_checks_sends_and_follows_a_complaint_with_a_photo_without_javascript() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let check = Multipart::new()
            .complaint("check")
            .file("photo", "counter.png", &png_with_location())
            .send(&app)
            .await;
        assert_eq!(check.status(), StatusCode::OK);
        let page = check.text().await.unwrap();
        assert!(page.contains("Check your complaint"), "{page}");
        assert!(
            page.contains("He shouted at me &lt;b&gt;twice&lt;/b&gt;."),
            "escaped"
        );
        assert_eq!(case_count(&app).await, 0, "checking stores no complaint");
        let photo_ids = hidden(&page, "photo_id");
        assert_eq!(
            photo_ids.len(),
            2,
            "one photo, carried by both the send and change forms"
        );
        let submission = hidden(&page, "submission_id")[0].clone();

        let send = || {
            Multipart::new()
                .complaint("send")
                .text("photo_id", &photo_ids[0])
                .text("submission_id", &submission)
        };
        let sent = send().send(&app).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let location = sent.headers()[LOCATION].to_str().unwrap().to_string();
        assert!(location.starts_with("/track/") && location.ends_with("?sent=1"));
        let token = location
            .trim_start_matches("/track/")
            .trim_end_matches("?sent=1");
        assert_eq!(token.len(), 26, "128 bits in Crockford base32");

        let (status, tracking) = app.get_text(&location, "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            tracking.contains("Complaint sent")
                && tracking.contains("Human Resources and Social Security Bureau")
        );
        assert!(
            !tracking.contains("lin@example.org") && !tracking.contains("林小姐"),
            "no personal data on the tracking page"
        );

        // The stored photo has lost its location.
        let store = &app.server.state.store;
        let case_id = common::newest_case(&app).await.id;
        let photos = store.photos_of_case(case_id).await.unwrap();
        assert_eq!(photos.len(), 1);

        // The same form sent again (its answer lost on the way) leads to the same tracking
        // page and stores nothing more.
        let replay = send().send(&app).await;
        assert_eq!(replay.status(), StatusCode::SEE_OTHER);
        assert_eq!(replay.headers()[LOCATION].to_str().unwrap(), location);
        assert_eq!(case_count(&app).await, 1);
        assert_eq!(store.photos_of_case(case_id).await.unwrap().len(), 1);

        // A token that is not one, and one that does not exist: 404, not 500.
        assert_eq!(
            app.get_text("/track/nonsense", "en").await.0,
            StatusCode::NOT_FOUND
        );
        let (status, body) = app
            .get_text(&format!("/track/{}", "0".repeat(26)), "en")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("No complaint has this tracking code"));
        app.stop().await;
    }
}

#[tokio::test]
async fn a_complaint_sent_at_once_with_a_photo_stores_both_together() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        let sent = Multipart::new()
            .complaint("send")
            .text("submission_id", "direct-1")
            .file("photo", "counter.png", &png_with_location())
            .send(&app)
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let store = &app.server.state.store;
        let case_id = common::newest_case(&app).await.id;
        let photos = store.photos_of_case(case_id).await.unwrap();
        assert_eq!(photos.len(), 1, "the photo's row came with the complaint");
        let supervisor = app.sign_in("supervisor").await;
        let image = app
            .get_as(
                &format!("/staff/photos/{}", photos[0].id),
                Some(&supervisor),
            )
            .await;
        assert_eq!(image.status(), StatusCode::OK);
        let bytes = image.bytes().await.unwrap();
        assert!(
            !bytes.windows(3).any(|w| w == b"GPS"),
            "the location was stripped"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn disguised_files_oversized_texts_and_bodies_get_a_clear_4xx_and_store_nothing() {
    let app = TestApp::sqlite().await;
    let pdf_named_jpg = Multipart::new()
        .complaint("send")
        .file("photo", "photo.jpg", b"%PDF-1.7\n1 0 obj <<>> endobj\n")
        .send(&app)
        .await;
    assert_eq!(pdf_named_jpg.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = pdf_named_jpg.text().await.unwrap();
    assert!(
        page.contains("Only JPEG, PNG or WebP photos can be attached"),
        "{page}"
    );
    assert!(page.contains("He shouted at me"), "what was typed is kept");
    assert_eq!(
        case_count(&app).await,
        0,
        "a complaint with a failed photo is not stored"
    );

    let long = Multipart::new()
        .text("step", "send")
        .text("category", "other")
        .text("counter", "A01")
        .text("occurred_on", "2026-03-02")
        .text("what_happened", &"字".repeat(4001))
        .text("identity", "anonymous")
        .send(&app)
        .await;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let too_big = Multipart::new()
        .complaint("send")
        .file("photo", "big.jpg", &vec![0xFF; 5 * 1024 * 1024 + 1])
        .send(&app)
        .await;
    assert_eq!(too_big.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_big.text().await.unwrap().contains("5 MB or smaller"));

    let four = (1..=4)
        .fold(Multipart::new().complaint("send"), |form, n| {
            form.file("photo", &format!("p{n}.png"), &png_with_location())
        })
        .send(&app)
        .await;
    assert_eq!(four.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(four.text().await.unwrap().contains("You can attach 3 photos at most"));

    // A form cut short (the closing boundary never came): refused whole.
    let cut = Multipart::new()
        .complaint("send")
        .file("photo", "p.png", &png_with_location())
        .post(&app, false)
        .await;
    assert_eq!(cut.status(), StatusCode::BAD_REQUEST);

    let huge = app
        .client
        .post(app.url("/complain"))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(vec![b'a'; 17 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let garbage = app
        .client
        .post(app.url("/complain"))
        .header("content-type", "multipart/form-data; boundary=x")
        .body("not multipart at all")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    assert_eq!(case_count(&app).await, 0);
    app.stop().await;
}

// ----- The role matrix --------------------------------------------------------------------

const USERS: [&str; 7] = [
    "staff.a01",
    "staff.a02",
    "head.hrss",
    "staff.b01",
    "head.civil",
    "supervisor",
    "admin",
];

async fn actor(app: &TestApp, username: &str) -> Actor {
    app::cases::actor_of_record(&app.server.state.store, username).await
}

async fn department_id(app: &TestApp, code: &str) -> i64 {
    app.server
        .state
        .store
        .departments()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.code == code)
        .unwrap()
        .id
}

/// The states the matrix starts from, each reached through the service.
#[derive(Clone, Copy, Debug)]
enum Start {
    Submitted,
    AcceptedByA01,
    PendingToCivil,
    Replied,
    FollowUp,
    FollowUpAppealed,
    FollowUpAcceptedByA01,
}

async fn prepare(app: &TestApp, start: Start) -> i64 {
    let cases = &app.server.state.cases;
    let a01 = actor(app, "staff.a01").await;
    let head = actor(app, "head.hrss").await;
    // Each step is taken on the case as it stands: the form carries its current version.
    let step = |who: app::domain::case::Actor, action: &'static str, id: i64| async move {
        let version = current_version(app, id).await;
        let form = ActionForm {
            action: action.into(),
            version: version.to_string(),
            body: "text".into(),
            ..ActionForm::default()
        };
        cases.act(&who, id, &form).await.unwrap();
    };
    let id = match start {
        Start::FollowUp | Start::FollowUpAppealed | Start::FollowUpAcceptedByA01 => {
            let bad = app::domain::RatingForm {
                level: "2".into(),
                ..Default::default()
            };
            app.server.state.ratings.submit("A01", &bad, Default::default()).await.unwrap();
            common::all_cases(app)
                .await
                .iter()
                .filter(|c| c.kind == app::domain::case::CaseKind::RatingFollowUp)
                .map(|c| c.id)
                .max()
                .unwrap()
        }
        _ => {
            let complaint = ComplaintForm {
                category: "delay".into(),
                counter: "A01".into(),
                occurred_on: "2026-03-02".into(),
                what_happened: "Waited three weeks.".into(),
                identity: "anonymous".into(),
                ..ComplaintForm::default()
            };
            let submission = format!("m-{}", rand::random::<u64>());
            cases
                .file(&complaint, &[], &submission, Locale::En)
                .await
                .unwrap()
                .case_id
        }
    };
    match start {
        Start::Submitted | Start::FollowUp => {}
        Start::AcceptedByA01 | Start::FollowUpAcceptedByA01 => step(a01, "accept", id).await,
        Start::PendingToCivil => {
            step(a01, "accept", id).await;
            let mut transfer = ActionForm {
                action: "transfer".into(),
                version: current_version(app, id).await.to_string(),
                body: "text".into(),
                ..ActionForm::default()
            };
            transfer.department_id = department_id(app, "CIVIL").await.to_string();
            cases.act(&head, id, &transfer).await.unwrap();
        }
        Start::Replied => {
            for action in ["accept", "reply", "mark_replied"] {
                step(a01, action, id).await;
            }
        }
        Start::FollowUpAppealed => step(head, "appeal", id).await,
    }
    id
}

async fn current_version(app: &TestApp, id: i64) -> i64 {
    app.server
        .state
        .store
        .case_by_id(id)
        .await
        .unwrap()
        .unwrap()
        .version
}

fn csrf_of(page: &str) -> String {
    hidden(page, "csrf_token")
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Every staff action route against every role: who may do it gets a redirect and the
/// case changes; everyone else gets 403 or 404 and the case does not change.
#[tokio::test]
async fn every_staff_action_is_refused_to_every_role_the_rules_do_not_name() {
    use Start::*;
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.rate_limit.per_minute = 100_000;
        c.rate_limit.burst = 10_000;
    })
    .await;
    let mut cookies = std::collections::HashMap::new();
    for user in USERS {
        cookies.insert(user, app.sign_in(user).await);
    }
    let csrf = {
        let mut map = std::collections::HashMap::new();
        for user in USERS {
            let page = app
                .get_as("/staff", Some(&cookies[user]))
                .await
                .text()
                .await
                .unwrap();
            map.insert(user, csrf_of(&page));
        }
        map
    };
    let a02 = actor(&app, "staff.a02").await.id;
    let fin = department_id(&app, "FIN").await;
    let matrix: &[(Start, &str, &[&str])] = &[
        (
            Submitted,
            "accept",
            &["staff.a01", "staff.a02", "head.hrss"],
        ),
        (
            Submitted,
            "reject",
            &["staff.a01", "staff.a02", "head.hrss", "supervisor"],
        ),
        (Submitted, "transfer", &["head.hrss", "supervisor"]),
        (
            Submitted,
            "note",
            &["staff.a01", "staff.a02", "head.hrss", "supervisor"],
        ),
        (Submitted, "assign", &[]),
        (Submitted, "reply", &[]),
        (Submitted, "close", &[]),
        (AcceptedByA01, "assign", &["head.hrss", "supervisor"]),
        (AcceptedByA01, "transfer", &["head.hrss", "supervisor"]),
        (
            AcceptedByA01,
            "reply",
            &["staff.a01", "head.hrss", "supervisor"],
        ),
        (
            AcceptedByA01,
            "note",
            &["staff.a01", "head.hrss", "supervisor"],
        ),
        (AcceptedByA01, "accept", &[]),
        (AcceptedByA01, "mark_replied", &[]),
        (
            PendingToCivil,
            "accept_transfer",
            &["head.civil", "supervisor"],
        ),
        (
            PendingToCivil,
            "decline_transfer",
            &["head.civil", "supervisor"],
        ),
        (
            PendingToCivil,
            "note",
            &["staff.a01", "head.hrss", "head.civil", "supervisor"],
        ),
        (PendingToCivil, "assign", &[]),
        (Replied, "close", &["head.hrss", "supervisor"]),
        (Replied, "reply", &["staff.a01", "head.hrss", "supervisor"]),
        (FollowUp, "accept", &["staff.a01", "staff.a02", "head.hrss"]),
        (FollowUp, "appeal", &["head.hrss"]),
        (FollowUp, "reject", &[]),
        (FollowUpAppealed, "uphold_appeal", &["supervisor"]),
        (FollowUpAppealed, "dismiss_appeal", &["supervisor"]),
        (
            FollowUpAcceptedByA01,
            "follow_up",
            &["staff.a01", "head.hrss", "supervisor"],
        ),
        (FollowUpAcceptedByA01, "appeal", &["staff.a01", "head.hrss"]),
    ];
    for &(start, action, allowed) in matrix {
        let body = |user: &str, version: i64| {
            format!(
                "csrf_token={}&version={version}&action={action}&body=Because&how=called_back&staff_id={a02}&department_id={}",
                csrf[user], fin,
            )
        };
        // Everyone not named: refused, and nothing changes.
        let id = prepare(&app, start).await;
        for user in USERS.iter().filter(|u| !allowed.contains(u)) {
            let before = current_version(&app, id).await;
            let response = app
                .post_as(
                    &format!("/staff/cases/{id}"),
                    Some(&cookies[user]),
                    &body(user, before),
                )
                .await;
            assert!(
                matches!(
                    response.status(),
                    StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                ),
                "{start:?} {action} by {user}: {}",
                response.status()
            );
            assert_eq!(
                current_version(&app, id).await,
                before,
                "{start:?} {action} by {user}"
            );
        }
        // Everyone named: allowed (each on a case of their own).
        for user in allowed {
            let id = prepare(&app, start).await;
            let before = current_version(&app, id).await;
            let response = app
                .post_as(
                    &format!("/staff/cases/{id}"),
                    Some(&cookies[user]),
                    &body(user, before),
                )
                .await;
            assert_eq!(
                response.status(),
                StatusCode::SEE_OTHER,
                "{start:?} {action} by {user}"
            );
            assert_eq!(
                current_version(&app, id).await,
                before + 1,
                "{start:?} {action} by {user}"
            );
        }
        // Nobody signed in: to the sign-in page. A missing CSRF token: refused.
        let anonymous = app
            .post_as(&format!("/staff/cases/{id}"), None, &body("admin", 0))
            .await;
        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
        if let Some(user) = allowed.first() {
            let before = current_version(&app, id).await;
            let forged = app
                .post_as(
                    &format!("/staff/cases/{id}"),
                    Some(&cookies[user]),
                    &format!("csrf_token=forged&version={before}&action={action}&body=x"),
                )
                .await;
            assert_eq!(forged.status(), StatusCode::FORBIDDEN);
            assert_eq!(current_version(&app, id).await, before);
        }
    }
    app.stop().await;
}

/// The case page, its photos and the inbox against every role: who may not see a case gets
/// 404 and none of its words.
#[tokio::test]
async fn case_pages_and_photos_are_shown_only_to_those_the_rules_allow() {
    let app = TestApp::sqlite().await;
    let cases = &app.server.state.cases;
    let photo = cases.upload_photo(&png_with_location(), "203.0.113.0/24").await.unwrap();
    let complaint = ComplaintForm {
        category: "soliciting".into(),
        counter: "A01".into(),
        occurred_on: "2026-03-02".into(),
        what_happened: "Asked for a red envelope to speed things up.".into(),
        staff_named: "王小明".into(),
        identity: "named".into(),
        name: "陳先生".into(),
        phone: "+86 138 0000 0000".into(),
        ..ComplaintForm::default()
    };
    let id = cases
        .file(&complaint, &[photo.clone()], "p-1", Locale::En)
        .await
        .unwrap()
        .case_id;
    let may_see = ["staff.a02", "head.hrss", "supervisor"];
    for user in USERS {
        let cookie = app.sign_in(user).await;
        let page = app
            .get_as(&format!("/staff/cases/{id}"), Some(&cookie))
            .await;
        let status = page.status();
        let text = page.text().await.unwrap();
        let image = app
            .get_as(&format!("/staff/photos/{photo}"), Some(&cookie))
            .await;
        let inbox = app
            .get_as("/staff?scope=department", Some(&cookie))
            .await
            .text()
            .await
            .unwrap();
        if may_see.contains(&user) {
            assert_eq!(status, StatusCode::OK, "{user}");
            assert!(text.contains("red envelope"), "{user}");
            assert_eq!(image.status(), StatusCode::OK, "{user}");
            assert_eq!(image.headers()["content-type"], "image/png");
            let bytes = image.bytes().await.unwrap();
            assert!(
                !bytes.windows(3).any(|w| w == b"GPS"),
                "the location was stripped"
            );
        } else {
            assert!(
                matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{user}: {status}"
            );
            assert!(!text.contains("red envelope"), "{user} must not see it");
            assert_eq!(image.status(), StatusCode::NOT_FOUND, "{user}");
            assert!(
                !inbox.contains(&format!("/staff/cases/{id}\"")),
                "{user}'s inbox"
            );
        }
        // Contact details: never on the page unless asked for by a supervisor or handler.
        assert!(
            !text.contains("+8613800000000"),
            "{user}: contact only on request"
        );
        // Not by a link (a GET), whatever it asks for.
        let linked = app
            .get_as(&format!("/staff/cases/{id}?contact=1"), Some(&cookie))
            .await
            .text()
            .await
            .unwrap();
        assert!(!linked.contains("+8613800000000"), "{user}: never by a GET");
        // Not by a POST without the session's CSRF token.
        let forged = app
            .post_form_with(
                &format!("/staff/cases/{id}"),
                "action=show_contact&csrf_token=forged",
                &[("cookie", &cookie), ("accept-language", "en")],
            )
            .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "{user}");
        assert!(!forged.text().await.unwrap().contains("+8613800000000"));
        // The page's own button: a POST with the token, shown to the supervisor only.
        let csrf = common::csrf(&inbox);
        let revealed = app
            .post_form_with(
                &format!("/staff/cases/{id}"),
                &format!("action=show_contact&csrf_token={csrf}"),
                &[("cookie", &cookie), ("accept-language", "en")],
            )
            .await;
        let revealed_status = revealed.status();
        assert!(
            revealed_status == status
                || matches!(revealed_status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN) && status != StatusCode::OK,
            "{user}: {revealed_status}, as the case page itself ({status})"
        );
        let revealed = revealed.text().await.unwrap();
        assert_eq!(
            revealed.contains("+8613800000000"),
            user == "supervisor",
            "{user}"
        );
    }
    // Nobody signed in: the sign-in page; photos are never public.
    assert_eq!(
        app.get_as(&format!("/staff/cases/{id}"), None)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get_as(&format!("/staff/photos/{photo}"), None)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    app.stop().await;
}
