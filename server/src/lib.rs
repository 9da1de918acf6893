//! Hearth: a self-hosted, anonymous peer-support group chat server.
//!
//! # Layout
//!
//! Pure core (no I/O, no clock; time is passed in):
//! - [`text`]: Unicode helpers (invisible characters, lookalike folding).
//! - [`domain`]: values parsed at the edge (ids, roles, pseudonyms, message text).
//! - [`schedule`]: a group's schedule (weekly, one-off, skipped dates, time zone) → sessions as
//!   instants across DST; the clock-phase of a session (waiting, live, closing, ended).
//! - [`safety`]: crisis-language detection and crisis resources by locale.
//!
//! Imperative shell: added as the server grows (rooms, store, HTTP).

pub mod domain;
pub mod safety;
pub mod schedule;
pub mod text;
