//! Starts the server on port 0 with its own fresh database, for tests that talk to it over
//! real HTTP as a browser would.
#![allow(dead_code)]

pub mod database;
pub mod multipart;
pub mod process;

use app::store::Backend;
use app::store::testing::TestDb;
use reqwest::header::{ACCEPT_ENCODING, ACCEPT_LANGUAGE, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::{Client, StatusCode, redirect};
use server::config::Config;

/// The CSRF token of the first staff form on a page.
pub fn csrf(page: &str) -> String {
    page.split(r#"name="csrf_token" value=""#)
        .nth(1)
        .expect("a form with a CSRF token")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub server: server::Server,
    db: TestDb,
    folders: Folders,
}

/// The server's own folders (photos, downloads, mail), removed with the test app: photo
/// packs take their space ahead, and a run leaves nothing behind in the temporary folder.
struct Folders(Vec<String>);

impl Drop for Folders {
    fn drop(&mut self) {
        for folder in &self.0 {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

impl TestApp {
    pub async fn start(backend: Backend, tune: impl FnOnce(&mut Config)) -> TestApp {
        Self::start_at(backend, app::clock::Clock::system(), tune).await
    }

    /// As `start`, the server reading the time from `clock`.
    pub async fn start_at(backend: Backend, clock: app::clock::Clock, tune: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDb::new(backend).await;
        let mut config = Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            database_url: db.url.clone(),
            photo_dir: std::env::temp_dir()
                .join(format!("cp-test-photos-{:016x}", rand::random::<u64>()))
                .display()
                .to_string(),
            // No floor of free space: a test machine's disk may be nearly full (the floor's
            // own test sets one).
            photo_limits: app::cases::PhotoLimits { free_floor: 0, ..Default::default() },
            ..Config::default()
        };
        config.export_dir = std::env::temp_dir()
            .join(format!("cp-test-exports-{:016x}", rand::random::<u64>()))
            .display()
            .to_string();
        config.mail.outbox_dir = std::env::temp_dir()
            .join(format!("cp-test-mail-{:016x}", rand::random::<u64>()))
            .display()
            .to_string();
        let mut folders = vec![config.photo_dir.clone(), config.export_dir.clone(), config.mail.outbox_dir.clone()];
        tune(&mut config);
        for folder in [&config.photo_dir, &config.export_dir, &config.mail.outbox_dir] {
            if !folders.contains(folder) {
                folders.push(folder.clone());
            }
        }
        let server = server::start_with_clock(config, clock).await.expect("server starts");
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{}", server.addr),
            client,
            server,
            db,
            folders: Folders(folders),
        }
    }

    /// The database's URL, for a second server or a direct look.
    pub fn database_url(&self) -> &str {
        &self.db.url
    }

    pub async fn sqlite() -> TestApp {
        Self::start(Backend::Sqlite, |_| {}).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post_form(&self, path: &str, body: &str) -> reqwest::Response {
        self.post_form_with(path, body, &[]).await
    }

    /// Posts a urlencoded form with extra headers, as a browser would.
    pub async fn post_form_with(
        &self,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(body.to_string()).send().await.unwrap()
    }

    /// Signs a demo account in and returns its session cookie (`cp_staff=…`).
    pub async fn sign_in(&self, username: &str) -> String {
        let response = self
            .post_form(
                "/staff/login",
                &format!("username={username}&password={}", app::demo::DEMO_PASSWORD),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{username} signs in"
        );
        let header = response.headers()[reqwest::header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        header.split(';').next().unwrap().to_string()
    }

    /// GET with a cookie (or none) in English.
    pub async fn get_as(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .get(self.url(path))
            .header(ACCEPT_LANGUAGE, "en");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    /// POSTs a urlencoded form with a cookie (or none) in English.
    pub async fn post_as(&self, path: &str, cookie: Option<&str>, body: &str) -> reqwest::Response {
        let mut headers = vec![("accept-language", "en")];
        if let Some(cookie) = cookie {
            headers.push(("cookie", cookie));
        }
        self.post_form_with(path, body, &headers).await
    }

    /// GET in English as a browser would, asking for `accept_encoding`: the status, the
    /// encoding the server chose, and the body decoded. A body that breaks off or does not
    /// decode whole fails the test.
    pub async fn get_decoded(
        &self,
        path: &str,
        cookie: Option<&str>,
        accept_encoding: &str,
    ) -> (StatusCode, Option<String>, Vec<u8>) {
        let mut request = self
            .client
            .get(self.url(path))
            .header(ACCEPT_LANGUAGE, "en")
            .header(ACCEPT_ENCODING, accept_encoding);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let encoding = response
            .headers()
            .get(CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{path} ({accept_encoding}): the body broke off: {e}"));
        let body = decode(encoding.as_deref(), &bytes)
            .unwrap_or_else(|e| panic!("{path} ({accept_encoding}): {encoding:?} does not decode whole: {e}"));
        (status, encoding, body)
    }

    pub async fn get_text(&self, path: &str, language: &str) -> (StatusCode, String) {
        let response = self
            .client
            .get(self.url(path))
            .header(ACCEPT_LANGUAGE, language)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// `username` takes a case action through the service (at the case's current version).
    pub async fn act_as(&self, username: &str, case_id: i64, mut form: app::views::ActionForm) {
        let state = &self.server.state;
        let actor = app::cases::actor_of_record(&state.store, username).await;
        let version = state.cases.case_for(&actor, case_id, false).await.unwrap().version;
        form.version = version.to_string();
        state.cases.act(&actor, case_id, &form).await.unwrap();
    }

    pub async fn stop(self) {
        drop(self.client);
        self.server.stop().await;
        self.db.drop_db().await;
    }
}

/// A body in `encoding` (`Content-Encoding`), decoded; an error if it is cut short.
pub fn decode(encoding: Option<&str>, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    match encoding {
        None | Some("identity") => out.extend_from_slice(bytes),
        Some("gzip") => {
            flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
        }
        // HTTP's "deflate" is the zlib format.
        Some("deflate") => {
            flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out)?;
        }
        Some("br") => {
            brotli_decompressor::Decompressor::new(bytes, 4096).read_to_end(&mut out)?;
        }
        Some(other) => return Err(std::io::Error::other(format!("unknown encoding {other}"))),
    }
    Ok(out)
}

/// Every case, as the bureau's inbox lists them (newest first).
pub async fn all_cases(app: &TestApp) -> Vec<app::store::CaseSummary> {
    app.server
        .state
        .store
        .inbox(0, None, app::store::Visibility::All, app::store::Scope::All, &Default::default())
        .await
        .unwrap()
}

/// The case filed last.
pub async fn newest_case(app: &TestApp) -> app::store::CaseSummary {
    all_cases(app).await.into_iter().max_by_key(|c| c.id).expect("a case")
}

/// The demo counter with `code`.
pub async fn counter(app: &TestApp, code: &str) -> app::store::CounterRecord {
    app.server
        .state
        .store
        .all_counters()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.code == code)
        .unwrap_or_else(|| panic!("no counter {code}"))
}

/// A rating of `level` at `counter` on office day `day` at 10:00, with no comment or ticket.
pub fn rating(counter: &app::store::CounterRecord, level: i64, day: &str) -> app::store::RatingRow {
    app::store::RatingRow {
        counter_id: counter.id,
        hall_id: counter.hall_id,
        level,
        tags: 0,
        comment: None,
        ticket: None,
        created_at_ms: 0,
        local_day: day.into(),
        local_hour: 10,
        hold: None,
    }
}

/// Files an anonymous complaint at counter A01 with one photo, through the case service of
/// `app` (`submission`: the form's own key); gives the photo's key.
pub async fn complaint_with_photo(app: &TestApp, submission: &str) -> String {
    let cases = &app.server.state.cases;
    let photo = cases.upload_photo(&app::store::testing::png_with_location(), "203.0.113.0/24").await.unwrap();
    let form = app::domain::ComplaintForm {
        category: "delay".into(),
        counter: "A01".into(),
        occurred_on: "2026-03-02".into(),
        what_happened: "Waited.".into(),
        identity: "anonymous".into(),
        ..Default::default()
    };
    cases.file(&form, std::slice::from_ref(&photo), submission, app::i18n::Locale::En).await.unwrap();
    photo
}

/// A PNG of `width` random grey pixels: unique bytes, and nothing for the server to strip,
/// so what it stores must equal what was sent.
pub fn unique_png(width: u32) -> Vec<u8> {
    use app::store::testing::png_chunk;
    use rand::Rng;
    let mut rng = rand::rng();
    // One row: the filter byte, then the pixels, in one stored (uncompressed) deflate block.
    let mut row = vec![0u8];
    row.extend((0..width).map(|_| rng.random::<u8>()));
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&(row.len() as u16).to_le_bytes());
    zlib.extend_from_slice(&(!(row.len() as u16)).to_le_bytes());
    zlib.extend_from_slice(&row);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &row {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&[0, 0, 0, 1, 8, 0, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &header);
    png_chunk(&mut out, b"IDAT", &zlib);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// Signs a demo account in on the server at `base`: its session cookie and CSRF token.
pub async fn sign_in_at(client: &reqwest::Client, base: &str, username: &str) -> (String, String) {
    let response = client
        .post(format!("{base}/staff/login"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("username={username}&password={}", app::demo::DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{username} signs in");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let page = client.get(format!("{base}/staff")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    (cookie, csrf(&page))
}
