//! Filing a complaint: the check page, the place it names, the staff it names, and the
//! single writer that stores complaints in batches (group commit).

use super::*;

/// A complaint waiting for the writer, and where to send its outcome.
pub(super) struct Job {
    complaint: NewComplaint,
    reply: oneshot::Sender<Result<i64, InsertCaseError>>,
}

/// The most complaints one transaction takes.
pub(super) const MAX_BATCH: usize = 512;

/// The single writer: takes every complaint waiting, stores them in one transaction (one
/// disk sync), answers each (group commit, as for ratings).
pub(super) async fn write_complaints(store: Store, mut receiver: mpsc::Receiver<Job>) {
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


fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '#' | '號' | '号'))
        .flat_map(char::to_lowercase)
        .collect()
}


impl CaseService {
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

    /// Staff kept from a complaint, with why: those whose name or badge number it mentions
    /// (`named`), and those who sit at the counter it is about (`counter`).
    async fn kept_away(&self, text: Option<&str>, counter_id: Option<i64>) -> Result<Vec<(i64, &'static str)>, StoreError> {
        let said = text.map(normalise);
        Ok(self
            .0
            .store
            .staff_briefs()
            .await?
            .into_iter()
            .filter_map(|s| {
                let name = normalise(&s.display_name);
                let badge = s.badge.as_deref().map(normalise);
                let named = said.as_ref().is_some_and(|said| {
                    (name.chars().count() >= 2 && said.contains(&name))
                        || badge.is_some_and(|b| b.len() >= 3 && said.contains(&b))
                });
                if named {
                    Some((s.id, "named"))
                } else if counter_id.is_some() && s.counter_id == counter_id {
                    Some((s.id, "counter"))
                } else {
                    None
                }
            })
            .collect())
    }

    /// Files a complaint with the photos already uploaded for it. `submission_id` makes a
    /// replayed form the same complaint again (`Filed::again`), with the same tracking link.
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
            .store_complaint(form, photo_ids, new_photos, submission_id, locale, Origin::Citizen)
            .await;
        if !matches!(filed, Ok(Filed { again: false, .. })) {
            for id in &new_ids {
                let _ = self.0.photos.delete(id).await;
            }
        }
        filed
    }

    /// Files a complaint another system sent through its channel (`channel_id`, an API
    /// key's): the same checks, deadlines and mail as the web form's, without photos.
    pub async fn file_through(
        &self,
        form: &ComplaintForm,
        channel_id: i64,
        submission_id: &str,
        locale: Locale,
    ) -> Result<Filed, CaseError> {
        self.store_complaint(form, &[], Vec::new(), submission_id, locale, Origin::Channel(channel_id))
            .await
    }

    pub(super) async fn store_complaint(
        &self,
        form: &ComplaintForm,
        photo_ids: &[String],
        new_photos: Vec<NewPhoto>,
        submission_id: &str,
        locale: Locale,
        origin: Origin,
    ) -> Result<Filed, CaseError> {
        if photo_ids.len() + new_photos.len() > MAX_PHOTOS {
            return Err(invalid(Field::Photos, Problem::TooManyPhotos));
        }
        let (valid, place) = self.check(form).await?;
        let (channel_id, intake, received_on) = match &origin {
            Origin::Citizen => (None, None, None),
            Origin::Channel(id) => (Some(*id), None, None),
            Origin::Staff(received) => (None, Some(received.medium.code().to_string()), Some(received.on.as_str().to_string())),
        };
        let named_staff_ids = self.kept_away(valid.staff_named.as_deref(), place.counter_id).await?;
        let token = token_for_submission(submission_id);
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
            submission_id: submission_key(submission_id),
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
            due_on: Some(day_text(self.stage_deadline_from(
                origin.received_on().unwrap_or_else(|| self.today_date()),
                CaseKind::Complaint,
                Some(valid.category.code()),
                Stage::Accept,
            ))),
            photo_ids: photo_ids.to_vec(),
            new_photos,
            mail_token: None,
            mail: None,
            channel_id,
            intake,
            received_on,
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
            Ok(case_id) => Ok(Filed { case_id, token, again: false }),
            // Sent before (the answer lost on the way): the same complaint, the same link.
            Err(InsertCaseError::Duplicate) => {
                let case_id = self
                    .0
                    .store
                    .case_id_by_submission(&submission_key(submission_id))
                    .await?
                    .ok_or(CaseError::Unavailable)?;
                Ok(Filed { case_id, token, again: true })
            }
            Err(InsertCaseError::PhotoGone) => Err(invalid(Field::Photos, Problem::PhotoGone)),
            Err(InsertCaseError::Store(e)) => Err(e.into()),
        }
    }
}

/// Who brought a complaint in.
pub(super) enum Origin {
    /// The citizen, on the web form.
    Citizen,
    /// A channel's system, through Open311.
    Channel(i64),
    /// Staff, for a citizen who telephoned, wrote, mailed or came in.
    Staff(crate::domain::intake::Received),
}

impl Origin {
    /// The day its deadlines count from, when not today.
    fn received_on(&self) -> Option<NaiveDate> {
        match self {
            Origin::Staff(received) => NaiveDate::parse_from_str(received.on.as_str(), "%Y-%m-%d").ok(),
            _ => None,
        }
    }
}
