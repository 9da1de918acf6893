//! A group's invite links: list, create (the link is shown once), revoke, rotate.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};

use super::{Body, Ids, group_for, invalid, not_found, record};
use crate::app::AppState;
use crate::auth::FacilitatorIdentity;
use crate::domain::{AccountId, GroupId, Millis};
use crate::http::error::ApiError;
use crate::http::session::Facilitator;
use crate::store::{AuditAction, InviteId, InviteRecord};

/// Longest an invite may stay valid: a year.
pub(super) const MAX_EXPIRY_HOURS: u32 = 366 * 24;
/// Most joins one invite may allow.
pub(super) const MAX_USES: u32 = 10_000;

const HOUR_MS: i64 = 60 * 60 * 1000;

/// An invite as the API lists it: never its code.
#[derive(Debug, Serialize)]
pub(super) struct InviteView {
    id: InviteId,
    /// Unix milliseconds.
    created_at: i64,
    created_by: Option<AccountId>,
    expires_at: Option<i64>,
    max_uses: Option<u32>,
    uses: u32,
    revoked_at: Option<i64>,
    /// Still admits members now.
    usable: bool,
}

impl InviteView {
    fn new(invite: InviteRecord, now: Millis) -> InviteView {
        InviteView {
            usable: invite.is_usable(now),
            id: invite.id,
            created_at: invite.created_at.0,
            created_by: invite.created_by,
            expires_at: invite.expires_at.map(|t| t.0),
            max_uses: invite.max_uses,
            uses: invite.uses,
            revoked_at: invite.revoked_at.map(|t| t.0),
        }
    }
}

#[derive(Serialize)]
pub(super) struct InviteList {
    invites: Vec<InviteView>,
}

/// `GET /api/groups/{id}/invites`: the group's invites, newest first (codes are not stored, so
/// they cannot be shown again).
pub(super) async fn list(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
) -> Result<Json<InviteList>, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    let now = state.clock().now();
    let invites = state.store().invites_for_group(id).await?;
    Ok(Json(InviteList {
        invites: invites
            .into_iter()
            .map(|invite| InviteView::new(invite, now))
            .collect(),
    }))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateRequest {
    /// Hours until it stops working (1 to a year); none for no expiry.
    #[serde(default)]
    expires_in_hours: Option<u32>,
    /// Joins it allows (1 to 10,000); none for no limit.
    #[serde(default)]
    max_uses: Option<u32>,
}

#[derive(Serialize)]
pub(super) struct Created {
    invite: InviteView,
    /// The code, shown this once.
    code: String,
    /// The join link with the code in its fragment, shown this once.
    link: String,
}

/// `POST /api/groups/{id}/invites` with `{"expires_in_hours"?, "max_uses"?}`: a new invite.
/// 201 with the code and link (shown only now); 400; 404.
pub(super) async fn create(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    headers: HeaderMap,
    Ids(id): Ids<i64>,
    Body(request): Body<CreateRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    make(&state, &who, &headers, GroupId(id), &request, false).await
}

/// `POST /api/groups/{id}/invites/rotate`: revokes every invite of the group and makes a new one,
/// in one step. Same body and answer as creating one.
pub(super) async fn rotate(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    headers: HeaderMap,
    Ids(id): Ids<i64>,
    Body(request): Body<CreateRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    make(&state, &who, &headers, GroupId(id), &request, true).await
}

async fn make(
    state: &AppState,
    who: &FacilitatorIdentity,
    headers: &HeaderMap,
    id: GroupId,
    request: &CreateRequest,
    rotate: bool,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    group_for(state, who, id).await?;
    if request
        .expires_in_hours
        .is_some_and(|h| !(1..=MAX_EXPIRY_HOURS).contains(&h))
    {
        return Err(invalid("expires_in_hours: between 1 and 8784 (a year)."));
    }
    if request
        .max_uses
        .is_some_and(|n| !(1..=MAX_USES).contains(&n))
    {
        return Err(invalid("max_uses: between 1 and 10000."));
    }
    let now = state.clock().now();
    let expires_at = request
        .expires_in_hours
        .map(|hours| now.plus_ms(i64::from(hours) * HOUR_MS));
    let (invite_id, code) = state
        .invites()
        .create_by(id, now, expires_at, request.max_uses, who.account, rotate)
        .await?;
    let action = if rotate {
        AuditAction::InvitesRotated
    } else {
        AuditAction::InviteCreated
    };
    record(state, Some(id), who, None, action).await;
    let invite = state
        .store()
        .invites_for_group(id)
        .await?
        .into_iter()
        .find(|invite| invite.id == invite_id)
        .ok_or_else(ApiError::internal)?;
    let link = format!("{}/join#{code}", base_url(state, headers));
    Ok((
        StatusCode::CREATED,
        Json(Created {
            invite: InviteView::new(invite, now),
            code,
            link,
        }),
    ))
}

/// The address members use: `--public-url`, or else the Host the facilitator reached us at.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config().public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'-' | b'[' | b']'))
        })
        .map_or_else(|| state.config().bind.to_string(), str::to_owned);
    format!("http://{host}")
}

/// `DELETE /api/groups/{id}/invites/{invite}`: revokes one invite at once. 204; 404 when it is
/// not an invite of this group or already revoked.
pub(super) async fn revoke(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids((id, invite)): Ids<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    if !state
        .store()
        .revoke_invite(id, InviteId(invite), state.clock().now())
        .await?
    {
        return Err(not_found());
    }
    record(&state, Some(id), &who, None, AuditAction::InviteRevoked).await;
    Ok(StatusCode::NO_CONTENT)
}
