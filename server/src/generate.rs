//! `server generate-data`: fills the database at `DATABASE_URL` (the demo first, if it is
//! empty) with a realistic data set for the statistics benchmarks: a progress bar with the
//! time left on a terminal, a plain line every tenth of the way otherwise.

use app::demo::{DemoMode, load_demo_if_empty};
use app::calendar::WorkingCalendar;
use app::office::TimeLimits;
use app::stats::generate::{Plan, generate};
use app::stats::rollup::{Rules, roll_up};
use app::store::Store;
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// How much to make. Numbers may be written with underscores (10_000_000).
#[derive(clap::Args)]
pub struct Options {
    /// Ratings, spread over the days.
    #[arg(long, default_value = "10_000_000", value_parser = count)]
    ratings: u64,
    /// Counters (the demo's 15 first, then made-up ones).
    #[arg(long, default_value = "500", value_parser = count)]
    counters: u64,
    /// Complaints, handled at varied speeds.
    #[arg(long, default_value = "100_000", value_parser = count)]
    complaints: u64,
    /// Days of history, ending yesterday (1 to 3660).
    #[arg(long, default_value = "365", value_parser = count)]
    days: u64,
    /// The random seed: the same seed makes the same data.
    #[arg(long, default_value = "20261126", value_parser = count)]
    seed: u64,
}

fn count(text: &str) -> Result<u64, String> {
    text.replace('_', "").parse::<u64>().map_err(|_| format!("{text:?} is not a whole number"))
}

/// Shows how far a stage is: a bar with the time left on a terminal, else a line each
/// tenth of the way (a log file gets no carriage returns).
struct Progress {
    terminal: bool,
    stage: String,
    started: Instant,
    last_tenth: u64,
}

impl Progress {
    fn new() -> Self {
        Progress { terminal: std::io::stderr().is_terminal(), stage: String::new(), started: Instant::now(), last_tenth: 0 }
    }

    fn show(&mut self, stage: &str, done: u64, of: u64) {
        if self.stage != stage {
            self.stage = stage.to_string();
            self.started = Instant::now();
            self.last_tenth = 0;
        }
        let done = done.min(of);
        let percent = if of == 0 { 100 } else { done * 100 / of };
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = if done == 0 { 0.0 } else { elapsed * (of - done) as f64 / done as f64 };
        if self.terminal {
            let width: u64 = 30;
            let filled = (percent * width / 100) as usize;
            eprint!(
                "\r{stage:<10} [{}{}] {percent:>3}%  {done} of {of}  {:.0} s left ",
                "#".repeat(filled),
                ".".repeat(width as usize - filled),
                left
            );
            if done >= of {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        } else if percent / 10 > self.last_tenth || (done >= of && self.last_tenth < 10) {
            self.last_tenth = percent / 10;
            eprintln!("{stage}: {percent}% ({done} of {of}), {elapsed:.0} s so far, about {left:.0} s left");
        }
    }
}

pub async fn run(options: Options, config: &server::config::Config) -> Result<(), String> {
    let plan = Plan {
        ratings: options.ratings,
        counters: options.counters.min(u64::from(u32::MAX)) as u32,
        complaints: options.complaints,
        days: options.days.clamp(1, 3660) as u32,
        last_day: chrono::Utc::now().with_timezone(&config.time_zone).date_naive()
            - chrono::Days::new(1),
        time_zone: config.time_zone,
        seed: options.seed,
    };
    let store = Store::connect(&config.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let now = chrono::Utc::now().timestamp_millis();
    load_demo_if_empty(&store, DemoMode::On, false, now)
        .await
        .map_err(|e| format!("demo: {e}"))?;
    eprintln!(
        "generating {} ratings over {} days to {}, {} counters, {} complaints",
        plan.ratings, plan.days, plan.last_day, plan.counters, plan.complaints
    );
    let started = Instant::now();
    let mut shown = Progress::new();
    let mut progress = |stage: &str, done: u64, of: u64| shown.show(stage, done, of);
    // Cases are handled by the calendar and time limits the server will use.
    let calendar = WorkingCalendar::from_rows(
        store.calendar_days().await.map_err(|e| format!("storage: {e:?}"))?,
    );
    let limits = TimeLimits::from_rows(store.time_limits().await.map_err(|e| format!("storage: {e:?}"))?);
    let rules = Rules {
        calendar: &calendar,
        limits: &limits,
        time_zone: plan.time_zone,
    };
    generate(&store, &plan, &rules, &mut progress)
        .await
        .map_err(|e| format!("storage: {e:?}"))?;
    // The statistics of cases read per-day roll-ups: made here, so that the server starts
    // on a data set that is ready.
    roll_up(&store, &rules, plan.last_day + chrono::Days::new(1), &mut |done, of| {
        shown.show("roll-up", done, of)
    })
    .await
    .map_err(|e| format!("storage: {e:?}"))?;
    let settle_started = Instant::now();
    eprintln!("settling the database after the bulk load (VACUUM/ANALYZE)");
    store.settle_after_bulk_load().await.map_err(|e| format!("storage: {e:?}"))?;
    eprintln!("settled in {:.1} s", settle_started.elapsed().as_secs_f64());
    eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    store.close().await;
    Ok(())
}
