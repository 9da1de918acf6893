//! One typed configuration for `hearth serve`: every setting is a command-line flag with a
//! `HEARTH_*` environment twin and a default that is right for one small server.
//!
//! Depends on clap, jiff (for durations like `20s` or `10m`) and ipnet (proxy ranges) only.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use clap::{Args, ValueEnum};
use ipnet::IpNet;

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

    /// Reverse proxies (e.g. the TLS proxy in front of Hearth) whose `X-Forwarded-For` header is
    /// believed, as IP addresses or CIDR ranges, comma-separated. Only for connections from these
    /// is the client address taken from the header; without it, every client behind a proxy
    /// would share one lockout for failed logins and invite codes. Empty: the header is ignored.
    /// Client addresses are used in memory only, never logged or stored.
    #[arg(
        long = "trusted-proxy",
        env = "HEARTH_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = parse_ip_range
    )]
    pub trusted_proxies: Vec<IpNet>,

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

    /// Address and port for Prometheus metrics (`/metrics`), served on a listener of its own so
    /// it is never exposed with the chat; `off` turns it off. Keep it on loopback or a private
    /// network.
    #[arg(long, env = "HEARTH_METRICS_BIND", default_value = "127.0.0.1:9090")]
    pub metrics_bind: Listen,
}

/// How the process logs. Global flags: they apply to every subcommand.
#[derive(Debug, Clone, Args)]
pub struct LogSettings {
    /// Log line format: `json` (one JSON object per line, for log collectors) or `text` (one
    /// readable line per event). Either way every value is escaped and capped, and logs never
    /// hold message text, names, invite codes or addresses.
    #[arg(long, global = true, env = "HEARTH_LOG_FORMAT", default_value = "json")]
    pub log_format: LogFormat,

    /// Which events to log, as `tracing` directives (e.g. `info`, `hearth=debug`); `RUST_LOG` is
    /// read when this is not set, then `info`. Whatever it says, other libraries log warnings and
    /// errors only: some print whole chat frames at debug level.
    #[arg(long, global = true, env = "HEARTH_LOG")]
    pub log_filter: Option<String>,
}

/// The shape of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// One human-readable line per event.
    Text,
}

/// An address to listen on, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listen {
    /// Do not listen.
    Off,
    /// Listen here (port 0 picks a free port).
    On(SocketAddr),
}

impl FromStr for Listen {
    type Err = String;

    fn from_str(text: &str) -> Result<Listen, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(Listen::Off);
        }
        text.parse().map(Listen::On).map_err(|_| {
            format!("`{text}` is not an address and port (e.g. 127.0.0.1:9090) or `off`")
        })
    }
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Listen::Off => f.write_str("off"),
            Listen::On(addr) => addr.fmt(f),
        }
    }
}

/// A setting that must never be shown: `Debug` and `Display` print `<redacted>`, and
/// `hearth config` redacts every setting of this type. Use it for any password, token or key
/// that arrives through a flag or environment variable.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(text.to_owned()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Parses an IP address (`10.0.0.2`, one host) or a CIDR range (`10.0.0.0/24`).
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn parse_ip_range(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(IpNet::from(ip));
    }
    text.parse().map_err(|_| {
        format!("`{text}` is not an IP address or range; write e.g. 172.31.253.2 or 10.0.0.0/8")
    })
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
                metrics_bind: Listen::On(SocketAddr::from(([127, 0, 0, 1], 9090))),
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
        assert_eq!(config.metrics_bind.to_string(), "127.0.0.1:9090");
        assert!(config.trusted_proxies.is_empty());
    }

    #[test]
    fn metrics_listener_is_an_address_or_off() {
        assert_eq!("off".parse(), Ok(Listen::Off));
        assert_eq!("OFF".parse(), Ok(Listen::Off));
        assert_eq!(
            "0.0.0.0:9090".parse(),
            Ok(Listen::On(SocketAddr::from(([0, 0, 0, 0], 9090))))
        );
        assert!("9090".parse::<Listen>().is_err());
        assert!("".parse::<Listen>().is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        assert_eq!(
            parse_ip_range("172.31.253.2").unwrap().to_string(),
            "172.31.253.2/32"
        );
        assert_eq!(parse_ip_range(" ::1 ").unwrap().to_string(), "::1/128");
        assert_eq!(
            parse_ip_range("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert!(parse_ip_range("proxy.local").is_err());
        assert!(parse_ip_range("10.0.0.0/33").is_err());
    }

    #[test]
    fn secrets_never_print() {
        let secret: Secret = "hunter2".parse().unwrap();
        assert_eq!(format!("{secret} {secret:?}"), "<redacted> <redacted>");
        assert_eq!(secret.expose(), "hunter2");
    }
}
