//! What sessions leave behind, for a group's facilitators: the audit log, session summaries and
//! bans (which can be lifted here). Codes and counts only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::{Ids, Params, group_for, not_found, record};
use crate::app::AppState;
use crate::domain::{AccountId, GroupId, ParticipantId};
use crate::http::error::ApiError;
use crate::http::session::Facilitator;
use crate::store::{AuditAction, BanId, ReasonCode};

/// Rows per page unless the caller asks for fewer (at most 500).
const DEFAULT_PAGE: u32 = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AuditQuery {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    before: Option<i64>,
}

#[derive(Serialize)]
pub(super) struct AuditView {
    id: i64,
    /// Unix milliseconds.
    at: i64,
    actor: Option<AccountId>,
    subject: Option<AccountId>,
    action: AuditAction,
    participant: Option<ParticipantId>,
    reason: Option<ReasonCode>,
}

#[derive(Serialize)]
pub(super) struct AuditList {
    events: Vec<AuditView>,
}

/// `GET /api/groups/{id}/audit?limit=&before=`: the group's audit events, newest first; pass the
/// last `id` as `before` for the next page.
pub(super) async fn audit(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
    Params(query): Params<AuditQuery>,
) -> Result<Json<AuditList>, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    let events = state
        .store()
        .audit_for_group(id, query.limit.unwrap_or(DEFAULT_PAGE), query.before)
        .await?;
    Ok(Json(AuditList {
        events: events
            .into_iter()
            .map(|record| AuditView {
                id: record.id,
                at: record.event.at.0,
                actor: record.event.actor,
                subject: record.event.subject,
                action: record.event.action,
                participant: record.event.participant,
                reason: record.event.reason,
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SessionsQuery {
    #[serde(default)]
    limit: Option<u32>,
}

#[derive(Serialize)]
pub(super) struct SessionView {
    id: i64,
    started_at: Option<i64>,
    ended_at: i64,
    members_joined: u32,
    peak_present: u32,
    messages_sent: u32,
}

#[derive(Serialize)]
pub(super) struct SessionList {
    sessions: Vec<SessionView>,
}

/// `GET /api/groups/{id}/sessions?limit=`: the group's past sessions (counts only), newest first.
pub(super) async fn sessions(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
    Params(query): Params<SessionsQuery>,
) -> Result<Json<SessionList>, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    let sessions = state
        .store()
        .sessions_for_group(id, query.limit.unwrap_or(DEFAULT_PAGE))
        .await?;
    Ok(Json(SessionList {
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                id: s.id,
                started_at: s.summary.started_at.map(|t| t.0),
                ended_at: s.summary.ended_at.0,
                members_joined: s.summary.members_joined,
                peak_present: s.summary.peak_present,
                messages_sent: s.summary.messages_sent,
            })
            .collect(),
    }))
}

#[derive(Serialize)]
pub(super) struct BanView {
    id: BanId,
    created_at: i64,
    created_by: Option<AccountId>,
    reason: ReasonCode,
    lifted_at: Option<i64>,
    lifted_by: Option<AccountId>,
}

#[derive(Serialize)]
pub(super) struct BanList {
    bans: Vec<BanView>,
}

/// `GET /api/groups/{id}/bans`: the group's bans, newest first, lifted ones included. A ban
/// names no one: it holds only the keyed hash of a browser's device key, which is not shown.
pub(super) async fn bans(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
) -> Result<Json<BanList>, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    let bans = state.store().bans_for_group(id).await?;
    Ok(Json(BanList {
        bans: bans
            .into_iter()
            .map(|ban| BanView {
                id: ban.id,
                created_at: ban.created_at.0,
                created_by: ban.created_by,
                reason: ban.reason,
                lifted_at: ban.lifted_at.map(|t| t.0),
                lifted_by: ban.lifted_by,
            })
            .collect(),
    }))
}

/// `DELETE /api/groups/{id}/bans/{ban}`: lifts a ban (audited as `ban_lifted`). 204; 404 when it
/// is not a ban of this group in force.
pub(super) async fn lift_ban(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids((id, ban)): Ids<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    let now = state.clock().now();
    let Some(device) = state
        .store()
        .lift_ban_of(id, BanId(ban), Some(who.account), now)
        .await?
    else {
        return Err(not_found());
    };
    // A live session still refuses the browser it banned; let it back in there too.
    if let Some(room) = state.registry().get(id) {
        room.forgive(device).await;
    }
    record(&state, Some(id), &who, None, AuditAction::BanLifted).await;
    Ok(StatusCode::NO_CONTENT)
}
