//! Logging: one line per event on stderr, JSON (default) or plain text, through `tracing`.
//!
//! Confidentiality is enforced here, not left to the operator's filter:
//! - Only this crate's own events (targets `hearth` and `hearth::…`) may pass below WARN. Every
//!   other target is clamped to WARN by a filter layer of its own, whatever `HEARTH_LOG` or
//!   `RUST_LOG` says, because libraries print what members wrote at debug and trace level
//!   (tungstenite logs whole frames, axum's rejections quote request bodies, sqlx logs queries).
//! - The server's own events never carry message text, names, invite codes or addresses: a test
//!   reads every `tracing` call in `server/src` and refuses such field names.
//! - Every value is escaped (control and bidirectional-override characters included), so one
//!   event is always one line that cannot be forged into two, and capped, so no value floods the
//!   log.
//! - Span fields are not written: events carry what they need.
//! - A panic logs where it happened, never its message, which can quote data.
//!
//! Depends on tracing, tracing-subscriber, jiff (timestamps) and `config` (the settings type);
//! must not depend on the rest of the server.

use std::fmt::{self, Write as _};
use std::io::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::{LogFormat, LogSettings};

/// Longest field value written, in characters; longer values end in `…`.
pub const FIELD_MAX_CHARS: usize = 256;

/// Longest event message written, in characters.
pub const MESSAGE_MAX_CHARS: usize = 512;

/// Installs the global subscriber and the panic hook. Call once, at start; later calls change
/// nothing.
pub fn init(settings: &LogSettings) {
    let directives = settings
        .log_filter
        .clone()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .unwrap_or_else(|| "info".to_owned());
    let subscriber = tracing_subscriber::registry()
        .with(EnvFilter::builder().parse_lossy(&directives))
        .with(filter_fn(allowed))
        .with(Lines::new(settings.log_format, std::io::stderr));
    if subscriber.try_init().is_ok() {
        install_panic_hook();
    }
}

/// The clamp: the server's own events at any level, everyone else's at WARN and ERROR only.
pub fn allowed(metadata: &Metadata<'_>) -> bool {
    is_own_target(metadata.target()) || *metadata.level() <= Level::WARN
}

fn is_own_target(target: &str) -> bool {
    target == "hearth" || target.starts_with("hearth::")
}

/// Replaces the default panic message (which prints the payload: `expect` messages and
/// formatted values can quote what a member wrote) with an event naming only the location.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|at| format!("{}:{}", at.file(), at.line()))
            .unwrap_or_else(|| "unknown".to_owned());
        tracing::error!(
            location = %location,
            "panic; its message is not logged because it could quote chat data"
        );
    }));
}

/// A layer that writes each event as one capped, escaped line.
pub struct Lines<W> {
    format: LogFormat,
    make_writer: W,
}

impl<W> Lines<W> {
    /// Lines in `format`, written to what `make_writer` makes (stderr in the server, a buffer in
    /// tests).
    pub fn new(format: LogFormat, make_writer: W) -> Lines<W> {
        Lines {
            format,
            make_writer,
        }
    }
}

impl<S, W> Layer<S> for Lines<W>
where
    S: Subscriber,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let metadata = event.metadata();
        let timestamp = jiff::Timestamp::now();
        let mut line = String::with_capacity(256);
        match self.format {
            LogFormat::Json => {
                let _ = write!(
                    line,
                    "{{\"timestamp\":\"{timestamp}\",\"level\":\"{}\",\"target\":",
                    metadata.level()
                );
                json_string(&mut line, metadata.target());
                line.push_str(",\"message\":");
                json_string(&mut line, &fields.message);
                for (name, value) in &fields.values {
                    line.push(',');
                    json_string(&mut line, name);
                    line.push(':');
                    match value {
                        Value::Text(text) => json_string(&mut line, text),
                        Value::Number(number) => line.push_str(number),
                    }
                }
                line.push('}');
            }
            LogFormat::Text => {
                let _ = write!(line, "{timestamp} {:>5} ", metadata.level());
                text_value(&mut line, metadata.target());
                line.push_str(": ");
                text_value(&mut line, &fields.message);
                for (name, value) in &fields.values {
                    line.push(' ');
                    text_value(&mut line, name);
                    line.push('=');
                    match value {
                        Value::Text(text) => text_value(&mut line, text),
                        Value::Number(number) => line.push_str(number),
                    }
                }
            }
        }
        line.push('\n');
        // A log sink that fails must not take the server down: the line is lost, nothing else.
        let _ = self.make_writer.make_writer().write_all(line.as_bytes());
    }
}

enum Value {
    Text(String),
    /// Already rendered: digits, a sign, a point, `true`/`false`.
    Number(String),
}

/// The fields of one event, each capped as it is recorded.
#[derive(Default)]
struct Fields {
    message: String,
    values: Vec<(&'static str, Value)>,
}

impl Fields {
    fn text(&mut self, field: &Field, value: &dyn fmt::Display) {
        let cap = if field.name() == "message" {
            MESSAGE_MAX_CHARS
        } else {
            FIELD_MAX_CHARS
        };
        let mut capped = Capped::new(cap);
        let _ = write!(capped, "{value}");
        let text = capped.finish();
        if field.name() == "message" {
            self.message = text;
        } else {
            self.values.push((field.name(), Value::Text(text)));
        }
    }

    fn number(&mut self, field: &Field, value: String) {
        self.values.push((field.name(), Value::Number(value)));
    }
}

/// Shows a `Debug` value through `Display`, so both go through one capped path.
struct DebugAsDisplay<'a>(&'a dyn fmt::Debug);

impl fmt::Display for DebugAsDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.text(field, &DebugAsDisplay(value));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.text(field, &value);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.text(field, &value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.number(field, value.to_string());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.number(field, value.to_string());
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.number(field, value.to_string());
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.number(field, value.to_string());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.number(field, value.to_string());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        if value.is_finite() {
            self.number(field, value.to_string());
        } else {
            self.text(field, &value);
        }
    }
}

/// A `fmt::Write` that keeps at most `cap` characters and notes that it dropped the rest, so a
/// huge value costs no more than its cap to format.
struct Capped {
    text: String,
    left: usize,
    truncated: bool,
}

impl Capped {
    fn new(cap: usize) -> Capped {
        Capped {
            text: String::new(),
            left: cap,
            truncated: false,
        }
    }

    fn finish(mut self) -> String {
        if self.truncated {
            self.text.push('…');
        }
        self.text
    }
}

impl fmt::Write for Capped {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.left == 0 {
                self.truncated = true;
                // Stop formatting: the rest would be thrown away.
                return Err(fmt::Error);
            }
            self.text.push(c);
            self.left -= 1;
        }
        Ok(())
    }
}

/// Characters escaped in both formats beyond ASCII controls: they reorder or hide text on a
/// terminal (bidirectional overrides, zero-width marks) or end a line for some readers.
fn is_deceptive(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{feff}')
}

/// Writes `text` as a JSON string with every control and deceptive character escaped.
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() || is_deceptive(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `text` for the text format: as is when it is one plain word, else quoted with every
/// control and deceptive character escaped.
fn text_value(out: &mut String, text: &str) {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-' | '/'));
    if plain {
        out.push_str(text);
        return;
    }
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_deceptive(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects what the layer writes.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> MakeWriter<'w> for Buffer {
        type Writer = Buffer;

        fn make_writer(&'w self) -> Buffer {
            self.clone()
        }
    }

    /// Runs `log` under the real stack (clamp and formatter) with `directives`, returning what
    /// was written.
    fn capture(format: LogFormat, directives: &str, log: impl FnOnce()) -> String {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::registry()
            .with(EnvFilter::new(directives))
            .with(filter_fn(allowed))
            .with(Lines::new(format, buffer.clone()));
        tracing::subscriber::with_default(subscriber, log);
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn json_lines_are_one_object_per_event_with_typed_fields() {
        let out = capture(LogFormat::Json, "trace", || {
            tracing::info!(group = 7, ok = true, kind = "database", "room started");
        });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        let value: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(value["level"], "INFO");
        assert_eq!(value["target"], "hearth::telemetry::tests");
        assert_eq!(value["message"], "room started");
        assert_eq!(value["group"], 7);
        assert_eq!(value["ok"], true);
        assert_eq!(value["kind"], "database");
        assert!(value["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn hostile_values_cannot_break_a_line_or_hide_text() {
        let hostile = "a\nforged line\r\u{1b}[31m\u{202e}evil\"}";
        for format in [LogFormat::Json, LogFormat::Text] {
            let out = capture(format, "trace", || {
                tracing::warn!(origin = hostile, "refused an origin");
            });
            assert_eq!(out.lines().count(), 1, "{out}");
            assert!(!out.contains('\u{1b}'), "{out}");
            assert!(!out.contains('\r'), "{out}");
            assert!(!out.contains('\u{202e}'), "{out}");
            if format == LogFormat::Json {
                let value: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
                assert_eq!(value["origin"], hostile);
            }
        }
    }

    #[test]
    fn long_values_are_capped() {
        let long = "x".repeat(10_000);
        let out = capture(LogFormat::Json, "trace", || {
            tracing::warn!(value = %long, "{long}");
        });
        let value: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
        let field = value["value"].as_str().unwrap();
        assert_eq!(field.chars().count(), FIELD_MAX_CHARS + 1);
        assert!(field.ends_with('…'));
        let message = value["message"].as_str().unwrap();
        assert_eq!(message.chars().count(), MESSAGE_MAX_CHARS + 1);
    }

    #[test]
    fn other_crates_are_clamped_to_warnings_whatever_the_filter_says() {
        let out = capture(LogFormat::Json, "trace", || {
            tracing::trace!(target: "tungstenite::protocol", "Received message CANARY");
            tracing::debug!(target: "axum::rejection", "body CANARY");
            tracing::info!(target: "sqlx::query", "CANARY");
            tracing::warn!(target: "hyper::proto", "connection error");
            tracing::trace!("own trace event");
        });
        assert!(!out.contains("CANARY"), "{out}");
        assert!(out.contains("connection error"), "{out}");
        assert!(out.contains("own trace event"), "{out}");
    }

    #[test]
    fn text_lines_quote_only_what_needs_it() {
        let out = capture(LogFormat::Text, "info", || {
            tracing::info!(group = 3, kind = "database", note = "two words", "saved");
        });
        assert!(
            out.trim_end().ends_with(
                "hearth::telemetry::tests: saved group=3 kind=database note=\"two words\""
            ),
            "{out}"
        );
    }

    #[test]
    fn the_filter_hides_what_it_is_asked_to() {
        let out = capture(LogFormat::Json, "warn", || {
            tracing::info!("not shown");
            tracing::warn!("shown");
        });
        assert!(!out.contains("not shown"));
        assert!(out.contains("shown"));
    }
}
