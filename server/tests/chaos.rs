//! A crash under load, on purpose: the server is killed with SIGKILL at a random moment while
//! citizens rate, file complaints with photos and read their tracking pages and staff accept
//! cases; it is restarted, and the client's own record of every write it was told succeeded
//! (a 303 it received) is checked against what the restarted server holds:
//! - every acknowledged rating, complaint, photo (byte for byte) and acceptance is there, and
//!   every acknowledged tracking link opens;
//! - nothing is half there: every complaint has its first event, all its photos and (when the
//!   citizen gave an address) its receipt mail; every bad rating has its follow-up case;
//! - SQLite's `PRAGMA integrity_check` says ok on the file the killed server left;
//! - the restarted server answers `/readyz` within 5 seconds (the release build).
//!
//! `COUNTERPOINT_CHAOS_CYCLES` sets the kill-and-restart cycles (2 here; `bench/chaos.sh`
//! runs 20 against the release build), `COUNTERPOINT_SERVER_BINARY` the binary.

mod common;

use app::store::Backend;
use app::store::testing::TestDb;
use common::database::Database;
use common::multipart::Multipart;
use common::unique_png;
use common::process::Process;
use rand::Rng;
use reqwest::StatusCode;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the clients were told succeeded.
#[derive(Default)]
struct Acknowledged {
    /// Each rating's comment, unique to it.
    ratings: Vec<String>,
    /// Each complaint's description, unique to it, with its tracking token and photos.
    complaints: Vec<Complaint>,
    /// Cases whose acceptance was acknowledged.
    accepted: Vec<i64>,
}

#[derive(Clone)]
struct Complaint {
    marker: String,
    token: String,
    photos: Vec<Vec<u8>>,
}

/// Every request the clients sent and how the server answered, for the report.
#[derive(Default)]
struct Tally {
    sent: AtomicUsize,
    /// Answers of 500 or more other than a 503 (which asks to come back): each one a bug.
    server_errors: AtomicUsize,
}

struct Run {
    database_url: String,
    folder: PathBuf,
    client: reqwest::Client,
    acknowledged: Arc<Mutex<Acknowledged>>,
    tally: Arc<Tally>,
    next: Arc<AtomicUsize>,
}

impl Run {
    fn start_server(&self) -> Process {
        let folder = |name: &str| self.folder.join(name).display().to_string();
        Process::start(&[
            ("DATABASE_URL", self.database_url.clone()),
            ("COUNTERPOINT_DEMO", "on".into()),
            ("COUNTERPOINT_PHOTO_DIR", folder("photos")),
            ("COUNTERPOINT_EXPORT_DIR", folder("exports")),
            ("COUNTERPOINT_MAIL_OUTBOX_DIR", folder("outbox")),
            ("COUNTERPOINT_RATE_LIMIT_PER_MINUTE", "1000000".into()),
            ("COUNTERPOINT_RATE_LIMIT_BURST", "1000000".into()),
        ])
    }

    /// Notes an answer: true if it acknowledged the write (a 303).
    fn answered(&self, status: StatusCode) -> bool {
        if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
            self.tally.server_errors.fetch_add(1, Ordering::Relaxed);
            eprintln!("chaos: a {status}");
        }
        status == StatusCode::SEE_OTHER
    }

    async fn rate(&self, base: &str) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let comment = format!("chaos-rating-{n}");
        let level = rand::rng().random_range(1..=5);
        let counter = ["A01", "A02"][n % 2];
        self.tally.sent.fetch_add(1, Ordering::Relaxed);
        let Ok(response) = self
            .client
            .post(format!("{base}/c/{counter}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("level={level}&comment={comment}"))
            .send()
            .await
        else {
            return;
        };
        if self.answered(response.status()) {
            self.acknowledged.lock().unwrap().ratings.push(comment);
        }
    }

    async fn complain(&self, base: &str) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let photos: Vec<Vec<u8>> = (0..1 + n % 2)
            .map(|_| unique_png(rand::rng().random_range(2_000..30_000)))
            .collect();
        let marker = format!("chaos-complaint-{n}-{}", photos.len());
        let mut form = Multipart::new()
            .text("step", "send")
            .text("category", "delay")
            .text("counter", "A01")
            .text("occurred_on", "2026-03-02")
            .text("what_happened", &marker);
        form = if n % 4 < 2 {
            form.text("identity", "named").text("name", "Lin").text("email", "lin@example.org")
        } else {
            form.text("identity", "anonymous")
        };
        for (i, photo) in photos.iter().enumerate() {
            form = form.file("photo", &format!("{i}.png"), photo);
        }
        self.tally.sent.fetch_add(1, Ordering::Relaxed);
        let Ok(response) = form.request(&self.client, &format!("{base}/complain"), true).send().await else {
            return;
        };
        if self.answered(response.status()) {
            let location = response.headers()["location"].to_str().unwrap().to_string();
            let token = location
                .strip_prefix("/track/")
                .and_then(|rest| rest.split('?').next())
                .unwrap_or_else(|| panic!("a tracking link: {location}"))
                .to_string();
            self.acknowledged.lock().unwrap().complaints.push(Complaint { marker, token, photos });
        }
    }

    async fn track(&self, base: &str) {
        let token = {
            let acknowledged = self.acknowledged.lock().unwrap();
            if acknowledged.complaints.is_empty() {
                return;
            }
            let i = rand::rng().random_range(0..acknowledged.complaints.len());
            acknowledged.complaints[i].token.clone()
        };
        self.tally.sent.fetch_add(1, Ordering::Relaxed);
        if let Ok(response) = self.client.get(format!("{base}/track/{token}")).send().await {
            let status = response.status();
            self.answered(status);
            assert!(status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE, "tracking: {status}");
        }
    }

    /// The counter's staff member accepts the oldest submitted complaint.
    async fn accept(&self, base: &str, cookie: &str, csrf: &str, database: &mut Database) {
        let waiting = database
            .rows(
                "SELECT CAST(id AS TEXT), version FROM cases WHERE kind = 'complaint' \
                 AND status = 'submitted' ORDER BY id LIMIT 1",
            )
            .await;
        let Some((id, version)) = waiting.first() else { return };
        self.tally.sent.fetch_add(1, Ordering::Relaxed);
        let Ok(response) = self
            .client
            .post(format!("{base}/staff/cases/{id}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .body(format!("action=accept&version={version}&csrf_token={csrf}"))
            .send()
            .await
        else {
            return;
        };
        if self.answered(response.status()) {
            self.acknowledged.lock().unwrap().accepted.push(id.parse().unwrap());
        }
    }
}

/// What the check after a restart found.
#[derive(Debug, Default)]
struct Findings {
    lost: Vec<String>,
    half_written: Vec<String>,
}

/// Checks everything acknowledged so far against the restarted server and its database.
async fn check(run: &Run, server: &Process, supervisor: &str, photos_checked: &mut usize) -> Findings {
    let mut findings = Findings::default();
    let mut database = Database::open(&run.database_url).await;
    let acknowledged = {
        let a = run.acknowledged.lock().unwrap();
        (a.ratings.clone(), a.complaints.clone(), a.accepted.clone())
    };
    let (ratings, complaints, accepted) = acknowledged;

    let stored: BTreeSet<String> = database
        .strings("SELECT comment FROM ratings WHERE comment LIKE 'chaos-rating-%'")
        .await
        .into_iter()
        .collect();
    findings.lost.extend(ratings.iter().filter(|c| !stored.contains(*c)).map(|c| format!("rating {c}")));
    let orphans = database
        .count(
            // A held bad rating opens its follow-up only once released.
            "SELECT COUNT(*) FROM ratings r WHERE r.level <= 2 \
             AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.rating_id = r.id) \
             AND NOT EXISTS (SELECT 1 FROM rating_holds h WHERE h.rating_id = r.id)",
        )
        .await;
    if orphans > 0 {
        findings.half_written.push(format!("{orphans} bad ratings without their follow-up case"));
    }

    // Complaints: each stored one whole, each acknowledged one stored.
    let filed: BTreeMap<String, i64> = database
        .rows(
            "SELECT c.description, COUNT(p.id) FROM cases c LEFT JOIN photos p ON p.case_id = c.id \
             WHERE c.kind = 'complaint' GROUP BY c.id, c.description",
        )
        .await
        .into_iter()
        .collect();
    for (marker, photos) in &filed {
        let sent: i64 = marker.rsplit('-').next().and_then(|n| n.parse().ok()).unwrap_or(-1);
        if *photos != sent {
            findings.half_written.push(format!("{marker} has {photos} photos"));
        }
    }
    let without_event = database
        .count(
            "SELECT COUNT(*) FROM cases c WHERE c.kind = 'complaint' \
             AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id)",
        )
        .await;
    if without_event > 0 {
        findings.half_written.push(format!("{without_event} complaints without their first event"));
    }
    let without_receipt = database
        .count(
            "SELECT COUNT(*) FROM cases c WHERE c.kind = 'complaint' AND c.complainant_email IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = c.id)",
        )
        .await;
    if without_receipt > 0 {
        findings.half_written.push(format!("{without_receipt} complaints without their receipt mail"));
    }
    for complaint in &complaints {
        if !filed.contains_key(&complaint.marker) {
            findings.lost.push(format!("complaint {}", complaint.marker));
            continue;
        }
        let tracked = run.client.get(format!("{}/track/{}", server.base, complaint.token)).send().await.unwrap();
        if tracked.status() != StatusCode::OK {
            findings.lost.push(format!("tracking link of {} ({})", complaint.marker, tracked.status()));
        }
    }
    // Photos, byte for byte, as the supervision bureau sees them; those checked after an
    // earlier restart are not fetched again.
    for complaint in complaints.iter().skip(*photos_checked) {
        let ids = database
            .strings(&format!(
                "SELECT p.id FROM photos p JOIN cases c ON c.id = p.case_id WHERE c.description = '{}'",
                complaint.marker
            ))
            .await;
        let mut held = Vec::new();
        for id in ids {
            let response = run
                .client
                .get(format!("{}/staff/photos/{id}", server.base))
                .header("cookie", supervisor)
                .send()
                .await
                .unwrap();
            if response.status() == StatusCode::OK {
                held.push(response.bytes().await.unwrap().to_vec());
            }
        }
        let mut sent = complaint.photos.clone();
        sent.sort();
        held.sort();
        if held != sent {
            findings.lost.push(format!("photos of {} ({} of {} intact)", complaint.marker, held.len(), sent.len()));
        }
    }
    *photos_checked = complaints.len();
    let accepts: BTreeSet<i64> = database
        .numbers("SELECT case_id FROM case_events WHERE kind = 'accept'")
        .await
        .into_iter()
        .collect();
    findings.lost.extend(accepted.iter().filter(|id| !accepts.contains(*id)).map(|id| format!("acceptance of case {id}")));
    findings
}

async fn chaos(backend: Backend) {
    let cycles: usize = std::env::var("COUNTERPOINT_CHAOS_CYCLES").ok().and_then(|n| n.parse().ok()).unwrap_or(2);
    let db = TestDb::new(backend).await;
    let folder = std::env::temp_dir().join(format!("cp-chaos-{:016x}", rand::random::<u64>()));
    let run = Arc::new(Run {
        database_url: db.url.clone(),
        folder: folder.clone(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
        acknowledged: Arc::default(),
        tally: Arc::default(),
        next: Arc::default(),
    });
    let mut restarts = Vec::new();
    let mut photos_checked = 0;
    let mut server = run.start_server();
    // The first start also loads the demo data.
    server.ready(&run.client, Duration::from_secs(120)).await;
    for cycle in 0..cycles {
        let (staff, csrf) = common::sign_in_at(&run.client, &server.base, "staff.a01").await;
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::new();
        for worker in 0..6 {
            let (run, stop, base, staff, csrf) =
                (run.clone(), stop.clone(), server.base.clone(), staff.clone(), csrf.clone());
            workers.push(tokio::spawn(async move {
                let mut database = Database::open(&run.database_url).await;
                while !stop.load(Ordering::Relaxed) {
                    match worker {
                        0..=2 => run.rate(&base).await,
                        3 | 4 => run.complain(&base).await,
                        _ => {
                            run.track(&base).await;
                            run.accept(&base, &staff, &csrf, &mut database).await;
                        }
                    }
                }
            }));
        }
        // Kill at a random moment once some complaints of this cycle were acknowledged.
        let before = run.acknowledged.lock().unwrap().complaints.len();
        let started = Instant::now();
        while run.acknowledged.lock().unwrap().complaints.len() < before + 2 {
            assert!(started.elapsed() < Duration::from_secs(60), "no complaint was acknowledged");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(rand::rng().random_range(0..800))).await;
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await.unwrap();
        }
        if backend == Backend::Sqlite {
            let mut database = Database::open(&run.database_url).await;
            let Database::Sqlite(connection) = &mut database else { unreachable!() };
            let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(connection).await.unwrap();
            assert_eq!(verdict, "ok", "cycle {cycle}: the killed server's SQLite file");
        }
        server = run.start_server();
        // The release build must be ready within 5 s; the debug build (the test command's
        // quick run, on a machine also compiling) gets more room, and prints what it took.
        let within = if std::env::var_os("COUNTERPOINT_SERVER_BINARY").is_some() { 5 } else { 20 };
        let ready = server.ready(&run.client, Duration::from_secs(within)).await;
        restarts.push(ready);
        let (supervisor, _) = common::sign_in_at(&run.client, &server.base, "supervisor").await;
        let findings = check(&run, &server, &supervisor, &mut photos_checked).await;
        assert!(
            findings.lost.is_empty() && findings.half_written.is_empty(),
            "cycle {cycle}: {findings:#?}"
        );
    }
    {
        let acknowledged = run.acknowledged.lock().unwrap();
        let writes = acknowledged.ratings.len() + acknowledged.complaints.len() + acknowledged.accepted.len();
        let photos: usize = acknowledged.complaints.iter().map(|c| c.photos.len()).sum();
        let slowest = restarts.iter().max().copied().unwrap_or_default();
        println!(
            "chaos ({}): {cycles} kill -9 cycles, {} requests, {writes} writes acknowledged \
             ({} ratings, {} complaints with {photos} photos, {} acceptances), 0 lost, 0 half-written, \
             slowest restart to ready {} ms",
            backend.name(),
            run.tally.sent.load(Ordering::Relaxed),
            acknowledged.ratings.len(),
            acknowledged.complaints.len(),
            acknowledged.accepted.len(),
            slowest.as_millis(),
        );
    }
    assert_eq!(run.tally.server_errors.load(Ordering::Relaxed), 0, "answers of 500 or more");
    drop(server);
    let _ = std::fs::remove_dir_all(&folder);
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_under_load_on_sqlite_loses_no_acknowledged_write() {
    chaos(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_under_load_on_postgres_loses_no_acknowledged_write() {
    chaos(Backend::Postgres).await;
}

