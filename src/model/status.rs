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

/// Why a move is refused, in words for the staff member who tried it.
pub type MoveRefused = String;

impl RequestStatus {
    /// The word staff see (the customer sees [`label`](Self::label)).
    pub fn staff_label(self) -> &'static str {
        match self {
            Self::Declined => "Rejected",
            Self::Confirmed => "Confirmed",
            Self::Quoted => "Quoted",
            other => other.label(),
        }
    }

    /// Moves staff make by hand, on the request page or the board. The others come from the
    /// work itself: sending a quote makes a request Quoted, its job Scheduled, In progress
    /// and Done, and a cancelled job brings it back to Accepted.
    pub fn manual_moves(self) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match self {
            New | Confirmed => &[Accepted, Declined],
            // Done by hand: answered, no job needed.
            Accepted | Quoted => &[Done, Declined, Cancelled],
            Scheduled | InProgress => &[],
            Declined | Cancelled => &[New],
            Done => &[],
        }
    }

    /// The one rule for a move by hand; a refusal says why and what to do instead.
    pub fn check_move(self, to: RequestStatus) -> Result<(), MoveRefused> {
        use RequestStatus::*;
        if self == to {
            return Err(format!("This request is already {}.", to.staff_label()));
        }
        if self.manual_moves().contains(&to) {
            return Ok(());
        }
        Err(match (self, to) {
            (Done, _) => "This request is finished. For more work, start a new request.".into(),
            (Scheduled | InProgress, _) => {
                "This request has a job. Move the job on, or cancel it, from the request page."
                    .into()
            }
            (_, Quoted) => "Send a quote to move the request to Quoted.".into(),
            (New | Confirmed, Scheduled) => {
                "Accept the request first, then make a job for it.".into()
            }
            (_, Scheduled) => "Make a job for the request to schedule it.".into(),
            (_, InProgress) => "The technician's job moves the request to In progress.".into(),
            (New | Confirmed, Done) => "Accept the request first.".into(),
            (Declined | Cancelled, _) => "Reopen the request (move it to New) first.".into(),
            (from, to) => format!(
                "A request that is {} can't move to {}.",
                from.staff_label(),
                to.staff_label()
            ),
        })
    }

    /// A quote can be sent once the request is accepted, and re-sent while it is quoted.
    pub fn check_quote(self) -> Result<(), MoveRefused> {
        match self {
            Self::Accepted | Self::Quoted => Ok(()),
            Self::New | Self::Confirmed => Err("Accept the request before sending a quote.".into()),
            other => Err(format!(
                "A request that is {} can't get a new quote.",
                other.staff_label()
            )),
        }
    }

    /// A job can be made for an accepted (or quoted) request with no job open.
    pub fn check_job(self) -> Result<(), MoveRefused> {
        match self {
            Self::Accepted | Self::Quoted => Ok(()),
            Self::New | Self::Confirmed => Err("Accept the request before making a job.".into()),
            Self::Scheduled | Self::InProgress => Err("This request already has a job.".into()),
            other => Err(format!(
                "A request that is {} can't get a job.",
                other.staff_label()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_moves_are_allowed_and_every_refusal_says_why() {
        use RequestStatus::*;
        for from in RequestStatus::ALL {
            for to in RequestStatus::ALL {
                let allowed = from.manual_moves().contains(&to);
                match from.check_move(to) {
                    Ok(()) => assert!(allowed, "{from:?} -> {to:?}"),
                    Err(why) => {
                        assert!(!allowed, "{from:?} -> {to:?}");
                        assert!(why.ends_with('.') && why.len() > 15, "{why}");
                    }
                }
            }
        }
        assert!(New.check_move(Accepted).is_ok());
        assert!(New.check_move(Declined).is_ok());
        assert_eq!(
            New.check_move(Scheduled).unwrap_err(),
            "Accept the request first, then make a job for it."
        );
        assert!(Done.check_move(New).is_err());
        assert!(Declined.check_move(New).is_ok());
        assert!(Accepted.check_quote().is_ok());
        assert!(New.check_quote().is_err());
        assert!(Quoted.check_job().is_ok());
        assert!(Scheduled.check_job().is_err());
    }

    #[test]
    fn every_status_round_trips_through_its_stored_name() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RequestStatus::parse("bogus"), None);
    }
}
