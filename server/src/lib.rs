//! Hearth: a self-hosted, anonymous peer-support group chat server.
//!
//! # Layout
//!
//! Pure core (no I/O, no clock; time is passed in):
//! - [`text`]: Unicode helpers (invisible characters, lookalike folding).
//! - [`domain`]: values parsed at the edge (ids, roles, pseudonyms, message text).
//! - [`protocol`]: the WebSocket messages, decoded strictly and encoded once.
//! - [`room::state`]: the room state machine: seats, scrollback, the rules of each request.
//! - [`schedule`]: a group's schedule (weekly, one-off, skipped dates, time zone) → sessions as
//!   instants across DST; the clock-phase of a session (waiting, live, closing, ended).
//! - [`safety`]: crisis-language detection and crisis resources by locale.
//!
//! Imperative shell:
//! - [`room::actor`]: one task per live room, bounded inbox and outboxes.
//! - [`registry`]: the live rooms by group.
//! - [`store`]: SQLite persistence (never message text or names).
//! - [`auth`]: facilitator accounts, passwords (argon2id), login sessions, lockouts, setup.
//! - [`cli`]: `hearth facilitator …`, account management at the command line.
//! - [`secret`], [`invites`]: the server key, random tokens, invite codes.
//! - [`clock`], [`config`], [`telemetry`], [`shutdown`].
//! - [`http`]: axum routes, the WebSocket connection task, the embedded client.
//! - [`app`]: the composition root used by `main` and the tests.

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod http;
pub mod invites;
pub mod protocol;
pub mod registry;
pub mod room;
pub mod safety;
pub mod schedule;
pub mod secret;
pub mod shutdown;
pub mod store;
pub mod telemetry;
pub mod text;
