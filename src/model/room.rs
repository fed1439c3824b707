//! What the customer's room shows: cards, timeline, thread and quote.
use super::{money::Money, request::RequestDetail};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Card {
    CheckStatus,
    AddPhotos,
    AskQuote,
    ReviewQuote,
    GetHelp,
    Reply,
}

impl Card {
    pub const ALL: [Card; 6] = [
        Card::CheckStatus,
        Card::AddPhotos,
        Card::AskQuote,
        Card::ReviewQuote,
        Card::GetHelp,
        Card::Reply,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Card::CheckStatus => "Check status",
            Card::AddPhotos => "Add photos",
            Card::AskQuote => "Ask about a quote",
            Card::ReviewQuote => "Review quote / continue",
            Card::GetHelp => "Get human help",
            Card::Reply => "Reply or add info",
        }
    }

    pub fn anchor(self) -> &'static str {
        match self {
            Card::CheckStatus => "status",
            Card::AddPhotos => "photos",
            Card::AskQuote => "ask-quote",
            Card::ReviewQuote => "quote",
            Card::GetHelp => "help",
            Card::Reply => "thread",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineStep {
    pub title: String,
    pub done_at: Option<DateTime<Utc>>,
    /// Customer-facing detail, e.g. the schedule or the reason.
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadMessage {
    pub id: Uuid,
    pub from_staff: bool,
    pub author: String,
    pub body: String,
    pub topic: String,
    /// Texted to the business's number rather than typed in the room.
    #[serde(default)]
    pub by_text: bool,
    /// Set when the customer asked for changes to this quote version.
    #[serde(default)]
    pub quote_version: Option<i32>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub description: String,
    /// Hundredths of a unit, so 1.5 hours is 150.
    pub quantity_centi: i64,
    pub unit_price: Money,
}

impl QuoteLine {
    pub fn total(&self) -> Money {
        Money::raw((self.quantity_centi * self.unit_price.cents() + 50) / 100)
    }
    pub fn quantity_label(&self) -> String {
        if self.quantity_centi % 100 == 0 {
            (self.quantity_centi / 100).to_string()
        } else {
            format!("{:.2}", self.quantity_centi as f64 / 100.0)
                .trim_end_matches('0')
                .to_string()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum QuoteStatus {
    Draft,
    Sent,
    Approved,
    Declined,
    Superseded,
}

impl QuoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Superseded => "superseded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::Sent,
            Self::Approved,
            Self::Declined,
            Self::Superseded,
        ]
        .into_iter()
        .find(|q| q.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub id: Uuid,
    pub version: i32,
    pub status: QuoteStatus,
    pub lines: Vec<QuoteLine>,
    pub tax_rate_bp: i32,
    pub valid_until: NaiveDate,
    pub notes: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_name: Option<String>,
    pub decision_reason: Option<String>,
}

impl Quote {
    pub fn subtotal(&self) -> Money {
        Money::raw(self.lines.iter().map(|l| l.total().cents()).sum())
    }
    pub fn tax(&self) -> Money {
        self.subtotal().percent_bp(self.tax_rate_bp)
    }
    pub fn total(&self) -> Money {
        Money::raw(self.subtotal().cents() + self.tax().cents())
    }
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        today > self.valid_until
    }
    pub fn tax_label(&self) -> String {
        let pct = self.tax_rate_bp as f64 / 100.0;
        format!(
            "GST {}%",
            if pct.fract() == 0.0 {
                format!("{pct:.0}")
            } else {
                format!("{pct}")
            }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomUpdate {
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomView {
    pub request: RequestDetail,
    /// Newest first; only what the customer is meant to see.
    pub updates: Vec<RoomUpdate>,
    pub timeline: Vec<TimelineStep>,
    pub messages: Vec<ThreadMessage>,
    /// The quote the customer can act on (or last acted on); never a draft.
    pub quote: Option<Quote>,
    pub recommended: Card,
    /// What staff asked the customer for, in the staff's words.
    pub ask: Option<String>,
    pub urgent: bool,
    pub callback_window: Option<String>,
    /// When a person will call back, in words ("10:30 am tomorrow"): from the ask while
    /// urgent, else what asking now would get.
    #[serde(default)]
    pub help_by: String,
    pub business_name: String,
    pub business_phone: String,
    pub payment_url: Option<String>,
    pub viewer_is_staff: bool,
    pub today: NaiveDate,
    /// Fresh per load: forms send it back so a retried submit is recognised, not repeated.
    pub form_key: Uuid,
    /// "Who can open this request": signed-in browsers first, then links.
    pub access: Vec<AccessEntry>,
    /// Whether we text the request's number; `None` when it has none.
    pub texts: Option<TextConsent>,
    /// The job is finished (or words were offered): the room invites a few words.
    #[serde(default)]
    pub proof_invited: bool,
    pub proof: Option<crate::model::proof::RoomProof>,
    /// The customer has sent private feedback from this room.
    #[serde(default)]
    pub feedback_sent: bool,
}

/// The customer's choice about texts, as the room shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextConsent {
    /// The number, partly hidden ("04•• ••• 678").
    pub phone: String,
    pub on: bool,
}

/// The one card to highlight, from what is pending.
pub fn recommended_card(ask_kind: Option<&str>, quote: Option<&Quote>) -> Card {
    if quote.is_some_and(|q| q.status == QuoteStatus::Sent) {
        return Card::ReviewQuote;
    }
    match ask_kind {
        Some("photos") => Card::AddPhotos,
        Some("details") => Card::Reply,
        _ => Card::CheckStatus,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AccessKind {
    /// A room link we sent (email or SMS).
    Link,
    /// A browser signed in to this request.
    Device,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// Names the entry in the "End" form; never a token or a session id.
    pub id: String,
    pub kind: AccessKind,
    /// "Link sent by email", "Chrome on Android", …
    pub label: String,
    /// "email", "SMS" or "this form".
    pub channel: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// The browser asking.
    pub this_device: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(status: QuoteStatus) -> Quote {
        Quote {
            id: Uuid::nil(),
            version: 1,
            status,
            lines: vec![
                QuoteLine {
                    description: "Labour".into(),
                    quantity_centi: 150,
                    unit_price: Money::raw(9_900),
                },
                QuoteLine {
                    description: "Washer kit".into(),
                    quantity_centi: 100,
                    unit_price: Money::raw(1_250),
                },
            ],
            tax_rate_bp: 1000,
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            notes: String::new(),
            sent_at: None,
            decided_at: None,
            decision_name: None,
            decision_reason: None,
        }
    }

    #[test]
    fn quote_totals_add_up_with_gst() {
        let q = quote(QuoteStatus::Sent);
        assert_eq!(q.lines[0].total(), Money::raw(14_850));
        assert_eq!(q.subtotal(), Money::raw(16_100));
        assert_eq!(q.tax(), Money::raw(1_610));
        assert_eq!(q.total(), Money::raw(17_710));
        assert_eq!(q.lines[0].quantity_label(), "1.5");
        assert_eq!(q.tax_label(), "GST 10%");
        assert!(q.is_expired(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()));
        assert!(!q.is_expired(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()));
    }

    #[test]
    fn the_recommended_card_follows_what_is_pending() {
        assert_eq!(recommended_card(None, None), Card::CheckStatus);
        assert_eq!(recommended_card(Some("photos"), None), Card::AddPhotos);
        assert_eq!(recommended_card(Some("details"), None), Card::Reply);
        assert_eq!(
            recommended_card(Some("photos"), Some(&quote(QuoteStatus::Sent))),
            Card::ReviewQuote
        );
        assert_eq!(
            recommended_card(None, Some(&quote(QuoteStatus::Approved))),
            Card::CheckStatus
        );
    }
}
