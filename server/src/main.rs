//! The `hearth` binary: parses the command line, sets up logging, and runs a subcommand.

use std::io::Write as _;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use hearth::app::App;
use hearth::clock::SystemClock;
use hearth::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = "Anonymous peer-support group chat with boundaries"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve(Config),
    /// Manage facilitator and operator accounts.
    #[command(subcommand)]
    Facilitator(hearth::cli::FacilitatorCommand),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    hearth::telemetry::init();
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    match cli.command {
        Command::Serve(config) => runtime.block_on(serve(config)),
        Command::Facilitator(command) => {
            runtime.block_on(hearth::cli::run(command, &mut std::io::stdout()))
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let demo = config.demo;
    let app = App::build(config, Arc::new(SystemClock)).await?;
    let url = app.public_url();
    // Operator-facing output goes to stdout on purpose (not the log): it is shown once, at start.
    let mut out = std::io::stdout().lock();
    writeln!(out, "Hearth is listening on {url}")?;
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
    app.run(hearth::shutdown::signal()).await
}
