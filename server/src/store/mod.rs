//! Persistence of groups and invites (and, as the server grows, accounts, schedules, bans and
//! audit events). Never message text, never pseudonyms, never IP addresses.
//!
//! SQLite by default, in the data directory: WAL mode, foreign keys on, migrations embedded in the
//! binary and run at start. Queries are plain SQL over `sqlx`, kept in this module so a PostgreSQL
//! implementation can follow behind the same methods. Must not depend on axum or the room.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::domain::{GroupId, Millis};

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "hearth.db";

/// Connections in the pool. SQLite serializes writers anyway; a few readers help `/readyz` and
/// the API answer while a write is in flight.
const POOL_CONNECTIONS: u32 = 4;

/// How long a query waits for SQLite's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A failure of the database. Callers show a generic "something went wrong" and log the kind.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed a query.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed at start.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The data directory could not be created.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
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
    /// Ground rules members accept before joining.
    pub rules: String,
    /// Members at most.
    pub capacity: u8,
}

/// What is needed to create a group.
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
    /// The demo group seeded by `hearth serve --demo`.
    pub is_demo: bool,
}

/// A usable invite, found by its code's keyed hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidInvite {
    /// The invite's row.
    pub invite_id: i64,
    /// The group it admits to.
    pub group: GroupId,
}

impl StoreError {
    /// What kind of failure this was, for logs: never the error's text, which can quote values.
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Database(_) => "database",
            StoreError::Migration(_) => "migration",
            StoreError::DataDir { .. } => "data_dir",
        }
    }
}

/// Access to the database. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and applies pending migrations.
    ///
    /// # Errors
    /// If the directory or database cannot be created or a migration fails.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join(DATABASE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        Store::connect(options).await
    }

    /// An in-memory database, for unit tests of the store itself.
    ///
    /// # Errors
    /// If SQLite cannot start or a migration fails.
    pub async fn in_memory() -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        Store::connect(options).await
    }

    async fn connect(options: SqliteConnectOptions) -> Result<Store, StoreError> {
        let in_memory = options.get_filename() == Path::new(":memory:");
        let pool = SqlitePoolOptions::new()
            // Each in-memory connection would be its own empty database.
            .max_connections(if in_memory { 1 } else { POOL_CONNECTIONS })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Store { pool })
    }

    /// Succeeds when the database answers and every migration this binary knows is applied.
    ///
    /// # Errors
    /// If the database does not answer or is behind this binary.
    pub async fn ready(&self) -> Result<(), StoreError> {
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
                .fetch_one(&self.pool)
                .await?;
        let known = i64::try_from(MIGRATOR.iter().count()).unwrap_or(i64::MAX);
        if applied < known {
            return Err(StoreError::Database(sqlx::Error::Protocol(
                "migrations not applied".into(),
            )));
        }
        Ok(())
    }

    /// Closes the pool, waiting for queries in flight.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Creates a group.
    ///
    /// # Errors
    /// On database failure (including a capacity outside 2–15).
    pub async fn create_group(&self, group: &NewGroup, now: Millis) -> Result<GroupId, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO groups (name, description, rules, capacity, is_demo, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&group.name)
        .bind(&group.description)
        .bind(&group.rules)
        .bind(i64::from(group.capacity))
        .bind(group.is_demo)
        .bind(now.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(GroupId(id))
    }

    /// A group by id.
    ///
    /// # Errors
    /// On database failure.
    pub async fn group(&self, id: GroupId) -> Result<Option<GroupRecord>, StoreError> {
        let row =
            sqlx::query("SELECT id, name, description, rules, capacity FROM groups WHERE id = ?")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|row| GroupRecord {
            id: GroupId(row.get("id")),
            name: row.get("name"),
            description: row.get("description"),
            rules: row.get("rules"),
            capacity: u8::try_from(row.get::<i64, _>("capacity")).unwrap_or(2),
        }))
    }

    /// The demo group, if one was seeded.
    ///
    /// # Errors
    /// On database failure.
    pub async fn demo_group(&self) -> Result<Option<GroupId>, StoreError> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM groups WHERE is_demo = 1 ORDER BY id LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(id.map(GroupId))
    }

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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO invites (group_id, code_hash, created_at, expires_at, max_uses)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(group.0)
        .bind(&code_hash[..])
        .bind(now.0)
        .bind(expires_at.map(|t| t.0))
        .bind(max_uses.map(i64::from))
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// The invite with this code hash, if it is usable at `now`: not revoked, not expired, not
    /// used up.
    ///
    /// # Errors
    /// On database failure.
    pub async fn valid_invite(
        &self,
        code_hash: &[u8; 32],
        now: Millis,
    ) -> Result<Option<ValidInvite>, StoreError> {
        let row = sqlx::query(
            "SELECT id, group_id FROM invites
             WHERE code_hash = ? AND revoked_at IS NULL
               AND (expires_at IS NULL OR expires_at > ?)
               AND (max_uses IS NULL OR uses < max_uses)",
        )
        .bind(&code_hash[..])
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| ValidInvite {
            invite_id: row.get("id"),
            group: GroupId(row.get("group_id")),
        }))
    }

    /// Counts one use of an invite (after the member got a seat).
    ///
    /// # Errors
    /// On database failure.
    pub async fn record_invite_use(&self, invite_id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE invites SET uses = uses + 1 WHERE id = ?")
            .bind(invite_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_group(name: &str) -> NewGroup {
        NewGroup {
            name: name.into(),
            description: String::new(),
            rules: "Be kind.".into(),
            capacity: 12,
            is_demo: false,
        }
    }

    #[tokio::test]
    async fn groups_round_trip() {
        let store = Store::in_memory().await.unwrap();
        let id = store
            .create_group(&new_group("Tuesday"), Millis(1))
            .await
            .unwrap();
        let group = store.group(id).await.unwrap().unwrap();
        assert_eq!(group.name, "Tuesday");
        assert_eq!(group.capacity, 12);
        assert!(store.group(GroupId(999)).await.unwrap().is_none());
        store.ready().await.unwrap();
    }

    #[tokio::test]
    async fn capacity_outside_two_to_fifteen_is_refused_by_the_schema() {
        let store = Store::in_memory().await.unwrap();
        let mut group = new_group("Big");
        group.capacity = 40;
        assert!(store.create_group(&group, Millis(1)).await.is_err());
    }

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

        store.record_invite_use(found.invite_id).await.unwrap();
        assert!(
            store
                .valid_invite(&hash, Millis(50))
                .await
                .unwrap()
                .is_some()
        );
        store.record_invite_use(found.invite_id).await.unwrap();
        assert!(
            store
                .valid_invite(&hash, Millis(50))
                .await
                .unwrap()
                .is_none(),
            "used up"
        );
    }
}
