//! Everything that only runs on the server. Gated once, in lib.rs.
pub mod app;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod files;
pub mod intake;
pub mod live;
pub mod notify;
pub mod room;
pub mod room_uploads;
pub mod routes;
pub mod seed;
pub mod staff;
pub mod state;
pub mod storage;
pub mod uploads;
