//! `hearth scan` as an operator runs it: JSON Lines in on stdin, one verdict per line out.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Runs `hearth scan` with `args` on `input` and returns its output lines as JSON.
fn scan(args: &[&str], input: &str) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("scan")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the hearth binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("hearth reads its input");
    let output = child.wait_with_output().expect("hearth scan finishes");
    assert!(output.status.success(), "hearth scan exits 0");
    String::from_utf8(output.stdout)
        .expect("output is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each output line is JSON"))
        .collect()
}

/// A member who sends a number in three pieces is stopped at the third; another member's numbers
/// and independent lines are not joined to it; a broken line gets an error line, not a crash.
#[test]
fn scan_reports_each_line_and_joins_only_one_senders_messages() {
    // Arrange
    let input = concat!(
        "{\"id\": 1, \"text\": \"if anyone wants to talk after\", \"sender\": \"m1\"}\n",
        "{\"id\": 2, \"text\": \"my cell is 312\", \"sender\": \"m1\"}\n",
        "{\"id\": 3, \"text\": \"555\", \"sender\": \"m1\"}\n",
        "{\"id\": 4, \"text\": \"I'm on day 12\", \"sender\": \"m2\"}\n",
        "{broken\n",
        "{\"id\": 5, \"text\": \"0147\", \"sender\": \"m1\"}\n",
        "{\"id\": 6, \"text\": \"email me: bram [at] example [dot] net\"}\n",
    );

    // Act
    let out = scan(&[], input);

    // Assert
    assert_eq!(out.len(), 7);
    let blocked: Vec<Value> = out.iter().map(|v| v["blocked"].clone()).collect();
    assert_eq!(blocked[..4], [false, false, false, false].map(Value::from));
    assert!(out[4]["error"].is_string());
    assert_eq!(out[5]["blocked"], true);
    assert_eq!(out[5]["kinds"], serde_json::json!(["phone"]));
    assert_eq!(out[6]["masked"], "email me: [email]");
}

/// `--explain` says which rule fired on which normalized text.
#[test]
fn scan_explain_shows_rule_and_normalized_text() {
    let out = scan(
        &["--explain"],
        "{\"id\": \"x\", \"text\": \"my number ４８０-５５５-０１２６\"}\n",
    );
    let explain = &out[0]["explain"][0];
    assert_eq!(explain["kind"], "phone");
    assert_eq!(explain["normalized"], "480-555-0126 => 4805550126");
}
