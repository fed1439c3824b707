//! The one catalogue of field messages. A refused value is a [`FieldError`]: which input
//! ([`Field`]) and why ([`Reason`]); [`message`] is the only place that turns the pair into
//! the sentence a customer or staff member reads beside that input. The wording matches what
//! the app said before the values were typed, so nothing a person sees changes.
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which input a value came from. The same kind of value (a name, a message) has a different
/// limit and wording in different places, so the field, not the type, decides both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    FirstName,
    LastName,
    /// The street address on the request form.
    AddressLine,
    Suburb,
    /// The name a customer types to approve a quote.
    SignatureName,
    TechnicianName,
    /// A staff member's display name (invites, account changes).
    StaffName,
    Email,
    /// The e-mail a staff member signs in with or is invited by.
    StaffEmail,
    Phone,
    /// "Email address or mobile number" on the get-a-new-link form.
    Contact,
    /// A customer's message in the room thread.
    Message,
    /// A staff update the customer sees.
    Update,
    /// A staff-only note.
    StaffNote,
    /// Staff asking the customer for photos or details.
    AskCustomer,
    /// The note with a "get help" request.
    HelpNote,
    /// What a customer would like changed in a quote.
    QuoteChanges,
    /// Why a customer declines a quote.
    QuoteReason,
    /// The customer-facing reason with an accepted/declined status.
    StatusReason,
    /// The notes on the request form.
    Notes,
    Reference,
    ClientKey,
    /// A caption on a room photo.
    Caption,
    /// The "call me back" time window with a help request or a scheduled job.
    TimeWindow,
    /// A quote line's description; `line` counts from 1.
    LineDescription {
        line: Option<u32>,
    },
    /// The notes printed on a quote.
    QuoteNotes,
    /// A quote line's quantity; `line` counts from 1 as staff see the lines.
    Quantity {
        line: Option<u32>,
    },
    UnitPrice {
        line: Option<u32>,
    },
    TaxRate,
    /// Where a job is (from the request, editable).
    JobLocation,
    JobDate,
    JobStart,
    JobEnd,
    /// The technician a job is assigned to (a choice from the team).
    JobTechnician,
    /// Notes for the technician, never shown to the customer.
    JobNotes,
    /// The short, customer-facing summary when a job is finished.
    JobSummary,
    /// The customer-facing reason a job is cancelled.
    CancelReason,
    /// The board's search box: a reference, name, phone or email.
    Search,
    /// A customer's business name on their card (optional).
    BusinessName,
    /// The customer's address on their card.
    CustomerAddress,
    /// A tag on a customer's card (VIP, Supplier, …).
    Tag,
    /// Where the path felt unclear, in the customer's words (private feedback).
    Feedback,
    /// Which step of the path the feedback is about.
    FeedbackStep,
    /// A customer's own words about a finished job.
    ProofWords,
    /// The customer's permission to show their words.
    ProofConsent,
    /// The wording staff propose to publish.
    ProofWording,
    /// Staff saying two customer cards are one person.
    MergeConfirm,
}

impl Field {
    /// How a sentence names the field ("your message", "the update").
    pub fn label(self) -> &'static str {
        match self {
            Field::FirstName => "your first name",
            Field::LastName => "your last name",
            Field::AddressLine => "the street address",
            Field::Suburb => "the suburb or city",
            Field::SignatureName => "your name",
            Field::TechnicianName => "the technician's name",
            Field::StaffName => "the name",
            Field::Email => "your email address",
            Field::StaffEmail => "the email address",
            Field::Phone => "your phone number",
            Field::Contact => "your email address or mobile number",
            Field::Message => "your message",
            Field::Update => "the update",
            Field::StaffNote => "the note",
            Field::AskCustomer => "the request to the customer",
            Field::HelpNote => "your note",
            Field::QuoteReason | Field::StatusReason => "the reason",
            Field::QuoteChanges => "what you'd like changed",
            Field::Notes => "your notes",
            Field::Reference => "the reference",
            Field::ClientKey => "the form's retry key",
            Field::Caption => "the caption",
            Field::TimeWindow => "the time window",
            Field::LineDescription { .. } => "the description",
            Field::QuoteNotes => "the quote notes",
            Field::Quantity { .. } => "the quantity",
            Field::UnitPrice { .. } => "the unit price",
            Field::TaxRate => "the tax rate",
            Field::JobLocation => "the job's address",
            Field::JobDate => "the day of the job",
            Field::JobStart => "the start time",
            Field::JobEnd => "the end time",
            Field::JobTechnician => "the technician",
            Field::JobNotes => "the notes for the technician",
            Field::JobSummary => "the summary for the customer",
            Field::CancelReason => "the reason for cancelling",
            Field::Search => "the search",
            Field::BusinessName => "the business name",
            Field::CustomerAddress => "the address",
            Field::Tag => "the tag",
            Field::Feedback => "what felt unclear",
            Field::FeedbackStep => "the step",
            Field::ProofWords => "your words",
            Field::ProofConsent => "your permission",
            Field::ProofWording => "the wording",
            Field::MergeConfirm => "the check that they are one person",
        }
    }

    /// Longest accepted text, in characters after normalisation. One table, so a limit is
    /// never different between the browser's pre-check and the server.
    pub fn max_chars(self) -> usize {
        match self {
            Field::FirstName | Field::LastName | Field::AddressLine | Field::Suburb => 200,
            Field::SignatureName => 120,
            Field::TechnicianName => 60,
            Field::StaffName => 100,
            Field::Email | Field::StaffEmail | Field::Contact => 254,
            Field::Phone => 40,
            Field::Message | Field::Update | Field::StaffNote | Field::AskCustomer => 4000,
            Field::Notes => crate::model::intake::NOTES_MAX,
            Field::HelpNote | Field::QuoteReason => 1000,
            Field::QuoteChanges => 2000,
            Field::StatusReason => 500,
            Field::Reference => 20,
            Field::ClientKey => 100,
            Field::Caption | Field::LineDescription { .. } => 200,
            Field::TimeWindow => 40,
            Field::QuoteNotes => 4000,
            // Numbers are refused by shape long before this.
            Field::Quantity { .. } | Field::UnitPrice { .. } | Field::TaxRate => 40,
            Field::JobLocation => 300,
            Field::JobDate | Field::JobStart | Field::JobEnd | Field::JobTechnician => 40,
            Field::JobNotes => 2000,
            Field::JobSummary | Field::CancelReason => 500,
            Field::Search => 254,
            Field::BusinessName => 120,
            Field::CustomerAddress => 300,
            Field::Tag => 30,
            Field::Feedback => 2000,
            Field::FeedbackStep | Field::ProofConsent | Field::MergeConfirm => 20,
            Field::ProofWords | Field::ProofWording => 1000,
        }
    }

    /// The form input's `name`, so a page can put the message beside it.
    pub fn input_name(self) -> String {
        match self {
            Field::FirstName => "first_name".into(),
            Field::LastName => "last_name".into(),
            Field::AddressLine => "address_line".into(),
            Field::Suburb => "suburb".into(),
            Field::SignatureName => "typed_name".into(),
            Field::TechnicianName => "technician".into(),
            Field::StaffName => "name".into(),
            Field::Email | Field::StaffEmail => "email".into(),
            Field::Phone => "phone".into(),
            Field::Contact => "contact".into(),
            Field::Message | Field::Update | Field::StaffNote => "body".into(),
            Field::AskCustomer => "text".into(),
            Field::HelpNote => "note".into(),
            Field::QuoteReason | Field::StatusReason => "reason".into(),
            Field::QuoteChanges => "body".into(),
            Field::Notes => "notes".into(),
            Field::Reference => "reference".into(),
            Field::ClientKey => "client_key".into(),
            Field::Caption => "caption".into(),
            Field::TimeWindow => "window".into(),
            Field::LineDescription { line: Some(n) } => format!("lines[{}][description]", n - 1),
            Field::LineDescription { line: None } => "description".into(),
            Field::QuoteNotes => "notes".into(),
            Field::Quantity { line: Some(n) } => format!("lines[{}][quantity]", n - 1),
            Field::Quantity { line: None } => "quantity".into(),
            Field::UnitPrice { line: Some(n) } => format!("lines[{}][unit_price]", n - 1),
            Field::UnitPrice { line: None } => "unit_price".into(),
            Field::TaxRate => "tax_percent".into(),
            Field::JobLocation => "location".into(),
            Field::JobDate => "date".into(),
            Field::JobStart => "start".into(),
            Field::JobEnd => "end".into(),
            Field::JobTechnician => "technician_id".into(),
            Field::JobNotes => "notes".into(),
            Field::JobSummary => "summary".into(),
            Field::CancelReason => "reason".into(),
            Field::Search => "q".into(),
            Field::BusinessName => "business_name".into(),
            Field::CustomerAddress => "address".into(),
            Field::Tag => "tag".into(),
            Field::Feedback => "body".into(),
            Field::FeedbackStep => "step".into(),
            Field::ProofWords => "words".into(),
            Field::ProofConsent => "consent".into(),
            Field::ProofWording => "wording".into(),
            Field::MergeConfirm => "confirm".into(),
        }
    }
}

/// Why a value was refused. Limits are carried so the message can say them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    Missing,
    /// `max` and `actual` are characters after normalisation.
    TooLong {
        max: usize,
        actual: usize,
    },
    /// NUL or another control character (newline/tab outside multi-line fields).
    ControlCharacter,
    /// A bidi override/isolate or zero-width character in a name, e-mail or reference.
    HiddenCharacter,
    EmailMissingAt,
    NotAnEmail,
    /// Not the shape of a phone number at all.
    NotAPhone,
    /// Shaped like a phone number, but no such number exists for the region.
    UnknownPhone,
    /// Not a plain positive decimal: also NaN, inf, exponents, signs, too many decimals.
    NotANumber,
    /// Outside the accepted range; bounds are in the field's smallest unit
    /// (cents, hundredths of a unit, basis points).
    OutOfRange {
        min: i64,
        max: i64,
    },
    NotAReference,
    /// Not one of the choices the form offers.
    NotAChoice,
    /// Not a date (`YYYY-MM-DD`) or a time (`HH:MM`), or a time that does not exist that day.
    NotATime,
    /// An end that is not after its start.
    NotAfterStart,
}

/// One refused value: the input it came from and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub reason: Reason,
}

impl FieldError {
    pub fn new(field: Field, reason: Reason) -> Self {
        FieldError { field, reason }
    }

    /// The same refusal reported against another input (e.g. an e-mail typed into the
    /// "email or mobile" box).
    pub fn for_field(self, field: Field) -> Self {
        FieldError { field, ..self }
    }

    pub fn message(&self) -> String {
        message(self.field, self.reason)
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FieldError {}

// The sentences themselves live in `field_message.rs`; these names are the catalogue's.
pub use super::field_message::message;
pub(crate) use super::field_message::{
    decimal_label, EMAIL_INCOMPLETE, EMAIL_MISSING, EMAIL_MISSING_AT, PHONE_SHAPE,
};

#[cfg(test)]
#[path = "field_tests.rs"]
mod tests;
