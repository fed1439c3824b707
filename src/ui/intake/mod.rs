//! The public request form and the page shown once it is sent.
mod fields;
mod form;
mod sections;
mod send;
mod submitted;

pub use form::IntakePage;
pub use sections::format_size;
pub use submitted::SubmittedPage;
