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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaint_posts_beyond_those_received_at_once_are_told_to_try_again_shortly() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.rate_limit.per_minute = 100_000;
        c.rate_limit.burst = 100_000;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // As many complaint posts as are received at once, each sending its headers and a first
    // piece of a large body, then waiting (well within the pace a body must keep at first).
    let mut held = Vec::new();
    for _ in 0..server::http::guard::UPLOADS_AT_ONCE {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(
                b"POST /complain HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n\
                  Content-Length: 1000000\r\n\r\n--b\r\n",
            )
            .await
            .unwrap();
        held.push(stream);
    }
    // The next one is told, in words, to come back shortly; nothing is stored of it.
    let refused = loop {
        let response = common::multipart::Multipart::new().complaint("send").send(&app).await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            break response;
        }
        // The held posts may not all have reached the server yet: their permits come first.
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "a complaint before the cap filled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(refused.headers().contains_key("retry-after"));
    assert!(refused.text().await.unwrap().contains("Please try again"));
    // Once they go, complaints are taken again.
    drop(held);
    let mut taken = None;
    for _ in 0..100 {
        let response = common::multipart::Multipart::new().complaint("send").send(&app).await;
        if response.status() == StatusCode::SEE_OTHER {
            taken = Some(response);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(taken.is_some(), "complaints are taken again once the held posts are gone");
    app.stop().await;
}
