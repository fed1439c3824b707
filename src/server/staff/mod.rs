//! Staff accounts service: the first owner, invites, roles, deactivation, sign-in checks,
//! the site's sign-in, setup and reset forms ([`web`]), and the `customer-room staff …` command line.
pub mod accounts;
pub mod cli;
pub mod invites;
pub mod sign_in;
pub mod web;
