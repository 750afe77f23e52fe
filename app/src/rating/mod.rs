//! Taking a citizen's rating: parse it, find the counter, store it with group commit.
//!
//! A rating is acknowledged only after the transaction that holds it has committed. To
//! avoid one disk sync per rating, requests hand their rating to a single writer task,
//! which takes everything waiting, stores it in one transaction and then answers each
//! request (group commit). Under light load a batch is one rating and nothing waits;
//! under heavy load batches grow and the sync cost is shared.
//!
//! A bad rating (below `RatingLevel::GOOD_FROM`) opens a follow-up case for the counter's
//! department in the same transaction: the database's `bad_ratings_open_a_follow_up`
//! trigger, so that no path that stores a rating can skip it. A rating the throttles hold
//! (`throttle`) is stored with its hold and opens no follow-up until it is released.

mod counters;
mod holds;
pub mod throttle;

pub use counters::CounterDirectory;
pub use throttle::{Limits, Source};

use crate::domain::{CounterCode, FieldErrors, RatingForm};
use crate::domain::{Field, Problem};
use crate::store::{CounterRecord, InsertOutcome, KeptConnection, RatingRow, Store};
use chrono_tz::Tz;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Why a rating was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("no open counter has this code")]
    UnknownCounter,
    #[error("the form has problems")]
    Invalid(FieldErrors),
    #[error("the database could not take the rating")]
    Unavailable,
    /// Only the supervision bureau reviews held ratings.
    #[error("not allowed")]
    Forbidden,
}

struct Job {
    row: RatingRow,
    reply: oneshot::Sender<Result<InsertOutcome, ()>>,
}

/// The most ratings one transaction takes.
const MAX_BATCH: usize = 2048;

/// Takes ratings. Cheap to clone; all clones share one writer.
#[derive(Clone)]
pub struct RatingService {
    jobs: mpsc::Sender<Job>,
    counters: CounterDirectory,
    time_zone: Tz,
    store: Store,
    throttle: Arc<throttle::Throttle>,
    clock: crate::clock::Clock,
}

impl RatingService {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(store: Store, counters: CounterDirectory, time_zone: Tz, limits: Limits) -> RatingService {
        let (jobs, receiver) = mpsc::channel(MAX_BATCH * 4);
        tokio::spawn(write_batches(store.clone(), receiver));
        RatingService {
            jobs,
            counters,
            time_zone,
            store,
            throttle: Arc::new(throttle::Throttle::new(limits)),
            clock: crate::clock::Clock::system(),
        }
    }

    /// The same service reading the time from `clock` (tests set it).
    pub fn with_clock(mut self, clock: crate::clock::Clock) -> RatingService {
        self.clock = clock;
        self
    }

    /// Today in the office's time zone, `YYYY-MM-DD`. Public numbers stop before it, so a
    /// rating cannot be traced to the person who just left the counter.
    pub fn today(&self) -> String {
        chrono::Utc::now()
            .with_timezone(&self.time_zone)
            .format("%Y-%m-%d")
            .to_string()
    }

    /// When the throttles hold ratings.
    pub fn limits(&self) -> Limits {
        self.throttle.limits()
    }

    pub fn counters(&self) -> &CounterDirectory {
        &self.counters
    }

    /// Parses and stores one rating for the counter with this code, from `source`; a
    /// rating the throttles hold is stored and answered like any other.
    pub async fn submit(
        &self,
        code: &str,
        form: &RatingForm,
        source: Source,
    ) -> Result<Arc<CounterRecord>, RatingError> {
        let counter = self.open_counter(code).await?;
        let rating = form.parse().map_err(RatingError::Invalid)?;
        let now = chrono::DateTime::from_timestamp_millis(self.clock.now_ms()).unwrap_or_default();
        let local = now.with_timezone(&self.time_zone);
        let judgement = self.throttle.judge(&self.store, counter.id, source, local).await;
        let row = RatingRow {
            counter_id: counter.id,
            hall_id: counter.hall_id,
            level: i64::from(rating.level.value()),
            tags: i64::from(rating.tags.bits()),
            comment: rating.comment.map(|c| c.as_str().to_string()),
            ticket: rating.ticket.map(|t| t.as_str().to_string()),
            created_at_ms: now.timestamp_millis(),
            local_day: local.format("%Y-%m-%d").to_string(),
            local_hour: chrono::Timelike::hour(&local) as u8,
            hold: judgement.hold,
        };
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { row, reply })
            .await
            .map_err(|_| RatingError::Unavailable)?;
        match answer.await {
            Ok(Ok(InsertOutcome::Stored)) => {
                if let Some(sweep) = judgement.sweep {
                    self.hold_burst(sweep).await;
                }
                Ok(counter)
            }
            Ok(Ok(InsertOutcome::DuplicateTicket)) => Err(RatingError::Invalid(
                FieldErrors::single(Field::Ticket, Problem::TicketUsed),
            )),
            Ok(Err(())) | Err(_) => Err(RatingError::Unavailable),
        }
    }

    /// Holds a burst: this rating and those the counter stored that hour since it went
    /// past its usual (on this server or another); a failure is logged, the rating stays
    /// stored.
    async fn hold_burst(&self, sweep: throttle::Sweep) {
        let now = self.clock.now_ms();
        match self
            .store
            .hold_burst(sweep.counter_id, sweep.hour, sweep.from_ms, sweep.until_ms, now)
            .await
        {
            Ok(held) => tracing::warn!(counter = sweep.counter_id, hour = sweep.hour, held, "a burst of ratings is held for review"),
            Err(error) => tracing::error!(?error, counter = sweep.counter_id, "could not hold a burst of ratings"),
        }
    }

    /// The open counter with this code; a retired or unknown code is `UnknownCounter`.
    pub async fn open_counter(&self, code: &str) -> Result<Arc<CounterRecord>, RatingError> {
        let code = CounterCode::parse(code).ok_or(RatingError::UnknownCounter)?;
        match self.counters.find(&code).await {
            Ok(Some(c)) if !c.retired => Ok(c),
            Ok(_) => Err(RatingError::UnknownCounter),
            Err(_) => Err(RatingError::Unavailable),
        }
    }
}

impl RatingService {
    /// The retired counter with this code, if it is one.
    pub async fn retired_counter(&self, code: &str) -> Result<Option<Arc<CounterRecord>>, RatingError> {
        let Some(code) = CounterCode::parse(code) else {
            return Ok(None);
        };
        match self.counters.find(&code).await {
            Ok(found) => Ok(found.filter(|c| c.retired)),
            Err(_) => Err(RatingError::Unavailable),
        }
    }
}

/// The single writer: takes all waiting ratings, stores them together, answers each.
async fn write_batches(store: Store, mut receiver: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    let mut rows = Vec::with_capacity(MAX_BATCH);
    let mut replies = Vec::with_capacity(MAX_BATCH);
    // One connection kept from batch to batch (see `HeldConnection`).
    let mut kept = KeptConnection::new(store.clone());
    while kept.receive(&mut receiver, &mut jobs, MAX_BATCH).await > 0 {
        for job in jobs.drain(..) {
            rows.push(job.row);
            replies.push(job.reply);
        }
        crate::metrics::app().rating_batches.observe(rows.len() as f64);
        let stored = match kept.get().await {
            Ok(connection) => store.insert_ratings_on(connection, &rows).await,
            Err(error) => Err(error),
        };
        match stored {
            Ok(outcomes) => {
                for (reply, outcome) in replies.drain(..).zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                kept.give_back();
                tracing::error!(error = ?error, batch = rows.len(), "could not store a batch of ratings");
                for reply in replies.drain(..) {
                    let _ = reply.send(Err(()));
                }
            }
        }
        rows.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::on_both_backends;

    async fn service(store: &Store) -> RatingService {
        service_with(store, Limits::default()).await
    }

    async fn service_with(store: &Store, limits: Limits) -> RatingService {
        store
            .load_seed(&crate::demo::demo_seed(0).unwrap())
            .await
            .unwrap();
        let counters = CounterDirectory::load(store.clone()).await.unwrap();
        RatingService::start(store.clone(), counters, chrono_tz::Asia::Shanghai, limits)
    }

    /// Limits no test load reaches.
    fn generous() -> Limits {
        Limits { per_device: 10_000, per_address: 10_000, per_counter: 10_000, burst_floor: 10_000, burst_factor: 1 }
    }

    fn from(device: u128, address: &str) -> Source {
        Source { device: Some(device), address: Some(address.parse().unwrap()) }
    }

    fn form(level: &str, ticket: &str) -> RatingForm {
        RatingForm {
            level: level.into(),
            tags: vec!["speed".into()],
            comment: String::new(),
            ticket: ticket.into(),
        }
    }

    #[tokio::test]
    async fn a_bad_rating_opens_a_follow_up_and_a_good_one_does_not() {
        use crate::domain::RatingLevel;
        on_both_backends(|store| async move {
            let ratings = service(&store).await;
            for level in 1..=5u8 {
                let before = store.count_open_follow_ups().await.unwrap();
                ratings.submit("a01", &form(&level.to_string(), ""), Source::default()).await.unwrap();
                let opened = store.count_open_follow_ups().await.unwrap() - before;
                let good = RatingLevel::parse(&level.to_string()).unwrap().is_good();
                assert_eq!(opened, u64::from(!good), "level {level}");
            }
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_concurrent_ratings_are_each_committed_once() {
        on_both_backends(|store| async move {
            let ratings = service_with(&store, generous()).await;
            let tasks: Vec<_> = (0..400)
                .map(|i| {
                    let ratings = ratings.clone();
                    tokio::spawn(async move {
                        ratings
                            .submit("a01", &form(&((i % 5) + 1).to_string(), ""), Source::default())
                            .await
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap().unwrap();
            }
            assert_eq!(store.count_ratings().await.unwrap(), 400);
            let a01 = ratings.open_counter("A01").await.unwrap();
            assert_eq!(
                store
                    .totals_of_counter(a01.id, "2999-01-01")
                    .await
                    .unwrap()
                    .levels,
                [80; 5]
            );
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_same_ticket_sent_at_once_is_taken_exactly_once() {
        on_both_backends(|store| async move {
            let ratings = service(&store).await;
            let tasks: Vec<_> = (0..50)
                .map(|_| {
                    let ratings = ratings.clone();
                    tokio::spawn(async move { ratings.submit("A01", &form("5", "Q-0042"), Source::default()).await })
                })
                .collect();
            let mut stored = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(_) => stored += 1,
                    Err(RatingError::Invalid(e)) => {
                        assert_eq!(e.get(Field::Ticket), Some(Problem::TicketUsed))
                    }
                    Err(other) => panic!("unexpected {other:?}"),
                }
            }
            assert_eq!(stored, 1);
            assert_eq!(store.count_ratings().await.unwrap(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn unknown_and_retired_counters_take_no_rating() {
        on_both_backends(|store| async move {
            let ratings = service(&store).await;
            assert_eq!(
                ratings.submit("NOPE", &form("5", ""), Source::default()).await.unwrap_err(),
                RatingError::UnknownCounter
            );
            assert_eq!(
                ratings.submit("B06", &form("5", ""), Source::default()).await.unwrap_err(),
                RatingError::UnknownCounter
            );
            assert_eq!(
                ratings.submit("../etc", &form("5", ""), Source::default()).await.unwrap_err(),
                RatingError::UnknownCounter
            );
            assert!(matches!(
                ratings.submit("A01", &form("", ""), Source::default()).await,
                Err(RatingError::Invalid(_))
            ));
            assert_eq!(store.count_ratings().await.unwrap(), 0);
        })
        .await;
    }

    #[tokio::test]
    async fn stuffing_is_stored_held_out_of_the_numbers_and_decided_by_the_bureau() {
        use crate::domain::{HoldDecision, HoldReason};
        on_both_backends(|store| async move {
            // 10:15 in the office (Shanghai): a fixed hour, so no window closes mid-test.
            let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(2, 15, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis();
            let clock = crate::clock::Clock::manual(at);
            let ratings = service(&store).await.with_clock(clock.clone());
            let a01 = ratings.open_counter("A01").await.unwrap().id;
            let counted = || async { store.totals_of_counter(a01, "2999-01-01").await.unwrap().count() };
            let follow_ups = || async { store.count_open_follow_ups().await.unwrap() };

            // People rate as people do: counted.
            ratings.submit("A01", &form("5", ""), from(1, "10.0.1.1")).await.unwrap();
            ratings.submit("A01", &form("4", ""), from(2, "10.0.2.1")).await.unwrap();
            // One browser again and again: its third rating is held, not refused.
            for _ in 0..3 {
                ratings.submit("A01", &form("5", ""), from(3, "10.0.3.1")).await.unwrap();
            }
            assert_eq!(counted().await, 4);
            assert_eq!(store.count_ratings().await.unwrap(), 5);
            // One address with a fresh browser each time, all "very dissatisfied": the
            // first six count (and open their follow-ups), the rest are held and open none.
            let before = follow_ups().await;
            for i in 0..10 {
                ratings.submit("A01", &form("1", ""), from(100 + i, "10.9.9.9")).await.unwrap();
            }
            assert_eq!(counted().await, 10);
            assert_eq!(follow_ups().await - before, 6);
            // More than a counter serves in an hour (20 here, with no history): a burst, and
            // the whole hour at A01 is held, what was counted before included.
            for i in 0..10 {
                ratings.submit("A01", &form("1", ""), from(200 + i, &format!("10.8.{i}.1"))).await.unwrap();
            }
            assert_eq!(store.count_ratings().await.unwrap(), 25);
            assert_eq!(counted().await, 0, "a burst holds its whole hour");
            let groups = store.held_groups().await.unwrap();
            let by = |reason: HoldReason| {
                groups.iter().filter(|g| g.reason == reason.as_str()).map(|g| g.ratings).sum::<i64>()
            };
            assert_eq!(
                (by(HoldReason::Device), by(HoldReason::Address), by(HoldReason::Burst)),
                (1, 4, 20),
                "{groups:?}"
            );
            assert!(groups.iter().all(|g| g.counter_code == "A01" && g.day == "2026-03-02" && g.hour == 10));
            // Another counter is not touched.
            ratings.submit("A02", &form("5", ""), from(1, "10.0.1.1")).await.unwrap();
            let a02 = ratings.open_counter("A02").await.unwrap();
            assert_eq!(store.totals_of_counter(a02.id, "2999-01-01").await.unwrap().count(), 1);

            // The bureau releases the burst (counted again, its held bad ratings now open
            // their follow-ups) and rejects the address block's.
            let supervisor = store.staff_by_username("supervisor").await.unwrap().unwrap().id;
            let decide = |reason, decision| {
                let store = store.clone();
                async move {
                    store
                        .decide_held(a01, "2026-03-02", 10, reason, decision, "checked the queue log", supervisor, at + 60_000)
                        .await
                        .unwrap()
                }
            };
            let before = follow_ups().await;
            assert_eq!(decide(HoldReason::Burst, HoldDecision::Released).await, 20);
            assert_eq!(counted().await, 20);
            // Of the twenty, the five bad ratings held on arrival open their follow-ups now;
            // the eleven bad ones counted before the burst opened theirs then.
            assert_eq!(follow_ups().await - before, 5, "held bad ratings open their follow-ups once released");
            assert_eq!(decide(HoldReason::Address, HoldDecision::Rejected).await, 4);
            // Deciding again decides nothing: nothing is released twice.
            assert_eq!(decide(HoldReason::Burst, HoldDecision::Released).await, 0);
            assert_eq!(decide(HoldReason::Address, HoldDecision::Released).await, 0);
            assert_eq!(counted().await, 20);
            let left: Vec<_> = store.held_groups().await.unwrap();
            assert_eq!(left.len(), 1, "the device's hold still waits: {left:?}");
            // Holds and decisions are entries of the public record, and it holds.
            assert!(matches!(
                store.verify_ledger().await.unwrap(),
                crate::store::ledger::Verification::Clean { .. }
            ));
        })
        .await;
    }

    #[tokio::test]
    async fn a_burst_is_held_from_where_the_counter_went_past_its_usual() {
        on_both_backends(|store| async move {
            // Monday 2 March 2026, 10:05 in the office.
            let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(2, 5, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis();
            let ratings = service(&store).await;
            let a01 = ratings.open_counter("A01").await.unwrap();
            let (a01_id, hall_id) = (a01.id, a01.hall_id);
            // The eight Mondays before, five ratings each at 10:00: A01's usual is 5, a
            // burst begins past 20.
            let week = 7 * 86_400_000;
            let history: Vec<RatingRow> = (1..=8)
                .flat_map(|k| {
                    let day = chrono::DateTime::from_timestamp_millis(at - k * week).unwrap().with_timezone(&chrono_tz::Asia::Shanghai);
                    (0..5).map(move |_| RatingRow {
                        counter_id: a01_id,
                        hall_id,
                        level: 5,
                        tags: 0,
                        comment: None,
                        ticket: None,
                        created_at_ms: at - k * week,
                        local_day: day.format("%Y-%m-%d").to_string(),
                        local_hour: 10,
                        hold: None,
                    })
                })
                .collect();
            store.insert_ratings(&history).await.unwrap();
            let clock = crate::clock::Clock::manual(at);
            let ratings = ratings.with_clock(clock.clone());
            // A usual morning: five people.
            for i in 0..5u8 {
                ratings.submit("A01", &form("5", ""), from(u128::from(i), &format!("10.0.{i}.1"))).await.unwrap();
            }
            // At 10:30 a script from one address: past the usual from its first rating.
            clock.advance(std::time::Duration::from_secs(25 * 60));
            for i in 0..30 {
                ratings.submit("A01", &form("1", ""), from(100 + i, "10.9.9.9")).await.unwrap();
            }
            let totals = store.totals_of_counter(a01.id, "2999-01-01").await.unwrap();
            assert_eq!(totals.count(), 40 + 5, "the morning's five stay counted, no fake does");
            assert_eq!(totals.levels[0], 0);
            let held: i64 = store.held_groups().await.unwrap().iter().map(|g| g.ratings).sum();
            assert_eq!(held, 30);
        })
        .await;
    }
}

