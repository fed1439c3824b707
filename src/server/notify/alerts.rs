//! Alerts to customers: each is one of `AlertKind`, in the business's own wording where it
//! wrote one (/staff/templates) and the default otherwise, on each channel that is on and
//! that the request has a contact for. Every alert carries a fresh room link for the
//! address it goes to, and nothing private: the room is the one place to read details.
use super::templates::{greeting_name, Rendered};
use crate::{
    model::{
        job,
        template::{render, AlertKind, Channel, Placeholder},
    },
    server::{auth::tokens, db, intake::room_link, state::AppState},
};
use sqlx::PgConnection;
use uuid::Uuid;

/// What an alert may name.
pub struct Values {
    pub first_name: String,
    pub reference: String,
    pub room_link: String,
    pub technician: Option<String>,
    pub window: Option<String>,
}

/// The template for `kind` on `channel` as the business has it: `None` when it is off.
pub async fn template(
    conn: &mut PgConnection,
    kind: AlertKind,
    channel: Channel,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let (wording, on) = stored(conn, kind, channel).await?;
    Ok(on.then_some(wording))
}

/// The business's wording for `kind` on `channel`, on or off: (subject, body).
pub async fn wording(
    conn: &mut PgConnection,
    kind: AlertKind,
    channel: Channel,
) -> Result<(String, String), sqlx::Error> {
    Ok(stored(conn, kind, channel).await?.0)
}

async fn stored(
    conn: &mut PgConnection,
    kind: AlertKind,
    channel: Channel,
) -> Result<((String, String), bool), sqlx::Error> {
    let stored = db::templates::for_kind(conn, kind)
        .await?
        .into_iter()
        .find(|t| t.channel == channel.as_str());
    Ok(match stored {
        Some(t) => ((t.subject, t.body), t.enabled),
        None => {
            let (subject, body) = kind.default_text(channel);
            (
                (subject.to_string(), body.to_string()),
                kind.on_by_default(channel),
            )
        }
    })
}

/// Which alerts go out: the automatic ones the business has on, or the channels a staff
/// member chose — those in the kind's wording even when its automatic alert is off (staff
/// writing from a card asked for this text).
#[derive(Clone, Copy)]
pub enum Via<'a> {
    Automatic,
    Chosen(&'a [Channel]),
}

/// Fills the placeholders. The first name only when it reads as a name ("there"
/// otherwise); the technician's first name, or "Your technician" when the business chose
/// not to name people (placeholders start sentences in the defaults).
pub fn fill(text: &str, business: &str, name_technician: bool, v: &Values) -> String {
    render(text, |p| match p {
        Placeholder::FirstName => greeting_name(&v.first_name).unwrap_or("there").to_string(),
        Placeholder::Reference => v.reference.clone(),
        Placeholder::RoomLink => v.room_link.clone(),
        Placeholder::BusinessName => business.to_string(),
        Placeholder::TechnicianName => match (&v.technician, name_technician) {
            (Some(t), true) => t.split_whitespace().next().unwrap_or(t).to_string(),
            _ => Placeholder::NO_NAME.to_string(),
        },
        Placeholder::ArrivalWindow => v.window.clone().unwrap_or_else(|| "the booked time".into()),
    })
}

/// The alert, rendered for one channel, or `None` when the business turned it off.
pub async fn rendered(
    conn: &mut PgConnection,
    state: &AppState,
    kind: AlertKind,
    channel: Channel,
    values: &Values,
) -> Result<Option<Rendered>, sqlx::Error> {
    let Some((subject, body)) = template(conn, kind, channel).await? else {
        return Ok(None);
    };
    let named = db::templates::names_technician(conn).await?;
    let business = &state.config.business_name;
    Ok(Some(Rendered {
        template: kind.as_str(),
        subject: fill(&subject, business, named, values),
        body: fill(&body, business, named, values),
    }))
}

/// Tells the customer about `kind` on every channel that is on and that the request has a
/// contact for, each with its own fresh room link. In the caller's transaction: the alert
/// exists only if the change does (and a second pool connection could starve a small pool).
pub async fn alert_customer(
    conn: &mut PgConnection,
    state: &AppState,
    request_id: Uuid,
    kind: AlertKind,
) -> Result<(), sqlx::Error> {
    alert_customer_via(conn, state, request_id, kind, Via::Automatic).await
}

/// [`alert_customer`], or on the channels staff chose.
pub async fn alert_customer_via(
    conn: &mut PgConnection,
    state: &AppState,
    request_id: Uuid,
    kind: AlertKind,
    via: Via<'_>,
) -> Result<(), sqlx::Error> {
    let Some(facts) = db::requests::alert_facts(&mut *conn, request_id).await? else {
        return Ok(());
    };
    let tz = state.config.timezone;
    let window = match (facts.starts_at, facts.ends_at) {
        (Some(s), Some(e)) => Some(job::when(
            s.with_timezone(&tz).naive_local(),
            e.with_timezone(&tz).naive_local(),
        )),
        _ => None,
    };
    let named = db::templates::names_technician(conn).await?;
    let business = &state.config.business_name;
    let contacts = [(Channel::Email, facts.email), (Channel::Sms, facts.phone)];
    for (channel, contact) in contacts {
        let Some(contact) = contact else { continue };
        let text = match via {
            Via::Automatic => template(conn, kind, channel).await?,
            Via::Chosen(chosen) if chosen.contains(&channel) => {
                Some(wording(conn, kind, channel).await?)
            }
            Via::Chosen(_) => None,
        };
        let Some((subject, body)) = text else {
            continue;
        };
        let (token, hash) = tokens::new_token();
        db::access::insert_room_token(conn, &hash, request_id, &contact).await?;
        let values = Values {
            first_name: facts.first_name.clone(),
            reference: facts.reference.clone(),
            room_link: room_link(state, &token),
            technician: facts.technician.clone(),
            window: window.clone(),
        };
        let m = Rendered {
            template: kind.as_str(),
            subject: fill(&subject, business, named, &values),
            body: fill(&body, business, named, &values),
        };
        db::outbox::enqueue(conn, channel.as_str(), &contact, &m, Some(request_id)).await?;
    }
    Ok(())
}
