//! Types shared by the server and the browser. No SQL, no I/O.
pub mod board;
pub mod contact;
pub mod customer;
pub mod error;
pub mod field;
mod field_message;
pub mod guide;
pub mod hours;
pub mod inbox;
pub mod intake;
pub mod job;
pub mod live;
pub mod money;
pub mod outbox;
pub mod proof;
pub mod reference;
pub mod request;
pub mod room;
pub mod search;
pub mod sensitive;
pub mod staff;
pub mod status;
pub mod template;
pub mod text;
pub mod values;

pub use error::AppError;
pub use field::{Field, FieldError, Reason};
