//! `GET /metrics` in the Prometheus text format, on its own address
//! (`COUNTERPOINT_METRICS_BIND`), never on the public one: requests and latency by route
//! class, refusals, the rating writer's batches, the outbox, the scheduler and the
//! statistics' roll-up.

use super::observe::write_http;
use app::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use std::fmt::Write;
use std::sync::atomic::Ordering;

pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(metrics)).with_state(state)
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut out = String::with_capacity(8 * 1024);
    write_http(&mut out);
    let app = app::metrics::app();
    out.push_str("# HELP counterpoint_rating_batch_size Ratings stored together by the single writer.\n");
    out.push_str("# TYPE counterpoint_rating_batch_size histogram\n");
    app.rating_batches.write(&mut out, "counterpoint_rating_batch_size", "");
    let now = chrono::Utc::now().timestamp_millis();
    let age = |ms: i64| if ms == 0 { -1.0 } else { (now - ms) as f64 / 1000.0 };
    let gauge = |out: &mut String, name: &str, help: &str, value: f64| {
        let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
    };
    gauge(
        &mut out,
        "counterpoint_scheduler_rounds",
        "Deadline scheduler rounds this server finished.",
        state.cases.deadline_rounds() as f64,
    );
    gauge(
        &mut out,
        "counterpoint_scheduler_last_round_age_seconds",
        "Seconds since this server's deadline scheduler last finished a round (-1: never); alert when far above its period.",
        age(app.scheduler_last_round_ms.load(Ordering::Relaxed)),
    );
    gauge(
        &mut out,
        "counterpoint_rollup_age_seconds",
        "Seconds since the statistics were last rolled up (-1: never).",
        age(app.rolled_up_ms.load(Ordering::Relaxed)),
    );
    match state.store.outbox_counts().await {
        Ok(counts) => {
            gauge(&mut out, "counterpoint_database_up", "1 when the database answered this scrape.", 1.0);
            gauge(&mut out, "counterpoint_outbox_pending", "Mails waiting to be sent.", counts.pending as f64);
            gauge(&mut out, "counterpoint_outbox_dead", "Mails given up after every attempt (dead letters).", counts.dead as f64);
        }
        Err(error) => {
            tracing::warn!(?error, "metrics could not read the outbox");
            gauge(&mut out, "counterpoint_database_up", "1 when the database answered this scrape.", 0.0);
        }
    }
    ([(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out)
}
