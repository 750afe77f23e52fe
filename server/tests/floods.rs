//! Floods and slow clients: one address hammering the rating form is refused while people
//! elsewhere rate as usual; connections that trickle their headers or bodies are cut, and
//! other people's pages are served meanwhile.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The test client stands for the proxy: its address is trusted, the citizen's is in
/// `X-Forwarded-For`.
fn behind_proxy(c: &mut server::config::Config) {
    c.trusted_proxies = vec![server::config::TrustedNet::parse("127.0.0.1").unwrap()];
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_address_is_refused_while_twenty_others_rate_as_usual() {
    let app = TestApp::start(Backend::Sqlite, behind_proxy).await;
    let flood = {
        let (client, url) = (app.client.clone(), app.url("/c/A01"));
        tokio::spawn(async move {
            let mut refused = 0;
            for _ in 0..400 {
                let status = client
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("x-forwarded-for", "198.51.100.7")
                    .body("level=5")
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert!(status == StatusCode::SEE_OTHER || status == StatusCode::TOO_MANY_REQUESTS, "{status}");
                refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
            }
            refused
        })
    };
    // Twenty people at other addresses, five ratings each, while the flood goes on.
    let mut people = Vec::new();
    for person in 0..20 {
        let (client, url) = (app.client.clone(), app.url("/c/A02"));
        people.push(tokio::spawn(async move {
            let mut accepted = 0;
            for _ in 0..5 {
                let response = client
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("x-forwarded-for", format!("203.0.{person}.10"))
                    .body("level=4")
                    .send()
                    .await
                    .unwrap();
                accepted += usize::from(response.status() == StatusCode::SEE_OTHER);
            }
            accepted
        }));
    }
    let mut accepted = 0;
    for person in people {
        accepted += person.await.unwrap();
    }
    let refused = flood.await.unwrap();
    println!("flood: {refused} of 400 refused with 429; others: {accepted} of 100 accepted");
    assert!(refused >= 360, "the flood is mostly refused: {refused} of 400");
    assert!(accepted >= 99, "the others get through: {accepted} of 100");
    app.stop().await;
}

/// Reads until the server closes the connection; what it sent.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_that_trickle_or_idle_are_cut_and_others_are_served_meanwhile() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.connections.header_timeout = Duration::from_secs(1);
        c.connections.body_grace = Duration::from_secs(1);
        c.connections.min_body_rate = 1024;
        // The trickled bodies are cut for their pace, not refused for their number.
        c.rate_limit.per_minute = 100_000;
        c.rate_limit.burst = 100_000;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let started = Instant::now();
    // 200 connections: some say nothing, some trickle their headers a byte at a time, some
    // send headers and then trickle a body.
    let mut slow = Vec::new();
    for i in 0..200 {
        let addr = addr.clone();
        slow.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&addr).await.unwrap();
            let trickle: &[u8] = match i % 3 {
                0 => b"",
                1 => b"GET /c/A01 HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\r\n",
                _ => {
                    stream
                        .write_all(
                            b"POST /c/A01 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                              Content-Length: 4000\r\n\r\n",
                        )
                        .await
                        .unwrap();
                    &[b'a'; 4000]
                }
            };
            let (mut reader, mut writer) = stream.into_split();
            let writing = async {
                for byte in trickle {
                    if writer.write_all(&[*byte]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                if trickle.is_empty() {
                    std::future::pending::<()>().await;
                }
            };
            let mut answer = Vec::new();
            let reading = reader.read_to_end(&mut answer);
            let cut = tokio::time::timeout(Duration::from_secs(30), async {
                tokio::select! {
                    _ = reading => {}
                    () = writing => panic!("connection {i} was allowed to trickle to the end"),
                }
            });
            assert!(cut.await.is_ok(), "connection {i} was never cut");
            (i % 3, String::from_utf8_lossy(&answer).into_owned())
        }));
    }
    // Meanwhile, fifty people open the rating page.
    for _ in 0..50 {
        let response = app.client.get(app.url("/c/A01")).header("accept-language", "en").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.text().await.unwrap().contains("A01"));
    }
    for connection in slow {
        let (kind, answer) = connection.await.unwrap();
        if kind == 2 {
            // The trickled body: refused, never a 5xx.
            assert!(answer.starts_with("HTTP/1.1 4"), "a trickled body: {answer:.80}");
        }
    }
    println!("200 slow connections cut within {:?}", started.elapsed());
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    assert!(until_closed(&mut stream).await.starts_with("HTTP/1.1 200"));
    app.stop().await;
}

/// Sends the headers and a first piece of a large complaint post as `client` (behind the
/// trusted proxy), and keeps the connection: a post under way.
async fn held_complaint(addr: &str, client: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /complain HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: {client}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n--b\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// A server behind the test's trusted proxy, with no rate limit in the way, whose held posts
/// (which send nothing more) are not cut for their pace meanwhile.
async fn upload_server() -> TestApp {
    TestApp::start(Backend::Sqlite, |c| {
        behind_proxy(c);
        c.rate_limit.per_minute = 100_000;
        c.rate_limit.burst = 100_000;
        c.connections.body_grace = Duration::from_secs(300);
    })
    .await
}

/// A complaint posted as `client` (behind the trusted proxy).
async fn complaint_as(app: &TestApp, client: &str) -> reqwest::Response {
    common::multipart::Multipart::new()
        .complaint("send")
        .request(&app.client, &app.url("/complain"), true)
        .header("x-forwarded-for", client)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaint_posts_beyond_those_received_at_once_are_told_to_try_again_shortly() {
    let app = upload_server().await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // One client with as many posts under way as one client may have: its next is refused,
    // while someone else's goes through.
    let mut mine = Vec::new();
    for _ in 0..server::http::guard::UPLOADS_PER_CLIENT {
        mine.push(held_complaint(&addr, "198.51.100.1").await);
    }
    let mut tries = 0;
    let busy = loop {
        let response = complaint_as(&app, "198.51.100.1").await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            break response;
        }
        // The held posts may not all have reached the server yet.
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        tries += 1;
        assert!(tries < 200, "the held posts never counted");
    };
    assert!(busy.headers().contains_key("retry-after"));
    assert!(busy.text().await.unwrap().contains("Please try again"));
    assert_eq!(complaint_as(&app, "198.51.100.2").await.status(), StatusCode::SEE_OTHER, "another client's goes through");
    drop(mine);
    app.stop().await;

    // A server of its own (the places of the posts just dropped come back when the server
    // notices): as many posts under way as are received at once, from many clients.
    let app = upload_server().await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // The next, from anyone, is told in words to come back shortly; once they go, complaints
    // are taken again.
    let mut held = Vec::new();
    for i in 0..server::http::guard::UPLOADS_AT_ONCE {
        held.push(held_complaint(&addr, &format!("203.0.113.{i}")).await);
    }
    let mut tries = 0;
    let refused = loop {
        let response = complaint_as(&app, "192.0.2.1").await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            break response;
        }
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "a complaint before the cap filled");
        tries += 1;
        assert!(tries < 200, "the held posts never filled the places");
    };
    assert!(refused.headers().contains_key("retry-after"));
    drop(held);
    let mut taken = false;
    for _ in 0..200 {
        if complaint_as(&app, "192.0.2.1").await.status() == StatusCode::SEE_OTHER {
            taken = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(taken, "complaints are taken again once the held posts are gone");
    app.stop().await;
}
