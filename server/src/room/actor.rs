//! The room task: one tokio task per live room, owning its [`Room`] and delivering what it says.
//!
//! Connections talk to the task through a [`RoomHandle`] (a bounded `mpsc` sender). The task
//! serializes each outgoing message once and hands the same bytes to every recipient's bounded
//! outbox with `try_send`, so a slow client never stalls the room: when a member's outbox is full
//! the member is removed and their connection told to close, and everyone else carries on.
//!
//! Depends on the pure `room::state`, tokio and tokio-util; must not depend on axum or the store.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::state::{Command, JoinError, JoinRequest, LeaveReason, Outgoing, Room};
use crate::clock::Clock;
use crate::domain::ParticipantId;

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
    /// The server is shutting down (RFC 6455 "going away").
    pub const SHUTDOWN: CloseReason = CloseReason {
        code: 1001,
        reason: "server shutting down",
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
    /// The client sent far more than the rate limit allows.
    pub const FLOODING: CloseReason = CloseReason {
        code: 1008,
        reason: "too many messages",
    };
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

/// The room task stopped (it was idle and empty); get a fresh handle from the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the room is no longer running")]
pub struct RoomGone;

enum Request {
    Join {
        request: JoinRequest,
        seat: Seat,
        reply: oneshot::Sender<Result<ParticipantId, JoinError>>,
    },
    Command {
        from: ParticipantId,
        command: Command,
    },
    Leave {
        who: ParticipantId,
        why: LeaveReason,
    },
}

/// A cheap, cloneable way to talk to a room task.
#[derive(Debug, Clone)]
pub struct RoomHandle {
    tx: mpsc::Sender<Request>,
    /// Tells room tasks apart without holding a sender (which would keep the inbox open).
    instance: u64,
}

static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Request::Join { .. } => "Join",
            Request::Command { .. } => "Command",
            Request::Leave { .. } => "Leave",
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
        self.tx
            .send(Request::Join {
                request,
                seat,
                reply,
            })
            .await
            .map_err(|_| RoomGone)?;
        answer.await.map_err(|_| RoomGone)
    }

    /// Passes a participant's request to the room.
    ///
    /// # Errors
    /// [`RoomGone`] if the room task has stopped.
    pub async fn command(&self, from: ParticipantId, command: Command) -> Result<(), RoomGone> {
        self.tx
            .send(Request::Command { from, command })
            .await
            .map_err(|_| RoomGone)
    }

    /// Tells the room a participant is gone.
    pub async fn leave(&self, who: ParticipantId, why: LeaveReason) {
        // If the room already stopped there is nobody left to tell.
        let _ = self.tx.send(Request::Leave { who, why }).await;
    }

    /// True once the room task has stopped.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    /// Identifies the room task this handle reaches.
    pub fn instance(&self) -> u64 {
        self.instance
    }
}

/// Starts a room task for `room` on `tracker`. The task stops when every handle is dropped or the
/// room has been empty for `idle_timeout`; then it calls `on_stop` with the handle's
/// [`RoomHandle::instance`] (the registry forgets it).
pub fn spawn(
    room: Room,
    clock: Arc<dyn Clock>,
    idle_timeout: Duration,
    tracker: &TaskTracker,
    on_stop: impl FnOnce(u64) + Send + 'static,
) -> RoomHandle {
    let (tx, rx) = mpsc::channel(ROOM_INBOX_CAPACITY);
    let instance = NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed);
    let handle = RoomHandle { tx, instance };
    let mut task = RoomTask {
        room,
        seats: HashMap::new(),
        clock,
    };
    tracker.spawn(async move {
        task.run(rx, idle_timeout).await;
        on_stop(instance);
    });
    handle
}

struct RoomTask {
    room: Room,
    seats: HashMap<ParticipantId, Seat>,
    clock: Arc<dyn Clock>,
}

impl RoomTask {
    async fn run(&mut self, mut inbox: mpsc::Receiver<Request>, idle_timeout: Duration) {
        loop {
            let request = if self.room.is_empty() {
                // An empty room that hears nothing for `idle_timeout` ends: `None` stops the loop.
                tokio::time::timeout(idle_timeout, inbox.recv())
                    .await
                    .unwrap_or_default()
            } else {
                inbox.recv().await
            };
            let Some(request) = request else {
                break;
            };
            self.serve(request);
        }
        // Dropping the room here drops this session's messages and names from memory.
    }

    fn serve(&mut self, request: Request) {
        let now = self.clock.now();
        match request {
            Request::Join {
                request,
                seat,
                reply,
            } => match self.room.join(now, request) {
                Ok((id, out)) => {
                    if reply.send(Ok(id)).is_err() {
                        // The connection went away while waiting: undo the seat quietly.
                        let out = self.room.leave(now, id, LeaveReason::Left);
                        self.deliver(out);
                        return;
                    }
                    self.seats.insert(id, seat);
                    self.deliver(out);
                }
                Err(refusal) => {
                    let _ = reply.send(Err(refusal));
                }
            },
            Request::Command { from, command } => {
                let out = self.room.handle(now, from, command);
                self.deliver(out);
            }
            Request::Leave { who, why } => {
                self.seats.remove(&who);
                let out = self.room.leave(now, who, why);
                self.deliver(out);
            }
        }
    }

    /// Serializes each message once and offers it to every recipient's outbox. Members whose
    /// outbox is full are removed; the notices their removal causes are delivered in turn.
    fn deliver(&mut self, out: Vec<Outgoing>) {
        let mut queue: VecDeque<Outgoing> = out.into();
        let mut too_slow = Vec::new();
        while let Some(Outgoing { to, msg }) = queue.pop_front() {
            let frame = Frame::new(msg.encode());
            let seats = &self.seats;
            self.room.for_each_recipient(to, |id| {
                let Some(seat) = seats.get(&id) else {
                    return;
                };
                match seat.outbox.try_send(frame.clone()) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(_)) => too_slow.push(id),
                    // The connection ended; its Leave request is on its way.
                    Err(mpsc::error::TrySendError::Closed(_)) => {}
                }
            });
            for id in too_slow.drain(..) {
                if let Some(seat) = self.seats.remove(&id) {
                    seat.control.close(CloseReason::TOO_SLOW);
                    tracing::info!(participant = %id, "dropped a participant whose outbox was full");
                    let now = self.clock.now();
                    queue.extend(self.room.leave(now, id, LeaveReason::TooSlow));
                }
            }
        }
    }
}
