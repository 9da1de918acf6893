//! Counting failed attempts (logins, invite codes) per key in a sliding window, in memory only.
//!
//! Keys are usernames and client addresses. Addresses are held here and nowhere else: never
//! logged, never written to disk, and forgotten once their window has passed. Time comes from
//! the caller (the server's clock), so tests move through a lockout without waiting.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::domain::Millis;

/// Keys tracked at most. Beyond this, expired keys are pruned; if every key is still live (an
/// attack from this many addresses at once), new keys are not tracked rather than letting memory
/// grow without bound.
pub const MAX_TRACKED_KEYS: usize = 100_000;

/// A limit of `max_failures` within `window_ms` per key.
#[derive(Debug)]
pub struct Attempts<K> {
    max_failures: usize,
    window_ms: i64,
    // A std mutex: held for a few map operations, never across an `.await`.
    failures: Mutex<HashMap<K, VecDeque<Millis>>>,
}

/// The key is locked out; it may try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockedOut {
    /// Whole seconds until the oldest counted failure leaves the window (at least 1).
    pub retry_after_secs: u64,
}

impl<K: Hash + Eq + Clone> Attempts<K> {
    /// A limit of `max_failures` failures per `window_ms` milliseconds.
    pub fn new(max_failures: usize, window_ms: i64) -> Attempts<K> {
        Attempts {
            max_failures: max_failures.max(1),
            window_ms,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` may try now.
    ///
    /// # Errors
    /// [`LockedOut`] with the time to wait when `key` has `max_failures` failures in the window.
    pub fn check(&self, key: &K, now: Millis) -> Result<(), LockedOut> {
        let mut failures = self.lock();
        let Some(times) = failures.get_mut(key) else {
            return Ok(());
        };
        self.expire(times, now);
        if times.is_empty() {
            failures.remove(key);
            return Ok(());
        }
        if times.len() < self.max_failures {
            return Ok(());
        }
        let oldest = times.front().copied().unwrap_or(now);
        let wait_ms = oldest.plus_ms(self.window_ms).since(now).max(1);
        Err(LockedOut {
            retry_after_secs: u64::try_from(wait_ms.saturating_add(999) / 1000)
                .unwrap_or(1)
                .max(1),
        })
    }

    /// Counts a failure for `key` at `now`.
    pub fn fail(&self, key: &K, now: Millis) {
        let mut failures = self.lock();
        if !failures.contains_key(key) && failures.len() >= MAX_TRACKED_KEYS {
            failures.retain(|_, times| {
                self.expire(times, now);
                !times.is_empty()
            });
            if failures.len() >= MAX_TRACKED_KEYS {
                tracing::warn!("failed-attempt table full; not tracking a new key");
                return;
            }
        }
        let times = failures.entry(key.clone()).or_default();
        self.expire(times, now);
        times.push_back(now);
        // Only the newest `max_failures` matter for the decision.
        while times.len() > self.max_failures {
            times.pop_front();
        }
    }

    /// Forgets the failures of `key` (after a successful login).
    pub fn clear(&self, key: &K) {
        self.lock().remove(key);
    }

    fn expire(&self, times: &mut VecDeque<Millis>, now: Millis) {
        while times
            .front()
            .is_some_and(|t| now.since(*t) >= self.window_ms)
        {
            times.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, VecDeque<Millis>>> {
        // A panic while holding this lock cannot leave the map inconsistent; keep serving.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The key for a client address: the address itself for IPv4, its /64 network for IPv6 (one
/// household or phone usually holds a whole /64, so counting single addresses would let it
/// rotate through billions).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut octets = v6.octets();
                octets[8..].fill(0);
                IpAddr::from(octets)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000;

    #[test]
    fn the_fifth_failure_locks_until_the_first_leaves_the_window() {
        let attempts = Attempts::new(5, 15 * MINUTE);
        let key = "sam".to_owned();
        for minute in 0..5 {
            assert!(attempts.check(&key, Millis(minute * MINUTE)).is_ok());
            attempts.fail(&key, Millis(minute * MINUTE));
        }
        let locked = attempts.check(&key, Millis(5 * MINUTE)).unwrap_err();
        assert_eq!(locked.retry_after_secs, 10 * 60);
        assert!(attempts.check(&key, Millis(15 * MINUTE - 1)).is_err());
        assert!(
            attempts.check(&key, Millis(15 * MINUTE)).is_ok(),
            "the first failure has left the window"
        );
        assert!(
            attempts
                .check(&"kim".to_owned(), Millis(5 * MINUTE))
                .is_ok(),
            "other keys are unaffected"
        );
    }

    #[test]
    fn clearing_forgets_the_failures() {
        let attempts = Attempts::new(2, MINUTE);
        attempts.fail(&1, Millis(0));
        attempts.fail(&1, Millis(1));
        assert!(attempts.check(&1, Millis(2)).is_err());
        attempts.clear(&1);
        assert!(attempts.check(&1, Millis(2)).is_ok());
    }

    #[test]
    fn retry_after_is_rounded_up_to_a_whole_second() {
        let attempts = Attempts::new(1, 1500);
        attempts.fail(&1, Millis(0));
        assert_eq!(
            attempts.check(&1, Millis(1)).unwrap_err().retry_after_secs,
            2
        );
        assert_eq!(
            attempts
                .check(&1, Millis(1499))
                .unwrap_err()
                .retry_after_secs,
            1
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_bit_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(client_key(v4), v4);
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), v4);
    }
}
