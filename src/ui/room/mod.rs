//! The customer's room: big cards on top, one section per card below.
mod ask_quote;
mod cards;
mod details;
mod devices;
mod feedback;
mod help;
mod page;
mod photos;
mod proof;
mod quote;
mod texts;
mod thread;
mod timeline;

pub use details::{AttachmentGrid, RequestDetails};
pub use page::RoomPage;
pub use quote::QuoteDetails;
pub use thread::Thread;
