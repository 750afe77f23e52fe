//! Property tests for every parser of outside input: whatever a citizen, a staff member, a
//! file or a script sends, parsing answers (a value or a problem) and never panics; what it
//! accepts has the properties the product relies on.

use app::domain::action::ActionForm;
use app::domain::case::ActionKind;
use app::domain::photo::clean_into;
use app::domain::{ComplaintForm, Day, RatingForm, TrackingToken};
use proptest::prelude::*;

/// Text as forms bring it: mostly short, any characters, sometimes long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => ".{0,40}",
        1 => "[0-9 \\-:.]{0,20}",
        1 => ".{0,3000}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_rating_form_is_parsed_or_refused_and_a_valid_level_is_one_to_five(
        level in text(), comment in text(), ticket in text(), tags in proptest::collection::vec(text(), 0..6),
    ) {
        let form = RatingForm { level: level.clone(), tags, comment, ticket };
        if let Ok(rating) = form.parse() {
            let n = rating.level.value();
            prop_assert!((1..=5).contains(&n));
            prop_assert_eq!(level.trim(), n.to_string());
        }
    }

    #[test]
    fn a_complaint_form_is_parsed_or_refused_with_its_fields_named(
        category in text(), counter in text(), occurred_on in text(), occurred_at in text(),
        what_happened in text(), identity in text(), name in text(), email in text(), phone in text(),
    ) {
        let form = ComplaintForm {
            category, counter, occurred_on, occurred_at, what_happened, identity, name, email, phone,
            ..ComplaintForm::default()
        };
        let today = Day::parse("2026-03-02").unwrap();
        match form.parse(&today) {
            Ok(complaint) => prop_assert!(!complaint.what_happened.trim().is_empty()),
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn a_staff_action_form_is_parsed_or_refused(
        action in text(), version in text(), body in text(), detail in text(), staff_id in text(),
        department_id in text(), how in text(), finding in text(), measure in text(),
    ) {
        let form = ActionForm {
            action: action.clone(), version, body, detail, staff_id, department_id, how, finding, measure,
            ..ActionForm::default()
        };
        if let Some(kind) = form.staff_action() {
            prop_assert_eq!(Some(kind), ActionKind::parse(action.trim()).or(ActionKind::parse(&action)));
            let _ = form.input(kind);
        }
        let _ = form.case_version();
    }

    #[test]
    fn a_photo_is_cleaned_or_refused_never_grows_and_cleaning_twice_changes_nothing(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..2000),
            // Starts as an image would, so the chunk readers are reached.
            proptest::collection::vec(any::<u8>(), 0..2000).prop_map(|tail| [b"\x89PNG\r\n\x1a\n".as_slice(), &tail].concat()),
            proptest::collection::vec(any::<u8>(), 0..2000).prop_map(|tail| [b"\xFF\xD8\xFF".as_slice(), &tail].concat()),
            proptest::collection::vec(any::<u8>(), 0..2000).prop_map(|tail| {
                let mut webp = b"RIFF".to_vec();
                webp.extend_from_slice(&((tail.len() as u32 + 4) & !1).to_le_bytes());
                webp.extend_from_slice(b"WEBP");
                webp.extend_from_slice(&tail);
                webp
            }),
        ],
    ) {
        let mut once = Vec::new();
        if let Ok(kind) = clean_into(&bytes, &mut once) {
            prop_assert!(once.len() <= bytes.len());
            let mut twice = Vec::new();
            prop_assert_eq!(clean_into(&once, &mut twice), Ok(kind));
            prop_assert_eq!(twice, once);
        } else {
            prop_assert!(once.is_empty(), "nothing is left behind on a refusal");
        }
    }

    #[test]
    fn a_calendar_file_is_read_or_refused_line_by_line(text in prop_oneof![
        ".{0,400}",
        proptest::collection::vec("(20[0-9]{2}-[01][0-9]-[0-3][0-9]|.{0,12}),(holiday|workday|.{0,8}),.{0,12}", 0..20)
            .prop_map(|lines| lines.join("\n")),
        proptest::collection::vec("(BEGIN:VEVENT|END:VEVENT|DTSTART;VALUE=DATE:20[0-9]{6}|DTEND;VALUE=DATE:20[0-9]{6}|SUMMARY:.{0,10}|.{0,20})", 0..30)
            .prop_map(|lines| format!("BEGIN:VCALENDAR\r\n{}\r\nEND:VCALENDAR", lines.join("\r\n"))),
    ]) {
        for parsed in [app::calendar::parse_calendar(&text), app::calendar::parse_calendar_csv(&text), app::calendar::parse_calendar_ics(&text)] {
            if let Err(problems) = parsed {
                prop_assert!(!problems.is_empty(), "a refusal names its lines");
            }
        }
    }

    #[test]
    fn a_tracking_token_is_read_as_typed_and_every_issued_one_reads_back(raw in text(), bytes in any::<[u8; 16]>()) {
        if let Some(token) = TrackingToken::parse(&raw) {
            prop_assert_eq!(TrackingToken::parse(token.as_str()), Some(token.clone()));
        }
        let issued = TrackingToken::from_bytes(bytes);
        prop_assert_eq!(TrackingToken::parse(issued.as_str()), Some(issued.clone()));
        prop_assert_eq!(TrackingToken::parse(&issued.as_str().to_uppercase()), Some(issued));
    }

    #[test]
    fn a_statistics_period_is_parsed_or_refused_and_never_ends_before_it_starts(
        kind in prop_oneof![Just(String::new()), "(day|week|month|quarter|year|custom)", text()],
        at in prop_oneof![Just(String::new()), "20[0-9]{2}-[01][0-9]-[0-3][0-9]", text()],
        from in prop_oneof!["20[0-9]{2}-[01][0-9]-[0-3][0-9]", text()],
        to in prop_oneof!["20[0-9]{2}-[01][0-9]-[0-3][0-9]", text()],
    ) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        if let Ok(period) = app::period::Period::parse(&kind, &at, &from, &to, today) {
            prop_assert!(period.first <= period.last);
        }
    }
}
