//! Facilitated sessions over real sockets: the waiting room, admission, phases on a controllable
//! clock, every moderation action, bans that outlast the session, resuming after a dropped
//! connection, the contact boundary and crisis support, and what is left on disk afterwards.

use std::sync::Arc;

use hearth::clock::{Clock, ManualClock};
use hearth::domain::Millis;
use serde_json::{Value, json};

use crate::helpers::{Client, TestServer};
use crate::web::{Api, connect_with_cookie, signed_in};

/// 2030-01-15 18:00 UTC, an hour before the test group's session (19:00–20:00 UTC).
fn six_pm() -> Millis {
    Millis(
        "2030-01-15T18:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond(),
    )
}

const MINUTE: i64 = 60_000;

/// A facilitated group (facilitators open the room and admit members) with one session,
/// 19:00–20:00 UTC on 2030-01-15, created through the API by `sam`. Returns its id and an
/// invite code.
async fn facilitated_group(sam: &Api, settings: Value) -> (i64, String) {
    let group = sam
        .post(
            "/api/groups",
            json!({
                "name": "Tuesday circle",
                "time_zone": "UTC",
                "schedule": {"one_off": [{"date": "2030-01-15", "start": "19:00", "minutes": 60}]},
                "settings": settings,
            }),
        )
        .await;
    assert_eq!(group.status, 201, "{}", group.text);
    let id = group.body["group"]["id"].as_i64().unwrap();
    let invite = sam
        .post(&format!("/api/groups/{id}/invites"), json!({}))
        .await;
    assert_eq!(invite.status, 201, "{}", invite.text);
    (id, invite.body["code"].as_str().unwrap().to_owned())
}

fn settings(policy: &str) -> Value {
    json!({
        "filter_policy": policy,
        "exempt_facilitators": true,
        "crisis_locale": "us",
        "auto_open": false,
        "auto_admit": false,
        "allow_without_facilitator": false,
        "waiting_room_minutes": 10
    })
}

/// Moderation records are written off the room task, so a test asks the API until they show
/// (each try is a real request; the whole wait is bounded).
async fn until(api: &Api, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let last = std::sync::Mutex::new(Value::Null);
    let wait = async {
        loop {
            let reply = api.get(path).await;
            if done(&reply.body) {
                return reply.body;
            }
            *last.lock().unwrap() = json!({"status": reply.status, "body": reply.body});
            tokio::task::yield_now().await;
        }
    };
    let outcome = tokio::time::timeout(crate::helpers::WAIT, wait).await;
    outcome.unwrap_or_else(|_| {
        let last = last.lock().unwrap();
        panic!("{path} never showed what the test waits for; last reply: {last}")
    })
}

/// A group's room five minutes before its 19:00 session, with its facilitator Sam inside and
/// the waiting room open (contact policy "block").
struct LiveRoom {
    server: TestServer,
    sam: Api,
    group: i64,
    invite: String,
    facilitator: Client,
}

async fn facilitator_in_waiting_room() -> LiveRoom {
    let (server, clock) = manual_server().await;
    clock.set(six_pm().plus_ms(55 * MINUTE));
    let sam = signed_in(&server, "sam", false).await;
    let (group, invite) = facilitated_group(&sam, settings("block")).await;
    let facilitator = enter_as_facilitator(&server, &sam, group).await;
    LiveRoom {
        server,
        sam,
        group,
        invite,
        facilitator,
    }
}

/// A member's browser: a socket carrying a device key, as the page would have set it.
async fn member_browser(server: &TestServer, device: &str) -> Client {
    connect_with_cookie(server, &format!("hearth_device={device}")).await
}

async fn join_member(client: &mut Client, invite: &str, name: &str) -> Value {
    client.send_join(invite, name).await;
    client.recv_type("welcome").await
}

async fn enter_as_facilitator(server: &TestServer, facilitator: &Api, group: i64) -> Client {
    let mut socket = connect_with_cookie(server, facilitator.cookie.as_deref().unwrap()).await;
    socket
        .send(json!({"type": "join", "v": 1, "group": group}))
        .await;
    let welcome = socket.recv_type("welcome").await;
    assert_eq!(welcome["you"]["role"], "facilitator", "{welcome}");
    socket
}

/// Skips messages until a `waiting_room` listing `count` members.
async fn waiting_list(facilitator: &mut Client, count: usize) -> Value {
    loop {
        let list = facilitator.recv_type("waiting_room").await;
        if list["participants"]
            .as_array()
            .is_some_and(|p| p.len() == count)
        {
            return list;
        }
    }
}

/// Skips messages until a `moderation` message reporting `action`.
async fn moderation(client: &mut Client, action: &str) -> Value {
    loop {
        let msg = client.recv_type("moderation").await;
        if msg["action"] == action {
            return msg;
        }
    }
}

/// Skips messages until a `room_state` whose `phase` is `phase`.
async fn phase(client: &mut Client, phase: &str) -> Value {
    loop {
        let state = client.recv_type("room_state").await;
        if state["phase"] == phase {
            return state;
        }
    }
}

async fn manual_server() -> (TestServer, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(six_pm()));
    let server = TestServer::start_with_clock(Arc::clone(&clock) as Arc<dyn Clock>, |_| {}).await;
    (server, clock)
}

/// The whole life of a session, driven by the clock and the facilitator: members are turned away
/// before the waiting room opens, wait there until admitted, talk once the facilitator opens,
/// are told when it is closing, and see it end by itself after the grace period; only counts
/// are kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_session_goes_from_waiting_room_to_end_on_its_clock() {
    let (server, clock) = manual_server().await;
    let sam = signed_in(&server, "sam", false).await;
    let (group, invite) = facilitated_group(&sam, settings("block")).await;

    // 18:00: an hour early, the waiting room is not open.
    let mut river = member_browser(&server, "device-river-0000000001").await;
    river.send_join(&invite, "River").await;
    let early = river.recv_type("error").await;
    assert_eq!(early["code"], "session_not_open", "{early}");

    // 18:52: the waiting room is open (10 minutes before).
    clock.set(six_pm().plus_ms(52 * MINUTE));
    let welcome = join_member(&mut river, &invite, "River").await;
    assert_eq!(welcome["you"]["status"], "waiting");
    assert_eq!(welcome["room"]["phase"], "waiting");
    assert_eq!(welcome["roster"], json!([]));
    let starts_at = welcome["room"]["starts_at"].as_i64().unwrap();
    assert_eq!(starts_at, six_pm().plus_ms(60 * MINUTE).0);
    river.say("hello?", "w1").await;
    assert_eq!(river.recv_type("rejected").await["code"], "waiting");

    let mut facilitator = enter_as_facilitator(&server, &sam, group).await;
    let waiting = waiting_list(&mut facilitator, 1).await;
    assert_eq!(waiting["participants"][0]["name"], "River", "{waiting}");
    let river_id = waiting["participants"][0]["id"].clone();

    facilitator
        .send(json!({"type": "admit", "participant": river_id}))
        .await;
    let admitted = river.recv_type("welcome").await;
    assert_eq!(admitted["you"]["status"], "present");
    facilitator.send(json!({"type": "open"})).await;
    phase(&mut river, "live").await;
    river.say("glad to be here", "m1").await;
    assert_eq!(river.recv_type("ack").await["client_id"], "m1");
    assert_eq!(
        facilitator.recv_text("glad to be here").await["from"]["name"],
        "River"
    );

    // 19:55: the closing notice, by the clock alone.
    clock.set(six_pm().plus_ms(115 * MINUTE));
    phase(&mut river, "closing").await;

    // 20:10: the scheduled end plus the grace: the session ends by itself.
    clock.set(six_pm().plus_ms(130 * MINUTE));
    let ended = river.recv_type("ended").await;
    assert!(
        !ended["resources"]["lines"].as_array().unwrap().is_empty(),
        "{ended}"
    );
    assert_eq!(u16::from(river.closed().await.unwrap().code), 4004);
    facilitator.recv_type("ended").await;

    let sessions = until(&sam, &format!("/api/groups/{group}/sessions"), |body| {
        body["sessions"].as_array().is_some_and(|s| !s.is_empty())
    })
    .await;
    let summary = &sessions["sessions"][0];
    assert_eq!(summary["members_joined"], 1, "{sessions}");
    assert_eq!(summary["messages_sent"], 1, "{sessions}");
    let audit = until(&sam, &format!("/api/groups/{group}/audit"), |body| {
        body["events"]
            .as_array()
            .is_some_and(|events| events.iter().any(|e| e["action"] == "ended"))
    })
    .await;
    let actions: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["admitted", "opened", "ended"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }

    // The same session does not start again; the group has no later session.
    let mut late = member_browser(&server, "device-late-00000000001").await;
    late.send_join(&invite, "Late").await;
    let refusal = late.recv_type("error").await;
    assert_eq!(refusal["code"], "session_not_open", "{refusal}");
}

/// A facilitator's moderation reaches the member in plain words, changes what they can do, is
/// acknowledged to the facilitator, and is written to the audit log with a reason code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_moderation_action_is_told_enforced_and_audited() {
    let LiveRoom {
        server,
        sam,
        group,
        invite,
        mut facilitator,
    } = facilitator_in_waiting_room().await;
    let mut river = member_browser(&server, "device-river-0000000002").await;
    let mut sky = member_browser(&server, "device-sky-000000000002").await;
    join_member(&mut river, &invite, "River").await;
    join_member(&mut sky, &invite, "Sky").await;
    facilitator.send(json!({"type": "admit"})).await;
    facilitator.send(json!({"type": "open"})).await;
    river.recv_type("welcome").await;
    sky.recv_type("welcome").await;
    phase(&mut sky, "live").await;
    let roster = loop {
        let roster = facilitator.recv_type("roster").await;
        if roster["participants"].as_array().unwrap().len() == 3 {
            break roster;
        }
    };
    let id_of = |name: &str| -> Value {
        roster["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["id"].clone())
            .unwrap_or(Value::Null)
    };
    let (river_id, sky_id) = (id_of("River"), id_of("Sky"));
    assert!(river_id.is_number() && sky_id.is_number(), "{roster}");

    // Mute: told, refused, then lifted.
    facilitator
        .send(
            json!({"type": "mute", "participant": river_id, "minutes": 10, "reason": "disrespect"}),
        )
        .await;
    let muted = river.recv_type("moderation").await;
    assert_eq!(muted["action"], "muted");
    assert_eq!(muted["reason"], "disrespect");
    moderation(&mut facilitator, "muted").await;
    river.say("but", "x").await;
    let rejected = river.recv_type("rejected").await;
    assert_eq!(rejected["code"], "muted");
    assert!(
        rejected["reason"]
            .as_str()
            .unwrap()
            .contains("10 more minutes")
    );
    facilitator
        .send(json!({"type": "unmute", "participant": river_id}))
        .await;
    assert_eq!(river.recv_type("moderation").await["action"], "unmuted");

    // Delete: everyone present loses the message.
    sky.say("something to take back", "s1").await;
    let said = sky.recv_type("ack").await;
    facilitator
        .send(json!({"type": "delete", "message": said["id"], "reason": "off_topic"}))
        .await;
    assert_eq!(river.recv_type("deleted").await["message"], said["id"]);

    // Pause, slow, lock, announce: visible in the room state.
    facilitator.send(json!({"type": "pause"})).await;
    while river.recv_type("room_state").await["paused"] != true {}
    river.say("hello", "p").await;
    assert_eq!(river.recv_type("rejected").await["code"], "paused");
    facilitator.send(json!({"type": "resume"})).await;
    facilitator
        .send(json!({"type": "slow", "seconds": 30}))
        .await;
    facilitator.send(json!({"type": "lock"})).await;
    facilitator
        .send(json!({"type": "announce", "text": "Break at 19:45"}))
        .await;
    loop {
        let state = river.recv_type("room_state").await;
        if state["slow_seconds"] == 30
            && state["locked"] == true
            && state["pinned"]["text"] == "Break at 19:45"
        {
            break;
        }
    }
    let mut newcomer = member_browser(&server, "device-new-000000000002").await;
    newcomer.send_join(&invite, "Newcomer").await;
    assert_eq!(newcomer.recv_type("error").await["code"], "room_locked");

    // Remove: told, closed with 4002, and this browser cannot come back this session.
    facilitator
        .send(json!({"type": "remove", "participant": sky_id, "reason": "harassment"}))
        .await;
    let removed = sky.recv_type("moderation").await;
    assert_eq!(removed["action"], "removed");
    assert_eq!(u16::from(sky.closed().await.unwrap().code), 4002);
    facilitator.send(json!({"type": "unlock"})).await;
    let mut again = member_browser(&server, "device-sky-000000000002").await;
    again.send_join(&invite, "Sky Again").await;
    assert_eq!(again.recv_type("error").await["code"], "banned");

    // A member cannot do any of this.
    river
        .send(json!({"type": "mute", "participant": river_id, "minutes": 5, "reason": "spam"}))
        .await;
    assert_eq!(river.recv_type("error").await["code"], "forbidden");

    let audit = until(&sam, &format!("/api/groups/{group}/audit"), |body| {
        body["events"]
            .as_array()
            .is_some_and(|events| events.iter().any(|e| e["action"] == "removed"))
    })
    .await;
    let events = audit["events"].as_array().unwrap().clone();
    let find = |action: &str| {
        events
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("{action} missing in {events:?}"))
            .clone()
    };
    assert_eq!(find("muted")["reason"], "disrespect");
    assert_eq!(find("muted")["participant"], river_id);
    assert_eq!(find("removed")["reason"], "harassment");
    assert_eq!(find("deleted")["reason"], "off_topic");
    for action in [
        "unmuted",
        "paused",
        "resumed",
        "slowed",
        "locked",
        "announced",
    ] {
        find(action);
    }
    let recorded = audit.to_string();
    for words in ["something to take back", "Break at 19:45", "River", "Sky"] {
        assert!(
            !recorded.contains(words),
            "the audit log holds no words: {words}"
        );
    }
}

/// A ban outlasts the session: the banned browser is refused by the group's next session too,
/// while another browser joins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banned_member_cannot_come_back() {
    let LiveRoom {
        server,
        sam,
        group,
        invite,
        mut facilitator,
    } = facilitator_in_waiting_room().await;
    let mut wren = member_browser(&server, "device-wren-00000000003").await;
    join_member(&mut wren, &invite, "Wren").await;
    let waiting = waiting_list(&mut facilitator, 1).await;
    let wren_id = waiting["participants"][0]["id"].clone();
    facilitator
        .send(json!({"type": "ban", "participant": wren_id, "reason": "harassment"}))
        .await;
    assert_eq!(wren.recv_type("moderation").await["action"], "banned");
    assert_eq!(u16::from(wren.closed().await.unwrap().code), 4003);

    until(&sam, &format!("/api/groups/{group}/bans"), |body| {
        body["bans"].as_array().is_some_and(|b| !b.is_empty())
    })
    .await;

    facilitator.send(json!({"type": "end"})).await;
    facilitator.recv_type("ended").await;
    // A new session of the group (ad hoc, once the schedule has none left) still refuses it.
    sam.put(
        &format!("/api/groups/{group}/schedule"),
        json!({"schedule": null}),
    )
    .await;
    let mut back = member_browser(&server, "device-wren-00000000003").await;
    back.send_join(&invite, "Wren Again").await;
    let refusal = back.recv().await;
    assert_eq!(refusal["code"], "banned", "{refusal}");
    let mut other = member_browser(&server, "device-other-0000000003").await;
    assert_eq!(
        join_member(&mut other, &invite, "Other").await["you"]["status"],
        "waiting"
    );
}

/// A member whose connection drops is "away", keeps their seat and place in the hand queue, and
/// on reconnecting with the resume token gets the same seat and everything said meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_after_a_dropped_connection_restores_the_seat_and_missed_messages() {
    let LiveRoom {
        server,
        invite,
        mut facilitator,
        ..
    } = facilitator_in_waiting_room().await;
    let mut river = member_browser(&server, "device-river-0000000004").await;
    let welcome = join_member(&mut river, &invite, "River").await;
    let token = welcome["resume"].as_str().unwrap().to_owned();
    facilitator.send(json!({"type": "admit"})).await;
    facilitator.send(json!({"type": "open"})).await;
    let admitted = river.recv_type("welcome").await;
    let river_id = admitted["you"]["id"].clone();
    river.send(json!({"type": "hand", "up": true})).await;
    loop {
        let state = facilitator.recv_type("room_state").await;
        if state["hands"] == json!([river_id]) {
            break;
        }
    }

    drop(river);
    let away = facilitator.recv_type("presence").await;
    assert_eq!(away["event"], "away");
    facilitator.say("While you were away", "f1").await;
    facilitator.recv_type("ack").await;

    let mut back = member_browser(&server, "device-river-0000000004").await;
    back.send(json!({"type": "join", "v": 1, "invite": invite, "resume": token}))
        .await;
    let welcome = back.recv_type("welcome").await;
    assert_eq!(welcome["you"]["id"], river_id, "the same seat");
    assert_eq!(welcome["you"]["status"], "present");
    assert_eq!(
        welcome["room"]["hands"],
        json!([river_id]),
        "the same place"
    );
    let history = back.recv_type("history").await;
    assert!(
        history["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["text"] == "While you were away"),
        "{history}"
    );
    let present = facilitator.recv_type("presence").await;
    assert_eq!(present["event"], "back");
}

/// The boundary over the socket: under `block` the sender is told what matched and nobody else
/// sees it, the facilitator gets a masked alert; under `mask` everyone sees the masked text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_details_are_blocked_or_masked_per_group_and_facilitators_see_a_masked_copy() {
    let (server, clock) = manual_server().await;
    clock.set(six_pm().plus_ms(55 * MINUTE));
    let sam = signed_in(&server, "sam", false).await;
    for policy in ["block", "mask"] {
        let (group, invite) = facilitated_group(&sam, settings(policy)).await;
        let mut facilitator = enter_as_facilitator(&server, &sam, group).await;
        let mut river = member_browser(&server, "device-river-0000000005").await;
        let mut sky = member_browser(&server, "device-sky-000000000005").await;
        join_member(&mut river, &invite, "River").await;
        join_member(&mut sky, &invite, "Sky").await;
        facilitator.send(json!({"type": "admit"})).await;
        facilitator.send(json!({"type": "open"})).await;
        river.recv_type("welcome").await;
        sky.recv_type("welcome").await;
        phase(&mut river, "live").await;

        river.say("add me on insta @paper.moon.pilot", "c1").await;
        let alert = facilitator.recv_type("alert").await;
        assert_eq!(alert["kind"], "contact");
        assert_eq!(alert["kinds"], json!(["handle"]));
        assert!(!alert["masked"].as_str().unwrap().contains("paper.moon"));
        if policy == "block" {
            let rejected = river.recv_type("rejected").await;
            assert_eq!(rejected["code"], "contact_info");
            assert_eq!(rejected["matched"], json!(["handle"]));
            assert_eq!(alert["blocked"], true);
            river.say("thank you all", "c2").await;
            let next = sky.recv_type("message").await;
            assert_eq!(
                next["text"], "thank you all",
                "the blocked one never arrived"
            );
        } else {
            let delivered = sky.recv_type("message").await;
            let text = delivered["text"].as_str().unwrap();
            assert!(
                !text.contains("paper.moon") && text.contains("[handle]"),
                "{text}"
            );
            assert_eq!(alert["blocked"], false);
        }
        facilitator.send(json!({"type": "end"})).await;
        river.recv_type("ended").await;
    }
}

/// Crisis words are delivered as written; the member privately gets the resources and the
/// facilitators a quiet alert.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crisis_words_bring_resources_and_a_quiet_alert() {
    let LiveRoom {
        server,
        invite,
        mut facilitator,
        ..
    } = facilitator_in_waiting_room().await;
    let mut river = member_browser(&server, "device-river-0000000006").await;
    join_member(&mut river, &invite, "River").await;
    facilitator.send(json!({"type": "admit"})).await;
    facilitator.send(json!({"type": "open"})).await;
    river.recv_type("welcome").await;
    phase(&mut river, "live").await;

    river.say("I don't want to be alive anymore", "k1").await;
    let resources = river.recv_type("resources").await;
    assert_eq!(resources["cause"], "crisis");
    assert!(
        resources["resources"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|line| line["call"] == "988")
    );
    assert_eq!(
        facilitator
            .recv_text("I don't want to be alive anymore")
            .await["from"]["name"],
        "River",
        "nothing is censored"
    );
    let alert = facilitator.recv_type("alert").await;
    assert_eq!(alert["kind"], "crisis");

    river.send(json!({"type": "support"})).await;
    assert_eq!(river.recv_type("resources").await["cause"], "requested");
    assert_eq!(facilitator.recv_type("alert").await["kind"], "support");
}

/// What was said stays in the group: after a session with canaries in messages, pseudonyms and
/// the private line, no file in the data directory holds any canary, and someone who joins the
/// group's next session receives no backlog.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_session_no_file_holds_what_was_said_and_no_backlog_remains() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let group = sam
        .post(
            "/api/groups",
            json!({"name": "Open circle", "settings": {
                "filter_policy": "block", "exempt_facilitators": true, "crisis_locale": "us",
                "auto_open": true, "auto_admit": true, "allow_without_facilitator": true,
                "waiting_room_minutes": 10}}),
        )
        .await
        .body["group"]["id"]
        .as_i64()
        .unwrap();
    let invite = sam
        .post(&format!("/api/groups/{group}/invites"), json!({}))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let canaries = [
        "CanaryNameQuokka",
        "canary-message-pelican-7f3a",
        "canary-private-heron-91c2",
        "canary-announce-ibis-2b8d",
    ];
    let mut facilitator = enter_as_facilitator(&server, &sam, group).await;
    let mut member = member_browser(&server, "device-canary-000000007").await;
    join_member(&mut member, &invite, canaries[0]).await;
    member.say(canaries[1], "c1").await;
    member.recv_type("ack").await;
    member
        .send(json!({"type": "to_facilitators", "text": canaries[2]}))
        .await;
    member.recv_type("private").await;
    facilitator
        .send(json!({"type": "announce", "text": canaries[3]}))
        .await;
    facilitator.recv_type("moderation").await;
    facilitator.send(json!({"type": "end"})).await;
    member.recv_type("ended").await;
    facilitator.recv_type("ended").await;

    // Everything the server wrote: database, WAL, shared memory, secret, anything else.
    let mut files = Vec::new();
    let mut dirs = vec![server.state.config().data_dir.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("hearth.db")), "{files:?}");
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for canary in canaries {
            assert!(
                !bytes
                    .windows(canary.len())
                    .any(|window| window == canary.as_bytes()),
                "{canary} found in {}",
                file.display()
            );
        }
    }

    let mut next = member_browser(&server, "device-next-00000000007").await;
    let welcome = join_member(&mut next, &invite, "Next").await;
    assert_eq!(welcome["room"]["pinned"], Value::Null);
    next.say("anyone here?", "n1").await;
    loop {
        let msg = next.recv().await;
        assert_ne!(msg["type"], "history", "no backlog: {msg}");
        if msg["type"] == "ack" {
            break;
        }
    }
}

/// A facilitator who opens the room in a second tab takes their seat over there: the first tab is
/// closed as "opened in another tab", the members keep their facilitator, and the new tab can act.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_tab_takes_over_the_facilitators_seat() {
    let LiveRoom {
        server,
        sam,
        group,
        invite,
        facilitator: mut first_tab,
    } = facilitator_in_waiting_room().await;
    let mut wren = member_browser(&server, "device-wren-00000000009").await;
    join_member(&mut wren, &invite, "Wren").await;
    waiting_list(&mut first_tab, 1).await;

    let mut second_tab = enter_as_facilitator(&server, &sam, group).await;
    let closed = first_tab.closed().await.unwrap();
    assert_eq!(u16::from(closed.code), 4006, "{closed:?}");

    let waiting = waiting_list(&mut second_tab, 1).await;
    let wren_id = waiting["participants"][0]["id"].clone();
    second_tab
        .send(json!({"type": "admit", "participant": wren_id}))
        .await;
    assert_eq!(wren.recv_type("welcome").await["you"]["status"], "present");
}
