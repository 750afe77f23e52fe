//! What an operator sees: `/metrics` on its own address only, and one access line per
//! request, as JSON when asked, with no personal data in it.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn value_of(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
        .unwrap_or_else(|| panic!("{series} in\n{metrics}"))
}

#[tokio::test]
async fn metrics_count_answers_by_class_and_are_not_on_the_public_address() {
    let app = TestApp::start(Backend::Sqlite, |c| c.metrics_bind = Some("127.0.0.1:0".parse().unwrap())).await;
    let metrics_url = format!("http://{}/metrics", app.server.metrics_addr.expect("a metrics address"));
    let before = app.client.get(&metrics_url).send().await.unwrap().text().await.unwrap();
    // Twelve ratings from one address: ten taken (the burst), then refusals.
    for _ in 0..12 {
        app.post_form("/c/A01", "level=5").await;
    }
    let response = app.client.get(&metrics_url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let after = response.text().await.unwrap();
    let grew = |series: &str| value_of(&after, series) - value_of(&before, series);
    assert_eq!(grew("counterpoint_http_responses_total{class=\"rating\",status=\"3xx\"}"), 10.0);
    assert_eq!(grew("counterpoint_http_responses_total{class=\"rating\",status=\"429\"}"), 2.0);
    assert!(grew("counterpoint_http_request_seconds_count{class=\"rating\"}") >= 12.0);
    assert!(value_of(&after, "counterpoint_rating_batch_size_count") >= 10.0);
    assert_eq!(value_of(&after, "counterpoint_database_up"), 1.0);
    assert_eq!(value_of(&after, "counterpoint_outbox_dead"), 0.0);
    assert!(after.contains("counterpoint_scheduler_last_round_age_seconds"));
    // The public address does not serve it.
    assert_eq!(app.get_as("/metrics", None).await.status(), StatusCode::NOT_FOUND);
    app.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_is_one_json_access_line_without_tokens_addresses_or_contact_details() {
    let db = app::store::testing::TestDb::new(Backend::Sqlite).await;
    let folder = std::env::temp_dir().join(format!("cp-logs-{:016x}", rand::random::<u64>()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", &db.url)
        .env("COUNTERPOINT_BIND", "127.0.0.1:0")
        .env("COUNTERPOINT_LOG_FORMAT", "json")
        .env("COUNTERPOINT_TRUSTED_PROXIES", "127.0.0.1")
        .env("COUNTERPOINT_PHOTO_DIR", folder.join("photos"))
        .env("COUNTERPOINT_EXPORT_DIR", folder.join("exports"))
        .env("COUNTERPOINT_MAIL_OUTBOX_DIR", folder.join("mail"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, receive) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    let base = loop {
        let line = receive.recv_timeout(Duration::from_secs(60)).expect("the server starts");
        if let Some(address) = line.strip_prefix("listening on ") {
            break address.trim().to_string();
        }
    };
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let sent = client
        .post(format!("{base}/complain"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", "198.51.100.23")
        .body("step=send&category=delay&counter=A01&occurred_on=2026-03-02&what_happened=Waited&identity=named&name=Lin+Mei&email=lin.mei%40example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let tracking = sent.headers()["location"].to_str().unwrap().to_string();
    let token = tracking.rsplit('/').next().unwrap().to_string();
    assert_eq!(client.get(format!("{base}{tracking}?lang=en")).send().await.unwrap().status(), StatusCode::OK);

    // Both requests' access lines arrive; nothing in the log names the person or the case's key.
    let mut access = Vec::new();
    let mut everything = String::new();
    let started = Instant::now();
    while access.len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(20), "access lines: {access:?}");
        let Ok(line) = receive.recv_timeout(Duration::from_secs(20)) else { continue };
        everything.push_str(&line);
        everything.push('\n');
        let Ok(entry) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        if entry["target"] == "counterpoint::access" {
            access.push(entry);
        }
    }
    let complaint = &access[0]["fields"];
    assert_eq!(complaint["method"], "POST");
    assert_eq!(complaint["path"], "/complain");
    assert_eq!(complaint["status"], 303);
    assert_eq!(complaint["client"], "198.51.100.0/24");
    assert_eq!(access[1]["fields"]["path"], "/track/…");
    for secret in [token.as_str(), "198.51.100.23", "lin.mei", "Lin Mei", "Lin+Mei", "lang=en"] {
        assert!(!everything.contains(secret), "{secret} is in the log:\n{everything}");
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(folder);
}
