//! The browser client, embedded in the binary at build time from `web-client/`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use super::device;
use crate::app::AppState;

#[derive(RustEmbed)]
#[folder = "../web-client/"]
struct Assets;

/// Serves an embedded file; the pages of the single-page client (`/`, `/join`) get `index.html`,
/// the facilitator pages get theirs (`/setup`, `/login`, and `/console` with every path under
/// it, which `console.js` routes), and a browser opening a page gets its device key (see
/// `device.rs`).
pub(super) async fn serve(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = match path {
        "" | "join" | "join/" => "index.html",
        "setup" | "setup/" => "setup.html",
        "login" | "login/" => "login.html",
        "console" => "console.html",
        other if other.starts_with("console/") => "console.html",
        other => other,
    };
    let Some(file) = Assets::get(path) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let is_page = path.ends_with(".html");
    let mut response = (
        [(header::CONTENT_TYPE, file.metadata.mimetype().to_owned())],
        file.data,
    )
        .into_response();
    if is_page {
        device::ensure_cookie(&headers, &mut response, state.serves_https());
    }
    response
}
