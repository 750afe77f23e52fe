//! Three server processes (the real binary) over one PostgreSQL database, all running the
//! deadline scheduler and the mail sender every few milliseconds: an overdue case is
//! escalated to the department head once and to the supervision bureau once, opens one
//! order each, and every mail it causes is sent once, by one of the servers.

use app::store::Backend;
use app::store::testing::TestDb;
use sqlx::Connection;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Process {
    child: Child,
    base: String,
}

impl Process {
    /// Starts the server binary on port 0 and reads the port it prints. Both servers share
    /// `folder` for photos and open data, as two servers started from one working folder do.
    fn start(database_url: &str, folder: &std::path::Path, outbox: &std::path::Path) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", database_url)
            .env("COUNTERPOINT_BIND", "127.0.0.1:0")
            .env("COUNTERPOINT_DEMO", "on")
            .env("COUNTERPOINT_SCHEDULER_MS", "20")
            .env("COUNTERPOINT_MAIL_POLL_MS", "20")
            .env("COUNTERPOINT_MAIL_OUTBOX_DIR", outbox)
            .env("COUNTERPOINT_PHOTO_DIR", folder.join("photos"))
            .env("COUNTERPOINT_EXPORT_DIR", folder.join("exports"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines.next().expect("the server prints its address").unwrap();
            if let Some(address) = line.strip_prefix("listening on ") {
                break address.trim().to_string();
            }
        };
        // Keep draining stdout so the process never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Process { child, base }
    }

    async fn rounds(&self, client: &reqwest::Client) -> u64 {
        let body: serde_json::Value = client
            .get(format!("{}/healthz", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["scheduler"]["rounds"].as_u64().expect("rounds")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_servers_over_one_postgres_escalate_an_overdue_case_once_per_level_and_mail_once() {
    let db = TestDb::new(Backend::Postgres).await;
    let url = db.url.clone();
    let folder = std::env::temp_dir().join(format!("cp-two-shared-{:016x}", rand::random::<u64>()));
    // Each server writes the mails it sends into its own folder.
    let outboxes: Vec<_> = (0..3).map(|i| folder.join(format!("outbox-{i}"))).collect();
    let first = Process::start(&url, &folder, &outboxes[0]);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // A complaint, made long overdue by hand (the servers use the real clock).
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d").to_string();
    let response = client
        .post(format!("{}/complain", first.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "step=send&category=delay&counter=A01&occurred_on={today}&what_happened=Waited\
             &identity=named&name=Lin&email=lin%40example.org"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE cases SET due_on = '2025-03-03' WHERE kind = 'complaint'")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let second = Process::start(&url, &folder, &outboxes[1]);
    let third = Process::start(&url, &folder, &outboxes[2]);
    let servers = [&first, &second, &third];

    let escalations = "SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id \
                       WHERE c.kind = 'complaint' AND e.kind = 'escalate'";
    let started = Instant::now();
    while count(&url, escalations).await < 2 {
        assert!(started.elapsed() < Duration::from_secs(30), "the case was never escalated twice");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Every server goes on running rounds well past that point.
    let mut before = Vec::new();
    for server in servers {
        before.push(server.rounds(&client).await);
    }
    let started = Instant::now();
    for (server, rounds) in servers.iter().zip(before) {
        while server.rounds(&client).await < rounds + 20 {
            assert!(started.elapsed() < Duration::from_secs(30), "a scheduler stopped");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    assert_eq!(count(&url, escalations).await, 2, "head once, bureau once");
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM supervision_orders o JOIN cases c ON c.id = o.case_id WHERE c.kind = 'complaint'").await,
        2
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM cases WHERE kind = 'complaint' AND escalated AND escalation_step = 2").await,
        1
    );
    // Every mail the case caused (received, the escalations' mails to staff) leaves once.
    let started = Instant::now();
    while count(&url, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'").await > 0 {
        assert!(started.elapsed() < Duration::from_secs(30), "mails stayed in the outbox");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mails = count(&url, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await;
    assert!(mails >= 2, "the receipt and at least one escalation mail: {mails}");
    let mut message_ids = Vec::new();
    for outbox in &outboxes {
        for entry in std::fs::read_dir(outbox).into_iter().flatten() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let id = text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).unwrap().to_string();
            message_ids.push(id);
        }
    }
    let written = message_ids.len();
    message_ids.sort();
    message_ids.dedup();
    assert_eq!((written, message_ids.len()), (mails as usize, mails as usize), "each mail written once");
    drop(first);
    drop(second);
    drop(third);
    let _ = std::fs::remove_dir_all(&folder);
    db.drop_db().await;
}
