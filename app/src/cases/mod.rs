//! Cases: complaints filed and followed by citizens, handled by staff; and the follow-ups
//! bad ratings open. This service owns the rules' application: it loads a case's facts,
//! asks `domain::case` what an action does, and stores the change with its event in one
//! transaction. What a viewer may see is decided here, before any view is built.

#[cfg(test)]
pub(crate) mod deadline_tests;
mod citizen;
mod deadlines;
mod filing;
mod handling;
pub mod intake;
mod notify;
mod photos;
mod public;
pub mod database_photos;
pub mod packs;
pub mod storage;
mod supervision;
mod versions;

pub use deadlines::{DeadlineRound, Duty, duty};
pub use supervision::CalendarRefusal;

use crate::calendar::WorkingCalendar;
use crate::clock::Clock;
use crate::domain::case::{
    self, ActionKind, Actor, CaseFacts, CaseKind, Change, Due, Refusal, Stage,
    Status, Target,
};
use crate::domain::photo::{self, PhotoKind, PhotoProblem};
use crate::domain::{
    Category, Complainant, ComplaintForm, Day, Field, FieldErrors, Problem, Role, TrackingToken,
    ValidComplaint,
};
use crate::i18n::{Locale, Localized};
use crate::office::{Office, TimeLimits};
use crate::rating::CounterDirectory;
use crate::store::{
    AppealChange, CaseRecord, CaseUpdate, EventRecord, InboxQuery, InsertCaseError, NewComplaint,
    NewFinding, NewOrder, NewPhoto, PlaceRecord, Scope, Store, StoreError, Visibility,
};
use crate::views::{
    ActionForm, CaseView, Choice, ContactView, InboxFilter, InboxLine, InboxView, PublicEvent,
    StaffEvent, TrackView,
};
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use storage::PhotoStorage;
use tokio::sync::{mpsc, oneshot};

/// The most photos one complaint carries.
pub const MAX_PHOTOS: usize = 3;
pub use crate::domain::action::MAX_TEXT;
const PLACES_MAX_AGE: Duration = Duration::from_secs(30);

/// Why a case request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// No such case, or not one this viewer may see (the two are not told apart).
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("invalid")]
    Invalid(FieldErrors),
    /// Someone else changed the case first; nothing was written.
    #[error("the case changed")]
    Changed,
    #[error("storage unavailable")]
    Unavailable,
}

impl From<StoreError> for CaseError {
    fn from(error: StoreError) -> Self {
        tracing::error!(?error, "case storage failed");
        CaseError::Unavailable
    }
}

impl From<std::io::Error> for CaseError {
    fn from(error: std::io::Error) -> Self {
        tracing::error!(?error, "photo storage failed");
        CaseError::Unavailable
    }
}

fn invalid(field: Field, problem: Problem) -> CaseError {
    CaseError::Invalid(FieldErrors::single(field, problem))
}

/// A complaint just filed: its number and the citizen's tracking token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filed {
    pub case_id: i64,
    pub token: TrackingToken,
    /// The same form was filed before: this is that complaint, nothing new was stored.
    pub again: bool,
}

/// Where a complaint happened, resolved against the directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedPlace {
    pub hall_id: Option<i64>,
    pub department_id: Option<i64>,
    pub counter_id: Option<i64>,
    pub names: Vec<Localized>,
}

/// Halls and departments, cached like the counters.
struct Places {
    halls: Vec<PlaceRecord>,
    departments: Vec<PlaceRecord>,
    loaded_at: Instant,
}

struct Inner {
    jobs: mpsc::Sender<filing::Job>,
    versions: versions::VersionReader,
    store: Store,
    photos: Arc<dyn PhotoStorage>,
    counters: CounterDirectory,
    office: Office,
    places: RwLock<Arc<Places>>,
    /// `https://…` without a trailing slash: the links in mails (administrators may change it).
    public_base_url: crate::settings::PublicAddress,
    /// The sender of every mail, for Message-IDs on its domain.
    mail_from: String,
    photo_limits: PhotoLimits,
    /// Taken while an unsent photo's room is checked and the photo stored: uploads at once
    /// from one network cannot all see the same room free.
    photo_room: tokio::sync::Mutex<()>,
    /// Deadline scheduler rounds finished by this server (shown by `/healthz`).
    deadline_rounds: std::sync::atomic::AtomicU64,
}

/// What the case service needs beyond storage; the defaults suit tests.
#[derive(Clone, Debug)]
pub struct CaseOptions {
    pub clock: Clock,
    pub public_base_url: String,
    pub mail_from: String,
    pub photo_limits: PhotoLimits,
}

impl Default for CaseOptions {
    fn default() -> Self {
        CaseOptions {
            clock: Clock::system(),
            public_base_url: "http://127.0.0.1:3000".into(),
            mail_from: "Counterpoint <no-reply@counterpoint.invalid>".into(),
            photo_limits: PhotoLimits::default(),
        }
    }
}

/// How much room photos may take before their complaint is sent, and the free space the
/// photo storage keeps whatever happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhotoLimits {
    /// Bytes of unsent photos one client network (its /24 or /48) may hold.
    pub unsent_per_network: u64,
    /// Bytes of unsent photos everyone together may hold.
    pub unsent_total: u64,
    /// Free bytes the photo storage keeps: below it, photos are refused (503) before
    /// anything is written.
    pub free_floor: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        PhotoLimits {
            // Two complaints' worth of photos (3 of 5 MB each).
            unsent_per_network: 30 * 1024 * 1024,
            unsent_total: 2 * 1024 * 1024 * 1024,
            free_floor: 1024 * 1024 * 1024,
        }
    }
}

/// The case service. Cheap to clone.
#[derive(Clone)]
pub struct CaseService(Arc<Inner>);

/// SHA-256 of a tracking token: what the database keeps instead of the token.
pub fn token_hash(token: &TrackingToken) -> String {
    hex::encode(Sha256::digest(token.as_str().as_bytes()))
}

/// A complaint's tracking token, drawn from the submission id its form carries (128 random
/// bits the server put in the page): a citizen whose answer was lost in transit and who
/// sends the same form again gets the same link back, though only the token's hash is kept.
/// Knowing the submission id is knowing the token, so both are secrets of the one page.
pub fn token_for_submission(submission_id: &str) -> TrackingToken {
    let digest = Sha256::new()
        .chain_update(b"counterpoint tracking token\0")
        .chain_update(submission_id.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    TrackingToken::from_bytes(bytes)
}

/// What the database keeps of a submission id: a hash under another label, from which the
/// token cannot be drawn.
pub fn submission_key(submission_id: &str) -> String {
    hex::encode(
        Sha256::new()
            .chain_update(b"counterpoint submission\0")
            .chain_update(submission_id.as_bytes())
            .finalize(),
    )
}

/// A submission id as a form sent it, if it can be one: 16 to 64 letters, digits and
/// hyphens. Anything else is no id, and the complaint gets a fresh one.
pub fn submission_id_of(raw: &str) -> Option<&str> {
    let id = raw.trim();
    ((16..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then_some(id)
}

/// A fresh submission id, for a form that brought none.
pub fn new_submission_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

fn bounded(raw: &str, max: u64, field: Field, required: Problem) -> Result<String, CaseError> {
    crate::domain::action::text(raw, max, field, required).map_err(|(f, p)| invalid(f, p))
}

fn optional(raw: &str, max: u64, field: Field) -> Result<Option<String>, CaseError> {
    crate::domain::action::optional_text(raw, max, field).map_err(|(f, p)| invalid(f, p))
}

impl CaseService {
    /// The public address the mails link to; shared with the administration, which may
    /// change it.
    pub fn public_address(&self) -> crate::settings::PublicAddress {
        self.0.public_base_url.clone()
    }

    pub async fn new(
        store: Store,
        photos: Arc<dyn PhotoStorage>,
        counters: CounterDirectory,
        time_zone: Tz,
    ) -> Result<CaseService, StoreError> {
        Self::with_options(store, photos, counters, time_zone, CaseOptions::default()).await
    }

    pub async fn with_options(
        store: Store,
        photos: Arc<dyn PhotoStorage>,
        counters: CounterDirectory,
        time_zone: Tz,
        options: CaseOptions,
    ) -> Result<CaseService, StoreError> {
        let (jobs, receiver) = mpsc::channel(filing::MAX_BATCH * 4);
        tokio::spawn(filing::write_complaints(store.clone(), receiver));
        let service = CaseService(Arc::new(Inner {
            jobs,
            versions: versions::VersionReader::start(store.clone()),
            office: Office::load(store.clone(), options.clock, time_zone).await?,
            public_base_url: crate::settings::PublicAddress::new(&options.public_base_url),
            mail_from: options.mail_from,
            photo_limits: options.photo_limits,
            photo_room: tokio::sync::Mutex::new(()),
            deadline_rounds: std::sync::atomic::AtomicU64::new(0),
            places: RwLock::new(Arc::new(Places {
                halls: store.halls().await?,
                departments: store.departments().await?,
                loaded_at: Instant::now(),
            })),
            store,
            photos,
            counters,
        }));
        Ok(service)
    }

    /// The office's working time (clock, time zone, calendar, time limits), which the
    /// statistics share.
    pub fn office(&self) -> &Office {
        &self.0.office
    }

    pub(crate) fn calendar(&self) -> Arc<WorkingCalendar> {
        self.0.office.calendar()
    }

    async fn places(&self) -> Result<Arc<Places>, StoreError> {
        let current = self
            .0
            .places
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if current.loaded_at.elapsed() < PLACES_MAX_AGE {
            return Ok(current);
        }
        let fresh = Arc::new(Places {
            halls: self.0.store.halls().await?,
            departments: self.0.store.departments().await?,
            loaded_at: Instant::now(),
        });
        *self.0.places.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// The clock every case time is read from.
    pub fn clock(&self) -> &Clock {
        self.0.office.clock()
    }

    fn now_ms(&self) -> i64 {
        self.0.office.now_ms()
    }

    /// The sender address of every mail.
    pub fn mail_from(&self) -> &str {
        &self.0.mail_from
    }

    /// The office's time zone.
    pub fn time_zone(&self) -> Tz {
        self.0.office.time_zone()
    }

    pub(crate) fn today_date(&self) -> NaiveDate {
        self.0.office.today()
    }

    pub(crate) fn limits(&self) -> Arc<TimeLimits> {
        self.0.office.limits()
    }


    /// Today in the office's time zone.
    pub fn today(&self) -> Day {
        Day::parse(&self.today_date().format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| Day::parse("2000-01-01").expect("a valid day"))
    }

    fn local_time(&self, ms: i64) -> String {
        self.time_zone()
            .timestamp_millis_opt(ms)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }

    /// The day a stage's limit runs out, counted from today.
    fn stage_deadline(&self, kind: CaseKind, category: Option<&str>, stage: Stage) -> NaiveDate {
        self.stage_deadline_from(self.today_date(), kind, category, stage)
    }

    /// The day a stage's limit runs out, counted from `start` (a complaint staff entered
    /// counts from the day it was received).
    fn stage_deadline_from(&self, start: NaiveDate, kind: CaseKind, category: Option<&str>, stage: Stage) -> NaiveDate {
        let days = self.limits().days(kind, category, stage);
        if stage.counts_calendar_days() {
            start + chrono::Days::new(u64::from(days))
        } else {
            self.calendar().add_working_days(start, days)
        }
    }

    /// How a change moves the case's clock.
    fn resolve_due(&self, case: &CaseRecord, due: Due) -> DueChange {
        let kind = case.kind;
        let today = self.today_date();
        let fresh = |day: NaiveDate| DueChange {
            due_on: Some(Some(day_text(day))),
            paused_days_left: Some(None),
            new_deadline: true,
        };
        match due {
            Due::Keep => DueChange::default(),
            Due::Clear => DueChange {
                due_on: Some(None),
                paused_days_left: Some(None),
                new_deadline: false,
            },
            Due::Stage(stage) => fresh(self.stage_deadline(kind, case.category.as_deref(), stage)),
            Due::Pause => {
                let left = parse_day(case.due_on.as_deref())
                    .map(|due| self.calendar().working_days_until(today, due))
                    .unwrap_or(1)
                    .max(1);
                DueChange {
                    due_on: Some(None),
                    paused_days_left: Some(Some(left)),
                    new_deadline: false,
                }
            }
            Due::Resume => {
                let left = case.paused_days_left.unwrap_or(1).clamp(1, 366) as u32;
                fresh(self.calendar().add_working_days(today, left))
            }
        }
    }

    /// Working days until an open case's deadline (negative: overdue by that many; a
    /// deadline that passed is at least one day overdue, even over a weekend).
    fn due_in(&self, due_on: Option<&str>, status: Status) -> Option<i64> {
        let due = parse_day(due_on)?;
        let today = self.today_date();
        status.is_open().then(|| {
            let left = self.calendar().working_days_until(today, due);
            if today > due { left.min(-1) } else { left }
        })
    }

    fn department_name(places: &Places, id: Option<i64>) -> Option<Localized> {
        places
            .departments
            .iter()
            .find(|d| Some(d.id) == id)
            .map(PlaceRecord::name)
    }


}

/// The rules' view of a staff member by username (tests and tools acting as someone).
#[cfg(any(test, feature = "test-support"))]
pub async fn actor_of_record(store: &Store, username: &str) -> Actor {
    let s = store
        .staff_by_username(username)
        .await
        .expect("staff lookup")
        .unwrap_or_else(|| panic!("no staff member {username}"));
    Actor {
        id: s.id,
        role: s.role,
        department_id: s.department_id,
    }
}

/// The rules' view of a signed-in staff member.
pub fn actor_of(me: &crate::staff::SignedIn) -> Actor {
    Actor {
        id: me.staff_id,
        role: me.role,
        department_id: me.department_id,
    }
}

#[cfg(test)]
mod tests;

/// What a change carries besides the case row and its event.
#[derive(Clone, Debug, Default)]
struct Extras {
    appeal: AppealChange,
    order: Option<NewOrder>,
    finding: Option<NewFinding>,
    escalation_step: Option<i64>,
    reminded_for: Option<Option<String>>,
    /// The escalation level reached (1: department head, 2: bureau), for its mails.
    level: Option<i64>,
}

/// How a change moves the deadline. `None` fields: unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct DueChange {
    due_on: Option<Option<String>>,
    paused_days_left: Option<Option<i64>>,
    /// A new deadline: escalation and reminder start over.
    new_deadline: bool,
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn parse_day(text: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text?, "%Y-%m-%d").ok()
}
