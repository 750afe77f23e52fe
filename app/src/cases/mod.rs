//! Cases: complaints filed and followed by citizens, handled by staff; and the follow-ups
//! bad ratings open. This service owns the rules' application: it loads a case's facts,
//! asks `domain::case` what an action does, and stores the change with its event in one
//! transaction. What a viewer may see is decided here, before any view is built.

#[cfg(test)]
pub(crate) mod deadline_tests;
mod deadlines;
mod notify;
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
    ValidComplaint, is_forbidden_char,
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
/// The longest note, reply or reason, in characters.
pub const MAX_TEXT: u64 = 4000;
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
    #[error("already sent")]
    AlreadySent,
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

/// A complaint waiting for the writer, and where to send its outcome.
struct Job {
    complaint: NewComplaint,
    reply: oneshot::Sender<Result<i64, InsertCaseError>>,
}

/// The most complaints one transaction takes.
const MAX_BATCH: usize = 512;

/// The single writer: takes every complaint waiting, stores them in one transaction (one
/// disk sync), answers each (group commit, as for ratings).
async fn write_complaints(store: Store, mut receiver: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    // One connection kept from batch to batch, as the ratings' writer does.
    let mut kept = crate::store::KeptConnection::new(store.clone());
    while kept.receive(&mut receiver, &mut jobs, MAX_BATCH).await > 0 {
        let (complaints, replies): (Vec<_>, Vec<_>) =
            jobs.drain(..).map(|j| (j.complaint, j.reply)).unzip();
        let stored = match kept.get().await {
            Ok(connection) => store.insert_complaints_on(connection, &complaints).await,
            Err(error) => Err(error),
        };
        match stored {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(outcome);
                }
            }
            Err(error) => {
                kept.give_back();
                tracing::error!(
                    ?error,
                    batch = complaints.len(),
                    "could not store a batch of complaints"
                );
                for reply in replies {
                    let _ = reply.send(Err(InsertCaseError::Store(StoreError::Unavailable)));
                }
            }
        }
    }
}

struct Inner {
    jobs: mpsc::Sender<Job>,
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
    /// Deadline scheduler rounds finished by this server (shown by `/healthz`).
    deadline_rounds: std::sync::atomic::AtomicU64,
}

/// What the case service needs beyond storage; the defaults suit tests.
#[derive(Clone, Debug)]
pub struct CaseOptions {
    pub clock: Clock,
    pub public_base_url: String,
    pub mail_from: String,
}

impl Default for CaseOptions {
    fn default() -> Self {
        CaseOptions {
            clock: Clock::system(),
            public_base_url: "http://127.0.0.1:3000".into(),
            mail_from: "Counterpoint <no-reply@counterpoint.invalid>".into(),
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

fn bounded(raw: &str, max: u64, field: Field, required: Problem) -> Result<String, CaseError> {
    let text = raw.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, required));
    }
    if text.chars().count() as u64 > max {
        return Err(invalid(field, Problem::TextTooLong));
    }
    if text.chars().any(is_forbidden_char) {
        return Err(invalid(field, Problem::TextControlChars));
    }
    Ok(text.to_string())
}

fn optional(raw: &str, max: u64, field: Field) -> Result<Option<String>, CaseError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    bounded(raw, max, field, Problem::TextRequired).map(Some)
}

fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '#' | '號' | '号'))
        .flat_map(char::to_lowercase)
        .collect()
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
        let (jobs, receiver) = mpsc::channel(MAX_BATCH * 4);
        tokio::spawn(write_complaints(store.clone(), receiver));
        let service = CaseService(Arc::new(Inner {
            jobs,
            versions: versions::VersionReader::start(store.clone()),
            office: Office::load(store.clone(), options.clock, time_zone).await?,
            public_base_url: crate::settings::PublicAddress::new(&options.public_base_url),
            mail_from: options.mail_from,
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
        let days = self.limits().days(kind, category, stage);
        let today = self.today_date();
        if stage.counts_calendar_days() {
            today + chrono::Days::new(u64::from(days))
        } else {
            self.calendar().add_working_days(today, days)
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

    // ----- Filing -------------------------------------------------------------------

    /// Checks a photo by its bytes, strips its metadata and keeps it until the complaint
    /// that names it is sent. Returns the photo's id.
    pub async fn upload_photo(&self, bytes: &[u8]) -> Result<String, CaseError> {
        let photo = self.prepare_photo(bytes).await?;
        let now = self.now_ms();
        if let Err(error) = self
            .0
            .store
            .insert_photo(&photo.id, &photo.kind, photo.size, now)
            .await
        {
            let _ = self.0.photos.delete(&photo.id).await;
            return Err(error.into());
        }
        Ok(photo.id)
    }

    /// Checks a photo by its bytes, strips its metadata and puts it in photo storage, for
    /// a complaint sent in the same request (its row is written with the complaint).
    pub async fn prepare_photo(&self, bytes: &[u8]) -> Result<NewPhoto, CaseError> {
        // Cleaned straight into the buffer the storage writes from.
        let mut buffer = self.0.photos.buffer(bytes.len());
        let kind = buffer.write(|out| photo::clean_into(bytes, out)).map_err(|p| {
            invalid(
                Field::Photos,
                match p {
                    PhotoProblem::TooLarge => Problem::PhotoTooLarge,
                    PhotoProblem::Damaged => Problem::PhotoDamaged,
                    PhotoProblem::Empty | PhotoProblem::NotAnImage => Problem::PhotoNotImage,
                },
            )
        })?;
        let size = buffer.len() as i64;
        let id = self.0.photos.put(buffer).await?;
        Ok(NewPhoto {
            id,
            kind: kind.as_str().to_string(),
            size,
        })
    }

    /// Deletes photos uploaded more than `max_age` ago for a complaint that was never sent:
    /// the row first (so a late claim fails cleanly), then the file. Returns how many.
    pub async fn sweep_unclaimed_photos(&self, max_age: Duration) -> Result<usize, CaseError> {
        let before = self.now_ms() - max_age.as_millis() as i64;
        let mut swept = 0;
        for id in self.0.store.unclaimed_photos(before, 1000).await? {
            if self.0.store.forget_unclaimed_photo(&id).await? {
                self.0.photos.delete(&id).await?;
                swept += 1;
            }
        }
        Ok(swept)
    }

    /// Parses the form and resolves where it happened, without storing anything: what the
    /// check page shows.
    pub async fn check(
        &self,
        form: &ComplaintForm,
    ) -> Result<(ValidComplaint, ResolvedPlace), CaseError> {
        let mut errors = FieldErrors::default();
        let valid = form.parse(&self.today());
        let place = match &valid {
            Ok(v) => match self.resolve_place(&v.place).await? {
                Some(place) => Some(place),
                None => {
                    errors.push(Field::Place, Problem::PlaceUnknown);
                    None
                }
            },
            Err(e) => {
                errors = e.clone();
                None
            }
        };
        match (valid, place) {
            (Ok(valid), Some(place)) if errors.is_empty() => Ok((valid, place)),
            _ => Err(CaseError::Invalid(errors)),
        }
    }

    async fn resolve_place(
        &self,
        place: &crate::domain::complaint::Place,
    ) -> Result<Option<ResolvedPlace>, StoreError> {
        let places = self.places().await?;
        let mut resolved = ResolvedPlace::default();
        if let Some(code) = &place.counter {
            let Some(counter) = self.0.counters.find(code).await? else {
                return Ok(None);
            };
            let department = places
                .departments
                .iter()
                .find(|d| d.code == counter.department_code);
            resolved.hall_id = Some(counter.hall_id);
            resolved.department_id = department.map(|d| d.id);
            resolved.counter_id = Some(counter.id);
            resolved.names = vec![
                counter.hall.clone(),
                counter.department.clone(),
                counter.name.clone(),
            ];
            return Ok(Some(resolved));
        }
        // A retired hall or department (a form older than its retirement) is not a place.
        if let Some(code) = &place.hall {
            let Some(hall) = places.halls.iter().find(|h| h.is_open() && &h.code == code) else {
                return Ok(None);
            };
            resolved.hall_id = Some(hall.id);
            resolved.names.push(hall.name());
        }
        if let Some(code) = &place.department {
            let Some(department) = places.departments.iter().find(|d| d.is_open() && &d.code == code) else {
                return Ok(None);
            };
            resolved.department_id = Some(department.id);
            resolved.names.push(department.name());
        }
        Ok(Some(resolved))
    }

    /// Staff whose name or badge number the complaint mentions.
    async fn named_staff(&self, text: Option<&str>) -> Result<Vec<i64>, StoreError> {
        let Some(text) = text else {
            return Ok(Vec::new());
        };
        let said = normalise(text);
        Ok(self
            .0
            .store
            .staff_briefs()
            .await?
            .into_iter()
            .filter(|s| {
                let name = normalise(&s.display_name);
                let badge = s.badge.as_deref().map(normalise);
                (name.chars().count() >= 2 && said.contains(&name))
                    || badge.is_some_and(|b| b.len() >= 3 && said.contains(&b))
            })
            .map(|s| s.id)
            .collect())
    }

    /// Files a complaint with the photos already uploaded for it. `submission_id` makes a
    /// replayed form a refusal instead of a second complaint.
    pub async fn file(
        &self,
        form: &ComplaintForm,
        photo_ids: &[String],
        submission_id: &str,
        locale: Locale,
    ) -> Result<Filed, CaseError> {
        self.file_with_photos(form, photo_ids, Vec::new(), submission_id, locale)
            .await
    }

    /// Deletes a prepared photo's file (its complaint will not be sent).
    pub async fn discard_prepared_photo(&self, photo: &NewPhoto) {
        let _ = self.0.photos.delete(&photo.id).await;
    }

    /// Files a complaint with photos uploaded earlier (`photo_ids`) and photos that came
    /// with this request (`new_photos`, prepared by `prepare_photo`). If it is not stored,
    /// the new photos' files are deleted: nothing of it remains.
    pub async fn file_with_photos(
        &self,
        form: &ComplaintForm,
        photo_ids: &[String],
        new_photos: Vec<NewPhoto>,
        submission_id: &str,
        locale: Locale,
    ) -> Result<Filed, CaseError> {
        let new_ids: Vec<String> = new_photos.iter().map(|p| p.id.clone()).collect();
        let filed = self
            .store_complaint(form, photo_ids, new_photos, submission_id, locale)
            .await;
        if filed.is_err() {
            for id in &new_ids {
                let _ = self.0.photos.delete(id).await;
            }
        }
        filed
    }

    async fn store_complaint(
        &self,
        form: &ComplaintForm,
        photo_ids: &[String],
        new_photos: Vec<NewPhoto>,
        submission_id: &str,
        locale: Locale,
    ) -> Result<Filed, CaseError> {
        if photo_ids.len() + new_photos.len() > MAX_PHOTOS {
            return Err(invalid(Field::Photos, Problem::TooManyPhotos));
        }
        let (valid, place) = self.check(form).await?;
        let named_staff_ids = self.named_staff(valid.staff_named.as_deref()).await?;
        let token = TrackingToken::from_bytes(rand::random());
        let (anonymous, name, email, phone) = match valid.complainant {
            Complainant::Anonymous => (true, None, None, None),
            Complainant::Named { name, email, phone } => (
                false,
                Some(name),
                email.map(|e| e.as_str().to_string()),
                phone.map(|p| p.as_str().to_string()),
            ),
        };
        let complaint = NewComplaint {
            token_hash: token_hash(&token),
            submission_id: submission_id.to_string(),
            category: valid.category.code().to_string(),
            hall_id: place.hall_id,
            department_id: place.department_id,
            counter_id: place.counter_id,
            occurred_on: valid.occurred_on.as_str().to_string(),
            occurred_at: valid.occurred_at.map(|t| t.as_str().to_string()),
            description: valid.what_happened,
            staff_named: valid.staff_named,
            named_staff_ids,
            anonymous,
            name,
            email,
            phone,
            locale: locale.tag().to_string(),
            due_on: Some(day_text(self.stage_deadline(
                CaseKind::Complaint,
                Some(valid.category.code()),
                Stage::Accept,
            ))),
            photo_ids: photo_ids.to_vec(),
            new_photos,
            mail_token: None,
            mail: None,
            now_ms: self.now_ms(),
        };
        let complaint = self.with_received_mail(complaint, &token);
        let (reply, answer) = oneshot::channel();
        self.0
            .jobs
            .send(Job { complaint, reply })
            .await
            .map_err(|_| CaseError::Unavailable)?;
        let outcome = answer.await.map_err(|_| CaseError::Unavailable)?;
        match outcome {
            Ok(case_id) => Ok(Filed { case_id, token }),
            Err(InsertCaseError::Duplicate) => Err(CaseError::AlreadySent),
            Err(InsertCaseError::PhotoGone) => Err(invalid(Field::Photos, Problem::PhotoGone)),
            Err(InsertCaseError::Store(e)) => Err(e.into()),
        }
    }

    // ----- The citizen's side ---------------------------------------------------------

    async fn case_by_token(&self, raw: &str) -> Result<CaseRecord, CaseError> {
        let token = TrackingToken::parse(raw).ok_or(CaseError::NotFound)?;
        self.0
            .store
            .case_by_token_hash(&token_hash(&token))
            .await?
            .ok_or(CaseError::NotFound)
    }

    /// What the tracking page depends on: the case's version and whether it mails the
    /// citizen. `None`: no such case.
    pub async fn tracking_version(
        &self,
        token: &TrackingToken,
    ) -> Result<Option<(i64, bool)>, StoreError> {
        self.0.versions.version(token_hash(token)).await
    }

    /// The tracking page: status, responsible department, deadline and public events.
    pub async fn track(&self, raw_token: &str) -> Result<TrackView, CaseError> {
        let case = self.case_by_token(raw_token).await?;
        let events = self.0.store.case_events(case.id, true).await?;
        let places = self.places().await?;
        let status = case.status;
        Ok(TrackView {
            reference: case.id,
            category: case.category.as_deref().and_then(Category::parse),
            status,
            submitted_on: self.local_time(case.created_at),
            department: Self::department_name(&places, case.department_id),
            transfer_to: Self::department_name(&places, case.pending_department_id),
            due_in: self.due_in(case.due_on.as_deref(), status),
            due_on: case.due_on.filter(|_| status.is_open()),
            events: events
                .into_iter()
                .map(|e| PublicEvent {
                    at: self.local_time(e.at),
                    department: Self::department_name(&places, e.department_id),
                    kind: e.kind,
                    body: e.body,
                    detail: e.detail,
                })
                .collect(),
            can_confirm: status == Status::Replied,
            awaiting_citizen: case.paused_days_left.is_some() && status.is_open(),
            mail_on: case.complainant_email.is_some() && !case.mail_stopped && status.is_open(),
            version: case.version,
        })
    }

    /// The citizen says whether the answer helped: satisfied closes the case; unsatisfied
    /// (with a reason) reopens it and escalates it to a supervisor.
    pub async fn confirm(
        &self,
        raw_token: &str,
        satisfied: bool,
        reason: &str,
        version: Option<i64>,
    ) -> Result<Status, CaseError> {
        let case = self.case_by_token(raw_token).await?;
        let reason = if satisfied {
            optional(reason, 1000, Field::Body)?
        } else {
            Some(bounded(reason, 1000, Field::Body, Problem::ReasonRequired)?)
        };
        let facts = self.facts(&case).await?;
        let change = case::decide_citizen(&facts, satisfied).map_err(|_| CaseError::Changed)?;
        if version.is_some_and(|v| v != case.version) {
            return Err(CaseError::Changed);
        }
        let extras = Extras {
            order: (!satisfied).then(|| NewOrder {
                level: "bureau".into(),
                reason: "unsatisfied".into(),
                due_on: None,
                body: reason.clone(),
                opened_by: None,
            }),
            ..Extras::default()
        };
        self.store_change(&case, &change, None, reason, None, extras)
            .await?;
        Ok(change.to)
    }

    // ----- The staff side -------------------------------------------------------------

    async fn facts(&self, case: &CaseRecord) -> Result<CaseFacts, StoreError> {
        let named_staff = self.0.store.named_staff(case.id).await?;
        let events = self.0.store.case_events(case.id, true).await?;
        let appeal = if case.kind == CaseKind::RatingFollowUp {
            self.0.store.appeal_of_case(case.id).await?
        } else {
            None
        };
        Ok(facts_of(
            case,
            named_staff,
            &events,
            appeal.map(|a| a.status == "pending"),
        ))
    }

    async fn visible_case(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(CaseRecord, CaseFacts), CaseError> {
        let case = self
            .0
            .store
            .case_by_id(id)
            .await?
            .ok_or(CaseError::NotFound)?;
        let facts = self.facts(&case).await?;
        if !case::can_see(actor, &facts) {
            return Err(CaseError::NotFound);
        }
        Ok((case, facts))
    }

    /// A staff inbox with its filters.
    pub async fn inbox(&self, actor: &Actor, filter: &InboxFilter) -> Result<InboxView, CaseError> {
        let visibility = match actor.role {
            Role::Supervisor => Visibility::All,
            Role::DepartmentHead => Visibility::Department,
            Role::CounterStaff => Visibility::OwnAndNew,
            Role::Administrator => Visibility::Nothing,
        };
        let scopes: Vec<&str> = match actor.role {
            // "all": everything this viewer may see (for counter staff: their own cases and
            // their department's new ones, waiting to be accepted).
            Role::Supervisor => vec!["all", "escalated", "unrouted", "mine"],
            Role::DepartmentHead => vec!["all", "department", "mine"],
            Role::CounterStaff => vec!["all", "mine"],
            Role::Administrator => vec![],
        };
        if scopes.is_empty() {
            // Administrators handle no cases: an empty inbox, whose page links to their work.
            return Ok(InboxView {
                lines: Vec::new(),
                scopes: Vec::new(),
                filter: filter.clone(),
            });
        }
        let scope_code = if scopes.contains(&filter.scope.as_str()) {
            filter.scope.as_str()
        } else {
            scopes[0]
        };
        let scope = match scope_code {
            "mine" => Scope::Mine,
            "department" => Scope::Department,
            "escalated" => Scope::Escalated,
            "unrouted" => Scope::Unrouted,
            _ => Scope::All,
        };
        let today = self.today_date();
        let query = InboxQuery {
            open_only: filter.status.is_empty() || filter.status == "open",
            status: Status::parse(&filter.status).map(|s| s.code().to_string()),
            category: Category::parse(&filter.category).map(|c| c.code().to_string()),
            kind: CaseKind::parse(&filter.kind).map(|k| k.code().to_string()),
            due_by: match filter.due.as_str() {
                "overdue" => today.pred_opt().map(|d| d.format("%Y-%m-%d").to_string()),
                "soon" => Some(
                    (today + chrono::Days::new(2))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                _ => None,
            },
        };
        let query = InboxQuery {
            open_only: query.open_only && filter.status != "all" && query.status.is_none(),
            ..query
        };
        let rows = self
            .0
            .store
            .inbox(actor.id, actor.department_id, visibility, scope, &query)
            .await?;
        let places = self.places().await?;
        Ok(InboxView {
            lines: rows
                .into_iter()
                .map(|r| {
                    let status = r.status;
                    InboxLine {
                        id: r.id,
                        kind: r.kind,
                        status,
                        category: r.category.as_deref().and_then(Category::parse),
                        department: Self::department_name(&places, r.department_id),
                        counter: r.counter_code,
                        due_in: self.due_in(r.due_on.as_deref(), status),
                        due_on: r.due_on,
                        escalated: r.escalated,
                        submitted_on: self.local_time(r.created_at),
                    }
                })
                .collect(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            filter: InboxFilter {
                scope: scope_code.to_string(),
                ..filter.clone()
            },
        })
    }

    /// The staff case page. `reveal_contact`: show the complainant's details (allowed to
    /// supervisors and the handler only; every showing is logged).
    pub async fn case_for(
        &self,
        actor: &Actor,
        id: i64,
        reveal_contact: bool,
    ) -> Result<CaseView, CaseError> {
        let (case, facts) = self.visible_case(actor, id).await?;
        let store = &self.0.store;
        let events = store.case_events(case.id, false).await?;
        let places = self.places().await?;
        let staff = store.staff_briefs().await?;
        let name_of = |id: Option<i64>| {
            id.and_then(|id| staff.iter().find(|s| s.id == id))
                .map(|s| s.display_name.clone())
        };
        let status = facts.status;
        let contact = if case.anonymous || case.complainant_name.is_none() {
            ContactView::Anonymous
        } else if !case::can_see_contact(actor, &facts) {
            ContactView::Withheld
        } else if reveal_contact {
            let now = self.now_ms();
            store.log_contact_view(case.id, actor.id, now).await?;
            tracing::info!(
                case_id = case.id,
                staff_id = actor.id,
                "contact details shown"
            );
            ContactView::Shown {
                name: case.complainant_name.clone().unwrap_or_default(),
                email: case.complainant_email.clone(),
                phone: case.complainant_phone.clone(),
                views: store
                    .contact_views(case.id)
                    .await?
                    .into_iter()
                    .map(|(who, at)| (who, self.local_time(at)))
                    .collect(),
            }
        } else {
            ContactView::OnRequest
        };
        let actions = case::allowed_actions(actor, &facts);
        let assignees = if actions.contains(&ActionKind::Assign) {
            staff
                .iter()
                .filter(|s| {
                    s.active
                        && s.department_id.is_some()
                        && s.department_id == case.department_id
                        && matches!(s.role, Role::CounterStaff | Role::DepartmentHead)
                        && !facts.names(s.id)
                })
                .map(|s| Choice {
                    id: s.id,
                    name: s.display_name.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let departments = if actions.contains(&ActionKind::Transfer)
            || actions.contains(&ActionKind::Finding)
        {
            places
                .departments
                .iter()
                .filter(|d| d.is_open() && Some(d.id) != case.department_id)
                .map(|d| (d.id, d.name()))
                .collect()
        } else {
            Vec::new()
        };
        let counter = case
            .counter_id
            .and_then(|id| self.0.counters.by_id(id))
            .map(|c| (c.code.clone(), c.name.clone()));
        let appeal = if case.kind == CaseKind::RatingFollowUp {
            store
                .appeal_of_case(case.id)
                .await?
                .map(|a| (a.status, a.reason))
        } else {
            None
        };
        let photos = store
            .photos_of_case(case.id)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let orders = self.order_lines(store.orders_of_case(case.id).await?).await?;
        let findings = store
            .findings_of_case(case.id)
            .await?
            .into_iter()
            .map(|f| self.finding_line(f, &places.departments))
            .collect();
        let accountable_staff = if actions.contains(&ActionKind::Finding) {
            staff
                .iter()
                .filter(|s| {
                    s.department_id.is_some()
                        && s.department_id == case.department_id
                        && matches!(s.role, Role::CounterStaff | Role::DepartmentHead)
                })
                .map(|s| Choice {
                    id: s.id,
                    name: s.display_name.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(CaseView {
            id: case.id,
            kind: facts.kind,
            category: case.category.as_deref().and_then(Category::parse),
            status,
            hall: case
                .hall_id
                .and_then(|id| places.halls.iter().find(|h| h.id == id))
                .map(PlaceRecord::name),
            counter,
            department: Self::department_name(&places, case.department_id),
            transfer_to: Self::department_name(&places, case.pending_department_id),
            occurred: case.occurred_on.clone().map(|d| match &case.occurred_at {
                Some(t) => format!("{d} {t}"),
                None => d,
            }),
            description: case.description.clone(),
            staff_named: case.staff_named.clone(),
            rating_level: case.rating_level,
            first_responder: name_of(case.first_responder_id),
            handler: name_of(case.handler_id),
            due_in: self.due_in(case.due_on.as_deref(), status),
            due_on: case.due_on.clone().filter(|_| status.is_open()),
            escalated: case.escalated,
            submitted_at: self.local_time(case.created_at),
            version: case.version,
            events: events
                .into_iter()
                .map(|e| StaffEvent {
                    at: self.local_time(e.at),
                    public: e.public,
                    actor: e.actor_name,
                    body: e.body,
                    detail: e.detail,
                    department: Self::department_name(&places, e.department_id),
                    staff: e.staff_name,
                    from_status: e.from_status,
                    to_status: e.to_status,
                    kind: e.kind,
                })
                .collect(),
            photos,
            contact,
            actions,
            assignees,
            departments,
            appeal,
            orders,
            findings,
            accountable_staff,
            awaiting_citizen: facts.awaiting_citizen,
            csrf_token: String::new(),
            viewer: String::new(),
        })
    }

    /// A staff action on a case. The form's version must be the case's current one.
    pub async fn act(
        &self,
        actor: &Actor,
        id: i64,
        form: &ActionForm,
    ) -> Result<Status, CaseError> {
        let action = ActionKind::parse(&form.action)
            .filter(|a| ActionKind::STAFF.contains(a))
            .ok_or(CaseError::Forbidden)?;
        let version: i64 = form
            .version
            .trim()
            .parse()
            .map_err(|_| CaseError::Changed)?;
        let (case, facts) = match self.visible_case(actor, id).await {
            Ok(found) => found,
            // Someone in the same department acted first and the case is no longer this
            // viewer's to see (two clerks accepting at once): they are told it changed, not
            // that it does not exist. Staff it names are never told anything.
            Err(CaseError::NotFound) => {
                let case = self
                    .0
                    .store
                    .case_by_id(id)
                    .await?
                    .ok_or(CaseError::NotFound)?;
                let named = self.0.store.named_staff(id).await?.contains(&actor.id);
                let same_department =
                    actor.department_id.is_some() && case.department_id == actor.department_id;
                return Err(if same_department && !named && case.version != version {
                    CaseError::Changed
                } else {
                    CaseError::NotFound
                });
            }
            Err(other) => return Err(other),
        };
        if version != case.version {
            return Err(CaseError::Changed);
        }
        // What the action needs, checked before the rules so the citizen-facing texts are
        // never empty.
        let (body, detail) = match action {
            ActionKind::Reject => (
                Some(bounded(
                    &form.body,
                    1000,
                    Field::Body,
                    Problem::ReasonRequired,
                )?),
                optional(&form.detail, 500, Field::Detail)?,
            ),
            ActionKind::DeclineTransfer
            | ActionKind::Appeal
            | ActionKind::Order
            | ActionKind::Finding => (
                Some(bounded(
                    &form.body,
                    1000,
                    Field::Body,
                    Problem::ReasonRequired,
                )?),
                None,
            ),
            ActionKind::Note | ActionKind::Reply | ActionKind::AskInfo => (
                Some(bounded(
                    &form.body,
                    MAX_TEXT,
                    Field::Body,
                    Problem::TextRequired,
                )?),
                None,
            ),
            ActionKind::FollowUp => {
                let how = form
                    .how()
                    .ok_or(invalid(Field::How, Problem::ChoiceRequired))?;
                (
                    Some(bounded(
                        &form.body,
                        MAX_TEXT,
                        Field::Body,
                        Problem::TextRequired,
                    )?),
                    Some(how.code().to_string()),
                )
            }
            _ => (optional(&form.body, 1000, Field::Body)?, None),
        };
        let target = match action {
            ActionKind::Assign => {
                let staff_id: i64 = form
                    .staff_id
                    .trim()
                    .parse()
                    .map_err(|_| invalid(Field::Assignee, Problem::ChoiceRequired))?;
                match self.0.store.staff_brief(staff_id).await? {
                    Some(s) => Target::Staff {
                        id: s.id,
                        department_id: s.department_id,
                        role: s.role,
                        active: s.active,
                    },
                    None => return Err(invalid(Field::Assignee, Problem::AssigneeInvalid)),
                }
            }
            ActionKind::Transfer => {
                let department: i64 = form
                    .department_id
                    .trim()
                    .parse()
                    .map_err(|_| invalid(Field::Department, Problem::ChoiceRequired))?;
                let places = self.places().await?;
                if !places.departments.iter().any(|d| d.is_open() && d.id == department) {
                    return Err(invalid(Field::Department, Problem::DepartmentInvalid));
                }
                Target::Department(department)
            }
            _ => Target::None,
        };
        let change = case::decide(actor, &facts, action, target).map_err(|r| match r {
            Refusal::NotAllowed => CaseError::Forbidden,
            Refusal::BadAssignee => invalid(Field::Assignee, Problem::AssigneeInvalid),
            Refusal::BadDepartment => invalid(Field::Department, Problem::DepartmentInvalid),
        })?;
        let mut extras = Extras::default();
        extras.appeal = match action {
            ActionKind::Appeal => match case.rating_id {
                Some(rating_id) => AppealChange::Open {
                    rating_id,
                    reason: body.clone().unwrap_or_default(),
                    staff_id: actor.id,
                },
                None => return Err(CaseError::Forbidden),
            },
            ActionKind::UpholdAppeal | ActionKind::DismissAppeal => AppealChange::Decide {
                upheld: action == ActionKind::UpholdAppeal,
                decided_by: actor.id,
            },
            _ => AppealChange::None,
        };
        let mut detail = detail;
        match action {
            ActionKind::Order => {
                extras.order = Some(NewOrder {
                    level: "bureau".into(),
                    reason: "ordered".into(),
                    due_on: None,
                    body: body.clone(),
                    opened_by: Some(actor.id),
                });
            }
            ActionKind::Finding => {
                let (finding, measure, department_id, staff_id) =
                    self.finding_of(&case, form).await?;
                extras.finding = Some(NewFinding {
                    finding: finding.code().into(),
                    measure: measure.code().into(),
                    department_id,
                    staff_id,
                    reason: body.clone().unwrap_or_default(),
                    recorded_by: actor.id,
                });
                // The citizen sees the outcome in plain words; never who, never why.
                detail = Some(format!("{}/{}", finding.code(), measure.code()));
            }
            _ => {}
        }
        // A finding's reason (which may name staff) is kept with the finding, not in the
        // public event.
        let body = if action == ActionKind::Finding { None } else { body };
        self.store_change(&case, &change, Some(actor.id), body, detail, extras)
            .await?;
        tracing::info!(
            case_id = case.id,
            staff_id = actor.id,
            action = action.code(),
            "case action"
        );
        Ok(change.to)
    }

    async fn store_change(
        &self,
        case: &CaseRecord,
        change: &Change,
        actor_id: Option<i64>,
        body: Option<String>,
        detail: Option<String>,
        extras: Extras,
    ) -> Result<(), CaseError> {
        let update = self.update_for(case, change, actor_id, body, detail, extras).await?;
        if self.0.store.apply_change(&update).await? {
            Ok(())
        } else {
            Err(CaseError::Changed)
        }
    }

    /// The store's half of a change: the case row's new values, the event, the order,
    /// finding or appeal it carries, and the mails it causes.
    async fn update_for(
        &self,
        case: &CaseRecord,
        change: &Change,
        actor_id: Option<i64>,
        body: Option<String>,
        detail: Option<String>,
        extras: Extras,
    ) -> Result<CaseUpdate, StoreError> {
        let kind = case.kind;
        let due = self.resolve_due(case, change.due);
        let transfer_due_on = if change.to == Status::TransferPending {
            Some(Some(day_text(self.stage_deadline(
                kind,
                case.category.as_deref(),
                Stage::Transfer,
            ))))
        } else if change.from == Status::TransferPending {
            Some(None)
        } else {
            None
        };
        let mut update = CaseUpdate::new(
            case.id,
            case.version,
            change.action.code(),
            change.from.code(),
            change.to.code(),
        );
        update.department_id = change.department_id;
        update.pending_department_id = change.pending_department_id;
        update.status_before_transfer = change
            .status_before_transfer
            .map(|s| s.map(|s| s.code().to_string()));
        update.handler_id = change.handler_id;
        update.first_responder_id = change.first_responder_id;
        update.escalated = change.escalated;
        update.due_on = due.due_on.clone();
        update.paused_days_left = due.paused_days_left;
        if due.new_deadline {
            // A new deadline starts its own escalation ladder and its own reminder.
            update.escalation_step = Some(0);
            update.reminded_for = Some(None);
        }
        if let Some(step) = extras.escalation_step {
            update.escalation_step = Some(step);
        }
        if let Some(reminded) = extras.reminded_for {
            update.reminded_for = Some(reminded);
        }
        update.transfer_due_on = transfer_due_on;
        update.forget_mail_token = !change.to.is_open();
        update.actor_id = actor_id;
        update.public = change.action.is_public();
        update.body = body;
        update.detail = detail;
        update.event_department_id = change.event_department_id;
        update.event_staff_id = change.event_staff_id;
        update.appeal = extras.appeal;
        update.order = extras.order;
        update.finding = extras.finding;
        update.now_ms = self.now_ms();
        let due_after = match &due.due_on {
            Some(next) => next.clone(),
            None => case.due_on.clone(),
        };
        update.mails = self
            .mails_for(case, change, update.body.as_deref(), due_after.as_deref(), extras.level)
            .await?;
        Ok(update)
    }

    /// A photo's bytes, for a staff member who may see its case.
    pub async fn photo_for(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(PhotoKind, Vec<u8>), CaseError> {
        if !storage::is_key(id) {
            return Err(CaseError::NotFound);
        }
        let photo = self.0.store.photo(id).await?.ok_or(CaseError::NotFound)?;
        let case_id = photo.case_id.ok_or(CaseError::NotFound)?;
        self.visible_case(actor, case_id).await?;
        let kind = PhotoKind::parse(&photo.kind).ok_or(CaseError::NotFound)?;
        let bytes = self.0.photos.get(id).await?.ok_or(CaseError::NotFound)?;
        Ok((kind, bytes))
    }
}

fn facts_of(
    case: &CaseRecord,
    named_staff: Vec<i64>,
    public_events: &[EventRecord],
    appeal_pending: Option<bool>,
) -> CaseFacts {
    CaseFacts {
        kind: case.kind,
        status: case.status,
        department_id: case.department_id,
        pending_department_id: case.pending_department_id,
        status_before_transfer: case.status_before_transfer,
        first_responder_id: case.first_responder_id,
        handler_id: case.handler_id,
        named_staff,
        has_public_reply: public_events.iter().any(|e| e.kind == "reply"),
        appeal_pending,
        awaiting_citizen: case.paused_days_left.is_some(),
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
