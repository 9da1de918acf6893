//! The `hearth` binary: parses the command line, sets up logging, and runs a subcommand.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

use hearth::app::App;
use hearth::clock::SystemClock;
use hearth::config::{Config, LogSettings, parse_duration};

#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = "Anonymous peer-support group chat with boundaries"
)]
struct Cli {
    #[command(flatten)]
    log: LogSettings,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve(Config),

    /// Print the effective configuration of `hearth serve` (from flags, `HEARTH_*` variables and
    /// defaults; secrets redacted) and exit. Fails, saying why, when a setting is invalid.
    Config(ConfigCommand),

    /// Ask a running server's `/healthz` whether it is up; exit 0 if so, 1 if not. The
    /// container's health check.
    Healthcheck {
        /// The address the server was told to bind (a wildcard address is probed on loopback).
        #[arg(long, env = "HEARTH_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,

        /// How long to wait for the answer.
        #[arg(long, default_value = "3s", value_parser = parse_duration)]
        timeout: Duration,
    },

    /// Copy the live database to FILE while the server runs (a consistent snapshot), with the
    /// secret key beside it as FILE.secret.key. Never overwrites a file.
    Backup {
        /// The new backup file.
        file: PathBuf,

        /// The server's data directory.
        #[arg(long, env = "HEARTH_DATA_DIR", default_value = "./hearth-data")]
        data_dir: PathBuf,

        /// Leave the secret key out (keep it somewhere else; without it a restored server's
        /// invites and bans do not work).
        #[arg(long)]
        without_secret: bool,
    },

    /// Restore a backup (and FILE.secret.key, if there) into the data directory of a stopped
    /// server.
    Restore {
        /// The backup file.
        file: PathBuf,

        /// The server's data directory.
        #[arg(long, env = "HEARTH_DATA_DIR", default_value = "./hearth-data")]
        data_dir: PathBuf,

        /// Move the database and key already there aside (into `before-restore-<time>/`) instead
        /// of refusing.
        #[arg(long)]
        replace: bool,
    },

    /// Manage facilitator and operator accounts.
    #[command(subcommand)]
    Facilitator(hearth::cli::FacilitatorCommand),

    /// Run the contact filter over JSON Lines on stdin (`{"id", "text", "sender"}`), writing one
    /// verdict per line to stdout (`{"id", "blocked", "kinds", "masked"}`). Lines with the same
    /// `sender` are one member's consecutive messages (numbers split over messages are caught).
    Scan {
        /// Add, for each match, the rule that fired and the normalized text it fired on.
        #[arg(long)]
        explain: bool,
    },
}

#[derive(Debug, clap::Args)]
struct ConfigCommand {
    #[command(flatten)]
    config: Config,

    /// Print the reference page of every setting (`docs/configuration.md`) instead.
    #[arg(long)]
    markdown: bool,
}

fn main() -> anyhow::Result<ExitCode> {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    hearth::telemetry::init(&cli.log);
    match cli.command {
        Command::Serve(config) => runtime()?.block_on(serve(config))?,
        Command::Scan { explain } => hearth::scan::run(
            &hearth::filter::Filter::new(hearth::filter::FilterConfig::default()),
            std::io::stdin().lock(),
            std::io::stdout().lock(),
            explain,
        )?,
        Command::Config(ConfigCommand { markdown, .. }) => print_config(&matches, markdown)?,
        Command::Healthcheck { bind, timeout } => {
            let addr = hearth::probe::probe_addr(bind);
            if let Err(why) = hearth::probe::get_ok(addr, "/healthz", timeout) {
                eprintln!("unhealthy: {why}");
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Backup {
            file,
            data_dir,
            without_secret,
        } => {
            let summary =
                runtime()?.block_on(hearth::backup::backup(&data_dir, &file, !without_secret))?;
            print_summary(
                "Backed up",
                &summary,
                "No secret key copied: keep the server's secret.key safe separately.",
            )?;
        }
        Command::Restore {
            file,
            data_dir,
            replace,
        } => {
            let summary =
                runtime()?.block_on(hearth::backup::restore(&file, &data_dir, replace))?;
            print_summary(
                "Restored",
                &summary,
                "The backup has no secret key beside it: the data directory's own key stays in use.",
            )?;
        }
        Command::Facilitator(command) => {
            runtime()?.block_on(hearth::cli::run(command, &mut std::io::stdout()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new().context("starting the async runtime")
}

fn print_config(matches: &clap::ArgMatches, markdown: bool) -> anyhow::Result<()> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    if markdown {
        let page = hearth::settings::markdown(&command, hearth::settings::CONFIGURATION_INTRO);
        out.write_all(page.as_bytes())?;
        return Ok(());
    }
    command.build();
    let sub = command
        .find_subcommand("config")
        .context("the config subcommand")?;
    let sub_matches = matches
        .subcommand_matches("config")
        .context("the config arguments")?;
    let settings = hearth::settings::effective(sub, sub_matches, &["markdown"]);
    writeln!(
        out,
        "# Effective configuration of `hearth serve` (secrets redacted)"
    )?;
    out.write_all(hearth::settings::render_effective(&settings).as_bytes())?;
    Ok(())
}

fn print_summary(
    done: &str,
    summary: &hearth::backup::Summary,
    without_secret: &str,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{done} {} ({} bytes: {} groups, {} invites, {} accounts)",
        summary.database.display(),
        summary.bytes,
        summary.groups,
        summary.invites,
        summary.accounts
    )?;
    match &summary.secret {
        Some(secret) => writeln!(out, "Secret key: {}", secret.display())?,
        None => writeln!(out, "{without_secret}")?,
    }
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let demo = config.demo;
    let app = App::build(config, Arc::new(SystemClock)).await?;
    // Installed before anything says the server is up, so an early SIGTERM still drains.
    let stop = hearth::shutdown::signal();
    let url = app.public_url();
    // Operator-facing output goes to stdout on purpose (not the log): it is shown once, at start.
    let mut out = std::io::stdout().lock();
    writeln!(out, "Hearth is listening on {url}")?;
    if let Some(metrics) = app.metrics_addr() {
        writeln!(out, "Metrics are served on http://{metrics}/metrics")?;
    }
    if let Some(link) = app.setup_link().await? {
        writeln!(
            out,
            "No account yet. Open this link within an hour to create the first (operator) account:"
        )?;
        writeln!(out, "  {link}")?;
    }
    if demo {
        let (_, code) = app.seed_demo().await?;
        writeln!(
            out,
            "Demo group ready. Open this link (and again in a second tab) to join:"
        )?;
        writeln!(out, "  {url}/join#{code}")?;
    }
    out.flush()?;
    drop(out);
    app.run(stop).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
