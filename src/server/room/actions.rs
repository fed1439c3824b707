//! The thread and the photos of a room: messages (from the customer or staff), "get human
//! help", and captions. A retry with the same client key adds nothing.
use crate::{
    model::{intake::time_window_label, template::AlertKind, values::MessageText, AppError},
    server::{
        auth::session::Caller,
        db,
        db::activity::Actor,
        live,
        notify::{
            alerts::{self, Via},
            staff_alerts,
        },
        promise,
        state::AppState,
    },
};
use uuid::Uuid;

/// Which part of the thread a message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    General,
    Quote,
    Help,
}

impl Topic {
    /// Anything unknown is a general message.
    pub fn parse(s: &str) -> Topic {
        match s {
            "quote" => Topic::Quote,
            "help" => Topic::Help,
            _ => Topic::General,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Topic::General => "general",
            Topic::Quote => "quote",
            Topic::Help => "help",
        }
    }
}

/// A message into the request's thread. Card numbers are masked before they are stored;
/// a staff reply settles the open ask and alerts the customer.
pub async fn send_message(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: &MessageText,
    topic: Topic,
    client_key: Option<&str>,
) -> Result<(), AppError> {
    send_message_via(state, caller, id, body, topic, client_key, Via::Automatic).await
}

/// [`send_message`], a staff message alerting the customer as `via` says. A retry with the
/// same key writes and sends nothing new.
pub async fn send_message_via(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: &MessageText,
    topic: Topic,
    client_key: Option<&str>,
    via: Via<'_>,
) -> Result<(), AppError> {
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (from_staff, author) = match caller {
        Caller::Staff(u) => (
            true,
            u.display_name
                .split(' ')
                .next()
                .unwrap_or("Staff")
                .to_string(),
        ),
        _ => (false, detail.first_name.clone()),
    };
    let masked = body.masked();
    let mut tx = state.pool.begin().await?;
    let inserted = db::messages::insert(
        &mut tx,
        &db::messages::NewMessage {
            request_id: id,
            from_staff,
            author: &author,
            body: &masked,
            topic: topic.as_str(),
            client_key,
            by_text: false,
            quote_version: None,
        },
    )
    .await?;
    if inserted {
        // The thread holds the words; the activity log records who wrote, and when.
        let (kind, actor) = match caller {
            Caller::Staff(u) => ("replied", Actor::Staff(u)),
            _ => ("customer_wrote", Actor::Customer),
        };
        let what = match topic {
            Topic::Quote => "Wrote about the quote",
            Topic::Help => "Wrote asking for help",
            Topic::General => "Wrote in the room",
        };
        db::activity::add_event(&mut tx, id, kind, what, false, actor).await?;
        if from_staff {
            db::room::set_ask(&mut tx, id, None, None).await?;
            alerts::alert_customer_via(&mut tx, state, id, AlertKind::UpdatePosted, via).await?;
        } else {
            staff_alerts::alert_staff(&mut tx, state, id, AlertKind::StaffCustomerWrote).await?;
        }
        live::publish_change(&mut tx, id, "message").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A checked "get help" request.
pub struct HelpAsk {
    /// One of the offered windows, or no call back.
    pub window: Option<&'static str>,
    pub note: Option<MessageText>,
    pub client_key: Option<String>,
}

/// "Get human help": flags the request as urgent for staff, optionally asking for a call
/// back. Customers only.
pub async fn ask_for_help(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    help: HelpAsk,
) -> Result<(), AppError> {
    if caller.is_staff() {
        return Err(AppError::Forbidden);
    }
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let window = help.window;
    let mut text = match window {
        Some(w) => format!("I'd like a call back ({}).", time_window_label(w)),
        None => "I need help from a person.".to_string(),
    };
    if let Some(note) = &help.note {
        text.push(' ');
        text.push_str(&note.masked());
    }
    let mut tx = state.pool.begin().await?;
    // Its own key space: a help request and a message can't collide on one client key.
    let key = help.client_key.as_ref().map(|k| format!("help:{k}"));
    let inserted = db::messages::insert(
        &mut tx,
        &db::messages::NewMessage {
            request_id: id,
            from_staff: false,
            author: &detail.first_name,
            body: &text,
            topic: "help",
            client_key: key.as_deref(),
            by_text: false,
            quote_version: None,
        },
    )
    .await?;
    if inserted {
        db::room::mark_urgent(&mut tx, id, window).await?;
        // The promise goes in the log as made, whatever the hours say later.
        let by = promise::help_by(&state.config, Some(chrono::Utc::now()));
        db::activity::add_event(
            &mut tx,
            id,
            "help",
            &format!("You asked for help. A person from our team will get back to you by {by}."),
            true,
            Actor::Customer,
        )
        .await?;
        staff_alerts::alert_staff(&mut tx, state, id, AlertKind::StaffHelpAsked).await?;
        live::publish_change(&mut tx, id, "help").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Adds or changes the caption on one of the request's photos.
pub async fn set_caption(
    state: &AppState,
    id: Uuid,
    attachment: Uuid,
    caption: &str,
) -> Result<(), AppError> {
    if !db::attachments::set_caption(&state.pool, id, attachment, caption).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
