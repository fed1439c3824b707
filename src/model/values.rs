//! Typed values, parsed once where a request comes in and trusted everywhere after: a value of
//! one of these types has passed its checks, because the only ways to make one are `parse`,
//! `parse_as` and deserialising (which goes through the same parse). Each refusal is a
//! [`FieldError`] whose sentence comes from the catalogue in `field.rs`.
//! [`Money`](super::money::Money) and [`Reference`](super::reference::Reference) follow the
//! same pattern in their own modules.
use super::contact::email_shape;
use super::field::{Field, FieldError, Reason};
use super::money::parse_in_range;
use super::text::{clean_field, TextKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Display, `as_str`, `FromStr` (with the type's usual field) and the `String` conversions
/// serde uses, for the text-backed values.
macro_rules! text_value {
    ($ty:ident, $default_field:expr) => {
        impl $ty {
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_string(self) -> String {
                self.0
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::str::FromStr for $ty {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                $ty::parse_as($default_field, s)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = FieldError;
            fn try_from(s: String) -> Result<Self, FieldError> {
                s.parse()
            }
        }
        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

fn required(field: Field, input: &str, kind: TextKind) -> Result<String, FieldError> {
    let text = clean_field(field, input, kind)?;
    if text.is_empty() {
        return Err(FieldError::new(field, Reason::Missing));
    }
    Ok(text)
}

/// A deliverable-looking e-mail address, trimmed and lower-cased (ASCII), at most 254
/// characters, with no control, invisible or direction characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Self::parse_as(Field::Email, input)
    }

    pub fn parse_as(field: Field, input: &str) -> Result<Self, FieldError> {
        let text = required(field, input, TextKind::Identifier)?;
        email_shape(&text)
            .map(Email)
            .map_err(|reason| FieldError::new(field, reason))
    }

    /// The part after the @, e.g. for showing a masked contact.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, d)| d)
    }
}
text_value!(Email, Field::Email);

/// A phone number. On the server it is always E.164 (`+61412345678`), checked with the
/// `phonenumber` crate; the browser only checks the shape (8–15 digits and separators) and
/// keeps the number as typed, because the server's parse is the one that counts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Without a region only international numbers (`+…`) are understood on the server: this
    /// is the wire and storage form. Typed numbers go through [`Phone::parse_in`].
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Self::parse_as(Field::Phone, input)
    }

    pub fn parse_as(field: Field, input: &str) -> Result<Self, FieldError> {
        let text = Self::shape(field, input)?;
        Self::finish(field, text)
    }

    #[cfg(feature = "ssr")]
    fn finish(field: Field, text: String) -> Result<Self, FieldError> {
        Self::e164(field, &text, None)
    }

    #[cfg(not(feature = "ssr"))]
    fn finish(_field: Field, text: String) -> Result<Self, FieldError> {
        Ok(Phone(text))
    }

    /// A number as a person types it, local numbers read for `region` (the business's).
    #[cfg(feature = "ssr")]
    pub fn parse_in(
        field: Field,
        input: &str,
        region: phonenumber::country::Id,
    ) -> Result<Self, FieldError> {
        let text = Self::shape(field, input)?;
        Self::e164(field, &text, Some(region))
    }

    fn shape(field: Field, input: &str) -> Result<String, FieldError> {
        let text = required(field, input, TextKind::SingleLine)?;
        super::contact::check_phone_shape(&text)
            .map_err(|_| FieldError::new(field, Reason::NotAPhone))?;
        Ok(text)
    }

    #[cfg(feature = "ssr")]
    fn e164(
        field: Field,
        text: &str,
        region: Option<phonenumber::country::Id>,
    ) -> Result<Self, FieldError> {
        match phonenumber::parse(region, text) {
            Ok(n) if phonenumber::is_valid(&n) => {
                Ok(Phone(n.format().mode(phonenumber::Mode::E164).to_string()))
            }
            _ => Err(FieldError::new(field, Reason::UnknownPhone)),
        }
    }
}
text_value!(Phone, Field::Phone);

/// A person's name on one line: no control, invisible or direction characters, within the
/// field's limit (first and last names 200, a signature 120, a technician 60).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Self::parse_as(Field::SignatureName, input)
    }

    pub fn parse_as(field: Field, input: &str) -> Result<Self, FieldError> {
        required(field, input, TextKind::Identifier).map(PersonName)
    }

    /// The first word, e.g. the technician's first name the customer is told.
    pub fn first_word(&self) -> &str {
        self.0.split_whitespace().next().unwrap_or(&self.0)
    }
}
text_value!(PersonName, Field::SignatureName);

/// Text a person writes: multi-line (newline and tab allowed, other control characters not),
/// never empty, within the field's limit. It is kept as written; [`MessageText::masked`] is
/// what gets stored and shown, and [`MessageText::warning`] what the page warns about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageText(String);

impl MessageText {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Self::parse_as(Field::Message, input)
    }

    pub fn parse_as(field: Field, input: &str) -> Result<Self, FieldError> {
        required(field, input, TextKind::MultiLine).map(MessageText)
    }

    /// For fields that may be left empty (a status reason, the request form's notes).
    pub fn parse_optional(field: Field, input: &str) -> Result<Option<Self>, FieldError> {
        match Self::parse_as(field, input) {
            Ok(t) => Ok(Some(t)),
            Err(FieldError {
                reason: Reason::Missing,
                ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A plain-English warning if the text looks like a card number, a code or a password.
    pub fn warning(&self) -> Option<&'static str> {
        super::sensitive::warning(&self.0)
    }

    /// The text with card numbers hidden (last four kept).
    pub fn masked(&self) -> String {
        super::sensitive::mask_card_numbers(&self.0)
    }
}
text_value!(MessageText, Field::Message);

/// A quote line's quantity in hundredths of a unit (1.5 hours is 150): more than zero, at
/// most [`Quantity::MAX`], two decimals at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Quantity(i64);

impl Quantity {
    pub const ONE: Quantity = Quantity(100);
    /// 100,000 units: with [`Money::MAX_TYPED`](super::money::Money::MAX_TYPED) a line total
    /// stays far inside i64.
    pub const MAX: Quantity = Quantity(10_000_000);

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Self::parse_as(Field::Quantity { line: None }, input)
    }

    pub fn parse_as(field: Field, input: &str) -> Result<Self, FieldError> {
        parse_in_range(field, input, None, 1, Self::MAX.0).map(Quantity)
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for Quantity {
    type Error = FieldError;
    fn try_from(hundredths: i64) -> Result<Self, FieldError> {
        if (1..=Self::MAX.0).contains(&hundredths) {
            Ok(Quantity(hundredths))
        } else {
            Err(FieldError::new(
                Field::Quantity { line: None },
                Reason::OutOfRange {
                    min: 1,
                    max: Self::MAX.0,
                },
            ))
        }
    }
}

impl From<Quantity> for i64 {
    fn from(q: Quantity) -> i64 {
        q.0
    }
}

impl std::str::FromStr for Quantity {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Self::parse(s)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::field::decimal_label(self.0))
    }
}

/// A tax rate in basis points (1000 = 10%), typed as a percentage ("10", "12.5", "10%"):
/// 0 to 100%.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct TaxRate(i32);

impl TaxRate {
    pub const MAX_BP: i32 = 10_000;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        parse_in_range(Field::TaxRate, input, Some('%'), 0, i64::from(Self::MAX_BP))
            // In range, so it fits.
            .map(|bp| TaxRate(bp as i32))
    }

    pub fn basis_points(self) -> i32 {
        self.0
    }
}

impl TryFrom<i32> for TaxRate {
    type Error = FieldError;
    fn try_from(bp: i32) -> Result<Self, FieldError> {
        if (0..=Self::MAX_BP).contains(&bp) {
            Ok(TaxRate(bp))
        } else {
            Err(FieldError::new(
                Field::TaxRate,
                Reason::OutOfRange {
                    min: 0,
                    max: i64::from(Self::MAX_BP),
                },
            ))
        }
    }
}

impl From<TaxRate> for i32 {
    fn from(t: TaxRate) -> i32 {
        t.0
    }
}

impl std::str::FromStr for TaxRate {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Self::parse(s)
    }
}

/// "10%", "12.5%".
impl fmt::Display for TaxRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", super::field::decimal_label(i64::from(self.0)))
    }
}

#[cfg(test)]
#[path = "values_tests.rs"]
mod tests;
