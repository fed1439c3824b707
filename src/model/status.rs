use serde::{Deserialize, Serialize};

/// Where a request is in its journey. Stored as its `as_str` form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum RequestStatus {
    New,
    Confirmed,
    Accepted,
    Declined,
    Quoted,
    Scheduled,
    InProgress,
    Done,
    Cancelled,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 9] = [
        Self::New,
        Self::Confirmed,
        Self::Accepted,
        Self::Declined,
        Self::Quoted,
        Self::Scheduled,
        Self::InProgress,
        Self::Done,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Confirmed => "confirmed",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Quoted => "quoted",
            Self::Scheduled => "scheduled",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The word a customer sees.
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::Confirmed => "Details confirmed",
            Self::Accepted => "Accepted",
            Self::Declined => "Not able to help",
            Self::Quoted => "Quote ready",
            Self::Scheduled => "Scheduled",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::Cancelled => "Cancelled",
        }
    }

    /// One plain sentence on what happens next, for the customer.
    pub fn next_step(self) -> &'static str {
        match self {
            Self::New => "A person from our office will read your request, usually within one business day. You don't need to send a second request.",
            Self::Confirmed => "We have your details. Next we'll review the job and let you know if we can help.",
            Self::Accepted => "We can help. We're preparing a quote or next step for you.",
            Self::Declined => "We're not able to take this job. See the message from our team for the reason.",
            Self::Quoted => "Your quote is ready to review. Nothing is booked or charged until you say so.",
            Self::Scheduled => "Your job is booked. We'll let you know when the technician is on the way.",
            Self::InProgress => "The technician is on the way or working on the job.",
            Self::Done => "The job is finished. Thank you!",
            Self::Cancelled => "This request was cancelled.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_stored_name() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RequestStatus::parse("bogus"), None);
    }
}
