//! Everything that only runs on the server. Gated once, in lib.rs.
pub mod app;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod files;
pub mod http;
pub mod intake;
pub mod links;
pub mod live;
pub mod notify;
pub mod room;
pub mod routes;
pub mod seed;
pub mod staff;
pub mod state;
