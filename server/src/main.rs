//! `server`: starts Counterpoint with configuration from the environment.

use server::config::Config;
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

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("generate-data") {
        return match generate::run(&args[1..], &config).await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("generate-data: {error}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let backend = if config.database_url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    let server = match server::start(config).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("could not start: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!(backend, demo = ?server.demo, "database ready");
    // Tests and scripts read this line to find the port when binding to port 0.
    println!("listening on http://{}", server.addr);
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("shutting down");
        }
        _ = terminate() => {
            tracing::info!("terminated; shutting down");
        }
    }
    server.stop().await;
    std::process::ExitCode::SUCCESS
}

async fn terminate() {
    #[cfg(unix)]
    {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
            return;
        }
    }
    std::future::pending::<()>().await
}
