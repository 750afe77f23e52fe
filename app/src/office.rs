//! The office's working time: its clock, its time zone, the working-day calendar and the
//! time limits of case handling. Cases and statistics both read it; administrators change
//! the calendar and the limits, and every server reads them again each minute.

use crate::calendar::WorkingCalendar;
use crate::clock::Clock;
use crate::domain::case::{CaseKind, Stage};
use crate::store::{Store, StoreError, TimeLimitRow};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The limits of each stage, per case kind and category (the kind's default under '').
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeLimits(HashMap<(String, String, String), u32>);

impl TimeLimits {
    pub fn from_rows(rows: Vec<TimeLimitRow>) -> TimeLimits {
        TimeLimits(
            rows.into_iter()
                .map(|r| ((r.kind, r.category, r.stage), r.days.clamp(1, 366) as u32))
                .collect(),
        )
    }

    /// Every limit set: (kind, category, stage, days), in order.
    pub fn entries(&self) -> Vec<(&str, &str, &str, u32)> {
        let mut entries: Vec<(&str, &str, &str, u32)> = self
            .0
            .iter()
            .map(|((kind, category, stage), days)| (kind.as_str(), category.as_str(), stage.as_str(), *days))
            .collect();
        entries.sort_unstable();
        entries
    }

    /// The limit for a stage: the category's own, else the kind's, else the built-in one.
    pub fn days(&self, kind: CaseKind, category: Option<&str>, stage: Stage) -> u32 {
        let key = |category: &str| (kind.code().to_string(), category.to_string(), stage.code().to_string());
        category
            .and_then(|c| self.0.get(&key(c)))
            .or_else(|| self.0.get(&key("")))
            .copied()
            .unwrap_or_else(|| stage.default_days())
    }
}

/// The office's working time. Cheap to clone; clones share the calendar and the limits.
#[derive(Clone)]
pub struct Office(Arc<Inner>);

struct Inner {
    store: Store,
    clock: Clock,
    time_zone: Tz,
    calendar: RwLock<Arc<WorkingCalendar>>,
    limits: RwLock<Arc<TimeLimits>>,
}

impl Office {
    /// Reads the calendar and the time limits from the database.
    pub async fn load(store: Store, clock: Clock, time_zone: Tz) -> Result<Office, StoreError> {
        let office = Office(Arc::new(Inner {
            calendar: RwLock::new(Arc::new(WorkingCalendar::default())),
            limits: RwLock::new(Arc::new(TimeLimits::default())),
            store,
            clock,
            time_zone,
        }));
        office.reload_calendar().await?;
        office.reload_limits().await?;
        Ok(office)
    }

    /// Reads the working-day calendar again (after an administrator loaded one).
    pub async fn reload_calendar(&self) -> Result<(), StoreError> {
        let calendar = WorkingCalendar::from_rows(self.0.store.calendar_days().await?);
        *self.0.calendar.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(calendar);
        Ok(())
    }

    /// Reads the time limits again (after an administrator changed them, here or on
    /// another server).
    pub async fn reload_limits(&self) -> Result<(), StoreError> {
        let limits = TimeLimits::from_rows(self.0.store.time_limits().await?);
        *self.0.limits.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(limits);
        Ok(())
    }

    pub fn calendar(&self) -> Arc<WorkingCalendar> {
        self.0.calendar.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn limits(&self) -> Arc<TimeLimits> {
        self.0.limits.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The clock every time is read from (tests move it).
    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    pub fn now_ms(&self) -> i64 {
        self.0.clock.now_ms()
    }

    pub fn time_zone(&self) -> Tz {
        self.0.time_zone
    }

    /// The office day of a time.
    pub fn day_of(&self, ms: i64) -> NaiveDate {
        crate::clock::office_day(self.0.time_zone, ms)
    }

    /// Today in the office's time zone.
    pub fn today(&self) -> NaiveDate {
        self.day_of(self.now_ms())
    }
}
