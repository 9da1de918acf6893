//! Operator account management: list, create, disable and enable facilitator accounts.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::account::account_error;
use super::{Body, Ids, conflict, not_found, record};
use crate::app::AppState;
use crate::auth::{AccountInput, FacilitatorIdentity};
use crate::domain::AccountId;
use crate::http::error::ApiError;
use crate::http::session::Admin;
use crate::store::{AccountRecord, AuditAction};

/// An account as the API shows it (never its password hash).
#[derive(Debug, Serialize)]
pub(super) struct AccountView {
    id: AccountId,
    username: String,
    display_name: String,
    is_admin: bool,
    disabled: bool,
    /// Unix milliseconds.
    created_at: i64,
}

impl From<AccountRecord> for AccountView {
    fn from(account: AccountRecord) -> AccountView {
        AccountView {
            id: account.id,
            username: account.username,
            display_name: account.display_name,
            is_admin: account.is_admin,
            disabled: account.disabled_at.is_some(),
            created_at: account.created_at.0,
        }
    }
}

impl AccountView {
    /// The account of a signed-in identity, read fresh from the store.
    pub(super) async fn of_identity(
        who: &FacilitatorIdentity,
        state: &AppState,
    ) -> Result<AccountView, ApiError> {
        state
            .store()
            .account(who.account)
            .await?
            .map(AccountView::from)
            .ok_or_else(ApiError::internal)
    }
}

#[derive(Serialize)]
pub(super) struct AccountList {
    accounts: Vec<AccountView>,
}

#[derive(Serialize)]
pub(super) struct OneAccount {
    account: AccountView,
}

/// `GET /api/accounts` (operators): every account, by username.
pub(super) async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> Result<Json<AccountList>, ApiError> {
    let accounts = state.store().accounts().await?;
    Ok(Json(AccountList {
        accounts: accounts.into_iter().map(AccountView::from).collect(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateRequest {
    username: String,
    display_name: String,
    password: String,
    #[serde(default)]
    is_admin: bool,
}

/// `POST /api/accounts` (operators): creates a facilitator (or, with `is_admin`, an operator)
/// account. 201; 400 `invalid_request`; 409 `username_taken`.
pub(super) async fn create(
    State(state): State<AppState>,
    Admin(who): Admin,
    Body(request): Body<CreateRequest>,
) -> Result<(StatusCode, Json<OneAccount>), ApiError> {
    let now = state.clock().now();
    let input = AccountInput {
        username: request.username,
        display_name: request.display_name,
        password: request.password,
        is_admin: request.is_admin,
    };
    let account = state
        .auth()
        .create_account(&input, now)
        .await
        .map_err(account_error)?;
    record(
        &state,
        None,
        &who,
        Some(account.id),
        AuditAction::AccountCreated,
    )
    .await;
    Ok((
        StatusCode::CREATED,
        Json(OneAccount {
            account: account.into(),
        }),
    ))
}

/// `POST /api/accounts/{id}/disable` (operators): the account can no longer sign in; its
/// sessions end and its open WebSockets close (4005) at once. 200 with the account; 404 for an
/// unknown id; 409 `cannot_disable_self`.
pub(super) async fn disable(
    State(state): State<AppState>,
    Admin(who): Admin,
    Ids(id): Ids<i64>,
) -> Result<Json<OneAccount>, ApiError> {
    let id = AccountId(id);
    if id == who.account {
        return Err(conflict(
            "cannot_disable_self",
            "You cannot disable your own account; ask another operator.",
        ));
    }
    set_disabled(&state, &who, id, true).await
}

/// `POST /api/accounts/{id}/enable` (operators): the account may sign in again. 200; 404.
pub(super) async fn enable(
    State(state): State<AppState>,
    Admin(who): Admin,
    Ids(id): Ids<i64>,
) -> Result<Json<OneAccount>, ApiError> {
    set_disabled(&state, &who, AccountId(id), false).await
}

async fn set_disabled(
    state: &AppState,
    who: &FacilitatorIdentity,
    id: AccountId,
    disabled: bool,
) -> Result<Json<OneAccount>, ApiError> {
    let now = state.clock().now();
    if !state.auth().set_disabled(id, disabled, now).await? {
        return Err(not_found());
    }
    let action = if disabled {
        AuditAction::AccountDisabled
    } else {
        AuditAction::AccountEnabled
    };
    record(state, None, who, Some(id), action).await;
    let account = state.store().account(id).await?.ok_or_else(not_found)?;
    Ok(Json(OneAccount {
        account: account.into(),
    }))
}
