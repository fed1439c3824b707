//! Who is asking: customer access links and sessions, staff accounts, rate limits.
pub mod device;
pub mod limits;
pub mod passwords;
pub mod policy;
pub mod session;
pub mod tokens;
