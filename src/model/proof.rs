//! Private feedback and permissioned proof. Feedback only ever reaches the staff review list.
//! Proof — a customer's words about a finished job — is shown on `/proof` only while the
//! customer has approved the exact wording and staff have published it; either side can
//! withdraw it, which takes it off at once. The database holds the same rule as a check.
use super::guide::GuideStep;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a request's proof stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProofState {
    /// The customer approved the wording; staff have not published it (yet, or again).
    WithStaff,
    /// Staff changed the wording; it waits for the customer's approval.
    WithCustomer,
    Published,
    /// The customer took it back: nothing is shown and their approval is gone.
    WithdrawnByCustomer,
    /// Staff took it off the proof page; the customer's approval still stands.
    WithdrawnByStaff,
}

impl ProofState {
    /// From the stored facts. `approved` is the wording the customer approved, if any.
    pub fn of(
        wording: &str,
        approved: Option<&str>,
        published: bool,
        withdrawn_by: Option<&str>,
    ) -> ProofState {
        match withdrawn_by {
            Some("customer") => ProofState::WithdrawnByCustomer,
            _ if approved != Some(wording) => ProofState::WithCustomer,
            _ if published => ProofState::Published,
            Some(_) => ProofState::WithdrawnByStaff,
            None => ProofState::WithStaff,
        }
    }

    /// Staff may publish only the wording the customer approved, and never what the
    /// customer withdrew.
    pub fn may_publish(self) -> bool {
        matches!(self, ProofState::WithStaff | ProofState::WithdrawnByStaff)
    }

    pub fn staff_label(self) -> &'static str {
        match self {
            ProofState::WithStaff => "Approved by the customer — ready to publish",
            ProofState::WithCustomer => "Waiting for the customer to approve your wording",
            ProofState::Published => "Published on /proof",
            ProofState::WithdrawnByCustomer => "Withdrawn by the customer",
            ProofState::WithdrawnByStaff => "Taken off /proof by staff",
        }
    }
}

/// The room's view of its proof (the customer's own words and where they stand).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomProof {
    pub customer_words: String,
    pub wording: String,
    /// Sent back with an approval, so the customer approves the wording they read.
    pub revision: i32,
    pub state: ProofState,
    /// "Alex, Brunswick": how it is signed on the proof page.
    pub attribution: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// One entry on the staff proof list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffProof {
    pub request_id: Uuid,
    pub reference: String,
    pub proof: RoomProof,
    pub offered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What `/proof` shows: only published, approved proof, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicProof {
    pub wording: String,
    pub attribution: String,
    pub service_type: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProofPage {
    pub business_name: String,
    pub entries: Vec<PublicProof>,
}

/// One piece of private feedback on the staff review list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackEntry {
    pub id: Uuid,
    pub reference: String,
    pub step: GuideStep,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Who marked it read, and when.
    pub reviewed: Option<(String, DateTime<Utc>)>,
}

/// The room's "signed" line: first name and suburb, nothing that finds the customer.
pub fn attribution(first_name: &str, suburb: &str) -> String {
    let first = first_name.split_whitespace().next().unwrap_or("").trim();
    match (first.is_empty(), suburb.trim().is_empty()) {
        (true, _) => "A customer".into(),
        (false, true) => first.into(),
        (false, false) => format!("{first}, {}", suburb.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProofState::*;

    #[test]
    fn only_the_wording_the_customer_approved_can_be_published_and_their_withdrawal_ends_it() {
        let w = "Fixed the leak in an hour.";
        assert_eq!(ProofState::of(w, Some(w), false, None), WithStaff);
        assert!(WithStaff.may_publish());
        assert_eq!(ProofState::of(w, Some(w), true, None), Published);
        // Staff changed one word: the customer must approve it first.
        let edited = "Fixed the leak in under an hour.";
        assert_eq!(ProofState::of(edited, Some(w), false, None), WithCustomer);
        assert!(!WithCustomer.may_publish());
        assert_eq!(ProofState::of(w, None, false, None), WithCustomer);
        // Withdrawn by the customer: never publishable, whatever else is stored.
        assert_eq!(
            ProofState::of(w, Some(w), false, Some("customer")),
            WithdrawnByCustomer
        );
        assert!(!WithdrawnByCustomer.may_publish());
        // Taken down by staff, the approval still holds: it may go back up.
        assert_eq!(
            ProofState::of(w, Some(w), false, Some("staff")),
            WithdrawnByStaff
        );
        assert!(WithdrawnByStaff.may_publish());
    }

    #[test]
    fn proof_is_signed_with_a_first_name_and_suburb_only() {
        assert_eq!(attribution("Alex Jordan", "Brunswick"), "Alex, Brunswick");
        assert_eq!(attribution("Alex", " "), "Alex");
        assert_eq!(attribution("  ", "Brunswick"), "A customer");
    }
}
