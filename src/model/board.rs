//! The office's job board: requests in columns by stage, each card with the flags that say
//! it needs someone, and the filters the office narrows it with.
use super::status::RequestStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A board column. Rejected (and cancelled) requests sit behind a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// With the office: not triaged yet, or accepted with nothing sent.
    New,
    /// We asked the customer for photos or details and they haven't sent them.
    Waiting,
    Quoted,
    Scheduled,
    InProgress,
    Done,
    Rejected,
}

impl Stage {
    pub const COLUMNS: [Stage; 6] = [
        Self::New,
        Self::Waiting,
        Self::Quoted,
        Self::Scheduled,
        Self::InProgress,
        Self::Done,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::Waiting => "Waiting on customer",
            Self::Quoted => "Quoted",
            Self::Scheduled => "Scheduled",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::Rejected => "Rejected",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Waiting => "waiting",
            Self::Quoted => "quoted",
            Self::Scheduled => "scheduled",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Rejected => "rejected",
        }
    }

    /// The one rule from a request's status (and an open ask) to its column.
    pub fn of(status: RequestStatus, waiting_on_customer: bool) -> Stage {
        use RequestStatus as S;
        match status {
            S::Declined | S::Cancelled => Self::Rejected,
            S::Done => Self::Done,
            S::InProgress => Self::InProgress,
            S::Scheduled => Self::Scheduled,
            S::Quoted => Self::Quoted,
            S::New | S::Confirmed | S::Accepted if waiting_on_customer => Self::Waiting,
            S::New | S::Confirmed | S::Accepted => Self::New,
        }
    }
}

/// Something on a card that needs a person from the office.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    /// The customer asked for a person and the promised call-back time has passed.
    PastPromise,
    /// The customer asked for a person (Get human help).
    Urgent,
    /// Photos arrived since staff last acted on the request.
    NewPhotos,
    /// The last word in the thread is the customer's.
    Question,
    QuoteApproved,
    QuoteDeclined,
}

impl Flag {
    pub const ALL: [Flag; 6] = [
        Self::PastPromise,
        Self::Urgent,
        Self::NewPhotos,
        Self::Question,
        Self::QuoteApproved,
        Self::QuoteDeclined,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::PastPromise => "Past the promised call-back",
            Self::Urgent => "Urgent — wants a person",
            Self::NewPhotos => "New photos",
            Self::Question => "Unanswered question",
            Self::QuoteApproved => "Quote approved",
            Self::QuoteDeclined => "Quote declined",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PastPromise => "past_promise",
            Self::Urgent => "urgent",
            Self::NewPhotos => "photos",
            Self::Question => "question",
            Self::QuoteApproved => "quote_approved",
            Self::QuoteDeclined => "quote_declined",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        Self::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardCard {
    pub id: Uuid,
    pub reference: String,
    pub customer_name: String,
    /// The customer's card, and the tags staff gave them there.
    pub customer_id: Uuid,
    pub tags: Vec<String>,
    pub service_type: String,
    pub suburb: String,
    pub created_at: DateTime<Utc>,
    pub status: RequestStatus,
    pub stage: Stage,
    pub flags: Vec<Flag>,
    /// The assigned technician of the open job, if any.
    pub technician: Option<String>,
}

impl BoardCard {
    pub fn needs_attention(&self) -> bool {
        !self.flags.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: Stage,
    /// Cards that need attention first, then the longest waiting.
    pub cards: Vec<BoardCard>,
}

/// Orders one column's cards: those that need the office first (past their promised
/// call-back, then urgent, then the rest), then oldest first — except Done, newest first.
pub fn sort_column(stage: Stage, cards: &mut [BoardCard]) {
    cards.sort_by(|a, b| {
        let rank = |c: &BoardCard| {
            (
                !c.flags.contains(&Flag::PastPromise),
                !c.flags.contains(&Flag::Urgent),
                !c.needs_attention(),
            )
        };
        let age = if matches!(stage, Stage::Done | Stage::Rejected) {
            b.created_at.cmp(&a.created_at)
        } else {
            a.created_at.cmp(&b.created_at)
        };
        rank(a).cmp(&rank(b)).then(age)
    });
}

/// What the office narrowed the board to. Empty means "everything".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardFilter {
    pub technician: Option<Uuid>,
    pub service: Option<String>,
    pub flag: Option<Flag>,
    /// Reference, name, phone (any format) or email.
    pub search: String,
    pub show_rejected: bool,
}

impl BoardFilter {
    pub fn is_empty(&self) -> bool {
        *self == BoardFilter::default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub columns: Vec<BoardColumn>,
    pub filter: BoardFilter,
    /// For the technician filter: (id, name).
    pub team: Vec<(Uuid, String)>,
    pub services: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(minutes_old: i64, flags: Vec<Flag>) -> BoardCard {
        BoardCard {
            id: Uuid::new_v4(),
            reference: format!("CR-{minutes_old}"),
            customer_name: "Jo".into(),
            customer_id: Uuid::new_v4(),
            tags: vec![],
            service_type: "Plumbing".into(),
            suburb: "Newtown".into(),
            created_at: Utc::now() - chrono::Duration::minutes(minutes_old),
            status: RequestStatus::New,
            stage: Stage::New,
            flags,
            technician: None,
        }
    }

    #[test]
    fn cards_that_need_the_office_come_first_then_the_longest_waiting() {
        let mut cards = vec![
            card(50, vec![]),
            card(10, vec![Flag::Question]),
            card(5, vec![Flag::Urgent]),
            card(90, vec![]),
        ];
        sort_column(Stage::New, &mut cards);
        let order: Vec<_> = cards.iter().map(|c| c.reference.as_str()).collect();
        assert_eq!(order, ["CR-5", "CR-10", "CR-90", "CR-50"]);
    }

    #[test]
    fn the_column_follows_the_status_and_an_open_ask() {
        assert_eq!(Stage::of(RequestStatus::Accepted, true), Stage::Waiting);
        assert_eq!(Stage::of(RequestStatus::Accepted, false), Stage::New);
        assert_eq!(Stage::of(RequestStatus::Quoted, true), Stage::Quoted);
        assert_eq!(Stage::of(RequestStatus::Declined, false), Stage::Rejected);
        assert_eq!(
            Stage::of(RequestStatus::InProgress, false),
            Stage::InProgress
        );
    }
}
