//! The functional core of a room: who is here, what was said this session, and the rules for
//! each request.
//!
//! [`Room`] is a plain state machine. Every entry point takes the current time as an argument and
//! returns the messages to send as [`Outgoing`] values; it performs no I/O, reads no clock and
//! spawns nothing, so every rule is unit-tested without sockets. The room task (`room::actor`)
//! drives it and delivers what it returns.
//!
//! Must not depend on tokio, axum, the store or the HTTP layer.

use std::collections::{BTreeMap, VecDeque};

use crate::domain::{MessageId, MessageText, Millis, ParticipantId, Pseudonym, Role};
use crate::protocol::{
    ChatMessage, ErrorCode, GroupView, Limits, ParticipantView, PresenceEvent, ServerMsg,
};

/// Messages kept for late joiners. A 90-minute group rarely says more than a few hundred things;
/// the bound keeps a runaway session from growing memory without limit.
pub const SCROLLBACK_LIMIT: usize = 500;

/// Text bytes per `history` frame after `welcome`. Keeps each frame well under the client's and
/// tungstenite's buffer sizes while sending a full scrollback in a few dozen frames.
pub const HISTORY_BATCH_TEXT_BYTES: usize = 32 * 1024;

/// Facilitators in a room at once, beyond the member capacity (two co-facilitators plus an
/// operator dropping in).
pub const FACILITATOR_SEATS: usize = 3;

/// How a room is set up when it starts.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// Shown to everyone in the room.
    pub group: GroupView,
    /// Members at most (facilitators are counted separately).
    pub capacity: usize,
    /// Told to clients in `welcome`.
    pub limits: Limits,
}

/// Who receives an outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// One participant.
    One(ParticipantId),
    /// Everyone in the room.
    All,
    /// Everyone but one (e.g. the one who just arrived).
    AllExcept(ParticipantId),
}

/// A message the room wants delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// To whom.
    pub to: Audience,
    /// What.
    pub msg: ServerMsg,
}

impl Outgoing {
    fn one(to: ParticipantId, msg: ServerMsg) -> Outgoing {
        Outgoing {
            to: Audience::One(to),
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
}

/// Why a seat was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// Someone present already looks like that name.
    #[error(
        "Someone here already uses that name (or one that looks just like it). Please choose another."
    )]
    NameTaken,
    /// No seat left.
    #[error("This group is full right now. Please try again later or ask the facilitator.")]
    Full,
}

impl JoinError {
    /// The protocol code for this refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            JoinError::NameTaken => ErrorCode::PseudonymTaken,
            JoinError::Full => ErrorCode::RoomFull,
        }
    }
}

/// A request from a seated participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Post a chat message.
    Say {
        /// The raw text, parsed here.
        text: String,
        /// Echoed in `ack` / `rejected`.
        client_id: Option<String>,
    },
}

/// Why someone is no longer in the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveReason {
    /// They chose to leave or closed the tab.
    Left,
    /// Their connection could not keep up and was closed.
    TooSlow,
}

#[derive(Debug, Clone)]
struct Participant {
    name: Pseudonym,
    role: Role,
}

/// One live room.
#[derive(Debug)]
pub struct Room {
    settings: RoomSettings,
    participants: BTreeMap<ParticipantId, Participant>,
    scrollback: VecDeque<ChatMessage>,
    next_participant: u32,
    next_message: u64,
}

impl Room {
    /// An empty room.
    pub fn new(settings: RoomSettings) -> Room {
        Room {
            settings,
            participants: BTreeMap::new(),
            scrollback: VecDeque::new(),
            next_participant: 1,
            next_message: 1,
        }
    }

    /// True when nobody is seated.
    pub fn is_empty(&self) -> bool {
        self.participants.is_empty()
    }

    /// Participants seated now.
    pub fn len(&self) -> usize {
        self.participants.len()
    }

    /// Calls `deliver` for each participant in `audience`, without allocating.
    pub fn for_each_recipient(&self, audience: Audience, mut deliver: impl FnMut(ParticipantId)) {
        match audience {
            Audience::One(id) => {
                if self.participants.contains_key(&id) {
                    deliver(id);
                }
            }
            Audience::All => self.participants.keys().copied().for_each(deliver),
            Audience::AllExcept(except) => self
                .participants
                .keys()
                .copied()
                .filter(|id| *id != except)
                .for_each(deliver),
        }
    }

    /// Seats a participant: they get `welcome` and the session so far, everyone else a
    /// `presence` notice.
    ///
    /// # Errors
    /// [`JoinError`] if the name is taken or the room is full.
    pub fn join(
        &mut self,
        _now: Millis,
        request: JoinRequest,
    ) -> Result<(ParticipantId, Vec<Outgoing>), JoinError> {
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

        let id = ParticipantId(self.next_participant);
        self.next_participant += 1;
        self.participants.insert(
            id,
            Participant {
                name: request.name,
                role: request.role,
            },
        );

        let mut out = vec![Outgoing::one(
            id,
            ServerMsg::Welcome {
                v: crate::protocol::PROTOCOL_VERSION,
                you: self.view(id),
                group: self.settings.group.clone(),
                roster: self.participants.keys().map(|p| self.view(*p)).collect(),
                limits: self.settings.limits,
            },
        )];
        out.extend(self.history_batches(id));
        out.push(Outgoing {
            to: Audience::AllExcept(id),
            msg: ServerMsg::Presence {
                event: PresenceEvent::Joined,
                participant: self.view(id),
            },
        });
        Ok((id, out))
    }

    /// Handles one request from a seated participant.
    pub fn handle(&mut self, now: Millis, from: ParticipantId, command: Command) -> Vec<Outgoing> {
        if !self.participants.contains_key(&from) {
            return Vec::new();
        }
        match command {
            Command::Say { text, client_id } => self.say(now, from, &text, client_id),
        }
    }

    /// Removes a participant and tells the others.
    pub fn leave(&mut self, _now: Millis, who: ParticipantId, _why: LeaveReason) -> Vec<Outgoing> {
        let Some(participant) = self.participants.remove(&who) else {
            return Vec::new();
        };
        vec![Outgoing {
            to: Audience::All,
            msg: ServerMsg::Presence {
                event: PresenceEvent::Left,
                participant: ParticipantView {
                    id: who,
                    name: participant.name.as_str().to_owned(),
                    role: participant.role,
                },
            },
        }]
    }

    fn say(
        &mut self,
        now: Millis,
        from: ParticipantId,
        raw: &str,
        client_id: Option<String>,
    ) -> Vec<Outgoing> {
        let text = match MessageText::parse(raw) {
            Ok(text) => text,
            Err(err) => {
                return vec![Outgoing::one(
                    from,
                    ServerMsg::Rejected {
                        client_id,
                        code: ErrorCode::TextInvalid,
                        reason: err.to_string(),
                    },
                )];
            }
        };
        let id = MessageId(self.next_message);
        self.next_message += 1;
        let message = ChatMessage {
            id,
            from: self.view(from),
            text: text.as_str().to_owned(),
            ts: now,
        };
        if self.scrollback.len() == SCROLLBACK_LIMIT {
            self.scrollback.pop_front();
        }
        self.scrollback.push_back(message.clone());
        vec![
            Outgoing::one(
                from,
                ServerMsg::Ack {
                    client_id,
                    id,
                    ts: now,
                },
            ),
            Outgoing {
                to: Audience::All,
                msg: ServerMsg::Message(message),
            },
        ]
    }

    fn history_batches(&self, to: ParticipantId) -> Vec<Outgoing> {
        let mut batches = Vec::new();
        let mut batch = Vec::new();
        let mut batch_bytes = 0;
        for message in &self.scrollback {
            if !batch.is_empty() && batch_bytes + message.text.len() > HISTORY_BATCH_TEXT_BYTES {
                batches.push(Outgoing::one(
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
            batches.push(Outgoing::one(to, ServerMsg::History { messages: batch }));
        }
        batches
    }

    fn count(&self, role: Role) -> usize {
        self.participants
            .values()
            .filter(|p| p.role == role)
            .count()
    }

    fn view(&self, id: ParticipantId) -> ParticipantView {
        let participant = &self.participants[&id];
        ParticipantView {
            id,
            name: participant.name.as_str().to_owned(),
            role: participant.role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GroupId;

    const T0: Millis = Millis(1_700_000_000_000);

    fn room(capacity: usize) -> Room {
        Room::new(RoomSettings {
            group: GroupView {
                id: GroupId(1),
                name: "Tuesday evening".into(),
                rules: "Be kind.".into(),
            },
            capacity,
            limits: Limits {
                max_text_chars: 2_000,
                burst: 5,
                per_minute: 60,
            },
        })
    }

    fn member(name: &str) -> JoinRequest {
        JoinRequest {
            name: Pseudonym::parse(name).unwrap(),
            role: Role::Member,
        }
    }

    fn facilitator(name: &str) -> JoinRequest {
        JoinRequest {
            name: Pseudonym::parse_staff(name).unwrap(),
            role: Role::Facilitator,
        }
    }

    fn say(text: &str) -> Command {
        Command::Say {
            text: text.into(),
            client_id: Some("c".into()),
        }
    }

    fn messages_to(out: &[Outgoing], room: &Room, id: ParticipantId) -> Vec<ServerMsg> {
        out.iter()
            .filter(|o| {
                let mut hit = false;
                room.for_each_recipient(o.to, |p| hit |= p == id);
                hit
            })
            .map(|o| o.msg.clone())
            .collect()
    }

    #[test]
    fn joining_sends_welcome_with_roster_and_tells_the_others() {
        let mut room = room(12);
        let (river, _) = room.join(T0, member("River")).unwrap();
        let (sky, out) = room.join(T0, member("Sky")).unwrap();

        let to_sky = messages_to(&out, &room, sky);
        let ServerMsg::Welcome { you, roster, .. } = &to_sky[0] else {
            panic!("first message must be welcome, got {to_sky:?}");
        };
        assert_eq!(you.name, "Sky");
        assert_eq!(
            roster.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["River", "Sky"]
        );
        let to_river = messages_to(&out, &room, river);
        assert_eq!(
            to_river,
            vec![ServerMsg::Presence {
                event: PresenceEvent::Joined,
                participant: ParticipantView {
                    id: sky,
                    name: "Sky".into(),
                    role: Role::Member
                }
            }]
        );
    }

    #[test]
    fn duplicate_and_lookalike_names_are_refused() {
        let mut room = room(12);
        room.join(T0, member("River")).unwrap();
        for name in ["River", "river", "RIVER", "Rіver", "R i v e r"] {
            assert_eq!(
                room.join(T0, member(name)).unwrap_err(),
                JoinError::NameTaken,
                "{name}"
            );
        }
        assert!(room.join(T0, member("Rivers")).is_ok());
    }

    #[test]
    fn a_name_is_free_again_after_its_owner_leaves() {
        let mut room = room(12);
        let (river, _) = room.join(T0, member("River")).unwrap();
        room.leave(T0, river, LeaveReason::Left);
        assert!(room.join(T0, member("River")).is_ok());
    }

    #[test]
    fn capacity_counts_members_and_keeps_seats_for_facilitators() {
        let mut room = room(2);
        room.join(T0, member("A1")).unwrap();
        room.join(T0, member("B1")).unwrap();
        assert_eq!(room.join(T0, member("C1")).unwrap_err(), JoinError::Full);
        assert!(room.join(T0, facilitator("Sam")).is_ok());
        assert_eq!(room.len(), 3);
    }

    #[test]
    fn say_acks_the_sender_and_reaches_everyone_in_order() {
        let mut room = room(12);
        let (river, _) = room.join(T0, member("River")).unwrap();
        let (sky, _) = room.join(T0, member("Sky")).unwrap();

        let first = room.handle(T0, river, say("hello"));
        let second = room.handle(T0.plus_ms(5), sky, say("hi River"));

        let ServerMsg::Ack { id: first_id, .. } = messages_to(&first, &room, river)[0] else {
            panic!("sender gets ack first");
        };
        let to_sky: Vec<_> = messages_to(&first, &room, sky)
            .into_iter()
            .chain(messages_to(&second, &room, sky))
            .filter_map(|m| match m {
                ServerMsg::Message(m) => Some((m.id, m.text, m.from.name)),
                _ => None,
            })
            .collect();
        assert_eq!(
            to_sky,
            vec![
                (first_id, "hello".to_owned(), "River".to_owned()),
                (
                    MessageId(first_id.0 + 1),
                    "hi River".to_owned(),
                    "Sky".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn invalid_text_is_rejected_to_the_sender_only() {
        let mut room = room(12);
        let (river, _) = room.join(T0, member("River")).unwrap();
        room.join(T0, member("Sky")).unwrap();
        let out = room.handle(T0, river, say(&"x".repeat(2_001)));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].to, Audience::One(river));
        assert!(matches!(
            out[0].msg,
            ServerMsg::Rejected {
                code: ErrorCode::TextInvalid,
                ..
            }
        ));
        let out = room.handle(T0, river, say("   "));
        assert!(matches!(
            out[0].msg,
            ServerMsg::Rejected {
                code: ErrorCode::TextInvalid,
                ..
            }
        ));
    }

    #[test]
    fn late_joiner_receives_the_session_so_far() {
        let mut room = room(12);
        let (river, _) = room.join(T0, member("River")).unwrap();
        room.handle(T0, river, say("one"));
        room.handle(T0, river, say("two"));
        let (sky, out) = room.join(T0, member("Sky")).unwrap();
        let history: Vec<String> = messages_to(&out, &room, sky)
            .into_iter()
            .flat_map(|m| match m {
                ServerMsg::History { messages } => messages,
                _ => Vec::new(),
            })
            .map(|m| m.text)
            .collect();
        assert_eq!(history, ["one", "two"]);
    }

    #[test]
    fn scrollback_is_bounded_and_sent_in_batches() {
        let mut room = room(12);
        let (river, _) = room.join(T0, member("River")).unwrap();
        let long = "y".repeat(2_000);
        for _ in 0..SCROLLBACK_LIMIT + 20 {
            room.handle(T0, river, say(&long));
        }
        let (sky, out) = room.join(T0, member("Sky")).unwrap();
        let batches: Vec<Vec<ChatMessage>> = messages_to(&out, &room, sky)
            .into_iter()
            .filter_map(|m| match m {
                ServerMsg::History { messages } => Some(messages),
                _ => None,
            })
            .collect();
        assert!(batches.len() > 1);
        let all: Vec<_> = batches.iter().flatten().collect();
        assert_eq!(all.len(), SCROLLBACK_LIMIT);
        assert_eq!(all[0].id, MessageId(21), "the oldest 20 were dropped");
        for batch in &batches {
            let bytes: usize = batch.iter().map(|m| m.text.len()).sum();
            assert!(bytes <= HISTORY_BATCH_TEXT_BYTES);
        }
    }

    #[test]
    fn leaving_tells_everyone_else_and_is_idempotent() {
        let mut room = room(12);
        let (river, _) = room.join(T0, member("River")).unwrap();
        let (sky, _) = room.join(T0, member("Sky")).unwrap();
        let out = room.leave(T0, river, LeaveReason::Left);
        assert_eq!(
            messages_to(&out, &room, sky),
            vec![ServerMsg::Presence {
                event: PresenceEvent::Left,
                participant: ParticipantView {
                    id: river,
                    name: "River".into(),
                    role: Role::Member
                }
            }]
        );
        assert!(room.leave(T0, river, LeaveReason::Left).is_empty());
        assert!(room.handle(T0, river, say("ghost")).is_empty());
    }

    #[test]
    fn participant_ids_are_never_reused_within_a_session() {
        let mut room = room(12);
        let (first, _) = room.join(T0, member("River")).unwrap();
        room.leave(T0, first, LeaveReason::Left);
        let (second, _) = room.join(T0, member("River")).unwrap();
        assert_ne!(first, second);
    }
}
