//! The facilitator's own session: first-run setup, login, logout, and who am I.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::accounts::AccountView;
use super::{Body, invalid, too_many_attempts};
use crate::app::AppState;
use crate::auth::{AccountError, AccountInput, LoginError, NewLogin, SetupError};
use crate::http::error::ApiError;
use crate::http::session::{ClientAddr, Facilitator, clear_cookie, set_cookie};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginRequest {
    username: String,
    password: String,
}

#[derive(Serialize)]
pub(super) struct AccountResponse {
    account: AccountView,
}

/// 401 for unknown user, wrong password and disabled account alike, byte for byte.
fn invalid_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "That username and password do not match an account.",
    )
}

/// Maps an account-input failure to its API error.
pub(super) fn account_error(err: AccountError) -> ApiError {
    match err {
        AccountError::Invalid { field, message } => invalid(format!("{field}: {message}")),
        AccountError::UsernameTaken => super::conflict(
            "username_taken",
            "That username is taken. Please choose another.",
        ),
        AccountError::Internal(kind) => {
            tracing::error!(kind, "could not create or change an account");
            ApiError::internal()
        }
    }
}

/// Answers a fresh login: 200 or 201 with the account, and the session cookie.
fn signed_in(
    state: &AppState,
    login: &NewLogin,
    status: StatusCode,
    account: AccountView,
) -> Response {
    (
        status,
        [(header::SET_COOKIE, set_cookie(state, &login.token))],
        Json(AccountResponse { account }),
    )
        .into_response()
}

/// `POST /api/login` with `{"username", "password"}`: 200 with the account and a session cookie.
///
/// - 401 `invalid_credentials` for an unknown user, a wrong password or a disabled account (the
///   same body, after the same argon2 work);
/// - 429 `too_many_attempts` with `Retry-After` after 5 failures in 15 minutes for that username
///   or from that client;
/// - 400 `invalid_request` for a password over 1,024 bytes.
pub(super) async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(request): Body<LoginRequest>,
) -> Result<Response, ApiError> {
    let now = state.clock().now();
    let login = state
        .auth()
        .login(&request.username, &request.password, client, now)
        .await
        .map_err(|err| match err {
            LoginError::InvalidCredentials => invalid_credentials(),
            LoginError::LockedOut(locked) => too_many_attempts(locked.retry_after_secs),
            LoginError::PasswordTooLong => invalid("password: at most 1,024 bytes."),
            LoginError::Internal(kind) => {
                tracing::error!(kind, "login failed on our side");
                ApiError::internal()
            }
        })?;
    let account = AccountView::of_identity(&login.identity, &state).await?;
    Ok(signed_in(&state, &login, StatusCode::OK, account))
}

/// `POST /api/logout`: ends this session at once (its open WebSockets close with 4005) and
/// clears the cookie. 204.
pub(super) async fn logout(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
) -> Result<Response, ApiError> {
    state
        .auth()
        .logout(who.session, state.clock().now())
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(&state))],
    )
        .into_response())
}

/// `GET /api/me`: the signed-in account.
pub(super) async fn me(
    State(state): State<AppState>,
    Facilitator(who): Facilitator,
) -> Result<Json<AccountResponse>, ApiError> {
    Ok(Json(AccountResponse {
        account: AccountView::of_identity(&who, &state).await?,
    }))
}

#[derive(Serialize)]
pub(super) struct SetupStatus {
    needed: bool,
}

/// `GET /api/setup`: `{"needed": true}` while no account exists (the setup page then asks for
/// the first account; otherwise it sends the visitor to the login page).
pub(super) async fn setup_needed(
    State(state): State<AppState>,
) -> Result<Json<SetupStatus>, ApiError> {
    Ok(Json(SetupStatus {
        needed: !state.store().has_accounts().await?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SetupRequest {
    token: String,
    username: String,
    display_name: String,
    password: String,
}

/// `POST /api/setup` with the token from the printed setup link and the first account's details:
/// creates that account as an operator and signs it in. 201.
///
/// - 403 `setup_token_invalid`: wrong or expired token (counted like a failed login);
/// - 409 `setup_done`: an account exists already;
/// - 400 `invalid_request`: a field is refused (the message names it);
/// - 429 `too_many_attempts`.
pub(super) async fn setup(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(request): Body<SetupRequest>,
) -> Result<Response, ApiError> {
    let now = state.clock().now();
    let input = AccountInput {
        username: request.username,
        display_name: request.display_name,
        password: request.password,
        is_admin: true,
    };
    let login = state
        .auth()
        .complete_setup(&request.token, input, client, now)
        .await
        .map_err(|err| match err {
            SetupError::TokenInvalid => ApiError::new(
                StatusCode::FORBIDDEN,
                "setup_token_invalid",
                "This setup link is not valid or has expired. Restart the server to print a new \
                 one.",
            ),
            SetupError::LockedOut(locked) => too_many_attempts(locked.retry_after_secs),
            SetupError::AlreadyDone => {
                super::conflict("setup_done", "Hearth is already set up. Please sign in.")
            }
            SetupError::Account(err) => account_error(err),
        })?;
    let account = AccountView::of_identity(&login.identity, &state).await?;
    Ok(signed_in(&state, &login, StatusCode::CREATED, account))
}
