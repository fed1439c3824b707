//! A customer approving or declining one quote version. Records the typed name, time and
//! session; never takes a payment or books anything by itself.
use crate::{
    model::{
        room::{Quote, QuoteStatus},
        template::AlertKind,
        values::{MessageText, PersonName},
        AppError,
    },
    server::{auth::session::Caller, db, live, notify::staff_alerts, state::AppState},
};
use uuid::Uuid;

/// What the customer answered, parsed at the edge.
pub enum Decision {
    Approve { typed_name: PersonName },
    Decline { reason: Option<MessageText> },
}

const SUPERSEDED: &str =
    "This quote has been replaced by a newer version. Please review the latest quote.";

/// `session` is the hash of the customer's session cookie, kept with the decision.
/// Staff are turned away before their input is read.
pub async fn decide_quote(
    state: &AppState,
    caller: &Caller,
    session: Option<&[u8]>,
    id: Uuid,
    quote_id: Uuid,
    decision: Decision,
) -> Result<(), AppError> {
    if caller.is_staff() {
        return Err(AppError::CustomerOnly);
    }
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (typed_name, reason) = match decision {
        Decision::Approve { typed_name } => {
            check_name(&typed_name, &detail.first_name, &detail.last_name)?;
            (Some(typed_name.into_string()), None)
        }
        Decision::Decline { reason } => (None, reason.map(MessageText::into_string)),
    };
    let wanted = if typed_name.is_some() {
        QuoteStatus::Approved
    } else {
        QuoteStatus::Declined
    };
    let mut tx = state.pool.begin().await?;
    let (newest, approved) = db::quotes::lock_for_decision(&mut tx, id).await?;
    let quote = db::quotes::by_id_for_update(&mut tx, id, quote_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if quote.status == wanted {
        // A retried tap after a dropped connection: already done, nothing more to do.
        return Ok(());
    }
    may_decide(&quote, wanted, newest, approved)?;
    db::quotes::decide(
        &mut tx,
        quote.id,
        wanted,
        typed_name.as_deref(),
        reason.as_deref(),
        session,
    )
    .await?;
    let (kind, text) = if wanted == QuoteStatus::Approved {
        ("quote_approved", format!("You approved quote version {}. We'll be in touch to arrange a time — nothing is charged from here.", quote.version))
    } else {
        (
            "quote_declined",
            format!("You declined quote version {}.", quote.version),
        )
    };
    db::activity::add_event(
        &mut tx,
        id,
        kind,
        &text,
        true,
        db::activity::Actor::Customer,
    )
    .await?;
    let alert = if wanted == QuoteStatus::Approved {
        AlertKind::StaffQuoteApproved
    } else {
        AlertKind::StaffQuoteDeclined
    };
    staff_alerts::alert_staff(&mut tx, state, id, alert).await?;
    live::publish_change(&mut tx, id, kind).await?;
    tx.commit().await?;
    Ok(())
}

/// The name typed to approve: the full name or the first name on the request, any case.
fn check_name(typed: &PersonName, first: &str, last: &str) -> Result<(), AppError> {
    let typed = typed.as_str().to_lowercase();
    let full = format!("{first} {last}").to_lowercase();
    if typed != full && typed != first.to_lowercase() {
        return Err(AppError::Invalid(format!(
            "Please type your name as it appears on the request ({first} {last}) to confirm."
        )));
    }
    Ok(())
}

/// Only the newest sent version can be answered, and once one is approved the rest are
/// read-only: two taps on two versions can't both win.
fn may_decide(
    quote: &Quote,
    wanted: QuoteStatus,
    newest: Option<i32>,
    approved: Option<i32>,
) -> Result<(), AppError> {
    match quote.status {
        QuoteStatus::Superseded => return Err(AppError::Conflict(SUPERSEDED.into())),
        QuoteStatus::Approved | QuoteStatus::Declined => {
            return Err(AppError::Conflict("You've already responded to this quote. Ask us in the thread if you've changed your mind.".into()))
        }
        QuoteStatus::Draft => return Err(AppError::NotFound),
        QuoteStatus::Sent => {}
    }
    if let Some(v) = approved {
        return Err(AppError::Conflict(format!("You've already approved quote version {v}, so this one can't be changed. Ask us in the thread if you need something different.")));
    }
    if newest != Some(quote.version) {
        return Err(AppError::Conflict(SUPERSEDED.into()));
    }
    if wanted == QuoteStatus::Approved && quote.is_expired(chrono::Utc::now().date_naive()) {
        return Err(AppError::Conflict(
            "This quote has expired, so it can't be approved. Ask us for an updated quote in the thread.".into(),
        ));
    }
    Ok(())
}

/// "Ask for changes": the customer's words about one sent quote version, into the thread
/// (marked with that version) for staff to answer with a new version. Approves and declines
/// nothing; the quote stays open. A retry with the same `client_key` adds nothing.
pub async fn ask_for_changes(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    quote_id: Uuid,
    body: &MessageText,
    client_key: Option<&str>,
) -> Result<(), AppError> {
    if caller.is_staff() {
        return Err(AppError::CustomerOnly);
    }
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.pool.begin().await?;
    let (newest, approved) = db::quotes::lock_for_decision(&mut tx, id).await?;
    let quote = db::quotes::by_id_for_update(&mut tx, id, quote_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The same rules as a decision: only the newest sent version, and not once one is
    // approved. A decided quote is asked about in the thread instead.
    may_decide(&quote, QuoteStatus::Sent, newest, approved)?;
    let key = client_key.map(|k| format!("changes:{k}"));
    let inserted = db::messages::insert(
        &mut tx,
        &db::messages::NewMessage {
            request_id: id,
            from_staff: false,
            author: &detail.first_name,
            body: &body.masked(),
            topic: "quote",
            client_key: key.as_deref(),
            by_text: false,
            quote_version: Some(quote.version),
        },
    )
    .await?;
    if inserted {
        let what = format!("Asked for changes to quote version {}", quote.version);
        db::activity::add_event(
            &mut tx,
            id,
            "quote_changes",
            &what,
            false,
            db::activity::Actor::Customer,
        )
        .await?;
        staff_alerts::alert_staff(&mut tx, state, id, AlertKind::StaffCustomerWrote).await?;
        live::publish_change(&mut tx, id, "message").await?;
    }
    tx.commit().await?;
    Ok(())
}
