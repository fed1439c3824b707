mod get_link;
mod my_requests;

pub use get_link::{GetLinkPage, SignedOutPage};
pub use my_requests::MyRequestsPage;
