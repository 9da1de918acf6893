//! Unit tests of the pure room core: every rule, without sockets or clocks.

use std::sync::{Arc, OnceLock};

use super::state::*;
use crate::domain::{
    AccountId, DeviceId, GroupId, MessageId, Millis, ParticipantId, Pseudonym, Role,
};
use crate::filter::{Filter, FilterConfig};
use crate::protocol::{
    AlertKind, ClientMsg, CrisisResources, ErrorCode, GroupView, Limits, ModerationAction,
    ParticipantStatus, PauseCause, Phase, PresenceEvent, Reaction, Reason, ResourceView,
    ResourcesCause, ServerMsg, TurnEvent,
};

const MINUTE: i64 = 60_000;
/// The session starts at T0 and runs 90 minutes.
const T0: Millis = Millis(1_800_000_000_000);

fn times() -> SessionTimes {
    SessionTimes {
        waiting_opens: T0.plus_ms(-10 * MINUTE),
        starts: T0,
        closing_notice: T0.plus_ms(85 * MINUTE),
        ends: T0.plus_ms(90 * MINUTE),
        hard_end: T0.plus_ms(100 * MINUTE),
    }
}

fn settings(policy: RoomPolicy, session: Option<SessionTimes>) -> RoomSettings {
    RoomSettings {
        group: GroupView {
            id: GroupId(1),
            name: "Tuesday evening".into(),
            rules: "Be kind.".into(),
        },
        capacity: 12,
        limits: Limits {
            max_text_chars: 2_000,
            burst: 5,
            per_minute: 60,
        },
        policy,
        session,
        next_session: Some(T0.plus_ms(7 * 24 * 60 * MINUTE)),
        scheduled: session.is_some(),
        resources: CrisisResources {
            region: "United States".into(),
            emergency: "911".into(),
            lines: vec![ResourceView {
                name: "988 Suicide & Crisis Lifeline".into(),
                description: "Call or text 988.".into(),
                available: "24/7".into(),
                call: Some("988".into()),
                text: Some("988".into()),
                text_word: None,
                url: None,
            }],
        },
        screening: Screening {
            filter: shared_filter(),
            policy: ContactPolicy::Block,
            exempt_facilitators: true,
        },
        resume_grace_ms: 5 * MINUTE,
    }
}

/// One filter for every test (it compiles its tables once).
fn shared_filter() -> Arc<Filter> {
    static FILTER: OnceLock<Arc<Filter>> = OnceLock::new();
    Arc::clone(FILTER.get_or_init(|| Arc::new(Filter::new(FilterConfig::default()))))
}

fn open_room() -> Room {
    Room::new(settings(RoomPolicy::OPEN, None))
}

fn facilitated_room() -> Room {
    Room::new(settings(RoomPolicy::FACILITATED, Some(times())))
}

fn member(name: &str) -> JoinRequest {
    JoinRequest {
        name: Pseudonym::parse(name).unwrap(),
        role: Role::Member,
        account: None,
        device: Some(DeviceId([name.len() as u8; 32])),
        resume: format!("resume-{name}"),
    }
}

/// The group's facilitator (account 7).
fn facilitator(name: &str) -> JoinRequest {
    facilitator_account(name, AccountId(7))
}

/// A second facilitator of the group, on an account of their own.
fn co_facilitator(name: &str) -> JoinRequest {
    facilitator_account(name, AccountId(8))
}

fn facilitator_account(name: &str, account: AccountId) -> JoinRequest {
    JoinRequest {
        name: Pseudonym::parse_staff(name).unwrap(),
        role: Role::Facilitator,
        account: Some(account),
        device: None,
        resume: format!("resume-{name}"),
    }
}

fn say(text: &str) -> ClientMsg {
    ClientMsg::Say {
        text: text.into(),
        client_id: Some("c".into()),
    }
}

/// The messages `who` would receive from `out`, in order.
fn to(out: &[Outgoing], room: &Room, who: ParticipantId) -> Vec<ServerMsg> {
    out.iter()
        .filter_map(|o| match o {
            Outgoing::Send { to, msg } => {
                let mut hit = false;
                room.for_each_recipient(*to, |p| hit |= p == who);
                hit.then(|| msg.clone())
            }
            _ => None,
        })
        .collect()
}

fn types(msgs: &[ServerMsg]) -> Vec<&'static str> {
    msgs.iter().map(kind).collect()
}

fn kind(msg: &ServerMsg) -> &'static str {
    match msg {
        ServerMsg::Welcome(_) => "welcome",
        ServerMsg::History { .. } => "history",
        ServerMsg::FacilitatorHistory { .. } => "facilitator_history",
        ServerMsg::Message(_) => "message",
        ServerMsg::Ack { .. } => "ack",
        ServerMsg::Rejected { .. } => "rejected",
        ServerMsg::Presence { .. } => "presence",
        ServerMsg::Roster { .. } => "roster",
        ServerMsg::WaitingRoom { .. } => "waiting_room",
        ServerMsg::RoomState(_) => "room_state",
        ServerMsg::Reaction { .. } => "reaction",
        ServerMsg::Turn { .. } => "turn",
        ServerMsg::Deleted { .. } => "deleted",
        ServerMsg::Private { .. } => "private",
        ServerMsg::Alert { .. } => "alert",
        ServerMsg::Reported { .. } => "reported",
        ServerMsg::Resources { .. } => "resources",
        ServerMsg::Moderation { .. } => "moderation",
        ServerMsg::Ended { .. } => "ended",
        ServerMsg::Error { .. } => "error",
    }
}

fn error_code(msgs: &[ServerMsg]) -> Option<ErrorCode> {
    msgs.iter().find_map(|m| match m {
        ServerMsg::Error { code, .. } | ServerMsg::Rejected { code, .. } => Some(*code),
        _ => None,
    })
}

fn audits(out: &[Outgoing]) -> Vec<&AuditEvent> {
    out.iter()
        .filter_map(|o| match o {
            Outgoing::Audit(event) => Some(event),
            _ => None,
        })
        .collect()
}

fn closes(out: &[Outgoing]) -> Vec<(ParticipantId, CloseWhy)> {
    out.iter()
        .filter_map(|o| match o {
            Outgoing::Close { who, why } => Some((*who, *why)),
            _ => None,
        })
        .collect()
}

fn status_of(room: &Room, who: ParticipantId) -> Option<ParticipantStatus> {
    room.participants.get(&who).map(|p| p.status())
}

/// A facilitated room at T0 with a facilitator, two admitted members and the session open.
fn live_room() -> (Room, ParticipantId, ParticipantId, ParticipantId) {
    let mut room = facilitated_room();
    let (sam, _) = room.join(T0, facilitator("Sam")).unwrap();
    let (river, _) = room.join(T0, member("River")).unwrap();
    let (sky, _) = room.join(T0, member("Sky")).unwrap();
    room.handle(T0, sam, ClientMsg::Open {});
    room.handle(T0, sam, ClientMsg::Admit { participant: None });
    (room, sam, river, sky)
}

// ---------------------------------------------------------------------------------------------
// Joining, names, capacity

#[test]
fn joining_an_open_room_sends_welcome_then_announces_presence() {
    let mut room = open_room();
    let (river, _) = room.join(T0, member("River")).unwrap();
    let (sky, out) = room.join(T0, member("Sky")).unwrap();

    let to_sky = to(&out, &room, sky);
    let ServerMsg::Welcome(welcome) = &to_sky[0] else {
        panic!("first message must be welcome, got {to_sky:?}");
    };
    let crate::protocol::Welcome {
        you,
        roster,
        room: view,
        resume,
        resources,
        ..
    } = welcome.as_ref();
    assert_eq!(you.name, "Sky");
    assert_eq!(you.status, ParticipantStatus::Present);
    assert_eq!(resume, "resume-Sky");
    assert_eq!(resources.lines.len(), 1);
    assert_eq!(view.phase, Phase::Live);
    assert_eq!(
        roster.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["River", "Sky"]
    );
    let to_river = to(&out, &room, river);
    assert!(matches!(
        &to_river[0],
        ServerMsg::Presence { event: PresenceEvent::Joined, participant } if participant.name == "Sky"
    ));
    assert!(types(&to_river).contains(&"roster"));
}

#[test]
fn duplicate_and_lookalike_names_are_refused() {
    let mut room = open_room();
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
fn capacity_counts_members_and_keeps_seats_for_facilitators() {
    let mut room = Room::new(RoomSettings {
        capacity: 2,
        ..settings(RoomPolicy::OPEN, None)
    });
    room.join(T0, member("A1")).unwrap();
    room.join(T0, member("B1")).unwrap();
    assert_eq!(room.join(T0, member("C1")).unwrap_err(), JoinError::Full);
    assert!(room.join(T0, facilitator("Sam")).is_ok());
    assert_eq!(room.len(), 3);
}

#[test]
fn participant_ids_are_never_reused_within_a_session() {
    let mut room = open_room();
    let (first, _) = room.join(T0, member("River")).unwrap();
    room.handle(T0, first, ClientMsg::Leave {});
    let (second, _) = room.join(T0, member("River")).unwrap();
    assert_ne!(first, second);
}

// ---------------------------------------------------------------------------------------------
// Phases and the schedule

#[test]
fn members_cannot_join_before_the_waiting_room_opens_but_facilitators_can() {
    let mut room = facilitated_room();
    let early = T0.plus_ms(-30 * MINUTE);
    assert_eq!(room.phase(early), Phase::Scheduled);
    assert_eq!(
        room.join(early, member("River")).unwrap_err(),
        JoinError::NotOpenYet { starts: T0 }
    );
    assert!(room.join(early, facilitator("Sam")).is_ok());
}

#[test]
fn the_waiting_room_opens_ten_minutes_before_and_members_wait_there() {
    let mut room = facilitated_room();
    let (sam, _) = room
        .join(T0.plus_ms(-20 * MINUTE), facilitator("Sam"))
        .unwrap();
    let now = T0.plus_ms(-10 * MINUTE);
    assert_eq!(room.phase(now), Phase::Waiting);
    let (river, out) = room.join(now, member("River")).unwrap();

    let to_river = to(&out, &room, river);
    let ServerMsg::Welcome(welcome) = &to_river[0] else {
        panic!("welcome first: {to_river:?}");
    };
    let crate::protocol::Welcome {
        you,
        roster,
        room: view,
        ..
    } = welcome.as_ref();
    assert_eq!(you.status, ParticipantStatus::Waiting);
    assert!(
        roster.is_empty(),
        "a waiting member does not see who is inside"
    );
    assert_eq!(view.phase, Phase::Waiting);
    assert_eq!(view.starts_at, Some(T0));
    assert!(!types(&to_river).contains(&"history"));

    let to_sam = to(&out, &room, sam);
    assert!(to_sam.iter().any(|m| matches!(
        m,
        ServerMsg::WaitingRoom { participants } if participants.len() == 1 && participants[0].name == "River"
    )));
    assert!(
        !to_sam
            .iter()
            .any(|m| matches!(m, ServerMsg::Presence { .. })),
        "nobody 'joined' the room yet"
    );
    let said = room.handle(now, river, say("hello?"));
    assert_eq!(
        error_code(&to(&said, &room, river)),
        Some(ErrorCode::Waiting)
    );
}

#[test]
fn admitting_brings_a_member_in_with_the_session_so_far() {
    let mut room = facilitated_room();
    let (sam, _) = room.join(T0, facilitator("Sam")).unwrap();
    room.handle(T0, sam, ClientMsg::Open {});
    room.handle(T0, sam, say("Welcome, everyone."));
    let (river, _) = room.join(T0, member("River")).unwrap();
    assert_eq!(status_of(&room, river), Some(ParticipantStatus::Waiting));

    let out = room.handle(
        T0,
        sam,
        ClientMsg::Admit {
            participant: Some(river),
        },
    );
    let to_river = to(&out, &room, river);
    assert_eq!(&types(&to_river)[..2], ["welcome", "history"]);
    let to_sam = to(&out, &room, sam);
    assert!(to_sam.iter().any(|m| matches!(
        m,
        ServerMsg::Moderation {
            action: ModerationAction::Admitted,
            ..
        }
    )));
    assert!(to_sam.iter().any(|m| matches!(
        m,
        ServerMsg::Presence {
            event: PresenceEvent::Joined,
            ..
        }
    )));
    assert_eq!(audits(&out)[0].action, ModerationAction::Admitted);
    assert_eq!(audits(&out)[0].actor, Some(AccountId(7)));
}

#[test]
fn admit_all_lets_everyone_waiting_in() {
    let mut room = facilitated_room();
    let (sam, _) = room.join(T0, facilitator("Sam")).unwrap();
    let (a, _) = room.join(T0, member("Ash")).unwrap();
    let (b, _) = room.join(T0, member("Birch")).unwrap();
    room.handle(T0, sam, ClientMsg::Admit { participant: None });
    assert_eq!(status_of(&room, a), Some(ParticipantStatus::Present));
    assert_eq!(status_of(&room, b), Some(ParticipantStatus::Present));
}

#[test]
fn a_facilitator_opens_the_session_and_members_can_then_post() {
    let mut room = facilitated_room();
    let (sam, _) = room.join(T0, facilitator("Sam")).unwrap();
    let (river, _) = room.join(T0, member("River")).unwrap();
    room.handle(T0, sam, ClientMsg::Admit { participant: None });
    let before = room.handle(T0, river, say("hi"));
    assert_eq!(
        error_code(&to(&before, &room, river)),
        Some(ErrorCode::SessionNotOpen)
    );
    let opened = room.handle(T0, sam, ClientMsg::Open {});
    assert!(to(&opened, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if view.phase == Phase::Live
    )));
    let after = room.handle(T0, river, say("hi"));
    assert_eq!(types(&to(&after, &room, river)), ["ack", "message"]);
}

#[test]
fn a_group_may_open_by_itself_at_the_start_when_a_facilitator_is_present() {
    let policy = RoomPolicy {
        auto_open: true,
        auto_admit: true,
        allow_without_facilitator: false,
    };
    let mut room = Room::new(settings(policy, Some(times())));
    let (river, _) = room.join(T0.plus_ms(-5 * MINUTE), member("River")).unwrap();
    room.tick(T0);
    assert_eq!(room.phase(T0), Phase::Waiting, "no facilitator yet");
    let (_sam, out) = room.join(T0.plus_ms(MINUTE), facilitator("Sam")).unwrap();
    assert_eq!(room.phase(T0.plus_ms(MINUTE)), Phase::Live);
    assert_eq!(status_of(&room, river), Some(ParticipantStatus::Present));
    assert!(types(&to(&out, &room, river)).contains(&"welcome"));
}

#[test]
fn an_auto_open_group_opens_at_the_start_time_via_tick() {
    let policy = RoomPolicy {
        auto_open: true,
        auto_admit: false,
        allow_without_facilitator: false,
    };
    let mut room = Room::new(settings(policy, Some(times())));
    room.join(T0.plus_ms(-5 * MINUTE), facilitator("Sam"))
        .unwrap();
    assert_eq!(room.next_wakeup(T0.plus_ms(-5 * MINUTE)), Some(T0));
    room.tick(T0.plus_ms(-MINUTE));
    assert_eq!(room.phase(T0.plus_ms(-MINUTE)), Phase::Waiting);
    room.tick(T0);
    assert_eq!(room.phase(T0), Phase::Live);
}

#[test]
fn the_session_runs_live_then_closing_then_ends_by_itself() {
    let (mut room, sam, river, _) = live_room();
    let closing = times().closing_notice;
    assert_eq!(room.next_wakeup(T0), Some(closing));
    let out = room.tick(closing);
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if view.phase == Phase::Closing
    )));
    assert_eq!(room.next_wakeup(closing), Some(times().hard_end));
    let out = room.tick(times().hard_end);
    assert!(room.has_ended());
    assert_eq!(room.phase(times().hard_end), Phase::Ended);
    assert!(
        closes(&out).contains(&(sam, CloseWhy::Ended))
            && closes(&out).contains(&(river, CloseWhy::Ended))
    );
}

#[test]
fn ending_tells_everyone_closes_every_connection_and_keeps_only_counts() {
    let (mut room, sam, river, sky) = live_room();
    room.handle(T0, river, say("one"));
    room.handle(T0, sky, say("two"));
    let (late, _) = room.join(T0, member("Late")).unwrap();
    let out = room.handle(T0.plus_ms(60 * MINUTE), sam, ClientMsg::End {});

    for who in [sam, river, sky, late] {
        assert!(
            out.iter().any(|o| matches!(o, Outgoing::Send { to: Audience::Everyone, msg: ServerMsg::Ended { next_session: Some(_), resources } } if !resources.lines.is_empty())),
            "ended is for everyone"
        );
        assert!(closes(&out).contains(&(who, CloseWhy::Ended)), "{who}");
    }
    let summary = out
        .iter()
        .find_map(|o| match o {
            Outgoing::Ended(summary) => Some(*summary),
            _ => None,
        })
        .expect("a summary");
    assert_eq!(summary.members_joined, 3);
    assert_eq!(summary.peak_present, 2);
    assert_eq!(summary.messages, 2);
    assert_eq!(summary.started_at, Some(T0));
    assert!(room.scrollback.is_empty(), "what was said is dropped");
    assert_eq!(
        room.join(T0, member("After")).unwrap_err(),
        JoinError::Ended
    );
    assert!(room.handle(T0, river, say("still here?")).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Facilitator presence

#[test]
fn when_the_last_facilitator_drops_the_room_pauses_until_one_is_back() {
    let (mut room, sam, river, _) = live_room();
    let out = room.disconnect(T0, sam, LeaveReason::Dropped);
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if view.paused && view.paused_because == Some(PauseCause::NoFacilitator)
    )));
    let said = room.handle(T0, river, say("anyone?"));
    assert_eq!(
        error_code(&to(&said, &room, river)),
        Some(ErrorCode::Paused)
    );

    let (back, out) = room.resume(T0.plus_ms(MINUTE), "resume-Sam").unwrap();
    assert_eq!(back, sam);
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if !view.paused
    )));
    let said = room.handle(T0, river, say("welcome back"));
    assert_eq!(types(&to(&said, &room, river)), ["ack", "message"]);
}

#[test]
fn a_group_that_allows_it_stays_live_without_a_facilitator() {
    let mut room = open_room();
    let (river, _) = room.join(T0, member("River")).unwrap();
    let out = room.handle(T0, river, say("hello"));
    assert_eq!(types(&to(&out, &room, river)), ["ack", "message"]);
}

// ---------------------------------------------------------------------------------------------
// Moderation

#[test]
fn a_muted_member_is_told_cannot_post_and_is_unmuted_when_time_is_up() {
    let (mut room, sam, river, sky) = live_room();
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Mute {
            participant: river,
            minutes: 10,
            reason: Reason::Disrespect,
        },
    );
    let told = to(&out, &room, river);
    assert!(told.iter().any(|m| matches!(
        m,
        ServerMsg::Moderation { action: ModerationAction::Muted, until: Some(until), .. } if *until == T0.plus_ms(10 * MINUTE)
    )));
    assert!(
        !to(&out, &room, sky)
            .iter()
            .any(|m| matches!(m, ServerMsg::Moderation { .. })),
        "a mute is private between the member and the facilitators"
    );
    let roster_for_members = to(&out, &room, sky).into_iter().find_map(|m| match m {
        ServerMsg::Roster { participants } => Some(participants),
        _ => None,
    });
    if let Some(roster) = roster_for_members {
        assert!(roster.iter().all(|p| p.muted_until.is_none()));
    }
    assert_eq!(audits(&out)[0].reason, Some(Reason::Disrespect));

    let said = room.handle(T0.plus_ms(MINUTE), river, say("but"));
    let rejected = to(&said, &room, river);
    assert_eq!(error_code(&rejected), Some(ErrorCode::Muted));
    let ServerMsg::Rejected { reason, .. } = &rejected[0] else {
        panic!()
    };
    assert!(reason.contains("9 more minutes"), "{reason}");
    let private = room.handle(
        T0.plus_ms(MINUTE),
        river,
        ClientMsg::ToFacilitators {
            text: "I'm sorry".into(),
            client_id: None,
        },
    );
    assert!(
        types(&to(&private, &room, river)).contains(&"private"),
        "the private line stays open while muted"
    );

    assert_eq!(
        room.next_wakeup(T0.plus_ms(MINUTE)),
        Some(T0.plus_ms(10 * MINUTE))
    );
    let out = room.tick(T0.plus_ms(10 * MINUTE));
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::Moderation {
            action: ModerationAction::Unmuted,
            by: None,
            ..
        }
    )));
    let said = room.handle(T0.plus_ms(10 * MINUTE), river, say("thank you"));
    assert_eq!(types(&to(&said, &room, river)), ["ack", "message"]);
}

#[test]
fn unmute_lifts_a_mute_early() {
    let (mut room, sam, river, _) = live_room();
    room.handle(
        T0,
        sam,
        ClientMsg::Mute {
            participant: river,
            minutes: 30,
            reason: Reason::Spam,
        },
    );
    let out = room.handle(T0, sam, ClientMsg::Unmute { participant: river });
    assert_eq!(audits(&out)[0].action, ModerationAction::Unmuted);
    let said = room.handle(T0, river, say("ok"));
    assert_eq!(types(&to(&said, &room, river)), ["ack", "message"]);
}

#[test]
fn mute_rejects_out_of_range_minutes_and_never_targets_facilitators() {
    let (mut room, sam, river, _) = live_room();
    for minutes in [0, 181] {
        let out = room.handle(
            T0,
            sam,
            ClientMsg::Mute {
                participant: river,
                minutes,
                reason: Reason::Spam,
            },
        );
        assert_eq!(
            error_code(&to(&out, &room, sam)),
            Some(ErrorCode::InvalidMessage)
        );
    }
    let (co, _) = room.join(T0, co_facilitator("Co Facilitator")).unwrap();
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Mute {
            participant: co,
            minutes: 5,
            reason: Reason::Spam,
        },
    );
    assert_eq!(
        error_code(&to(&out, &room, sam)),
        Some(ErrorCode::Forbidden)
    );
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Mute {
            participant: ParticipantId(99),
            minutes: 5,
            reason: Reason::Spam,
        },
    );
    assert_eq!(error_code(&to(&out, &room, sam)), Some(ErrorCode::NotFound));
}

#[test]
fn removing_a_member_closes_their_connection_and_refuses_their_browser_this_session() {
    let (mut room, sam, river, sky) = live_room();
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Remove {
            participant: river,
            reason: Reason::Harassment,
        },
    );
    let to_river_before_close: Vec<_> = out
        .iter()
        .take_while(|o| !matches!(o, Outgoing::Close { .. }))
        .filter_map(|o| match o {
            Outgoing::Send {
                to: Audience::One(id),
                msg,
            } if *id == river => Some(msg.clone()),
            _ => None,
        })
        .collect();
    assert!(matches!(
        to_river_before_close.as_slice(),
        [ServerMsg::Moderation {
            action: ModerationAction::Removed,
            reason: Some(Reason::Harassment),
            ..
        }]
    ));
    assert_eq!(closes(&out), vec![(river, CloseWhy::Removed)]);
    assert!(to(&out, &room, sky).iter().any(|m| matches!(
        m,
        ServerMsg::Presence { event: PresenceEvent::Left, participant } if participant.id == river
    )));
    assert!(!out.iter().any(|o| matches!(o, Outgoing::Ban { .. })));
    assert_eq!(
        room.join(T0, member("River")).unwrap_err(),
        JoinError::Removed,
        "same browser, any name"
    );
    let mut other_browser = member("Other");
    other_browser.device = Some(DeviceId([200; 32]));
    assert!(room.join(T0, other_browser).is_ok());
}

#[test]
fn banning_a_member_asks_the_shell_to_refuse_their_browser_in_the_group() {
    let (mut room, sam, river, _) = live_room();
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Ban {
            participant: river,
            reason: Reason::ContactInfo,
        },
    );
    assert_eq!(closes(&out), vec![(river, CloseWhy::Banned)]);
    assert!(out.iter().any(|o| matches!(
        o,
        Outgoing::Ban { device, by: Some(AccountId(7)), reason: Reason::ContactInfo } if *device == DeviceId([5; 32])
    )));
    assert_eq!(audits(&out)[0].action, ModerationAction::Banned);
    assert_eq!(audits(&out)[0].participant, Some(river));
}

#[test]
fn deleting_a_message_removes_it_for_everyone_and_from_scrollback() {
    let (mut room, sam, river, sky) = live_room();
    let said = room.handle(T0, river, say("something regrettable"));
    let ServerMsg::Ack { id, .. } = to(&said, &room, river)[0] else {
        panic!()
    };
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Delete {
            message: id,
            reason: Reason::Disrespect,
        },
    );
    assert!(
        to(&out, &room, sky)
            .iter()
            .any(|m| matches!(m, ServerMsg::Deleted { message } if *message == id))
    );
    assert_eq!(
        audits(&out)[0].participant,
        Some(river),
        "the author's seat"
    );
    let (late, out) = room.join(T0, member("Late")).unwrap();
    room.handle(
        T0,
        sam,
        ClientMsg::Admit {
            participant: Some(late),
        },
    );
    assert!(!types(&to(&out, &room, late)).contains(&"history"));
    let again = room.handle(
        T0,
        sam,
        ClientMsg::Delete {
            message: id,
            reason: Reason::Disrespect,
        },
    );
    assert_eq!(
        error_code(&to(&again, &room, sam)),
        Some(ErrorCode::NotFound)
    );
}

#[test]
fn pause_and_resume_stop_and_restart_members_but_not_facilitators() {
    let (mut room, sam, river, _) = live_room();
    let out = room.handle(T0, sam, ClientMsg::Pause {});
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if view.paused_because == Some(PauseCause::Facilitator)
    )));
    assert_eq!(
        error_code(&to(&room.handle(T0, river, say("x")), &room, river)),
        Some(ErrorCode::Paused)
    );
    assert_eq!(
        types(&to(
            &room.handle(T0, sam, say("Let's breathe.")),
            &room,
            sam
        )),
        ["ack", "message"]
    );
    room.handle(T0, sam, ClientMsg::Resume {});
    assert_eq!(
        types(&to(&room.handle(T0, river, say("ok")), &room, river)),
        ["ack", "message"]
    );
}

#[test]
fn slow_mode_spaces_each_members_messages() {
    let (mut room, sam, river, sky) = live_room();
    room.handle(T0, sam, ClientMsg::Slow { seconds: 30 });
    assert_eq!(
        types(&to(&room.handle(T0, river, say("one")), &room, river)),
        ["ack", "message"]
    );
    let early = room.handle(T0.plus_ms(10_000), river, say("two"));
    let rejected = to(&early, &room, river);
    assert_eq!(error_code(&rejected), Some(ErrorCode::SlowMode));
    let ServerMsg::Rejected { reason, .. } = &rejected[0] else {
        panic!()
    };
    assert!(reason.contains("20 seconds"), "{reason}");
    assert_eq!(
        types(&to(
            &room.handle(T0.plus_ms(10_000), sky, say("mine")),
            &room,
            sky
        )),
        ["ack", "message"],
        "per member"
    );
    assert_eq!(
        types(&to(
            &room.handle(T0.plus_ms(30_000), river, say("two")),
            &room,
            river
        )),
        ["ack", "message"]
    );
    let out = room.handle(T0, sam, ClientMsg::Slow { seconds: 601 });
    assert_eq!(
        error_code(&to(&out, &room, sam)),
        Some(ErrorCode::InvalidMessage)
    );
}

#[test]
fn a_locked_room_refuses_new_members_but_not_facilitators() {
    let (mut room, sam, _, _) = live_room();
    room.handle(T0, sam, ClientMsg::Lock {});
    assert_eq!(room.join(T0, member("New")).unwrap_err(), JoinError::Locked);
    assert!(room.join(T0, co_facilitator("Co")).is_ok());
    room.handle(T0, sam, ClientMsg::Unlock {});
    assert!(room.join(T0, member("New")).is_ok());
}

#[test]
fn an_announcement_is_pinned_in_the_room_state_and_can_be_unpinned() {
    let (mut room, sam, river, _) = live_room();
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Announce {
            text: Some("Short break at 19:45".into()),
        },
    );
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if view.pinned.as_ref().is_some_and(|p| p.text == "Short break at 19:45")
    )));
    let out = room.handle(T0, sam, ClientMsg::Announce { text: None });
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if view.pinned.is_none()
    )));
}

// ---------------------------------------------------------------------------------------------
// Taking part at one's own pace

#[test]
fn hands_form_an_ordered_queue_and_the_facilitator_calls_the_first() {
    let (mut room, sam, river, sky) = live_room();
    room.handle(T0, sky, ClientMsg::Hand { up: true });
    let out = room.handle(T0, river, ClientMsg::Hand { up: true });
    assert!(to(&out, &room, sky).iter().any(|m| matches!(
        m,
        ServerMsg::RoomState(view) if view.hands == vec![sky, river]
    )));
    room.handle(T0, river, ClientMsg::Hand { up: true });
    assert_eq!(
        room.room_view(T0).hands,
        vec![sky, river],
        "raising twice is once"
    );

    let out = room.handle(T0, sam, ClientMsg::CallOn { participant: None });
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::Turn { event: TurnEvent::Called, participant } if participant.id == sky
    )));
    assert_eq!(room.room_view(T0).hands, vec![river]);
    room.handle(T0, river, ClientMsg::Hand { up: false });
    assert!(room.room_view(T0).hands.is_empty());
    let out = room.handle(T0, sam, ClientMsg::CallOn { participant: None });
    assert_eq!(error_code(&to(&out, &room, sam)), Some(ErrorCode::NotFound));
}

#[test]
fn passing_lowers_the_hand_and_is_told_to_the_room() {
    let (mut room, _, river, sky) = live_room();
    room.handle(T0, river, ClientMsg::Hand { up: true });
    let out = room.handle(T0, river, ClientMsg::Pass {});
    assert!(to(&out, &room, sky).iter().any(|m| matches!(
        m,
        ServerMsg::Turn { event: TurnEvent::Passed, participant } if participant.id == river
    )));
    assert!(room.room_view(T0).hands.is_empty());
}

#[test]
fn reactions_toggle_and_travel_with_the_message_to_late_joiners() {
    let (mut room, sam, river, sky) = live_room();
    let said = room.handle(T0, river, say("I made it to day 30"));
    let ServerMsg::Ack { id, .. } = to(&said, &room, river)[0] else {
        panic!()
    };
    let react = |on| ClientMsg::React {
        message: id,
        reaction: Reaction::Heart,
        on,
    };
    let out = room.handle(T0, sky, react(true));
    assert!(to(&out, &room, river).iter().any(|m| matches!(
        m,
        ServerMsg::Reaction { by, on: true, reaction: Reaction::Heart, .. } if *by == sky
    )));
    assert!(
        room.handle(T0, sky, react(true)).is_empty(),
        "no change, no noise"
    );
    room.handle(T0, sam, react(true));
    room.handle(T0, sky, react(false));

    let (late, _) = room.join(T0, member("Late")).unwrap();
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Admit {
            participant: Some(late),
        },
    );
    let history = to(&out, &room, late)
        .into_iter()
        .find_map(|m| match m {
            ServerMsg::History { messages } => Some(messages),
            _ => None,
        })
        .unwrap();
    assert_eq!(history[0].reactions[&Reaction::Heart], vec![sam]);

    let out = room.handle(
        T0,
        sky,
        ClientMsg::React {
            message: MessageId(999),
            reaction: Reaction::Hug,
            on: true,
        },
    );
    assert_eq!(error_code(&to(&out, &room, sky)), Some(ErrorCode::NotFound));
}

#[test]
fn the_private_line_reaches_facilitators_only_and_answers_reach_that_member_only() {
    let (mut room, sam, river, sky) = live_room();
    let out = room.handle(
        T0,
        river,
        ClientMsg::ToFacilitators {
            text: "Can we talk after?".into(),
            client_id: Some("p1".into()),
        },
    );
    assert!(
        matches!(&to(&out, &room, river)[0], ServerMsg::Ack { client_id: Some(c), .. } if c == "p1")
    );
    assert!(to(&out, &room, sam).iter().any(|m| matches!(
        m,
        ServerMsg::Private { text, member, .. } if text == "Can we talk after?" && member.id == river
    )));
    assert!(
        to(&out, &room, sky).is_empty(),
        "other members never see private lines"
    );

    let out = room.handle(
        T0,
        sam,
        ClientMsg::Reply {
            to: river,
            text: "Of course.".into(),
            client_id: None,
        },
    );
    assert!(
        to(&out, &room, river)
            .iter()
            .any(|m| matches!(m, ServerMsg::Private { text, .. } if text == "Of course."))
    );
    assert!(to(&out, &room, sky).is_empty());

    let out = room.handle(
        T0,
        sam,
        ClientMsg::Reply {
            to: sam,
            text: "to myself".into(),
            client_id: None,
        },
    );
    assert_eq!(error_code(&to(&out, &room, sam)), Some(ErrorCode::NotFound));
}

#[test]
fn a_report_alerts_the_facilitators_with_reason_and_note_and_thanks_the_reporter() {
    let (mut room, sam, river, sky) = live_room();
    let said = room.handle(T0, river, say("something"));
    let ServerMsg::Ack { id, .. } = to(&said, &room, river)[0] else {
        panic!()
    };
    let out = room.handle(
        T0,
        sky,
        ClientMsg::Report {
            message: id,
            reason: Reason::Harassment,
            note: Some("this hurt".into()),
        },
    );
    assert!(to(&out, &room, sam).iter().any(|m| matches!(
        m,
        ServerMsg::Alert { kind: AlertKind::Report, participant, message: Some(m), reason: Some(Reason::Harassment), note: Some(n), by: Some(b), .. }
            if participant.id == river && *m == id && n == "this hurt" && b.id == sky
    )));
    assert_eq!(
        to(&out, &room, sky),
        vec![ServerMsg::Reported { message: id }]
    );
    assert!(
        to(&out, &room, river).is_empty(),
        "the reported member is not told"
    );
    let long = room.handle(
        T0,
        sky,
        ClientMsg::Report {
            message: id,
            reason: Reason::Other,
            note: Some("x".repeat(501)),
        },
    );
    assert_eq!(
        error_code(&to(&long, &room, sky)),
        Some(ErrorCode::TextInvalid)
    );
}

#[test]
fn the_support_button_gives_resources_to_the_member_and_a_quiet_alert_to_facilitators() {
    let (mut room, sam, river, sky) = live_room();
    let out = room.handle(T0, river, ClientMsg::Support {});
    assert!(matches!(
        &to(&out, &room, river)[0],
        ServerMsg::Resources { cause: ResourcesCause::Requested, resources } if !resources.lines.is_empty()
    ));
    assert!(to(&out, &room, sam).iter().any(|m| matches!(
        m,
        ServerMsg::Alert { kind: AlertKind::Support, participant, .. } if participant.id == river
    )));
    assert!(to(&out, &room, sky).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Dropped connections and resuming

#[test]
fn a_dropped_member_resumes_the_same_seat_hand_and_the_messages_missed() {
    let (mut room, sam, river, sky) = live_room();
    room.handle(T0, sky, ClientMsg::Hand { up: true });
    room.handle(T0, river, ClientMsg::Hand { up: true });
    let out = room.disconnect(T0, river, LeaveReason::Dropped);
    assert!(to(&out, &room, sky).iter().any(|m| matches!(
        m,
        ServerMsg::Presence { event: PresenceEvent::Away, participant } if participant.id == river
    )));
    room.handle(T0.plus_ms(MINUTE), sam, say("While you were away"));
    assert_eq!(
        room.join(T0, member("river")).unwrap_err(),
        JoinError::NameTaken
    );

    let (back, out) = room.resume(T0.plus_ms(2 * MINUTE), "resume-River").unwrap();
    assert_eq!(back, river);
    assert_eq!(
        room.room_view(T0).hands,
        vec![sky, river],
        "same place in the queue"
    );
    let to_river = to(&out, &room, river);
    let history: Vec<String> = to_river
        .iter()
        .filter_map(|m| match m {
            ServerMsg::History { messages } => Some(messages.iter().map(|m| m.text.clone())),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(history, ["While you were away"]);
    assert!(to(&out, &room, sky).iter().any(|m| matches!(
        m,
        ServerMsg::Presence {
            event: PresenceEvent::Back,
            ..
        }
    )));
    assert_eq!(
        room.resume(T0, "not-a-token").unwrap_err(),
        JoinError::ResumeInvalid
    );
}

#[test]
fn a_seat_is_given_up_when_its_owner_stays_away_past_the_grace() {
    let (mut room, _, river, sky) = live_room();
    room.disconnect(T0, river, LeaveReason::Dropped);
    assert_eq!(room.next_wakeup(T0), Some(T0.plus_ms(5 * MINUTE)));
    let out = room.tick(T0.plus_ms(5 * MINUTE));
    assert!(to(&out, &room, sky).iter().any(|m| matches!(
        m,
        ServerMsg::Presence { event: PresenceEvent::Left, participant } if participant.id == river
    )));
    assert_eq!(
        room.resume(T0, "resume-River").unwrap_err(),
        JoinError::ResumeInvalid
    );
}

#[test]
fn leaving_gives_up_the_seat_at_once() {
    let (mut room, _, river, sky) = live_room();
    let out = room.handle(T0, river, ClientMsg::Leave {});
    assert_eq!(closes(&out), vec![(river, CloseWhy::Left)]);
    assert!(to(&out, &room, sky).iter().any(|m| matches!(
        m,
        ServerMsg::Presence {
            event: PresenceEvent::Left,
            ..
        }
    )));
    assert_eq!(
        room.resume(T0, "resume-River").unwrap_err(),
        JoinError::ResumeInvalid
    );
}

#[test]
fn a_member_dropped_for_being_slow_is_flagged_to_facilitators() {
    let (mut room, sam, river, _) = live_room();
    let out = room.disconnect(T0, river, LeaveReason::TooSlow);
    assert!(to(&out, &room, sam).iter().any(|m| matches!(
        m,
        ServerMsg::Alert { kind: AlertKind::Dropped, participant, .. } if participant.id == river
    )));
}

// ---------------------------------------------------------------------------------------------
// The authorization matrix: every request × every role × every phase.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The request is carried out (no error or rejection for the sender).
    Done,
    /// Refused with this code.
    Refused(ErrorCode),
}

/// Builds a room in `phase` holding a facilitator (Sam), an admitted member (River), a member
/// waiting (Wren) when the phase allows one, and one message by River to act on.
fn room_in(phase: Phase) -> (Room, Millis, ParticipantId, ParticipantId, MessageId) {
    let mut room = facilitated_room();
    let at = match phase {
        Phase::Scheduled => T0.plus_ms(-30 * MINUTE),
        Phase::Waiting => T0.plus_ms(-5 * MINUTE),
        Phase::Live | Phase::Ended => T0.plus_ms(10 * MINUTE),
        Phase::Closing => T0.plus_ms(86 * MINUTE),
    };
    let (sam, _) = room.join(at, facilitator("Sam")).unwrap();
    let mut message = MessageId(0);
    let mut river = ParticipantId(0);
    if phase != Phase::Scheduled {
        river = room.join(at, member("River")).unwrap().0;
        room.handle(at, sam, ClientMsg::Admit { participant: None });
        if matches!(phase, Phase::Live | Phase::Closing | Phase::Ended) {
            room.handle(at, sam, ClientMsg::Open {});
        }
        let said = room.handle(at, sam, say("Welcome"));
        if let ServerMsg::Ack { id, .. } = to(&said, &room, sam)[0] {
            message = id;
        }
        room.join(at, member("Wren")).unwrap();
    }
    if phase == Phase::Ended {
        room.handle(at, sam, ClientMsg::End {});
    }
    assert_eq!(room.phase(at), phase);
    (room, at, sam, river, message)
}

fn requests(target: ParticipantId, message: MessageId) -> Vec<(&'static str, ClientMsg)> {
    vec![
        ("say", say("hello")),
        (
            "react",
            ClientMsg::React {
                message,
                reaction: Reaction::Hug,
                on: true,
            },
        ),
        ("hand", ClientMsg::Hand { up: true }),
        ("pass", ClientMsg::Pass {}),
        (
            "to_facilitators",
            ClientMsg::ToFacilitators {
                text: "hi".into(),
                client_id: None,
            },
        ),
        (
            "report",
            ClientMsg::Report {
                message,
                reason: Reason::Other,
                note: None,
            },
        ),
        ("support", ClientMsg::Support {}),
        ("admit", ClientMsg::Admit { participant: None }),
        (
            "mute",
            ClientMsg::Mute {
                participant: target,
                minutes: 5,
                reason: Reason::Spam,
            },
        ),
        (
            "unmute",
            ClientMsg::Unmute {
                participant: target,
            },
        ),
        ("pause", ClientMsg::Pause {}),
        ("resume", ClientMsg::Resume {}),
        ("slow", ClientMsg::Slow { seconds: 10 }),
        ("lock", ClientMsg::Lock {}),
        ("unlock", ClientMsg::Unlock {}),
        (
            "announce",
            ClientMsg::Announce {
                text: Some("Welcome".into()),
            },
        ),
        ("call_on", ClientMsg::CallOn { participant: None }),
        (
            "reply",
            ClientMsg::Reply {
                to: target,
                text: "hi".into(),
                client_id: None,
            },
        ),
        (
            "delete",
            ClientMsg::Delete {
                message,
                reason: Reason::Other,
            },
        ),
        (
            "remove",
            ClientMsg::Remove {
                participant: target,
                reason: Reason::Other,
            },
        ),
        (
            "ban",
            ClientMsg::Ban {
                participant: target,
                reason: Reason::Other,
            },
        ),
        ("open", ClientMsg::Open {}),
        ("end", ClientMsg::End {}),
    ]
}

const FACILITATOR_ONLY: &[&str] = &[
    "admit", "mute", "unmute", "pause", "resume", "slow", "lock", "unlock", "announce", "call_on",
    "reply", "delete", "remove", "ban", "open", "end",
];

fn expected(request: &str, role: Role, phase: Phase) -> Expect {
    use ErrorCode::*;
    use Expect::*;
    let live = matches!(phase, Phase::Live | Phase::Closing);
    match (role, request) {
        (Role::Member, r) if FACILITATOR_ONLY.contains(&r) => Refused(Forbidden),
        (Role::Member, "say") if !live => Refused(SessionNotOpen),
        (Role::Member, _) => Done,
        (Role::Facilitator, "hand") => Refused(Forbidden),
        (Role::Facilitator, "to_facilitators") => Refused(Forbidden),
        // Nobody is waiting once everyone was admitted, and nobody holds a hand.
        (Role::Facilitator, "call_on") => Refused(NotFound),
        (Role::Facilitator, "open") if live => Refused(InvalidMessage),
        (Role::Facilitator, _) => Done,
    }
}

#[test]
fn every_request_by_every_role_in_every_phase_gets_the_expected_answer() {
    let mut checked = 0;
    for phase in [Phase::Waiting, Phase::Live, Phase::Closing] {
        for role in [Role::Member, Role::Facilitator] {
            let (_, _, _, river, message) = room_in(phase);
            for (name, request) in requests(river, message) {
                // A fresh room for every request, so one request's effect cannot mask another's.
                let (mut room, at, sam, river, _) = room_in(phase);
                let from = if role == Role::Member { river } else { sam };
                let before = room.room_view(at);
                let out = room.handle(at, from, request);
                let answer = to(&out, &room, from);
                let got = match error_code(&answer) {
                    Some(code) => Expect::Refused(code),
                    None => Expect::Done,
                };
                let want = expected(name, role, phase);
                assert_eq!(got, want, "{name} by {role:?} in {phase:?}: {answer:?}");
                if let Expect::Refused(_) = want {
                    assert_eq!(
                        room.room_view(at),
                        before,
                        "{name} by {role:?} in {phase:?}: a refusal changes nothing"
                    );
                    assert!(audits(&out).is_empty(), "{name}: refusals are not audited");
                    assert!(closes(&out).is_empty(), "{name}: refusals close nothing");
                }
                if role == Role::Facilitator
                    && want == Expect::Done
                    && FACILITATOR_ONLY.contains(&name)
                    && !matches!(name, "call_on" | "reply")
                {
                    assert!(
                        !audits(&out).is_empty() || name == "admit",
                        "{name}: facilitator actions are audited"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 2 * 23);
}

#[test]
fn nothing_is_done_for_anyone_once_the_session_has_ended() {
    let (mut room, at, sam, river, message) = room_in(Phase::Ended);
    for (name, request) in requests(river, message) {
        assert!(room.handle(at, sam, request.clone()).is_empty(), "{name}");
        assert!(room.handle(at, river, request).is_empty(), "{name}");
    }
}

#[test]
fn in_the_scheduled_phase_only_facilitators_are_inside_and_may_open_early() {
    let (mut room, at, sam, _, _) = room_in(Phase::Scheduled);
    assert_eq!(room.len(), 1);
    let out = room.handle(at, sam, ClientMsg::Open {});
    assert!(
        audits(&out)
            .iter()
            .any(|a| a.action == ModerationAction::Opened)
    );
    assert_eq!(room.phase(at), Phase::Live);
}

#[test]
fn audit_events_name_seats_and_reasons_never_words() {
    let (mut room, sam, river, _) = live_room();
    room.handle(T0, river, say("a secret canary sentence"));
    let out = room.handle(
        T0,
        sam,
        ClientMsg::Remove {
            participant: river,
            reason: Reason::Other,
        },
    );
    let rendered = format!("{:?}", audits(&out));
    assert!(!rendered.contains("canary"));
    assert!(!rendered.contains("River"));
}

#[test]
fn crisis_words_are_delivered_and_bring_resources_to_the_member_and_an_alert_to_facilitators() {
    let (mut room, sam, river, sky) = live_room();
    let out = room.handle(T0, river, say("honestly I want to kill myself tonight"));
    let to_river = to(&out, &room, river);
    assert_eq!(types(&to_river), ["ack", "message", "resources"]);
    assert!(matches!(
        &to_river[2],
        ServerMsg::Resources {
            cause: ResourcesCause::Crisis,
            ..
        }
    ));
    assert_eq!(
        types(&to(&out, &room, sky)),
        ["message"],
        "nothing is censored"
    );
    assert!(to(&out, &room, sam).iter().any(|m| matches!(
        m,
        ServerMsg::Alert { kind: AlertKind::Crisis, participant, kinds, .. }
            if participant.id == river && kinds == &vec!["suicide".to_owned()]
    )));

    let ordinary = room.handle(T0, river, say("this traffic is killing me, running late"));
    assert_eq!(types(&to(&ordinary, &room, river)), ["ack", "message"]);
}

#[test]
fn a_room_everyone_left_ends_with_its_counts_and_nothing_else() {
    let mut room = open_room();
    let (river, _) = room.join(T0, member("River")).unwrap();
    room.handle(T0, river, say("hello"));
    assert!(
        room.end_when_abandoned(T0).is_empty(),
        "not while someone is seated"
    );
    room.handle(T0, river, ClientMsg::Leave {});
    let out = room.end_when_abandoned(T0.plus_ms(MINUTE));
    let summary = out.iter().find_map(|o| match o {
        Outgoing::Ended(summary) => Some(*summary),
        _ => None,
    });
    assert_eq!(
        summary,
        Some(SessionSummary {
            scheduled_start: None,
            started_at: Some(T0),
            ended_at: T0.plus_ms(MINUTE),
            members_joined: 1,
            peak_present: 1,
            messages: 1,
        })
    );
    assert!(room.has_ended());
}

#[test]
fn a_room_nobody_entered_ends_without_a_trace() {
    let mut room = facilitated_room();
    let early = T0.plus_ms(-30 * MINUTE);
    assert!(room.join(early, member("River")).is_err());
    assert!(room.end_when_abandoned(early).is_empty());
    assert!(room.has_ended());
}

// ---------------------------------------------------------------------------------------------
// The no-outside-contact boundary

fn room_with_policy(
    policy: ContactPolicy,
    exempt_facilitators: bool,
) -> (Room, ParticipantId, ParticipantId, ParticipantId) {
    let mut settings = settings(RoomPolicy::FACILITATED, Some(times()));
    settings.screening.policy = policy;
    settings.screening.exempt_facilitators = exempt_facilitators;
    let mut room = Room::new(settings);
    let (sam, _) = room.join(T0, facilitator("Sam")).unwrap();
    let (river, _) = room.join(T0, member("River")).unwrap();
    let (sky, _) = room.join(T0, member("Sky")).unwrap();
    room.handle(T0, sam, ClientMsg::Open {});
    room.handle(T0, sam, ClientMsg::Admit { participant: None });
    (room, sam, river, sky)
}

#[test]
fn under_block_a_contact_detail_is_not_delivered_and_facilitators_see_it_masked() {
    let (mut room, sam, river, sky) = room_with_policy(ContactPolicy::Block, true);
    let out = room.handle(T0, river, say("text me on 415 555 0122 after"));
    let to_river = to(&out, &room, river);
    let ServerMsg::Rejected {
        code,
        reason,
        matched,
        ..
    } = &to_river[0]
    else {
        panic!("{to_river:?}");
    };
    assert_eq!(*code, ErrorCode::ContactInfo);
    assert!(reason.contains("phone number"), "{reason}");
    assert_eq!(matched, &vec!["phone".to_owned()]);
    assert!(
        to(&out, &room, sky).is_empty(),
        "nothing reaches the others"
    );
    let alert = to(&out, &room, sam)
        .into_iter()
        .find(|m| {
            matches!(
                m,
                ServerMsg::Alert {
                    kind: AlertKind::Contact,
                    ..
                }
            )
        })
        .expect("facilitators are alerted");
    let ServerMsg::Alert {
        masked,
        blocked,
        participant,
        ..
    } = alert
    else {
        unreachable!()
    };
    assert_eq!(participant.id, river);
    assert_eq!(blocked, Some(true));
    let masked = masked.unwrap();
    assert!(!masked.contains("0122"), "{masked}");
    assert!(masked.contains("[phone]"), "{masked}");
    assert!(room.scrollback.is_empty());
}

#[test]
fn under_mask_the_message_is_delivered_with_the_detail_replaced() {
    let (mut room, sam, river, sky) = room_with_policy(ContactPolicy::Mask, true);
    let out = room.handle(T0, river, say("add me on insta @paper.moon.pilot"));
    let delivered = to(&out, &room, sky)
        .into_iter()
        .find_map(|m| match m {
            ServerMsg::Message(m) => Some(m.text),
            _ => None,
        })
        .unwrap();
    assert!(!delivered.contains("paper.moon"), "{delivered}");
    assert!(to(&out, &room, sam).iter().any(|m| matches!(
        m,
        ServerMsg::Alert {
            kind: AlertKind::Contact,
            blocked: Some(false),
            message: Some(_),
            ..
        }
    )));
}

#[test]
fn ordinary_numbers_pass_the_boundary() {
    let (mut room, _, river, _) = room_with_policy(ContactPolicy::Block, true);
    for text in [
        "73 days clean today",
        "I'm on 50mg twice a day",
        "the crisis line is 988 if anyone needs it",
        "meeting moved to 19:30 on 12/03",
    ] {
        let out = room.handle(T0, river, say(text));
        assert_eq!(types(&to(&out, &room, river)), ["ack", "message"], "{text}");
    }
}

#[test]
fn a_number_split_over_messages_is_caught_at_the_piece_that_completes_it() {
    let (mut room, _, river, sky) = room_with_policy(ContactPolicy::Block, true);
    let mut at = T0;
    let mut delivered = Vec::new();
    let mut refused = Vec::new();
    for piece in [
        "if anyone wants to talk after",
        "my cell is 312",
        "555",
        "0147",
    ] {
        at = at.plus_ms(5_000);
        let out = room.handle(at, river, say(piece));
        if error_code(&to(&out, &room, river)) == Some(ErrorCode::ContactInfo) {
            refused.push(piece);
        } else {
            delivered.push(piece);
        }
        let _ = sky;
    }
    assert_eq!(refused.last(), Some(&"0147"), "delivered {delivered:?}");
}

#[test]
fn facilitators_are_exempt_by_default_and_screened_when_the_group_says_so() {
    let (mut room, sam, _, _) = room_with_policy(ContactPolicy::Block, true);
    let out = room.handle(T0, sam, say("our office line is 020 7946 0881"));
    assert_eq!(types(&to(&out, &room, sam))[..2], ["ack", "message"]);
    let (mut room, sam, _, _) = room_with_policy(ContactPolicy::Block, false);
    let out = room.handle(T0, sam, say("our office line is 020 7946 0881"));
    assert_eq!(
        error_code(&to(&out, &room, sam)),
        Some(ErrorCode::ContactInfo)
    );
}

#[test]
fn the_private_line_keeps_the_boundary_too() {
    let (mut room, sam, river, _) = room_with_policy(ContactPolicy::Block, true);
    let out = room.handle(
        T0,
        river,
        ClientMsg::ToFacilitators {
            text: "email me at june.abara@hotmail.com".into(),
            client_id: Some("p".into()),
        },
    );
    assert_eq!(
        error_code(&to(&out, &room, river)),
        Some(ErrorCode::ContactInfo)
    );
    assert!(
        !to(&out, &room, sam)
            .iter()
            .any(|m| matches!(m, ServerMsg::Private { .. }))
    );
}

#[test]
fn a_pseudonym_holding_contact_details_is_refused() {
    let mut room = open_room();
    for name in ["Jo 07700900810", "snap jo.b03"] {
        assert_eq!(
            room.join(T0, member(name)).unwrap_err(),
            JoinError::NameHasContactInfo,
            "{name}"
        );
    }
    assert!(room.join(T0, member("Jo B")).is_ok());
}

#[test]
fn a_scheduled_group_with_no_session_due_turns_members_away_until_a_facilitator_opens_one() {
    let mut settings = settings(RoomPolicy::FACILITATED, None);
    settings.scheduled = true;
    let mut room = Room::new(settings);
    assert_eq!(
        room.join(T0, member("River")).unwrap_err(),
        JoinError::NoSession
    );
    let (sam, _) = room.join(T0, facilitator("Sam")).unwrap();
    room.handle(T0, sam, ClientMsg::Open {});
    assert!(room.join(T0, member("River")).is_ok());
}

#[test]
fn a_lifted_ban_lets_the_browser_back_into_the_same_session() {
    let (mut room, sam, river, _) = live_room();
    room.handle(
        T0,
        sam,
        ClientMsg::Ban {
            participant: river,
            reason: Reason::Other,
        },
    );
    assert_eq!(
        room.join(T0, member("River")).unwrap_err(),
        JoinError::Removed
    );
    room.forgive(DeviceId([5; 32]));
    assert!(room.join(T0, member("River")).is_ok());
}

#[test]
fn a_facilitator_opening_a_second_tab_takes_over_their_own_seat() {
    let (mut room, sam, river, _) = live_room();
    let (again, out) = room
        .join(T0, facilitator("Sam"))
        .expect("the same account is not refused as a name in use");
    assert_eq!(again, sam, "the same seat, not a second facilitator");
    assert!(types(&to(&out, &room, sam)).contains(&"welcome"));
    assert_eq!(room.len(), 3, "Sam, River and Sky: still three people");
    assert!(
        !types(&to(&out, &room, river)).contains(&"presence"),
        "members see nothing: the facilitator never left"
    );
    // Another account with the same display name is still a different person.
    assert_eq!(
        room.join(T0, co_facilitator("Sam")).unwrap_err(),
        JoinError::NameTaken
    );
}

#[test]
fn a_facilitator_who_comes_back_gets_the_private_lines_and_alerts_so_far() {
    let (mut room, sam, river, sky) = live_room();
    room.handle(
        T0,
        river,
        ClientMsg::ToFacilitators {
            text: "Can we talk after?".into(),
            client_id: None,
        },
    );
    room.handle(T0, sky, ClientMsg::Support {});
    room.handle(
        T0,
        sam,
        ClientMsg::Reply {
            to: river,
            text: "Of course.".into(),
            client_id: None,
        },
    );
    room.disconnect(T0, sam, LeaveReason::Dropped);

    let (back, out) = room.resume(T0, "resume-Sam").unwrap();
    let to_sam = to(&out, &room, back);
    let Some(ServerMsg::FacilitatorHistory { items }) = to_sam
        .iter()
        .find(|m| matches!(m, ServerMsg::FacilitatorHistory { .. }))
    else {
        panic!("no facilitator_history in {:?}", types(&to_sam));
    };
    assert_eq!(types(items), ["private", "alert", "private"]);
    assert!(matches!(&items[0], ServerMsg::Private { text, .. } if text == "Can we talk after?"));
    assert!(
        matches!(&items[1], ServerMsg::Alert { kind: AlertKind::Support, participant, .. } if participant.id == sky)
    );

    // Members never get it, and it is gone with the session.
    room.disconnect(T0, river, LeaveReason::Dropped);
    let (_, out) = room.resume(T0, "resume-River").unwrap();
    assert!(!types(&to(&out, &room, river)).contains(&"facilitator_history"));
    room.handle(T0, sam, ClientMsg::End {});
    assert!(room.facilitator_history.is_empty());
}
