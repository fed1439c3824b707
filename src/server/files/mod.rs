//! Customers' files, end to end: reading them off a multipart body, deciding what they are,
//! making the copies we show, keeping them on disk, serving them back, and sweeping what
//! nobody claimed. Nothing outside this module touches a stored file.
//!
//! * [`multipart`]: the one streaming reader of upload bodies (request form and room).
//! * [`sniff`]: a file's kind from its bytes alone, and whether it was cut off.
//! * [`check`]: the limits and refusals every file goes through before any heavy work.
//! * [`images`]: decoding, EXIF orientation and re-encoding to metadata-free JPEGs.
//! * [`names`]: what a customer's file name may become (never a path).
//! * [`store`]: the blobs on local disk, written atomically under server-made keys.
//! * [`accept`]: checking one file, storing its renditions and recording it.
//! * [`room_photos`]: `POST /room/{reference}/photos`.
//! * [`serve`]: `GET /files/{id}` and its thumbnail, after the room's access check.
//! * [`sweep`]: the scheduled clean-up of abandoned drafts' files and temp files.
pub mod accept;
pub mod check;
pub mod images;
pub mod multipart;
pub mod names;
pub mod room_photos;
pub mod serve;
pub mod sniff;
pub mod store;
pub mod sweep;
#[cfg(test)]
mod tests;

pub use accept::{accept, forget_blobs, limits, read_limits, FileOwner, Upload};
pub use check::{inspect, UploadError, UploadLimits};
pub use images::{process_image, ProcessedImage};
pub use names::{clean_file_name, display_name};
pub use sniff::{detect_kind, FileKind};
