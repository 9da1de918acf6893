//! Readings from Linux's `/proc`: CPU time and memory of a process, whole-machine CPU (including
//! the softirq time that loopback TCP costs and no process is charged for), the load average and
//! the kernel's listen-queue overflow counters.
//!
//! Plain file parsing, no unsafe: the clock-tick rate comes from `getconf CLK_TCK` once.

use std::io;
use std::sync::OnceLock;

/// Whose counters to read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pid {
    /// This process (the load tool).
    Me,
    /// Another process (the server under test).
    Other(u32),
}

impl Pid {
    fn dir(self) -> String {
        match self {
            Pid::Me => "/proc/self".to_owned(),
            Pid::Other(pid) => format!("/proc/{pid}"),
        }
    }
}

/// User + system CPU seconds used so far by every thread of `pid`.
///
/// # Errors
/// If the process is gone or `/proc` is not Linux's.
pub(crate) fn cpu_seconds(pid: Pid) -> io::Result<f64> {
    let stat = std::fs::read_to_string(format!("{}/stat", pid.dir()))?;
    // The command name (field 2) may contain spaces; everything after its closing ')' is
    // space-separated, starting at field 3 (state). utime and stime are fields 14 and 15.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| invalid("stat without a command name"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| -> io::Result<u64> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| invalid("stat field missing"))
    };
    let total = ticks(11)? + ticks(12)?;
    Ok(total as f64 / clock_ticks())
}

/// Resident memory now and at its highest, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Memory {
    /// `VmRSS`.
    pub(crate) rss_kib: u64,
    /// `VmHWM`, the peak resident set since the process started.
    pub(crate) peak_kib: u64,
}

/// The memory of `pid`.
///
/// # Errors
/// If the process is gone.
pub(crate) fn memory(pid: Pid) -> io::Result<Memory> {
    let status = std::fs::read_to_string(format!("{}/status", pid.dir()))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    };
    Ok(Memory {
        rss_kib: field("VmRSS:"),
        peak_kib: field("VmHWM:"),
    })
}

/// Whole-machine CPU tick counters from the first line of `/proc/stat`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MachineCpu {
    total: u64,
    idle: u64,
    softirq: u64,
}

impl MachineCpu {
    /// Reads the counters now; zeros if `/proc/stat` cannot be read.
    pub(crate) fn now() -> MachineCpu {
        let Ok(stat) = std::fs::read_to_string("/proc/stat") else {
            return MachineCpu::default();
        };
        let Some(line) = stat.lines().next() else {
            return MachineCpu::default();
        };
        let values: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|v| v.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal guest guest_nice; guests are already
        // counted in user and nice.
        let get = |i: usize| values.get(i).copied().unwrap_or(0);
        MachineCpu {
            total: (0..8).map(get).sum(),
            idle: get(3) + get(4),
            softirq: get(6),
        }
    }

    /// Busy and softirq shares of all cores between `self` and `later`, each 0–1.
    pub(crate) fn shares_until(self, later: MachineCpu) -> (f64, f64) {
        let total = later.total.saturating_sub(self.total);
        if total == 0 {
            return (0.0, 0.0);
        }
        let idle = later.idle.saturating_sub(self.idle);
        let softirq = later.softirq.saturating_sub(self.softirq);
        (
            1.0 - idle as f64 / total as f64,
            softirq as f64 / total as f64,
        )
    }
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` prints them.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// The kernel's `TcpExt` counters of connections refused because a listen queue was full
/// (`ListenOverflows`, `ListenDrops`). Each costs the client a SYN retransmit: a second or more.
pub(crate) fn listen_overflows() -> u64 {
    let Ok(netstat) = std::fs::read_to_string("/proc/net/netstat") else {
        return 0;
    };
    let mut lines = netstat.lines();
    while let Some(names) = lines.next() {
        let Some(values) = lines.next() else { break };
        if !names.starts_with("TcpExt:") {
            continue;
        }
        return names
            .split_whitespace()
            .zip(values.split_whitespace())
            .filter(|(name, _)| matches!(*name, "ListenOverflows" | "ListenDrops"))
            .filter_map(|(_, value)| value.parse::<u64>().ok())
            .sum();
    }
    0
}

/// Cores this process may run on: its CPU affinity (what `taskset` set), as std reads it.
pub(crate) fn allowed_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn clock_ticks() -> f64 {
    static TICKS: OnceLock<f64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_cpu_time_and_memory() {
        let spin: u64 = (0..2_000_000u64).fold(0, |a, b| a.wrapping_add(b * b));
        assert!(spin > 0);
        assert!(cpu_seconds(Pid::Me).unwrap() >= 0.0);
        let memory = memory(Pid::Me).unwrap();
        assert!(memory.rss_kib > 0 && memory.peak_kib >= memory.rss_kib);
    }

    #[test]
    fn machine_shares_are_fractions() {
        let before = MachineCpu::now();
        let spin: u64 = (0..5_000_000u64).fold(0, |a, b| a.wrapping_add(b ^ 7));
        assert!(spin > 0);
        let (busy, softirq) = before.shares_until(MachineCpu::now());
        assert!((0.0..=1.0).contains(&busy) && (0.0..=1.0).contains(&softirq));
        assert!(!load_average().is_empty());
    }
}
