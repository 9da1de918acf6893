//! Groups: list, create, read, change, schedule, room settings, archive, and co-facilitators.
//!
//! A group's schedule carries its time zone (`schedule.tz`); the group's `time_zone` is the same
//! name, kept for groups without a schedule. Changes to settings take effect from the next
//! session; a running room keeps the settings it started with.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Body, Ids, conflict, group_for, invalid, not_found, record};
use crate::app::AppState;
use crate::auth::parse_username;
use crate::domain::{AccountId, GroupId, Millis};
use crate::http::error::ApiError;
use crate::http::session::Facilitator;
use crate::schedule::{Schedule, ScheduleSpec, next_sessions};
use crate::store::{
    AccountRecord, AddFacilitator, AuditAction, DEFAULT_CAPACITY, DEFAULT_RULES, GroupDraft,
    GroupRecord, GroupSettings, GroupUpdate, RemoveFacilitator,
};

/// Longest group name, in characters.
pub(super) const NAME_MAX_CHARS: usize = 80;
/// Longest description, in characters.
pub(super) const DESCRIPTION_MAX_CHARS: usize = 1_000;
/// Longest topic, in characters.
pub(super) const TOPIC_MAX_CHARS: usize = 60;
/// Longest ground rules, in characters.
pub(super) const RULES_MAX_CHARS: usize = 4_000;

/// A facilitator as listed on a group.
#[derive(Debug, Serialize)]
pub(super) struct FacilitatorView {
    id: AccountId,
    username: String,
    display_name: String,
}

impl From<AccountRecord> for FacilitatorView {
    fn from(account: AccountRecord) -> FacilitatorView {
        FacilitatorView {
            id: account.id,
            username: account.username,
            display_name: account.display_name,
        }
    }
}

/// The next (or current) session, in the group's time zone.
#[derive(Debug, Serialize)]
pub(super) struct NextSession {
    /// RFC 3339 with the group's UTC offset at that moment, e.g. `2026-03-31T19:00:00+02:00`.
    start: String,
    /// RFC 3339 with offset.
    end: String,
}

/// A group as the API shows it.
#[derive(Debug, Serialize)]
pub(super) struct GroupView {
    id: GroupId,
    name: String,
    description: String,
    topic: String,
    rules: String,
    capacity: u8,
    time_zone: String,
    schedule: Option<ScheduleSpec>,
    settings: GroupSettings,
    facilitators: Vec<FacilitatorView>,
    next_session: Option<NextSession>,
    is_demo: bool,
    /// Unix milliseconds.
    created_at: i64,
}

/// The stored schedule, if there is one and this binary can read it.
fn stored_schedule(group: &GroupRecord) -> Option<Schedule> {
    let json = group.schedule.as_deref()?;
    match serde_json::from_str::<Schedule>(json) {
        Ok(schedule) => Some(schedule),
        Err(_) => {
            tracing::error!(group = group.id.0, "a stored schedule does not parse");
            None
        }
    }
}

/// The current or next session of `schedule` at `now`, as RFC 3339 times with the offset the
/// group's time zone has at each instant.
fn next_session(schedule: &Schedule, now: Millis) -> Option<NextSession> {
    let session = next_sessions(schedule, now.into(), 1).into_iter().next()?;
    let tz = schedule.time_zone();
    let local = |at: jiff::Timestamp| at.display_with_offset(tz.to_offset(at)).to_string();
    Some(NextSession {
        start: local(session.start),
        end: local(session.end),
    })
}

/// Builds the API view of a group (one more query for its facilitators).
pub(super) async fn view(state: &AppState, group: GroupRecord) -> Result<GroupView, ApiError> {
    let facilitators = state.store().facilitators(group.id).await?;
    let schedule = stored_schedule(&group);
    Ok(GroupView {
        next_session: schedule
            .as_ref()
            .and_then(|s| next_session(s, state.clock().now())),
        schedule: schedule.map(|s| s.to_spec()),
        id: group.id,
        name: group.name,
        description: group.description,
        topic: group.topic,
        rules: group.rules,
        capacity: group.capacity,
        time_zone: group.time_zone,
        settings: group.settings,
        facilitators: facilitators
            .into_iter()
            .map(FacilitatorView::from)
            .collect(),
        is_demo: group.is_demo,
        created_at: group.created_at.0,
    })
}

#[derive(Serialize)]
pub(super) struct GroupList {
    groups: Vec<GroupView>,
}

#[derive(Serialize)]
pub(super) struct OneGroup {
    group: GroupView,
}

/// `GET /api/groups`: the groups the caller facilitates (an operator: every group), by name,
/// each with its next session in its own time zone. Archived groups are left out.
pub(super) async fn list(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
) -> Result<Json<GroupList>, ApiError> {
    let groups = if who.is_admin {
        state.store().all_groups().await?
    } else {
        state.store().groups_of(who.account).await?
    };
    let mut views = Vec::with_capacity(groups.len());
    for group in groups {
        views.push(view(&state, group).await?);
    }
    Ok(Json(GroupList { groups: views }))
}

/// Checks a text field: trimmed, within `min..=max` characters, no control characters (line
/// breaks allowed where `multiline`).
fn text(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, ApiError> {
    let value = value.trim();
    let len = value.chars().count();
    if len < min {
        return Err(invalid(format!("{field}: please fill this in.")));
    }
    if len > max {
        return Err(invalid(format!("{field}: at most {max} characters.")));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
        || value.chars().any(crate::text::is_invisible)
    {
        return Err(invalid(format!(
            "{field}: control or invisible characters are not allowed."
        )));
    }
    Ok(value.to_owned())
}

fn capacity(value: u8) -> Result<u8, ApiError> {
    if (2..=15).contains(&value) {
        Ok(value)
    } else {
        Err(invalid("capacity: a group has 2 to 15 members."))
    }
}

/// The canonical name of time zone `name` (e.g. `europe/berlin` → `Europe/Berlin`).
fn time_zone(name: &str) -> Result<String, ApiError> {
    Schedule::new(name, Vec::new(), Vec::new(), [])
        .map(|empty| empty.tz_name().to_owned())
        .map_err(|err| invalid(format!("time_zone: {err}")))
}

/// Validates a schedule sent by a client for a group in `tz`. `schedule.tz` may be left out (it
/// is the group's time zone); if given it must name the same zone. `null` means no schedule.
fn schedule(tz: &str, schedule: Option<Value>) -> Result<Option<Schedule>, ApiError> {
    let mut spec = match schedule {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(spec)) => spec,
        Some(_) => return Err(invalid("schedule: an object, or null for no schedule.")),
    };
    spec.entry("tz").or_insert_with(|| Value::from(tz));
    let spec: ScheduleSpec = serde_json::from_value(Value::Object(spec)).map_err(|err| {
        invalid(format!(
            "schedule: the wrong fields ({}).",
            super::without_quoted_values(&err.to_string())
        ))
    })?;
    let parsed = Schedule::parse(&spec).map_err(|err| invalid(format!("schedule: {err}")))?;
    if parsed.tz_name() != tz {
        return Err(invalid(
            "schedule: its tz must be the group's time_zone (or be left out).",
        ));
    }
    Ok(Some(parsed))
}

fn schedule_json(schedule: Option<&Schedule>) -> Result<Option<String>, ApiError> {
    schedule
        .map(serde_json::to_string)
        .transpose()
        .map_err(|_| ApiError::internal())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateRequest {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    rules: Option<String>,
    #[serde(default)]
    capacity: Option<u8>,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    schedule: Option<Value>,
    #[serde(default)]
    settings: Option<GroupSettings>,
}

/// `POST /api/groups`: creates a group facilitated by the caller. Only `name` is required;
/// rules default to the standard ground rules, capacity to 12, the time zone to UTC, settings to
/// a facilitated group's. 201 with the group; 400 `invalid_request` naming the field.
pub(super) async fn create(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Body(request): Body<CreateRequest>,
) -> Result<(StatusCode, Json<OneGroup>), ApiError> {
    let tz = time_zone(request.time_zone.as_deref().unwrap_or("UTC"))?;
    let parsed = schedule(&tz, request.schedule)?;
    let settings = request.settings.unwrap_or_default();
    settings
        .validate()
        .map_err(|message| invalid(format!("settings: {message}")))?;
    let draft = GroupDraft {
        name: text("name", &request.name, 1, NAME_MAX_CHARS, false)?,
        description: text(
            "description",
            &request.description,
            0,
            DESCRIPTION_MAX_CHARS,
            true,
        )?,
        topic: text("topic", &request.topic, 0, TOPIC_MAX_CHARS, false)?,
        rules: text(
            "rules",
            request.rules.as_deref().unwrap_or(DEFAULT_RULES),
            1,
            RULES_MAX_CHARS,
            true,
        )?,
        capacity: capacity(request.capacity.unwrap_or(DEFAULT_CAPACITY))?,
        time_zone: tz,
        schedule: schedule_json(parsed.as_ref())?,
        settings,
    };
    let now = state.clock().now();
    let id = state
        .store()
        .create_group_for(&draft, who.account, now)
        .await?;
    record(&state, Some(id), &who, None, AuditAction::GroupCreated).await;
    let group = state.store().group(id).await?.ok_or_else(not_found)?;
    Ok((
        StatusCode::CREATED,
        Json(OneGroup {
            group: view(&state, group).await?,
        }),
    ))
}

/// `GET /api/groups/{id}`: one group. 404 if it does not exist or is not the caller's.
pub(super) async fn get(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
) -> Result<Json<OneGroup>, ApiError> {
    let group = group_for(&state, &who, GroupId(id)).await?;
    Ok(Json(OneGroup {
        group: view(&state, group).await?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UpdateRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    rules: Option<String>,
    #[serde(default)]
    capacity: Option<u8>,
}

/// `PATCH /api/groups/{id}`: changes any of name, description, topic, rules, capacity. 200 with
/// the group; 400; 404.
pub(super) async fn update(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
    Body(request): Body<UpdateRequest>,
) -> Result<Json<OneGroup>, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    let update = GroupUpdate {
        name: request
            .name
            .map(|v| text("name", &v, 1, NAME_MAX_CHARS, false))
            .transpose()?,
        description: request
            .description
            .map(|v| text("description", &v, 0, DESCRIPTION_MAX_CHARS, true))
            .transpose()?,
        topic: request
            .topic
            .map(|v| text("topic", &v, 0, TOPIC_MAX_CHARS, false))
            .transpose()?,
        rules: request
            .rules
            .map(|v| text("rules", &v, 1, RULES_MAX_CHARS, true))
            .transpose()?,
        capacity: request.capacity.map(capacity).transpose()?,
    };
    state.store().update_group(id, &update).await?;
    record(&state, Some(id), &who, None, AuditAction::GroupUpdated).await;
    reread(&state, id).await
}

async fn reread(state: &AppState, id: GroupId) -> Result<Json<OneGroup>, ApiError> {
    let group = state.store().group(id).await?.ok_or_else(not_found)?;
    Ok(Json(OneGroup {
        group: view(state, group).await?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScheduleRequest {
    #[serde(default)]
    time_zone: Option<String>,
    schedule: Option<Value>,
}

/// `PUT /api/groups/{id}/schedule` with `{"time_zone"?, "schedule": {...} | null}`: replaces the
/// schedule (and the time zone, if given). 200 with the group; 400 with the schedule problem in
/// words; 404.
pub(super) async fn set_schedule(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
    Body(request): Body<ScheduleRequest>,
) -> Result<Json<OneGroup>, ApiError> {
    let id = GroupId(id);
    let group = group_for(&state, &who, id).await?;
    let tz = time_zone(request.time_zone.as_deref().unwrap_or(&group.time_zone))?;
    let parsed = schedule(&tz, request.schedule)?;
    state
        .store()
        .set_schedule(id, &tz, schedule_json(parsed.as_ref())?.as_deref())
        .await?;
    record(&state, Some(id), &who, None, AuditAction::ScheduleChanged).await;
    reread(&state, id).await
}

/// `PUT /api/groups/{id}/settings` with every room setting: replaces them (from the next
/// session). 200 with the group; 400; 404.
pub(super) async fn set_settings(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
    Body(settings): Body<GroupSettings>,
) -> Result<Json<OneGroup>, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    settings
        .validate()
        .map_err(|message| invalid(format!("settings: {message}")))?;
    state.store().set_settings(id, &settings).await?;
    record(&state, Some(id), &who, None, AuditAction::SettingsChanged).await;
    reread(&state, id).await
}

/// `POST /api/groups/{id}/archive`: archives the group; its invites stop working at once and it
/// leaves every dashboard. 204; 404.
pub(super) async fn archive(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
) -> Result<StatusCode, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    state.store().archive_group(id, state.clock().now()).await?;
    record(&state, Some(id), &who, None, AuditAction::GroupArchived).await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub(super) struct FacilitatorList {
    facilitators: Vec<FacilitatorView>,
}

async fn facilitator_list(state: &AppState, id: GroupId) -> Result<FacilitatorList, ApiError> {
    Ok(FacilitatorList {
        facilitators: state
            .store()
            .facilitators(id)
            .await?
            .into_iter()
            .map(FacilitatorView::from)
            .collect(),
    })
}

/// `GET /api/groups/{id}/facilitators`: who facilitates the group (one or two accounts).
pub(super) async fn facilitators(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
) -> Result<Json<FacilitatorList>, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    Ok(Json(facilitator_list(&state, id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AddRequest {
    username: String,
}

/// `POST /api/groups/{id}/facilitators` with `{"username"}`: adds a co-facilitator. 201 with the
/// list (200 if already there); 400 `unknown_account` for no such active account; 409
/// `too_many_facilitators` when the group has two; 404.
pub(super) async fn add_facilitator(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids(id): Ids<i64>,
    Body(request): Body<AddRequest>,
) -> Result<Response, ApiError> {
    let id = GroupId(id);
    group_for(&state, &who, id).await?;
    let unknown = || {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_account",
            "There is no active account with that username.",
        )
    };
    let username = parse_username(&request.username).map_err(|_| unknown())?;
    let account = state
        .store()
        .account_by_username(&username)
        .await?
        .filter(|account| account.disabled_at.is_none())
        .ok_or_else(unknown)?;
    let status = match state
        .store()
        .add_facilitator(id, account.id, state.clock().now())
        .await?
    {
        AddFacilitator::Added => {
            record(
                &state,
                Some(id),
                &who,
                Some(account.id),
                AuditAction::FacilitatorAdded,
            )
            .await;
            StatusCode::CREATED
        }
        AddFacilitator::AlreadyThere => StatusCode::OK,
        AddFacilitator::GroupFull => {
            return Err(conflict(
                "too_many_facilitators",
                "A group has at most two facilitators. Remove one first.",
            ));
        }
    };
    Ok((status, Json(facilitator_list(&state, id).await?)).into_response())
}

/// `DELETE /api/groups/{id}/facilitators/{account}`: removes a facilitator (possibly oneself).
/// 204; 404 if not a facilitator of the group; 409 `last_facilitator`.
pub(super) async fn remove_facilitator(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
    Ids((id, account)): Ids<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    let (id, account) = (GroupId(id), AccountId(account));
    group_for(&state, &who, id).await?;
    match state.store().remove_facilitator(id, account).await? {
        RemoveFacilitator::Removed => {
            record(
                &state,
                Some(id),
                &who,
                Some(account),
                AuditAction::FacilitatorRemoved,
            )
            .await;
            Ok(StatusCode::NO_CONTENT)
        }
        RemoveFacilitator::NotThere => Err(not_found()),
        RemoveFacilitator::LastOne => Err(conflict(
            "last_facilitator",
            "A group needs at least one facilitator. Add another before removing this one.",
        )),
    }
}
