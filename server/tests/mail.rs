//! Mail against a real SMTP server on loopback (Python's aiosmtpd from Debian, keeping
//! what it receives in a Maildir), never a mock transport: each event's mail arrives with
//! the right recipient, language and link; a server that is down, or answers 4xx/5xx,
//! loses nothing and sends nothing twice; a mail given up can be sent again.

mod common;

use app::cases::{CaseService, actor_of_record};
use app::domain::ComplaintForm;
use app::i18n::Locale;
use app::store::{Backend, Store};
use app::views::ActionForm;
use common::TestApp;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BASE: &str = "https://counterpoint.example.gov";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits for `condition`, checking every 50 ms, failing after `limit`.
async fn wait_for<F, Fut>(what: &str, limit: Duration, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !condition().await {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// aiosmtpd on 127.0.0.1:`port`, refusing first with `codes`, then keeping mail in `dir`.
struct SmtpServer {
    child: Child,
    dir: PathBuf,
}

impl SmtpServer {
    async fn start(port: u16, codes: &str) -> SmtpServer {
        let dir = std::env::temp_dir().join(format!("cp-maildir-{:016x}", rand::random::<u64>()));
        SmtpServer::start_in(port, codes, dir).await
    }

    /// The same, keeping mail in `dir` (a server started again keeps what the last one got).
    async fn start_in(port: u16, codes: &str, dir: PathBuf) -> SmtpServer {
        let handlers = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp");
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "flaky_smtp.Flaky", dir.to_str().unwrap(), codes])
            .env("PYTHONPATH", handlers)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("aiosmtpd (Debian's python3-aiosmtpd; scripts/setup.sh installs it)");
        wait_for("the SMTP server to listen", Duration::from_secs(20), || async {
            tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok()
        })
        .await;
        SmtpServer { child, dir }
    }

    /// Every message received so far, as text.
    fn messages(&self) -> Vec<String> {
        let mut all = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.dir.join(sub)) {
                for entry in entries.flatten() {
                    all.push(String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned());
                }
            }
        }
        all
    }

    fn stop(self) {
        drop(self);
    }

    /// Stops the server as a crash does, keeping its Maildir; gives the folder.
    fn kill(mut self) -> PathBuf {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::take(&mut self.dir)
    }
}

/// A failing test still stops its SMTP server.
impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !self.dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn header<'m>(message: &'m str, name: &str) -> Option<&'m str> {
    message
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| {
            let (key, value) = l.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
}

async fn app_with_smtp(port: u16, max_attempts: u32) -> TestApp {
    TestApp::start(Backend::Sqlite, |c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}?tls=none"));
        c.mail.poll = Duration::from_millis(50);
        c.mail.first_retry = Duration::from_millis(100);
        c.mail.max_attempts = max_attempts;
        c.public_base_url = BASE.into();
    })
    .await
}

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

fn complaint(email: &str) -> ComplaintForm {
    ComplaintForm {
        category: "cold_attitude".into(),
        counter: "A01".into(),
        occurred_on: today(),
        what_happened: "Nobody looked at my papers.".into(),
        identity: "named".into(),
        name: "林小姐".into(),
        email: email.into(),
        ..ComplaintForm::default()
    }
}

async fn act(cases: &CaseService, store: &Store, who: &str, id: i64, action: &str, tune: impl FnOnce(&mut ActionForm)) {
    let actor = actor_of_record(store, who).await;
    let version = cases.case_for(&actor, id, false).await.unwrap().version;
    let mut form = ActionForm {
        action: action.into(),
        version: version.to_string(),
        ..ActionForm::default()
    };
    tune(&mut form);
    cases.act(&actor, id, &form).await.unwrap_or_else(|e| panic!("{who} {action}: {e:?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_event_mails_the_right_person_in_their_language_with_the_right_link() {
    let port = free_port();
    let smtp = SmtpServer::start(port, "").await;
    let app = app_with_smtp(port, 8).await;
    let state = &app.server.state;
    let (cases, store) = (&state.cases, &state.store);

    let filed = cases.file(&complaint("lin@example.org"), &[], "mail-1", Locale::ZhHant).await.unwrap();
    let id = filed.case_id;
    let link = format!("{BASE}/track/{}", filed.token.as_str());
    act(cases, store, "staff.a01", id, "accept", |_| {}).await;
    let a02 = store.staff_by_username("staff.a02").await.unwrap().unwrap().id;
    act(cases, store, "head.hrss", id, "assign", |f| f.staff_id = a02.to_string()).await;
    let civil = store.departments().await.unwrap().into_iter().find(|d| d.code == "CIVIL").unwrap().id;
    act(cases, store, "head.hrss", id, "transfer", |f| f.department_id = civil.to_string()).await;
    act(cases, store, "head.civil", id, "decline_transfer", |f| f.body = "Not ours.".into()).await;
    act(cases, store, "staff.a02", id, "reply", |f| f.body = "我們已向當值同事了解並致歉。".into()).await;
    act(cases, store, "staff.a02", id, "mark_replied", |_| {}).await;
    cases.confirm(filed.token.as_str(), true, "", None).await.unwrap();

    wait_for("six mails", Duration::from_secs(30), || async { smtp.messages().len() >= 6 }).await;
    wait_for("the outbox to empty", Duration::from_secs(10), || async {
        store.outbox_counts().await.unwrap().pending == 0
    })
    .await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 6, "one mail per event, no more");
    let to = |m: &String| header(m, "To").unwrap_or("").to_string();
    let citizen: Vec<&String> = messages.iter().filter(|m| to(m).contains("lin@example.org")).collect();
    assert_eq!(citizen.len(), 4, "received, accepted, replied, closed");
    for m in &citizen {
        assert!(m.contains(&link), "every citizen mail carries the tracking link: {m}");
        assert!(m.contains("此郵件由系統自動發送"), "in the citizen's language (zh-Hant)");
        assert!(m.contains("Content-Type: text/plain") && m.contains("Content-Type: text/html"));
    }
    assert!(citizen.iter().any(|m| m.contains("謝謝。我們已收到您的投訴")), "received");
    assert!(citizen.iter().any(|m| m.contains("我們已向當值同事了解並致歉")), "the reply, with a link to confirm");
    let assigned: Vec<&String> = messages.iter().filter(|m| to(m).contains("staff.a02@")).collect();
    assert_eq!(assigned.len(), 1, "the assignee");
    assert!(assigned[0].contains(&format!("{BASE}/staff/cases/{id}")));
    let transferred: Vec<&String> = messages.iter().filter(|m| to(m).contains("head.civil@")).collect();
    assert_eq!(transferred.len(), 1, "the receiving head");
    let ids: std::collections::HashSet<&str> = messages.iter().filter_map(|m| header(m, "Message-ID")).collect();
    assert_eq!(ids.len(), 6, "every mail has its own Message-ID");
    smtp.stop();
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_smtp_server_down_a_while_every_mail_arrives_once_and_citizens_are_not_kept_waiting() {
    let port = free_port();
    let app = app_with_smtp(port, 100).await;
    let store = app.server.state.store.clone();
    // Complaints sent while no mail server answers: the citizen is answered at once.
    for n in 0..3 {
        let body = format!(
            "step=send&category=rude_language&counter=A01&occurred_on={}&what_happened=Shouted&identity=named&name=Lin&email=lin{n}%40example.org",
            today()
        );
        let response = app.post_form_with("/complain", &body, &[("accept-language", "en")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "filed while mail is down");
    }
    for n in 3..5 {
        app.server.state.cases.file(&complaint(&format!("lin{n}@example.org")), &[], &format!("down-{n}"), Locale::En).await.unwrap();
    }
    wait_for("every mail to have failed at least once", Duration::from_secs(20), || async {
        let waiting = store.outbox_lines("pending", 100).await.unwrap();
        waiting.len() == 5 && waiting.iter().all(|m| m.attempts >= 1)
    })
    .await;
    let waiting = store.outbox_lines("pending", 100).await.unwrap();
    assert!(waiting.iter().all(|m| !m.last_error.clone().unwrap_or_default().contains('@')), "no address in an error");

    let smtp = SmtpServer::start(port, "").await;
    wait_for("five mails", Duration::from_secs(30), || async {
        store.outbox_counts().await.unwrap().sent == 5
    })
    .await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 5, "each mail arrived exactly once");
    for n in 0..5 {
        let address = format!("lin{n}@example.org");
        assert_eq!(messages.iter().filter(|m| header(m, "To").unwrap_or("").contains(&address)).count(), 1, "{address}");
    }
    smtp.stop();
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_mails_are_retried_then_given_up_then_sent_again_by_an_administrator() {
    let port = free_port();
    // 451, then 554: two refusals, and two attempts allowed.
    let smtp = SmtpServer::start(port, "451,554").await;
    let app = app_with_smtp(port, 2).await;
    let store = app.server.state.store.clone();
    app.server.state.cases.file(&complaint("wu@example.org"), &[], "flaky-1", Locale::En).await.unwrap();
    wait_for("a dead letter", Duration::from_secs(20), || async {
        store.outbox_counts().await.unwrap().dead == 1
    })
    .await;
    assert!(smtp.messages().is_empty());

    let admin = app.sign_in("admin").await;
    let page = app.get_as("/staff/mail", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("Mails given up") && page.contains("554"), "the dead letter and why");
    assert!(!page.contains("wu@example.org"), "never the address");
    let dead = store.outbox_lines("dead", 10).await.unwrap();
    let csrf = page.split(r#"name="csrf_token" value=""#).nth(1).unwrap().split('"').next().unwrap().to_string();
    // Only an administrator may retry; and only with the session's token.
    let clerk = app.sign_in("staff.a01").await;
    let clerk_page = app.get_as("/staff", Some(&clerk)).await.text().await.unwrap();
    let clerk_csrf = clerk_page.split(r#"name="csrf_token" value=""#).nth(1).unwrap().split('"').next().unwrap().to_string();
    let path = format!("/staff/mail/{}/retry", dead[0].id);
    let refused = app.post_as(&path, Some(&clerk), &format!("csrf_token={clerk_csrf}")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "not an administrator");
    assert_eq!(store.outbox_counts().await.unwrap().dead, 1, "nothing changed");
    let forged = app.post_as(&path, Some(&admin), "csrf_token=forged").await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let retried = app.post_as(&path, Some(&admin), &format!("csrf_token={csrf}")).await;
    assert_eq!(retried.status(), StatusCode::SEE_OTHER);
    wait_for("the retried mail", Duration::from_secs(20), || async { smtp.messages().len() == 1 }).await;
    wait_for("it to be marked sent", Duration::from_secs(10), || async {
        store.outbox_counts().await.unwrap().sent == 1
    })
    .await;
    assert_eq!(store.outbox_counts().await.unwrap().dead, 0);
    let trail = store.audit_entries(10).await.unwrap();
    let resent = trail.iter().find(|e| e.action == "mail_resent").expect("the resend in the audit trail");
    assert_eq!((resent.actor.as_str(), resent.subject.clone()), ("admin", format!("mail {}", dead[0].id)));
    assert!(trail.iter().all(|e| !e.detail.contains("wu@example.org")), "never the address");
    smtp.stop();
    app.stop().await;
}

/// A setting of the test's size, `bench/mail-outage.sh` raising it.
fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_smtp_server_going_down_mid_stream_and_coming_back_loses_no_mail() {
    // `COUNTERPOINT_MAIL_OUTAGE_MAILS` mails, the server down for `_SECS` seconds meanwhile.
    let mails = setting("COUNTERPOINT_MAIL_OUTAGE_MAILS", 60) as usize;
    let outage = Duration::from_secs(setting("COUNTERPOINT_MAIL_OUTAGE_SECS", 2));
    let port = free_port();
    let smtp = SmtpServer::start(port, "").await;
    let app = app_with_smtp(port, 1000).await;
    let (cases, store) = (&app.server.state.cases, app.server.state.store.clone());
    let file = |n: usize| async move {
        let filed = cases.file(&complaint(&format!("outage{n}@example.org")), &[], &format!("outage-{n}"), Locale::En).await;
        filed.unwrap();
    };
    // A third while it is up; the rest while it is down, spread over the outage.
    for n in 0..mails / 3 {
        file(n).await;
    }
    wait_for("the first third to be sent", Duration::from_secs(60), || async {
        store.outbox_counts().await.unwrap().sent as usize == mails / 3
    })
    .await;
    let dir = smtp.kill();
    let down = Instant::now();
    let rest = mails - mails / 3;
    for n in mails / 3..mails {
        file(n).await;
        let due = outage.mul_f64((n - mails / 3 + 1) as f64 / rest as f64);
        tokio::time::sleep(due.saturating_sub(down.elapsed())).await;
    }
    let queued = store.outbox_counts().await.unwrap().pending;
    assert!(queued > 0, "mails waited for the server");
    let smtp = SmtpServer::start_in(port, "", dir).await;
    let back = Instant::now();
    wait_for("every mail to be sent", outage + Duration::from_secs(600), || async {
        store.outbox_counts().await.unwrap().sent as usize == mails
    })
    .await;
    let drained = back.elapsed();
    let messages = smtp.messages();
    let ids: std::collections::HashSet<&str> = messages.iter().filter_map(|m| header(m, "Message-ID")).collect();
    let duplicates = messages.len() - ids.len();
    println!(
        "mail outage: {mails} mails, {queued} queued during a {outage:?} outage, all sent {drained:?} after the server \
         returned; {} received, {duplicates} duplicates by Message-ID",
        messages.len()
    );
    assert_eq!(ids.len(), mails, "every mail arrived");
    // Only a mail cut off between the receiver keeping it and answering may come twice.
    assert!(duplicates <= 1, "{duplicates} duplicates");
    assert_eq!(store.outbox_counts().await.unwrap().dead, 0, "none given up");
    smtp.stop();
    app.stop().await;
}
