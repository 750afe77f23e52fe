//! `GET /healthz`: is the service up, and can it reach its database? `GET /readyz`: has
//! it also done the work it does at start, so that a load balancer may send it citizens?

use app::state::AppState;
use axum::{Extension, Json};
use axum::extract::State;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use axum::http::StatusCode;
use serde_json::{Value, json};

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let backend = state.store.backend().name();
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({
                "status": "ok",
                "database": { "backend": backend, "status": "ok" },
                "scheduler": { "rounds": state.cases.deadline_rounds() },
            })),
        ),
        Err(error) => {
            tracing::error!(?error, "health check could not reach the database");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({ "status": "unavailable", "database": { "backend": backend, "status": "unreachable" } }),
                ),
            )
        }
    }
}

/// The work a server does at start, still to finish: the statistics' first roll-up and the
/// first round of open data rendered ahead. Until both are done, views and downloads
/// asked for compete with them for the processor; `/readyz` says so, and a load balancer
/// keeps the server out of rotation meanwhile. The server answers every request all the
/// same.
#[derive(Clone, Debug)]
pub struct Readiness(Arc<AtomicUsize>);

impl Readiness {
    /// Ready once `done` has been called `tasks` times.
    pub fn new(tasks: usize) -> Readiness {
        Readiness(Arc::new(AtomicUsize::new(tasks)))
    }

    /// One start-up task has finished (well or not: a failure is logged and retried in
    /// the task's next round, and is no reason to keep the server out of rotation).
    pub fn done(&self) {
        let _ = self.0.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
    }

    pub fn is_ready(&self) -> bool {
        self.0.load(Ordering::Acquire) == 0
    }
}

/// `GET /readyz`: 200 once the start-up work is done and the database answers; 503 before.
pub async fn readyz(
    State(state): State<AppState>,
    Extension(readiness): Extension<Readiness>,
) -> (StatusCode, Json<Value>) {
    if !readiness.is_ready() {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "starting" })));
    }
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable" }))),
    }
}

#[cfg(test)]
mod tests {
    use super::Readiness;

    #[test]
    fn ready_once_every_start_up_task_is_done() {
        let readiness = Readiness::new(2);
        assert!(!readiness.is_ready());
        readiness.done();
        assert!(!readiness.is_ready());
        readiness.clone().done();
        assert!(readiness.is_ready());
        readiness.done();
        assert!(readiness.is_ready(), "a task done twice does not wrap around");
    }
}
