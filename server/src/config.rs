//! One typed configuration for `hearth serve`: every setting is a command-line flag with a
//! `HEARTH_*` environment twin and a default that is right for one small server.
//!
//! Depends on clap and jiff (for durations like `20s` or `10m`) only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// Settings of a running server.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port to serve the web client, API and WebSocket on.
    #[arg(long, env = "HEARTH_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Directory for the database and the server secret. Created if missing.
    #[arg(long, env = "HEARTH_DATA_DIR", default_value = "./hearth-data")]
    pub data_dir: PathBuf,

    /// Seed a demo group and print a join link for it at start (for trying Hearth out).
    #[arg(long, env = "HEARTH_DEMO", default_value_t = false)]
    pub demo: bool,

    /// The address people use to reach this server (e.g. `https://chat.example.org`), used in
    /// printed links. Defaults to `http://` + the bind address.
    #[arg(long, env = "HEARTH_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Origins allowed to open the WebSocket (e.g. `https://chat.example.org`), comma-separated.
    /// Empty means: only the origin of the host the request was sent to.
    #[arg(
        long = "allowed-origin",
        env = "HEARTH_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// Addresses of reverse proxies (e.g. the TLS proxy in front of Hearth), comma-separated.
    /// Only for connections from these is the client address taken from `X-Forwarded-For`;
    /// without it, every client behind a proxy would share one lockout for failed logins and
    /// invite codes.
    #[arg(
        long = "trusted-proxy",
        env = "HEARTH_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Chat messages a participant may send in a burst.
    #[arg(long, env = "HEARTH_RATE_BURST", default_value_t = 5)]
    pub rate_burst: u32,

    /// Chat messages a participant may send per minute, sustained.
    #[arg(long, env = "HEARTH_RATE_PER_MINUTE", default_value_t = 60)]
    pub rate_per_minute: u32,

    /// How often the server pings each connection.
    #[arg(long, env = "HEARTH_PING_INTERVAL", default_value = "20s", value_parser = parse_duration)]
    pub ping_interval: Duration,

    /// Close a connection after this long without hearing anything from it.
    #[arg(long, env = "HEARTH_IDLE_TIMEOUT", default_value = "60s", value_parser = parse_duration)]
    pub idle_timeout: Duration,

    /// Stop a room that has been empty this long (its messages are dropped from memory).
    #[arg(long, env = "HEARTH_ROOM_IDLE_TIMEOUT", default_value = "10m", value_parser = parse_duration)]
    pub room_idle_timeout: Duration,

    /// Crisis-resources locale for groups that do not choose one (`us`, `uk`, `ie`, `ca`, `au`,
    /// `nz`, `de`, `fr`, `in`, `intl`, or one added in the resources file).
    #[arg(long, env = "HEARTH_CRISIS_LOCALE", default_value = "us")]
    pub crisis_locale: String,

    /// A JSON file that adds to or replaces the built-in crisis resources, by locale (see
    /// `docs/safety.md`).
    #[arg(long, env = "HEARTH_CRISIS_RESOURCES_FILE")]
    pub crisis_resources_file: Option<PathBuf>,

    /// How long a seat is kept for someone whose connection dropped, so they can come back to it.
    #[arg(long, env = "HEARTH_RESUME_GRACE", default_value = "10m", value_parser = parse_duration)]
    pub resume_grace: Duration,

    /// On SIGTERM or ctrl-c, how long to wait for connections to close before exiting.
    #[arg(long, env = "HEARTH_SHUTDOWN_GRACE", default_value = "5s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,
}

impl Config {
    /// The defaults, as `hearth serve` with no flags and no environment would use them.
    pub fn defaults() -> Config {
        #[derive(clap::Parser)]
        struct Defaults {
            #[command(flatten)]
            config: Config,
        }
        // Parse from an empty command line; an unparsable HEARTH_* variable in the environment is
        // the only way this fails, and then the built-in defaults are what the caller wants.
        <Defaults as clap::Parser>::try_parse_from(["hearth"])
            .map(|d| d.config)
            .unwrap_or_else(|_| Config {
                bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
                data_dir: PathBuf::from("./hearth-data"),
                demo: false,
                public_url: None,
                crisis_locale: "us".to_owned(),
                crisis_resources_file: None,
                allowed_origins: Vec::new(),
                trusted_proxies: Vec::new(),
                rate_burst: 5,
                rate_per_minute: 60,
                ping_interval: Duration::from_secs(20),
                idle_timeout: Duration::from_secs(60),
                room_idle_timeout: Duration::from_secs(600),
                resume_grace: Duration::from_secs(600),
                shutdown_grace: Duration::from_secs(5),
            })
    }
}

/// Parses a duration such as `500ms`, `20s`, `10m` or `1h 30m`.
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let signed: jiff::SignedDuration = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 500ms, 20s, 10m or 1h 30m"))?;
    Duration::try_from(signed).map_err(|_| format!("`{text}` must not be negative"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_friendly_units() {
        assert_eq!(parse_duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h 30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-5s").is_err());
    }

    #[test]
    fn defaults_are_for_one_local_server() {
        let config = Config::defaults();
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("./hearth-data"));
        assert_eq!(config.ping_interval, Duration::from_secs(20));
        assert_eq!(config.idle_timeout, Duration::from_secs(60));
    }
}
