//! Stuffing over real HTTP on SQLite and PostgreSQL: ratings from one address with a fresh
//! browser each time, and from fifty addresses behind the trusted proxy, are all thanked
//! and stored, but held: the day's public numbers and open data leave them out and say how
//! many are held; the supervision bureau releases or rejects them at `/staff/holds` with a
//! reason (twice is refused with a translated 409), other roles get 403, and the public
//! record still checks.

mod common;

use app::store::Backend;
use common::TestApp;
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;

/// Monday 2 March 2026, 10:15 in the office (Shanghai): the server's clock stands there, so
/// every rating falls in one clock hour of a day the statistics already publish.
const AT_MS: i64 = 1_772_417_700_000;

/// Posts a rating at A01 from `address` (behind the trusted proxy), with no cookie: a
/// fresh browser each time.
async fn rate_from(app: &TestApp, address: &str, level: u8) -> reqwest::Response {
    let response = app
        .post_form_with("/c/A01", &format!("level={level}"), &[("x-forwarded-for", address)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "every rating is thanked");
    response
}

#[tokio::test]
async fn stuffing_is_thanked_stored_held_and_decided_by_the_bureau_alone() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let clock = app::clock::Clock::manual(AT_MS);
        let app = TestApp::start_at(backend, clock.clone(), |c| {
            c.rate_limit.per_minute = 100_000;
            c.rate_limit.burst = 100_000;
            c.trusted_proxies = vec![server::config::TrustedNet::parse("127.0.0.1").unwrap()];
        })
        .await;
        let store = &app.server.state.store;
        let a01 = common::counter(&app, "A01").await.id;

        // A browser without the device cookie is given one: HttpOnly, SameSite, a year.
        let first = rate_from(&app, "10.1.1.1", 5).await;
        let cookie = first.headers()[SET_COOKIE].to_str().unwrap().to_string();
        assert!(cookie.starts_with("cp_device=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        // One address, a fresh browser each time, then fifty addresses: all "very dissatisfied".
        for _ in 0..29 {
            rate_from(&app, "10.1.1.1", 1).await;
        }
        for i in 0..50 {
            rate_from(&app, &format!("10.2.{i}.7"), 1).await;
        }
        assert_eq!(store.count_ratings().await.unwrap(), 80, "{backend:?}: every rating is stored");
        // The burst holds the whole hour: nothing of it counts until the bureau decides.
        assert_eq!(store.totals_of_counter(a01, "2999-01-01").await.unwrap().count(), 0, "{backend:?}");
        let held: Vec<(String, i64)> = store.held_groups().await.unwrap().into_iter().map(|g| (g.reason, g.ratings)).collect();
        assert_eq!(held.iter().map(|(_, n)| n).sum::<i64>(), 80, "{held:?}");
        // The first address's seventh and later are held for the block; the fifty addresses,
        // each within its own budget, make the counter's burst (and past 60 in the hour,
        // more than a window serves).
        for group in [("address", 24), ("burst", 36), ("counter", 20)] {
            assert!(held.contains(&(group.0.to_string(), group.1)), "{backend:?}: {held:?}");
        }

        // The next day, the day's open data and statistics say how many are held.
        clock.advance(std::time::Duration::from_secs(24 * 3600));
        let csv = app.get_as("/stats/export.csv?period=day&at=2026-03-02", None).await.text().await.unwrap();
        let row = csv.lines().find(|l| l.contains(",A01,")).unwrap_or_else(|| panic!("A01 in {csv}"));
        assert!(row.starts_with("2026-03-02,H1,HRSS,A01,0,") && row.ends_with(",0,80"), "{backend:?}: {row}");
        let (_, stats) = app.get_text("/stats?period=day&at=2026-03-02&level=counter&unit=A01", "en").await;
        assert!(stats.contains("80 more ratings are held for review"), "{backend:?}");

        // Only the supervision bureau sees and decides the queue.
        let head = app.sign_in("head.hrss").await;
        assert_eq!(app.get_as("/staff/holds", Some(&head)).await.status(), StatusCode::FORBIDDEN);
        let supervisor = app.sign_in("supervisor").await;
        let page = app.get_as("/staff/holds", Some(&supervisor)).await.text().await.unwrap();
        assert!(page.contains("Many from one address block") && page.contains("A burst, far above the usual"), "{backend:?}");
        let token = common::csrf(&page);
        let decide = |reason: &str, decision: &str, why: &str| {
            format!("csrf_token={token}&counter=A01&day=2026-03-02&hour=10&reason={reason}&decision={decision}&why={why}")
        };
        let forged = app.post_as("/staff/holds", Some(&head), &decide("burst", "released", "ok")).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "another's form token is refused");
        // A reason is required; a line that names nothing is refused; neither writes.
        let no_reason = app.post_as("/staff/holds", Some(&supervisor), &decide("burst", "released", "")).await;
        assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let nothing = app.post_as("/staff/holds", Some(&supervisor), &decide("ghosts", "released", "x")).await;
        assert_eq!(nothing.status(), StatusCode::NOT_FOUND);
        assert_eq!(store.totals_of_counter(a01, "2999-01-01").await.unwrap().count(), 0);

        // The address block's are rejected; the burst's released, and count.
        let rejected = app.post_as("/staff/holds", Some(&supervisor), &decide("address", "rejected", "one+address+all+night")).await;
        assert_eq!(rejected.status(), StatusCode::SEE_OTHER);
        assert_eq!(rejected.headers()["location"], "/staff/holds?decided=24");
        let released = app.post_as("/staff/holds", Some(&supervisor), &decide("burst", "released", "queue+log+matches")).await;
        assert_eq!(released.status(), StatusCode::SEE_OTHER);
        assert_eq!(store.totals_of_counter(a01, "2999-01-01").await.unwrap().count(), 36, "{backend:?}");
        // Again: a translated conflict, nothing written.
        let again = app.post_as("/staff/holds", Some(&supervisor), &decide("burst", "released", "again")).await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        assert!(again.text().await.unwrap().contains("decided already"));
        assert_eq!(store.totals_of_counter(a01, "2999-01-01").await.unwrap().count(), 36);
        let (_, stats) = app.get_text("/stats?period=day&at=2026-03-02&level=counter&unit=A01", "zh-Hant").await;
        assert!(stats.contains("另有 44 則評價疑似刷評而暫扣待審"), "{backend:?}");

        // Every hold and decision is in the public record, and it checks.
        assert!(matches!(store.verify_ledger().await.unwrap(), app::store::ledger::Verification::Clean { .. }));
        app.stop().await;
    }
}
