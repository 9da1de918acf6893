//! The composition root: builds the shared state from a [`Config`] and runs the server until a
//! shutdown signal, then drains every connection. Used by `main` and by the integration tests,
//! which bind port 0 and pass their own shutdown future and clock.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::serve::ListenerExt;
use dashmap::DashMap;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::Auth;
use crate::backup::DataDirLock;
use crate::clock::Clock;
use crate::config::{Config, Listen};
use crate::domain::{AccountId, DeviceId, GroupId, MESSAGE_MAX_CHARS, Millis};
use crate::filter::{Filter, FilterConfig};
use crate::invites::Invites;
use crate::metrics::Metrics;
use crate::protocol::{
    CrisisResources, GroupView, Limits, ModerationAction, Reason, ResourceView, ServerMsg,
};
use crate::registry::Registry;
use crate::room::{
    AuditEvent, ContactPolicy, JoinError, RoomHandle, RoomObserver, RoomPolicy, RoomSettings,
    Screening, SessionSummary, SessionTimes,
};
use crate::safety::Resources;
use crate::schedule::{PhaseConfig, Schedule};
use crate::secret::ServerSecret;
use crate::store::{
    AuditAction, AuditEvent as StoredAudit, FilterPolicy, GroupRecord, NewSessionSummary,
    ReasonCode, StoreError,
};
use crate::store::{NewGroup, Store};

/// Everything a request handler or connection needs. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    resources: Resources,
    filter: Arc<Filter>,
    store: Store,
    secret: ServerSecret,
    invites: Invites,
    auth: Auth,
    registry: Registry,
    ended_sessions: EndedSessions,
    metrics: Metrics,
    rate_clock: governor::clock::QuantaClock,
    clock: Arc<dyn Clock>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The configuration the server runs with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Invite codes: create and resolve.
    pub fn invites(&self) -> &Invites {
        &self.inner.invites
    }

    /// Facilitator accounts, login sessions and lockouts.
    pub fn auth(&self) -> &Auth {
        &self.inner.auth
    }

    /// The live rooms.
    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    /// Operational counters (`/metrics`).
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The clock the server reads "now" from.
    pub fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// Cancelled when the server begins shutting down.
    pub fn shutdown(&self) -> &CancellationToken {
        &self.inner.shutdown
    }

    /// Tracks connection and room tasks so shutdown can wait for them.
    pub fn tracker(&self) -> &TaskTracker {
        &self.inner.tracker
    }

    /// The crisis resources for `locale` (the configured default when empty), as sent to clients.
    pub fn crisis_resources(&self, locale: &str) -> CrisisResources {
        let locale = if locale.is_empty() {
            self.config().crisis_locale.as_str()
        } else {
            locale
        };
        let table = self.inner.resources.for_locale(locale);
        CrisisResources {
            region: table.region.clone(),
            emergency: table.emergency.clone(),
            lines: table
                .lines
                .iter()
                .map(|line| ResourceView {
                    name: line.name.clone(),
                    description: line.description.clone(),
                    available: line.available.clone(),
                    call: line.contact.call.clone(),
                    text: line.contact.text.clone(),
                    text_word: line.contact.text_word.clone(),
                    url: line.contact.url.clone(),
                })
                .collect(),
        }
    }

    /// The clock every connection's rate limiters share.
    pub fn rate_clock(&self) -> &governor::clock::QuantaClock {
        &self.inner.rate_clock
    }

    /// The keyed hash under which a browser's device key is known.
    pub fn device_id(&self, device_key: &str) -> DeviceId {
        DeviceId(self.inner.secret.keyed_hash("device", device_key))
    }

    /// True when people reach the server over https (cookies then get `Secure`).
    pub fn serves_https(&self) -> bool {
        self.config()
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    /// The running room of `group`, started for its current or next session if needed.
    ///
    /// # Errors
    /// [`JoinError::Unavailable`] if the group cannot be loaded or is archived.
    pub async fn room_for(&self, group: GroupId) -> Result<RoomHandle, JoinError> {
        if let Some(room) = self.registry().get(group) {
            return Ok(room);
        }
        let record = match self.store().group(group).await {
            Ok(Some(record)) if record.archived_at.is_none() => record,
            Ok(_) => return Err(JoinError::Unavailable),
            Err(err) => {
                tracing::error!(error = %err.kind(), "could not load a group for its room");
                return Err(JoinError::Unavailable);
            }
        };
        let settings = self.room_settings(record);
        Ok(self.registry().get_or_start(group, settings))
    }

    /// The session a room of this group hosts at `now` (the one in progress or the next one,
    /// skipping one a facilitator already ended), and the start of the session after it.
    fn sessions_ahead(
        &self,
        record: &GroupRecord,
        now: Millis,
    ) -> (Option<SessionTimes>, Option<Millis>) {
        let phases = PhaseConfig::new(
            u16::from(record.settings.waiting_room_minutes),
            CLOSING_NOTICE_MINUTES,
            SESSION_GRACE_MINUTES,
        )
        .unwrap_or_default();
        let schedule = record
            .schedule
            .as_deref()
            .and_then(|json| serde_json::from_str::<Schedule>(json).ok());
        let mut sessions = schedule
            .map(|schedule| schedule.next_sessions(now.into(), 3))
            .unwrap_or_default()
            .into_iter()
            .map(|session| session.times(&phases))
            .filter(|times| {
                !self
                    .inner
                    .ended_sessions
                    .contains(record.id, times.start.into())
            });
        let session = sessions.next().map(|times| SessionTimes {
            waiting_opens: times.waiting_opens.into(),
            starts: times.start.into(),
            closing_notice: times.closing.into(),
            ends: times.end.into(),
            hard_end: times.ended.into(),
        });
        let next_session = sessions.next().map(|times| times.start.into());
        (session, next_session)
    }

    /// The session a member joining this group now would find (in progress or next), for the
    /// invite preview; `None` for a group without a schedule.
    pub fn upcoming_session(&self, record: &GroupRecord) -> Option<SessionTimes> {
        self.sessions_ahead(record, self.clock().now()).0
    }

    /// How a room for this group starts now: its policy, crisis resources, and the session it
    /// hosts (see [`AppState::upcoming_session`]).
    fn room_settings(&self, record: GroupRecord) -> RoomSettings {
        let config = self.config();
        let now = self.clock().now();
        let (session, next_session) = self.sessions_ahead(&record, now);
        RoomSettings {
            group: GroupView {
                id: record.id,
                name: record.name,
                rules: record.rules,
            },
            capacity: usize::from(record.capacity),
            limits: Limits {
                max_text_chars: MESSAGE_MAX_CHARS,
                burst: config.rate_burst,
                per_minute: config.rate_per_minute,
            },
            policy: RoomPolicy {
                auto_open: record.settings.auto_open,
                auto_admit: record.settings.auto_admit,
                allow_without_facilitator: record.settings.allow_without_facilitator,
            },
            session,
            next_session,
            scheduled: record.schedule.is_some(),
            resources: self.crisis_resources(&record.settings.crisis_locale),
            screening: Screening {
                filter: Arc::clone(&self.inner.filter),
                policy: match record.settings.filter_policy {
                    FilterPolicy::Block => ContactPolicy::Block,
                    FilterPolicy::Mask => ContactPolicy::Mask,
                },
                exempt_facilitators: record.settings.exempt_facilitators,
            },
            resume_grace_ms: i64::try_from(config.resume_grace.as_millis()).unwrap_or(i64::MAX),
        }
    }
}

/// The deployment's contact filter. Every number and site in the crisis-resources table may be
/// shared (a member pointing another to a helpline is the opposite of outside contact), on top of
/// the filter's own list of help lines.
fn contact_filter(resources: &Resources) -> Filter {
    let mut config = FilterConfig::default();
    for locale in resources.locales() {
        for line in &resources.for_locale(locale).lines {
            let contact = &line.contact;
            config
                .help_lines
                .extend(contact.call.iter().chain(&contact.text).cloned());
            if let Some(host) = contact.url.as_deref().and_then(url_host) {
                config.help_domains.push(host.to_owned());
            }
        }
    }
    Filter::new(config)
}

/// The host of an `http(s)://` URL, without `www.`.
fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host)).filter(|h| !h.is_empty())
}

/// Connections the kernel queues before `accept`. tokio's default (1,024) overflowed thousands of
/// times when 5,000 members joined at once, and each overflow costs that client a 1-second SYN
/// retry; the kernel caps this at `somaxconn` anyway.
const LISTEN_BACKLOG: u32 = 4_096;

/// Binds `addr` with [`LISTEN_BACKLOG`].
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Members are told the session is closing this long before its scheduled end.
const CLOSING_NOTICE_MINUTES: u16 = 5;

/// A scheduled session that runs over ends by itself this long after its scheduled end.
const SESSION_GRACE_MINUTES: u16 = 10;

/// Scheduled sessions that already ended (a facilitator ended them early), so a member arriving
/// late does not start the same session again. In memory: after a restart the schedule decides.
#[derive(Debug, Default, Clone)]
struct EndedSessions(Arc<DashMap<GroupId, Millis>>);

impl EndedSessions {
    fn mark(&self, group: GroupId, scheduled_start: Millis) {
        self.0.insert(group, scheduled_start);
    }

    fn contains(&self, group: GroupId, scheduled_start: Millis) -> bool {
        self.0
            .get(&group)
            .is_some_and(|ended| *ended == scheduled_start)
    }
}

/// Carries rooms' moderation events, bans and session counts to the database, and their
/// operational counts to the metrics. The room task must never wait on a write, so each is
/// spawned (and tracked, so shutdown waits for it).
struct Recorder {
    store: Store,
    tracker: TaskTracker,
    ended_sessions: EndedSessions,
    metrics: Metrics,
}

impl Recorder {
    fn write<F>(&self, what: &'static str, write: F)
    where
        F: Future<Output = Result<(), StoreError>> + Send + 'static,
    {
        self.tracker.spawn(async move {
            if let Err(err) = write.await {
                tracing::error!(what, error = err.kind(), "could not record a room event");
            }
        });
    }
}

impl RoomObserver for Recorder {
    fn audit(&self, group: GroupId, event: AuditEvent) {
        let store = self.store.clone();
        let record = StoredAudit {
            at: event.at,
            group: Some(group),
            actor: event.actor,
            subject: None,
            action: audit_action(event.action),
            participant: event.participant,
            reason: event.reason.map(reason_code),
        };
        self.write("audit event", async move {
            store.record_audit(&record).await.map(|_| ())
        });
    }

    fn ban(
        &self,
        group: GroupId,
        device: DeviceId,
        by: Option<AccountId>,
        reason: Reason,
        at: Millis,
    ) {
        let store = self.store.clone();
        self.write("ban", async move {
            store
                .ban_device(group, device, by, reason_code(reason), at)
                .await
                .map(|_| ())
        });
    }

    fn session_ended(&self, group: GroupId, summary: SessionSummary) {
        if let Some(start) = summary.scheduled_start {
            self.ended_sessions.mark(group, start);
        }
        let store = self.store.clone();
        let record = NewSessionSummary {
            group,
            started_at: summary.started_at,
            ended_at: summary.ended_at,
            members_joined: summary.members_joined,
            peak_present: summary.peak_present,
            messages_sent: summary.messages,
        };
        self.write("session summary", async move {
            store.record_session_summary(&record).await.map(|_| ())
        });
    }

    fn dropped_slow_participant(&self, _group: GroupId) {
        self.metrics.outbox_drop();
    }

    fn outgoing(&self, msg: &ServerMsg) {
        self.metrics.observe(msg);
    }

    fn present_changed(&self, delta: i64) {
        self.metrics.participants_changed(delta);
    }

    fn handled(&self, elapsed: Duration) {
        self.metrics.fanout(elapsed);
    }
}

/// The audit code for a room's moderation action (same names on both sides).
fn audit_action(action: ModerationAction) -> AuditAction {
    match action {
        ModerationAction::Admitted => AuditAction::Admitted,
        ModerationAction::Muted => AuditAction::Muted,
        ModerationAction::Unmuted => AuditAction::Unmuted,
        ModerationAction::Removed => AuditAction::Removed,
        ModerationAction::Banned => AuditAction::Banned,
        ModerationAction::Deleted => AuditAction::Deleted,
        ModerationAction::Paused => AuditAction::Paused,
        ModerationAction::Resumed => AuditAction::Resumed,
        ModerationAction::Slowed => AuditAction::Slowed,
        ModerationAction::Locked => AuditAction::Locked,
        ModerationAction::Unlocked => AuditAction::Unlocked,
        ModerationAction::Opened => AuditAction::Opened,
        ModerationAction::Ended => AuditAction::Ended,
        ModerationAction::Announced => AuditAction::Announced,
    }
}

fn reason_code(reason: Reason) -> ReasonCode {
    match reason {
        Reason::ContactInfo => ReasonCode::ContactInfo,
        Reason::Disrespect => ReasonCode::Disrespect,
        Reason::Harassment => ReasonCode::Harassment,
        Reason::Safety => ReasonCode::Safety,
        Reason::OffTopic => ReasonCode::OffTopic,
        Reason::Spam => ReasonCode::Spam,
        Reason::Other => ReasonCode::Other,
    }
}

/// A server that has opened its database and bound its listener, ready to run.
#[derive(Debug)]
pub struct App {
    state: AppState,
    listener: TcpListener,
    /// The metrics listener, unless `--metrics-bind off`.
    metrics_listener: Option<TcpListener>,
    /// Held until `run` has closed the database: a second server or a restore cannot take the
    /// directory meanwhile.
    data_dir_lock: DataDirLock,
}

impl App {
    /// Opens the data directory and binds `config.bind` (port 0 picks a free port).
    ///
    /// # Errors
    /// If the data directory, secret or database cannot be opened, or the address is taken.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!("creating the data directory {}", config.data_dir.display())
        })?;
        let data_dir_lock = DataDirLock::acquire(&config.data_dir)?;
        let store = Store::open(&config.data_dir)
            .await
            .with_context(|| format!("opening the database in {}", config.data_dir.display()))?;
        let secret = ServerSecret::load_or_create(&config.data_dir).with_context(|| {
            format!("reading the server secret in {}", config.data_dir.display())
        })?;
        let resources = match &config.crisis_resources_file {
            None => Resources::builtin(),
            Some(path) => {
                let json = std::fs::read_to_string(path).with_context(|| {
                    format!("reading the crisis resources file {}", path.display())
                })?;
                let overrides = Resources::from_json(&json).with_context(|| {
                    format!("the crisis resources file {} is not valid", path.display())
                })?;
                Resources::builtin().with_overrides(overrides)
            }
        };
        let listener =
            listen(config.bind).with_context(|| format!("listening on {}", config.bind))?;
        let metrics_listener = match config.metrics_bind {
            Listen::Off => None,
            Listen::On(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("listening for metrics on {addr}"))?,
            ),
        };
        let metrics = Metrics::new();
        let tracker = TaskTracker::new();
        let ended_sessions = EndedSessions::default();
        let recorder = Recorder {
            store: store.clone(),
            tracker: tracker.clone(),
            ended_sessions: ended_sessions.clone(),
            metrics: metrics.clone(),
        };
        let registry = Registry::new(
            Arc::clone(&clock),
            Arc::new(recorder),
            tracker.clone(),
            config.room_idle_timeout,
        );
        let invites = Invites::new(store.clone(), secret.clone());
        let auth = Auth::new(store.clone()).context("preparing password hashing")?;
        Ok(App {
            state: AppState {
                inner: Arc::new(Inner {
                    config,
                    filter: Arc::new(contact_filter(&resources)),
                    resources,
                    store,
                    secret,
                    invites,
                    auth,
                    registry,
                    ended_sessions,
                    metrics,
                    rate_clock: governor::clock::QuantaClock::default(),
                    clock,
                    shutdown: CancellationToken::new(),
                    tracker,
                }),
            },
            listener,
            metrics_listener,
            data_dir_lock,
        })
    }

    /// The address actually bound.
    ///
    /// # Errors
    /// If the socket has no local address (never for a bound TCP listener).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The address the metrics listener bound, unless metrics are off.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|listener| listener.local_addr().ok())
    }

    /// The shared state (tests use it to create groups and invites).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The base URL for printed links: the configured public URL or `http://` + the bound address.
    pub fn public_url(&self) -> String {
        match &self.state.config().public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => match self.local_addr() {
                Ok(addr) => format!("http://{addr}"),
                Err(_) => format!("http://{}", self.state.config().bind),
            },
        }
    }

    /// The one-time first-run setup link (`/setup#TOKEN`, valid one hour) while no account exists;
    /// `None` once there is one.
    ///
    /// # Errors
    /// On database failure.
    pub async fn setup_link(&self) -> anyhow::Result<Option<String>> {
        let now = self.state.clock().now();
        let token = self.state.auth().begin_setup(now).await?;
        Ok(token.map(|token| format!("{}/setup#{token}", self.public_url())))
    }

    /// Finds or creates the demo group and makes a fresh invite for it. Returns the invite code.
    ///
    /// # Errors
    /// On database failure.
    pub async fn seed_demo(&self) -> anyhow::Result<(GroupId, String)> {
        let store = self.state.store();
        let now = self.state.clock().now();
        let group = match store.demo_group().await? {
            Some(group) => group,
            None => {
                store
                    .create_group(
                        &NewGroup {
                            name: "Demo group".into(),
                            description: "A place to try Hearth. Anyone with the link can join."
                                .into(),
                            rules: DEMO_RULES.into(),
                            capacity: 15,
                            is_demo: true,
                        },
                        now,
                    )
                    .await?
            }
        };
        let code = self
            .state
            .invites()
            .create(group, now, Some(now.plus_ms(DEMO_INVITE_LIFETIME_MS)), None)
            .await?;
        Ok((group, code))
    }

    /// Serves until `shutdown` resolves, then closes every WebSocket with 1001 and waits (at most
    /// `config.shutdown_grace`) for connections to finish.
    ///
    /// # Errors
    /// If the listener fails.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let App {
            state,
            listener,
            metrics_listener,
            data_dir_lock,
        } = self;
        let token = state.shutdown().clone();
        let trigger = token.clone();
        tokio::spawn(async move {
            shutdown.await;
            trigger.cancel();
        });

        // Without TCP_NODELAY, small frames wait for ACKs (Nagle) and a busy room's p99 goes
        // from about 1 ms to about 40 ms.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let router = crate::http::router(state.clone());
        let graceful = token.clone();
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { graceful.cancelled().await });

        // Metrics have their own listener so the public port never serves them; they stop with
        // the server.
        let metrics_served = metrics_listener.map(|metrics_listener| {
            let router = crate::http::metrics::router(state.clone());
            let stop = token.clone();
            tokio::spawn(async move {
                axum::serve(metrics_listener, router)
                    .with_graceful_shutdown(async move { stop.cancelled().await })
                    .await
            })
        });

        let grace = state.config().shutdown_grace;
        let result = served.await;
        token.cancel();
        // axum does not track upgraded sockets: each connection task watches `token`, sends
        // Close 1001 and ends; wait for them here.
        state.registry().close_all();
        state.tracker().close();
        if tokio::time::timeout(grace, state.tracker().wait())
            .await
            .is_err()
        {
            tracing::warn!(
                grace_ms = grace.as_millis() as u64,
                "some connections did not close in time"
            );
        }
        if let Some(metrics_served) = metrics_served {
            // A scrape in flight is not worth waiting for past the grace period.
            let _ = tokio::time::timeout(grace, metrics_served).await;
        }
        state.store().close().await;
        drop(data_dir_lock);
        result.context("serving HTTP")
    }
}

/// Demo invites stop working after a week, so an old printed link does not stay open forever.
const DEMO_INVITE_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

const DEMO_RULES: &str = "\
1. What is shared here stays here.
2. Speak from your own experience; no advice unless asked.
3. No contact details: no phone numbers, emails or social handles.
4. Be kind. Disagree with ideas, never with people.
5. You may pass or just listen. You may leave at any time.";
