//! Staff room service: what staff see and do on a request's page — updates, internal
//! notes, asks, handled help, status changes and quotes — and the staff list of requests.
//! Each write is one transaction that also alerts the customer (when they should know)
//! and publishes the live change.
mod quotes;
mod status;

pub use quotes::{parse_quote, save_quote, send_quote, QuoteDraft};
pub use status::{parse_status_change, set_status, StatusChange};

use crate::{
    model::{
        job::Job,
        request::{RequestDetail, RequestSummary},
        room::{Quote, RoomView},
        staff::{StaffLogEntry, StaffUser},
        template::AlertKind,
        values::MessageText,
        AppError,
    },
    server::{db, jobs, live, notify::alerts, room, state::AppState},
};
use uuid::Uuid;

/// Everything on the staff page of one request.
pub struct StaffRoom {
    /// Exactly what the customer sees.
    pub room: RoomView,
    /// Every version, drafts included, newest first.
    pub quotes: Vec<Quote>,
    pub log: Vec<StaffLogEntry>,
    pub default_tax_bp: i32,
    pub jobs: Vec<Job>,
    pub team: Vec<(Uuid, String)>,
    /// The business's today: the new job form's first day.
    pub today: chrono::NaiveDate,
    /// The customer card this request belongs to.
    pub customer_id: Uuid,
}

pub async fn load(state: &AppState, id: Uuid, reference: &str) -> Result<StaffRoom, AppError> {
    let room = room::for_staff(state, reference).await?;
    let quotes = db::quotes::all_for_request(&state.pool, id).await?;
    let log = db::room::staff_log(&state.pool, id)
        .await?
        .into_iter()
        .map(|(kind, body, visible, actor, at)| StaffLogEntry {
            kind,
            body,
            internal: !visible,
            actor,
            at,
        })
        .collect();
    Ok(StaffRoom {
        room,
        quotes,
        log,
        default_tax_bp: state.config.tax_rate_bp,
        jobs: jobs::for_request(state, id).await?,
        team: db::staff::assignable(&state.pool).await?,
        today: jobs::business_today(state),
        customer_id: db::customers::of_request(&state.pool, id)
            .await?
            .ok_or(AppError::NotFound)?,
    })
}

/// An update the customer sees at the top of their room. A retried post (same client key)
/// adds nothing.
pub async fn post_update(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    body: &MessageText,
    client_key: Option<&str>,
) -> Result<(), AppError> {
    add_entry(state, user, id, body, client_key, Entry::Update).await
}

/// A note for staff only; it never reaches the customer's room.
pub async fn add_note(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    body: &MessageText,
    client_key: Option<&str>,
) -> Result<(), AppError> {
    add_entry(state, user, id, body, client_key, Entry::Note).await
}

#[derive(Clone, Copy, PartialEq)]
enum Entry {
    Update,
    Note,
}

/// One timeline entry, once per client key (a retried tap adds nothing). Only an update is
/// shown to the customer and alerts them.
async fn add_entry(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    body: &MessageText,
    client_key: Option<&str>,
    entry: Entry,
) -> Result<(), AppError> {
    let (kind, customer_sees) = match entry {
        Entry::Update => ("update", true),
        Entry::Note => ("note", false),
    };
    let mut tx = state.pool.begin().await?;
    let added = db::activity::add_event_once(
        &mut tx,
        id,
        kind,
        body.as_str(),
        customer_sees,
        db::activity::Actor::Staff(user),
        client_key.unwrap_or(""),
    )
    .await?;
    if !added {
        return Ok(());
    }
    if entry == Entry::Update {
        alerts::alert_customer(&mut tx, state, id, AlertKind::UpdatePosted).await?;
    }
    live::publish_change(&mut tx, id, kind).await?;
    tx.commit().await?;
    Ok(())
}

/// What staff ask the customer for; it becomes the highlighted next step in the room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    Photos,
    Details,
}

impl Ask {
    pub fn parse(s: &str) -> Result<Ask, AppError> {
        match s {
            "photos" => Ok(Ask::Photos),
            "details" => Ok(Ask::Details),
            _ => Err(AppError::Invalid(
                "Choose whether you need photos or more details.".into(),
            )),
        }
    }
}

/// Asks the customer for photos or more details, in the staff's own words.
pub async fn ask_customer(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    ask: Ask,
    text: &MessageText,
) -> Result<(), AppError> {
    let text = text.as_str();
    let kind = match ask {
        Ask::Photos => "photos",
        Ask::Details => "details",
    };
    let mut tx = state.pool.begin().await?;
    db::room::set_ask(&mut tx, id, Some(kind), Some(text)).await?;
    db::activity::add_event(
        &mut tx,
        id,
        "asked",
        text,
        true,
        db::activity::Actor::Staff(user),
    )
    .await?;
    alerts::alert_customer(&mut tx, state, id, AlertKind::MoreInfoNeeded).await?;
    live::publish_change(&mut tx, id, "ask").await?;
    tx.commit().await?;
    Ok(())
}

/// Clears the urgent flag a customer's "get human help" raised.
pub async fn resolve_help(state: &AppState, user: &StaffUser, id: Uuid) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    db::room::clear_urgent(&mut tx, id).await?;
    db::activity::add_event(
        &mut tx,
        id,
        "help_resolved",
        "Marked as handled",
        false,
        db::activity::Actor::Staff(user),
    )
    .await?;
    live::publish_change(&mut tx, id, "urgent").await?;
    tx.commit().await?;
    Ok(())
}

/// The staff list of requests, newest first.
pub async fn recent_requests(state: &AppState) -> Result<Vec<RequestSummary>, AppError> {
    Ok(db::requests::list_recent(&state.pool, 200).await?)
}

pub async fn detail(state: &AppState, id: Uuid) -> Result<RequestDetail, AppError> {
    db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}
