//! Wire protocol v1: the JSON messages exchanged over the WebSocket.
//!
//! Every frame is a JSON object tagged by `"type"`. Client messages are decoded strictly (unknown
//! fields are an error) into [`ClientMsg`]; server messages are [`ServerMsg`] values encoded once
//! per audience. `docs/protocol.md` is the reference for clients; keep it in step with this file.
//!
//! Pure: depends on `domain`, serde and serde_json. Must not depend on axum, tokio or the room.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{GroupId, MessageId, Millis, ParticipantId, Role};

/// The protocol version this server speaks. Carried in `join`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Longest client-chosen id echoed back in `ack`/`rejected`, in bytes.
pub const CLIENT_ID_MAX_BYTES: usize = 64;

/// Longest note a member may add to a report, in characters.
pub const REPORT_NOTE_MAX_CHARS: usize = 500;

/// Longest mute a facilitator can give, in minutes (a long session).
pub const MUTE_MAX_MINUTES: u32 = 180;

/// Longest slow-mode interval, in seconds.
pub const SLOW_MAX_SECONDS: u32 = 600;

/// A message from a client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// Take a seat in a group's room. Exactly one of `invite` (members) or `group` (facilitators,
    /// identified by their session cookie) names the room; `resume` reclaims a seat after a drop.
    Join {
        /// Protocol version the client speaks; must be [`PROTOCOL_VERSION`].
        v: u32,
        /// Invite code from the join link's fragment.
        #[serde(default)]
        invite: Option<String>,
        /// Group id, for facilitators.
        #[serde(default)]
        group: Option<GroupId>,
        /// The name to be shown; members must give one, facilitators use their account's.
        #[serde(default)]
        pseudonym: Option<String>,
        /// The member has read and accepted the group's ground rules.
        #[serde(default)]
        accept_rules: bool,
        /// Resume token from an earlier `welcome` in this session.
        #[serde(default)]
        resume: Option<String>,
    },
    /// Post a chat message to the room.
    Say {
        /// The text, at most 2,000 characters.
        text: String,
        /// Opaque id chosen by the client, echoed in `ack` or `rejected` (never shown to others).
        #[serde(default)]
        client_id: Option<String>,
    },
    /// Add or take back a supportive reaction to a message.
    React {
        /// The message.
        message: MessageId,
        /// Which reaction.
        reaction: Reaction,
        /// `true` to add, `false` to take back.
        #[serde(default = "yes")]
        on: bool,
    },
    /// Raise (`up: true`) or lower a hand to ask for a turn.
    Hand {
        /// Raise or lower.
        up: bool,
    },
    /// Pass: "I'd rather listen for now". Lowers a raised hand.
    Pass {},
    /// Write privately to the facilitators (members never write privately to each other).
    ToFacilitators {
        /// The text.
        text: String,
        /// Echoed in `ack` / `rejected`.
        #[serde(default)]
        client_id: Option<String>,
    },
    /// Report a message to the facilitators.
    Report {
        /// The message.
        message: MessageId,
        /// Why.
        reason: Reason,
        /// Optional words for the facilitators.
        #[serde(default)]
        note: Option<String>,
    },
    /// "I need support now": the member gets crisis resources and the facilitators an alert.
    Support {},
    /// Leave the room now.
    Leave {},

    // Facilitators only.
    /// Let a waiting member in (`participant`), or everyone waiting (no `participant`).
    Admit {
        /// Who; everyone waiting when absent.
        #[serde(default)]
        participant: Option<ParticipantId>,
    },
    /// Stop a member from posting for some minutes.
    Mute {
        /// Who.
        participant: ParticipantId,
        /// For how long (1–180).
        minutes: u32,
        /// Why (recorded in the audit log).
        reason: Reason,
    },
    /// Let a muted member post again.
    Unmute {
        /// Who.
        participant: ParticipantId,
    },
    /// Remove a member from this session.
    Remove {
        /// Who.
        participant: ParticipantId,
        /// Why.
        reason: Reason,
    },
    /// Remove a member and refuse their browser in this group from now on.
    Ban {
        /// Who.
        participant: ParticipantId,
        /// Why.
        reason: Reason,
    },
    /// Delete a message for everyone.
    Delete {
        /// Which.
        message: MessageId,
        /// Why.
        reason: Reason,
    },
    /// Only facilitators may post until `resume`.
    Pause {},
    /// Everyone may post again.
    Resume {},
    /// Slow mode: each member may post once per `seconds` (0 turns it off).
    Slow {
        /// Seconds between a member's messages, 0–600.
        seconds: u32,
    },
    /// No new members may join.
    Lock {},
    /// New members may join again.
    Unlock {},
    /// Open the session (the waiting room becomes the live room).
    Open {},
    /// End the session for everyone.
    End {},
    /// Pin an announcement (`text`), or unpin it (no `text`).
    Announce {
        /// The announcement.
        #[serde(default)]
        text: Option<String>,
    },
    /// Give the turn to a member (or the first raised hand when absent).
    CallOn {
        /// Who; the first in the hand queue when absent.
        #[serde(default)]
        participant: Option<ParticipantId>,
    },
    /// Answer a member privately.
    Reply {
        /// The member.
        to: ParticipantId,
        /// The text.
        text: String,
        /// Echoed in `ack` / `rejected`.
        #[serde(default)]
        client_id: Option<String>,
    },
}

fn yes() -> bool {
    true
}

impl ClientMsg {
    /// The `type` tags the server understands, for telling "unknown type" from "wrong shape".
    pub const TYPES: &'static [&'static str] = &[
        "join",
        "say",
        "react",
        "hand",
        "pass",
        "to_facilitators",
        "report",
        "support",
        "leave",
        "admit",
        "mute",
        "unmute",
        "remove",
        "ban",
        "delete",
        "pause",
        "resume",
        "slow",
        "lock",
        "unlock",
        "open",
        "end",
        "announce",
        "call_on",
        "reply",
    ];
}

/// The small, fixed set of supportive reactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reaction {
    /// ❤️ Sending love.
    Heart,
    /// 🫂 A hug.
    Hug,
    /// 🙋 Me too / I relate.
    MeToo,
    /// 🙏 Thank you for sharing.
    ThankYou,
    /// 💪 You've got this.
    Strength,
}

/// Why a message was reported or a facilitator acted. Recorded in the audit log as a code; never
/// accompanied by what was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Shared or asked for contact details.
    ContactInfo,
    /// Disrespectful or hurtful to someone.
    Disrespect,
    /// Harassment or repeated unwanted attention.
    Harassment,
    /// Content that worries someone for a person's safety.
    Safety,
    /// Off topic or disruptive.
    OffTopic,
    /// Spam or flooding.
    Spam,
    /// Something else.
    Other,
}

impl Reason {
    /// The code as stored in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Reason::ContactInfo => "contact_info",
            Reason::Disrespect => "disrespect",
            Reason::Harassment => "harassment",
            Reason::Safety => "safety",
            Reason::OffTopic => "off_topic",
            Reason::Spam => "spam",
            Reason::Other => "other",
        }
    }
}

/// Why a client frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON at all, or not an object.
    BadJson,
    /// A JSON object whose `type` is missing or unknown.
    UnknownType,
    /// A known `type` with missing, extra or mistyped fields.
    InvalidMessage(String),
}

impl DecodeError {
    /// The error frame for this decode failure.
    pub fn to_server_msg(&self) -> ServerMsg {
        match self {
            DecodeError::BadJson => ServerMsg::error(
                ErrorCode::BadJson,
                "That frame was not a JSON object. Nothing was done.",
            ),
            DecodeError::UnknownType => ServerMsg::error(
                ErrorCode::UnknownType,
                "The message type is missing or unknown. Nothing was done.",
            ),
            DecodeError::InvalidMessage(detail) => ServerMsg::Error {
                code: ErrorCode::InvalidMessage,
                message: format!("The message has the wrong shape ({detail}). Nothing was done."),
            },
        }
    }
}

/// Decodes one text frame. The common case costs one parse; the error path parses a second time
/// to say precisely what was wrong.
///
/// # Errors
/// [`DecodeError`] describing whether the frame was not JSON, had an unknown type, or the wrong
/// fields.
pub fn decode(frame: &str) -> Result<ClientMsg, DecodeError> {
    match serde_json::from_str::<ClientMsg>(frame) {
        Ok(msg) => Ok(msg),
        Err(err) if err.is_syntax() || err.is_eof() => Err(DecodeError::BadJson),
        Err(err) => {
            #[derive(Deserialize)]
            struct Tag {
                #[serde(rename = "type")]
                kind: Option<String>,
            }
            match serde_json::from_str::<Tag>(frame) {
                Err(_) => Err(DecodeError::BadJson),
                Ok(Tag { kind: None }) => Err(DecodeError::UnknownType),
                Ok(Tag { kind: Some(kind) }) if !ClientMsg::TYPES.contains(&kind.as_str()) => {
                    Err(DecodeError::UnknownType)
                }
                Ok(_) => Err(DecodeError::InvalidMessage(describe_shape_error(
                    &err.to_string(),
                ))),
            }
        }
    }
}

/// serde's description of a shape error, made safe to send back: the position is dropped, and
/// values the client sent are cut (serde echoes strings, `invalid type: string "…"`, and unknown
/// names, ``unknown variant `…` ``), so the detail never carries message text. The names serde
/// expected are kept: they tell the client author what to send.
fn describe_shape_error(message: &str) -> String {
    const MAX_DETAIL_CHARS: usize = 120;
    let message = message.split(" at line ").next().unwrap_or(message);
    let message = hide_echoed_name(message);
    let message = message.as_str();
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        match rest[start + 1..].find('"') {
            Some(len) => {
                out.push('…');
                rest = &rest[start + 1 + len + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.chars().take(MAX_DETAIL_CHARS).collect()
}

/// Replaces the client-chosen name in ``unknown variant `x` `` / ``unknown field `x` ``.
fn hide_echoed_name(message: &str) -> String {
    for prefix in ["unknown variant `", "unknown field `"] {
        if let Some(start) = message.find(prefix) {
            let value_start = start + prefix.len();
            if let Some(len) = message[value_start..].find('`') {
                return format!(
                    "{}…{}",
                    &message[..value_start],
                    &message[value_start + len..]
                );
            }
        }
    }
    message.to_owned()
}

/// A participant as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    /// Session-scoped id.
    pub id: ParticipantId,
    /// Pseudonym (members) or account display name (facilitators).
    pub name: String,
    /// Member or facilitator.
    pub role: Role,
    /// Present, waiting to be admitted, or away (connection lost, seat kept).
    pub status: ParticipantStatus,
    /// Until when the participant is muted. Shown to facilitators only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted_until: Option<Millis>,
}

/// Where a participant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantStatus {
    /// In the waiting room until a facilitator admits them.
    Waiting,
    /// In the room.
    Present,
    /// Connection lost; the seat is kept for a while so they can come back.
    Away,
}

/// One chat message as delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Assigned by the room, increasing.
    pub id: MessageId,
    /// Who wrote it.
    pub from: ParticipantRef,
    /// The text.
    pub text: String,
    /// Server time, unix milliseconds.
    pub ts: Millis,
    /// Reactions so far: who gave each. Empty for new messages.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reactions: BTreeMap<Reaction, Vec<ParticipantId>>,
}

/// A participant named in a message: id, name and role at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantRef {
    /// Session-scoped id.
    pub id: ParticipantId,
    /// The name shown.
    pub name: String,
    /// Member or facilitator.
    pub role: Role,
}

/// The group as shown to someone in its room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    /// Group id.
    pub id: GroupId,
    /// Group name.
    pub name: String,
    /// Ground rules, shown before joining and kept visible in the room.
    pub rules: String,
}

/// Where a session is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the waiting room opens.
    Scheduled,
    /// The waiting room is open; the session has not started.
    Waiting,
    /// The session is on.
    Live,
    /// The session is about to end.
    Closing,
    /// Over: everything said is gone.
    Ended,
}

/// The room's shared state, sent in `welcome` and whenever it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    /// Where the session is.
    pub phase: Phase,
    /// Scheduled start, if the group has a schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<Millis>,
    /// Scheduled end, if the group has a schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<Millis>,
    /// Only facilitators may post.
    pub paused: bool,
    /// Why the room is paused: `facilitator` (a facilitator paused it) or `no_facilitator`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_because: Option<PauseCause>,
    /// Seconds between a member's messages; 0 when slow mode is off.
    pub slow_seconds: u32,
    /// No new members may join.
    pub locked: bool,
    /// The pinned announcement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<Announcement>,
    /// Raised hands, in order.
    pub hands: Vec<ParticipantId>,
}

/// Why the room is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseCause {
    /// A facilitator paused the chat.
    Facilitator,
    /// No facilitator is present; the chat waits for one.
    NoFacilitator,
}

/// A pinned announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// The text.
    pub text: String,
    /// Who pinned it.
    pub by: ParticipantRef,
    /// When.
    pub ts: Millis,
}

/// The crisis resources of a group's locale: always one click away in the client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrisisResources {
    /// Where these apply, in words ("United States").
    pub region: String,
    /// The emergency number ("911").
    pub emergency: String,
    /// The services, most general first.
    pub lines: Vec<ResourceView>,
}

/// One crisis or support service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceView {
    /// e.g. "988 Suicide & Crisis Lifeline".
    pub name: String,
    /// A sentence about it.
    pub description: String,
    /// When it answers ("24/7").
    pub available: String,
    /// A number to call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// A number to text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The word to text, when the service asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_word: Option<String>,
    /// A web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What a member asked for or said that made the server send resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourcesCause {
    /// The member pressed "I need support now".
    Requested,
    /// The member's message suggested they may be in danger.
    Crisis,
    /// The session ended.
    SessionEnded,
}

/// Whether someone arrived or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceEvent {
    /// Entered the room.
    Joined,
    /// Left, was removed, or lost the connection for good.
    Left,
    /// Lost the connection; may come back.
    Away,
    /// Came back after losing the connection.
    Back,
}

/// A turn-taking event, told to everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnEvent {
    /// A facilitator invited this participant to share.
    Called,
    /// This participant passed.
    Passed,
}

/// Kinds of facilitator alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The contact filter stopped (or masked) a message.
    Contact,
    /// A member reported a message.
    Report,
    /// A member's message suggests they may be in crisis.
    Crisis,
    /// A member pressed "I need support now".
    Support,
    /// A member was disconnected because their connection could not keep up.
    Dropped,
}

/// A moderation action, as told to facilitators and to the member it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    /// Let in from the waiting room.
    Admitted,
    /// Posting stopped for a while.
    Muted,
    /// Posting allowed again.
    Unmuted,
    /// Removed from this session.
    Removed,
    /// Removed and refused from now on.
    Banned,
    /// A message was deleted.
    Deleted,
    /// Chat paused.
    Paused,
    /// Chat resumed.
    Resumed,
    /// Slow mode changed.
    Slowed,
    /// Room locked.
    Locked,
    /// Room unlocked.
    Unlocked,
    /// Session opened.
    Opened,
    /// Session ended.
    Ended,
    /// Announcement pinned or unpinned.
    Announced,
}

/// Error codes carried in `error` and `rejected`. Each has a documented meaning in
/// `docs/protocol.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not a JSON object.
    BadJson,
    /// The `type` is missing or unknown.
    UnknownType,
    /// Known type, wrong fields.
    InvalidMessage,
    /// The `v` in `join` is not a version this server speaks.
    UnsupportedVersion,
    /// The message needs a seat: send `join` first.
    NotJoined,
    /// This connection already has a seat.
    AlreadyJoined,
    /// The invite code is unknown, expired, used up or revoked.
    InviteInvalid,
    /// The group's ground rules were not accepted.
    RulesNotAccepted,
    /// The pseudonym was refused; the message says why.
    PseudonymInvalid,
    /// Another participant already uses that name or one that looks like it.
    PseudonymTaken,
    /// The room is at capacity.
    RoomFull,
    /// The room is locked: no new members.
    RoomLocked,
    /// The session has not opened yet.
    SessionNotOpen,
    /// The session has ended.
    SessionEnded,
    /// This browser was removed from this session or banned from the group.
    Banned,
    /// Only a facilitator of this group may do that.
    Forbidden,
    /// The participant or message named does not exist (any more).
    NotFound,
    /// Still in the waiting room.
    Waiting,
    /// The message text was refused (empty, too long, control characters).
    TextInvalid,
    /// Too many messages too fast.
    RateLimited,
    /// The message contained contact details.
    ContactInfo,
    /// A facilitator muted you for now.
    Muted,
    /// The chat is paused.
    Paused,
    /// Slow mode: wait a little before the next message.
    SlowMode,
    /// The resume token is unknown or expired.
    ResumeInvalid,
    /// Too many failed attempts; wait and try again.
    TooManyAttempts,
    /// Something went wrong on the server; nothing was done.
    Internal,
}

/// A message from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// You have a seat (or your view of the room starts afresh: after admission, after resuming).
    /// `history` frames with the session so far follow it when you are present. Boxed: it is
    /// large and rare, and every other message would otherwise carry its size.
    Welcome(Box<Welcome>),
    /// Earlier messages of this session, oldest first, in one or more frames after `welcome`.
    History {
        /// A batch of messages.
        messages: Vec<ChatMessage>,
    },
    /// For a facilitator arriving or coming back (a reload, a second tab): the session's private
    /// messages and alerts so far, each exactly as it was first sent (`private` and `alert`),
    /// oldest first, so that nothing a member wrote to the facilitators is lost with a page.
    FacilitatorHistory {
        /// `private` and `alert` messages.
        items: Vec<ServerMsg>,
    },
    /// A new chat message.
    Message(ChatMessage),
    /// Your `say` (or private message) was accepted as message `id`.
    Ack {
        /// The id you sent.
        client_id: Option<String>,
        /// The message id it got.
        id: MessageId,
        /// Server time.
        ts: Millis,
    },
    /// Your message was not delivered.
    Rejected {
        /// The id you sent.
        client_id: Option<String>,
        /// Why, as a code.
        code: ErrorCode,
        /// Why, in words for the sender.
        reason: String,
        /// For `contact_info`: what kind of contact detail was found (`phone`, `email`, …).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        matched: Vec<String>,
    },
    /// Someone arrived, left, went away or came back.
    Presence {
        /// Which.
        event: PresenceEvent,
        /// Who.
        participant: ParticipantRef,
    },
    /// Everyone present (to members) or everyone, with mute state (to facilitators).
    Roster {
        /// The participants.
        participants: Vec<ParticipantView>,
    },
    /// Members waiting to be admitted (facilitators only).
    WaitingRoom {
        /// The waiting members, in order of arrival.
        participants: Vec<ParticipantView>,
    },
    /// The room's state changed.
    RoomState(RoomView),
    /// Someone reacted to a message (or took the reaction back).
    Reaction {
        /// The message.
        message: MessageId,
        /// Which reaction.
        reaction: Reaction,
        /// Who.
        by: ParticipantId,
        /// Added (`true`) or taken back.
        on: bool,
    },
    /// A turn-taking event.
    Turn {
        /// Called on, or passed.
        event: TurnEvent,
        /// Whose turn.
        participant: ParticipantRef,
    },
    /// A message was deleted by a facilitator; remove it.
    Deleted {
        /// The message.
        message: MessageId,
    },
    /// A private message between a member and the facilitators.
    Private {
        /// Id (in the same sequence as chat messages).
        id: MessageId,
        /// Who wrote it.
        from: ParticipantRef,
        /// The member of this thread (the writer, or the one a facilitator answered).
        member: ParticipantRef,
        /// The text.
        text: String,
        /// Server time.
        ts: Millis,
    },
    /// Something a facilitator should look at (facilitators only).
    Alert {
        /// What happened.
        kind: AlertKind,
        /// The member concerned.
        participant: ParticipantRef,
        /// The message concerned, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<MessageId>,
        /// For contact alerts: the text with contact details masked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        masked: Option<String>,
        /// For contact alerts: the kinds found.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        kinds: Vec<String>,
        /// For reports: the reason given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Reason>,
        /// For reports: the reporter's note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Who reported, for reports.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<ParticipantRef>,
        /// For contact alerts: whether the message was blocked (`true`) or delivered masked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        blocked: Option<bool>,
        /// Server time.
        ts: Millis,
    },
    /// Your report reached the facilitators.
    Reported {
        /// The message you reported.
        message: MessageId,
    },
    /// Crisis resources, sent privately to one member.
    Resources {
        /// Why they are being shown.
        cause: ResourcesCause,
        /// The resources.
        resources: CrisisResources,
    },
    /// A moderation action: to the facilitators (as acknowledgement and shared log) and to the
    /// member it concerns.
    Moderation {
        /// What was done.
        action: ModerationAction,
        /// The facilitator who did it; absent when the schedule or a timer did it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<ParticipantRef>,
        /// The member concerned, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        participant: Option<ParticipantRef>,
        /// The message concerned, for deletions.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<MessageId>,
        /// Until when, for mutes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Millis>,
        /// Why, when a reason was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Reason>,
    },
    /// The session is over. The server closes the connection (4004) after this.
    Ended {
        /// The next session of this group, if one is scheduled.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_session: Option<Millis>,
        /// Resources to leave with.
        resources: CrisisResources,
    },
    /// A request failed; the connection stays open.
    Error {
        /// What went wrong, as a code.
        code: ErrorCode,
        /// What went wrong, in words.
        message: String,
    },
}

impl ServerMsg {
    /// An `error` frame.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> ServerMsg {
        ServerMsg::Error {
            code,
            message: message.into(),
        }
    }

    /// A `rejected` frame without matched kinds.
    pub fn rejected(
        client_id: Option<String>,
        code: ErrorCode,
        reason: impl Into<String>,
    ) -> ServerMsg {
        ServerMsg::Rejected {
            client_id,
            code,
            reason: reason.into(),
            matched: Vec::new(),
        }
    }

    /// Encodes the message as one JSON text frame.
    pub fn encode(&self) -> String {
        // Serializing these plain data types cannot fail: no maps with non-string keys, no
        // custom Serialize impls that return errors.
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"error","code":"internal","message":"Encoding failed."}"#.to_owned()
        })
    }
}

/// The contents of `welcome`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    /// Protocol version.
    pub v: u32,
    /// Your own seat.
    pub you: ParticipantView,
    /// The group.
    pub group: GroupView,
    /// The room's state.
    pub room: RoomView,
    /// Everyone present (empty while you wait to be admitted).
    pub roster: Vec<ParticipantView>,
    /// Keep this (in sessionStorage) to reclaim your seat after a dropped connection.
    pub resume: String,
    /// Limits the client should apply before sending.
    pub limits: Limits,
    /// Crisis resources for this group, to keep one click away.
    pub resources: CrisisResources,
}

/// Limits told to the client in `welcome`, so it can check before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Longest message, in characters.
    pub max_text_chars: usize,
    /// Messages allowed in a burst.
    pub burst: u32,
    /// Sustained messages per minute.
    pub per_minute: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_decodes_with_defaults() {
        let msg = decode(
            r#"{"type":"join","v":1,"invite":"abc","pseudonym":"River","accept_rules":true}"#,
        )
        .unwrap();
        assert_eq!(
            msg,
            ClientMsg::Join {
                v: 1,
                invite: Some("abc".into()),
                group: None,
                pseudonym: Some("River".into()),
                accept_rules: true,
                resume: None,
            }
        );
    }

    #[test]
    fn every_known_type_decodes_from_its_documented_example() {
        let examples = [
            r#"{"type":"say","text":"hi","client_id":"c1"}"#,
            r#"{"type":"react","message":3,"reaction":"hug"}"#,
            r#"{"type":"react","message":3,"reaction":"me_too","on":false}"#,
            r#"{"type":"hand","up":true}"#,
            r#"{"type":"pass"}"#,
            r#"{"type":"to_facilitators","text":"can we talk after?"}"#,
            r#"{"type":"report","message":3,"reason":"harassment","note":"this hurt"}"#,
            r#"{"type":"support"}"#,
            r#"{"type":"leave"}"#,
            r#"{"type":"admit"}"#,
            r#"{"type":"admit","participant":4}"#,
            r#"{"type":"mute","participant":4,"minutes":10,"reason":"disrespect"}"#,
            r#"{"type":"unmute","participant":4}"#,
            r#"{"type":"remove","participant":4,"reason":"harassment"}"#,
            r#"{"type":"ban","participant":4,"reason":"contact_info"}"#,
            r#"{"type":"delete","message":3,"reason":"contact_info"}"#,
            r#"{"type":"pause"}"#,
            r#"{"type":"resume"}"#,
            r#"{"type":"slow","seconds":30}"#,
            r#"{"type":"lock"}"#,
            r#"{"type":"unlock"}"#,
            r#"{"type":"open"}"#,
            r#"{"type":"end"}"#,
            r#"{"type":"announce","text":"Break in 5 minutes"}"#,
            r#"{"type":"announce"}"#,
            r#"{"type":"call_on"}"#,
            r#"{"type":"call_on","participant":4}"#,
            r#"{"type":"reply","to":4,"text":"I'm here for you"}"#,
        ];
        let mut seen = std::collections::BTreeSet::new();
        for example in examples {
            let msg = decode(example).unwrap_or_else(|e| panic!("{example}: {e:?}"));
            let value: serde_json::Value = serde_json::from_str(example).unwrap();
            seen.insert(value["type"].as_str().unwrap().to_owned());
            let _ = msg;
        }
        seen.insert("join".to_owned());
        let known: std::collections::BTreeSet<String> =
            ClientMsg::TYPES.iter().map(|t| (*t).to_owned()).collect();
        assert_eq!(seen, known, "every type has an example");
    }

    #[test]
    fn bad_frames_are_classified() {
        assert_eq!(decode("not json"), Err(DecodeError::BadJson));
        assert_eq!(decode("{\"type\":"), Err(DecodeError::BadJson));
        assert_eq!(decode("[1,2]"), Err(DecodeError::BadJson));
        assert_eq!(decode(r#"{"text":"hi"}"#), Err(DecodeError::UnknownType));
        assert_eq!(decode(r#"{"type":"dance"}"#), Err(DecodeError::UnknownType));
        assert!(matches!(
            decode(r#"{"type":"say"}"#),
            Err(DecodeError::InvalidMessage(_))
        ));
        assert!(matches!(
            decode(r#"{"type":"say","text":5}"#),
            Err(DecodeError::InvalidMessage(_))
        ));
        assert!(matches!(
            decode(r#"{"type":"react","message":1,"reaction":"thumbs_down"}"#),
            Err(DecodeError::InvalidMessage(_))
        ));
    }

    #[test]
    fn unknown_fields_are_rejected_including_claimed_roles() {
        for frame in [
            r#"{"type":"say","text":"hi","role":"facilitator"}"#,
            r#"{"type":"say","text":"hi","from":3}"#,
            r#"{"type":"leave","x":1}"#,
            r#"{"type":"mute","participant":4,"minutes":10,"reason":"spam","by":1}"#,
        ] {
            assert!(
                matches!(decode(frame), Err(DecodeError::InvalidMessage(_))),
                "{frame}"
            );
        }
    }

    #[test]
    fn invalid_message_detail_never_echoes_values() {
        for frame in [
            r#"{"type":"say","text":["secret-canary"]}"#,
            r#"{"type":"join","v":"secret-canary"}"#,
            r#"{"type":"join","v":1,"accept_rules":"secret-canary"}"#,
            r#"{"type":"react","message":1,"reaction":"secret-canary"}"#,
        ] {
            let Err(DecodeError::InvalidMessage(detail)) = decode(frame) else {
                panic!("expected invalid message for {frame}");
            };
            assert!(!detail.contains("secret-canary"), "{detail}");
        }
    }

    #[test]
    fn server_messages_encode_as_tagged_json() {
        let msg = ServerMsg::Ack {
            client_id: Some("c1".into()),
            id: MessageId(7),
            ts: Millis(1_000),
        };
        assert_eq!(
            msg.encode(),
            r#"{"type":"ack","client_id":"c1","id":7,"ts":1000}"#
        );
        let err = ServerMsg::error(ErrorCode::RateLimited, "slow down");
        assert_eq!(
            err.encode(),
            r#"{"type":"error","code":"rate_limited","message":"slow down"}"#
        );
        let message = ServerMsg::Message(ChatMessage {
            id: MessageId(1),
            from: ParticipantRef {
                id: ParticipantId(2),
                name: "River".into(),
                role: Role::Member,
            },
            text: "hi".into(),
            ts: Millis(5),
            reactions: BTreeMap::new(),
        });
        assert_eq!(
            message.encode(),
            r#"{"type":"message","id":1,"from":{"id":2,"name":"River","role":"member"},"text":"hi","ts":5}"#
        );
    }
}
