//! `hearth scan`: runs the contact filter over JSON Lines, for scoring and for operators who want
//! to see what the filter does to their own examples.
//!
//! Input, one object per line: `{"id": any, "text": "...", "sender": optional}`. Output, one line
//! per input line, in order, flushed per line: `{"id": ..., "blocked": bool, "kinds": [...],
//! "masked": "..."}`, plus `"explain"` with `--explain`, or `{"id": ..., "error": "..."}` for a line
//! that cannot be read. Lines with the same `sender` are consecutive messages of one member (the
//! split window applies, with a synthetic clock ten seconds per line); lines without are
//! independent.
//!
//! Depends on `filter` and `domain`, serde_json, and the reader/writer it is given; nothing else.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use serde::Serialize;
use serde_json::Value;

use crate::domain::Millis;
use crate::filter::{ContactKind, Context, Filter, RecentMessages};

/// Synthetic time between two input lines, so the window's age bound behaves as in a chat.
pub const SECONDS_PER_LINE: i64 = 10;

/// Reads messages from `input`, writes one verdict line per input line to `output`.
///
/// # Errors
/// Only I/O errors of `input` or `output`; a line that is not valid JSON (or not UTF-8, or has no
/// `text`) yields an output line with an `"error"` field instead.
pub fn run<R: BufRead, W: Write>(
    filter: &Filter,
    mut input: R,
    mut output: W,
    explain: bool,
) -> std::io::Result<()> {
    let mut windows: HashMap<String, RecentMessages> = HashMap::new();
    let mut raw = Vec::new();
    let mut line_number: i64 = 0;
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        line_number += 1;
        let now = Millis(line_number.saturating_mul(SECONDS_PER_LINE * 1000));
        let parsed = parse(&raw);
        let result = match &parsed {
            Ok(message) => scan_one(filter, &mut windows, message, now, explain),
            Err((id, error)) => Output::Error {
                id: id.clone(),
                error: error.clone(),
            },
        };
        serde_json::to_writer(&mut output, &result)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// One input message.
struct Message {
    id: Value,
    text: String,
    sender: Option<String>,
}

/// Parses one line; on failure returns the id (if one could be read) and a reason.
fn parse(raw: &[u8]) -> Result<Message, (Value, String)> {
    let line = std::str::from_utf8(raw)
        .map_err(|_| (Value::Null, "line is not valid UTF-8".to_owned()))?;
    let value: Value = serde_json::from_str(line.trim())
        .map_err(|e| (Value::Null, format!("invalid JSON: {e}")))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let text = match value.get("text") {
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err((id, "\"text\" must be a string".to_owned())),
        None => return Err((id, "missing \"text\"".to_owned())),
    };
    let sender = match value.get("sender") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    Ok(Message { id, text, sender })
}

/// One output line, fields in the documented order.
#[derive(Serialize)]
#[serde(untagged)]
enum Output<'a> {
    Verdict {
        id: &'a Value,
        blocked: bool,
        kinds: Vec<ContactKind>,
        masked: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        explain: Option<Vec<Explained<'a>>>,
    },
    Error {
        id: Value,
        error: String,
    },
}

/// One match under `--explain`.
#[derive(Serialize)]
struct Explained<'a> {
    kind: ContactKind,
    rule: &'static str,
    split: bool,
    span: [usize; 2],
    text: &'a str,
    normalized: String,
}

fn scan_one<'m>(
    filter: &Filter,
    windows: &mut HashMap<String, RecentMessages>,
    message: &'m Message,
    now: Millis,
    explain: bool,
) -> Output<'m> {
    let window = message
        .sender
        .as_ref()
        .map(|s| windows.entry(s.clone()).or_default());
    let ctx = Context {
        names: &[],
        recent: window.as_deref(),
        now,
    };
    let (verdict, explanations) = filter.explain(&message.text, &ctx);
    if let Some(window) = window {
        window.record(now, &message.text, &verdict);
    }
    let explain = explain.then(|| {
        explanations
            .into_iter()
            .map(|e| Explained {
                kind: e.matched.kind,
                rule: e.matched.rule,
                split: e.matched.split,
                span: [e.matched.span.start, e.matched.span.end],
                text: message.text.get(e.matched.span.clone()).unwrap_or_default(),
                normalized: e.normalized,
            })
            .collect()
    });
    Output::Verdict {
        id: &message.id,
        blocked: !verdict.is_clean(),
        kinds: verdict.kinds(),
        masked: verdict.masked,
        explain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::FilterConfig;
    use serde_json::json;

    fn scan(input: &str, explain: bool) -> Vec<Value> {
        let filter = Filter::new(FilterConfig::default());
        let mut out = Vec::new();
        run(&filter, input.as_bytes(), &mut out, explain).expect("in-memory I/O");
        String::from_utf8(out)
            .expect("utf-8 output")
            .lines()
            .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
            .collect()
    }

    #[test]
    fn one_output_line_per_input_line_in_order() {
        let input = concat!(
            "{\"id\": 1, \"text\": \"call me 720.555.0192\"}\n",
            "not json\n",
            "{\"id\": \"b\", \"text\": \"just listening tonight\"}\n",
            "{\"id\": [3], \"nope\": 1}\n",
            "\n",
        );
        let out = scan(input, false);
        assert_eq!(out.len(), 5);
        assert_eq!(out[0]["id"], 1);
        assert_eq!(out[0]["blocked"], true);
        assert_eq!(out[0]["kinds"], json!(["phone"]));
        assert_eq!(out[0]["masked"], "call me [phone]");
        assert!(out[1]["error"].is_string());
        assert_eq!(
            out[2],
            json!({"id": "b", "blocked": false, "kinds": [], "masked": "just listening tonight"})
        );
        assert_eq!(out[3]["id"], json!([3]));
        assert!(out[3]["error"].is_string());
        assert!(out[4]["error"].is_string());
    }

    #[test]
    fn output_fields_come_in_the_documented_order() {
        let filter = Filter::new(FilterConfig::default());
        let mut out = Vec::new();
        run(
            &filter,
            "{\"id\": 7, \"text\": \"hi\"}\n".as_bytes(),
            &mut out,
            false,
        )
        .expect("in-memory I/O");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "{\"id\":7,\"blocked\":false,\"kinds\":[],\"masked\":\"hi\"}\n"
        );
    }

    #[test]
    fn same_sender_lines_share_a_window() {
        let input = concat!(
            "{\"id\": 1, \"text\": \"my cell is 312\", \"sender\": \"a\"}\n",
            "{\"id\": 2, \"text\": \"555\", \"sender\": \"a\"}\n",
            "{\"id\": 3, \"text\": \"0147\", \"sender\": \"b\"}\n",
            "{\"id\": 4, \"text\": \"0147\", \"sender\": \"a\"}\n",
            "{\"id\": 5, \"text\": \"0147\"}\n",
        );
        let blocked: Vec<bool> = scan(input, false)
            .iter()
            .map(|v| v["blocked"] == true)
            .collect();
        assert_eq!(blocked, [false, false, false, true, false]);
    }

    #[test]
    fn explain_names_rule_and_normalized_text() {
        let out = scan(
            "{\"id\": 1, \"text\": \"kira dot sato at gmail dot com\"}\n",
            true,
        );
        let explain = &out[0]["explain"][0];
        assert_eq!(explain["kind"], "email");
        assert_eq!(explain["rule"], "email-dressed");
        assert_eq!(explain["text"], "kira dot sato at gmail dot com");
        assert_eq!(explain["normalized"], "kira.sato@gmail.com");
    }
}
