//! The real server binary as its own process, on port 0, for tests that kill it, restart it
//! or run several side by side.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary the tests start: the debug build cargo made for this test run, or another
/// one named by `COUNTERPOINT_SERVER_BINARY` (the benchmark scripts give the release build).
pub fn server_binary() -> PathBuf {
    std::env::var_os("COUNTERPOINT_SERVER_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_server")))
}

pub struct Process {
    pub child: Child,
    pub base: String,
    /// When the process was started.
    pub started: Instant,
}

impl Process {
    /// Starts the server with `env` and reads the address it prints; its log goes to the
    /// test's own.
    pub fn start(env: &[(&str, String)]) -> Process {
        Process::start_with(env, Stdio::inherit())
    }

    /// The same, its log written to `log` (to be searched for panics).
    pub fn start_logging(env: &[(&str, String)], log: &Path) -> Process {
        Process::start_with(env, Stdio::from(std::fs::File::create(log).expect("the log file")))
    }

    fn start_with(env: &[(&str, String)], log: Stdio) -> Process {
        let started = Instant::now();
        let mut command = Command::new(server_binary());
        command
            .env("COUNTERPOINT_BIND", "127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server binary");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines.next().expect("the server prints its address").unwrap();
            if let Some(address) = line.strip_prefix("listening on ") {
                break address.trim().to_string();
            }
        };
        // Keep draining stdout so the process never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Process { child, base, started }
    }

    /// Waits until `/readyz` answers 200; how long after the start that was.
    pub async fn ready(&self, client: &reqwest::Client, within: Duration) -> Duration {
        loop {
            if let Ok(response) = client.get(format!("{}/readyz", self.base)).send().await
                && response.status() == reqwest::StatusCode::OK
            {
                return self.started.elapsed();
            }
            assert!(self.started.elapsed() < within, "not ready within {within:?} of starting");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The process's resident memory, in kB (Linux).
    pub fn resident_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    /// SIGKILL: no shutdown, no flushing, as a power cut or the OOM killer does.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}
