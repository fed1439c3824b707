//! Spotting things a customer should never send: card numbers, one-time codes, passwords.

/// A plain-English warning if the text looks like it holds something sensitive.
pub fn warning(text: &str) -> Option<&'static str> {
    if !card_numbers(text).is_empty() {
        return Some("This looks like a card number. Please don't send card details here — we'll never ask for them. It will be hidden if you send it.");
    }
    let lower = text.to_lowercase();
    let has_code_word = ["code", "otp", "verification", "pin"]
        .iter()
        .any(|w| lower.contains(w));
    let has_short_number = lower
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| (4..=8).contains(&run.len()));
    if has_code_word && has_short_number {
        return Some("This looks like a one-time code or PIN. Never share codes sent to your phone — we will never ask for them.");
    }
    if ["password", "passcode", "passwd"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return Some("This looks like it mentions a password. Please don't share passwords here — we will never ask for them.");
    }
    None
}

/// Byte ranges of Luhn-valid card-length digit runs (spaces and dashes allowed inside).
fn card_numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = Vec::new();
        let mut end = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b' ' || bytes[i] == b'-')
        {
            if bytes[i].is_ascii_digit() {
                digits.push(bytes[i] - b'0');
                end = i + 1;
            }
            i += 1;
        }
        if (13..=19).contains(&digits.len()) && luhn(&digits) {
            found.push((start, end));
        }
    }
    found
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = d as u32;
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// Replaces card numbers with a masked form keeping the last four digits.
pub fn mask_card_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in card_numbers(text) {
        out.push_str(&text[last..start]);
        let digits: String = text[start..end]
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        out.push_str(&format!(
            "[card number hidden, ending {}]",
            &digits[digits.len() - 4..]
        ));
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_valid_card_numbers_are_masked_and_others_left_alone() {
        let masked = mask_card_numbers("my card is 4111 1111 1111 1111 thanks");
        assert_eq!(
            masked,
            "my card is [card number hidden, ending 1111] thanks"
        );
        // Not Luhn-valid: a phone-ish long number stays.
        assert_eq!(
            mask_card_numbers("ref 1234 5678 9012 3456"),
            "ref 1234 5678 9012 3456"
        );
        assert!(warning("4111-1111-1111-1111")
            .unwrap()
            .contains("card number"));
    }

    #[test]
    fn codes_and_passwords_are_warned_about_but_ordinary_messages_are_not() {
        assert!(warning("the code is 483920")
            .unwrap()
            .contains("one-time code"));
        assert!(warning("my wifi password is hunter2")
            .unwrap()
            .contains("password"));
        assert_eq!(
            warning("Can you come at 10am on Tuesday? Unit 4, 12 Smith St 2000"),
            None
        );
    }
}
