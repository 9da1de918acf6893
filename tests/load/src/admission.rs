//! Seating: getting every member of every room into the room through the real join flow, and
//! timing it (the join-storm scenario is this step alone, at a high arrival rate).
//!
//! Today a member opens a WebSocket, sends `join` with its room's invite, a pseudonym and
//! `accept_rules`, and is seated when `welcome` arrives (`history` and `presence` frames may
//! follow and are left for the member loop). Hearth starts a room on its first join, and the
//! tool seeds its groups to run by themselves (open, admitting, no facilitator needed), so nothing
//! has to happen per room first.
//!
//! Seating is one step with one entry point, [`seat_everyone`], so that it can grow the flow that
//! session phases (issue 5) bring: per room, a facilitator logs in (`POST /api/login`, session
//! cookie), joins with the group id, opens the session; members then join into the waiting room
//! and the facilitator admits them all. Those steps belong here, before and after the members'
//! joins, and the rest of the tool only ever sees seated members.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use hdrhistogram::Histogram;
use serde::Serialize;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::procfs;
use crate::server::ServerUnderTest;

/// A member's WebSocket.
pub(crate) type Ws = WebSocketStream<TcpStream>;

/// The tool's own read buffer per connection. tungstenite's default (128 KiB, allocated up front)
/// would cost the tool 1.3 GB at 10,000 members and skew the machine's memory and caches.
const CLIENT_READ_BUFFER_BYTES: usize = 8 * 1024;

/// How long one member may take from its turn to `welcome` before it counts as failed.
const JOIN_TIMEOUT: Duration = Duration::from_secs(30);

/// How seating proceeds.
#[derive(Debug, Clone)]
pub(crate) struct SeatingPlan {
    /// Members in all.
    pub(crate) members: u32,
    /// Members per room (the last room may have fewer).
    pub(crate) room_size: u32,
    /// Joins in flight at once (connect + handshake + join).
    pub(crate) concurrency: usize,
    /// Arrivals are spread evenly over this long; zero means all arrive at once.
    pub(crate) spread: Duration,
}

/// A member in its room, ready for the load phases.
#[derive(Debug)]
pub(crate) struct Seated {
    /// Index in the run (also its sender number).
    pub(crate) index: u32,
    /// Its room.
    pub(crate) room: u32,
    /// Its place in the room, from 0.
    pub(crate) position: u32,
    /// Its connection.
    pub(crate) ws: Ws,
    /// Bytes of its `welcome` frame.
    pub(crate) welcome_bytes: usize,
}

/// How seating went.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeatingReport {
    /// Members who tried.
    pub(crate) attempted: u32,
    /// Members who got `welcome`.
    pub(crate) seated: u32,
    /// Failures by reason.
    pub(crate) failures: BTreeMap<String, u64>,
    /// Seconds from the first arrival to the last `welcome`.
    pub(crate) all_in_secs: f64,
    /// Join latency from each member's scheduled arrival to its `welcome`, in ms.
    pub(crate) join_ms_p50: f64,
    /// 99th percentile of the same.
    pub(crate) join_ms_p99: f64,
    /// Highest of the same.
    pub(crate) join_ms_max: f64,
    /// Server CPU seconds spent while seating.
    pub(crate) server_cpu_secs: f64,
    /// Connections the kernel refused or dropped because a listen queue was full (machine-wide).
    pub(crate) listen_overflows: u64,
    /// Size of the largest `welcome` frame a member received, in bytes (it is the biggest frame
    /// of a join, and what a connection's write buffer grows to).
    pub(crate) welcome_bytes_max: usize,
}

/// The pseudonym of the member at `position` in its room: two plain words, distinct within a
/// room of up to 26 (Hearth refuses names that look alike, and digits in names would look like
/// contact details to the filter).
pub(crate) fn pseudonym(position: u32) -> String {
    const NAMES: [&str; 26] = [
        "Alder", "Birch", "Clover", "Dune", "Elm", "Flint", "Garnet", "Hazel", "Iris", "Jade",
        "Kestrel", "Linden", "Maple", "North", "Oak", "Poppy", "Quartz", "Rowan", "Sage", "Tansy",
        "Umbra", "Vale", "Wren", "Yew", "Zinnia", "Aspen",
    ];
    format!("Guest {}", NAMES[position as usize % NAMES.len()])
}

/// Seats every member: member `i` joins room `i / room_size` with that room's key. Returns the
/// seated members (in index order) and the report; members who failed are counted, not returned.
pub(crate) async fn seat_everyone(
    plan: &SeatingPlan,
    server: &ServerUnderTest,
) -> (Vec<Seated>, SeatingReport) {
    let cpu_before = server.cpu_seconds();
    let overflows_before = procfs::listen_overflows();
    let gate = Arc::new(Semaphore::new(plan.concurrency.max(1)));
    let start = Instant::now();
    let step = plan.spread / plan.members.max(1);
    let mut tasks = Vec::with_capacity(plan.members as usize);
    for index in 0..plan.members {
        let room = index / plan.room_size;
        let position = index % plan.room_size;
        let key = server.room_keys[room as usize].clone();
        let addr = server.addr;
        let gate = Arc::clone(&gate);
        let arrival = start + step * index;
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(arrival).await;
            let _permit = gate.acquire_owned().await;
            let joined =
                tokio::time::timeout(JOIN_TIMEOUT, join_member(addr, &key, &pseudonym(position)))
                    .await
                    .unwrap_or_else(|_| Err("timed out".to_owned()));
            let done = Instant::now();
            joined.map(|(ws, welcome_bytes)| {
                (
                    Seated {
                        index,
                        room,
                        position,
                        ws,
                        welcome_bytes,
                    },
                    done - arrival,
                    done - start,
                )
            })
        }));
    }

    let mut seated = Vec::with_capacity(tasks.len());
    let mut failures: BTreeMap<String, u64> = BTreeMap::new();
    let mut latency = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3)
        .unwrap_or_else(|_| unreachable!("constant, valid bounds"));
    let mut all_in = Duration::ZERO;
    for task in tasks {
        match task.await {
            Ok(Ok((member, join, since_start))) => {
                latency.saturating_record(join.as_micros() as u64);
                all_in = all_in.max(since_start);
                seated.push(member);
            }
            Ok(Err(reason)) => *failures.entry(reason).or_default() += 1,
            Err(_) => *failures.entry("join task panicked".to_owned()).or_default() += 1,
        }
    }
    let ms = |us: u64| us as f64 / 1000.0;
    let report = SeatingReport {
        attempted: plan.members,
        seated: seated.len() as u32,
        failures,
        all_in_secs: all_in.as_secs_f64(),
        join_ms_p50: ms(latency.value_at_quantile(0.5)),
        join_ms_p99: ms(latency.value_at_quantile(0.99)),
        join_ms_max: ms(latency.max()),
        server_cpu_secs: server.cpu_seconds() - cpu_before,
        listen_overflows: procfs::listen_overflows().saturating_sub(overflows_before),
        welcome_bytes_max: seated.iter().map(|m| m.welcome_bytes).max().unwrap_or(0),
    };
    (seated, report)
}

/// One member's join: TCP (no Nagle), WebSocket handshake with a small read buffer, `join`, and
/// wait for `welcome`. The error is a short reason used to count failures by kind.
async fn join_member(addr: SocketAddr, key: &str, name: &str) -> Result<(Ws, usize), String> {
    let tcp = TcpStream::connect(addr)
        .await
        .map_err(|err| format!("connect: {:?}", err.kind()))?;
    tcp.set_nodelay(true)
        .map_err(|err| format!("nodelay: {:?}", err.kind()))?;
    let config = WebSocketConfig::default().read_buffer_size(CLIENT_READ_BUFFER_BYTES);
    let (mut ws, _) =
        tokio_tungstenite::client_async_with_config(format!("ws://{addr}/ws"), tcp, Some(config))
            .await
            .map_err(|err| format!("handshake: {err}"))?;
    let join = serde_json::json!({
        "type": "join",
        "v": 1,
        "invite": key,
        "pseudonym": name,
        "accept_rules": true,
    });
    ws.send(Message::text(join.to_string()))
        .await
        .map_err(|err| format!("send join: {err}"))?;
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => {
                if text.starts_with(r#"{"type":"welcome""#) {
                    // Session phases (issue 5) seat members of a session nobody opened in the
                    // waiting room; until this step also opens and admits, say so plainly.
                    if text.contains(r#""status":"waiting""#) {
                        return Err(
                            "left in the waiting room: no facilitator opened the session \
                                    (the tool does not log facilitators in yet)"
                                .to_owned(),
                        );
                    }
                    return Ok((ws, text.len()));
                }
                if text.starts_with(r#"{"type":"error""#) {
                    let code = serde_json::from_str::<serde_json::Value>(&text)
                        .ok()
                        .and_then(|v| v["code"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    return Err(format!("refused: {code}"));
                }
            }
            Some(Ok(Message::Close(frame))) => {
                return Err(format!(
                    "closed: {}",
                    frame.map_or(0, |f| u16::from(f.code))
                ));
            }
            Some(Ok(_)) => {}
            Some(Err(err)) => return Err(format!("read: {err}")),
            None => return Err("closed without a close frame".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_in_a_room_are_distinct_and_digit_free() {
        let names: std::collections::BTreeSet<String> = (0..15).map(pseudonym).collect();
        assert_eq!(names.len(), 15);
        for name in &names {
            assert!(!name.bytes().any(|b| b.is_ascii_digit()), "{name}");
            assert!(name.chars().count() <= 32);
            hearth::domain::Pseudonym::parse(name).expect("Hearth accepts the name");
        }
    }
}
