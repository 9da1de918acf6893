//! Live rooms: the pure state machine ([`state`], with the rules of each request in `member.rs`
//! and `facilitator.rs`) and the task that drives it ([`actor`]).

pub mod actor;
mod facilitator;
mod member;
pub mod state;
#[cfg(test)]
mod tests;

pub use actor::{
    CloseReason, ConnectionControl, Frame, RoomContext, RoomGone, RoomHandle, RoomObserver, Seat,
};
pub use state::{
    AuditEvent, ContactPolicy, JoinError, JoinRequest, LeaveReason, Room, RoomPolicy, RoomSettings,
    Screening, SessionSummary, SessionTimes,
};
