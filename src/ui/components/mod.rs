pub mod browser;
pub mod clock;
pub mod errors;
pub mod layout;
pub mod live;
