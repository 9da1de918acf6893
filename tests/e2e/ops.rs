//! What an operator relies on: the binary run the way the container runs it, health and metrics,
//! SIGTERM, `hearth config`, the generated configuration reference, and the deployment files
//! (validated here, since no Docker engine runs on these machines).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::helpers::{Client, WAIT};
use crate::process::{self, Spawned, get, sample};

/// The repository root (the crate lives in `server/`).
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository")
        .to_owned()
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo().join(relative))
        .unwrap_or_else(|err| panic!("reading {relative}: {err}"))
}

async fn connect(addr: &str) -> Client {
    let (ws, _) = tokio::time::timeout(
        WAIT,
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws")),
    )
    .await
    .expect("connect in time")
    .expect("connect");
    Client { ws }
}

#[tokio::test]
async fn the_binary_runs_from_the_environment_alone_and_drains_on_sigterm_within_five_seconds() {
    // Arrange: a fresh directory and nothing but HEARTH_* variables, as in the container.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_dir = data.to_str().unwrap();
    let mut server = Spawned::start(
        dir.path(),
        &[
            ("HEARTH_BIND", "127.0.0.1:0"),
            ("HEARTH_METRICS_BIND", "127.0.0.1:0"),
            ("HEARTH_DATA_DIR", data_dir),
            ("HEARTH_LOG_FORMAT", "json"),
            ("HEARTH_DEMO", "true"),
        ],
    )
    .await;
    // After the addresses: the one-time setup link (no account yet), then the demo invite.
    let link = loop {
        let line = server.next_line().await;
        if line.contains("/join#") {
            break line;
        }
    };
    let code = link.rsplit('#').next().expect("an invite code").to_owned();
    let metrics_url = server.metrics_url.clone().expect("metrics are on");

    // Health, readiness and metrics answer, each where it belongs.
    assert_eq!(
        get(&format!("{}/healthz", server.url)).await,
        (200, "ok".into())
    );
    assert_eq!(
        get(&format!("{}/readyz", server.url)).await,
        (200, "ready".into())
    );
    let (status, metrics) = get(&metrics_url).await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains("hearth_build_info{version=\""),
        "{metrics}"
    );
    let (_, public) = get(&format!("{}/metrics", server.url)).await;
    assert!(
        !public.contains("hearth_"),
        "the public port must not serve metrics"
    );
    let (healthy, _, stderr) =
        process::run(&["healthcheck"], &[("HEARTH_BIND", server.addr())]).await;
    assert!(healthy, "{stderr}");

    // A member in a room, counted by the metrics.
    let mut member = connect(server.addr()).await;
    member
        .send(json!({"type": "join", "v": 1, "invite": code, "pseudonym": "River", "accept_rules": true}))
        .await;
    assert_eq!(member.recv_type("welcome").await["type"], "welcome");
    // The room records a request's timing just after queueing its frames, so the second ack
    // proves the first request was fully recorded.
    for id in ["c1", "c2"] {
        member.say("hello", id).await;
        assert_eq!(member.recv_type("ack").await["client_id"], id);
    }
    let (_, metrics) = get(&metrics_url).await;
    assert_eq!(sample(&metrics, "hearth_connections"), 1.0);
    assert_eq!(sample(&metrics, "hearth_live_rooms"), 1.0);
    assert_eq!(sample(&metrics, "hearth_participants_present"), 1.0);
    assert_eq!(sample(&metrics, "hearth_messages_accepted_total"), 2.0);
    assert!(sample(&metrics, "hearth_room_fanout_seconds_count") >= 1.0);

    // Act: SIGTERM, as `docker stop` sends it.
    let closing = tokio::spawn(async move { member.closed().await });
    let stopped = server.terminate().await;

    // Assert: the member was told, and the process exited cleanly well inside the grace.
    let frame = closing.await.unwrap().expect("a close frame");
    assert_eq!(u16::from(frame.code), 1001);
    assert!(stopped.status.success(), "exit status {:?}", stopped.status);
    assert!(
        stopped.took < Duration::from_secs(5),
        "SIGTERM to exit took {:?}",
        stopped.took
    );
    println!("SIGTERM to exit: {:?}", stopped.took);
    assert!(data.join("hearth.db").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for line in stopped.stderr.lines() {
        let event: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line}"));
        assert!(event["level"].is_string() && event["message"].is_string());
    }
    assert!(
        stopped.stderr.contains("SIGTERM received"),
        "{}",
        stopped.stderr
    );
}

#[tokio::test]
async fn metrics_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Spawned::start(
        dir.path(),
        &[
            ("HEARTH_BIND", "127.0.0.1:0"),
            ("HEARTH_METRICS_BIND", "off"),
            ("HEARTH_DATA_DIR", data.to_str().unwrap()),
        ],
    )
    .await;
    assert!(server.metrics_url.is_none());
    assert!(server.terminate().await.status.success());
}

#[tokio::test]
async fn the_health_check_fails_when_no_server_answers() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let (healthy, _, stderr) = process::run(
        &["healthcheck", "--timeout", "2s"],
        &[("HEARTH_BIND", &addr)],
    )
    .await;
    assert!(!healthy);
    assert!(stderr.contains("unhealthy"), "{stderr}");
}

#[tokio::test]
async fn hearth_config_shows_every_setting_with_its_source_and_refuses_bad_values() {
    let (ok, out, err) = process::run(
        &["config", "--bind", "0.0.0.0:8081"],
        &[
            ("HEARTH_RATE_BURST", "9"),
            ("HEARTH_TRUSTED_PROXIES", "172.31.253.2,10.0.0.0/8"),
        ],
    )
    .await;
    assert!(ok, "{err}");
    let line = |name: &str| {
        out.lines()
            .find(|line| line.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing from\n{out}"))
            .to_owned()
    };
    assert!(line("HEARTH_BIND").contains("0.0.0.0:8081"));
    assert!(line("HEARTH_BIND").ends_with("# command line"));
    assert!(line("HEARTH_RATE_BURST").contains("= 9"));
    assert!(line("HEARTH_RATE_BURST").ends_with("# environment"));
    assert!(line("HEARTH_TRUSTED_PROXIES").contains("172.31.253.2,10.0.0.0/8"));
    assert!(line("HEARTH_SHUTDOWN_GRACE").ends_with("# default"));
    assert!(line("HEARTH_METRICS_BIND").contains("127.0.0.1:9090"));

    let (ok, _, err) =
        process::run(&["config"], &[("HEARTH_TRUSTED_PROXIES", "proxy.local")]).await;
    assert!(!ok);
    assert!(err.contains("is not an IP address or range"), "{err}");
}

#[tokio::test]
async fn the_configuration_reference_is_the_one_the_code_generates() {
    let (ok, generated, err) = process::run(&["config", "--markdown"], &[]).await;
    assert!(ok, "{err}");
    let committed = read("docs/configuration.md");
    assert!(
        committed == generated,
        "docs/configuration.md is out of date; regenerate it with\n  \
         cargo run -q -- config --markdown > docs/configuration.md"
    );
}

/// The `HEARTH_*` variables `hearth serve` reads, from `hearth config`.
async fn server_variables() -> BTreeSet<String> {
    let (ok, out, err) = process::run(&["config"], &[]).await;
    assert!(ok, "{err}");
    out.lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| name.starts_with("HEARTH_"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_setting_and_compose_variable_is_documented_in_env_example() {
    let example = read(".env.example");
    let documented = |name: &str| {
        example.lines().any(|line| {
            line.trim_start_matches("# ")
                .starts_with(&format!("{name}="))
        })
    };
    let variables = server_variables().await;
    assert!(variables.len() > 15, "{variables:?}");
    for name in &variables {
        assert!(documented(name), "{name} is missing from .env.example");
    }
    let compose = read("docker-compose.yml");
    for reference in compose.split("${").skip(1) {
        let name: String = reference
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        assert!(
            documented(&name),
            "{name} (docker-compose.yml) is missing from .env.example"
        );
    }
}

/// Runs Debian's `docker-compose config` on a copy of the deployment with `.env.example` as
/// `.env`, returning the normalized file.
fn compose_config(profile: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    for file in ["docker-compose.yml", "Caddyfile", "Dockerfile"] {
        std::fs::copy(repo().join(file), dir.path().join(file)).unwrap();
    }
    std::fs::copy(repo().join(".env.example"), dir.path().join(".env")).unwrap();
    let mut command = std::process::Command::new("docker-compose");
    if let Some(profile) = profile {
        command.args(["--profile", profile]);
    }
    let output = command
        .arg("config")
        .current_dir(dir.path())
        .output()
        .expect(
            "docker-compose runs (install Debian's docker-compose package, as ./scripts/test does)",
        );
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "docker-compose config failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The lines of the service `name` in a normalized compose file.
fn service<'a>(config: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("  {name}:");
    config
        .lines()
        .skip_while(|line| *line != "services:")
        .skip_while(|line| *line != header)
        .skip(1)
        .take_while(|line| line.starts_with("    ") || line.is_empty())
        .collect()
}

#[tokio::test]
async fn the_compose_file_validates_and_keeps_its_hardening() {
    let plain = compose_config(None);
    let tls = compose_config(Some("tls"));

    let hearth = service(&tls, "hearth");
    let has = |lines: &[&str], wanted: &str| lines.iter().any(|line| line.trim() == wanted);
    assert!(has(&hearth, "read_only: true"), "{hearth:#?}");
    assert!(has(&hearth, "- /tmp:size=16m,mode=1777"));
    assert!(has(&hearth, "- ALL"), "cap_drop ALL");
    assert!(has(&hearth, "- no-new-privileges:true"));
    assert!(has(&hearth, "core: 0"), "no core dumps");
    assert!(has(&hearth, "driver: local") && has(&hearth, "max-size: 10m"));
    assert!(has(&hearth, "- hearth-data:/data:rw"));
    assert!(
        has(&hearth, "- healthcheck"),
        "health check runs `hearth healthcheck`"
    );
    // Published on the host's loopback only.
    assert!(has(&hearth, "- 127.0.0.1:8080:8080/tcp"), "{hearth:#?}");
    assert!(has(&hearth, "- 127.0.0.1:9090:9090/tcp"));
    // Longer than the server's drain (5 s) plus its close handshake (2 s).
    assert!(has(&hearth, "stop_grace_period: 15s"));

    // Hearth trusts forwarded addresses from Caddy's fixed address, and only from it.
    let caddy = service(&tls, "caddy");
    assert!(has(&caddy, "ipv4_address: 172.31.253.2"), "{caddy:#?}");
    assert!(has(&hearth, "HEARTH_TRUSTED_PROXIES: 172.31.253.2"));
    assert!(has(&caddy, "core: 0"));
    assert!(has(&caddy, "driver: local") && has(&caddy, "max-size: 10m"));
    assert!(has(&caddy, "- tls"), "Caddy runs in the tls profile only");

    // Without the profile the same file validates (Caddy simply does not start).
    assert!(plain.contains("  hearth:"));
}

#[tokio::test]
async fn the_caddyfile_is_valid_and_keeps_client_addresses_out_of_its_logs() {
    let caddyfile = repo().join("Caddyfile");
    let output = std::process::Command::new("caddy")
        .args(["validate", "--adapter", "caddyfile", "--config"])
        .arg(&caddyfile)
        .env("HEARTH_DOMAIN", "chat.example.org")
        .output()
        .expect("caddy runs (install Debian's caddy package, as ./scripts/test does)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = read("Caddyfile");
    assert!(text.contains("reverse_proxy hearth:8080"));
    assert!(text.contains("exclude http.log.error"));
    assert!(
        !text
            .lines()
            .any(|line| line.trim_start().starts_with("log {") || line.trim() == "log"),
        "no access log"
    );
}

#[tokio::test]
async fn the_image_builds_what_ci_builds_and_runs_unprivileged() {
    let dockerfile = read("Dockerfile");
    let build = "cargo build --release --locked -p hearth";
    assert!(dockerfile.contains(&format!("RUN {build}")), "Dockerfile");
    assert!(
        read("scripts/test").contains(build),
        "scripts/test runs the same build"
    );
    assert!(dockerfile.contains("cargo chef cook --release -p hearth"));
    assert!(dockerfile.contains("USER hearth:hearth"));
    assert!(dockerfile.contains("VOLUME [\"/data\"]"));
    assert!(dockerfile.contains("CMD [\"hearth\", \"healthcheck\"]"));
    assert!(dockerfile.contains("STOPSIGNAL SIGTERM"));
}

#[tokio::test]
async fn failed_logins_and_lockouts_are_counted_without_names() {
    // Arrange: an account, and someone guessing its password from one address.
    let server = crate::helpers::TestServer::start().await;
    crate::web::account(&server, "sam", false).await;
    let guesser = crate::web::Api::new(&server);

    // Act: guess until the lockout answers 429.
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let reply = guesser
            .post(
                "/api/login",
                json!({"username": "sam", "password": "not the password"}),
            )
            .await;
        statuses.push(reply.status);
    }

    // Assert: each kind of refusal counted once per attempt, and no label names anyone.
    let failures = statuses.iter().filter(|s| **s == 401).count() as f64;
    let refused = statuses.iter().filter(|s| **s == 429).count() as f64;
    assert!(failures >= 1.0 && refused >= 1.0, "{statuses:?}");
    let metrics = server
        .state
        .metrics()
        .render(hearth::metrics::Snapshot::default());
    assert_eq!(sample(&metrics, "hearth_login_failures_total"), failures);
    assert_eq!(sample(&metrics, "hearth_lockouts_total"), refused);
    assert!(!metrics.contains("sam"), "{metrics}");
}
