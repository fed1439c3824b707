//! Message wording. Every alert points back to the room; none carries the request's details.
//! The confirmation carries only the business's own words, the customer's first name (when it
//! looks like a name), the reference and the link: nothing else typed into the form can be
//! relayed through our messages to whatever address was typed in.

pub struct Rendered {
    pub subject: String,
    pub body: String,
}

pub fn request_received_email(
    business: &str,
    first_name: &str,
    reference: &str,
    link: &str,
) -> Rendered {
    let greeting = match greeting_name(first_name) {
        Some(name) => format!("Hi {name}"),
        None => "Hi".to_string(),
    };
    Rendered {
        subject: format!("We've got your request {reference}"),
        body: format!(
            "{greeting},\n\nThanks for contacting {business}. Your request reference is {reference}.\n\n\
             Open your request room to check its status, add photos or ask a question:\n{link}\n\n\
             This link works for 2 hours and stays alive each time you use it. If it has expired, \
             you can ask for a new one from the same page.\n\n\
             We will never ask for passwords, one-time codes or card details.\n\n{business}"
        ),
    }
}

pub fn request_received_sms(business: &str, reference: &str, link: &str) -> Rendered {
    Rendered {
        subject: String::new(),
        body: format!(
            "{business}: we've got your request {reference}. Open your request room: {link}"
        ),
    }
}

pub fn new_link_email(business: &str, references: &[String], link: &str) -> Rendered {
    let refs = references.join(", ");
    Rendered {
        subject: "Your new link to your request room".into(),
        body: format!(
            "Hi,\n\nHere is a fresh link to your request room ({refs}):\n{link}\n\n\
             It works for 2 hours and stays alive each time you use it.\n\
             If you didn't ask for this, you can ignore this message.\n\n{business}"
        ),
    }
}

pub fn new_link_sms(business: &str, link: &str) -> Rendered {
    Rendered {
        subject: String::new(),
        body: format!("{business}: here is your new link to your request room: {link}"),
    }
}

pub fn staff_reset_email(business: &str, name: &str, link: &str) -> Rendered {
    Rendered {
        subject: "Reset your Customer Room password".into(),
        body: format!(
            "Hi {name},\n\nSomeone (hopefully you) asked to reset your staff password.\n\
             Choose a new one here within 30 minutes:\n{link}\n\n\
             If you didn't ask, ignore this email — your password stays the same.\n\n{business}"
        ),
    }
}

/// The first name as typed, only if it reads as a name: letters, spaces, hyphens and
/// apostrophes, at most 30 characters. Anything else (a link, an address, a sentence) is
/// dropped rather than repeated in a message we send.
fn greeting_name(first_name: &str) -> Option<&str> {
    let name = first_name.trim();
    let looks_like_name = !name.is_empty()
        && name.chars().count() <= 30
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '’');
    looks_like_name.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::greeting_name;

    #[test]
    fn only_name_like_first_names_are_repeated() {
        assert_eq!(greeting_name(" Jo "), Some("Jo"));
        assert_eq!(greeting_name("Mary-Jane O'Neil"), Some("Mary-Jane O'Neil"));
        assert_eq!(greeting_name("José"), Some("José"));
        assert_eq!(greeting_name("Jo, visit https://evil.example"), None);
        assert_eq!(greeting_name("win.example"), None);
        assert_eq!(greeting_name(""), None);
    }
}
