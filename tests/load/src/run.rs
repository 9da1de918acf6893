//! One run against one server: start it, seat everyone, measure idle memory, drive the load
//! phases, read the server's CPU and memory from `/proc`, and stop it.
//!
//! A run has zero or more phases with the same connections: one for the latency scenarios, a
//! rising sequence for the capacity sweep (which stops at the first phase that is not
//! sustainable). Between phases the tool waits for every expected delivery (or the drain
//! timeout), so each phase's counts are its own.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

use crate::admission::{self, SeatingPlan, SeatingReport};
use crate::member::{self, PhasePlan, Plan, Shared};
use crate::procfs::{self, MachineCpu, Pid};
use crate::server::{ServerKind, ServerOptions, ServerUnderTest};
use crate::stamp::{MAX_PHASES, MAX_SENDERS};
use crate::stats::PhaseTotals;

/// Hearth's default chat limit: a burst of 5, then 60 per minute.
const HEARTH_DEFAULT_PER_MINUTE: f64 = 60.0;

/// A tool using more than this share of its cores may be what limits the result.
const TOOL_SATURATED_SHARE: f64 = 0.70;

/// How long the members get to pick up a new phase before its first message falls due.
const PHASE_LEAD: Duration = Duration::from_millis(200);

/// Where the server and the tool run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Placement {
    /// Server pinned to CPU 0, the tool to CPU 1: each has one core, as in the reference
    /// measurements. Only meaningful on a machine nobody else is using.
    Split,
    /// Both may use both cores (the default): on a shared machine the scheduler can move either
    /// away from other people's work, and at saturation each may need more than one core.
    Shared,
}

/// Everything one run needs.
#[derive(Debug, Clone)]
pub(crate) struct RunConfig {
    /// Scenario name, for the report.
    pub(crate) scenario: String,
    /// Which server.
    pub(crate) server: ServerKind,
    /// Members in all.
    pub(crate) members: u32,
    /// Members per room.
    pub(crate) room_size: u32,
    /// Senders per room (the first members of each room).
    pub(crate) senders_per_room: u32,
    /// Messages per second per sender, one phase per entry.
    pub(crate) rates: Vec<f64>,
    /// Stop the phases at the first that misses: p99 (from the schedule) above this many ms, or
    /// any loss.
    pub(crate) knee_p99_ms: Option<f64>,
    /// Time sent but not measured at the start of each phase.
    pub(crate) warmup: Duration,
    /// The measurement window of each phase.
    pub(crate) duration: Duration,
    /// Longest wait for outstanding deliveries after a phase.
    pub(crate) drain: Duration,
    /// Idle time after seating, before the idle memory reading.
    pub(crate) settle: Duration,
    /// Joins in flight at once.
    pub(crate) join_concurrency: usize,
    /// Arrivals spread over this long.
    pub(crate) join_spread: Duration,
    /// Where server and tool run.
    pub(crate) placement: Placement,
    /// The Hearth binary.
    pub(crate) hearth_bin: PathBuf,
}

impl RunConfig {
    fn rooms(&self) -> u32 {
        self.members.div_ceil(self.room_size)
    }

    /// Hearth's rate limit for this load: the default when it suffices, else raised to twice
    /// the sending rate (burst at least 5 and a second's worth), so the limit never shapes the
    /// result. Said in the report.
    pub(crate) fn hearth_rate_limit(&self) -> Option<(u32, u32)> {
        let fastest = self.rates.iter().copied().fold(0.0, f64::max);
        (fastest * 60.0 > HEARTH_DEFAULT_PER_MINUTE).then(|| {
            let per_minute = (fastest * 60.0 * 2.0).ceil() as u32;
            let burst = (fastest.ceil() as u32 * 2).max(5);
            (burst, per_minute)
        })
    }

    /// Checks the limits of the stamp and of this machine.
    ///
    /// # Errors
    /// A sentence naming the limit.
    pub(crate) fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            (2..=15).contains(&self.room_size),
            "rooms hold 2 to 15 members"
        );
        anyhow::ensure!(self.members >= 1, "at least one member");
        anyhow::ensure!(
            u64::from(self.members) <= MAX_SENDERS,
            "at most {MAX_SENDERS} members per run"
        );
        // One socket per member in the tool (and in the server): both processes stay under the
        // 20,000 open files this machine allows each process.
        anyhow::ensure!(
            self.members <= 19_000,
            "at most 19,000 members: each process may open 20,000 files"
        );
        anyhow::ensure!(
            self.rates.len() <= MAX_PHASES,
            "at most {MAX_PHASES} phases"
        );
        Ok(())
    }
}

/// Idle memory of the server.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct MemoryReport {
    /// RSS after start, before anyone connected, in KiB.
    pub(crate) rss_before_kib: u64,
    /// RSS with every member seated and idle, in KiB.
    pub(crate) rss_idle_kib: u64,
    /// The difference per seated member, in KiB.
    pub(crate) idle_kib_per_member: f64,
    /// Peak RSS over the whole run (`VmHWM`), in KiB.
    pub(crate) peak_kib: u64,
}

/// One phase's results.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PhaseReport {
    /// Messages per second per sender.
    pub(crate) rate_per_sender: f64,
    /// Deliveries per second the schedule asks for.
    pub(crate) offered_deliveries_per_sec: f64,
    /// Length of the measurement window, s.
    pub(crate) window_secs: f64,
    /// Counters and latency.
    #[serde(flatten)]
    pub(crate) totals: PhaseTotals,
    /// Expected deliveries that never arrived (warm-up included).
    pub(crate) lost: u64,
    /// Measured deliveries per second.
    pub(crate) deliveries_per_sec: f64,
    /// Server CPU seconds in the window.
    pub(crate) server_cpu_secs: f64,
    /// Server CPU per measured delivery, µs.
    pub(crate) server_cpu_us_per_delivery: f64,
    /// Server CPU in the window as a share of one core.
    pub(crate) server_core_share: f64,
    /// The tool's CPU as a share of the cores it may use.
    pub(crate) tool_share_of_its_cores: f64,
    /// Whole-machine busy share (all cores, including softirq and other users' work).
    pub(crate) machine_busy_share: f64,
    /// Whole-machine softirq share (loopback TCP, charged to no process).
    pub(crate) machine_softirq_share: f64,
    /// The tool was busy enough to be the bottleneck: the phase is not a valid measurement.
    pub(crate) tool_saturated: bool,
    /// Unexpected closes (all runs' events) seen by the end of this phase.
    pub(crate) unexpected_closes: u64,
    /// Sustainable by the capacity rule (no loss, no unexpected close, p99 within the limit).
    pub(crate) sustainable: Option<bool>,
}

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RunReport {
    /// Scenario name.
    pub(crate) scenario: String,
    /// Which server.
    pub(crate) server: ServerKind,
    /// Members in all.
    pub(crate) members: u32,
    /// Rooms.
    pub(crate) rooms: u32,
    /// Members per room.
    pub(crate) room_size: u32,
    /// Where server and tool ran.
    pub(crate) placement: Placement,
    /// Hearth's chat limit as (burst, per minute), when raised for this load.
    pub(crate) hearth_rate_limit: Option<(u32, u32)>,
    /// `/proc/loadavg` when the run started.
    pub(crate) load_average: String,
    /// How seating went.
    pub(crate) seating: SeatingReport,
    /// Idle and peak memory.
    pub(crate) memory: MemoryReport,
    /// The load phases.
    pub(crate) phases: Vec<PhaseReport>,
    /// Rare events by kind: refusals, errors, unexpected closes.
    pub(crate) events: BTreeMap<String, u64>,
    /// Everything that makes this run fail the no-loss check, in words.
    pub(crate) problems: Vec<String>,
}

impl RunReport {
    /// The highest sustainable phase's delivered rate (the capacity sweep's answer): zero when
    /// not even the first step was sustainable, `None` when the run was not a sweep.
    pub(crate) fn capacity(&self) -> Option<f64> {
        if !self.phases.iter().any(|p| p.sustainable.is_some()) {
            return None;
        }
        Some(
            self.phases
                .iter()
                .filter(|p| p.sustainable == Some(true))
                .map(|p| p.deliveries_per_sec)
                .fold(0.0, f64::max),
        )
    }
}

/// Runs one configuration against one server.
///
/// # Errors
/// If the server cannot be started.
pub(crate) async fn run(config: &RunConfig) -> anyhow::Result<RunReport> {
    config.validate()?;
    let load_average = procfs::load_average();
    let rooms = config.rooms();
    let options = ServerOptions {
        kind: config.server,
        hearth_bin: config.hearth_bin.clone(),
        cpus: (config.placement == Placement::Split).then(|| "0".to_owned()),
        rate_limit: config.hearth_rate_limit(),
        room_size: config.room_size,
    };
    let mut server = ServerUnderTest::start(&options, rooms).await?;
    // Let the server finish starting (runtime threads, first allocations) before the reading.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_before = server.memory().rss_kib;

    let plan = SeatingPlan {
        members: config.members,
        room_size: config.room_size,
        concurrency: config.join_concurrency,
        spread: config.join_spread,
    };
    let (seated, seating) = admission::seat_everyone(&plan, &server).await;
    tokio::time::sleep(config.settle).await;
    let rss_idle = server.memory().rss_kib;

    let shared = Arc::new(Shared::new(rooms));
    for member in &seated {
        shared.seated_in(member.room);
    }
    let (plans, plans_rx) = watch::channel(Plan::Idle);
    let mut members = tokio::task::JoinSet::new();
    let seated_count = seated.len();
    // Members still connected when a phase starts all take part; count the senders among them.
    let senders = seated
        .iter()
        .filter(|m| m.position < config.senders_per_room)
        .count() as u32;
    for member in seated {
        members.spawn(member::run(member, Arc::clone(&shared), plans_rx.clone()));
    }

    let mut phases = Vec::new();
    for (index, &rate) in config.rates.iter().enumerate() {
        if !server.is_running() {
            shared.events.count("server exited");
            break;
        }
        let phase = run_phase(
            config,
            &server,
            &shared,
            &plans,
            index as u32,
            rate,
            senders,
        )
        .await;
        let stop = phase.sustainable == Some(false);
        phases.push(phase);
        if stop {
            break;
        }
    }

    let memory_end = server.memory();
    shared.stop();
    server.stop().await;
    let _ = plans.send(Plan::Stop);
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        while members.join_next().await.is_some() {}
    })
    .await;
    members.abort_all();

    let idle_kib_per_member = if seated_count == 0 {
        0.0
    } else {
        rss_idle.saturating_sub(rss_before) as f64 / seated_count as f64
    };
    let events = shared.events.snapshot();
    let mut report = RunReport {
        scenario: config.scenario.clone(),
        server: config.server,
        members: config.members,
        rooms,
        room_size: config.room_size,
        placement: config.placement,
        hearth_rate_limit: (config.server == ServerKind::Hearth)
            .then_some(options.rate_limit)
            .flatten(),
        load_average,
        seating,
        memory: MemoryReport {
            rss_before_kib: rss_before,
            rss_idle_kib: rss_idle,
            idle_kib_per_member,
            peak_kib: memory_end.peak_kib,
        },
        phases,
        events,
        problems: Vec::new(),
    };
    report.problems = problems(&report);
    Ok(report)
}

async fn run_phase(
    config: &RunConfig,
    server: &ServerUnderTest,
    shared: &Shared,
    plans: &watch::Sender<Plan>,
    index: u32,
    rate: f64,
    senders: u32,
) -> PhaseReport {
    let start_us = shared.now_us() + PHASE_LEAD.as_micros() as u64;
    let measure_from_us = start_us + config.warmup.as_micros() as u64;
    let until_us = measure_from_us + config.duration.as_micros() as u64;
    let stats = shared.open_phase(index, measure_from_us);
    let _ = plans.send(Plan::Send(PhasePlan {
        index,
        start_us,
        until_us,
        rate,
        senders_per_room: config.senders_per_room,
    }));

    tokio::time::sleep_until(shared.instant(measure_from_us)).await;
    let server_before = server.cpu_seconds();
    let tool_before = procfs::cpu_seconds(Pid::Me).unwrap_or(f64::NAN);
    let machine_before = MachineCpu::now();
    tokio::time::sleep_until(shared.instant(until_us)).await;
    let server_cpu = server.cpu_seconds() - server_before;
    let tool_cpu = procfs::cpu_seconds(Pid::Me).unwrap_or(f64::NAN) - tool_before;
    let (machine_busy, machine_softirq) = machine_before.shares_until(MachineCpu::now());

    // Wait until every sender has sent its last message (a sender woken late by a busy machine
    // sends after `until`; counting before that would call its message lost), then for every
    // expected delivery and ack; the drain timeout bounds both.
    let deadline = tokio::time::Instant::now() + config.drain;
    loop {
        let totals = stats.totals();
        let all_sent = stats.senders_done() >= senders;
        if (all_sent && totals.delivered >= totals.expected && totals.acks >= totals.sent)
            || tokio::time::Instant::now() >= deadline
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = plans.send(Plan::Idle);

    let totals = stats.totals();
    let window_secs = config.duration.as_secs_f64();
    let tool_cores = procfs::allowed_cores() as f64;
    let tool_share = tool_cpu / (window_secs * tool_cores);
    // Each room offers its senders × its members (the last room may be smaller than the rest).
    let offered_per_message: f64 = (0..config.rooms())
        .map(|room| {
            let members = (config.members - room * config.room_size).min(config.room_size);
            f64::from(members.min(config.senders_per_room) * members)
        })
        .sum();
    let unexpected_closes = shared
        .events
        .snapshot()
        .iter()
        .filter(|(kind, _)| {
            kind.starts_with("unexpected close") || kind.as_str() == "server exited"
        })
        .map(|(_, n)| n)
        .sum();
    let lost = totals.expected.saturating_sub(totals.delivered);
    let sustainable = config.knee_p99_ms.map(|limit| {
        lost == 0 && totals.gaps == 0 && unexpected_closes == 0 && totals.scheduled.p99 <= limit
    });
    PhaseReport {
        rate_per_sender: rate,
        offered_deliveries_per_sec: offered_per_message * rate,
        window_secs,
        totals,
        lost,
        deliveries_per_sec: totals.delivered_measured as f64 / window_secs,
        server_cpu_secs: server_cpu,
        server_cpu_us_per_delivery: if totals.delivered_measured == 0 {
            f64::NAN
        } else {
            server_cpu * 1e6 / totals.delivered_measured as f64
        },
        server_core_share: server_cpu / window_secs,
        tool_share_of_its_cores: tool_share,
        machine_busy_share: machine_busy,
        machine_softirq_share: machine_softirq,
        tool_saturated: tool_share > TOOL_SATURATED_SHARE,
        unexpected_closes,
        sustainable,
    }
}

/// What makes a run fail the no-loss check. Never a time: only things that must be zero.
fn problems(report: &RunReport) -> Vec<String> {
    let mut problems = Vec::new();
    let seating = &report.seating;
    if seating.seated < seating.attempted {
        problems.push(format!(
            "{} of {} members could not join: {:?}",
            seating.attempted - seating.seated,
            seating.attempted,
            seating.failures
        ));
    }
    for (i, phase) in report.phases.iter().enumerate() {
        // In a capacity sweep the last phase is expected to fail: that is where the knee is.
        if phase.sustainable == Some(false) {
            continue;
        }
        let t = &phase.totals;
        if phase.lost > 0 {
            problems.push(format!(
                "phase {i}: {} of {} deliveries lost",
                phase.lost, t.expected
            ));
        }
        if t.gaps > 0 || t.reordered > 0 {
            problems.push(format!(
                "phase {i}: {} missing and {} reordered in senders' streams",
                t.gaps, t.reordered
            ));
        }
        if t.acks < t.sent {
            problems.push(format!(
                "phase {i}: {} of {} messages not acknowledged",
                t.sent - t.acks,
                t.sent
            ));
        }
    }
    let knee_reached = report
        .phases
        .last()
        .is_some_and(|p| p.sustainable == Some(false));
    for (kind, count) in &report.events {
        // Past the knee, drops of members that cannot keep up are the server doing its job.
        if knee_reached && kind.starts_with("unexpected close") {
            continue;
        }
        problems.push(format!("{count} × {kind}"));
    }
    problems
}
