//! Persistence of accounts, login sessions, groups, invites, and what a session leaves behind
//! (audit events, bans, summaries). Never message text, never pseudonyms, never IP addresses.
//!
//! SQLite by default, in the data directory: WAL mode, foreign keys on, migrations embedded in the
//! binary and run at start. Must not depend on axum, `auth` or the room.
//!
//! # One type, several back ends
//!
//! [`Store`] is a concrete, cheaply cloned type with plain async methods, so callers never write
//! generics or `dyn`. Inside, it holds a [`Backend`] enum and every method matches on it with the
//! SQL for that back end in its arm. Today there is one variant, SQLite. A PostgreSQL back end for
//! deployments that outgrow one machine is a second variant (a `PgPool`) plus a second arm in each
//! method and its own migrations: the compiler then lists every method still missing one.
//!
//! The methods are grouped by area in private submodules: accounts and login sessions, groups and
//! their facilitators, invites, and moderation records (audit events, bans, session summaries).

mod accounts;
mod groups;
mod invites;
mod moderation;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use crate::domain::AccountId;
pub use accounts::{AccountCredentials, AccountRecord, LoginSessionRecord, NewAccount, SessionId};
pub use groups::{
    AddFacilitator, DEFAULT_CAPACITY, DEFAULT_RULES, FilterPolicy, GroupDraft, GroupRecord,
    GroupSettings, GroupUpdate, MAX_FACILITATORS, NewGroup, RemoveFacilitator,
};
pub use invites::{InviteId, InviteRecord, ValidInvite};
pub use moderation::{
    AuditAction, AuditEvent, AuditRecord, BanId, BanRecord, MAX_PAGE, NewSessionSummary,
    ReasonCode, SessionSummaryRecord,
};

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
    /// A row would break a uniqueness rule (a username that is taken).
    #[error("conflicts with an existing record")]
    Conflict,
    /// A stored value this binary cannot read (written by a newer version, or edited by hand).
    #[error("unreadable stored value in {0}")]
    Corrupt(&'static str),
}

impl StoreError {
    /// A short, stable name for logs (never the error's text, which can quote values).
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Database(_) => "database",
            StoreError::Migration(_) => "migration",
            StoreError::DataDir { .. } => "data_dir",
            StoreError::Conflict => "conflict",
            StoreError::Corrupt(_) => "corrupt",
        }
    }

    /// Turns a unique-constraint violation into [`StoreError::Conflict`].
    fn from_insert(err: sqlx::Error) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            _ => StoreError::Database(err),
        }
    }
}

/// Which database a [`Store`] talks to. Matched in every method; see the module docs.
#[derive(Debug, Clone)]
enum Backend {
    /// One SQLite file in the data directory (or memory, for tests).
    Sqlite(SqlitePool),
}

/// Access to the database. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
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
        Ok(Store {
            backend: Backend::Sqlite(pool),
        })
    }

    /// Succeeds when the database answers and every migration this binary knows is applied.
    ///
    /// # Errors
    /// If the database does not answer or is behind this binary.
    pub async fn ready(&self) -> Result<(), StoreError> {
        let applied: i64 = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
                    .fetch_one(pool)
                    .await?
            }
        };
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
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
        }
    }
}

/// Starts a transaction that writes, taking SQLite's write lock at once (`BEGIN IMMEDIATE`).
///
/// Why not a plain `BEGIN`: a deferred transaction that reads first and writes later must
/// upgrade its read snapshot to the write lock, and in WAL mode that upgrade fails at once with
/// `SQLITE_BUSY` (the busy timeout does not apply) whenever another connection committed in
/// between. The room's recorder writes an audit event and a ban at the same moment, so that race
/// lost bans. Taking the lock up front makes the transaction wait its turn like any write.
async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Reads an optional timestamp column.
fn millis(value: Option<i64>) -> Option<crate::domain::Millis> {
    value.map(crate::domain::Millis)
}
