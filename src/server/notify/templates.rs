//! Message wording. Every alert points back to the room; none carries the request's details.
//! The confirmation carries only the business's own words, the customer's first name (when it
//! looks like a name), the reference and the link: nothing else typed into the form can be
//! relayed through our messages to whatever address was typed in.

pub struct Rendered {
    /// Which alert this is, as /staff/outbox names it.
    pub template: &'static str,
    pub subject: String,
    pub body: String,
}

pub fn request_received_email(
    business: &str,
    first_name: &str,
    reference: &str,
    link: &str,
) -> Rendered {
    let greeting = greeting(first_name);
    Rendered {
        template: "request_received",
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
        template: "request_received",
        subject: String::new(),
        body: format!(
            "{business}: we've got your request {reference}. Open your request room: {link}"
        ),
    }
}

pub fn new_link_email(business: &str, references: &[String], link: &str) -> Rendered {
    let refs = references.join(", ");
    Rendered {
        template: "new_link",
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
        template: "new_link",
        subject: String::new(),
        body: format!("{business}: here is your new link to your request room: {link}"),
    }
}

/// "Something changed — open your room": the details stay in the room.
pub fn room_alert_email(
    business: &str,
    first_name: &str,
    what: &str,
    reference: &str,
    link: &str,
) -> Rendered {
    let greeting = greeting(first_name);
    Rendered {
        template: "room_alert",
        subject: format!("{what} — request {reference}"),
        body: format!(
            "{greeting},\n\n{what} on your request {reference}.\nOpen your request room to see it:\n{link}\n\n\
             We will never ask for passwords, one-time codes or card details.\n\n{business}"
        ),
    }
}

pub fn staff_reset_email(business: &str, name: &str, link: &str) -> Rendered {
    Rendered {
        template: "staff_reset",
        subject: "Reset your Customer Room password".into(),
        body: format!(
            "Hi {name},\n\nSomeone (hopefully you) asked to reset your staff password.\n\
             Choose a new one here within 30 minutes:\n{link}\n\n\
             If you didn't ask, ignore this email — your password stays the same.\n\n{business}"
        ),
    }
}

/// The HTML part of an e-mail, made from its plain text so the two never say different
/// things: paragraphs stay paragraphs and a line that is only one of our links becomes a large
/// button (a thumb on a phone finds it; a long token URL is hard to tap). maud escapes all of
/// it, so nothing a customer typed can become markup.
pub fn email_html(subject: &str, text: &str) -> String {
    use maud::{html, DOCTYPE};
    let paragraphs: Vec<Vec<&str>> = text
        .split("\n\n")
        .map(|p| p.lines().filter(|l| !l.trim().is_empty()).collect())
        .filter(|p: &Vec<&str>| !p.is_empty())
        .collect();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (subject) }
            }
            body style="margin:0;padding:16px;font:16px/1.5 system-ui,sans-serif;color:#1f2933" {
                @for p in &paragraphs {
                    p style="margin:0 0 16px" {
                        @for (i, line) in p.iter().enumerate() {
                            @if i > 0 { br; }
                            @match link_label(line) {
                                Some(label) => a href=(line.trim()) style="display:inline-block;padding:14px 20px;border-radius:8px;background:#1d4ed8;color:#fff;font-weight:600;text-decoration:none" { (label) },
                                None => (line),
                            }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

/// The words on the button for a line that is one of our links, or `None` for ordinary text.
fn link_label(line: &str) -> Option<&'static str> {
    let url = line.trim();
    let is_link = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace);
    if !is_link {
        return None;
    }
    Some(if url.contains("/staff/") {
        "Choose a new password"
    } else {
        "Open your request room"
    })
}

/// "Hi Jo", or a bare "Hi" when the first name doesn't read as one.
fn greeting(first_name: &str) -> String {
    match greeting_name(first_name) {
        Some(name) => format!("Hi {name}"),
        None => "Hi".to_string(),
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
    use super::{email_html, greeting_name, request_received_email};

    #[test]
    fn only_name_like_first_names_are_repeated() {
        assert_eq!(greeting_name(" Jo "), Some("Jo"));
        assert_eq!(greeting_name("Mary-Jane O'Neil"), Some("Mary-Jane O'Neil"));
        assert_eq!(greeting_name("José"), Some("José"));
        assert_eq!(greeting_name("Jo, visit https://evil.example"), None);
        assert_eq!(greeting_name("win.example"), None);
        assert_eq!(greeting_name(""), None);
    }

    #[test]
    fn the_html_part_says_what_the_text_says_with_the_link_as_a_button() {
        let text = request_received_email(
            "Acme <Plumbing>",
            "Jo",
            "CR-1234",
            "https://room.example/r/abc?x=1&y=2",
        );
        let html = email_html(&text.subject, &text.body);
        assert!(html.contains("Hi Jo,"), "{html}");
        assert!(html.contains("Acme &lt;Plumbing&gt;"), "{html}");
        assert!(!html.contains("<Plumbing>"), "{html}");
        assert!(
            html.contains(r#"href="https://room.example/r/abc?x=1&amp;y=2""#),
            "{html}"
        );
        assert!(html.contains(">Open your request room</a>"), "{html}");
        assert_eq!(html.matches("<p ").count(), text.body.split("\n\n").count());
    }
}
