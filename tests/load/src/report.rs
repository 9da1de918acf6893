//! Human tables and the comparison of interleaved runs: medians per server, the ratio
//! Hearth/baseline, and each of issue 8's targets against what was measured.

use std::fmt::Write as _;

use serde::Serialize;

use crate::run::RunReport;
use crate::server::ServerKind;
use crate::stats::median;

/// A human table of one run.
pub(crate) fn run_table(report: &RunReport) -> String {
    let mut out = String::new();
    let s = &report.seating;
    let _ = writeln!(
        out,
        "{} · {} · {} members in {} rooms of {} · placement {:?} · load average {}",
        report.scenario,
        report.server.name(),
        report.members,
        report.rooms,
        report.room_size,
        report.placement,
        report.load_average
    );
    if let Some((burst, per_minute)) = report.hearth_rate_limit {
        let _ = writeln!(
            out,
            "  Hearth chat limit raised for this load: burst {burst}, {per_minute} per minute"
        );
    }
    let _ = writeln!(
        out,
        "  seating: {}/{} in {:.2} s (join p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms), server CPU {:.2} s, listen overflows {}, welcome {} B",
        s.seated,
        s.attempted,
        s.all_in_secs,
        s.join_ms_p50,
        s.join_ms_p99,
        s.join_ms_max,
        s.server_cpu_secs,
        s.listen_overflows,
        s.welcome_bytes_max
    );
    let m = &report.memory;
    let _ = writeln!(
        out,
        "  memory: RSS {:.1} MiB before, {:.1} MiB idle → {:.2} KiB per member; peak {:.1} MiB",
        m.rss_before_kib as f64 / 1024.0,
        m.rss_idle_kib as f64 / 1024.0,
        m.idle_kib_per_member,
        m.peak_kib as f64 / 1024.0
    );
    if !report.phases.is_empty() {
        let _ = writeln!(
            out,
            "  {:>7} {:>9} {:>9} {:>6} {:>35} {:>14} {:>7} {:>6} {:>6} {:>6}",
            "rate/s",
            "offered/s",
            "deliv/s",
            "lost",
            "actual p50/p90/p99/p99.9/max ms",
            "sched p99/max",
            "µs/del",
            "srv%",
            "tool%",
            "mach%"
        );
    }
    for phase in &report.phases {
        let a = &phase.totals.actual;
        let c = &phase.totals.scheduled;
        let _ = writeln!(
            out,
            "  {:>7.2} {:>9.0} {:>9.0} {:>6} {:>35} {:>14} {:>7.2} {:>6.1} {:>6.1} {:>6.1}{}{}",
            phase.rate_per_sender,
            phase.offered_deliveries_per_sec,
            phase.deliveries_per_sec,
            phase.lost,
            format!(
                "{:.2}/{:.2}/{:.2}/{:.2}/{:.2}",
                a.p50, a.p90, a.p99, a.p999, a.max
            ),
            format!("{:.2}/{:.2}", c.p99, c.max),
            phase.server_cpu_us_per_delivery,
            phase.server_core_share * 100.0,
            phase.tool_share_of_its_cores * 100.0,
            phase.machine_busy_share * 100.0,
            if phase.tool_saturated {
                " TOOL SATURATED"
            } else {
                ""
            },
            match phase.sustainable {
                Some(true) => " ok",
                Some(false) => " knee passed",
                None => "",
            }
        );
    }
    if let Some(capacity) = report.capacity() {
        let _ = writeln!(out, "  highest sustainable: {capacity:.0} deliveries/s");
    }
    if report.problems.is_empty() {
        let _ = writeln!(out, "  no loss, no gaps, no unexpected closes, no refusals");
    } else {
        for problem in &report.problems {
            let _ = writeln!(out, "  PROBLEM: {problem}");
        }
    }
    out
}

/// One compared metric.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    /// What.
    pub(crate) metric: &'static str,
    /// Median over Hearth's runs.
    pub(crate) hearth: f64,
    /// Median over the baseline's runs.
    pub(crate) baseline: f64,
    /// hearth / baseline.
    pub(crate) ratio: f64,
    /// Each of Hearth's runs, in order.
    pub(crate) hearth_runs: Vec<f64>,
    /// Each of the baseline's runs, in order.
    pub(crate) baseline_runs: Vec<f64>,
}

/// A target of issue 8 and whether the medians meet it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Target {
    /// The target in words.
    pub(crate) target: &'static str,
    /// What was measured, in words.
    pub(crate) measured: String,
    /// Met or not.
    pub(crate) met: bool,
}

/// Medians and ratios of interleaved runs, and the targets.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Comparison {
    /// The metrics.
    pub(crate) rows: Vec<Row>,
    /// The targets that apply to this scenario.
    pub(crate) targets: Vec<Target>,
}

type Metric = (&'static str, fn(&RunReport) -> Option<f64>);

/// The metrics compared, in table order. A metric that does not apply to a run is `None`.
const METRICS: &[Metric] = &[
    ("members seated", |r| Some(f64::from(r.seating.seated))),
    ("join: all in (s)", |r| Some(r.seating.all_in_secs)),
    ("join p99 (ms)", |r| Some(r.seating.join_ms_p99)),
    ("join failures", |r| {
        Some(f64::from(r.seating.attempted - r.seating.seated))
    }),
    ("server CPU to seat (s)", |r| {
        Some(r.seating.server_cpu_secs)
    }),
    ("idle KiB per member", |r| {
        Some(r.memory.idle_kib_per_member)
    }),
    ("peak RSS (MiB)", |r| {
        Some(r.memory.peak_kib as f64 / 1024.0)
    }),
    ("deliveries/s", |r| {
        headline(r).map(|p| p.deliveries_per_sec)
    }),
    ("lost", |r| headline(r).map(|p| p.lost as f64)),
    ("latency p50, actual (ms)", |r| {
        headline(r).map(|p| p.totals.actual.p50)
    }),
    ("latency p99, actual (ms)", |r| {
        headline(r).map(|p| p.totals.actual.p99)
    }),
    ("latency p99.9, actual (ms)", |r| {
        headline(r).map(|p| p.totals.actual.p999)
    }),
    ("latency max, actual (ms)", |r| {
        headline(r).map(|p| p.totals.actual.max)
    }),
    ("latency p99, scheduled (ms)", |r| {
        headline(r).map(|p| p.totals.scheduled.p99)
    }),
    ("latency max, scheduled (ms)", |r| {
        headline(r).map(|p| p.totals.scheduled.max)
    }),
    ("server CPU µs/delivery", |r| {
        headline(r).map(|p| p.server_cpu_us_per_delivery)
    }),
    ("server % of a core", |r| {
        headline(r).map(|p| p.server_core_share * 100.0)
    }),
    ("tool % of its cores", |r| {
        headline(r).map(|p| p.tool_share_of_its_cores * 100.0)
    }),
    ("machine busy %", |r| {
        headline(r).map(|p| p.machine_busy_share * 100.0)
    }),
    ("highest sustainable deliveries/s", |r| r.capacity()),
];

/// The phase a run is judged by: the single phase, or in a sweep the highest sustainable one.
fn headline(report: &RunReport) -> Option<&crate::run::PhaseReport> {
    if report.phases.iter().any(|p| p.sustainable.is_some()) {
        report
            .phases
            .iter()
            .rev()
            .find(|p| p.sustainable == Some(true))
    } else {
        report.phases.first()
    }
}

/// Medians per server and ratios.
pub(crate) fn compare(scenario: &str, runs: &[RunReport]) -> Comparison {
    let values = |kind: ServerKind, metric: fn(&RunReport) -> Option<f64>| -> Vec<f64> {
        runs.iter()
            .filter(|r| r.server == kind)
            .filter_map(metric)
            .collect()
    };
    let rows: Vec<Row> = METRICS
        .iter()
        .filter_map(|&(name, metric)| {
            let hearth_runs = values(ServerKind::Hearth, metric);
            let baseline_runs = values(ServerKind::Baseline, metric);
            if hearth_runs.is_empty() && baseline_runs.is_empty() {
                return None;
            }
            let hearth = median(&mut hearth_runs.clone());
            let baseline = median(&mut baseline_runs.clone());
            Some(Row {
                metric: name,
                hearth,
                baseline,
                ratio: hearth / baseline,
                hearth_runs,
                baseline_runs,
            })
        })
        .collect();
    let targets = targets(scenario, &rows);
    Comparison { rows, targets }
}

fn targets(scenario: &str, rows: &[Row]) -> Vec<Target> {
    let row = |name: &str| rows.iter().find(|r| r.metric == name);
    let hearth = |name: &str| row(name).map_or(f64::NAN, |r| r.hearth);
    let ratio = |name: &str| row(name).map_or(f64::NAN, |r| r.ratio);
    let mut out = Vec::new();
    let mut add = |target: &'static str, measured: String, met: bool| {
        out.push(Target {
            target,
            measured,
            met,
        });
    };
    let cpu_ratio = ratio("server CPU µs/delivery");
    match scenario {
        "idle" => {
            let kib = hearth("idle KiB per member");
            add(
                "idle memory ≤ 16 KiB per member",
                format!("{kib:.2} KiB"),
                kib <= 16.0,
            );
        }
        "realistic" => {
            let lost = hearth("lost");
            let p99 = hearth("latency p99, actual (ms)");
            let max = hearth("latency max, actual (ms)");
            add("zero loss", format!("{lost:.0} lost"), lost == 0.0);
            add(
                "p99 ≤ 2 ms",
                format!("{p99:.2} ms (actual send)"),
                p99 <= 2.0,
            );
            add(
                "max ≤ 20 ms",
                format!("{max:.2} ms (actual send)"),
                max <= 20.0,
            );
            add(
                "server CPU per delivery ≤ 1.5× baseline",
                format!("{cpu_ratio:.2}×"),
                cpu_ratio <= 1.5,
            );
        }
        "burst" => {
            let lost = hearth("lost");
            let p99 = hearth("latency p99, actual (ms)");
            add("zero loss", format!("{lost:.0} lost"), lost == 0.0);
            add(
                "p99 ≤ 5 ms",
                format!("{p99:.2} ms (actual send)"),
                p99 <= 5.0,
            );
            add(
                "server CPU per delivery ≤ 1.5× baseline",
                format!("{cpu_ratio:.2}×"),
                cpu_ratio <= 1.5,
            );
        }
        "capacity" => {
            let r = ratio("highest sustainable deliveries/s");
            add(
                "capacity ≥ 0.8× baseline",
                format!(
                    "{:.0} vs {:.0} deliveries/s: {r:.2}×",
                    hearth("highest sustainable deliveries/s"),
                    row("highest sustainable deliveries/s").map_or(f64::NAN, |r| r.baseline)
                ),
                r >= 0.8,
            );
        }
        "join-storm" => {
            let secs = hearth("join: all in (s)");
            let failed = hearth("join failures");
            add(
                "5,000 members in within 3 s",
                format!("{secs:.2} s"),
                secs <= 3.0,
            );
            add("none failed", format!("{failed:.0} failed"), failed == 0.0);
        }
        _ => {}
    }
    out
}

/// A human table of a comparison.
pub(crate) fn comparison_table(comparison: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<34} {:>12} {:>12} {:>8}   runs (hearth | baseline)",
        "metric (median)", "hearth", "baseline", "ratio"
    );
    for row in &comparison.rows {
        let runs = |v: &[f64]| v.iter().map(|x| short(*x)).collect::<Vec<_>>().join(" ");
        let _ = writeln!(
            out,
            "{:<34} {:>12} {:>12} {:>8}   {} | {}",
            row.metric,
            short(row.hearth),
            short(row.baseline),
            if row.ratio.is_finite() {
                format!("{:.2}×", row.ratio)
            } else {
                "–".to_owned()
            },
            runs(&row.hearth_runs),
            runs(&row.baseline_runs)
        );
    }
    if !comparison.targets.is_empty() {
        let _ = writeln!(out, "\ntargets (Hearth medians):");
        for t in &comparison.targets {
            let _ = writeln!(
                out,
                "  [{}] {}: {}",
                if t.met { "met" } else { "MISSED" },
                t.target,
                t.measured
            );
        }
    }
    out
}

/// A number in few characters: integers for large values, more decimals for small ones.
fn short(x: f64) -> String {
    if !x.is_finite() {
        "–".to_owned()
    } else if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_keep_what_matters() {
        assert_eq!(short(123_456.7), "123457");
        assert_eq!(short(12.345), "12.3");
        assert_eq!(short(0.456), "0.46");
        assert_eq!(short(f64::NAN), "–");
    }
}
