//! `server`: starts Counterpoint with configuration from the environment.

use server::config::Config;
use tracing_subscriber::EnvFilter;

mod generate;

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
