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
    /// The parts of the room (`data-region`s) a change of this kind can alter; empty means
    /// "reload every part" (an unknown kind is never skipped).
    pub fn regions(&self) -> &'static [&'static str] {
        match self.kind.as_str() {
            "message" => &["thread", "room-top"],
            "update" => &["room-top"],
            "status" => &["room-top", "status"],
            "ask" => &["room-top", "photos", "thread"],
            "quote" => &["room-top", "quote"],
            "quote_approved" | "quote_declined" => &["room-top", "quote", "status"],
            "help" | "urgent" => &["room-top", "help", "thread"],
            "photos" => &["room-top", "photos"],
            "access" => &["access"],
            _ => &[],
        }
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
        assert_eq!(ev("message").regions(), ["thread", "room-top"]);
        assert_eq!(ev("photos").regions(), ["room-top", "photos"]);
        assert!(ev("request_created").regions().is_empty());
        // Older payloads without an id still parse (id 0: never replayed).
        let old: LiveEvent = serde_json::from_str(
            r#"{"request_id":"00000000-0000-0000-0000-000000000000","kind":"x"}"#,
        )
        .unwrap();
        assert_eq!(old.id, 0);
    }
}
