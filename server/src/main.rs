//! `server`: Counterpoint's one binary. `server serve` (the default) starts the site with
//! configuration from the environment; the other subcommands are the operator's tools.
//! `server --help` and `server <command> --help` say more.

use clap::{Parser, Subcommand};
use server::config::Config;
use server::operations;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

mod generate;

/// mimalloc, not glibc's allocator: a rating POST allocates and frees a few dozen small
/// buffers across the two worker threads, which glibc's allocator served at 7–11% of the
/// machine under load (figures in docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` (index 4 in `mimalloc.h`, v2 and v3 alike).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Memory committed as it is used, not each arena (1 GiB reserved) at once: with the
/// kernel's transparent huge pages on ("always" here), eager commit let the statistics
/// benchmark's server reach 166–172 MB (glibc: 78 MB); 103 MB this way (limit 150 MB).
/// mimalloc makes its first arena at the process's first allocation, before `main`, so
/// the option is set by a constructor (`.init_array`, run by the loader before any Rust
/// code): set in `main`, it came too late (172 MB, measured).
extern "C" fn commit_memory_on_demand() {
    // SAFETY: sets a plain integer option of mimalloc's; no other thread exists yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
}

#[used]
#[unsafe(link_section = ".init_array")]
static COMMIT_MEMORY_ON_DEMAND: extern "C" fn() = commit_memory_on_demand;

/// Counterpoint: ratings and complaints for the service windows of government offices.
///
/// Every setting comes from the environment (docs/CONFIGURATION.md); any may be read
/// from a file instead, NAME_FILE=/path.
#[derive(Parser)]
#[command(name = "server", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Action>,
}

#[derive(Subcommand)]
enum Action {
    /// Serve the site (what `server` alone does).
    Serve,
    /// Bring the database up to this version's schema, then stop. A server refuses a
    /// database a newer version has migrated.
    Migrate,
    /// Create an administrator account: the first one, or one more. The password is asked
    /// for on the terminal, or read from the first line of a file; never an argument.
    CreateAdmin {
        /// The sign-in name: 2 to 64 of a-z, 0-9, '.', '-' and '_'.
        #[arg(long)]
        username: String,
        /// The name shown in the audit trail and on case pages.
        #[arg(long, default_value = "Administrator")]
        display_name: String,
        /// A file whose first line is the password (12 to 128 characters).
        #[arg(long, value_name = "PATH")]
        password_file: Option<PathBuf>,
    },
    /// Read every setting and name each bad one (exit status 1), or say all is well.
    CheckConfig,
    /// Fill the database with made-up history for benchmarks and demonstrations.
    GenerateData(generate::Options),
    /// Copy the database and the photos into a new folder, consistently, while serving.
    Backup {
        /// The folder to create (it must not exist, or be empty).
        path: PathBuf,
    },
    /// Check the public record from its first entry to its last against the data it
    /// records, and every published digest: prints the number of entries and the newest
    /// hash, or names the first entry that does not hold (exit status 1).
    Verify,
    /// Replace the database and the photos with a backup. Stop the servers first.
    Restore {
        /// A folder written by `server backup`.
        path: PathBuf,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(errors) => {
            eprintln!("The configuration has {} problem(s):\n{errors}", errors.0.len());
            return ExitCode::FAILURE;
        }
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if config.json_logs {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let done = match cli.command.unwrap_or(Action::Serve) {
        Action::Serve => return serve(config).await,
        Action::CheckConfig => {
            println!("The configuration is complete{}.", if config.production { " for production" } else { "" });
            Ok(())
        }
        Action::Migrate => operations::open(&config).await.map(|store| {
            println!("The database is up to date.");
            drop(store)
        }),
        Action::CreateAdmin { username, display_name, password_file } => {
            create_admin(&config, &username, &display_name, password_file).await
        }
        Action::GenerateData(options) => generate::run(options, &config).await.map_err(operations::OperationError),
        Action::Backup { path } => operations::backup(&config, &path).await.map(|summary| {
            println!(
                "Backed up to {}: the database ({}) and {} photo file(s).",
                path.display(),
                summary.database_file.display(),
                summary.photo_files
            )
        }),
        Action::Verify => return verify(&config).await,
        Action::Restore { path, force } => operations::restore(&config, &path, force)
            .await
            .map(|()| println!("Restored from {}.", path.display())),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn create_admin(
    config: &Config,
    username: &str,
    display_name: &str,
    password_file: Option<PathBuf>,
) -> Result<(), operations::OperationError> {
    let password = match password_file {
        Some(path) => std::fs::read_to_string(&path)
            .map(|text| text.lines().next().unwrap_or("").to_string())
            .map_err(|e| operations::OperationError(format!("could not read {}: {e}", path.display())))?,
        None => {
            let first = rpassword::prompt_password("Password (12 to 128 characters): ")
                .map_err(|e| operations::OperationError(format!("could not read the password from the terminal: {e}")))?;
            let again = rpassword::prompt_password("The same password again: ")
                .map_err(|e| operations::OperationError(format!("could not read the password from the terminal: {e}")))?;
            if first != again {
                return Err(operations::OperationError("the two passwords differ; nothing was created".into()));
            }
            first
        }
    };
    let store = operations::open(config).await?;
    let made = app::admin::service::create_admin_account(&store, chrono::Utc::now().timestamp_millis(), username, display_name, &password).await;
    store.close().await;
    let username = made.map_err(|e| operations::OperationError(format!("no administrator was created: {e}")))?;
    println!("Administrator {username} created. Sign in at /staff/login.");
    Ok(())
}

async fn verify(config: &Config) -> ExitCode {
    match operations::verify(config).await {
        Ok(app::store::ledger::Verification::Clean { entries, head }) => {
            println!("The public record holds: {entries} entries, newest hash {head}.");
            ExitCode::SUCCESS
        }
        Ok(app::store::ledger::Verification::Broken { entry, day, what }) => {
            let at = match (entry, day) {
                (Some(e), Some(d)) => format!("entry {e} ({d}): "),
                (Some(e), None) => format!("entry {e}: "),
                (None, Some(d)) => format!("{d}: "),
                (None, None) => String::new(),
            };
            eprintln!("The public record does not hold. {at}{what}");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> ExitCode {
    let backend = if config.database_url.starts_with("sqlite:") { "sqlite" } else { "postgres" };
    let server = match server::start(config).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("could not start: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(backend, demo = ?server.demo, "database ready");
    // Tests and scripts read these lines to find the ports when binding to port 0.
    println!("listening on http://{}", server.addr);
    if let Some(metrics) = server.metrics_addr {
        println!("metrics on http://{metrics}/metrics");
    }
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("shutting down");
        }
        _ = terminate() => {
            tracing::info!("terminated; shutting down");
        }
    }
    server.stop().await;
    ExitCode::SUCCESS
}

async fn terminate() {
    #[cfg(unix)]
    {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
            return;
        }
    }
    std::future::pending::<()>().await
}
