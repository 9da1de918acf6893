//! Live chat over real sockets: join, broadcast, scrollback, presence, limits, bad input,
//! back-pressure, Origin and shutdown.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::MaybeTlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

use crate::helpers::{Client, TestServer, WAIT, connect_with_origin};

/// A member who joins gets `welcome` with themselves, the group and the roster; the others are
/// told they arrived.
#[tokio::test]
async fn joining_gives_a_welcome_and_announces_presence() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let mut river = server.join(&invite, "River").await;

    let mut sky = server.connect().await;
    sky.send_join(&invite, "Sky").await;
    let welcome = sky.recv().await;
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(welcome["v"], 1);
    assert_eq!(welcome["you"]["name"], "Sky");
    assert_eq!(welcome["you"]["role"], "member");
    assert_eq!(welcome["group"]["name"], "Tuesday evening");
    assert_eq!(welcome["group"]["rules"], "Be kind.");
    let names: Vec<&str> = welcome["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["River", "Sky"]);

    let presence = river.recv().await;
    assert_eq!(presence["type"], "presence");
    assert_eq!(presence["event"], "joined");
    assert_eq!(presence["participant"]["name"], "Sky");
}

/// Every member receives every message, in the order the room assigned, with server ids and
/// timestamps; senders get an ack first.
#[tokio::test]
async fn broadcast_reaches_every_member_in_order() {
    let server = TestServer::start_with(|c| c.rate_burst = 50).await;
    let invite = server.invite().await;
    let mut a = server.join(&invite, "Ash").await;
    let mut b = server.join(&invite, "Birch").await;
    let mut c = server.join(&invite, "Cedar").await;
    a.recv_type("presence").await;
    a.recv_type("presence").await;
    b.recv_type("presence").await;

    for i in 0..10 {
        a.say(&format!("from ash {i}"), &format!("a{i}")).await;
        b.say(&format!("from birch {i}"), &format!("b{i}")).await;
    }
    let mut seen: Vec<Vec<(u64, String)>> = Vec::new();
    for client in [&mut a, &mut b, &mut c] {
        let mut got = Vec::new();
        while got.len() < 20 {
            let msg = client.recv().await;
            match msg["type"].as_str().unwrap() {
                "message" => {
                    assert!(msg["ts"].as_i64().unwrap() > 0);
                    got.push((
                        msg["id"].as_u64().unwrap(),
                        msg["text"].as_str().unwrap().to_owned(),
                    ));
                }
                "ack" => {}
                other => panic!("unexpected {other}: {msg}"),
            }
        }
        seen.push(got);
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[1], seen[2]);
    let ids: Vec<u64> = seen[0].iter().map(|(id, _)| *id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");
    // Each sender's own messages keep their sending order.
    let ash: Vec<&String> = seen[0]
        .iter()
        .map(|(_, t)| t)
        .filter(|t| t.starts_with("from ash"))
        .collect();
    assert_eq!(
        ash,
        (0..10)
            .map(|i| format!("from ash {i}"))
            .collect::<Vec<_>>()
            .iter()
            .collect::<Vec<_>>()
    );
}

/// The sender gets `ack` with its client id and the message id before the broadcast copy.
#[tokio::test]
async fn sender_gets_an_ack_with_its_client_id() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let mut river = server.join(&invite, "River").await;
    river.say("hello", "my-id-1").await;
    let ack = river.recv().await;
    assert_eq!(ack["type"], "ack");
    assert_eq!(ack["client_id"], "my-id-1");
    let message = river.recv().await;
    assert_eq!(message["type"], "message");
    assert_eq!(message["id"], ack["id"]);
    assert_eq!(message["from"]["name"], "River");
    assert!(
        message.get("client_id").is_none(),
        "client ids never reach others"
    );
}

/// Someone who joins late receives the session so far, oldest first.
#[tokio::test]
async fn late_joiner_receives_scrollback() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let mut river = server.join(&invite, "River").await;
    river.say("first", "1").await;
    river.say("second", "2").await;
    river.recv_text("second").await;

    let mut sky = server.connect().await;
    sky.send_join(&invite, "Sky").await;
    assert_eq!(sky.recv().await["type"], "welcome");
    let history = sky.recv().await;
    assert_eq!(history["type"], "history");
    let texts: Vec<&str> = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["first", "second"]);
}

/// Leaving (by message or by dropping the connection) is announced to the others.
#[tokio::test]
async fn leaving_and_disconnecting_are_announced() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let mut river = server.join(&invite, "River").await;
    let mut sky = server.join(&invite, "Sky").await;
    let mut stone = server.join(&invite, "Stone").await;
    river.recv_type("presence").await;
    river.recv_type("presence").await;

    sky.send(json!({"type": "leave"})).await;
    let left = river.recv_type("presence").await;
    assert_eq!(left["event"], "left");
    assert_eq!(left["participant"]["name"], "Sky");
    let frame = sky.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 1000);

    // A dropped connection keeps its seat for a while (to come back to): "away", not "left".
    stone.ws.close(None).await.unwrap();
    let away = river.recv_type("presence").await;
    assert_eq!(away["event"], "away");
    assert_eq!(away["participant"]["name"], "Stone");
}

/// Frames that are not valid requests get an `error` with a code and a sentence, and the
/// connection stays usable.
#[tokio::test]
async fn bad_input_gets_an_error_and_keeps_the_connection() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let mut client = server.connect().await;

    let cases: &[(&str, &str)] = &[
        ("this is not json", "bad_json"),
        ("[1, 2, 3]", "bad_json"),
        (r#"{"type": "dance"}"#, "unknown_type"),
        (r#"{"text": "no type"}"#, "unknown_type"),
        (r#"{"type": "say"}"#, "invalid_message"),
        (r#"{"type": "say", "text": 42}"#, "invalid_message"),
        (r#"{"type": "say", "text": "hi"}"#, "not_joined"),
        (
            r#"{"type": "join", "v": 2, "invite": "x", "pseudonym": "A", "accept_rules": true}"#,
            "unsupported_version",
        ),
        (
            r#"{"type": "join", "v": 1, "invite": "wrong", "pseudonym": "A", "accept_rules": true}"#,
            "invite_invalid",
        ),
        (
            r#"{"type": "join", "v": 1, "pseudonym": "A", "accept_rules": true}"#,
            "invite_invalid",
        ),
    ];
    for (frame, code) in cases {
        client.send_raw(frame).await;
        let reply = client.recv().await;
        assert_eq!(reply["type"], "error", "{frame} -> {reply}");
        assert_eq!(reply["code"], *code, "{frame} -> {reply}");
        assert!(
            reply["message"].as_str().unwrap().len() > 10,
            "a human sentence: {reply}"
        );
    }

    // Still connected: the join goes through now.
    client.send_join(&invite, "River").await;
    assert_eq!(client.recv().await["type"], "welcome");
    client.send_join(&invite, "River again").await;
    assert_eq!(client.recv().await["code"], "already_joined");
}

/// The ground rules must be accepted, and refused names get a sentence saying why; the member
/// can then try again on the same connection.
#[tokio::test]
async fn refused_joins_explain_why_and_allow_a_retry() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let _river = server.join(&invite, "River").await;
    let mut client = server.connect().await;

    client
        .send(json!({"type": "join", "v": 1, "invite": invite, "pseudonym": "Sky", "accept_rules": false}))
        .await;
    assert_eq!(client.recv().await["code"], "rules_not_accepted");

    for (name, code, says) in [
        ("", "pseudonym_invalid", "choose a name"),
        ("Facilitator", "pseudonym_invalid", "kept for staff"),
        ("admin", "pseudonym_invalid", "kept for staff"),
        ("Ri\u{200B}ver", "pseudonym_invalid", "invisible"),
        ("\u{202E}reviR", "pseudonym_invalid", "invisible"),
        (
            "a very long name that goes on and on",
            "pseudonym_invalid",
            "too long",
        ),
        ("river", "pseudonym_taken", "already uses that name"),
        ("Rіver", "pseudonym_taken", "already uses that name"), // Cyrillic і
    ] {
        client.send_join(&invite, name).await;
        let reply = client.recv().await;
        assert_eq!(reply["code"], code, "{name:?}: {reply}");
        assert!(
            reply["message"].as_str().unwrap().contains(says),
            "{name:?}: {reply}"
        );
    }
    client.send_join(&invite, "Sky").await;
    assert_eq!(client.recv().await["type"], "welcome");
}

/// A message role or sender claimed by the client is refused, never trusted.
#[tokio::test]
async fn claimed_roles_and_senders_are_refused() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let mut river = server.join(&invite, "River").await;
    let mut sky = server.join(&invite, "Sky").await;
    river.recv_type("presence").await;

    sky.send(json!({"type": "say", "text": "I am staff", "role": "facilitator"}))
        .await;
    assert_eq!(sky.recv().await["code"], "invalid_message");
    sky.send(json!({"type": "say", "text": "I am River", "from": {"id": 1, "name": "River"}}))
        .await;
    assert_eq!(sky.recv().await["code"], "invalid_message");

    sky.say("plain", "p").await;
    let message = river.recv_type("message").await;
    assert_eq!(message["text"], "plain");
    assert_eq!(message["from"]["name"], "Sky");
    assert_eq!(message["from"]["role"], "member");
}

/// Chat text over 2,000 characters is rejected with a reason; the connection stays open.
#[tokio::test]
async fn overlong_text_is_rejected_and_the_connection_kept() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let mut river = server.join(&invite, "River").await;
    river.say(&"a".repeat(2_001), "long").await;
    let reply = river.recv().await;
    assert_eq!(reply["type"], "rejected");
    assert_eq!(reply["client_id"], "long");
    assert_eq!(reply["code"], "text_invalid");
    assert!(reply["reason"].as_str().unwrap().contains("2,000"));
    river.say(&"a".repeat(2_000), "ok").await;
    assert_eq!(river.recv().await["type"], "ack");
}

/// A frame over 16 KiB closes the connection with 1009.
#[tokio::test]
async fn oversized_frame_closes_with_1009() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    client.send_raw(&"x".repeat(16 * 1024 + 1)).await;
    let frame = client.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 1009);
}

/// A frame of exactly 16 KiB is still read (and answered, here as bad JSON).
#[tokio::test]
async fn a_frame_of_exactly_16_kib_is_accepted() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    client.send_raw(&"x".repeat(16 * 1024)).await;
    assert_eq!(client.recv().await["code"], "bad_json");
}

/// Binary frames close with 1003; invalid UTF-8 in a text frame closes with 1007.
#[tokio::test]
async fn binary_and_invalid_utf8_frames_close_with_their_codes() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    client
        .ws
        .send(Message::binary(vec![1u8, 2, 3]))
        .await
        .unwrap();
    assert_eq!(u16::from(client.closed().await.unwrap().code), 1003);

    let mut client = server.connect().await;
    let frame = Frame::message(vec![0xff, 0xfe, 0x41], OpCode::Data(Data::Text), true);
    client.ws.send(Message::Frame(frame)).await.unwrap();
    assert_eq!(u16::from(client.closed().await.unwrap().code), 1007);
}

/// Past the burst, `say` is rejected as `rate_limited`; the connection stays open.
#[tokio::test]
async fn rate_limit_rejects_the_excess() {
    let server = TestServer::start_with(|c| {
        c.rate_burst = 5;
        c.rate_per_minute = 1;
    })
    .await;
    let invite = server.invite().await;
    let mut river = server.join(&invite, "River").await;
    for i in 0..6 {
        river.say(&format!("m{i}"), &format!("c{i}")).await;
    }
    let mut acks = 0;
    let mut limited = Vec::new();
    while acks + limited.len() < 6 {
        let msg = river.recv().await;
        match msg["type"].as_str().unwrap() {
            "ack" => acks += 1,
            "rejected" => {
                assert_eq!(msg["code"], "rate_limited");
                limited.push(msg["client_id"].as_str().unwrap().to_owned());
            }
            _ => {}
        }
    }
    assert_eq!(acks, 5);
    assert_eq!(limited, ["c5"]);
}

/// A client that floods far past the limit is disconnected with 1008.
#[tokio::test]
async fn flooding_closes_with_1008() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    for _ in 0..200 {
        if client.ws.send(Message::text("{}")).await.is_err() {
            break;
        }
    }
    let code = loop {
        match tokio::time::timeout(WAIT, client.ws.next()).await.unwrap() {
            Some(Ok(Message::Close(Some(frame)))) => break u16::from(frame.code),
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(code, 1008);
}

/// A group of capacity 2 seats two members; the third is told the room is full.
#[tokio::test]
async fn a_full_room_refuses_the_next_member() {
    let server = TestServer::start().await;
    let invite = server.invite_with_capacity(2).await;
    let _a = server.join(&invite, "Ash").await;
    let _b = server.join(&invite, "Birch").await;
    let mut c = server.connect().await;
    c.send_join(&invite, "Cedar").await;
    let reply = c.recv().await;
    assert_eq!(reply["code"], "room_full");
    assert!(reply["message"].as_str().unwrap().contains("full"));
}

/// A member who never reads is disconnected once their outbox fills, while ten others receive
/// every message, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_consumer_is_dropped_and_the_others_get_everything() {
    // The slow member's kernel buffers (a few MB at most), its outbox (256 frames) and
    // tungstenite's write buffer (1 MiB) must all fill: 1,000 messages of about 8 KB do that.
    const SENDERS: usize = 10;
    const PER_SENDER: usize = 100;
    let server = TestServer::start_with(|c| {
        c.rate_burst = 10_000;
        c.rate_per_minute = 1_000_000;
    })
    .await;
    let group = server.group("Busy", 15).await;
    let invite = server.invite_for(group).await;

    // The slow member's socket takes almost nothing into its kernel buffer and is never read.
    let slow_socket = tokio::net::TcpSocket::new_v4().unwrap();
    slow_socket.set_recv_buffer_size(4096).unwrap();
    let stream = slow_socket.connect(server.addr).await.unwrap();
    let (ws, _) = tokio_tungstenite::client_async(server.ws_url(), MaybeTlsStream::Plain(stream))
        .await
        .unwrap();
    let mut slow = Client { ws };
    slow.send_join(&invite, "Slow").await;
    assert_eq!(
        slow.recv().await["type"],
        "welcome",
        "read once, then never again"
    );

    let mut members = Vec::new();
    for i in 0..SENDERS {
        members.push(server.join(&invite, &format!("Member {i}")).await);
    }
    let payload = "🌿".repeat(1_990);
    // Each member sends its next message once the previous one is acked, reading everything in
    // between: healthy clients keep up, so only the member who never reads falls behind.
    let senders: Vec<_> = members
        .into_iter()
        .enumerate()
        .map(|(i, mut client)| {
            let payload = payload.clone();
            tokio::spawn(async move {
                let mut next_from: Vec<usize> = vec![0; SENDERS];
                let mut received = 0;
                let mut slow_left = false;
                let mut sent = 0;
                let mut awaiting_ack = false;
                while received < SENDERS * PER_SENDER || !slow_left {
                    if !awaiting_ack && sent < PER_SENDER {
                        client.say(&format!("{i}:{sent}:{payload}"), "c").await;
                        sent += 1;
                        awaiting_ack = true;
                    }
                    let value = client.recv().await;
                    match value["type"].as_str().unwrap() {
                        "ack" => awaiting_ack = false,
                        "message" => {
                            let text = value["text"].as_str().unwrap();
                            let mut parts = text.splitn(3, ':');
                            let from: usize = parts.next().unwrap().parse().unwrap();
                            let n: usize = parts.next().unwrap().parse().unwrap();
                            assert_eq!(n, next_from[from], "in order from sender {from}");
                            next_from[from] += 1;
                            received += 1;
                        }
                        "presence" if value["participant"]["name"] == "Slow" => {
                            // The seat is kept for a while, like any dropped connection.
                            assert_eq!(value["event"], "away");
                            slow_left = true;
                        }
                        "presence" => {}
                        other => panic!("unexpected {other}: {value}"),
                    }
                }
                (received, slow_left)
            })
        })
        .collect();
    for sender in senders {
        let (received, slow_left) = sender.await.unwrap();
        assert_eq!(received, SENDERS * PER_SENDER);
        assert!(slow_left, "everyone is told the slow member left");
    }

    // The slow member's stream ends: with Close 4000 if the close frame fits through its full
    // buffers in time, otherwise the server drops the TCP connection.
    if let Some(frame) = slow.closed().await {
        assert_eq!(u16::from(frame.code), 4000);
    }
}

/// A page from another origin cannot open a socket: 403 before the upgrade.
#[tokio::test]
async fn a_foreign_origin_gets_403() {
    let server = TestServer::start().await;
    assert_eq!(
        connect_with_origin(&server, "http://evil.example")
            .await
            .err(),
        Some(403)
    );
    let same = format!("http://{}", server.addr);
    assert!(connect_with_origin(&server, &same).await.is_ok());
}

/// A client that stops answering pings is closed with 4001 after the idle timeout, and the
/// room is told it is away.
#[tokio::test]
async fn a_silent_client_is_closed_after_the_idle_timeout() {
    let server = TestServer::start_with(|c| {
        c.ping_interval = Duration::from_millis(50);
        c.idle_timeout = Duration::from_millis(300);
    })
    .await;
    let invite = server.invite().await;
    let mut watcher = server.join(&invite, "Watcher").await;
    let mut silent = server.join(&invite, "Silent").await;
    // The watcher keeps reading (and so answers pings); the silent one reads nothing.
    let joined = watcher.recv_type("presence").await;
    assert_eq!(joined["event"], "joined");
    let away = watcher.recv_type("presence").await;
    assert_eq!(away["event"], "away");
    assert_eq!(away["participant"]["name"], "Silent");
    let frame = silent.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 4001);
}

/// On shutdown every socket gets Close 1001 and `run` returns within 5 seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_every_socket_with_1001_quickly() {
    let mut server = TestServer::start().await;
    let invite = server.invite().await;
    let mut clients = Vec::new();
    for i in 0..5 {
        clients.push(server.join(&invite, &format!("Member {i}")).await);
    }
    let mut unjoined = server.connect().await;

    let started = Instant::now();
    server.shutdown().await.expect("clean shutdown");
    assert!(started.elapsed() < Duration::from_secs(5));
    for client in clients.iter_mut().chain(std::iter::once(&mut unjoined)) {
        let frame = client.closed().await.expect("a close frame");
        assert_eq!(u16::from(frame.code), 1001);
    }
}

/// The invite preview shows the group's name and rules to someone holding a valid code, and a
/// clear error otherwise.
#[tokio::test]
async fn invite_preview_shows_rules_or_a_clear_error() {
    let server = TestServer::start().await;
    let invite = server.invite().await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/api/invites/preview", server.url()))
        .json(&json!({"code": invite}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["group"]["name"], "Tuesday evening");
    assert_eq!(body["group"]["rules"], "Be kind.");

    let response = http
        .post(format!("{}/api/invites/preview", server.url()))
        .json(&json!({"code": "not-a-code"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invite_invalid");
}

/// Pages carry the strict security headers.
#[tokio::test]
async fn pages_carry_security_headers() {
    let server = TestServer::start().await;
    let response = reqwest::get(format!("{}/join", server.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(
        headers["content-security-policy"],
        hearth::http::security::CONTENT_SECURITY_POLICY
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<script type=\"module\" src=\"/app.js\"></script>")
    );
    let health = reqwest::get(format!("{}/healthz", server.url()))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let ready = reqwest::get(format!("{}/readyz", server.url()))
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
}
