//! The open data: `/stats/export.csv` and `/stats/export.json`, for the same filters as
//! the statistics page. Streamed a month of rows at a time; revalidated by ETag. A download
//! streamed to its end is kept on disk under its ETag (`ExportFiles`), so the same numbers
//! asked again are read from that file, not from the database.

use super::message::locale_of;
use app::error::ApiError;
use app::state::AppState;
use app::stats::StatsFilter;
use app::stats::export::{COLUMNS, ExportPlan};
use app::stats::service::StatsError;
use axum::body::{Body, Bytes};
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
#[derive(Clone, Debug)]
pub struct ExportFiles {
    dir: Arc<PathBuf>,
}

const MAX_KEPT: usize = 32;

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
            if let Ok(modified) = entry.metadata().await.and_then(|m| m.modified()) {
                kept.push((modified, entry.path()));
            }
        }
        kept.sort_by(|a, b| b.0.cmp(&a.0));
        for (_, path) in kept.into_iter().skip(MAX_KEPT) {
            let _ = tokio::fs::remove_file(path).await;
        }
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
            Ok(file) => Body::from_stream(read_file(file)),
            Err(_) => Body::from_stream(keep_while_streaming(
                rows(state, plan, format),
                files,
                path.clone(),
            )),
        },
        None => Body::from_stream(rows(state, plan, format)),
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

enum Step {
    Head,
    /// The chunk of days to read next; past the last one, the tail.
    Chunk(usize),
    Done,
}

/// The download, piece by piece: the head (licence and columns), one piece per chunk of
/// days, then the tail. A storage failure midway ends the stream with an error, so the
/// reader gets a broken download, never a short file that looks whole.
fn rows(
    state: AppState,
    plan: Arc<ExportPlan>,
    format: Format,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    futures::stream::unfold((Step::Head, false), move |(step, any_row)| {
        let (state, plan) = (state.clone(), plan.clone());
        async move {
            match step {
                Step::Head => {
                    let licence = state.stats.licence();
                    let head = match format {
                        Format::Csv => format!("# Licence: {licence}\r\n{}\r\n", COLUMNS.join(",")),
                        Format::Json => format!(
                            "{{\"licence\":{},\"columns\":{},\"filter\":{},\"rows\":[",
                            serde_json::Value::from(licence),
                            serde_json::json!(COLUMNS),
                            serde_json::json!(plan.filter)
                        ),
                    };
                    Some((Ok(Bytes::from(head)), (Step::Chunk(0), any_row)))
                }
                Step::Chunk(i) if i < plan.chunks() => {
                    match state.stats.export_chunk(&plan, i).await {
                        Ok(rows) => {
                            let mut out = String::with_capacity(rows.len() * 64);
                            let mut any = any_row;
                            for row in &rows {
                                match format {
                                    Format::Csv => out.push_str(&row.csv()),
                                    Format::Json => {
                                        if any {
                                            out.push(',');
                                        }
                                        out.push_str(&row.json().to_string());
                                    }
                                }
                                any = true;
                            }
                            Some((Ok(Bytes::from(out)), (Step::Chunk(i + 1), any)))
                        }
                        Err(error) => {
                            tracing::error!(?error, "open data: storage failed midway");
                            Some((
                                Err(std::io::Error::other("storage failed")),
                                (Step::Done, any_row),
                            ))
                        }
                    }
                }
                Step::Chunk(_) => {
                    let tail = match format {
                        Format::Csv => String::new(),
                        Format::Json => "]}\n".to_string(),
                    };
                    Some((Ok(Bytes::from(tail)), (Step::Done, any_row)))
                }
                Step::Done => None,
            }
        }
    })
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
