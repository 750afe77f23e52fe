//! Throttles against stuffing that do not turn people away: a rating that passed the rate
//! limit but comes too often from one browser or address block, or in a burst at its
//! counter, is stored all the same and held out of the statistics until the supervision
//! bureau decides (docs/TRANSPARENCY.md, "Stuffing", states the rules and their numbers).
//!
//! Windows are the office's clock hours. Counts live in this server's memory: with several
//! app servers each counts what reaches it; a burst found by any of them holds the whole
//! hour of that counter in the database, whichever server took the ratings.

use crate::domain::HoldReason;
use crate::store::{Store, USUAL_WEEKS};
use chrono::{DateTime, Days, NaiveDate, Timelike};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Where a rating came from, as far as the server can tell without keeping it: the
/// browser's device cookie (a random number it set) and the client's address. Neither is
/// stored; only the counts of the current hour are kept, in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Source {
    pub device: Option<u128>,
    pub address: Option<IpAddr>,
}

/// How many ratings of one counter in one clock hour are counted before the rest are held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// From one browser (device cookie).
    pub per_device: u32,
    /// From one address block (IPv4 /24, IPv6 /64).
    pub per_address: u32,
    /// At the counter from everyone: more than a window can serve in an hour.
    pub per_counter: u32,
    /// A burst: more than `burst_factor` times the counter's usual for this weekday and
    /// hour (its average over the last `USUAL_WEEKS` weeks), and never fewer than
    /// `burst_floor`.
    pub burst_floor: u32,
    pub burst_factor: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            per_device: 2,
            per_address: 6,
            per_counter: 60,
            burst_floor: 20,
            burst_factor: 3,
        }
    }
}

/// What the throttles make of one rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub hold: Option<HoldReason>,
    /// A burst began (or grew): hold the counter's ratings of `[from_ms, until_ms)` (from
    /// when its count went past the usual to the end of the hour) once this one is stored.
    pub sweep: Option<Sweep>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sweep {
    pub counter_id: i64,
    pub hour: u8,
    pub from_ms: i64,
    pub until_ms: i64,
}

/// At most this many browsers or address blocks are remembered per hour; past it they are
/// forgotten (the counter's own count still holds a flood).
const MAX_KEYS: usize = 200_000;

#[derive(Default)]
struct CounterHour {
    ratings: u32,
    /// The counter's usual for this hour, and where a burst begins; unknown until read.
    usual: Option<(u32, u32)>,
    /// When the count first went past the usual: a burst is held from there, so that the
    /// hour's ratings before it (as many as on a usual day) stay counted.
    past_usual_ms: Option<i64>,
    /// The count at the last sweep: the next comes when the count has doubled.
    swept_at: u32,
}

#[derive(Default)]
struct Window {
    /// The office's day and hour it counts.
    hour: Option<(NaiveDate, u8)>,
    devices: HashMap<(u128, i64), u32>,
    blocks: HashMap<(u128, i64), u32>,
    counters: HashMap<i64, CounterHour>,
}

pub struct Throttle {
    limits: Limits,
    window: Mutex<Window>,
}

/// An address's block: IPv4 /24 or IPv6 /64 (IPv4-mapped IPv6 as IPv4), as one number.
pub fn address_block(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => (1u128 << 127) | u128::from(u32::from(v4) & 0xffff_ff00),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => address_block(IpAddr::V4(v4)),
            None => u128::from(v6) & !((1u128 << 64) - 1),
        },
    }
}

impl Throttle {
    pub fn new(limits: Limits) -> Throttle {
        Throttle {
            limits,
            window: Mutex::new(Window::default()),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Judges one rating of `counter_id` arriving at `now` (office time).
    pub async fn judge(&self, store: &Store, counter_id: i64, source: Source, now: DateTime<Tz>) -> Judgement {
        let (day, hour) = (now.date_naive(), now.hour() as u8);
        // The counter's usual is read once an hour, without holding the lock.
        let known = self.lock(day, hour).counters.get(&counter_id).is_some_and(|c| c.usual.is_some());
        let usual = if known { None } else { Some(self.usual_burst(store, counter_id, now).await) };
        let mut window = self.lock(day, hour);
        if let Some(usual) = usual {
            window.counters.entry(counter_id).or_default().usual.get_or_insert(usual);
        }
        let limits = self.limits;
        let Window { devices, blocks, counters, .. } = &mut *window;
        let over = |map: &mut HashMap<(u128, i64), u32>, key: Option<u128>, limit: u32| {
            let Some(key) = key else { return false };
            if map.len() >= MAX_KEYS && !map.contains_key(&(key, counter_id)) {
                map.clear();
            }
            let n = map.entry((key, counter_id)).or_default();
            *n = n.saturating_add(1);
            *n > limit
        };
        let by_device = over(devices, source.device, limits.per_device);
        let by_address = over(blocks, source.address.map(address_block), limits.per_address);
        let at_counter = counters.entry(counter_id).or_default();
        at_counter.ratings = at_counter.ratings.saturating_add(1);
        let (usual, burst_from) = at_counter.usual.unwrap_or((0, limits.burst_floor));
        if at_counter.ratings > usual && at_counter.past_usual_ms.is_none() {
            at_counter.past_usual_ms = Some(now.timestamp_millis());
        }
        let burst = at_counter.ratings > burst_from;
        let hold = if by_device {
            Some(HoldReason::Device)
        } else if by_address {
            Some(HoldReason::Address)
        } else if at_counter.ratings > limits.per_counter {
            Some(HoldReason::Counter)
        } else if burst {
            Some(HoldReason::Burst)
        } else {
            None
        };
        let sweep = (burst && at_counter.ratings >= at_counter.swept_at.saturating_mul(2)).then(|| {
            at_counter.swept_at = at_counter.ratings;
            let start = now
                .with_minute(0)
                .and_then(|t| t.with_second(0))
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(now)
                .timestamp_millis();
            Sweep {
                counter_id,
                hour,
                from_ms: at_counter.past_usual_ms.unwrap_or(start).max(start),
                until_ms: start + 3_600_000,
            }
        });
        Judgement { hold, sweep }
    }

    /// The window for this hour, emptied when the hour has changed.
    fn lock(&self, day: NaiveDate, hour: u8) -> std::sync::MutexGuard<'_, Window> {
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if window.hour != Some((day, hour)) {
            *window = Window {
                hour: Some((day, hour)),
                ..Window::default()
            };
        }
        window
    }

    /// The counter's usual for the weekday and hour, and where a burst begins: `burst_factor`
    /// times the usual, at least `burst_floor` (the floor alone when the usual cannot be
    /// read).
    async fn usual_burst(&self, store: &Store, counter_id: i64, now: DateTime<Tz>) -> (u32, u32) {
        let today = now.date_naive();
        let days: [String; USUAL_WEEKS] = std::array::from_fn(|k| {
            today
                .checked_sub_days(Days::new(7 * (k as u64 + 1)))
                .unwrap_or(today)
                .format("%Y-%m-%d")
                .to_string()
        });
        let usual = match store.ratings_in_hour_over(counter_id, now.hour() as u8, &days).await {
            Ok(sum) => (sum.max(0) as u64).div_ceil(USUAL_WEEKS as u64),
            Err(error) => {
                tracing::warn!(?error, "could not read a counter's usual ratings; the floor applies");
                0
            }
        };
        let usual = u32::try_from(usual).unwrap_or(u32::MAX);
        (usual, usual.saturating_mul(self.limits.burst_factor).max(self.limits.burst_floor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_blocks_are_slash_24_and_slash_64() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(address_block(ip("10.1.2.3")), address_block(ip("10.1.2.250")));
        assert_ne!(address_block(ip("10.1.2.3")), address_block(ip("10.1.3.3")));
        assert_eq!(address_block(ip("::ffff:10.1.2.3")), address_block(ip("10.1.2.9")));
        assert_eq!(address_block(ip("2001:db8:1:2::1")), address_block(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(address_block(ip("2001:db8:1:2::1")), address_block(ip("2001:db8:1:3::1")));
        // An IPv4 block never equals an IPv6 one.
        assert_ne!(address_block(ip("0.0.0.1")), address_block(ip("::1")));
    }
}
