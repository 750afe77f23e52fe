//! Deadlines, escalation, supervision orders, findings and the mails they write, against
//! real databases (SQLite and PostgreSQL) with a clock the test moves.

use super::storage::LocalFolder;
use super::*;
use crate::clock::Clock;
use crate::domain::case::Actor;
use crate::store::testing::on_both_backends;
use crate::views::ActionForm;

/// 10:00 in Shanghai on a day.
fn at(day: &str) -> i64 {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
        .unwrap()
        .timestamp_millis()
}

/// A case service over `store` with the demo loaded, on `clock` (shared with `tests.rs`).
pub(crate) async fn service(store: &Store, clock: Clock) -> CaseService {
    // No floor of free space: a test machine's disk may be nearly full, and the floor has a
    // test of its own that sets it.
    service_with(store, clock, PhotoLimits { free_floor: 0, ..PhotoLimits::default() }).await
}

/// As `service`, with these limits on photos.
pub(crate) async fn service_with(store: &Store, clock: Clock, photo_limits: PhotoLimits) -> CaseService {
    store
        .load_seed(&crate::demo::demo_seed(0).expect("demo seed"))
        .await
        .expect("load demo");
    service_over(store, clock, photo_limits).await
}

/// A case service over a store the demo is loaded in already.
pub(crate) async fn service_over(store: &Store, clock: Clock, photo_limits: PhotoLimits) -> CaseService {
    let counters = CounterDirectory::load(store.clone()).await.expect("counters");
    let dir = std::env::temp_dir().join(format!("cp-photos-{:016x}", rand::random::<u64>()));
    let photos = Arc::new(LocalFolder::new(dir).expect("photo folder"));
    CaseService::with_options(
        store.clone(),
        photos,
        counters,
        chrono_tz::Asia::Shanghai,
        CaseOptions {
            clock,
            public_base_url: "https://counterpoint.example.gov".into(),
            mail_from: "Counterpoint <no-reply@counterpoint.example.gov>".into(),
            photo_limits,
        },
    )
    .await
    .expect("case service")
}

/// The staff member `username` of the demo (shared with `tests.rs`).
pub(crate) async fn actor(store: &Store, username: &str) -> Actor {
    actor_of_record(store, username).await
}

/// A named complaint of a cold manner at `counter` on `occurred_on` (shared with
/// `tests.rs`).
pub(crate) fn complaint_at(counter: &str, occurred_on: &str) -> ComplaintForm {
    ComplaintForm {
        category: "cold_attitude".into(),
        counter: counter.into(),
        occurred_on: occurred_on.into(),
        what_happened: "The clerk would not look at my papers.".into(),
        identity: "named".into(),
        name: "林小姐".into(),
        email: "lin@example.org".into(),
        ..ComplaintForm::default()
    }
}

fn complaint(occurred_on: &str) -> ComplaintForm {
    complaint_at("A01", occurred_on)
}

/// A staff action at the case's `version` (shared with `tests.rs`).
pub(crate) fn act(action: &str, version: i64) -> ActionForm {
    ActionForm {
        action: action.into(),
        version: version.to_string(),
        ..ActionForm::default()
    }
}

async fn events(cases: &CaseService, who: &Actor, id: i64) -> Vec<(String, Option<String>)> {
    cases
        .case_for(who, id, false)
        .await
        .unwrap()
        .events
        .into_iter()
        .map(|e| (e.kind, e.detail))
        .collect()
}

fn count(events: &[(String, Option<String>)], kind: &str) -> usize {
    events.iter().filter(|(k, _)| k == kind).count()
}

#[tokio::test]
async fn an_overdue_complaint_goes_to_the_head_then_the_bureau_once_each_counting_working_days_only() {
    on_both_backends(|store| async move {
        // Thursday 2026-02-12. The 14th (Saturday) is a make-up working day; the 15th to the
        // 23rd are the Spring Festival holidays.
        let clock = Clock::manual(at("2026-02-12"));
        let cases = service(&store, clock.clone()).await;
        let supervisor = actor(&store, "supervisor").await;
        let clerk = actor(&store, "staff.a01").await;
        let filed = cases.file(&complaint("2026-02-11"), &[], "d-1", Locale::ZhHant).await.unwrap();
        let id = filed.case_id;
        let view = cases.case_for(&supervisor, id, false).await.unwrap();
        assert_eq!(view.due_on.as_deref(), Some("2026-02-13"), "accept within 1 working day");
        assert_eq!(cases.run_deadlines().await.unwrap(), DeadlineRound::default(), "nothing due yet");

        // The day it is due: one reminder, however often the scheduler runs.
        clock.set_ms(at("2026-02-13"));
        assert_eq!(cases.run_deadlines().await.unwrap().reminders, 1);
        assert_eq!(cases.run_deadlines().await.unwrap(), DeadlineRound::default());

        // Saturday the 14th is worked: the deadline has passed; the head is told, once.
        clock.set_ms(at("2026-02-14"));
        assert_eq!(cases.run_deadlines().await.unwrap().escalations, 1);
        assert_eq!(cases.run_deadlines().await.unwrap(), DeadlineRound::default());
        let e = events(&cases, &supervisor, id).await;
        assert_eq!(count(&e, "escalate"), 1);
        assert!(e.contains(&("escalate".into(), Some("department".into()))));
        assert!(!cases.case_for(&supervisor, id, false).await.unwrap().escalated, "not yet the bureau's");

        // The festival does not count: still one working day late all through it.
        for day in ["2026-02-16", "2026-02-18", "2026-02-20", "2026-02-23"] {
            clock.set_ms(at(day));
            assert_eq!(cases.run_deadlines().await.unwrap(), DeadlineRound::default(), "{day}");
        }

        // The first working day after it: two working days late, up to the bureau, once.
        clock.set_ms(at("2026-02-24"));
        assert_eq!(cases.run_deadlines().await.unwrap().escalations, 1);
        assert_eq!(cases.run_deadlines().await.unwrap(), DeadlineRound::default());
        let view = cases.case_for(&supervisor, id, false).await.unwrap();
        assert!(view.escalated);
        assert_eq!(count(&events(&cases, &supervisor, id).await, "escalate"), 2);
        let levels: Vec<(String, String)> = view.orders.iter().map(|o| (o.terms.level.clone(), o.terms.reason.clone())).collect();
        assert_eq!(
            levels,
            vec![("department".into(), "overdue".into()), ("bureau".into(), "overdue".into())]
        );
        assert!(view.orders.iter().all(|o| o.open && o.opened_by.is_none()));

        // The staff see it in words: overdue by two working days.
        assert_eq!(view.due_in, Some(-2));

        // Accepting starts a new deadline with its own ladder: five working days.
        cases.act(&clerk, id, &act("accept", view.version)).await.unwrap();
        let view = cases.case_for(&supervisor, id, false).await.unwrap();
        assert_eq!(view.due_on.as_deref(), Some("2026-03-02"), "24th + 5 working days, the 28th a make-up Saturday");
        assert_eq!(cases.run_deadlines().await.unwrap(), DeadlineRound::default());

        // What was mailed, and to whom, written with each event.
        let mails = store.mails_of_case(id).await.unwrap();
        let kinds: Vec<(&str, &str)> = mails.iter().map(|(e, a, _)| (e.as_str(), a.as_str())).collect();
        assert_eq!(kinds.iter().filter(|k| **k == ("received", "citizen")).count(), 1);
        assert_eq!(kinds.iter().filter(|k| **k == ("reminder", "staff")).count(), 1, "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == ("overdue", "staff")).count(), 1, "the HRSS head");
        assert_eq!(kinds.iter().filter(|k| **k == ("escalated", "staff")).count(), 1, "the one supervisor");
        assert_eq!(kinds.iter().filter(|k| **k == ("accepted", "citizen")).count(), 1);

        // The supervisor comments on and closes the head's order.
        let order = view.orders[0].terms.id;
        assert_eq!(
            cases.comment_on_order(&supervisor, order, "  ").await,
            Err(CaseError::Invalid(FieldErrors::single(Field::Body, Problem::TextRequired)))
        );
        cases.comment_on_order(&supervisor, order, "Call the citizen today.").await.unwrap();
        assert_eq!(cases.close_order(&clerk, order, "done").await, Err(CaseError::NotFound));
        cases.close_order(&supervisor, order, "Accepted on the 24th.").await.unwrap();
        assert_eq!(cases.close_order(&supervisor, order, "again").await, Err(CaseError::Changed));
        let orders = cases.orders(&supervisor, true).await.unwrap();
        assert_eq!(orders.lines.len(), 1, "only the bureau's order is still open");
        let all = cases.orders(&supervisor, false).await.unwrap();
        assert_eq!(all.lines.iter().find(|o| o.terms.id == order).unwrap().comments.len(), 1);
        assert_eq!(cases.orders(&clerk, true).await.map(|_| ()), Err(CaseError::Forbidden));
    })
    .await;
}

#[tokio::test]
async fn transfers_nobody_takes_come_back_and_replies_nobody_confirms_close() {
    on_both_backends(|store| async move {
        let clock = Clock::manual(at("2026-03-02")); // a Monday
        let cases = service(&store, clock.clone()).await;
        let clerk = actor(&store, "staff.a01").await;
        let head = actor(&store, "head.hrss").await;
        let filed = cases.file(&complaint("2026-03-02"), &[], "t-1", Locale::En).await.unwrap();
        let id = filed.case_id;
        let token = filed.token.as_str().to_string();
        let v = cases.case_for(&head, id, false).await.unwrap().version;
        cases.act(&clerk, id, &act("accept", v)).await.unwrap();
        let civil = store.departments().await.unwrap().into_iter().find(|d| d.code == "CIVIL").unwrap().id;
        let mut transfer = act("transfer", cases.case_for(&head, id, false).await.unwrap().version);
        transfer.department_id = civil.to_string();
        cases.act(&head, id, &transfer).await.unwrap();
        // The civil head has until Tuesday; on Wednesday it comes back by itself.
        clock.set_ms(at("2026-03-03"));
        assert_eq!(cases.run_deadlines().await.unwrap().transfers_returned, 0);
        clock.set_ms(at("2026-03-04"));
        assert_eq!(cases.run_deadlines().await.unwrap().transfers_returned, 1);
        let view = cases.case_for(&head, id, false).await.unwrap();
        assert_eq!(view.status, Status::Accepted);
        assert!(view.transfer_to.is_none());

        // Asked for more information, the clock stops; the citizen's answer restarts it.
        let mut ask = act("ask_info", view.version);
        ask.body = "Which day did you come?".into();
        cases.act(&clerk, id, &ask).await.unwrap();
        let track = cases.track(&token).await.unwrap();
        assert!(track.awaiting_citizen && track.due_on.is_none());
        clock.set_ms(at("2026-03-20"));
        assert_eq!(cases.run_deadlines().await.unwrap(), DeadlineRound::default(), "paused: nothing escalates");
        assert_eq!(
            cases.citizen_info(&token, " ", None).await,
            Err(CaseError::Invalid(FieldErrors::single(Field::Body, Problem::TextRequired)))
        );
        cases.citizen_info(&token, "Monday the 2nd, at ten.", None).await.unwrap();
        let track = cases.track(&token).await.unwrap();
        assert!(!track.awaiting_citizen);
        // Accepted on the 2nd with 5 days: due the 9th; asked on the 4th with 3 working
        // days left; answered on Friday the 20th: due Wednesday the 25th.
        assert_eq!(track.due_on.as_deref(), Some("2026-03-25"));
        assert!(cases.citizen_info(&token, "more", None).await.is_err(), "nothing was asked");

        // Replied; the citizen never says; seven days later it closes as unconfirmed.
        let mut reply = act("reply", cases.case_for(&clerk, id, false).await.unwrap().version);
        reply.body = "We have put it right.".into();
        cases.act(&clerk, id, &reply).await.unwrap();
        let v = cases.case_for(&clerk, id, false).await.unwrap().version;
        cases.act(&clerk, id, &act("mark_replied", v)).await.unwrap();
        assert_eq!(cases.track(&token).await.unwrap().due_on.as_deref(), Some("2026-03-27"));
        clock.set_ms(at("2026-03-27"));
        assert_eq!(cases.run_deadlines().await.unwrap().closed_unconfirmed, 0);
        clock.set_ms(at("2026-03-28"));
        assert_eq!(cases.run_deadlines().await.unwrap().closed_unconfirmed, 1);
        let track = cases.track(&token).await.unwrap();
        assert_eq!(track.status, Status::Closed);
        assert!(track.events.iter().any(|e| e.kind == "unconfirmed"));
        let mails = store.mails_of_case(id).await.unwrap();
        let events: Vec<&str> = mails.iter().filter(|m| m.1 == "citizen").map(|m| m.0.as_str()).collect();
        assert_eq!(events, vec!["received", "accepted", "info_requested", "replied", "closed"]);
        let staff: Vec<&str> = mails.iter().filter(|m| m.1 == "staff").map(|m| m.0.as_str()).collect();
        assert!(staff.contains(&"transferred"), "{staff:?}");
    })
    .await;
}

#[tokio::test]
async fn a_finding_reaches_the_citizen_in_words_without_a_name_and_the_department_page() {
    on_both_backends(|store| async move {
        let clock = Clock::manual(at("2026-03-02"));
        let cases = service(&store, clock.clone()).await;
        let supervisor = actor(&store, "supervisor").await;
        let head = actor(&store, "head.hrss").await;
        let civil_head = actor(&store, "head.civil").await;
        let clerk = actor(&store, "staff.a01").await;
        let filed = cases.file(&complaint("2026-03-02"), &[], "f-1", Locale::En).await.unwrap();
        let id = filed.case_id;
        let v = cases.case_for(&supervisor, id, false).await.unwrap().version;

        let mut finding = act("finding", v);
        finding.body = "王小明 kept the citizen waiting for an hour.".into();
        assert!(matches!(cases.act(&supervisor, id, &finding).await, Err(CaseError::Invalid(_))), "no finding chosen");
        finding.finding = "substantiated".into();
        finding.measure = "efficiency_warning".into();
        finding.staff_id = clerk.id.to_string();
        assert_eq!(cases.act(&head, id, &finding).await, Err(CaseError::Forbidden), "supervisors only");
        cases.act(&supervisor, id, &finding).await.unwrap();
        let mails = store.mails_of_case(id).await.unwrap();
        assert!(mails.iter().any(|(e, a, _)| e == "finding_recorded" && a == "staff"), "the head is told: {mails:?}");

        let track = cases.track(filed.token.as_str()).await.unwrap();
        let public = track.events.iter().find(|e| e.kind == "finding").expect("the citizen sees it");
        assert_eq!(public.detail.as_deref(), Some("substantiated/efficiency_warning"));
        assert!(public.body.is_none(), "the reason (with a name in it) stays inside");
        let json = serde_json::to_string(&track).unwrap();
        assert!(!json.contains("王小明"), "no staff name on the tracking page");

        let report = cases.department_report(&head, 0, "2026-03-01", "2026-03-31").await.unwrap();
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.findings[0].staff.as_deref(), Some("王小明"));
        assert!(report.open >= 1);
        let csv = CaseService::department_csv(&report);
        assert!(csv.contains("substantiated,efficiency_warning"), "{csv}");
        let outside = cases.department_report(&head, 0, "2026-04-01", "2026-04-30").await.unwrap();
        assert!(outside.findings.is_empty());
        assert_eq!(
            cases.department_report(&civil_head, report.id, "", "").await.map(|_| ()),
            Err(CaseError::Forbidden),
            "another department's head"
        );
        assert_eq!(
            cases.department_report(&clerk, report.id, "", "").await.map(|_| ()),
            Err(CaseError::Forbidden)
        );
        assert!(matches!(
            cases.department_report(&supervisor, report.id, "2026-13-01", "").await,
            Err(CaseError::Invalid(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn a_calendar_file_with_a_bad_line_changes_nothing_and_a_good_one_moves_deadlines() {
    on_both_backends(|store| async move {
        let clock = Clock::manual(at("2026-09-30"));
        let cases = service(&store, clock.clone()).await;
        let admin = actor(&store, "admin").await;
        let supervisor = actor(&store, "supervisor").await;
        let before = store.calendar_entries().await.unwrap();
        let bad = "date,kind,name\n2027-01-01,holiday,New Year\n2027-02-30,holiday,No such day\n";
        match cases.load_calendar(&admin, bad).await {
            Err(CalendarRefusal::Lines(lines)) => assert_eq!(lines[0].line, 3),
            other => panic!("{other:?}"),
        }
        assert_eq!(store.calendar_entries().await.unwrap(), before, "nothing was loaded");
        assert_eq!(cases.load_calendar(&supervisor, "date,kind,name\n2027-01-01,holiday,x\n").await, Err(CalendarRefusal::Forbidden));

        // A 2027 calendar in iCalendar form: New Year's Day off, a Saturday worked.
        let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nSUMMARY:New Year\nCATEGORIES:HOLIDAY\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270102\nSUMMARY:Make-up day\nCATEGORIES:WORKDAY\nEND:VEVENT\nEND:VCALENDAR\n";
        assert_eq!(cases.load_calendar(&admin, ics).await, Ok(2));
        let after = store.calendar_entries().await.unwrap();
        assert_eq!(after.len(), before.len() + 2, "2026's days are kept");
        // Filed on Thursday 2026-12-31: the 1st is off, Saturday the 2nd is worked.
        clock.set_ms(at("2026-12-31"));
        let filed = cases.file(&complaint("2026-12-31"), &[], "c-1", Locale::En).await.unwrap();
        let view = cases.case_for(&supervisor, filed.case_id, false).await.unwrap();
        assert_eq!(view.due_on.as_deref(), Some("2027-01-02"));
    })
    .await;
}

#[tokio::test]
async fn a_citizen_who_stops_mail_gets_no_more_and_their_token_is_no_longer_kept() {
    on_both_backends(|store| async move {
        let clock = Clock::manual(at("2026-03-02"));
        let cases = service(&store, clock).await;
        let clerk = actor(&store, "staff.a01").await;
        let filed = cases.file(&complaint("2026-03-02"), &[], "m-1", Locale::ZhHans).await.unwrap();
        let id = filed.case_id;
        assert!(cases.track(filed.token.as_str()).await.unwrap().mail_on);
        cases.stop_mail(filed.token.as_str()).await.unwrap();
        assert!(!cases.track(filed.token.as_str()).await.unwrap().mail_on);
        let v = cases.case_for(&clerk, id, false).await.unwrap().version;
        cases.act(&clerk, id, &act("accept", v)).await.unwrap();
        let mails = store.mails_of_case(id).await.unwrap();
        assert_eq!(
            mails,
            vec![("received".to_string(), "citizen".to_string(), "cancelled".to_string())],
            "the waiting mail is cancelled and no new one is written"
        );
        assert!(store.case_by_id(id).await.unwrap().unwrap().mail_token.is_none());
    })
    .await;
}

#[tokio::test]
async fn two_senders_on_one_postgres_outbox_deliver_each_mail_once() {
    use crate::mail::{FolderTransport, MailSender, SendPolicy};
    use crate::store::testing::TestDb;
    let db = TestDb::new(crate::store::Backend::Postgres).await;
    let clock = Clock::manual(at("2026-03-02"));
    let cases = service(&db.store, clock.clone()).await;
    for n in 0..20 {
        cases
            .file(&complaint("2026-03-02"), &[], &format!("two-{n}"), Locale::En)
            .await
            .unwrap();
    }
    // A second server: its own connections to the same database, its own sender.
    let other = Store::connect(&db.url).await.unwrap();
    let dir = std::env::temp_dir().join(format!("cp-eml-{:016x}", rand::random::<u64>()));
    let folder = || Arc::new(FolderTransport::new(&dir).unwrap());
    let from = "Counterpoint <no-reply@counterpoint.example.gov>";
    let a = MailSender::new(db.store.clone(), folder(), from, clock.clone(), SendPolicy::default()).unwrap();
    let b = MailSender::new(other.clone(), folder(), from, clock.clone(), SendPolicy::default()).unwrap();
    let mut sent = 0;
    for _ in 0..10 {
        let (x, y) = tokio::join!(a.send_due(), b.send_due());
        sent += x.unwrap().sent + y.unwrap().sent;
        if db.store.outbox_counts().await.unwrap().pending == 0 {
            break;
        }
    }
    assert_eq!(sent, 20, "each mail sent by one of the two, once");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 20);
    let eml = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(eml.contains("Content-Type: text/plain") && eml.contains("https://counterpoint.example.gov/track/"));
    assert_eq!(db.store.outbox_counts().await.unwrap().sent, 20);
    other.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    db.drop_db().await;
}
