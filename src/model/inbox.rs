//! Texts that come in to the business's number: the carrier keywords that turn texts off
//! and on, who a text (and the alert about it) goes to, and the staff inbox's view of them.
use super::job::JobStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A text that is only a carrier keyword (any case; a full stop or spaces around it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Keyword {
    /// STOP and its synonyms: no more texts to this number.
    Stop,
    /// START and its synonyms: texts again.
    Start,
}

impl Keyword {
    /// The keyword `body` is, if it is one. START's synonyms include YES, which is also an
    /// ordinary answer: `receive` treats a Start as a keyword only for a number that is off.
    pub fn of(body: &str) -> Option<Keyword> {
        let word = body
            .trim()
            .trim_end_matches(['.', '!'])
            .trim()
            .to_ascii_uppercase();
        match word.as_str() {
            "STOP" | "STOPALL" | "UNSUBSCRIBE" | "CANCEL" | "END" | "QUIT" | "OPTOUT"
            | "REVOKE" => Some(Keyword::Stop),
            "START" | "UNSTOP" | "YES" | "OPTIN" => Some(Keyword::Start),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Stop => "stop",
            Keyword::Start => "start",
        }
    }

    pub fn parse(s: &str) -> Option<Keyword> {
        [Keyword::Stop, Keyword::Start]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Why a text or a staff alert went to the person it went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RouteReason {
    /// The job is under way (On my way until Finished): the technician on it.
    Technician,
    /// The business's designated point of contact.
    PointOfContact,
    /// No point of contact is designated: the owner.
    Owner,
}

impl RouteReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Technician => "technician",
            Self::PointOfContact => "point_of_contact",
            Self::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Technician, Self::PointOfContact, Self::Owner]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// "to Sam, the technician on the job" reads after the person's name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Technician => "the technician on the job",
            Self::PointOfContact => "the point of contact",
            Self::Owner => "the owner (no point of contact is set)",
        }
    }
}

/// The routing rule: from On my way until Finished a text goes to the technician on the
/// job; otherwise to the point of contact; with none designated, to the owner.
pub fn route(
    job: Option<JobStatus>,
    has_technician: bool,
    has_point_of_contact: bool,
) -> RouteReason {
    match job {
        Some(JobStatus::OnMyWay | JobStatus::InProgress) if has_technician => {
            RouteReason::Technician
        }
        _ if has_point_of_contact => RouteReason::PointOfContact,
        _ => RouteReason::Owner,
    }
}

/// One text in the staff inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxEntry {
    pub id: Uuid,
    /// The number it came from, as the provider gave it (E.164).
    pub from: String,
    pub body: String,
    /// The request it joined; `None` for a new lead (a number we don't know).
    pub reference: Option<String>,
    pub first_name: Option<String>,
    /// The customer's tags (VIP, Supplier, …), so whoever answers knows who it is.
    #[serde(default)]
    pub tags: Vec<String>,
    pub keyword: Option<Keyword>,
    /// Who it was routed to, and why.
    pub to_name: Option<String>,
    pub to_me: bool,
    pub because: RouteReason,
    pub received_at: DateTime<Utc>,
    pub handled: bool,
}

impl InboxEntry {
    /// What the inbox says about it, in one line.
    pub fn summary(&self) -> String {
        let who = match (&self.reference, &self.first_name) {
            (Some(r), Some(n)) => format!("{n} · {r}"),
            (Some(r), None) => r.clone(),
            _ => "New lead: a number we don't know".to_string(),
        };
        match self.keyword {
            Some(Keyword::Stop) => format!("{who} · turned texts off"),
            Some(Keyword::Start) => format!("{who} · turned texts back on"),
            None => who,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_in_any_case_with_a_full_stop() {
        assert_eq!(Keyword::of("STOP"), Some(Keyword::Stop));
        assert_eq!(Keyword::of(" stop. "), Some(Keyword::Stop));
        assert_eq!(Keyword::of("Unsubscribe"), Some(Keyword::Stop));
        assert_eq!(Keyword::of("start"), Some(Keyword::Start));
        assert_eq!(Keyword::of("Yes!"), Some(Keyword::Start));
        assert_eq!(Keyword::of("stop texting me at work"), None);
        assert_eq!(Keyword::of("Is 9 ok?"), None);
    }

    #[test]
    fn routing_follows_the_job() {
        use JobStatus::*;
        for s in [OnMyWay, InProgress] {
            assert_eq!(route(Some(s), true, true), RouteReason::Technician);
            assert_eq!(route(Some(s), true, false), RouteReason::Technician);
        }
        for s in [Scheduled, Finished, Cancelled] {
            assert_eq!(route(Some(s), true, true), RouteReason::PointOfContact);
            assert_eq!(route(Some(s), true, false), RouteReason::Owner);
        }
        assert_eq!(route(None, false, true), RouteReason::PointOfContact);
        assert_eq!(route(None, false, false), RouteReason::Owner);
        // A job under way whose technician left the business: the office takes it.
        assert_eq!(
            route(Some(OnMyWay), false, true),
            RouteReason::PointOfContact
        );
    }
}

/// A staff member as the point-of-contact choice lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: Uuid,
    pub name: String,
}

/// /staff/inbox: the texts, how the reader gets their alerts, and (for the office) who the
/// point of contact is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxView {
    pub entries: Vec<InboxEntry>,
    /// "email", "sms" or "none".
    pub alert_channel: String,
    pub alert_phone: Option<String>,
    /// Only for owner and office, who may choose the point of contact.
    pub team: Option<Vec<TeamMember>>,
    pub point_of_contact: Option<Uuid>,
}
