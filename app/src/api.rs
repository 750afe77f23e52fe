//! Server functions: thin doors from the pages to the services.
//!
//! Each gets the state from context, calls one service, and maps its error to `ApiError`.
//! The HTTP status of an error is set from `ApiError::status` by the server's middleware.

use crate::domain::RatingForm;
use crate::error::ApiError;
use crate::i18n::Localized;
use crate::views::{CounterLink, HallGroup};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A counter as its rating page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterPage {
    pub code: String,
    pub name: Localized,
    pub hall: Localized,
    pub department: Localized,
    pub department_code: String,
    pub ratings: u64,
    pub good_percent: Option<u32>,
    /// A retired counter's page says where to go instead (its QR sticker may still be up).
    pub retired: Option<Retired>,
}

/// Where the people of a retired counter should go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retired {
    pub replacement: Option<CounterLink>,
}

/// The signed-in staff member, as the staff pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub display_name: String,
    pub username: String,
    pub role: crate::domain::Role,
    pub department: Option<Localized>,
    /// Repeated by every staff form; a POST without it is refused.
    pub csrf_token: String,
}

/// Name of the staff session cookie over plain http (behind https it is `__Host-`
/// prefixed: see `staff::auth::SessionPolicy`).
pub const STAFF_COOKIE: &str = "cp_staff";

#[cfg(feature = "ssr")]
fn state() -> Result<crate::state::AppState, ApiError> {
    use_context::<crate::state::AppState>().ok_or(ApiError::Unavailable)
}

#[cfg(feature = "ssr")]
fn unavailable(error: impl std::fmt::Debug) -> ApiError {
    tracing::error!(?error, "storage failed");
    ApiError::Unavailable
}

#[cfg(feature = "ssr")]
impl From<crate::rating::RatingError> for ApiError {
    fn from(e: crate::rating::RatingError) -> Self {
        use crate::rating::RatingError;
        match e {
            RatingError::UnknownCounter => ApiError::NotFound,
            RatingError::Invalid(errors) => ApiError::Invalid(errors),
            RatingError::Unavailable => ApiError::Unavailable,
            RatingError::Forbidden => ApiError::Forbidden,
        }
    }
}

/// The open counters, grouped by hall and department, for the home page.
#[server(endpoint = "directory", input = GetUrl)]
pub async fn load_directory() -> Result<Vec<HallGroup>, ApiError> {
    let rows = state()?.store.directory().await.map_err(unavailable)?;
    Ok(crate::directory::group(rows))
}

/// A counter's rating page data; `NotFound` for an unknown code. A retired counter comes
/// back marked so, with the counter to go to instead.
#[server(endpoint = "counter", input = GetUrl)]
pub async fn load_counter(code: String) -> Result<CounterPage, ApiError> {
    let state = state()?;
    let counter = match state.ratings.open_counter(&code).await {
        Ok(counter) => counter,
        Err(crate::rating::RatingError::UnknownCounter) => {
            let Some(retired) = state.ratings.retired_counter(&code).await? else {
                return Err(ApiError::NotFound);
            };
            let replacement = match &retired.replaced_by {
                Some(other) => state.ratings.open_counter(other).await.ok().map(|c| CounterLink {
                    code: c.code.clone(),
                    name: c.name.clone(),
                }),
                None => None,
            };
            return Ok(CounterPage {
                code: retired.code.clone(),
                name: retired.name.clone(),
                hall: retired.hall.clone(),
                department: retired.department.clone(),
                department_code: retired.department_code.clone(),
                ratings: 0,
                good_percent: None,
                retired: Some(Retired { replacement }),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let totals = state
        .store
        .totals_of_counter(counter.id, &state.ratings.today())
        .await
        .map_err(unavailable)?;
    Ok(CounterPage {
        code: counter.code.clone(),
        name: counter.name.clone(),
        hall: counter.hall.clone(),
        department: counter.department.clone(),
        department_code: counter.department_code.clone(),
        ratings: totals.count(),
        good_percent: totals.good_percent(),
        retired: None,
    })
}

/// Stores a rating. Used by the hydrated page; without JavaScript the form posts to
/// `/c/{code}` and the server calls the same service.
#[server(endpoint = "rate")]
pub async fn submit_rating(code: String, form: RatingForm) -> Result<(), ApiError> {
    let source = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::rating::Source>().copied())
        .unwrap_or_default();
    state()?.ratings.submit(&code, &form, source).await?;
    Ok(())
}

/// The public statistics for one filter (the page's URL query).
#[server(endpoint = "stats", input = GetUrl)]
pub async fn load_stats(
    period: String,
    at: String,
    from: String,
    to: String,
    level: String,
    unit: String,
) -> Result<crate::stats::StatsAnswer, ApiError> {
    use crate::stats::StatsAnswer;
    use crate::stats::service::{StatsError, unit_options};
    let state = state()?;
    let filter = crate::stats::StatsFilter {
        period,
        at,
        from,
        to,
        level,
        unit,
    };
    match state.stats.view(&filter).await {
        Ok(view) => Ok(StatsAnswer::Shown(Box::new(view))),
        Err(StatsError::Invalid(errors)) => {
            let places = state.stats.places().await.map_err(unavailable)?;
            Ok(StatsAnswer::Refused {
                filter,
                errors,
                units: unit_options(&places),
            })
        }
        Err(StatsError::Store(error)) => Err(unavailable(error)),
    }
}

/// The administration page (administrators).
#[server(endpoint = "admin", input = GetUrl)]
pub async fn load_admin() -> Result<Option<(StaffView, crate::admin::AdminView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state.admin.overview(&crate::cases::actor_of(&me)).await?;
    Ok(Some((staff_view(me), view)))
}

/// The public service guide: every department's service items, or one department's
/// (`department` = its code; empty: all). A department that does not exist is "not
/// found"; one without items yet gets an empty guide.
#[server(endpoint = "guide", input = GetUrl)]
pub async fn load_guide(department: String) -> Result<crate::guide::GuideView, ApiError> {
    let state = state()?;
    let items: Vec<crate::guide::GuideItem> = state
        .store
        .service_items()
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(Into::into)
        .collect();
    let departments: Vec<(String, crate::i18n::Localized)> = state
        .store
        .departments()
        .await
        .map_err(unavailable)?
        .iter()
        .filter(|d| d.is_open())
        .map(|d| (d.code.clone(), d.name()))
        .collect();
    let chosen = department.trim().to_ascii_uppercase();
    if chosen.is_empty() {
        return Ok(crate::guide::GuideView { departments, department: None, items });
    }
    if !departments.iter().any(|(code, _)| *code == chosen) {
        return Err(ApiError::NotFound);
    }
    let items = items.into_iter().filter(|i| i.department_code == chosen).collect();
    Ok(crate::guide::GuideView { departments, department: Some(chosen), items })
}

/// The service items for administrators to change, with the departments to choose from.
#[server(endpoint = "admin_services", input = GetUrl)]
pub async fn load_admin_services() -> Result<Option<(StaffView, crate::admin::ServicesView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state.admin.services(&crate::cases::actor_of(&me)).await?;
    Ok(Some((staff_view(me), view)))
}

/// The time limits of case handling (administrators).
#[server(endpoint = "admin_limits", input = GetUrl)]
pub async fn load_time_limits() -> Result<Option<(StaffView, crate::admin::limits::TimeLimitsView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state.admin.time_limits(&crate::cases::actor_of(&me)).await?;
    Ok(Some((staff_view(me), view)))
}

/// Staff accounts (administrators).
#[server(endpoint = "admin_staff", input = GetUrl)]
pub async fn load_accounts() -> Result<Option<(StaffView, crate::admin::AccountsView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state.admin.accounts(&crate::cases::actor_of(&me), &me.username).await?;
    Ok(Some((staff_view(me), view)))
}

/// The intake page's data: the directory to name a place from (department heads and the
/// supervision bureau).
#[server(endpoint = "intake", input = GetUrl)]
pub async fn load_intake() -> Result<Option<(StaffView, Vec<HallGroup>)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    if !crate::domain::intake::may_take_in(me.role) {
        return Err(ApiError::Forbidden);
    }
    let rows = state.store.directory().await.map_err(unavailable)?;
    Ok(Some((staff_view(me), crate::directory::group(rows))))
}

/// The channels that file complaints through Open311 (administrators).
#[server(endpoint = "admin_channels", input = GetUrl)]
pub async fn load_channels() -> Result<Option<(StaffView, crate::admin::channels::ChannelsView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state.admin.channels(&crate::cases::actor_of(&me)).await?;
    Ok(Some((staff_view(me), view)))
}

/// A hall's printable QR sheet (administrators).
#[server(endpoint = "qr_sheet", input = GetUrl)]
pub async fn load_qr_sheet(hall: String) -> Result<Option<(StaffView, crate::admin::QrSheet)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let sheet = state.admin.qr_sheet(&crate::cases::actor_of(&me), &hall).await?;
    Ok(Some((staff_view(me), sheet)))
}

#[cfg(feature = "ssr")]
impl From<crate::admin::service::AdminError> for ApiError {
    fn from(e: crate::admin::service::AdminError) -> Self {
        use crate::admin::service::AdminError;
        match e {
            AdminError::Forbidden => ApiError::Forbidden,
            AdminError::NotFound => ApiError::NotFound,
            AdminError::Invalid(errors) => ApiError::Invalid(errors),
            AdminError::Store(error) => unavailable(error),
        }
    }
}

/// The staff member signed in on this request, if any.
#[cfg(feature = "ssr")]
async fn signed_in(
    state: &crate::state::AppState,
) -> Result<Option<crate::staff::SignedIn>, ApiError> {
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp_millis();
    state
        .staff
        .signed_in(&parts.headers, now)
        .await
        .map_err(unavailable)
}

#[cfg(feature = "ssr")]
impl From<crate::cases::CaseError> for ApiError {
    fn from(e: crate::cases::CaseError) -> Self {
        use crate::cases::CaseError;
        match e {
            CaseError::NotFound => ApiError::NotFound,
            CaseError::Forbidden => ApiError::Forbidden,
            CaseError::Invalid(errors) => ApiError::Invalid(errors),
            CaseError::Changed => ApiError::CaseChanged,
            CaseError::Unavailable => ApiError::Unavailable,
        }
    }
}

/// A complaint's tracking page, by its token. `NotFound` for any token that is not one.
#[server(endpoint = "track", input = GetUrl)]
pub async fn load_track(token: String) -> Result<crate::views::TrackView, ApiError> {
    Ok(state()?.cases.track(&token).await?)
}

/// The signed-in staff member's inbox. `None`: nobody is signed in.
#[server(endpoint = "inbox", input = GetUrl)]
pub async fn load_inbox(
    filter: crate::views::InboxFilter,
) -> Result<Option<(StaffView, crate::views::InboxView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let inbox = state
        .cases
        .inbox(&crate::cases::actor_of(&me), &filter)
        .await?;
    Ok(Some((staff_view(me), inbox)))
}

/// A case as the signed-in staff member may see it. `None`: nobody is signed in. The
/// complainant's contact details only in the page the server renders for the reveal POST
/// (see `RevealContact`), never through this endpoint's GET.
#[server(endpoint = "case", input = GetUrl)]
pub async fn load_case(id: i64) -> Result<Option<crate::views::CaseView>, ApiError> {
    let contact = use_context::<crate::views::RevealContact>().is_some();
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let mut view = state
        .cases
        .case_for(&crate::cases::actor_of(&me), id, contact)
        .await?;
    view.csrf_token = me.csrf_token.clone();
    view.viewer = me.display_name.clone();
    Ok(Some(view))
}

/// Supervision orders for the signed-in supervisor or head.
#[server(endpoint = "orders", input = GetUrl)]
pub async fn load_orders(
    open_only: bool,
) -> Result<Option<(StaffView, crate::views::OrdersView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state
        .cases
        .orders(&crate::cases::actor_of(&me), open_only)
        .await?;
    Ok(Some((staff_view(me), view)))
}

/// A department's accountability page (id 0: the viewer's own, or the first).
#[server(endpoint = "department", input = GetUrl)]
pub async fn load_department(
    id: i64,
    from: String,
    to: String,
) -> Result<Option<(StaffView, crate::views::DepartmentView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state
        .cases
        .department_report(&crate::cases::actor_of(&me), id, &from, &to)
        .await?;
    Ok(Some((staff_view(me), view)))
}

/// The working-day calendar page.
#[server(endpoint = "calendar", input = GetUrl)]
pub async fn load_calendar_page() -> Result<Option<(StaffView, crate::views::CalendarView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state
        .cases
        .calendar_view(&crate::cases::actor_of(&me))
        .await?;
    Ok(Some((staff_view(me), view)))
}

/// The queue of held ratings (the supervision bureau).
#[server(endpoint = "holds", input = GetUrl)]
pub async fn load_holds_page() -> Result<Option<(StaffView, crate::views::HoldsView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state.ratings.holds_view(&crate::cases::actor_of(&me)).await?;
    Ok(Some((staff_view(me), view)))
}

/// The outbox page (administrators).
#[server(endpoint = "mail", input = GetUrl)]
pub async fn load_mail_page() -> Result<Option<(StaffView, crate::views::MailView)>, ApiError> {
    let state = state()?;
    let Some(me) = signed_in(&state).await? else {
        return Ok(None);
    };
    let view = state.cases.mail_view(&crate::cases::actor_of(&me)).await?;
    Ok(Some((staff_view(me), view)))
}

#[cfg(feature = "ssr")]
fn staff_view(m: crate::staff::SignedIn) -> StaffView {
    StaffView {
        display_name: m.display_name,
        username: m.username,
        role: m.role,
        department: m.department,
        csrf_token: m.csrf_token,
    }
}

/// Who is signed in on this request, if anyone.
/// The signed-in staff member's own password page, also for one who must replace a password
/// an administrator set. `None`: nobody is signed in.
#[server(endpoint = "own_password", input = GetUrl)]
pub async fn load_own_password() -> Result<Option<crate::views::OwnPasswordView>, ApiError> {
    let state = state()?;
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp_millis();
    let me = state
        .staff
        .signed_in_for(&parts.headers, now, crate::staff::auth::FirstStep::NewPassword)
        .await
        .map_err(unavailable)?;
    Ok(me.map(|(_, m)| crate::views::OwnPasswordView {
        display_name: m.display_name,
        username: m.username,
        must_change: m.first_step == Some(crate::staff::auth::FirstStep::NewPassword),
        csrf_token: m.csrf_token,
    }))
}

/// The signed-in staff member's second-factor page, also for one whose role requires a
/// second factor they have not set up yet. `None`: nobody is signed in.
#[server(endpoint = "second_factor", input = GetUrl)]
pub async fn load_second_factor() -> Result<Option<crate::views::SecondFactorView>, ApiError> {
    use crate::staff::auth::FirstStep;
    let state = state()?;
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp_millis();
    let Some((_, me)) = state
        .staff
        .signed_in_for(&parts.headers, now, FirstStep::SecondFactor)
        .await
        .map_err(unavailable)?
    else {
        return Ok(None);
    };
    let (on, codes_left) = state.staff.second_factor_state(&me).await.map_err(unavailable)?;
    let required = state.staff.second_factor_required(me.role).await.map_err(unavailable)?;
    Ok(Some(crate::views::SecondFactorView {
        display_name: me.display_name,
        required,
        on,
        codes_left,
        csrf_token: me.csrf_token,
    }))
}

/// The CSRF token of this request's session, if it waits for the code of its second factor.
#[server(endpoint = "awaiting_code", input = GetUrl)]
pub async fn load_awaiting_code() -> Result<Option<String>, ApiError> {
    use crate::staff::auth::FirstStep;
    let state = state()?;
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp_millis();
    let me = state.staff.signed_in_any(&parts.headers, now).await.map_err(unavailable)?;
    Ok(me.filter(|(_, me)| me.first_step == Some(FirstStep::Code)).map(|(_, me)| me.csrf_token))
}

#[server(endpoint = "me", input = GetUrl)]
pub async fn current_staff() -> Result<Option<StaffView>, ApiError> {
    let state = state()?;
    let me = signed_in(&state).await?;
    Ok(me.map(|m| StaffView {
        display_name: m.display_name,
        username: m.username,
        role: m.role,
        department: m.department,
        csrf_token: m.csrf_token,
    }))
}

/// The public record now: its number of entries, its newest hash, today's entries so far
/// and the latest daily digests (`/transparency`).
#[server(endpoint = "transparency", input = GetUrl)]
pub async fn load_transparency() -> Result<crate::transparency::TransparencyView, ApiError> {
    let state = state()?;
    let (entries, head) = state.store.ledger_head().await.map_err(unavailable)?;
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let today = state.store.ledger_day_so_far(&today).await.map_err(unavailable)?;
    let digests = state
        .store
        .ledger_digests(crate::transparency::DIGESTS_ON_PAGE)
        .await
        .map_err(unavailable)?;
    let l = state.ratings.limits();
    let hold_limits = [l.per_device, l.per_address, l.per_counter, l.burst_floor, l.burst_factor];
    Ok(crate::transparency::TransparencyView { entries, head, today, digests, hold_limits })
}

/// A day's entries for the check the page runs in the browser, with the digest to check
/// them against: a finished day's published one, or for today (UTC) the head before its
/// first entry and its newest. A day that does not parse: 400; any other day without a
/// published digest: 404.
#[server(endpoint = "ledger_day", input = GetUrl)]
pub async fn load_ledger_day(day: String) -> Result<crate::transparency::DayToCheck, ApiError> {
    use crate::transparency::{DayDigest, DayToCheck, GENESIS_PREVIOUS};
    let state = state()?;
    let day = crate::transparency::parse_day(&day).ok_or(ApiError::BadRequest)?;
    if let Some(digest) = state.store.ledger_digest(&day).await.map_err(unavailable)? {
        let entries = state.store.ledger_day(&day).await.map_err(unavailable)?;
        return Ok(DayToCheck { digest, entries, finished: true });
    }
    if day != chrono::Utc::now().format("%Y-%m-%d").to_string() {
        return Err(ApiError::NotFound);
    }
    // Today so far: the entries as read, between the hash before the first and the last.
    let entries = state.store.ledger_day(&day).await.map_err(unavailable)?;
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Err(ApiError::NotFound);
    };
    let previous_head = match first.id {
        1 => GENESIS_PREVIOUS.to_string(),
        id => state.store.ledger_hash(id - 1).await.map_err(unavailable)?.unwrap_or_default(),
    };
    let digest = DayDigest {
        day: day.clone(),
        entries: entries.len() as i64,
        first_id: first.id,
        last_id: last.id,
        previous_head,
        head: last.hash.clone(),
    };
    Ok(DayToCheck { digest, entries, finished: false })
}
