//! Server functions by area. Each one checks the caller's right to what it touches,
//! on the server, before calling into `server/`.
pub mod access;
pub mod board;
pub mod customers;
pub mod devices;
pub mod inbox;
pub mod intake;
pub mod jobs;
pub mod outbox;
pub mod proof;
pub mod room;
pub mod staff;
pub mod staff_room;
pub mod team;
pub mod templates;

#[cfg(feature = "ssr")]
pub(crate) mod ctx;
