//! Storage: one interface, two real backends.
//!
//! SQLite (a file, WAL mode) is the embedded default; PostgreSQL serves many app servers
//! behind a load balancer. The backend is chosen by the database URL's scheme. Both speak
//! the same SQL here (`$1` placeholders, `ON CONFLICT`, `RETURNING`), so each query is
//! written once and run on whichever pool is open; what differs between them lives in
//! each backend's own migrations. This module owns SQL and nothing else: no HTTP, no
//! wording, no business rules beyond the constraints the schema enforces.

mod accounts;
mod admin;
mod cases;
mod channels;
mod codes;
mod deadlines;
mod directory;
mod generated;
mod guide;
mod holds;
pub mod ledger;
mod open311;
mod outbox;
mod photo_bytes;
mod ratings;
mod second_factor;
mod seed;
mod servers;
mod staff;
mod stats;
mod supervision;

pub use accounts::AccountFields;
pub use admin::{AdminWriteError, AuditEntry, NewCounter, PlaceKind};
pub use cases::{
    AppealChange, AppealRecord, CaseRecord, CaseSummary, CaseUpdate, EventRecord, InboxQuery,
    InsertCaseError, NewComplaint, NewPhoto, PhotoRecord, PlaceRecord, Scope, StaffBrief,
    Visibility,
};
pub use channels::ChannelRecord;
pub use deadlines::{LimitWrite, StaffContact, TimeLimitRow};
pub use directory::CounterRecord;
pub use generated::{GeneratedCase, Handling, OpenFollowUp};
pub use guide::{NewServiceItem, ServiceItemRecord};
pub use holds::{HeldGroup, USUAL_WEEKS};
pub use open311::{MAX_REQUESTS, PublicRequestQuery, PublicRequestRow};
pub use outbox::{NewMail, OutboxCounts, OutboxLine, OutboxMail};
pub use supervision::{
    DepartmentCounts, FindingRecord, NewFinding, NewOrder, OrderComment, OrderRecord,
};
pub use ratings::{InsertOutcome, RatingRow};
pub use second_factor::SecondFactorRecord;
pub use seed::{Seed, SeedCounter, SeedDay, SeedDepartment, SeedHall, SeedServiceItem, SeedStaff};
pub use staff::{LoginFailures, StaffRecord};
pub use stats::{
    CaseFactRow, DayCount, DayRollup, DaySpan, ROLLUP_COLUMNS, RollupCounts, RollupState,
    StatsScope, UnitLevel,
};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Which database a `Store` talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL scheme (use sqlite: or postgres:)")]
    UnsupportedUrl,
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The writer task is gone (the server is stopping).
    #[error("storage unavailable")]
    Unavailable,
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database holds a migration this version does not know: a newer version ran.
    #[error(
        "the database was migrated by a newer version of Counterpoint (migration {0}); run that version, or restore a backup made before the upgrade"
    )]
    NewerDatabase(i64),
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same statement on whichever backend is open. `$pool` is bound to the concrete
/// pool in each arm, so sqlx checks types for both backends at compile time.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => $body,
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Opens a transaction that writes. On SQLite it takes the write lock at its start (`BEGIN
/// IMMEDIATE`), waiting out other writers within the busy timeout: a deferred transaction
/// that read first fails at once with SQLITE_BUSY when it comes to write after another
/// connection committed, whatever the timeout. On PostgreSQL a transaction waits for the
/// rows another holds and never fails for another's earlier commit.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(&self) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(&self) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(&self) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

/// A connection a writer task keeps between its batches (the ratings' group commit): on
/// SQLite a connection's page cache is dropped whenever another connection wrote, so a
/// batch taken from the pool's rotating connections read the tables' B-tree paths again;
/// kept, they stay cached, and no batch waits for the pool. Given back when the store
/// closes (`Store::closing`) or after an error.
pub struct HeldConnection(Held);

enum Held {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

/// Runs a body on a held connection, `$conn` bound to the concrete `PoolConnection`.
macro_rules! on_held {
    ($held:expr, |$conn:ident| $body:expr) => {
        match &mut $held.0 {
            $crate::store::Held::Sqlite($conn) => $body,
            $crate::store::Held::Postgres($conn) => $body,
        }
    };
}
pub(crate) use on_held;

/// A writer task's connection: taken from the pool when first needed, kept from batch to
/// batch, given back when the store closes (so that `close` can finish) or after an error.
pub struct KeptConnection {
    store: Store,
    held: Option<HeldConnection>,
}

impl KeptConnection {
    pub fn new(store: Store) -> KeptConnection {
        KeptConnection { store, held: None }
    }

    /// The writer's next jobs (`recv_many`); 0 once every sender is gone.
    pub async fn receive<T>(
        &mut self,
        receiver: &mut tokio::sync::mpsc::Receiver<T>,
        jobs: &mut Vec<T>,
        max: usize,
    ) -> usize {
        loop {
            tokio::select! {
                received = receiver.recv_many(jobs, max) => return received,
                () = self.store.closing(), if self.held.is_some() => self.held = None,
            }
        }
    }

    /// The kept connection, taken from the pool if there is none.
    pub async fn get(&mut self) -> Result<&mut HeldConnection, StoreError> {
        if self.held.is_none() {
            self.held = Some(self.store.hold_connection().await?);
        }
        self.held.as_mut().ok_or(StoreError::Unavailable)
    }

    /// After an error: the connection may be what failed, the next batch takes another.
    pub fn give_back(&mut self) {
        self.held = None;
    }
}

/// The database, behind the service's one storage interface. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let store = Store::open_unmigrated(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database at `url` as it is (`is_migrated` says whether it is current).
    pub async fn open_unmigrated(url: &str) -> Result<Store, StoreError> {
        let store = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // A rating is acknowledged only once it is on disk; group commit keeps
                // this to one sync per batch, not one per rating.
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(5))
                // The ledger's triggers hash with a function of ours.
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        let mut handle = conn.lock_handle().await?;
                        ledger::register_sqlite_functions(handle.as_raw_handle())
                            .map_err(|e| sqlx::Error::Configuration(e.into()))
                    })
                })
                .connect_with(options)
                .await?;
            Store {
                pool: Pool::Sqlite(pool),
            }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            // The data is read from memory or an SSD, not a spinning disk: at the default
            // random_page_cost (4) the planner read the whole hourly table of ratings for
            // a department's days instead of its counters' index ranges (152 ms against 14
            // ms in `EXPLAIN ANALYZE` on a generated set).
            let options = PgConnectOptions::from_str(url)?.options([("random_page_cost", "1.1")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await?;
            Store {
                pool: Pool::Postgres(pool),
            }
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        Ok(store)
    }

    /// Whether every migration of this version has been applied.
    pub async fn is_migrated(&self) -> Result<bool, StoreError> {
        let newest = match &self.pool {
            Pool::Sqlite(_) => sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).max(),
            Pool::Postgres(_) => sqlx::migrate!("./migrations/postgres").iter().map(|m| m.version).max(),
        };
        let applied: Result<(Option<i64>,), sqlx::Error> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT MAX(version) FROM _sqlx_migrations WHERE success"
        )
        .fetch_one(pool)
        .await);
        Ok(match applied {
            Ok((applied,)) => applied >= newest,
            // No migrations table: nothing applied.
            Err(_) => false,
        })
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await,
            Pool::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
        }
        .map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(version) => StoreError::NewerDatabase(version),
            other => StoreError::Migrate(other),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Writes a consistent copy of a SQLite database to the new file `path` while it keeps
    /// serving (`VACUUM INTO`: one read transaction). PostgreSQL is copied by `pg_dump`.
    pub async fn snapshot_sqlite(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StoreError::UnsupportedUrl);
        };
        let path = path.to_str().ok_or(StoreError::UnsupportedUrl)?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(pool).await?;
        Ok(())
    }

    /// A round trip to the database, for `/healthz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Takes a connection out of the pool for a writer task to keep.
    pub async fn hold_connection(&self) -> Result<HeldConnection, StoreError> {
        Ok(HeldConnection(match &self.pool {
            Pool::Sqlite(pool) => Held::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Held::Postgres(pool.acquire().await?),
        }))
    }

    /// Resolves once `close` has been called: a writer gives its held connection back
    /// then, for the pool to close.
    pub async fn closing(&self) {
        on_pool!(self, |pool| pool.close_event().await)
    }

    /// Closes every connection; SQLite checkpoints its WAL on the way out.
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}

#[cfg(any(test, feature = "test-support"))]
pub mod testing;
#[cfg(test)]
mod tests;
