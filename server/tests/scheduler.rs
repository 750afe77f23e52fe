//! Three server processes (the real binary) over one PostgreSQL database, all running the
//! deadline scheduler and the mail sender every few milliseconds: an overdue case is
//! escalated to the department head once and to the supervision bureau once, opening one
//! order each; a case due today is reminded once; a transfer nobody accepted goes back once;
//! a reply the citizen never confirmed closes once; and every mail they cause is sent once,
//! by one of the servers.

mod common;

use app::store::Backend;
use app::store::testing::TestDb;
use common::process::Process;
use sqlx::Connection;
use std::time::{Duration, Instant};

/// Starts a server over `database_url`; all share `folder` for photos and open data, as
/// servers started from one working folder do, and each writes its mails into `outbox`.
fn start(database_url: &str, folder: &std::path::Path, outbox: &std::path::Path) -> Process {
    Process::start(&[
        ("DATABASE_URL", database_url.to_string()),
        ("COUNTERPOINT_DEMO", "on".into()),
        ("COUNTERPOINT_SCHEDULER_MS", "20".into()),
        ("COUNTERPOINT_MAIL_POLL_MS", "20".into()),
        ("COUNTERPOINT_MAIL_OUTBOX_DIR", outbox.display().to_string()),
        ("COUNTERPOINT_PHOTO_DIR", folder.join("photos").display().to_string()),
        ("COUNTERPOINT_EXPORT_DIR", folder.join("exports").display().to_string()),
    ])
}

/// How many scheduler rounds the server has finished.
async fn rounds(server: &Process, client: &reqwest::Client) -> u64 {
    let body: serde_json::Value = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["scheduler"]["rounds"].as_u64().expect("rounds")
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap();
    n
}

async fn execute(url: &str, sql: &str) {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query(sql).execute(&mut conn).await.unwrap();
}

/// How many events of `kind` the case has.
async fn events(url: &str, case_id: i64, kind: &str) -> i64 {
    count(url, &format!("SELECT COUNT(*) FROM case_events WHERE case_id = {case_id} AND kind = '{kind}'")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_servers_over_one_postgres_do_each_deadline_step_once_and_send_each_mail_once() {
    let db = TestDb::new(Backend::Postgres).await;
    let url = db.url.clone();
    let folder = std::env::temp_dir().join(format!("cp-two-shared-{:016x}", rand::random::<u64>()));
    // Each server writes the mails it sends into its own folder.
    let outboxes: Vec<_> = (0..3).map(|i| folder.join(format!("outbox-{i}"))).collect();
    let first = start(&url, &folder, &outboxes[0]);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // Four complaints, then put into the states the scheduler acts on by hand (the servers
    // use the real clock).
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d").to_string();
    for _ in 0..4 {
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
    }
    let ids: Vec<i64> = {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT id FROM cases WHERE kind = 'complaint' ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap()
    };
    let [overdue, due_today, transfer, replied] = ids[..] else {
        panic!("four complaints: {ids:?}")
    };
    execute(&url, &format!("UPDATE cases SET due_on = '2025-03-03' WHERE id = {overdue}")).await;
    execute(&url, &format!("UPDATE cases SET due_on = '{today}' WHERE id = {due_today}")).await;
    execute(
        &url,
        &format!(
            "UPDATE cases SET status = 'transfer_pending', status_before_transfer = 'accepted', \
             pending_department_id = (SELECT MAX(id) FROM departments), \
             transfer_due_on = '2025-03-03', due_on = '2099-01-01' WHERE id = {transfer}"
        ),
    )
    .await;
    execute(&url, &format!("UPDATE cases SET status = 'replied', due_on = '2025-03-03' WHERE id = {replied}")).await;
    let second = start(&url, &folder, &outboxes[1]);
    let third = start(&url, &folder, &outboxes[2]);
    let servers = [&first, &second, &third];

    let steps = [
        (overdue, "escalate", 2),
        (due_today, "remind", 1),
        (transfer, "expire_transfer", 1),
        (replied, "unconfirmed", 1),
    ];
    let started = Instant::now();
    for (case_id, kind, times) in steps {
        while events(&url, case_id, kind).await < times {
            assert!(started.elapsed() < Duration::from_secs(30), "case {case_id} never got {kind} {times} times");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    // Every server goes on running rounds well past that point.
    let mut before = Vec::new();
    for server in servers {
        before.push(rounds(server, &client).await);
    }
    let started = Instant::now();
    for (server, done) in servers.iter().zip(before) {
        while rounds(server, &client).await < done + 20 {
            assert!(started.elapsed() < Duration::from_secs(30), "a scheduler stopped");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    for (case_id, kind, times) in steps {
        assert_eq!(events(&url, case_id, kind).await, times, "case {case_id}: {kind}");
    }
    for case_id in [due_today, transfer, replied] {
        assert_eq!(events(&url, case_id, "escalate").await, 0, "case {case_id} was not overdue");
    }
    assert_eq!(
        count(&url, &format!("SELECT COUNT(*) FROM supervision_orders WHERE case_id = {overdue}")).await,
        2,
        "head once, bureau once"
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM supervision_orders o JOIN cases c ON c.id = o.case_id WHERE c.kind = 'complaint'").await,
        2
    );
    assert_eq!(
        count(&url, &format!("SELECT COUNT(*) FROM cases WHERE id = {overdue} AND escalated AND escalation_step = 2")).await,
        1
    );
    assert_eq!(
        count(&url, &format!("SELECT COUNT(*) FROM cases WHERE id = {transfer} AND status = 'accepted' AND pending_department_id IS NULL")).await,
        1,
        "the transfer went back"
    );
    assert_eq!(
        count(&url, &format!("SELECT COUNT(*) FROM cases WHERE id = {replied} AND status = 'closed'")).await,
        1,
        "the unconfirmed reply closed"
    );
    // Every mail the case caused (received, the escalations' mails to staff) leaves once.
    let started = Instant::now();
    while count(&url, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'").await > 0 {
        assert!(started.elapsed() < Duration::from_secs(30), "mails stayed in the outbox");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mails = count(&url, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await;
    assert!(mails >= 5, "four receipts and at least one escalation mail: {mails}");
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
