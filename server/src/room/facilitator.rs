//! What facilitators can do: admit, mute, remove, ban, delete, pause, slow, lock, open, end,
//! announce, give turns and answer privately. Part of the pure room core (see `state.rs`).
//!
//! Every action is acknowledged to all facilitators (a `moderation` message, so co-facilitators
//! see it too), told in plain words to the member it concerns, and recorded as an audit event
//! (who, what, to which seat, why; never what was said). `Room::handle` only calls in here for
//! participants whose role is facilitator.

use crate::domain::{MessageId, MessageText, Millis, ParticipantId, Role};
use crate::protocol::{
    Announcement, ClientMsg, ErrorCode, MUTE_MAX_MINUTES, ModerationAction, Reason,
    SLOW_MAX_SECONDS, ServerMsg, TurnEvent,
};

use super::state::{Audience, AuditEvent, CloseWhy, Outgoing, Room};

impl Room {
    /// Dispatches a facilitator's request.
    pub(super) fn facilitate(
        &mut self,
        now: Millis,
        by: ParticipantId,
        msg: ClientMsg,
        out: &mut Vec<Outgoing>,
    ) {
        match msg {
            ClientMsg::Admit { participant } => self.admit(now, by, participant, out),
            ClientMsg::Mute {
                participant,
                minutes,
                reason,
            } => self.mute(now, by, participant, minutes, reason, out),
            ClientMsg::Unmute { participant } => self.unmute(now, by, participant, out),
            ClientMsg::Remove {
                participant,
                reason,
            } => self.expel(now, by, participant, reason, false, out),
            ClientMsg::Ban {
                participant,
                reason,
            } => self.expel(now, by, participant, reason, true, out),
            ClientMsg::Delete { message, reason } => self.delete(now, by, message, reason, out),
            ClientMsg::Pause {} => {
                self.paused_by_facilitator = true;
                self.acknowledge(now, by, ModerationAction::Paused, None, None, out);
            }
            ClientMsg::Resume {} => {
                self.paused_by_facilitator = false;
                self.acknowledge(now, by, ModerationAction::Resumed, None, None, out);
            }
            ClientMsg::Slow { seconds } => {
                if seconds > SLOW_MAX_SECONDS {
                    out.push(Room::error(
                        by,
                        ErrorCode::InvalidMessage,
                        "Slow mode can be at most 600 seconds (0 turns it off).",
                    ));
                    return;
                }
                self.slow_seconds = seconds;
                self.acknowledge(now, by, ModerationAction::Slowed, None, None, out);
            }
            ClientMsg::Lock {} => {
                self.locked = true;
                self.acknowledge(now, by, ModerationAction::Locked, None, None, out);
            }
            ClientMsg::Unlock {} => {
                self.locked = false;
                self.acknowledge(now, by, ModerationAction::Unlocked, None, None, out);
            }
            ClientMsg::Open {} => {
                if self.opened_at.is_some() {
                    out.push(Room::error(
                        by,
                        ErrorCode::InvalidMessage,
                        "The session is already open.",
                    ));
                    return;
                }
                self.open_session(now, Some(by), out);
                let msg = self.moderation(ModerationAction::Opened, by, None, None);
                out.push(Outgoing::send(Audience::Facilitators, msg));
            }
            ClientMsg::End {} => {
                let msg = self.moderation(ModerationAction::Ended, by, None, None);
                out.push(Outgoing::send(Audience::Facilitators, msg));
                self.end_session(now, Some(by), out);
            }
            ClientMsg::Announce { text } => self.announce(now, by, text, out),
            ClientMsg::CallOn { participant } => self.call_on(by, participant, out),
            ClientMsg::Reply {
                to,
                text,
                client_id,
            } => match self.participants.get(&to) {
                Some(p) if p.role == Role::Member => {
                    self.private(now, by, to, &text, client_id, out);
                }
                _ => out.push(Outgoing::to(
                    by,
                    ServerMsg::rejected(
                        client_id,
                        ErrorCode::NotFound,
                        "That member is no longer here.",
                    ),
                )),
            },
            // Member requests are dispatched before this function is called.
            ClientMsg::Join { .. }
            | ClientMsg::Say { .. }
            | ClientMsg::Leave {}
            | ClientMsg::React { .. }
            | ClientMsg::Hand { .. }
            | ClientMsg::Pass {}
            | ClientMsg::ToFacilitators { .. }
            | ClientMsg::Report { .. }
            | ClientMsg::Support {} => {}
        }
    }

    fn admit(
        &mut self,
        now: Millis,
        by: ParticipantId,
        participant: Option<ParticipantId>,
        out: &mut Vec<Outgoing>,
    ) {
        let targets: Vec<ParticipantId> = match participant {
            Some(id) => match self.participants.get(&id) {
                Some(p) if !p.admitted => vec![id],
                Some(_) => {
                    out.push(Room::error(
                        by,
                        ErrorCode::InvalidMessage,
                        "That member is already in the room.",
                    ));
                    return;
                }
                None => {
                    out.push(not_here(by));
                    return;
                }
            },
            None => self
                .participants
                .iter()
                .filter(|(_, p)| !p.admitted)
                .map(|(id, _)| *id)
                .collect(),
        };
        for id in targets {
            self.admit_one(now, id, out);
            self.acknowledge(now, by, ModerationAction::Admitted, Some(id), None, out);
        }
    }

    /// The member a moderation action targets: present in the room's seats and not a
    /// facilitator. Pushes an error to `by` otherwise.
    fn member_target(
        &self,
        by: ParticipantId,
        participant: ParticipantId,
        out: &mut Vec<Outgoing>,
    ) -> bool {
        match self.participants.get(&participant) {
            None => {
                out.push(not_here(by));
                false
            }
            Some(p) if p.role == Role::Facilitator => {
                out.push(Room::error(
                    by,
                    ErrorCode::Forbidden,
                    "Moderation actions apply to members, not to facilitators.",
                ));
                false
            }
            Some(_) => true,
        }
    }

    fn mute(
        &mut self,
        now: Millis,
        by: ParticipantId,
        participant: ParticipantId,
        minutes: u32,
        reason: Reason,
        out: &mut Vec<Outgoing>,
    ) {
        if !(1..=MUTE_MAX_MINUTES).contains(&minutes) {
            out.push(Room::error(
                by,
                ErrorCode::InvalidMessage,
                "A mute lasts from 1 to 180 minutes.",
            ));
            return;
        }
        if !self.member_target(by, participant, out) {
            return;
        }
        let until = now.plus_ms(i64::from(minutes) * 60_000);
        if let Some(p) = self.participants.get_mut(&participant) {
            p.muted_until = Some(until);
        }
        self.mark_roster_changed();
        let msg = ServerMsg::Moderation {
            action: ModerationAction::Muted,
            by: Some(self.reference(by)),
            participant: Some(self.reference(participant)),
            message: None,
            until: Some(until),
            reason: Some(reason),
        };
        out.push(Outgoing::to(participant, msg.clone()));
        out.push(Outgoing::send(Audience::Facilitators, msg));
        out.push(self.audit(
            now,
            by,
            ModerationAction::Muted,
            Some(participant),
            Some(reason),
        ));
    }

    fn unmute(
        &mut self,
        now: Millis,
        by: ParticipantId,
        participant: ParticipantId,
        out: &mut Vec<Outgoing>,
    ) {
        if !self.member_target(by, participant, out) {
            return;
        }
        if let Some(p) = self.participants.get_mut(&participant) {
            p.muted_until = None;
        }
        self.mark_roster_changed();
        let msg = self.moderation(ModerationAction::Unmuted, by, Some(participant), None);
        out.push(Outgoing::to(participant, msg.clone()));
        out.push(Outgoing::send(Audience::Facilitators, msg));
        out.push(self.audit(now, by, ModerationAction::Unmuted, Some(participant), None));
    }

    /// Remove (this session) or ban (this group, by device): the member is told why, the
    /// connection is closed, and their browser is refused for the rest of the session.
    fn expel(
        &mut self,
        now: Millis,
        by: ParticipantId,
        participant: ParticipantId,
        reason: Reason,
        ban: bool,
        out: &mut Vec<Outgoing>,
    ) {
        if !self.member_target(by, participant, out) {
            return;
        }
        let action = if ban {
            ModerationAction::Banned
        } else {
            ModerationAction::Removed
        };
        let msg = ServerMsg::Moderation {
            action,
            by: Some(self.reference(by)),
            participant: Some(self.reference(participant)),
            message: None,
            until: None,
            reason: Some(reason),
        };
        out.push(Outgoing::to(participant, msg.clone()));
        out.push(Outgoing::Close {
            who: participant,
            why: if ban {
                CloseWhy::Banned
            } else {
                CloseWhy::Removed
            },
        });
        out.push(Outgoing::send(Audience::Facilitators, msg));
        let device = self.participants[&participant].device;
        if let Some(device) = device {
            self.removed_devices.insert(device);
            if ban {
                out.push(Outgoing::Ban {
                    device,
                    by: self.participants[&by].account,
                    reason,
                });
            }
        }
        out.push(self.audit(now, by, action, Some(participant), Some(reason)));
        self.remove_participant(now, participant, out);
    }

    fn delete(
        &mut self,
        now: Millis,
        by: ParticipantId,
        message: MessageId,
        reason: Reason,
        out: &mut Vec<Outgoing>,
    ) {
        let Some(index) = self.scrollback.iter().position(|m| m.id == message) else {
            out.push(Room::error(
                by,
                ErrorCode::NotFound,
                "That message is no longer here.",
            ));
            return;
        };
        let removed = self.scrollback.remove(index);
        let author = removed.map(|m| m.from.id);
        out.push(Outgoing::send(
            Audience::Present,
            ServerMsg::Deleted { message },
        ));
        out.push(Outgoing::send(
            Audience::Facilitators,
            ServerMsg::Moderation {
                action: ModerationAction::Deleted,
                by: Some(self.reference(by)),
                participant: author
                    .filter(|id| self.participants.contains_key(id))
                    .map(|id| self.reference(id)),
                message: Some(message),
                until: None,
                reason: Some(reason),
            },
        ));
        out.push(self.audit(now, by, ModerationAction::Deleted, author, Some(reason)));
    }

    fn announce(
        &mut self,
        now: Millis,
        by: ParticipantId,
        text: Option<String>,
        out: &mut Vec<Outgoing>,
    ) {
        match text {
            Some(raw) => match MessageText::parse(&raw) {
                Ok(text) => {
                    self.pinned = Some(Announcement {
                        text: text.as_str().to_owned(),
                        by: self.reference(by),
                        ts: now,
                    });
                }
                Err(err) => {
                    out.push(Room::error(by, ErrorCode::TextInvalid, &err.to_string()));
                    return;
                }
            },
            None => self.pinned = None,
        }
        self.acknowledge(now, by, ModerationAction::Announced, None, None, out);
    }

    fn call_on(
        &mut self,
        by: ParticipantId,
        participant: Option<ParticipantId>,
        out: &mut Vec<Outgoing>,
    ) {
        let target = match participant {
            Some(id) => id,
            None => match self.hands.first() {
                Some(id) => *id,
                None => {
                    out.push(Room::error(
                        by,
                        ErrorCode::NotFound,
                        "No hands are raised right now.",
                    ));
                    return;
                }
            },
        };
        match self.participants.get(&target) {
            Some(p) if p.role == Role::Member && p.is_present() => {}
            _ => {
                out.push(not_here(by));
                return;
            }
        }
        self.hands.retain(|id| *id != target);
        out.push(Outgoing::send(
            Audience::Present,
            ServerMsg::Turn {
                event: TurnEvent::Called,
                participant: self.reference(target),
            },
        ));
    }

    /// Tells every facilitator what was done (their acknowledgement) and records it.
    fn acknowledge(
        &self,
        now: Millis,
        by: ParticipantId,
        action: ModerationAction,
        participant: Option<ParticipantId>,
        reason: Option<Reason>,
        out: &mut Vec<Outgoing>,
    ) {
        let msg = self.moderation(action, by, participant, reason);
        out.push(Outgoing::send(Audience::Facilitators, msg));
        out.push(self.audit(now, by, action, participant, reason));
    }

    fn moderation(
        &self,
        action: ModerationAction,
        by: ParticipantId,
        participant: Option<ParticipantId>,
        reason: Option<Reason>,
    ) -> ServerMsg {
        ServerMsg::Moderation {
            action,
            by: Some(self.reference(by)),
            participant: participant
                .filter(|id| self.participants.contains_key(id))
                .map(|id| self.reference(id)),
            message: None,
            until: None,
            reason,
        }
    }

    fn audit(
        &self,
        now: Millis,
        by: ParticipantId,
        action: ModerationAction,
        participant: Option<ParticipantId>,
        reason: Option<Reason>,
    ) -> Outgoing {
        Outgoing::Audit(AuditEvent {
            at: now,
            actor: self.participants.get(&by).and_then(|p| p.account),
            action,
            participant,
            reason,
        })
    }
}

fn not_here(to: ParticipantId) -> Outgoing {
    Room::error(to, ErrorCode::NotFound, "That member is no longer here.")
}
