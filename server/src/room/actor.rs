//! The room task: one tokio task per live room, owning its [`Room`] and carrying out what it says.
//!
//! Connections talk to the task through a [`RoomHandle`] (a bounded `mpsc` sender). The task
//! serializes each outgoing message once and hands the same bytes to every recipient's bounded
//! outbox with `try_send`, so a slow client never stalls the room: when a participant's outbox is
//! full their connection is closed (4000), their seat is kept for a while like any dropped
//! connection, and everyone else carries on. The task also sleeps until the room's next timed
//! event (session start, closing notice, end, mute expiry) and hands persistence (audit events,
//! bans, session summaries) to a [`RoomObserver`] so the room never waits on the database.
//!
//! Depends on the pure `room::state`, tokio and tokio-util; must not depend on axum or the store.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::state::{
    Audience, AuditEvent, CloseWhy, JoinError, JoinRequest, LeaveReason, Outgoing, Room,
    SessionSummary,
};
use crate::clock::Clock;
use crate::domain::{AccountId, DeviceId, GroupId, Millis, ParticipantId};
use crate::protocol::{ClientMsg, Reason, ServerMsg};

/// Requests waiting for a room task. Connections wait (rather than fail) when it is full, and
/// each connection is rate-limited, so this bounds memory without dropping requests.
pub const ROOM_INBOX_CAPACITY: usize = 256;

/// Frames waiting to be written to one connection. A healthy client drains this within
/// milliseconds; one that lets it fill is too slow to keep up and is disconnected. Sized for a
/// full scrollback after `welcome` (about 50 frames) with room to spare.
pub const OUTBOX_CAPACITY: usize = 256;

/// A frame ready to write: one JSON text, serialized once and shared by every recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame(Bytes);

impl Frame {
    /// Wraps an encoded JSON message. Only ever built from a `String`, so it is valid UTF-8.
    pub fn new(json: String) -> Frame {
        Frame(Bytes::from(json))
    }

    /// The bytes (valid UTF-8).
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Built only from `String` in `Frame::new`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Why the server closes a connection: a WebSocket close code and a short reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseReason {
    /// WebSocket close code.
    pub code: u16,
    /// Reason sent in the Close frame (at most 123 bytes).
    pub reason: &'static str,
}

impl CloseReason {
    /// The member left.
    pub const LEFT: CloseReason = CloseReason {
        code: 1000,
        reason: "you left the room",
    };
    /// The server is shutting down (RFC 6455 "going away").
    pub const SHUTDOWN: CloseReason = CloseReason {
        code: 1001,
        reason: "server shutting down",
    };
    /// The client sent far more than the rate limit allows.
    pub const FLOODING: CloseReason = CloseReason {
        code: 1008,
        reason: "too many messages",
    };
    /// The client did not read its messages fast enough.
    pub const TOO_SLOW: CloseReason = CloseReason {
        code: 4000,
        reason: "connection too slow to keep up",
    };
    /// Nothing heard from the client for too long.
    pub const IDLE: CloseReason = CloseReason {
        code: 4001,
        reason: "no response from client",
    };
    /// A facilitator removed the member from this session.
    pub const REMOVED: CloseReason = CloseReason {
        code: 4002,
        reason: "removed from this session by a facilitator",
    };
    /// A facilitator banned the member from the group.
    pub const BANNED: CloseReason = CloseReason {
        code: 4003,
        reason: "banned from this group by a facilitator",
    };
    /// The session ended.
    pub const ENDED: CloseReason = CloseReason {
        code: 4004,
        reason: "the session has ended",
    };
    /// The facilitator's login session was revoked (logout, or account disabled).
    pub const SIGNED_OUT: CloseReason = CloseReason {
        code: 4005,
        reason: "signed out",
    };
    /// The seat was taken over by a newer connection (another tab, a reconnect).
    pub const REPLACED: CloseReason = CloseReason {
        code: 4006,
        reason: "opened in another tab",
    };

    fn for_room(why: CloseWhy) -> CloseReason {
        match why {
            CloseWhy::Left => CloseReason::LEFT,
            CloseWhy::Removed => CloseReason::REMOVED,
            CloseWhy::Banned => CloseReason::BANNED,
            CloseWhy::Ended => CloseReason::ENDED,
        }
    }
}

/// Lets the room (or the server) tell one connection to close, with a reason, even when its
/// outbox is full.
#[derive(Debug)]
pub struct ConnectionControl {
    cancel: CancellationToken,
    reason: OnceLock<CloseReason>,
}

impl ConnectionControl {
    /// A control that is also cancelled when `parent` is (server shutdown).
    pub fn child_of(parent: &CancellationToken) -> ConnectionControl {
        ConnectionControl {
            cancel: parent.child_token(),
            reason: OnceLock::new(),
        }
    }

    /// Asks the connection to close with `reason`. The first reason given wins.
    pub fn close(&self, reason: CloseReason) {
        let _ = self.reason.set(reason);
        self.cancel.cancel();
    }

    /// Resolves when the connection has been asked to close.
    pub async fn closed(&self) {
        self.cancel.cancelled().await;
    }

    /// True once the connection has been asked to close.
    pub fn is_closed(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Why the connection was asked to close; shutdown when the parent was cancelled.
    pub fn reason(&self) -> CloseReason {
        self.reason.get().copied().unwrap_or(CloseReason::SHUTDOWN)
    }
}

/// What the room needs to reach one participant's connection.
#[derive(Debug, Clone)]
pub struct Seat {
    /// Where frames for this participant go.
    pub outbox: mpsc::Sender<Frame>,
    /// How to close this participant's connection.
    pub control: Arc<ConnectionControl>,
}

/// Where a room sends what must outlive it or be written down. Implementations must not block:
/// the room task calls these inline (the app's implementation spawns the database writes).
pub trait RoomObserver: Send + Sync + 'static {
    /// A facilitator acted (or the schedule did): record it.
    fn audit(&self, group: GroupId, event: AuditEvent);
    /// Refuse this browser in this group from now on.
    fn ban(
        &self,
        group: GroupId,
        device: DeviceId,
        by: Option<AccountId>,
        reason: Reason,
        at: Millis,
    );
    /// The session ended: keep its counts.
    fn session_ended(&self, group: GroupId, summary: SessionSummary);
    /// A participant's outbox filled and their connection was closed.
    fn dropped_slow_participant(&self, _group: GroupId) {}
    /// A message is about to be delivered (once per message, not per recipient): metrics count
    /// acks, rejections and alerts. Must be cheap; it runs on every message.
    fn outgoing(&self, _msg: &ServerMsg) {}
    /// Participants with a live connection in this room went up or down by `delta`; when the
    /// task stops it reports everyone still seated as gone.
    fn present_changed(&self, _delta: i64) {}
    /// A participant's request was handled and every frame it caused queued, in `elapsed`.
    fn handled(&self, _elapsed: Duration) {}
}

/// The room task stopped (it was idle and empty, or its session ended); get a fresh handle from
/// the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the room is no longer running")]
pub struct RoomGone;

enum Request {
    Join {
        request: JoinRequest,
        seat: Seat,
        reply: oneshot::Sender<Result<ParticipantId, JoinError>>,
    },
    Resume {
        token: String,
        seat: Seat,
        reply: oneshot::Sender<Result<ParticipantId, JoinError>>,
    },
    Client {
        from: ParticipantId,
        msg: ClientMsg,
    },
    Disconnected {
        who: ParticipantId,
        why: LeaveReason,
        control: Arc<ConnectionControl>,
    },
    Forgive {
        device: DeviceId,
    },
}

/// A cheap, cloneable way to talk to a room task.
#[derive(Debug, Clone)]
pub struct RoomHandle {
    tx: mpsc::Sender<Request>,
    /// Tells room tasks apart without holding a sender (which would keep the inbox open).
    instance: u64,
    /// Set the moment the session ends, before its farewells go out, so nobody is seated in a
    /// room that is about to stop: the registry starts a fresh one instead.
    ended: Arc<AtomicBool>,
}

static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Request::Join { .. } => "Join",
            Request::Resume { .. } => "Resume",
            Request::Client { .. } => "Client",
            Request::Disconnected { .. } => "Disconnected",
            Request::Forgive { .. } => "Forgive",
        })
    }
}

impl RoomHandle {
    /// Asks for a seat. The outer error means the room stopped; the inner one that it refused.
    ///
    /// # Errors
    /// [`RoomGone`] if the room task has stopped.
    pub async fn join(
        &self,
        request: JoinRequest,
        seat: Seat,
    ) -> Result<Result<ParticipantId, JoinError>, RoomGone> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Join {
            request,
            seat,
            reply,
        })
        .await?;
        answer.await.map_err(|_| RoomGone)
    }

    /// Asks for the seat that carries `token` back.
    ///
    /// # Errors
    /// [`RoomGone`] if the room task has stopped.
    pub async fn resume(
        &self,
        token: String,
        seat: Seat,
    ) -> Result<Result<ParticipantId, JoinError>, RoomGone> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Resume { token, seat, reply }).await?;
        answer.await.map_err(|_| RoomGone)
    }

    /// Passes a participant's request to the room.
    ///
    /// # Errors
    /// [`RoomGone`] if the room task has stopped.
    pub async fn client(&self, from: ParticipantId, msg: ClientMsg) -> Result<(), RoomGone> {
        self.send(Request::Client { from, msg }).await
    }

    /// Tells the room a participant's connection is gone.
    pub async fn disconnected(
        &self,
        who: ParticipantId,
        why: LeaveReason,
        control: Arc<ConnectionControl>,
    ) {
        // If the room already stopped there is nobody left to tell.
        let _ = self.send(Request::Disconnected { who, why, control }).await;
    }

    /// A ban was lifted: let that browser back into this session too.
    pub async fn forgive(&self, device: DeviceId) {
        // A stopped room has nobody left to refuse.
        let _ = self.send(Request::Forgive { device }).await;
    }

    async fn send(&self, request: Request) -> Result<(), RoomGone> {
        self.tx.send(request).await.map_err(|_| RoomGone)
    }

    /// True once the room's session has ended or its task has stopped.
    pub fn is_closed(&self) -> bool {
        self.ended.load(Ordering::Acquire) || self.tx.is_closed()
    }

    /// Identifies the room task this handle reaches.
    pub fn instance(&self) -> u64 {
        self.instance
    }
}

/// Everything a room task needs besides its room.
pub struct RoomContext {
    /// The group this room belongs to.
    pub group: GroupId,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// Where persistence goes.
    pub observer: Arc<dyn RoomObserver>,
    /// Stop when empty this long.
    pub idle_timeout: Duration,
}

/// Starts a room task for `room` on `tracker`. The task stops when its session ends, when every
/// handle is dropped, or when the room has been empty for `idle_timeout`; then it calls
/// `on_stop` with the handle's [`RoomHandle::instance`] (the registry forgets it).
pub fn spawn(
    room: Room,
    context: RoomContext,
    tracker: &TaskTracker,
    on_stop: impl FnOnce(u64) + Send + 'static,
) -> RoomHandle {
    let (tx, rx) = mpsc::channel(ROOM_INBOX_CAPACITY);
    let instance = NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed);
    let ended = Arc::new(AtomicBool::new(false));
    let handle = RoomHandle {
        tx,
        instance,
        ended: Arc::clone(&ended),
    };
    let mut task = RoomTask {
        room,
        seats: HashMap::new(),
        reported_present: 0,
        context,
        ended,
    };
    tracker.spawn(async move {
        task.run(rx).await;
        on_stop(instance);
    });
    handle
}

struct RoomTask {
    room: Room,
    seats: HashMap<ParticipantId, Seat>,
    /// How many seats the observer was last told about.
    reported_present: usize,
    context: RoomContext,
    /// Shared with every handle: see [`RoomHandle::is_closed`].
    ended: Arc<AtomicBool>,
}

impl RoomTask {
    async fn run(&mut self, mut inbox: mpsc::Receiver<Request>) {
        let idle_timeout = self.context.idle_timeout;
        loop {
            let now = self.context.clock.now();
            let wakeup = self.room.next_wakeup(now);
            let clock = Arc::clone(&self.context.clock);
            let timer = async move {
                match wakeup {
                    Some(at) => clock.sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let idle = async {
                if self.room.is_empty() {
                    tokio::time::sleep(idle_timeout).await;
                } else {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                request = inbox.recv() => match request {
                    Some(request) => self.serve(request),
                    None => break,
                },
                () = timer => {
                    let now = self.context.clock.now();
                    let out = self.room.tick(now);
                    self.carry_out(out);
                }
                () = idle => {
                    let now = self.context.clock.now();
                    let out = self.room.end_when_abandoned(now);
                    self.carry_out(out);
                    break;
                }
            }
            self.report_present();
            if self.room.has_ended() {
                break;
            }
        }
        self.seats.clear();
        self.report_present();
        // Dropping the room here drops this session's messages and names from memory.
    }

    /// Tells the observer how the number of live seats changed since it last heard.
    fn report_present(&mut self) {
        let present = self.seats.len();
        if present != self.reported_present {
            let delta = present as i64 - self.reported_present as i64;
            self.context.observer.present_changed(delta);
            self.reported_present = present;
        }
    }

    fn serve(&mut self, request: Request) {
        let now = self.context.clock.now();
        match request {
            Request::Join {
                request,
                seat,
                reply,
            } => {
                let answer = self.room.join(now, request);
                self.seat(answer, seat, reply);
            }
            Request::Resume { token, seat, reply } => {
                let answer = self.room.resume(now, &token);
                self.seat(answer, seat, reply);
            }
            Request::Client { from, msg } => {
                let started = Instant::now();
                let out = self.room.handle(now, from, msg);
                self.carry_out(out);
                self.context.observer.handled(started.elapsed());
            }
            Request::Forgive { device } => self.room.forgive(device),
            Request::Disconnected { who, why, control } => {
                // A connection that was replaced (resumed elsewhere) no longer owns the seat.
                let owns_seat = self
                    .seats
                    .get(&who)
                    .is_some_and(|seat| Arc::ptr_eq(&seat.control, &control));
                if owns_seat {
                    self.seats.remove(&who);
                    let out = self.room.disconnect(now, who, why);
                    self.carry_out(out);
                }
            }
        }
    }

    fn seat(
        &mut self,
        answer: Result<(ParticipantId, Vec<Outgoing>), JoinError>,
        seat: Seat,
        reply: oneshot::Sender<Result<ParticipantId, JoinError>>,
    ) {
        match answer {
            Ok((id, out)) => {
                if reply.send(Ok(id)).is_err() {
                    // The connection went away while waiting: treat it as a dropped connection.
                    let now = self.context.clock.now();
                    self.carry_out(out);
                    let out = self.room.disconnect(now, id, LeaveReason::Dropped);
                    self.carry_out(out);
                    return;
                }
                if let Some(previous) = self.seats.insert(id, seat) {
                    previous.control.close(CloseReason::REPLACED);
                }
                self.carry_out(out);
            }
            Err(refusal) => {
                let _ = reply.send(Err(refusal));
            }
        }
    }

    /// Carries out what the room asked for: serializes each message once and offers it to every
    /// recipient's outbox; closes connections; hands persistence to the observer. Participants
    /// whose outbox is full are disconnected, and the notices that causes are carried out in turn.
    fn carry_out(&mut self, out: Vec<Outgoing>) {
        if self.room.has_ended() {
            self.ended.store(true, Ordering::Release);
        }
        let mut queue: VecDeque<Outgoing> = out.into();
        let mut too_slow = Vec::new();
        let group = self.context.group;
        while let Some(outgoing) = queue.pop_front() {
            match outgoing {
                Outgoing::Send { to, msg } => {
                    self.context.observer.outgoing(&msg);
                    let frame = Frame::new(msg.encode());
                    offer(&self.room, &self.seats, to, &frame, &mut too_slow);
                }
                Outgoing::Close { who, why } => {
                    if let Some(seat) = self.seats.remove(&who) {
                        seat.control.close(CloseReason::for_room(why));
                    }
                }
                Outgoing::Audit(event) => self.context.observer.audit(group, event),
                Outgoing::Ban { device, by, reason } => {
                    let now = self.context.clock.now();
                    self.context.observer.ban(group, device, by, reason, now);
                }
                Outgoing::Ended(summary) => self.context.observer.session_ended(group, summary),
            }
            for id in too_slow.drain(..) {
                if let Some(seat) = self.seats.remove(&id) {
                    seat.control.close(CloseReason::TOO_SLOW);
                    self.context.observer.dropped_slow_participant(group);
                    let now = self.context.clock.now();
                    queue.extend(self.room.disconnect(now, id, LeaveReason::TooSlow));
                }
            }
        }
    }
}

fn offer(
    room: &Room,
    seats: &HashMap<ParticipantId, Seat>,
    to: Audience,
    frame: &Frame,
    too_slow: &mut Vec<ParticipantId>,
) {
    let mut deliver = |id: ParticipantId| {
        let Some(seat) = seats.get(&id) else {
            return;
        };
        match seat.outbox.try_send(frame.clone()) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => too_slow.push(id),
            // The connection ended; its Disconnected request is on its way.
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    };
    match to {
        // A message for one participant goes to their connection even if the room has already
        // let go of their seat: that is how a removed member gets told why, before the close.
        Audience::One(id) => deliver(id),
        group => room.for_each_recipient(group, deliver),
    }
}
