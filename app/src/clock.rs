//! The time the services see: the system's, or one a test sets and moves.
//!
//! Deadlines, escalations and mail retries all read this clock, so a test can walk a case
//! past each of its deadlines without waiting for a single real day.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Milliseconds since the Unix epoch. Cheap to clone; clones share a manual clock's time.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system's time.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that stands still at `now_ms` until it is set or advanced.
    pub fn manual(now_ms: i64) -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(now_ms))))
    }

    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            None => chrono::Utc::now().timestamp_millis(),
            Some(time) => time.load(Ordering::SeqCst),
        }
    }

    /// Sets a manual clock (a system clock ignores it).
    pub fn set_ms(&self, now_ms: i64) {
        if let Some(time) = &self.0 {
            time.store(now_ms, Ordering::SeqCst);
        }
    }

    /// Moves a manual clock forward (a system clock ignores it).
    pub fn advance(&self, by: Duration) {
        if let Some(time) = &self.0 {
            time.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_its_clones_follow() {
        let clock = Clock::manual(1_000);
        let copy = clock.clone();
        assert_eq!(copy.now_ms(), 1_000);
        clock.advance(Duration::from_secs(2));
        assert_eq!(copy.now_ms(), 3_000);
        copy.set_ms(10);
        assert_eq!(clock.now_ms(), 10);
        assert!(Clock::system().now_ms() > 1_600_000_000_000);
    }
}

/// The office day (in `zone`) of a time in milliseconds since the epoch.
#[cfg(feature = "ssr")]
pub fn office_day(zone: chrono_tz::Tz, ms: i64) -> chrono::NaiveDate {
    use chrono::TimeZone;
    zone.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// The first millisecond of an office day in `zone`.
#[cfg(feature = "ssr")]
pub fn office_day_start_ms(zone: chrono_tz::Tz, day: chrono::NaiveDate) -> i64 {
    use chrono::TimeZone;
    zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}
