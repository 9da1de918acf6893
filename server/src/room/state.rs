//! The functional core of a room: one session of a group, from the waiting room to the end.
//!
//! [`Room`] is a plain state machine. Every entry point takes the current time as an argument and
//! returns what should happen as [`Outgoing`] values (messages to send, connections to close,
//! audit events to record); it performs no I/O, reads no clock and spawns nothing, so every rule is
//! unit-tested without sockets. The room task (`room::actor`) drives it.
//!
//! The rules of individual requests live in `member.rs` (what members do) and `facilitator.rs`
//! (what facilitators do); this file holds the room's state, seating (join, resume, leave,
//! disconnect), time (phases, expiries) and the views sent to clients.
//!
//! Must not depend on tokio, axum, the store or the HTTP layer.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::Arc;

use crate::domain::{AccountId, DeviceId, MessageId, Millis, ParticipantId, Pseudonym, Role};
use crate::filter::{Context, Filter, RecentMessages};
use crate::protocol::{
    Announcement, ChatMessage, ClientMsg, CrisisResources, ErrorCode, GroupView, Limits,
    ModerationAction, ParticipantRef, ParticipantStatus, ParticipantView, PauseCause, Phase,
    PresenceEvent, Reason, RoomView, ServerMsg, Welcome,
};

/// Messages kept for late joiners. A 90-minute group rarely says more than a few hundred things;
/// the bound keeps a runaway session from growing memory without limit.
pub const SCROLLBACK_LIMIT: usize = 500;

/// Text bytes per `history` frame after `welcome`. Keeps each frame well under the client's and
/// tungstenite's buffer sizes while sending a full scrollback in a few dozen frames.
pub const HISTORY_BATCH_TEXT_BYTES: usize = 32 * 1024;

/// Private messages and alerts kept for a facilitator who reloads or arrives late. Bounded like
/// the scrollback; a session with more than this is replayed from its newest.
pub const FACILITATOR_HISTORY_LIMIT: usize = 300;

/// Facilitators in a room at once, beyond the member capacity (two co-facilitators plus an
/// operator dropping in).
pub const FACILITATOR_SEATS: usize = 3;

/// How the group wants its sessions run. Comes from the group's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomPolicy {
    /// Open the session by itself at the start time (when a facilitator is present, unless
    /// `allow_without_facilitator`). Otherwise a facilitator opens it.
    pub auto_open: bool,
    /// Let members in without a facilitator admitting each one, once the session is open.
    pub auto_admit: bool,
    /// The session may be live with no facilitator present.
    pub allow_without_facilitator: bool,
}

impl RoomPolicy {
    /// A facilitated group: facilitators open the session and admit members.
    pub const FACILITATED: RoomPolicy = RoomPolicy {
        auto_open: false,
        auto_admit: false,
        allow_without_facilitator: false,
    };
    /// An open room (the demo group): live at once, no waiting room, no facilitator needed.
    pub const OPEN: RoomPolicy = RoomPolicy {
        auto_open: true,
        auto_admit: true,
        allow_without_facilitator: true,
    };
}

/// What the group does with a message that holds contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactPolicy {
    /// Not delivered; the sender is told what was found.
    Block,
    /// Delivered with the contact details replaced by a placeholder.
    Mask,
}

/// How messages are screened for contact details in this room.
#[derive(Debug, Clone)]
pub struct Screening {
    /// The deployment's contact filter (shared by every room).
    pub filter: Arc<Filter>,
    /// Block or mask.
    pub policy: ContactPolicy,
    /// Facilitators may share contact details (a local helpline, say).
    pub exempt_facilitators: bool,
}

/// When this session happens, if the group has a schedule. All instants are absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimes {
    /// The waiting room opens.
    pub waiting_opens: Millis,
    /// The session starts.
    pub starts: Millis,
    /// Members are told the session is closing.
    pub closing_notice: Millis,
    /// The scheduled end.
    pub ends: Millis,
    /// The room ends by itself (the end plus a grace period).
    pub hard_end: Millis,
}

/// How a room is set up when it starts.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// Shown to everyone in the room.
    pub group: GroupView,
    /// Members at most (facilitators are counted separately).
    pub capacity: usize,
    /// Told to clients in `welcome`.
    pub limits: Limits,
    /// How sessions run.
    pub policy: RoomPolicy,
    /// This session's times; `None` for a group without a schedule (sessions run when a
    /// facilitator opens and ends them).
    pub session: Option<SessionTimes>,
    /// The next session after this one, told to members when this one ends.
    pub next_session: Option<Millis>,
    /// The group keeps a schedule. With no session of it due (`session` is `None`), members are
    /// told there is none rather than wait; a facilitator may still open one.
    pub scheduled: bool,
    /// Crisis resources for this group's locale.
    pub resources: CrisisResources,
    /// The no-outside-contact boundary.
    pub screening: Screening,
    /// How long a seat is kept for someone whose connection dropped.
    pub resume_grace_ms: i64,
}

/// Who receives an outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// One participant.
    One(ParticipantId),
    /// Everyone admitted to the room and connected.
    Present,
    /// Everyone present but one.
    PresentExcept(ParticipantId),
    /// Members present (not facilitators).
    PresentMembers,
    /// Facilitators present.
    Facilitators,
    /// Everyone connected: present and waiting.
    Everyone,
}

/// Why the room wants a connection closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseWhy {
    /// The participant left (1000).
    Left,
    /// A facilitator removed them from this session (4002).
    Removed,
    /// A facilitator banned them from the group (4003).
    Banned,
    /// The session ended (4004).
    Ended,
}

/// One moderation action for the audit log: who did what to which seat and why, never what was
/// said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// When.
    pub at: Millis,
    /// The facilitator's account; `None` for what the schedule did by itself.
    pub actor: Option<AccountId>,
    /// What was done.
    pub action: ModerationAction,
    /// The seat concerned, if any.
    pub participant: Option<ParticipantId>,
    /// Why, if a reason was given.
    pub reason: Option<Reason>,
}

/// What is kept of a session once it ends: counts, never content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSummary {
    /// The scheduled start of the session, for a scheduled group (so the same session is not
    /// started again after a facilitator ended it early).
    pub scheduled_start: Option<Millis>,
    /// When the session was opened (`None` if it never opened).
    pub started_at: Option<Millis>,
    /// When it ended.
    pub ended_at: Millis,
    /// Member seats taken (a member who came back after a dropped connection counts once).
    pub members_joined: u32,
    /// Most members present at once.
    pub peak_present: u32,
    /// Chat messages posted.
    pub messages: u32,
}

/// Something the room wants done.
// `Send` is nearly every value and the others are rare; boxing its message would add an
// allocation per delivery to save a few bytes in a short-lived Vec.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// Deliver a message.
    Send {
        /// To whom.
        to: Audience,
        /// What.
        msg: ServerMsg,
    },
    /// Close a participant's connection (after the messages before this one).
    Close {
        /// Whose.
        who: ParticipantId,
        /// Why.
        why: CloseWhy,
    },
    /// Record a moderation action.
    Audit(AuditEvent),
    /// Refuse this browser in this group from now on.
    Ban {
        /// The browser's device id.
        device: DeviceId,
        /// Who banned it.
        by: Option<AccountId>,
        /// Why.
        reason: Reason,
    },
    /// The session is over: persist the summary; the room task stops.
    Ended(SessionSummary),
}

impl Outgoing {
    pub(super) fn send(to: Audience, msg: ServerMsg) -> Outgoing {
        Outgoing::Send { to, msg }
    }

    pub(super) fn to(who: ParticipantId, msg: ServerMsg) -> Outgoing {
        Outgoing::Send {
            to: Audience::One(who),
            msg,
        }
    }
}

/// A request for a seat, already parsed and authorized by the shell.
#[derive(Debug, Clone)]
pub struct JoinRequest {
    /// The name to show.
    pub name: Pseudonym,
    /// Member (invite) or facilitator (session cookie).
    pub role: Role,
    /// The facilitator's account, for the audit log.
    pub account: Option<AccountId>,
    /// The browser's device id, if it sent one.
    pub device: Option<DeviceId>,
    /// The resume token this seat will carry (random, made by the shell).
    pub resume: String,
}

/// Why a seat was refused. `Display` is a sentence for the person joining.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The name holds contact details (a number, a handle, an email).
    #[error(
        "Names cannot contain contact details such as phone numbers, emails or social handles."
    )]
    NameHasContactInfo,
    /// Someone present already looks like that name.
    #[error(
        "Someone here already uses that name (or one that looks just like it). Please choose another."
    )]
    NameTaken,
    /// No seat left.
    #[error("This group is full right now. Please try again later or ask the facilitator.")]
    Full,
    /// A facilitator locked the room.
    #[error("The room is closed to new arrivals right now. Please ask your facilitator.")]
    Locked,
    /// Too early: the waiting room is not open yet.
    #[error("The waiting room is not open yet. It opens a few minutes before the session starts.")]
    NotOpenYet {
        /// When the session starts.
        starts: Millis,
    },
    /// The group's schedule has no session now, and no facilitator opened one.
    #[error(
        "There is no session of this group right now. Please check the schedule with your facilitator."
    )]
    NoSession,
    /// The session is over.
    #[error("This session has ended. Thank you for coming.")]
    Ended,
    /// This browser was removed from this session.
    #[error("A facilitator asked you to leave this session, so you cannot rejoin it.")]
    Removed,
    /// The resume token is unknown.
    #[error("Your place in the room could not be restored. Please join again.")]
    ResumeInvalid,
    /// The group could not be loaded (database trouble) or no longer exists.
    #[error("Something went wrong on the server. Nothing was done; please try again.")]
    Unavailable,
}

impl JoinError {
    /// The protocol code for this refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            JoinError::NameHasContactInfo => ErrorCode::PseudonymInvalid,
            JoinError::NameTaken => ErrorCode::PseudonymTaken,
            JoinError::Full => ErrorCode::RoomFull,
            JoinError::Locked => ErrorCode::RoomLocked,
            JoinError::NotOpenYet { .. } | JoinError::NoSession => ErrorCode::SessionNotOpen,
            JoinError::Ended => ErrorCode::SessionEnded,
            JoinError::Removed => ErrorCode::Banned,
            JoinError::ResumeInvalid => ErrorCode::ResumeInvalid,
            JoinError::Unavailable => ErrorCode::Internal,
        }
    }
}

/// Why someone is no longer connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveReason {
    /// They chose to leave.
    Left,
    /// Their connection dropped (closed tab, network): the seat is kept for a while.
    Dropped,
    /// Their connection could not keep up and was closed: the seat is kept for a while.
    TooSlow,
}

#[derive(Debug, Clone)]
pub(super) struct Participant {
    pub(super) name: Pseudonym,
    pub(super) role: Role,
    pub(super) account: Option<AccountId>,
    pub(super) device: Option<DeviceId>,
    pub(super) resume: String,
    pub(super) admitted: bool,
    pub(super) connected: bool,
    pub(super) away_since: Option<Millis>,
    pub(super) muted_until: Option<Millis>,
    pub(super) last_post: Option<Millis>,
    /// Their recent messages, so a number sent in pieces is caught at the piece that completes it.
    pub(super) recent: RecentMessages,
}

impl Participant {
    pub(super) fn status(&self) -> ParticipantStatus {
        if !self.connected {
            ParticipantStatus::Away
        } else if !self.admitted {
            ParticipantStatus::Waiting
        } else {
            ParticipantStatus::Present
        }
    }

    pub(super) fn is_present(&self) -> bool {
        self.connected && self.admitted
    }
}

/// One session of a group's room.
#[derive(Debug)]
pub struct Room {
    pub(super) settings: RoomSettings,
    pub(super) participants: BTreeMap<ParticipantId, Participant>,
    pub(super) scrollback: VecDeque<ChatMessage>,
    /// What went to the facilitators only (`private` and `alert`), for `facilitator_history`.
    pub(super) facilitator_history: VecDeque<ServerMsg>,
    pub(super) hands: Vec<ParticipantId>,
    pub(super) opened_at: Option<Millis>,
    pub(super) ended: bool,
    pub(super) paused_by_facilitator: bool,
    pub(super) slow_seconds: u32,
    pub(super) locked: bool,
    pub(super) pinned: Option<Announcement>,
    pub(super) removed_devices: HashSet<DeviceId>,
    next_participant: u32,
    next_message: u64,
    members_joined: u32,
    peak_present: u32,
    pub(super) messages_posted: u32,
    /// What clients were last told, so changes are sent once and only when real.
    last_view: Option<RoomView>,
    roster_dirty: bool,
    waiting_dirty: bool,
}

impl Room {
    /// A room for one session, nobody seated yet.
    pub fn new(settings: RoomSettings) -> Room {
        Room {
            settings,
            participants: BTreeMap::new(),
            scrollback: VecDeque::new(),
            facilitator_history: VecDeque::new(),
            hands: Vec::new(),
            opened_at: None,
            ended: false,
            paused_by_facilitator: false,
            slow_seconds: 0,
            locked: false,
            pinned: None,
            removed_devices: HashSet::new(),
            next_participant: 1,
            next_message: 1,
            members_joined: 0,
            peak_present: 0,
            messages_posted: 0,
            last_view: None,
            roster_dirty: false,
            waiting_dirty: false,
        }
    }

    /// True when nobody holds a seat (connected or away).
    pub fn is_empty(&self) -> bool {
        self.participants.is_empty()
    }

    /// Seats taken now (connected or away).
    pub fn len(&self) -> usize {
        self.participants.len()
    }

    /// True once the session has ended; the room task stops.
    pub fn has_ended(&self) -> bool {
        self.ended
    }

    /// The session's phase at `now`.
    pub fn phase(&self, now: Millis) -> Phase {
        if self.ended {
            return Phase::Ended;
        }
        let session = self.settings.session;
        if self.opened_at.is_some() {
            return match session {
                Some(times) if now >= times.closing_notice => Phase::Closing,
                _ => Phase::Live,
            };
        }
        match session {
            Some(times) if now < times.waiting_opens => Phase::Scheduled,
            _ => Phase::Waiting,
        }
    }

    /// Calls `deliver` for each participant in `audience`, without allocating.
    pub fn for_each_recipient(&self, audience: Audience, mut deliver: impl FnMut(ParticipantId)) {
        let connected = self.participants.iter().filter(|(_, p)| p.connected);
        match audience {
            Audience::One(id) => {
                if self.participants.get(&id).is_some_and(|p| p.connected) {
                    deliver(id);
                }
            }
            Audience::Present => connected
                .filter(|(_, p)| p.admitted)
                .for_each(|(id, _)| deliver(*id)),
            Audience::PresentExcept(except) => connected
                .filter(|(id, p)| p.admitted && **id != except)
                .for_each(|(id, _)| deliver(*id)),
            Audience::PresentMembers => connected
                .filter(|(_, p)| p.admitted && p.role == Role::Member)
                .for_each(|(id, _)| deliver(*id)),
            Audience::Facilitators => connected
                .filter(|(_, p)| p.role == Role::Facilitator)
                .for_each(|(id, _)| deliver(*id)),
            Audience::Everyone => connected.for_each(|(id, _)| deliver(*id)),
        }
    }

    /// Seats a participant. Members wait in the waiting room until admitted (or go straight in
    /// when the session is open and the group admits automatically); facilitators always enter.
    ///
    /// # Errors
    /// [`JoinError`] saying why the seat was refused.
    pub fn join(
        &mut self,
        now: Millis,
        request: JoinRequest,
    ) -> Result<(ParticipantId, Vec<Outgoing>), JoinError> {
        let phase = self.phase(now);
        if phase == Phase::Ended {
            return Err(JoinError::Ended);
        }
        let is_member = request.role == Role::Member;
        if is_member {
            if phase == Phase::Scheduled {
                let starts = self.settings.session.map_or(now, |s| s.starts);
                return Err(JoinError::NotOpenYet { starts });
            }
            if self.settings.scheduled
                && self.settings.session.is_none()
                && self.opened_at.is_none()
            {
                return Err(JoinError::NoSession);
            }
            if request
                .device
                .is_some_and(|device| self.removed_devices.contains(&device))
            {
                return Err(JoinError::Removed);
            }
            if self.locked {
                return Err(JoinError::Locked);
            }
        }
        if is_member
            && !self
                .settings
                .screening
                .filter
                .check_pseudonym(request.name.as_str(), &Context::standalone(now))
                .is_clean()
        {
            return Err(JoinError::NameHasContactInfo);
        }
        // A facilitator's account holds one seat: a second tab or device takes it over (the
        // first is told it was opened elsewhere) instead of being refused as a name in use.
        if request.role == Role::Facilitator
            && let Some(account) = request.account
            && let Some(id) = self
                .participants
                .iter()
                .find(|(_, p)| p.role == Role::Facilitator && p.account == Some(account))
                .map(|(&id, _)| id)
        {
            return Ok(self.reseat(now, id));
        }
        if self
            .participants
            .values()
            .any(|p| p.name.skeleton() == request.name.skeleton())
        {
            return Err(JoinError::NameTaken);
        }
        let (seated, limit) = match request.role {
            Role::Member => (self.count(Role::Member), self.settings.capacity),
            Role::Facilitator => (self.count(Role::Facilitator), FACILITATOR_SEATS),
        };
        if seated >= limit {
            return Err(JoinError::Full);
        }

        let mut out = Vec::new();
        // A room that needs no facilitator may open on a member's arrival; one that does opens
        // when the facilitator arrives (below, once they are seated).
        if is_member {
            self.maybe_auto_open(now, &mut out);
        }
        let id = ParticipantId(self.next_participant);
        self.next_participant += 1;
        let admitted = !is_member || (self.opened_at.is_some() && self.settings.policy.auto_admit);
        self.participants.insert(
            id,
            Participant {
                name: request.name,
                role: request.role,
                account: request.account,
                device: request.device,
                resume: request.resume,
                admitted,
                connected: true,
                away_since: None,
                muted_until: None,
                last_post: None,
                recent: RecentMessages::new(),
            },
        );
        if is_member {
            self.members_joined += 1;
        }

        if !is_member {
            self.maybe_auto_open(now, &mut out);
        }
        self.enter(now, id, &mut out);
        self.finish(now, &mut out);
        Ok((id, out))
    }

    /// Gives a seat back to someone whose connection dropped, with everything they missed.
    ///
    /// # Errors
    /// [`JoinError::ResumeInvalid`] if no seat carries the token; [`JoinError::Ended`] after the
    /// session.
    pub fn resume(
        &mut self,
        now: Millis,
        token: &str,
    ) -> Result<(ParticipantId, Vec<Outgoing>), JoinError> {
        if self.ended {
            return Err(JoinError::Ended);
        }
        let Some(id) = self
            .participants
            .iter()
            .find(|(_, p)| !token.is_empty() && p.resume == token)
            .map(|(&id, _)| id)
        else {
            return Err(JoinError::ResumeInvalid);
        };
        Ok(self.reseat(now, id))
    }

    /// Gives a participant's seat to a new connection (the shell closes the old one, if any):
    /// they are present again, and get a fresh welcome.
    fn reseat(&mut self, now: Millis, id: ParticipantId) -> (ParticipantId, Vec<Outgoing>) {
        let participant = self
            .participants
            .get_mut(&id)
            .expect("reseat is only called for a participant of the room");
        let was_away = !participant.connected;
        participant.connected = true;
        participant.away_since = None;
        let mut out = Vec::new();
        if was_away && participant.admitted {
            let who = self.reference(id);
            out.push(Outgoing::send(
                Audience::PresentExcept(id),
                ServerMsg::Presence {
                    event: PresenceEvent::Back,
                    participant: who,
                },
            ));
        }
        self.roster_dirty = true;
        self.waiting_dirty = true;
        if self.participants[&id].role == Role::Facilitator {
            self.maybe_auto_open(now, &mut out);
        }
        out.extend(self.welcome(now, id));
        self.finish(now, &mut out);
        (id, out)
    }

    /// A participant's connection is gone. After `leave` the seat is given up; after a drop it is
    /// kept for `resume_grace_ms` so they can come back to the same place.
    pub fn disconnect(
        &mut self,
        now: Millis,
        who: ParticipantId,
        why: LeaveReason,
    ) -> Vec<Outgoing> {
        let mut out = Vec::new();
        match why {
            LeaveReason::Left => self.remove_participant(now, who, &mut out),
            LeaveReason::Dropped | LeaveReason::TooSlow => {
                let Some(participant) = self.participants.get_mut(&who) else {
                    return out;
                };
                if !participant.connected {
                    return out;
                }
                participant.connected = false;
                participant.away_since = Some(now);
                let admitted = participant.admitted;
                let is_member = participant.role == Role::Member;
                if admitted {
                    out.push(Outgoing::send(
                        Audience::Present,
                        ServerMsg::Presence {
                            event: PresenceEvent::Away,
                            participant: self.reference(who),
                        },
                    ));
                }
                if why == LeaveReason::TooSlow && is_member {
                    out.push(self.alert(now, crate::protocol::AlertKind::Dropped, who));
                }
                self.roster_dirty = true;
                self.waiting_dirty = true;
            }
        }
        self.finish(now, &mut out);
        out
    }

    /// Handles one request from a seated participant.
    pub fn handle(&mut self, now: Millis, from: ParticipantId, msg: ClientMsg) -> Vec<Outgoing> {
        let Some(sender) = self.participants.get(&from) else {
            return Vec::new();
        };
        if self.ended {
            return Vec::new();
        }
        let is_facilitator = sender.role == Role::Facilitator;
        let mut out = Vec::new();
        match msg {
            ClientMsg::Join { .. } => out.push(Outgoing::to(
                from,
                ServerMsg::error(ErrorCode::AlreadyJoined, "You are already in the room."),
            )),
            ClientMsg::Say { text, client_id } => {
                // The hot path: nothing in the room's shared state changes, so no view diffing.
                return self.say(now, from, &text, client_id);
            }
            ClientMsg::Leave {} => {
                self.remove_participant(now, from, &mut out);
                out.push(Outgoing::Close {
                    who: from,
                    why: CloseWhy::Left,
                });
            }
            ClientMsg::React {
                message,
                reaction,
                on,
            } => self.react(from, message, reaction, on, &mut out),
            ClientMsg::Hand { up } => self.hand(from, up, &mut out),
            ClientMsg::Pass {} => self.pass(from, &mut out),
            ClientMsg::ToFacilitators { text, client_id } => {
                self.write_to_facilitators(now, from, &text, client_id, &mut out);
            }
            ClientMsg::Report {
                message,
                reason,
                note,
            } => self.report(now, from, message, reason, note, &mut out),
            ClientMsg::Support {} => self.support(now, from, &mut out),
            other if !is_facilitator => {
                let _ = other;
                out.push(Outgoing::to(
                    from,
                    ServerMsg::error(
                        ErrorCode::Forbidden,
                        "Only a facilitator of this group can do that.",
                    ),
                ));
            }
            facilitator_request => self.facilitate(now, from, facilitator_request, &mut out),
        }
        self.finish(now, &mut out);
        out
    }

    /// Advances time: opens the session on schedule, sends the closing notice, ends the session,
    /// expires mutes and gives up seats held too long for absent participants.
    pub fn tick(&mut self, now: Millis) -> Vec<Outgoing> {
        let mut out = Vec::new();
        if self.ended {
            return out;
        }
        let grace = self.settings.resume_grace_ms;
        let expired: Vec<ParticipantId> = self
            .participants
            .iter()
            .filter(|(_, p)| p.away_since.is_some_and(|since| now.since(since) >= grace))
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            self.remove_participant(now, id, &mut out);
        }
        let unmuted: Vec<ParticipantId> = self
            .participants
            .iter()
            .filter(|(_, p)| p.muted_until.is_some_and(|until| until <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in unmuted {
            if let Some(p) = self.participants.get_mut(&id) {
                p.muted_until = None;
            }
            let who = self.reference(id);
            out.push(Outgoing::to(
                id,
                ServerMsg::Moderation {
                    action: ModerationAction::Unmuted,
                    by: None,
                    participant: Some(who),
                    message: None,
                    until: None,
                    reason: None,
                },
            ));
            self.roster_dirty = true;
        }
        self.maybe_auto_open(now, &mut out);
        if let Some(times) = self.settings.session
            && now >= times.hard_end
        {
            self.end_session(now, None, &mut out);
            return out;
        }
        self.finish(now, &mut out);
        out
    }

    /// The next instant at which [`Room::tick`] has something to do.
    pub fn next_wakeup(&self, now: Millis) -> Option<Millis> {
        if self.ended {
            return None;
        }
        let grace = self.settings.resume_grace_ms;
        let seats = self.participants.values().flat_map(|p| {
            [
                p.away_since.map(|since| since.plus_ms(grace)),
                p.muted_until,
            ]
        });
        let schedule = self.settings.session.into_iter().flat_map(|times| {
            let pending_open = self.opened_at.is_none() && self.settings.policy.auto_open;
            [
                (now < times.waiting_opens).then_some(times.waiting_opens),
                (pending_open && now < times.starts).then_some(times.starts),
                (self.opened_at.is_some() && now < times.closing_notice)
                    .then_some(times.closing_notice),
                Some(times.hard_end),
            ]
        });
        seats.chain(schedule).flatten().min()
    }

    /// Ends the session: everyone is told (with resources and the next session's time), every
    /// connection is closed, and the counts are handed over for keeping. The room's messages and
    /// names are dropped with the room.
    pub(super) fn end_session(
        &mut self,
        now: Millis,
        by: Option<ParticipantId>,
        out: &mut Vec<Outgoing>,
    ) {
        if self.ended {
            return;
        }
        out.push(Outgoing::send(
            Audience::Everyone,
            ServerMsg::Ended {
                next_session: self.settings.next_session,
                resources: self.settings.resources.clone(),
            },
        ));
        out.push(Outgoing::Audit(AuditEvent {
            at: now,
            actor: by
                .and_then(|id| self.participants.get(&id))
                .and_then(|p| p.account),
            action: ModerationAction::Ended,
            participant: None,
            reason: None,
        }));
        let everyone: Vec<ParticipantId> = self.participants.keys().copied().collect();
        for who in everyone {
            out.push(Outgoing::Close {
                who,
                why: CloseWhy::Ended,
            });
        }
        out.push(Outgoing::Ended(SessionSummary {
            scheduled_start: self.settings.session.map(|times| times.starts),
            started_at: self.opened_at,
            ended_at: now,
            members_joined: self.members_joined,
            peak_present: self.peak_present,
            messages: self.messages_posted,
        }));
        self.ended = true;
        self.scrollback.clear();
        self.facilitator_history.clear();
        self.hands.clear();
        self.pinned = None;
    }

    /// Lets a browser that was removed or banned from this session back in (a facilitator
    /// lifted the ban).
    pub fn forgive(&mut self, device: DeviceId) {
        self.removed_devices.remove(&device);
    }

    /// Ends the session of a room that everyone has left and nobody came back to: only its
    /// counts are kept, as for any ended session.
    /// A room nobody ever entered (someone came too early and was turned away) ends without a
    /// trace.
    pub fn end_when_abandoned(&mut self, now: Millis) -> Vec<Outgoing> {
        let mut out = Vec::new();
        if !self.is_empty() {
            return out;
        }
        if self.next_participant == 1 {
            self.ended = true;
            return out;
        }
        self.end_session(now, None, &mut out);
        out
    }

    /// Opens the session when the group allows it to open by itself and the time has come.
    pub(super) fn maybe_auto_open(&mut self, now: Millis, out: &mut Vec<Outgoing>) {
        if self.opened_at.is_some() || self.ended || !self.settings.policy.auto_open {
            return;
        }
        let time_has_come = self
            .settings
            .session
            .is_none_or(|times| now >= times.starts);
        let staffed = self.settings.policy.allow_without_facilitator || self.facilitator_present();
        if time_has_come && staffed {
            self.open_session(now, None, out);
        }
    }

    /// Opens the session; with automatic admission, everyone waiting comes in.
    pub(super) fn open_session(
        &mut self,
        now: Millis,
        by: Option<ParticipantId>,
        out: &mut Vec<Outgoing>,
    ) {
        self.opened_at = Some(now);
        if self.settings.policy.auto_admit {
            let waiting: Vec<ParticipantId> = self
                .participants
                .iter()
                .filter(|(_, p)| !p.admitted)
                .map(|(id, _)| *id)
                .collect();
            for id in waiting {
                self.admit_one(now, id, out);
            }
        }
        if by.is_some() {
            out.push(Outgoing::Audit(AuditEvent {
                at: now,
                actor: by
                    .and_then(|id| self.participants.get(&id))
                    .and_then(|p| p.account),
                action: ModerationAction::Opened,
                participant: None,
                reason: None,
            }));
        }
    }

    /// Lets a waiting member into the room.
    pub(super) fn admit_one(&mut self, now: Millis, id: ParticipantId, out: &mut Vec<Outgoing>) {
        let Some(participant) = self.participants.get_mut(&id) else {
            return;
        };
        if participant.admitted {
            return;
        }
        participant.admitted = true;
        self.enter(now, id, out);
    }

    /// A participant arrives in their view: welcome (and history when present); others are told
    /// when someone enters the room.
    fn enter(&mut self, now: Millis, id: ParticipantId, out: &mut Vec<Outgoing>) {
        let participant = &self.participants[&id];
        if participant.is_present() {
            out.push(Outgoing::send(
                Audience::PresentExcept(id),
                ServerMsg::Presence {
                    event: PresenceEvent::Joined,
                    participant: self.reference(id),
                },
            ));
            self.roster_dirty = true;
        }
        self.waiting_dirty = true;
        out.extend(self.welcome(now, id));
    }

    /// Removes a seat for good and tells the others.
    pub(super) fn remove_participant(
        &mut self,
        _now: Millis,
        who: ParticipantId,
        out: &mut Vec<Outgoing>,
    ) {
        let Some(participant) = self.participants.get(&who) else {
            return;
        };
        if participant.admitted {
            out.push(Outgoing::send(
                Audience::PresentExcept(who),
                ServerMsg::Presence {
                    event: PresenceEvent::Left,
                    participant: self.reference(who),
                },
            ));
        }
        self.participants.remove(&who);
        self.hands.retain(|id| *id != who);
        self.roster_dirty = true;
        self.waiting_dirty = true;
    }

    /// `welcome` for `id`, followed by the scrollback when they are in the room.
    fn welcome(&self, now: Millis, id: ParticipantId) -> Vec<Outgoing> {
        let participant = &self.participants[&id];
        let for_facilitator = participant.role == Role::Facilitator;
        let present = participant.admitted;
        let mut out = vec![Outgoing::to(
            id,
            ServerMsg::Welcome(Box::new(Welcome {
                v: crate::protocol::PROTOCOL_VERSION,
                you: self.view(id, true),
                group: self.settings.group.clone(),
                room: self.room_view(now),
                roster: if present {
                    self.roster(for_facilitator)
                } else {
                    Vec::new()
                },
                resume: participant.resume.clone(),
                limits: self.settings.limits,
                resources: self.settings.resources.clone(),
            })),
        )];
        if present {
            out.extend(self.history_batches(id));
        }
        if for_facilitator {
            out.push(Outgoing::to(
                id,
                ServerMsg::WaitingRoom {
                    participants: self.waiting_list(),
                },
            ));
            if !self.facilitator_history.is_empty() {
                out.push(Outgoing::to(
                    id,
                    ServerMsg::FacilitatorHistory {
                        items: self.facilitator_history.iter().cloned().collect(),
                    },
                ));
            }
        }
        out
    }

    /// Sends whatever shared views changed: the room state to everyone, the roster to those in
    /// the room, the waiting list to facilitators. Called at the end of every entry point.
    pub(super) fn finish(&mut self, now: Millis, out: &mut Vec<Outgoing>) {
        if self.ended {
            return;
        }
        // Every entry point builds its own `out` and calls this once, so each message is kept
        // once.
        for outgoing in out.iter() {
            if let Outgoing::Send {
                to: Audience::Facilitators,
                msg: msg @ (ServerMsg::Private { .. } | ServerMsg::Alert { .. }),
            } = outgoing
            {
                if self.facilitator_history.len() == FACILITATOR_HISTORY_LIMIT {
                    self.facilitator_history.pop_front();
                }
                self.facilitator_history.push_back(msg.clone());
            }
        }
        let present_members = self
            .participants
            .values()
            .filter(|p| p.role == Role::Member && p.is_present())
            .count();
        self.peak_present = self
            .peak_present
            .max(u32::try_from(present_members).unwrap_or(u32::MAX));

        let view = self.room_view(now);
        if self.last_view.as_ref() != Some(&view) {
            out.push(Outgoing::send(
                Audience::Everyone,
                ServerMsg::RoomState(view.clone()),
            ));
            self.last_view = Some(view);
        }
        if std::mem::take(&mut self.roster_dirty) {
            out.push(Outgoing::send(
                Audience::PresentMembers,
                ServerMsg::Roster {
                    participants: self.roster(false),
                },
            ));
            out.push(Outgoing::send(
                Audience::Facilitators,
                ServerMsg::Roster {
                    participants: self.roster(true),
                },
            ));
        }
        if std::mem::take(&mut self.waiting_dirty) {
            out.push(Outgoing::send(
                Audience::Facilitators,
                ServerMsg::WaitingRoom {
                    participants: self.waiting_list(),
                },
            ));
        }
    }

    /// The shared state of the room at `now`.
    pub fn room_view(&self, now: Millis) -> RoomView {
        let no_facilitator = self.opened_at.is_some()
            && !self.settings.policy.allow_without_facilitator
            && !self.facilitator_present();
        let paused_because = if self.paused_by_facilitator {
            Some(PauseCause::Facilitator)
        } else if no_facilitator {
            Some(PauseCause::NoFacilitator)
        } else {
            None
        };
        RoomView {
            phase: self.phase(now),
            starts_at: self.settings.session.map(|s| s.starts),
            ends_at: self.settings.session.map(|s| s.ends),
            paused: paused_because.is_some(),
            paused_because,
            slow_seconds: self.slow_seconds,
            locked: self.locked,
            pinned: self.pinned.clone(),
            hands: self.hands.clone(),
        }
    }

    pub(super) fn is_paused(&self) -> bool {
        self.paused_by_facilitator
            || (self.opened_at.is_some()
                && !self.settings.policy.allow_without_facilitator
                && !self.facilitator_present())
    }

    pub(super) fn facilitator_present(&self) -> bool {
        self.participants
            .values()
            .any(|p| p.role == Role::Facilitator && p.connected)
    }

    /// Everyone admitted (present or away), as members or facilitators see them.
    fn roster(&self, for_facilitator: bool) -> Vec<ParticipantView> {
        self.participants
            .iter()
            .filter(|(_, p)| p.admitted)
            .map(|(id, _)| self.view(*id, for_facilitator))
            .collect()
    }

    fn waiting_list(&self) -> Vec<ParticipantView> {
        self.participants
            .iter()
            .filter(|(_, p)| !p.admitted)
            .map(|(id, _)| self.view(*id, true))
            .collect()
    }

    fn history_batches(&self, to: ParticipantId) -> Vec<Outgoing> {
        let mut batches = Vec::new();
        let mut batch = Vec::new();
        let mut batch_bytes = 0;
        for message in &self.scrollback {
            if !batch.is_empty() && batch_bytes + message.text.len() > HISTORY_BATCH_TEXT_BYTES {
                batches.push(Outgoing::to(
                    to,
                    ServerMsg::History {
                        messages: std::mem::take(&mut batch),
                    },
                ));
                batch_bytes = 0;
            }
            batch_bytes += message.text.len();
            batch.push(message.clone());
        }
        if !batch.is_empty() {
            batches.push(Outgoing::to(to, ServerMsg::History { messages: batch }));
        }
        batches
    }

    fn count(&self, role: Role) -> usize {
        self.participants
            .values()
            .filter(|p| p.role == role)
            .count()
    }

    pub(super) fn mark_roster_changed(&mut self) {
        self.roster_dirty = true;
    }

    pub(super) fn next_message_id(&mut self) -> MessageId {
        let id = MessageId(self.next_message);
        self.next_message += 1;
        id
    }

    pub(super) fn push_scrollback(&mut self, message: ChatMessage) {
        if self.scrollback.len() == SCROLLBACK_LIMIT {
            self.scrollback.pop_front();
        }
        self.scrollback.push_back(message);
    }

    /// The participant as shown to others; mute state only for facilitators (a mute is a private
    /// matter between a member and the facilitators).
    pub(super) fn view(&self, id: ParticipantId, with_mute: bool) -> ParticipantView {
        let participant = &self.participants[&id];
        ParticipantView {
            id,
            name: participant.name.as_str().to_owned(),
            role: participant.role,
            status: participant.status(),
            muted_until: if with_mute {
                participant.muted_until
            } else {
                None
            },
        }
    }

    pub(super) fn reference(&self, id: ParticipantId) -> ParticipantRef {
        let participant = &self.participants[&id];
        ParticipantRef {
            id,
            name: participant.name.as_str().to_owned(),
            role: participant.role,
        }
    }

    pub(super) fn alert(
        &self,
        now: Millis,
        kind: crate::protocol::AlertKind,
        about: ParticipantId,
    ) -> Outgoing {
        Outgoing::send(
            Audience::Facilitators,
            ServerMsg::Alert {
                kind,
                participant: self.reference(about),
                message: None,
                masked: None,
                kinds: Vec::new(),
                reason: None,
                note: None,
                by: None,
                blocked: None,
                ts: now,
            },
        )
    }

    pub(super) fn error(to: ParticipantId, code: ErrorCode, message: &str) -> Outgoing {
        Outgoing::to(to, ServerMsg::error(code, message))
    }
}
