//! Pages anyone may read: what customers agreed to say (`/proof`) and how the path goes
//! (`/guide`).
mod guide;
mod proof;

pub use guide::GuidePage;
pub use proof::ProofPage;
