//! Pages and components, one folder per page area.
pub mod access;
pub mod components;
pub mod enhance;
pub mod intake;
pub mod public;
pub mod room;
pub mod staff;
