//! Where "now" comes from. The pure core never reads a clock; the shell asks a [`Clock`] and passes
//! the answer in, and sleeps on it until the next timed event. Tests use [`ManualClock`] to walk a
//! session through its phases without waiting.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

use crate::domain::Millis;

/// A future returned by [`Clock::sleep_until`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> Millis;

    /// Resolves once the clock shows `at` or later.
    fn sleep_until(&self, at: Millis) -> Sleep;
}

/// The system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Millis(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
    }

    fn sleep_until(&self, at: Millis) -> Sleep {
        let wait = u64::try_from(at.since(self.now())).unwrap_or(0);
        Box::pin(tokio::time::sleep(Duration::from_millis(wait)))
    }
}

/// A clock that moves only when told to. Sleepers wake when it is moved past their deadline.
#[derive(Debug)]
pub struct ManualClock {
    now: watch::Sender<i64>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: Millis) -> ManualClock {
        ManualClock {
            now: watch::Sender::new(start.0),
        }
    }

    /// Moves the clock forward by `ms` milliseconds.
    pub fn advance(&self, ms: i64) {
        self.now.send_modify(|now| *now = now.saturating_add(ms));
    }

    /// Sets the clock.
    pub fn set(&self, to: Millis) {
        self.now.send_replace(to.0);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        Millis(*self.now.borrow())
    }

    fn sleep_until(&self, at: Millis) -> Sleep {
        let mut changes = self.now.subscribe();
        Box::pin(async move {
            // The sender lives as long as the clock; if it is gone, nothing will wake us.
            if changes.wait_for(|now| *now >= at.0).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn manual_clock_wakes_sleepers_when_moved_past_their_deadline() {
        let clock = std::sync::Arc::new(ManualClock::new(Millis(1_000)));
        let sleeper = tokio::spawn(clock.sleep_until(Millis(5_000)));
        clock.advance(1_000);
        assert!(!sleeper.is_finished());
        clock.set(Millis(5_000));
        tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .expect("woken")
            .unwrap();
        assert_eq!(clock.now(), Millis(5_000));
    }

    #[tokio::test]
    async fn a_deadline_in_the_past_is_already_due() {
        let clock = ManualClock::new(Millis(10));
        tokio::time::timeout(Duration::from_secs(5), clock.sleep_until(Millis(5)))
            .await
            .expect("due at once");
        let system = SystemClock;
        tokio::time::timeout(
            Duration::from_secs(5),
            system.sleep_until(Millis(system.now().0 - 1_000)),
        )
        .await
        .expect("due at once");
    }
}
