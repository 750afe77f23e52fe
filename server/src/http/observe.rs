//! Every request, seen once on its way out: counted and timed by route class for
//! `/metrics`, and written as one access line at `info` (method, path with tracking tokens
//! left out, status, milliseconds, the client's network with its last part dropped).
//! No query string, token, cookie or contact detail is ever written.

use super::guard::{ClientIp, Guard, network};
use super::loggable_path;
use app::metrics::Histogram;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::fmt::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// What a request is about, for counting (a handful of classes, never a raw path).
#[derive(Clone, Copy)]
enum Class {
    Rating,
    Complaint,
    Tracking,
    Staff,
    Statistics,
    Static,
    Other,
}

impl Class {
    const ALL: [Class; 7] =
        [Class::Rating, Class::Complaint, Class::Tracking, Class::Staff, Class::Statistics, Class::Static, Class::Other];

    fn of(path: &str) -> Class {
        if path.starts_with("/c/") || path == "/api/rate" || path == "/api/counter" {
            Class::Rating
        } else if path.starts_with("/complain") || path == "/api/photo" {
            Class::Complaint
        } else if path.starts_with("/track/") || path == "/api/track" {
            Class::Tracking
        } else if path.starts_with("/staff") || path.starts_with("/api/") && !path.starts_with("/api/stats") {
            Class::Staff
        } else if path.starts_with("/stats") || path.starts_with("/api/stats") {
            Class::Statistics
        } else if path.starts_with("/pkg/") || path == "/favicon.ico" {
            Class::Static
        } else {
            Class::Other
        }
    }

    fn name(self) -> &'static str {
        match self {
            Class::Rating => "rating",
            Class::Complaint => "complaint",
            Class::Tracking => "tracking",
            Class::Staff => "staff",
            Class::Statistics => "statistics",
            Class::Static => "static",
            Class::Other => "other",
        }
    }
}

/// Answers by status: 2xx, 3xx, 4xx other than 429, 429, 5xx.
const STATUSES: [&str; 5] = ["2xx", "3xx", "4xx", "429", "5xx"];

fn status_index(status: u16) -> usize {
    match status {
        429 => 3,
        500.. => 4,
        400.. => 2,
        300.. => 1,
        _ => 0,
    }
}

const LATENCY_BOUNDS: &[f64] = &[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

struct HttpMetrics {
    answers: Vec<[AtomicU64; 5]>,
    latency: Vec<Histogram>,
}

fn http() -> &'static HttpMetrics {
    static METRICS: OnceLock<HttpMetrics> = OnceLock::new();
    METRICS.get_or_init(|| HttpMetrics {
        answers: Class::ALL.iter().map(|_| Default::default()).collect(),
        latency: Class::ALL.iter().map(|_| Histogram::new(LATENCY_BOUNDS)).collect(),
    })
}

pub async fn observe(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let class = Class::of(request.uri().path());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let client = guard.client_ip(peer, request.headers());
    // The access line's words are made only when it is written (not at `warn`, as under load).
    let access = tracing::enabled!(target: "counterpoint::access", tracing::Level::INFO)
        .then(|| (request.method().clone(), loggable_path(request.uri().path())));
    request.extensions_mut().insert(ClientIp(client));
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let metrics = http();
    metrics.answers[class as usize][status_index(status)].fetch_add(1, Ordering::Relaxed);
    metrics.latency[class as usize].observe(elapsed.as_secs_f64());
    if let Some((method, path)) = access {
        tracing::info!(
            target: "counterpoint::access",
            %method,
            %path,
            status,
            ms = elapsed.as_secs_f64() * 1000.0,
            client = %network(client),
        );
    }
    response
}

/// The HTTP part of `/metrics`.
pub fn write_http(out: &mut String) {
    let metrics = http();
    out.push_str("# HELP counterpoint_http_responses_total Answers by route class and status class.\n");
    out.push_str("# TYPE counterpoint_http_responses_total counter\n");
    for class in Class::ALL {
        for (i, status) in STATUSES.iter().enumerate() {
            let n = metrics.answers[class as usize][i].load(Ordering::Relaxed);
            let _ = writeln!(out, "counterpoint_http_responses_total{{class=\"{}\",status=\"{status}\"}} {n}", class.name());
        }
    }
    out.push_str("# HELP counterpoint_http_request_seconds Time to answer (headers), by route class.\n");
    out.push_str("# TYPE counterpoint_http_request_seconds histogram\n");
    for class in Class::ALL {
        metrics.latency[class as usize].write(out, "counterpoint_http_request_seconds", &format!("class=\"{}\"", class.name()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_logged_only_as_its_network() {
        assert_eq!(network("203.0.113.77".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(network("2001:db8:1234:5678::9".parse().unwrap()), "2001:db8:1234::/48");
        assert_eq!(network("::ffff:10.1.2.3".parse().unwrap()), "10.1.2.0/24");
    }

    #[test]
    fn requests_are_counted_by_class_never_by_their_own_path() {
        assert_eq!(Class::of("/c/A01").name(), "rating");
        assert_eq!(Class::of("/track/3f9c2a").name(), "tracking");
        assert_eq!(Class::of("/staff/cases/7").name(), "staff");
        assert_eq!(Class::of("/stats/export.csv").name(), "statistics");
        assert_eq!(Class::of("/pkg/counterpoint.wasm").name(), "static");
        assert_eq!(Class::of("/").name(), "other");
    }
}
