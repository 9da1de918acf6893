//! The WebSocket endpoint `/ws`: the upgrade (Origin check, size limits, small buffers) and the
//! connection task that decodes frames, applies the rate limit, passes requests to the room and
//! writes the room's frames back.
//!
//! One task per connection, one `select!` over: the close signal (shutdown, slow-consumer drop,
//! removal, end of session), the outbox, the socket, and the ping timer. Identity comes from this
//! task's own record of the seat it was given, never from fields in a message.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use super::device;
use crate::app::AppState;
use crate::auth::{FacilitatorIdentity, LiveGuard, client_key};
use crate::domain::{DeviceId, GroupId, ParticipantId, Pseudonym, Role};
use crate::protocol::{
    self, CLIENT_ID_MAX_BYTES, ClientMsg, ErrorCode, PROTOCOL_VERSION, ServerMsg,
};
use crate::room::actor::OUTBOX_CAPACITY;
use crate::room::{
    CloseReason, ConnectionControl, Frame, JoinError, JoinRequest, LeaveReason, RoomHandle, Seat,
};
use crate::secret::random_token;

/// Largest WebSocket message (and frame) a client may send. A chat message is at most 2,000
/// characters (up to 8 KiB of UTF-8, more once JSON-escaped); anything past this is hostile and
/// the connection is closed with 1009.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// tungstenite reserves its read buffer up front for every connection; its default (128 KiB)
/// would cost about 140 KiB per idle member. Members send a line at a time, so 1 KiB holds nearly
/// every message in one read, and larger frames are still assembled across reads. The 3 KiB it
/// saves per member (against 4 KiB) pays for the larger write buffer below.
pub const READ_BUFFER_BYTES: usize = 1024;

/// Frames are gathered up to this size before a write (a flush follows every batch anyway).
/// It trades memory for system calls. tungstenite's write buffer keeps the largest size it ever
/// grew to, so every idle member pays for their join burst (welcome, history, roster); a busy room
/// writes more frames per call with a larger buffer. Measured with `tests/load/scenarios/bench`
/// (idle KiB per member at 3,000 members; capacity as a ratio to the baseline): 16 KiB gave 20.4
/// KiB; 1 KiB 14.6 KiB but 0.64× capacity; 4 KiB (with the 4 KiB read buffer) 18.3 KiB and
/// 0.80×; 4 KiB with the 1 KiB read buffer 15.4 KiB and 1.00× (after the crisis check got
/// cheaper). See docs/benchmarks.md.
pub const WRITE_BUFFER_BYTES: usize = 4 * 1024;

/// Hard cap on bytes tungstenite may buffer for one connection. Outbox frames are bounded in
/// number; this bounds them in bytes too.
pub const MAX_WRITE_BUFFER_BYTES: usize = 1024 * 1024;

/// How long the server spends delivering what is queued and its Close frame before dropping the
/// TCP connection.
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
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
    let device = device::from_headers(&headers).map(|key| state.device_id(&key));
    // Who this is comes from the session cookie on the upgrade, never from a message field.
    let visitor = Visitor {
        ip: super::client_ip(peer, &headers, &state.config().trusted_proxies),
        facilitator: super::session::facilitator_from_headers(&state, &headers).await,
    };
    let tracker = state.tracker().clone();
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| tracker.track_future(serve(socket, state, device, visitor)))
}

/// Browsers send `Origin` on every WebSocket handshake and attach cookies to cross-site ones, so
/// a page on another site must not be able to open a socket here. Clients that send no Origin
/// (not browsers) cannot carry a victim's cookies and are allowed.
pub(super) fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
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

/// Who opened the connection: the client address (for counting bad invite codes, in memory only)
/// and the facilitator whose session cookie came with the upgrade, if any.
struct Visitor {
    ip: IpAddr,
    facilitator: Option<FacilitatorIdentity>,
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
    device: Option<DeviceId>,
    visitor: Visitor,
    /// Registered while a facilitator holds a seat, so signing out closes this connection.
    _live: Option<LiveGuard>,
    joined: Option<Joined>,
    chat_limiter: DefaultDirectRateLimiter,
    flood_limiter: DefaultDirectRateLimiter,
}

async fn serve(mut socket: WebSocket, state: AppState, device: Option<DeviceId>, visitor: Visitor) {
    let _gauge = state.metrics().connection_opened();
    let control = Arc::new(ConnectionControl::child_of(state.shutdown()));
    let (outbox, mut outbox_rx) = mpsc::channel(OUTBOX_CAPACITY);
    let ping_interval = state.config().ping_interval;
    let idle_timeout = state.config().idle_timeout;
    let mut connection = Connection {
        // One shared clock: building a fresh one per limiter calibrates the CPU's counter each
        // time, which cost about a fifth of the server's CPU during a join storm.
        chat_limiter: RateLimiter::direct_with_clock(
            chat_quota(state.config().rate_per_minute, state.config().rate_burst),
            state.rate_clock().clone(),
        ),
        flood_limiter: RateLimiter::direct_with_clock(
            flood_quota(state.config().rate_per_minute, state.config().rate_burst),
            state.rate_clock().clone(),
        ),
        state,
        control: Arc::clone(&control),
        outbox,
        device,
        visitor,
        _live: None,
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
                // The write is polled first so the frame taken from the outbox always reaches
                // tungstenite's buffer (and goes out before our Close) even when the room closes
                // us at the same moment: that frame is often the farewell ("you were removed").
                tokio::select! {
                    biased;
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
            _ => LeaveReason::Dropped,
        };
        joined
            .room
            .disconnected(joined.me, why, Arc::clone(&control))
            .await;
    }
    if let Some(reason) = close {
        close_handshake(&mut socket, &mut outbox_rx, reason).await;
    }
}

/// Delivers what is still queued (the farewell the room just sent: "the session has ended",
/// "you were removed"), then our Close frame, then waits for the client's Close, so the client
/// reads the code and reason before the TCP connection goes. Bounded by [`CLOSE_TIMEOUT`]; a
/// client too slow to read gets no farewell.
async fn close_handshake(
    socket: &mut WebSocket,
    outbox: &mut mpsc::Receiver<Frame>,
    reason: CloseReason,
) {
    let frame = CloseFrame {
        code: reason.code,
        reason: Utf8Bytes::from_static(reason.reason),
    };
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
        if reason != CloseReason::TOO_SLOW {
            while let Ok(queued) = outbox.try_recv() {
                if socket.feed(text_message(queued)).await.is_err() {
                    return;
                }
            }
        }
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

/// What a `join` asked for, once its fields are checked.
struct JoinAsk {
    invite: Option<String>,
    group: Option<GroupId>,
    pseudonym: Option<String>,
    accept_rules: bool,
    resume: Option<String>,
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
                resume,
            } => {
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
                            "This server speaks protocol version {PROTOCOL_VERSION}. Please \
                             reload the page."
                        ),
                    ));
                }
                let ask = JoinAsk {
                    invite,
                    group,
                    pseudonym,
                    accept_rules,
                    resume,
                };
                self.join(ask).await
            }
            ClientMsg::Leave {} if self.joined.is_none() => Flow::Close(CloseReason::LEFT),
            msg => self.forward(msg).await,
        }
    }

    /// Passes a seated participant's request to the room, after the checks that belong to the
    /// connection: a seat, the rate limit on written messages, the size of client ids.
    async fn forward(&mut self, msg: ClientMsg) -> Flow {
        let Some(joined) = &self.joined else {
            return self.reply(&ServerMsg::error(
                ErrorCode::NotJoined,
                "Join the room first.",
            ));
        };
        let written = match &msg {
            ClientMsg::Say { client_id, .. }
            | ClientMsg::ToFacilitators { client_id, .. }
            | ClientMsg::Reply { client_id, .. } => Some(client_id.clone()),
            _ => None,
        };
        if let Some(client_id) = written {
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
                return self.reply(&ServerMsg::rejected(
                    client_id,
                    ErrorCode::RateLimited,
                    "You're sending messages quickly. Please wait a moment and try again.",
                ));
            }
        }
        let leaving = matches!(msg, ClientMsg::Leave {});
        let (room, me) = (joined.room.clone(), joined.me);
        if room.client(me, msg).await.is_err() {
            // The room stopped under us: its session ended.
            self.joined = None;
            return self.reply(&ServerMsg::error(
                ErrorCode::SessionEnded,
                "This session has ended.",
            ));
        }
        if leaving {
            // The room has given up the seat and will close this connection after its farewell.
            self.joined = None;
        }
        Flow::Continue
    }

    async fn join(&mut self, ask: JoinAsk) -> Flow {
        let now = self.state.clock().now();
        let (group, invite) = match (&ask.invite, ask.group) {
            (Some(code), _) => {
                // Wrong codes are counted per client; past the limit, codes are not even looked up.
                let client = client_key(self.visitor.ip);
                let failures = self.state.auth().invite_failures();
                if failures.check(&client, now).is_err() {
                    return self.reply(&ServerMsg::error(
                        ErrorCode::TooManyAttempts,
                        "Too many invite codes that did not work. Please wait a few minutes and \
                         use the link your facilitator gave you.",
                    ));
                }
                match self.state.invites().resolve(code, now).await {
                    Ok(Some(invite)) => (invite.group, invite),
                    Ok(None) => {
                        failures.fail(&client, now);
                        return self.reply(&invite_invalid());
                    }
                    Err(_) => return self.reply(&internal_error()),
                }
            }
            (None, Some(group)) => return self.join_as_facilitator(group, ask).await,
            (None, None) => return self.reply(&invite_invalid()),
        };

        if let Some(token) = ask.resume.as_deref().filter(|t| !t.is_empty()) {
            match self
                .take_seat(group, Seating::Resume(token.to_owned()))
                .await
            {
                Ok(()) => return Flow::Continue,
                // A stale token is normal after the seat was given up; join afresh if we can.
                Err(JoinError::ResumeInvalid) if ask.pseudonym.is_some() => {}
                Err(refusal) => return self.refuse(&refusal),
            }
        }

        if !ask.accept_rules {
            return self.reply(&ServerMsg::error(
                ErrorCode::RulesNotAccepted,
                "Please read and accept the group's ground rules to join.",
            ));
        }
        let name = match Pseudonym::parse(ask.pseudonym.as_deref().unwrap_or_default()) {
            Ok(name) => name,
            Err(err) => {
                return self.reply(&ServerMsg::error(
                    ErrorCode::PseudonymInvalid,
                    err.to_string(),
                ));
            }
        };
        if let Some(device) = self.device {
            match self.state.store().is_banned(group, device).await {
                Ok(false) => {}
                Ok(true) => {
                    return self.reply(&ServerMsg::error(
                        ErrorCode::Banned,
                        "A facilitator has asked that you not rejoin this group.",
                    ));
                }
                Err(_) => return self.reply(&internal_error()),
            }
        }
        let request = JoinRequest {
            name,
            role: Role::Member,
            account: None,
            device: self.device,
            resume: random_token(),
        };
        // The use is claimed before the seat, in one statement, so an invite limited to N uses
        // admits N members even when more arrive at the same moment; a refused seat gives it back.
        match self.state.invites().claim_use(&invite).await {
            Ok(true) => {}
            Ok(false) => return self.reply(&invite_invalid()),
            Err(_) => return self.reply(&internal_error()),
        }
        match self.take_seat(group, Seating::New(request)).await {
            Ok(()) => Flow::Continue,
            Err(refusal) => {
                if self.state.invites().release_use(&invite).await.is_err() {
                    tracing::warn!("could not give back an invite use");
                }
                self.refuse(&refusal)
            }
        }
    }

    /// `join` with a group id: only for a signed-in facilitator of that group (or an operator),
    /// seated as a facilitator under the account's display name.
    async fn join_as_facilitator(&mut self, group: GroupId, ask: JoinAsk) -> Flow {
        let forbidden = |message: &str| ServerMsg::error(ErrorCode::Forbidden, message);
        let Some(who) = self.visitor.facilitator.clone() else {
            return self.reply(&forbidden(
                "Sign in as a facilitator of this group to join it without an invite.",
            ));
        };
        // Register before checking the session, so a logout between the two still closes us.
        let live = self
            .state
            .auth()
            .live()
            .register(who.session, Arc::clone(&self.control));
        let now = self.state.clock().now();
        match self.state.auth().may_facilitate(&who, group, now).await {
            Ok(true) => {}
            Ok(false) => {
                return self.reply(&forbidden(
                    "Only a facilitator of this group can join it without an invite.",
                ));
            }
            Err(_) => return self.reply(&internal_error()),
        }
        if let Some(token) = ask.resume.filter(|t| !t.is_empty()) {
            match self.take_seat(group, Seating::Resume(token)).await {
                Ok(()) => {
                    self._live = Some(live);
                    return Flow::Continue;
                }
                Err(JoinError::ResumeInvalid) => {}
                Err(refusal) => return self.refuse(&refusal),
            }
        }
        let Ok(name) = Pseudonym::parse_staff(&who.display_name) else {
            return self.reply(&internal_error());
        };
        let request = JoinRequest {
            name,
            role: Role::Facilitator,
            account: Some(who.account),
            device: self.device,
            resume: random_token(),
        };
        match self.take_seat(group, Seating::New(request)).await {
            Ok(()) => {
                self._live = Some(live);
                Flow::Continue
            }
            Err(refusal) => self.refuse(&refusal),
        }
    }

    /// Takes a seat in the group's room, starting the room if needed. A room task stops once its
    /// session ended or it stood empty; if that happened between lookup and join, try once more.
    async fn take_seat(&mut self, group: GroupId, seating: Seating) -> Result<(), JoinError> {
        for _attempt in 0..2 {
            let room = match self.state.room_for(group).await {
                Ok(room) => room,
                Err(refusal) => return Err(refusal),
            };
            let seat = Seat {
                outbox: self.outbox.clone(),
                control: Arc::clone(&self.control),
            };
            let answer = match &seating {
                Seating::New(request) => room.join(request.clone(), seat).await,
                Seating::Resume(token) => room.resume(token.clone(), seat).await,
            };
            match answer {
                Ok(Ok(me)) => {
                    self.joined = Some(Joined { room, me });
                    return Ok(());
                }
                Ok(Err(refusal)) => return Err(refusal),
                Err(_gone) => continue,
            }
        }
        Err(JoinError::Ended)
    }

    fn refuse(&self, refusal: &JoinError) -> Flow {
        self.reply(&ServerMsg::error(refusal.code(), refusal.to_string()))
    }

    /// Queues a frame for this connection only. Goes through the outbox so it is ordered with the
    /// room's frames; a full outbox means the client is not reading, and it is closed.
    fn reply(&self, msg: &ServerMsg) -> Flow {
        self.state.metrics().observe(msg);
        match self.outbox.try_send(Frame::new(msg.encode())) {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Close(CloseReason::TOO_SLOW),
        }
    }
}

/// How a connection takes its seat.
enum Seating {
    New(JoinRequest),
    Resume(String),
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
