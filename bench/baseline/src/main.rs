//! A bare axum server for the benchmarks' baseline: it reads a form body and answers with
//! the same 303 redirect a stored rating or complaint gets, or a small page for a GET,
//! doing nothing else.

use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::Html;
use axum::routing::{get, post};

#[tokio::main]
async fn main() {
    let app = Router::new().route(
        "/c/{code}",
        post(|Path(code): Path<String>, body: Bytes| async move {
            std::hint::black_box(body.len());
            (
                StatusCode::SEE_OTHER,
                [(LOCATION, format!("/c/{code}/thanks"))],
            )
        }),
    )
    .route(
        "/complain",
        post(|body: Bytes| async move {
            std::hint::black_box(body.len());
            (StatusCode::SEE_OTHER, [(LOCATION, "/track/0000000000000000000000000?sent=1")])
        }),
    )
    .route(
        "/track/{token}",
        get(|Path(token): Path<String>| async move {
            Html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><title>Complaint</title></head><body><h1>{}</h1></body></html>",
                token.len()
            ))
        }),
    )
    .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024));
    let bind = std::env::var("BASELINE_BIND").unwrap_or_else(|_| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&bind).await.expect("bind");
    println!(
        "listening on http://{}",
        listener.local_addr().expect("address")
    );
    axum::serve(listener, app).await.expect("serve");
}
