//! Room service: assembling a customer's room from the database, what the customer (and
//! staff replying in the thread) can do there, and alerts that bring a customer back to it.
mod actions;
mod quote_decision;

use crate::{
    model::{
        intake::time_window_label,
        room::{recommended_card, RoomUpdate, RoomView, TimelineStep},
        AppError,
    },
    server::{
        auth::tokens,
        db::{self, room::RoomState},
        intake::room_link,
        state::AppState,
    },
};
pub use actions::{ask_for_help, send_message, set_caption, HelpAsk, Topic};
use chrono::{DateTime, Utc};
pub use quote_decision::{decide_quote, Decision};
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn load(state: &AppState, id: Uuid, viewer_is_staff: bool) -> Result<RoomView, AppError> {
    // One round trip for the whole room (after the session check).
    let db::room_view::RoomRead {
        request,
        state: room,
        first_events: events,
        updates,
        messages,
        quote,
    } = db::room_view::read(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let updates = updates
        .into_iter()
        .map(|(body, at)| RoomUpdate { body, at })
        .collect();
    // A request for photos is settled once photos arrive after it.
    let ask_kind = match (room.ask_kind.as_deref(), room.ask_at) {
        (Some("photos"), Some(at)) if request.attachments.iter().any(|a| a.created_at > at) => None,
        (kind, _) => kind,
    };
    Ok(RoomView {
        timeline: timeline(&events, &room),
        messages,
        recommended: recommended_card(ask_kind, quote.as_ref()),
        ask: ask_kind.and(room.ask_text.clone()),
        urgent: room.urgent,
        callback_window: room.callback_window.clone(),
        quote,
        request,
        updates,
        business_name: state.config.business_name.clone(),
        business_phone: state.config.business_phone.clone(),
        payment_url: state.config.payment_url.clone(),
        viewer_is_staff,
        today: Utc::now().date_naive(),
        form_key: Uuid::new_v4(),
    })
}

/// The customer's journey. Only customer-visible events count; future steps have no time.
pub fn timeline(events: &[(String, DateTime<Utc>)], room: &RoomState) -> Vec<TimelineStep> {
    let at = |kind: &str| events.iter().find(|(k, _)| k == kind).map(|(_, t)| *t);
    let reviewed = match (at("accepted"), at("declined")) {
        (_, Some(t)) => (
            Some(t),
            Some(format!("Not able to take this job{}", reason_suffix(room))),
        ),
        (Some(t), None) => (Some(t), Some(format!("We can help{}", reason_suffix(room)))),
        (None, None) => (None, None),
    };
    let schedule = match (room.scheduled_date, &room.scheduled_window) {
        (Some(d), window) => {
            let mut s = d.format("%A %e %B").to_string();
            if let Some(w) = window {
                s.push_str(&format!(" · {}", time_window_label(w)));
            }
            if let Some(t) = &room.technician_name {
                s.push_str(&format!(" · Technician: {t}"));
            }
            Some(s)
        }
        _ => None,
    };
    let step = |title: &str, done_at: Option<DateTime<Utc>>, detail: Option<String>| TimelineStep {
        title: title.into(),
        done_at,
        detail,
    };
    vec![
        step("Request received", at("received"), None),
        step("Details confirmed", at("confirmed"), None),
        step("Reviewed", reviewed.0, reviewed.1),
        step("Quote prepared", at("quote_sent"), None),
        step("Job scheduled", at("scheduled"), schedule),
        step("On the way / in progress", at("in_progress"), None),
        step("Done", at("done"), None),
    ]
}

fn reason_suffix(room: &RoomState) -> String {
    match room.customer_reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => format!(": {r}"),
        _ => String::new(),
    }
}

/// Tells the customer something changed, with a fresh link back to the room. The message
/// itself carries no details: the room is the one place to read them.
pub async fn alert_customer(
    conn: &mut PgConnection,
    state: &AppState,
    request_id: Uuid,
    what: &str,
) -> Result<(), sqlx::Error> {
    // Through the caller's transaction: a second pool connection while one is held can
    // starve a small pool.
    let Some((reference, first_name, Some(email))) =
        db::requests::alert_contact(&mut *conn, request_id).await?
    else {
        return Ok(());
    };
    let email = email.as_str();
    let (token, hash) = tokens::new_token();
    db::access::insert_room_token(conn, &hash, request_id, email).await?;
    let link = room_link(state, &token);
    let subject = format!("{what} — request {reference}");
    let body = format!(
        "Hi {first_name},\n\n{what} on your request {reference}.\nOpen your request room to see it:\n{link}\n\n\
         We will never ask for passwords, one-time codes or card details.\n\n{}",
        state.config.business_name
    );
    db::outbox::enqueue(conn, "email", email, &subject, &body, Some(request_id)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};

    #[test]
    fn the_timeline_shows_done_steps_with_times_and_future_steps_without() {
        let t0 = Utc::now();
        let events = vec![
            ("received".to_string(), t0),
            ("declined".to_string(), t0 + Duration::hours(1)),
            ("note".to_string(), t0),
        ];
        let room = RoomState {
            customer_reason: Some("We don't service that area".into()),
            ..Default::default()
        };
        let steps = timeline(&events, &room);
        assert_eq!(steps.len(), 7);
        assert_eq!(steps[0].done_at, Some(t0));
        assert!(steps[1].done_at.is_none());
        assert_eq!(
            steps[2].detail.as_deref(),
            Some("Not able to take this job: We don't service that area")
        );
        assert!(steps[3..].iter().all(|s| s.done_at.is_none()));
    }

    #[test]
    fn a_scheduled_job_names_the_day_window_and_technician() {
        let room = RoomState {
            scheduled_date: NaiveDate::from_ymd_opt(2026, 12, 3),
            scheduled_window: Some("morning".into()),
            technician_name: Some("Jake".into()),
            ..Default::default()
        };
        let steps = timeline(&[("scheduled".into(), Utc::now())], &room);
        assert_eq!(
            steps[4].detail.as_deref(),
            Some("Thursday  3 December · Morning (7am–12pm) · Technician: Jake")
        );
    }
}
