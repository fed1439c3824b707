use super::*;

#[test]
fn existing_sentences_are_kept_word_for_word() {
    let cases = [
        (F::FirstName, R::Missing, "Please enter your first name."),
        (F::LastName, R::Missing, "Please enter your last name."),
        (
            F::FirstName,
            R::TooLong { max: 200, actual: 201 },
            "That's too long — please keep it under 200 characters.",
        ),
        (F::Email, R::Missing, "Please enter your email address."),
        (
            F::Email,
            R::EmailMissingAt,
            "That email address is missing an @ — for example name@example.com.",
        ),
        (
            F::Email,
            R::NotAnEmail,
            "That doesn't look like a complete email address — for example name@example.com.",
        ),
        (
            F::Phone,
            R::NotAPhone,
            "Please enter a phone number we can call or text, e.g. 0412 345 678.",
        ),
        (
            F::Phone,
            R::UnknownPhone,
            "That phone number doesn't look right — please check the digits (e.g. 0412 345 678).",
        ),
        (
            F::Contact,
            R::NotAPhone,
            "Please enter the email address or mobile number you used for your request.",
        ),
        (F::Message, R::Missing, "Please write your message first."),
        (
            F::AskCustomer,
            R::Missing,
            "Please write the request to the customer first.",
        ),
        (
            F::Update,
            R::TooLong { max: 4000, actual: 4001 },
            "The update is too long — please keep it under 4000 characters (it has 4001).",
        ),
        (
            F::Message,
            R::ControlCharacter,
            "Your message contains a hidden control character we can't store. Please retype it (copying from another app can add these).",
        ),
        (
            F::Reference,
            R::HiddenCharacter,
            "The reference contains an invisible or direction-changing character. Please retype it.",
        ),
        (
            F::Notes,
            R::TooLong { max: 4000, actual: 4001 },
            "Please keep notes under 4000 characters — add more later in your room.",
        ),
        (F::SignatureName, R::Missing, "Please type your name to confirm."),
        (F::TechnicianName, R::Missing, "Add the technician's first name."),
        (
            F::Quantity { line: Some(2) },
            R::NotANumber,
            "Line 2: quantity should be a number like 1 or 1.5.",
        ),
        (
            F::UnitPrice { line: Some(1) },
            R::NotANumber,
            "Line 1: unit price should be an amount like 120 or 89.50.",
        ),
        (F::TaxRate, R::NotANumber, "Tax should be a percentage like 10."),
        (
            F::TaxRate,
            R::OutOfRange { min: 0, max: 10_000 },
            "Tax should be a percentage like 10.",
        ),
        (
            F::StaffEmail,
            R::NotAnEmail,
            "Please enter a full email address, like sam@example.com.",
        ),
        (
            F::StaffName,
            R::TooLong { max: 100, actual: 101 },
            "Keep the name under 100 characters.",
        ),
    ];
    for (field, reason, want) in cases {
        assert_eq!(message(field, reason), want, "{field:?} {reason:?}");
    }
}

use Field as F;
use Reason as R;

#[test]
fn new_refusals_say_the_limit() {
    assert_eq!(
        message(
            F::Quantity { line: Some(3) },
            R::OutOfRange {
                min: 1,
                max: 10_000_000
            }
        ),
        "Line 3: quantity should be a number like 1 or 1.5, up to 100,000."
    );
    assert_eq!(
        message(
            F::UnitPrice { line: None },
            R::OutOfRange {
                min: 0,
                max: 1_000_000_000
            }
        ),
        "Unit price should be an amount like 120 or 89.50, up to $10,000,000.00."
    );
    assert_eq!(
        message(F::Quantity { line: None }, R::NotANumber),
        "Quantity should be a number like 1 or 1.5."
    );
}

#[test]
fn every_pair_has_a_sentence() {
    let fields = [
        F::FirstName,
        F::LastName,
        F::AddressLine,
        F::Suburb,
        F::SignatureName,
        F::TechnicianName,
        F::StaffName,
        F::Email,
        F::StaffEmail,
        F::Phone,
        F::Contact,
        F::Message,
        F::Update,
        F::StaffNote,
        F::AskCustomer,
        F::HelpNote,
        F::QuoteReason,
        F::StatusReason,
        F::Notes,
        F::Reference,
        F::ClientKey,
        F::Caption,
        F::TimeWindow,
        F::LineDescription { line: Some(2) },
        F::QuoteNotes,
        F::Quantity { line: Some(1) },
        F::UnitPrice { line: None },
        F::TaxRate,
        F::Feedback,
        F::FeedbackStep,
        F::ProofWords,
        F::ProofConsent,
        F::ProofWording,
        F::MergeConfirm,
    ];
    let reasons = [
        R::Missing,
        R::TooLong {
            max: 10,
            actual: 11,
        },
        R::ControlCharacter,
        R::HiddenCharacter,
        R::EmailMissingAt,
        R::NotAnEmail,
        R::NotAPhone,
        R::UnknownPhone,
        R::NotANumber,
        R::NotAChoice,
        R::OutOfRange { min: 1, max: 100 },
        R::NotAReference,
    ];
    for f in fields {
        assert!(!f.input_name().is_empty());
        for r in reasons {
            let m = message(f, r);
            assert!(
                m.ends_with('.') && m.chars().next().unwrap().is_uppercase(),
                "{f:?} {r:?}: {m}"
            );
            assert!(!m.contains("Some(") && !m.contains('{'), "{m}");
        }
    }
}

#[test]
fn errors_travel_as_json_and_keep_their_message() {
    let e = FieldError::new(F::Quantity { line: Some(2) }, R::NotANumber);
    let json = serde_json::to_string(&e).unwrap();
    let back: FieldError = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);
    assert_eq!(back.to_string(), e.message());
    assert_eq!(e.field.input_name(), "lines[1][quantity]");
    assert_eq!(decimal_label(150), "1.5");
    assert_eq!(decimal_label(5), "0.05");
}
