//! Text as people type it, parsed once at the edge. Every text value a person sends goes
//! through `clean` before it is stored: control characters (NUL reaches PostgreSQL as an
//! error otherwise), direction overrides and invisible characters are refused with a message
//! naming the field, text is normalised (NFC, on the server) before its length is counted,
//! and the limit is said in the message.
use super::field::{self, Field, FieldError, Reason};

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

/// Trims, checks and normalises one field. `label` is how the message names the field
/// ("your message", "the update"); `max` is in characters, after normalisation.
pub fn clean(label: &str, value: &str, max: usize, kind: TextKind) -> Result<String, String> {
    check(value, max, kind).map_err(|reason| match reason {
        Reason::ControlCharacter => field::control_message(label),
        Reason::HiddenCharacter => field::hidden_message(label),
        Reason::TooLong { max, actual } => field::too_long_message(label, max, actual),
        other => format!("{other:?}"),
    })
}

/// [`clean`] for a catalogued field: its limit comes from [`Field::max_chars`] and a refusal
/// is a [`FieldError`]. Empty text is returned as empty; the caller decides if it is missing.
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

/// A message or note a person writes: required, multi-line, at most 4000 characters.
pub fn message_text(label: &str, value: &str) -> Result<String, String> {
    let t = clean(label, value, 4000, TextKind::MultiLine)?;
    if t.is_empty() {
        return Err(format!("Please write {label} first."));
    }
    Ok(t)
}

/// A retry key a page sends with a write; empty means "no key".
pub fn client_key(value: &str) -> Result<Option<String>, String> {
    let k = clean("the form's retry key", value, 100, TextKind::Identifier)?;
    Ok((!k.is_empty()).then_some(k))
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

    #[test]
    fn control_characters_are_refused_but_newlines_only_where_they_belong() {
        assert!(clean("your message", "a\0b", 100, TextKind::MultiLine)
            .unwrap_err()
            .contains("Your message contains a hidden control character"));
        assert_eq!(
            clean("x", " line 1\nline\t2 ", 100, TextKind::MultiLine).unwrap(),
            "line 1\nline\t2"
        );
        assert!(clean("your name", "Jo\nCitizen", 100, TextKind::SingleLine).is_err());
        assert!(clean("x", "\u{7}", 100, TextKind::MultiLine).is_err());
    }

    #[test]
    fn invisible_and_direction_characters_are_refused_in_identifiers() {
        assert!(clean("the reference", "CR-AB\u{202E}C", 20, TextKind::Identifier).is_err());
        assert!(clean(
            "your email",
            "jo\u{200B}@example.com",
            100,
            TextKind::Identifier
        )
        .is_err());
        // Fine in a message (a right-to-left language may need them).
        assert!(clean("your message", "שלום\u{200F}", 100, TextKind::MultiLine).is_ok());
    }

    #[test]
    fn length_is_counted_after_normalisation_and_the_limit_is_said() {
        // "é" as e + combining accent is one character once normalised.
        let decomposed = "e\u{301}".repeat(5);
        assert_eq!(
            clean("x", &decomposed, 5, TextKind::MultiLine)
                .unwrap()
                .chars()
                .count(),
            5
        );
        let err = clean("the update", &"a".repeat(4001), 4000, TextKind::MultiLine).unwrap_err();
        assert!(
            err.contains("under 4000 characters") && err.contains("4001"),
            "{err}"
        );
    }

    #[test]
    fn messages_are_required_and_keys_optional() {
        assert_eq!(
            message_text("your message", "  ").unwrap_err(),
            "Please write your message first."
        );
        assert_eq!(client_key("").unwrap(), None);
        assert!(client_key("k\0").is_err());
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
        // The same sentence whichever way the field is named.
        assert_eq!(
            clean("your message", "a\0", 10, TextKind::MultiLine).unwrap_err(),
            clean_field(Field::Message, "a\0", TextKind::MultiLine)
                .unwrap_err()
                .to_string()
        );
        assert_eq!(
            clean_field(Field::Message, "  ", TextKind::MultiLine),
            Ok(String::new())
        );
    }
}
