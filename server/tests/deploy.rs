//! The deployment files in `deploy/`, used as an operator would copy them: the systemd unit
//! passes `systemd-analyze verify`; the environment file passes `server check-config`; and
//! Debian's nginx, with the site file as shipped (only its addresses, certificate and paths
//! changed), serves a running server over TLS with the security headers, sends plain http
//! to https, and serves the static files itself, compressed.

mod common;

use app::store::Backend;
use common::TestApp;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").join("deploy").join(file)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cp-deploy-{name}-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(command: &mut Command) -> Output {
    let output = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn the_systemd_unit_verifies() {
    let dir = temp("unit");
    let binary = env!("CARGO_BIN_EXE_server");
    let unit = std::fs::read_to_string(deploy("counterpoint.service"))
        .unwrap()
        .replace("/opt/counterpoint/server", binary)
        .replace("/etc/counterpoint/counterpoint.env", deploy("counterpoint.env").to_str().unwrap());
    let path = dir.join("counterpoint.service");
    std::fs::write(&path, unit).unwrap();
    let output = Command::new("systemd-analyze").arg("verify").arg(&path).output().expect("systemd-analyze");
    let said = String::from_utf8_lossy(&output.stderr);
    // A machine without the service's user may say so; nothing else is allowed.
    let problems: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty() && !l.contains("counterpoint\" not found")).collect();
    assert!(problems.is_empty(), "{said}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_environment_file_passes_the_configuration_check() {
    let dir = temp("env");
    let secret = dir.join("smtp-url");
    std::fs::write(&secret, "smtps://counterpoint:secret@mail.example.gov.cn\n").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env_clear().arg("check-config");
    for line in std::fs::read_to_string(deploy("counterpoint.env")).unwrap().lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line.split_once('=').expect("NAME=value");
        let value = match name {
            "COUNTERPOINT_SMTP_URL_FILE" => secret.display().to_string(),
            "DATABASE_URL" => format!("sqlite://{}", dir.join("counterpoint.db").display()),
            _ => value.replace("/var/lib/counterpoint", dir.to_str().unwrap()),
        };
        command.env(name, value);
    }
    run(&mut command);
    let _ = std::fs::remove_dir_all(dir);
}

/// Debian's nginx on a configuration of the test's own that includes the shipped site.
/// Its output goes nowhere: a worker that outlived the test holding the test's output would
/// keep whatever reads it waiting.
struct Nginx {
    child: Child,
}

impl Nginx {
    fn start(conf: &Path) -> Nginx {
        let child = Command::new("/usr/sbin/nginx")
            .arg("-c")
            .arg(conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx");
        Nginx { child }
    }
}

/// Stopped as its master asks (SIGTERM: the master stops its workers, then itself); a
/// SIGKILL would leave the workers running.
impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

async fn curl(args: &[&str]) -> String {
    let owned: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("curl").args(["-sS", "--max-time", "10"]).args(&owned).output().unwrap()
    })
    .await
    .unwrap();
    assert!(output.status.success(), "curl {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nginx_site_serves_the_app_over_tls_with_its_headers() {
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.trusted_proxies = vec![server::config::TrustedNet::parse("127.0.0.1").unwrap()];
        c.public_base_url = "https://pingjia.example.gov.cn".into();
    })
    .await;
    let dir = temp("nginx");
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/counterpoint.css"), "body { color: #111; }\n".repeat(200)).unwrap();
    run(Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=pingjia.example.gov.cn"])
        .arg("-keyout")
        .arg(dir.join("privkey.pem"))
        .arg("-out")
        .arg(dir.join("fullchain.pem")));
    let (http, https) = (free_port(), free_port());
    let shipped = std::fs::read_to_string(deploy("nginx/counterpoint.conf")).unwrap();
    let addr = app.base.trim_start_matches("http://");
    let adapted = shipped
        .replace("listen 80;", &format!("listen 127.0.0.1:{http};"))
        .replace("listen [::]:80;", "")
        .replace("listen 443 ssl http2;", &format!("listen 127.0.0.1:{https} ssl http2;"))
        .replace("listen [::]:443 ssl http2;", "")
        .replace("server 127.0.0.1:3000 ", &format!("server {addr} "))
        .replace("/etc/ssl/counterpoint/", &format!("{}/", dir.display()))
        .replace("/opt/counterpoint/site/", &format!("{}/", site.display()));
    assert_ne!(adapted, shipped);
    std::fs::write(dir.join("site.conf"), adapted).unwrap();
    let d = dir.display();
    std::fs::write(
        dir.join("nginx.conf"),
        format!(
            "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\nevents {{ worker_connections 256; }}\n\
             http {{\n include /etc/nginx/mime.types;\n access_log off;\n client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\n uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n include {d}/site.conf;\n}}\n"
        ),
    )
    .unwrap();
    let conf = dir.join("nginx.conf");
    run(Command::new("/usr/sbin/nginx").arg("-t").arg("-c").arg(&conf));
    let nginx = Nginx::start(&conf);
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", https)).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "nginx never listened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let resolve = format!("pingjia.example.gov.cn:{https}:127.0.0.1");
    let base = format!("https://pingjia.example.gov.cn:{https}");
    let cacert = dir.join("fullchain.pem");
    let cacert = cacert.to_str().unwrap();

    // Plain http is sent to https, path kept.
    let plain = curl(&["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", &format!("http://127.0.0.1:{http}/c/A01")]).await;
    assert!(plain.starts_with("301 https://") && plain.ends_with("/c/A01"), "{plain}");
    // The rating page over TLS, verified against the certificate, with the headers.
    let page = curl(&["--cacert", cacert, "--resolve", &resolve, "-D", "-", "-H", "Accept-Language: en", &format!("{base}/c/A01")]).await;
    let head = page.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
    assert!(head.starts_with("http/2 200") || head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("strict-transport-security: max-age=31536000"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert!(page.contains("A01"), "the counter's page");
    // A rating through the proxy is taken.
    let rated = curl(&[
        "--cacert", cacert, "--resolve", &resolve, "-o", "/dev/null", "-w", "%{http_code}", "--data", "level=5",
        &format!("{base}/c/A01"),
    ])
    .await;
    assert_eq!(rated, "303");
    // Static files come from nginx, compressed and cached for a year.
    let css = curl(&["--cacert", cacert, "--resolve", &resolve, "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", &format!("{base}/pkg/counterpoint.css")]).await;
    let css = css.to_ascii_lowercase();
    assert!(css.contains("content-encoding: gzip") && css.contains("immutable"), "{css}");
    assert!(!css.contains("server: axum"), "{css}");
    drop(nginx);
    // Master and workers are gone: nothing is left listening.
    assert!(tokio::net::TcpStream::connect(("127.0.0.1", https)).await.is_err(), "nginx stopped");
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
