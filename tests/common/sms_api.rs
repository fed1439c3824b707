//! A stand-in for an SMS provider's Messages API (Twilio's shape) on a real socket: it
//! records every request, can be told to refuse, and honours idempotency keys as a
//! provider does (the same key again is the same message, not a second text).
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::post,
    Form, Json, Router,
};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Posted {
    pub account: String,
    pub authorization: String,
    pub idempotency_key: String,
    pub form: Vec<(String, String)>,
}

impl Posted {
    pub fn field(&self, name: &str) -> &str {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

#[derive(Default)]
struct Shared {
    posted: Vec<Posted>,
    /// (idempotency key, sid) of each text taken.
    texts: Vec<(String, String)>,
    refuse: Option<(u16, &'static str)>,
}

#[derive(Clone, Default)]
pub struct SmsApi {
    shared: Arc<Mutex<Shared>>,
}

async fn messages(
    State(api): State<SmsApi>,
    Path(account): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> impl IntoResponse {
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let mut s = api.shared.lock().unwrap();
    let key = header("i-twilio-idempotency-token");
    s.posted.push(Posted {
        account,
        authorization: header("authorization"),
        idempotency_key: key.clone(),
        form,
    });
    if let Some((status, message)) = s.refuse {
        let code = if status == 400 { 21211 } else { 20500 };
        return (
            StatusCode::from_u16(status).unwrap(),
            Json(serde_json::json!({ "code": code, "message": message, "status": status })),
        );
    }
    let sid = match s.texts.iter().find(|(k, _)| *k == key) {
        Some((_, sid)) => sid.clone(),
        None => {
            let sid = format!("SM{:032}", s.texts.len() + 1);
            s.texts.push((key, sid.clone()));
            sid
        }
    };
    (
        StatusCode::CREATED,
        Json(serde_json::json!({ "sid": sid, "status": "queued" })),
    )
}

impl SmsApi {
    /// Listens on a free port; returns the API and its base URL (`CR_SMS_API_URL`).
    pub async fn start() -> (Self, String) {
        let api = SmsApi::default();
        let app = Router::new()
            .route(
                "/2010-04-01/Accounts/{account}/Messages.json",
                post(messages),
            )
            .with_state(api.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (api, url)
    }

    /// Answer every request with this status and message until told otherwise.
    pub fn refuse(&self, with: Option<(u16, &'static str)>) {
        self.shared.lock().unwrap().refuse = with;
    }

    pub fn posted(&self) -> Vec<Posted> {
        self.shared.lock().unwrap().posted.clone()
    }

    /// The texts the provider took (one per idempotency key).
    pub fn texts(&self) -> usize {
        self.shared.lock().unwrap().texts.len()
    }
}
