//! Facilitator accounts over real HTTP: first-run setup, login and its cookie, enumeration-proof
//! failures, lockout and its expiry, logout and disable (which close open WebSockets), account
//! management, and everything surviving a restart.

use std::sync::Arc;

use hearth::clock::ManualClock;
use hearth::domain::Millis;
use serde_json::json;

use crate::helpers::TestServer;
use crate::web::{Api, PASSWORD, account, connect_with_cookie, signed_in};

const MINUTE: i64 = 60_000;

async fn manual_server() -> (TestServer, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(Millis(1_790_000_000_000)));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    (server, clock)
}

#[tokio::test]
async fn first_run_setup_creates_an_operator_once_with_the_printed_token() {
    let server = TestServer::start().await;
    let api = Api::new(&server);
    assert_eq!(api.get("/api/setup").await.body["needed"], true);
    let token = server
        .state
        .auth()
        .begin_setup(server.state.clock().now())
        .await
        .unwrap()
        .expect("no account yet, so setup is open");
    let details = |token: &str| json!({"token": token, "username": "Sam", "display_name": "Sam", "password": PASSWORD});

    let wrong = api.post("/api/setup", details("not-the-token")).await;
    assert_eq!((wrong.status, wrong.code()), (403, "setup_token_invalid"));
    let weak = api
        .post(
            "/api/setup",
            json!({"token": token, "username": "sam", "display_name": "Sam", "password": "short"}),
        )
        .await;
    assert_eq!((weak.status, weak.code()), (400, "invalid_request"));
    assert!(
        weak.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("password")
    );

    let done = api.post("/api/setup", details(&token)).await;
    assert_eq!(done.status, 201, "{}", done.text);
    assert_eq!(done.body["account"]["username"], "sam");
    assert_eq!(done.body["account"]["is_admin"], true);
    let me = api.with_cookie(done.session_cookie()).get("/api/me").await;
    assert_eq!(
        me.body["account"]["username"], "sam",
        "setup signs the operator in"
    );

    let again = api.post("/api/setup", details(&token)).await;
    assert_eq!((again.status, again.code()), (409, "setup_done"));
    assert_eq!(api.get("/api/setup").await.body["needed"], false);
}

#[tokio::test]
async fn login_sets_an_http_only_same_site_strict_cookie_and_logout_ends_the_session() {
    let server = TestServer::start().await;
    account(&server, "sam", false).await;
    let api = Api::new(&server);
    let reply = api
        .post(
            "/api/login",
            json!({"username": "SAM", "password": PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, 200);
    let set_cookie = reply.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("hearth_session="), "{set_cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=604800"] {
        assert!(
            set_cookie.contains(attribute),
            "{set_cookie} lacks {attribute}"
        );
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain http: a Secure cookie would never come back"
    );
    let token = reply.session_cookie().split_once('=').unwrap().1.to_owned();
    assert!(token.len() >= 22, "at least 128 random bits");

    let me = api.with_cookie(reply.session_cookie());
    assert_eq!(me.get("/api/me").await.status, 200);
    let out = me.post("/api/logout", json!({})).await;
    assert_eq!(out.status, 204);
    assert!(
        out.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = me.get("/api/me").await;
    assert_eq!((after.status, after.code()), (401, "unauthenticated"));
}

#[tokio::test]
async fn over_https_the_cookie_is_host_prefixed_and_secure() {
    let server = TestServer::start_with(|config| {
        config.public_url = Some("https://chat.example.org".into());
    })
    .await;
    account(&server, "sam", false).await;
    let reply = Api::new(&server)
        .post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD}),
        )
        .await;
    let set_cookie = reply.headers["set-cookie"].to_str().unwrap();
    assert!(
        set_cookie.starts_with("__Host-hearth_session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Secure"));
    assert!(!set_cookie.contains("Domain"));
}

#[tokio::test]
async fn unknown_user_wrong_password_and_disabled_account_get_byte_identical_answers() {
    let server = TestServer::start().await;
    account(&server, "sam", false).await;
    let kim = account(&server, "kim", false).await;
    server
        .state
        .auth()
        .set_disabled(kim.id, true, server.state.clock().now())
        .await
        .unwrap();
    let mut answers = Vec::new();
    for (i, (username, password)) in [
        ("sam", "a wrong password"),
        ("nobody", "a wrong password"),
        ("kim", PASSWORD),
    ]
    .into_iter()
    .enumerate()
    {
        // A separate client each, so no lockout interferes.
        let client = Api::from_address(&server, format!("127.0.0.{}", 10 + i).parse().unwrap());
        let reply = client
            .post(
                "/api/login",
                json!({"username": username, "password": password}),
            )
            .await;
        let mut headers: Vec<_> = reply
            .headers
            .iter()
            .filter(|(name, _)| *name != "date")
            .map(|(name, value)| format!("{name}: {value:?}"))
            .collect();
        headers.sort();
        answers.push((reply.status, headers, reply.text));
    }
    assert_eq!(answers[0].0, 401);
    assert!(answers[0].2.contains("invalid_credentials"));
    assert_eq!(answers[0], answers[1], "unknown user");
    assert_eq!(answers[0], answers[2], "disabled account");
}

#[tokio::test]
async fn five_failures_lock_an_account_for_fifteen_minutes_without_touching_other_accounts() {
    let (server, clock) = manual_server().await;
    account(&server, "sam", false).await;
    account(&server, "kim", false).await;
    let attacker = Api::from_address(&server, "127.0.0.2".parse().unwrap());
    for _ in 0..5 {
        let reply = attacker
            .post(
                "/api/login",
                json!({"username": "sam", "password": "guess guess"}),
            )
            .await;
        assert_eq!(reply.status, 401);
    }
    // Locked, even with the right password and from another client; no hashing is done.
    let owner = Api::from_address(&server, "127.0.0.3".parse().unwrap());
    let locked = owner
        .post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD}),
        )
        .await;
    assert_eq!((locked.status, locked.code()), (429, "too_many_attempts"));
    assert_eq!(locked.headers["retry-after"], "900");
    // Another account, from an unaffected client, is not affected.
    let kim = owner
        .post(
            "/api/login",
            json!({"username": "kim", "password": PASSWORD}),
        )
        .await;
    assert_eq!(kim.status, 200);

    clock.advance(14 * MINUTE);
    let still = owner
        .post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD}),
        )
        .await;
    assert_eq!(still.status, 429);
    assert_eq!(still.headers["retry-after"], "60");
    clock.advance(MINUTE);
    let back = owner
        .post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD}),
        )
        .await;
    assert_eq!(back.status, 200, "the lockout expired: {}", back.text);
}

#[tokio::test]
async fn five_failures_from_one_client_lock_that_client_for_any_username() {
    let (server, clock) = manual_server().await;
    account(&server, "sam", false).await;
    let sprayer = Api::from_address(&server, "127.0.0.4".parse().unwrap());
    for name in ["ann", "bob", "cat", "dan", "eve"] {
        let reply = sprayer
            .post(
                "/api/login",
                json!({"username": name, "password": "spray spray"}),
            )
            .await;
        assert_eq!(reply.status, 401);
    }
    let blocked = sprayer
        .post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD}),
        )
        .await;
    assert_eq!(blocked.status, 429);
    let elsewhere = Api::from_address(&server, "127.0.0.5".parse().unwrap())
        .post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD}),
        )
        .await;
    assert_eq!(elsewhere.status, 200);
    clock.advance(15 * MINUTE);
    let later = sprayer
        .post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD}),
        )
        .await;
    assert_eq!(later.status, 200);
}

#[tokio::test]
async fn long_and_emoji_passwords_work_and_oversized_ones_are_refused_before_hashing() {
    let server = TestServer::start().await;
    let admin = signed_in(&server, "root", true).await;
    let long = "x".repeat(200);
    let emoji = "🔥🌊🌱🔥🌊🌱🔥🌊🌱🔥🌊🌱";
    for (name, password) in [("longpw", long.as_str()), ("emojipw", emoji)] {
        let created = admin
            .post(
                "/api/accounts",
                json!({"username": name, "display_name": name, "password": password}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        Api::new(&server).login(name, password).await;
    }
    let truncated = Api::new(&server)
        .post(
            "/api/login",
            json!({"username": "longpw", "password": "x".repeat(199)}),
        )
        .await;
    assert_eq!(truncated.status, 401, "no truncation");
    let huge = Api::new(&server)
        .post(
            "/api/login",
            json!({"username": "longpw", "password": "x".repeat(1025)}),
        )
        .await;
    assert_eq!((huge.status, huge.code()), (400, "invalid_request"));
    let short = admin
        .post(
            "/api/accounts",
            json!({"username": "shorty", "display_name": "S", "password": "elevenchars"}),
        )
        .await;
    assert_eq!((short.status, short.code()), (400, "invalid_request"));
}

#[tokio::test]
async fn sessions_expire_after_twelve_idle_hours_and_seven_days_in_all() {
    let (server, clock) = manual_server().await;
    account(&server, "sam", false).await;
    let idle = Api::new(&server).login("sam", PASSWORD).await;
    clock.advance(12 * 60 * MINUTE);
    assert_eq!(idle.get("/api/me").await.status, 401, "idle expiry");

    let busy = Api::new(&server).login("sam", PASSWORD).await;
    for _ in 0..15 {
        clock.advance(11 * 60 * MINUTE);
        assert_eq!(busy.get("/api/me").await.status, 200);
    }
    clock.advance(11 * 60 * MINUTE);
    assert_eq!(busy.get("/api/me").await.status, 401, "absolute expiry");
}

#[tokio::test]
async fn operators_create_disable_and_enable_accounts() {
    let server = TestServer::start().await;
    let admin = signed_in(&server, "root", true).await;
    let created = admin
        .post(
            "/api/accounts",
            json!({"username": "Kim", "display_name": "Kim", "password": PASSWORD}),
        )
        .await;
    assert_eq!(created.status, 201);
    let kim_id = created.body["account"]["id"].as_i64().unwrap();
    assert_eq!(created.body["account"]["is_admin"], false);
    assert!(created.body["account"].get("password_hash").is_none());

    let taken = admin
        .post(
            "/api/accounts",
            json!({"username": "KIM", "display_name": "K", "password": PASSWORD}),
        )
        .await;
    assert_eq!((taken.status, taken.code()), (409, "username_taken"));
    let bad = admin
        .post(
            "/api/accounts",
            json!({"username": "k i m", "display_name": "K", "password": PASSWORD}),
        )
        .await;
    assert_eq!((bad.status, bad.code()), (400, "invalid_request"));

    let kim = Api::new(&server).login("kim", PASSWORD).await;
    let disabled = admin
        .post(&format!("/api/accounts/{kim_id}/disable"), json!({}))
        .await;
    assert_eq!(disabled.status, 200);
    assert_eq!(disabled.body["account"]["disabled"], true);
    assert_eq!(kim.get("/api/me").await.status, 401, "sessions end at once");
    let refused = Api::new(&server)
        .post(
            "/api/login",
            json!({"username": "kim", "password": PASSWORD}),
        )
        .await;
    assert_eq!(refused.status, 401);

    let enabled = admin
        .post(&format!("/api/accounts/{kim_id}/enable"), json!({}))
        .await;
    assert_eq!(enabled.body["account"]["disabled"], false);
    Api::new(&server).login("kim", PASSWORD).await;

    let listed = admin.get("/api/accounts").await;
    let names: Vec<_> = listed.body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["kim", "root"]);
    let me = admin.get("/api/me").await.body["account"]["id"].clone();
    let own = admin
        .post(&format!("/api/accounts/{me}/disable"), json!({}))
        .await;
    assert_eq!((own.status, own.code()), (409, "cannot_disable_self"));
    let missing = admin.post("/api/accounts/999/disable", json!({})).await;
    assert_eq!(missing.status, 404);
}

/// A facilitator's open WebSocket is closed (4005) the moment their session ends, by logout or
/// by an operator disabling the account.
#[tokio::test]
async fn a_revoked_session_closes_the_facilitators_open_websocket() {
    let server = TestServer::start().await;
    let admin = signed_in(&server, "root", true).await;
    for (name, end) in [("sam", "logout"), ("kim", "disable")] {
        let facilitator = signed_in(&server, name, false).await;
        let created = facilitator
            .post("/api/groups", json!({"name": format!("{name}'s group")}))
            .await;
        let group = created.body["group"]["id"].as_i64().unwrap();
        let mut socket = connect_with_cookie(&server, facilitator.cookie.as_deref().unwrap()).await;
        socket
            .send(json!({"type": "join", "v": 1, "group": group}))
            .await;
        let welcome = socket.recv_type("welcome").await;
        assert_eq!(welcome["you"]["role"], "facilitator");
        assert_eq!(welcome["you"]["name"], format!("{name} (facilitator)"));

        match end {
            "logout" => {
                facilitator.post("/api/logout", json!({})).await;
            }
            _ => {
                let id = facilitator.get("/api/me").await.body["account"]["id"].clone();
                admin
                    .post(&format!("/api/accounts/{id}/disable"), json!({}))
                    .await;
            }
        }
        let close = socket.closed().await.expect("a close frame");
        assert_eq!(u16::from(close.code), 4005, "{end}");
        assert_eq!(close.reason.as_str(), "signed out");
    }
}

#[tokio::test]
async fn only_a_signed_in_facilitator_of_the_group_may_join_it_without_an_invite() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let kim = signed_in(&server, "kim", false).await;
    let group = sam.post("/api/groups", json!({"name": "Sam's"})).await.body["group"]["id"]
        .as_i64()
        .unwrap();

    let mut anonymous = server.connect().await;
    anonymous
        .send(json!({"type": "join", "v": 1, "group": group}))
        .await;
    assert_eq!(anonymous.recv_type("error").await["code"], "forbidden");

    let mut other = connect_with_cookie(&server, kim.cookie.as_deref().unwrap()).await;
    other
        .send(json!({"type": "join", "v": 1, "group": group}))
        .await;
    assert_eq!(other.recv_type("error").await["code"], "forbidden");

    let mut forged = connect_with_cookie(&server, "hearth_session=forgedforgedforgedforg").await;
    forged
        .send(json!({"type": "join", "v": 1, "group": group}))
        .await;
    assert_eq!(forged.recv_type("error").await["code"], "forbidden");

    let admin = signed_in(&server, "root", true).await;
    let mut operator = connect_with_cookie(&server, admin.cookie.as_deref().unwrap()).await;
    operator
        .send(json!({"type": "join", "v": 1, "group": group}))
        .await;
    assert_eq!(
        operator.recv_type("welcome").await["you"]["role"],
        "facilitator"
    );
}

#[tokio::test]
async fn accounts_groups_schedules_and_invites_survive_a_restart() {
    let mut server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let created = sam
        .post(
            "/api/groups",
            json!({
                "name": "Grief circle",
                "topic": "grief",
                "time_zone": "Europe/Berlin",
                "schedule": {"weekly": [{"days": ["tue"], "start": "19:00", "minutes": 90}]},
                "settings": {"filter_policy": "mask", "exempt_facilitators": true,
                    "crisis_locale": "de", "auto_open": true, "auto_admit": false,
                    "allow_without_facilitator": false, "waiting_room_minutes": 15}
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let group = created.body["group"].clone();
    let id = group["id"].as_i64().unwrap();
    let code = sam
        .post(&format!("/api/groups/{id}/invites"), json!({"max_uses": 5}))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();

    server.restart().await;

    let sam = Api::new(&server).login("sam", PASSWORD).await;
    let after = sam.get(&format!("/api/groups/{id}")).await;
    assert_eq!(after.status, 200);
    for field in [
        "name",
        "topic",
        "time_zone",
        "schedule",
        "settings",
        "facilitators",
    ] {
        assert_eq!(after.body["group"][field], group[field], "{field}");
    }
    let preview = Api::new(&server)
        .post("/api/invites/preview", json!({"code": code}))
        .await;
    assert_eq!(preview.status, 200);
    assert_eq!(preview.body["group"]["name"], "Grief circle");
    let invites = sam.get(&format!("/api/groups/{id}/invites")).await;
    assert_eq!(invites.body["invites"][0]["max_uses"], 5);
}

#[tokio::test]
async fn state_changing_requests_must_be_json_and_from_this_origin() {
    let server = TestServer::start().await;
    account(&server, "sam", false).await;
    let http = reqwest::Client::new();
    let form = http
        .post(format!("{}/api/login", server.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("username=sam&password={PASSWORD}"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415);
    let cross_site = http
        .post(format!("{}/api/login", server.url()))
        .header("Content-Type", "application/json")
        .header("Origin", "https://evil.example")
        .body(json!({"username": "sam", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let same_site = http
        .post(format!("{}/api/login", server.url()))
        .header("Content-Type", "application/json")
        .header("Origin", server.url())
        .body(json!({"username": "sam", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 200);
    let malformed = Api::new(&server)
        .send(
            reqwest::Method::POST,
            "/api/login",
            Some(&serde_json::Value::String("{not json".into())),
        )
        .await;
    assert_eq!(malformed.status, 400);
    let wrong_fields = Api::new(&server)
        .post("/api/login", json!({"user": "sam", "password": PASSWORD}))
        .await;
    assert_eq!(
        (wrong_fields.status, wrong_fields.code()),
        (400, "invalid_request")
    );
}

/// Runs the real `hearth` binary with `args` and `stdin`, returning its exit status and stdout.
fn hearth_cli(args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("hearth runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_facilitator_cli_manages_accounts_a_server_then_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let line = format!("{PASSWORD}\n");
    let (ok, out) = hearth_cli(
        &[
            "facilitator",
            "add",
            "Sam",
            "--admin",
            "--display-name",
            "Sam Lee",
            "--data-dir",
            data,
        ],
        &line,
    );
    assert!(ok, "{out}");
    assert!(out.contains("operator `sam`"), "{out}");
    let (ok, _) = hearth_cli(
        &["facilitator", "add", "kim", "--data-dir", data],
        "too short\n",
    );
    assert!(!ok, "a short password is refused");
    assert!(hearth_cli(&["facilitator", "add", "kim", "--data-dir", data], &line).0);
    assert!(hearth_cli(&["facilitator", "disable", "kim", "--data-dir", data], "").0);
    assert!(
        !hearth_cli(
            &["facilitator", "disable", "nobody", "--data-dir", data],
            ""
        )
        .0
    );
    let (ok, list) = hearth_cli(&["facilitator", "list", "--data-dir", data], "");
    assert!(ok);
    assert!(list.contains("kim") && list.contains("disabled"), "{list}");
    assert!(list.contains("sam") && list.contains("operator"), "{list}");
    let new_password = "a brand new passphrase\n";
    assert!(
        hearth_cli(
            &["facilitator", "passwd", "sam", "--data-dir", data],
            new_password
        )
        .0
    );

    let server = TestServer::start_with(|config| config.data_dir = dir.path().to_owned()).await;
    let api = Api::new(&server);
    assert_eq!(
        api.post(
            "/api/login",
            json!({"username": "sam", "password": PASSWORD})
        )
        .await
        .status,
        401,
        "the old password no longer works"
    );
    let sam = api.login("sam", "a brand new passphrase").await;
    assert_eq!(sam.get("/api/me").await.body["account"]["is_admin"], true);
    let kim = Api::from_address(&server, "127.0.0.9".parse().unwrap())
        .post(
            "/api/login",
            json!({"username": "kim", "password": PASSWORD}),
        )
        .await;
    assert_eq!(kim.status, 401, "disabled from the command line");
    assert_eq!(
        api.get("/api/setup").await.body["needed"],
        false,
        "no setup link once an account exists"
    );
}

/// What a facilitator does to a member is told to that member before their connection closes:
/// the `moderation` message (with the reason) before 4002, and `ended` (with the resources and
/// the next session) before 4004. Repeated, because a farewell used to be lost when the close
/// signal overtook a frame the connection had already taken from its outbox.
#[tokio::test]
async fn members_hear_why_before_their_connection_closes() {
    let server = TestServer::start().await;
    let sam = signed_in(&server, "sam", false).await;
    let group = sam
        .post("/api/groups", json!({"name": "Farewells"}))
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
    let mut facilitator = connect_with_cookie(&server, sam.cookie.as_deref().unwrap()).await;
    facilitator
        .send(json!({"type": "join", "v": 1, "group": group}))
        .await;
    facilitator.recv_type("welcome").await;
    facilitator.send(json!({"type": "open"})).await;

    for round in 0..20 {
        let mut member = server.connect().await;
        member
            .send(json!({"type": "join", "v": 1, "invite": invite, "pseudonym": format!("Member {round}"), "accept_rules": true}))
            .await;
        let id = member.recv_type("welcome").await["you"]["id"].clone();
        facilitator
            .send(json!({"type": "admit", "participant": id}))
            .await;
        assert_eq!(
            member.recv_type("welcome").await["you"]["status"],
            "present"
        );
        facilitator
            .send(json!({"type": "remove", "participant": id, "reason": "harassment"}))
            .await;
        let told = member.recv_type("moderation").await;
        assert_eq!(told["action"], "removed", "round {round}");
        assert_eq!(told["reason"], "harassment", "round {round}");
        let close = member.closed().await.expect("a close frame");
        assert_eq!(u16::from(close.code), 4002, "round {round}");
    }

    let mut members = Vec::new();
    for n in 0..8 {
        let mut member = server.connect().await;
        member
            .send(json!({"type": "join", "v": 1, "invite": invite, "pseudonym": format!("Stayer {n}"), "accept_rules": true}))
            .await;
        member.recv_type("welcome").await;
        members.push(member);
    }
    facilitator.send(json!({"type": "admit"})).await;
    for member in &mut members {
        assert_eq!(
            member.recv_type("welcome").await["you"]["status"],
            "present"
        );
    }
    facilitator.send(json!({"type": "end"})).await;
    for member in &mut members {
        let ended = member.recv_type("ended").await;
        assert!(ended["resources"]["lines"].is_array());
        let close = member.closed().await.expect("a close frame");
        assert_eq!(u16::from(close.code), 4004);
    }
}
