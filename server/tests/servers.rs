//! Several app servers over one PostgreSQL, as behind a proxy: a client has one rate-limit
//! budget however many servers its requests reach, and a photo sent through one server is
//! shown by another.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// The proxy's address is trusted; the client's is in `X-Forwarded-For`.
fn behind_proxy(c: &mut server::config::Config) {
    c.trusted_proxies = vec![server::config::TrustedNet::parse("127.0.0.1").unwrap()];
}

/// Starts `n` servers over one new PostgreSQL database.
async fn servers(n: usize) -> Vec<TestApp> {
    let first = TestApp::start(Backend::Postgres, behind_proxy).await;
    let url = first.database_url().to_string();
    let mut all = vec![first];
    for _ in 1..n {
        let url = url.clone();
        all.push(
            TestApp::start(Backend::Postgres, move |c| {
                behind_proxy(c);
                c.database_url = url;
            })
            .await,
        );
    }
    // Each learns how many share its database within a few presence rounds.
    let started = Instant::now();
    while all.iter().any(|app| app.server.guard.servers() != n as u32) {
        assert!(started.elapsed() < Duration::from_secs(20), "the servers never saw each other");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    all
}

/// Sends `posts` ratings from one client address, spread in turn over `apps` as a
/// round-robin proxy does; the share refused with 429.
async fn refused_share(apps: &[TestApp], posts: usize) -> f64 {
    let mut refused = 0;
    for i in 0..posts {
        let status = apps[i % apps.len()]
            .post_form_with("/c/A01", "level=4", &[("x-forwarded-for", "203.0.113.7")])
            .await
            .status();
        assert!(status == StatusCode::SEE_OTHER || status == StatusCode::TOO_MANY_REQUESTS, "{status}");
        refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
    }
    refused as f64 / posts as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_address_is_refused_alike_by_one_server_and_by_three() {
    let one = servers(1).await;
    let three = servers(3).await;
    let alone = refused_share(&one, 120).await;
    let shared = refused_share(&three, 120).await;
    assert!(alone > 0.8, "a flood is mostly refused: {alone}");
    assert!((alone - shared).abs() <= 0.10, "one server refused {alone:.2}, three {shared:.2}");
    // One server going away leaves the others a bigger share each.
    let mut three = three;
    let gone = three.pop().unwrap();
    gone.server.stop().await;
    let started = Instant::now();
    while three.iter().any(|app| app.server.guard.servers() != 2) {
        assert!(started.elapsed() < Duration::from_secs(20), "the stopped server was still counted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for app in one.into_iter().chain(three) {
        app.server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_sent_through_one_server_is_shown_by_another() {
    let apps = servers(2).await;
    let photo = common::complaint_with_photo(&apps[0], "servers-1").await;
    // The supervisor, signed in on the other server, opens the photo.
    let other = &apps[1];
    let cookie = other.sign_in("supervisor").await;
    let response = other.get_as(&format!("/staff/photos/{photo}"), Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("image/png"));
    assert!(!response.bytes().await.unwrap().is_empty());
    for app in apps {
        app.server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_changed_on_one_server_reach_the_others_within_two_seconds() {
    let apps = servers(3).await;
    let admin = app::cases::actor_of_record(&apps[0].server.state.store, "admin").await;
    let changed = Instant::now();
    apps[0].server.state.admin.set_public_url(&admin, "https://pingjia.example.gov.cn").await.unwrap();
    for other in &apps[1..] {
        let address = other.server.state.cases.public_address();
        while address.get() != "https://pingjia.example.gov.cn" {
            assert!(changed.elapsed() < Duration::from_secs(2), "still {} after 2 s", address.get());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    for app in apps {
        app.server.stop().await;
    }
}
