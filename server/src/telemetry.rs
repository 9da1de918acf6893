//! Logging: JSON lines on stderr through `tracing`.
//!
//! Confidentiality is enforced here, not left to `RUST_LOG`: libraries that print whole frames or
//! queries at debug/trace level (tungstenite, sqlx, hyper) are clamped whatever the operator asks
//! for, because those frames carry message text and names.

use tracing_subscriber::EnvFilter;

/// Directives appended after the operator's `RUST_LOG`, so they win.
const CLAMPS: &[&str] = &[
    "tungstenite=warn",
    "tokio_tungstenite=warn",
    "axum::extract::ws=warn",
    "sqlx=warn",
    "hyper=warn",
    "hyper_util=warn",
    "h2=warn",
];

/// Installs the global subscriber. Call once, at start.
pub fn init() {
    let requested = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned());
    let mut filter = EnvFilter::builder().parse_lossy(&requested);
    for clamp in CLAMPS {
        if let Ok(directive) = clamp.parse() {
            filter = filter.add_directive(directive);
        }
    }
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_current_span(false)
        .init();
}
