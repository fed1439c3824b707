use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One change to a request, sent to every open room and staff page that may see it.
/// It carries no private data: pages fetch what changed through their own checked calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub request_id: Uuid,
    pub kind: String,
}
