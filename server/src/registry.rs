//! The live rooms of this server, by group.
//!
//! A `DashMap<GroupId, RoomHandle>` behind a small cloneable handle. Guards are never held across
//! an `.await`: every method clones what it needs out of the map and returns. Depends on
//! `room::actor` and dashmap; must not depend on axum or the store.

use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use tokio_util::task::TaskTracker;

use crate::clock::Clock;
use crate::domain::GroupId;
use crate::room::{Room, RoomContext, RoomHandle, RoomObserver, RoomSettings, actor};

/// The rooms running now.
#[derive(Clone)]
pub struct Registry {
    rooms: Arc<DashMap<GroupId, RoomHandle>>,
    clock: Arc<dyn Clock>,
    observer: Arc<dyn RoomObserver>,
    tracker: TaskTracker,
    idle_timeout: Duration,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("rooms", &self.rooms.len())
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// An empty registry whose room tasks run on `tracker`, report to `observer`, and stop after
    /// `idle_timeout` empty.
    pub fn new(
        clock: Arc<dyn Clock>,
        observer: Arc<dyn RoomObserver>,
        tracker: TaskTracker,
        idle_timeout: Duration,
    ) -> Registry {
        Registry {
            rooms: Arc::new(DashMap::new()),
            clock,
            observer,
            tracker,
            idle_timeout,
        }
    }

    /// The running room of `group`, if any.
    pub fn get(&self, group: GroupId) -> Option<RoomHandle> {
        self.rooms
            .get(&group)
            .map(|handle| handle.clone())
            .filter(|handle| !handle.is_closed())
    }

    /// The running room of `group`, started with `settings` if there is none.
    pub fn get_or_start(&self, group: GroupId, settings: RoomSettings) -> RoomHandle {
        match self.rooms.entry(group) {
            Entry::Occupied(entry) if !entry.get().is_closed() => entry.get().clone(),
            entry => {
                let rooms = Arc::downgrade(&self.rooms);
                let context = RoomContext {
                    group,
                    clock: Arc::clone(&self.clock),
                    observer: Arc::clone(&self.observer),
                    idle_timeout: self.idle_timeout,
                };
                let handle = actor::spawn(
                    Room::new(settings),
                    context,
                    &self.tracker,
                    move |instance| {
                        if let Some(rooms) = rooms.upgrade() {
                            rooms.remove_if(&group, |_, h| h.instance() == instance);
                        }
                    },
                );
                match entry {
                    Entry::Occupied(mut stale) => {
                        stale.insert(handle.clone());
                    }
                    Entry::Vacant(vacant) => {
                        vacant.insert(handle.clone());
                    }
                }
                handle
            }
        }
    }

    /// How many rooms are running.
    pub fn live_rooms(&self) -> usize {
        self.rooms.len()
    }

    /// Forgets every room, so each room task stops once its last connection is gone.
    pub fn close_all(&self) {
        self.rooms.clear();
    }
}
