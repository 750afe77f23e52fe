//! The public record over real HTTP on SQLite and PostgreSQL: `/transparency` lists the
//! published digests and checks a day; a day's entries download as CSV and JSON and chain,
//! checked by Python's hashlib (not our code), to the published head; bad days are refused
//! in the reader's language; `server verify` passes a clean record and names the entry of a
//! rating rewritten behind the database's back.

mod common;

use app::store::Backend;
use app::store::testing::tamper;
use common::TestApp;
use reqwest::StatusCode;
use std::process::Command;

/// Rates counter A01 over HTTP, as a citizen does.
async fn rate(app: &TestApp, level: u8) {
    let response = app.post_form("/c/A01", &format!("level={level}&comment=%E5%BE%88%E5%BF%AB")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

/// Recomputes a day's chain from its CSV with Python's hashlib, from `previous`; prints the
/// last hash, or the id of the first entry whose hash does not follow.
fn python_check(csv: &str, previous: &str) -> String {
    let script = r#"
import csv, hashlib, sys
previous = sys.argv[1]
for row in csv.DictReader(sys.stdin):
    previous = hashlib.sha256((previous + "\n" + row["body"]).encode()).hexdigest()
    if previous != row["hash"]:
        print("differs at " + row["id"]); sys.exit(0)
print(previous)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script, previous])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(csv.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn verify(app: &TestApp) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("verify")
        .env("DATABASE_URL", app.database_url())
        .env("RUST_LOG", "warn")
        .output()
        .expect("server verify runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[tokio::test]
async fn a_finished_day_is_published_downloaded_and_checked_by_anyone() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::start(backend, |_| {}).await;
        rate(&app, 4).await;
        rate(&app, 2).await;
        let store = &app.server.state.store;
        // Tomorrow (UTC, as the record's days are), today is a finished day.
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
        let digest = store.publish_digests(&tomorrow, 1, &|_| Vec::new()).await.unwrap().pop().expect("today's digest");
        let day = digest.day.clone();

        let (status, page) = app.get_text("/transparency", "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("The public record") && page.contains(&digest.head), "{backend:?}");
        assert!(page.contains(&format!("Check {day}")));
        // Without JavaScript, the check button asks the server.
        let (status, checked) = app.get_text(&format!("/transparency?check={day}"), "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(checked.contains(&format!("entries of {day} follow one another")), "{backend:?}");

        // The day's entries, checked by a tool that is not ours.
        let csv = app.get_as(&format!("/transparency/ledger/{day}.csv"), None).await;
        assert_eq!(csv.status(), StatusCode::OK);
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with("id,day,kind,ref_id,body,hash\n"));
        assert!(csv.contains(",rating,"));
        assert!(!csv.contains("很快"), "no comment in the public record");
        assert_eq!(python_check(&csv, &digest.previous_head), digest.head, "{backend:?}");
        let edited = csv.replacen("|4|", "|5|", 1);
        assert!(python_check(&edited, &digest.previous_head).starts_with("differs at "));
        let json: serde_json::Value = app.get_as(&format!("/transparency/ledger/{day}.json"), None).await.json().await.unwrap();
        assert_eq!(json.as_array().unwrap().last().unwrap()["hash"], digest.head.as_str());
        let all: serde_json::Value = app.get_as("/transparency/digests.json", None).await.json().await.unwrap();
        assert_eq!(all["digests"][0]["head"], digest.head.as_str());

        // Days that are not, or hold nothing: said so, in the reader's language.
        for (path, status, words) in [
            ("/transparency/ledger/2026-02-30.csv", StatusCode::BAD_REQUEST, "Write the day as year-month-day"),
            ("/transparency/ledger/yesterday.json", StatusCode::BAD_REQUEST, "Write the day as year-month-day"),
            (&format!("/transparency/ledger/{day}.xml"), StatusCode::BAD_REQUEST, "Write the day as year-month-day"),
            ("/transparency/ledger/2001-01-01.csv", StatusCode::NOT_FOUND, "has no entries on 2001-01-01"),
        ] {
            let (got, body) = app.get_text(path, "en").await;
            assert_eq!(got, status, "{path}");
            assert!(body.contains(words), "{path}: {body}");
        }
        let (status, body) = app.get_text("/transparency/ledger/2001-01-01.csv", "zh-Hant").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("沒有條目"));

        // `server verify`: clean, then a rating rewritten behind the triggers' back is named.
        let (ok, said) = verify(&app);
        assert!(ok, "{said}");
        assert!(said.contains("The public record holds"), "{said}");
        let url = app.database_url().to_string();
        let store2 = app::store::Store::connect(&url).await.unwrap();
        let drop_guard = match backend {
            Backend::Sqlite => "DROP TRIGGER ratings_are_never_edited",
            Backend::Postgres => "DROP TRIGGER ratings_are_never_edited ON ratings",
        };
        tamper(&store2, drop_guard).await.unwrap();
        tamper(&store2, "UPDATE ratings SET level = 5 WHERE id = (SELECT MAX(id) FROM ratings)").await.unwrap();
        store2.close().await;
        let (ok, said) = verify(&app);
        assert!(!ok, "{said}");
        assert!(said.contains("does not hold") && said.contains("entry "), "{said}");
        app.stop().await;
    }
}
