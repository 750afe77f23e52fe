//! Open311 GeoReport v2 at `/open311/v2/`, read side: the discovery document, the twelve
//! complaint categories as services, each service's definition (hall, department, counter,
//! the staff member's badge), and complaints' public status by their case number.
//!
//! Every answer is built once as a `Node` tree and written as JSON or XML with the
//! specification's element names, so the two formats cannot drift apart. A complaint is
//! shown by what its number, category, place, status and dates say: never the text a
//! citizen wrote, a contact, a staff member or an internal note. Errors are the
//! specification's list of `{code, description}`, described in the asker's language
//! (`app/locales/*/channels.ftl`).

use crate::domain::{Category, ComplaintForm, Field, FieldErrors};
use crate::domain::case::Status;
use crate::i18n::{Locale, Localized};
use crate::store::{PublicRequestQuery, PublicRequestRow};
use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone};
use chrono_tz::Tz;

/// The specification this endpoint follows, as its discovery document names it.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

/// Where the endpoint lives (a stable public address).
pub const BASE_PATH: &str = "/open311/v2";

/// How far back `requests` looks when no `start_date` is given (the specification's 90 days).
const DEFAULT_DAYS: i64 = 90;

/// An answer's format, from the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `"services.json"` → `("services", Json)`; any other extension is none.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        if let Some(stem) = file.strip_suffix(".json") {
            Some((stem, Format::Json))
        } else {
            file.strip_suffix(".xml").map(|stem| (stem, Format::Xml))
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// An answer before it is written: objects list their fields in the specification's order
/// (kept in XML; a JSON object's keys have none), lists name their items' element for XML.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    Int(i64),
    Bool(bool),
    /// A field with no value: `null` in JSON, an empty element in XML.
    Empty,
    Object(Vec<(&'static str, Node)>),
    /// The items and the XML element each is written as.
    List(&'static str, Vec<Node>),
}

impl Node {
    fn text(s: impl Into<String>) -> Node {
        Node::Text(s.into())
    }

    fn optional(s: Option<String>) -> Node {
        s.map_or(Node::Empty, Node::Text)
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Text(s) => Value::String(s.clone()),
            Node::Int(n) => Value::from(*n),
            Node::Bool(b) => Value::Bool(*b),
            Node::Empty => Value::Null,
            Node::Object(fields) => Value::Object(fields.iter().map(|(k, v)| ((*k).to_string(), v.to_json())).collect()),
            Node::List(_, items) => Value::Array(items.iter().map(Node::to_json).collect()),
        }
    }

    /// The document with `root` as its outermost element.
    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        self.write_xml(root, &mut out);
        out
    }

    fn write_xml(&self, name: &str, out: &mut String) {
        out.push('<');
        out.push_str(name);
        out.push('>');
        match self {
            Node::Text(s) => escape_xml(s, out),
            Node::Int(n) => out.push_str(&n.to_string()),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Empty => {}
            Node::Object(fields) => fields.iter().for_each(|(k, v)| v.write_xml(k, out)),
            Node::List(item, items) => items.iter().for_each(|v| v.write_xml(item, out)),
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }

    /// The whole answer in `format`, the XML under `root`.
    pub fn render(&self, format: Format, root: &str) -> String {
        match format {
            Format::Json => self.to_json().to_string(),
            Format::Xml => self.to_xml(root),
        }
    }
}

fn escape_xml(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
}

/// Why a request was refused, as the specification's error list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Open311Error {
    /// The HTTP status it goes with.
    pub code: u16,
    pub description: String,
}

/// What can be wrong with a request, each described in three languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    UnknownFormat,
    UnknownService,
    UnknownRequest,
    BadRequestId,
    BadDate,
    BadStatus,
    DatesReversed,
    /// A post without a channel's key, or with a wrong or revoked one.
    BadKey,
    /// A post whose body is not form-urlencoded fields.
    BadBody,
    /// A `service_code` filter that names no service.
    BadServiceCode,
    /// The database is out for a moment.
    Unavailable,
}

impl Problem {
    pub fn status(self) -> u16 {
        match self {
            Problem::UnknownFormat | Problem::UnknownService | Problem::UnknownRequest => 404,
            Problem::BadKey => 403,
            Problem::Unavailable => 503,
            _ => 400,
        }
    }

    fn describe(self, locale: Locale) -> &'static str {
        let s = locale.strings().channels;
        match self {
            Problem::UnknownFormat => s.err_unknown_format,
            Problem::UnknownService => s.err_unknown_service,
            Problem::UnknownRequest => s.err_unknown_request,
            Problem::BadRequestId => s.err_bad_request_id,
            Problem::BadDate => s.err_bad_date,
            Problem::BadStatus => s.err_bad_status,
            Problem::DatesReversed => s.err_dates_reversed,
            Problem::BadKey => s.err_bad_key,
            Problem::BadBody => s.err_bad_body,
            Problem::BadServiceCode => s.err_bad_service_code,
            Problem::Unavailable => s.err_unavailable,
        }
    }

    pub fn error(self, locale: Locale) -> Open311Error {
        Open311Error { code: self.status(), description: self.describe(locale).to_string() }
    }
}

/// The error list's body.
pub fn errors(list: &[Open311Error]) -> Node {
    Node::List(
        "error",
        list.iter()
            .map(|e| Node::Object(vec![("code", Node::Int(e.code.into())), ("description", Node::text(&e.description))]))
            .collect(),
    )
}

/// The discovery document; `base_url` is the public address (may be empty: then relative).
pub fn discovery(base_url: &str, contact: &str) -> Node {
    Node::Object(vec![
        ("changeset", Node::text(CHANGESET)),
        ("contact", Node::text(contact)),
        ("key_service", Node::text("")),
        (
            "endpoints",
            Node::List(
                "endpoint",
                vec![Node::Object(vec![
                    ("specification", Node::text(SPECIFICATION)),
                    ("url", Node::text(format!("{base_url}{BASE_PATH}"))),
                    ("changeset", Node::text(CHANGESET)),
                    ("type", Node::text("production")),
                    (
                        "formats",
                        Node::List("format", vec![Node::text("text/xml"), Node::text("application/json")]),
                    ),
                ])],
            ),
        ),
    ])
}

/// When this endpoint's shape last changed.
const CHANGESET: &str = "2026-12-07T00:00:00Z";

/// The group a category falls in, as the source essays group them: the four "hard to",
/// the three "not", and conduct.
fn group_of(category: Category, locale: Locale) -> &'static str {
    let index = match category {
        Category::HardToEnter | Category::ColdAttitude | Category::RudeLanguage | Category::HardToGetDone => 0,
        Category::AbsentFromPost | Category::NotAttending | Category::NotCompetent => 1,
        _ => 2,
    };
    locale.strings().channels.group_names[index]
}

/// The twelve complaint categories as services.
pub fn services(locale: Locale) -> Node {
    let strings = locale.strings();
    Node::List(
        "service",
        Category::ALL
            .into_iter()
            .map(|c| {
                Node::Object(vec![
                    ("service_code", Node::text(c.code())),
                    ("service_name", Node::text(strings.category_names[c.index()])),
                    ("description", Node::text(strings.cases.category_hints[c.index()])),
                    ("metadata", Node::Bool(true)),
                    ("type", Node::text("realtime")),
                    ("keywords", Node::text(c.code().replace('_', " "))),
                    ("group", Node::text(group_of(c, locale))),
                ])
            })
            .collect(),
    )
}

/// A place a definition offers: its code and its name.
pub struct Choice {
    pub code: String,
    pub name: Localized,
}

/// The places a complaint can name, open ones only.
pub struct Choices {
    pub halls: Vec<Choice>,
    pub departments: Vec<Choice>,
    pub counters: Vec<Choice>,
}

/// A service's definition: where it happened (hall, department, counter: at least one, as
/// on the form) and the badge number shown at the counter. `None`: no such service.
pub fn definition(code: &str, choices: &Choices, locale: Locale) -> Option<Node> {
    let category = Category::ALL.into_iter().find(|c| c.code() == code)?;
    let c = locale.strings().cases;
    let list = |order: i64, code: &'static str, description: &str, items: &[Choice]| {
        Node::Object(vec![
            ("variable", Node::Bool(true)),
            ("code", Node::text(code)),
            ("datatype", Node::text("singlevaluelist")),
            ("required", Node::Bool(false)),
            ("datatype_description", Node::text(c.place_hint)),
            ("order", Node::Int(order)),
            ("description", Node::text(description)),
            (
                "values",
                Node::List(
                    "value",
                    items
                        .iter()
                        .map(|i| Node::Object(vec![("key", Node::text(&i.code)), ("name", Node::text(i.name.get(locale)))]))
                        .collect(),
                ),
            ),
        ])
    };
    Some(Node::Object(vec![
        ("service_code", Node::text(category.code())),
        (
            "attributes",
            Node::List(
                "attribute",
                vec![
                    list(1, "hall", c.hall, &choices.halls),
                    list(2, "department", c.department, &choices.departments),
                    list(3, "counter", c.counter, &choices.counters),
                    Node::Object(vec![
                        ("variable", Node::Bool(true)),
                        ("code", Node::text("staff_badge")),
                        ("datatype", Node::text("string")),
                        ("required", Node::Bool(false)),
                        ("datatype_description", Node::text(c.staff_named_hint)),
                        ("order", Node::Int(4)),
                        ("description", Node::text(c.staff_named)),
                    ]),
                ],
            ),
        ),
    ]))
}

/// `GET requests`' filters, parsed, with `now` for the default window.
pub fn parse_query(params: &[(String, String)], now_ms: i64, tz: Tz) -> Result<PublicRequestQuery, Problem> {
    let get = |name: &str| params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    let mut query = PublicRequestQuery {
        from_ms: now_ms - DEFAULT_DAYS * 86_400_000,
        until_ms: i64::MAX,
        ..PublicRequestQuery::default()
    };
    // Case numbers override every other filter (the specification's rule).
    if let Some(ids) = get("service_request_id") {
        query.ids = parse_ids(ids).ok_or(Problem::BadRequestId)?;
        query.from_ms = i64::MIN;
        return Ok(query);
    }
    if let Some(codes) = get("service_code") {
        for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            query.categories.push(Category::ALL.into_iter().find(|c| c.code() == code).ok_or(Problem::BadServiceCode)?);
        }
    }
    let start = get("start_date").map(|d| parse_date(d, tz, false)).transpose()?;
    let end = get("end_date").map(|d| parse_date(d, tz, true)).transpose()?;
    if let Some(end) = end {
        query.until_ms = end;
        // A window's end without its start: the 90 days before that end.
        query.from_ms = end - DEFAULT_DAYS * 86_400_000;
    }
    if let Some(start) = start {
        query.from_ms = start;
    }
    if query.from_ms >= query.until_ms {
        return Err(Problem::DatesReversed);
    }
    if let Some(status) = get("status") {
        let mut open = false;
        let mut closed = false;
        for s in status.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match s {
                "open" => open = true,
                "closed" => closed = true,
                _ => return Err(Problem::BadStatus),
            }
        }
        query.open = match (open, closed) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        };
    }
    Ok(query)
}

/// Comma-separated case numbers, at most a thousand.
pub fn parse_ids(raw: &str) -> Option<Vec<i64>> {
    let ids: Option<Vec<i64>> = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().ok().filter(|n| *n > 0 && s.bytes().all(|b| b.is_ascii_digit())))
        .collect();
    ids.filter(|ids| !ids.is_empty() && ids.len() <= crate::store::MAX_REQUESTS)
}

/// A W3C date and time with its offset (seconds optional), or a bare date meaning that day
/// in the office's time zone: its first moment, or with `whole_day` the moment after its
/// last, so that an end date includes its day. A `+` a client left unencoded in the query
/// arrives as a space and is read as the `+` it was.
fn parse_date(raw: &str, tz: Tz, whole_day: bool) -> Result<i64, Problem> {
    let raw = raw.replace(' ', "+");
    let at = DateTime::parse_from_rfc3339(&raw).or_else(|_| DateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M%:z"));
    if let Ok(at) = at {
        // A moment given as the end is included.
        return Ok(at.timestamp_millis() + i64::from(whole_day));
    }
    let mut day = NaiveDate::parse_from_str(&raw, "%Y-%m-%d").map_err(|_| Problem::BadDate)?;
    if whole_day {
        day = day.succ_opt().ok_or(Problem::BadDate)?;
    }
    // A midnight a clock change skips starts the day at its first existing hour.
    (0..3)
        .find_map(|hour| tz.from_local_datetime(&day.and_hms_opt(hour, 0, 0)?).earliest())
        .map(|t| t.timestamp_millis())
        .ok_or(Problem::BadDate)
}

/// The place names a request's public view needs.
pub struct Places<'a> {
    pub halls: &'a [(i64, Localized)],
    pub departments: &'a [(i64, Localized)],
}

/// Complaints as the specification's service requests.
pub fn requests(rows: &[PublicRequestRow], places: &Places<'_>, tz: Tz, locale: Locale) -> Node {
    let strings = locale.strings();
    let name = |list: &[(i64, Localized)], id: Option<i64>| {
        id.and_then(|id| list.iter().find(|(i, _)| *i == id)).map(|(_, n)| n.get(locale).to_string())
    };
    let at = |ms: i64| tz.timestamp_millis_opt(ms).single().map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
    Node::List(
        "request",
        rows.iter()
            .map(|r| {
                let category = r.category.as_deref().and_then(Category::parse);
                let status = Status::parse(&r.status);
                let open = status.is_none_or(Status::is_open);
                // An open case is expected done by the end of its deadline's day.
                let expected = r.due_on.as_deref().filter(|_| open).and_then(|d| {
                    let day = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
                    let end = tz.from_local_datetime(&day.and_hms_opt(23, 59, 59)?).latest()?;
                    Some(end.to_rfc3339_opts(SecondsFormat::Secs, true))
                });
                Node::Object(vec![
                    ("service_request_id", Node::text(r.id.to_string())),
                    ("status", Node::text(if open { "open" } else { "closed" })),
                    ("status_notes", Node::optional(status.map(|s| strings.cases.status_names[s.index()].to_string()))),
                    ("service_name", Node::optional(category.map(|c| strings.category_names[c.index()].to_string()))),
                    ("service_code", Node::optional(category.map(|c| c.code().to_string()))),
                    ("agency_responsible", Node::optional(name(places.departments, r.department_id))),
                    ("service_notice", Node::Empty),
                    ("requested_datetime", Node::optional(at(r.created_at))),
                    ("updated_datetime", Node::optional(at(r.updated_at))),
                    ("expected_datetime", Node::optional(expected)),
                    ("address", Node::optional(name(places.halls, r.hall_id))),
                ])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
    }

    #[test]
    fn the_two_formats_say_the_same_with_the_specifications_names() {
        let list = services(Locale::En);
        let json = list.to_json();
        assert_eq!(json.as_array().unwrap().len(), 12);
        assert_eq!(json[0]["service_code"], "hard_to_enter");
        assert_eq!(json[0]["metadata"], true);
        assert_eq!(json[0]["type"], "realtime");
        let xml = list.to_xml("services");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>hard_to_enter</service_code>"), "{xml}");
        assert_eq!(xml.matches("<service>").count(), 12);
        let e = errors(&[Problem::BadDate.error(Locale::En)]);
        assert_eq!(e.to_json()[0]["code"], 400);
        assert!(e.to_xml("errors").contains("<errors><error><code>400</code><description>Dates must be"));
    }

    #[test]
    fn text_is_escaped_and_unwritable_characters_left_out() {
        let node = Node::Object(vec![("name", Node::text("a<b & \"c\"\u{1}"))]);
        assert!(node.to_xml("x").ends_with("<x><name>a&lt;b &amp; &quot;c&quot;</name></x>"));
    }

    #[test]
    fn filters_are_parsed_or_refused_by_name() {
        let now = 1_800_000_000_000;
        let q = parse_query(&params(&[]), now, TZ).unwrap();
        assert_eq!((q.from_ms, q.until_ms, q.open), (now - 90 * 86_400_000, i64::MAX, None));
        let q = parse_query(&params(&[("service_request_id", "3, 5"), ("status", "nonsense")]), now, TZ).unwrap();
        assert_eq!(q.ids, vec![3, 5], "ids override the other filters");
        let q = parse_query(
            &params(&[("service_code", "delay,rude_language"), ("start_date", "2026-03-02"), ("end_date", "2026-03-03T00:00:00Z"), ("status", "open")]),
            now,
            TZ,
        )
        .unwrap();
        assert_eq!(q.categories, vec![Category::Delay, Category::RudeLanguage]);
        assert_eq!(q.from_ms, 1_772_380_800_000, "midnight in the office's zone");
        assert_eq!(q.until_ms, 1_772_496_000_001, "the end's moment is included");
        assert_eq!(q.open, Some(true));
        for (bad, problem) in [
            (("service_request_id", "1;DROP"), Problem::BadRequestId),
            (("service_request_id", "-4"), Problem::BadRequestId),
            (("service_code", "nonsense"), Problem::BadServiceCode),
            (("start_date", "yesterday"), Problem::BadDate),
            (("end_date", "2026-02-30"), Problem::BadDate),
            (("status", "pending"), Problem::BadStatus),
        ] {
            assert_eq!(parse_query(&params(&[bad]), now, TZ), Err(problem), "{bad:?}");
        }
        // A bare end date includes its day; a "+" left unencoded comes as a space.
        let one_day = parse_query(&params(&[("start_date", "2026-03-02"), ("end_date", "2026-03-02")]), now, TZ).unwrap();
        assert_eq!((one_day.from_ms, one_day.until_ms), (1_772_380_800_000, 1_772_467_200_000));
        let spaced = parse_query(&params(&[("start_date", "2026-03-02T00:00 08:00"), ("status", "open,")]), now, TZ).unwrap();
        assert_eq!((spaced.from_ms, spaced.open), (1_772_380_800_000, Some(true)));
        let reversed = params(&[("start_date", "2026-03-02"), ("end_date", "2026-03-01")]);
        assert_eq!(parse_query(&reversed, now, TZ), Err(Problem::DatesReversed));
        assert_eq!(parse_ids(&vec!["1"; 1001].join(",")), None, "at most a thousand");
    }

    #[test]
    fn a_request_shows_its_place_status_and_dates_and_nothing_else() {
        let halls = [(1, Localized { zh_hant: "大廳".into(), zh_hans: "大厅".into(), en: "Main hall".into() })];
        let departments = [(2, Localized { zh_hant: "稅務".into(), zh_hans: "税务".into(), en: "Taxation".into() })];
        let row = PublicRequestRow {
            id: 7,
            category: Some("delay".into()),
            status: "assigned".into(),
            department_id: Some(2),
            hall_id: Some(1),
            created_at: 1_772_415_000_000,
            updated_at: 1_772_416_000_000,
            due_on: Some("2026-03-09".into()),
        };
        let places = Places { halls: &halls, departments: &departments };
        let json = requests(std::slice::from_ref(&row), &places, TZ, Locale::En).to_json();
        let r = &json[0];
        assert_eq!(r["service_request_id"], "7");
        assert_eq!(r["status"], "open");
        assert_eq!(r["service_code"], "delay");
        assert_eq!(r["agency_responsible"], "Taxation");
        assert_eq!(r["address"], "Main hall");
        assert_eq!(r["requested_datetime"], "2026-03-02T09:30:00+08:00");
        assert_eq!(r["expected_datetime"], "2026-03-09T23:59:59+08:00");
        let closed = PublicRequestRow { status: "closed".into(), ..row };
        let json = requests(&[closed], &places, TZ, Locale::En).to_json();
        assert_eq!(json[0]["status"], "closed");
        assert!(json[0]["expected_datetime"].is_null(), "a closed case expects nothing");
    }
}

/// A service request a channel posted: its key and the complaint it carries, as the web
/// form would have it, so the same checks apply.
pub struct Posted {
    pub api_key: String,
    pub form: ComplaintForm,
}

/// The specification's fields of `POST requests` (form-urlencoded): `service_code`,
/// `description`, the definition's `attribute[hall]`, `attribute[department]`,
/// `attribute[counter]` and `attribute[staff_badge]`, and the citizen's `first_name`,
/// `last_name`, `email` and `phone` (none given: an anonymous complaint). It happened
/// `today` (the office's date): the specification has no field for when.
pub fn parse_post(params: &[(String, String)], today: &str) -> Posted {
    let get = |name: &str| params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let name = format!("{} {}", get("first_name"), get("last_name")).trim().to_string();
    let (email, phone) = (get("email"), get("phone"));
    let named = !(name.is_empty() && email.is_empty() && phone.is_empty());
    Posted {
        api_key: get("api_key"),
        form: ComplaintForm {
            category: get("service_code"),
            hall: get("attribute[hall]"),
            department: get("attribute[department]"),
            counter: get("attribute[counter]"),
            occurred_on: today.to_string(),
            what_happened: get("description"),
            staff_named: get("attribute[staff_badge]"),
            identity: if named { "named" } else { "anonymous" }.to_string(),
            name,
            email,
            phone,
            ..ComplaintForm::default()
        },
    }
}

/// A refused complaint's problems, each named by the field the poster sent.
pub fn field_errors(errors: &FieldErrors, locale: Locale) -> Vec<Open311Error> {
    let strings = locale.strings();
    errors
        .0
        .iter()
        .map(|(field, problem)| {
            let name = match field {
                Field::Category => "service_code",
                Field::Place | Field::Hall => "attribute[hall]",
                Field::Department => "attribute[department]",
                Field::Code => "attribute[counter]",
                Field::WhatHappened => "description",
                Field::StaffNamed => "attribute[staff_badge]",
                Field::Name | Field::Identity => "first_name",
                Field::Email => "email",
                Field::Phone => "phone",
                _ => "request",
            };
            Open311Error { code: 400, description: format!("{name}: {}", problem.message(strings)) }
        })
        .collect()
}

/// The answer to a complaint taken: its number and where the citizen follows it.
pub fn taken(id: i64, tracking_link: &str, locale: Locale) -> Node {
    let notice = locale.strings().channels.taken_notice.replace("{link}", tracking_link);
    Node::List(
        "request",
        vec![Node::Object(vec![
            ("service_request_id", Node::text(id.to_string())),
            ("service_notice", Node::text(notice)),
            ("account_id", Node::Empty),
        ])],
    )
}
