//! Contact details as a customer types them. The browser uses these checks for inline
//! messages; the server runs the same checks and then normalises the phone to E.164.

use super::field::{self, Reason};

/// Lower-cased, trimmed email if it has the shape of a deliverable address.
pub fn normalise_email(input: &str) -> Result<String, &'static str> {
    email_shape(input).map_err(|reason| match reason {
        Reason::Missing => field::EMAIL_MISSING,
        Reason::EmailMissingAt => field::EMAIL_MISSING_AT,
        _ => field::EMAIL_INCOMPLETE,
    })
}

/// The shape rules behind [`normalise_email`] and [`Email`](super::values::Email).
pub(crate) fn email_shape(input: &str) -> Result<String, Reason> {
    let email = input.trim().to_ascii_lowercase();
    if email.is_empty() {
        return Err(Reason::Missing);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(Reason::EmailMissingAt);
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || !domain_ok || email.contains(char::is_whitespace) || email.len() > 254 {
        return Err(Reason::NotAnEmail);
    }
    Ok(email)
}

/// A quick shape check for phone numbers: digits with common separators, 8–15 digits.
/// The server does the real parsing for the configured region.
pub fn check_phone_shape(input: &str) -> Result<(), &'static str> {
    let trimmed = input.trim();
    let allowed = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+' | '.'));
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(8..=15).contains(&digits) {
        return Err(field::PHONE_SHAPE);
    }
    Ok(())
}

/// Shows enough of a contact for a person to recognise it, without revealing it.
pub fn mask_contact(contact: &str) -> String {
    if let Some((local, domain)) = contact.split_once('@') {
        let first: String = local.chars().take(1).collect();
        format!("{first}•••@{domain}")
    } else {
        let digits: Vec<char> = contact.chars().filter(char::is_ascii_digit).collect();
        let tail: String = digits[digits.len().saturating_sub(3)..].iter().collect();
        format!("number ending {tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            normalise_email("  Jo.Smith@Example.COM ").unwrap(),
            "jo.smith@example.com"
        );
        assert!(normalise_email("").is_err());
        assert!(normalise_email("jo.example.com").unwrap_err().contains('@'));
        assert!(normalise_email("jo@example").is_err());
        assert!(normalise_email("jo@@example.com").is_err());
        assert!(normalise_email("jo smith@example.com").is_err());
    }

    #[test]
    fn phone_shape_accepts_local_and_international_forms() {
        assert!(check_phone_shape("0412 345 678").is_ok());
        assert!(check_phone_shape("+61 (2) 9876-5432").is_ok());
        assert!(check_phone_shape("12345").is_err());
        assert!(check_phone_shape("call me maybe").is_err());
    }

    #[test]
    fn masking_hides_most_of_the_contact() {
        assert_eq!(mask_contact("jo@example.com"), "j•••@example.com");
        assert_eq!(mask_contact("+61412345678"), "number ending 678");
    }
}
