//! The store's behaviour, checked on SQLite and on PostgreSQL alike.

use super::testing::on_both_backends;
use super::{InsertOutcome, RatingRow, Store};
use crate::demo::{DemoMode, DemoOutcome, demo_seed, load_demo_if_empty};

async fn with_demo(store: &Store) {
    store.load_seed(&demo_seed(0).unwrap()).await.unwrap();
}

async fn counter(store: &Store, code: &str) -> super::CounterRecord {
    store
        .all_counters()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.code == code)
        .unwrap()
}

/// The demo loaded, and its counter A01.
async fn demo_a01(store: &Store) -> super::CounterRecord {
    with_demo(store).await;
    counter(store, "A01").await
}

/// A counter's ratings by level, over every day.
async fn levels_at(store: &Store, c: &super::CounterRecord) -> [u64; 5] {
    store.totals_of_counter(c.id, "2099-01-01").await.unwrap().levels
}

fn row(c: &super::CounterRecord, level: i64, ticket: Option<&str>) -> RatingRow {
    RatingRow {
        counter_id: c.id,
        hall_id: c.hall_id,
        level,
        tags: 0b101,
        comment: Some("天天都很快".into()),
        ticket: ticket.map(str::to_string),
        created_at_ms: 1_764_000_000_000,
        local_day: "2025-11-25".into(),
        local_hour: 0,
        hold: None,
    }
}

#[tokio::test]
async fn the_demo_loads_once_into_an_empty_database() {
    on_both_backends(|store| async move {
        assert!(store.is_empty().await.unwrap());
        assert_eq!(
            load_demo_if_empty(&store, DemoMode::Auto, false, 0)
                .await
                .unwrap(),
            DemoOutcome::Loaded
        );
        assert_eq!(
            load_demo_if_empty(&store, DemoMode::Auto, false, 0)
                .await
                .unwrap(),
            DemoOutcome::AlreadyHasData
        );
        let directory = store.directory().await.unwrap();
        assert!(directory.len() >= 12, "at least 12 open counters");
        assert!(
            directory.iter().all(|r| r.code != "B06"),
            "the retired counter is not listed"
        );
        let halls: std::collections::HashSet<_> =
            directory.iter().map(|r| r.hall_code.clone()).collect();
        assert!(halls.len() >= 2);
        assert_eq!(store.calendar_day_count().await.unwrap(), 72);
    })
    .await;
}

#[tokio::test]
async fn production_mode_refuses_the_demo() {
    on_both_backends(|store| async move {
        assert!(
            load_demo_if_empty(&store, DemoMode::On, true, 0)
                .await
                .is_err()
        );
        assert_eq!(
            load_demo_if_empty(&store, DemoMode::Auto, true, 0)
                .await
                .unwrap(),
            DemoOutcome::Disabled
        );
        assert!(store.is_empty().await.unwrap(), "nothing was loaded");
    })
    .await;
}

#[tokio::test]
async fn a_batch_of_ratings_is_stored_and_counted() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        let rows: Vec<_> = [5, 4, 3, 2, 1, 5]
            .iter()
            .map(|&l| row(&a01, l, None))
            .collect();
        let outcomes = store.insert_ratings(&rows).await.unwrap();
        assert!(outcomes.iter().all(|o| *o == InsertOutcome::Stored));
        let totals = store.totals_of_counter(a01.id, "2099-01-01").await.unwrap();
        assert_eq!(totals.levels, [1, 1, 1, 1, 2]);
        assert_eq!(
            totals.good_percent(),
            None,
            "too few ratings to publish a rate"
        );
        assert_eq!(
            store
                .totals_of_counter(a01.id, "2025-11-25")
                .await
                .unwrap()
                .count(),
            0,
            "the day itself is not counted yet"
        );
        assert_eq!(store.count_ratings().await.unwrap(), 6);
        let days = super::DaySpan {
            days: [("2000-01-01".into(), "2099-01-01".into()), super::DaySpan::none()],
            months: super::DaySpan::none(),
        };
        let totals = store.rating_totals(&days, super::StatsScope::Centre).await.unwrap();
        assert_eq!(totals, vec![(a01.id, totals[0].1)]);
        assert_eq!(totals[0].1.iter().sum::<i64>(), 6);
        // The heatmap's hourly counts agree with the daily ones: all on a Tuesday (2).
        let hours = store.rating_hours(&days, super::StatsScope::Counter(a01.id)).await.unwrap();
        assert_eq!(hours.iter().map(|h| h.2).sum::<i64>(), 6);
        assert!(hours.iter().all(|h| h.0 == 2), "{hours:?}");
        // The month was marked changed; built, it reads the same as its days.
        assert!(store.rating_months_to_build().await.unwrap().contains(&"2025-11".to_string()));
        store.build_rating_month("2025-11", "2025-11-01", "2025-11-30").await.unwrap();
        assert!(!store.rating_months_to_build().await.unwrap().contains(&"2025-11".to_string()));
        let month = super::DaySpan {
            days: [super::DaySpan::none(), super::DaySpan::none()],
            months: ("2025-11".into(), "2025-11".into()),
        };
        assert_eq!(store.rating_totals(&month, super::StatsScope::Centre).await.unwrap(), totals);
        let month_hours = store.rating_hours(&month, super::StatsScope::Counter(a01.id)).await.unwrap();
        assert_eq!(month_hours.iter().map(|h| h.2).sum::<i64>(), 6);
        assert!(month_hours.iter().all(|h| h.0 == 2), "{month_hours:?}");
        // A department's months are built with its counters': the same cells, on both paths.
        let department = store
            .departments()
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.code == a01.department_code)
            .unwrap();
        let scope = super::StatsScope::Department(department.id);
        let mut by_month = store.rating_hours(&month, scope).await.unwrap();
        let mut by_day = store.rating_hours(&days, scope).await.unwrap();
        by_month.sort_unstable();
        by_day.sort_unstable();
        assert_eq!(by_month, by_day);
        assert_eq!(by_month.iter().map(|h| h.2).sum::<i64>(), 6);
        assert!(by_month.iter().all(|h| h.0 == 2), "{by_month:?}");
    })
    .await;
}

#[tokio::test]
async fn a_batch_counts_each_rating_in_its_own_hour() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        let at = |hour: u8, level: i64, ticket: Option<&str>| RatingRow {
            created_at_ms: 1_764_000_000_000 + i64::from(hour) * 3_600_000,
            local_hour: hour,
            hold: None,
            ..row(&a01, level, ticket)
        };
        // Two at the same instant, one an hour later, one refused for its ticket.
        store.insert_ratings(&[at(9, 5, Some("T-1"))]).await.unwrap();
        let outcomes = store
            .insert_ratings(&[at(9, 1, None), at(9, 4, None), at(10, 3, Some("T-2")), at(10, 2, Some("T-1"))])
            .await
            .unwrap();
        assert_eq!(outcomes.last(), Some(&InsertOutcome::DuplicateTicket));
        let days = super::DaySpan {
            days: [("2025-11-25".into(), "2025-11-25".into()), super::DaySpan::none()],
            months: super::DaySpan::none(),
        };
        let mut hours = store.rating_hours(&days, super::StatsScope::Counter(a01.id)).await.unwrap();
        hours.sort_unstable();
        assert_eq!(hours, vec![(2, 9, 3), (2, 10, 1)], "(weekday, hour, ratings)");
        assert_eq!(levels_at(&store, &a01).await, [1, 0, 1, 1, 1]);
    })
    .await;
}

#[tokio::test]
async fn one_ticket_gets_one_rating_per_hall() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        let a02 = counter(&store, "A02").await;
        let b01 = counter(&store, "B01").await;
        // In one batch: the second use of T-7 in hall H1 loses, even at another counter.
        let first = store
            .insert_ratings(&[
                row(&a01, 5, Some("T-7")),
                row(&a02, 1, Some("T-7")),
                row(&b01, 4, Some("T-7")),
            ])
            .await
            .unwrap();
        assert_eq!(
            first,
            vec![
                InsertOutcome::Stored,
                InsertOutcome::DuplicateTicket,
                InsertOutcome::Stored
            ]
        );
        // In a later batch: still refused, and the refusal does not spoil the others.
        let later = store
            .insert_ratings(&[row(&a01, 2, Some("T-7")), row(&a01, 3, Some("T-8"))])
            .await
            .unwrap();
        assert_eq!(
            later,
            vec![InsertOutcome::DuplicateTicket, InsertOutcome::Stored]
        );
        assert_eq!(store.count_ratings().await.unwrap(), 3);
        assert_eq!(
            levels_at(&store, &a01).await.iter().sum::<u64>(),
            2,
            "refused ratings are not counted"
        );
    })
    .await;
}

#[tokio::test]
async fn a_failing_batch_leaves_nothing_half_written() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        let mut orphan = row(&a01, 5, None);
        orphan.counter_id = 999_999;
        assert!(
            store
                .insert_ratings(&[row(&a01, 4, None), orphan])
                .await
                .is_err()
        );
        assert_eq!(store.count_ratings().await.unwrap(), 0);
        assert_eq!(
            levels_at(&store, &a01).await.iter().sum::<u64>(),
            0
        );
    })
    .await;
}

/// The ratings' writer keeps its connection: a batch that failed half-way must leave no
/// transaction open on it, or every later batch would fail too.
#[tokio::test]
async fn the_writer_connection_stores_the_next_batch_after_a_failing_one() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        let mut held = store.hold_connection().await.unwrap();
        let mut orphan = row(&a01, 5, None);
        orphan.counter_id = 999_999;
        assert!(
            store
                .insert_ratings_on(&mut held, &[row(&a01, 4, None), orphan])
                .await
                .is_err()
        );
        store
            .insert_ratings_on(&mut held, &[row(&a01, 2, None), row(&a01, 3, None)])
            .await
            .expect("the next batch is stored on the same connection");
        drop(held);
        assert_eq!(store.count_ratings().await.unwrap(), 2);
        assert_eq!(levels_at(&store, &a01).await, [0, 1, 1, 0, 0]);
    })
    .await;
}

#[tokio::test]
async fn a_counter_or_hall_that_ratings_name_cannot_be_deleted() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        store.insert_ratings(&[row(&a01, 4, None)]).await.unwrap();
        let delete_counter = on_pool!(store, |pool| sqlx::query("DELETE FROM counters WHERE id = $1")
            .bind(a01.id)
            .execute(pool)
            .await
            .map(drop));
        assert!(delete_counter.is_err(), "the rated counter must stay");
        let delete_hall = on_pool!(store, |pool| sqlx::query("DELETE FROM halls WHERE id = $1")
            .bind(a01.hall_id)
            .execute(pool)
            .await
            .map(drop));
        assert!(delete_hall.is_err(), "the rated counter's hall must stay");
        assert_eq!(counter(&store, "A01").await.id, a01.id);
    })
    .await;
}

/// PostgreSQL checks a batch's counters once per statement (migration 0014), and checks
/// more than the keys did: the counter must be in the hall the rating names. (SQLite's
/// foreign keys check the counter and the hall each on its own.)
#[tokio::test]
async fn on_postgres_a_rating_in_the_wrong_hall_fails_its_whole_batch() {
    let db = super::testing::TestDb::new(super::Backend::Postgres).await;
    let store = db.store.clone();
    with_demo(&store).await;
    let counters = store.all_counters().await.unwrap();
    let a01 = counters.iter().find(|c| c.code == "A01").unwrap();
    let elsewhere = counters
        .iter()
        .find(|c| c.hall_id != a01.hall_id)
        .expect("the demo has more than one hall");
    let mut misplaced = row(a01, 3, None);
    misplaced.hall_id = elsewhere.hall_id;
    assert!(
        store
            .insert_ratings(&[row(a01, 4, None), misplaced])
            .await
            .is_err()
    );
    assert_eq!(store.count_ratings().await.unwrap(), 0);
    db.drop_db().await;
}

#[tokio::test]
async fn ratings_can_be_neither_edited_nor_deleted() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        store.insert_ratings(&[row(&a01, 1, None)]).await.unwrap();
        let edit = on_pool!(store, |pool| sqlx::query("UPDATE ratings SET level = 5")
            .execute(pool)
            .await
            .map(drop));
        assert!(edit.is_err(), "an edit must be refused by the schema");
        let delete = on_pool!(store, |pool| sqlx::query("DELETE FROM ratings")
            .execute(pool)
            .await
            .map(drop));
        assert!(delete.is_err(), "a delete must be refused by the schema");
        assert_eq!(store.count_ratings().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn case_events_and_the_contact_view_log_can_be_neither_edited_nor_deleted() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        // A bad rating opens a follow-up case (and its first event comes with the first action).
        store.insert_ratings(&[row(&a01, 2, None)]).await.unwrap();
        let (case_id,): (i64,) = on_pool!(store, |pool| sqlx::query_as(
            "SELECT id FROM cases WHERE kind = 'rating_followup'"
        )
        .fetch_one(pool)
        .await)
        .expect("a bad rating opens a follow-up case in the same transaction");
        let staff = store.staff_by_username("head.hrss").await.unwrap().unwrap();
        store.log_contact_view(case_id, staff.id, 1).await.unwrap();
        on_pool!(store, |pool| sqlx::query(
            "INSERT INTO case_events (case_id, at, kind, public) VALUES ($1, 1, 'note', FALSE)"
        )
        .bind(case_id)
        .execute(pool)
        .await
        .map(drop))
        .unwrap();
        for statement in [
            "UPDATE case_events SET body = 'rewritten'",
            "DELETE FROM case_events",
            "UPDATE contact_views SET staff_id = staff_id",
            "DELETE FROM contact_views",
        ] {
            let refused = on_pool!(store, |pool| sqlx::query(statement)
                .execute(pool)
                .await
                .map(drop));
            assert!(
                refused.is_err(),
                "{statement} must be refused by the schema"
            );
        }
        assert_eq!(store.case_events(case_id, false).await.unwrap().len(), 1);
        assert_eq!(store.contact_views(case_id).await.unwrap().len(), 1);
    })
    .await;
}

/// A code the domain does not know is an error as the row is read, never taken for another
/// (the schema's checks keep such values out; a database newer than the server might not).
#[tokio::test]
async fn an_unknown_role_kind_or_status_is_an_error_not_a_guess() {
    use crate::domain::Role;
    use crate::domain::case::{CaseKind, Status};
    on_both_backends(|store| async move {
        let text = |code: &str| format!("SELECT CAST('{code}' AS TEXT)");
        let role: Role = super::on_pool!(store, |pool| sqlx::query_scalar(&text("supervisor")).fetch_one(pool).await).unwrap();
        assert_eq!(role, Role::Supervisor);
        let role: Result<Role, _> = super::on_pool!(store, |pool| sqlx::query_scalar(&text("janitor")).fetch_one(pool).await);
        assert!(role.is_err(), "an unknown role");
        let status: Status = super::on_pool!(store, |pool| sqlx::query_scalar(&text("replied")).fetch_one(pool).await).unwrap();
        assert_eq!(status, Status::Replied);
        let status: Result<Status, _> = super::on_pool!(store, |pool| sqlx::query_scalar(&text("archived")).fetch_one(pool).await);
        assert!(status.is_err(), "an unknown status");
        let kind: Result<CaseKind, _> = super::on_pool!(store, |pool| sqlx::query_scalar(&text("petition")).fetch_one(pool).await);
        assert!(kind.is_err(), "an unknown kind");
    })
    .await;
}

#[tokio::test]
async fn writes_that_read_first_wait_their_turn_instead_of_failing_when_others_commit() {
    // Retiring a counter "go to A01 instead" reads A01, then writes: done at once for every
    // other counter, each reads before others commit. On SQLite a transaction that read
    // before another's commit could not write after it (SQLITE_BUSY, not waited out).
    on_both_backends(|store| async move {
        with_demo(&store).await;
        let admin = store.staff_by_username("admin").await.unwrap().unwrap().id;
        let others: Vec<String> = store
            .all_counters()
            .await
            .unwrap()
            .into_iter()
            .filter(|c| !c.retired && c.code != "A01")
            .map(|c| c.code)
            .collect();
        assert!(others.len() >= 8, "{} counters", others.len());
        let retirements: Vec<_> = others
            .iter()
            .map(|code| {
                let store = store.clone();
                let code = code.clone();
                tokio::spawn(async move { store.retire_counter(admin, 1, &code, Some("A01")).await })
            })
            .collect();
        for done in retirements {
            done.await.unwrap().unwrap();
        }
        let counters = store.all_counters().await.unwrap();
        for code in &others {
            let c = counters.iter().find(|c| &c.code == code).unwrap();
            assert!(c.retired && c.replaced_by.as_deref() == Some("A01"), "{code}");
        }
    })
    .await;
}

/// Runs statements as someone with the database's keys would, outside the product.
async fn run(store: &Store, statements: &[&str]) {
    for statement in statements {
        super::testing::tamper(store, statement).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// The ledger entry that records the newest rating.
async fn entry_of_newest_rating(store: &Store) -> i64 {
    let (id,): (i64,) = on_pool!(store, |pool| sqlx::query_as(
        "SELECT l.id FROM ledger l WHERE l.kind = 'rating' AND l.ref_id = (SELECT MAX(id) FROM ratings)"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    id
}

fn broken_at(v: super::ledger::Verification) -> (Option<i64>, String) {
    match v {
        super::ledger::Verification::Broken { entry, what, .. } => (entry, what),
        clean => panic!("expected a broken record, got {clean:?}"),
    }
}

#[tokio::test]
async fn the_ledger_records_each_rating_refuses_changes_and_verify_finds_an_edited_row() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        store.insert_ratings(&[row(&a01, 4, None), row(&a01, 5, Some("A-0042"))]).await.unwrap();
        let (entries, head) = store.ledger_head().await.unwrap();
        assert!(entries >= 3, "genesis and the two ratings");
        assert_eq!(
            store.verify_ledger().await.unwrap(),
            super::ledger::Verification::Clean { entries, head: head.clone() }
        );
        // The record itself refuses edits and deletions, whoever asks.
        for statement in [
            "UPDATE ledger SET body = 'rewritten'",
            "DELETE FROM ledger",
            "UPDATE ledger_secret SET secret = 'known'",
            "DELETE FROM ledger_secret",
        ] {
            let refused = on_pool!(store, |pool| sqlx::query(statement).execute(pool).await.map(drop));
            assert!(refused.is_err(), "{statement} must be refused by the schema");
        }

        // A rating rewritten behind the triggers' back: verify names its entry.
        let edited = entry_of_newest_rating(&store).await;
        let drop_guard = match store.backend() {
            super::Backend::Sqlite => "DROP TRIGGER ratings_are_never_edited",
            super::Backend::Postgres => "DROP TRIGGER ratings_are_never_edited ON ratings",
        };
        run(&store, &[drop_guard, "UPDATE ratings SET level = 1 WHERE id = (SELECT MAX(id) FROM ratings)"]).await;
        let (entry, what) = broken_at(store.verify_ledger().await.unwrap());
        assert_eq!(entry, Some(edited), "{what}");
        assert!(what.contains("now reads"), "{what}");
        // Put back, it checks again; a private field changed is found as well.
        run(&store, &["UPDATE ratings SET level = 5 WHERE id = (SELECT MAX(id) FROM ratings)"]).await;
        assert!(matches!(store.verify_ledger().await.unwrap(), super::ledger::Verification::Clean { .. }));
        run(&store, &["UPDATE ratings SET ticket = 'A-0043' WHERE id = (SELECT MAX(id) FROM ratings)"]).await;
        let (entry, what) = broken_at(store.verify_ledger().await.unwrap());
        assert_eq!(entry, Some(edited));
        assert!(what.contains("private fields"), "{what}");
    })
    .await;
}

#[tokio::test]
async fn verify_finds_a_rewritten_entry_a_deleted_row_and_a_row_without_entry() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        store.insert_ratings(&[row(&a01, 4, None), row(&a01, 3, None)]).await.unwrap();
        let last = entry_of_newest_rating(&store).await;
        let (drop_ledger_guard, drop_rating_guard, drop_recording) = match store.backend() {
            super::Backend::Sqlite => (
                "DROP TRIGGER ledger_is_never_edited",
                "DROP TRIGGER ratings_are_never_deleted",
                "DROP TRIGGER ratings_are_recorded",
            ),
            super::Backend::Postgres => (
                "DROP TRIGGER ledger_is_append_only ON ledger",
                "DROP TRIGGER ratings_are_never_edited ON ratings",
                "DROP TRIGGER ratings_are_recorded ON ratings",
            ),
        };
        // An entry rewritten (its hash no longer follows).
        let rewrite = format!("UPDATE ledger SET body = body || '0' WHERE id = {last}");
        run(&store, &[drop_ledger_guard, &rewrite]).await;
        let (entry, what) = broken_at(store.verify_ledger().await.unwrap());
        assert_eq!(entry, Some(last), "{what}");
        assert!(what.contains("hash"), "{what}");
        let restore = format!("UPDATE ledger SET body = substr(body, 1, length(body) - 1) WHERE id = {last}");
        run(&store, &[&restore]).await;
        assert!(matches!(store.verify_ledger().await.unwrap(), super::ledger::Verification::Clean { .. }));

        // A rating slipped in with the recording trigger dropped: no entry.
        run(&store, &[drop_recording]).await;
        store.insert_ratings(&[row(&a01, 5, None)]).await.unwrap();
        let (entry, what) = broken_at(store.verify_ledger().await.unwrap());
        assert_eq!(entry, None);
        assert!(what.contains("has no entry"), "{what}");
        // A recorded rating deleted: its entry is named.
        run(&store, &[drop_rating_guard, "DELETE FROM ratings WHERE id = (SELECT MAX(id) FROM ratings)"]).await;
        let recorded_last = format!("DELETE FROM ratings WHERE id = (SELECT ref_id FROM ledger WHERE id = {last})");
        run(&store, &[&recorded_last]).await;
        let (entry, what) = broken_at(store.verify_ledger().await.unwrap());
        assert_eq!(entry, Some(last), "{what}");
        assert!(what.contains("is gone"), "{what}");
    })
    .await;
}

#[tokio::test]
async fn finished_days_are_published_once_and_checked() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        store.insert_ratings(&[row(&a01, 4, None)]).await.unwrap();
        let (entries, head) = store.ledger_head().await.unwrap();
        // Tomorrow (in UTC, as the ledger's days are), today is finished.
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
        let published = store.publish_digests(&tomorrow, 1, &|_| Vec::new()).await.unwrap();
        let last = published.last().expect("today's digest");
        assert_eq!((last.last_id, &last.head), (entries, &head));
        assert!(store.publish_digests(&tomorrow, 2, &|_| Vec::new()).await.unwrap().is_empty(), "published once");
        assert_eq!(store.ledger_day_so_far(&last.day).await.unwrap().as_ref(), Some(last), "the day as it stands");
        assert_eq!(store.ledger_day_so_far("2001-01-01").await.unwrap(), None);
        assert_eq!(store.ledger_digests(10).await.unwrap()[0], *last);
        // A day's entries chain from the head before it to the published head.
        let day = store.ledger_day(&last.day).await.unwrap();
        let mut previous = last.previous_head.clone();
        for entry in &day {
            previous = super::ledger::entry_hash(&previous, &entry.body);
            assert_eq!(previous, entry.hash);
        }
        assert_eq!(previous, last.head);
        assert!(store.ledger_day("2001-01-01").await.unwrap().is_empty());
        assert!(matches!(store.verify_ledger().await.unwrap(), super::ledger::Verification::Clean { .. }));
        let refused = on_pool!(store, |pool| sqlx::query("UPDATE ledger_digests SET head = 'x'").execute(pool).await.map(drop));
        assert!(refused.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_check_while_ratings_are_stored_sees_one_consistent_record() {
    on_both_backends(|store| async move {
        let a01 = demo_a01(&store).await;
        let writer = {
            let (store, a01) = (store.clone(), a01.clone());
            tokio::spawn(async move {
                for _ in 0..60 {
                    store.insert_ratings(&[row(&a01, 4, None), row(&a01, 5, None)]).await.unwrap();
                }
            })
        };
        let mut checks = 0;
        while !writer.is_finished() {
            let found = store.verify_ledger().await.unwrap();
            assert!(matches!(found, super::ledger::Verification::Clean { .. }), "{found:?}");
            checks += 1;
        }
        writer.await.unwrap();
        assert!(checks > 0);
        assert!(matches!(store.verify_ledger().await.unwrap(), super::ledger::Verification::Clean { .. }));
    })
    .await;
}
