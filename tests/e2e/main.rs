//! End-to-end tests: the real server on port 0, driven over real sockets.
//!
//! One integration-test crate (one binary, one link). No sleeps: every wait is on an event, with a
//! timeout.

mod accounts;
mod api;
mod backup;
mod chat;
mod helpers;
mod logs;
mod ops;
mod process;
mod pure_core;
mod scan;
mod sessions;
mod web;
