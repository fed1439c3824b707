//! The customer's room: big cards on top, one section per card below.
mod ask_quote;
mod cards;
mod details;
mod devices;
mod help;
mod page;
mod photo_upload;
mod photos;
mod quote;
mod reload;
mod thread;
mod timeline;

pub use details::{AttachmentGrid, RequestDetails};
pub use page::RoomPage;
pub use quote::QuoteDetails;
pub use reload::{reload_on_success, RoomReload};
pub use thread::Thread;
