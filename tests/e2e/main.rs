//! End-to-end tests of the `hearth` binary: one integration-test crate for the whole server.
//!
//! Each module drives the real binary or a real socket; unit tests of the pure core live beside
//! the code.

mod scan;
