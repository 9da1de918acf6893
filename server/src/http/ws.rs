//! The WebSocket endpoint `/ws`: the upgrade (Origin check, size limits, small buffers) and the
//! connection task that decodes frames, applies the rate limit, passes requests to the room and
//! writes the room's frames back.
//!
//! One task per connection, one `select!` over: the close signal (shutdown, slow-consumer drop,
//! removal), the outbox, the socket, and the ping timer. Identity comes from this task's own
//! record of the seat it was given, never from fields in a message.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::app::AppState;
use crate::domain::{GroupId, ParticipantId, Pseudonym, Role};
use crate::protocol::{
    self, CLIENT_ID_MAX_BYTES, ClientMsg, ErrorCode, PROTOCOL_VERSION, ServerMsg,
};
use crate::room::actor::OUTBOX_CAPACITY;
use crate::room::{
    CloseReason, Command, ConnectionControl, Frame, JoinRequest, LeaveReason, RoomHandle,
    RoomSettings, Seat,
};

/// Largest WebSocket message (and frame) a client may send. A chat message is at most 2,000
/// characters (up to 8 KiB of UTF-8, more once JSON-escaped); anything past this is hostile and
/// the connection is closed with 1009.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// tungstenite reserves its read buffer up front for every connection; its default (128 KiB)
/// would cost about 140 KiB per idle member. Larger frames are still assembled across reads.
pub const READ_BUFFER_BYTES: usize = 4 * 1024;

/// Frames are gathered up to this size before a write; a flush follows every batch anyway.
pub const WRITE_BUFFER_BYTES: usize = 16 * 1024;

/// Hard cap on bytes tungstenite may buffer for one connection. Outbox frames are bounded in
/// number; this bounds them in bytes too.
pub const MAX_WRITE_BUFFER_BYTES: usize = 1024 * 1024;

/// How long the server waits to deliver its Close frame before dropping the TCP connection.
pub const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// Frames written per flush when the outbox has a backlog: one syscall for many frames.
const MAX_FRAMES_PER_FLUSH: usize = 32;

/// Frames of any kind a client may send per second, sustained, and in a burst (at least; four
/// times the chat limit when that is configured higher). Far above what a person types; a client
/// past it is flooding and is disconnected.
const FLOOD_PER_SECOND: u32 = 20;
const FLOOD_BURST: u32 = 60;

/// `GET /ws`: upgrades to a WebSocket after checking the Origin.
pub(super) async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(&headers, &state.config().allowed_origins) {
        return (
            StatusCode::FORBIDDEN,
            "This origin may not open a connection.",
        )
            .into_response();
    }
    let tracker = state.tracker().clone();
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| tracker.track_future(serve(socket, state)))
}

/// Browsers send `Origin` on every WebSocket handshake and attach cookies to cross-site ones, so
/// a page on another site must not be able to open a socket here. Clients that send no Origin
/// (not browsers) cannot carry a victim's cookies and are allowed.
fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim_end_matches('/');
    if !allowed.is_empty() {
        return allowed
            .iter()
            .any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin));
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    authority.is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// The seat this connection holds, once `join` succeeded.
struct Joined {
    room: RoomHandle,
    me: ParticipantId,
}

/// What the connection loop should do after handling a frame.
enum Flow {
    Continue,
    Close(CloseReason),
}

struct Connection {
    state: AppState,
    control: Arc<ConnectionControl>,
    outbox: mpsc::Sender<Frame>,
    joined: Option<Joined>,
    chat_limiter: DefaultDirectRateLimiter,
    flood_limiter: DefaultDirectRateLimiter,
}

async fn serve(mut socket: WebSocket, state: AppState) {
    let control = Arc::new(ConnectionControl::child_of(state.shutdown()));
    let (outbox, mut outbox_rx) = mpsc::channel(OUTBOX_CAPACITY);
    let ping_interval = state.config().ping_interval;
    let idle_timeout = state.config().idle_timeout;
    let mut connection = Connection {
        chat_limiter: RateLimiter::direct(chat_quota(
            state.config().rate_per_minute,
            state.config().rate_burst,
        )),
        flood_limiter: RateLimiter::direct(flood_quota(
            state.config().rate_per_minute,
            state.config().rate_burst,
        )),
        state,
        control: Arc::clone(&control),
        outbox,
        joined: None,
    };

    let mut ping = tokio::time::interval_at(Instant::now() + ping_interval, ping_interval);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_heard = Instant::now();

    let close = loop {
        tokio::select! {
            biased;
            () = control.closed() => break Some(control.reason()),
            Some(frame) = outbox_rx.recv() => {
                tokio::select! {
                    written = write_batch(&mut socket, frame, &mut outbox_rx) => {
                        if written.is_err() {
                            break None;
                        }
                    }
                    () = control.closed() => break Some(control.reason()),
                }
            }
            incoming = socket.recv() => {
                last_heard = Instant::now();
                match incoming {
                    None => break None,
                    Some(Err(err)) => break close_for_read_error(err),
                    Some(Ok(Message::Text(text))) => {
                        if let Flow::Close(reason) = connection.on_text(&text).await {
                            break Some(reason);
                        }
                    }
                    Some(Ok(Message::Binary(_))) => break Some(CloseReason {
                        code: 1003,
                        reason: "binary frames are not supported; send JSON text",
                    }),
                    // tungstenite answers pings itself; any frame proves the client is alive.
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_))) => break None,
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() >= idle_timeout {
                    break Some(CloseReason::IDLE);
                }
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break None;
                }
            }
        }
    };

    if let Some(joined) = connection.joined.take() {
        let why = match close {
            Some(CloseReason::TOO_SLOW) => LeaveReason::TooSlow,
            _ => LeaveReason::Left,
        };
        joined.room.leave(joined.me, why).await;
    }
    if let Some(reason) = close {
        close_handshake(&mut socket, reason).await;
    }
}

/// Sends our Close frame and waits for the client's, so the client reads the code and reason
/// before the TCP connection goes (dropping it at once can turn into a reset that hides them).
/// Bounded by [`CLOSE_TIMEOUT`]: a client that never reads does not hold the task.
async fn close_handshake(socket: &mut WebSocket, reason: CloseReason) {
    let frame = CloseFrame {
        code: reason.code,
        reason: Utf8Bytes::from_static(reason.reason),
    };
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
        if socket.send(Message::Close(Some(frame))).await.is_err() {
            return;
        }
        while let Some(Ok(msg)) = socket.recv().await {
            if matches!(msg, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

/// Writes `first` and whatever else is already waiting (up to a batch), then flushes once.
async fn write_batch(
    socket: &mut WebSocket,
    first: Frame,
    outbox: &mut mpsc::Receiver<Frame>,
) -> Result<(), axum::Error> {
    socket.feed(text_message(first)).await?;
    for _ in 1..MAX_FRAMES_PER_FLUSH {
        match outbox.try_recv() {
            Ok(frame) => socket.feed(text_message(frame)).await?,
            Err(_) => break,
        }
    }
    socket.flush().await
}

fn text_message(frame: Frame) -> Message {
    // `Frame` is built only from `String`, so this never falls back.
    Message::Text(Utf8Bytes::try_from(frame.into_bytes()).unwrap_or_default())
}

/// Maps a read error to the close code RFC 6455 gives it; `None` when the peer is simply gone.
fn close_for_read_error(err: axum::Error) -> Option<CloseReason> {
    let err = err.into_inner();
    let err = err.downcast_ref::<tungstenite::Error>()?;
    match err {
        tungstenite::Error::Capacity(_) => Some(CloseReason {
            code: 1009,
            reason: "message too big: at most 16 KiB",
        }),
        tungstenite::Error::Utf8(_) => Some(CloseReason {
            code: 1007,
            reason: "text frames must be valid UTF-8",
        }),
        tungstenite::Error::Protocol(_) => Some(CloseReason {
            code: 1002,
            reason: "WebSocket protocol error",
        }),
        _ => None,
    }
}

impl Connection {
    async fn on_text(&mut self, text: &str) -> Flow {
        if self.flood_limiter.check().is_err() {
            return Flow::Close(CloseReason::FLOODING);
        }
        let msg = match protocol::decode(text) {
            Ok(msg) => msg,
            Err(err) => return self.reply(&err.to_server_msg()),
        };
        match msg {
            ClientMsg::Join {
                v,
                invite,
                group,
                pseudonym,
                accept_rules,
                resume: _,
            } => self.join(v, invite, group, pseudonym, accept_rules).await,
            ClientMsg::Say { text, client_id } => self.say(text, client_id).await,
            ClientMsg::Leave {} => {
                if let Some(joined) = self.joined.take() {
                    joined.room.leave(joined.me, LeaveReason::Left).await;
                }
                Flow::Close(CloseReason {
                    code: 1000,
                    reason: "you left the room",
                })
            }
        }
    }

    async fn say(&mut self, text: String, client_id: Option<String>) -> Flow {
        let Some(joined) = &self.joined else {
            return self.reply(&ServerMsg::error(
                ErrorCode::NotJoined,
                "Join the room before sending messages.",
            ));
        };
        if client_id
            .as_ref()
            .is_some_and(|id| id.len() > CLIENT_ID_MAX_BYTES)
        {
            return self.reply(&ServerMsg::error(
                ErrorCode::InvalidMessage,
                "client_id is too long: at most 64 bytes.",
            ));
        }
        if self.chat_limiter.check().is_err() {
            return self.reply(&ServerMsg::Rejected {
                client_id,
                code: ErrorCode::RateLimited,
                reason: "You're sending messages quickly. Please wait a moment and try again."
                    .into(),
            });
        }
        let (room, me) = (joined.room.clone(), joined.me);
        if room
            .command(me, Command::Say { text, client_id })
            .await
            .is_err()
        {
            // The room stopped under us (only when it was empty, so never in practice).
            self.joined = None;
            return self.reply(&ServerMsg::error(
                ErrorCode::NotJoined,
                "The room closed. Please join again.",
            ));
        }
        Flow::Continue
    }

    async fn join(
        &mut self,
        v: u32,
        invite: Option<String>,
        group: Option<GroupId>,
        pseudonym: Option<String>,
        accept_rules: bool,
    ) -> Flow {
        if self.joined.is_some() {
            return self.reply(&ServerMsg::error(
                ErrorCode::AlreadyJoined,
                "You are already in the room.",
            ));
        }
        if v != PROTOCOL_VERSION {
            return self.reply(&ServerMsg::error(
                ErrorCode::UnsupportedVersion,
                format!(
                    "This server speaks protocol version {PROTOCOL_VERSION}. Please reload the page."
                ),
            ));
        }
        let now = self.state.clock().now();
        let invite = match (invite, group) {
            (Some(code), _) => match self.state.invites().resolve(&code, now).await {
                Ok(Some(invite)) => invite,
                Ok(None) => return self.reply(&invite_invalid()),
                Err(_) => return self.reply(&internal_error()),
            },
            (None, _) => return self.reply(&invite_invalid()),
        };
        if !accept_rules {
            return self.reply(&ServerMsg::error(
                ErrorCode::RulesNotAccepted,
                "Please read and accept the group's ground rules to join.",
            ));
        }
        let name = match Pseudonym::parse(pseudonym.as_deref().unwrap_or_default()) {
            Ok(name) => name,
            Err(err) => {
                return self.reply(&ServerMsg::error(
                    ErrorCode::PseudonymInvalid,
                    err.to_string(),
                ));
            }
        };
        let request = JoinRequest {
            name,
            role: Role::Member,
        };
        // A room task stops only after standing empty; if it stopped between lookup and join,
        // start a fresh one and try once more.
        for _attempt in 0..2 {
            let room = match self.room_for(invite.group).await {
                Ok(room) => room,
                Err(flow) => return flow,
            };
            let seat = Seat {
                outbox: self.outbox.clone(),
                control: Arc::clone(&self.control),
            };
            match room.join(request.clone(), seat).await {
                Ok(Ok(me)) => {
                    self.joined = Some(Joined { room, me });
                    if self.state.invites().record_use(&invite).await.is_err() {
                        tracing::warn!("could not count an invite use");
                    }
                    return Flow::Continue;
                }
                Ok(Err(refusal)) => {
                    return self.reply(&ServerMsg::error(refusal.code(), refusal.to_string()));
                }
                Err(_gone) => continue,
            }
        }
        self.reply(&internal_error())
    }

    /// The running room of `group`, started from the stored group if needed.
    async fn room_for(&self, group: GroupId) -> Result<RoomHandle, Flow> {
        if let Some(room) = self.state.registry().get(group) {
            return Ok(room);
        }
        let record = match self.state.store().group(group).await {
            Ok(Some(record)) => record,
            Ok(None) => return Err(self.reply(&invite_invalid())),
            Err(_) => return Err(self.reply(&internal_error())),
        };
        let config = self.state.config();
        let settings = RoomSettings {
            group: protocol::GroupView {
                id: record.id,
                name: record.name,
                rules: record.rules,
            },
            capacity: usize::from(record.capacity),
            limits: protocol::Limits {
                max_text_chars: crate::domain::MESSAGE_MAX_CHARS,
                burst: config.rate_burst,
                per_minute: config.rate_per_minute,
            },
        };
        Ok(self.state.registry().get_or_start(group, settings))
    }

    /// Queues a frame for this connection only. Goes through the outbox so it is ordered with the
    /// room's frames; a full outbox means the client is not reading, and it is closed.
    fn reply(&self, msg: &ServerMsg) -> Flow {
        match self.outbox.try_send(Frame::new(msg.encode())) {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Close(CloseReason::TOO_SLOW),
        }
    }
}

fn chat_quota(per_minute: u32, burst: u32) -> Quota {
    Quota::per_minute(nonzero(per_minute)).allow_burst(nonzero(burst))
}

fn flood_quota(chat_per_minute: u32, chat_burst: u32) -> Quota {
    let per_second = FLOOD_PER_SECOND.max(chat_per_minute.saturating_mul(4) / 60);
    let burst = FLOOD_BURST.max(chat_burst.saturating_mul(4));
    Quota::per_second(nonzero(per_second)).allow_burst(nonzero(burst))
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

fn invite_invalid() -> ServerMsg {
    ServerMsg::error(
        ErrorCode::InviteInvalid,
        "This invite link is not valid. It may have expired or been replaced; please ask your \
         facilitator for a new one.",
    )
}

fn internal_error() -> ServerMsg {
    ServerMsg::error(
        ErrorCode::Internal,
        "Something went wrong on the server. Nothing was done; please try again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        headers
    }

    #[test]
    fn same_origin_is_allowed_by_default() {
        assert!(origin_allowed(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            &[]
        ));
        assert!(origin_allowed(
            &headers(Some("https://Chat.Example.org"), "chat.example.org"),
            &[]
        ));
    }

    #[test]
    fn other_origins_are_refused_by_default() {
        for origin in [
            "http://evil.example",
            "http://127.0.0.1:9999",
            "null",
            "http://127.0.0.1:8080.evil.example",
        ] {
            assert!(
                !origin_allowed(&headers(Some(origin), "127.0.0.1:8080"), &[]),
                "{origin}"
            );
        }
    }

    #[test]
    fn configured_origins_replace_the_default() {
        let allowed = vec!["https://chat.example.org".to_owned()];
        assert!(origin_allowed(
            &headers(Some("https://chat.example.org"), "internal:8080"),
            &allowed
        ));
        assert!(!origin_allowed(
            &headers(Some("http://internal:8080"), "internal:8080"),
            &allowed
        ));
    }

    #[test]
    fn requests_without_origin_are_not_browsers_and_are_allowed() {
        assert!(origin_allowed(&headers(None, "127.0.0.1:8080"), &[]));
    }
}
