//! `server generate-data`: fills the database at `DATABASE_URL` (the demo first, if it is
//! empty) with a realistic data set for the statistics benchmarks, with a progress bar.
//!
//!   server generate-data [--ratings N] [--counters N] [--complaints N] [--days N]
//!
//! Defaults: 10,000,000 ratings over 365 days ending yesterday, 500 counters, 100,000
//! complaints.

use app::demo::{DemoMode, load_demo_if_empty};
use app::calendar::WorkingCalendar;
use app::office::TimeLimits;
use app::stats::generate::{Plan, generate};
use app::stats::rollup::{Rules, roll_up};
use app::store::Store;
use std::io::Write;
use std::time::Instant;

fn bar(stage: &str, done: u64, of: u64, started: Instant) {
    let width: u64 = 30;
    let filled = if of == 0 { width } else { done.min(of) * width / of } as usize;
    let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
    eprint!(
        "\r{stage:<10} [{}{}] {:>3}%  {done} of {of}  ({rate:.0}/s)",
        "#".repeat(filled),
        ".".repeat(width as usize - filled),
        if of == 0 { 100 } else { done.min(of) * 100 / of }
    );
    if done >= of {
        eprintln!();
    }
    let _ = std::io::stderr().flush();
}

pub async fn run(args: &[String], config: &server::config::Config) -> Result<(), String> {
    let mut plan = Plan {
        ratings: 10_000_000,
        counters: 500,
        complaints: 100_000,
        days: 365,
        last_day: chrono::Utc::now().with_timezone(&config.time_zone).date_naive()
            - chrono::Days::new(1),
        time_zone: config.time_zone,
        seed: 20_261_126,
    };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("--ratings", Some(v)) => plan.ratings = v,
            ("--counters", Some(v)) => plan.counters = v as u32,
            ("--complaints", Some(v)) => plan.complaints = v,
            ("--days", Some(v)) => plan.days = (v as u32).clamp(1, 3660),
            ("--seed", Some(v)) => plan.seed = v,
            (other, _) => return Err(format!("unknown or incomplete option {other}")),
        }
        i += 2;
    }
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
    let mut stage_started = ("ratings".to_string(), Instant::now());
    let mut progress = |stage: &str, done: u64, of: u64| {
        if stage_started.0 != stage {
            stage_started = (stage.to_string(), Instant::now());
        }
        bar(stage, done, of, stage_started.1);
    };
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
    let roll_started = Instant::now();
    roll_up(&store, &rules, plan.last_day + chrono::Days::new(1), &mut |done, of| {
        bar("roll-up", done, of, roll_started)
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
