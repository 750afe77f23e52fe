//! A realistic data set for the statistics benchmarks: counters added up to a total, a year
//! (or any number of days) of ratings ending yesterday — most on working days, at office
//! hours with morning and afternoon peaks, each counter with its own quality — and
//! complaints handled at varied speeds. Ratings go through the same batch insert as real
//! ones, so the daily and hourly counts and the follow-ups of bad ratings are all kept.
//!
//! Cases are left as a year of service would leave them: what the staff and citizens did
//! (a step whose deadline passed was done by today, late), and unconfirmed replies closed
//! as the deadline scheduler closes them. Only cases whose deadline is today or later are
//! still open, with their deadline set and, if it is today, the reminder sent, so that a
//! server started on the data set is in step with it, not working through a year of
//! scheduler rounds. (The escalations a late step would have caused are not recorded.)

use super::rollup::Rules;
use crate::clock::{office_day, office_day_start_ms};
use crate::domain::Category;
use crate::domain::case::{CaseKind, Stage};
use crate::store::{GeneratedCase, Handling, RatingRow, Store, StoreError};
use chrono::{Datelike, Days, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Clone, Debug)]
pub struct Plan {
    pub ratings: u64,
    /// Counters in all, at least those already there.
    pub counters: u32,
    pub complaints: u64,
    pub days: u32,
    /// The last day with data (yesterday, so every day is published).
    pub last_day: NaiveDate,
    pub time_zone: Tz,
    pub seed: u64,
}

/// What `generate` reports as it goes: (stage, done, of).
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64, u64);

const RATINGS_PER_BATCH: usize = 20_000;
const CASES_PER_BATCH: usize = 5_000;
const HOUR_MS: i64 = 3_600_000;

/// Builds a case's handling step by step, as of the start of `today`.
struct Steps<'a> {
    rules: &'a Rules<'a>,
    /// The first millisecond of today: every step done happened before it.
    now: i64,
    today: NaiveDate,
    last: i64,
    handling: Handling,
    /// A step was not done yet: the case waits for it, and no later step happens.
    waiting: bool,
}

impl<'a> Steps<'a> {
    fn new(rules: &'a Rules<'a>, today: NaiveDate, created_at: i64) -> Steps<'a> {
        Steps {
            rules,
            now: office_day_start_ms(rules.time_zone, today),
            today,
            last: created_at,
            handling: Handling::default(),
            waiting: false,
        }
    }

    fn day(&self, ms: i64) -> NaiveDate {
        office_day(self.rules.time_zone, ms)
    }

    fn working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        self.rules.calendar.add_working_days(from, n)
    }

    /// The next step, `after` the last one, if it is due by `due`: done then if that is
    /// before today; done late (just before today) if its deadline has passed; otherwise
    /// not done yet, and the case waits for it with that deadline. Returns whether it was
    /// done.
    fn step(&mut self, kind: &'static str, status: &'static str, after: i64, due: NaiveDate, remind: bool) -> bool {
        if self.waiting {
            return false;
        }
        let at = self.last + after;
        let at = if at < self.now {
            Some(at)
        } else if due < self.today {
            Some(self.last + (self.now - self.last) / 2)
        } else {
            None
        };
        match at {
            Some(at) => {
                self.handling.events.push((kind, status, at));
                self.last = at;
                true
            }
            None => {
                self.waiting = true;
                self.handling.due_on = Some(due.format("%Y-%m-%d").to_string());
                if remind && due == self.today {
                    self.handling.reminded_for = self.handling.due_on.clone();
                }
                false
            }
        }
    }

    fn finish(self) -> Handling {
        self.handling
    }
}

/// A complaint: accepted within the accept limit mostly, answered, then confirmed by the
/// citizen or, unconfirmed, closed by the scheduler the day after the citizen's time.
fn complaint_handling(rng: &mut StdRng, rules: &Rules, today: NaiveDate, category: &str, created_at: i64) -> Handling {
    let limit = |stage| rules.limits.days(CaseKind::Complaint, Some(category), stage);
    let mut steps = Steps::new(rules, today, created_at);
    let accept_due = steps.working_days(steps.day(created_at), limit(Stage::Accept));
    if !steps.step("accept", "accepted", rng.random_range(1..60) * HOUR_MS, accept_due, true) {
        return steps.finish();
    }
    let reply_due = steps.working_days(steps.day(steps.last), limit(Stage::Reply));
    if !steps.step("reply", "replied", rng.random_range(4..200) * HOUR_MS, reply_due, true) {
        return steps.finish();
    }
    let confirm_due = steps.day(steps.last) + Days::new(u64::from(limit(Stage::Confirm)));
    let answer_after = rng.random_range(2..150) * HOUR_MS;
    // An answer after the citizen's time is too late: the case was closed unconfirmed.
    if rng.random_bool(0.85) && steps.day(steps.last + answer_after) <= confirm_due {
        steps.step("satisfied", "closed", answer_after, confirm_due, false);
    } else {
        // Unanswered: the scheduler closes it on the first day after the citizen's time.
        let closes = office_day_start_ms(rules.time_zone, confirm_due + Days::new(1)) + HOUR_MS / 6;
        steps.step("unconfirmed", "closed", (closes - steps.last).max(1), confirm_due, false);
    }
    steps.finish()
}

/// A bad rating's follow-up: accepted, then followed up (the citizen called back or
/// answered), mostly within its limit (counted from the rating's day).
fn follow_up_handling(rng: &mut StdRng, rules: &Rules, today: NaiveDate, created_at: i64) -> Handling {
    let mut steps = Steps::new(rules, today, created_at);
    let days = rules.limits.days(CaseKind::RatingFollowUp, None, Stage::FollowUp);
    let due = steps.working_days(steps.day(created_at), days);
    if steps.step("accept", "accepted", rng.random_range(1..30) * HOUR_MS, due, true) {
        steps.step("follow_up", "closed", rng.random_range(2..80) * HOUR_MS, due, true);
    }
    steps.finish()
}

fn hour(rng: &mut StdRng) -> u8 {
    // Office hours, busiest at 10 and 15.
    const WEIGHTS: [(u8, u32); 10] = [
        (8, 5), (9, 12), (10, 16), (11, 13), (12, 5), (13, 7), (14, 12), (15, 14), (16, 11), (17, 5),
    ];
    let total: u32 = WEIGHTS.iter().map(|w| w.1).sum();
    let mut pick = rng.random_range(0..total);
    for (h, w) in WEIGHTS {
        if pick < w {
            return h;
        }
        pick -= w;
    }
    10
}

fn local_ms(tz: Tz, day: NaiveDate, hour: u8, minute: u32) -> i64 {
    let time = day
        .and_hms_opt(u32::from(hour), minute, 0)
        .unwrap_or_default();
    tz.from_local_datetime(&time)
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}

/// Generates the data set into `store` (which must hold the demo's halls and departments).
pub async fn generate(
    store: &Store,
    plan: &Plan,
    rules: &Rules<'_>,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    let today = plan.last_day + Days::new(1);
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let halls = store.halls().await?;
    let departments = store.departments().await?;
    let existing = store.all_counters().await?;
    let missing = (plan.counters as usize).saturating_sub(existing.len());
    if missing > 0 && !halls.is_empty() && !departments.is_empty() {
        let extra: Vec<(String, i64, i64, String)> = (0..missing)
            .map(|i| {
                let code = format!("G{:03}", i + 1);
                let name = format!("Counter {code}");
                (code, halls[i % halls.len()].id, departments[i % departments.len()].id, name)
            })
            .collect();
        store.add_counters(&extra).await?;
    }
    let counters: Vec<_> = store.all_counters().await?.into_iter().filter(|c| !c.retired).collect();
    if counters.is_empty() {
        return Ok(());
    }
    let department_of: std::collections::HashMap<String, i64> =
        departments.iter().map(|d| (d.code.clone(), d.id)).collect();
    // Each counter's share of good ratings, 93% to 99.5%, and how busy it is.
    let quality: Vec<f64> = counters.iter().map(|_| rng.random_range(0.93..0.995)).collect();
    let busy: Vec<u32> = counters.iter().map(|_| rng.random_range(1..=4)).collect();
    let busy_total: u32 = busy.iter().sum();

    let first_day = plan.last_day - Days::new(u64::from(plan.days.max(1)) - 1);
    let days: Vec<NaiveDate> = (0..plan.days.max(1))
        .map(|i| first_day + Days::new(u64::from(i)))
        .collect();
    // Weekends get a tenth of a weekday's ratings (a few halls open on Saturday).
    let weight = |d: &NaiveDate| if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) { 1 } else { 10 };
    let total_weight: u64 = days.iter().map(|d| weight(d)).sum();

    let mut batch = Vec::with_capacity(RATINGS_PER_BATCH);
    let mut written = 0u64;
    // Each day's share, by cumulative targets so the days add up to exactly `ratings`.
    let mut weight_so_far = 0u64;
    for day in &days {
        let before = plan.ratings * weight_so_far / total_weight.max(1);
        weight_so_far += weight(day);
        let today_count = plan.ratings * weight_so_far / total_weight.max(1) - before;
        let day_text = day.format("%Y-%m-%d").to_string();
        for _ in 0..today_count {
            let mut pick = rng.random_range(0..busy_total);
            let mut i = 0;
            while pick >= busy[i] {
                pick -= busy[i];
                i += 1;
            }
            let c = &counters[i];
            let good = rng.random_bool(quality[i]);
            let level = if good {
                *[3, 4, 4, 5, 5, 5].get(rng.random_range(0..6)).unwrap_or(&5)
            } else if rng.random_bool(0.5) {
                2
            } else {
                1
            };
            let h = hour(&mut rng);
            batch.push(RatingRow {
                counter_id: c.id,
                hall_id: c.hall_id,
                level,
                tags: 0,
                comment: None,
                ticket: None,
                created_at_ms: local_ms(plan.time_zone, *day, h, rng.random_range(0..60)),
                local_day: day_text.clone(),
                local_hour: h,
                hold: None,
            });
            if batch.len() == RATINGS_PER_BATCH {
                store.insert_ratings(&batch).await?;
                written += batch.len() as u64;
                batch.clear();
                progress("ratings", written, plan.ratings);
            }
        }
    }
    if !batch.is_empty() {
        store.insert_ratings(&batch).await?;
        written += batch.len() as u64;
        progress("ratings", written, plan.ratings);
    }

    // The follow-ups the bad ratings opened, handled.
    let of = store.count_open_follow_ups().await?;
    let mut after = 0;
    let mut settled_count = 0u64;
    loop {
        let open = store.open_follow_ups(after, CASES_PER_BATCH as i64).await?;
        let Some(last) = open.last() else { break };
        after = last.id;
        let settled: Vec<_> = open
            .into_iter()
            .map(|case| (case, follow_up_handling(&mut rng, rules, today, case.created_at)))
            .collect();
        store.settle_follow_ups(&settled).await?;
        settled_count += settled.len() as u64;
        progress("follow-ups", settled_count, of);
    }

    // Complaints, handled at varied speeds.
    let locales = ["zh-Hant", "zh-Hans", "en"];
    let mut cases = Vec::with_capacity(CASES_PER_BATCH);
    let mut filed = 0u64;
    let stamp = rng.random::<u32>();
    for n in 0..plan.complaints {
        let day = days[rng.random_range(0..days.len())];
        let c = &counters[rng.random_range(0..counters.len())];
        let created_at = local_ms(plan.time_zone, day, hour(&mut rng), rng.random_range(0..60));
        let category = Category::ALL[rng.random_range(0..Category::ALL.len())].code();
        let handling = complaint_handling(&mut rng, rules, today, category, created_at);
        cases.push(GeneratedCase {
            submission_id: format!("gen-{stamp:08x}-{n}"),
            category,
            counter_id: c.id,
            hall_id: c.hall_id,
            department_id: department_of.get(&c.department_code).copied().unwrap_or(0),
            locale: locales[rng.random_range(0..locales.len())],
            created_at,
            handling,
        });
        if cases.len() == CASES_PER_BATCH {
            store.insert_generated_cases(&cases).await?;
            filed += cases.len() as u64;
            cases.clear();
            progress("complaints", filed, plan.complaints);
        }
    }
    if !cases.is_empty() {
        store.insert_generated_cases(&cases).await?;
        filed += cases.len() as u64;
        progress("complaints", filed, plan.complaints);
    }
    Ok(())
}
