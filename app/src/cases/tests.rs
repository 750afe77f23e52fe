//! The case service against real databases (SQLite and PostgreSQL), with the demo's
//! departments and staff.

use super::deadline_tests::{act, actor, complaint_at};
use super::*;
use crate::domain::case::Actor;
use crate::rating::RatingService;
use crate::store::testing::on_both_backends;
use crate::views::{ContactView, InboxFilter};

/// The client network the tests upload from.
const HERE: &str = "203.0.113.0/24";

async fn service(store: &Store) -> CaseService {
    super::deadline_tests::service(store, crate::clock::Clock::system()).await
}

fn complaint(counter: &str) -> ComplaintForm {
    complaint_at(counter, "2026-03-02")
}

async fn version(cases: &CaseService, who: &Actor, id: i64) -> i64 {
    cases.case_for(who, id, false).await.unwrap().version
}

/// The demo's staff the tests act as.
struct Staff {
    /// staff.a01 and staff.a02, at the HRSS counters.
    clerk: Actor,
    clerk2: Actor,
    /// head.hrss and head.civil.
    head: Actor,
    civil_head: Actor,
    supervisor: Actor,
    admin: Actor,
}

async fn staff(store: &Store) -> Staff {
    Staff {
        clerk: actor(store, "staff.a01").await,
        clerk2: actor(store, "staff.a02").await,
        head: actor(store, "head.hrss").await,
        civil_head: actor(store, "head.civil").await,
        supervisor: actor(store, "supervisor").await,
        admin: actor(store, "admin").await,
    }
}

/// The numbers of the cases `who` finds in their inbox with `filter`.
async fn inbox_ids(cases: &CaseService, who: &Actor, filter: InboxFilter) -> Vec<i64> {
    let inbox = cases.inbox(who, &filter).await.unwrap();
    inbox.lines.iter().map(|l| l.id).collect()
}

/// Files `form` with no photos and gives the case's number.
async fn file(cases: &CaseService, form: &ComplaintForm, key: &str) -> i64 {
    cases
        .file(form, &[], key, Locale::En)
        .await
        .unwrap()
        .case_id
}

/// `who` does `action` to the case as it stands now (the form carries its current version).
async fn act_now(
    cases: &CaseService,
    who: &Actor,
    id: i64,
    action: &str,
) -> Result<Status, CaseError> {
    act_now_with(cases, who, id, action, |_| ()).await
}

/// The same, with the form's other fields filled in by `fill`.
async fn act_now_with(
    cases: &CaseService,
    who: &Actor,
    id: i64,
    action: &str,
    fill: impl FnOnce(&mut ActionForm),
) -> Result<Status, CaseError> {
    let mut form = act(action, version(cases, who, id).await);
    fill(&mut form);
    cases.act(who, id, &form).await
}

#[tokio::test]
async fn a_complaint_travels_from_filing_through_transfer_to_an_escalated_reopening() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let Staff {
            clerk,
            clerk2,
            head,
            civil_head,
            supervisor,
            ..
        } = staff(&store).await;

        let filed = cases
            .file(&complaint("A01"), &[], "s-1", Locale::En)
            .await
            .unwrap();
        let token = filed.token.as_str().to_string();
        let id = filed.case_id;
        let track = cases.track(&token).await.unwrap();
        assert_eq!(track.status, Status::Submitted);
        assert!(track.due_on.is_some(), "an acceptance deadline is set");

        // The first to accept becomes the first responder.
        act_now(&cases, &clerk, id, "accept").await.unwrap();
        // The head transfers it; the other department's head declines; it comes back.
        let mut transfer = act("transfer", version(&cases, &head, id).await);
        let civil = store
            .departments()
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.code == "CIVIL")
            .unwrap();
        transfer.department_id = civil.id.to_string();
        cases.act(&head, id, &transfer).await.unwrap();
        assert_eq!(
            cases.track(&token).await.unwrap().status,
            Status::TransferPending
        );
        act_now_with(&cases, &civil_head, id, "decline_transfer", |f| {
            f.body = "Not ours: social insurance is HRSS.".into()
        })
        .await
        .unwrap();
        let back = cases.case_for(&head, id, false).await.unwrap();
        assert_eq!(back.status, Status::Accepted);
        assert_eq!(back.first_responder.as_deref(), Some("王小明"));
        assert!(matches!(
            cases.case_for(&civil_head, id, false).await,
            Err(CaseError::NotFound)
        ));

        // Assigned, answered, marked answered.
        let mut assign = act("assign", back.version);
        assign.staff_id = clerk2.id.to_string();
        cases.act(&head, id, &assign).await.unwrap();
        act_now_with(&cases, &clerk2, id, "reply", |f| {
            f.body = "We apologise; the clerk has been spoken to.".into()
        })
        .await
        .unwrap();
        act_now_with(&cases, &clerk2, id, "note", |f| {
            f.body = "Internal: clerk was covering two counters.".into()
        })
        .await
        .unwrap();
        act_now(&cases, &clerk2, id, "mark_replied").await.unwrap();

        // The citizen sees the answer but never the internal note, and is not satisfied.
        let track = cases.track(&token).await.unwrap();
        assert_eq!(track.status, Status::Replied);
        assert!(track.can_confirm);
        let bodies: Vec<String> = track.events.iter().filter_map(|e| e.body.clone()).collect();
        assert!(bodies.iter().any(|b| b.contains("apologise")));
        assert!(
            !bodies.iter().any(|b| b.contains("Internal")),
            "notes stay internal"
        );
        assert!(
            matches!(
                cases.confirm(&token, false, "", Some(track.version)).await,
                Err(CaseError::Invalid(_))
            ),
            "unsatisfied needs a reason"
        );
        cases
            .confirm(&token, false, "Nothing changed.", Some(track.version))
            .await
            .unwrap();
        assert_eq!(cases.track(&token).await.unwrap().status, Status::Reopened);

        // The supervisor finds it among the escalated cases.
        let escalated = InboxFilter {
            scope: "escalated".into(),
            ..InboxFilter::default()
        };
        assert_eq!(inbox_ids(&cases, &supervisor, escalated).await, vec![id]);
    })
    .await;
}

#[tokio::test]
async fn two_people_acting_at_once_get_one_success_and_one_changed() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let Staff { clerk, clerk2, .. } = staff(&store).await;
        let id = file(&cases, &complaint("A01"), "s-2").await;
        let v = version(&cases, &clerk, id).await;
        let form = act("accept", v);
        let (a, b) = tokio::join!(cases.act(&clerk, id, &form), cases.act(&clerk2, id, &form));
        let results = [a, b];
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(
            results.iter().any(|r| matches!(r, Err(CaseError::Changed))),
            "the other is told the case changed, whether or not it is still theirs to see: {results:?}"
        );
        // The winner's form replayed (the same version again) is refused the same way.
        let winner = if results[0].is_ok() { &clerk } else { &clerk2 };
        assert!(matches!(
            cases.act(winner, id, &form).await,
            Err(CaseError::Changed)
        ));
        let events = store.case_events(id, false).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.kind == "accept").count(), 1);
    })
    .await;
}

#[tokio::test]
async fn staff_named_in_a_complaint_never_see_it_nor_get_it() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let Staff {
            clerk: named, head, ..
        } = staff(&store).await;
        let mut form = complaint("A01");
        form.staff_named = "badge A01-07".into();
        let id = file(&cases, &form, "s-3").await;

        assert!(matches!(
            cases.case_for(&named, id, false).await,
            Err(CaseError::NotFound)
        ));
        for scope in ["mine", "all"] {
            let filter = InboxFilter {
                scope: scope.into(),
                ..InboxFilter::default()
            };
            assert!(
                !inbox_ids(&cases, &named, filter).await.contains(&id),
                "{scope}"
            );
        }
        assert!(matches!(
            cases.act(&named, id, &act("accept", 0)).await,
            Err(CaseError::NotFound)
        ));

        cases.act(&head, id, &act("accept", 0)).await.unwrap();
        let view = cases.case_for(&head, id, false).await.unwrap();
        assert!(
            view.assignees.iter().all(|a| a.id != named.id),
            "never offered"
        );
        let mut assign = act("assign", view.version);
        assign.staff_id = named.id.to_string();
        assert!(matches!(
            cases.act(&head, id, &assign).await,
            Err(CaseError::Invalid(_))
        ));
    })
    .await;
}

/// Puts `who` at `counter` (a counter code; `None`: no counter) and in `department` (a
/// department code; `None`: where they are), as an administrator would.
async fn move_staff(store: &Store, who: &Actor, counter: Option<&str>, department: Option<&str>) {
    let brief = store.staff_brief(who.id).await.unwrap().unwrap();
    let username = store
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.display_name == brief.display_name)
        .unwrap()
        .username;
    let counters = store.directory().await.unwrap();
    let department_id = match department {
        Some(code) => Some(store.departments().await.unwrap().into_iter().find(|d| d.code == code).unwrap().id),
        None => brief.department_id,
    };
    let fields = crate::store::AccountFields {
        display_name: brief.display_name,
        role: brief.role.code().to_string(),
        department_id,
        badge: brief.badge,
        email: None,
        active: true,
        counter_id: counter.map(|code| counters.iter().find(|c| c.code == code).unwrap().id),
    };
    store.update_account(who.id, 0, &username, &fields).await.unwrap();
}

#[tokio::test]
async fn staff_at_the_counter_and_those_kept_away_or_moved_lose_the_case() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let Staff { clerk, clerk2, head, supervisor, .. } = staff(&store).await;

        // A complaint about the counter a clerk sits at never reaches them, though it names
        // no one; their colleague at the next counter sees it.
        move_staff(&store, &clerk2, Some("A02"), None).await;
        let about_a02 = file(&cases, &complaint("A02"), "kept-1").await;
        assert!(matches!(cases.case_for(&clerk2, about_a02, false).await, Err(CaseError::NotFound)));
        assert!(cases.case_for(&clerk, about_a02, false).await.is_ok());
        cases.act(&head, about_a02, &act("accept", 0)).await.unwrap();
        let view = cases.case_for(&head, about_a02, false).await.unwrap();
        assert!(view.assignees.iter().all(|a| a.id != clerk2.id), "never offered");
        let counter_staff = store.staff_brief(clerk2.id).await.unwrap().unwrap().display_name;
        assert_eq!(view.kept_away, vec![(counter_staff, "counter".to_string())]);

        // A head keeps the clerk handling a case away from it (the complaint described them
        // in words the filing did not match): the case leaves their hands and sight.
        let id = file(&cases, &complaint("A01"), "kept-2").await;
        cases.act(&clerk, id, &act("accept", 0)).await.unwrap();
        let v = version(&cases, &head, id).await;
        let mut keep = act("keep_away", v);
        keep.staff_id = clerk.id.to_string();
        // A clerk may not keep anyone away.
        let clerk_view = cases.case_for(&clerk, id, false).await.unwrap();
        assert!(!clerk_view.actions.contains(&ActionKind::KeepAway));
        assert!(matches!(cases.act(&clerk, id, &keep).await, Err(CaseError::Forbidden)));
        assert_eq!(cases.act(&head, id, &keep).await.unwrap(), Status::Accepted);
        assert!(matches!(cases.case_for(&clerk, id, false).await, Err(CaseError::NotFound)));
        let view = cases.case_for(&head, id, false).await.unwrap();
        assert_eq!(view.handler, None);
        assert!(view.events.iter().any(|e| e.kind == "keep_away"));
        let mut assign = act("assign", view.version);
        assign.staff_id = clerk.id.to_string();
        assert!(matches!(cases.act(&head, id, &assign).await, Err(CaseError::Invalid(_))));
        // Kept away twice: refused, nothing written.
        let mut again = act("keep_away", view.version);
        again.staff_id = clerk.id.to_string();
        assert!(matches!(cases.act(&supervisor, id, &again).await, Err(CaseError::Invalid(_))));

        // A handler moved to another department loses the case and the complainant's
        // details with it.
        let mut assign = act("assign", view.version);
        assign.staff_id = clerk2.id.to_string();
        cases.act(&head, id, &assign).await.unwrap();
        assert!(matches!(
            cases.case_for(&clerk2, id, false).await.unwrap().contact,
            ContactView::OnRequest
        ));
        move_staff(&store, &clerk2, None, Some("CIVIL")).await;
        let moved = actor(&store, "staff.a02").await;
        assert!(matches!(cases.case_for(&moved, id, false).await, Err(CaseError::NotFound)));
        let v = version(&cases, &head, id).await;
        let mut reply = act("reply", v);
        reply.body = "We looked into it.".into();
        assert!(matches!(cases.act(&moved, id, &reply).await, Err(CaseError::NotFound)));
    })
    .await;
}

#[tokio::test]
async fn contact_details_are_shown_to_the_handler_and_supervisors_only_and_logged() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let Staff {
            clerk,
            head,
            supervisor,
            admin,
            ..
        } = staff(&store).await;
        let id = file(&cases, &complaint("A01"), "s-4").await;

        // Before anyone handles it, only the supervisor may.
        assert_eq!(
            cases.case_for(&clerk, id, true).await.unwrap().contact,
            ContactView::Withheld
        );
        cases.act(&clerk, id, &act("accept", 0)).await.unwrap();
        assert_eq!(
            cases.case_for(&head, id, true).await.unwrap().contact,
            ContactView::Withheld
        );
        assert!(matches!(
            cases.case_for(&admin, id, true).await,
            Err(CaseError::NotFound)
        ));
        assert_eq!(
            cases.case_for(&clerk, id, false).await.unwrap().contact,
            ContactView::OnRequest
        );
        let ContactView::Shown { email, views, .. } =
            cases.case_for(&clerk, id, true).await.unwrap().contact
        else {
            panic!("the handler sees the contact");
        };
        assert_eq!(email.as_deref(), Some("lin@example.org"));
        assert_eq!(views.len(), 1);
        assert!(matches!(
            cases.case_for(&supervisor, id, true).await.unwrap().contact,
            ContactView::Shown { .. }
        ));
        let log = store.contact_views(id).await.unwrap();
        assert_eq!(log.len(), 2, "every showing is logged: {log:?}");
        // The citizen's tracking page never carries it.
        let token = cases_token(&cases, &store).await;
        let track = format!("{:?}", cases.track(&token).await);
        assert!(!track.contains("lin@example.org"));
    })
    .await;
}

/// Files one more complaint and returns its token (for pages that need a token).
async fn cases_token(cases: &CaseService, _store: &Store) -> String {
    cases
        .file(
            &complaint("A01"),
            &[],
            &format!("t-{}", rand::random::<u32>()),
            Locale::En,
        )
        .await
        .unwrap()
        .token
        .as_str()
        .to_string()
}

#[tokio::test]
async fn photos_are_checked_by_bytes_and_a_failed_claim_stores_nothing() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let pdf = b"%PDF-1.7 not a photo".to_vec();
        assert!(matches!(
            cases.upload_photo(&pdf, HERE).await,
            Err(CaseError::Invalid(_))
        ));
        let png = crate::store::testing::png_with_location();
        let id = cases.upload_photo(&png, HERE).await.unwrap();
        let first = cases
            .file(
                &complaint("A01"),
                std::slice::from_ref(&id),
                "s-5",
                Locale::En,
            )
            .await
            .unwrap();
        assert_eq!(store.photos_of_case(first.case_id).await.unwrap().len(), 1);
        // The same photo cannot be claimed again: the second complaint is not stored at all.
        let before = store
            .inbox(0, None, Visibility::All, Scope::All, &InboxQuery::default())
            .await
            .unwrap()
            .len();
        assert!(matches!(
            cases
                .file(&complaint("A01"), &[id], "s-6", Locale::En)
                .await,
            Err(CaseError::Invalid(_))
        ));
        let after = store
            .inbox(0, None, Visibility::All, Scope::All, &InboxQuery::default())
            .await
            .unwrap()
            .len();
        assert_eq!(before, after);
        // A replayed form (its answer lost on the way) is the same complaint with the same
        // tracking link, not stored twice.
        let again = cases.file(&complaint("A01"), &[], "s-5", Locale::En).await.unwrap();
        assert!(again.again && !first.again);
        assert_eq!((again.case_id, &again.token), (first.case_id, &first.token));
        let stored = store
            .inbox(0, None, Visibility::All, Scope::All, &InboxQuery::default())
            .await
            .unwrap()
            .len();
        assert_eq!(stored, after);
    })
    .await;
}

#[tokio::test]
async fn a_bad_rating_opens_a_follow_up_and_an_upheld_appeal_leaves_it_out_of_the_numbers() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let counters = CounterDirectory::load(store.clone()).await.unwrap();
        let ratings = RatingService::start(store.clone(), counters, chrono_tz::Asia::Shanghai, Default::default());
        let bad = crate::domain::RatingForm {
            level: "1".into(),
            comment: "Rude".into(),
            ..Default::default()
        };
        ratings.submit("A01", &bad, Default::default()).await.unwrap();
        let Staff {
            head, supervisor, ..
        } = staff(&store).await;
        let follow_ups = InboxFilter {
            kind: "rating_followup".into(),
            ..InboxFilter::default()
        };
        let found = inbox_ids(&cases, &head, follow_ups).await;
        assert_eq!(
            found.len(),
            1,
            "a follow-up case in the counter's department"
        );
        let id = found[0];

        let tomorrow = "2999-01-01";
        let counter_id = store
            .all_counters()
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.code == "A01")
            .unwrap()
            .id;
        assert_eq!(
            store
                .totals_of_counter(counter_id, tomorrow)
                .await
                .unwrap()
                .count(),
            1
        );

        act_now_with(&cases, &head, id, "appeal", |f| {
            f.body = "The same person rated every counter 1 within a minute.".into()
        })
        .await
        .unwrap();
        assert!(
            matches!(
                act_now(&cases, &head, id, "uphold_appeal").await,
                Err(CaseError::Forbidden)
            ),
            "only a supervisor decides"
        );
        act_now(&cases, &supervisor, id, "uphold_appeal")
            .await
            .unwrap();
        assert_eq!(
            store
                .totals_of_counter(counter_id, tomorrow)
                .await
                .unwrap()
                .count(),
            0
        );
        assert_eq!(
            store.count_ratings().await.unwrap(),
            1,
            "the rating itself is kept"
        );
        let events = store.case_events(id, false).await.unwrap();
        assert!(
            events.iter().any(|e| e.kind == "uphold_appeal"),
            "the decision is in the audit trail"
        );

        // The follow-up is recorded and closes the case.
        act_now(&cases, &head, id, "accept").await.unwrap();
        let mut follow = act("follow_up", version(&cases, &head, id).await);
        follow.how = "called_back".into();
        follow.body = "Called; explained the queue; counter A01 now opens on time.".into();
        cases.act(&head, id, &follow).await.unwrap();
        assert_eq!(
            cases.case_for(&head, id, false).await.unwrap().status,
            Status::Closed
        );
    })
    .await;
}

#[tokio::test]
async fn complaints_sent_at_once_are_each_stored_once_and_a_repeated_form_only_once() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let mut distinct = tokio::task::JoinSet::new();
        for i in 0..40 {
            let cases = cases.clone();
            distinct.spawn(async move {
                cases
                    .file(&complaint("A01"), &[], &format!("many-{i}"), Locale::En)
                    .await
            });
        }
        let results = distinct.join_all().await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        let mut same = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let cases = cases.clone();
            same.spawn(async move {
                cases
                    .file(&complaint("A01"), &[], "one-form", Locale::En)
                    .await
            });
        }
        let results: Vec<Filed> = same.join_all().await.into_iter().map(Result::unwrap).collect();
        assert_eq!(results.iter().filter(|r| !r.again).count(), 1);
        assert!(results.iter().all(|r| r.case_id == results[0].case_id && r.token == results[0].token));
        let all = store
            .inbox(0, None, Visibility::All, Scope::All, &InboxQuery::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 41);
    })
    .await;
}

#[tokio::test]
async fn photos_of_complaints_never_sent_are_swept_and_sent_ones_kept() {
    on_both_backends(|store| async move {
        let cases = service(&store).await;
        let png = crate::store::testing::png_with_location();
        let kept = cases.upload_photo(&png, HERE).await.unwrap();
        let abandoned = cases.upload_photo(&png, HERE).await.unwrap();
        cases
            .file(
                &complaint("A01"),
                std::slice::from_ref(&kept),
                "sweep-1",
                Locale::En,
            )
            .await
            .unwrap();
        assert_eq!(
            cases
                .sweep_unclaimed_photos(Duration::from_secs(3600))
                .await
                .unwrap(),
            0,
            "too recent"
        );
        assert_eq!(
            cases.sweep_unclaimed_photos(Duration::ZERO).await.unwrap(),
            1
        );
        assert!(store.photo(&abandoned).await.unwrap().is_none());
        assert!(
            cases.0.photos.get(&abandoned).await.unwrap().is_none(),
            "the file is gone too"
        );
        assert!(store.photo(&kept).await.unwrap().is_some());
        assert!(cases.0.photos.get(&kept).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn one_network_cannot_hold_more_unsent_photos_than_its_room_and_a_full_disk_takes_none() {
    on_both_backends(|store| async move {
        let png = crate::store::testing::png_with_location();
        let raw = png.len() as u64;
        // Room for three photos from one network and five in all.
        let limits = PhotoLimits { unsent_per_network: 3 * raw, unsent_total: 5 * raw, free_floor: 0 };
        let cases = super::deadline_tests::service_with(&store, crate::clock::Clock::system(), limits).await;
        // One network uploads until refused: by the form, with its room full.
        let refusal = loop {
            if let Err(e) = cases.upload_photo(&png, HERE).await {
                break e;
            }
        };
        match refusal {
            CaseError::Invalid(errors) => assert_eq!(errors.get(Field::Photos), Some(Problem::PhotoRoomUsed)),
            other => panic!("expected the room to be used, got {other:?}"),
        }
        let (_, held) = store.unsent_photo_bytes(HERE).await.unwrap();
        assert!(held <= limits.unsent_per_network && held + raw > limits.unsent_per_network, "{held} bytes held");
        // Other networks have room of their own, until everyone's is used: then a 503.
        let mut unavailable = false;
        for n in 0..20 {
            match cases.upload_photo(&png, &format!("198.51.{n}.0/24")).await {
                Ok(_) => {}
                Err(CaseError::Unavailable) => {
                    unavailable = true;
                    break;
                }
                Err(other) => panic!("{other:?}"),
            }
        }
        let (total, _) = store.unsent_photo_bytes(HERE).await.unwrap();
        assert!(unavailable && total <= limits.unsent_total && total + raw > limits.unsent_total, "{total} bytes in all");

        // A storage down to its floor of free space takes no photo at all, and writes nothing.
        let full = PhotoLimits { free_floor: u64::MAX, ..PhotoLimits::default() };
        let cases = super::deadline_tests::service_over(&store, crate::clock::Clock::system(), full).await;
        assert!(matches!(cases.upload_photo(&png, "192.0.2.0/24").await, Err(CaseError::Unavailable)));
        assert!(matches!(cases.prepare_photo(&png).await, Err(CaseError::Unavailable)));
        assert_eq!(store.unsent_photo_bytes("192.0.2.0/24").await.unwrap(), (total, 0));
    })
    .await;
}
