//! Live streams as a browser's EventSource sees them: `GET /events` over the real router,
//! read frame by frame and parsed as server-sent events.
use super::TestApp;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use customer_room::model::live::LiveEvent;
use http_body_util::BodyExt;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Long enough for a loaded machine (several parallel builds); only a failing test waits it out.
pub const EVENT_WAIT: Duration = Duration::from_secs(30);

/// Starts this instance's NOTIFY listener and returns once it is listening, so nothing
/// written afterwards can be missed. (On each connect the listener closes every open
/// stream by announcing "every session ended"; that announcement is the ready signal.)
pub async fn start_listener(app: &TestApp) {
    let mut ready = app.state.live.subscribe_ended();
    app.state.live.spawn_listener(app.state.pool.clone());
    let announced = tokio::time::timeout(EVENT_WAIT, async {
        loop {
            match ready.recv().await {
                Ok(_) => return,
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => panic!("live hub closed"),
            }
        }
    })
    .await;
    announced.expect("the live listener connected");
}

#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

pub struct SseClient {
    pub status: StatusCode,
    pub content_type: String,
    body: Body,
    buffer: String,
}

impl SseClient {
    pub async fn open(app: &TestApp, cookie: &str) -> Self {
        Self::resume(app, cookie, None).await
    }

    /// Opens the stream as a reconnecting EventSource does, with `Last-Event-ID`.
    pub async fn resume(app: &TestApp, cookie: &str, last_event_id: Option<i64>) -> Self {
        let mut req = Request::get("/events")
            .header(header::ACCEPT, "text/event-stream")
            .header(header::COOKIE, cookie);
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let req = req.body(Body::empty()).unwrap();
        let res = app.open(req).await;
        let status = res.status();
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        SseClient {
            status,
            content_type,
            body: res.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event (comments and keep-alives skipped); None if the stream ended or
    /// nothing came within `wait`.
    pub async fn next_event(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(ev) = self.take_buffered() {
                return Some(ev);
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await;
            match frame {
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        self.buffer.push_str(&String::from_utf8_lossy(&data));
                    }
                }
                Ok(Some(Err(e))) => panic!("live stream broke: {e}"),
                Ok(None) | Err(_) => return None,
            }
        }
    }

    /// Waits for the first `change` event about `request_id`, skipping others.
    pub async fn change_for(
        &mut self,
        request_id: uuid::Uuid,
        wait: Duration,
    ) -> Option<LiveEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let ev = self.next_event(left).await?;
            if ev.event != "change" {
                continue;
            }
            let change: LiveEvent = serde_json::from_str(&ev.data)
                .unwrap_or_else(|e| panic!("change event is not a LiveEvent ({e}): {}", ev.data));
            if change.request_id == request_id {
                return Some(change);
            }
        }
    }

    /// Whether the server ends the stream within `wait` (events before the end are skipped).
    pub async fn closes_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(e))) => panic!("live stream broke: {e}"),
                Ok(None) => return true,
                Err(_) => return false,
            }
        }
    }

    /// Every event that arrives within `wait` (for "nothing about that request came").
    pub async fn drain(&mut self, wait: Duration) -> Vec<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut out = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_event(left).await {
                Some(ev) => out.push(ev),
                None => return out,
            }
        }
    }

    fn take_buffered(&mut self) -> Option<SseEvent> {
        loop {
            let normalised = self.buffer.replace("\r\n", "\n");
            self.buffer = normalised;
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer[..end].to_string();
            self.buffer.drain(..end + 2);
            let mut event = String::from("message");
            let mut data = Vec::new();
            let mut id = None;
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = Some(v.trim_start().to_string());
                } else if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim_start().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                }
            }
            // A block of comments only (`: keep-alive`) is not an event.
            if !data.is_empty() {
                return Some(SseEvent {
                    id,
                    event,
                    data: data.join("\n"),
                });
            }
        }
    }
}

/// The id of the request with this reference.
pub async fn request_id(app: &TestApp, reference: &str) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM requests WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.state.pool)
        .await
        .expect("the request exists")
}
