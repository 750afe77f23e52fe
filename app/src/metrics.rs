//! What an operator watches, counted where it happens: plain atomics a scrape reads
//! (`/metrics`, in the Prometheus text format, on the address `COUNTERPOINT_METRICS_BIND`
//! names). Counts are per process: each app server is scraped on its own.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// A histogram of fixed buckets (each counts the observations up to its bound).
pub struct Histogram {
    bounds: &'static [f64],
    buckets: Vec<AtomicU64>,
    count: AtomicU64,
    /// The sum, in millionths, so that it stays an integer.
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            buckets: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, value: f64) {
        if let Some(i) = self.bounds.iter().position(|b| value <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((value * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The histogram's lines, cumulative as Prometheus wants; `labels` without braces.
    pub fn write(&self, out: &mut String, name: &str, labels: &str) {
        let comma = if labels.is_empty() { "" } else { "," };
        let mut running = 0;
        for (bound, bucket) in self.bounds.iter().zip(&self.buckets) {
            running += bucket.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}{comma}le=\"{bound}\"}} {running}");
        }
        let count = self.count();
        let _ = writeln!(out, "{name}_bucket{{{labels}{comma}le=\"+Inf\"}} {count}");
        let braces = if labels.is_empty() { String::new() } else { format!("{{{labels}}}") };
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum{braces} {sum}");
        let _ = writeln!(out, "{name}_count{braces} {count}");
    }
}

/// Ratings stored together by the single writer, per batch.
const BATCH_BOUNDS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// The application's own measures (the HTTP ones are the server's).
pub struct AppMetrics {
    pub rating_batches: Histogram,
    /// When the deadline scheduler last finished a round (Unix milliseconds; 0: never).
    pub scheduler_last_round_ms: AtomicI64,
    /// When the statistics were last rolled up (Unix milliseconds; 0: never).
    pub rolled_up_ms: AtomicI64,
}

pub fn app() -> &'static AppMetrics {
    static METRICS: std::sync::OnceLock<AppMetrics> = std::sync::OnceLock::new();
    METRICS.get_or_init(|| AppMetrics {
        rating_batches: Histogram::new(BATCH_BOUNDS),
        scheduler_last_round_ms: AtomicI64::new(0),
        rolled_up_ms: AtomicI64::new(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_writes_cumulative_buckets_a_sum_and_a_count() {
        let h = Histogram::new(&[1.0, 10.0]);
        for v in [0.5, 3.0, 30.0] {
            h.observe(v);
        }
        let mut out = String::new();
        h.write(&mut out, "x", "class=\"rating\"");
        assert_eq!(
            out,
            "x_bucket{class=\"rating\",le=\"1\"} 1\nx_bucket{class=\"rating\",le=\"10\"} 2\n\
             x_bucket{class=\"rating\",le=\"+Inf\"} 3\nx_sum{class=\"rating\"} 33.5\nx_count{class=\"rating\"} 3\n"
        );
    }
}
