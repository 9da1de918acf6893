//! Phase arithmetic for one session: when the waiting room opens, when the closing notice goes
//! out, when the room ends, and which of those the clock has reached.
//!
//! This is what the *clock* says. The room core combines it with what facilitators do (open
//! early, end early, pause) to decide the room's actual phase. Pure: instants in, instants out.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{ScheduleError, Session};

/// Largest [`PhaseConfig::waiting_opens_before`], in minutes.
pub const MAX_WAITING_OPENS_BEFORE: u16 = 60;
/// Largest [`PhaseConfig::closing_notice_before_end`], in minutes (the shortest session is 45).
pub const MAX_CLOSING_NOTICE: u16 = 30;
/// Largest [`PhaseConfig::grace_after_end`], in minutes.
pub const MAX_GRACE_AFTER_END: u16 = 60;

/// Per-group timing of a session's phases, in whole minutes.
///
/// JSON: `{"waiting_opens_before_minutes":10,"closing_notice_before_end_minutes":5,
/// "grace_after_end_minutes":10}`; missing fields take the defaults shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PhaseConfigSpec", into = "PhaseConfigSpec")]
pub struct PhaseConfig {
    waiting_opens_before: u16,
    closing_notice_before_end: u16,
    grace_after_end: u16,
}

impl Default for PhaseConfig {
    /// Waiting room 10 minutes before, closing notice 5 minutes before the end, 10 minutes of
    /// grace to say goodbye.
    fn default() -> PhaseConfig {
        PhaseConfig {
            waiting_opens_before: 10,
            closing_notice_before_end: 5,
            grace_after_end: 10,
        }
    }
}

impl PhaseConfig {
    /// A configuration, in minutes.
    ///
    /// # Errors
    /// [`ScheduleError::PhaseSetting`] when a value is above its maximum
    /// ([`MAX_WAITING_OPENS_BEFORE`], [`MAX_CLOSING_NOTICE`], [`MAX_GRACE_AFTER_END`]).
    pub fn new(
        waiting_opens_before: u16,
        closing_notice_before_end: u16,
        grace_after_end: u16,
    ) -> Result<PhaseConfig, ScheduleError> {
        let check = |setting, max, minutes: u16| {
            if minutes > max {
                Err(ScheduleError::PhaseSetting {
                    setting,
                    max,
                    minutes: u32::from(minutes),
                })
            } else {
                Ok(minutes)
            }
        };
        Ok(PhaseConfig {
            waiting_opens_before: check(
                "Opening the waiting room before the start",
                MAX_WAITING_OPENS_BEFORE,
                waiting_opens_before,
            )?,
            closing_notice_before_end: check(
                "The closing notice before the end",
                MAX_CLOSING_NOTICE,
                closing_notice_before_end,
            )?,
            grace_after_end: check(
                "The grace period after the end",
                MAX_GRACE_AFTER_END,
                grace_after_end,
            )?,
        })
    }

    /// Minutes before the start at which the waiting room opens.
    pub fn waiting_opens_before(&self) -> u16 {
        self.waiting_opens_before
    }

    /// Minutes before the end at which members are told the session is closing.
    pub fn closing_notice_before_end(&self) -> u16 {
        self.closing_notice_before_end
    }

    /// Minutes after the end before the room closes by itself.
    pub fn grace_after_end(&self) -> u16 {
        self.grace_after_end
    }
}

/// [`PhaseConfig`] on the wire; numbers wide enough that an out-of-range value reaches our own
/// error sentence instead of a serde one.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PhaseConfigSpec {
    waiting_opens_before_minutes: u32,
    closing_notice_before_end_minutes: u32,
    grace_after_end_minutes: u32,
}

impl Default for PhaseConfigSpec {
    fn default() -> PhaseConfigSpec {
        PhaseConfig::default().into()
    }
}

impl TryFrom<PhaseConfigSpec> for PhaseConfig {
    type Error = ScheduleError;

    fn try_from(spec: PhaseConfigSpec) -> Result<PhaseConfig, ScheduleError> {
        // Anything above u16 is far above every maximum; clamp so `new` reports it.
        let narrow = |m: u32| u16::try_from(m).unwrap_or(u16::MAX);
        PhaseConfig::new(
            narrow(spec.waiting_opens_before_minutes),
            narrow(spec.closing_notice_before_end_minutes),
            narrow(spec.grace_after_end_minutes),
        )
    }
}

impl From<PhaseConfig> for PhaseConfigSpec {
    fn from(config: PhaseConfig) -> PhaseConfigSpec {
        PhaseConfigSpec {
            waiting_opens_before_minutes: u32::from(config.waiting_opens_before),
            closing_notice_before_end_minutes: u32::from(config.closing_notice_before_end),
            grace_after_end_minutes: u32::from(config.grace_after_end),
        }
    }
}

/// The phase a session is in according to the clock alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchedulePhase {
    /// Before the waiting room opens.
    Scheduled,
    /// The waiting room is open: members gather, read the ground rules, see a countdown.
    Waiting,
    /// The session is on.
    Live,
    /// The closing notice has gone out; lasts until the end plus the grace period.
    Closing,
    /// Over.
    Ended,
}

/// A phase change: at `at`, the clock-phase becomes `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseChange {
    /// When.
    pub at: Timestamp,
    /// The phase from then on.
    pub to: SchedulePhase,
}

/// The instants at which one session's phases begin. Non-decreasing in the order of the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTimes {
    /// The waiting room opens ([`SchedulePhase::Waiting`]).
    pub waiting_opens: Timestamp,
    /// The session starts ([`SchedulePhase::Live`]).
    pub start: Timestamp,
    /// The closing notice ([`SchedulePhase::Closing`]); never before `start`.
    pub closing: Timestamp,
    /// The scheduled end; the room stays in [`SchedulePhase::Closing`] for the grace period.
    pub end: Timestamp,
    /// The room ends by itself ([`SchedulePhase::Ended`]).
    pub ended: Timestamp,
}

impl SessionTimes {
    /// The phase instants of `session` under `config`.
    pub fn new(session: &Session, config: &PhaseConfig) -> SessionTimes {
        let minutes = |m: u16| SignedDuration::from_mins(i64::from(m));
        // Saturating: only a session at the very edge of jiff's range (year ±9999) could reach
        // the limits.
        let before = |at: Timestamp, m: u16| at.checked_sub(minutes(m)).unwrap_or(Timestamp::MIN);
        let waiting_opens = before(session.start, config.waiting_opens_before);
        let closing = before(session.end, config.closing_notice_before_end).max(session.start);
        let ended = session
            .end
            .checked_add(minutes(config.grace_after_end))
            .unwrap_or(Timestamp::MAX);
        SessionTimes {
            waiting_opens,
            start: session.start,
            closing,
            end: session.end,
            ended,
        }
    }

    /// The phase the clock says at `now`. Each phase includes its first instant: at exactly
    /// `start` the session is [`SchedulePhase::Live`].
    pub fn phase_at(&self, now: Timestamp) -> SchedulePhase {
        if now < self.waiting_opens {
            SchedulePhase::Scheduled
        } else if now < self.start {
            SchedulePhase::Waiting
        } else if now < self.closing {
            SchedulePhase::Live
        } else if now < self.ended {
            SchedulePhase::Closing
        } else {
            SchedulePhase::Ended
        }
    }

    /// The next instant after `now` at which [`SessionTimes::phase_at`] changes, and the phase
    /// it changes to; `None` once the session has ended. A room task sets one timer for `at`.
    /// Phases of zero length (a waiting room that opens at the start) are skipped over.
    pub fn next_change(&self, now: Timestamp) -> Option<PhaseChange> {
        [self.waiting_opens, self.start, self.closing, self.ended]
            .into_iter()
            .filter(|at| *at > now)
            .min()
            .map(|at| PhaseChange {
                at,
                to: self.phase_at(at),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::SessionKind;
    use jiff::civil::{date, time};

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn session(start: &str, end: &str) -> Session {
        Session {
            start: ts(start),
            end: ts(end),
            local_date: date(2026, 3, 31),
            local_start: time(19, 0, 0, 0),
            kind: SessionKind::Weekly,
        }
    }

    #[test]
    fn default_config_gives_the_documented_instants() {
        let s = session("2026-03-31T17:00:00Z", "2026-03-31T18:30:00Z");
        let t = s.times(&PhaseConfig::default());
        assert_eq!(t.waiting_opens, ts("2026-03-31T16:50:00Z"));
        assert_eq!(t.start, ts("2026-03-31T17:00:00Z"));
        assert_eq!(t.closing, ts("2026-03-31T18:25:00Z"));
        assert_eq!(t.end, ts("2026-03-31T18:30:00Z"));
        assert_eq!(t.ended, ts("2026-03-31T18:40:00Z"));
    }

    #[test]
    fn phase_follows_the_clock_and_each_phase_includes_its_first_instant() {
        let t =
            session("2026-03-31T17:00:00Z", "2026-03-31T18:30:00Z").times(&PhaseConfig::default());
        let cases = [
            ("2026-03-31T10:00:00Z", SchedulePhase::Scheduled),
            ("2026-03-31T16:49:59.999Z", SchedulePhase::Scheduled),
            ("2026-03-31T16:50:00Z", SchedulePhase::Waiting),
            ("2026-03-31T16:59:59Z", SchedulePhase::Waiting),
            ("2026-03-31T17:00:00Z", SchedulePhase::Live),
            ("2026-03-31T18:24:59Z", SchedulePhase::Live),
            ("2026-03-31T18:25:00Z", SchedulePhase::Closing),
            ("2026-03-31T18:30:00Z", SchedulePhase::Closing),
            ("2026-03-31T18:39:59Z", SchedulePhase::Closing),
            ("2026-03-31T18:40:00Z", SchedulePhase::Ended),
            ("2027-01-01T00:00:00Z", SchedulePhase::Ended),
        ];
        for (now, want) in cases {
            assert_eq!(t.phase_at(ts(now)), want, "at {now}");
        }
    }

    #[test]
    fn next_change_walks_through_every_phase_and_then_stops() {
        let t =
            session("2026-03-31T17:00:00Z", "2026-03-31T18:30:00Z").times(&PhaseConfig::default());
        let mut now = ts("2026-03-31T12:00:00Z");
        let mut seen = vec![t.phase_at(now)];
        while let Some(change) = t.next_change(now) {
            assert!(change.at > now);
            assert_ne!(t.phase_at(now), change.to);
            now = change.at;
            seen.push(change.to);
        }
        assert_eq!(
            seen,
            [
                SchedulePhase::Scheduled,
                SchedulePhase::Waiting,
                SchedulePhase::Live,
                SchedulePhase::Closing,
                SchedulePhase::Ended
            ]
        );
        assert_eq!(now, t.ended);
    }

    #[test]
    fn zero_length_phases_are_skipped_by_next_change() {
        let config = PhaseConfig::new(0, 0, 0).unwrap();
        let t = session("2026-03-31T17:00:00Z", "2026-03-31T18:00:00Z").times(&config);
        let change = t.next_change(ts("2026-03-31T16:00:00Z")).unwrap();
        assert_eq!(change.at, ts("2026-03-31T17:00:00Z"));
        assert_eq!(change.to, SchedulePhase::Live);
        let change = t.next_change(change.at).unwrap();
        assert_eq!(change.to, SchedulePhase::Ended);
        assert_eq!(change.at, ts("2026-03-31T18:00:00Z"));
    }

    #[test]
    fn phase_settings_above_their_maximum_are_refused_with_a_sentence() {
        let err = PhaseConfig::new(90, 5, 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Opening the waiting room before the start can be at most 60 minutes; 90 minutes is \
             too long."
        );
        assert!(PhaseConfig::new(10, 31, 10).is_err());
        assert!(PhaseConfig::new(10, 5, 61).is_err());
        assert!(PhaseConfig::new(60, 30, 60).is_ok());
    }

    #[test]
    fn phase_config_json_round_trips_and_fills_defaults() {
        let json = serde_json::to_string(&PhaseConfig::default()).unwrap();
        assert_eq!(
            json,
            r#"{"waiting_opens_before_minutes":10,"closing_notice_before_end_minutes":5,"grace_after_end_minutes":10}"#
        );
        let back: PhaseConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, PhaseConfig::default());
        let partial: PhaseConfig =
            serde_json::from_str(r#"{"waiting_opens_before_minutes":15}"#).unwrap();
        assert_eq!(partial.waiting_opens_before(), 15);
        assert_eq!(partial.grace_after_end(), 10);
        let err = serde_json::from_str::<PhaseConfig>(r#"{"grace_after_end_minutes":100000}"#)
            .unwrap_err();
        assert!(err.to_string().contains("grace period"), "{err}");
    }
}
