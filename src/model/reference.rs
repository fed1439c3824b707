//! A request's short reference: made from random bytes, or parsed from what a person types.
use super::field::{Field, FieldError, Reason};
use super::text::{clean_field, TextKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Letters and digits that cannot be misread on a phone or over a call: no 0/O, 1/I.
pub const REFERENCE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
pub const REFERENCE_LEN: usize = 6;

/// A request's short reference, e.g. `CR-7K3Q9X`. 32^6 ≈ 1 billion values: hard to guess,
/// but never the only thing that grants access (a session does that).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reference(String);

impl Reference {
    /// Builds a reference from random bytes (one byte per character).
    pub fn from_random(bytes: &[u8; REFERENCE_LEN]) -> Self {
        let code: String = bytes
            .iter()
            .map(|b| REFERENCE_ALPHABET[(*b as usize) % REFERENCE_ALPHABET.len()] as char)
            .collect();
        Reference(format!("CR-{code}"))
    }

    /// Accepts what a person might type: any case, spaces, with or without `CR-`.
    /// Kept for existing callers; new code uses [`Reference::parse_as`], which says why.
    pub fn parse(input: &str) -> Option<Self> {
        let cleaned: String = input
            .trim()
            .to_ascii_uppercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let code = cleaned.strip_prefix("CR-").unwrap_or(&cleaned);
        if code.len() == REFERENCE_LEN && code.bytes().all(|b| REFERENCE_ALPHABET.contains(&b)) {
            Some(Reference(format!("CR-{code}")))
        } else {
            None
        }
    }

    /// [`Reference::parse`] with the reason for a refusal: hidden or control characters
    /// first (they are never a typo), then the shape.
    pub fn parse_as(field: Field, input: &str) -> Result<Self, FieldError> {
        let text = clean_field(field, input, TextKind::Identifier)?;
        if text.is_empty() {
            return Err(FieldError::new(field, Reason::Missing));
        }
        Self::parse(&text).ok_or(FieldError::new(field, Reason::NotAReference))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Reference {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Reference::parse_as(Field::Reference, s)
    }
}

impl TryFrom<String> for Reference {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        s.parse()
    }
}

impl From<Reference> for String {
    fn from(r: Reference) -> String {
        r.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_references_avoid_confusable_characters() {
        for seed in 0..=255u8 {
            let r = Reference::from_random(&[seed, seed.wrapping_mul(7), 3, 200, 31, seed]);
            let code = &r.as_str()[3..];
            assert!(!code.contains(['0', 'O', '1', 'I']), "{r}");
            assert_eq!(Reference::parse(r.as_str()), Some(r.clone()));
        }
    }

    #[test]
    fn parse_is_forgiving_about_case_and_prefix_but_not_content() {
        assert_eq!(
            Reference::parse(" cr-7k3q9x ").unwrap().as_str(),
            "CR-7K3Q9X"
        );
        assert_eq!(Reference::parse("7K3Q9X").unwrap().as_str(), "CR-7K3Q9X");
        assert!(Reference::parse("CR-7K3Q90").is_none());
        assert!(Reference::parse("CR-7K3").is_none());
    }
}
