//! A request fuzzer against the real server binary: generated requests at every route of
//! the router (pages, forms, server functions, staff actions, downloads), with mutated
//! paths, query strings, headers, form and multipart bodies and cookies, signed in as each
//! role and as nobody. No answer may be 500 or above (a 503 only if the server says it is
//! overloaded, which it must not be here), and the server's log must hold no panic.
//!
//! `COUNTERPOINT_FUZZ_REQUESTS` sets the number (2,000 here; `bench/fuzz.sh` sends 100,000
//! to the release build and reports its memory before and after), `COUNTERPOINT_FUZZ_SEED`
//! the requests (a failure names the seed of the request that failed).

mod common;

use app::store::Backend;
use app::store::testing::TestDb;
use common::process::Process;
use rand::Rng;
use rand::seq::IndexedRandom;
use std::time::Duration;

/// Every route, with `{}` where a path parameter goes.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/c/{}"),
    ("POST", "/c/{}"),
    ("GET", "/c/{}/thanks"),
    ("GET", "/complain"),
    ("POST", "/complain"),
    ("GET", "/services"),
    ("GET", "/track"),
    ("GET", "/track/{}"),
    ("POST", "/track/{}"),
    ("GET", "/stats"),
    ("GET", "/stats/export.csv"),
    ("GET", "/stats/export.json"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/lang/{}"),
    ("GET", "/staff"),
    ("GET", "/staff/login"),
    ("POST", "/staff/login"),
    ("POST", "/staff/logout"),
    ("GET", "/staff/cases/{}"),
    ("POST", "/staff/cases/{}"),
    ("GET", "/staff/photos/{}"),
    ("GET", "/staff/orders"),
    ("POST", "/staff/orders/{}"),
    ("GET", "/staff/calendar"),
    ("POST", "/staff/calendar"),
    ("GET", "/staff/mail"),
    ("POST", "/staff/mail/{}/retry"),
    ("GET", "/staff/departments/{}"),
    ("GET", "/staff/departments/{}/report.csv"),
    ("GET", "/staff/admin"),
    ("POST", "/staff/admin/counters"),
    ("POST", "/staff/admin/counters/{}/rename"),
    ("POST", "/staff/admin/counters/{}/retire"),
    ("POST", "/staff/admin/halls"),
    ("POST", "/staff/admin/halls/{}/rename"),
    ("POST", "/staff/admin/halls/{}/retire"),
    ("GET", "/staff/admin/halls/{}/qr"),
    ("POST", "/staff/admin/departments"),
    ("POST", "/staff/admin/departments/{}/rename"),
    ("POST", "/staff/admin/departments/{}/retire"),
    ("POST", "/staff/admin/public-url"),
    ("GET", "/staff/admin/limits"),
    ("POST", "/staff/admin/limits"),
    ("GET", "/staff/admin/staff"),
    ("POST", "/staff/admin/staff"),
    ("POST", "/staff/admin/staff/{}"),
    ("POST", "/staff/admin/staff/{}/password"),
    ("GET", "/staff/admin/services"),
    ("POST", "/staff/admin/services"),
    ("POST", "/staff/admin/services/{}"),
    ("GET", "/api/directory"),
    ("GET", "/api/counter"),
    ("POST", "/api/rate"),
    ("GET", "/api/stats"),
    ("GET", "/api/admin"),
    ("GET", "/api/guide"),
    ("GET", "/api/track"),
    ("GET", "/api/inbox"),
    ("GET", "/api/case"),
    ("GET", "/api/orders"),
    ("GET", "/api/department"),
    ("GET", "/api/calendar"),
    ("GET", "/api/mail"),
    ("GET", "/api/me"),
    ("GET", "/pkg/counterpoint.css"),
    ("GET", "/favicon.ico"),
];

/// Field names the forms read, and some they do not.
const FIELDS: &[&str] = &[
    "level", "tags", "comment", "ticket", "step", "category", "hall", "department", "counter", "occurred_on",
    "occurred_at", "what_happened", "staff_named", "identity", "name", "email", "phone", "submission", "action",
    "version", "csrf_token", "body", "detail", "staff_id", "department_id", "how", "finding", "measure", "username",
    "password", "next", "helped", "code", "zh_hant", "zh_hans", "en", "role", "days", "stage", "kind", "url",
    "from", "to", "period", "unit", "format", "lang", "calendar", "file", "photo", "x",
];

/// Values that have broken parsers elsewhere.
fn nasty(rng: &mut impl Rng) -> String {
    let fixed = [
        "", " ", "0", "-1", "1", "2", "5", "6", "99999999999999999999", "1e309", "NaN", "true", "null", "A01", "B01",
        "staff.a01", "admin", "2026-03-02", "2026-02-30", "9999-12-31", "0000-00-00", "25:61", "accept", "reply",
        "transfer", "close", "named", "anonymous", "delay", "rude_language", "en", "zh-Hant", "zh-Hans", "xx",
        "%", "%zz", "%00", "%C0%AF", "%E4%B8%AD", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "<script>alert(1)</script>",
        "' OR 1=1 --", "\"", "\\", "\u{202e}", "\u{feff}", "中文", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a@b", "@", "+86 138 0000 0000",
    ];
    match rng.random_range(0..10) {
        0 => "x".repeat(rng.random_range(100..70_000)),
        1 => (0..rng.random_range(1..40)).map(|_| char::from(rng.random_range(0x20u8..0x7f))).collect(),
        2 => (0..rng.random_range(1..20)).map(|_| rng.random::<char>()).collect(),
        _ => fixed.choose(rng).unwrap().to_string(),
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A path parameter: a real one, a nasty one, or raw bytes (some left unencoded).
fn parameter(rng: &mut impl Rng) -> String {
    match rng.random_range(0..6) {
        0 => ["A01", "A02", "B01", "1", "2", "HRSS", "CIVIL", "zh-Hant", "en", "staff.a01"].choose(rng).unwrap().to_string(),
        1 => rng.random::<u64>().to_string(),
        2 => "/".repeat(rng.random_range(1..4)),
        _ => encode(&nasty(rng)),
    }
}

fn form(rng: &mut impl Rng, csrf: Option<&str>) -> String {
    let mut pairs = Vec::new();
    for _ in 0..rng.random_range(0..12) {
        let name = if rng.random_bool(0.9) { FIELDS.choose(rng).unwrap().to_string() } else { nasty(rng) };
        pairs.push(format!("{}={}", encode(&name), encode(&nasty(rng))));
    }
    if let Some(csrf) = csrf
        && rng.random_bool(0.7)
    {
        pairs.push(format!("csrf_token={csrf}"));
    }
    let mut body = pairs.join("&");
    if rng.random_bool(0.05) {
        body.push_str("&&=%");
    }
    body
}

fn multipart(rng: &mut impl Rng, boundary: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..rng.random_range(0..8) {
        let name = FIELDS.choose(rng).unwrap();
        if rng.random_bool(0.3) {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\nContent-Type: image/png\r\n\r\n", nasty(rng).replace('"', ""))
                    .as_bytes(),
            );
            let mut bytes = if rng.random_bool(0.5) { app::store::testing::png_with_location() } else { Vec::new() };
            let extra = rng.random_range(0..4000);
            bytes.extend((0..extra).map(|_| rng.random::<u8>()));
            if rng.random_bool(0.3) && !bytes.is_empty() {
                let cut = rng.random_range(0..bytes.len());
                bytes.truncate(cut);
            }
            body.extend_from_slice(&bytes);
            body.extend_from_slice(b"\r\n");
        } else {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{}\r\n", nasty(rng)).as_bytes(),
            );
        }
    }
    if rng.random_bool(0.8) {
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    }
    body
}

/// A signed-in role: its cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

/// One generated request: its description (for a failure) and the status it got.
async fn one(client: &reqwest::Client, base: &str, sessions: &[Session], seed: u64) -> Answer {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let (method, template) = *ROUTES.choose(&mut rng).unwrap();
    let mut path = template.replace("{}", &parameter(&mut rng));
    if rng.random_bool(0.1) {
        path.push_str(["/", "//", "/..", "%2e%2e", "/extra", ";x"][rng.random_range(0..6)]);
    }
    if rng.random_bool(0.4) {
        path.push('?');
        path.push_str(&form(&mut rng, None));
    }
    let method = match rng.random_range(0..20) {
        0 => "PUT",
        1 => "DELETE",
        2 => "HEAD",
        3 => "OPTIONS",
        4 => if method == "GET" { "POST" } else { "GET" },
        _ => method,
    };
    let session = if rng.random_bool(0.5) { sessions.choose(&mut rng) } else { None };
    let mut request = client.request(method.parse().unwrap(), format!("{base}{path}"));
    if let Some(session) = session {
        request = request.header("cookie", &session.cookie);
    } else if rng.random_bool(0.1) {
        request = request.header("cookie", format!("cp_staff={}; cp_lang={}", encode(&nasty(&mut rng)), encode(&nasty(&mut rng))));
    }
    for (name, chance) in [("accept-language", 0.3), ("x-forwarded-for", 0.1), ("if-none-match", 0.05), ("range", 0.05), ("origin", 0.05), ("accept-encoding", 0.2)] {
        if rng.random_bool(chance) {
            let value: String = nasty(&mut rng).chars().filter(|c| (' '..='~').contains(c)).take(2000).collect();
            request = request.header(name, value);
        }
    }
    if method != "GET" && method != "HEAD" {
        request = match rng.random_range(0..4) {
            0 | 1 => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form(&mut rng, session.map(|s| s.csrf.as_str()))),
            2 => {
                let boundary = format!("b{}", rng.random::<u32>());
                let content_type = if rng.random_bool(0.9) {
                    format!("multipart/form-data; boundary={boundary}")
                } else {
                    "multipart/form-data".to_string()
                };
                request.header("content-type", content_type).body(multipart(&mut rng, &boundary))
            }
            _ => {
                let bytes: Vec<u8> = (0..rng.random_range(0..5000)).map(|_| rng.random()).collect();
                request.header("content-type", ["application/json", "text/plain", "application/octet-stream", ""][rng.random_range(0..4)]).body(bytes)
            }
        };
    }
    let described = format!("{method} {path:.200} (seed {seed})");
    match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let _ = response.bytes().await;
            Answer::Status(described, status)
        }
        // A request the client could not even build (a path no URL parser takes): not sent.
        Err(error) if error.is_builder() => Answer::NotSent,
        // The server answered (a 4xx) and closed before reading all of a large body, as it
        // may; the client, still writing, never saw the answer.
        Err(error) if format!("{error:?}").contains("BodyWrite") => Answer::AnsweredEarly,
        Err(error) => Answer::None(format!("{described}: {error:?}")),
    }
}

enum Answer {
    Status(String, u16),
    NotSent,
    AnsweredEarly,
    /// The connection closed (or timed out) without an answer.
    None(String),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_requests_at_every_route_never_get_a_server_error_or_a_panic() {
    let requests: u64 = std::env::var("COUNTERPOINT_FUZZ_REQUESTS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let db = TestDb::new(Backend::Sqlite).await;
    let folder = std::env::temp_dir().join(format!("cp-fuzz-{:016x}", rand::random::<u64>()));
    let log = folder.join("server.log");
    std::fs::create_dir_all(&folder).unwrap();
    let server = Process::start_logging(
        &[
            ("DATABASE_URL", db.url.clone()),
            ("COUNTERPOINT_DEMO", "on".into()),
            ("COUNTERPOINT_PHOTO_DIR", folder.join("photos").display().to_string()),
            ("COUNTERPOINT_EXPORT_DIR", folder.join("exports").display().to_string()),
            ("COUNTERPOINT_MAIL_OUTBOX_DIR", folder.join("outbox").display().to_string()),
            // Generated requests all come from one address: the limits would refuse most.
            ("COUNTERPOINT_RATE_LIMIT_PER_MINUTE", "100000000".into()),
            ("COUNTERPOINT_RATE_LIMIT_BURST", "100000000".into()),
            ("RUST_LOG", "warn".into()),
        ],
        &log,
    );
    // A new connection for each request: a kept-alive one the server closes as the client
    // reuses it would be counted against the server.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    server.ready(&client, Duration::from_secs(120)).await;
    let mut sessions = Vec::new();
    for username in ["staff.a01", "head.hrss", "supervisor", "admin"] {
        let (cookie, csrf) = common::sign_in_at(&client, &server.base, username).await;
        sessions.push(Session { cookie, csrf });
    }
    let memory_before = server.resident_kb();
    // The same requests every run, unless `COUNTERPOINT_FUZZ_SEED` says otherwise (the
    // benchmark script picks a new seed each run and prints it).
    let base_seed: u64 = std::env::var("COUNTERPOINT_FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    let sessions = std::sync::Arc::new(sessions);
    let mut failures = Vec::new();
    let mut sent = 0u64;
    let workers = 8;
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let (client, base, sessions) = (client.clone(), server.base.clone(), sessions.clone());
        tasks.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            let mut sent = 0;
            for n in (worker..requests).step_by(workers as usize) {
                match one(&client, &base, &sessions, base_seed.wrapping_add(n)).await {
                    Answer::Status(described, status) => {
                        sent += 1;
                        if status >= 500 {
                            failures.push(format!("{status} for {described}"));
                        }
                    }
                    Answer::NotSent => {}
                    Answer::AnsweredEarly => sent += 1,
                    Answer::None(described) => {
                        sent += 1;
                        failures.push(format!("no answer to {described}"));
                    }
                }
            }
            (sent, failures)
        }));
    }
    for task in tasks {
        let (n, f) = task.await.unwrap();
        sent += n;
        failures.extend(f);
    }
    let memory_after = server.resident_kb();
    let health = client.get(format!("{}/healthz", server.base)).send().await.unwrap().status();
    assert_eq!(health, reqwest::StatusCode::OK, "the server is well after the run");
    drop(server);
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    println!(
        "fuzz (seed {base_seed}): {sent} of {requests} requests sent, {} unanswered or answered 500 or more; resident memory {memory_before} kB after warm-up, \
         {memory_after} kB after",
        failures.len()
    );
    assert!(sent >= requests * 9 / 10, "most generated requests can be sent: {sent} of {requests}");
    assert!(failures.is_empty(), "server errors:\n{}", failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
    assert!(!log_text.contains("panicked"), "a panic in the server's log:\n{log_text:.4000}");
    let _ = std::fs::remove_dir_all(&folder);
    db.drop_db().await;
}
