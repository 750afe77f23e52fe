//! The open data: `/stats/export.csv` and `/stats/export.json`, for the same filters as
//! the statistics page. Streamed a month of rows at a time; revalidated by ETag. A download
//! streamed to its end is kept on disk under its ETag (`ExportFiles`), so the same numbers
//! asked again are read from that file, not from the database.

use super::download::streamed;
use super::message::locale_of;
use app::error::ApiError;
use app::state::AppState;
use app::stats::StatsFilter;
use app::stats::export::{COLUMNS, ExportPlan, ExportRow};
use app::stats::service::StatsError;
use app::store::StoreError;
use chrono::NaiveDate;
use axum::body::Bytes;
use axum::extract::{Extension, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Finished downloads, kept in a folder by ETag and format: the ETag names the numbers
/// (filter, days counted, appeals upheld, licence), so a kept file is right for as long as
/// its ETag is. The newest `MAX_KEPT` are kept; a download cut short is never kept.
///
/// Under `days/{rows version}/` the same folder keeps each day of the whole centre's rows
/// rendered (`{day}.csv`, `{day}.json`), once the day is over: a new download of any range
/// is then mostly files joined, not rows read and formatted. `prepare` renders the last
/// year's days ahead, in the background.
#[derive(Clone, Debug)]
pub struct ExportFiles {
    dir: Arc<PathBuf>,
}

const MAX_KEPT: usize = 32;

/// The days `prepare` keeps rendered: a year and a day, the longest range the page offers
/// by default.
pub const PREPARED_DAYS: u64 = 367;

impl ExportFiles {
    /// Opens (creating) the folder and empties it of what an earlier server kept: the
    /// database may have been replaced since, and an ETag does not name the database.
    pub fn new(dir: impl AsRef<Path>) -> std::io::Result<ExportFiles> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir)?;
        for entry in std::fs::read_dir(&dir)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.ends_with(".part")
                || name
                    .strip_suffix(".csv")
                    .or_else(|| name.strip_suffix(".json"))
                    .is_some_and(|stem| stem.bytes().all(|b| b.is_ascii_hexdigit()));
            if ours {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        // Pieces kept by an earlier run may be of another database. Another server sharing
        // the folder may be writing into it as this runs, so a piece left behind is logged,
        // not fatal: `prepare` checks every kept piece's key against the ratings anyway.
        match std::fs::remove_dir_all(dir.join("days")) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                tracing::warn!(%error, "could not clear the open data's kept days");
            }
            _ => {}
        }
        Ok(ExportFiles { dir: Arc::new(dir) })
    }

    fn path(&self, etag: &str, format: Format) -> Option<PathBuf> {
        let name = etag.trim_matches('"');
        // The ETag is hex made here; anything else is never a file name.
        (!name.is_empty() && name.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| self.dir.join(format!("{name}.{}", format.ext())))
    }

    /// Keeps the newest files only.
    async fn prune(&self) {
        let Ok(mut entries) = tokio::fs::read_dir(self.dir.as_ref()).await else {
            return;
        };
        let mut kept = Vec::new();
        while let Ok(Some(entry)) = entries.next_entry().await {
            if entry.file_name().to_string_lossy().ends_with(".part") {
                continue;
            }
            if let Ok(meta) = entry.metadata().await
                && meta.is_file()
                && let Ok(modified) = meta.modified()
            {
                kept.push((modified, entry.path()));
            }
        }
        kept.sort_by(|a, b| b.0.cmp(&a.0));
        for (_, path) in kept.into_iter().skip(MAX_KEPT) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }

    fn day_path(&self, plan: &ExportPlan, day: NaiveDate, format: Format) -> PathBuf {
        self.dir
            .join("days")
            .join(plan.rows_version())
            .join(format!("{}.{}.{}", day.format("%Y-%m-%d"), plan.day_key(day), format.ext()))
    }

    /// One day of the whole centre's rows, rendered: read from its kept piece, or from the
    /// database (and kept, if the day is over).
    async fn day(
        &self,
        state: &AppState,
        plan: &ExportPlan,
        day: NaiveDate,
        format: Format,
    ) -> Result<Bytes, StoreError> {
        let path = self.day_path(plan, day, format);
        if let Ok(bytes) = tokio::fs::read(&path).await {
            return Ok(Bytes::from(bytes));
        }
        let rows = state.stats.export_day(plan, day).await?;
        let piece = render(&rows, format);
        if state.stats.day_is_settled(day) {
            keep(&path, &piece).await;
        }
        Ok(Bytes::from(piece))
    }

    /// Renders every day of the last `PREPARED_DAYS` not rendered yet, in both formats, and
    /// removes the pieces of other rows versions (an appeal upheld, a code changed). Returns
    /// the days rendered.
    pub async fn prepare(&self, state: &AppState) -> Result<usize, StatsError> {
        let plan = state.stats.recent_days_plan(PREPARED_DAYS).await?;
        let days = self.dir.join("days");
        if let Ok(mut entries) = tokio::fs::read_dir(&days).await {
            while let Ok(Some(entry)) = entries.next_entry().await {
                if entry.file_name().to_string_lossy() != plan.rows_version() {
                    let _ = tokio::fs::remove_dir_all(entry.path()).await;
                }
            }
        }
        // One listing of what is kept: days rendered before ratings were loaded for them
        // (their key changed) go, the rest need not be rendered again.
        let mut kept = std::collections::HashSet::new();
        if let Ok(mut entries) = tokio::fs::read_dir(days.join(plan.rows_version())).await {
            while let Ok(Some(entry)) = entries.next_entry().await {
                let name = entry.file_name().to_string_lossy().into_owned();
                let mut parts = name.split('.');
                let (Some(day), Some(key)) = (parts.next(), parts.next()) else { continue };
                let in_plan = day >= plan.first.as_str() && day <= plan.last.as_str();
                let stale = NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map_or(true, |day| in_plan && key != plan.day_key(day));
                if stale {
                    let _ = tokio::fs::remove_file(entry.path()).await;
                } else {
                    kept.insert(entry.path());
                }
            }
        }
        let mut rendered = 0;
        for day in plan.days().into_iter().rev() {
            if !state.stats.day_is_settled(day) {
                continue;
            }
            let missing: Vec<Format> = [Format::Csv, Format::Json]
                .into_iter()
                .filter(|format| !kept.contains(&self.day_path(&plan, day, *format)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let rows = state.stats.export_day(&plan, day).await?;
            for format in missing {
                keep(&self.day_path(&plan, day, format), &render(&rows, format)).await;
            }
            rendered += 1;
        }
        Ok(rendered)
    }
}

/// Writes a piece whole or not at all (a part file renamed); a failure only means it is not
/// kept.
async fn keep(path: &Path, bytes: &[u8]) {
    let Some(folder) = path.parent() else { return };
    if tokio::fs::create_dir_all(folder).await.is_err() {
        return;
    }
    let part = PathBuf::from(format!("{}.{:016x}.part", path.display(), rand::random::<u64>()));
    if tokio::fs::write(&part, bytes).await.is_err() || tokio::fs::rename(&part, path).await.is_err() {
        let _ = tokio::fs::remove_file(&part).await;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

pub async fn csv(
    State(state): State<AppState>,
    Extension(files): Extension<ExportFiles>,
    Query(filter): Query<StatsFilter>,
    headers: HeaderMap,
) -> Response {
    export(state, files, filter, headers, Format::Csv).await
}

pub async fn json(
    State(state): State<AppState>,
    Extension(files): Extension<ExportFiles>,
    Query(filter): Query<StatsFilter>,
    headers: HeaderMap,
) -> Response {
    export(state, files, filter, headers, Format::Json).await
}

/// A refused filter, in the reader's language, as text or JSON.
fn refused(headers: &HeaderMap, error: ApiError, format: Format) -> Response {
    let s = locale_of(headers).strings();
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let messages: Vec<&str> = match &error {
        ApiError::Invalid(fields) => fields.0.iter().map(|(_, p)| p.message(s)).collect(),
        _ => Vec::new(),
    };
    let message = if messages.is_empty() {
        error.message(s)
    } else {
        messages.join(" ")
    };
    match format {
        Format::Json => (
            status,
            [(CONTENT_TYPE, "application/json")],
            serde_json::json!({ "error": message }).to_string(),
        )
            .into_response(),
        Format::Csv => (
            status,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{message}\n"),
        )
            .into_response(),
    }
}

async fn export(
    state: AppState,
    files: ExportFiles,
    filter: StatsFilter,
    headers: HeaderMap,
    format: Format,
) -> Response {
    let plan = match state.stats.export_plan(&filter).await {
        Ok(plan) => Arc::new(plan),
        // A bad filter is the reader's mistake: 400, whatever the page would say.
        Err(StatsError::Invalid(errors)) => {
            let mut response = refused(&headers, ApiError::Invalid(errors), format);
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return response;
        }
        Err(StatsError::Store(error)) => {
            tracing::error!(?error, "open data: storage failed");
            return refused(&headers, ApiError::Unavailable, format);
        }
    };
    let etag = HeaderValue::from_str(&plan.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = HeaderValue::from_static("public, no-cache");
    let matches = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == plan.etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag), (CACHE_CONTROL, cache)]).into_response();
    }
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Json => "application/json",
    };
    let ext = format.ext();
    let disposition = format!(
        "attachment; filename=\"counterpoint-ratings-{}-{}.{ext}\"",
        plan.first, plan.last
    );
    let kept = files.path(&plan.etag, format);
    let body = match &kept {
        Some(path) => match tokio::fs::File::open(path).await {
            Ok(file) => streamed(read_file(file)),
            Err(_) => streamed(keep_while_streaming(
                rows(state, files.clone(), plan, format),
                files,
                path.clone(),
            )),
        },
        None => streamed(rows(state, files, plan, format)),
    };
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (ETAG, etag),
            (CACHE_CONTROL, cache),
            (
                CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

/// The download, piece by piece: the head (licence and columns), the rows, then the tail.
/// The whole centre's rows come a day at a time, each day over read from (or kept as) its
/// rendered piece; narrower downloads a chunk of days at a time from the database. A
/// storage failure midway ends the stream with an error, so the reader gets a broken
/// download, never a short file that looks whole.
fn rows(
    state: AppState,
    files: ExportFiles,
    plan: Arc<ExportPlan>,
    format: Format,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    use futures::StreamExt;
    let licence = state.stats.licence().to_string();
    let head = match format {
        Format::Csv => format!("# Licence: {licence}\r\n{}\r\n", COLUMNS.join(",")),
        Format::Json => format!(
            "{{\"licence\":{},\"columns\":{},\"filter\":{},\"rows\":[",
            serde_json::Value::from(licence),
            serde_json::json!(COLUMNS),
            serde_json::json!(plan.filter)
        ),
    };
    let tail = match format {
        Format::Csv => "",
        Format::Json => "]}\n",
    };
    let by_day = plan.by_day();
    let days = Arc::new(if by_day { plan.days() } else { Vec::new() });
    let pieces = if by_day { days.len() } else { plan.chunks() };
    // (next piece, a row sent yet, failed)
    let body = futures::stream::unfold((0usize, false, false), move |(i, any_row, failed)| {
        let (state, files, plan, days) = (state.clone(), files.clone(), plan.clone(), days.clone());
        async move {
            if failed || i >= pieces {
                return None;
            }
            let piece = if plan.by_day() {
                files.day(&state, &plan, days[i], format).await
            } else {
                state
                    .stats
                    .export_chunk(&plan, i)
                    .await
                    .map(|rows| Bytes::from(render(&rows, format)))
            };
            match piece {
                // JSON rows are joined by commas across pieces too.
                Ok(piece) if format == Format::Json && any_row && !piece.is_empty() => {
                    let mut joined = Vec::with_capacity(piece.len() + 1);
                    joined.push(b',');
                    joined.extend_from_slice(&piece);
                    Some((Ok(Bytes::from(joined)), (i + 1, true, false)))
                }
                Ok(piece) => {
                    let any = any_row || !piece.is_empty();
                    Some((Ok(piece), (i + 1, any, false)))
                }
                Err(error) => {
                    tracing::error!(?error, "open data: storage failed midway");
                    Some((Err(std::io::Error::other("storage failed")), (i, any_row, true)))
                }
            }
        }
    });
    // A day is ~21 KB: sent one by one, a year was 365 writes to the socket (and to the
    // kept file), each a round of the stream; joined in runs of days, a few dozen.
    let run = if by_day { DAYS_PER_WRITE } else { 1 };
    let body = body.chunks(run).map(|pieces| {
        if pieces.len() == 1 {
            return pieces.into_iter().next().unwrap_or(Ok(Bytes::new()));
        }
        let mut joined = Vec::with_capacity(pieces.iter().map(|p| p.as_ref().map_or(0, Bytes::len)).sum());
        for piece in pieces {
            joined.extend_from_slice(&piece?);
        }
        Ok(Bytes::from(joined))
    });
    futures::stream::once(async move { Ok(Bytes::from(head)) })
        .chain(body)
        .chain(futures::stream::once(async move { Ok(Bytes::from_static(tail.as_bytes())) }))
}

/// Days of the whole centre's rows sent in one write.
const DAYS_PER_WRITE: usize = 16;

/// Rows as the download holds them: CSV lines, or JSON objects joined by commas.
fn render(rows: &[ExportRow], format: Format) -> Vec<u8> {
    let mut out = String::with_capacity(rows.len() * 96);
    for (n, row) in rows.iter().enumerate() {
        match format {
            Format::Csv => out.push_str(&row.csv()),
            Format::Json => {
                if n > 0 {
                    out.push(',');
                }
                out.push_str(&row.json().to_string());
            }
        }
    }
    out.into_bytes()
}

/// A kept download, read a piece at a time.
fn read_file(file: tokio::fs::File) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 256 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), Some(file)))
            }
            Err(error) => Some((Err(error), None)),
        }
    })
}

/// Passes a download on while writing it to `target.part`; once it ended whole, the part
/// becomes `target`. A failure to write only means the download is not kept.
fn keep_while_streaming(
    inner: impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    files: ExportFiles,
    target: PathBuf,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    use futures::StreamExt;
    let part = PathBuf::from(format!("{}.{:016x}.part", target.display(), rand::random::<u64>()));
    let state = (Box::pin(inner), None::<tokio::fs::File>, false, part, target, files);
    futures::stream::unfold(Some(state), |state| async move {
        let (mut inner, mut file, mut failed, part, target, files) = state?;
        match inner.next().await {
            Some(Ok(bytes)) => {
                if !failed {
                    if file.is_none() {
                        file = tokio::fs::File::create(&part).await.ok();
                    }
                    let written = match file.as_mut() {
                        Some(f) => f.write_all(&bytes).await.is_ok(),
                        None => false,
                    };
                    if !written {
                        failed = true;
                        file = None;
                        let _ = tokio::fs::remove_file(&part).await;
                    }
                }
                Some((Ok(bytes), Some((inner, file, failed, part, target, files))))
            }
            Some(Err(error)) => {
                drop(file);
                let _ = tokio::fs::remove_file(&part).await;
                Some((Err(error), None))
            }
            None => {
                if let Some(mut f) = file
                    && !failed
                {
                    if f.flush().await.is_ok() && tokio::fs::rename(&part, &target).await.is_ok() {
                        files.prune().await;
                    } else {
                        let _ = tokio::fs::remove_file(&part).await;
                    }
                }
                None
            }
        }
    })
}
