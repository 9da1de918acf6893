//! Operational counters for Prometheus: connections, rooms, messages accepted and rejected,
//! alerts, slow consumers, fan-out latency, logins, build info.
//!
//! Plain atomics and a hand-rendered text format (version 0.0.4), rather than a metrics crate:
//! every label set is fixed at compile time (error codes, alert kinds, contact kinds), so each
//! count is one relaxed `fetch_add` into an array slot, with no map lookup, lock or allocation on
//! the hot path, and rendering a scrape is a few dozen lines of `write!`.
//!
//! Confidentiality: no label ever carries a pseudonym, text, address, group name or id. Labels
//! are error codes and kinds only; per-group counts are deliberately absent.
//!
//! Depends on std and `protocol` (for the code and kind enums); must not depend on axum, the
//! store or the room.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::protocol::{AlertKind, ErrorCode, ServerMsg};

/// The package version, as built.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit the binary was built from, when the build said so (the Dockerfile passes
/// `HEARTH_GIT_COMMIT`); `unknown` otherwise.
pub const GIT_COMMIT: &str = match option_env!("HEARTH_GIT_COMMIT") {
    Some(commit) => commit,
    None => "unknown",
};

/// Every error code, in declaration order (so `code as usize` indexes this array; a test checks
/// it). A new code fails to compile in [`code_label`] until it is added here too.
const ERROR_CODES: [ErrorCode; 27] = [
    ErrorCode::BadJson,
    ErrorCode::UnknownType,
    ErrorCode::InvalidMessage,
    ErrorCode::UnsupportedVersion,
    ErrorCode::NotJoined,
    ErrorCode::AlreadyJoined,
    ErrorCode::InviteInvalid,
    ErrorCode::RulesNotAccepted,
    ErrorCode::PseudonymInvalid,
    ErrorCode::PseudonymTaken,
    ErrorCode::RoomFull,
    ErrorCode::RoomLocked,
    ErrorCode::SessionNotOpen,
    ErrorCode::SessionEnded,
    ErrorCode::Banned,
    ErrorCode::Forbidden,
    ErrorCode::NotFound,
    ErrorCode::Waiting,
    ErrorCode::TextInvalid,
    ErrorCode::RateLimited,
    ErrorCode::ContactInfo,
    ErrorCode::Muted,
    ErrorCode::Paused,
    ErrorCode::SlowMode,
    ErrorCode::ResumeInvalid,
    ErrorCode::TooManyAttempts,
    ErrorCode::Internal,
];

/// The code as it appears on the wire (and in `docs/protocol.md`).
fn code_label(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BadJson => "bad_json",
        ErrorCode::UnknownType => "unknown_type",
        ErrorCode::InvalidMessage => "invalid_message",
        ErrorCode::UnsupportedVersion => "unsupported_version",
        ErrorCode::NotJoined => "not_joined",
        ErrorCode::AlreadyJoined => "already_joined",
        ErrorCode::InviteInvalid => "invite_invalid",
        ErrorCode::RulesNotAccepted => "rules_not_accepted",
        ErrorCode::PseudonymInvalid => "pseudonym_invalid",
        ErrorCode::PseudonymTaken => "pseudonym_taken",
        ErrorCode::RoomFull => "room_full",
        ErrorCode::RoomLocked => "room_locked",
        ErrorCode::SessionNotOpen => "session_not_open",
        ErrorCode::SessionEnded => "session_ended",
        ErrorCode::Banned => "banned",
        ErrorCode::Forbidden => "forbidden",
        ErrorCode::NotFound => "not_found",
        ErrorCode::Waiting => "waiting",
        ErrorCode::TextInvalid => "text_invalid",
        ErrorCode::RateLimited => "rate_limited",
        ErrorCode::ContactInfo => "contact_info",
        ErrorCode::Muted => "muted",
        ErrorCode::Paused => "paused",
        ErrorCode::SlowMode => "slow_mode",
        ErrorCode::ResumeInvalid => "resume_invalid",
        ErrorCode::TooManyAttempts => "too_many_attempts",
        ErrorCode::Internal => "internal",
    }
}

/// Alert kinds, in the order of their slots.
const ALERT_KINDS: [(AlertKind, &str); 5] = [
    (AlertKind::Contact, "contact"),
    (AlertKind::Report, "report"),
    (AlertKind::Crisis, "crisis"),
    (AlertKind::Support, "support"),
    (AlertKind::Dropped, "dropped"),
];

fn alert_slot(kind: AlertKind) -> usize {
    match kind {
        AlertKind::Contact => 0,
        AlertKind::Report => 1,
        AlertKind::Crisis => 2,
        AlertKind::Support => 3,
        AlertKind::Dropped => 4,
    }
}

/// The kinds of contact detail the filter reports; anything else is counted as `other`, so a
/// label can never carry what the filter matched.
pub const CONTACT_KINDS: [&str; 5] = ["email", "phone", "handle", "link", "other"];

/// Upper bounds of the fan-out latency buckets, in nanoseconds: 10 µs to 250 ms. Handling one
/// request and queueing its frames for a room of 15 takes microseconds; the top buckets are there
/// to show trouble.
const FANOUT_BOUNDS_NS: [u64; 14] = [
    10_000,
    25_000,
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    250_000_000,
];

/// A histogram with fixed buckets: one relaxed add for the bucket, one for the sum.
#[derive(Debug, Default)]
struct Histogram {
    /// Observations per bucket (not cumulative); the last slot is `+Inf`.
    buckets: [AtomicU64; FANOUT_BOUNDS_NS.len() + 1],
    sum_ns: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let ns = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let slot = FANOUT_BOUNDS_NS
            .iter()
            .position(|bound| ns <= *bound)
            .unwrap_or(FANOUT_BOUNDS_NS.len());
        self.buckets[slot].fetch_add(1, Relaxed);
        self.sum_ns.fetch_add(ns, Relaxed);
    }

    fn render(&self, out: &mut String, name: &str) {
        let mut cumulative = 0u64;
        for (slot, bucket) in self.buckets.iter().enumerate() {
            cumulative += bucket.load(Relaxed);
            match FANOUT_BOUNDS_NS.get(slot) {
                Some(bound) => {
                    let le = *bound as f64 / 1e9;
                    let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
                }
                None => {
                    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
                }
            }
        }
        let sum = self.sum_ns.load(Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "{name}_sum {sum}");
        // The count is the buckets' total, so a scrape racing an observation stays consistent.
        let _ = writeln!(out, "{name}_count {cumulative}");
    }
}

#[derive(Debug, Default)]
struct Counters {
    connections: AtomicI64,
    participants: AtomicI64,
    accepted: AtomicU64,
    rejected: [AtomicU64; ERROR_CODES.len()],
    contact_hits: [AtomicU64; CONTACT_KINDS.len()],
    alerts: [AtomicU64; ALERT_KINDS.len()],
    outbox_drops: AtomicU64,
    fanout: Histogram,
    login_failures: AtomicU64,
    lockouts: AtomicU64,
}

/// The server's counters. Cheap to clone; every method is a relaxed atomic add.
#[derive(Debug, Clone)]
pub struct Metrics {
    counters: Arc<Counters>,
    started: Duration,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

/// Keeps the open-connections gauge up while it lives.
#[derive(Debug)]
pub struct ConnectionGauge(Metrics);

impl Drop for ConnectionGauge {
    fn drop(&mut self) {
        self.0.counters.connections.fetch_sub(1, Relaxed);
    }
}

/// What a scrape needs that the counters do not hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Snapshot {
    /// Rooms running now.
    pub live_rooms: usize,
}

impl Metrics {
    /// All counts at zero.
    pub fn new() -> Metrics {
        Metrics {
            counters: Arc::default(),
            started: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
        }
    }

    /// A WebSocket connection opened; it counts until the returned gauge is dropped.
    pub fn connection_opened(&self) -> ConnectionGauge {
        self.counters.connections.fetch_add(1, Relaxed);
        ConnectionGauge(self.clone())
    }

    /// Participants with a live connection in some room went up or down by `delta`.
    pub fn participants_changed(&self, delta: i64) {
        self.counters.participants.fetch_add(delta, Relaxed);
    }

    /// A chat or private message was accepted.
    pub fn message_accepted(&self) {
        self.counters.accepted.fetch_add(1, Relaxed);
    }

    /// A message was refused with `code`.
    pub fn message_rejected(&self, code: ErrorCode) {
        if let Some(slot) = self.counters.rejected.get(code as usize) {
            slot.fetch_add(1, Relaxed);
        }
    }

    /// The contact filter found a contact detail of `kind` (`email`, `phone`, `handle`, `link`;
    /// anything else counts as `other`). [`Metrics::observe`] already counts the kinds of every
    /// `contact` alert (the protocol raises one for each message the filter stops or masks): call
    /// this directly only for a hit that raises no alert, or it is counted twice.
    pub fn contact_hit(&self, kind: &str) {
        let slot = CONTACT_KINDS
            .iter()
            .position(|known| *known == kind)
            .unwrap_or(CONTACT_KINDS.len() - 1);
        self.counters.contact_hits[slot].fetch_add(1, Relaxed);
    }

    /// An alert of `kind` went to a room's facilitators.
    pub fn alert(&self, kind: AlertKind) {
        self.counters.alerts[alert_slot(kind)].fetch_add(1, Relaxed);
    }

    /// A participant was disconnected because their outbox was full.
    pub fn outbox_drop(&self) {
        self.counters.outbox_drops.fetch_add(1, Relaxed);
    }

    /// A room task handled a participant's request and queued every frame it caused in
    /// `elapsed`.
    pub fn fanout(&self, elapsed: Duration) {
        self.counters.fanout.observe(elapsed);
    }

    /// A facilitator login failed: unknown username, wrong password or disabled account.
    pub fn login_failure(&self) {
        self.counters.login_failures.fetch_add(1, Relaxed);
    }

    /// A login was refused without checking the password, because its username or client is
    /// locked out after repeated failures.
    pub fn lockout(&self) {
        self.counters.lockouts.fetch_add(1, Relaxed);
    }

    /// Counts what a server message means for operators: an `ack` is an accepted message, a
    /// `rejected` a refusal by code, an `alert` an alert by kind, and a `contact` alert a filter
    /// hit for each kind it names. Other messages count nothing.
    pub fn observe(&self, msg: &ServerMsg) {
        match msg {
            ServerMsg::Ack { .. } => self.message_accepted(),
            ServerMsg::Rejected { code, .. } => self.message_rejected(*code),
            ServerMsg::Alert { kind, kinds, .. } => {
                self.alert(*kind);
                if *kind == AlertKind::Contact {
                    for found in kinds {
                        self.contact_hit(found);
                    }
                }
            }
            _ => {}
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self, snapshot: Snapshot) -> String {
        let c = &self.counters;
        let mut out = String::with_capacity(8 * 1024);
        family(
            &mut out,
            "hearth_build_info",
            "gauge",
            "Always 1; the labels say which build is running.",
        );
        let _ = writeln!(
            out,
            "hearth_build_info{{version=\"{}\",commit=\"{}\"}} 1",
            label_value(VERSION),
            label_value(GIT_COMMIT)
        );
        family(
            &mut out,
            "hearth_start_time_seconds",
            "gauge",
            "When the server started, in seconds since the Unix epoch.",
        );
        let _ = writeln!(out, "hearth_start_time_seconds {}", self.started.as_secs());
        gauge(
            &mut out,
            "hearth_connections",
            "Open WebSocket connections.",
            c.connections.load(Relaxed),
        );
        gauge(
            &mut out,
            "hearth_live_rooms",
            "Rooms running now (a group with a session in progress or just finished).",
            i64::try_from(snapshot.live_rooms).unwrap_or(i64::MAX),
        );
        gauge(
            &mut out,
            "hearth_participants_present",
            "Participants with a live connection in a room (waiting rooms included).",
            c.participants.load(Relaxed),
        );
        counter(
            &mut out,
            "hearth_messages_accepted_total",
            "Chat and private messages accepted.",
            c.accepted.load(Relaxed),
        );
        family(
            &mut out,
            "hearth_messages_rejected_total",
            "counter",
            "Messages refused, by error code (see docs/protocol.md).",
        );
        for code in ERROR_CODES {
            let _ = writeln!(
                out,
                "hearth_messages_rejected_total{{reason=\"{}\"}} {}",
                code_label(code),
                c.rejected[code as usize].load(Relaxed)
            );
        }
        family(
            &mut out,
            "hearth_contact_filter_hits_total",
            "counter",
            "Contact details found by the contact filter, by kind.",
        );
        for (kind, hits) in CONTACT_KINDS.iter().zip(&c.contact_hits) {
            let _ = writeln!(
                out,
                "hearth_contact_filter_hits_total{{kind=\"{kind}\"}} {}",
                hits.load(Relaxed)
            );
        }
        family(
            &mut out,
            "hearth_alerts_total",
            "counter",
            "Alerts sent to facilitators, by kind (crisis: a member's words suggest danger).",
        );
        for ((_, label), count) in ALERT_KINDS.iter().zip(&c.alerts) {
            let _ = writeln!(
                out,
                "hearth_alerts_total{{kind=\"{label}\"}} {}",
                count.load(Relaxed)
            );
        }
        counter(
            &mut out,
            "hearth_outbox_drops_total",
            "Participants disconnected because they could not keep up (outbox full).",
            c.outbox_drops.load(Relaxed),
        );
        family(
            &mut out,
            "hearth_room_fanout_seconds",
            "histogram",
            "Time from a room task taking a participant's request to every frame it caused being \
             queued for its recipients.",
        );
        c.fanout.render(&mut out, "hearth_room_fanout_seconds");
        counter(
            &mut out,
            "hearth_login_failures_total",
            "Failed facilitator logins (unknown username, wrong password, disabled account).",
            c.login_failures.load(Relaxed),
        );
        counter(
            &mut out,
            "hearth_lockouts_total",
            "Logins refused because the username or client is locked out after repeated failures.",
            c.lockouts.load(Relaxed),
        );
        process_metrics(&mut out);
        out
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn gauge(out: &mut String, name: &str, help: &str, value: i64) {
    family(out, name, "gauge", help);
    let _ = writeln!(out, "{name} {value}");
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    family(out, name, "counter", help);
    let _ = writeln!(out, "{name} {value}");
}

/// Escapes a label value as the text format requires (backslash, quote, newline).
fn label_value(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Memory and open files of this process, read from `/proc` at scrape time (Linux only; absent
/// elsewhere). Names follow Prometheus' process-metrics convention.
fn process_metrics(out: &mut String) {
    let resident_kib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix("VmRSS:")?
                    .trim()
                    .strip_suffix("kB")?
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
        });
    if let Some(kib) = resident_kib {
        gauge(
            out,
            "process_resident_memory_bytes",
            "Resident memory of the server process.",
            i64::try_from(kib * 1024).unwrap_or(i64::MAX),
        );
    }
    if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
        gauge(
            out,
            "process_open_fds",
            "Open file descriptors (sockets included).",
            i64::try_from(fds.count()).unwrap_or(i64::MAX),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, series: &str) -> f64 {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("{series} missing from\n{text}"))
            .parse()
            .unwrap()
    }

    #[test]
    fn error_codes_index_their_own_slot_and_use_their_wire_names() {
        for (slot, code) in ERROR_CODES.iter().enumerate() {
            assert_eq!(*code as usize, slot, "{code:?}");
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire.as_str(), Some(code_label(*code)));
        }
    }

    #[test]
    fn alert_kinds_use_their_wire_names() {
        for (slot, (kind, label)) in ALERT_KINDS.iter().enumerate() {
            assert_eq!(alert_slot(*kind), slot);
            assert_eq!(serde_json::to_value(kind).unwrap().as_str(), Some(*label));
        }
    }

    #[test]
    fn counts_show_up_in_the_exposition() {
        let metrics = Metrics::new();
        let gauge = metrics.connection_opened();
        let _second = metrics.connection_opened();
        drop(gauge);
        metrics.participants_changed(3);
        metrics.participants_changed(-1);
        metrics.message_accepted();
        metrics.message_rejected(ErrorCode::RateLimited);
        metrics.message_rejected(ErrorCode::RateLimited);
        metrics.contact_hit("phone");
        metrics.contact_hit("something new");
        metrics.alert(AlertKind::Crisis);
        metrics.outbox_drop();
        metrics.login_failure();
        metrics.lockout();

        let text = metrics.render(Snapshot { live_rooms: 2 });

        assert_eq!(value(&text, "hearth_connections"), 1.0);
        assert_eq!(value(&text, "hearth_live_rooms"), 2.0);
        assert_eq!(value(&text, "hearth_participants_present"), 2.0);
        assert_eq!(value(&text, "hearth_messages_accepted_total"), 1.0);
        assert_eq!(
            value(
                &text,
                "hearth_messages_rejected_total{reason=\"rate_limited\"}"
            ),
            2.0
        );
        assert_eq!(
            value(&text, "hearth_messages_rejected_total{reason=\"muted\"}"),
            0.0
        );
        assert_eq!(
            value(&text, "hearth_contact_filter_hits_total{kind=\"phone\"}"),
            1.0
        );
        assert_eq!(
            value(&text, "hearth_contact_filter_hits_total{kind=\"other\"}"),
            1.0
        );
        assert_eq!(value(&text, "hearth_alerts_total{kind=\"crisis\"}"), 1.0);
        assert_eq!(value(&text, "hearth_outbox_drops_total"), 1.0);
        assert_eq!(value(&text, "hearth_login_failures_total"), 1.0);
        assert_eq!(value(&text, "hearth_lockouts_total"), 1.0);
        assert!(text.contains(&format!("hearth_build_info{{version=\"{VERSION}\"")));
    }

    #[test]
    fn server_messages_count_as_acks_rejections_and_alerts() {
        let metrics = Metrics::new();
        metrics.observe(&ServerMsg::rejected(
            None,
            ErrorCode::Muted,
            "You are muted.",
        ));
        let contact = serde_json::json!({
            "type": "alert", "kind": "contact", "participant": {"id": 3, "name": "x", "role": "member"},
            "masked": "call me on ***", "kinds": ["phone", "email"], "blocked": true, "ts": 1
        });
        metrics.observe(&serde_json::from_value(contact).unwrap());
        let text = metrics.render(Snapshot::default());
        assert_eq!(
            value(&text, "hearth_messages_rejected_total{reason=\"muted\"}"),
            1.0
        );
        assert_eq!(value(&text, "hearth_alerts_total{kind=\"contact\"}"), 1.0);
        assert_eq!(
            value(&text, "hearth_contact_filter_hits_total{kind=\"phone\"}"),
            1.0
        );
        assert_eq!(
            value(&text, "hearth_contact_filter_hits_total{kind=\"email\"}"),
            1.0
        );
    }

    #[test]
    fn the_fanout_histogram_is_cumulative_and_counts_everything() {
        let metrics = Metrics::new();
        metrics.fanout(Duration::from_micros(5));
        metrics.fanout(Duration::from_micros(30));
        metrics.fanout(Duration::from_secs(2));

        let text = metrics.render(Snapshot::default());

        let name = "hearth_room_fanout_seconds";
        assert_eq!(
            value(&text, &format!("{name}_bucket{{le=\"0.00001\"}}")),
            1.0
        );
        assert_eq!(
            value(&text, &format!("{name}_bucket{{le=\"0.00005\"}}")),
            2.0
        );
        assert_eq!(value(&text, &format!("{name}_bucket{{le=\"0.25\"}}")), 2.0);
        assert_eq!(value(&text, &format!("{name}_bucket{{le=\"+Inf\"}}")), 3.0);
        assert_eq!(value(&text, &format!("{name}_count")), 3.0);
        let sum = value(&text, &format!("{name}_sum"));
        assert!((sum - 2.000035).abs() < 1e-9, "{sum}");
    }

    #[test]
    fn every_family_has_help_and_type_and_valid_sample_lines() {
        let text = Metrics::new().render(Snapshot::default());
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# ") {
                assert!(
                    rest.starts_with("HELP ") || rest.starts_with("TYPE "),
                    "{line}"
                );
                continue;
            }
            let (series, number) = line.rsplit_once(' ').expect("name and value");
            assert!(number.parse::<f64>().is_ok(), "{line}");
            let name = series.split('{').next().unwrap();
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{line}"
            );
            assert!(
                text.contains(&format!("# TYPE {}", name.trim_end_matches("_bucket")))
                    || text.contains(&format!(
                        "# TYPE {}",
                        name.trim_end_matches("_sum").trim_end_matches("_count")
                    )),
                "{line} has no TYPE"
            );
        }
    }
}
