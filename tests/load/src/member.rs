//! One seated member during the load phases: one task that reads every frame it is sent and, if
//! it is a sender, sends on an open-loop schedule.
//!
//! Open loop: the controller publishes a phase (start, rate, end); a sender's k-th message is due
//! at `start + offset + k / rate` whatever happened to earlier ones, and is stamped with that due
//! time and with the moment it was actually handed to the socket. A server stall therefore shows
//! up as latency from the due time instead of silently slowing the sender down (no coordinated
//! omission). Senders are staggered across the period so a room's messages do not all fall due
//! on the same tick.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::admission::{Seated, Ws};
use crate::stamp::{MAX_PHASES, Stamp};
use crate::stats::{Delivery, Events, PhaseStats};

/// What the controller wants the members to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Plan {
    /// Read, don't send.
    Idle,
    /// Send in this phase.
    Send(PhasePlan),
    /// The run is over: close.
    Stop,
}

/// One load phase, with times in µs since the run's epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PhasePlan {
    /// Phase number, carried in every stamp.
    pub(crate) index: u32,
    /// First messages fall due from here (staggered over one period).
    pub(crate) start_us: u64,
    /// No message falls due at or after this.
    pub(crate) until_us: u64,
    /// Messages per second per sender.
    pub(crate) rate: f64,
    /// The first this-many members of each room send; the rest only read.
    pub(crate) senders_per_room: u32,
}

/// State every member shares with the controller.
#[derive(Debug)]
pub(crate) struct Shared {
    epoch: Instant,
    phases: Box<[OnceLock<PhaseStats>]>,
    /// Seated members per room: the recipients of each message sent there.
    room_members: Box<[AtomicU32]>,
    /// Rare events: refusals, errors, unexpected closes.
    pub(crate) events: Events,
    /// Set before the server is stopped, so the closes that follow are not counted.
    stopping: AtomicBool,
}

impl Shared {
    /// Shared state for `rooms` rooms, timed from now.
    pub(crate) fn new(rooms: u32) -> Shared {
        Shared {
            epoch: Instant::now(),
            phases: (0..MAX_PHASES).map(|_| OnceLock::new()).collect(),
            room_members: (0..rooms).map(|_| AtomicU32::new(0)).collect(),
            events: Events::default(),
            stopping: AtomicBool::new(false),
        }
    }

    /// µs since the epoch.
    pub(crate) fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    /// The tokio instant `us` µs after the epoch.
    pub(crate) fn instant(&self, us: u64) -> tokio::time::Instant {
        tokio::time::Instant::from_std(self.epoch + Duration::from_micros(us))
    }

    /// Records that one more member sits in `room`.
    pub(crate) fn seated_in(&self, room: u32) {
        self.room_members[room as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Creates the statistics of phase `index` (before it is published to the members).
    pub(crate) fn open_phase(&self, index: u32, measure_from_us: u64) -> &PhaseStats {
        self.phases[index as usize].get_or_init(|| PhaseStats::new(measure_from_us))
    }

    /// The statistics of phase `index`, once opened.
    pub(crate) fn phase(&self, index: u32) -> Option<&PhaseStats> {
        self.phases.get(index as usize).and_then(OnceLock::get)
    }

    /// From now on, closes are the tool's own doing.
    pub(crate) fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

/// Where a sender is in its schedule.
struct Schedule {
    phase: u32,
    period_us: f64,
    next_us: f64,
    until_us: u64,
}

/// Per-sender bookkeeping of one receiver: the next sequence number it expects.
struct Expected {
    sender: u32,
    next_seq: u32,
}

/// Runs one member until the controller says stop or the connection ends.
pub(crate) async fn run(seated: Seated, shared: Arc<Shared>, mut plans: watch::Receiver<Plan>) {
    let Seated {
        index,
        room,
        position,
        mut ws,
        welcome_bytes: _,
    } = seated;
    // A room has at most a few dozen senders: a short vector beats a map.
    let mut expected: Vec<Expected> = Vec::new();
    let mut seq = 0u32;
    let mut last_phase = 0u32;
    let mut schedule: Option<Schedule> = None;
    let far = tokio::time::Instant::now() + Duration::from_secs(86_400);
    let sleep = tokio::time::sleep_until(far);
    tokio::pin!(sleep);

    loop {
        tokio::select! {
            biased;
            changed = plans.changed() => {
                if changed.is_err() {
                    break;
                }
                let plan = *plans.borrow_and_update();
                match plan {
                    Plan::Stop => break,
                    Plan::Idle => schedule = None,
                    Plan::Send(phase) => {
                        schedule = schedule_for(&phase, index, position);
                        match &schedule {
                            Some(s) => {
                                last_phase = phase.index;
                                sleep.as_mut().reset(shared.instant(s.next_us as u64));
                            }
                            // A sender with nothing due in this phase is done at once.
                            None if position < phase.senders_per_room => {
                                if let Some(stats) = shared.phase(phase.index) {
                                    stats.sender_done();
                                }
                            }
                            None => {}
                        }
                    }
                }
            }
            frame = ws.next() => {
                let text = match frame {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(frame))) => {
                        if !shared.is_stopping() {
                            let code = frame.map_or(0, |f| u16::from(f.code));
                            shared.events.count(format!("unexpected close {code}"));
                        }
                        break;
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(err)) => {
                        if !shared.is_stopping() {
                            shared.events.count(format!("unexpected close: {err}"));
                        }
                        break;
                    }
                    None => {
                        if !shared.is_stopping() {
                            shared.events.count("unexpected close: end of stream");
                        }
                        break;
                    }
                };
                on_frame(&text, index, last_phase, &shared, &mut expected);
            }
            () = &mut sleep, if schedule.is_some() => {
                let Some(s) = schedule.as_mut() else { continue };
                if send(&mut ws, &shared, s, index, room, seq).await.is_err() {
                    if !shared.is_stopping() {
                        shared.events.count("unexpected close: send failed");
                    }
                    break;
                }
                seq += 1;
                s.next_us += s.period_us;
                if s.next_us as u64 >= s.until_us {
                    if let Some(stats) = shared.phase(s.phase) {
                        stats.sender_done();
                    }
                    schedule = None;
                } else {
                    sleep.as_mut().reset(shared.instant(s.next_us as u64));
                }
            }
        }
    }
}

/// The schedule of member `index` (at `position` in its room) in `phase`, if it sends.
fn schedule_for(phase: &PhasePlan, index: u32, position: u32) -> Option<Schedule> {
    if position >= phase.senders_per_room || phase.rate <= 0.0 {
        return None;
    }
    let period_us = 1_000_000.0 / phase.rate;
    // Golden-ratio stagger: any number of senders spread evenly over one period.
    let offset = (f64::from(index) * 0.618_033_988_749_895).fract() * period_us;
    let next_us = phase.start_us as f64 + offset;
    (next_us < phase.until_us as f64).then_some(Schedule {
        phase: phase.index,
        period_us,
        next_us,
        until_us: phase.until_us,
    })
}

/// Sends the message due now, stamped with its due and actual times.
async fn send(
    ws: &mut Ws,
    shared: &Shared,
    schedule: &Schedule,
    index: u32,
    room: u32,
    seq: u32,
) -> Result<(), tokio_tungstenite::tungstenite::Error> {
    let intended_us = schedule.next_us as u64;
    if let Some(stats) = shared.phase(schedule.phase) {
        let recipients = shared.room_members[room as usize].load(Ordering::Relaxed);
        stats.sent(
            index,
            u64::from(recipients),
            intended_us >= stats.measure_from_us,
        );
    }
    let stamp = Stamp {
        phase: schedule.phase,
        sender: index,
        seq,
        intended_us,
        sent_us: shared.now_us(),
    };
    // The text is letters, spaces and punctuation only: nothing to escape.
    let say = format!(
        r#"{{"type":"say","text":"{}","client_id":"c{seq}"}}"#,
        stamp.to_text()
    );
    ws.send(Message::text(say)).await
}

/// Handles one text frame from the server.
fn on_frame(text: &str, me: u32, last_phase: u32, shared: &Shared, expected: &mut Vec<Expected>) {
    // Hearth and the baseline both write `message` as type, id, from, text, ts: find the text
    // without parsing the whole frame, which keeps the tool's cost per delivery small.
    if let Some(rest) = text.strip_prefix(r#"{"type":"message""#) {
        let body = rest
            .split_once(r#""text":""#)
            .and_then(|(_, after)| after.split_once('"'))
            .map(|(body, _)| body);
        let Some(stamp) = body.and_then(Stamp::from_text) else {
            shared.events.count("message without a stamp");
            return;
        };
        let now_us = shared.now_us();
        let Some(stats) = shared.phase(stamp.phase) else {
            shared.events.count("message from an unknown phase");
            return;
        };
        stats.delivered(
            me,
            Delivery {
                scheduled_us: now_us.saturating_sub(stamp.intended_us),
                actual_us: now_us.saturating_sub(stamp.sent_us),
                measured: stamp.intended_us >= stats.measure_from_us,
            },
        );
        check_sequence(stats, me, &stamp, expected);
    } else if text.starts_with(r#"{"type":"ack""#) {
        if let Some(stats) = shared.phase(last_phase) {
            stats.acked(me);
        }
    } else if text.starts_with(r#"{"type":"rejected""#) || text.starts_with(r#"{"type":"error""#) {
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        shared.events.count(format!(
            "{} {}",
            value["type"].as_str().unwrap_or("?"),
            value["code"].as_str().unwrap_or("?")
        ));
    }
    // welcome, history and presence frames need nothing.
}

/// Counts gaps and reordering in one sender's stream as this receiver sees it.
fn check_sequence(stats: &PhaseStats, me: u32, stamp: &Stamp, expected: &mut Vec<Expected>) {
    let entry = match expected.iter_mut().find(|e| e.sender == stamp.sender) {
        Some(entry) => entry,
        None => {
            // Every member is seated before anyone sends, so each stream starts at 0.
            expected.push(Expected {
                sender: stamp.sender,
                next_seq: 0,
            });
            expected
                .last_mut()
                .unwrap_or_else(|| unreachable!("just pushed"))
        }
    };
    if stamp.seq == entry.next_seq {
        entry.next_seq += 1;
    } else if stamp.seq > entry.next_seq {
        stats.out_of_sequence(me, u64::from(stamp.seq - entry.next_seq), false);
        entry.next_seq = stamp.seq + 1;
    } else {
        stats.out_of_sequence(me, 0, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(rate: f64) -> PhasePlan {
        PhasePlan {
            index: 0,
            start_us: 1_000_000,
            until_us: 11_000_000,
            rate,
            senders_per_room: 2,
        }
    }

    #[test]
    fn only_the_first_senders_of_a_room_send() {
        assert!(schedule_for(&phase(1.0), 0, 0).is_some());
        assert!(schedule_for(&phase(1.0), 1, 1).is_some());
        assert!(schedule_for(&phase(1.0), 2, 2).is_none());
        assert!(schedule_for(&phase(0.0), 0, 0).is_none());
    }

    #[test]
    fn senders_are_staggered_within_one_period() {
        let starts: Vec<f64> = (0..100)
            .map(|i| schedule_for(&phase(10.0), i, 0).unwrap().next_us)
            .collect();
        assert!(
            starts
                .iter()
                .all(|&s| (1_000_000.0..1_100_000.0).contains(&s))
        );
        let early = starts.iter().filter(|&&s| s < 1_050_000.0).count();
        assert!(
            (40..=60).contains(&early),
            "{early} of 100 in the first half"
        );
    }

    #[test]
    fn gaps_and_reordering_are_counted_per_sender() {
        let stats = PhaseStats::new(0);
        let mut expected = Vec::new();
        let stamp = |sender, seq| Stamp {
            phase: 0,
            sender,
            seq,
            intended_us: 0,
            sent_us: 0,
        };
        for (sender, seq) in [(1, 0), (2, 0), (1, 1), (1, 3), (1, 2), (2, 1)] {
            check_sequence(&stats, 0, &stamp(sender, seq), &mut expected);
        }
        let totals = stats.totals();
        assert_eq!((totals.gaps, totals.reordered), (1, 1));
    }
}
