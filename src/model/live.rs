use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One change to a request, sent to every open room and staff page that may see it.
/// It carries no private data: pages fetch what changed through their own checked calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// Increasing; the SSE event id a reconnecting browser sends back as `Last-Event-ID`.
    #[serde(default)]
    pub id: i64,
    pub request_id: Uuid,
    pub kind: String,
}

impl LiveEvent {
    /// The parts of the room and of the staff request page (`data-region`s) a change of this
    /// kind can alter; a page refreshes the ones it has. Empty means "reload every part" (an
    /// unknown kind is never skipped). Every change is in the staff page's activity log.
    pub fn regions(&self) -> &'static [&'static str] {
        match self.kind.as_str() {
            "message" => &["thread", "room-top", "log"],
            "update" => &["room-top", "log"],
            "status" => &["room-top", "status", "job", "log"],
            "ask" => &["room-top", "photos", "thread", "log"],
            "quote" => &["room-top", "quote", "status", "job", "log"],
            "quote_approved" | "quote_declined" => &["room-top", "quote", "status", "job", "log"],
            "help" | "urgent" => &["room-top", "help", "thread", "log"],
            "photos" => &["room-top", "photos", "log"],
            "job" => &["room-top", "status", "job", "log"],
            "access" => &["access"],
            "texts" => &["texts", "log"],
            "proof" => &["proof", "log"],
            "feedback" => &["feedback", "log"],
            _ => &[],
        }
    }

    /// A change the board calls out with a sound and a banner: a new request, or a
    /// customer asking for a person.
    pub fn is_alert(&self) -> bool {
        matches!(self.kind.as_str(), "request_created" | "help")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_names_the_cards_it_changes_and_unknown_ones_reload_all() {
        let ev = |kind: &str| LiveEvent {
            id: 1,
            request_id: Uuid::nil(),
            kind: kind.into(),
        };
        assert_eq!(ev("message").regions(), ["thread", "room-top", "log"]);
        assert_eq!(ev("photos").regions(), ["room-top", "photos", "log"]);
        assert!(ev("job").regions().contains(&"job"));
        assert!(ev("request_created").regions().is_empty());
        // Older payloads without an id still parse (id 0: never replayed).
        let old: LiveEvent = serde_json::from_str(
            r#"{"request_id":"00000000-0000-0000-0000-000000000000","kind":"x"}"#,
        )
        .unwrap();
        assert_eq!(old.id, 0);
    }
}
