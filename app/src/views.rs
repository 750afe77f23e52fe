//! What the case pages show: plain data, sent from the server to the pages (and, once
//! hydrated, to the browser). Built by the case service, which has already decided what
//! the viewer may see; nothing here carries more than that.

pub use crate::domain::action::ActionForm;
use crate::domain::case::{ActionKind, CaseKind, Status};
use crate::domain::{Category, ComplaintForm, FieldErrors};
use crate::i18n::Localized;
use serde::{Deserialize, Serialize};

/// The public directory: halls, their departments, and open counters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallGroup {
    pub code: String,
    pub name: Localized,
    pub departments: Vec<DepartmentGroup>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentGroup {
    pub code: String,
    pub name: Localized,
    pub counters: Vec<CounterLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterLink {
    pub code: String,
    pub name: Localized,
}

/// One event as the citizen sees it on the tracking page: no staff names, no notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEvent {
    /// Local time, `YYYY-MM-DD HH:MM`.
    pub at: String,
    /// `submit` or an action code.
    pub kind: String,
    pub body: Option<String>,
    pub detail: Option<String>,
    pub department: Option<Localized>,
}

/// The tracking page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackView {
    pub reference: i64,
    pub category: Option<Category>,
    pub status: Status,
    pub submitted_on: String,
    /// Who answers for it now: a department, never a person.
    pub department: Option<Localized>,
    pub transfer_to: Option<Localized>,
    pub due_on: Option<String>,
    /// Working days until the deadline (negative: overdue by that many).
    pub due_in: Option<i64>,
    pub events: Vec<PublicEvent>,
    /// The citizen may now say whether the answer helped.
    pub can_confirm: bool,
    /// Staff asked for more information; the clock waits for the citizen's answer.
    pub awaiting_citizen: bool,
    /// Mails about this case go to the citizen and may be stopped.
    pub mail_on: bool,
    pub version: i64,
}

/// One line of a staff inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxLine {
    pub id: i64,
    pub kind: CaseKind,
    pub status: Status,
    pub category: Option<Category>,
    pub department: Option<Localized>,
    pub counter: Option<String>,
    pub due_on: Option<String>,
    pub due_in: Option<i64>,
    pub escalated: bool,
    pub submitted_on: String,
}

/// A staff inbox: the lines and the filters that chose them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxView {
    pub lines: Vec<InboxLine>,
    /// The scopes this viewer may choose (`mine`, `department`, `all`, `escalated`, `unrouted`).
    pub scopes: Vec<String>,
    pub filter: InboxFilter,
}

/// The inbox filters, as they travel in the query string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxFilter {
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub kind: String,
    /// `overdue`, `soon` (within 2 days) or empty.
    #[serde(default)]
    pub due: String,
}

/// One event of the full timeline, for staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEvent {
    pub at: String,
    pub kind: String,
    pub public: bool,
    pub actor: Option<String>,
    pub body: Option<String>,
    pub detail: Option<String>,
    pub department: Option<Localized>,
    pub staff: Option<String>,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
}

/// The complainant, as far as this viewer may know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactView {
    Anonymous,
    /// Not for this viewer (only supervisors and the case's handler).
    Withheld,
    /// This viewer may see them; showing them is logged.
    OnRequest,
    Shown {
        name: String,
        email: Option<String>,
        phone: Option<String>,
        /// Who has been shown them, and when.
        views: Vec<(String, String)>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// The staff case page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: i64,
    pub kind: CaseKind,
    pub category: Option<Category>,
    pub status: Status,
    pub hall: Option<Localized>,
    pub counter: Option<(String, Localized)>,
    pub department: Option<Localized>,
    pub transfer_to: Option<Localized>,
    pub occurred: Option<String>,
    pub description: String,
    pub staff_named: Option<String>,
    pub rating_level: Option<i64>,
    pub first_responder: Option<String>,
    pub handler: Option<String>,
    pub due_on: Option<String>,
    pub due_in: Option<i64>,
    pub escalated: bool,
    pub submitted_at: String,
    /// The channel it came through; none: the web form.
    pub channel: Option<String>,
    /// Entered by staff: how it reached them and the day it did.
    pub received: Option<(crate::domain::intake::Medium, String)>,
    pub version: i64,
    pub events: Vec<StaffEvent>,
    pub photos: Vec<String>,
    pub contact: ContactView,
    pub actions: Vec<ActionKind>,
    /// Who the case may be assigned to (never staff it names).
    pub assignees: Vec<Choice>,
    /// Colleagues kept from the case and why (`named`, `counter`, `marked`): shown to
    /// those who may keep someone away.
    pub kept_away: Vec<(String, String)>,
    /// Where it may be transferred.
    pub departments: Vec<(i64, Localized)>,
    pub appeal: Option<(String, String)>,
    /// Supervision orders on the case.
    pub orders: Vec<OrderLine>,
    /// Accountability findings recorded on it.
    pub findings: Vec<FindingLine>,
    /// Staff a finding may name: the case's department's (never staff it names).
    pub accountable_staff: Vec<Choice>,
    /// Staff asked the citizen for more information; the clock is paused.
    pub awaiting_citizen: bool,
    pub csrf_token: String,
    pub viewer: String,
}

/// What a supervision order (督辦) says, as stored and as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderTerms {
    pub id: i64,
    pub case_id: i64,
    /// `department` or `bureau`.
    pub level: String,
    /// `overdue`, `unsatisfied` or `ordered`.
    pub reason: String,
    pub due_on: Option<String>,
    pub body: Option<String>,
    pub closing_note: Option<String>,
}

/// A supervision order (督辦) on the orders page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub terms: OrderTerms,
    pub opened_at: String,
    /// `None`: opened by the scheduler.
    pub opened_by: Option<String>,
    pub open: bool,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub department: Option<Localized>,
    /// (who, when, what)
    pub comments: Vec<(String, String, String)>,
}

/// The supervision orders page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersView {
    pub lines: Vec<OrderLine>,
    pub open_only: bool,
    pub csrf_token: String,
    pub viewer: String,
}

/// An accountability finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingLine {
    pub case_id: i64,
    pub finding: crate::domain::case::Finding,
    pub measure: crate::domain::case::Measure,
    pub department: Option<Localized>,
    pub staff: Option<String>,
    pub reason: String,
    pub recorded_by: String,
    pub at: String,
}

/// A department's accountability page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub id: i64,
    pub name: Localized,
    pub from: String,
    pub to: String,
    pub open: i64,
    pub overdue: i64,
    pub escalated: i64,
    pub findings: Vec<FindingLine>,
    /// Departments this viewer may open (supervisors: all).
    pub departments: Vec<(i64, Localized)>,
    pub viewer: String,
}

/// The working-day calendar page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    /// (day, `holiday`|`workday`, name)
    pub days: Vec<(String, String, String)>,
    pub csrf_token: String,
    pub viewer: String,
}

/// The supervision bureau's queue of held ratings (`/staff/holds`), one line per counter,
/// office day, hour and reason: counts only, never where a rating came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldsView {
    pub groups: Vec<HeldLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldLine {
    pub counter: String,
    pub counter_name: crate::i18n::Localized,
    pub day: String,
    pub hour: u8,
    /// `HoldReason::as_str`.
    pub reason: String,
    pub ratings: i64,
    pub good: i64,
}

/// The form deciding one line of the queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub counter: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub hour: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub why: String,
}

/// The outbox, as administrators see it: never an address or a mail's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    pub pending: i64,
    pub sent: i64,
    pub dead: i64,
    pub cancelled: i64,
    pub dead_letters: Vec<MailLine>,
    pub csrf_token: String,
    pub viewer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailLine {
    pub id: i64,
    pub case_id: Option<i64>,
    pub event: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
}

/// A refused staff action handed back to the case page: which action, what was typed,
/// and what is wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionEcho {
    pub form: ActionForm,
    pub errors: FieldErrors,
    /// The case changed since the page was loaded.
    pub changed: bool,
}

/// Set by the server, only on a signed staff POST that asked for it (with the session's
/// CSRF token): the case page rendered for that POST shows the complainant's contact
/// details, and logs the showing. A plain GET never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevealContact;

/// The action value of the case page's "show contact details" form.
pub const SHOW_CONTACT: &str = "show_contact";

/// The page where staff change their own password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnPasswordView {
    pub display_name: String,
    pub username: String,
    /// An administrator set the password: nothing else opens until it is replaced.
    pub must_change: bool,
    pub csrf_token: String,
}

/// The page where staff set up or remove their second factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorView {
    pub display_name: String,
    /// Their role must have one: nothing else opens until it is set up, and it stays.
    pub required: bool,
    /// One is set up, with this many recovery codes left.
    pub on: bool,
    pub codes_left: i64,
    pub csrf_token: String,
}

/// What a post to the second-factor page hands back: its problems, a setup under way (the
/// key and its QR code, shown to the person alone), the recovery codes (shown once).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorEcho {
    pub errors: crate::domain::FieldErrors,
    /// Locked after wrong passwords (seconds to wait), busy, or away.
    pub refusal: Option<String>,
    pub setup: Option<SecondFactorSetup>,
    pub recovery_codes: Vec<String>,
    pub removed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorSetup {
    /// Base32, in groups of four.
    pub key: String,
    /// The QR code of the `otpauth://` address: its side in modules and SVG path.
    pub qr_side: u32,
    pub qr_path: String,
}

/// The code page after a right password.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeEcho {
    /// Why the code was refused, in words.
    pub problem: Option<String>,
}

/// Where the complaint form is: being filled in, being checked, or refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintEcho {
    pub form: ComplaintForm,
    /// Photos already uploaded and kept for this complaint.
    pub photo_ids: Vec<String>,
    pub submission_id: String,
    pub errors: FieldErrors,
    /// The answers are valid: show them to check before sending.
    pub checking: bool,
    /// The photo problem, if a photo was refused.
    pub photo_problem: Option<crate::domain::Problem>,
    /// Resolved names of where it happened, for the check page.
    pub place_names: Vec<Localized>,
}

/// The citizen's confirmation form on the tracking page, refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmEcho {
    /// The form it answers: `confirm` (default) or `info`.
    pub step: String,
    pub reason: String,
    pub errors: FieldErrors,
    pub changed: bool,
}

/// A supervision order form sent back with its problems.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEcho {
    pub order_id: i64,
    /// `comment` or `close`.
    pub step: String,
    pub body: String,
    pub errors: FieldErrors,
}

/// One staff account on the administration page, as the store reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccountLine {
    pub username: String,
    pub display_name: String,
    pub role: crate::domain::Role,
    pub department_code: Option<String>,
    pub badge: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// The counter they sit at (its code), if any.
    pub counter_code: Option<String>,
}

/// Why a line of a calendar file was refused; the page says it in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CalendarProblem {
    /// The file is not UTF-8 text.
    NotText,
    /// A CSV date that is not `YYYY-MM-DD` (or no such day).
    NotADate,
    /// An iCalendar date that is not `YYYYMMDD` (or no such day).
    NotAnIcsDate,
    /// A CSV kind other than `holiday` or `workday`.
    BadKind,
    /// An iCalendar `CATEGORIES` other than `HOLIDAY` or `WORKDAY`.
    BadCategory,
    /// An event with no `DTSTART`.
    NoStart,
    /// A `DTEND` not after its `DTSTART` (or more than a year after).
    EndNotAfterStart,
    /// `day` (`YYYY-MM-DD`) is listed already, on line `previous`.
    Listed { day: String, previous: usize },
    /// `day` falls in the event of line `previous` too.
    Overlaps { day: String, previous: usize },
}

/// A calendar file sent back: refused (its bad lines) or loaded (how many days).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEcho {
    /// (line, what is wrong with it)
    pub lines: Vec<(usize, CalendarProblem)>,
    pub empty: bool,
    pub loaded: Option<usize>,
}

/// The form a supervision order posts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub body: String,
    /// Where to come back to: the orders page or the case page.
    #[serde(default)]
    pub back: String,
}

/// The staff's intake page after a post: the form with its problems and what was typed,
/// or the complaint just saved with the tracking address to give the citizen (once).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeEcho {
    pub form: crate::domain::intake::IntakeForm,
    pub errors: FieldErrors,
    /// The case's number and its tracking address.
    pub taken: Option<(i64, String)>,
}
