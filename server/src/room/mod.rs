//! Live rooms: the pure state machine ([`state`]) and the task that drives it ([`actor`]).

pub mod actor;
pub mod state;

pub use actor::{CloseReason, ConnectionControl, Frame, RoomGone, RoomHandle, Seat};
pub use state::{Command, JoinError, JoinRequest, LeaveReason, Room, RoomSettings};
