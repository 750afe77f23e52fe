//! What every request passes before it reaches a handler: its body size, its origin,
//! and the rate limit of its class of route (`RouteClass`): citizens' posts and sign-ins
//! by client address, staff work by session, heavy downloads by address, each its own
//! budget, so that a hall's shared Wi-Fi full of citizens cannot lock its own staff out.

use super::message;
use crate::config::{RateLimit, TrustedNet};
use app::error::ApiError;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CONTENT_LENGTH, HOST, ORIGIN, RETRY_AFTER};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};

/// The budgets a request may spend from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteClass {
    /// Ratings, complaints, answers on the tracking page, language changes: by address.
    Citizen,
    /// Signing in and changing one's password: by address (each account also counts its
    /// own failures per network).
    SignIn,
    /// A signed-in staff member's posts: by session.
    Staff,
    /// Downloads that may be rendered on the spot (open data, department reports, Open311's
    /// lists) and channels' Open311 posts: by address, on the downloads' budget.
    Heavy,
}

impl RouteClass {
    /// The class of a request, `None` for one that spends no budget (pages, files).
    pub fn of(method: &Method, path: &str, has_session: bool) -> Option<RouteClass> {
        let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        if unsafe_method {
            return Some(match path {
                "/staff/login" | "/staff/password" => RouteClass::SignIn,
                _ if path.starts_with("/staff") && has_session => RouteClass::Staff,
                _ if path.starts_with("/staff") => RouteClass::SignIn,
                // A channel's system posts every complaint of its hotline from one address.
                _ if path.starts_with("/open311/") => RouteClass::Heavy,
                _ => RouteClass::Citizen,
            });
        }
        let heavy = path.starts_with("/stats/export.")
            || path.starts_with("/open311/v2/requests")
            || path.starts_with("/transparency/ledger/")
            || (path.starts_with("/staff/departments/") && path.ends_with(".csv"));
        heavy.then_some(RouteClass::Heavy)
    }

    /// Its budget, from the configured citizens' one and the downloads' one.
    fn budget(self, citizen: RateLimit, downloads: RateLimit) -> RateLimit {
        match self {
            RouteClass::Citizen | RouteClass::SignIn => citizen,
            // A clerk at work posts far more often than a citizen.
            RouteClass::Staff => RateLimit {
                per_minute: citizen.per_minute.saturating_mul(4),
                burst: citizen.burst.saturating_mul(4),
            },
            RouteClass::Heavy => downloads,
        }
    }
}

/// One keyed limiter per route class (the key: an address, or a session's token).
struct Limiters {
    citizen: DefaultKeyedRateLimiter<IpAddr>,
    sign_in: DefaultKeyedRateLimiter<IpAddr>,
    staff: DefaultKeyedRateLimiter<u64>,
    /// All staff posts of one address together, generously: the session key is a cookie
    /// nobody checked yet, so made-up ones must not buy one address unlimited posts.
    staff_address: DefaultKeyedRateLimiter<IpAddr>,
    heavy: DefaultKeyedRateLimiter<IpAddr>,
}

impl Limiters {
    fn new(limit: RateLimit, downloads: RateLimit, servers: u32) -> Limiters {
        let keyed = |class: RouteClass| quota(class.budget(limit, downloads), servers);
        Limiters {
            citizen: RateLimiter::keyed(keyed(RouteClass::Citizen)),
            sign_in: RateLimiter::keyed(keyed(RouteClass::SignIn)),
            staff: RateLimiter::keyed(keyed(RouteClass::Staff)),
            staff_address: RateLimiter::keyed(quota(
                RateLimit { per_minute: limit.per_minute.saturating_mul(20), burst: limit.burst.saturating_mul(20) },
                servers,
            )),
            heavy: RateLimiter::keyed(keyed(RouteClass::Heavy)),
        }
    }

    /// Spends one request of `class`; `Err(seconds)`: over budget, to wait this long.
    fn check(&self, class: RouteClass, client: IpAddr, session: Option<u64>) -> Result<(), u64> {
        let key = limit_key(client);
        let checked = match (class, session) {
            (RouteClass::Citizen, _) => self.citizen.check_key(&key),
            (RouteClass::SignIn, _) => self.sign_in.check_key(&key),
            (RouteClass::Staff, Some(session)) => self.staff_address.check_key(&key).and_then(|_| self.staff.check_key(&session)),
            (RouteClass::Staff, None) => self.sign_in.check_key(&key),
            (RouteClass::Heavy, _) => self.heavy.check_key(&key),
        };
        checked.map(drop).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }

    fn forget_idle(&self) {
        self.citizen.retain_recent();
        self.citizen.shrink_to_fit();
        self.sign_in.retain_recent();
        self.sign_in.shrink_to_fit();
        self.staff.retain_recent();
        self.staff.shrink_to_fit();
        self.staff_address.retain_recent();
        self.staff_address.shrink_to_fit();
        self.heavy.retain_recent();
        self.heavy.shrink_to_fit();
    }
}

/// A session cookie's key in the staff budget (a hash: the token itself is never kept).
fn session_key(headers: &HeaderMap) -> Option<u64> {
    use std::hash::{BuildHasher, Hasher};
    static SEED: std::sync::LazyLock<std::collections::hash_map::RandomState> =
        std::sync::LazyLock::new(std::collections::hash_map::RandomState::new);
    let cookies = headers.get_all(axum::http::header::COOKIE);
    let token = cookies.iter().filter_map(|v| v.to_str().ok()).find_map(|header| {
        app::cookie(header, app::staff::auth::SECURE_STAFF_COOKIE)
            .or_else(|| app::cookie(header, app::api::STAFF_COOKIE))
    })?;
    let mut hasher = SEED.build_hasher();
    hasher.write(token.as_bytes());
    Some(hasher.finish())
}

/// Shared by the guard middleware.
#[derive(Clone)]
pub struct Guard {
    /// Replaced whole when the number of app servers sharing the budget changes.
    limiters: Arc<RwLock<Arc<Limiters>>>,
    limit: RateLimit,
    downloads: RateLimit,
    /// How many app servers share each client's budget (see `share_among`).
    servers: Arc<AtomicU32>,
    trusted_proxies: Arc<Vec<TrustedNet>>,
    max_body_bytes: usize,
    /// The one larger limit: complaint posts, which carry photos.
    max_upload_bytes: usize,
    /// Origins a browser may post from besides the request's own host.
    public_origin: Arc<str>,
    /// Complaint posts being received at once (each may hold photos in memory), in all
    /// and per client (its address, or its IPv6 /64).
    uploads: Arc<tokio::sync::Semaphore>,
    uploads_by_client: Arc<std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>>,
}

/// Complaint posts one client may have under way at once: a slow sender cannot take every
/// slot of `UPLOADS_AT_ONCE` from everyone else.
pub const UPLOADS_PER_CLIENT: usize = 2;

/// A client's place among the complaint posts under way; given back when dropped.
struct UploadSlot {
    client: IpAddr,
    by_client: Arc<std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for UploadSlot {
    fn drop(&mut self) {
        let mut by_client = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = by_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                by_client.remove(&self.client);
            }
        }
    }
}

impl Guard {
    /// A place for one more complaint post of `client`, if there is one.
    fn upload_slot(&self, client: IpAddr) -> Option<UploadSlot> {
        let client = limit_key(client);
        let mut by_client = self.uploads_by_client.lock().unwrap_or_else(|e| e.into_inner());
        if by_client.get(&client).copied().unwrap_or(0) >= UPLOADS_PER_CLIENT {
            return None;
        }
        let permit = self.uploads.clone().try_acquire_owned().ok()?;
        *by_client.entry(client).or_insert(0) += 1;
        Some(UploadSlot { client, by_client: self.uploads_by_client.clone(), _permit: permit })
    }
}

/// Complaint posts received at once, at most: each holds up to `max_upload_bytes` while it
/// is read and checked. One over it is told to try again in a moment (503).
pub const UPLOADS_AT_ONCE: usize = 16;

impl Guard {
    pub fn new(
        limit: RateLimit,
        downloads: RateLimit,
        trusted_proxies: Vec<TrustedNet>,
        max_body_bytes: usize,
        max_upload_bytes: usize,
        public_base_url: &str,
    ) -> Guard {
        Guard {
            limiters: Arc::new(RwLock::new(Arc::new(Limiters::new(limit, downloads, 1)))),
            limit,
            downloads,
            servers: Arc::new(AtomicU32::new(1)),
            trusted_proxies: Arc::new(trusted_proxies),
            max_body_bytes,
            max_upload_bytes,
            public_origin: public_base_url.trim_end_matches('/').into(),
            uploads: Arc::new(tokio::sync::Semaphore::new(UPLOADS_AT_ONCE)),
            uploads_by_client: Arc::default(),
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

    fn limiters(&self) -> Arc<Limiters> {
        self.limiters.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Forgets addresses and sessions quiet long enough to be back at full quota.
    pub fn forget_idle_clients(&self) {
        self.limiters().forget_idle();
    }

    /// `servers` app servers behind one proxy share each client's budget: the proxy
    /// spreads a client's requests evenly over them (round robin), so each keeps its share
    /// of the budget, and a client gets the same budget however many servers there are.
    /// A change of the count starts every budget afresh.
    pub fn share_among(&self, servers: u32) {
        let servers = servers.max(1);
        if self.servers.swap(servers, Ordering::Relaxed) != servers {
            *self.limiters.write().unwrap_or_else(|poisoned| poisoned.into_inner()) =
                Arc::new(Limiters::new(self.limit, self.downloads, servers));
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

/// The network of a request's client (see `network`), as the observing layer found it.
pub fn client_network(parts: &axum::http::request::Parts) -> String {
    parts.extensions.get::<ClientIp>().map(|ip| network(ip.0)).unwrap_or_default()
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
    if unsafe_method && !guard.same_origin(headers) {
        return message::cross_site(headers, &path);
    }
    let session = session_key(headers);
    if let Some(class) = RouteClass::of(request.method(), &path, session.is_some()) {
        let client = guard.client_of(&request);
        if let Err(retry_after_secs) = guard.limiters().check(class, client, session) {
            return message::refusal(headers, &path, ApiError::RateLimited { retry_after_secs });
        }
    }
    // Held until the complaint is answered.
    let _upload = if unsafe_method && path == "/complain" {
        match guard.upload_slot(guard.client_of(&request)) {
            Some(slot) => Some(slot),
            None => {
                let mut busy = message::refusal(headers, &path, ApiError::Unavailable);
                busy.headers_mut().insert(RETRY_AFTER, axum::http::HeaderValue::from_static("2"));
                return busy;
            }
        }
    } else {
        None
    };
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
    fn each_kind_of_request_spends_its_own_budget() {
        use super::RouteClass::*;
        let of = |method: Method, path: &str, session: bool| RouteClass::of(&method, path, session);
        assert_eq!(of(Method::POST, "/c/A01", false), Some(Citizen));
        assert_eq!(of(Method::POST, "/api/rate", false), Some(Citizen));
        assert_eq!(of(Method::POST, "/complain", false), Some(Citizen));
        assert_eq!(of(Method::POST, "/staff/login", true), Some(SignIn));
        assert_eq!(of(Method::POST, "/staff/password", true), Some(SignIn));
        assert_eq!(of(Method::POST, "/staff/cases/4", true), Some(Staff));
        assert_eq!(of(Method::POST, "/staff/cases/4", false), Some(SignIn));
        assert_eq!(of(Method::GET, "/stats/export.csv", false), Some(Heavy));
        assert_eq!(of(Method::GET, "/transparency/ledger/2026-12-07.csv", false), Some(Heavy));
        assert_eq!(of(Method::GET, "/staff/departments/3/report.csv", true), Some(Heavy));
        assert_eq!(of(Method::GET, "/stats", false), None);
        assert_eq!(of(Method::GET, "/c/A01", false), None);
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
