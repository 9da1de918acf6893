//! The JSON API under `/api/`: health checks and the invite preview (here), the facilitator's own
//! session ([`account`]), operator account management ([`accounts`]), groups with their schedule,
//! settings and facilitators ([`groups`]), invites ([`invites`]), and what sessions leave behind
//! ([`records`]). `docs/api.md` documents every endpoint and error.
//!
//! Authorization comes from the session cookie only (see `http::session`): a facilitator sees and
//! changes the groups they facilitate, an operator every group and the accounts, a member nothing.
//! A group the caller may not see answers 404, exactly as one that does not exist.

mod account;
mod accounts;
mod groups;
mod invites;
mod records;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::session::{ClientAddr, cross_site_guard};
use crate::app::AppState;
use crate::auth::{FacilitatorIdentity, client_key};
use crate::domain::{AccountId, GroupId};
use crate::protocol::CrisisResources;
use crate::store::{AuditAction, AuditEvent, GroupRecord};

/// The `/api/` routes except the health checks, behind the cross-site guard.
pub(super) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/invites/preview", post(preview_invite))
        .route("/api/resources", get(resources))
        .route(
            "/api/setup",
            get(account::setup_needed).post(account::setup),
        )
        .route("/api/login", post(account::login))
        .route("/api/logout", post(account::logout))
        .route("/api/me", get(account::me))
        .route("/api/accounts", get(accounts::list).post(accounts::create))
        .route("/api/accounts/{id}/disable", post(accounts::disable))
        .route("/api/accounts/{id}/enable", post(accounts::enable))
        .route("/api/groups", get(groups::list).post(groups::create))
        .route("/api/groups/{id}", get(groups::get).patch(groups::update))
        .route("/api/groups/{id}/schedule", put(groups::set_schedule))
        .route("/api/groups/{id}/settings", put(groups::set_settings))
        .route("/api/groups/{id}/archive", post(groups::archive))
        .route(
            "/api/groups/{id}/facilitators",
            get(groups::facilitators).post(groups::add_facilitator),
        )
        .route(
            "/api/groups/{id}/facilitators/{account}",
            delete(groups::remove_facilitator),
        )
        .route(
            "/api/groups/{id}/invites",
            get(invites::list).post(invites::create),
        )
        .route("/api/groups/{id}/invites/rotate", post(invites::rotate))
        .route("/api/groups/{id}/invites/{invite}", delete(invites::revoke))
        .route("/api/groups/{id}/audit", get(records::audit))
        .route("/api/groups/{id}/sessions", get(records::sessions))
        .route("/api/groups/{id}/bans", get(records::bans))
        .route("/api/groups/{id}/bans/{ban}", delete(records::lift_ban))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cross_site_guard,
        ))
}

/// A JSON request body whose rejections are API errors (`bad_json`, `invalid_request`,
/// `json_required`, `body_too_large`) instead of axum's plain-text ones.
#[derive(Debug)]
pub(super) struct Body<T>(pub(super) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(err) => invalid(format!(
                    "The request has the wrong fields: {}.",
                    without_quoted_values(&err.body_text())
                )),
                JsonRejection::JsonSyntaxError(_) => ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_json",
                    "The request body is not valid JSON.",
                ),
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "json_required",
                    "Send the request as JSON (Content-Type: application/json).",
                ),
                _ => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "The request body is too large (at most 64 KiB).",
                ),
            }),
        }
    }
}

/// Path parameters; a malformed id answers 404, as an unknown one does.
#[derive(Debug)]
pub(super) struct Ids<T>(pub(super) T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Ids<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Ids(value))
            .map_err(|_: PathRejection| not_found())
    }
}

/// Query parameters, with API errors.
#[derive(Debug)]
pub(super) struct Params<T>(pub(super) T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Params(value))
            .map_err(|_: QueryRejection| {
                invalid("The query parameters are not valid numbers or names.")
            })
    }
}

/// serde's error text with quoted values cut out: a wrongly typed password must not come back
/// in the error (or reach a log through it).
fn without_quoted_values(text: &str) -> String {
    let text = text.split(" at line ").next().unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            if !quoted {
                out.push('…');
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out.chars().take(200).collect()
}

/// 400 `invalid_request` with a sentence naming what is wrong.
pub(super) fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
}

/// 404 `not_found`: no such thing, or not one the caller may see.
pub(super) fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "There is nothing here, or it is not yours to see.",
    )
}

/// 409 `conflict` with a sentence.
pub(super) fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, message)
}

/// 429 `too_many_attempts` with `Retry-After`.
pub(super) fn too_many_attempts(retry_after_secs: u64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        "Too many failed attempts. Please wait a while and try again.",
    )
    .retry_after(retry_after_secs)
}

/// Records an audit event done by `who`. A failure to record is logged, not answered: the change
/// it describes has already happened.
pub(super) async fn record(
    state: &AppState,
    group: Option<GroupId>,
    who: &FacilitatorIdentity,
    subject: Option<AccountId>,
    action: AuditAction,
) {
    let event = AuditEvent {
        at: state.clock().now(),
        group,
        actor: Some(who.account),
        subject,
        action,
        participant: None,
        reason: None,
    };
    if let Err(err) = state.store().record_audit(&event).await {
        tracing::error!(
            kind = err.kind(),
            action = action.as_str(),
            "could not record an audit event"
        );
    }
}

/// The group `id`, if `who` may see and manage it: an operator any group, a facilitator the
/// groups they facilitate. Archived groups are gone for everyone. Anything else is 404.
pub(super) async fn group_for(
    state: &AppState,
    who: &FacilitatorIdentity,
    id: GroupId,
) -> Result<GroupRecord, ApiError> {
    let group = state
        .store()
        .group(id)
        .await?
        .filter(|group| group.archived_at.is_none())
        .ok_or_else(not_found)?;
    if who.is_admin || state.store().is_facilitator(id, who.account).await? {
        Ok(group)
    } else {
        Err(not_found())
    }
}

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
    /// The session a member joining now would find; `null` for a group without a schedule.
    next_session: Option<PreviewSession>,
}

/// When the current or next session happens, so a member who is early knows when to come back.
#[derive(Debug, Serialize)]
pub(super) struct PreviewSession {
    /// Unix milliseconds: the waiting room opens.
    waiting_opens_at: i64,
    /// Unix milliseconds: the session starts.
    starts_at: i64,
    /// Unix milliseconds: the session is scheduled to end.
    ends_at: i64,
}

#[derive(Debug, Serialize)]
pub(super) struct GroupPreview {
    id: i64,
    name: String,
    description: String,
    rules: String,
}

/// `POST /api/invites/preview` with `{"code": "..."}`: what a member sees before joining (the
/// group's name and ground rules, the crisis resources, and when the session is). The code travels in the body, never in a URL. Wrong codes are
/// counted per client address; past the limit the answer is 429 without looking the code up.
pub(super) async fn preview_invite(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(request): Body<PreviewRequest>,
) -> Result<Json<PreviewResponse>, ApiError> {
    let now = state.clock().now();
    let client = client_key(client);
    let failures = state.auth().invite_failures();
    if let Err(locked) = failures.check(&client, now) {
        return Err(too_many_attempts(locked.retry_after_secs));
    }
    let invite_invalid = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "invite_invalid",
            "This invite link is not valid. It may have expired or been replaced; please ask \
             your facilitator for a new one.",
        )
    };
    let Some(invite) = state.invites().resolve(&request.code, now).await? else {
        failures.fail(&client, now);
        return Err(invite_invalid());
    };
    let group = state
        .store()
        .group(invite.group)
        .await?
        .ok_or_else(invite_invalid)?;
    let next_session = state.upcoming_session(&group).map(|times| PreviewSession {
        waiting_opens_at: times.waiting_opens.0,
        starts_at: times.starts.0,
        ends_at: times.ends.0,
    });
    Ok(Json(PreviewResponse {
        next_session,
        resources: state.crisis_resources(&group.settings.crisis_locale),
        group: GroupPreview {
            id: group.id.0,
            name: group.name,
            description: group.description,
            rules: group.rules,
        },
    }))
}

/// `GET /api/resources`: the default crisis resources, for pages shown before a group is known.
pub(super) async fn resources(State(state): State<AppState>) -> Json<CrisisResources> {
    Json(state.crisis_resources(""))
}
