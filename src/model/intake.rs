//! The service request form: what a customer types, and the checks both sides run on it.
use super::contact::check_phone_shape;
use super::field::{Field, FieldError};
use super::text::{clean_field, TextKind};
use super::values::{Email, MessageText, PersonName};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const TIME_WINDOWS: &[(&str, &str)] = &[
    ("any", "Any time"),
    ("morning", "Morning (7am–12pm)"),
    ("afternoon", "Afternoon (12pm–5pm)"),
    ("evening", "Evening (5pm–8pm)"),
];

pub const STATES: &[&str] = &["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"];

pub fn time_window_label(key: &str) -> &str {
    TIME_WINDOWS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, label)| *label)
        .unwrap_or(key)
}

/// Every field exactly as typed, so a form with errors can be shown again unchanged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IntakeFields {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address_line: String,
    pub suburb: String,
    pub state: String,
    pub postcode: String,
    pub service_type: String,
    pub preferred_date: String,
    pub preferred_window: String,
    pub notes: String,
}

impl IntakeFields {
    /// Every field, for changes that apply to all of them alike.
    pub fn all_mut(&mut self) -> [&mut String; 12] {
        [
            &mut self.first_name,
            &mut self.last_name,
            &mut self.email,
            &mut self.phone,
            &mut self.address_line,
            &mut self.suburb,
            &mut self.state,
            &mut self.postcode,
            &mut self.service_type,
            &mut self.preferred_date,
            &mut self.preferred_window,
            &mut self.notes,
        ]
    }

    /// Sets a field by its form name; unknown names are ignored.
    pub fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "first_name" => &mut self.first_name,
            "last_name" => &mut self.last_name,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "address_line" => &mut self.address_line,
            "suburb" => &mut self.suburb,
            "state" => &mut self.state,
            "postcode" => &mut self.postcode,
            "service_type" => &mut self.service_type,
            "preferred_date" => &mut self.preferred_date,
            "preferred_window" => &mut self.preferred_window,
            "notes" => &mut self.notes,
            _ => return,
        };
        *slot = value;
    }
}

/// Field name → message shown next to that field. `_files` and `_form` hold the rest.
pub type FieldErrors = BTreeMap<String, String>;

/// The form after its checks pass, as typed values. The phone is still as typed (shape
/// checked): only the server knows the business's region to read it as E.164 (`Phone::parse_in`).
#[derive(Clone, Debug, PartialEq)]
pub struct ValidIntake {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub phone: Option<String>,
    pub address_line: PersonName,
    pub suburb: PersonName,
    pub state: String,
    pub postcode: String,
    pub service_type: String,
    pub preferred_date: Option<NaiveDate>,
    pub preferred_window: String,
    pub notes: Option<MessageText>,
}

pub const NOTES_MAX: usize = 4000;

/// Keeps a refusal beside its input, and whatever was accepted (or nothing) as the value.
fn note<T>(errors: &mut FieldErrors, parsed: Result<T, FieldError>) -> Option<T> {
    parsed
        .map_err(|e| {
            errors.insert(e.field.input_name(), e.message());
        })
        .ok()
}

/// A name or address line: required, one line, no hidden characters, at most 200.
fn required(errors: &mut FieldErrors, field: Field, value: &str) -> Option<PersonName> {
    note(errors, PersonName::parse_as(field, value))
}

/// Checks a single field; used by the browser as a person leaves each field.
pub fn check_field(
    name: &str,
    fields: &IntakeFields,
    services: &[String],
    today: NaiveDate,
) -> Option<String> {
    validate(fields, services, today)
        .err()
        .and_then(|e| e.get(name).cloned())
}

pub fn validate(
    f: &IntakeFields,
    services: &[String],
    today: NaiveDate,
) -> Result<ValidIntake, FieldErrors> {
    let mut e = FieldErrors::new();
    let first_name = required(&mut e, Field::FirstName, &f.first_name);
    let last_name = required(&mut e, Field::LastName, &f.last_name);
    let email = note(&mut e, Email::parse(&f.email));
    // Still as typed: the server reads it for its region (`Phone::parse_in`).
    let phone = phone_as_typed(&mut e, &f.phone);
    let address_line = required(&mut e, Field::AddressLine, &f.address_line);
    let suburb = required(&mut e, Field::Suburb, &f.suburb);
    let state = f.state.trim().to_ascii_uppercase();
    if !STATES.contains(&state.as_str()) {
        e.insert("state".into(), "Please choose a state or territory.".into());
    }
    let postcode = f.postcode.trim().to_string();
    if postcode.len() != 4 || !postcode.chars().all(|c| c.is_ascii_digit()) {
        e.insert(
            "postcode".into(),
            "Please enter a 4-digit postcode, e.g. 2000.".into(),
        );
    }
    let service_type = f.service_type.trim().to_string();
    if !services.iter().any(|s| s == &service_type) {
        e.insert(
            "service_type".into(),
            "Please choose the kind of help you need.".into(),
        );
    }
    let preferred_date = preferred_date(&mut e, &f.preferred_date, today);
    let preferred_window = match f.preferred_window.trim() {
        "" => "any".to_string(),
        w if TIME_WINDOWS.iter().any(|(k, _)| *k == w) => w.to_string(),
        _ => {
            e.insert(
                "preferred_window".into(),
                "Please choose a time window.".into(),
            );
            String::new()
        }
    };
    let notes = note(&mut e, MessageText::parse_optional(Field::Notes, &f.notes)).flatten();
    match (first_name, last_name, email, address_line, suburb) {
        (Some(first_name), Some(last_name), Some(email), Some(address_line), Some(suburb))
            if e.is_empty() =>
        {
            Ok(ValidIntake {
                first_name,
                last_name,
                email,
                phone,
                address_line,
                suburb,
                state,
                postcode,
                service_type,
                preferred_date,
                preferred_window,
                notes,
            })
        }
        _ => Err(e),
    }
}

/// The phone still as typed (the server reads it for its region with `Phone::parse_in`), once
/// it has no forbidden characters and the shape of a phone number; blank is no phone.
fn phone_as_typed(e: &mut FieldErrors, typed: &str) -> Option<String> {
    match note(e, clean_field(Field::Phone, typed, TextKind::SingleLine)) {
        Some(p) if p.is_empty() => None,
        Some(p) => {
            if let Err(m) = check_phone_shape(&p) {
                e.insert("phone".into(), m.into());
            }
            Some(p)
        }
        None => None,
    }
}

/// A preferred date from today to a year ahead, or none; anything else is refused beside
/// the field.
fn preferred_date(e: &mut FieldErrors, typed: &str, today: NaiveDate) -> Option<NaiveDate> {
    let refuse = |e: &mut FieldErrors, m: &str| {
        e.insert("preferred_date".into(), m.into());
        None
    };
    match typed.trim() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(date) if date < today => refuse(
                e,
                "That date has passed — please pick today or a later date.",
            ),
            Ok(date) if date > today + chrono::Days::new(365) => {
                refuse(e, "Please pick a date within the next year.")
            }
            Ok(date) => Some(date),
            Err(_) => refuse(e, "Please pick a date from the calendar."),
        },
    }
}

/// What the intake endpoint answers a script (the enhanced form) with.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct IntakeResponse {
    pub ok: bool,
    pub location: Option<String>,
    pub errors: FieldErrors,
    /// Files already accepted for this form (kept across attempts).
    pub kept_files: Vec<KeptFile>,
    /// A calm message instead of a room: e.g. this form was already sent from another browser.
    #[serde(default)]
    pub notice: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptFile {
    pub name: String,
    pub size: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> IntakeFields {
        IntakeFields {
            first_name: "Jo".into(),
            last_name: "Citizen".into(),
            email: "Jo@Example.com".into(),
            phone: "0412 345 678".into(),
            address_line: "1 George St".into(),
            suburb: "Sydney".into(),
            state: "nsw".into(),
            postcode: "2000".into(),
            service_type: "Plumbing".into(),
            preferred_date: "2026-12-01".into(),
            preferred_window: "morning".into(),
            notes: "Leaking tap".into(),
        }
    }

    fn services() -> Vec<String> {
        vec!["Plumbing".into(), "Electrical".into()]
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_complete_form_is_accepted_and_normalised() {
        let v = validate(&good(), &services(), today()).unwrap();
        assert_eq!(v.email.as_str(), "jo@example.com");
        assert_eq!(v.state, "NSW");
        assert_eq!(v.preferred_date, NaiveDate::from_ymd_opt(2026, 12, 1));
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let mut f = good();
        f.first_name = " ".into();
        f.email = "jo@".into();
        f.postcode = "20a0".into();
        f.service_type = "Gardening".into();
        f.preferred_date = "2020-01-01".into();
        f.state = "XX".into();
        let e = validate(&f, &services(), today()).unwrap_err();
        let keys: Vec<_> = e.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "email",
                "first_name",
                "postcode",
                "preferred_date",
                "service_type",
                "state"
            ]
        );
        assert!(e["preferred_date"].contains("passed"));
    }

    #[test]
    fn phone_is_optional_but_checked_when_given() {
        let mut f = good();
        f.phone = String::new();
        assert_eq!(validate(&f, &services(), today()).unwrap().phone, None);
        f.phone = "123".into();
        assert!(check_field("phone", &f, &services(), today()).is_some());
        assert!(check_field("email", &f, &services(), today()).is_none());
    }

    #[test]
    fn hostile_characters_are_refused_beside_their_field() {
        let mut f = good();
        f.first_name = "Jo\0".into();
        f.last_name = "Citi\u{202E}zen".into();
        f.email = "jo\u{200B}@example.com".into();
        f.suburb = "Syd\nney".into();
        f.notes = "leak\0ing".into();
        f.phone = "0412\u{0}345678".into();
        let e = validate(&f, &services(), today()).unwrap_err();
        assert!(e["first_name"].starts_with("Your first name contains a hidden control character"));
        assert!(e["last_name"].contains("invisible or direction-changing"));
        assert!(e["email"].contains("invisible or direction-changing"));
        assert!(e["suburb"].contains("control character"));
        assert!(e["notes"].contains("control character"));
        assert!(e["phone"].contains("control character"));
        // Newlines are fine in the notes, and the old wording stays for the old cases.
        let mut f = good();
        f.notes = "line 1\nline 2".into();
        assert_eq!(
            validate(&f, &services(), today())
                .unwrap()
                .notes
                .as_ref()
                .map(MessageText::as_str),
            Some("line 1\nline 2")
        );
        f.notes = "a".repeat(NOTES_MAX + 1);
        f.suburb = "s".repeat(201);
        f.address_line = " ".into();
        let e = validate(&f, &services(), today()).unwrap_err();
        assert_eq!(
            e["notes"],
            "Please keep notes under 4000 characters — add more later in your room."
        );
        assert_eq!(
            e["suburb"],
            "That's too long — please keep it under 200 characters."
        );
        assert_eq!(
            e["address_line"],
            "Please enter the street address for the job."
        );
    }
}
