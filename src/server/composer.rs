//! Writing to a customer from their card: the words go into the chosen request's room
//! thread (the room stays the one place to read them), and one alert in the business's
//! "Update posted" wording — by the channel staff pick, even when that automatic alert is
//! off — brings the customer back to it. Alerts never carry the message itself.
use crate::{
    model::{
        customer::Composer,
        staff::StaffUser,
        template::{describe_length, sms_length, AlertKind, Channel},
        values::MessageText,
        AppError,
    },
    server::{
        auth::session::Caller,
        db::{self, customers::RequestRow},
        notify::alerts::{self, Values, Via},
        room::{self, Topic},
        state::AppState,
    },
};
use uuid::Uuid;

/// What the composer offers, for the card's requests (newest first).
pub async fn composer(
    state: &AppState,
    first_name: &str,
    phone: Option<&str>,
    email: Option<&str>,
    requests: &[RequestRow],
) -> Result<Option<Composer>, AppError> {
    let Some(newest) = requests.first() else {
        return Ok(None);
    };
    let values = Values {
        first_name: first_name.to_string(),
        reference: newest.reference.clone(),
        room_link: "[room link]".into(),
        technician: None,
        window: None,
    };
    let mut conn = state.pool.acquire().await?;
    let kind = AlertKind::UpdatePosted;
    let business = &state.config.business_name;
    let (_, sms) = alerts::wording(&mut conn, kind, Channel::Sms).await?;
    let sms = alerts::fill(&sms, business, false, &values);
    let (subject, body) = alerts::wording(&mut conn, kind, Channel::Email).await?;
    let email_text = format!(
        "{}\n\n{}",
        alerts::fill(&subject, business, false, &values),
        alerts::fill(&body, business, false, &values)
    );
    let texts_off = match phone {
        Some(p) => db::inbound::texts_off(&mut conn, p).await?,
        None => false,
    };
    // The real link is longer than its stand-in; count with one of typical length.
    let sample = sms.replace(
        "[room link]",
        &format!("{}/r/{}", state.config.public_url, "x".repeat(43)),
    );
    Ok(Some(Composer {
        requests: requests
            .iter()
            .map(|r| {
                (
                    r.reference.clone(),
                    format!("{} · {}", r.service_type, r.status.label()),
                )
            })
            .collect(),
        sms_length: describe_length(sms_length(&sample)),
        sms_preview: sms,
        email_preview: email_text,
        texts_off,
        has_phone: phone.is_some(),
        has_email: email.is_some(),
    }))
}

pub struct Writing<'a> {
    pub reference: &'a str,
    pub channel: Channel,
    pub body: &'a MessageText,
    pub client_key: Option<&'a str>,
}

/// Sends it, after checking the request is this customer's and the channel can reach them.
pub async fn write(
    state: &AppState,
    user: &StaffUser,
    customer: Uuid,
    w: Writing<'_>,
) -> Result<(), AppError> {
    let id = db::requests::id_by_reference(&state.pool, w.reference)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::customers::of_request(&state.pool, id).await? != Some(customer) {
        return Err(AppError::NotFound);
    }
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut conn = state.pool.acquire().await?;
    match (w.channel, &detail.phone, &detail.email) {
        (Channel::Sms, None, _) => {
            return Err(AppError::Conflict("This request has no mobile number to text. Email them instead.".into()))
        }
        (Channel::Email, _, None) => {
            return Err(AppError::Conflict("This request has no email address. Text them instead.".into()))
        }
        (Channel::Sms, Some(p), _) if db::inbound::texts_off(&mut conn, p).await? => {
            return Err(AppError::Conflict(
                "They turned texts off (they replied STOP), so no text can go to them. Email them or call instead.".into(),
            ))
        }
        _ => {}
    }
    drop(conn);
    let caller = Caller::Staff(user.clone());
    let via = Via::Chosen(&[w.channel]);
    room::send_message_via(
        state,
        &caller,
        id,
        w.body,
        Topic::General,
        w.client_key,
        via,
    )
    .await
}
