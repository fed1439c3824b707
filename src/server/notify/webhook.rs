//! What the SMS provider posts back to us, signed with the auth token (`sms::signed`):
//! delivery reports for the texts we sent (`POST /webhooks/sms/status`) and texts people
//! send to the business's number (`POST /webhooks/sms`, handled by `server::inbound`). An unsigned or
//! wrongly signed post is refused (403) before anything is read from it.
use super::sms;
use crate::{
    model::outbox::Delivery,
    server::{db, inbound, state::AppState},
};
use axum::{
    extract::{OriginalUri, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Form,
};
use secrecy::ExposeSecret;

/// `Ok` when the post carries the provider's signature; otherwise the refusal to answer with.
fn verified(
    state: &AppState,
    uri: &OriginalUri,
    headers: &HeaderMap,
    params: &[(String, String)],
) -> Result<(), StatusCode> {
    // No provider configured: there is no webhook.
    let Some(settings) = &state.config.sms else {
        return Err(StatusCode::NOT_FOUND);
    };
    // The provider signs the URL it was given, which is built from CR_PUBLIC_URL.
    let path = uri.0.path_and_query().map(|p| p.as_str()).unwrap_or("");
    let url = format!("{}{path}", state.config.public_url);
    let header = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if sms::signed(settings.auth_token.expose_secret(), &url, params, header) {
        Ok(())
    } else {
        tracing::warn!(
            path,
            "SMS webhook with a missing or wrong signature refused"
        );
        Err(StatusCode::FORBIDDEN)
    }
}

fn field<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /webhooks/sms/status`: `MessageSid` and `MessageStatus` (queued, sent, delivered,
/// undelivered, failed), with `ErrorCode` when it failed. Answered 204 whatever the id, so
/// the answer tells an outsider nothing.
pub async fn sms_status(
    State(state): State<AppState>,
    uri: OriginalUri,
    headers: HeaderMap,
    Form(params): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(refused) = verified(&state, &uri, &headers, &params) {
        return refused.into_response();
    }
    let (Some(sid), Some(status)) = (
        field(&params, "MessageSid"),
        field(&params, "MessageStatus"),
    ) else {
        return (
            StatusCode::BAD_REQUEST,
            "MessageSid and MessageStatus are required.",
        )
            .into_response();
    };
    let delivery = match status {
        "delivered" => Delivery::Delivered,
        "undelivered" | "failed" => Delivery::Undelivered,
        // Steps on the way (queued, sending, sent): nothing to record.
        _ => return StatusCode::NO_CONTENT.into_response(),
    };
    let error = field(&params, "ErrorCode")
        .map(|c| format!("The provider could not deliver it (error {c})."));
    // A database error is logged and answered 500 (AppError's own), so the provider retries.
    match db::outbox::set_delivery(&state.pool, sid, delivery, error.as_deref()).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => crate::model::AppError::from(e).into_response(),
    }
}

/// `POST /webhooks/sms`: a text to the business's number (`From`, `Body`, `MessageSid`).
/// Answered with an empty TwiML document: the reply, if any, is written by a person in the
/// room or the inbox, never by the webhook.
pub async fn sms_inbound(
    State(state): State<AppState>,
    uri: OriginalUri,
    headers: HeaderMap,
    Form(params): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(refused) = verified(&state, &uri, &headers, &params) {
        return refused.into_response();
    }
    let (Some(sid), Some(from)) = (field(&params, "MessageSid"), field(&params, "From")) else {
        return (StatusCode::BAD_REQUEST, "MessageSid and From are required.").into_response();
    };
    let text = inbound::IncomingText {
        sid,
        from,
        body: field(&params, "Body").unwrap_or(""),
        pictures: field(&params, "NumMedia")
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0),
    };
    // An error is answered 500 (AppError's own), so the provider posts the text again.
    match inbound::receive(&state, text).await {
        Ok(()) => (
            [(axum::http::header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>",
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
