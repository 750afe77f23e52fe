//! The statistics against real databases (SQLite and PostgreSQL): a hand-checked month of
//! ratings, an upheld appeal, follow-ups, the minimum sample for the ranking, the heatmap,
//! the export's rows, and refused filters.

use super::service::{StatsError, StatsService};
use super::{GoodRate, Rate, StatsFilter};
use crate::cases::actor_of_record;
use crate::clock::Clock;
use crate::domain::{Field, Problem};
use crate::store::RatingRow;
use crate::store::testing::on_both_backends;
use crate::views::{ActionForm, InboxFilter};

/// 2026-04-15 10:00 in Shanghai.
const NOW_MS: i64 = 1_776_218_400_000;
/// 2026-03-02 10:00 in Shanghai (a Monday).
const MARCH_2_10H: i64 = 1_772_416_800_000;

fn month_of_march() -> StatsFilter {
    StatsFilter {
        period: "month".into(),
        at: "2026-03-01".into(),
        ..StatsFilter::default()
    }
}

#[tokio::test]
async fn a_hand_checked_month_on_both_backends() {
    on_both_backends(|store| async move {
        let cases = crate::cases::deadline_tests::service(&store, Clock::manual(NOW_MS)).await;
        assert_eq!(cases.today().as_str(), "2026-04-15");
        let stats = StatsService::new(store.clone(), cases.office().clone(), 30, "CC BY 4.0".into());
        let counters = store.all_counters().await.unwrap();
        let counter = |code: &str| counters.iter().find(|c| c.code == code).unwrap().clone();
        let (a01, a02) = (counter("A01"), counter("A02"));
        let rating = |c: &crate::store::CounterRecord, level, day: &str, hour: u8, at: i64| RatingRow {
            counter_id: c.id,
            hall_id: c.hall_id,
            level,
            tags: 0,
            comment: Some("王先生 13800138000 very rude".into()),
            ticket: None,
            created_at_ms: at,
            local_day: day.into(),
            local_hour: hour,
            hold: None,
        };
        // A01, Monday 2 March at 10:00: 27 very satisfied, 3 very dissatisfied.
        let mut rows: Vec<RatingRow> = (0..30)
            .map(|i| rating(&a01, if i < 27 { 5 } else { 1 }, "2026-03-02", 10, MARCH_2_10H))
            .collect();
        // A02, Tuesday 3 March at 15:00: 6 satisfied, 6 dissatisfied.
        let tuesday_15h = MARCH_2_10H + 29 * 3_600_000;
        rows.extend((0..12).map(|i| rating(&a02, if i < 6 { 4 } else { 2 }, "2026-03-03", 15, tuesday_15h)));
        // Held as a burst, and never released: stored, but in no number or heatmap cell.
        rows.push(RatingRow {
            hold: Some(crate::domain::HoldReason::Burst),
            ..rating(&a01, 5, "2026-03-02", 11, MARCH_2_10H + 3_600_000)
        });
        // Outside the month: never counted in March.
        rows.push(rating(&a01, 1, "2026-04-01", 9, NOW_MS - 14 * 86_400_000));
        store.insert_ratings(&rows).await.unwrap();

        // One of A02's bad ratings is appealed and the appeal upheld.
        let head = actor_of_record(&store, "head.hrss").await;
        let supervisor = actor_of_record(&store, "supervisor").await;
        let follow_ups = cases
            .inbox(&head, &InboxFilter { kind: "rating_followup".into(), status: "all".into(), ..InboxFilter::default() })
            .await
            .unwrap();
        let appealed = follow_ups
            .lines
            .iter()
            .find(|l| l.counter.as_deref() == Some("A02"))
            .expect("a follow-up of an A02 rating")
            .id;
        let act = |action: &str, version: i64, body: &str| ActionForm {
            action: action.into(),
            version: version.to_string(),
            body: body.into(),
            ..ActionForm::default()
        };
        let v = cases.case_for(&head, appealed, false).await.unwrap().version;
        cases.act(&head, appealed, &act("appeal", v, "Rated every counter 1 in a minute.")).await.unwrap();
        let v = cases.case_for(&supervisor, appealed, false).await.unwrap().version;
        cases.act(&supervisor, appealed, &act("uphold_appeal", v, "")).await.unwrap();

        let view = stats.view(&month_of_march()).await.unwrap();
        assert_eq!((view.first.as_str(), view.last.as_str()), ("2026-03-01", "2026-03-31"));
        assert_eq!(view.counted_until.as_deref(), Some("2026-03-31"));
        assert_eq!(view.levels, [3, 5, 0, 6, 27], "one level-2 rating left out");
        assert_eq!((view.ratings, view.excluded, view.held), (41, 1, 1));
        // 33 good of 41: 80.5%; Wilson 66.0% to 89.8% (computed by hand).
        assert_eq!(
            view.good,
            Some(GoodRate { permille: 805, low_permille: 660, high_permille: 898 })
        );
        // Nine bad ratings opened nine follow-ups (due Thursday 5 March at the latest), none
        // followed up: all late.
        assert_eq!(view.followed_up_on_time, Rate { done: 0, of: 9 });
        assert_eq!(view.complaints, 0);
        // The breakdown of the whole centre is by department.
        let hrss = view.breakdown.iter().find(|l| l.code == "HRSS").unwrap();
        assert_eq!((hrss.ratings, hrss.good_ratings), (41, 33));
        // Ranked from 30 ratings: A01 has exactly 30, A02 only 11.
        let ranked: Vec<&str> = view.ranking.counters.red.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(ranked, vec!["A01"]);
        assert!(view.ranking.counters.too_few.iter().any(|l| l.code == "A02" && l.ratings == 11));
        assert_eq!(view.ranking.month, "2026-03");
        assert!(view.heatmap.is_none(), "the heatmap is for a department or a counter");

        // A01 alone: its heatmap has all 30 on Monday at 10:00.
        let a01_view = stats
            .view(&StatsFilter { level: "counter".into(), unit: "A01".into(), ..month_of_march() })
            .await
            .unwrap();
        let map = a01_view.heatmap.expect("a counter's heatmap");
        assert_eq!(map.cells[0][usize::from(10 - map.first_hour)], 30);
        assert_eq!(map.cells.iter().flatten().sum::<u64>(), 30);
        assert_eq!((a01_view.ratings, a01_view.held), (30, 1));
        // The select's `counter:A01` names the same view.
        let same = stats
            .view(&StatsFilter { unit: "counter:a01".into(), ..month_of_march() })
            .await
            .unwrap();
        assert_eq!(same.ratings, 30);
        assert_eq!(same.filter.level, "counter");

        // The export: one row per day and counter, codes and counts only.
        let plan = stats.export_plan(&month_of_march()).await.unwrap();
        let mut lines = Vec::new();
        for i in 0..plan.chunks() {
            lines.extend(stats.export_chunk(&plan, i).await.unwrap());
        }
        let csv: Vec<String> = lines.iter().map(|r| r.csv()).collect();
        assert_eq!(
            csv,
            vec![
                "2026-03-02,H1,HRSS,A01,30,3,0,0,0,27,0,1\r\n".to_string(),
                "2026-03-03,H1,HRSS,A02,11,0,5,0,6,0,1,0\r\n".to_string(),
            ]
        );
        assert!(!csv.concat().contains("13800138000"), "no free text");
        let again = stats.export_plan(&month_of_march()).await.unwrap();
        assert_eq!(plan.etag, again.etag, "the same numbers, the same ETag");

        // Refused filters name the field and the problem.
        let refused = |filter: StatsFilter| {
            let stats = stats.clone();
            async move {
                match stats.view(&filter).await {
                    Err(StatsError::Invalid(errors)) => errors.0[0],
                    other => panic!("refused, not {:?}", other.map(|v| v.ratings)),
                }
            }
        };
        assert_eq!(
            refused(StatsFilter { period: "fortnight".into(), ..StatsFilter::default() }).await,
            (Field::Period, Problem::PeriodUnknown)
        );
        assert_eq!(
            refused(StatsFilter {
                period: "custom".into(),
                from: "2026-03-10".into(),
                to: "2026-03-01".into(),
                ..StatsFilter::default()
            })
            .await,
            (Field::To, Problem::RangeBackwards)
        );
        assert_eq!(
            refused(StatsFilter { period: "custom".into(), from: "soon".into(), to: "2026-03-01".into(), ..StatsFilter::default() }).await,
            (Field::From, Problem::DateInvalid)
        );
        assert_eq!(
            refused(StatsFilter { level: "counter".into(), unit: "Z99".into(), ..StatsFilter::default() }).await,
            (Field::Unit, Problem::UnitUnknown)
        );
        assert_eq!(
            refused(StatsFilter { level: "planet".into(), ..StatsFilter::default() }).await,
            (Field::StatsLevel, Problem::LevelUnknown)
        );
    })
    .await;
}

/// The case measures come from per-day roll-ups: they follow a case's change the next time
/// they are read, and a stage left open turns late on the day its limit passes, with no
/// one acting.
#[tokio::test]
async fn the_case_roll_ups_follow_changes_and_passing_limits() {
    on_both_backends(|store| async move {
        // Tuesday 3 March 2026, 10:00.
        let clock = Clock::manual(MARCH_2_10H + 86_400_000);
        let cases = crate::cases::deadline_tests::service(&store, clock.clone()).await;
        let stats = StatsService::new(store.clone(), cases.office().clone(), 30, "CC BY 4.0".into());
        let a01 = store
            .all_counters()
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.code == "A01")
            .unwrap();
        // Two bad ratings on Monday 2 March open two follow-ups (limit: 3 working days,
        // so due Thursday 5 March).
        let bad = RatingRow {
            counter_id: a01.id,
            hall_id: a01.hall_id,
            level: 1,
            tags: 0,
            comment: None,
            ticket: None,
            created_at_ms: MARCH_2_10H,
            local_day: "2026-03-02".into(),
            local_hour: 10,
            hold: None,
        };
        store.insert_ratings(&[bad.clone(), bad]).await.unwrap();
        let monday = || StatsFilter {
            period: "day".into(),
            at: "2026-03-02".into(),
            ..StatsFilter::default()
        };
        let view = stats.view(&monday()).await.unwrap();
        assert_eq!(view.followed_up_on_time, Rate::default(), "both still inside their limit");

        // Tuesday: the head follows one up.
        let head = actor_of_record(&store, "head.hrss").await;
        let inbox = cases
            .inbox(&head, &InboxFilter { kind: "rating_followup".into(), status: "all".into(), ..InboxFilter::default() })
            .await
            .unwrap();
        let id = inbox.lines[0].id;
        let act = |action: &str, version: i64| ActionForm {
            action: action.into(),
            version: version.to_string(),
            ..ActionForm::default()
        };
        let v = cases.case_for(&head, id, false).await.unwrap().version;
        cases.act(&head, id, &act("accept", v)).await.unwrap();
        let v = cases.case_for(&head, id, false).await.unwrap().version;
        let mut follow = act("follow_up", v);
        follow.how = "called_back".into();
        follow.body = "Called back; the counter now opens on time.".into();
        cases.act(&head, id, &follow).await.unwrap();

        // Wednesday: the one done counts, on time; the other is still inside its limit.
        clock.advance(std::time::Duration::from_secs(86_400));
        let view = stats.view(&monday()).await.unwrap();
        assert_eq!(view.followed_up_on_time, Rate { done: 1, of: 1 });
        let a01_view = stats
            .view(&StatsFilter { level: "counter".into(), unit: "A01".into(), ..monday() })
            .await
            .unwrap();
        assert_eq!(a01_view.followed_up_on_time, Rate { done: 1, of: 1 });

        // Friday: the limit of the other passed on Thursday; it counts, late.
        clock.advance(std::time::Duration::from_secs(2 * 86_400));
        let view = stats.view(&monday()).await.unwrap();
        assert_eq!(view.followed_up_on_time, Rate { done: 1, of: 2 });
        let hrss = view.breakdown.iter().find(|l| l.code == "HRSS").unwrap();
        assert_eq!(hrss.on_time, Rate { done: 1, of: 2 });
        // The department's own view: its counters, and theirs only.
        let department = stats
            .view(&StatsFilter { level: "department".into(), unit: "HRSS".into(), ..monday() })
            .await
            .unwrap();
        let a01 = department.breakdown.iter().find(|l| l.code == "A01").unwrap();
        assert_eq!(a01.on_time, Rate { done: 1, of: 2 });
        assert!(department.breakdown.iter().all(|l| !l.code.starts_with('B')), "{:?}", department.breakdown);
        // Nothing changed since: a roll-up now has nothing to do.
        assert_eq!(stats.roll_up().await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_generated_year_leaves_the_scheduler_nothing_to_catch_up() {
    use super::generate::{Plan, generate};
    use super::rollup::Rules;
    on_both_backends(|store| async move {
        let cases = crate::cases::deadline_tests::service(&store, Clock::manual(NOW_MS)).await;
        let stats = StatsService::new(store.clone(), cases.office().clone(), 30, "CC BY 4.0".into());
        let plan = Plan {
            ratings: 4_000,
            counters: 12,
            complaints: 400,
            days: 90,
            last_day: chrono::NaiveDate::from_ymd_opt(2026, 4, 14).unwrap(),
            time_zone: chrono_tz::Asia::Shanghai,
            seed: 7,
        };
        let (calendar, limits) = (cases.calendar(), cases.limits());
        let rules = Rules { calendar: &calendar, limits: &limits, time_zone: plan.time_zone };
        let mut stages = Vec::new();
        generate(&store, &plan, &rules, &mut |stage, done, of| {
            assert!(done <= of, "{stage}: {done} of {of}");
            if stages.last() != Some(&stage.to_string()) {
                stages.push(stage.to_string());
            }
        })
        .await
        .unwrap();
        assert_eq!(stages, ["ratings", "follow-ups", "complaints"]);
        assert_eq!(store.count_ratings().await.unwrap(), 4_000);

        // Every deadline that passed was met (late or not), every open case has one still
        // ahead: the first scheduler round finds nothing to do.
        assert_eq!(cases.run_deadlines().await.unwrap(), crate::cases::DeadlineRound::default());
        assert_eq!(store.count_open_follow_ups().await.unwrap(), 0, "every follow-up was seen to");

        // The year reads like a service that mostly keeps its limits.
        stats.roll_up().await.unwrap();
        let view = stats
            .view(&StatsFilter {
                period: "custom".into(),
                from: "2026-01-15".into(),
                to: "2026-04-14".into(),
                ..StatsFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(view.ratings, 4_000);
        assert_eq!(view.complaints, 400);
        for (what, rate) in [
            ("accepted", view.accepted_on_time),
            ("replied", view.replied_on_time),
            ("followed up", view.followed_up_on_time),
        ] {
            assert!(rate.of > 0 && rate.done * 10 >= rate.of * 5 && rate.done < rate.of, "{what} on time: {rate:?}");
        }
        assert!(view.closed * 10 >= view.complaints * 8, "most complaints closed: {} of {}", view.closed, view.complaints);
    })
    .await;
}

/// Any filter a URL can carry is parsed against the directory or refused with its field
/// named, never a panic; a parsed one's period never ends before it starts, and its unit is
/// one of the directory's.
#[tokio::test]
async fn any_statistics_filter_is_parsed_or_refused_with_its_field_named() {
    use proptest::prelude::*;
    let db = crate::store::testing::TestDb::new(crate::store::Backend::Sqlite).await;
    let cases = crate::cases::deadline_tests::service(&db.store, Clock::manual(NOW_MS)).await;
    let stats = StatsService::new(db.store.clone(), cases.office().clone(), 30, "CC BY 4.0".into());
    let places = stats.places().await.unwrap();
    let day = "(20[0-9]{2}-[01][0-9]-[0-3][0-9]|.{0,12})";
    let filters = (
        "(|day|week|month|quarter|year|custom|.{0,8})",
        day,
        day,
        day,
        "(|centre|hall|department|counter|.{0,8})",
        "(|A01|B01|HRSS|CIVIL|counter:A01|hall:.{0,4}|.{0,10})",
    );
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config { cases: 1024, ..Default::default() });
    runner
        .run(&filters, |(period, at, from, to, level, unit)| {
            let filter = StatsFilter { period, at, from, to, level, unit };
            match stats.parse(&filter, &places) {
                Ok(query) => {
                    prop_assert!(query.period.first <= query.period.last);
                    if let Some(code) = &query.unit {
                        let known = places.halls.iter().chain(&places.departments).any(|p| &p.code == code)
                            || places.counters.iter().any(|c| &c.code == code);
                        prop_assert!(known, "{code} is in the directory");
                    }
                }
                Err(StatsError::Invalid(errors)) => prop_assert!(!errors.is_empty()),
                Err(StatsError::Store(e)) => prop_assert!(false, "the parse reads no database: {e}"),
            }
            Ok(())
        })
        .unwrap();
    db.drop_db().await;
}
