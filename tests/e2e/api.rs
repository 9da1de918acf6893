//! The groups API over real HTTP: groups, schedules, settings, co-facilitators, invites,
//! moderation records, and the authorization matrix (every principal × every action, checking
//! the status and that a denied request changed nothing).

use std::sync::Arc;

use hearth::clock::ManualClock;
use hearth::domain::{DeviceId, GroupId, Millis};
use hearth::store::{AccountId, GroupDraft, GroupSettings, NewSessionSummary, ReasonCode, Store};
use serde_json::{Value, json};

use crate::helpers::TestServer;
use crate::web::{Api, PASSWORD, account, signed_in};

const HOUR: i64 = 60 * 60 * 1000;

/// 2026-03-27 12:00 UTC: a Friday, two days before Europe/Berlin moves to summer time.
const BEFORE_DST: i64 = 1_774_612_800_000;

fn weekly_tuesday() -> Value {
    json!({"weekly": [{"days": ["tue"], "start": "19:00", "minutes": 90}]})
}

async fn create_group(api: &Api, body: Value) -> i64 {
    let reply = api.post("/api/groups", body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["group"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_group_is_created_with_defaults_and_its_next_session_in_its_own_time_zone() {
    let clock = Arc::new(ManualClock::new(Millis(BEFORE_DST)));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    let sam = signed_in(&server, "sam", false).await;
    let reply = sam
        .post(
            "/api/groups",
            json!({"name": "  Tuesday anxiety group ", "topic": "anxiety",
                   "time_zone": "europe/berlin", "schedule": weekly_tuesday()}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let group = &reply.body["group"];
    assert_eq!(group["name"], "Tuesday anxiety group");
    assert_eq!(group["capacity"], 12);
    assert_eq!(group["time_zone"], "Europe/Berlin");
    assert_eq!(group["schedule"]["tz"], "Europe/Berlin");
    assert!(group["rules"].as_str().unwrap().contains("stays here"));
    assert_eq!(group["settings"]["filter_policy"], "block");
    assert_eq!(group["settings"]["auto_admit"], false);
    assert_eq!(group["facilitators"][0]["username"], "sam");
    // The Tuesday after the clocks change: 19:00 summer time.
    assert_eq!(group["next_session"]["start"], "2026-03-31T19:00:00+02:00");
    assert_eq!(group["next_session"]["end"], "2026-03-31T20:30:00+02:00");

    let listed = sam.get("/api/groups").await;
    assert_eq!(
        listed.body["groups"][0]["next_session"]["start"],
        "2026-03-31T19:00:00+02:00"
    );
    // During the session it is the current one; afterwards the next week's.
    clock.set(Millis(BEFORE_DST + 4 * 24 * HOUR + 5 * HOUR));
    let id = group["id"].as_i64().unwrap();
    let sam = Api::new(&server).login("sam", PASSWORD).await;
    let during = sam.get(&format!("/api/groups/{id}")).await;
    assert_eq!(
        during.body["group"]["next_session"]["start"],
        "2026-03-31T19:00:00+02:00"
    );
    clock.advance(2 * HOUR);
    let after = sam.get(&format!("/api/groups/{id}")).await;
    assert_eq!(
        after.body["group"]["next_session"]["start"],
        "2026-04-07T19:00:00+02:00"
    );
}

#[tokio::test]
async fn bad_group_input_is_refused_with_the_field_named() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    for (body, word) in [
        (json!({"name": ""}), "name"),
        (json!({"name": "x".repeat(81)}), "name"),
        (json!({"name": "G", "capacity": 16}), "capacity"),
        (json!({"name": "G", "capacity": 1}), "capacity"),
        (
            json!({"name": "G", "time_zone": "Mars/Olympus"}),
            "time_zone",
        ),
        (
            json!({"name": "G", "schedule": {"weekly": [{"days": ["tue"], "start": "19:00", "minutes": 30}]}}),
            "45 minutes",
        ),
        (
            json!({"name": "G", "schedule": {"weekly": [{"days": ["someday"], "start": "19:00", "minutes": 60}]}}),
            "day of the week",
        ),
        (
            json!({"name": "G", "time_zone": "UTC", "schedule": {"tz": "Asia/Tokyo"}}),
            "time_zone",
        ),
        (json!({"name": "G\u{202e}"}), "name"),
        (json!({"name": "G", "owner": 1}), "owner"),
        (
            json!({"name": "G", "settings": {"filter_policy": "ignore"}}),
            "wrong fields",
        ),
    ] {
        let reply = sam.post("/api/groups", body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_eq!(reply.code(), "invalid_request");
        let message = reply.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(word), "{body}: {message}");
    }
    assert_eq!(sam.get("/api/groups").await.body["groups"], json!([]));
}

#[tokio::test]
async fn a_group_is_edited_rescheduled_resettled_and_archived() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let id = create_group(&sam, json!({"name": "G", "time_zone": "UTC"})).await;
    let path = format!("/api/groups/{id}");

    let edited = sam
        .patch(
            &path,
            json!({"name": "Grief circle", "capacity": 8, "rules": "Be kind."}),
        )
        .await;
    assert_eq!(edited.status, 200);
    assert_eq!(edited.body["group"]["name"], "Grief circle");
    assert_eq!(edited.body["group"]["capacity"], 8);
    assert_eq!(edited.body["group"]["rules"], "Be kind.");
    assert_eq!(sam.patch(&path, json!({"capacity": 40})).await.status, 400);

    let scheduled = sam
        .put(
            &format!("{path}/schedule"),
            json!({"time_zone": "America/New_York", "schedule": {
                "weekly": [{"days": ["mon", "thu"], "start": "18:30", "minutes": 60}],
                "one_off": [{"date": "2026-12-24", "start": "17:00", "minutes": 45}],
                "skip": ["2026-12-28"]}}),
        )
        .await;
    assert_eq!(scheduled.status, 200, "{}", scheduled.text);
    let group = &scheduled.body["group"];
    assert_eq!(group["time_zone"], "America/New_York");
    assert_eq!(
        group["schedule"]["weekly"][0]["days"],
        json!(["mon", "thu"])
    );
    assert_eq!(group["schedule"]["skip"], json!(["2026-12-28"]));
    assert!(
        group["next_session"]["start"]
            .as_str()
            .unwrap()
            .ends_with("-05:00")
            || group["next_session"]["start"]
                .as_str()
                .unwrap()
                .ends_with("-04:00")
    );

    let cleared = sam
        .put(&format!("{path}/schedule"), json!({"schedule": null}))
        .await;
    assert_eq!(cleared.body["group"]["schedule"], Value::Null);
    assert_eq!(cleared.body["group"]["next_session"], Value::Null);
    assert_eq!(cleared.body["group"]["time_zone"], "America/New_York");

    let settings = json!({"filter_policy": "mask", "exempt_facilitators": false,
        "crisis_locale": "uk", "auto_open": true, "auto_admit": true,
        "allow_without_facilitator": true, "waiting_room_minutes": 0});
    let resettled = sam.put(&format!("{path}/settings"), settings.clone()).await;
    assert_eq!(resettled.status, 200);
    assert_eq!(resettled.body["group"]["settings"], settings);
    let partial = sam
        .put(&format!("{path}/settings"), json!({"auto_open": true}))
        .await;
    assert_eq!(partial.status, 400, "settings are replaced whole");
    let stored = server
        .state
        .store()
        .group(GroupId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.settings.crisis_locale, "uk");
    assert!(stored.settings.auto_admit);

    let code = sam.post(&format!("{path}/invites"), json!({})).await.body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sam.post(&format!("{path}/archive"), json!({})).await.status,
        204
    );
    assert_eq!(sam.get(&path).await.status, 404);
    assert_eq!(sam.get("/api/groups").await.body["groups"], json!([]));
    let preview = Api::new(&server)
        .post("/api/invites/preview", json!({"code": code}))
        .await;
    assert_eq!(
        preview.status, 404,
        "an archived group's invites stop working"
    );
    let audit: Vec<_> = server
        .state
        .store()
        .audit_for_group(GroupId(id), 50, None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.event.action.as_str())
        .collect();
    assert_eq!(
        audit,
        [
            "group_archived",
            "invite_created",
            "settings_changed",
            "schedule_changed",
            "schedule_changed",
            "group_updated",
            "group_created"
        ]
    );
}

#[tokio::test]
async fn a_group_has_one_or_two_facilitators_who_both_manage_it() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let kim = signed_in(&server, "kim", false).await;
    account(&server, "lee", false).await;
    let off = account(&server, "off", false).await;
    server
        .state
        .auth()
        .set_disabled(off.id, true, server.state.clock().now())
        .await
        .unwrap();
    let id = create_group(&sam, json!({"name": "G"})).await;
    let path = format!("/api/groups/{id}/facilitators");
    assert_eq!(kim.get(&format!("/api/groups/{id}")).await.status, 404);

    let added = sam.post(&path, json!({"username": "KIM"})).await;
    assert_eq!(added.status, 201);
    assert_eq!(added.body["facilitators"].as_array().unwrap().len(), 2);
    assert_eq!(
        sam.post(&path, json!({"username": "kim"})).await.status,
        200
    );
    let full = sam.post(&path, json!({"username": "lee"})).await;
    assert_eq!((full.status, full.code()), (409, "too_many_facilitators"));
    for unknown in ["nobody", "off", "not a name"] {
        let reply = sam.post(&path, json!({"username": unknown})).await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "unknown_account"),
            "{unknown}"
        );
    }

    // The co-facilitator now manages the group too.
    assert_eq!(kim.get(&format!("/api/groups/{id}")).await.status, 200);
    let sam_id = sam.get("/api/me").await.body["account"]["id"].clone();
    let kim_id = kim.get("/api/me").await.body["account"]["id"].clone();
    assert_eq!(kim.delete(&format!("{path}/{sam_id}")).await.status, 204);
    assert_eq!(sam.get(&format!("/api/groups/{id}")).await.status, 404);
    let last = kim.delete(&format!("{path}/{kim_id}")).await;
    assert_eq!((last.status, last.code()), (409, "last_facilitator"));
    assert_eq!(kim.delete(&format!("{path}/{sam_id}")).await.status, 404);
    let listed = kim.get(&path).await;
    assert_eq!(listed.body["facilitators"][0]["username"], "kim");
}

#[tokio::test]
async fn invites_are_shown_once_and_expire_run_out_and_are_revoked_and_rotated() {
    let clock = Arc::new(ManualClock::new(Millis(BEFORE_DST)));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    let sam = signed_in(&server, "sam", false).await;
    let id = create_group(&sam, json!({"name": "G"})).await;
    let path = format!("/api/groups/{id}/invites");
    let anyone = Api::new(&server);
    let valid = |code: String| {
        let anyone = anyone.clone();
        async move {
            anyone
                .post("/api/invites/preview", json!({"code": code}))
                .await
                .status
                == 200
        }
    };

    let made = sam.post(&path, json!({"expires_in_hours": 1})).await;
    assert_eq!(made.status, 201);
    let code = made.body["code"].as_str().unwrap().to_owned();
    assert!(code.len() >= 22);
    assert_eq!(
        made.body["link"],
        format!("{}/join#{code}", server.url()),
        "the code is in the fragment"
    );
    let listed = sam.get(&path).await;
    assert!(!listed.text.contains(&code), "codes are never listed");
    assert_eq!(listed.body["invites"][0]["usable"], true);
    assert!(valid(code.clone()).await);
    clock.advance(HOUR);
    assert!(!valid(code).await, "expired");
    assert_eq!(sam.get(&path).await.body["invites"][0]["usable"], false);

    let once = sam.post(&path, json!({"max_uses": 1})).await.body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = server.join(&once, "River").await;
    drop(first);
    let mut second = server.connect().await;
    second.send_join(&once, "Sky").await;
    assert_eq!(second.recv_type("error").await["code"], "invite_invalid");

    let doomed = sam.post(&path, json!({})).await;
    let doomed_id = doomed.body["invite"]["id"].as_i64().unwrap();
    let doomed_code = doomed.body["code"].as_str().unwrap().to_owned();
    assert_eq!(sam.delete(&format!("{path}/{doomed_id}")).await.status, 204);
    assert_eq!(sam.delete(&format!("{path}/{doomed_id}")).await.status, 404);
    assert!(!valid(doomed_code).await, "revoked");

    let kept = sam.post(&path, json!({})).await.body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let rotated = sam
        .post(&format!("{path}/rotate"), json!({"max_uses": 20}))
        .await;
    assert_eq!(rotated.status, 201);
    let fresh = rotated.body["code"].as_str().unwrap().to_owned();
    assert!(!valid(kept).await, "rotation revokes the others");
    assert!(valid(fresh).await);
    let usable: Vec<_> = sam.get(&path).await.body["invites"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["usable"] == true)
        .map(|i| i["max_uses"].clone())
        .collect();
    assert_eq!(usable, [json!(20)]);

    for bad in [
        json!({"expires_in_hours": 0}),
        json!({"max_uses": 0}),
        json!({"uses": 3}),
    ] {
        assert_eq!(sam.post(&path, bad.clone()).await.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn wrong_invite_codes_are_limited_per_client_over_http_and_websocket() {
    let clock = Arc::new(ManualClock::new(Millis(BEFORE_DST)));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    let good = server.invite().await;
    let prober = Api::from_address(&server, "127.0.0.7".parse().unwrap());
    for i in 0..10 {
        let reply = prober
            .post("/api/invites/preview", json!({"code": format!("guess{i}")}))
            .await;
        assert_eq!(reply.status, 404);
    }
    let locked = prober
        .post("/api/invites/preview", json!({"code": good}))
        .await;
    assert_eq!((locked.status, locked.code()), (429, "too_many_attempts"));
    assert!(locked.headers.contains_key("retry-after"));
    let other = Api::from_address(&server, "127.0.0.8".parse().unwrap())
        .post("/api/invites/preview", json!({"code": good}))
        .await;
    assert_eq!(other.status, 200, "other clients are unaffected");

    // The WebSocket join counts against the same budget (tests connect from 127.0.0.1).
    let mut socket = server.connect().await;
    for i in 0..10 {
        socket.send_join(&format!("nope{i}"), "River").await;
        assert_eq!(socket.recv_type("error").await["code"], "invite_invalid");
    }
    socket.send_join(&good, "River").await;
    assert_eq!(socket.recv_type("error").await["code"], "too_many_attempts");
    clock.advance(10 * 60 * 1000);
    socket.send_join(&good, "River").await;
    assert_eq!(socket.recv_type("welcome").await["type"], "welcome");
}

#[tokio::test]
async fn audit_sessions_and_bans_are_listed_and_a_ban_can_be_lifted() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let id = create_group(&sam, json!({"name": "G"})).await;
    let group = GroupId(id);
    let store = server.state.store();
    let now = server.state.clock().now();
    let ban = store
        .ban_device(group, DeviceId([9; 32]), None, ReasonCode::Harassment, now)
        .await
        .unwrap();
    store
        .record_session_summary(&NewSessionSummary {
            group,
            started_at: Some(now),
            ended_at: now.plus_ms(HOUR),
            members_joined: 7,
            peak_present: 6,
            messages_sent: 140,
        })
        .await
        .unwrap();

    let sessions = sam.get(&format!("/api/groups/{id}/sessions")).await;
    assert_eq!(sessions.body["sessions"][0]["messages_sent"], 140);
    let bans = sam.get(&format!("/api/groups/{id}/bans")).await;
    assert_eq!(bans.body["bans"][0]["reason"], "harassment");
    assert!(!bans.text.contains("device"), "no device hash is shown");
    let lift = format!("/api/groups/{id}/bans/{}", ban.0);
    assert_eq!(sam.delete(&lift).await.status, 204);
    assert_eq!(sam.delete(&lift).await.status, 404);
    assert!(!store.is_banned(group, DeviceId([9; 32])).await.unwrap());

    let audit = sam.get(&format!("/api/groups/{id}/audit?limit=1")).await;
    assert_eq!(audit.body["events"][0]["action"], "ban_lifted");
    let first = audit.body["events"][0]["id"].as_i64().unwrap();
    let older = sam
        .get(&format!("/api/groups/{id}/audit?before={first}"))
        .await;
    assert_eq!(older.body["events"][0]["action"], "group_created");
    assert_eq!(
        sam.get(&format!("/api/groups/{id}/audit?limit=lots"))
            .await
            .status,
        400
    );
}

// ---------------------------------------------------------------------------------------------
// The authorization matrix.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Member,
    FacilitatorA,
    FacilitatorB,
    Admin,
    Disabled,
    LoggedOut,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Member,
    Who::FacilitatorA,
    Who::FacilitatorB,
    Who::Admin,
    Who::Disabled,
    Who::LoggedOut,
];

/// Who an action is for.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Any signed-in facilitator.
    Signed,
    /// The group's facilitators and operators.
    Group,
    /// Operators only.
    Operators,
}

/// What each cell acts on, made fresh for every cell so one allowed request cannot change what
/// the next one sees.
struct Target {
    /// Facilitated by A and by the disabled account (before it was disabled).
    group: i64,
    /// Facilitated by A only (room to add a co-facilitator).
    lone: i64,
    /// Facilitated by A and `spare`.
    pair: i64,
    invite: i64,
    ban: i64,
    victim: i64,
    spare: i64,
    serial: usize,
}

struct World {
    server: TestServer,
    callers: Vec<(Who, Api)>,
    a: AccountId,
    b: AccountId,
    disabled: AccountId,
    spare: AccountId,
    hash: String,
}

impl World {
    async fn new() -> World {
        let server = TestServer::start().await;
        let api = Api::new(&server);
        let a = account(&server, "alice", false).await;
        let b = account(&server, "bert", false).await;
        account(&server, "root", true).await;
        let gone = account(&server, "gone", false).await;
        let spare = account(&server, "spare", false).await;
        let a_api = api.login("alice", PASSWORD).await;
        let b_api = api.login("bert", PASSWORD).await;
        let admin = api.login("root", PASSWORD).await;
        let disabled = api.login("gone", PASSWORD).await;
        let logged_out = api.login("alice", PASSWORD).await;
        assert_eq!(logged_out.post("/api/logout", json!({})).await.status, 204);
        // A member holds an invite (and a device cookie), nothing else.
        let group = server.group("Members' group", 12).await;
        let code = server.invite_for(group).await;
        let member = api.with_cookie(format!(
            "hearth_device=abcdefghijklmnopqrstuv; hearth_session={code}"
        ));
        let hash = server
            .state
            .store()
            .credentials("spare")
            .await
            .unwrap()
            .unwrap()
            .password_hash;
        let world = World {
            callers: vec![
                (Who::Anonymous, api.clone()),
                (Who::Member, member),
                (Who::FacilitatorA, a_api),
                (Who::FacilitatorB, b_api),
                (Who::Admin, admin),
                (Who::Disabled, disabled),
                (Who::LoggedOut, logged_out),
            ],
            a: a.id,
            b: b.id,
            disabled: gone.id,
            spare: spare.id,
            hash,
            server,
        };
        // B has a group of its own, so "not yours" is not "nothing at all".
        world.group_of(&[world.b]).await;
        world
            .server
            .state
            .auth()
            .set_disabled(world.disabled, true, world.server.state.clock().now())
            .await
            .unwrap();
        world
    }

    fn store(&self) -> &Store {
        self.server.state.store()
    }

    async fn group_of(&self, facilitators: &[AccountId]) -> i64 {
        let now = self.server.state.clock().now();
        let draft = GroupDraft {
            name: "Target".into(),
            description: String::new(),
            topic: String::new(),
            rules: "Be kind.".into(),
            capacity: 12,
            time_zone: "UTC".into(),
            schedule: None,
            settings: GroupSettings::default(),
        };
        let id = self
            .store()
            .create_group_for(&draft, facilitators[0], now)
            .await
            .unwrap();
        for other in &facilitators[1..] {
            self.store().add_facilitator(id, *other, now).await.unwrap();
        }
        id.0
    }

    async fn target(&self, serial: usize) -> Target {
        let now = self.server.state.clock().now();
        let group = self.group_of(&[self.a, self.disabled]).await;
        let invite = self
            .store()
            .create_invite_by(GroupId(group), &[serial as u8; 32], now, None, None, None)
            .await
            .unwrap();
        let ban = self
            .store()
            .ban_device(
                GroupId(group),
                DeviceId([serial as u8; 32]),
                None,
                ReasonCode::Spam,
                now,
            )
            .await
            .unwrap();
        let victim = self
            .store()
            .create_account(
                &hearth::store::NewAccount {
                    username: format!("victim{serial}"),
                    display_name: "Victim".into(),
                    password_hash: self.hash.clone(),
                    is_admin: false,
                },
                now,
            )
            .await
            .unwrap();
        Target {
            group,
            lone: self.group_of(&[self.a]).await,
            pair: self.group_of(&[self.a, self.spare]).await,
            invite: invite.0,
            ban: ban.0,
            victim: victim.0,
            spare: self.spare.0,
            serial,
        }
    }

    /// Everything a request could change, as text.
    async fn snapshot(&self) -> String {
        let store = self.store();
        let mut out = format!("{:?}\n", store.accounts().await.unwrap());
        for group in store.all_groups().await.unwrap() {
            out += &format!("{group:?}\n");
            out += &format!("{:?}\n", store.facilitators(group.id).await.unwrap());
            out += &format!("{:?}\n", store.invites_for_group(group.id).await.unwrap());
            out += &format!("{:?}\n", store.bans_for_group(group.id).await.unwrap());
            out += &format!(
                "{:?}\n",
                store.audit_for_group(group.id, 500, None).await.unwrap()
            );
        }
        out
    }

    /// Archives a cell's targets so snapshots stay small.
    async fn retire(&self, target: &Target) {
        let now = self.server.state.clock().now();
        for id in [target.group, target.lone, target.pair] {
            self.store().archive_group(GroupId(id), now).await.unwrap();
        }
    }
}

type Request = (&'static str, String, Option<Value>);

/// One row of the matrix: the action's name, who it is for, its status when allowed, and the
/// request it makes on a target.
type Action = (&'static str, Scope, u16, fn(&Target) -> Request);

/// Every action of the API that needs a session: its name, scope, the status it answers when
/// allowed, and the request on a target.
fn actions() -> Vec<Action> {
    vec![
        ("read own account", Scope::Signed, 200, |_| {
            ("GET", "/api/me".into(), None)
        }),
        ("list groups", Scope::Signed, 200, |_| {
            ("GET", "/api/groups".into(), None)
        }),
        ("create group", Scope::Signed, 201, |_| {
            ("POST", "/api/groups".into(), Some(json!({"name": "New"})))
        }),
        ("read group", Scope::Group, 200, |t| {
            ("GET", format!("/api/groups/{}", t.group), None)
        }),
        ("edit group", Scope::Group, 200, |t| {
            (
                "PATCH",
                format!("/api/groups/{}", t.group),
                Some(json!({"name": "Renamed"})),
            )
        }),
        ("set schedule", Scope::Group, 200, |t| {
            (
                "PUT",
                format!("/api/groups/{}/schedule", t.group),
                Some(json!({"schedule": weekly_tuesday()})),
            )
        }),
        ("set settings", Scope::Group, 200, |t| {
            (
                "PUT",
                format!("/api/groups/{}/settings", t.group),
                Some(serde_json::to_value(GroupSettings::demo()).unwrap()),
            )
        }),
        ("archive group", Scope::Group, 204, |t| {
            (
                "POST",
                format!("/api/groups/{}/archive", t.group),
                Some(json!({})),
            )
        }),
        ("list facilitators", Scope::Group, 200, |t| {
            ("GET", format!("/api/groups/{}/facilitators", t.group), None)
        }),
        ("add facilitator", Scope::Group, 201, |t| {
            (
                "POST",
                format!("/api/groups/{}/facilitators", t.lone),
                Some(json!({"username": "spare"})),
            )
        }),
        ("remove facilitator", Scope::Group, 204, |t| {
            (
                "DELETE",
                format!("/api/groups/{}/facilitators/{}", t.pair, t.spare),
                Some(Value::Null),
            )
        }),
        ("list invites", Scope::Group, 200, |t| {
            ("GET", format!("/api/groups/{}/invites", t.group), None)
        }),
        ("create invite", Scope::Group, 201, |t| {
            (
                "POST",
                format!("/api/groups/{}/invites", t.group),
                Some(json!({})),
            )
        }),
        ("revoke invite", Scope::Group, 204, |t| {
            (
                "DELETE",
                format!("/api/groups/{}/invites/{}", t.group, t.invite),
                Some(Value::Null),
            )
        }),
        ("rotate invites", Scope::Group, 201, |t| {
            (
                "POST",
                format!("/api/groups/{}/invites/rotate", t.group),
                Some(json!({})),
            )
        }),
        ("read audit log", Scope::Group, 200, |t| {
            ("GET", format!("/api/groups/{}/audit", t.group), None)
        }),
        ("read sessions", Scope::Group, 200, |t| {
            ("GET", format!("/api/groups/{}/sessions", t.group), None)
        }),
        ("read bans", Scope::Group, 200, |t| {
            ("GET", format!("/api/groups/{}/bans", t.group), None)
        }),
        ("lift ban", Scope::Group, 204, |t| {
            (
                "DELETE",
                format!("/api/groups/{}/bans/{}", t.group, t.ban),
                Some(Value::Null),
            )
        }),
        ("list accounts", Scope::Operators, 200, |_| {
            ("GET", "/api/accounts".into(), None)
        }),
        ("create account", Scope::Operators, 201, |t| {
            (
                "POST",
                "/api/accounts".into(),
                Some(json!({"username": format!("made{}", t.serial),
                            "display_name": "Made", "password": PASSWORD})),
            )
        }),
        ("disable account", Scope::Operators, 200, |t| {
            (
                "POST",
                format!("/api/accounts/{}/disable", t.victim),
                Some(json!({})),
            )
        }),
        ("enable account", Scope::Operators, 200, |t| {
            (
                "POST",
                format!("/api/accounts/{}/enable", t.victim),
                Some(json!({})),
            )
        }),
    ]
}

/// The status `who` gets for an action of `scope` that answers `allowed` when permitted.
fn expected(who: Who, scope: Scope, allowed: u16) -> u16 {
    match (who, scope) {
        (Who::Anonymous | Who::Member | Who::Disabled | Who::LoggedOut, _) => 401,
        (Who::Admin, _) => allowed,
        (Who::FacilitatorA | Who::FacilitatorB, Scope::Operators) => 403,
        (Who::FacilitatorA, _) | (Who::FacilitatorB, Scope::Signed) => allowed,
        // Another facilitator's group is answered exactly as a group that does not exist.
        (Who::FacilitatorB, Scope::Group) => 404,
    }
}

/// Every principal × every action: the status is the expected one, and a denied request leaves
/// accounts, groups, facilitators, invites, bans and the audit log exactly as they were.
#[tokio::test]
async fn the_authorization_matrix_holds_for_every_principal_and_action() {
    let world = World::new().await;
    let mut serial = 0;
    let mut failures = Vec::new();
    for (name, scope, allowed, request) in actions() {
        for who in EVERYONE {
            serial += 1;
            let target = world.target(serial).await;
            let (method, path, body) = request(&target);
            let caller = &world.callers.iter().find(|(w, _)| *w == who).unwrap().1;
            let before = world.snapshot().await;
            let reply = caller
                .send(method.parse().unwrap(), &path, body.as_ref())
                .await;
            let want = expected(who, scope, allowed);
            if reply.status != want {
                failures.push(format!(
                    "{name} as {who:?}: {} (wanted {want}) {}",
                    reply.status, reply.text
                ));
            }
            if want >= 400 {
                if world.snapshot().await != before {
                    failures.push(format!("{name} as {who:?}: a denied request changed state"));
                }
                let code = reply.code();
                assert!(
                    ["unauthenticated", "forbidden", "not_found"].contains(&code),
                    "{name} as {who:?}: generic error code, got {code}"
                );
            }
            world.retire(&target).await;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_facilitator_lists_only_their_groups_and_an_operator_lists_all() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let kim = signed_in(&server, "kim", false).await;
    let admin = signed_in(&server, "root", true).await;
    create_group(&sam, json!({"name": "Sam's"})).await;
    create_group(&kim, json!({"name": "Kim's"})).await;
    let names = |reply: crate::web::Reply| -> Vec<String> {
        reply.body["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(sam.get("/api/groups").await), ["Sam's"]);
    assert_eq!(names(kim.get("/api/groups").await), ["Kim's"]);
    assert_eq!(names(admin.get("/api/groups").await), ["Kim's", "Sam's"]);
}

/// The invite preview says when the current or next session is (and when its waiting room
/// opens), so a member who opens the link early knows when to come back; `null` without a
/// schedule.
#[tokio::test]
async fn the_invite_preview_says_when_the_next_session_is() {
    let clock = Arc::new(ManualClock::new(Millis(BEFORE_DST)));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    let sam = signed_in(&server, "sam", false).await;
    let scheduled = create_group(
        &sam,
        json!({"name": "Tuesday", "time_zone": "Europe/Berlin", "schedule": weekly_tuesday()}),
    )
    .await;
    let unscheduled = create_group(&sam, json!({"name": "Whenever"})).await;
    let anyone = Api::new(&server);
    let preview = |group: i64| {
        let sam = sam.clone();
        let anyone = anyone.clone();
        async move {
            let made = sam
                .post(&format!("/api/groups/{group}/invites"), json!({}))
                .await;
            let code = made.body["code"].as_str().unwrap().to_owned();
            anyone
                .post("/api/invites/preview", json!({"code": code}))
                .await
        }
    };

    // Tuesday 2026-03-31 19:00 in Berlin is 17:00 UTC: summer time began on the 29th.
    let starts: i64 = 1_774_976_400_000;
    let reply = preview(scheduled).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body["next_session"],
        json!({"waiting_opens_at": starts - 10 * 60 * 1000, "starts_at": starts, "ends_at": starts + 90 * 60 * 1000})
    );
    let reply = preview(unscheduled).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["next_session"], Value::Null);
}

/// An invite limited to N uses seats N members even when more arrive at the same moment, and a
/// join refused for another reason (a name already taken) does not use it up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_limited_to_n_uses_seats_exactly_n_when_they_arrive_at_once() {
    let clock = Arc::new(ManualClock::new(Millis(BEFORE_DST)));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    let sam = signed_in(&server, "sam", false).await;
    let id = create_group(&sam, json!({"name": "G"})).await;
    let path = format!("/api/groups/{id}/invites");
    let code = |reply: crate::web::Reply| reply.body["code"].as_str().unwrap().to_owned();
    let open = code(sam.post(&path, json!({})).await);
    let _river = server.join(&open, "River").await;

    let twice = code(sam.post(&path, json!({"max_uses": 2})).await);
    let mut taken = server.connect().await;
    taken.send_join(&twice, "river").await;
    assert_eq!(taken.recv_type("error").await["code"], "pseudonym_taken");

    let mut arrivals = Vec::new();
    for n in 0..6 {
        let mut client = server.connect().await;
        client.send_join(&twice, &format!("Member {n}")).await;
        arrivals.push(client);
    }
    let mut seated = 0;
    for client in &mut arrivals {
        let first = client.recv().await;
        match first["type"].as_str() {
            Some("welcome") => seated += 1,
            _ => assert_eq!(first["code"], "invite_invalid", "{first}"),
        }
    }
    assert_eq!(
        seated, 2,
        "the refused join gave its use back; no third member got in"
    );
}
