//! The open WebSocket connections of each facilitator login session, so that signing out (or an
//! operator disabling the account) closes them at once instead of leaving a revoked facilitator
//! in a room.
//!
//! Registration returns a guard that unregisters on drop, so every way a connection ends (close,
//! error, panic, shutdown) cleans up. Guards of the map are never held across an `.await`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::DashMap;

use crate::room::{CloseReason, ConnectionControl};
use crate::store::SessionId;

/// Sent to a facilitator's connection when their login session ends.
pub const SIGNED_OUT: CloseReason = CloseReason {
    code: 4005,
    reason: "signed out",
};

type Entries = Vec<(u64, Arc<ConnectionControl>)>;

/// Live facilitator connections by login session.
#[derive(Debug, Clone, Default)]
pub struct LiveSessions {
    connections: Arc<DashMap<SessionId, Entries>>,
    next: Arc<AtomicU64>,
}

/// Keeps a connection registered; unregisters it when dropped.
#[derive(Debug)]
pub struct LiveGuard {
    connections: Arc<DashMap<SessionId, Entries>>,
    session: SessionId,
    id: u64,
}

impl Drop for LiveGuard {
    fn drop(&mut self) {
        // `remove_if` takes the shard lock once; no other guard is held here.
        if let Some(mut entry) = self.connections.get_mut(&self.session) {
            entry.retain(|(id, _)| *id != self.id);
        }
        self.connections
            .remove_if(&self.session, |_, entries| entries.is_empty());
    }
}

impl LiveSessions {
    /// An empty registry.
    pub fn new() -> LiveSessions {
        LiveSessions::default()
    }

    /// Registers a connection of `session`. Keep the guard as long as the connection lives.
    pub fn register(&self, session: SessionId, control: Arc<ConnectionControl>) -> LiveGuard {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.connections
            .entry(session)
            .or_default()
            .push((id, control));
        LiveGuard {
            connections: Arc::clone(&self.connections),
            session,
            id,
        }
    }

    /// Closes every connection of `session` with [`SIGNED_OUT`]. Returns how many there were.
    pub fn close(&self, session: SessionId) -> usize {
        // Take the controls out first, so no map guard is held while closing.
        let controls: Vec<_> = self
            .connections
            .get(&session)
            .map(|entries| entries.iter().map(|(_, c)| Arc::clone(c)).collect())
            .unwrap_or_default();
        for control in &controls {
            control.close(SIGNED_OUT);
        }
        controls.len()
    }

    /// Connections registered now (for tests and metrics).
    pub fn len(&self) -> usize {
        self.connections.iter().map(|entry| entry.len()).sum()
    }

    /// Whether no connection is registered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_util::sync::CancellationToken;

    #[test]
    fn closing_a_session_closes_its_connections_and_no_others() {
        let live = LiveSessions::new();
        let root = CancellationToken::new();
        let a1 = Arc::new(ConnectionControl::child_of(&root));
        let a2 = Arc::new(ConnectionControl::child_of(&root));
        let b = Arc::new(ConnectionControl::child_of(&root));
        let _g1 = live.register(SessionId(1), Arc::clone(&a1));
        let _g2 = live.register(SessionId(1), Arc::clone(&a2));
        let _g3 = live.register(SessionId(2), Arc::clone(&b));

        assert_eq!(live.close(SessionId(1)), 2);
        assert_eq!(a1.reason(), SIGNED_OUT);
        assert_eq!(a2.reason(), SIGNED_OUT);
        assert_ne!(
            b.reason(),
            SIGNED_OUT,
            "another session's socket stays open"
        );
        assert_eq!(live.close(SessionId(3)), 0);
    }

    #[test]
    fn dropping_the_guard_unregisters_the_connection() {
        let live = LiveSessions::new();
        let root = CancellationToken::new();
        let guard = live.register(SessionId(1), Arc::new(ConnectionControl::child_of(&root)));
        let other = live.register(SessionId(1), Arc::new(ConnectionControl::child_of(&root)));
        assert_eq!(live.len(), 2);
        drop(guard);
        assert_eq!(live.len(), 1);
        drop(other);
        assert!(live.is_empty());
        assert_eq!(live.close(SessionId(1)), 0);
    }
}
