//! The customer card staff open when a customer calls or texts: who they are, how they
//! reach us, what they've asked for, and everything said and done, newest first.
use super::{
    field::{Field, FieldError, Reason},
    status::RequestStatus,
    text::{clean_field, TextKind},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Tags offered as you type; any other short tag is fine too.
pub const TAG_SUGGESTIONS: [&str; 3] = ["VIP", "Supplier", "Family member"];
/// Enough to mean something at a glance on a board card.
pub const MAX_TAGS: usize = 8;
/// History entries per page.
pub const HISTORY_PAGE: i64 = 30;

/// A tag as staff typed it: one line, inner spaces collapsed, at most 30 characters.
pub fn parse_tag(input: &str) -> Result<String, FieldError> {
    let text = clean_field(Field::Tag, input, TextKind::Identifier)?;
    let tag = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if tag.is_empty() {
        return Err(FieldError::new(Field::Tag, Reason::Missing));
    }
    Ok(tag)
}

/// How a customer got in touch (or was got in touch with).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Call,
    Text,
    Email,
    WebForm,
    Room,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Self::Call => "Phone call",
            Self::Text => "Text message",
            Self::Email => "Email",
            Self::WebForm => "Web form",
            Self::Room => "Request room",
        }
    }

    /// The most used of `counts`; a tie goes to the one listed first (the more personal).
    pub fn most_common(counts: &[(Channel, i64)]) -> Option<Channel> {
        let mut best: Option<(Channel, i64)> = None;
        for &(c, n) in counts {
            if n > 0 && best.is_none_or(|(_, m)| n > m) {
                best = Some((c, n));
            }
        }
        best.map(|(c, _)| c)
    }
}

/// What a call came to, as staff log it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallOutcome {
    Called,
    NoAnswer,
    Voicemail,
    Spoke,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 4] = [Self::Called, Self::NoAnswer, Self::Voicemail, Self::Spoke];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Called => "called",
            Self::NoAnswer => "no_answer",
            Self::Voicemail => "voicemail",
            Self::Spoke => "spoke",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Called => "Called",
            Self::NoAnswer => "No answer",
            Self::Voicemail => "Left a voicemail",
            Self::Spoke => "Spoke to them",
        }
    }
}

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    FromCustomer,
    ToCustomer,
}

/// One message in the communication history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommEntry {
    pub at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Direction,
    /// The request it was about.
    pub reference: Option<String>,
    /// What was said (an alert's subject or first line for email and text).
    pub text: String,
}

/// One thing that happened, with who did it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub at: DateTime<Utc>,
    /// "Alex", "Sam (staff)", or "Customer Room" for the system.
    pub who: String,
    pub what: String,
    pub reference: Option<String>,
}

/// One of the customer's requests, with its job and quote state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRequest {
    pub reference: String,
    pub service_type: String,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
    /// The latest job's number and status label, if any.
    pub job: Option<String>,
    /// The newest sent quote's version and status label, if any.
    pub quote: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    pub customer_since: DateTime<Utc>,
    pub jobs_completed: i64,
    pub most_common: Option<Channel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub tags: Vec<String>,
    pub insights: Insights,
    pub requests: Vec<CustomerRequest>,
    pub comms: Vec<CommEntry>,
    pub activity: Vec<ActivityEntry>,
    /// The history page shown (from 0) and whether an older one exists.
    pub page: i64,
    pub more: bool,
    /// Fresh for each page view: the call form's retry key.
    pub form_key: String,
    /// Other cards with the same phone number or email: likely the same person.
    #[serde(default)]
    pub duplicates: Vec<CustomerHit>,
    pub composer: Option<Composer>,
}

/// "Write to them" on the card: the message goes into the chosen request's room, and one
/// alert (the business's "Update posted" wording) brings them to it by text or email.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Composer {
    /// (reference, "Hot water · New"), newest first.
    pub requests: Vec<(String, String)>,
    /// What the text will say ("[room link]" stands for the link).
    pub sms_preview: String,
    /// "92 characters · 1 text".
    pub sms_length: String,
    pub email_preview: String,
    /// The number replied STOP: no text can go to it.
    pub texts_off: bool,
    /// The card has a mobile number / an email address.
    pub has_phone: bool,
    pub has_email: bool,
}

/// One customer in a search result (or a possible duplicate on a card).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerHit {
    pub id: Uuid,
    pub name: String,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tags: Vec<String>,
    pub customer_since: DateTime<Utc>,
    pub requests: i64,
    pub latest_reference: Option<String>,
    pub latest_at: Option<DateTime<Utc>>,
}

/// `/staff/customers`: what was typed and who it found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerSearchView {
    pub q: String,
    /// False when nothing (or too little) was typed to search.
    pub searched: bool,
    pub hits: Vec<CustomerHit>,
}

impl CustomerCard {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_one_short_line() {
        assert_eq!(parse_tag("  family   member ").unwrap(), "family member");
        assert_eq!(parse_tag("").unwrap_err().reason, Reason::Missing);
        assert!(parse_tag(&"x".repeat(31)).is_err());
        assert!(parse_tag("VIP\u{0}").is_err());
        assert!(parse_tag("V\u{202E}IP").is_err(), "no direction tricks");
    }

    #[test]
    fn the_most_common_channel_needs_at_least_one_and_ties_go_to_the_first() {
        use Channel::*;
        assert_eq!(Channel::most_common(&[(Call, 0), (Text, 0)]), None);
        assert_eq!(
            Channel::most_common(&[(Call, 1), (Text, 3), (Room, 2)]),
            Some(Text)
        );
        assert_eq!(
            Channel::most_common(&[(Call, 2), (Text, 2), (WebForm, 1)]),
            Some(Call)
        );
    }

    #[test]
    fn call_outcomes_round_trip() {
        for o in CallOutcome::ALL {
            assert_eq!(CallOutcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(CallOutcome::parse("hung_up"), None);
        assert_eq!(CallOutcome::Voicemail.label(), "Left a voicemail");
    }
}
