//! HTTP-level protections every response or state-changing request goes through:
//! same-origin checks for writes, the security headers of pages and files, and a 400 for a
//! body that cannot be read.
pub mod back;
pub mod body;
pub mod client_ip;
pub mod headers;
pub mod origin;
pub mod owner;
pub mod room_pages;
