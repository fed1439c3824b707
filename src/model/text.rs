//! Text as people type it, parsed once at the edge. Every text value a person sends goes
//! through `clean` before it is stored: control characters (NUL reaches PostgreSQL as an
//! error otherwise), direction overrides and invisible characters are refused with a message
//! naming the field, text is normalised (NFC, on the server) before its length is counted,
//! and the limit is said in the message.
use super::field::{Field, FieldError, Reason};

/// What kind of text a field holds: multi-line fields may contain newlines and tabs;
/// names, e-mails, references and keys may not contain invisible or direction characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    MultiLine,
    SingleLine,
    /// Names, e-mail addresses, references, keys: also no bidi or zero-width characters.
    Identifier,
}

/// Bidi embedding/override/isolate controls and zero-width characters: they can make a
/// name or reference display as something other than what it is.
fn is_deceptive(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// Trims, checks and normalises one catalogued field: its limit (in characters, after
/// normalisation) comes from [`Field::max_chars`] and a refusal is a [`FieldError`]. Empty text is returned as empty; the caller decides if it is missing.
pub fn clean_field(field: Field, value: &str, kind: TextKind) -> Result<String, FieldError> {
    check(value, field.max_chars(), kind).map_err(|reason| FieldError::new(field, reason))
}

/// The checks themselves. Characters are refused before normalising so a huge value of
/// control characters is not normalised first; the length counts the normalised text.
fn check(value: &str, max: usize, kind: TextKind) -> Result<String, Reason> {
    let value = value.trim();
    for c in value.chars() {
        let allowed_space = kind == TextKind::MultiLine && matches!(c, '\n' | '\r' | '\t');
        if c.is_control() && !allowed_space {
            return Err(Reason::ControlCharacter);
        }
        if kind == TextKind::Identifier && is_deceptive(c) {
            return Err(Reason::HiddenCharacter);
        }
    }
    let value = normalise(value);
    let actual = value.chars().count();
    if actual > max {
        return Err(Reason::TooLong { max, actual });
    }
    Ok(value)
}

#[cfg(feature = "ssr")]
fn normalise(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

/// The browser only pre-checks; the server's NFC pass is the one that counts.
#[cfg(not(feature = "ssr"))]
fn normalise(s: &str) -> String {
    s.to_string()
}

/// A retry key a page sends with a write, as a catalogued field; empty means "no key".
pub fn client_key_field(value: &str) -> Result<Option<String>, FieldError> {
    let k = clean_field(Field::ClientKey, value, TextKind::Identifier)?;
    Ok((!k.is_empty()).then_some(k))
}

/// One of the offered time windows (`intake::TIME_WINDOWS` keys); blank or "none" is no
/// window. Anything else was not sent by our form and would be shown to people as typed.
pub fn time_window(value: &str) -> Result<Option<&'static str>, FieldError> {
    let v = clean_field(Field::TimeWindow, value, TextKind::Identifier)?;
    if v.is_empty() || v == "none" {
        return Ok(None);
    }
    super::intake::TIME_WINDOWS
        .iter()
        .find(|(k, _)| *k == v)
        .map(|(k, _)| Some(*k))
        .ok_or(FieldError::new(Field::TimeWindow, Reason::NotAChoice))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(r: Result<String, FieldError>) -> Reason {
        r.unwrap_err().reason
    }

    #[test]
    fn control_characters_are_refused_but_newlines_only_where_they_belong() {
        assert_eq!(
            clean_field(Field::Message, "a\0b", TextKind::MultiLine)
                .unwrap_err()
                .to_string(),
            "Your message contains a hidden control character we can't store. Please retype it (copying from another app can add these)."
        );
        assert_eq!(
            clean_field(Field::Message, " line 1\nline\t2 ", TextKind::MultiLine).unwrap(),
            "line 1\nline\t2"
        );
        let one_line = clean_field(Field::FirstName, "Jo\nCitizen", TextKind::SingleLine);
        assert_eq!(reason(one_line), Reason::ControlCharacter);
        let bell = clean_field(Field::Message, "\u{7}", TextKind::MultiLine);
        assert_eq!(reason(bell), Reason::ControlCharacter);
    }

    #[test]
    fn invisible_and_direction_characters_are_refused_in_identifiers() {
        let r = clean_field(Field::Reference, "CR-AB\u{202E}C", TextKind::Identifier);
        assert_eq!(reason(r), Reason::HiddenCharacter);
        let e = clean_field(Field::Email, "jo\u{200B}@example.com", TextKind::Identifier);
        assert_eq!(reason(e), Reason::HiddenCharacter);
        // Fine in a message (a right-to-left language may need them).
        assert!(clean_field(Field::Message, "שלום\u{200F}", TextKind::MultiLine).is_ok());
    }

    #[test]
    fn length_is_counted_after_normalisation_and_the_limit_is_said() {
        // "é" as e + combining accent is one character once normalised.
        let decomposed = "e\u{301}".repeat(60);
        let name = clean_field(Field::TechnicianName, &decomposed, TextKind::SingleLine);
        assert_eq!(name.unwrap().chars().count(), 60);
        let err = clean_field(Field::Update, &"a".repeat(4001), TextKind::MultiLine)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("under 4000 characters") && err.contains("4001"),
            "{err}"
        );
    }

    #[test]
    fn keys_are_optional_and_windows_are_the_offered_ones() {
        assert_eq!(client_key_field("").unwrap(), None);
        assert_eq!(client_key_field(" k1 ").unwrap().as_deref(), Some("k1"));
        assert!(client_key_field("k\0").is_err());
        assert_eq!(time_window("").unwrap(), None);
        assert_eq!(time_window("none").unwrap(), None);
        assert_eq!(time_window("morning").unwrap(), Some("morning"));
        assert_eq!(
            time_window("midnight").unwrap_err().to_string(),
            "Choose the time window from the list."
        );
    }

    #[test]
    fn catalogued_fields_take_their_limit_and_report_a_field_error() {
        let e = clean_field(
            Field::HelpNote,
            &"a".repeat(200 * 1024),
            TextKind::MultiLine,
        )
        .unwrap_err();
        assert_eq!(e.field, Field::HelpNote);
        assert_eq!(
            e.reason,
            Reason::TooLong {
                max: 1000,
                actual: 204_800
            }
        );
        assert_eq!(
            clean_field(Field::ClientKey, "k\u{202E}", TextKind::Identifier)
                .unwrap_err()
                .to_string(),
            "The form's retry key contains an invisible or direction-changing character. Please retype it."
        );
        assert_eq!(
            clean_field(Field::Message, "a\0", TextKind::MultiLine).unwrap_err(),
            FieldError::new(Field::Message, Reason::ControlCharacter)
        );
        assert_eq!(
            clean_field(Field::Message, "  ", TextKind::MultiLine),
            Ok(String::new())
        );
    }
}
