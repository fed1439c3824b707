//! Texts to the business's number (`POST /webhooks/sms`, signed): STOP/START turn the
//! number's texts off and on; a text from a number with an open request joins that request's
//! thread (channel "sms") and alerts whoever routing picks; any other text is a new lead in
//! the staff inbox. Every text is stored with where it went and why, so none is lost, and the
//! provider's sid makes a retried webhook a no-op. Also here: the inbox, each person's alert
//! choice, the point of contact, and the customer's own texts switch in the room.
use crate::{
    model::{
        inbox::{InboxEntry, InboxView, Keyword, RouteReason, TeamMember},
        outbox::mask_recipient,
        room::TextConsent,
        sensitive::mask_card_numbers,
        staff::{StaffRole, StaffUser},
        template::AlertKind,
        values::Phone,
        AppError,
    },
    server::{
        auth::session::Caller,
        db::{self, activity::Actor},
        live,
        notify::staff_alerts,
        state::AppState,
    },
};
use sqlx::PgConnection;
use uuid::Uuid;

/// The longest text kept (ten parts of a long SMS); the rest is cut, never refused.
const MAX_CHARS: usize = 1600;

/// A text as the provider posted it.
pub struct IncomingText<'a> {
    pub sid: &'a str,
    pub from: &'a str,
    pub body: &'a str,
    /// Pictures sent with it (MMS `NumMedia`): they stay with the provider, so the thread
    /// says they were sent and where photos go instead.
    pub pictures: u32,
}

/// What a text may hold once stored: no control characters but line breaks, card numbers
/// masked, at most `MAX_CHARS`.
fn clean(body: &str) -> String {
    let kept: String = body
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(MAX_CHARS)
        .collect();
    mask_card_numbers(kept.trim())
}

pub async fn receive(state: &AppState, text: IncomingText<'_>) -> Result<(), AppError> {
    let from = text.from.trim();
    let mut body = clean(text.body);
    if text.pictures > 0 {
        let n = text.pictures;
        let what = if n == 1 {
            "1 picture was".to_string()
        } else {
            format!("{n} pictures were")
        };
        let note = format!(
            "({what} sent with this text. Pictures sent by text can't be shown here: please add them under Add photos.)"
        );
        body = if body.is_empty() {
            note
        } else {
            format!("{body}\n{note}")
        };
    }
    let mut tx = state.pool.begin().await?;
    let request = db::inbound::request_for_phone(&mut tx, from).await?;
    let request_id = request.as_ref().map(|r| r.id);
    // YES and START are ordinary answers from a number whose texts are on.
    let keyword = match Keyword::of(&body) {
        Some(Keyword::Start) if !db::inbound::texts_off(&mut tx, from).await? => None,
        k => k,
    };
    let routed = staff_alerts::recipient(&mut tx, request_id).await?;
    let inserted = db::inbound::insert_text(
        &mut tx,
        &db::inbound::NewText {
            provider_sid: text.sid,
            from,
            body: &body,
            request_id,
            keyword,
            routed_to: routed.to,
            because: routed.because,
        },
    )
    .await?;
    if !inserted {
        // The provider sent this one before.
        return Ok(());
    }
    match (keyword, request) {
        (Some(k), request) => switch_texts(&mut tx, from, k, request.map(|r| r.id)).await?,
        (None, Some(r)) => join_thread(&mut tx, state, &text, &body, &r, &routed).await?,
        (None, None) => {
            if let Some(to) = routed.to {
                staff_alerts::send_to(&mut tx, state, to, None, AlertKind::StaffNewLead).await?;
            }
        }
    }
    tx.commit().await?;
    tracing::info!(to = ?routed.to, because = routed.because.as_str(), "text received");
    Ok(())
}

/// STOP or START: the number's texts off or on, noted on its request if it has one.
async fn switch_texts(
    tx: &mut PgConnection,
    from: &str,
    keyword: Keyword,
    request_id: Option<Uuid>,
) -> Result<(), AppError> {
    let on = keyword == Keyword::Start;
    db::inbound::set_texts(&mut *tx, from, on, "sms").await?;
    if let Some(id) = request_id {
        let what = if on {
            "Turned texts back on (replied START)"
        } else {
            "Turned texts off (replied STOP)"
        };
        db::activity::add_event(&mut *tx, id, "texts", what, false, Actor::Customer).await?;
        live::publish_change(tx, id, "texts").await?;
    }
    Ok(())
}

/// A customer's text: into their request's thread (once per sid), logged with where it
/// went, and the person it went to alerted.
async fn join_thread(
    tx: &mut PgConnection,
    state: &AppState,
    text: &IncomingText<'_>,
    body: &str,
    request: &db::inbound::PhoneRequest,
    routed: &staff_alerts::Routed,
) -> Result<(), AppError> {
    let key = format!("sms:{}", text.sid);
    db::messages::insert(
        &mut *tx,
        &db::messages::NewMessage {
            request_id: request.id,
            from_staff: false,
            author: &request.first_name,
            body,
            topic: "general",
            client_key: Some(&key),
            by_text: true,
            quote_version: None,
        },
    )
    .await?;
    db::activity::add_event(
        &mut *tx,
        request.id,
        "customer_wrote",
        &format!("Texted the business ({})", routed_line(routed)),
        false,
        Actor::Customer,
    )
    .await?;
    if let Some(to) = routed.to {
        let kind = AlertKind::StaffCustomerWrote;
        staff_alerts::send_to(&mut *tx, state, to, Some(request.id), kind).await?;
    }
    live::publish_change(tx, request.id, "message").await?;
    Ok(())
}

/// "sent to whoever it went to" for the activity log, which names the person on the page.
fn routed_line(routed: &staff_alerts::Routed) -> String {
    match routed.to {
        Some(_) => format!("to {}", routed.because.label()),
        None => "no one to route it to: no active owner".into(),
    }
}

/// The inbox: an office member sees every text, a technician the texts routed to them;
/// with the reader's own alert choice, and for the office the point of contact.
pub async fn inbox(state: &AppState, user: &StaffUser) -> Result<InboxView, AppError> {
    let office = user.role != StaffRole::Technician;
    let entries = entries(state, user).await?;
    let me = db::inbound::alert_target(&mut *state.pool.acquire().await?, user.id)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    let team = if office {
        let rows = db::inbound::active_team(&state.pool).await?;
        Some(
            rows.into_iter()
                .map(|m| TeamMember {
                    id: m.id,
                    name: m.display_name,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(InboxView {
        entries,
        alert_channel: me.alert_channel,
        alert_phone: me.phone,
        team,
        point_of_contact: db::inbound::point_of_contact(&state.pool).await?,
    })
}

async fn entries(state: &AppState, user: &StaffUser) -> Result<Vec<InboxEntry>, AppError> {
    let only = (user.role == StaffRole::Technician).then_some(user.id);
    let rows = db::inbound::recent(&state.pool, only, 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| InboxEntry {
            id: r.id,
            to_me: r.routed_to == Some(user.id),
            from: r.from_phone,
            body: r.body,
            reference: r.reference,
            first_name: r.first_name,
            tags: r.tags.unwrap_or_default(),
            keyword: r.keyword.as_deref().and_then(Keyword::parse),
            to_name: r.to_name,
            because: RouteReason::parse(&r.routed_because).unwrap_or(RouteReason::Owner),
            received_at: r.received_at,
            handled: r.handled,
        })
        .collect())
}

/// Marks a text dealt with (a second tap changes nothing). A technician only their own.
pub async fn mark_handled(state: &AppState, user: &StaffUser, id: Uuid) -> Result<(), AppError> {
    let only = (user.role == StaffRole::Technician).then_some(user.id);
    if db::inbound::mark_handled(&state.pool, id, user.id, only).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// How a staff member wants their alerts. Texts need a number.
pub async fn set_alert_choice(
    state: &AppState,
    user: &StaffUser,
    channel: &str,
    phone: Option<Phone>,
) -> Result<(), AppError> {
    let channel = match channel.trim() {
        c @ ("email" | "sms" | "none") => c,
        _ => return Err(AppError::Invalid("Choose email, text or no alerts.".into())),
    };
    if channel == "sms" && phone.is_none() {
        return Err(AppError::Invalid(
            "Give the mobile number the texts should go to.".into(),
        ));
    }
    db::inbound::set_alert_choice(
        &state.pool,
        user.id,
        channel,
        phone.as_ref().map(|p| p.as_str()),
    )
    .await?;
    Ok(())
}

/// Who answers texts and gets alerts while no technician is on the way; `None`: the owner.
pub async fn set_point_of_contact(
    state: &AppState,
    staff_id: Option<Uuid>,
) -> Result<(), AppError> {
    if let Some(id) = staff_id {
        let active = db::inbound::alert_target(&mut *state.pool.acquire().await?, id).await?;
        if active.is_none() {
            return Err(AppError::Invalid(
                "Choose someone on the team who can still sign in.".into(),
            ));
        }
    }
    db::inbound::set_point_of_contact(&state.pool, staff_id).await?;
    Ok(())
}

/// The room's texts switch: the customer turns texts to the request's number off or on.
pub async fn set_room_texts(
    state: &AppState,
    caller: &Caller,
    request_id: Uuid,
    on: bool,
) -> Result<(), AppError> {
    if matches!(caller, Caller::Staff(_)) {
        return Err(AppError::Forbidden);
    }
    let detail = db::requests::detail(&state.pool, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(phone) = detail.phone else {
        return Err(AppError::Conflict(
            "This request has no phone number to text.".into(),
        ));
    };
    let mut tx = state.pool.begin().await?;
    db::inbound::set_texts(&mut tx, &phone, on, "room").await?;
    let what = if on {
        "Turned texts back on in the room"
    } else {
        "Turned texts off in the room"
    };
    db::activity::add_event(&mut tx, request_id, "texts", what, false, Actor::Customer).await?;
    live::publish_change(&mut tx, request_id, "texts").await?;
    tx.commit().await?;
    Ok(())
}

/// What the room shows about texts, for a request with a number.
pub fn consent(phone: Option<&str>, texts_off: bool) -> Option<TextConsent> {
    phone.map(|p| TextConsent {
        phone: mask_recipient(p),
        on: !texts_off,
    })
}
