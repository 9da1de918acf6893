//! The server under test, started by the tool as a child process so the tool can read its CPU
//! time and memory from `/proc/<pid>`.
//!
//! Hearth runs as its release binary (`hearth serve --bind 127.0.0.1:0 --data-dir <fresh dir>`);
//! before it starts, the tool opens that data directory with the `hearth` library and seeds one
//! group and one invite per room, exactly as an operator's groups and invites are stored. The
//! baseline runs as `hearth-load baseline-server`. Both print `… listening on http://ADDR` on
//! stdout, which is how the tool learns the port.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::ValueEnum;
use hearth::clock::{Clock as _, SystemClock};
use hearth::invites::Invites;
use hearth::secret::ServerSecret;
use hearth::store::{GroupSettings, NewGroup, Store};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

use crate::procfs::{self, Pid};

/// How long a server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Which server a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ServerKind {
    /// Hearth itself (release binary).
    Hearth,
    /// The bare broadcast baseline (`hearth-load baseline-server`).
    Baseline,
}

impl ServerKind {
    /// Lower-case name, as on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ServerKind::Hearth => "hearth",
            ServerKind::Baseline => "baseline",
        }
    }
}

/// How to start the server.
#[derive(Debug, Clone)]
pub(crate) struct ServerOptions {
    /// Which server.
    pub(crate) kind: ServerKind,
    /// The `hearth` binary.
    pub(crate) hearth_bin: PathBuf,
    /// CPUs to pin the server to (a `taskset -c` list), if any.
    pub(crate) cpus: Option<String>,
    /// Hearth's per-member chat rate limit as (burst, per minute), when the load needs it raised.
    pub(crate) rate_limit: Option<(u32, u32)>,
    /// Members per room (Hearth groups are created with this capacity).
    pub(crate) room_size: u32,
}

/// A running server.
#[derive(Debug)]
pub(crate) struct ServerUnderTest {
    child: Child,
    /// Its process id, for `/proc`.
    pub(crate) pid: u32,
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    /// The key each room's members join with: an invite code (Hearth) or a room name (baseline).
    pub(crate) room_keys: Vec<String>,
    data_dir: Option<PathBuf>,
}

impl ServerUnderTest {
    /// Seeds `rooms` rooms (Hearth) and starts the server.
    ///
    /// # Errors
    /// If seeding fails, the binary cannot start, or it does not print its address in time.
    pub(crate) async fn start(options: &ServerOptions, rooms: u32) -> anyhow::Result<Self> {
        let (program, mut args, data_dir, room_keys) = match options.kind {
            ServerKind::Hearth => {
                let dir = std::env::temp_dir()
                    .join(format!("hearth-load-{}", hearth::secret::random_token()));
                let invites = seed(&dir, rooms, options.room_size)
                    .await
                    .with_context(|| format!("seeding {}", dir.display()))?;
                let mut args = vec![
                    "serve".to_owned(),
                    "--bind".to_owned(),
                    "127.0.0.1:0".to_owned(),
                    "--data-dir".to_owned(),
                    dir.display().to_string(),
                ];
                if let Some((burst, per_minute)) = options.rate_limit {
                    args.extend([
                        "--rate-burst".to_owned(),
                        burst.to_string(),
                        "--rate-per-minute".to_owned(),
                        per_minute.to_string(),
                    ]);
                }
                (options.hearth_bin.clone(), args, Some(dir), invites)
            }
            ServerKind::Baseline => {
                let me = std::env::current_exe().context("finding hearth-load itself")?;
                let args = vec![
                    "baseline-server".to_owned(),
                    "--bind".to_owned(),
                    "127.0.0.1:0".to_owned(),
                ];
                let keys = (0..rooms).map(|r| format!("room-{r}")).collect();
                (me, args, None, keys)
            }
        };
        let mut command = match &options.cpus {
            // taskset execs the server, so the child's pid is the server's.
            Some(cpus) => {
                let mut command = Command::new("taskset");
                command.arg("-c").arg(cpus).arg(&program);
                command
            }
            None => Command::new(&program),
        };
        command
            .args(args.drain(..))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", program.display()))?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let addr = tokio::time::timeout(START_TIMEOUT, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(addr) = listening_address(&line) {
                    return Ok(addr);
                }
            }
            bail!("the server exited before printing its address")
        })
        .await
        .context("the server did not print its address in time")??;
        // Keep reading so the server never blocks on a full stdout pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(ServerUnderTest {
            child,
            pid,
            addr,
            room_keys,
            data_dir,
        })
    }

    /// CPU seconds the server has used so far.
    pub(crate) fn cpu_seconds(&self) -> f64 {
        procfs::cpu_seconds(Pid::Other(self.pid)).unwrap_or(f64::NAN)
    }

    /// The server's memory now.
    pub(crate) fn memory(&self) -> procfs::Memory {
        procfs::memory(Pid::Other(self.pid)).unwrap_or_default()
    }

    /// True while the process runs.
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kills the server and removes its data directory.
    pub(crate) async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
        if let Some(dir) = self.data_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Creates `rooms` groups of capacity `room_size` and one invite each in a new data directory,
/// through the same library calls the server uses. Returns the invite codes.
///
/// The groups run by themselves (open, admitting, no facilitator needed: the demo group's
/// settings), so members are seated straight from their invites. A facilitated group would leave
/// them in the waiting room until a facilitator opens the session and admits them; seating does
/// not log facilitators in yet (see `admission`).
async fn seed(dir: &Path, rooms: u32, room_size: u32) -> anyhow::Result<Vec<String>> {
    let store = Store::open(dir).await?;
    let secret = ServerSecret::load_or_create(dir)?;
    let invites = Invites::new(store.clone(), secret);
    let capacity = u8::try_from(room_size).context("room size must fit a group (2–15)")?;
    let now = SystemClock.now();
    let mut codes = Vec::with_capacity(rooms as usize);
    for room in 0..rooms {
        let group = store
            .create_group(
                &NewGroup {
                    name: format!("Load group {}", room + 1),
                    description: "Seeded by hearth-load.".to_owned(),
                    rules: "Be kind. What is shared here stays here.".to_owned(),
                    capacity,
                    is_demo: false,
                },
                now,
            )
            .await?;
        anyhow::ensure!(
            store.set_settings(group, &GroupSettings::demo()).await?,
            "the group just created is missing"
        );
        codes.push(invites.create(group, now, None, None).await?);
    }
    store.close().await;
    Ok(codes)
}

/// The address in a `… listening on http://ADDR` line.
fn listening_address(line: &str) -> Option<SocketAddr> {
    let (_, url) = line.split_once("listening on http://")?;
    url.trim().trim_end_matches('/').parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_servers_announce_their_address_the_same_way() {
        assert_eq!(
            listening_address("Hearth is listening on http://127.0.0.1:40123"),
            Some("127.0.0.1:40123".parse().unwrap())
        );
        assert_eq!(
            listening_address("Baseline is listening on http://127.0.0.1:9/"),
            Some("127.0.0.1:9".parse().unwrap())
        );
        assert_eq!(listening_address("Demo group ready."), None);
    }
}
