mod details;
mod page;

pub use details::{AttachmentGrid, RequestDetails};
pub use page::RoomPage;
