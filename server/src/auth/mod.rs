//! Facilitator authentication: accounts and passwords, login sessions, lockouts, first-run setup,
//! and closing a signed-out facilitator's live connections.
//!
//! - Passwords are hashed with argon2id on the blocking pool under a semaphore ([`password`]).
//!   An unknown username costs the same work and gets the same answer as a wrong password.
//! - A login session is a random 128-bit token in an HttpOnly cookie; the database holds only its
//!   SHA-256. Sessions end after [`SESSION_IDLE_MS`] without use or [`SESSION_ABSOLUTE_MS`] after
//!   login, and at once on logout, password change or when the account is disabled.
//! - Failed logins are counted per account and per client address ([`attempts`], in memory only).
//! - Failed invite codes are counted per client address too (used by the WebSocket join and the
//!   invite preview).
//!
//! Time is always passed in by the caller (from the server's clock). Depends on `store`, `secret`,
//! `domain`, `room` (only to close connections) and argon2; must not depend on axum.

pub mod attempts;
pub mod live;
pub mod password;

use std::fmt;
use std::net::IpAddr;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::domain::{GroupId, Millis, Pseudonym};
use crate::secret::random_token;
use crate::store::{
    AccountId, AccountRecord, LoginSessionRecord, NewAccount, SessionId, Store, StoreError,
};

pub use attempts::{Attempts, LockedOut, client_key};
pub use live::{LiveGuard, LiveSessions, SIGNED_OUT};
pub use password::{HashError, Hasher, Password, PasswordError};

const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// A login session ends after this long without a request (12 hours: a working day).
pub const SESSION_IDLE_MS: i64 = 12 * HOUR_MS;
/// A login session ends this long after login, however busy (7 days).
pub const SESSION_ABSOLUTE_MS: i64 = 7 * 24 * HOUR_MS;
/// `last_seen_at` is written at most this often per session, so browsing the dashboard does not
/// write to the database on every request.
pub const SESSION_TOUCH_EVERY_MS: i64 = MINUTE_MS;

/// Failed logins per account, and per client address, before a lockout.
pub const LOGIN_MAX_FAILURES: usize = 5;
/// The window failed logins are counted in.
pub const LOGIN_WINDOW_MS: i64 = 15 * MINUTE_MS;

/// Failed invite codes per client address before a lockout. Codes carry 128 random bits, so this
/// is about not letting anyone probe, not about the odds of guessing.
pub const INVITE_MAX_FAILURES: usize = 10;
/// The window failed invite codes are counted in.
pub const INVITE_WINDOW_MS: i64 = 10 * MINUTE_MS;

/// How long the first-run setup link works.
pub const SETUP_TOKEN_LIFETIME_MS: i64 = HOUR_MS;

/// Shortest and longest username.
pub const USERNAME_MIN_CHARS: usize = 3;
/// Longest username.
pub const USERNAME_MAX_CHARS: usize = 32;

/// Who a valid session cookie belongs to. Built only from the server's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilitatorIdentity {
    /// The login session (closing it closes this facilitator's sockets).
    pub session: SessionId,
    /// The account.
    pub account: AccountId,
    /// Login name.
    pub username: String,
    /// Shown in rooms.
    pub display_name: String,
    /// An operator: manages accounts, sees every group.
    pub is_admin: bool,
}

impl FacilitatorIdentity {
    fn from_session(session: &LoginSessionRecord) -> FacilitatorIdentity {
        FacilitatorIdentity {
            session: session.id,
            account: session.account.id,
            username: session.account.username.clone(),
            display_name: session.account.display_name.clone(),
            is_admin: session.account.is_admin,
        }
    }
}

/// A fresh login: the cookie value (shown to the browser once, never stored) and who it is.
pub struct NewLogin {
    /// The session token for the cookie.
    pub token: String,
    /// Who logged in.
    pub identity: FacilitatorIdentity,
}

impl fmt::Debug for NewLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewLogin")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

/// Why a login failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown username, wrong password or disabled account: deliberately indistinguishable.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failures for this account or from this client.
    #[error("locked out")]
    LockedOut(LockedOut),
    /// The password input is over the byte limit (refused before any work).
    #[error("password too long")]
    PasswordTooLong,
    /// The database or the hasher failed.
    #[error("internal: {0}")]
    Internal(&'static str),
}

/// Why an account could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A field is invalid; the message is a sentence for the operator.
    #[error("{field}: {message}")]
    Invalid {
        /// Which field.
        field: &'static str,
        /// Why.
        message: String,
    },
    /// The username is taken (in any letter case).
    #[error("username taken")]
    UsernameTaken,
    /// The database or the hasher failed.
    #[error("internal: {0}")]
    Internal(&'static str),
}

impl From<StoreError> for AccountError {
    fn from(err: StoreError) -> AccountError {
        match err {
            StoreError::Conflict => AccountError::UsernameTaken,
            other => AccountError::Internal(other.kind()),
        }
    }
}

/// Why first-run setup failed.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The setup link is wrong or expired.
    #[error("setup token invalid")]
    TokenInvalid,
    /// Too many wrong setup tokens from this client.
    #[error("locked out")]
    LockedOut(LockedOut),
    /// An account exists already; setup is over.
    #[error("setup already done")]
    AlreadyDone,
    /// The account details were refused.
    #[error(transparent)]
    Account(#[from] AccountError),
}

/// What an operator (or the setup page) gives to create an account.
#[derive(Clone)]
pub struct AccountInput {
    /// Login name as typed.
    pub username: String,
    /// Display name as typed.
    pub display_name: String,
    /// Password as typed.
    pub password: String,
    /// Operator rights.
    pub is_admin: bool,
}

impl fmt::Debug for AccountInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountInput")
            .field("username", &self.username)
            .field("is_admin", &self.is_admin)
            .finish_non_exhaustive()
    }
}

/// Checks and folds a username: 3–32 characters of `a-z`, `0-9`, `.`, `_`, `-`, compared and
/// stored lower-case.
///
/// # Errors
/// A sentence for the person choosing it.
pub fn parse_username(raw: &str) -> Result<String, &'static str> {
    let name = raw.trim().to_ascii_lowercase();
    let len = name.chars().count();
    if !(USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&len) {
        return Err("Usernames are 3 to 32 characters long.");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err("Usernames use only letters a-z, digits, dots, dashes and underscores.");
    }
    Ok(name)
}

/// Checks a display name: the rules of a room name (it is shown in rooms), staff words allowed.
///
/// # Errors
/// A sentence for the person choosing it.
pub fn parse_display_name(raw: &str) -> Result<String, String> {
    Pseudonym::parse_staff(raw)
        .map(|name| name.as_str().to_owned())
        .map_err(|err| err.to_string())
}

/// SHA-256 of a session or setup token. Tokens carry 128 random bits, so a fast unsalted hash is
/// enough to make a copy of the database useless for logging in.
fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Compares two hashes without an early exit, so timing says nothing about how much matched.
fn same_hash(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Tokens we issue are 22 URL-safe characters; anything else is not worth a database lookup.
fn plausible_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Debug, Clone, Copy)]
struct SetupToken {
    hash: [u8; 32],
    expires_at: Millis,
}

/// Authentication for the whole server. One per server, shared through `AppState`.
#[derive(Debug)]
pub struct Auth {
    store: Store,
    hasher: Hasher,
    account_failures: Attempts<String>,
    client_failures: Attempts<IpAddr>,
    invite_failures: Attempts<IpAddr>,
    live: LiveSessions,
    // A std mutex: a few field reads and writes, never across an `.await`.
    setup: Mutex<Option<SetupToken>>,
}

impl Auth {
    /// Authentication over `store`. Computes the dummy password hash (a few milliseconds).
    ///
    /// # Errors
    /// If argon2 cannot hash (never with the built-in parameters).
    pub fn new(store: Store) -> Result<Auth, HashError> {
        Ok(Auth {
            store,
            hasher: Hasher::new(Hasher::default_concurrency())?,
            account_failures: Attempts::new(LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS),
            client_failures: Attempts::new(LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS),
            invite_failures: Attempts::new(INVITE_MAX_FAILURES, INVITE_WINDOW_MS),
            live: LiveSessions::new(),
            setup: Mutex::new(None),
        })
    }

    /// The password hasher (the CLI and account management hash through it).
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    /// Live facilitator connections by session.
    pub fn live(&self) -> &LiveSessions {
        &self.live
    }

    /// Failed invite codes per client address.
    pub fn invite_failures(&self) -> &Attempts<IpAddr> {
        &self.invite_failures
    }

    /// Checks a username and password and starts a session.
    ///
    /// Unknown user, wrong password and disabled account all verify one argon2 hash and return
    /// [`LoginError::InvalidCredentials`]. Locked-out attempts do no hashing at all.
    ///
    /// # Errors
    /// See [`LoginError`].
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: IpAddr,
        now: Millis,
    ) -> Result<NewLogin, LoginError> {
        let password = Password::for_login(password).map_err(|_| LoginError::PasswordTooLong)?;
        let client = client_key(client);
        // The account key is the folded name even when it is not a valid username, so unknown
        // and known names lock out alike. Bounded, so a huge name cannot bloat the table.
        let account_key: String = username
            .trim()
            .to_ascii_lowercase()
            .chars()
            .take(USERNAME_MAX_CHARS + 1)
            .collect();
        self.client_failures
            .check(&client, now)
            .map_err(LoginError::LockedOut)?;
        self.account_failures
            .check(&account_key, now)
            .map_err(LoginError::LockedOut)?;

        let credentials = match parse_username(username) {
            Ok(name) => self
                .store
                .credentials(&name)
                .await
                .map_err(|err| LoginError::Internal(err.kind()))?,
            Err(_) => None,
        };
        let (account, hash) = match credentials {
            Some(c) => (Some(c.account), Some(c.password_hash)),
            None => (None, None),
        };
        let matched = self
            .hasher
            .verify(password, hash)
            .await
            .map_err(|_| LoginError::Internal("hasher"))?;
        let account = match account {
            Some(account) if matched && account.disabled_at.is_none() => account,
            _ => {
                self.client_failures.fail(&client, now);
                self.account_failures.fail(&account_key, now);
                return Err(LoginError::InvalidCredentials);
            }
        };
        self.account_failures.clear(&account_key);
        self.start_session(&account, now)
            .await
            .map_err(|err| LoginError::Internal(err.kind()))
    }

    /// Creates a login session for `account`; returns the cookie token.
    async fn start_session(
        &self,
        account: &AccountRecord,
        now: Millis,
    ) -> Result<NewLogin, StoreError> {
        // Sessions past their absolute lifetime can never be used again: drop them.
        self.store
            .purge_login_sessions(now.plus_ms(-SESSION_ABSOLUTE_MS))
            .await?;
        let token = random_token();
        let session = self
            .store
            .create_login_session(account.id, &token_hash(&token), now)
            .await?;
        Ok(NewLogin {
            token,
            identity: FacilitatorIdentity {
                session,
                account: account.id,
                username: account.username.clone(),
                display_name: account.display_name.clone(),
                is_admin: account.is_admin,
            },
        })
    }

    /// The facilitator a session token belongs to, if the session is live at `now`: not revoked,
    /// not idle for [`SESSION_IDLE_MS`], younger than [`SESSION_ABSOLUTE_MS`], and its account not
    /// disabled. Notes the use for the idle expiry.
    ///
    /// # Errors
    /// On database failure.
    pub async fn identify(
        &self,
        token: &str,
        now: Millis,
    ) -> Result<Option<FacilitatorIdentity>, StoreError> {
        if !plausible_token(token) {
            return Ok(None);
        }
        let Some(session) = self.store.login_session(&token_hash(token)).await? else {
            return Ok(None);
        };
        if !session_live(&session, now) {
            return Ok(None);
        }
        if now.since(session.last_seen_at) >= SESSION_TOUCH_EVERY_MS {
            self.store.touch_login_session(session.id, now).await?;
        }
        Ok(Some(FacilitatorIdentity::from_session(&session)))
    }

    /// Whether `session` is still live (checked again when a facilitator takes a seat, in case it
    /// was revoked after the WebSocket opened).
    ///
    /// # Errors
    /// On database failure.
    pub async fn session_live(&self, session: SessionId, now: Millis) -> Result<bool, StoreError> {
        Ok(self
            .store
            .login_session_by_id(session)
            .await?
            .is_some_and(|s| session_live(&s, now)))
    }

    /// Whether `who` may take a facilitator's seat in `group` now: the session is still live, the
    /// group exists and is not archived, and the account facilitates it or is an operator.
    ///
    /// # Errors
    /// On database failure.
    pub async fn may_facilitate(
        &self,
        who: &FacilitatorIdentity,
        group: GroupId,
        now: Millis,
    ) -> Result<bool, StoreError> {
        if !self.session_live(who.session, now).await? {
            return Ok(false);
        }
        let Some(record) = self.store.group(group).await? else {
            return Ok(false);
        };
        if record.archived_at.is_some() {
            return Ok(false);
        }
        Ok(who.is_admin || self.store.is_facilitator(group, who.account).await?)
    }

    /// Ends a session and closes its live connections.
    ///
    /// # Errors
    /// On database failure (the connections are closed anyway).
    pub async fn logout(&self, session: SessionId, now: Millis) -> Result<(), StoreError> {
        let revoked = self.store.revoke_login_session(session, now).await;
        self.live.close(session);
        revoked.map(|_| ())
    }

    /// Closes the live connections of sessions the store just revoked.
    pub fn sessions_revoked(&self, sessions: &[SessionId]) {
        for session in sessions {
            self.live.close(*session);
        }
    }

    /// Checks the input, hashes the password and prepares the account record.
    ///
    /// # Errors
    /// [`AccountError::Invalid`] naming the field; [`AccountError::Internal`] if hashing failed.
    pub async fn prepare_account(&self, input: &AccountInput) -> Result<NewAccount, AccountError> {
        let username =
            parse_username(&input.username).map_err(|message| AccountError::Invalid {
                field: "username",
                message: message.to_owned(),
            })?;
        let display_name =
            parse_display_name(&input.display_name).map_err(|message| AccountError::Invalid {
                field: "display_name",
                message,
            })?;
        let password = Password::new(&input.password).map_err(|err| AccountError::Invalid {
            field: "password",
            message: err.to_string(),
        })?;
        let password_hash = self
            .hasher
            .hash(password)
            .await
            .map_err(|_| AccountError::Internal("hasher"))?;
        Ok(NewAccount {
            username,
            display_name,
            password_hash,
            is_admin: input.is_admin,
        })
    }

    /// Creates an account.
    ///
    /// # Errors
    /// See [`AccountError`].
    pub async fn create_account(
        &self,
        input: &AccountInput,
        now: Millis,
    ) -> Result<AccountRecord, AccountError> {
        let account = self.prepare_account(input).await?;
        let id = self.store.create_account(&account, now).await?;
        self.store
            .account(id)
            .await?
            .ok_or(AccountError::Internal("account vanished"))
    }

    /// Sets a new password, revoking every session of the account (and closing its sockets).
    /// Returns false if there is no such account.
    ///
    /// # Errors
    /// [`AccountError::Invalid`] for a password out of bounds; otherwise internal failures.
    pub async fn set_password(
        &self,
        account: AccountId,
        password: &str,
        now: Millis,
    ) -> Result<bool, AccountError> {
        let password = Password::new(password).map_err(|err| AccountError::Invalid {
            field: "password",
            message: err.to_string(),
        })?;
        let hash = self
            .hasher
            .hash(password)
            .await
            .map_err(|_| AccountError::Internal("hasher"))?;
        match self.store.set_password(account, &hash, now).await? {
            Some(revoked) => {
                self.sessions_revoked(&revoked);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Disables (or enables) an account; disabling revokes its sessions and closes its sockets.
    /// Returns false if there is no such account.
    ///
    /// # Errors
    /// On database failure.
    pub async fn set_disabled(
        &self,
        account: AccountId,
        disabled: bool,
        now: Millis,
    ) -> Result<bool, StoreError> {
        match self.store.set_disabled(account, disabled, now).await? {
            Some(revoked) => {
                self.sessions_revoked(&revoked);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Opens first-run setup: a fresh one-time token valid for [`SETUP_TOKEN_LIFETIME_MS`], if no
    /// account exists. A second call replaces the first token.
    ///
    /// # Errors
    /// On database failure.
    pub async fn begin_setup(&self, now: Millis) -> Result<Option<String>, StoreError> {
        if self.store.has_accounts().await? {
            return Ok(None);
        }
        let token = random_token();
        *self.setup_slot() = Some(SetupToken {
            hash: token_hash(&token),
            expires_at: now.plus_ms(SETUP_TOKEN_LIFETIME_MS),
        });
        Ok(Some(token))
    }

    /// Creates the first account (an operator) with the setup token, and logs it in.
    ///
    /// # Errors
    /// See [`SetupError`].
    pub async fn complete_setup(
        &self,
        token: &str,
        mut input: AccountInput,
        client: IpAddr,
        now: Millis,
    ) -> Result<NewLogin, SetupError> {
        let client = client_key(client);
        self.client_failures
            .check(&client, now)
            .map_err(SetupError::LockedOut)?;
        let expected = *self.setup_slot();
        let valid = expected.is_some_and(|expected| {
            same_hash(&expected.hash, &token_hash(token)) && now < expected.expires_at
        });
        if !valid {
            if self
                .store
                .has_accounts()
                .await
                .map_err(AccountError::from)?
            {
                return Err(SetupError::AlreadyDone);
            }
            self.client_failures.fail(&client, now);
            return Err(SetupError::TokenInvalid);
        }
        input.is_admin = true;
        let account = self.prepare_account(&input).await?;
        let Some(id) = self
            .store
            .create_first_account(&account, now)
            .await
            .map_err(AccountError::from)?
        else {
            return Err(SetupError::AlreadyDone);
        };
        *self.setup_slot() = None;
        let record = self
            .store
            .account(id)
            .await
            .map_err(AccountError::from)?
            .ok_or(AccountError::Internal("account vanished"))?;
        self.start_session(&record, now)
            .await
            .map_err(|err| SetupError::Account(err.into()))
    }

    fn setup_slot(&self) -> std::sync::MutexGuard<'_, Option<SetupToken>> {
        self.setup
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The expiry rules for a stored session at `now`.
fn session_live(session: &LoginSessionRecord, now: Millis) -> bool {
    session.revoked_at.is_none()
        && session.account.disabled_at.is_none()
        && now.since(session.created_at) < SESSION_ABSOLUTE_MS
        && now.since(session.last_seen_at) < SESSION_IDLE_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    fn input(username: &str) -> AccountInput {
        AccountInput {
            username: username.into(),
            display_name: "Sam Lee".into(),
            password: "correct horse battery".into(),
            is_admin: false,
        }
    }

    async fn auth() -> Auth {
        Auth::new(Store::in_memory().await.unwrap()).unwrap()
    }

    #[test]
    fn usernames_are_folded_and_limited_to_a_plain_alphabet() {
        assert_eq!(parse_username("  Sam.Lee "), Ok("sam.lee".to_owned()));
        assert!(parse_username("sa").is_err());
        assert!(parse_username(&"a".repeat(33)).is_err());
        assert!(parse_username("sam lee").is_err());
        assert!(parse_username("sàm").is_err());
        assert_eq!(
            parse_display_name("Facilitator Sam"),
            Ok("Facilitator Sam".into())
        );
        assert!(parse_display_name("Sam\u{202e}").is_err());
    }

    #[tokio::test]
    async fn a_login_session_works_until_idle_absolute_expiry_or_logout() {
        let auth = auth().await;
        auth.create_account(&input("sam"), Millis(0)).await.unwrap();
        let login = auth
            .login("SAM", "correct horse battery", LOCAL, Millis(0))
            .await
            .unwrap();
        assert_eq!(login.token.len(), 22);
        let who = auth
            .identify(&login.token, Millis(1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(who.username, "sam");
        assert_eq!(who.display_name, "Sam Lee");

        // Used every 11 hours, it lives until the absolute limit.
        let mut now = 0;
        while now + 11 * HOUR_MS < SESSION_ABSOLUTE_MS {
            now += 11 * HOUR_MS;
            assert!(
                auth.identify(&login.token, Millis(now))
                    .await
                    .unwrap()
                    .is_some()
            );
        }
        assert!(
            auth.identify(&login.token, Millis(SESSION_ABSOLUTE_MS))
                .await
                .unwrap()
                .is_none(),
            "absolute expiry"
        );

        let idle = auth
            .login("sam", "correct horse battery", LOCAL, Millis(0))
            .await
            .unwrap();
        assert!(
            auth.identify(&idle.token, Millis(SESSION_IDLE_MS))
                .await
                .unwrap()
                .is_none(),
            "idle expiry"
        );

        let later = auth
            .login("sam", "correct horse battery", LOCAL, Millis(0))
            .await
            .unwrap();
        auth.logout(later.identity.session, Millis(1))
            .await
            .unwrap();
        assert!(
            auth.identify(&later.token, Millis(2))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            auth.identify("not-a-token", Millis(2))
                .await
                .unwrap()
                .is_none()
        );
        assert!(auth.identify("", Millis(2)).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn wrong_password_unknown_user_and_disabled_account_fail_alike() {
        let auth = auth().await;
        let sam = auth.create_account(&input("sam"), Millis(0)).await.unwrap();
        auth.create_account(&input("kim"), Millis(0)).await.unwrap();
        auth.set_disabled(sam.id, true, Millis(1)).await.unwrap();
        for (name, password) in [
            ("kim", "wrong password here"),
            ("nobody", "correct horse battery"),
            ("sam", "correct horse battery"),
            ("not a valid name!", "correct horse battery"),
        ] {
            assert!(
                matches!(
                    auth.login(name, password, LOCAL, Millis(2)).await,
                    Err(LoginError::InvalidCredentials)
                ),
                "{name}"
            );
        }
        assert!(matches!(
            auth.login("kim", &"x".repeat(1025), LOCAL, Millis(2)).await,
            Err(LoginError::PasswordTooLong)
        ));
    }

    #[tokio::test]
    async fn five_failures_lock_the_account_but_not_others_until_the_window_passes() {
        let auth = auth().await;
        auth.create_account(&input("sam"), Millis(0)).await.unwrap();
        auth.create_account(&input("kim"), Millis(0)).await.unwrap();
        let attacker: IpAddr = "192.0.2.1".parse().unwrap();
        let elsewhere: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..LOGIN_MAX_FAILURES {
            assert!(matches!(
                auth.login("sam", "guess guess guess", attacker, Millis(0))
                    .await,
                Err(LoginError::InvalidCredentials)
            ));
        }
        let locked = auth
            .login("sam", "correct horse battery", elsewhere, Millis(1))
            .await
            .unwrap_err();
        assert!(matches!(locked, LoginError::LockedOut(l) if l.retry_after_secs == 15 * 60));
        assert!(
            matches!(
                auth.login("kim", "correct horse battery", attacker, Millis(1))
                    .await,
                Err(LoginError::LockedOut(_))
            ),
            "the attacking client is locked out too"
        );
        assert!(
            auth.login("kim", "correct horse battery", elsewhere, Millis(1))
                .await
                .is_ok()
        );
        assert!(
            auth.login(
                "sam",
                "correct horse battery",
                elsewhere,
                Millis(LOGIN_WINDOW_MS)
            )
            .await
            .is_ok()
        );
    }

    #[tokio::test]
    async fn first_run_setup_needs_the_token_and_works_once() {
        let auth = auth().await;
        let token = auth.begin_setup(Millis(0)).await.unwrap().unwrap();
        assert!(matches!(
            auth.complete_setup("wrong", input("sam"), LOCAL, Millis(1))
                .await,
            Err(SetupError::TokenInvalid)
        ));
        let mut weak = input("sam");
        weak.password = "short".into();
        assert!(matches!(
            auth.complete_setup(&token, weak, LOCAL, Millis(1)).await,
            Err(SetupError::Account(AccountError::Invalid {
                field: "password",
                ..
            }))
        ));
        let login = auth
            .complete_setup(&token, input("sam"), LOCAL, Millis(2))
            .await
            .unwrap();
        assert!(login.identity.is_admin, "the first account is an operator");
        assert!(matches!(
            auth.complete_setup(&token, input("kim"), LOCAL, Millis(3))
                .await,
            Err(SetupError::AlreadyDone)
        ));
        assert_eq!(auth.begin_setup(Millis(4)).await.unwrap(), None);
    }

    #[tokio::test]
    async fn the_setup_token_expires_after_an_hour() {
        let auth = auth().await;
        let token = auth.begin_setup(Millis(0)).await.unwrap().unwrap();
        assert!(matches!(
            auth.complete_setup(&token, input("sam"), LOCAL, Millis(SETUP_TOKEN_LIFETIME_MS))
                .await,
            Err(SetupError::TokenInvalid)
        ));
    }

    #[tokio::test]
    async fn a_password_change_ends_every_session() {
        let auth = auth().await;
        let sam = auth.create_account(&input("sam"), Millis(0)).await.unwrap();
        let login = auth
            .login("sam", "correct horse battery", LOCAL, Millis(0))
            .await
            .unwrap();
        assert!(
            auth.set_password(sam.id, "a new long password", Millis(1))
                .await
                .unwrap()
        );
        assert!(
            auth.identify(&login.token, Millis(2))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            auth.login("sam", "a new long password", LOCAL, Millis(3))
                .await
                .is_ok()
        );
    }
}
