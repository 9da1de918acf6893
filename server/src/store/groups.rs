//! Groups, their settings and schedule, and who facilitates them.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::accounts::account_columns;
use super::{AccountId, AccountRecord, Backend, Store, StoreError, accounts, millis};
use crate::domain::{GroupId, Millis};

/// Facilitators a group may have: one or two, with equal rights. Matches the room's facilitator
/// seats (two co-facilitators plus an operator dropping in).
pub const MAX_FACILITATORS: i64 = 2;

/// Members at most, unless the facilitator chooses otherwise (2–15).
pub const DEFAULT_CAPACITY: u8 = 12;

/// Ground rules a new group starts with; facilitators edit them to suit their group.
pub const DEFAULT_RULES: &str = "\
1. What is shared here stays here.
2. Speak from your own experience; no advice unless asked.
3. No contact details: no phone numbers, emails or social handles.
4. Be kind. Disagree with ideas, never with people.
5. You may pass or just listen. You may leave at any time.";

/// What the contact filter does with a message that holds contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterPolicy {
    /// The message is not delivered; the sender is told why.
    #[default]
    Block,
    /// The message is delivered with the contact details masked.
    Mask,
}

impl FilterPolicy {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterPolicy::Block => "block",
            FilterPolicy::Mask => "mask",
        }
    }

    fn parse(stored: &str) -> Result<FilterPolicy, StoreError> {
        match stored {
            "block" => Ok(FilterPolicy::Block),
            "mask" => Ok(FilterPolicy::Mask),
            _ => Err(StoreError::Corrupt("groups.filter_policy")),
        }
    }
}

/// How a group's live room behaves. Read by the room when a session starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSettings {
    /// Block or mask messages with contact details.
    pub filter_policy: FilterPolicy,
    /// Facilitators may share contact details (a helpline, say) without the filter stopping them.
    pub exempt_facilitators: bool,
    /// Which crisis resources members are shown (a lower-case region code such as `us`).
    pub crisis_locale: String,
    /// The room opens by itself at the scheduled time; otherwise a facilitator opens it.
    pub auto_open: bool,
    /// Members go straight in; otherwise a facilitator admits them from the waiting room.
    pub auto_admit: bool,
    /// Members may talk while no facilitator is present.
    pub allow_without_facilitator: bool,
    /// How many minutes before the start the waiting room opens (0–60).
    pub waiting_room_minutes: u8,
}

impl Default for GroupSettings {
    /// A facilitated group: a facilitator opens the room and admits members.
    fn default() -> GroupSettings {
        GroupSettings {
            filter_policy: FilterPolicy::Block,
            exempt_facilitators: true,
            crisis_locale: "us".to_owned(),
            auto_open: false,
            auto_admit: false,
            allow_without_facilitator: false,
            waiting_room_minutes: 10,
        }
    }
}

impl GroupSettings {
    /// The demo group runs by itself: open, admitting, no facilitator needed.
    pub fn demo() -> GroupSettings {
        GroupSettings {
            auto_open: true,
            auto_admit: true,
            allow_without_facilitator: true,
            ..GroupSettings::default()
        }
    }

    /// Checks the values a client may have sent.
    ///
    /// # Errors
    /// A sentence saying which value is out of range.
    pub fn validate(&self) -> Result<(), &'static str> {
        let locale = &self.crisis_locale;
        if locale.is_empty()
            || locale.len() > 10
            || !locale.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            return Err("crisis_locale must be a lower-case region code such as \"us\".");
        }
        if self.waiting_room_minutes > 60 {
            return Err("waiting_room_minutes must be between 0 and 60.");
        }
        Ok(())
    }
}

/// A group as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    /// Its id.
    pub id: GroupId,
    /// Shown to members.
    pub name: String,
    /// A sentence or two about the group.
    pub description: String,
    /// What the group is about (anxiety, grief, recovery, …).
    pub topic: String,
    /// Ground rules members accept before joining.
    pub rules: String,
    /// Members at most.
    pub capacity: u8,
    /// IANA time zone the schedule is written in (e.g. `Europe/Berlin`).
    pub time_zone: String,
    /// The schedule as JSON text (the shape of `schedule::Schedule`), if one is set.
    pub schedule: Option<String>,
    /// How the live room behaves.
    pub settings: GroupSettings,
    /// The demo group seeded by `hearth serve --demo`.
    pub is_demo: bool,
    /// When it was created.
    pub created_at: Millis,
    /// When it was archived: its invites stop working and it leaves the dashboard.
    pub archived_at: Option<Millis>,
}

/// What is needed to create a group with default settings (the demo group, tests).
#[derive(Debug, Clone)]
pub struct NewGroup {
    /// Shown to members.
    pub name: String,
    /// A sentence or two about the group.
    pub description: String,
    /// Ground rules.
    pub rules: String,
    /// Members at most (2–15).
    pub capacity: u8,
    /// The demo group seeded by `hearth serve --demo` (it gets [`GroupSettings::demo`]).
    pub is_demo: bool,
}

/// Everything a facilitator sets when creating a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDraft {
    /// Shown to members.
    pub name: String,
    /// A sentence or two about the group.
    pub description: String,
    /// What the group is about.
    pub topic: String,
    /// Ground rules.
    pub rules: String,
    /// Members at most (2–15).
    pub capacity: u8,
    /// IANA time zone.
    pub time_zone: String,
    /// Schedule JSON, already validated by the caller.
    pub schedule: Option<String>,
    /// Room settings, already validated by the caller.
    pub settings: GroupSettings,
}

/// A change to a group's description; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupUpdate {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New topic.
    pub topic: Option<String>,
    /// New ground rules.
    pub rules: Option<String>,
    /// New capacity (2–15).
    pub capacity: Option<u8>,
}

/// The outcome of adding a facilitator to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddFacilitator {
    /// Now facilitates the group.
    Added,
    /// Already did.
    AlreadyThere,
    /// The group has [`MAX_FACILITATORS`] already.
    GroupFull,
}

/// The outcome of removing a facilitator from a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveFacilitator {
    /// No longer facilitates the group.
    Removed,
    /// Did not facilitate it.
    NotThere,
    /// The only facilitator cannot leave; a group always has someone responsible for it.
    LastOne,
}

/// The columns [`group_from_row`] reads, as a macro so queries stay `&'static str` (sqlx refuses
/// SQL built at run time unless it is asserted safe).
macro_rules! group_columns {
    () => {
        "id, name, description, topic, rules, capacity, time_zone, schedule, filter_policy, \
         exempt_facilitators, crisis_locale, auto_open, auto_admit, allow_without_facilitator, \
         waiting_room_minutes, is_demo, created_at, archived_at"
    };
}

fn group_from_row(row: &SqliteRow) -> Result<GroupRecord, StoreError> {
    Ok(GroupRecord {
        id: GroupId(row.try_get("id")?),
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        topic: row.try_get("topic")?,
        rules: row.try_get("rules")?,
        capacity: u8::try_from(row.try_get::<i64, _>("capacity")?)
            .map_err(|_| StoreError::Corrupt("groups.capacity"))?,
        time_zone: row.try_get("time_zone")?,
        schedule: row.try_get("schedule")?,
        settings: GroupSettings {
            filter_policy: FilterPolicy::parse(row.try_get("filter_policy")?)?,
            exempt_facilitators: row.try_get("exempt_facilitators")?,
            crisis_locale: row.try_get("crisis_locale")?,
            auto_open: row.try_get("auto_open")?,
            auto_admit: row.try_get("auto_admit")?,
            allow_without_facilitator: row.try_get("allow_without_facilitator")?,
            waiting_room_minutes: u8::try_from(row.try_get::<i64, _>("waiting_room_minutes")?)
                .map_err(|_| StoreError::Corrupt("groups.waiting_room_minutes"))?,
        },
        is_demo: row.try_get("is_demo")?,
        created_at: Millis(row.try_get("created_at")?),
        archived_at: millis(row.try_get("archived_at")?),
    })
}

impl Store {
    /// Creates a group with default settings (or the demo settings), facilitated by nobody.
    ///
    /// # Errors
    /// On database failure (including a capacity outside 2–15).
    pub async fn create_group(&self, group: &NewGroup, now: Millis) -> Result<GroupId, StoreError> {
        let draft = GroupDraft {
            name: group.name.clone(),
            description: group.description.clone(),
            topic: String::new(),
            rules: group.rules.clone(),
            capacity: group.capacity,
            time_zone: "UTC".to_owned(),
            schedule: None,
            settings: if group.is_demo {
                GroupSettings::demo()
            } else {
                GroupSettings::default()
            },
        };
        self.insert_group(&draft, group.is_demo, None, now).await
    }

    /// Creates a group whose first facilitator is `owner`, in one transaction.
    ///
    /// # Errors
    /// On database failure (including a capacity outside 2–15).
    pub async fn create_group_for(
        &self,
        draft: &GroupDraft,
        owner: AccountId,
        now: Millis,
    ) -> Result<GroupId, StoreError> {
        self.insert_group(draft, false, Some(owner), now).await
    }

    async fn insert_group(
        &self,
        draft: &GroupDraft,
        is_demo: bool,
        owner: Option<AccountId>,
        now: Millis,
    ) -> Result<GroupId, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = super::begin_write(pool).await?;
                let settings = &draft.settings;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO groups (name, description, topic, rules, capacity, time_zone,
                         schedule, filter_policy, exempt_facilitators, crisis_locale, auto_open,
                         auto_admit, allow_without_facilitator, waiting_room_minutes, is_demo,
                         created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&draft.name)
                .bind(&draft.description)
                .bind(&draft.topic)
                .bind(&draft.rules)
                .bind(i64::from(draft.capacity))
                .bind(&draft.time_zone)
                .bind(&draft.schedule)
                .bind(settings.filter_policy.as_str())
                .bind(settings.exempt_facilitators)
                .bind(&settings.crisis_locale)
                .bind(settings.auto_open)
                .bind(settings.auto_admit)
                .bind(settings.allow_without_facilitator)
                .bind(i64::from(settings.waiting_room_minutes))
                .bind(is_demo)
                .bind(now.0)
                .fetch_one(&mut *tx)
                .await?;
                if let Some(owner) = owner {
                    sqlx::query(
                        "INSERT INTO group_facilitators (group_id, account_id, added_at)
                         VALUES (?, ?, ?)",
                    )
                    .bind(id)
                    .bind(owner.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(GroupId(id))
            }
        }
    }

    /// A group by id, archived or not.
    ///
    /// # Errors
    /// On database failure.
    pub async fn group(&self, id: GroupId) -> Result<Option<GroupRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let row = sqlx::query(concat!(
                    "SELECT ",
                    group_columns!(),
                    " FROM groups WHERE id = ?"
                ))
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
                row.as_ref().map(group_from_row).transpose()
            }
        }
    }

    /// The groups `account` facilitates that are not archived, by name.
    ///
    /// # Errors
    /// On database failure.
    pub async fn groups_of(&self, account: AccountId) -> Result<Vec<GroupRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(concat!(
                    "SELECT ",
                    group_columns!(),
                    " FROM groups WHERE archived_at IS NULL AND id IN
                         (SELECT group_id FROM group_facilitators WHERE account_id = ?)
                     ORDER BY name COLLATE NOCASE, id"
                ))
                .bind(account.0)
                .fetch_all(pool)
                .await?;
                rows.iter().map(group_from_row).collect()
            }
        }
    }

    /// Every group that is not archived, by name (what an admin sees).
    ///
    /// # Errors
    /// On database failure.
    pub async fn all_groups(&self) -> Result<Vec<GroupRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(concat!(
                    "SELECT ",
                    group_columns!(),
                    " FROM groups WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, id"
                ))
                .fetch_all(pool)
                .await?;
                rows.iter().map(group_from_row).collect()
            }
        }
    }

    /// The demo group, if one was seeded.
    ///
    /// # Errors
    /// On database failure.
    pub async fn demo_group(&self) -> Result<Option<GroupId>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let id: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM groups WHERE is_demo = 1 AND archived_at IS NULL
                     ORDER BY id LIMIT 1",
                )
                .fetch_optional(pool)
                .await?;
                Ok(id.map(GroupId))
            }
        }
    }

    /// Changes a group's name, description, topic, rules or capacity. Returns whether the group
    /// exists.
    ///
    /// # Errors
    /// On database failure (including a capacity outside 2–15).
    pub async fn update_group(
        &self,
        id: GroupId,
        update: &GroupUpdate,
    ) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done = sqlx::query(
                    "UPDATE groups SET
                         name = COALESCE(?, name),
                         description = COALESCE(?, description),
                         topic = COALESCE(?, topic),
                         rules = COALESCE(?, rules),
                         capacity = COALESCE(?, capacity)
                     WHERE id = ?",
                )
                .bind(&update.name)
                .bind(&update.description)
                .bind(&update.topic)
                .bind(&update.rules)
                .bind(update.capacity.map(i64::from))
                .bind(id.0)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    }

    /// Sets the group's time zone and schedule (JSON already validated, `None` for no schedule).
    /// Returns whether the group exists.
    ///
    /// # Errors
    /// On database failure.
    pub async fn set_schedule(
        &self,
        id: GroupId,
        time_zone: &str,
        schedule: Option<&str>,
    ) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done =
                    sqlx::query("UPDATE groups SET time_zone = ?, schedule = ? WHERE id = ?")
                        .bind(time_zone)
                        .bind(schedule)
                        .bind(id.0)
                        .execute(pool)
                        .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    }

    /// Replaces the group's room settings. Returns whether the group exists.
    ///
    /// # Errors
    /// On database failure (including values the schema refuses).
    pub async fn set_settings(
        &self,
        id: GroupId,
        settings: &GroupSettings,
    ) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done = sqlx::query(
                    "UPDATE groups SET filter_policy = ?, exempt_facilitators = ?,
                         crisis_locale = ?, auto_open = ?, auto_admit = ?,
                         allow_without_facilitator = ?, waiting_room_minutes = ?
                     WHERE id = ?",
                )
                .bind(settings.filter_policy.as_str())
                .bind(settings.exempt_facilitators)
                .bind(&settings.crisis_locale)
                .bind(settings.auto_open)
                .bind(settings.auto_admit)
                .bind(settings.allow_without_facilitator)
                .bind(i64::from(settings.waiting_room_minutes))
                .bind(id.0)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    }

    /// Archives a group and revokes its invites, in one transaction. Returns whether a group that
    /// was not yet archived was archived.
    ///
    /// # Errors
    /// On database failure.
    pub async fn archive_group(&self, id: GroupId, now: Millis) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = super::begin_write(pool).await?;
                let done = sqlx::query(
                    "UPDATE groups SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
                )
                .bind(now.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE invites SET revoked_at = ? WHERE group_id = ? AND revoked_at IS NULL",
                )
                .bind(now.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }
        }
    }

    /// Makes `account` a facilitator of `group`, unless it already has [`MAX_FACILITATORS`].
    ///
    /// # Errors
    /// On database failure (including an unknown group or account).
    pub async fn add_facilitator(
        &self,
        group: GroupId,
        account: AccountId,
        now: Millis,
    ) -> Result<AddFacilitator, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                // One statement, so two concurrent adds cannot both see room for a second.
                let done = sqlx::query(
                    "INSERT INTO group_facilitators (group_id, account_id, added_at)
                     SELECT ?, ?, ?
                     WHERE (SELECT COUNT(*) FROM group_facilitators WHERE group_id = ?) < ?
                     ON CONFLICT DO NOTHING",
                )
                .bind(group.0)
                .bind(account.0)
                .bind(now.0)
                .bind(group.0)
                .bind(MAX_FACILITATORS)
                .execute(pool)
                .await?;
                if done.rows_affected() == 1 {
                    Ok(AddFacilitator::Added)
                } else if self.is_facilitator(group, account).await? {
                    Ok(AddFacilitator::AlreadyThere)
                } else {
                    Ok(AddFacilitator::GroupFull)
                }
            }
        }
    }

    /// Removes `account` from the facilitators of `group`, unless it is the only one.
    ///
    /// # Errors
    /// On database failure.
    pub async fn remove_facilitator(
        &self,
        group: GroupId,
        account: AccountId,
    ) -> Result<RemoveFacilitator, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let done = sqlx::query(
                    "DELETE FROM group_facilitators
                     WHERE group_id = ? AND account_id = ?
                       AND (SELECT COUNT(*) FROM group_facilitators WHERE group_id = ?) > 1",
                )
                .bind(group.0)
                .bind(account.0)
                .bind(group.0)
                .execute(pool)
                .await?;
                if done.rows_affected() == 1 {
                    Ok(RemoveFacilitator::Removed)
                } else if self.is_facilitator(group, account).await? {
                    Ok(RemoveFacilitator::LastOne)
                } else {
                    Ok(RemoveFacilitator::NotThere)
                }
            }
        }
    }

    /// Whether `account` facilitates `group`.
    ///
    /// # Errors
    /// On database failure.
    pub async fn is_facilitator(
        &self,
        group: GroupId,
        account: AccountId,
    ) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT 1 FROM group_facilitators WHERE group_id = ? AND account_id = ?",
                )
                .bind(group.0)
                .bind(account.0)
                .fetch_optional(pool)
                .await?;
                Ok(found.is_some())
            }
        }
    }

    /// The facilitators of `group`, in the order they were added.
    ///
    /// # Errors
    /// On database failure.
    pub async fn facilitators(&self, group: GroupId) -> Result<Vec<AccountRecord>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let rows = sqlx::query(concat!(
                    "SELECT ",
                    account_columns!(),
                    " FROM accounts a JOIN group_facilitators f ON f.account_id = a.id
                     WHERE f.group_id = ? ORDER BY f.added_at, a.id"
                ))
                .bind(group.0)
                .fetch_all(pool)
                .await?;
                rows.iter().map(accounts::account_from_row).collect()
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::NewAccount;

    pub(in crate::store) fn new_group(name: &str) -> NewGroup {
        NewGroup {
            name: name.into(),
            description: String::new(),
            rules: "Be kind.".into(),
            capacity: 12,
            is_demo: false,
        }
    }

    async fn account(store: &Store, name: &str) -> AccountId {
        store
            .create_account(
                &NewAccount {
                    username: name.into(),
                    display_name: name.into(),
                    password_hash: "$argon2id$test".into(),
                    is_admin: false,
                },
                Millis(1),
            )
            .await
            .unwrap()
    }

    fn draft(name: &str) -> GroupDraft {
        GroupDraft {
            name: name.into(),
            description: "Weekly".into(),
            topic: "grief".into(),
            rules: DEFAULT_RULES.into(),
            capacity: DEFAULT_CAPACITY,
            time_zone: "Europe/Berlin".into(),
            schedule: Some(r#"{"tz":"Europe/Berlin"}"#.into()),
            settings: GroupSettings {
                filter_policy: FilterPolicy::Mask,
                auto_admit: true,
                ..GroupSettings::default()
            },
        }
    }

    #[tokio::test]
    async fn groups_round_trip_with_defaults() {
        let store = Store::in_memory().await.unwrap();
        let id = store
            .create_group(&new_group("Tuesday"), Millis(1))
            .await
            .unwrap();
        let group = store.group(id).await.unwrap().unwrap();
        assert_eq!(group.name, "Tuesday");
        assert_eq!(group.capacity, 12);
        assert_eq!(group.settings, GroupSettings::default());
        assert_eq!(group.time_zone, "UTC");
        assert!(store.group(GroupId(999)).await.unwrap().is_none());
        store.ready().await.unwrap();
    }

    #[tokio::test]
    async fn the_demo_group_runs_without_a_facilitator() {
        let store = Store::in_memory().await.unwrap();
        let mut demo = new_group("Demo");
        demo.is_demo = true;
        let id = store.create_group(&demo, Millis(1)).await.unwrap();
        assert_eq!(store.demo_group().await.unwrap(), Some(id));
        let group = store.group(id).await.unwrap().unwrap();
        assert!(group.settings.auto_open && group.settings.auto_admit);
        assert!(group.settings.allow_without_facilitator);
    }

    #[tokio::test]
    async fn capacity_outside_two_to_fifteen_is_refused_by_the_schema() {
        let store = Store::in_memory().await.unwrap();
        let mut group = new_group("Big");
        group.capacity = 40;
        assert!(store.create_group(&group, Millis(1)).await.is_err());
    }

    #[tokio::test]
    async fn a_drafted_group_keeps_every_field_and_its_owner_facilitates_it() {
        let store = Store::in_memory().await.unwrap();
        let sam = account(&store, "sam").await;
        let id = store
            .create_group_for(&draft("Grief circle"), sam, Millis(5))
            .await
            .unwrap();
        let group = store.group(id).await.unwrap().unwrap();
        assert_eq!(group.topic, "grief");
        assert_eq!(group.time_zone, "Europe/Berlin");
        assert_eq!(group.schedule.as_deref(), Some(r#"{"tz":"Europe/Berlin"}"#));
        assert_eq!(group.settings.filter_policy, FilterPolicy::Mask);
        assert!(group.settings.auto_admit);
        assert_eq!(group.created_at, Millis(5));
        assert!(store.is_facilitator(id, sam).await.unwrap());
        assert_eq!(store.groups_of(sam).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn updates_settings_and_schedule_change_only_what_they_name() {
        let store = Store::in_memory().await.unwrap();
        let sam = account(&store, "sam").await;
        let id = store
            .create_group_for(&draft("Grief circle"), sam, Millis(5))
            .await
            .unwrap();
        let update = GroupUpdate {
            name: Some("Grief circle (evenings)".into()),
            capacity: Some(8),
            ..GroupUpdate::default()
        };
        assert!(store.update_group(id, &update).await.unwrap());
        let settings = GroupSettings {
            crisis_locale: "uk".into(),
            waiting_room_minutes: 0,
            ..GroupSettings::default()
        };
        assert!(store.set_settings(id, &settings).await.unwrap());
        assert!(store.set_schedule(id, "Asia/Tokyo", None).await.unwrap());
        let group = store.group(id).await.unwrap().unwrap();
        assert_eq!(group.name, "Grief circle (evenings)");
        assert_eq!(group.description, "Weekly");
        assert_eq!(group.capacity, 8);
        assert_eq!(group.settings, settings);
        assert_eq!(group.time_zone, "Asia/Tokyo");
        assert_eq!(group.schedule, None);
        assert!(!store.update_group(GroupId(99), &update).await.unwrap());
    }

    #[tokio::test]
    async fn a_group_has_one_or_two_facilitators() {
        let store = Store::in_memory().await.unwrap();
        let (sam, kim, lee) = (
            account(&store, "sam").await,
            account(&store, "kim").await,
            account(&store, "lee").await,
        );
        let id = store
            .create_group_for(&draft("G"), sam, Millis(1))
            .await
            .unwrap();
        assert_eq!(
            store.add_facilitator(id, sam, Millis(2)).await.unwrap(),
            AddFacilitator::AlreadyThere
        );
        assert_eq!(
            store.add_facilitator(id, kim, Millis(2)).await.unwrap(),
            AddFacilitator::Added
        );
        assert_eq!(
            store.add_facilitator(id, lee, Millis(3)).await.unwrap(),
            AddFacilitator::GroupFull
        );
        let names: Vec<_> = store
            .facilitators(id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.username)
            .collect();
        assert_eq!(names, ["sam", "kim"]);
        assert_eq!(
            store.remove_facilitator(id, lee).await.unwrap(),
            RemoveFacilitator::NotThere
        );
        assert_eq!(
            store.remove_facilitator(id, sam).await.unwrap(),
            RemoveFacilitator::Removed
        );
        assert_eq!(
            store.remove_facilitator(id, kim).await.unwrap(),
            RemoveFacilitator::LastOne
        );
        assert!(store.groups_of(sam).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn archived_groups_leave_the_lists_and_their_invites_stop_working() {
        let store = Store::in_memory().await.unwrap();
        let sam = account(&store, "sam").await;
        let id = store
            .create_group_for(&draft("G"), sam, Millis(1))
            .await
            .unwrap();
        store
            .create_invite(id, &[3; 32], Millis(1), None, None)
            .await
            .unwrap();
        assert!(store.archive_group(id, Millis(2)).await.unwrap());
        assert!(!store.archive_group(id, Millis(3)).await.unwrap());
        assert!(store.groups_of(sam).await.unwrap().is_empty());
        assert!(store.all_groups().await.unwrap().is_empty());
        assert!(
            store
                .valid_invite(&[3; 32], Millis(2))
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            store.group(id).await.unwrap().unwrap().archived_at,
            Some(Millis(2))
        );
    }

    #[test]
    fn settings_validation_names_the_bad_value() {
        assert!(GroupSettings::default().validate().is_ok());
        let bad_locale = GroupSettings {
            crisis_locale: "US; DROP".into(),
            ..GroupSettings::default()
        };
        assert!(bad_locale.validate().unwrap_err().contains("crisis_locale"));
        let long_wait = GroupSettings {
            waiting_room_minutes: 61,
            ..GroupSettings::default()
        };
        assert!(long_wait.validate().unwrap_err().contains("waiting_room"));
    }
}
