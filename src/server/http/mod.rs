//! HTTP-level protections every response or state-changing request goes through:
//! same-origin checks for writes, and the security headers of pages and files.
pub mod back;
pub mod client_ip;
pub mod headers;
pub mod origin;
