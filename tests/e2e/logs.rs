//! Logs never hold what members wrote, their names, invite codes or addresses: a full session full
//! of canaries through the real binary, at the default level and at trace level for every target;
//! and a reading of every `tracing` call in the server's source for fields that would carry them.

use std::path::{Path, PathBuf};

use hearth::auth::{AccountInput, Auth};
use hearth::invites::Invites;
use hearth::secret::ServerSecret;
use hearth::store::{GroupSettings, NewGroup, Store};
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{Client, WAIT};
use crate::process::{Spawned, get, sample};

/// Strings that must never reach a log. Each is unusual enough that a hit cannot be chance.
const GROUP_NAME: &str = "Canarygroup Wexmoor";
const PSEUDONYM_A: &str = "Quorbly Wimsett";
const PSEUDONYM_B: &str = "Thessaly Vonkerlap";
const SAID: &str = "canary-said-lighthouse-7f3e";
const PRIVATE: &str = "canary-private-orchard-91ac";
const NOTE: &str = "canary-report-note-52bd";
const CRISIS: &str = "I want to kill myself canary-crisis-0c1d";
const BAD_NAME: &str = "canary-bad-name\u{202e}";
const ORIGIN: &str = "http://canary-origin.example";
const JUNK: &str = "canary-junk-frame-e4f0";
const ANNOUNCED: &str = "canary-announcement-bellwether-3a9c";
const REPLIED: &str = "canary-reply-marigold-6d12";
const FACILITATOR: &str = "Canaryfacil Ostrander";
const PASSWORD: &str = "canary-password-correct-horse";

/// Puts a group (named with a canary), an invite and a facilitator of the group into a fresh data
/// directory before the server starts, so the invite code is one the server never printed.
async fn prepare(data_dir: &Path) -> (String, i64) {
    let store = Store::open(data_dir).await.unwrap();
    let secret = ServerSecret::load_or_create(data_dir).unwrap();
    let now = hearth::domain::Millis(1);
    let group = store
        .create_group(
            &NewGroup {
                name: GROUP_NAME.into(),
                description: "canary description".into(),
                rules: "Be kind.".into(),
                capacity: 12,
                is_demo: false,
            },
            now,
        )
        .await
        .unwrap();
    // A room that runs by itself, so members talk without a facilitator admitting them.
    store
        .set_settings(group, &GroupSettings::demo())
        .await
        .unwrap();
    let code = Invites::new(store.clone(), secret)
        .create(group, now, None, None)
        .await
        .unwrap();
    let auth = Auth::new(store.clone()).unwrap();
    let account = auth
        .create_account(
            &AccountInput {
                username: "canaryfacil".into(),
                display_name: FACILITATOR.into(),
                password: PASSWORD.into(),
                is_admin: false,
            },
            now,
        )
        .await
        .unwrap();
    store.add_facilitator(group, account.id, now).await.unwrap();
    store.close().await;
    (code, group.0)
}

/// `{"<name>": value}`: a body with one field the preview does not know.
fn unknown_field(name: &str, value: &str) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    body.insert(name.to_owned(), value.into());
    body.into()
}

async fn connect(addr: &str, origin: Option<&str>) -> Result<Client, String> {
    let mut request = format!("ws://{addr}/ws").into_client_request().unwrap();
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
    }
    match tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(request))
        .await
        .expect("connect in time")
    {
        Ok((ws, _)) => Ok(Client { ws }),
        Err(err) => Err(err.to_string()),
    }
}

async fn join(addr: &str, code: &str, name: &str) -> Client {
    let mut client = connect(addr, None).await.unwrap();
    client
        .send(json!({"type": "join", "v": 1, "invite": code, "pseudonym": name, "accept_rules": true}))
        .await;
    client.recv_type("welcome").await;
    client
}

/// One session that touches every path where a canary could leak, then SIGTERM. Returns the
/// canaries, stdout and stderr.
async fn session(rust_log: Option<&str>) -> (Vec<String>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    let (code, group) = prepare(&data).await;
    let mut env = vec![
        ("HEARTH_BIND", "127.0.0.1:0"),
        ("HEARTH_METRICS_BIND", "127.0.0.1:0"),
        ("HEARTH_DATA_DIR", data.to_str().unwrap()),
    ];
    if let Some(filter) = rust_log {
        env.push(("RUST_LOG", filter));
    }
    let server = Spawned::start(dir.path(), &env).await;
    let addr = server.addr().to_owned();

    // The invite preview, with the real code and with a junk one.
    let client = reqwest::Client::new();
    // serde names an unknown field in its error, and axum logs rejections at trace level.
    for body in [
        json!({"code": code}),
        json!({"code": JUNK}),
        unknown_field(JUNK, &code),
    ] {
        tokio::time::timeout(
            WAIT,
            client
                .post(format!("{}/api/invites/preview", server.url))
                .json(&body)
                .send(),
        )
        .await
        .expect("an answer in time")
        .expect("an answer");
    }

    // A refused origin, a refused name, a junk frame.
    assert!(connect(&addr, Some(ORIGIN)).await.is_err());
    let mut stranger = connect(&addr, None).await.unwrap();
    stranger
        .send(json!({"type": "join", "v": 1, "invite": code, "pseudonym": BAD_NAME, "accept_rules": true}))
        .await;
    assert_eq!(stranger.recv_type("error").await["type"], "error");
    stranger.send_raw(JUNK).await;
    stranger.send(json!({"type": JUNK, "text": JUNK})).await;
    stranger
        .send(
            json!({"type": "join", "v": 1, "invite": JUNK, "pseudonym": "x", "accept_rules": true}),
        )
        .await;

    // The session: two members, messages, a crisis message, a private line, a reaction, a
    // report, hands, support, and leaving.
    let mut a = join(&addr, &code, PSEUDONYM_A).await;
    let mut b = join(&addr, &code, PSEUDONYM_B).await;
    a.say(SAID, "c1").await;
    let message = b.recv_text(SAID).await;
    let id = message["id"].clone();
    a.say(CRISIS, "c2").await;
    b.recv_text(CRISIS).await;
    a.send(json!({"type": "to_facilitators", "text": PRIVATE, "client_id": "c3"}))
        .await;
    a.recv_type("ack").await;
    b.send(json!({"type": "react", "message": id, "reaction": "heart", "on": true}))
        .await;
    b.send(json!({"type": "report", "message": id, "reason": "other", "note": NOTE}))
        .await;
    b.send(json!({"type": "hand", "up": true})).await;
    b.send(json!({"type": "support"})).await;
    for n in 0..8 {
        // Past the burst: some are refused with rate_limited.
        b.say(&format!("{SAID} {n}"), &format!("b{n}")).await;
    }
    b.recv_type("rejected").await;
    b.send(json!({"type": "leave"})).await;
    b.closed().await;
    drop(b);

    // A facilitator signs in and acts: announce, reply privately, mute, delete a message.
    let login = client
        .post(format!("{}/api/login", server.url))
        .json(&json!({"username": "canaryfacil", "password": PASSWORD}))
        .send()
        .await
        .expect("login answered");
    assert_eq!(login.status(), 200);
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let mut request = format!("ws://{addr}/ws").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Cookie", cookie.parse().unwrap());
    let (ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut facilitator = Client { ws };
    facilitator
        .send(json!({"type": "join", "v": 1, "group": group}))
        .await;
    let welcome = facilitator.recv_type("welcome").await;
    let member = welcome["roster"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == PSEUDONYM_A)
        .map(|p| p["id"].clone())
        .expect("the member is present");
    facilitator
        .send(json!({"type": "announce", "text": ANNOUNCED}))
        .await;
    facilitator
        .send(json!({"type": "reply", "to": member, "text": REPLIED}))
        .await;
    facilitator
        .send(json!({"type": "mute", "participant": member, "minutes": 5, "reason": "other"}))
        .await;
    facilitator
        .send(json!({"type": "delete", "message": id, "reason": "other"}))
        .await;
    a.recv_type("deleted").await;
    let (_, metrics) = get(server.metrics_url.as_deref().unwrap()).await;
    // The room's counts reached the metrics (all requests above were handled before `b` left).
    for (series, at_least) in [
        ("hearth_alerts_total{kind=\"crisis\"}", 1.0),
        ("hearth_alerts_total{kind=\"report\"}", 1.0),
        ("hearth_alerts_total{kind=\"support\"}", 1.0),
        (
            "hearth_messages_rejected_total{reason=\"rate_limited\"}",
            1.0,
        ),
        ("hearth_messages_accepted_total", 8.0),
    ] {
        assert!(
            sample(&metrics, series) >= at_least,
            "{series} in\n{metrics}"
        );
    }

    // Read until the server closes them, so shutdown's close handshakes complete at once.
    let readers = [a, stranger, facilitator]
        .map(|mut client| tokio::spawn(async move { client.closed().await }));
    let stopped = server.terminate().await;
    for reader in readers {
        reader.await.unwrap();
    }
    assert!(stopped.status.success());
    let mut canaries: Vec<String> = [
        GROUP_NAME,
        PSEUDONYM_A,
        PSEUDONYM_B,
        SAID,
        PRIVATE,
        NOTE,
        CRISIS,
        BAD_NAME,
        ORIGIN,
        JUNK,
        ANNOUNCED,
        REPLIED,
        FACILITATOR,
        PASSWORD,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // Words of the canaries, in case a value is logged in part or escaped differently.
    canaries.extend(
        [
            "Canarygroup",
            "Canaryfacil",
            "Quorbly",
            "Thessaly",
            "canary-",
        ]
        .map(str::to_owned),
    );
    canaries.push(code);
    assert!(
        !canaries
            .iter()
            .any(|canary| metrics.contains(canary.as_str())),
        "a canary in the metrics:\n{metrics}"
    );
    (canaries, stopped.stdout, stopped.stderr)
}

fn assert_clean(canaries: &[String], stdout: &str, stderr: &str) {
    for canary in canaries {
        assert!(
            !stderr.contains(canary.as_str()),
            "{canary:?} in stderr:\n{stderr}"
        );
        assert!(
            !stdout.contains(canary.as_str()),
            "{canary:?} in stdout:\n{stdout}"
        );
    }
    // Every client connected from 127.0.0.1; no address may be logged.
    assert!(
        !stderr.contains("127.0.0.1"),
        "an address in stderr:\n{stderr}"
    );
    for line in stderr.lines() {
        let event: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not one JSON event: {line}"));
        assert!(event["message"].is_string(), "{line}");
    }
    // stdout holds the documented start-up lines and nothing else: the address, the metrics
    // address and, on a server without accounts, the one-time setup link.
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.len() == 2 || lines.len() == 4, "{stdout}");
    assert!(lines[0].starts_with("Hearth is listening on "));
    assert!(lines[1].starts_with("Metrics are served on "));
    if lines.len() == 4 {
        assert!(lines[2].starts_with("No account yet."), "{stdout}");
        assert!(lines[3].contains("/setup#"), "{stdout}");
        // The setup token is a secret too: never in the log.
        let token = lines[3].rsplit('#').next().unwrap_or_default();
        assert!(!token.is_empty() && !stderr.contains(token), "{stderr}");
    }
}

#[tokio::test]
async fn a_session_full_of_canaries_leaves_none_in_the_logs_at_the_default_level() {
    let (canaries, stdout, stderr) = session(None).await;
    assert_clean(&canaries, &stdout, &stderr);
    assert!(stderr.contains("SIGTERM received"), "{stderr}");
}

#[tokio::test]
async fn a_session_full_of_canaries_leaves_none_in_the_logs_even_at_trace_for_every_target() {
    let (canaries, stdout, stderr) = session(Some(
        "trace,tungstenite=trace,tokio_tungstenite=trace,axum=trace,axum::rejection=trace,\
         hyper=trace,hyper_util=trace,sqlx=trace,tower=trace,tower_http=trace,mio=trace,\
         tokio=trace,governor=trace,hearth=trace",
    ))
    .await;
    assert_clean(&canaries, &stdout, &stderr);
    // Trace really was on: the server's own events at all levels got through.
    assert!(stderr.contains("SIGTERM received"), "{stderr}");
}

/// Field names that would carry what must not be logged. A `tracing` call in the server that
/// names a field (or formats a variable) like this fails the test below.
const FORBIDDEN: &[&str] = &[
    "text",
    "pseudonym",
    "name",
    "code",
    "invite",
    "ip",
    "addr",
    "address",
    "peer",
    "remote",
    "token",
    "password",
    "note",
    "body",
    "message_text",
    "resume",
    "secret",
    "cookie",
    "device",
    "client_ip",
    "origin",
    "host",
    "query",
    "sql",
];

const MACROS: &[&str] = &[
    "trace!",
    "debug!",
    "info!",
    "warn!",
    "error!",
    "event!",
    "trace_span!",
    "debug_span!",
    "info_span!",
    "warn_span!",
    "error_span!",
    "span!",
];

/// The arguments of every `tracing` macro call in `source` (the text between its parentheses).
fn tracing_calls(source: &str) -> Vec<String> {
    let mut calls = Vec::new();
    for (start, _) in source.match_indices('!') {
        let before = &source[..=start];
        let Some(name) = MACROS.iter().find(|m| before.ends_with(*m)) else {
            continue;
        };
        // `foo_info!` or `myinfo!` are other macros; `tracing::info!` and `info!` are ours.
        let prefix = &before[..before.len() - name.len()];
        if prefix.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = source[start + 1..].trim_start();
        if !rest.starts_with('(') {
            continue;
        }
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut end = None;
        for (i, c) in rest.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        if let Some(end) = end {
            calls.push(rest[1..end].to_owned());
        }
    }
    calls
}

/// Splits macro arguments at top-level commas.
fn arguments(call: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for c in call.chars() {
        if in_string {
            current.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_owned());
    }
    parts
}

/// The names a call logs: field names (`name = …`, `%name`, `?name`, a bare `name`), variables
/// captured in the format string (`{name}`), and plain variables passed as format arguments.
fn logged_names(call: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut seen_format = false;
    for argument in arguments(call) {
        if argument.starts_with("target:") || argument.starts_with("parent:") {
            continue;
        }
        if argument.starts_with('"') {
            seen_format = true;
            let mut rest = argument.as_str();
            while let Some(open) = rest.find('{') {
                let inner = &rest[open + 1..];
                let Some(close) = inner.find('}') else { break };
                let captured = inner[..close].split(':').next().unwrap_or_default();
                if !captured.is_empty() && !captured.starts_with('{') {
                    names.push(captured.to_owned());
                }
                rest = &inner[close + 1..];
            }
            continue;
        }
        let field = match argument.split_once('=') {
            Some((left, right)) if !right.starts_with('=') && !left.ends_with(['!', '<', '>']) => {
                left.trim()
            }
            _ if seen_format => argument.trim_start_matches(['%', '?', '&']),
            _ => argument.trim_start_matches(['%', '?']),
        };
        let field = field.trim_start_matches(['%', '?']);
        if field
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            names.extend(field.split('.').map(str::to_owned));
        }
    }
    names
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_field_reader_finds_forbidden_names_in_every_form() {
    let source = r#"
        tracing::info!(pseudonym = %who, "joined");
        info!(group = 1, ?text, "said");
        tracing::warn!("refused {code}");
        tracing::error!("from {}", addr);
        tracing::debug!(peer.ip = 3);
        let x = my_info!(name = 1);
        tracing::info!(group = group.0, reason = reason.code(), "fine");
    "#;
    let names: Vec<Vec<String>> = tracing_calls(source)
        .iter()
        .map(|c| logged_names(c))
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names[0].contains(&"pseudonym".to_owned()));
    assert!(names[1].contains(&"text".to_owned()));
    assert!(names[2].contains(&"code".to_owned()));
    assert!(names[3].contains(&"addr".to_owned()));
    assert!(names[4].contains(&"ip".to_owned()));
    assert_eq!(names[5], ["group", "reason"]);
}

#[test]
fn no_tracing_call_in_the_server_logs_text_names_codes_or_addresses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut calls = 0;
    let mut offenders = Vec::new();
    for file in files {
        // Test code may log anything it likes (the telemetry tests log canaries on purpose).
        if file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        let source = source.split("#[cfg(test)]").next().unwrap_or_default();
        for call in tracing_calls(source) {
            calls += 1;
            for name in logged_names(&call) {
                if FORBIDDEN.contains(&name.to_lowercase().as_str()) {
                    offenders.push(format!("{}: `{name}` in ({call})", file.display()));
                }
            }
        }
    }
    assert!(calls >= 8, "the reader found only {calls} tracing calls");
    assert!(
        offenders.is_empty(),
        "forbidden log fields:\n{}",
        offenders.join("\n")
    );
}
