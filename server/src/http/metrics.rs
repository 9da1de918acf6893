//! `GET /metrics` in the Prometheus text format, served on a listener of its own
//! (`--metrics-bind`, loopback by default) so the public chat port never exposes it.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::app::AppState;
use crate::metrics::Snapshot;

/// The content type of the text exposition format.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The metrics listener's routes: `/metrics` only.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let snapshot = Snapshot {
        live_rooms: state.registry().live_rooms(),
    };
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        state.metrics().render(snapshot),
    )
}
