//! What anyone seated in a room can do: post, react, raise a hand, pass, write privately to the
//! facilitators, report a message, ask for support. Part of the pure room core (see
//! `state.rs`); no I/O.

use crate::domain::{MessageId, MessageText, Millis, ParticipantId, Role};
use crate::protocol::{
    AlertKind, ChatMessage, ErrorCode, REPORT_NOTE_MAX_CHARS, Reaction, Reason, ResourcesCause,
    ServerMsg, TurnEvent,
};

use super::state::{Audience, ContactPolicy, Outgoing, Room};
use crate::filter::{Context, Verdict};

/// What screening a message for contact details decided.
enum Screened {
    /// Nothing found (or the sender is exempt).
    Clean,
    /// Found; deliver the masked text.
    Masked(Verdict),
    /// Found; not delivered. The rejection for the sender and the alert for facilitators.
    Blocked(Vec<Outgoing>),
}

fn kind_codes(verdict: &Verdict) -> Vec<String> {
    verdict
        .kinds()
        .into_iter()
        .map(|kind| kind.code().to_owned())
        .collect()
}

impl Room {
    /// `say`: checks that the sender may post now, then delivers the message to everyone present.
    pub(super) fn say(
        &mut self,
        now: Millis,
        from: ParticipantId,
        raw: &str,
        client_id: Option<String>,
    ) -> Vec<Outgoing> {
        if let Some((code, reason)) = self.may_post(now, from) {
            return vec![Outgoing::to(
                from,
                ServerMsg::rejected(client_id, code, reason),
            )];
        }
        let text = match MessageText::parse(raw) {
            Ok(text) => text,
            Err(err) => {
                return vec![Outgoing::to(
                    from,
                    ServerMsg::rejected(client_id, ErrorCode::TextInvalid, err.to_string()),
                )];
            }
        };
        let (delivered, found) = match self.screen(now, from, text.as_str(), client_id.as_ref()) {
            Screened::Clean => (text.as_str().to_owned(), None),
            Screened::Masked(verdict) => (verdict.masked.clone(), Some(verdict)),
            Screened::Blocked(out) => return out,
        };
        let id = self.next_message_id();
        let message = ChatMessage {
            id,
            from: self.reference(from),
            text: delivered,
            ts: now,
            reactions: Default::default(),
        };
        if let Some(sender) = self.participants.get_mut(&from) {
            sender.last_post = Some(now);
        }
        self.messages_posted = self.messages_posted.saturating_add(1);
        self.push_scrollback(message.clone());
        let mut out = vec![
            Outgoing::to(
                from,
                ServerMsg::Ack {
                    client_id,
                    id,
                    ts: now,
                },
            ),
            Outgoing::send(Audience::Present, ServerMsg::Message(message)),
        ];
        if let Some(verdict) = found {
            out.push(self.contact_alert(now, from, &verdict, Some(id), false));
        }
        self.notice_crisis(now, from, text.as_str(), id, &mut out);
        out
    }

    /// Checks a message for contact details (members always; facilitators unless the group
    /// exempts them), remembering it in the sender's window so a number sent in pieces is caught
    /// at the piece that completes it. Under the block policy the sender is told what was found
    /// and the facilitators get the masked text; under mask the caller delivers the masked text.
    fn screen(
        &mut self,
        now: Millis,
        from: ParticipantId,
        text: &str,
        client_id: Option<&String>,
    ) -> Screened {
        let screening = &self.settings.screening;
        let sender = &self.participants[&from];
        if sender.role == Role::Facilitator && screening.exempt_facilitators {
            return Screened::Clean;
        }
        let names: Vec<&str> = self
            .participants
            .values()
            .map(|p| p.name.as_str())
            .collect();
        let verdict = screening.filter.check(
            text,
            &Context {
                names: &names,
                recent: Some(&sender.recent),
                now,
            },
        );
        let policy = screening.policy;
        if let Some(sender) = self.participants.get_mut(&from) {
            sender.recent.record(now, text, &verdict);
        }
        if verdict.is_clean() {
            return Screened::Clean;
        }
        match policy {
            ContactPolicy::Mask => Screened::Masked(verdict),
            ContactPolicy::Block => Screened::Blocked(vec![
                Outgoing::to(
                    from,
                    ServerMsg::Rejected {
                        client_id: client_id.cloned(),
                        code: ErrorCode::ContactInfo,
                        reason: verdict.describe(),
                        matched: kind_codes(&verdict),
                    },
                ),
                self.contact_alert(now, from, &verdict, None, true),
            ]),
        }
    }

    /// The facilitators' view of a contact attempt: the masked text and what kind it was.
    fn contact_alert(
        &self,
        now: Millis,
        from: ParticipantId,
        verdict: &Verdict,
        message: Option<MessageId>,
        blocked: bool,
    ) -> Outgoing {
        Outgoing::send(
            Audience::Facilitators,
            ServerMsg::Alert {
                kind: AlertKind::Contact,
                participant: self.reference(from),
                message,
                masked: Some(verdict.masked.clone()),
                kinds: kind_codes(verdict),
                reason: None,
                note: None,
                by: None,
                blocked: Some(blocked),
                ts: now,
            },
        )
    }

    /// When a member's words suggest they may be in danger, they privately get the group's
    /// crisis resources and the facilitators a quiet alert. The message itself was delivered as
    /// written: nothing is censored.
    fn notice_crisis(
        &self,
        now: Millis,
        from: ParticipantId,
        text: &str,
        message: MessageId,
        out: &mut Vec<Outgoing>,
    ) {
        if self.participants[&from].role != Role::Member {
            return;
        }
        let Some(signal) = crate::safety::detect(text) else {
            return;
        };
        out.push(Outgoing::to(
            from,
            ServerMsg::Resources {
                cause: ResourcesCause::Crisis,
                resources: self.settings.resources.clone(),
            },
        ));
        out.push(Outgoing::send(
            Audience::Facilitators,
            ServerMsg::Alert {
                kind: AlertKind::Crisis,
                participant: self.reference(from),
                message: Some(message),
                masked: None,
                kinds: vec![signal.category.code().to_owned()],
                reason: None,
                note: None,
                by: None,
                blocked: None,
                ts: now,
            },
        ));
    }

    /// Why `from` may not post in the room right now, as an error code and a sentence; `None`
    /// when they may. Facilitators may always post.
    fn may_post(&self, now: Millis, from: ParticipantId) -> Option<(ErrorCode, String)> {
        let sender = &self.participants[&from];
        if sender.role == Role::Facilitator {
            return None;
        }
        if !sender.admitted {
            return Some((
                ErrorCode::Waiting,
                "You're in the waiting room. A facilitator will let you in soon.".into(),
            ));
        }
        if self.opened_at.is_none() {
            return Some((
                ErrorCode::SessionNotOpen,
                "The session hasn't started yet. You can post once the facilitator opens it."
                    .into(),
            ));
        }
        if let Some(until) = sender.muted_until.filter(|until| *until > now) {
            let minutes = (until.since(now) + 59_999) / 60_000;
            return Some((
                ErrorCode::Muted,
                format!(
                    "A facilitator has paused your messages for now ({minutes} more minute{}). \
                     You can still write to the facilitators privately.",
                    if minutes == 1 { "" } else { "s" }
                ),
            ));
        }
        if self.is_paused() {
            let reason = if self.paused_by_facilitator {
                "The facilitator has paused the chat for a moment. You can post again when it resumes."
            } else {
                "The chat is paused until a facilitator is back."
            };
            return Some((ErrorCode::Paused, reason.into()));
        }
        if self.slow_seconds > 0
            && let Some(last) = sender.last_post
        {
            let wait_ms = i64::from(self.slow_seconds) * 1_000 - now.since(last);
            if wait_ms > 0 {
                let seconds = (wait_ms + 999) / 1_000;
                return Some((
                    ErrorCode::SlowMode,
                    format!(
                        "Slow mode is on to give everyone room. You can post again in {seconds} \
                         second{}.",
                        if seconds == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
        None
    }

    /// `react`: adds or takes back a supportive reaction; everyone present sees it.
    pub(super) fn react(
        &mut self,
        from: ParticipantId,
        message: MessageId,
        reaction: Reaction,
        on: bool,
        out: &mut Vec<Outgoing>,
    ) {
        if !self.participants[&from].admitted {
            out.push(Room::error(
                from,
                ErrorCode::Waiting,
                "You're in the waiting room. A facilitator will let you in soon.",
            ));
            return;
        }
        let Some(target) = self.scrollback.iter_mut().find(|m| m.id == message) else {
            out.push(Room::error(
                from,
                ErrorCode::NotFound,
                "That message is no longer here.",
            ));
            return;
        };
        let givers = target.reactions.entry(reaction).or_default();
        let changed = if on {
            if givers.contains(&from) {
                false
            } else {
                givers.push(from);
                true
            }
        } else {
            let before = givers.len();
            givers.retain(|id| *id != from);
            before != givers.len()
        };
        if givers.is_empty() {
            target.reactions.remove(&reaction);
        }
        if changed {
            out.push(Outgoing::send(
                Audience::Present,
                ServerMsg::Reaction {
                    message,
                    reaction,
                    by: from,
                    on,
                },
            ));
        }
    }

    /// `hand`: joins or leaves the queue of raised hands, which everyone sees in order.
    pub(super) fn hand(&mut self, from: ParticipantId, up: bool, out: &mut Vec<Outgoing>) {
        let participant = &self.participants[&from];
        if participant.role != Role::Member {
            out.push(Room::error(
                from,
                ErrorCode::Forbidden,
                "Facilitators give turns rather than ask for them.",
            ));
            return;
        }
        if !participant.admitted {
            out.push(Room::error(
                from,
                ErrorCode::Waiting,
                "You're in the waiting room. A facilitator will let you in soon.",
            ));
            return;
        }
        let raised = self.hands.contains(&from);
        if up && !raised {
            self.hands.push(from);
        } else if !up && raised {
            self.hands.retain(|id| *id != from);
        }
    }

    /// `pass`: "I'd rather listen for now". Lowers a raised hand; everyone present is told, so
    /// the facilitator can move on without anyone being put on the spot.
    pub(super) fn pass(&mut self, from: ParticipantId, out: &mut Vec<Outgoing>) {
        if !self.participants[&from].admitted {
            out.push(Room::error(
                from,
                ErrorCode::Waiting,
                "You're in the waiting room. A facilitator will let you in soon.",
            ));
            return;
        }
        self.hands.retain(|id| *id != from);
        out.push(Outgoing::send(
            Audience::Present,
            ServerMsg::Turn {
                event: TurnEvent::Passed,
                participant: self.reference(from),
            },
        ));
    }

    /// `to_facilitators`: a private line from a member to the facilitators (also from the
    /// waiting room, and while muted: a member must always be able to reach the facilitators).
    pub(super) fn write_to_facilitators(
        &mut self,
        now: Millis,
        from: ParticipantId,
        raw: &str,
        client_id: Option<String>,
        out: &mut Vec<Outgoing>,
    ) {
        if self.participants[&from].role != Role::Member {
            out.push(Outgoing::to(
                from,
                ServerMsg::rejected(
                    client_id,
                    ErrorCode::Forbidden,
                    "Facilitators answer a member with `reply`.",
                ),
            ));
            return;
        }
        self.private(now, from, from, raw, client_id, out);
    }

    /// Delivers a private message of the thread between `member` and the facilitators.
    pub(super) fn private(
        &mut self,
        now: Millis,
        from: ParticipantId,
        member: ParticipantId,
        raw: &str,
        client_id: Option<String>,
        out: &mut Vec<Outgoing>,
    ) {
        let text = match MessageText::parse(raw) {
            Ok(text) => text,
            Err(err) => {
                out.push(Outgoing::to(
                    from,
                    ServerMsg::rejected(client_id, ErrorCode::TextInvalid, err.to_string()),
                ));
                return;
            }
        };
        // The boundary holds on the private line too: no contact details while the group runs.
        let (delivered, found) = match self.screen(now, from, text.as_str(), client_id.as_ref()) {
            Screened::Clean => (text.as_str().to_owned(), None),
            Screened::Masked(verdict) => (verdict.masked.clone(), Some(verdict)),
            Screened::Blocked(refusal) => {
                out.extend(refusal);
                return;
            }
        };
        let id = self.next_message_id();
        out.push(Outgoing::to(
            from,
            ServerMsg::Ack {
                client_id,
                id,
                ts: now,
            },
        ));
        if let Some(verdict) = found {
            out.push(self.contact_alert(now, from, &verdict, None, false));
        }
        let msg = ServerMsg::Private {
            id,
            from: self.reference(from),
            member: self.reference(member),
            text: delivered,
            ts: now,
        };
        out.push(Outgoing::to(member, msg.clone()));
        out.push(Outgoing::send(Audience::Facilitators, msg));
        self.notice_crisis(now, from, text.as_str(), id, out);
    }

    /// `report`: tells the facilitators about a message, with a reason and an optional note.
    pub(super) fn report(
        &mut self,
        now: Millis,
        from: ParticipantId,
        message: MessageId,
        reason: Reason,
        note: Option<String>,
        out: &mut Vec<Outgoing>,
    ) {
        let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > REPORT_NOTE_MAX_CHARS)
        {
            out.push(Room::error(
                from,
                ErrorCode::TextInvalid,
                "The note is too long: at most 500 characters.",
            ));
            return;
        }
        let Some(reported) = self.scrollback.iter().find(|m| m.id == message) else {
            out.push(Room::error(
                from,
                ErrorCode::NotFound,
                "That message is no longer here.",
            ));
            return;
        };
        out.push(Outgoing::send(
            Audience::Facilitators,
            ServerMsg::Alert {
                kind: AlertKind::Report,
                participant: reported.from.clone(),
                message: Some(message),
                masked: None,
                kinds: Vec::new(),
                reason: Some(reason),
                note,
                by: Some(self.reference(from)),
                blocked: None,
                ts: now,
            },
        ));
        out.push(Outgoing::to(from, ServerMsg::Reported { message }));
    }

    /// `support`: the member gets the crisis resources at once, and the facilitators a quiet
    /// alert so one of them can reach out privately.
    pub(super) fn support(&mut self, now: Millis, from: ParticipantId, out: &mut Vec<Outgoing>) {
        out.push(Outgoing::to(
            from,
            ServerMsg::Resources {
                cause: ResourcesCause::Requested,
                resources: self.settings.resources.clone(),
            },
        ));
        if self.participants[&from].role == Role::Member {
            out.push(self.alert(now, AlertKind::Support, from));
        }
    }
}
