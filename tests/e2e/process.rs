//! The real `hearth` binary as a child process, configured the way the container configures it:
//! through environment variables only, with nothing inherited from the test's environment.
//! Its stdout and stderr are captured whole, for the log tests.

use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::helpers::WAIT;

/// The binary cargo built for this test run.
pub(crate) const HEARTH: &str = env!("CARGO_BIN_EXE_hearth");

/// A running `hearth serve`.
pub(crate) struct Spawned {
    child: Child,
    /// `http://127.0.0.1:PORT` of the public listener.
    pub(crate) url: String,
    /// `http://127.0.0.1:PORT/metrics`, unless metrics are off.
    pub(crate) metrics_url: Option<String>,
    lines: mpsc::UnboundedReceiver<String>,
    stdout: JoinHandle<String>,
    stderr: JoinHandle<String>,
}

/// What a stopped server left behind.
pub(crate) struct Stopped {
    pub(crate) status: ExitStatus,
    /// From SIGTERM to the process's exit.
    pub(crate) took: Duration,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Spawned {
    /// Starts `hearth serve` in `cwd` with exactly `env` as its environment, and waits until it
    /// printed its address (and its metrics address, when metrics are on).
    pub(crate) async fn start(cwd: &Path, env: &[(&str, &str)]) -> Spawned {
        let mut child = Command::new(HEARTH)
            .arg("serve")
            .env_clear()
            .envs(env.iter().copied())
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("hearth starts");
        let (tx, mut lines) = mpsc::unbounded_channel();
        let stdout = child.stdout.take().expect("stdout");
        let stdout = tokio::spawn(async move {
            let mut all = String::new();
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                all.push_str(&line);
                all.push('\n');
                let _ = tx.send(line);
            }
            all
        });
        let mut stderr_pipe = child.stderr.take().expect("stderr");
        let stderr = tokio::spawn(async move {
            let mut bytes = Vec::new();
            let _ = stderr_pipe.read_to_end(&mut bytes).await;
            String::from_utf8_lossy(&bytes).into_owned()
        });

        let metrics_on = env
            .iter()
            .any(|(name, value)| *name == "HEARTH_METRICS_BIND" && *value != "off");
        let listening = next_line(&mut lines).await;
        let url = listening
            .strip_prefix("Hearth is listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {listening}"))
            .to_owned();
        let metrics_url = if metrics_on {
            let line = next_line(&mut lines).await;
            let url = line
                .strip_prefix("Metrics are served on ")
                .unwrap_or_else(|| panic!("unexpected second line: {line}"));
            Some(url.to_owned())
        } else {
            None
        };
        Spawned {
            child,
            url,
            metrics_url,
            lines,
            stdout,
            stderr,
        }
    }

    /// The next line the server prints on stdout.
    pub(crate) async fn next_line(&mut self) -> String {
        next_line(&mut self.lines).await
    }

    /// `host:port` of the public listener.
    pub(crate) fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// Sends SIGTERM (what `docker stop` sends) and waits for the process to exit.
    pub(crate) async fn terminate(mut self) -> Stopped {
        let pid = self.child.id().expect("still running");
        let started = Instant::now();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM delivered");
        let status = tokio::time::timeout(WAIT, self.child.wait())
            .await
            .expect("the server exits in time")
            .expect("wait");
        let took = started.elapsed();
        let stdout = self.stdout.await.expect("stdout reader");
        let stderr = self.stderr.await.expect("stderr reader");
        Stopped {
            status,
            took,
            stdout,
            stderr,
        }
    }
}

async fn next_line(lines: &mut mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(WAIT, lines.recv())
        .await
        .expect("the server prints in time")
        .expect("the server is still running")
}

/// Runs `hearth ARGS` to completion with exactly `env`, returning (success, stdout, stderr).
pub(crate) async fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let output = tokio::time::timeout(
        WAIT,
        Command::new(HEARTH)
            .args(args)
            .env_clear()
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output(),
    )
    .await
    .expect("hearth finishes in time")
    .expect("hearth runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// GETs `url`, returning the status and body.
pub(crate) async fn get(url: &str) -> (u16, String) {
    let response = tokio::time::timeout(WAIT, reqwest::get(url))
        .await
        .expect("an answer in time")
        .expect("an HTTP answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// The value of the sample `series` (e.g. `hearth_connections` or
/// `hearth_messages_rejected_total{reason="muted"}`) in a metrics exposition.
pub(crate) fn sample(exposition: &str, series: &str) -> f64 {
    exposition
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{series} is missing from\n{exposition}"))
        .parse()
        .expect("a number")
}
