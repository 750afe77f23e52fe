//! The operator's commands, run as the real binary: the configuration check, production
//! mode's refusals, the first administrator, backups taken while serving and restored,
//! and a database that a newer version migrated.

mod common;

use app::store::Backend;
use app::store::testing::TestDb;
use common::TestApp;
use common::database::Database;
use common::multipart::Multipart;
use sqlx::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cp-ops-{name}-{:016x}", rand::random::<u64>()))
}

/// Runs `server args…` with exactly `vars` as its settings (and the test's PATH).
fn server(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).args(args);
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().expect("the server binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn every_subcommand_explains_itself() {
    let help = server(&["--help"], &[]);
    assert!(help.status.success());
    for command in ["serve", "migrate", "create-admin", "check-config", "generate-data", "backup", "restore"] {
        assert!(stdout(&help).contains(command), "{command} in --help");
        let own = server(&[command, "--help"], &[]);
        assert!(own.status.success(), "{command} --help");
        assert!(stdout(&own).contains("Usage: server"), "{command}: {}", stdout(&own));
    }
    assert!(!server(&["no-such-command"], &[]).status.success());
}

#[test]
fn check_config_names_every_bad_setting_and_passes_a_good_production_one() {
    let bad = server(
        &["check-config"],
        &[
            ("COUNTERPOINT_RATE_LIMIT_BURST", "lots"),
            ("COUNTERPOINT_TIME_ZONE", "Mars/Olympus"),
            ("DATABASE_URL", "mysql://db"),
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    for variable in ["COUNTERPOINT_RATE_LIMIT_BURST", "COUNTERPOINT_TIME_ZONE", "DATABASE_URL"] {
        assert!(stderr(&bad).contains(variable), "{variable}: {}", stderr(&bad));
    }
    let secret = temp("smtp");
    std::fs::write(&secret, "smtps://relay:secret@mail.example.gov.cn\n").unwrap();
    let good = server(
        &["check-config"],
        &[
            ("COUNTERPOINT_PRODUCTION", "true"),
            ("COUNTERPOINT_PUBLIC_URL", "https://pingjia.example.gov.cn"),
            ("COUNTERPOINT_SMTP_URL_FILE", secret.to_str().unwrap()),
        ],
    );
    assert!(good.status.success(), "{}", stderr(&good));
    assert!(stdout(&good).contains("complete for production"));
    assert!(!stdout(&good).contains("secret") && !stderr(&good).contains("secret"), "the secret is not shown");
    let _ = std::fs::remove_file(secret);
}

#[test]
fn production_mode_refuses_to_serve_on_plain_http_unencrypted_mail_or_the_demo() {
    let refused = server(
        &["serve"],
        &[
            ("COUNTERPOINT_PRODUCTION", "true"),
            ("COUNTERPOINT_PUBLIC_URL", "http://pingjia.example.gov.cn"),
            ("COUNTERPOINT_SMTP_URL", "smtp://relay.example.gov.cn?tls=none"),
            ("COUNTERPOINT_DEMO", "on"),
            ("COUNTERPOINT_BIND", "127.0.0.1:0"),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    let said = stderr(&refused);
    for variable in ["COUNTERPOINT_PUBLIC_URL", "COUNTERPOINT_SMTP_URL", "COUNTERPOINT_DEMO"] {
        assert!(said.contains(variable), "{variable}: {said}");
    }
    assert!(!stdout(&refused).contains("listening on"), "it never listened");
}

#[test]
fn a_database_that_cannot_be_reached_at_start_is_named_and_the_server_stops() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/counterpoint");
    let refused = server(&["serve"], &[("DATABASE_URL", url.as_str()), ("COUNTERPOINT_BIND", "127.0.0.1:0")]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("DATABASE_URL: could not open the database"), "{}", stderr(&refused));
    assert!(!stdout(&refused).contains("listening on"));
}

#[tokio::test]
async fn the_first_administrator_is_made_from_a_password_file_and_signs_in() {
    let db = TestDb::new(Backend::Sqlite).await;
    let url = db.url.clone();
    db.store.close().await;
    let password = temp("password");
    std::fs::write(&password, "short\n").unwrap();
    let vars = [("DATABASE_URL", url.as_str()), ("COUNTERPOINT_DEMO", "off")];
    let args = ["create-admin", "--username", "it.office", "--display-name", "信息中心", "--password-file"];
    let too_short = server(&[&args[..], &[password.to_str().unwrap()]].concat(), &vars);
    assert_eq!(too_short.status.code(), Some(1));
    assert!(stderr(&too_short).contains("12 to 128"), "{}", stderr(&too_short));

    std::fs::write(&password, "correct horse battery staple\nignored second line\n").unwrap();
    let made = server(&[&args[..], &[password.to_str().unwrap()]].concat(), &vars);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(stdout(&made).contains("it.office"));
    let again = server(&[&args[..], &[password.to_str().unwrap()]].concat(), &vars);
    assert_eq!(again.status.code(), Some(1), "the name is taken");
    assert!(stderr(&again).contains("taken"), "{}", stderr(&again));
    let _ = std::fs::remove_file(&password);

    // The new administrator signs in on a server over that database, which has no demo.
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.database_url = url.clone();
        c.demo = app::demo::DemoMode::Off;
    })
    .await;
    let response = app.post_form("/staff/login", "username=it.office&password=correct+horse+battery+staple").await;
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    // Administrators of a real office (no demo) set up a second factor first.
    assert_eq!(response.headers()[reqwest::header::LOCATION], "/staff/second-factor");
    let demo = app
        .post_form("/staff/login", &format!("username=admin&password={}", app::demo::DEMO_PASSWORD))
        .await;
    assert_eq!(demo.status(), reqwest::StatusCode::UNAUTHORIZED, "no demo account exists");
    let audit = app.server.state.store.audit_entries(10).await.unwrap();
    assert!(audit.iter().any(|a| a.subject == "it.office" && a.detail.contains("command line")), "{audit:?}");
    app.server.stop().await;
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| if e.path().is_dir() { count_files(&e.path()) } else { 1 })
                .sum()
        })
        .unwrap_or(0)
}

/// A backup taken while ratings and complaints with photos keep arriving restores into an
/// empty database whole: it passes SQLite's integrity check, and holds every rating and
/// every complaint acknowledged before the backup began, photos byte for byte; a restore
/// over a database with data is refused without `--force`.
async fn backup_while_serving_then_restore(backend: Backend) {
    let photo_dir = temp("photos").to_str().unwrap().to_string();
    let app = TestApp::start(backend, |c| {
        c.photo_dir = photo_dir.clone();
        c.rate_limit.per_minute = 1_000_000;
        c.rate_limit.burst = 1_000_000;
    })
    .await;
    let url = app.database_url().to_string();
    common::complaint_with_photo(&app, "ops-1").await;

    // Ratings and complaints keep arriving while the backup runs; each acknowledgement is
    // noted with whether it came before the backup began.
    let began = Arc::new(AtomicBool::new(false));
    let ratings_load = {
        let (client, target, began) = (app.client.clone(), app.url("/c/A01"), began.clone());
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0..400 {
                let comment = format!("backup-rating-{n}");
                let response = client
                    .post(&target)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("level={}&comment={comment}", 1 + n % 5))
                    .send()
                    .await
                    .unwrap();
                if response.status().is_redirection() {
                    acknowledged.push((comment, !began.load(Ordering::SeqCst)));
                }
            }
            acknowledged
        })
    };
    let complaints_load = {
        let (client, target, began) = (app.client.clone(), app.url("/complain"), began.clone());
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0..30 {
                let what = format!("backup-complaint-{n}");
                let photo = common::unique_png(1000 + n);
                let form = Multipart::new()
                    .text("step", "send")
                    .text("category", "delay")
                    .text("counter", "A01")
                    .text("occurred_on", "2026-03-02")
                    .text("what_happened", &what)
                    .text("identity", "anonymous")
                    .file("photo", "p.png", &photo);
                let response = form.request(&client, &target, true).send().await.unwrap();
                if response.status().is_redirection() {
                    acknowledged.push((what, photo, !began.load(Ordering::SeqCst)));
                }
            }
            acknowledged
        })
    };
    // Let some of each arrive first.
    let started = std::time::Instant::now();
    while app.server.state.store.count_ratings().await.unwrap() < 50 {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "no ratings arrived");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let folder = temp("backup");
    let vars = [("DATABASE_URL", url.as_str()), ("COUNTERPOINT_PHOTO_DIR", photo_dir.as_str())];
    began.store(true, Ordering::SeqCst);
    let backup = tokio::task::spawn_blocking({
        let folder = folder.clone();
        let vars: Vec<(String, String)> = vars.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        move || {
            let vars: Vec<(&str, &str)> = vars.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            server(&["backup", folder.to_str().unwrap()], &vars)
        }
    })
    .await
    .unwrap();
    assert!(backup.status.success(), "{}", stderr(&backup));
    let ratings_acknowledged = ratings_load.await.unwrap();
    let complaints_acknowledged = complaints_load.await.unwrap();
    let ratings_before: Vec<&String> = ratings_acknowledged.iter().filter(|r| r.1).map(|r| &r.0).collect();
    let complaints_before: Vec<_> = complaints_acknowledged.iter().filter(|c| c.2).collect();
    assert!(!ratings_before.is_empty() && ratings_acknowledged.len() > ratings_before.len(), "ratings before and during");
    if matches!(backend, Backend::Sqlite) {
        // On PostgreSQL the photo's bytes are in the database, and so in its dump.
        assert!(count_files(&folder.join("photos")) >= 1, "the photo folder is in the backup");
    }
    // Backing up into a folder that holds something is refused.
    let again = server(&["backup", folder.to_str().unwrap()], &vars);
    assert_eq!(again.status.code(), Some(1));
    let ratings_live = app.server.state.store.count_ratings().await.unwrap();
    app.server.stop().await;

    // Restored into a fresh, empty database and photo folder.
    let fresh = TestDb::new(backend).await;
    let fresh_url = fresh.url.clone();
    fresh.store.close().await;
    let fresh_photos = temp("restored-photos");
    let restore_vars = [("DATABASE_URL", fresh_url.as_str()), ("COUNTERPOINT_PHOTO_DIR", fresh_photos.to_str().unwrap())];
    let restored = server(&["restore", folder.to_str().unwrap()], &restore_vars);
    assert!(restored.status.success(), "{}", stderr(&restored));
    if matches!(backend, Backend::Sqlite) {
        let mut connection = sqlx::SqliteConnection::connect(&fresh_url).await.unwrap();
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut connection).await.unwrap();
        assert_eq!(verdict, "ok", "the restored file");
        connection.close().await.unwrap();
    } else {
        // PostgreSQL's amcheck: every B-tree index of the restored database agrees with
        // its table (an error fails the query).
        let mut connection = sqlx::PgConnection::connect(&fresh_url).await.unwrap();
        sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck").execute(&mut connection).await.unwrap();
        let checked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT bt_index_check(c.oid::regclass, true) FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public') AS checked",
        )
        .fetch_one(&mut connection)
        .await
        .unwrap();
        assert!(checked > 10, "amcheck looked at the indexes: {checked}");
        connection.close().await.unwrap();
    }
    let store = app::store::Store::connect(&fresh_url).await.unwrap();
    let ratings = store.count_ratings().await.unwrap();
    assert!(ratings <= ratings_live, "no more than were written: {ratings} of {ratings_live}");
    // Every photo the restored database names can be read from the restored folder, and
    // every complaint acknowledged before the backup began is there with its photo.
    let restored_app = TestApp::start(backend, |c| {
        c.database_url = fresh_url.clone();
        c.photo_dir = fresh_photos.to_str().unwrap().to_string();
    })
    .await;
    let mut database = Database::open(&fresh_url).await;
    let restored_ratings: std::collections::BTreeSet<String> =
        database.strings("SELECT comment FROM ratings WHERE comment LIKE 'backup-rating-%'").await.into_iter().collect();
    for comment in &ratings_before {
        assert!(restored_ratings.contains(*comment), "{comment}, acknowledged before the backup, is restored");
    }
    let cases = common::all_cases(&restored_app).await;
    let supervisor = app::cases::actor_of_record(&restored_app.server.state.store, "supervisor").await;
    for case in &cases {
        for photo in restored_app.server.state.store.photos_of_case(case.id).await.unwrap() {
            let shown = restored_app.server.state.cases.photo_for(&supervisor, &photo.id).await;
            assert!(shown.is_ok_and(|(_, b)| !b.is_empty()), "photo {} of case {} is restored", photo.id, case.id);
        }
    }
    let mut photos = std::collections::BTreeMap::new();
    for (what, id) in database
        .pairs("SELECT c.description, p.id FROM photos p JOIN cases c ON c.id = p.case_id WHERE c.description LIKE 'backup-complaint-%'")
        .await
    {
        let (_, bytes) = restored_app.server.state.cases.photo_for(&supervisor, &id).await.unwrap();
        photos.insert(what, bytes.to_vec());
    }
    for (what, photo, _) in &complaints_before {
        assert_eq!(photos.get(what), Some(photo), "{what}, acknowledged before the backup, with its photo byte for byte");
    }
    restored_app.server.stop().await;

    // Over a database with data, a restore is refused without --force.
    let refused = server(&["restore", folder.to_str().unwrap()], &restore_vars);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    let forced = server(&["restore", "--force", folder.to_str().unwrap()], &restore_vars);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(store.count_ratings().await.unwrap(), ratings, "the same backup again");
    store.close().await;
    let _ = std::fs::remove_dir_all(&folder);
    let _ = std::fs::remove_dir_all(&fresh_photos);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_taken_while_serving_restores_whole() {
    backup_while_serving_then_restore(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_taken_while_serving_restores_whole() {
    backup_while_serving_then_restore(Backend::Postgres).await;
}

#[tokio::test]
async fn a_database_a_newer_version_migrated_is_refused_with_a_clear_message() {
    let db = TestDb::new(Backend::Sqlite).await;
    let url = db.url.clone();
    db.store.close().await;
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', TRUE, X'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    for command in ["migrate", "serve"] {
        let refused = server(&[command], &[("DATABASE_URL", url.as_str()), ("COUNTERPOINT_BIND", "127.0.0.1:0")]);
        assert_eq!(refused.status.code(), Some(1), "{command}");
        assert!(stderr(&refused).contains("newer"), "{command}: {}", stderr(&refused));
    }
}
