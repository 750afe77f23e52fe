//! Cases, their append-only events, photos and the contact-view log.
//!
//! A case row is changed only by `apply_change`, in one transaction with the event that
//! records the change, and only if its `version` is still the one the actor saw.

use super::outbox::{NewMail, insert_mails};
use super::BeginWrite;
use super::supervision::{NewFinding, NewOrder, insert_finding, insert_order};
use super::{Store, StoreError, on_pool};
use sqlx::QueryBuilder;

/// Complaints per multi-row INSERT: 20 parameters each stays below both backends' limits.
const COMPLAINTS_PER_STATEMENT: usize = 500;
use crate::domain::Role;
use crate::domain::case::{CaseKind, HolderChange, Holders, Status};
use crate::i18n::Localized;

/// A complaint ready to be stored: every field parsed, the place resolved.
#[derive(Clone, Debug)]
pub struct NewComplaint {
    pub token_hash: String,
    pub submission_id: String,
    pub category: String,
    pub hall_id: Option<i64>,
    pub department_id: Option<i64>,
    pub counter_id: Option<i64>,
    pub occurred_on: String,
    pub occurred_at: Option<String>,
    pub description: String,
    pub staff_named: Option<String>,
    /// Staff kept from the complaint, each with why (`named`, `counter`: see
    /// `case_named_staff`).
    pub named_staff_ids: Vec<(i64, &'static str)>,
    pub anonymous: bool,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: String,
    pub due_on: Option<String>,
    /// Photos uploaded earlier (on the check page), to be claimed.
    pub photo_ids: Vec<String>,
    /// Photos that came with this very post: their rows are written with the complaint.
    pub new_photos: Vec<NewPhoto>,
    /// The token, kept only when the complainant gave an email address (mails carry it).
    pub mail_token: Option<String>,
    /// The "complaint received" mail, written with the complaint.
    pub mail: Option<NewMail>,
    /// The channel it came through (`channels`); none: the web form.
    pub channel_id: Option<i64>,
    /// Entered by staff: how it reached them (`Medium::code`) and the day it did.
    pub intake: Option<String>,
    pub received_on: Option<String>,
    pub now_ms: i64,
}

/// A photo already checked, cleaned and in photo storage, not yet in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoto {
    pub id: String,
    pub kind: String,
    pub size: i64,
}

/// Why a complaint was not stored. Nothing of it was.
#[derive(Debug, thiserror::Error)]
pub enum InsertCaseError {
    /// This form was sent before.
    #[error("duplicate submission")]
    Duplicate,
    /// A photo it names was not uploaded, or belongs to another complaint already.
    #[error("photo not available")]
    PhotoGone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A case as staff pages and the tracking page need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseRecord {
    pub id: i64,
    pub kind: CaseKind,
    pub category: Option<String>,
    pub status: Status,
    pub hall_id: Option<i64>,
    pub counter_id: Option<i64>,
    pub rating_id: Option<i64>,
    pub occurred_on: Option<String>,
    pub occurred_at: Option<String>,
    pub description: String,
    pub staff_named: Option<String>,
    pub anonymous: bool,
    pub complainant_name: Option<String>,
    pub complainant_email: Option<String>,
    pub complainant_phone: Option<String>,
    pub locale: String,
    #[sqlx(flatten)]
    pub holders: Holders,
    pub escalated: bool,
    pub due_on: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub rating_level: Option<i64>,
    pub rating_tags: Option<i64>,
    pub escalation_step: i64,
    pub reminded_for: Option<String>,
    pub transfer_due_on: Option<String>,
    pub paused_days_left: Option<i64>,
    pub mail_stopped: bool,
    pub mail_token: Option<String>,
    /// The channel it came through (its name); none: the web form.
    pub channel: Option<String>,
    /// Entered by staff: how it reached them (`Medium::code`) and the day it did.
    pub intake: Option<String>,
    pub received_on: Option<String>,
}

const CASE_SELECT: &str = "SELECT c.id, c.kind, c.category, c.status, c.hall_id, c.counter_id, \
    c.rating_id, c.occurred_on, c.occurred_at, c.description, c.staff_named, c.anonymous, \
    c.complainant_name, c.complainant_email, c.complainant_phone, c.locale, c.department_id, \
    c.pending_department_id, c.status_before_transfer, c.first_responder_id, c.handler_id, \
    c.escalated, c.due_on, c.version, c.created_at, c.updated_at, \
    r.level AS rating_level, r.tags AS rating_tags, c.escalation_step, c.reminded_for, \
    c.transfer_due_on, c.paused_days_left, c.mail_stopped, c.mail_token, ch.name AS channel, c.intake, c.received_on \
    FROM cases c LEFT JOIN ratings r ON r.id = c.rating_id LEFT JOIN channels ch ON ch.id = c.channel_id";

/// One line of an inbox.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseSummary {
    pub id: i64,
    pub kind: CaseKind,
    pub status: Status,
    pub category: Option<String>,
    pub department_id: Option<i64>,
    pub counter_code: Option<String>,
    pub due_on: Option<String>,
    pub escalated: bool,
    pub created_at: i64,
}

/// One event of a case's timeline.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRecord {
    pub id: i64,
    pub at: i64,
    pub kind: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub public: bool,
    pub body: Option<String>,
    pub detail: Option<String>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub department_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
}

/// A staff member as the assignment list and the rules need them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StaffBrief {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub badge: Option<String>,
    pub active: bool,
    /// The counter they sit at, if any.
    pub counter_id: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PlaceRecord {
    pub id: i64,
    /// When an administrator retired it; retired places are offered nowhere.
    pub retired_at: Option<i64>,
    pub code: String,
    pub name_zh_hant: String,
    pub name_zh_hans: String,
    pub name_en: String,
}

impl PlaceRecord {
    pub fn is_open(&self) -> bool {
        self.retired_at.is_none()
    }

    pub fn name(&self) -> Localized {
        Localized {
            zh_hant: self.name_zh_hant.clone(),
            zh_hans: self.name_zh_hans.clone(),
            en: self.name_en.clone(),
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PhotoRecord {
    pub id: String,
    pub case_id: Option<i64>,
    pub kind: String,
    pub size: i64,
}

/// Which cases an inbox lists, as fixed SQL fragments: nothing typed by a user reaches the
/// SQL text. `$1` is the viewer's id, `$2` their department.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    All,
    Department,
    OwnAndNew,
    Nothing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Mine,
    Department,
    Escalated,
    Unrouted,
    All,
}

#[derive(Clone, Debug, Default)]
pub struct InboxQuery {
    pub status: Option<String>,
    /// Only open cases (not closed or rejected).
    pub open_only: bool,
    pub category: Option<String>,
    pub kind: Option<String>,
    /// Only open cases due on or before this day.
    pub due_by: Option<String>,
}

/// What an action changes, with its event: the store's half of `domain::case::Change`.
#[derive(Clone, Debug)]
pub struct CaseUpdate {
    pub case_id: i64,
    pub expected_version: i64,
    pub action: String,
    pub from_status: Status,
    pub to_status: Status,
    pub holders: HolderChange,
    pub escalated: Option<bool>,
    pub due_on: Option<Option<String>>,
    pub actor_id: Option<i64>,
    pub public: bool,
    pub body: Option<String>,
    pub detail: Option<String>,
    pub event_department_id: Option<i64>,
    pub event_staff_id: Option<i64>,
    pub appeal: AppealChange,
    pub escalation_step: Option<i64>,
    pub reminded_for: Option<Option<String>>,
    pub transfer_due_on: Option<Option<String>>,
    pub paused_days_left: Option<Option<i64>>,
    /// The case ends or the citizen stops mails: the kept token goes.
    pub forget_mail_token: bool,
    pub order: Option<NewOrder>,
    pub finding: Option<NewFinding>,
    /// A colleague a head or the bureau keeps from the case from now on.
    pub kept_away: Option<i64>,
    /// Mails the change causes, written in its transaction.
    pub mails: Vec<NewMail>,
    pub now_ms: i64,
}

impl CaseUpdate {
    /// An update that changes nothing but the status, with no event texts yet.
    pub fn new(case_id: i64, expected_version: i64, action: &str, from: Status, to: Status) -> Self {
        CaseUpdate {
            case_id,
            expected_version,
            action: action.to_string(),
            from_status: from,
            to_status: to,
            holders: HolderChange::default(),
            escalated: None,
            due_on: None,
            actor_id: None,
            public: false,
            body: None,
            detail: None,
            event_department_id: None,
            event_staff_id: None,
            appeal: AppealChange::None,
            escalation_step: None,
            reminded_for: None,
            transfer_due_on: None,
            paused_days_left: None,
            forget_mail_token: false,
            order: None,
            finding: None,
            kept_away: None,
            mails: Vec::new(),
            now_ms: 0,
        }
    }
}

/// A rating appeal made or decided with the change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AppealChange {
    #[default]
    None,
    Open {
        rating_id: i64,
        reason: String,
        staff_id: i64,
    },
    Decide {
        upheld: bool,
        decided_by: i64,
    },
}

/// An appeal against a rating.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AppealRecord {
    pub id: i64,
    pub rating_id: i64,
    pub case_id: i64,
    pub reason: String,
    pub status: String,
}

impl Store {
    /// Stores a batch of complaints in one transaction (one disk sync for all of them).
    /// Each complaint, with its first event, the staff it names and the photos it claims,
    /// is stored whole or not at all (a savepoint each): a replayed form or a photo already
    /// claimed refuses that complaint only. On a database error, none is stored.
    pub async fn insert_complaints(
        &self,
        batch: &[NewComplaint],
    ) -> Result<Vec<Result<i64, InsertCaseError>>, StoreError> {
        let mut held = self.hold_connection().await?;
        self.insert_complaints_on(&mut held, batch).await
    }

    /// `insert_complaints` on a connection the caller keeps (the complaints' writer task).
    pub async fn insert_complaints_on(
        &self,
        held: &mut super::HeldConnection,
        batch: &[NewComplaint],
    ) -> Result<Vec<Result<i64, InsertCaseError>>, StoreError> {
        // Complaints that claim no earlier upload cannot fail half-way: they go in with a
        // few multi-row statements for the whole batch, photos sent with them included.
        // Those claiming photos uploaded before (from the check page), whose claim may fail,
        // get a savepoint each.
        let (plain, with_photos): (Vec<usize>, Vec<usize>) =
            (0..batch.len()).partition(|&i| batch[i].photo_ids.is_empty());
        let mut outcomes: Vec<Result<i64, InsertCaseError>> = (0..batch.len())
            .map(|_| Err(InsertCaseError::Duplicate))
            .collect();
        super::on_held!(held, |conn| {
            let mut tx = sqlx::Connection::begin(&mut **conn).await?;
            for chunk in plain.chunks(COMPLAINTS_PER_STATEMENT) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO cases (kind, token_hash, submission_id, category, hall_id, department_id, \
                     counter_id, occurred_on, occurred_at, description, staff_named, anonymous, \
                     complainant_name, complainant_email, complainant_phone, locale, status, due_on, \
                     created_at, updated_at, mail_token, channel_id, intake, received_on) ",
                );
                insert.push_values(chunk.iter().map(|&i| &batch[i]), |mut b, c| {
                    b.push_bind("complaint")
                        .push_bind(&c.token_hash)
                        .push_bind(&c.submission_id)
                        .push_bind(&c.category)
                        .push_bind(c.hall_id)
                        .push_bind(c.department_id)
                        .push_bind(c.counter_id)
                        .push_bind(&c.occurred_on)
                        .push_bind(c.occurred_at.as_deref())
                        .push_bind(&c.description)
                        .push_bind(c.staff_named.as_deref())
                        .push_bind(c.anonymous)
                        .push_bind(c.name.as_deref())
                        .push_bind(c.email.as_deref())
                        .push_bind(c.phone.as_deref())
                        .push_bind(&c.locale)
                        .push_bind("submitted")
                        .push_bind(c.due_on.as_deref())
                        .push_bind(c.now_ms)
                        .push_bind(c.now_ms)
                        .push_bind(c.mail_token.as_deref())
                        .push_bind(c.channel_id)
                        .push_bind(c.intake.as_deref())
                        .push_bind(c.received_on.as_deref());
                });
                // A submission id already stored (or twice in this batch) is skipped; the
                // token hash says which of the batch's complaints each stored row is.
                insert.push(" ON CONFLICT (submission_id) DO NOTHING RETURNING id, token_hash");
                let stored: Vec<(i64, Option<String>)> =
                    insert.build_query_as().fetch_all(&mut *tx).await?;
                let mut events = Vec::with_capacity(stored.len());
                let mut named = Vec::new();
                let mut mails = Vec::new();
                let mut photos = Vec::new();
                for (id, hash) in stored {
                    if let Some(&i) = chunk
                        .iter()
                        .find(|&&i| Some(&batch[i].token_hash) == hash.as_ref())
                    {
                        outcomes[i] = Ok(id);
                        events.push((id, &batch[i]));
                        named.extend(batch[i].named_staff_ids.iter().map(|&(s, why)| (id, s, why)));
                        if let Some(mail) = &batch[i].mail {
                            mails.push((Some(id), mail));
                        }
                        photos.extend(batch[i].new_photos.iter().map(|p| (id, p, batch[i].now_ms)));
                    }
                }
                if !events.is_empty() {
                    let mut insert = QueryBuilder::new(
                        "INSERT INTO case_events (case_id, at, kind, to_status, public, department_id) ",
                    );
                    insert.push_values(&events, |mut b, (id, c)| {
                        b.push_bind(*id)
                            .push_bind(c.now_ms)
                            .push_bind("submit")
                            .push_bind("submitted")
                            .push_bind(true)
                            .push_bind(c.department_id);
                    });
                    insert.build().execute(&mut *tx).await?;
                }
                if !named.is_empty() {
                    let mut insert =
                        QueryBuilder::new("INSERT INTO case_named_staff (case_id, staff_id, why) ");
                    insert.push_values(&named, |mut b, (id, staff, why)| {
                        b.push_bind(*id).push_bind(*staff).push_bind(*why);
                    });
                    insert.push(" ON CONFLICT DO NOTHING");
                    insert.build().execute(&mut *tx).await?;
                }
                if !mails.is_empty() {
                    insert_mails!(&mut *tx, &mails, batch[chunk[0]].now_ms)?;
                }
                if !photos.is_empty() {
                    let mut insert = QueryBuilder::new(
                        "INSERT INTO photos (id, case_id, kind, size, created_at) ",
                    );
                    insert.push_values(&photos, |mut b, (id, photo, now)| {
                        b.push_bind(&photo.id)
                            .push_bind(*id)
                            .push_bind(&photo.kind)
                            .push_bind(photo.size)
                            .push_bind(*now);
                    });
                    insert.build().execute(&mut *tx).await?;
                }
            }
            for &i in &with_photos {
                let c = &batch[i];
                let mut one = sqlx::Acquire::begin(&mut *tx).await?;
                let inserted: Option<(i64,)> = sqlx::query_as(
                    "INSERT INTO cases (kind, token_hash, submission_id, category, hall_id, department_id, \
                     counter_id, occurred_on, occurred_at, description, staff_named, anonymous, \
                     complainant_name, complainant_email, complainant_phone, locale, status, due_on, \
                     created_at, updated_at, mail_token, channel_id, intake, received_on) \
                     VALUES ('complaint', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                     'submitted', $16, $17, $17, $18, $19, $20, $21) ON CONFLICT (submission_id) DO NOTHING RETURNING id",
                )
                .bind(&c.token_hash)
                .bind(&c.submission_id)
                .bind(&c.category)
                .bind(c.hall_id)
                .bind(c.department_id)
                .bind(c.counter_id)
                .bind(&c.occurred_on)
                .bind(c.occurred_at.as_deref())
                .bind(&c.description)
                .bind(c.staff_named.as_deref())
                .bind(c.anonymous)
                .bind(c.name.as_deref())
                .bind(c.email.as_deref())
                .bind(c.phone.as_deref())
                .bind(&c.locale)
                .bind(c.due_on.as_deref())
                .bind(c.now_ms)
                .bind(c.mail_token.as_deref())
                .bind(c.channel_id)
                .bind(c.intake.as_deref())
                .bind(c.received_on.as_deref())
                .fetch_optional(&mut *one)
                .await?;
                let Some((id,)) = inserted else {
                    one.rollback().await?;
                    continue;
                };
                sqlx::query(
                    "INSERT INTO case_events (case_id, at, kind, to_status, public, department_id) \
                     VALUES ($1, $2, 'submit', 'submitted', TRUE, $3)",
                )
                .bind(id)
                .bind(c.now_ms)
                .bind(c.department_id)
                .execute(&mut *one)
                .await?;
                for (staff_id, why) in &c.named_staff_ids {
                    sqlx::query(
                        "INSERT INTO case_named_staff (case_id, staff_id, why) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(staff_id)
                    .bind(why)
                    .execute(&mut *one)
                    .await?;
                }
                for photo in &c.new_photos {
                    sqlx::query(
                        "INSERT INTO photos (id, case_id, kind, size, created_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&photo.id)
                    .bind(id)
                    .bind(&photo.kind)
                    .bind(photo.size)
                    .bind(c.now_ms)
                    .execute(&mut *one)
                    .await?;
                }
                let mut all_claimed = true;
                for photo in &c.photo_ids {
                    let claimed = sqlx::query(
                        "UPDATE photos SET case_id = $1 WHERE id = $2 AND case_id IS NULL",
                    )
                    .bind(id)
                    .bind(photo)
                    .execute(&mut *one)
                    .await?
                    .rows_affected();
                    if claimed != 1 {
                        all_claimed = false;
                        break;
                    }
                }
                if all_claimed {
                    if let Some(mail) = &c.mail {
                        insert_mails!(&mut *one, &[(Some(id), mail)], c.now_ms)?;
                    }
                    one.commit().await?;
                    outcomes[i] = Ok(id);
                } else {
                    one.rollback().await?;
                    outcomes[i] = Err(InsertCaseError::PhotoGone);
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(outcomes)
    }

    /// Records an uploaded photo, not yet part of any complaint.
    /// A photo uploaded ahead of its complaint, from client network `from`.
    pub async fn insert_photo(
        &self,
        id: &str,
        kind: &str,
        size: i64,
        from: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO photos (id, kind, size, created_at, uploaded_from) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(id)
        .bind(kind)
        .bind(size)
        .bind(now_ms)
        .bind(from)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Bytes of photos no complaint has claimed yet: in all, and from client network `from`.
    pub async fn unsent_photo_bytes(&self, from: &str) -> Result<(u64, u64), StoreError> {
        let (total, mine): (i64, i64) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN uploaded_from = $1 THEN size ELSE 0 END), 0) AS BIGINT) \
             FROM photos WHERE case_id IS NULL"
        )
        .bind(from)
        .fetch_one(pool)
        .await)?;
        Ok((total.max(0) as u64, mine.max(0) as u64))
    }

    /// Photos uploaded before `before_ms` that no complaint claimed (the citizen never sent
    /// it): their ids, at most `limit`.
    pub async fn unclaimed_photos(
        &self,
        before_ms: i64,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id FROM photos WHERE case_id IS NULL AND created_at <= $1 ORDER BY created_at LIMIT $2"
        )
        .bind(before_ms)
        .bind(limit)
        .fetch_all(pool)
        .await
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Forgets an unclaimed photo. `false`: a complaint claimed it meanwhile; it stays.
    pub async fn forget_unclaimed_photo(&self, id: &str) -> Result<bool, StoreError> {
        let deleted = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM photos WHERE id = $1 AND case_id IS NULL"
        )
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(deleted == 1)
    }

    pub async fn photo(&self, id: &str) -> Result<Option<PhotoRecord>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, case_id, kind, size FROM photos WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn photos_of_case(&self, case_id: i64) -> Result<Vec<PhotoRecord>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, case_id, kind, size FROM photos WHERE case_id = $1 ORDER BY created_at, id"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await)?)
    }

    pub async fn case_by_id(&self, id: i64) -> Result<Option<CaseRecord>, StoreError> {
        let sql = format!("{CASE_SELECT} WHERE c.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?)
    }

    /// The versions of several cases at once (one round trip for many tracking views):
    /// `(token hash, version, mail stopped)` for each hash that names a case.
    pub async fn case_versions_by_token_hashes(
        &self,
        hashes: &[String],
    ) -> Result<Vec<(String, i64, bool)>, StoreError> {
        if hashes.is_empty() {
            return Ok(Vec::new());
        }
        Ok(on_pool!(self, |pool| {
            let mut sql = QueryBuilder::new("SELECT token_hash, version, mail_stopped FROM cases WHERE token_hash IN (");
            let mut list = sql.separated(", ");
            for hash in hashes {
                list.push_bind(hash.as_str());
            }
            sql.push(")");
            sql.build_query_as().fetch_all(pool).await
        })?)
    }

    pub async fn case_by_token_hash(&self, hash: &str) -> Result<Option<CaseRecord>, StoreError> {
        let sql = format!("{CASE_SELECT} WHERE c.token_hash = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(hash)
            .fetch_optional(pool)
            .await)?)
    }

    /// The case's events in order; only the public ones for the citizen.
    pub async fn case_events(
        &self,
        case_id: i64,
        public_only: bool,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let sql = format!(
            "SELECT e.id, e.at, e.kind, e.from_status, e.to_status, e.public, e.body, e.detail, e.actor_id, \
             a.display_name AS actor_name, e.department_id, e.staff_id, s.display_name AS staff_name \
             FROM case_events e LEFT JOIN staff a ON a.id = e.actor_id LEFT JOIN staff s ON s.id = e.staff_id \
             WHERE e.case_id = $1 {} ORDER BY e.id",
            if public_only { "AND e.public" } else { "" }
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(case_id)
            .fetch_all(pool)
            .await)?)
    }

    /// The complaint filed with this submission key, if any.
    pub async fn case_id_by_submission(&self, key: &str) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id FROM cases WHERE submission_id = $1"
        )
        .bind(key)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|r| r.0))
    }

    /// Staff kept from a case, with why (`named`, `counter`, `marked`).
    pub async fn kept_away(&self, case_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT staff_id, why FROM case_named_staff WHERE case_id = $1 ORDER BY staff_id"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await)?)
    }

    pub async fn named_staff(&self, case_id: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT staff_id FROM case_named_staff WHERE case_id = $1"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn appeal_of_case(&self, case_id: i64) -> Result<Option<AppealRecord>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, rating_id, case_id, reason, status FROM rating_appeals WHERE case_id = $1"
        )
        .bind(case_id)
        .fetch_optional(pool)
        .await)?)
    }

    /// Applies a change and appends its event, in one transaction, only if the case is
    /// still at `expected_version`. `Ok(false)`: someone else changed it first; nothing
    /// was written.
    pub async fn apply_change(&self, u: &CaseUpdate) -> Result<bool, StoreError> {
        let (set_department, department) = split(u.holders.department_id);
        let (set_pending, pending) = split(u.holders.pending_department_id);
        let (set_before, before) = split(u.holders.status_before_transfer.map(|s| s.map(Status::code)));
        let (set_handler, handler) = split(u.holders.handler_id);
        let (set_due, due) = split(u.due_on.clone());
        let (set_reminded, reminded) = split(u.reminded_for.clone());
        let (set_transfer_due, transfer_due) = split(u.transfer_due_on.clone());
        let (set_paused, paused) = split(u.paused_days_left);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE cases SET status = $3, version = version + 1, updated_at = $4, \
                 department_id = CASE WHEN $5 THEN $6 ELSE department_id END, \
                 pending_department_id = CASE WHEN $7 THEN $8 ELSE pending_department_id END, \
                 status_before_transfer = CASE WHEN $9 THEN $10 ELSE status_before_transfer END, \
                 handler_id = CASE WHEN $11 THEN $12 ELSE handler_id END, \
                 first_responder_id = COALESCE($13, first_responder_id), \
                 escalated = COALESCE($14, escalated), \
                 due_on = CASE WHEN $15 THEN $16 ELSE due_on END, \
                 escalation_step = COALESCE($17, escalation_step), \
                 reminded_for = CASE WHEN $18 THEN $19 ELSE reminded_for END, \
                 transfer_due_on = CASE WHEN $20 THEN $21 ELSE transfer_due_on END, \
                 paused_days_left = CASE WHEN $22 THEN $23 ELSE paused_days_left END, \
                 mail_token = CASE WHEN $24 THEN NULL ELSE mail_token END \
                 WHERE id = $1 AND version = $2",
            )
            .bind(u.case_id)
            .bind(u.expected_version)
            .bind(u.to_status.code())
            .bind(u.now_ms)
            .bind(set_department)
            .bind(department)
            .bind(set_pending)
            .bind(pending)
            .bind(set_before)
            .bind(before)
            .bind(set_handler)
            .bind(handler)
            .bind(u.holders.first_responder_id)
            .bind(u.escalated)
            .bind(set_due)
            .bind(due)
            .bind(u.escalation_step)
            .bind(set_reminded)
            .bind(reminded)
            .bind(set_transfer_due)
            .bind(transfer_due)
            .bind(set_paused)
            .bind(paused)
            .bind(u.forget_mail_token)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO case_events (case_id, at, actor_id, kind, from_status, to_status, public, \
                 body, detail, department_id, staff_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(u.case_id)
            .bind(u.now_ms)
            .bind(u.actor_id)
            .bind(&u.action)
            .bind(u.from_status.code())
            .bind(u.to_status.code())
            .bind(u.public)
            .bind(u.body.as_deref())
            .bind(u.detail.as_deref())
            .bind(u.event_department_id)
            .bind(u.event_staff_id)
            .execute(&mut *tx)
            .await?;
            match &u.appeal {
                AppealChange::None => {}
                AppealChange::Open {
                    rating_id,
                    reason,
                    staff_id,
                } => {
                    sqlx::query(
                        "INSERT INTO rating_appeals (rating_id, case_id, staff_id, reason, created_at, \
                         status, counter_id, day, level) \
                         SELECT r.id, $2, $3, $4, $5, 'pending', r.counter_id, r.day, r.level \
                         FROM ratings r WHERE r.id = $1",
                    )
                    .bind(rating_id)
                    .bind(u.case_id)
                    .bind(staff_id)
                    .bind(reason)
                    .bind(u.now_ms)
                    .execute(&mut *tx)
                    .await?;
                }
                AppealChange::Decide { upheld, decided_by } => {
                    let decided = sqlx::query(
                        "UPDATE rating_appeals SET status = $2, decided_by = $3, decided_at = $4 \
                         WHERE case_id = $1 AND status = 'pending'",
                    )
                    .bind(u.case_id)
                    .bind(if *upheld { "upheld" } else { "dismissed" })
                    .bind(decided_by)
                    .bind(u.now_ms)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if decided != 1 {
                        tx.rollback().await?;
                        return Ok(false);
                    }
                }
            }
            if let Some(order) = &u.order {
                insert_order!(&mut *tx, u.case_id, order, u.now_ms)?;
            }
            if let Some(finding) = &u.finding {
                insert_finding!(&mut *tx, u.case_id, finding, u.now_ms)?;
            }
            if let Some(staff_id) = u.kept_away {
                sqlx::query(
                    "INSERT INTO case_named_staff (case_id, staff_id, why) VALUES ($1, $2, 'marked') ON CONFLICT DO NOTHING",
                )
                .bind(u.case_id)
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            }
            if !u.mails.is_empty() {
                let mails: Vec<_> = u.mails.iter().map(|m| (Some(u.case_id), m)).collect();
                insert_mails!(&mut *tx, &mails, u.now_ms)?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }

    /// The cases a viewer may list, newest deadlines first.
    pub async fn inbox(
        &self,
        viewer_id: i64,
        viewer_department: Option<i64>,
        visibility: Visibility,
        scope: Scope,
        q: &InboxQuery,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let visible = match visibility {
            Visibility::All => "TRUE",
            Visibility::Department => {
                "(c.department_id = $2 OR c.pending_department_id = $2 OR c.handler_id = $1 OR c.first_responder_id = $1)"
            }
            Visibility::OwnAndNew => {
                "(c.handler_id = $1 OR c.first_responder_id = $1 OR (c.department_id = $2 AND c.status = 'submitted'))"
            }
            Visibility::Nothing => "FALSE",
        };
        let scope = match scope {
            Scope::Mine => "(c.handler_id = $1 OR c.first_responder_id = $1)",
            Scope::Department => "(c.department_id = $2 OR c.pending_department_id = $2)",
            Scope::Escalated => "c.escalated AND c.status NOT IN ('closed', 'rejected')",
            Scope::Unrouted => "c.department_id IS NULL AND c.status NOT IN ('closed', 'rejected')",
            Scope::All => "TRUE",
        };
        let open = if q.open_only {
            "AND c.status NOT IN ('closed', 'rejected')"
        } else {
            ""
        };
        let sql = format!(
            "SELECT c.id, c.kind, c.status, c.category, c.department_id, co.code AS counter_code, \
             c.due_on, c.escalated, c.created_at \
             FROM cases c LEFT JOIN counters co ON co.id = c.counter_id \
             WHERE NOT EXISTS (SELECT 1 FROM case_named_staff n WHERE n.case_id = c.id AND n.staff_id = $1) \
             AND {visible} AND {scope} {open} \
             AND (CAST($3 AS TEXT) IS NULL OR c.status = $3) \
             AND (CAST($4 AS TEXT) IS NULL OR c.category = $4) \
             AND (CAST($5 AS TEXT) IS NULL OR c.kind = $5) \
             AND (CAST($6 AS TEXT) IS NULL OR (c.due_on IS NOT NULL AND c.due_on <= $6 \
                  AND c.status NOT IN ('closed', 'rejected'))) \
             ORDER BY c.due_on IS NULL, c.due_on, c.id DESC LIMIT 200"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(viewer_id)
            .bind(viewer_department)
            .bind(q.status.as_deref())
            .bind(q.category.as_deref())
            .bind(q.kind.as_deref())
            .bind(q.due_by.as_deref())
            .fetch_all(pool)
            .await)?)
    }

    pub async fn departments(&self) -> Result<Vec<PlaceRecord>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, code, name_zh_hant, name_zh_hans, name_en, retired_at FROM departments ORDER BY sort_order, code"
        )
        .fetch_all(pool)
        .await
        })?)
    }

    pub async fn halls(&self) -> Result<Vec<PlaceRecord>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, code, name_zh_hant, name_zh_hans, name_en, retired_at FROM halls ORDER BY sort_order, code"
        )
        .fetch_all(pool)
        .await
        })?)
    }

    /// Every staff member (for matching names in complaints and for assignment lists).
    pub async fn staff_briefs(&self) -> Result<Vec<StaffBrief>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, display_name, role, department_id, badge, active, counter_id FROM staff ORDER BY display_name, id"
        )
        .fetch_all(pool)
        .await
        })?)
    }

    pub async fn staff_brief(&self, id: i64) -> Result<Option<StaffBrief>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, display_name, role, department_id, badge, active, counter_id FROM staff WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }

    /// Notes that a staff member was shown a complainant's contact details.
    pub async fn log_contact_view(
        &self,
        case_id: i64,
        staff_id: i64,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO contact_views (case_id, staff_id, at) VALUES ($1, $2, $3)"
        )
        .bind(case_id)
        .bind(staff_id)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Who was shown the contact details of a case, and when, newest first.
    pub async fn contact_views(&self, case_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT s.display_name, v.at FROM contact_views v JOIN staff s ON s.id = v.staff_id \
             WHERE v.case_id = $1 ORDER BY v.id DESC"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await)?)
    }
}

/// `Some(x)` (set to x) as a flag and a value for `CASE WHEN flag THEN value`.
fn split<T: Default>(change: Option<T>) -> (bool, T) {
    match change {
        Some(value) => (true, value),
        None => (false, T::default()),
    }
}
