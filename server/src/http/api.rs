//! JSON API handlers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use crate::app::AppState;
use crate::protocol::CrisisResources;

/// `GET /healthz`: the process is up.
pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers and is migrated.
pub(super) async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.store().ready().await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "The database is not reachable yet.",
        )
    })?;
    Ok("ready")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PreviewRequest {
    code: String,
}

#[derive(Debug, Serialize)]
pub(super) struct PreviewResponse {
    group: GroupPreview,
    resources: CrisisResources,
}

#[derive(Debug, Serialize)]
pub(super) struct GroupPreview {
    id: i64,
    name: String,
    description: String,
    rules: String,
}

/// `POST /api/invites/preview` with `{"code": "..."}`: what a member sees before joining (the
/// group's name and ground rules). The code travels in the body, never in a URL.
pub(super) async fn preview_invite(
    State(state): State<AppState>,
    Json(request): Json<PreviewRequest>,
) -> Result<Json<PreviewResponse>, ApiError> {
    let now = state.clock().now();
    let invalid = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "invite_invalid",
            "This invite link is not valid. It may have expired or been replaced; please ask \
             your facilitator for a new one.",
        )
    };
    let invite = state
        .invites()
        .resolve(&request.code, now)
        .await?
        .ok_or_else(invalid)?;
    let group = state
        .store()
        .group(invite.group)
        .await?
        .ok_or_else(invalid)?;
    Ok(Json(PreviewResponse {
        group: GroupPreview {
            id: group.id.0,
            name: group.name,
            description: group.description,
            rules: group.rules,
        },
        resources: state.crisis_resources(""),
    }))
}

/// `GET /api/resources`: the default crisis resources, for pages shown before a group is known.
pub(super) async fn resources(State(state): State<AppState>) -> Json<CrisisResources> {
    Json(state.crisis_resources(""))
}
