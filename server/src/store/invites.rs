//! Invites, stored only as the keyed hash of their code (see `crate::invites`).

use std::fmt;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{AccountId, Backend, Store, StoreError, millis};
use crate::domain::{GroupId, Millis};

/// An invite's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InviteId(pub i64);

impl fmt::Display for InviteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A usable invite, found by its code's keyed hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidInvite {
    /// The invite's row.
    pub invite_id: i64,
    /// The group it admits to.
    pub group: GroupId,
}

/// An invite as a facilitator sees it: everything but the code, which is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRecord {
    /// Its id.
    pub id: InviteId,
    /// The group it admits to.
    pub group: GroupId,
    /// When it was made.
    pub created_at: Millis,
    /// Who made it (`None` for the demo link).
    pub created_by: Option<AccountId>,
    /// When it stops working, if ever.
    pub expires_at: Option<Millis>,
    /// How many joins it allows, if limited.
    pub max_uses: Option<u32>,
    /// How many joins it has admitted.
    pub uses: u32,
    /// When it was revoked.
    pub revoked_at: Option<Millis>,
}

impl InviteRecord {
    /// Whether it still admits members at `now`.
    pub fn is_usable(&self, now: Millis) -> bool {
        self.revoked_at.is_none()
            && self.expires_at.is_none_or(|at| at > now)
            && self.max_uses.is_none_or(|max| self.uses < max)
    }
}

fn invite_from_row(row: &SqliteRow) -> Result<InviteRecord, StoreError> {
    let count = |column: &'static str, value: i64| {
        u32::try_from(value).map_err(|_| StoreError::Corrupt(column))
    };
    Ok(InviteRecord {
        id: InviteId(row.try_get("id")?),
        group: GroupId(row.try_get("group_id")?),
        created_at: Millis(row.try_get("created_at")?),
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(AccountId),
        expires_at: millis(row.try_get("expires_at")?),
        max_uses: row
            .try_get::<Option<i64>, _>("max_uses")?
            .map(|max| count("invites.max_uses", max))
            .transpose()?,
        uses: count("invites.uses", row.try_get("uses")?)?,
        revoked_at: millis(row.try_get("revoked_at")?),
    })
}

impl Store {
    /// Stores an invite under the keyed hash of its code.
    ///
    /// # Errors
    /// On database failure.
    pub async fn create_invite(
        &self,
        group: GroupId,
        code_hash: &[u8; 32],
        now: Millis,
        expires_at: Option<Millis>,
        max_uses: Option<u32>,
    ) -> Result<i64, StoreError> {
        self.create_invite_by(group, code_hash, now, expires_at, max_uses, None)
            .await
            .map(|id| id.0)
    }

    /// Stores an invite made by `by` under the keyed hash of its code.
    ///
    /// # Errors
    /// On database failure.
    pub async fn create_invite_by(
        &self,
        group: GroupId,
        code_hash: &[u8; 32],
        now: Millis,
        expires_at: Option<Millis>,
        max_uses: Option<u32>,
        by: Option<AccountId>,
    ) -> Result<InviteId, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO invites (group_id, code_hash, created_at, expires_at, max_uses,
                         created_by)
                     VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(group.0)
                .bind(&code_hash[..])
                .bind(now.0)
                .bind(expires_at.map(|t| t.0))
                .bind(max_uses.map(i64::from))
                .bind(by.map(|a| a.0))
                .fetch_one(pool)
                .await?;
                Ok(InviteId(id))
            }
        }
    }

    /// Revokes every invite of `group` and stores a new one, in one transaction, so there is never
    /// a moment with two usable links or none.
    ///
    /// # Errors
    /// On database failure.
    pub async fn rotate_invites(
        &self,
        group: GroupId,
        code_hash: &[u8; 32],
        now: Millis,
        expires_at: Option<Millis>,
        max_uses: Option<u32>,
        by: Option<AccountId>,
    ) -> Result<InviteId, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = super::begin_write(pool).await?;
                sqlx::query(
                    "UPDATE invites SET revoked_at = ? WHERE group_id = ? AND revoked_at IS NULL",
                )
                .bind(now.0)
                .bind(group.0)
                .execute(&mut *tx)
                .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO invites (group_id, code_hash, created_at, expires_at, max_uses,
                         created_by)
                     VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(group.0)
                .bind(&code_hash[..])
                .bind(now.0)
                .bind(expires_at.map(|t| t.0))
                .bind(max_uses.map(i64::from))
                .bind(by.map(|a| a.0))
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(InviteId(id))
            }
        }
    }

    /// The invite with this code hash, if it is usable at `now`: not revoked, not expired, not
    /// used up, and its group not archived.
    ///
    /// # Errors
    /// On database failure.
    pub async fn valid_invite(
        &self,
        code_hash: &[u8; 32],
        now: Millis,
    ) -> Result<Option<ValidInvite>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let row = sqlx::query(
                    "SELECT i.id, i.group_id FROM invites i JOIN groups g ON g.id = i.group_id
                     WHERE i.code_hash = ? AND i.revoked_at IS NULL
                       AND (i.expires_at IS NULL OR i.expires_at > ?)
                       AND (i.max_uses IS NULL OR i.uses < i.max_uses)
                       AND g.archived_at IS NULL",
                )
                .bind(&code_hash[..])
                .bind(now.0)
                .fetch_optional(pool)
                .await?;
                row.map(|row| {
                    Ok(ValidInvite {
                        invite_id: row.try_get("id")?,
                        group: GroupId(row.try_get("group_id")?),
                    })
                })
                .transpose()
            }
        }
    }

    /// Claims one use of an invite, if it has one left and is not revoked. Returns whether it
    /// was claimed. One statement, so two members arriving at once cannot both take the last
    /// use of an invite limited to N uses.
    ///
    /// # Errors
    /// On database failure.
    pub async fn claim_invite_use(&self, invite_id: i64) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done = sqlx::query(
                    "UPDATE invites SET uses = uses + 1
                     WHERE id = ? AND revoked_at IS NULL
                       AND (max_uses IS NULL OR uses < max_uses)",
                )
                .bind(invite_id)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    }

    /// Gives back a use claimed by `claim_invite_use` when the member did not get a seat after
    /// all (a name taken, a full room).
    ///
    /// # Errors
    /// On database failure.
    pub async fn release_invite_use(&self, invite_id: i64) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query("UPDATE invites SET uses = uses - 1 WHERE id = ? AND uses > 0")
                    .bind(invite_id)
                    .execute(pool)
                    .await?;
                Ok(())
            }
        }
    }

    /// The invites of `group`, newest first, usable or not.
    ///
    /// # Errors
    /// On database failure.
    pub async fn invites_for_group(&self, group: GroupId) -> Result<Vec<InviteRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(
                    "SELECT id, group_id, created_at, created_by, expires_at, max_uses, uses,
                         revoked_at
                     FROM invites WHERE group_id = ? ORDER BY id DESC",
                )
                .bind(group.0)
                .fetch_all(pool)
                .await?;
                rows.iter().map(invite_from_row).collect()
            }
        }
    }

    /// Revokes one invite of `group`. Returns whether an invite of that group that was not yet
    /// revoked was revoked.
    ///
    /// # Errors
    /// On database failure.
    pub async fn revoke_invite(
        &self,
        group: GroupId,
        invite: InviteId,
        now: Millis,
    ) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done = sqlx::query(
                    "UPDATE invites SET revoked_at = ?
                     WHERE id = ? AND group_id = ? AND revoked_at IS NULL",
                )
                .bind(now.0)
                .bind(invite.0)
                .bind(group.0)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::groups::tests::new_group;

    #[tokio::test]
    async fn invites_expire_run_out_and_are_found_by_hash_only() {
        let store = Store::in_memory().await.unwrap();
        let group = store
            .create_group(&new_group("Tuesday"), Millis(1))
            .await
            .unwrap();
        let hash = [7u8; 32];
        store
            .create_invite(group, &hash, Millis(1), Some(Millis(100)), Some(2))
            .await
            .unwrap();

        let found = store
            .valid_invite(&hash, Millis(50))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.group, group);
        assert!(
            store
                .valid_invite(&[8u8; 32], Millis(50))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .valid_invite(&hash, Millis(100))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );

        assert!(store.claim_invite_use(found.invite_id).await.unwrap());
        assert!(
            store
                .valid_invite(&hash, Millis(50))
                .await
                .unwrap()
                .is_some()
        );
        assert!(store.claim_invite_use(found.invite_id).await.unwrap());
        assert!(
            !store.claim_invite_use(found.invite_id).await.unwrap(),
            "no third use of an invite limited to two"
        );
        store.release_invite_use(found.invite_id).await.unwrap();
        assert!(store.claim_invite_use(found.invite_id).await.unwrap());
        assert!(
            store
                .valid_invite(&hash, Millis(50))
                .await
                .unwrap()
                .is_none(),
            "used up"
        );
        let listed = store.invites_for_group(group).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].uses, 2);
        assert!(!listed[0].is_usable(Millis(50)));
    }

    #[tokio::test]
    async fn revoking_and_rotating_leave_exactly_the_new_invite_usable() {
        let store = Store::in_memory().await.unwrap();
        let group = store
            .create_group(&new_group("A"), Millis(1))
            .await
            .unwrap();
        let other = store
            .create_group(&new_group("B"), Millis(1))
            .await
            .unwrap();
        let first = store
            .create_invite_by(group, &[1; 32], Millis(1), None, None, None)
            .await
            .unwrap();
        store
            .create_invite_by(group, &[2; 32], Millis(1), None, None, None)
            .await
            .unwrap();
        let elsewhere = store
            .create_invite_by(other, &[3; 32], Millis(1), None, None, None)
            .await
            .unwrap();

        assert!(
            !store
                .revoke_invite(group, elsewhere, Millis(2))
                .await
                .unwrap(),
            "an invite is revoked only through its own group"
        );
        assert!(store.revoke_invite(group, first, Millis(2)).await.unwrap());
        assert!(!store.revoke_invite(group, first, Millis(3)).await.unwrap());
        assert!(
            store
                .valid_invite(&[1; 32], Millis(3))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .valid_invite(&[2; 32], Millis(3))
                .await
                .unwrap()
                .is_some()
        );

        let fresh = store
            .rotate_invites(group, &[4; 32], Millis(4), Some(Millis(99)), Some(5), None)
            .await
            .unwrap();
        assert!(
            store
                .valid_invite(&[2; 32], Millis(5))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .valid_invite(&[4; 32], Millis(5))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .valid_invite(&[3; 32], Millis(5))
                .await
                .unwrap()
                .is_some()
        );
        let usable: Vec<_> = store
            .invites_for_group(group)
            .await
            .unwrap()
            .into_iter()
            .filter(|i| i.is_usable(Millis(5)))
            .map(|i| (i.id, i.max_uses, i.expires_at))
            .collect();
        assert_eq!(usable, [(fresh, Some(5), Some(Millis(99)))]);
    }
}
