//! Hearth: a self-hosted, anonymous peer-support group chat server.
//!
//! # Layout
//!
//! Pure core (no I/O, no clock; time is passed in):
//! - [`text`]: Unicode helpers (invisible characters, lookalike folding).
//! - [`domain`]: values parsed at the edge (ids, roles, pseudonyms, message text).
//! - [`filter`]: the contact-info filter (emails, phones, handles, links; split-message window).
//!
//! Tools:
//! - [`scan`]: `hearth scan`, the contact filter over JSON Lines (scoring, operators' checks).
//!
//! Imperative shell: added as the server grows (rooms, store, HTTP).

pub mod domain;
pub mod filter;
pub mod scan;
pub mod text;
