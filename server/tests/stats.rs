//! The statistics page and the open data over real HTTP, on SQLite and PostgreSQL: the
//! filters in the URL, refused filters (translated, 400), the export's licence line and
//! columns, no personal data, and revalidation by ETag.

mod common;

use app::store::{Backend, RatingRow};
use chrono::Datelike;
use common::TestApp;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, ETAG, IF_NONE_MATCH};

/// Ten ratings at A01 on Monday 2 March 2026 at 10:00 (8 good), with a comment that holds
/// personal data, and one at B01 the next day.
async fn march(app: &TestApp) {
    let store = &app.server.state.store;
    let (a01, b01) = (common::counter(app, "A01").await, common::counter(app, "B01").await);
    let row = |c: &app::store::CounterRecord, level, day: &str| RatingRow {
        comment: Some("陳大文 0912-345-678 was rude".into()),
        created_at_ms: 1_772_416_800_000,
        ..common::rating(c, level, day)
    };
    let mut rows: Vec<RatingRow> = (0..10)
        .map(|i| row(&a01, if i < 8 { 4 } else { 2 }, "2026-03-02"))
        .collect();
    rows.push(row(&b01, 5, "2026-03-03"));
    store.insert_ratings(&rows).await.unwrap();
}

const MARCH: &str = "period=month&at=2026-03-01";

#[tokio::test]
async fn the_open_data_has_a_licence_line_documented_columns_no_personal_data_and_an_etag() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let exports = std::env::temp_dir().join(format!("cp-exports-{:016x}", rand::random::<u64>()));
        let dir = exports.display().to_string();
        let app = TestApp::start(backend, |c| c.export_dir = dir).await;
        march(&app).await;

        let response = app.get_as(&format!("/stats/export.csv?{MARCH}"), None).await;
        assert_eq!(response.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
        let etag = response.headers()[ETAG].to_str().unwrap().to_string();
        let body = response.text().await.unwrap();
        let lines: Vec<&str> = body.lines().collect();
        assert!(lines[0].starts_with("# Licence: ") && lines[0].contains("CC BY 4.0"));
        assert_eq!(
            lines[1],
            "date,hall,department,counter,ratings,level_1,level_2,level_3,level_4,level_5,excluded_by_appeal,held_for_review"
        );
        assert_eq!(
            &lines[2..],
            &[
                "2026-03-02,H1,HRSS,A01,10,0,2,0,8,0,0,0",
                // One rating: its level would say how that one person rated.
                "2026-03-03,H2,NRES,B01,1,,,,,,0,0"
            ][..],
            "{backend:?}"
        );
        assert!(!body.contains("0912") && !body.contains("陳"), "no free text");

        // The whole download was kept under its ETag; asked again, that file is served
        // (marked here, to tell it from the database's rows).
        let kept: Vec<_> = std::fs::read_dir(&exports)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        assert_eq!(kept.len(), 1, "{backend:?}");
        // And each day of it, rendered, for any other range that holds it.
        let rendered: Vec<String> = std::fs::read_dir(exports.join("days"))
            .unwrap()
            .flatten()
            .flat_map(|version| std::fs::read_dir(version.path()).unwrap().flatten())
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with("2026-03-02.") && name.ends_with(".csv")
            })
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        assert!(
            rendered.iter().any(|piece| piece == "2026-03-02,H1,HRSS,A01,10,0,2,0,8,0,0,0\r\n"),
            "{backend:?}: {rendered:?}"
        );
        assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), body);
        std::fs::write(&kept[0], format!("{body}# kept\r\n")).unwrap();
        let again = app.get_as(&format!("/stats/export.csv?{MARCH}"), None).await;
        assert_eq!(again.headers()[ETAG].to_str().unwrap(), etag);
        assert!(again.text().await.unwrap().ends_with("# kept\r\n"), "{backend:?}");

        // Unchanged numbers: 304 with no body.
        let again = app
            .client
            .get(app.url(&format!("/stats/export.csv?{MARCH}")))
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert!(again.text().await.unwrap().is_empty());
        // Another filter is another file.
        let other = app
            .client
            .get(app.url("/stats/export.csv?period=month&at=2026-03-01&level=counter&unit=A01"))
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::OK);
        assert_eq!(other.text().await.unwrap().lines().count(), 3, "licence, columns, one row");

        // The same rows as JSON.
        let json: serde_json::Value = app
            .get_as(&format!("/stats/export.json?{MARCH}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert!(json["licence"].as_str().unwrap().contains("CC BY 4.0"));
        assert_eq!(json["columns"].as_array().unwrap().len(), 12);
        let rows = json["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["counter"], "A01");
        assert_eq!(rows[0]["level_4"], 8);
        assert_eq!(rows[0]["ratings"], 10);
        assert_eq!(rows[1]["ratings"], 1);
        assert!(rows[1]["level_5"].is_null(), "too few to publish by level");

        // Ratings loaded for a past day (as the data generator does) are new numbers: a new
        // ETag, and no day rendered before them is served stale (nor the kept download).
        let store = &app.server.state.store;
        let late = common::rating(&common::counter(&app, "A01").await, 5, "2026-03-02");
        store.insert_ratings(&[late]).await.unwrap();
        let response = app.get_as(&format!("/stats/export.csv?{MARCH}"), None).await;
        assert_ne!(response.headers()[ETAG].to_str().unwrap(), etag, "{backend:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains("2026-03-02,H1,HRSS,A01,11,0,2,0,8,1,0,0\r\n"), "{backend:?}: {body}");
        assert!(!body.contains("# kept"));
        app.stop().await;
    }
}

#[tokio::test]
async fn a_refused_filter_gets_a_translated_400_and_keeps_what_was_typed() {
    let app = TestApp::sqlite().await;
    let (status, page) = app.get_text("/stats?period=fortnight", "en").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Choose a day, week, month, quarter, year or custom range."));
    let (status, page) = app
        .get_text("/stats?period=custom&from=2026-03-10&to=2026-03-01", "zh-Hant")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("結束日期不能早於開始日期。"));
    assert!(page.contains(r#"value="2026-03-10""#), "the typed dates stay in the form");

    let response = app
        .client
        .get(app.url("/stats/export.csv?level=counter&unit=Z99"))
        .header(ACCEPT_LANGUAGE, "zh-Hans")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("找不到这个大厅、部门或窗口"));
    let response = app.get_as("/stats/export.json?period=custom&from=x&to=y", None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("date"));
    app.stop().await;
}

#[tokio::test]
async fn the_page_shows_a_period_with_its_charts_tables_and_shareable_links() {
    let app = TestApp::sqlite().await;
    march(&app).await;
    let (status, page) = app
        .get_text(&format!("/stats?{MARCH}&level=counter&unit=A01"), "en")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2026-03-01 to 2026-03-31"));
    // 8 good of 10: 80.0%, Wilson 49.0% to 94.3%.
    assert!(page.contains("80.0%") && page.contains("95% interval 49.0% to 94.3%"));
    // Every chart is hidden from screen readers and followed by its table.
    let tags = |open: &str| -> Vec<String> {
        page.split(open)
            .skip(1)
            .map(|rest| rest[..rest.find('>').unwrap_or(0)].to_string())
            .collect()
    };
    let (bars, svgs) = (tags("<ul aria-hidden=\"true\" class=\"bars\""), tags("<svg "));
    assert!(svgs.iter().all(|tag| tag.contains(r#"aria-hidden="true""#)));
    assert_eq!(bars.len(), 1, "the level bars (a counter's complaints: none)");
    assert!(!svgs.is_empty(), "the heatmap");
    // Every level's label is there in full, as text that can wrap.
    assert!(page.contains(r#"<span class="bar-label">Basically satisfied</span>"#));
    assert!(page.contains("<caption>Ratings by level</caption>"));
    assert!(page.contains("<caption>Ratings by weekday and hour</caption>"));
    // Links that keep the filter: previous period, export.
    assert!(page.contains(r#"href="/stats?period=month&amp;at=2026-02-01&amp;level=counter&amp;unit=A01""#));
    assert!(page.contains(r#"href="/stats/export.csv?period=month&amp;at=2026-03-01&amp;level=counter&amp;unit=A01""#));
    assert!(!page.contains("0912"), "no free text on a public page");
    app.stop().await;
}

/// The server renders the last year of the whole centre's rows ahead, a day at a time; a
/// range nobody asked for before is then joined from those days.
#[tokio::test]
async fn the_last_year_is_rendered_ahead_and_a_new_range_is_joined_from_its_days() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let exports = std::env::temp_dir().join(format!("cp-ahead-{:016x}", rand::random::<u64>()));
        let dir = exports.display().to_string();
        // The rendering ahead is driven by hand here, not by the server's own rounds.
        let app = TestApp::start(backend, |c| {
            c.export_dir = dir;
            c.render_ahead = false;
        })
        .await;
        let store = &app.server.state.store;
        let a01 = common::counter(&app, "A01").await;
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
        // A day of last month: ratings loaded for a month that is over mark it to be built
        // again, which the server's roll-up does whenever it next runs.
        let day = (today.with_day(1).unwrap() - chrono::Days::new(1)).with_day(15).unwrap();
        let month = day.format("%Y-%m").to_string();
        let row = |level| common::rating(&a01, level, &day.format("%Y-%m-%d").to_string());
        store.insert_ratings(&[row(5), row(5), row(3)]).await.unwrap();

        let files = server::http::stats::ExportFiles::new(&exports).unwrap();
        let rendered = files.prepare(&app.server.state).await.unwrap();
        assert!(rendered >= 360, "{backend:?}: a year of days rendered, not {rendered}");
        // The roll-up builds the month between two rounds: its days were rendered right and
        // are not rendered again.
        app.server.state.stats.roll_up().await.unwrap();
        assert!(!store.rating_months_to_build().await.unwrap().contains(&month), "{backend:?}: {month} built");
        assert_eq!(files.prepare(&app.server.state).await.unwrap(), 0, "{backend:?}: rendered once");
        // Three ratings: too few to publish by level.
        let line = format!("{day},H1,HRSS,A01,3,,,,,,0,0\r\n");
        let pieces: Vec<std::path::PathBuf> = std::fs::read_dir(exports.join("days"))
            .unwrap()
            .flatten()
            .flat_map(|version| std::fs::read_dir(version.path()).unwrap().flatten())
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.starts_with(&format!("{day}.")) && name.ends_with(".csv")
            })
            .collect();
        assert_eq!(pieces.len(), 1, "{backend:?}");
        assert_eq!(std::fs::read_to_string(&pieces[0]).unwrap(), line, "{backend:?}");

        // A range never downloaded: its rows are the days rendered ahead, joined (the
        // day's piece is marked here, to tell it from the database's rows).
        std::fs::write(&pieces[0], format!("{line}# rendered ahead\r\n")).unwrap();
        let range = format!(
            "/stats/export.csv?period=custom&from={}&to={}",
            day - chrono::Days::new(2),
            day + chrono::Days::new(2)
        );
        let body = app.get_as(&range, None).await.text().await.unwrap();
        let rows: Vec<&str> = body.lines().skip(2).collect();
        assert_eq!(rows, [line.trim_end(), "# rendered ahead"], "{backend:?}: {body}");
        // Days are sent in runs: six weeks of JSON is still one array, its rows in order.
        let weeks = format!(
            "/stats/export.json?period=custom&from={}&to={day}",
            day - chrono::Days::new(41)
        );
        let json: serde_json::Value = app.get_as(&weeks, None).await.json().await.unwrap();
        let rows = json["rows"].as_array().unwrap();
        assert_eq!(rows.last().unwrap()["date"], day.to_string(), "{backend:?}: {json}");
        app.stop().await;
        let _ = std::fs::remove_dir_all(&exports);
    }
}

/// A page with each script's one-time value (a new one every answer) taken out.
fn without_nonces(body: &[u8]) -> String {
    // The page's script policy names the nonce too: `'nonce-…'`.
    let mut text = String::from_utf8_lossy(body).into_owned();
    while let Some(at) = text.find("'nonce-").filter(|&at| !text[at + 7..].starts_with('\'')) {
        let end = at + 7 + text[at + 7..].find('\'').unwrap();
        text.replace_range(at + 7..end, "");
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find("crossorigin=\"").or_else(|| rest.find("nonce=\"")) {
        let value = at + rest[at..].find('"').unwrap() + 1;
        out.push_str(&rest[..value]);
        rest = &rest[value..];
        rest = &rest[rest.find('"').unwrap_or(0)..];
    }
    out.push_str(rest);
    out
}

/// What Chromium sends, then each encoding alone.
const ENCODINGS: [&str; 6] = ["gzip, deflate, br, zstd", "gzip", "br", "zstd", "deflate", "identity"];

#[tokio::test]
async fn every_download_and_large_page_arrives_whole_under_every_encoding() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        // Dozens of downloads from one address in a few seconds: past the download budget.
        let app = TestApp::start(backend, |c| {
            c.download_limit.per_minute = 1_000;
            c.download_limit.burst = 1_000;
        })
        .await;
        march(&app).await;
        let head = app.sign_in("head.hrss").await;
        let admin = app.sign_in("admin").await;
        let year = "period=year&at=2026-01-01";
        let routes: Vec<(String, Option<&str>)> = vec![
            // The whole centre a day at a time, a counter a chunk at a time; each first
            // streamed from the database (and kept), then read from the kept file.
            (format!("/stats/export.csv?{MARCH}"), None),
            (format!("/stats/export.json?{MARCH}"), None),
            (format!("/stats/export.csv?{year}"), None),
            (format!("/stats/export.json?{year}"), None),
            (format!("/stats/export.csv?{year}&level=counter&unit=A01"), None),
            (format!("/stats/export.json?{year}&level=counter&unit=A01"), None),
            (format!("/stats?{year}"), None),
            ("/services".into(), None),
            ("/staff/departments/0/report.csv?from=2026-03-01&to=2026-03-31".into(), Some(head.as_str())),
            ("/staff/admin/halls/H1/qr".into(), Some(admin.as_str())),
        ];
        for (path, cookie) in routes {
            let mut first: Option<Vec<u8>> = None;
            for accept in ENCODINGS {
                let (status, encoding, body) = app.get_decoded(&path, cookie, accept).await;
                assert_eq!(status, StatusCode::OK, "{backend:?} {path} ({accept})");
                let expected = match accept {
                    "zstd" | "identity" => None,
                    "gzip" | "br" | "deflate" => Some(accept),
                    _ => encoding.as_deref(),
                };
                assert_eq!(encoding.as_deref(), expected, "{backend:?} {path} ({accept})");
                if accept.contains(',') {
                    assert!(encoding.is_some(), "{backend:?} {path}: a browser's request is compressed");
                }
                match &first {
                    None => first = Some(body),
                    Some(whole) => assert!(
                        without_nonces(whole) == without_nonces(&body),
                        "{backend:?} {path} ({accept}): not the same body"
                    ),
                }
            }
            let body = String::from_utf8(first.unwrap()).unwrap();
            if path.starts_with("/stats/export.csv") {
                assert!(body.starts_with("# Licence: ") && body.ends_with("\r\n"), "{backend:?} {path}");
                assert!(body.contains("\r\n2026-03-02,H1,HRSS,A01,10,0,2,0,8,0,0,0\r\n"), "{backend:?} {path}: {body}");
            } else if path.starts_with("/stats/export.json") {
                let json: serde_json::Value = serde_json::from_str(&body).unwrap();
                let rows = json["rows"].as_array().unwrap();
                assert!(rows.iter().any(|r| r["date"] == "2026-03-02" && r["ratings"] == 10), "{backend:?} {path}");
            } else if path.ends_with("csv") || path.contains(".csv?") {
                assert!(body.lines().count() > 1, "{backend:?} {path}: {body}");
            } else {
                // Streamed pages send their data after the document, each in a whole script.
                assert!(body.contains("</body></html>"), "{backend:?} {path}: the whole page");
                assert!(body.trim_end().ends_with("</html>") || body.trim_end().ends_with("</script>"), "{backend:?} {path}");
            }
        }
        app.stop().await;
    }
}
