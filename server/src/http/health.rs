//! `GET /healthz`: is the service up, and can it reach its database?

use app::state::AppState;
use axum::Json;
use axum::extract::State;
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
