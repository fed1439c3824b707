use super::status::RequestStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: Uuid,
    pub file_name: String,
    pub kind: String,
    pub byte_size: i64,
    /// Images have a thumbnail and a display copy; PDFs and HEIC files are downloads.
    pub is_image: bool,
    pub caption: String,
    pub created_at: DateTime<Utc>,
}

impl AttachmentInfo {
    pub fn url(&self) -> String {
        format!("/files/{}", self.id)
    }
    pub fn thumb_url(&self) -> String {
        format!("/files/{}/thumb", self.id)
    }
}

/// One line in "My requests" and in the staff list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: Uuid,
    pub reference: String,
    pub customer_name: String,
    pub service_type: String,
    pub suburb: String,
    pub state: String,
    pub status: RequestStatus,
    pub preferred_date: Option<NaiveDate>,
    pub preferred_window: String,
    pub created_at: DateTime<Utc>,
    /// The customer asked for a person (Get human help).
    pub urgent: bool,
}

/// Everything the customer submitted, as the room and the staff page show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub id: Uuid,
    pub reference: String,
    pub status: RequestStatus,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_line: String,
    pub suburb: String,
    pub state: String,
    pub postcode: String,
    pub service_type: String,
    pub preferred_date: Option<NaiveDate>,
    pub preferred_window: String,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub attachments: Vec<AttachmentInfo>,
}

/// Contact details remembered from a customer's latest request, to start a new one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KnownContact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address_line: String,
    pub suburb: String,
    pub state: String,
    pub postcode: String,
}

/// "12 min ago" style age, for lists and the room's latest update.
pub fn time_ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..=44 => "just now".into(),
        45..=89 => "1 min ago".into(),
        90..=3599 => format!("{} min ago", (secs + 30) / 60),
        3600..=5399 => "1 hour ago".into(),
        5400..=86_399 => format!("{} hours ago", (secs + 1800) / 3600),
        86_400..=172_799 => "yesterday".into(),
        _ => format!("{} days ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn ages_read_naturally() {
        let now = Utc::now();
        assert_eq!(time_ago(now - Duration::seconds(10), now), "just now");
        assert_eq!(time_ago(now - Duration::minutes(12), now), "12 min ago");
        assert_eq!(time_ago(now - Duration::hours(3), now), "3 hours ago");
        assert_eq!(time_ago(now - Duration::hours(30), now), "yesterday");
        assert_eq!(time_ago(now - Duration::days(9), now), "9 days ago");
    }
}
