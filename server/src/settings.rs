//! Telling operators what the configuration is: `hearth config` (the effective value of every
//! setting and where it came from, secrets redacted) and `docs/configuration.md` (every setting's
//! flag, environment variable, default and meaning).
//!
//! Both are rendered from clap's own metadata, the same that parses the command line, so they
//! cannot drift from the code: a test compares the committed page with `hearth config
//! --markdown`. A setting is redacted when its parsed type is [`Secret`], so a new secret is
//! hidden by its type, not by remembering a list.
//!
//! Depends on clap and `config`; must not depend on the rest of the server.

use std::any::TypeId;
use std::fmt::Write as _;

use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Command};

use crate::config::Secret;

/// The introduction of `docs/configuration.md`.
pub const CONFIGURATION_INTRO: &str = "\
Every setting of `hearth serve` is a command-line flag and an environment variable; a flag wins
over its variable, and a variable over the default. The defaults suit one small server run by hand
(loopback only, data in `./hearth-data`). The container image changes four of them (see
`Dockerfile`): `HEARTH_BIND=0.0.0.0:8080`, `HEARTH_DATA_DIR=/data`,
`HEARTH_METRICS_BIND=0.0.0.0:9090` and `HEARTH_LOG_FORMAT=json`. With docker compose, put settings
in `.env` (`.env.example` lists them all).

Durations are written like `500ms`, `20s`, `10m` or `1h 30m`. Lists are comma-separated.

`hearth config` prints the value every setting has right now and where it came from (default,
environment or command line), with secrets redacted, and fails with a sentence when a value is
invalid: run it after editing `.env`
(`docker compose run --rm hearth hearth config`).

Logs are JSON lines on stderr. Whatever `HEARTH_LOG` or `RUST_LOG` asks, they never hold message
text, pseudonyms, invite codes or IP addresses; see `docs/operations.md`.";

/// What `hearth config` shows for a secret.
pub const REDACTED: &str = "<redacted>";

/// One setting as configured now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    /// The flag, e.g. `--bind`.
    pub flag: String,
    /// The environment variable, e.g. `HEARTH_BIND`.
    pub env: Option<String>,
    /// The value as given (redacted for secrets), or `None` when unset.
    pub value: Option<String>,
    /// `default`, `environment` or `command line`; `unset` when there is no value.
    pub source: &'static str,
}

/// The settings of `command` (after clap has parsed `matches` for it), in declaration order.
/// Help, version and plain switches of the command itself (such as `--markdown`) are left out by
/// passing their ids in `skip`.
pub fn effective(command: &Command, matches: &ArgMatches, skip: &[&str]) -> Vec<Effective> {
    settings_of(command)
        .filter(|arg| !skip.contains(&arg.get_id().as_str()))
        .map(|arg| {
            let id = arg.get_id().as_str();
            let raw: Option<Vec<String>> = matches.get_raw(id).map(|values| {
                values
                    .map(|value| value.to_string_lossy().into_owned())
                    .collect()
            });
            let value = raw.map(|values| {
                if is_secret(arg) {
                    REDACTED.to_owned()
                } else {
                    values.join(",")
                }
            });
            let source = match (value.is_some(), matches.value_source(id)) {
                (false, _) => "unset",
                (true, Some(ValueSource::CommandLine)) => "command line",
                (true, Some(ValueSource::EnvVariable)) => "environment",
                (true, _) => "default",
            };
            Effective {
                flag: flag_of(arg),
                env: env_of(arg),
                value,
                source,
            }
        })
        .collect()
}

/// `hearth config`'s output: one aligned line per setting.
pub fn render_effective(settings: &[Effective]) -> String {
    let width = settings
        .iter()
        .map(|s| s.env.as_deref().unwrap_or(&s.flag).len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for setting in settings {
        let name = setting.env.as_deref().unwrap_or(&setting.flag);
        let value = setting.value.as_deref().unwrap_or("");
        let _ = writeln!(out, "{name:<width$} = {value:<24} # {}", setting.source);
    }
    out
}

/// The reference page: an introduction, then one section per subcommand. The first subcommand
/// with settings (`serve`) lists them all, global ones (logging) included; later subcommands list
/// only what they add: a subcommand that takes every setting of the first says so instead of
/// repeating them. `intro` is Markdown placed under the title.
pub fn markdown(root: &Command, intro: &str) -> String {
    let mut root = root.clone();
    // Building propagates global flags (logging) into every subcommand.
    root.build();
    let globals: Vec<&str> = root
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .map(|arg| arg.get_id().as_str())
        .collect();
    let mut out = String::new();
    out.push_str("# Configuration\n\n");
    out.push_str(
        "<!-- Generated by `hearth config --markdown` from the code; do not edit by hand. A test \
         fails when this file differs from the generated text. -->\n\n",
    );
    out.push_str(intro.trim());
    out.push_str("\n\n");
    let mut commands = Vec::new();
    subcommands(&root, root.get_name(), &mut commands);
    let mut base: Option<(String, Vec<&str>)> = None;
    for (name, command) in commands {
        let _ = writeln!(out, "## `{name}`\n");
        if let Some(about) = command.get_about() {
            let _ = writeln!(out, "{}\n", sentence(one_line(&about.to_string())));
        }
        let mut positionals = command.get_positionals().peekable();
        if positionals.peek().is_some() {
            out.push_str("| Argument | What it is |\n|---|---|\n");
            for arg in positionals {
                let _ = writeln!(out, "| `{}` | {} |", value_name(arg), cell(&help_of(arg)));
            }
            out.push('\n');
        }
        let all: Vec<&Arg> = settings_of(command).collect();
        let shown: Vec<&Arg> = match &base {
            None => all.clone(),
            Some((base_name, base_ids)) => {
                let takes_base = base_ids
                    .iter()
                    .all(|id| all.iter().any(|arg| arg.get_id().as_str() == *id));
                if takes_base {
                    let _ = writeln!(out, "Takes every setting of `{base_name}`, and:\n");
                }
                all.iter()
                    .copied()
                    .filter(|arg| {
                        let id = arg.get_id().as_str();
                        let inherited = takes_base && base_ids.contains(&id);
                        !globals.contains(&id) && !inherited
                    })
                    .collect()
            }
        };
        if base.is_none() && !all.is_empty() {
            base = Some((
                name.clone(),
                all.iter().map(|arg| arg.get_id().as_str()).collect(),
            ));
        }
        if shown.is_empty() {
            continue;
        }
        out.push_str(
            "| Flag | Environment variable | Default | What it does |\n|---|---|---|---|\n",
        );
        for arg in shown {
            let flag = if takes_value(arg) {
                format!("`{} <{}>`", flag_of(arg), value_name(arg))
            } else {
                format!("`{}`", flag_of(arg))
            };
            let env = env_of(arg).map_or_else(|| "—".to_owned(), |env| format!("`{env}`"));
            let default = default_of(arg);
            let _ = writeln!(
                out,
                "| {flag} | {env} | {default} | {} |",
                cell(&help_of(arg))
            );
        }
        out.push('\n');
    }
    if let (false, Some((base_name, _))) = (globals.is_empty(), &base) {
        let flags: Vec<String> = root
            .get_arguments()
            .filter(|arg| arg.is_global_set())
            .map(|arg| format!("`{}`", flag_of(arg)))
            .collect();
        let _ = writeln!(
            out,
            "Every command also takes the logging settings ({}) listed under `{base_name}`.",
            flags.join(", ")
        );
    }
    out
}

/// Every subcommand below `command`, depth first, with its full name (`hearth facilitator add`).
fn subcommands<'a>(command: &'a Command, prefix: &str, out: &mut Vec<(String, &'a Command)>) {
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("{prefix} {}", sub.get_name());
        out.push((name.clone(), sub));
        subcommands(sub, &name, out);
    }
}

/// Flags that configure something: named options, not help or version, not positionals.
fn settings_of(command: &Command) -> impl Iterator<Item = &Arg> {
    command.get_arguments().filter(|arg| {
        arg.get_long().is_some()
            && !arg.is_positional()
            && !matches!(arg.get_id().as_str(), "help" | "version")
    })
}

fn is_secret(arg: &Arg) -> bool {
    arg.get_value_parser().type_id() == TypeId::of::<Secret>()
}

fn flag_of(arg: &Arg) -> String {
    arg.get_long()
        .map_or_else(|| arg.get_id().to_string(), |long| format!("--{long}"))
}

fn env_of(arg: &Arg) -> Option<String> {
    arg.get_env().map(|env| env.to_string_lossy().into_owned())
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

fn value_name(arg: &Arg) -> String {
    arg.get_value_names()
        .and_then(|names| names.first())
        .map_or_else(
            || arg.get_id().as_str().to_uppercase(),
            |name| name.to_string(),
        )
}

fn default_of(arg: &Arg) -> String {
    if is_secret(arg) {
        return "—".to_owned();
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if !takes_value(arg) {
        "off".to_owned()
    } else if defaults.is_empty() {
        "—".to_owned()
    } else {
        format!("`{}`", defaults.join(","))
    }
}

fn help_of(arg: &Arg) -> String {
    let help = arg
        .get_long_help()
        .or_else(|| arg.get_help())
        .map(|help| one_line(&help.to_string()))
        .unwrap_or_default();
    sentence(help)
}

/// clap drops the final period of a one-paragraph doc comment; a reference page wants it back.
fn sentence(mut text: String) -> String {
    if !text.is_empty() && !text.ends_with(['.', '!', '?', ':']) {
        text.push('.');
    }
    text
}

/// Joins wrapped doc-comment lines into one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Args, Parser, Subcommand};

    #[derive(Debug, Parser)]
    #[command(name = "demo")]
    struct Cli {
        #[command(subcommand)]
        command: Sub,
    }

    #[derive(Debug, Subcommand)]
    enum Sub {
        /// Runs it.
        Run(Settings),
    }

    #[derive(Debug, Args)]
    struct Settings {
        /// Where to listen | or not.
        #[arg(
            long,
            env = "DEMO_BIND_FOR_SETTINGS_TEST",
            default_value = "127.0.0.1:1"
        )]
        bind: String,
        /// The mail password.
        #[arg(long, env = "DEMO_PASSWORD_FOR_SETTINGS_TEST")]
        password: Option<Secret>,
        /// A name.
        #[arg(long)]
        name: Option<String>,
        /// Be loud.
        #[arg(long)]
        loud: bool,
    }

    fn parse(args: &[&str]) -> (Command, ArgMatches) {
        let mut command = <Cli as clap::CommandFactory>::command();
        command.build();
        let matches = command.clone().try_get_matches_from(args).unwrap();
        let (_, sub_matches) = matches.subcommand().unwrap();
        let sub = command.find_subcommand("run").unwrap().clone();
        (sub, sub_matches.clone())
    }

    #[test]
    fn secrets_are_redacted_by_type_and_sources_are_named() {
        let (command, matches) = parse(&["demo", "run", "--password", "hunter2", "--loud"]);
        let settings = effective(&command, &matches, &[]);
        let text = render_effective(&settings);

        assert!(!text.contains("hunter2"), "{text}");
        let password = settings.iter().find(|s| s.flag == "--password").unwrap();
        assert_eq!(password.value.as_deref(), Some(REDACTED));
        assert_eq!(password.source, "command line");
        let bind = settings.iter().find(|s| s.flag == "--bind").unwrap();
        assert_eq!(bind.value.as_deref(), Some("127.0.0.1:1"));
        assert_eq!(bind.source, "default");
        let name = settings.iter().find(|s| s.flag == "--name").unwrap();
        assert_eq!((name.value.as_deref(), name.source), (None, "unset"));
    }

    #[test]
    fn the_reference_page_lists_flag_env_default_and_help() {
        let page = markdown(&<Cli as clap::CommandFactory>::command(), "Intro.");
        assert!(page.starts_with("# Configuration\n"));
        assert!(page.contains("## `demo run`"), "{page}");
        assert!(
            page.contains(
                "| `--bind <BIND>` | `DEMO_BIND_FOR_SETTINGS_TEST` | `127.0.0.1:1` | Where to listen \\| or not. |"
            ),
            "{page}"
        );
        assert!(
            page.contains("| `--password <PASSWORD>` | `DEMO_PASSWORD_FOR_SETTINGS_TEST` | — |"),
            "{page}"
        );
        assert!(page.contains("| `--loud` | — | off | Be loud. |"), "{page}");
    }
}
