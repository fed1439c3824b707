//! The customer's path, in order: what `/guide` explains, where a request is on it, and the
//! steps the private feedback form asks about. One list, so the guide and the feedback
//! review speak of the same steps.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuideStep {
    Start,
    TellUs,
    Confirm,
    Track,
    Reply,
    Review,
    Proof,
}

impl GuideStep {
    pub const ALL: [GuideStep; 7] = [
        GuideStep::Start,
        GuideStep::TellUs,
        GuideStep::Confirm,
        GuideStep::Track,
        GuideStep::Reply,
        GuideStep::Review,
        GuideStep::Proof,
    ];

    pub fn key(self) -> &'static str {
        match self {
            GuideStep::Start => "start",
            GuideStep::TellUs => "tell-us",
            GuideStep::Confirm => "confirm",
            GuideStep::Track => "track",
            GuideStep::Reply => "reply",
            GuideStep::Review => "review",
            GuideStep::Proof => "proof",
        }
    }

    pub fn parse(key: &str) -> Option<GuideStep> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }

    pub fn title(self) -> &'static str {
        match self {
            GuideStep::Start => "Start",
            GuideStep::TellUs => "Tell us what you need",
            GuideStep::Confirm => "Confirm your details",
            GuideStep::Track => "Track your request",
            GuideStep::Reply => "Reply or add info",
            GuideStep::Review => "Review the next step or the outcome",
            GuideStep::Proof => "Leave proof, only if you choose",
        }
    }

    pub fn explain(self) -> &'static str {
        match self {
            GuideStep::Start => "Open our request form. You don't need an account or a password.",
            GuideStep::TellUs => "Say what's wrong, where, and when suits you. Add photos if you have them — it saves a visit.",
            GuideStep::Confirm => "Your request gets its own page, and we send you a link to it. Check what you sent us there — name, address, what you need — and reply if anything is wrong; we confirm the details before anyone is booked.",
            GuideStep::Track => "Your request's page shows where things are: received, accepted, booked, on the way, finished. We text or email you when it changes, always with a link back to the page.",
            GuideStep::Reply => "If we need more, the page asks for it: a few photos or a detail. Reply there, so your reference stays attached and nobody asks twice.",
            GuideStep::Review => "When there is a quote, read it on the page and approve it, decline it or ask for changes. Nothing is booked or paid until you say so.",
            GuideStep::Proof => "After the job you may write a few words about it. We only show them with your permission, in wording you approved, and you can take them back at any time.",
        }
    }

    /// Where a request stands on the path, from what is pending on it.
    pub fn of_request(now: &RequestProgress) -> GuideStep {
        if now.job_finished || now.done {
            GuideStep::Proof
        } else if now.quote_waiting || now.closed {
            GuideStep::Review
        } else if now.asked_for_more {
            GuideStep::Reply
        } else if now.unconfirmed {
            GuideStep::Confirm
        } else {
            GuideStep::Track
        }
    }

    /// Where on the request's page this step is done.
    pub fn room_anchor(self) -> &'static str {
        match self {
            GuideStep::Reply => "thread",
            GuideStep::Review => "quote",
            GuideStep::Proof => "proof",
            GuideStep::Confirm => "details",
            _ => "status",
        }
    }
}

/// What the guide needs to know about a request to place it on the path.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestProgress {
    pub asked_for_more: bool,
    pub quote_waiting: bool,
    pub job_finished: bool,
    /// The work is done.
    pub done: bool,
    /// Declined or cancelled: the outcome is there to read.
    pub closed: bool,
    /// Still new: nobody has confirmed the details yet.
    pub unconfirmed: bool,
}

/// `/guide` for whoever reads it; `current` only for a signed-in customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuideView {
    pub business_name: String,
    pub current: Option<GuidePlace>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuidePlace {
    pub reference: String,
    pub step: GuideStep,
    /// The page (and card) where the next step is done.
    pub next_href: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_placed_by_what_waits_on_it_with_the_finished_job_last() {
        let at = |p: RequestProgress| GuideStep::of_request(&p);
        assert_eq!(at(RequestProgress::default()), GuideStep::Track);
        let new = RequestProgress {
            unconfirmed: true,
            ..Default::default()
        };
        assert_eq!(at(new), GuideStep::Confirm);
        let declined = RequestProgress {
            closed: true,
            ..Default::default()
        };
        assert_eq!(at(declined), GuideStep::Review);
        let asked = RequestProgress {
            asked_for_more: true,
            unconfirmed: true,
            ..Default::default()
        };
        assert_eq!(at(asked.clone()), GuideStep::Reply);
        let quoted = RequestProgress {
            quote_waiting: true,
            ..asked
        };
        assert_eq!(at(quoted.clone()), GuideStep::Review);
        let done = RequestProgress {
            job_finished: true,
            ..quoted
        };
        assert_eq!(at(done), GuideStep::Proof);
        assert_eq!(GuideStep::parse(" review "), Some(GuideStep::Review));
        assert_eq!(GuideStep::parse("nope"), None);
        // The path is told in order, each step once.
        let keys: std::collections::HashSet<_> = GuideStep::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys.len(), GuideStep::ALL.len());
        assert_eq!(GuideStep::ALL[0], GuideStep::Start);
        assert_eq!(GuideStep::ALL[6], GuideStep::Proof);
    }
}
