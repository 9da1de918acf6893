//! `hearth facilitator …`: account management for operators at the command line, working on the
//! data directory directly (the server may be running; SQLite's WAL lets both write).
//!
//! Passwords are read from the terminal without echo (asked twice), or, when standard input is
//! not a terminal, as one line from it (for scripts: `printf '%s\n' "$PW" | hearth facilitator
//! add sam`). They never appear on the command line, where `ps` and shell history would keep them.
//!
//! A password change or a disable made here revokes the account's sessions in the database at
//! once; a running server refuses them from the next request on (its open WebSockets are closed
//! only by changes made through the server's own API).

use std::io::{BufRead as _, IsTerminal as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};

use crate::auth::{AccountError, AccountInput, Auth, parse_username};
use crate::clock::{Clock as _, SystemClock};
use crate::store::{AccountRecord, Store};

/// Where the database is, as for `hearth serve`.
#[derive(Debug, Clone, Args)]
pub struct DataDir {
    /// Directory holding the database and the server secret.
    #[arg(long, env = "HEARTH_DATA_DIR", default_value = "./hearth-data")]
    pub data_dir: PathBuf,
}

/// `hearth facilitator …`
#[derive(Debug, Clone, Subcommand)]
pub enum FacilitatorCommand {
    /// Create an account (a facilitator; with --admin, an operator). Asks for the password.
    Add {
        /// Login name: 3–32 of a-z, 0-9, dot, dash, underscore.
        name: String,
        /// Make it an operator: manages accounts and sees every group.
        #[arg(long)]
        admin: bool,
        /// Name shown in rooms (defaults to the login name).
        #[arg(long)]
        display_name: Option<String>,
        /// Where the database is.
        #[command(flatten)]
        data: DataDir,
    },
    /// Set a new password (ends every session of the account). Asks for the password.
    Passwd {
        /// Login name.
        name: String,
        /// Where the database is.
        #[command(flatten)]
        data: DataDir,
    },
    /// Disable an account: it can no longer sign in and its sessions end.
    Disable {
        /// Login name.
        name: String,
        /// Where the database is.
        #[command(flatten)]
        data: DataDir,
    },
    /// Enable a disabled account again.
    Enable {
        /// Login name.
        name: String,
        /// Where the database is.
        #[command(flatten)]
        data: DataDir,
    },
    /// List every account.
    List {
        /// Where the database is.
        #[command(flatten)]
        data: DataDir,
    },
}

/// Runs one `hearth facilitator` command, writing its report to `out`.
///
/// # Errors
/// A sentence for the operator (unknown account, refused password, unreadable database, …).
pub async fn run(command: FacilitatorCommand, out: &mut impl std::io::Write) -> anyhow::Result<()> {
    let now = SystemClock.now();
    match command {
        FacilitatorCommand::Add {
            name,
            admin,
            display_name,
            data,
        } => {
            let (store, auth) = open(&data.data_dir).await?;
            let password = read_password()?;
            let input = AccountInput {
                display_name: display_name.unwrap_or_else(|| name.clone()),
                username: name,
                password,
                is_admin: admin,
            };
            let account = auth.create_account(&input, now).await.map_err(explain)?;
            writeln!(
                out,
                "Created {} `{}` ({}).",
                if account.is_admin {
                    "operator"
                } else {
                    "facilitator"
                },
                account.username,
                account.display_name
            )?;
            store.close().await;
        }
        FacilitatorCommand::Passwd { name, data } => {
            let (store, auth) = open(&data.data_dir).await?;
            let account = find(&store, &name).await?;
            let password = read_password()?;
            auth.set_password(account.id, &password, now)
                .await
                .map_err(explain)?;
            writeln!(
                out,
                "Password changed for `{}`; its sessions have ended.",
                account.username
            )?;
            store.close().await;
        }
        FacilitatorCommand::Disable { name, data } => {
            set_disabled(&name, &data.data_dir, true, out).await?;
        }
        FacilitatorCommand::Enable { name, data } => {
            set_disabled(&name, &data.data_dir, false, out).await?;
        }
        FacilitatorCommand::List { data } => {
            let (store, _auth) = open(&data.data_dir).await?;
            let accounts = store.accounts().await?;
            if accounts.is_empty() {
                writeln!(out, "No accounts yet.")?;
            }
            for account in accounts {
                writeln!(out, "{}", line(&account))?;
            }
            store.close().await;
        }
    }
    Ok(())
}

async fn set_disabled(
    name: &str,
    data_dir: &Path,
    disabled: bool,
    out: &mut impl std::io::Write,
) -> anyhow::Result<()> {
    let (store, auth) = open(data_dir).await?;
    let account = find(&store, name).await?;
    auth.set_disabled(account.id, disabled, SystemClock.now())
        .await
        .context("updating the account")?;
    if disabled {
        writeln!(
            out,
            "Disabled `{}`; its sessions have ended.",
            account.username
        )?;
    } else {
        writeln!(out, "Enabled `{}`.", account.username)?;
    }
    store.close().await;
    Ok(())
}

async fn open(data_dir: &Path) -> anyhow::Result<(Store, Auth)> {
    let store = Store::open(data_dir)
        .await
        .with_context(|| format!("opening the database in {}", data_dir.display()))?;
    let auth = Auth::new(store.clone()).context("preparing password hashing")?;
    Ok((store, auth))
}

async fn find(store: &Store, name: &str) -> anyhow::Result<AccountRecord> {
    let username = parse_username(name).map_err(anyhow::Error::msg)?;
    match store.account_by_username(&username).await? {
        Some(account) => Ok(account),
        None => bail!("There is no account `{username}`."),
    }
}

fn explain(err: AccountError) -> anyhow::Error {
    match err {
        AccountError::Invalid { field, message } => anyhow::anyhow!("{field}: {message}"),
        AccountError::UsernameTaken => anyhow::anyhow!("That username is taken."),
        AccountError::Internal(kind) => anyhow::anyhow!("Something failed ({kind})."),
    }
}

/// One line of `hearth facilitator list`.
fn line(account: &AccountRecord) -> String {
    let created = jiff::Timestamp::from_millisecond(account.created_at.0)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default();
    format!(
        "{:<24} {:<8} {:<9} created {created}  {}",
        account.username,
        if account.is_admin { "operator" } else { "" },
        if account.disabled_at.is_some() {
            "disabled"
        } else {
            "active"
        },
        account.display_name
    )
}

/// The new password: from the terminal without echo, asked twice; or one line of standard input.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password (at least 12 characters): ")
            .context("reading the password")?;
        let second = rpassword::prompt_password("Once more: ").context("reading the password")?;
        if first != second {
            bail!("The two passwords differ; nothing was changed.");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        let password = line.strip_suffix('\n').unwrap_or(&line);
        let password = password.strip_suffix('\r').unwrap_or(password);
        Ok(password.to_owned())
    }
}
