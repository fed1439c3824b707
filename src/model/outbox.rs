//! The outbox as the office sees it on /staff/outbox: each alert's channel, masked
//! recipient, template, where it is, and its tries.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Delivery {
    /// Waiting for its first (or next) try.
    Pending,
    /// A worker holds it right now.
    Sending,
    /// Handed to the mail server or SMS provider.
    Sent,
    /// Given up on after its last try.
    Failed,
    /// The SMS provider says it reached the phone.
    Delivered,
    /// The SMS provider says it could not reach the phone.
    Undelivered,
    /// Sent again by hand, as a new message.
    Retried,
    /// Not sent: the number turned texts off (STOP).
    OptedOut,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Delivered => "delivered",
            Self::Undelivered => "undelivered",
            Self::Retried => "retried",
            Self::OptedOut => "opted_out",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting to send",
            Self::Sending => "Sending",
            Self::Sent => "Sent",
            Self::Failed => "Failed",
            Self::Delivered => "Delivered",
            Self::Undelivered => "Not delivered",
            Self::Retried => "Sent again",
            Self::OptedOut => "Not sent: texts are off for this number",
        }
    }

    /// Only a message that will not be tried again can be retried by hand.
    pub fn can_retry(self) -> bool {
        matches!(self, Self::Failed | Self::Undelivered)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub channel: String,
    /// Masked: enough to tell people apart, not enough to copy.
    pub recipient: String,
    pub template: String,
    pub status: Delivery,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// False when the message's one-time link is gone and cannot be made again (a
    /// password link): the person asks for a new one instead.
    pub retryable: bool,
}

/// "jo@example.com" → "j•••@example.com"; "+61412345678" → "+61••••••678".
pub fn mask_recipient(recipient: &str) -> String {
    if let Some((local, domain)) = recipient.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}•••@{domain}");
    }
    let chars: Vec<char> = recipient.chars().collect();
    if chars.len() <= 6 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}{}{tail}", "•".repeat(chars.len() - 6))
}

/// The alert's name for people.
pub fn template_label(template: &str) -> &str {
    match template {
        "request_received" => "Request received",
        "room_alert" => "Room update",
        "new_link" => "New room link",
        "staff_reset" => "Password reset",
        "staff_invite" => "Staff invite",
        "" => "Message",
        other => super::template::AlertKind::parse(other).map_or(other, |k| k.label()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_masked_but_still_told_apart() {
        assert_eq!(mask_recipient("jo@example.com"), "j•••@example.com");
        assert_eq!(mask_recipient("+61412345678"), "+61••••••678");
        assert_eq!(mask_recipient("12345"), "•••••");
        assert!(Delivery::Failed.can_retry() && !Delivery::Sent.can_retry());
    }
}
