//! What the members record while a run is under way, and the summaries made from it afterwards.
//!
//! Every delivery lands in two HDR histograms (latency from the scheduled send time, and from the
//! actual send) and in counters of one phase. Members write into one of a few mutex-guarded
//! shards (by member index), so two tool threads rarely meet on a lock and a run's memory does
//! not grow with its length. Rare events (refusals, errors, closes) go into one map by kind.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use hdrhistogram::Histogram;
use serde::Serialize;

/// Shards per phase: enough that two or three tool threads seldom contend.
const SHARDS: usize = 8;

/// Highest latency the histograms hold exactly, in µs (a minute); higher values count as this.
const MAX_LATENCY_US: u64 = 60_000_000;

/// Counters and histograms of one shard of one phase.
#[derive(Debug)]
struct Shard {
    scheduled: Histogram<u64>,
    actual: Histogram<u64>,
    sent: u64,
    sent_measured: u64,
    expected: u64,
    expected_measured: u64,
    delivered: u64,
    delivered_measured: u64,
    acks: u64,
    gaps: u64,
    reordered: u64,
}

impl Shard {
    fn new() -> Shard {
        let histogram = || {
            Histogram::new_with_bounds(1, MAX_LATENCY_US, 3)
                .unwrap_or_else(|_| unreachable!("constant, valid bounds"))
        };
        Shard {
            scheduled: histogram(),
            actual: histogram(),
            sent: 0,
            sent_measured: 0,
            expected: 0,
            expected_measured: 0,
            delivered: 0,
            delivered_measured: 0,
            acks: 0,
            gaps: 0,
            reordered: 0,
        }
    }
}

/// What the members recorded about one load phase.
#[derive(Debug)]
pub(crate) struct PhaseStats {
    /// Messages scheduled at or after this (µs since the run's epoch) are measured; earlier
    /// ones are warm-up, checked for loss but not timed.
    pub(crate) measure_from_us: u64,
    shards: Box<[Mutex<Shard>]>,
    /// Senders that have sent every message this phase scheduled for them.
    senders_done: AtomicU32,
}

/// One delivery as a receiver saw it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Delivery {
    /// µs from the scheduled send time to receipt.
    pub(crate) scheduled_us: u64,
    /// µs from the actual send to receipt.
    pub(crate) actual_us: u64,
    /// Inside the measurement window (not warm-up).
    pub(crate) measured: bool,
}

impl PhaseStats {
    /// Empty statistics for a phase measured from `measure_from_us`.
    pub(crate) fn new(measure_from_us: u64) -> PhaseStats {
        PhaseStats {
            measure_from_us,
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::new())).collect(),
            senders_done: AtomicU32::new(0),
        }
    }

    /// A sender has sent its last message of this phase.
    pub(crate) fn sender_done(&self) {
        self.senders_done.fetch_add(1, Ordering::Release);
    }

    /// How many senders have sent their last message of this phase.
    pub(crate) fn senders_done(&self) -> u32 {
        self.senders_done.load(Ordering::Acquire)
    }

    fn shard(&self, member: u32) -> std::sync::MutexGuard<'_, Shard> {
        self.shards[member as usize % SHARDS]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A member sent one message that `recipients` members (itself included) should receive.
    pub(crate) fn sent(&self, member: u32, recipients: u64, measured: bool) {
        let mut shard = self.shard(member);
        shard.sent += 1;
        shard.expected += recipients;
        if measured {
            shard.sent_measured += 1;
            shard.expected_measured += recipients;
        }
    }

    /// A member received a message.
    pub(crate) fn delivered(&self, member: u32, delivery: Delivery) {
        let mut shard = self.shard(member);
        shard.delivered += 1;
        if delivery.measured {
            shard.delivered_measured += 1;
            shard
                .scheduled
                .saturating_record(delivery.scheduled_us.max(1));
            shard.actual.saturating_record(delivery.actual_us.max(1));
        }
    }

    /// A member received the `ack` for its own message.
    pub(crate) fn acked(&self, member: u32) {
        self.shard(member).acks += 1;
    }

    /// A member found messages missing (`gap` of them) or out of order in one sender's stream.
    pub(crate) fn out_of_sequence(&self, member: u32, gap: u64, reordered: bool) {
        let mut shard = self.shard(member);
        shard.gaps += gap;
        shard.reordered += u64::from(reordered);
    }

    /// Everything recorded so far, merged.
    pub(crate) fn totals(&self) -> PhaseTotals {
        let mut merged = Shard::new();
        for shard in self.shards.iter() {
            let shard = shard
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // Same bounds everywhere, so adding never fails.
            let _ = merged.scheduled.add(&shard.scheduled);
            let _ = merged.actual.add(&shard.actual);
            merged.sent += shard.sent;
            merged.sent_measured += shard.sent_measured;
            merged.expected += shard.expected;
            merged.expected_measured += shard.expected_measured;
            merged.delivered += shard.delivered;
            merged.delivered_measured += shard.delivered_measured;
            merged.acks += shard.acks;
            merged.gaps += shard.gaps;
            merged.reordered += shard.reordered;
        }
        PhaseTotals {
            sent: merged.sent,
            sent_measured: merged.sent_measured,
            expected: merged.expected,
            expected_measured: merged.expected_measured,
            delivered: merged.delivered,
            delivered_measured: merged.delivered_measured,
            acks: merged.acks,
            gaps: merged.gaps,
            reordered: merged.reordered,
            scheduled: Latency::of(&merged.scheduled),
            actual: Latency::of(&merged.actual),
        }
    }
}

/// The merged counters of a phase.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct PhaseTotals {
    /// Messages sent (warm-up included).
    pub(crate) sent: u64,
    /// Messages sent in the measurement window.
    pub(crate) sent_measured: u64,
    /// Deliveries expected: each message times the members of its room.
    pub(crate) expected: u64,
    /// Deliveries expected of measured messages.
    pub(crate) expected_measured: u64,
    /// Deliveries received.
    pub(crate) delivered: u64,
    /// Deliveries of measured messages received.
    pub(crate) delivered_measured: u64,
    /// `ack`s received by senders.
    pub(crate) acks: u64,
    /// Messages missing from a sender's stream as some receiver saw it.
    pub(crate) gaps: u64,
    /// Messages that arrived after a later one from the same sender.
    pub(crate) reordered: u64,
    /// Latency from the scheduled send time (no coordinated omission).
    pub(crate) scheduled: Latency,
    /// Latency from the actual send.
    pub(crate) actual: Latency,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub(crate) struct Latency {
    /// Median.
    pub(crate) p50: f64,
    /// 90th percentile.
    pub(crate) p90: f64,
    /// 99th percentile.
    pub(crate) p99: f64,
    /// 99.9th percentile.
    pub(crate) p999: f64,
    /// Highest.
    pub(crate) max: f64,
}

impl Latency {
    fn of(histogram: &Histogram<u64>) -> Latency {
        if histogram.is_empty() {
            return Latency::default();
        }
        let ms = |us: u64| us as f64 / 1000.0;
        Latency {
            p50: ms(histogram.value_at_quantile(0.50)),
            p90: ms(histogram.value_at_quantile(0.90)),
            p99: ms(histogram.value_at_quantile(0.99)),
            p999: ms(histogram.value_at_quantile(0.999)),
            max: ms(histogram.max()),
        }
    }
}

/// Rare events of a whole run, counted by kind (e.g. `rejected: rate_limited`, `close 4000`).
#[derive(Debug, Default)]
pub(crate) struct Events(Mutex<BTreeMap<String, u64>>);

impl Events {
    /// Counts one event of `kind`.
    pub(crate) fn count(&self, kind: impl Into<String>) {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *map.entry(kind.into()).or_default() += 1;
    }

    /// The counts so far.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// The median of `values` (the mean of the middle two for an even count); NaN when empty.
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_merge_across_shards_and_warm_up_is_not_timed() {
        let stats = PhaseStats::new(0);
        for member in 0..20 {
            stats.sent(member, 4, member % 2 == 0);
            stats.delivered(
                member,
                Delivery {
                    scheduled_us: 2_000,
                    actual_us: 500,
                    measured: true,
                },
            );
        }
        stats.delivered(
            3,
            Delivery {
                scheduled_us: 9_000_000,
                actual_us: 9_000_000,
                measured: false,
            },
        );
        let totals = stats.totals();
        assert_eq!((totals.sent, totals.sent_measured), (20, 10));
        assert_eq!((totals.expected, totals.expected_measured), (80, 40));
        assert_eq!((totals.delivered, totals.delivered_measured), (21, 20));
        assert!((totals.scheduled.max - 2.0).abs() < 0.01, "{totals:?}");
        assert!((totals.actual.p50 - 0.5).abs() < 0.01, "{totals:?}");
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }
}
