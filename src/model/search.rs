//! What a search box typed means. One home for the board's search and the customer search,
//! so "0412 345 678", "+61 412 345 678" and "412345678" find the same number everywhere.
use super::{
    field::{Field, FieldError},
    reference::Reference,
    text::{clean_field, TextKind},
};

/// `text` as a LIKE pattern matching itself: its `%`, `_` and `\` taken literally.
pub fn like_pattern(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// When the text looks like (part of) a phone number, its digits without leading zeros, so
/// they are found inside a stored `+61412345678` however they were typed. At least four.
pub fn phone_digits(text: &str) -> Option<String> {
    let s = text.trim();
    let looks_like_phone = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    (looks_like_phone && digits.len() >= 4).then(|| digits.to_string())
}

/// A customer search, by what it looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerSearch {
    /// A request reference (CR-7K3Q9X), exactly.
    Reference(String),
    /// Digits found anywhere in the number.
    Phone(String),
    /// Part of an email address, lower-cased, as a LIKE pattern.
    Email(String),
    /// Part of a name or business name (or an email), as a LIKE pattern.
    Name(String),
}

impl CustomerSearch {
    /// `None` for a search too short to mean anything (under two characters).
    pub fn parse(input: &str) -> Result<Option<CustomerSearch>, FieldError> {
        let s = clean_field(Field::Search, input, TextKind::SingleLine)?;
        let s = s.trim();
        if s.chars().count() < 2 {
            return Ok(None);
        }
        // Only with its "CR-": a six-letter name must not be read as a code.
        if let Some(r) = Reference::parse(s).filter(|_| s.to_ascii_uppercase().starts_with("CR-")) {
            return Ok(Some(CustomerSearch::Reference(r.as_str().to_string())));
        }
        if let Some(d) = phone_digits(s) {
            return Ok(Some(CustomerSearch::Phone(d)));
        }
        let pattern = like_pattern(&s.to_lowercase());
        Ok(Some(if s.contains('@') {
            CustomerSearch::Email(pattern)
        } else {
            CustomerSearch::Name(pattern)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_read_as_a_reference_a_phone_an_email_or_a_name() {
        use CustomerSearch::*;
        let p = |s: &str| CustomerSearch::parse(s).unwrap();
        assert_eq!(p("cr-7k3q9x"), Some(Reference("CR-7K3Q9X".into())));
        for typed in [
            "0412 345 678",
            "+61 412 345 678",
            "(04) 1234-5678",
            "412345678",
        ] {
            let Some(Phone(d)) = p(typed) else {
                panic!("{typed} is a phone number")
            };
            assert!(
                "61412345678".contains(&d) || d == "412345678",
                "{typed}: {d}"
            );
        }
        assert_eq!(p("Jo@Example"), Some(Email("jo@example".into())));
        assert_eq!(p("O'Brien"), Some(Name("o'brien".into())));
        assert_eq!(p("50%_off"), Some(Name("50\\%\\_off".into())));
        assert_eq!(p(" j "), None, "too short to search");
        assert_eq!(
            p("123"),
            Some(Name("123".into())),
            "three digits are not a phone"
        );
        assert!(CustomerSearch::parse("jo\0").is_err());
    }
}
