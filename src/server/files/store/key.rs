//! Where a blob lives: `att/<uuid>/<variant>`, made by the server only from a UUID it
//! generated and a fixed [`Variant`]. User file names never reach a key, and
//! [`StorageKey::parse`] accepts only the exact canonical form, so path traversal is
//! impossible by construction.
use std::fmt;
use std::io;
use uuid::Uuid;

/// Which rendition of an attachment a key points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The file exactly as uploaded (after [`crate::server::files::inspect`] accepted it).
    Original,
    /// Re-encoded JPEG, longest side ≤ 2048, no metadata.
    Display,
    /// Re-encoded JPEG thumbnail, longest side ≤ 400, no metadata.
    Thumb,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Original, Variant::Display, Variant::Thumb];

    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Display => "display",
            Variant::Thumb => "thumb",
        }
    }

    pub fn parse(s: &str) -> Option<Variant> {
        match s {
            "original" => Some(Variant::Original),
            "display" => Some(Variant::Display),
            "thumb" => Some(Variant::Thumb),
            _ => None,
        }
    }
}

/// Storage address of one blob: `att/<uuid>/<variant>`.
///
/// The only ways to get one are [`StorageKey::new`] (from a UUID the server
/// generated) and [`StorageKey::parse`] (e.g. reading a key back from the
/// database), which accepts only the canonical form produced by `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StorageKey {
    id: Uuid,
    variant: Variant,
}

const KEY_PREFIX: &str = "att";

impl StorageKey {
    pub fn new(id: Uuid, variant: Variant) -> Self {
        StorageKey { id, variant }
    }

    /// `att/<id>/original`
    pub fn original(id: Uuid) -> Self {
        StorageKey::new(id, Variant::Original)
    }

    /// `att/<id>/display`
    pub fn display(id: Uuid) -> Self {
        StorageKey::new(id, Variant::Display)
    }

    /// `att/<id>/thumb`
    pub fn thumb(id: Uuid) -> Self {
        StorageKey::new(id, Variant::Thumb)
    }

    /// A key for a brand-new attachment with a fresh random id.
    pub fn new_random(variant: Variant) -> Self {
        StorageKey::new(Uuid::new_v4(), variant)
    }

    /// The same attachment, another rendition.
    pub fn with_variant(self, variant: Variant) -> Self {
        StorageKey { variant, ..self }
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Parse `att/<lower-case hyphenated uuid>/<original|display|thumb>`.
    /// Anything else — other UUID spellings, extra or missing segments,
    /// `..`, backslashes, absolute paths, whitespace — is rejected.
    pub fn parse(s: &str) -> Result<StorageKey, StorageError> {
        let invalid = || StorageError::InvalidKey(s.chars().take(120).collect());
        let mut parts = s.split('/');
        let (Some(prefix), Some(id), Some(variant), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        if prefix != KEY_PREFIX {
            return Err(invalid());
        }
        let uuid = Uuid::try_parse(id).map_err(|_| invalid())?;
        // Require the canonical spelling so one blob has exactly one key.
        if uuid.hyphenated().to_string() != id {
            return Err(invalid());
        }
        let variant = Variant::parse(variant).ok_or_else(invalid)?;
        Ok(StorageKey::new(uuid, variant))
    }
}

impl fmt::Display for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{KEY_PREFIX}/{}/{}",
            self.id.hyphenated(),
            self.variant.as_str()
        )
    }
}

impl std::str::FromStr for StorageKey {
    type Err = StorageError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StorageKey::parse(s)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid storage key: {0:?}")]
    InvalidKey(String),
    #[error("stored file not found")]
    NotFound,
    #[error("storage I/O error: {0}")]
    Io(#[from] io::Error),
}
