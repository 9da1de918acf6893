//! Shared test harness: a real server on port 0 with its own data directory, and WebSocket
//! clients that wait on events with a timeout (never sleep).

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use hearth::app::{App, AppState};
use hearth::clock::{Clock, SystemClock};
use hearth::config::Config;
use hearth::domain::GroupId;
use hearth::store::{GroupSettings, NewGroup};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any single wait in a test may take before the test fails.
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// A running server.
pub(crate) struct TestServer {
    pub(crate) addr: std::net::SocketAddr,
    pub(crate) state: AppState,
    /// Kept alive (and removed on drop) with the server.
    _data_dir: tempfile::TempDir,
    /// What the server was started with, so `restart` can start it again on the same data.
    config: Config,
    clock: Arc<dyn Clock>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestServer {
    /// A server with the default configuration on a free port.
    pub(crate) async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    /// A server whose configuration `adjust` may change first.
    pub(crate) async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        TestServer::start_with_clock(Arc::new(SystemClock), adjust).await
    }

    /// A server reading time from `clock` (a `ManualClock` lets a test skip through lockouts and
    /// expiries), with its configuration adjusted by `adjust`.
    pub(crate) async fn start_with_clock(
        clock: Arc<dyn Clock>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestServer {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::defaults();
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.data_dir = data_dir.path().to_owned();
        adjust(&mut config);
        let (addr, state, stop, task) =
            TestServer::launch(config.clone(), Arc::clone(&clock)).await;
        TestServer {
            addr,
            state,
            _data_dir: data_dir,
            config,
            clock,
            stop: Some(stop),
            task: Some(task),
        }
    }

    async fn launch(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> (
        std::net::SocketAddr,
        AppState,
        oneshot::Sender<()>,
        JoinHandle<anyhow::Result<()>>,
    ) {
        // Bound before spawning: the address is ready to connect to when `build` returns.
        let app = App::build(config, clock).await.expect("server builds");
        let addr = app.local_addr().unwrap();
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run(async move {
            let _ = stopped.await;
        }));
        (addr, state, stop, task)
    }

    /// Shuts the server down and starts a new one on the same data directory (a new port).
    pub(crate) async fn restart(&mut self) {
        self.shutdown().await.expect("clean shutdown");
        let (addr, state, stop, task) =
            TestServer::launch(self.config.clone(), Arc::clone(&self.clock)).await;
        self.addr = addr;
        self.state = state;
        self.stop = Some(stop);
        self.task = Some(task);
    }

    /// Asks the server to shut down (like SIGTERM) and waits for `run` to return.
    pub(crate) async fn shutdown(&mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.expect("server task"),
            None => Ok(()),
        }
    }

    /// `http://addr`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://addr/ws`.
    pub(crate) fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// Creates a group and returns its id.
    /// Creates an open group (live at once, no waiting room, no facilitator needed: the demo
    /// group's settings) and returns its id. For the chat basics; facilitated sessions use
    /// [`TestServer::group_with`].
    pub(crate) async fn group(&self, name: &str, capacity: u8) -> GroupId {
        self.group_with(name, capacity, GroupSettings::demo()).await
    }

    /// Creates a group with these room settings and returns its id.
    pub(crate) async fn group_with(
        &self,
        name: &str,
        capacity: u8,
        settings: GroupSettings,
    ) -> GroupId {
        let store = self.state.store();
        let id = store
            .create_group(
                &NewGroup {
                    name: name.into(),
                    description: "A test group".into(),
                    rules: "Be kind.".into(),
                    capacity,
                    is_demo: false,
                },
                self.state.clock().now(),
            )
            .await
            .expect("group created");
        store
            .set_settings(id, &settings)
            .await
            .expect("settings saved");
        id
    }

    /// Creates a group with an invite and returns the invite code.
    pub(crate) async fn invite(&self) -> String {
        self.invite_with_capacity(15).await
    }

    /// Creates a group of `capacity` with an invite and returns the invite code.
    pub(crate) async fn invite_with_capacity(&self, capacity: u8) -> String {
        let group = self.group("Tuesday evening", capacity).await;
        self.invite_for(group).await
    }

    /// A fresh invite for `group`.
    pub(crate) async fn invite_for(&self, group: GroupId) -> String {
        self.state
            .invites()
            .create(group, self.state.clock().now(), None, None)
            .await
            .expect("invite created")
    }

    /// A connected client that has not joined.
    pub(crate) async fn connect(&self) -> Client {
        let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(self.ws_url()))
            .await
            .expect("connect in time")
            .expect("connect");
        Client { ws }
    }

    /// A client that joined with `invite` under `name` and received `welcome` (and any history).
    pub(crate) async fn join(&self, invite: &str, name: &str) -> Client {
        let mut client = self.connect().await;
        client.send_join(invite, name).await;
        let welcome = client.recv().await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        client
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A WebSocket client speaking protocol v1.
pub(crate) struct Client {
    pub(crate) ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Client {
    /// Sends a JSON value as a text frame.
    pub(crate) async fn send(&mut self, value: Value) {
        self.ws
            .send(Message::text(value.to_string()))
            .await
            .expect("send");
    }

    /// Sends a raw text frame.
    pub(crate) async fn send_raw(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.expect("send raw");
    }

    /// Sends `join` for a member.
    pub(crate) async fn send_join(&mut self, invite: &str, name: &str) {
        self.send(json!({"type": "join", "v": 1, "invite": invite, "pseudonym": name, "accept_rules": true}))
            .await;
    }

    /// Sends `say`.
    pub(crate) async fn say(&mut self, text: &str, client_id: &str) {
        self.send(json!({"type": "say", "text": text, "client_id": client_id}))
            .await;
    }

    /// The next JSON message, skipping the state snapshots (`roster`, `room_state`,
    /// `waiting_room`) that accompany most events. Fails the test on timeout or close.
    pub(crate) async fn recv(&mut self) -> Value {
        loop {
            let msg = self.recv_any().await;
            if !matches!(
                msg["type"].as_str(),
                Some("roster" | "room_state" | "waiting_room")
            ) {
                return msg;
            }
        }
    }

    /// The next JSON message of any type (pings and pongs skipped).
    pub(crate) async fn recv_any(&mut self) -> Value {
        loop {
            let next = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("a message in time");
            match next {
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str(&text).expect("server sends JSON");
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }

    /// Skips messages until one of `kind` arrives, returning it.
    pub(crate) async fn recv_type(&mut self, kind: &str) -> Value {
        loop {
            let msg = self.recv_any().await;
            if msg["type"] == kind {
                return msg;
            }
        }
    }

    /// Skips messages until a `message` with `text` arrives.
    pub(crate) async fn recv_text(&mut self, text: &str) -> Value {
        loop {
            let msg = self.recv_type("message").await;
            if msg["text"] == text {
                return msg;
            }
        }
    }

    /// Reads until the server closes the connection; returns the close frame if one came.
    pub(crate) async fn closed(&mut self) -> Option<CloseFrame> {
        loop {
            let next = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("the server closes in time");
            match next {
                Some(Ok(Message::Close(frame))) => return frame,
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    }
}

/// Connects with an explicit Origin header; returns the HTTP status of a refused handshake.
pub(crate) async fn connect_with_origin(server: &TestServer, origin: &str) -> Result<Client, u16> {
    let mut request = server.ws_url().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Origin", origin.parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(Client { ws }),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        Err(other) => panic!("unexpected handshake error {other:?}"),
    }
}
