//! End-to-end tests: one integration-test crate for the whole server (one binary, one link).
//!
//! Each area adds a module here. For now it holds the checks that the pure core's public API is
//! usable from outside the crate, the way `http` and `room` will use it.

mod pure_core;
