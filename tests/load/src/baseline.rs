//! The bare baseline: the cheapest broadcast server a careful person would write on Hearth's own
//! stack, so that the difference between the two is Hearth's own work.
//!
//! Same stack and the same transport settings as Hearth: axum WebSocket (tungstenite 0.29),
//! `TCP_NODELAY` on accepted sockets, a 4 KiB read buffer, one task per room, bounded outboxes
//! offered with `try_send` (a full one drops the member), each broadcast serialized once, and
//! queued frames written with one flush per batch. It speaks the subset of the protocol the load
//! tool uses: `join` (the `invite` is simply the room's key) → `welcome`; `say` → `ack` to the
//! sender and `message` to everyone, with the same fields as Hearth's so the bytes on the wire
//! match. There is no filter, no moderation, no storage, no rate limit and no authorization.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use axum::Router;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::serve::ListenerExt;
use bytes::Bytes;
use futures_util::SinkExt;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

/// The same limits Hearth uses, so both servers do the same buffering work.
const READ_BUFFER_BYTES: usize = 4 * 1024;
const WRITE_BUFFER_BYTES: usize = 16 * 1024;
const MAX_MESSAGE_BYTES: usize = 16 * 1024;
const OUTBOX_CAPACITY: usize = 256;
const ROOM_INBOX_CAPACITY: usize = 256;
const MAX_FRAMES_PER_FLUSH: usize = 32;

/// Runs the baseline on `bind` until the process is killed. Prints `… listening on http://ADDR`
/// on stdout once bound, like Hearth, so the load tool finds the port the same way.
///
/// # Errors
/// If the address cannot be bound.
pub(crate) async fn serve(bind: SocketAddr) -> anyhow::Result<()> {
    let listener = TcpListener::bind(bind)
        .await
        .with_context(|| format!("listening on {bind}"))?;
    let addr = listener.local_addr()?;
    println!("Baseline is listening on http://{addr}");
    let rooms = Rooms::default();
    let app = Router::new().route("/ws", get(upgrade)).with_state(rooms);
    // Without TCP_NODELAY, small frames wait for ACKs (Nagle) and tail latency is ~40 ms.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await.context("serving")
}

/// Room tasks by key. A std mutex: it is never held across an `.await`.
#[derive(Clone, Default)]
struct Rooms(Arc<Mutex<HashMap<String, mpsc::Sender<Request>>>>);

impl Rooms {
    fn get_or_start(&self, key: &str) -> mpsc::Sender<Request> {
        let mut rooms = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(room) = rooms.get(key).filter(|room| !room.is_closed()) {
            return room.clone();
        }
        let (tx, rx) = mpsc::channel(ROOM_INBOX_CAPACITY);
        tokio::spawn(run_room(rx));
        rooms.insert(key.to_owned(), tx.clone());
        tx
    }
}

/// What a client may send (the subset the load tool uses; anything else is ignored).
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMsg {
    Join {
        invite: String,
        pseudonym: String,
    },
    Say {
        text: String,
        #[serde(default)]
        client_id: Option<String>,
    },
}

/// The participant fields of Hearth's `message`, so frames are the same size.
#[derive(Serialize)]
struct Participant<'a> {
    id: u32,
    name: &'a str,
    role: &'static str,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerMsg<'a> {
    Welcome {
        v: u32,
        you: Participant<'a>,
    },
    Ack {
        client_id: Option<&'a str>,
        id: u64,
        ts: u64,
    },
    Message {
        id: u64,
        from: Participant<'a>,
        text: &'a str,
        ts: u64,
    },
}

impl ServerMsg<'_> {
    fn encode(&self) -> Bytes {
        // Serializing these plain structs cannot fail.
        Bytes::from(serde_json::to_vec(self).unwrap_or_default())
    }
}

enum Request {
    Join {
        name: String,
        outbox: mpsc::Sender<Bytes>,
        reply: oneshot::Sender<u32>,
    },
    Say {
        from: u32,
        text: String,
        client_id: Option<String>,
    },
    Leave {
        who: u32,
    },
}

struct Member {
    id: u32,
    name: String,
    outbox: mpsc::Sender<Bytes>,
}

async fn run_room(mut inbox: mpsc::Receiver<Request>) {
    let mut members: Vec<Member> = Vec::new();
    let mut next_member = 1u32;
    let mut next_message = 1u64;
    while let Some(request) = inbox.recv().await {
        match request {
            Request::Join {
                name,
                outbox,
                reply,
            } => {
                let id = next_member;
                next_member += 1;
                let welcome = ServerMsg::Welcome {
                    v: 1,
                    you: Participant {
                        id,
                        name: &name,
                        role: "member",
                    },
                }
                .encode();
                if outbox.try_send(welcome).is_ok() && reply.send(id).is_ok() {
                    members.push(Member { id, name, outbox });
                }
            }
            Request::Say {
                from,
                text,
                client_id,
            } => {
                let Some(sender) = members.iter().find(|m| m.id == from) else {
                    continue;
                };
                let id = next_message;
                next_message += 1;
                let ts = unix_millis();
                let ack = ServerMsg::Ack {
                    client_id: client_id.as_deref(),
                    id,
                    ts,
                }
                .encode();
                let message = ServerMsg::Message {
                    id,
                    from: Participant {
                        id: from,
                        name: &sender.name,
                        role: "member",
                    },
                    text: &text,
                    ts,
                }
                .encode();
                let _ = sender.outbox.try_send(ack);
                // A member whose outbox is full cannot keep up: dropping its sender ends its
                // connection, and the room never waits.
                members.retain(|m| match m.outbox.try_send(message.clone()) {
                    Ok(()) => true,
                    Err(mpsc::error::TrySendError::Full(_)) => false,
                    Err(mpsc::error::TrySendError::Closed(_)) => false,
                });
            }
            Request::Leave { who } => members.retain(|m| m.id != who),
        }
    }
}

async fn upgrade(State(rooms): State<Rooms>, ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| connection(socket, rooms))
}

/// The frames for this connection, once it has a seat; pending forever before that.
async fn next_frame(outbox: &mut Option<mpsc::Receiver<Bytes>>) -> Option<Bytes> {
    match outbox {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn connection(mut socket: WebSocket, rooms: Rooms) {
    let mut outbox: Option<mpsc::Receiver<Bytes>> = None;
    let mut seat: Option<(mpsc::Sender<Request>, u32)> = None;
    loop {
        tokio::select! {
            frame = next_frame(&mut outbox) => {
                let Some(frame) = frame else {
                    // The room dropped us: we could not keep up.
                    let _ = socket
                        .send(Message::Close(Some(CloseFrame {
                            code: 4000,
                            reason: Utf8Bytes::from_static("connection too slow to keep up"),
                        })))
                        .await;
                    seat = None;
                    break;
                };
                let Some(rx) = outbox.as_mut() else { break };
                if write_batch(&mut socket, frame, rx).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_))) => continue,
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                };
                match serde_json::from_str::<ClientMsg>(&text) {
                    Ok(ClientMsg::Join { invite, pseudonym }) if seat.is_none() => {
                        let room = rooms.get_or_start(&invite);
                        let (tx, rx) = mpsc::channel(OUTBOX_CAPACITY);
                        let (reply, answer) = oneshot::channel();
                        let join = Request::Join { name: pseudonym, outbox: tx, reply };
                        if room.send(join).await.is_err() {
                            break;
                        }
                        let Ok(id) = answer.await else { break };
                        outbox = Some(rx);
                        seat = Some((room, id));
                    }
                    Ok(ClientMsg::Say { text, client_id }) => {
                        if let Some((room, id)) = &seat {
                            let say = Request::Say { from: *id, text, client_id };
                            if room.send(say).await.is_err() {
                                break;
                            }
                        }
                    }
                    Ok(ClientMsg::Join { .. }) | Err(_) => {}
                }
            }
        }
    }
    if let Some((room, who)) = seat {
        let _ = room.send(Request::Leave { who }).await;
    }
}

/// Writes `first` and whatever else is already queued (up to a batch), then flushes once.
async fn write_batch(
    socket: &mut WebSocket,
    first: Bytes,
    outbox: &mut mpsc::Receiver<Bytes>,
) -> Result<(), axum::Error> {
    socket.feed(text(first)).await?;
    for _ in 1..MAX_FRAMES_PER_FLUSH {
        match outbox.try_recv() {
            Ok(frame) => socket.feed(text(frame)).await?,
            Err(_) => break,
        }
    }
    socket.flush().await
}

fn text(frame: Bytes) -> Message {
    // Frames come from serde_json, which writes UTF-8.
    Message::Text(Utf8Bytes::try_from(frame).unwrap_or_default())
}

fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
