//! Staff emails' wording, the HTML part every email gets, and the first-name rule alerts use.
//! Customer alerts' wording is in `model::template` (defaults) and /staff/templates (the
//! business's own), filled by `alerts`. Every alert points back to the room; none carries the
//! request's details: only the business's words, the first name (when it looks like a name),
//! the reference and the link, so nothing typed into the form can be relayed through our
//! messages to whatever address was typed in.

pub struct Rendered {
    /// Which alert this is, as /staff/outbox names it.
    pub template: &'static str,
    pub subject: String,
    pub body: String,
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

/// The first name as typed, only if it reads as a name: letters, spaces, hyphens and
/// apostrophes, at most 30 characters. Anything else (a link, an address, a sentence) is
/// dropped rather than repeated in a message we send.
pub(crate) fn greeting_name(first_name: &str) -> Option<&str> {
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
    use super::{email_html, greeting_name};
    use crate::model::template::{render, AlertKind, Channel, Placeholder};

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
        let (subject, body) = AlertKind::RequestReceived.default_text(Channel::Email);
        let fill = |t: &str| {
            render(t, |p| match p {
                Placeholder::BusinessName => "Acme <Plumbing>".into(),
                Placeholder::FirstName => "Jo".into(),
                Placeholder::RoomLink => "https://room.example/r/abc?x=1&y=2".into(),
                p => p.sample().into(),
            })
        };
        let text = super::Rendered {
            template: "request_received",
            subject: fill(subject),
            body: fill(body),
        };
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
