//! What the county IT office runs besides the server: migrations, the first
//! administrator, backups and restores. Each is a subcommand of `server` (see `main.rs`).

use crate::config::Config;
use app::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The database file inside a backup folder, by backend.
const SQLITE_FILE: &str = "counterpoint.db";
const POSTGRES_FILE: &str = "counterpoint.pgdump";
/// The photo folder inside a backup folder.
const PHOTOS: &str = "photos";

/// An operator's command that could not be done, in words for the terminal.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OperationError(pub String);

impl OperationError {
    fn new(text: impl Into<String>) -> Self {
        OperationError(text.into())
    }
}

fn io(context: &str, path: &Path) -> impl FnOnce(std::io::Error) -> OperationError {
    let what = format!("{context} {}", path.display());
    move |e| OperationError(format!("{what}: {e}"))
}

/// Opens the configured database, migrating it; names the setting when it cannot.
pub async fn open(config: &Config) -> Result<Store, OperationError> {
    Store::connect(&config.database_url)
        .await
        .map_err(|e| OperationError(format!("DATABASE_URL: could not open the database: {e}")))
}

/// Checks the public record (`server verify`). A database an older version left is not
/// migrated here: that is `server migrate`'s to do, which chains the rows it holds.
pub async fn verify(config: &Config) -> Result<app::store::ledger::Verification, OperationError> {
    let store = Store::open_unmigrated(&config.database_url)
        .await
        .map_err(|e| OperationError(format!("DATABASE_URL: could not open the database: {e}")))?;
    let current = store.is_migrated().await;
    let found = match current {
        Ok(true) => store.verify_ledger().await.map_err(|e| OperationError(format!("could not read the public record: {e}"))),
        Ok(false) => Err(OperationError(
            "this database is from an older version of Counterpoint: run `server migrate` first (it records the existing rows in the public record, after its genesis entry), then verify".into(),
        )),
        Err(e) => Err(OperationError(format!("could not read the database's version: {e}"))),
    };
    store.close().await;
    found
}

/// The path of a SQLite database URL (`sqlite://path?options`, `sqlite:path`).
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

fn copy_folder(from: &Path, to: &Path) -> Result<u64, OperationError> {
    std::fs::create_dir_all(to).map_err(io("could not create", to))?;
    let mut files = 0;
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io("could not read", from)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io("could not read", from))?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type().map_err(io("could not read", &entry.path()))?;
        if kind.is_dir() {
            files += copy_folder(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).map_err(io("could not copy", &entry.path()))?;
            files += 1;
        }
    }
    Ok(files)
}

fn run(command: &mut Command, what: &str) -> Result<(), OperationError> {
    let output = command
        .output()
        .map_err(|e| OperationError(format!("could not run {what} (is the PostgreSQL client installed?): {e}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(OperationError(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// What a backup holds.
#[derive(Debug, PartialEq, Eq)]
pub struct BackupSummary {
    pub database_file: PathBuf,
    pub photo_files: u64,
}

/// Writes a consistent copy of the database, then of the photos, into the new folder
/// `dir`, while the server keeps serving. The database goes first: every photo it refers
/// to was written before it, so the copy of the photo folder that follows holds them all.
pub async fn backup(config: &Config, dir: &Path) -> Result<BackupSummary, OperationError> {
    if dir.exists() && std::fs::read_dir(dir).map_err(io("could not read", dir))?.next().is_some() {
        return Err(OperationError::new(format!("{} is not empty: a backup goes into a new folder", dir.display())));
    }
    std::fs::create_dir_all(dir).map_err(io("could not create", dir))?;
    let database_file = if sqlite_path(&config.database_url).is_some() {
        let store = open(config).await?;
        let file = dir.join(SQLITE_FILE);
        let copied = store.snapshot_sqlite(&file).await;
        store.close().await;
        copied.map_err(|e| OperationError(format!("could not copy the database: {e}")))?;
        file
    } else {
        let file = dir.join(POSTGRES_FILE);
        run(
            Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--no-owner")
                .arg("--file")
                .arg(&file)
                .arg("--dbname")
                .arg(&config.database_url),
            "pg_dump",
        )?;
        file
    };
    let photo_files = copy_folder(Path::new(&config.photo_dir), &dir.join(PHOTOS))?;
    Ok(BackupSummary { database_file, photo_files })
}

/// Puts a backup made by `backup` in place of the configured database and photo folder.
/// A database that holds data is refused unless `force`: a restore over the live record
/// is never an accident. The server must be stopped (on SQLite the file is replaced).
pub async fn restore(config: &Config, dir: &Path, force: bool) -> Result<(), OperationError> {
    let sqlite = sqlite_path(&config.database_url);
    let file = dir.join(if sqlite.is_some() { SQLITE_FILE } else { POSTGRES_FILE });
    if !file.is_file() {
        return Err(OperationError::new(format!(
            "{} has no {}: not a backup of this kind of database",
            dir.display(),
            file.file_name().unwrap_or_default().to_string_lossy()
        )));
    }
    let store = open(config).await?;
    let has_data = !store
        .is_empty()
        .await
        .map_err(|e| OperationError(format!("could not read the database: {e}")))?;
    store.close().await;
    if has_data && !force {
        return Err(OperationError::new(
            "the database holds data: stop the servers and add --force to replace it with the backup",
        ));
    }
    match sqlite {
        Some(target) => {
            // The write-ahead log of the database being replaced must not be replayed into
            // the restored file.
            for suffix in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{suffix}", target.display()));
                if side.exists() {
                    std::fs::remove_file(&side).map_err(io("could not remove", &side))?;
                }
            }
            let partial = target.with_extension("restoring");
            std::fs::copy(&file, &partial).map_err(io("could not copy", &file))?;
            std::fs::rename(&partial, &target).map_err(io("could not replace", &target))?;
        }
        None => run(
            Command::new("pg_restore")
                .arg("--clean")
                .arg("--if-exists")
                .arg("--no-owner")
                .arg("--single-transaction")
                .arg("--dbname")
                .arg(&config.database_url)
                .arg(&file),
            "pg_restore",
        )?,
    }
    let photos = Path::new(&config.photo_dir);
    if photos.exists() {
        std::fs::remove_dir_all(photos).map_err(io("could not empty", photos))?;
    }
    copy_folder(&dir.join(PHOTOS), photos)?;
    // Opening it again checks it and brings it up to this version's migrations.
    open(config).await?.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_path("sqlite:///var/lib/cp/counterpoint.db?mode=rwc"), Some("/var/lib/cp/counterpoint.db".into()));
        assert_eq!(sqlite_path("sqlite://counterpoint.db"), Some("counterpoint.db".into()));
        assert_eq!(sqlite_path("sqlite:counterpoint.db"), Some("counterpoint.db".into()));
        assert_eq!(sqlite_path("postgres://db/counterpoint"), None);
    }
}
