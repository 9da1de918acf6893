//! Facilitator accounts and their login sessions. Passwords arrive already hashed (PHC strings)
//! and session tokens already hashed (SHA-256); this module never sees either in the clear.

use std::fmt;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{Backend, Store, StoreError, millis};
use crate::domain::{AccountId, Millis};

/// One login (one browser's cookie).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionId(pub i64);

/// An account as stored, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// Its id.
    pub id: AccountId,
    /// Login name, lower-case.
    pub username: String,
    /// Shown to members when the facilitator is in a room.
    pub display_name: String,
    /// An operator: manages accounts and sees every group.
    pub is_admin: bool,
    /// When it was created.
    pub created_at: Millis,
    /// When it was disabled (it can no longer sign in; its sessions were revoked).
    pub disabled_at: Option<Millis>,
}

/// An account with its password hash, for checking a login.
#[derive(Clone)]
pub struct AccountCredentials {
    /// The account.
    pub account: AccountRecord,
    /// Its PHC string.
    pub password_hash: String,
}

// The hash is not a secret in the way a password is, but it is what an offline attack needs.
impl fmt::Debug for AccountCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountCredentials")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// What is needed to create an account.
#[derive(Clone)]
pub struct NewAccount {
    /// Login name, already checked and lower-cased.
    pub username: String,
    /// Display name, already checked.
    pub display_name: String,
    /// PHC string of the password.
    pub password_hash: String,
    /// Operator rights.
    pub is_admin: bool,
}

impl fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("is_admin", &self.is_admin)
            .finish_non_exhaustive()
    }
}

/// A login session with its account, found by the hash of its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSessionRecord {
    /// The session.
    pub id: SessionId,
    /// Whose it is.
    pub account: AccountRecord,
    /// When the facilitator logged in.
    pub created_at: Millis,
    /// When the session was last used.
    pub last_seen_at: Millis,
    /// When it was revoked (logout, disable, password change).
    pub revoked_at: Option<Millis>,
}

/// The columns [`account_from_row`] reads from `accounts a`, as a macro so queries stay
/// `&'static str`.
macro_rules! account_columns {
    () => {
        "a.id, a.username, a.display_name, a.is_admin, a.created_at, a.disabled_at"
    };
}
pub(crate) use account_columns;

pub(super) fn account_from_row(row: &SqliteRow) -> Result<AccountRecord, StoreError> {
    Ok(AccountRecord {
        id: AccountId(row.try_get("id")?),
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        is_admin: row.try_get("is_admin")?,
        created_at: Millis(row.try_get("created_at")?),
        disabled_at: millis(row.try_get("disabled_at")?),
    })
}

fn session_from_row(row: &SqliteRow) -> Result<LoginSessionRecord, StoreError> {
    Ok(LoginSessionRecord {
        id: SessionId(row.try_get("session_id")?),
        account: account_from_row(row)?,
        created_at: Millis(row.try_get("session_created_at")?),
        last_seen_at: Millis(row.try_get("last_seen_at")?),
        revoked_at: millis(row.try_get("revoked_at")?),
    })
}

/// A login session joined with its account, for [`session_from_row`].
macro_rules! session_select {
    () => {
        "SELECT s.id AS session_id, s.created_at AS session_created_at, s.last_seen_at, \
         s.revoked_at, a.id, a.username, a.display_name, a.is_admin, a.created_at, \
         a.disabled_at FROM login_sessions s JOIN accounts a ON a.id = s.account_id"
    };
}

impl Store {
    /// Creates an account.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] if the username is taken (in any letter case); otherwise on
    /// database failure.
    pub async fn create_account(
        &self,
        account: &NewAccount,
        now: Millis,
    ) -> Result<AccountId, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO accounts (username, display_name, password_hash, is_admin,
                         created_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&account.username)
                .bind(&account.display_name)
                .bind(&account.password_hash)
                .bind(account.is_admin)
                .bind(now.0)
                .fetch_one(pool)
                .await
                .map_err(StoreError::from_insert)?;
                Ok(AccountId(id))
            }
        }
    }

    /// Creates the first account, only if there is none yet (one statement, so two setup pages
    /// submitted at once cannot both succeed). Returns `None` when an account already exists.
    ///
    /// # Errors
    /// On database failure.
    pub async fn create_first_account(
        &self,
        account: &NewAccount,
        now: Millis,
    ) -> Result<Option<AccountId>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO accounts (username, display_name, password_hash, is_admin,
                         created_at)
                     SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM accounts)
                     RETURNING id",
                )
                .bind(&account.username)
                .bind(&account.display_name)
                .bind(&account.password_hash)
                .bind(account.is_admin)
                .bind(now.0)
                .fetch_optional(pool)
                .await?;
                Ok(id.map(AccountId))
            }
        }
    }

    /// Whether any account exists (no account means first-run setup is open).
    ///
    /// # Errors
    /// On database failure.
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM accounts LIMIT 1")
                    .fetch_optional(pool)
                    .await?;
                Ok(found.is_some())
            }
        }
    }

    /// An account by id.
    ///
    /// # Errors
    /// On database failure.
    pub async fn account(&self, id: AccountId) -> Result<Option<AccountRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let row = sqlx::query(concat!(
                    "SELECT ",
                    account_columns!(),
                    " FROM accounts a WHERE a.id = ?"
                ))
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
                row.as_ref().map(account_from_row).transpose()
            }
        }
    }

    /// An account by username (any letter case).
    ///
    /// # Errors
    /// On database failure.
    pub async fn account_by_username(
        &self,
        username: &str,
    ) -> Result<Option<AccountRecord>, StoreError> {
        Ok(self
            .credentials(username)
            .await?
            .map(|credentials| credentials.account))
    }

    /// An account and its password hash by username (any letter case), for checking a login.
    ///
    /// # Errors
    /// On database failure.
    pub async fn credentials(
        &self,
        username: &str,
    ) -> Result<Option<AccountCredentials>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let row = sqlx::query(concat!(
                    "SELECT ",
                    account_columns!(),
                    ", a.password_hash FROM accounts a WHERE a.username = ?"
                ))
                .bind(username)
                .fetch_optional(pool)
                .await?;
                row.map(|row| {
                    Ok(AccountCredentials {
                        account: account_from_row(&row)?,
                        password_hash: row.try_get("password_hash")?,
                    })
                })
                .transpose()
            }
        }
    }

    /// Every account, by username.
    ///
    /// # Errors
    /// On database failure.
    pub async fn accounts(&self) -> Result<Vec<AccountRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(concat!(
                    "SELECT ",
                    account_columns!(),
                    " FROM accounts a ORDER BY a.username"
                ))
                .fetch_all(pool)
                .await?;
                rows.iter().map(account_from_row).collect()
            }
        }
    }

    /// Replaces an account's password hash and revokes all its sessions, in one transaction.
    /// Returns the sessions revoked, or `None` if there is no such account.
    ///
    /// # Errors
    /// On database failure.
    pub async fn set_password(
        &self,
        id: AccountId,
        password_hash: &str,
        now: Millis,
    ) -> Result<Option<Vec<SessionId>>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = super::begin_write(pool).await?;
                let done = sqlx::query("UPDATE accounts SET password_hash = ? WHERE id = ?")
                    .bind(password_hash)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(None);
                }
                let revoked = revoke_all(&mut tx, id, now).await?;
                tx.commit().await?;
                Ok(Some(revoked))
            }
        }
    }

    /// Disables an account and revokes all its sessions, in one transaction; or enables it again.
    /// Returns the sessions revoked, or `None` if there is no such account.
    ///
    /// # Errors
    /// On database failure.
    pub async fn set_disabled(
        &self,
        id: AccountId,
        disabled: bool,
        now: Millis,
    ) -> Result<Option<Vec<SessionId>>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = super::begin_write(pool).await?;
                let done = if disabled {
                    sqlx::query(
                        "UPDATE accounts SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?",
                    )
                    .bind(now.0)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?
                } else {
                    sqlx::query("UPDATE accounts SET disabled_at = NULL WHERE id = ?")
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?
                };
                if done.rows_affected() == 0 {
                    return Ok(None);
                }
                let revoked = if disabled {
                    revoke_all(&mut tx, id, now).await?
                } else {
                    Vec::new()
                };
                tx.commit().await?;
                Ok(Some(revoked))
            }
        }
    }

    /// Records a new login session under the SHA-256 of its token.
    ///
    /// # Errors
    /// On database failure.
    pub async fn create_login_session(
        &self,
        account: AccountId,
        token_hash: &[u8; 32],
        now: Millis,
    ) -> Result<SessionId, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO login_sessions (token_hash, account_id, created_at, last_seen_at)
                     VALUES (?, ?, ?, ?) RETURNING id",
                )
                .bind(&token_hash[..])
                .bind(account.0)
                .bind(now.0)
                .bind(now.0)
                .fetch_one(pool)
                .await?;
                Ok(SessionId(id))
            }
        }
    }

    /// The login session with this token hash, revoked or not (the caller decides validity).
    ///
    /// # Errors
    /// On database failure.
    pub async fn login_session(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<LoginSessionRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let row = sqlx::query(concat!(session_select!(), " WHERE s.token_hash = ?"))
                    .bind(&token_hash[..])
                    .fetch_optional(pool)
                    .await?;
                row.as_ref().map(session_from_row).transpose()
            }
        }
    }

    /// The login session with this id, revoked or not.
    ///
    /// # Errors
    /// On database failure.
    pub async fn login_session_by_id(
        &self,
        id: SessionId,
    ) -> Result<Option<LoginSessionRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let row = sqlx::query(concat!(session_select!(), " WHERE s.id = ?"))
                    .bind(id.0)
                    .fetch_optional(pool)
                    .await?;
                row.as_ref().map(session_from_row).transpose()
            }
        }
    }

    /// Notes that a session was used at `now` (for the idle expiry).
    ///
    /// # Errors
    /// On database failure.
    pub async fn touch_login_session(&self, id: SessionId, now: Millis) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query(
                    "UPDATE login_sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE id = ?",
                )
                .bind(now.0)
                .bind(id.0)
                .execute(pool)
                .await?;
                Ok(())
            }
        }
    }

    /// Revokes one session. Returns whether it was live before.
    ///
    /// # Errors
    /// On database failure.
    pub async fn revoke_login_session(
        &self,
        id: SessionId,
        now: Millis,
    ) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done = sqlx::query(
                    "UPDATE login_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                )
                .bind(now.0)
                .bind(id.0)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    }

    /// Deletes sessions that ended (revoked or past `older_than` since login) before `older_than`:
    /// nothing needs them once they can no longer be used.
    ///
    /// # Errors
    /// On database failure.
    pub async fn purge_login_sessions(&self, older_than: Millis) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done = sqlx::query(
                    "DELETE FROM login_sessions WHERE created_at < ? OR revoked_at < ?",
                )
                .bind(older_than.0)
                .bind(older_than.0)
                .execute(pool)
                .await?;
                Ok(done.rows_affected())
            }
        }
    }
}

/// Revokes every live session of `account` inside `tx`; returns their ids.
async fn revoke_all(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    account: AccountId,
    now: Millis,
) -> Result<Vec<SessionId>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE login_sessions SET revoked_at = ?
         WHERE account_id = ? AND revoked_at IS NULL RETURNING id",
    )
    .bind(now.0)
    .bind(account.0)
    .fetch_all(&mut **tx)
    .await?;
    Ok(ids.into_iter().map(SessionId).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sam() -> NewAccount {
        NewAccount {
            username: "sam".into(),
            display_name: "Sam".into(),
            password_hash: "$argon2id$v=19$test".into(),
            is_admin: true,
        }
    }

    #[tokio::test]
    async fn usernames_are_unique_in_any_letter_case() {
        let store = Store::in_memory().await.unwrap();
        assert!(!store.has_accounts().await.unwrap());
        let id = store.create_account(&sam(), Millis(1)).await.unwrap();
        assert!(store.has_accounts().await.unwrap());
        let upper = NewAccount {
            username: "SAM".into(),
            ..sam()
        };
        assert!(matches!(
            store.create_account(&upper, Millis(2)).await,
            Err(StoreError::Conflict)
        ));
        let found = store.credentials("Sam").await.unwrap().unwrap();
        assert_eq!(found.account.id, id);
        assert_eq!(found.password_hash, "$argon2id$v=19$test");
        assert!(found.account.is_admin);
        assert!(store.credentials("kim").await.unwrap().is_none());
        assert!(
            !format!("{found:?}").contains("argon2"),
            "Debug hides the hash"
        );
    }

    #[tokio::test]
    async fn only_one_first_account_can_be_created() {
        let store = Store::in_memory().await.unwrap();
        assert!(
            store
                .create_first_account(&sam(), Millis(1))
                .await
                .unwrap()
                .is_some()
        );
        let kim = NewAccount {
            username: "kim".into(),
            ..sam()
        };
        assert!(
            store
                .create_first_account(&kim, Millis(2))
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(store.accounts().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn sessions_are_found_by_token_hash_and_revoked_by_disable_and_password_change() {
        let store = Store::in_memory().await.unwrap();
        let id = store.create_account(&sam(), Millis(1)).await.unwrap();
        let first = store
            .create_login_session(id, &[1; 32], Millis(10))
            .await
            .unwrap();
        let second = store
            .create_login_session(id, &[2; 32], Millis(11))
            .await
            .unwrap();

        let found = store.login_session(&[1; 32]).await.unwrap().unwrap();
        assert_eq!(found.id, first);
        assert_eq!(found.account.username, "sam");
        assert_eq!(found.last_seen_at, Millis(10));
        assert!(store.login_session(&[9; 32]).await.unwrap().is_none());

        store.touch_login_session(first, Millis(20)).await.unwrap();
        store.touch_login_session(first, Millis(15)).await.unwrap();
        let found = store.login_session_by_id(first).await.unwrap().unwrap();
        assert_eq!(found.last_seen_at, Millis(20), "never moves backwards");

        assert!(store.revoke_login_session(first, Millis(30)).await.unwrap());
        assert!(!store.revoke_login_session(first, Millis(31)).await.unwrap());

        let revoked = store.set_disabled(id, true, Millis(40)).await.unwrap();
        assert_eq!(revoked, Some(vec![second]));
        let account = store.account(id).await.unwrap().unwrap();
        assert_eq!(account.disabled_at, Some(Millis(40)));
        assert_eq!(
            store.set_disabled(id, false, Millis(50)).await.unwrap(),
            Some(vec![])
        );
        assert_eq!(store.account(id).await.unwrap().unwrap().disabled_at, None);

        let third = store
            .create_login_session(id, &[3; 32], Millis(60))
            .await
            .unwrap();
        let revoked = store.set_password(id, "$new", Millis(70)).await.unwrap();
        assert_eq!(revoked, Some(vec![third]));
        assert_eq!(
            store
                .credentials("sam")
                .await
                .unwrap()
                .unwrap()
                .password_hash,
            "$new"
        );
        assert_eq!(
            store
                .set_password(AccountId(99), "$x", Millis(1))
                .await
                .unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn purging_removes_only_sessions_that_can_no_longer_be_used() {
        let store = Store::in_memory().await.unwrap();
        let id = store.create_account(&sam(), Millis(1)).await.unwrap();
        let old = store
            .create_login_session(id, &[1; 32], Millis(10))
            .await
            .unwrap();
        let fresh = store
            .create_login_session(id, &[2; 32], Millis(500))
            .await
            .unwrap();
        assert_eq!(store.purge_login_sessions(Millis(100)).await.unwrap(), 1);
        assert!(store.login_session_by_id(old).await.unwrap().is_none());
        assert!(store.login_session_by_id(fresh).await.unwrap().is_some());
    }
}
