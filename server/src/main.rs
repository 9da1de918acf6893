//! The `hearth` binary.

use std::io;

use clap::{Parser, Subcommand};

use hearth::filter::{Filter, FilterConfig};

/// Self-hosted, anonymous peer-support group chat.
#[derive(Parser)]
#[command(name = "hearth", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the contact filter over JSON Lines on stdin ({"id","text","sender"}), one verdict per line.
    Scan {
        /// Add, for each match, the rule that fired and the normalized text it fired on.
        #[arg(long)]
        explain: bool,
    },
}

fn main() -> io::Result<()> {
    match Cli::parse().command {
        Command::Scan { explain } => hearth::scan::run(
            &Filter::new(FilterConfig::default()),
            io::stdin().lock(),
            io::stdout().lock(),
            explain,
        ),
    }
}
