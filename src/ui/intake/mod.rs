mod form;
pub use form::format_size;
mod submitted;

pub use form::IntakePage;
pub use submitted::SubmittedPage;
