//! Backups of the data directory while the server runs (`hearth backup`), and their restore into
//! a stopped server's data directory (`hearth restore`).
//!
//! A backup is SQLite's `VACUUM INTO`: a consistent snapshot of the live database (one read
//! transaction, so writes in flight are either wholly in it or wholly not), written compactly to
//! a new file. The server's secret key is copied beside it as `FILE.secret.key`, because invite
//! codes and device bans are stored as keyed hashes and mean nothing under another key; an
//! operator who keeps the key elsewhere can leave it out. Both files are created owner-only
//! (0600) and never over an existing file.
//!
//! A running server holds an advisory lock on its data directory ([`DataDirLock`]); a restore
//! takes the same lock, so it cannot replace the database under a live server, and two servers
//! cannot share one directory.
//!
//! Depends on sqlx (the database file only; it runs no migrations, so a backup never changes the
//! live database), `store` and `secret` for file names; must not depend on axum or the room.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _};

use crate::secret::SECRET_FILE;
use crate::store::DATABASE_FILE;

/// The lock file a running server holds in its data directory.
pub const LOCK_FILE: &str = "hearth.lock";

/// How long a backup waits for SQLite's locks before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What a backup or restore copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The database copy.
    pub database: PathBuf,
    /// The secret key copy, if one was made.
    pub secret: Option<PathBuf>,
    /// Groups in the copy.
    pub groups: i64,
    /// Invites in the copy.
    pub invites: i64,
    /// Facilitator and operator accounts in the copy (0 before accounts existed).
    pub accounts: i64,
    /// Size of the database copy in bytes.
    pub bytes: u64,
}

/// Where the secret key of the backup `file` goes: `FILE.secret.key`.
pub fn secret_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(SECRET_FILE);
    PathBuf::from(name)
}

/// Copies the database in `data_dir` to `file` (and the secret to `FILE.secret.key` when
/// `with_secret`), consistently, while a server may be using it.
///
/// # Errors
/// If `file` (or its secret path) already exists, the data directory holds no database, or
/// SQLite fails. Nothing is left behind on failure.
pub async fn backup(data_dir: &Path, file: &Path, with_secret: bool) -> anyhow::Result<Summary> {
    let source = data_dir.join(DATABASE_FILE);
    if !source.is_file() {
        bail!(
            "there is no database at {}; is --data-dir (HEARTH_DATA_DIR) right?",
            source.display()
        );
    }
    let secret_source = data_dir.join(SECRET_FILE);
    let secret_target = secret_path(file);
    if with_secret {
        if !secret_source.is_file() {
            bail!("there is no secret key at {}", secret_source.display());
        }
        refuse_existing(&secret_target)?;
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    // An empty owner-only file, created only if nothing is there: `VACUUM INTO` accepts an empty
    // target and keeps its permissions, and nothing existing is ever overwritten.
    create_private(file).with_context(|| format!("creating {}", file.display()))?;
    let result = async {
        let mut db = open(&source).await?;
        let target = file
            .to_str()
            .context("the backup path must be valid UTF-8")?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&mut db)
            .await
            .context("copying the database")?;
        db.close().await.ok();
        File::open(file)?.sync_all()?;
        let secret = if with_secret {
            copy_private(&secret_source, &secret_target)?;
            Some(secret_target.clone())
        } else {
            None
        };
        let mut summary = inspect(file).await?;
        summary.secret = secret;
        anyhow::Ok(summary)
    }
    .await;
    if result.is_err() {
        let _ = fs::remove_file(file);
        if with_secret {
            let _ = fs::remove_file(&secret_target);
        }
    }
    result
}

/// Restores the backup `file` (and `FILE.secret.key` if present) into `data_dir`, which no
/// server may be using. With `replace`, what the directory held is moved aside into
/// `before-restore-<seconds>/` inside it first; without, a directory that already holds a
/// database is refused.
///
/// # Errors
/// If a server holds the directory, the backup fails its integrity check, the directory holds a
/// database (without `replace`), or its secret key differs from the backup's (without
/// `replace`).
pub async fn restore(file: &Path, data_dir: &Path, replace: bool) -> anyhow::Result<Summary> {
    if !file.is_file() {
        bail!("there is no backup at {}", file.display());
    }
    let mut summary = inspect(file).await?;
    fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let _lock = DataDirLock::acquire(data_dir).context(
        "the data directory is in use: stop the server (`docker compose stop hearth`) first",
    )?;

    let secret_source = secret_path(file);
    let backup_secret = match fs::read(&secret_source) {
        Ok(bytes) => Some(bytes),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).context(format!("reading {}", secret_source.display())),
    };
    let existing: Vec<PathBuf> = [
        DATABASE_FILE.to_owned(),
        format!("{DATABASE_FILE}-wal"),
        format!("{DATABASE_FILE}-shm"),
        SECRET_FILE.to_owned(),
    ]
    .iter()
    .map(|name| data_dir.join(name))
    .filter(|path| path.exists())
    .collect();
    let secret_here = data_dir.join(SECRET_FILE);
    let secret_conflict = match (&backup_secret, fs::read(&secret_here).ok()) {
        (Some(theirs), Some(ours)) => *theirs != ours,
        _ => false,
    };
    let database_here = existing.iter().any(|path| path != &secret_here);
    if (database_here || secret_conflict) && !replace {
        bail!(
            "{} already holds {}; restore with --replace to move it aside first",
            data_dir.display(),
            if database_here {
                "a database"
            } else {
                "a different secret key"
            }
        );
    }
    if replace && !existing.is_empty() {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let aside = data_dir.join(format!("before-restore-{seconds}"));
        fs::create_dir(&aside).with_context(|| format!("creating {}", aside.display()))?;
        for path in &existing {
            if path == &secret_here && backup_secret.is_none() {
                // The backup has no key of its own: keep this one, the invites need it.
                continue;
            }
            if let Some(name) = path.file_name() {
                fs::rename(path, aside.join(name))
                    .with_context(|| format!("moving {} aside", path.display()))?;
            }
        }
    }

    // Copy to a temporary name, flush, then rename: a crash leaves no half database in place.
    let target = data_dir.join(DATABASE_FILE);
    let partial = data_dir.join(format!("{DATABASE_FILE}.restoring"));
    let _ = fs::remove_file(&partial);
    copy_private(file, &partial)?;
    fs::rename(&partial, &target).with_context(|| format!("moving {}", target.display()))?;
    summary.database = target;
    summary.secret = None;
    if let Some(bytes) = backup_secret {
        if !secret_here.exists() {
            write_private(&secret_here, &bytes)?;
        }
        summary.secret = Some(secret_here);
    }
    sync_dir(data_dir);
    Ok(summary)
}

/// An advisory, exclusive lock on a data directory, held for as long as this value lives.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock on `data_dir` (created if missing), without waiting.
    ///
    /// # Errors
    /// If another process holds it (a server runs there) or the lock file cannot be opened.
    pub fn acquire(data_dir: &Path) -> anyhow::Result<DataDirLock> {
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        file.try_lock().map_err(|err| match err {
            fs::TryLockError::WouldBlock => {
                anyhow::anyhow!("another Hearth process is using {}", data_dir.display())
            }
            fs::TryLockError::Error(err) => {
                anyhow::Error::new(err).context(format!("locking {}", path.display()))
            }
        })?;
        Ok(DataDirLock { _file: file })
    }
}

/// Opens an existing database file without creating it or migrating it.
async fn open(path: &Path) -> anyhow::Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(BUSY_TIMEOUT)
        .connect()
        .await
        .with_context(|| format!("opening {}", path.display()))
}

/// Checks that `file` is a sound Hearth database and counts what it holds.
async fn inspect(file: &Path) -> anyhow::Result<Summary> {
    let mut db = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("opening {}", file.display()))?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .with_context(|| format!("checking {}", file.display()))?;
    if check != "ok" {
        bail!("{} is damaged: {check}", file.display());
    }
    let counts: anyhow::Result<(i64, i64, i64)> = async {
        let groups = sqlx::query_scalar("SELECT COUNT(*) FROM groups")
            .fetch_one(&mut db)
            .await?;
        let invites = sqlx::query_scalar("SELECT COUNT(*) FROM invites")
            .fetch_one(&mut db)
            .await?;
        // A backup from before accounts existed has no such table; it restores all the same.
        let has_accounts: bool = sqlx::query_scalar(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'accounts'",
        )
        .fetch_one(&mut db)
        .await?;
        let accounts = if has_accounts {
            sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
                .fetch_one(&mut db)
                .await?
        } else {
            0
        };
        Ok((groups, invites, accounts))
    }
    .await;
    let (groups, invites, accounts) =
        counts.with_context(|| format!("{} is not a Hearth database", file.display()))?;
    db.close().await.ok();
    Ok(Summary {
        database: file.to_owned(),
        secret: None,
        groups,
        invites,
        accounts,
        bytes: fs::metadata(file)?.len(),
    })
}

fn refuse_existing(path: &Path) -> anyhow::Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        bail!("{} already exists; choose a new name", path.display());
    }
    Ok(())
}

/// Creates `path` empty, owner-only, failing if anything is there.
fn create_private(path: &Path) -> anyhow::Result<File> {
    refuse_existing(path)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    Ok(options.open(path)?)
}

/// Creates `dir` and its missing parents, owner-only (backups hold the server's key).
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = create_private(path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

fn copy_private(from: &Path, to: &Path) -> anyhow::Result<()> {
    let bytes = fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    write_private(to, &bytes)
}

/// Makes a rename durable. Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_goes_beside_the_backup() {
        assert_eq!(
            secret_path(Path::new("/backups/2026-05-01.db")),
            PathBuf::from("/backups/2026-05-01.db.secret.key")
        );
    }

    #[test]
    fn a_data_directory_is_locked_by_one_holder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path()).unwrap();
        assert!(DataDirLock::acquire(dir.path()).is_err());
        drop(first);
        assert!(DataDirLock::acquire(dir.path()).is_ok());
    }
}
