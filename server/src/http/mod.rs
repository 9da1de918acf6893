//! The HTTP surface: the WebSocket endpoint, the JSON API, health checks and the embedded web
//! client, behind security headers on every response.
//!
//! The only layer (with `app` and `main`) that knows axum.

mod api;
mod assets;
pub mod device;
mod error;
pub mod security;
pub mod session;
pub mod ws;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

pub use error::ApiError;

/// Largest JSON request body the API accepts.
pub const API_BODY_LIMIT_BYTES: usize = 64 * 1024;

/// The whole application's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/ws", get(ws::upgrade))
        .route("/healthz", get(api::healthz))
        .route("/readyz", get(api::readyz))
        .merge(api::routes(&state))
        .fallback(get(assets::serve))
        .layer(axum::extract::DefaultBodyLimit::max(API_BODY_LIMIT_BYTES))
        .layer(axum::middleware::map_response(security::headers))
        .with_state(state)
}
