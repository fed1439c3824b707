//! The sentences of the field catalogue: [`message`] turns a refused value's (field, reason)
//! into what a customer or staff member reads beside that input.
use super::field::{Field, Reason};

// Sentences shared with the older `&'static str` checks in contact.rs, so both say the same.
pub(crate) const EMAIL_MISSING: &str = "Please enter your email address.";
pub(crate) const EMAIL_MISSING_AT: &str =
    "That email address is missing an @ — for example name@example.com.";
pub(crate) const EMAIL_INCOMPLETE: &str =
    "That doesn't look like a complete email address — for example name@example.com.";
pub(crate) const PHONE_SHAPE: &str =
    "Please enter a phone number we can call or text, e.g. 0412 345 678.";
pub(crate) const PHONE_UNKNOWN: &str =
    "That phone number doesn't look right — please check the digits (e.g. 0412 345 678).";
const CONTACT: &str = "Please enter the email address or mobile number you used for your request.";
const STAFF_EMAIL: &str = "Please enter a full email address, like sam@example.com.";

pub(crate) fn control_message(label: &str) -> String {
    format!(
        "{} contains a hidden control character we can't store. Please retype it (copying from another app can add these).",
        capitalise(label)
    )
}

pub(crate) fn hidden_message(label: &str) -> String {
    format!(
        "{} contains an invisible or direction-changing character. Please retype it.",
        capitalise(label)
    )
}

pub(crate) fn too_long_message(label: &str, max: usize, actual: usize) -> String {
    format!(
        "{} is too long — please keep it under {max} characters (it has {actual}).",
        capitalise(label)
    )
}

/// The plain-English sentence for every (field, reason) pair.
pub fn message(field: Field, reason: Reason) -> String {
    use Field as F;
    use Reason as R;
    let label = field.label();
    if let Some(m) = job_message(field, reason) {
        return m;
    }
    match (field, reason) {
        (_, R::ControlCharacter) => control_message(label),
        (_, R::HiddenCharacter) => hidden_message(label),

        (F::FirstName, R::Missing) => "Please enter your first name.".into(),
        (F::LastName, R::Missing) => "Please enter your last name.".into(),
        (F::AddressLine, R::Missing) => "Please enter the street address for the job.".into(),
        (F::Suburb, R::Missing) => "Please enter the suburb or city.".into(),
        (F::FirstName | F::LastName | F::AddressLine | F::Suburb, R::TooLong { max, .. }) => {
            format!("That's too long — please keep it under {max} characters.")
        }
        (F::SignatureName, R::Missing) => "Please type your name to confirm.".into(),
        (F::TechnicianName, R::Missing) => "Add the technician's first name.".into(),
        (F::StaffName, R::Missing) => "Add the person's name (under 100 characters).".into(),
        (F::StaffName, R::TooLong { max, .. }) => {
            format!("Keep the name under {max} characters.")
        }

        (F::Email, R::Missing) => EMAIL_MISSING.into(),
        (F::Email | F::Contact, R::EmailMissingAt) => EMAIL_MISSING_AT.into(),
        (F::Email | F::Contact, R::NotAnEmail) => EMAIL_INCOMPLETE.into(),
        (F::StaffEmail, R::Missing) => "Please enter the email address you sign in with.".into(),
        (F::StaffEmail, R::EmailMissingAt | R::NotAnEmail) => STAFF_EMAIL.into(),

        (F::Phone, R::Missing) => "Please enter your phone number.".into(),
        (F::Contact, R::Missing | R::NotAPhone) => CONTACT.into(),
        (_, R::NotAPhone) => PHONE_SHAPE.into(),
        (_, R::UnknownPhone) => PHONE_UNKNOWN.into(),

        (F::Notes, R::TooLong { max, .. }) => {
            format!("Please keep notes under {max} characters — add more later in your room.")
        }

        (F::LineDescription { line: Some(n) }, R::Missing) => {
            format!("Line {n}: add a description.")
        }

        (F::Reference, R::Missing | R::NotAReference) => {
            "That reference doesn't look right — it looks like CR-7K3Q9X.".into()
        }

        (F::Quantity { line }, R::OutOfRange { max, .. }) => format!(
            "{}uantity should be a number like 1 or 1.5, up to {}.",
            line_prefix(line, 'q'),
            decimal_label(max)
        ),
        (F::Quantity { line }, _) => format!(
            "{}uantity should be a number like 1 or 1.5.",
            line_prefix(line, 'q')
        ),
        (F::UnitPrice { line }, R::OutOfRange { max, .. }) => format!(
            "{}nit price should be an amount like 120 or 89.50, up to {}.",
            line_prefix(line, 'u'),
            crate::model::money::Money::from_cents(max).unwrap_or_default()
        ),
        (F::UnitPrice { line }, _) => format!(
            "{}nit price should be an amount like 120 or 89.50.",
            line_prefix(line, 'u')
        ),
        // The range (0–100) is what "a percentage" already says.
        (F::TaxRate, _) => "Tax should be a percentage like 10.".into(),

        (_, R::Missing) => format!("Please write {label} first."),
        (_, R::TooLong { max, actual }) => too_long_message(label, max, actual),
        (_, R::EmailMissingAt | R::NotAnEmail) => EMAIL_INCOMPLETE.into(),
        (_, R::NotAReference) => {
            "That reference doesn't look right — it looks like CR-7K3Q9X.".into()
        }
        (_, R::NotAChoice) => format!("Choose {label} from the list."),
        (_, R::NotANumber) => format!("{} should be a number.", capitalise(label)),
        (_, R::NotATime) => format!("{} should be a date or time.", capitalise(label)),
        (_, R::NotAfterStart) => "The job has to end after it starts.".into(),
        (_, R::OutOfRange { min, max }) => format!(
            "{} should be between {} and {}.",
            capitalise(label),
            decimal_label(min),
            decimal_label(max)
        ),
    }
}

/// The sentences of the job forms (making a job, finishing or cancelling one).
fn job_message(field: Field, reason: Reason) -> Option<String> {
    use Field as F;
    use Reason as R;
    let label = field.label();
    Some(match (field, reason) {
        (F::JobDate, R::Missing | R::NotATime) => "Choose the day of the job.".into(),
        (F::JobStart | F::JobEnd, R::Missing) => format!("Choose {label}, like 09:00."),
        (F::JobStart | F::JobEnd, R::NotATime) => format!(
            "{} should be a time like 09:00 that exists on that day.",
            capitalise(label)
        ),
        (F::JobTechnician, R::Missing | R::NotAChoice) => {
            "Choose the technician from the team list.".into()
        }
        (F::JobSummary, R::Missing) => {
            "Write a short summary for the customer of what was done.".into()
        }
        (F::ProofConsent, _) => {
            "Tick the box to say we may show your words — or simply leave this card.".into()
        }
        (F::MergeConfirm, _) => {
            "Tick the box once you've checked these cards are the same person.".into()
        }
        (F::ProofWords, R::Missing) => "Write a few words about the job first.".into(),
        (F::FeedbackStep, _) => "Choose the step that felt unclear from the list.".into(),
        (F::CancelReason, R::Missing) => "Tell the customer why the visit is cancelled.".into(),
        _ => return None,
    })
}

/// "Line 3: q" on a quote line, "Q" on its own: the sentence then continues "uantity …".
fn line_prefix(line: Option<u32>, initial: char) -> String {
    match line {
        Some(n) => format!("Line {n}: {initial}"),
        None => initial.to_ascii_uppercase().to_string(),
    }
}

/// Hundredths as people write them: 150 → "1.5", 10_000_000 → "100,000".
pub(crate) fn decimal_label(hundredths: i64) -> String {
    let whole = crate::model::money::group_thousands(hundredths.unsigned_abs() / 100);
    let frac = hundredths.unsigned_abs() % 100;
    let sign = if hundredths < 0 { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let frac = format!("{frac:02}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
