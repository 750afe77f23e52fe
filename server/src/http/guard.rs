//! What every request passes before it reaches a handler: its body size, its origin,
//! and, for public POSTs, the rate limit of its client address.

use super::message;
use crate::config::{RateLimit, TrustedNet};
use app::error::ApiError;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CONTENT_LENGTH, HOST, ORIGIN};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};

/// Shared by the guard middleware.
#[derive(Clone)]
pub struct Guard {
    /// Replaced whole when the number of app servers sharing the budget changes.
    limiter: Arc<RwLock<Arc<DefaultKeyedRateLimiter<IpAddr>>>>,
    limit: RateLimit,
    /// How many app servers share each client's budget (see `share_among`).
    servers: Arc<AtomicU32>,
    trusted_proxies: Arc<Vec<TrustedNet>>,
    max_body_bytes: usize,
    /// The one larger limit: complaint posts, which carry photos.
    max_upload_bytes: usize,
    /// Origins a browser may post from besides the request's own host.
    public_origin: Arc<str>,
}

impl Guard {
    pub fn new(
        limit: RateLimit,
        trusted_proxies: Vec<TrustedNet>,
        max_body_bytes: usize,
        max_upload_bytes: usize,
        public_base_url: &str,
    ) -> Guard {
        Guard {
            limiter: Arc::new(RwLock::new(Arc::new(RateLimiter::keyed(quota(limit, 1))))),
            limit,
            servers: Arc::new(AtomicU32::new(1)),
            trusted_proxies: Arc::new(trusted_proxies),
            max_body_bytes,
            max_upload_bytes,
            public_origin: public_base_url.trim_end_matches('/').into(),
        }
    }

    /// The largest body a request to `path` may carry.
    fn body_limit(&self, path: &str) -> usize {
        if path == "/complain" {
            self.max_upload_bytes
        } else {
            self.max_body_bytes
        }
    }

    fn limiter(&self) -> Arc<DefaultKeyedRateLimiter<IpAddr>> {
        self.limiter.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Forgets addresses that have been quiet long enough to be back at full quota.
    pub fn forget_idle_clients(&self) {
        let limiter = self.limiter();
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }

    /// `servers` app servers behind one proxy share each client's budget: the proxy
    /// spreads a client's requests evenly over them (round robin), so each keeps its share
    /// of the budget, and a client gets the same budget however many servers there are.
    /// A change of the count starts every budget afresh.
    pub fn share_among(&self, servers: u32) {
        let servers = servers.max(1);
        if self.servers.swap(servers, Ordering::Relaxed) != servers {
            *self.limiter.write().unwrap_or_else(|poisoned| poisoned.into_inner()) =
                Arc::new(RateLimiter::keyed(quota(self.limit, servers)));
            tracing::info!(servers, "the per-address budget is shared among app servers");
        }
    }

    /// How many app servers this one shares budgets with.
    pub fn servers(&self) -> u32 {
        self.servers.load(Ordering::Relaxed)
    }

    /// The client's address: the peer, unless the peer is a trusted proxy, in which case
    /// the nearest address in `X-Forwarded-For` that is not itself a trusted proxy. Entries
    /// are read from the right (the nearest proxy's) with any port or brackets removed; an
    /// entry that cannot be read stops the walk, so a client cannot hide behind it.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let trusted = |ip: IpAddr| self.trusted_proxies.iter().any(|n| n.contains(ip));
        if !trusted(peer) {
            return peer;
        }
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        let mut client = peer;
        for entry in entries.into_iter().rev() {
            match parse_forwarded_ip(entry) {
                Some(ip) if trusted(ip) => client = ip,
                Some(ip) => return ip,
                None => return client,
            }
        }
        client
    }

    /// Whether an unsafe request came from one of our own pages (or from no browser).
    fn same_origin(&self, headers: &HeaderMap) -> bool {
        if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
            return false;
        }
        let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
            return true;
        };
        if origin == &*self.public_origin {
            return true;
        }
        let host = headers
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let authority = origin.split_once("://").map(|(_, a)| a).unwrap_or("");
        !host.is_empty() && authority.eq_ignore_ascii_case(host)
    }
}

/// A client's network: an IPv4 address with its last number dropped, an IPv6 one with all
/// but its first 48 bits. What logs and sign-in counting keep of an address: enough to see
/// a flood or a guesser, not to name a person.
pub fn network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
            }
        },
    }
}

/// The client's address (see `Guard::client_ip`), worked out once per request by the
/// observing layer and read by the guard and by sign-in.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl Guard {
    /// The client of `request`: as the observing layer found it, else worked out here.
    fn client_of(&self, request: &Request) -> IpAddr {
        if let Some(ClientIp(ip)) = request.extensions().get::<ClientIp>() {
            return *ip;
        }
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        self.client_ip(peer, request.headers())
    }
}

/// Reads one `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or
/// `[2001:db8::1]:5678`.
fn parse_forwarded_ip(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = entry.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The key a client is limited by: its IPv4 address, or its IPv6 /64 (one household or
/// phone gets a whole /64, so single IPv6 addresses cost an attacker nothing).
/// One server's share of a client's budget: the rate and the burst divided among
/// `servers`, rounded up (never below one request).
fn quota(limit: RateLimit, servers: u32) -> Quota {
    let share = |n: u32| NonZeroU32::new(n.div_ceil(servers)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(share(limit.per_minute)).allow_burst(share(limit.burst))
}

fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
    }
}

/// The middleware: size first (cheapest), then origin, then the rate limit.
pub async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let path = request.uri().path().to_string();
    let declared_len = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = guard.body_limit(&path);
    if declared_len.is_some_and(|n| n > limit as u64) {
        return message::too_large(headers, &path);
    }
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method {
        if !guard.same_origin(headers) {
            return message::cross_site(headers, &path);
        }
        let client = guard.client_of(&request);
        if let Err(not_until) = guard.limiter().check_key(&limit_key(client)) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let retry_after_secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return message::refusal(
                headers,
                &path,
                ApiError::RateLimited {
                    retry_after_secs: retry_after_secs.max(1),
                },
            );
        }
    }
    let (parts, body) = request.into_parts();
    // Bodies without a declared length are cut off at the same limit while being read.
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Server functions report errors with status 500 whatever they are; this sets the status
/// that the error itself names (422 for a bad form, 404, 429, ...), so a malformed request
/// never reads as a server failure.
pub async fn api_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let error: ApiError = serde_json::from_slice(&bytes).unwrap_or(ApiError::BadRequest);
    parts.status = axum::http::StatusCode::from_u16(error.status()).unwrap_or(parts.status);
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(proxies: &[&str]) -> Guard {
        Guard::new(
            RateLimit {
                per_minute: 60,
                burst: 2,
            },
            proxies
                .iter()
                .map(|p| TrustedNet::parse(p).unwrap())
                .collect(),
            1024,
            4096,
            "https://counterpoint.example",
        )
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        let g = guard(&["10.0.0.1"]);
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            g.client_ip(peer, &headers(&[("x-forwarded-for", "1.2.3.4")])),
            peer
        );
    }

    #[test]
    fn forwarded_for_names_the_client_behind_a_trusted_proxy() {
        let g = guard(&["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.2")]);
        assert_eq!(
            g.client_ip("10.0.0.1".parse().unwrap(), &h),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn forwarded_entries_with_ports_are_read_not_skipped() {
        let g = guard(&["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7:51234")]);
        assert_eq!(
            g.client_ip("10.0.0.1".parse().unwrap(), &h),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        let h = headers(&[("x-forwarded-for", "6.6.6.6, [2001:db8::7]:443")]);
        assert_eq!(
            g.client_ip("10.0.0.1".parse().unwrap(), &h),
            "2001:db8::7".parse::<IpAddr>().unwrap()
        );
        let h = headers(&[("x-forwarded-for", "6.6.6.6, garbage")]);
        assert_eq!(
            g.client_ip("10.0.0.1".parse().unwrap(), &h),
            "10.0.0.1".parse::<IpAddr>().unwrap(),
            "an unreadable entry is not skipped over"
        );
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64_bit_prefix() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(limit_key(a), limit_key(b));
        assert_ne!(limit_key(a), limit_key(other));
        assert_eq!(
            limit_key("::ffff:192.0.2.1".parse().unwrap()),
            "192.0.2.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn cross_site_posts_are_refused_and_own_pages_pass() {
        let g = guard(&[]);
        assert!(!g.same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "counterpoint.example")
        ])));
        assert!(!g.same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!g.same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")])));
        assert!(g.same_origin(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(g.same_origin(&headers(&[
            ("origin", "https://counterpoint.example"),
            ("host", "internal:8080")
        ])));
        assert!(
            g.same_origin(&headers(&[])),
            "non-browser clients send no Origin"
        );
    }
}
