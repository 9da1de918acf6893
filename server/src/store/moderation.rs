//! What sessions and facilitators leave behind: audit events, bans, session summaries. Codes and
//! counts only; never message text, pseudonyms or anything that identifies a member.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{AccountId, Backend, Store, StoreError, millis};
use crate::domain::{DeviceId, GroupId, Millis, ParticipantId};

/// Defines a closed set of snake_case codes: the enum, its serde names, `as_str` and `FromStr`.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(text: &str) -> Result<$name, ()> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

codes! {
    /// What happened. A fixed set, so an audit log can never carry free text. The room's actions
    /// use the names of `protocol::ModerationAction`, so one parses into the other by name.
    AuditAction {
        /// A group was created.
        GroupCreated = "group_created",
        /// Its name, description, topic, rules or capacity changed.
        GroupUpdated = "group_updated",
        /// Its schedule or time zone changed.
        ScheduleChanged = "schedule_changed",
        /// Its room settings changed.
        SettingsChanged = "settings_changed",
        /// It was archived.
        GroupArchived = "group_archived",
        /// An account became a facilitator of the group (the subject).
        FacilitatorAdded = "facilitator_added",
        /// An account stopped facilitating the group (the subject).
        FacilitatorRemoved = "facilitator_removed",
        /// An invite link was made.
        InviteCreated = "invite_created",
        /// An invite link was revoked.
        InviteRevoked = "invite_revoked",
        /// Every invite was revoked and a new one made.
        InvitesRotated = "invites_rotated",
        /// A member was admitted from the waiting room.
        Admitted = "admitted",
        /// A participant was muted.
        Muted = "muted",
        /// A participant was unmuted.
        Unmuted = "unmuted",
        /// A participant was removed from the session.
        Removed = "removed",
        /// A participant's device was banned from the group.
        Banned = "banned",
        /// A ban was lifted.
        BanLifted = "ban_lifted",
        /// A message was deleted (what it said is not recorded).
        Deleted = "deleted",
        /// The room was paused.
        Paused = "paused",
        /// The room was resumed.
        Resumed = "resumed",
        /// Slow mode was changed.
        Slowed = "slowed",
        /// The room was locked to newcomers.
        Locked = "locked",
        /// The room was unlocked.
        Unlocked = "unlocked",
        /// A session was opened.
        Opened = "opened",
        /// A session was ended.
        Ended = "ended",
        /// An announcement was pinned or unpinned (its text is not recorded).
        Announced = "announced",
        /// An account was created (the subject).
        AccountCreated = "account_created",
        /// An account was disabled (the subject).
        AccountDisabled = "account_disabled",
        /// An account was enabled again (the subject).
        AccountEnabled = "account_enabled",
        /// An account's password was changed (the subject).
        PasswordChanged = "password_changed",
    }
}

codes! {
    /// Why, in a word from a fixed set: the codes of `protocol::Reason`.
    ReasonCode {
        /// Shared or asked for contact details.
        ContactInfo = "contact_info",
        /// Disrespectful or hurtful to someone.
        Disrespect = "disrespect",
        /// Harassment or repeated unwanted attention.
        Harassment = "harassment",
        /// Worry for someone's safety.
        Safety = "safety",
        /// Off topic or disruptive.
        OffTopic = "off_topic",
        /// Spam or flooding.
        Spam = "spam",
        /// Something else.
        Other = "other",
    }
}

/// An audit event to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// When.
    pub at: Millis,
    /// In which group (`None` for account events).
    pub group: Option<GroupId>,
    /// Which facilitator or operator did it (`None` for the server itself or a member).
    pub actor: Option<AccountId>,
    /// Which account it was done to (account and facilitator events).
    pub subject: Option<AccountId>,
    /// What.
    pub action: AuditAction,
    /// To which seat of the session (session-scoped; identifies nobody afterwards).
    pub participant: Option<ParticipantId>,
    /// Why.
    pub reason: Option<ReasonCode>,
}

/// A recorded audit event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Its id; later events have larger ids (the cursor for paging).
    pub id: i64,
    /// The event.
    pub event: AuditEvent,
}

/// A ban's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BanId(pub i64);

/// A ban as a facilitator sees it (the device hash is never shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanRecord {
    /// Its id.
    pub id: BanId,
    /// The group it keeps the device out of.
    pub group: GroupId,
    /// When.
    pub created_at: Millis,
    /// By whom.
    pub created_by: Option<AccountId>,
    /// Why.
    pub reason: ReasonCode,
    /// When it was lifted, if it was.
    pub lifted_at: Option<Millis>,
    /// By whom.
    pub lifted_by: Option<AccountId>,
}

/// The counts a finished session leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSessionSummary {
    /// Which group met.
    pub group: GroupId,
    /// When the room opened (`None` if it never did).
    pub started_at: Option<Millis>,
    /// When it ended.
    pub ended_at: Millis,
    /// Members who took a seat at some point.
    pub members_joined: u32,
    /// Most participants present at once.
    pub peak_present: u32,
    /// Chat messages delivered.
    pub messages_sent: u32,
}

/// A recorded session summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSummaryRecord {
    /// Its id.
    pub id: i64,
    /// The counts.
    pub summary: NewSessionSummary,
}

fn code<T: FromStr>(value: &str, column: &'static str) -> Result<T, StoreError> {
    value.parse().map_err(|_| StoreError::Corrupt(column))
}

fn audit_from_row(row: &SqliteRow) -> Result<AuditRecord, StoreError> {
    let participant: Option<i64> = row.try_get("participant")?;
    Ok(AuditRecord {
        id: row.try_get("id")?,
        event: AuditEvent {
            at: Millis(row.try_get("at")?),
            group: row.try_get::<Option<i64>, _>("group_id")?.map(GroupId),
            actor: row.try_get::<Option<i64>, _>("actor_id")?.map(AccountId),
            subject: row.try_get::<Option<i64>, _>("subject_id")?.map(AccountId),
            action: code(row.try_get("action")?, "audit_events.action")?,
            participant: participant
                .map(|p| u32::try_from(p).map(ParticipantId))
                .transpose()
                .map_err(|_| StoreError::Corrupt("audit_events.participant"))?,
            reason: row
                .try_get::<Option<&str>, _>("reason")?
                .map(|r| code(r, "audit_events.reason"))
                .transpose()?,
        },
    })
}

fn ban_from_row(row: &SqliteRow) -> Result<BanRecord, StoreError> {
    Ok(BanRecord {
        id: BanId(row.try_get("id")?),
        group: GroupId(row.try_get("group_id")?),
        created_at: Millis(row.try_get("created_at")?),
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(AccountId),
        reason: code(row.try_get("reason")?, "bans.reason")?,
        lifted_at: millis(row.try_get("lifted_at")?),
        lifted_by: row.try_get::<Option<i64>, _>("lifted_by")?.map(AccountId),
    })
}

fn summary_from_row(row: &SqliteRow) -> Result<SessionSummaryRecord, StoreError> {
    let count = |column: &'static str| -> Result<u32, StoreError> {
        u32::try_from(row.try_get::<i64, _>(column)?).map_err(|_| StoreError::Corrupt(column))
    };
    Ok(SessionSummaryRecord {
        id: row.try_get("id")?,
        summary: NewSessionSummary {
            group: GroupId(row.try_get("group_id")?),
            started_at: millis(row.try_get("started_at")?),
            ended_at: Millis(row.try_get("ended_at")?),
            members_joined: count("members_joined")?,
            peak_present: count("peak_present")?,
            messages_sent: count("messages_sent")?,
        },
    })
}

/// Most rows one listing returns, whatever the caller asks for.
pub const MAX_PAGE: u32 = 500;

impl Store {
    /// Records an audit event; returns its id.
    ///
    /// # Errors
    /// On database failure (including an unknown group or account).
    pub async fn record_audit(&self, event: &AuditEvent) -> Result<i64, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO audit_events (at, group_id, actor_id, subject_id, action,
                         participant, reason)
                     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(event.at.0)
                .bind(event.group.map(|g| g.0))
                .bind(event.actor.map(|a| a.0))
                .bind(event.subject.map(|a| a.0))
                .bind(event.action.as_str())
                .bind(event.participant.map(|p| i64::from(p.0)))
                .bind(event.reason.map(ReasonCode::as_str))
                .fetch_one(pool)
                .await?;
                Ok(id)
            }
        }
    }

    /// The audit events of `group`, newest first: at most `limit` (capped at [`MAX_PAGE`]), and
    /// only those older than the event `before` when given (the id of the last event of the
    /// previous page).
    ///
    /// # Errors
    /// On database failure.
    pub async fn audit_for_group(
        &self,
        group: GroupId,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(
                    "SELECT id, at, group_id, actor_id, subject_id, action, participant, reason
                     FROM audit_events WHERE group_id = ? AND id < ?
                     ORDER BY id DESC LIMIT ?",
                )
                .bind(group.0)
                .bind(before.unwrap_or(i64::MAX))
                .bind(i64::from(limit.min(MAX_PAGE)))
                .fetch_all(pool)
                .await?;
                rows.iter().map(audit_from_row).collect()
            }
        }
    }

    /// Bans a device (the keyed hash of its device key, `AppState::device_id`) from `group`.
    /// Banning a device that is already banned returns the existing ban.
    ///
    /// # Errors
    /// On database failure (including an unknown group).
    pub async fn ban_device(
        &self,
        group: GroupId,
        device: DeviceId,
        by: Option<AccountId>,
        reason: ReasonCode,
        now: Millis,
    ) -> Result<BanId, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = super::begin_write(pool).await?;
                let existing: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM bans
                     WHERE group_id = ? AND device_hash = ? AND lifted_at IS NULL",
                )
                .bind(group.0)
                .bind(&device.0[..])
                .fetch_optional(&mut *tx)
                .await?;
                let id = match existing {
                    Some(id) => id,
                    None => {
                        sqlx::query_scalar(
                            "INSERT INTO bans (group_id, device_hash, created_at, created_by,
                                 reason)
                             VALUES (?, ?, ?, ?, ?) RETURNING id",
                        )
                        .bind(group.0)
                        .bind(&device.0[..])
                        .bind(now.0)
                        .bind(by.map(|a| a.0))
                        .bind(reason.as_str())
                        .fetch_one(&mut *tx)
                        .await?
                    }
                };
                tx.commit().await?;
                Ok(BanId(id))
            }
        }
    }

    /// Whether a device (by keyed hash) is banned from `group` now.
    ///
    /// # Errors
    /// On database failure.
    pub async fn is_banned(&self, group: GroupId, device: DeviceId) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT 1 FROM bans
                     WHERE group_id = ? AND device_hash = ? AND lifted_at IS NULL",
                )
                .bind(group.0)
                .bind(&device.0[..])
                .fetch_optional(pool)
                .await?;
                Ok(found.is_some())
            }
        }
    }

    /// The bans of `group`, newest first, lifted ones included.
    ///
    /// # Errors
    /// On database failure.
    pub async fn bans_for_group(&self, group: GroupId) -> Result<Vec<BanRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(
                    "SELECT id, group_id, created_at, created_by, reason, lifted_at, lifted_by
                     FROM bans WHERE group_id = ? ORDER BY id DESC LIMIT ?",
                )
                .bind(group.0)
                .bind(i64::from(MAX_PAGE))
                .fetch_all(pool)
                .await?;
                rows.iter().map(ban_from_row).collect()
            }
        }
    }

    /// Lifts a ban of `group`. Returns whether a ban of that group that was in force was lifted.
    ///
    /// # Errors
    /// On database failure.
    pub async fn lift_ban(
        &self,
        group: GroupId,
        ban: BanId,
        by: Option<AccountId>,
        now: Millis,
    ) -> Result<bool, StoreError> {
        Ok(self.lift_ban_of(group, ban, by, now).await?.is_some())
    }

    /// Lifts a ban like [`Store::lift_ban`] and returns the device it covered (so a live room can
    /// let that browser back in at once), or `None` when it is not a ban of this group in force.
    ///
    /// # Errors
    /// On database failure.
    pub async fn lift_ban_of(
        &self,
        group: GroupId,
        ban: BanId,
        by: Option<AccountId>,
        now: Millis,
    ) -> Result<Option<DeviceId>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let device: Option<Vec<u8>> = sqlx::query_scalar(
                    "UPDATE bans SET lifted_at = ?, lifted_by = ?
                     WHERE id = ? AND group_id = ? AND lifted_at IS NULL
                     RETURNING device_hash",
                )
                .bind(now.0)
                .bind(by.map(|a| a.0))
                .bind(ban.0)
                .bind(group.0)
                .fetch_optional(pool)
                .await?;
                Ok(device.map(|bytes| {
                    let mut hash = [0u8; 32];
                    let len = bytes.len().min(32);
                    hash[..len].copy_from_slice(&bytes[..len]);
                    DeviceId(hash)
                }))
            }
        }
    }

    /// Records the counts of a finished session; returns its id.
    ///
    /// # Errors
    /// On database failure (including an unknown group).
    pub async fn record_session_summary(
        &self,
        summary: &NewSessionSummary,
    ) -> Result<i64, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO session_summaries (group_id, started_at, ended_at,
                         members_joined, peak_present, messages_sent)
                     VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(summary.group.0)
                .bind(summary.started_at.map(|t| t.0))
                .bind(summary.ended_at.0)
                .bind(i64::from(summary.members_joined))
                .bind(i64::from(summary.peak_present))
                .bind(i64::from(summary.messages_sent))
                .fetch_one(pool)
                .await?;
                Ok(id)
            }
        }
    }

    /// The most recent sessions of `group`, newest first, at most `limit` (capped at
    /// [`MAX_PAGE`]).
    ///
    /// # Errors
    /// On database failure.
    pub async fn sessions_for_group(
        &self,
        group: GroupId,
        limit: u32,
    ) -> Result<Vec<SessionSummaryRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(
                    "SELECT id, group_id, started_at, ended_at, members_joined, peak_present,
                         messages_sent
                     FROM session_summaries WHERE group_id = ?
                     ORDER BY ended_at DESC, id DESC LIMIT ?",
                )
                .bind(group.0)
                .bind(i64::from(limit.min(MAX_PAGE)))
                .fetch_all(pool)
                .await?;
                rows.iter().map(summary_from_row).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::groups::tests::new_group;

    async fn two_groups() -> (Store, GroupId, GroupId) {
        let store = Store::in_memory().await.unwrap();
        let a = store
            .create_group(&new_group("A"), Millis(1))
            .await
            .unwrap();
        let b = store
            .create_group(&new_group("B"), Millis(1))
            .await
            .unwrap();
        (store, a, b)
    }

    fn event(group: GroupId, at: i64, action: AuditAction) -> AuditEvent {
        AuditEvent {
            at: Millis(at),
            group: Some(group),
            actor: None,
            subject: None,
            action,
            participant: Some(ParticipantId(4)),
            reason: Some(ReasonCode::ContactInfo),
        }
    }

    #[tokio::test]
    async fn audit_events_page_newest_first_per_group() {
        let (store, a, b) = two_groups().await;
        let mut ids = Vec::new();
        for at in 0..5 {
            ids.push(
                store
                    .record_audit(&event(a, at, AuditAction::Muted))
                    .await
                    .unwrap(),
            );
        }
        store
            .record_audit(&event(b, 9, AuditAction::Banned))
            .await
            .unwrap();

        let page = store.audit_for_group(a, 2, None).await.unwrap();
        assert_eq!(
            page.iter().map(|r| r.id).collect::<Vec<_>>(),
            [ids[4], ids[3]]
        );
        assert_eq!(page[0].event, event(a, 4, AuditAction::Muted));
        let next = store.audit_for_group(a, 10, Some(ids[3])).await.unwrap();
        assert_eq!(
            next.iter().map(|r| r.id).collect::<Vec<_>>(),
            [ids[2], ids[1], ids[0]]
        );
        assert_eq!(store.audit_for_group(b, 10, None).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn codes_round_trip_through_their_names() {
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>(), Ok(*action));
        }
        for reason in ReasonCode::ALL {
            assert_eq!(reason.as_str().parse::<ReasonCode>(), Ok(*reason));
            assert_eq!(
                serde_json::to_string(reason).unwrap(),
                format!("\"{reason}\"")
            );
        }
        assert!("said something".parse::<ReasonCode>().is_err());
    }

    #[tokio::test]
    async fn a_ban_keeps_a_device_out_of_one_group_until_lifted() {
        let (store, a, b) = two_groups().await;
        let device = DeviceId([5u8; 32]);
        let ban = store
            .ban_device(a, device, None, ReasonCode::Harassment, Millis(10))
            .await
            .unwrap();
        assert_eq!(
            store
                .ban_device(a, device, None, ReasonCode::Spam, Millis(11))
                .await
                .unwrap(),
            ban,
            "banning twice is one ban"
        );
        assert!(store.is_banned(a, device).await.unwrap());
        assert!(!store.is_banned(b, device).await.unwrap());
        assert!(!store.is_banned(a, DeviceId([6; 32])).await.unwrap());

        assert!(!store.lift_ban(b, ban, None, Millis(20)).await.unwrap());
        assert!(store.lift_ban(a, ban, None, Millis(20)).await.unwrap());
        assert!(!store.lift_ban(a, ban, None, Millis(21)).await.unwrap());
        assert!(!store.is_banned(a, device).await.unwrap());
        let listed = store.bans_for_group(a).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].reason, ReasonCode::Harassment);
        assert_eq!(listed[0].lifted_at, Some(Millis(20)));
    }

    /// The room's recorder writes a ban and its audit event at the same moment, on separate
    /// pooled connections of a file database (WAL). Every ban must land: none may be lost to
    /// SQLite refusing a read snapshot's upgrade to a write.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bans_written_alongside_other_writes_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let group = store
            .create_group(&new_group("A"), Millis(1))
            .await
            .unwrap();
        let mut writes = tokio::task::JoinSet::new();
        for n in 0..48u8 {
            let banning = store.clone();
            writes.spawn(async move {
                banning
                    .ban_device(group, DeviceId([n; 32]), None, ReasonCode::Spam, Millis(2))
                    .await
                    .map(|_| ())
            });
            let auditing = store.clone();
            writes.spawn(async move {
                auditing
                    .record_audit(&event(group, 2, AuditAction::Banned))
                    .await
                    .map(|_| ())
            });
        }
        while let Some(done) = writes.join_next().await {
            done.unwrap().expect("every write lands");
        }
        assert_eq!(store.bans_for_group(group).await.unwrap().len(), 48);
    }

    #[tokio::test]
    async fn session_summaries_list_newest_first() {
        let (store, a, _) = two_groups().await;
        for start in [100, 300, 200] {
            store
                .record_session_summary(&NewSessionSummary {
                    group: a,
                    started_at: Some(Millis(start)),
                    ended_at: Millis(start + 50),
                    members_joined: 6,
                    peak_present: 5,
                    messages_sent: 120,
                })
                .await
                .unwrap();
        }
        let listed = store.sessions_for_group(a, 2).await.unwrap();
        let starts: Vec<_> = listed.iter().map(|s| s.summary.started_at).collect();
        assert_eq!(starts, [Some(Millis(300)), Some(Millis(200))]);
        assert_eq!(listed[0].summary.messages_sent, 120);
    }
}
