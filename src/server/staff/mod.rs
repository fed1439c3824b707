//! Staff accounts service: the first owner, invites, roles, deactivation, sign-in checks
//! and the `customer-room staff …` command line.
pub mod accounts;
pub mod cli;
pub mod invites;
pub mod sign_in;
