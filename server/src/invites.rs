//! Invite codes: made from 128 random bits, handed out once as a `/join#CODE` link, stored only as
//! a keyed hash, and resolved back to a group when a member joins.
//!
//! The code lives in the URL fragment, so browsers never send it in a request line or a Referer
//! header and it never reaches access logs. Depends on `secret` and `store`.

use crate::domain::{AccountId, GroupId, Millis};
use crate::secret::{ServerSecret, random_token};
use crate::store::{InviteId, Store, StoreError, ValidInvite};

/// Longest code accepted for lookup. Real codes are 22 characters; anything far longer is not
/// worth hashing.
pub const INVITE_CODE_MAX_LEN: usize = 64;

const HASH_PURPOSE: &str = "invite";

/// Creates and resolves invite codes.
#[derive(Debug, Clone)]
pub struct Invites {
    store: Store,
    secret: ServerSecret,
}

impl Invites {
    /// Invites kept in `store`, hashed under `secret`.
    pub fn new(store: Store, secret: ServerSecret) -> Invites {
        Invites { store, secret }
    }

    /// Makes a new invite for `group` and returns its code. The code is not stored; show it once.
    ///
    /// # Errors
    /// On database failure.
    pub async fn create(
        &self,
        group: GroupId,
        now: Millis,
        expires_at: Option<Millis>,
        max_uses: Option<u32>,
    ) -> Result<String, StoreError> {
        let code = random_token();
        let hash = self.secret.keyed_hash(HASH_PURPOSE, &code);
        self.store
            .create_invite(group, &hash, now, expires_at, max_uses)
            .await?;
        Ok(code)
    }

    /// Makes a new invite for `group` on behalf of facilitator `by` and returns its id and code.
    /// With `rotate`, every other invite of the group is revoked in the same transaction.
    ///
    /// # Errors
    /// On database failure.
    pub async fn create_by(
        &self,
        group: GroupId,
        now: Millis,
        expires_at: Option<Millis>,
        max_uses: Option<u32>,
        by: AccountId,
        rotate: bool,
    ) -> Result<(InviteId, String), StoreError> {
        let code = random_token();
        let hash = self.secret.keyed_hash(HASH_PURPOSE, &code);
        let id = if rotate {
            self.store
                .rotate_invites(group, &hash, now, expires_at, max_uses, Some(by))
                .await?
        } else {
            self.store
                .create_invite_by(group, &hash, now, expires_at, max_uses, Some(by))
                .await?
        };
        Ok((id, code))
    }

    /// The usable invite with this code, if any. Malformed codes are simply not found.
    ///
    /// # Errors
    /// On database failure.
    pub async fn resolve(
        &self,
        code: &str,
        now: Millis,
    ) -> Result<Option<ValidInvite>, StoreError> {
        let code = code.trim();
        if code.is_empty()
            || code.len() > INVITE_CODE_MAX_LEN
            || !code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Ok(None);
        }
        let hash = self.secret.keyed_hash(HASH_PURPOSE, code);
        self.store.valid_invite(&hash, now).await
    }

    /// Claims one use of the invite before the member takes a seat; false when its last use
    /// went to someone else meanwhile (or it was revoked).
    ///
    /// # Errors
    /// On database failure.
    pub async fn claim_use(&self, invite: &ValidInvite) -> Result<bool, StoreError> {
        self.store.claim_invite_use(invite.invite_id).await
    }

    /// Gives a claimed use back when the seat was refused.
    ///
    /// # Errors
    /// On database failure.
    pub async fn release_use(&self, invite: &ValidInvite) -> Result<(), StoreError> {
        self.store.release_invite_use(invite.invite_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewGroup;

    #[tokio::test]
    async fn a_created_code_resolves_to_its_group_and_nothing_else_does() {
        let store = Store::in_memory().await.unwrap();
        let group = store
            .create_group(
                &NewGroup {
                    name: "G".into(),
                    description: String::new(),
                    rules: "r".into(),
                    capacity: 12,
                    is_demo: false,
                },
                Millis(0),
            )
            .await
            .unwrap();
        let invites = Invites::new(store, ServerSecret::from_bytes([9; 32]));
        let code = invites.create(group, Millis(0), None, None).await.unwrap();
        assert_eq!(
            invites
                .resolve(&code, Millis(1))
                .await
                .unwrap()
                .unwrap()
                .group,
            group
        );
        for wrong in ["", "nope", "a b", &"x".repeat(65), &code[1..]] {
            assert!(
                invites.resolve(wrong, Millis(1)).await.unwrap().is_none(),
                "{wrong}"
            );
        }
    }
}
