use super::*;
use crate::model::money::Money;
use crate::model::reference::Reference;

fn reason<T: fmt::Debug>(r: Result<T, FieldError>) -> Reason {
    r.unwrap_err().reason
}

const HOSTILE_TEXT: [(&str, Reason); 4] = [
    ("jo\0smith", Reason::ControlCharacter),
    ("jo\u{7}", Reason::ControlCharacter),
    ("jo\u{1b}[31m", Reason::ControlCharacter),
    ("j\u{85}o", Reason::ControlCharacter),
];

#[test]
fn names_refuse_control_hidden_and_direction_characters() {
    for (input, want) in HOSTILE_TEXT {
        assert_eq!(reason(PersonName::parse(input)), want, "{input:?}");
    }
    assert_eq!(
        reason(PersonName::parse("Jo\nCitizen")),
        Reason::ControlCharacter
    );
    assert_eq!(
        reason(PersonName::parse("Jo\u{202E}nesiC")),
        Reason::HiddenCharacter
    );
    assert_eq!(
        reason(PersonName::parse("Jo\u{200B}")),
        Reason::HiddenCharacter
    );
    assert_eq!(
        reason(PersonName::parse("\u{FEFF}Jo")),
        Reason::HiddenCharacter
    );
    assert_eq!(reason(PersonName::parse("   ")), Reason::Missing);
    let n = PersonName::parse_as(Field::TechnicianName, "  Sam  Lee ").unwrap();
    assert_eq!(n.as_str(), "Sam  Lee");
    assert_eq!(n.first_word(), "Sam");
    assert_eq!(
        PersonName::parse_as(Field::FirstName, "")
            .unwrap_err()
            .to_string(),
        "Please enter your first name."
    );
}

#[test]
fn limits_are_per_field_and_said_in_characters() {
    let e = PersonName::parse_as(Field::TechnicianName, &"a".repeat(61)).unwrap_err();
    assert_eq!(
        e.reason,
        Reason::TooLong {
            max: 60,
            actual: 61
        }
    );
    assert!(
        e.to_string().contains("under 60 characters (it has 61)"),
        "{e}"
    );
    assert!(PersonName::parse_as(Field::TechnicianName, &"é".repeat(60)).is_ok());
    let e = MessageText::parse_as(Field::StatusReason, &"a".repeat(501)).unwrap_err();
    assert_eq!(
        e.reason,
        Reason::TooLong {
            max: 500,
            actual: 501
        }
    );
    assert!(MessageText::parse_as(Field::Message, &"a".repeat(4000)).is_ok());
}

#[cfg(feature = "ssr")]
#[test]
fn combining_sequences_are_normalised_before_the_length_is_counted() {
    // 120 × (e + U+0301) is 240 code points but 120 characters once composed.
    let decomposed = "e\u{301}".repeat(120);
    let n = PersonName::parse_as(Field::SignatureName, &decomposed).unwrap();
    assert_eq!(n.as_str(), "é".repeat(120));
    assert_eq!(
        reason(PersonName::parse_as(
            Field::SignatureName,
            &"e\u{301}".repeat(121)
        )),
        Reason::TooLong {
            max: 120,
            actual: 121
        }
    );
    // A mark with no precomposed form stays separate and counts.
    let m = MessageText::parse("q\u{301}").unwrap();
    assert_eq!(m.as_str().chars().count(), 2);
}

#[test]
fn values_of_200_kb_are_refused_with_the_limit() {
    let big = "a".repeat(200 * 1024);
    let e = MessageText::parse(&big).unwrap_err();
    assert_eq!(
        e.reason,
        Reason::TooLong {
            max: 4000,
            actual: 204_800
        }
    );
    assert!(e.to_string().contains("under 4000 characters"));
    assert!(matches!(
        reason(PersonName::parse(&big)),
        Reason::TooLong { max: 120, .. }
    ));
    assert!(matches!(
        reason(Email::parse(&big)),
        Reason::TooLong { max: 254, .. }
    ));
    assert!(matches!(
        reason(Phone::parse(&big)),
        Reason::TooLong { max: 40, .. }
    ));
    assert!(matches!(
        reason(Reference::parse_as(Field::Reference, &big)),
        Reason::TooLong { max: 20, .. }
    ));
    let digits = "9".repeat(200 * 1024);
    assert!(matches!(
        reason(Quantity::parse(&digits)),
        Reason::OutOfRange { .. }
    ));
    assert!(matches!(
        reason(Money::parse_as(Field::UnitPrice { line: None }, &digits)),
        Reason::OutOfRange { .. }
    ));
    assert!(matches!(
        reason(TaxRate::parse(&digits)),
        Reason::OutOfRange { .. }
    ));
    assert_eq!(reason(Quantity::parse(&big)), Reason::NotANumber);
}

#[test]
fn messages_keep_newlines_and_tabs_but_no_other_control_characters() {
    let m = MessageText::parse("  Hi,\n\tthe tap\r\nleaks  ").unwrap();
    assert_eq!(m.as_str(), "Hi,\n\tthe tap\r\nleaks");
    assert_eq!(reason(MessageText::parse("a\0b")), Reason::ControlCharacter);
    assert_eq!(
        reason(MessageText::parse("\u{8}")),
        Reason::ControlCharacter
    );
    // A right-to-left language may need direction marks in a message.
    assert!(MessageText::parse("שלום\u{200F}").is_ok());
    assert_eq!(
        MessageText::parse(" \n ").unwrap_err().to_string(),
        "Please write your message first."
    );
    assert_eq!(
        MessageText::parse_optional(Field::StatusReason, "  "),
        Ok(None)
    );
    assert_eq!(
        reason(MessageText::parse_optional(Field::StatusReason, "x\0")),
        Reason::ControlCharacter
    );
}

#[test]
fn messages_warn_about_and_mask_card_numbers() {
    let m = MessageText::parse("card 4111 1111 1111 1111 ok").unwrap();
    assert!(m.warning().unwrap().contains("card number"));
    assert_eq!(m.masked(), "card [card number hidden, ending 1111] ok");
    assert_eq!(
        MessageText::parse("Tuesday is fine").unwrap().warning(),
        None
    );
}

#[test]
fn emails_are_normalised_and_refused_with_the_old_sentences() {
    let e = Email::parse("  Jo.Smith@Example.COM ").unwrap();
    assert_eq!(e.as_str(), "jo.smith@example.com");
    assert_eq!(e.domain(), "example.com");
    assert_eq!(reason(Email::parse("")), Reason::Missing);
    assert_eq!(
        reason(Email::parse("jo.example.com")),
        Reason::EmailMissingAt
    );
    for bad in [
        "jo@example",
        "jo@@example.com",
        "jo smith@example.com",
        "@example.com",
    ] {
        assert_eq!(reason(Email::parse(bad)), Reason::NotAnEmail, "{bad}");
    }
    assert_eq!(
        reason(Email::parse("jo\0@example.com")),
        Reason::ControlCharacter
    );
    assert_eq!(
        reason(Email::parse("jo\u{200B}@example.com")),
        Reason::HiddenCharacter
    );
    assert_eq!(
        reason(Email::parse("jo@exa\u{202E}mple.com")),
        Reason::HiddenCharacter
    );
    let staff = Email::parse_as(Field::StaffEmail, "sam").unwrap_err();
    assert_eq!(
        staff.to_string(),
        "Please enter a full email address, like sam@example.com."
    );
    // The older check says the same as the typed value.
    assert_eq!(
        crate::model::contact::normalise_email("jo.example.com").unwrap_err(),
        Email::parse("jo.example.com").unwrap_err().to_string()
    );
}

#[test]
fn phones_are_shape_checked_everywhere() {
    assert_eq!(reason(Phone::parse("")), Reason::Missing);
    assert_eq!(reason(Phone::parse("12345")), Reason::NotAPhone);
    assert_eq!(reason(Phone::parse("call me maybe")), Reason::NotAPhone);
    assert_eq!(
        reason(Phone::parse("0412\x00345678")),
        Reason::ControlCharacter
    );
    assert_eq!(
        Phone::parse_as(Field::Contact, "hello")
            .unwrap_err()
            .to_string(),
        "Please enter the email address or mobile number you used for your request."
    );
}

#[cfg(feature = "ssr")]
#[test]
fn phones_are_e164_on_the_server() {
    use phonenumber::country::Id;
    let p = Phone::parse_in(Field::Phone, "0412 345 678", Id::AU).unwrap();
    assert_eq!(p.as_str(), "+61412345678");
    assert_eq!(
        Phone::parse_in(Field::Phone, "(02) 9876 5432", Id::AU)
            .unwrap()
            .as_str(),
        "+61298765432"
    );
    assert_eq!(
        Phone::parse_in(Field::Phone, "+64 21 123 4567", Id::AU)
            .unwrap()
            .as_str(),
        "+64211234567"
    );
    assert_eq!(
        reason(Phone::parse_in(Field::Phone, "0000 000 000", Id::AU)),
        Reason::UnknownPhone
    );
    // Without a region only the international form is understood: the stored form.
    assert_eq!(Phone::parse("+61412345678").unwrap(), p);
    assert_eq!(reason(Phone::parse("0412 345 678")), Reason::UnknownPhone);
}

#[test]
fn references_say_why_they_were_refused() {
    let r = Reference::parse_as(Field::Reference, " cr-7k3q9x ").unwrap();
    assert_eq!(r.as_str(), "CR-7K3Q9X");
    assert_eq!("7K3Q9X".parse::<Reference>().unwrap(), r);
    assert_eq!(
        reason(Reference::parse_as(Field::Reference, "CR-7K3\u{202E}Q9X")),
        Reason::HiddenCharacter
    );
    assert_eq!(
        reason(Reference::parse_as(Field::Reference, "CR-7K3\u{200B}Q9X")),
        Reason::HiddenCharacter
    );
    assert_eq!(
        reason(Reference::parse_as(Field::Reference, "CR-7K3\0Q9X")),
        Reason::ControlCharacter
    );
    assert_eq!(
        reason(Reference::parse_as(Field::Reference, "CR-7K3Q90")),
        Reason::NotAReference
    );
    assert_eq!(
        reason(Reference::parse_as(Field::Reference, "")),
        Reason::Missing
    );
}

#[path = "values_number_tests.rs"]
mod numbers;

/// JSON can only make a value that parse would have made.
#[test]
fn deserialising_goes_through_parse() {
    use serde_json::{from_str, to_string};
    let e: Email = from_str(r#"" Jo@Example.com""#).unwrap();
    assert_eq!(to_string(&e).unwrap(), r#""jo@example.com""#);
    assert!(from_str::<Email>(r#""jo\u0000@example.com""#).is_err());
    assert!(from_str::<PersonName>(r#""Jo\u202e""#).is_err());
    assert!(from_str::<PersonName>(r#""""#).is_err());
    assert!(from_str::<MessageText>(r#""a\u0000""#).is_err());
    assert_eq!(
        from_str::<MessageText>(r#""a\nb""#).unwrap().as_str(),
        "a\nb"
    );
    assert!(from_str::<Phone>(r#""12""#).is_err());
    assert!(from_str::<Reference>(r#""CR-0000""#).is_err());
    let r: Reference = from_str(r#""CR-7K3Q9X""#).unwrap();
    assert_eq!(to_string(&r).unwrap(), r#""CR-7K3Q9X""#);
    // Numbers travel in their smallest unit, as stored quotes already hold them.
    assert_eq!(to_string(&Money::raw(1_250)).unwrap(), "1250");
    assert_eq!(from_str::<Money>("1250").unwrap(), Money::raw(1_250));
    assert!(from_str::<Money>("-1").is_err());
    assert!(from_str::<Money>("1e309").is_err());
    assert!(from_str::<Money>("12.5").is_err());
    assert!(from_str::<Money>("\"NaN\"").is_err());
    assert_eq!(from_str::<Quantity>("150").unwrap().hundredths(), 150);
    assert!(from_str::<Quantity>("0").is_err());
    assert!(from_str::<Quantity>("-5").is_err());
    assert!(from_str::<Quantity>("10000001").is_err());
    assert!(from_str::<Quantity>("99999999999999999999").is_err());
    assert_eq!(from_str::<TaxRate>("1000").unwrap().basis_points(), 1_000);
    assert!(from_str::<TaxRate>("10001").is_err());
    assert!(from_str::<TaxRate>("-1").is_err());
    // A whole quote as stored still reads back.
    let line: crate::model::room::QuoteLine =
        from_str(r#"{"description":"Tap","quantity_centi":150,"unit_price":9900}"#).unwrap();
    assert_eq!(line.unit_price, Money::raw(9_900));
}
