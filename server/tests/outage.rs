//! PostgreSQL going away while the server runs, and coming back: every request meanwhile
//! gets a translated 503 with Retry-After (never a 500, never a hang), and the service
//! resumes by itself. The database is reached through a TCP relay the test can cut.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// A TCP relay to PostgreSQL. `cut` closes every connection through it and refuses new
/// ones, as a database server that went down does; `mend` lets them through again.
struct Relay {
    addr: SocketAddr,
    open: Arc<AtomicBool>,
    cut: Arc<Notify>,
}

impl Relay {
    async fn to(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let open = Arc::new(AtomicBool::new(true));
        let cut = Arc::new(Notify::new());
        let (open_, cut_) = (open.clone(), cut.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else { return };
                if !open_.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let cut = cut_.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.notified() => {}
                    }
                });
            }
        });
        Relay { addr, open, cut }
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.cut.notify_waiters();
    }

    fn mend(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_going_away_gets_a_translated_503_and_the_service_resumes_by_itself() {
    // A server over a PostgreSQL database reached through the relay.
    let direct = TestApp::start(Backend::Postgres, |_| {}).await;
    let url = direct.database_url().to_string();
    direct.server.stop().await;
    let relay = Relay::to("127.0.0.1:5432".parse().unwrap()).await;
    let through = url.replace("127.0.0.1:5432", &relay.addr.to_string());
    assert_ne!(through, url, "the test database is on 127.0.0.1:5432");
    let app = TestApp::start(Backend::Postgres, |c| {
        c.database_url = through.clone();
        c.rate_limit.per_minute = 100_000;
        c.rate_limit.burst = 100_000;
    })
    .await;
    assert_eq!(app.post_form("/c/A01", "level=5").await.status(), StatusCode::SEE_OTHER);

    relay.cut();
    let cut_at = Instant::now();
    for (what, response) in [
        ("a rating", app.post_as("/c/A01", None, "level=4").await),
        ("a complaint", app.post_as("/complain", None, "step=send&category=delay&counter=A01&occurred_on=2026-03-02&what_happened=Waited&identity=anonymous").await),
        ("the counter's page", app.get_as("/c/A01", None).await),
        ("the health check", app.get_as("/healthz", None).await),
        ("the readiness check", app.get_as("/readyz", None).await),
    ] {
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{what}");
        assert!(response.headers().contains_key("retry-after"), "{what} says when to try again");
        if !what.ends_with("check") {
            let body = response.text().await.unwrap();
            assert!(body.contains("lang=\"en\"") && body.contains("Please try again"), "{what}: a page in the reader's language: {body}");
        }
    }
    let refused_within = cut_at.elapsed();
    assert!(refused_within < Duration::from_secs(30), "refused promptly, not after a long hang");
    let health: serde_json::Value = app.get_as("/healthz", None).await.json().await.unwrap();
    assert_eq!(health["database"]["status"], "unreachable", "the health check says why: {health}");

    relay.mend();
    let mended = Instant::now();
    loop {
        let status = app.post_form("/c/A01", "level=5").await.status();
        if status == StatusCode::SEE_OTHER {
            break;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(mended.elapsed() < Duration::from_secs(30), "the service never came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "database outage: five requests refused within {refused_within:?} of the cut, ratings taken again {:?} after the mend",
        mended.elapsed()
    );
    assert_eq!(app.get_as("/healthz", None).await.status(), StatusCode::OK);
    assert_eq!(app.get_as("/readyz", None).await.status(), StatusCode::OK);
    // Nothing half-written: the ratings acknowledged are those stored.
    assert_eq!(app.server.state.store.count_ratings().await.unwrap(), 2);
    app.server.stop().await;
}
