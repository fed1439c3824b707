//! Room service: assembling a customer's room from the database, what the customer (and
//! staff replying in the thread) can do there, and alerts that bring a customer back to it.
mod actions;
mod quote_decision;

use crate::{
    model::{
        job::{self, JobStatus},
        reference::Reference,
        room::{recommended_card, RoomUpdate, RoomView, TimelineStep},
        AppError,
    },
    server::{
        auth::session::{Caller, Callers},
        db::{
            self,
            room::{RoomJob, RoomState},
            room_view::Reader,
        },
        devices, inbound, promise,
        state::AppState,
    },
};
pub use actions::{ask_for_help, send_message, send_message_via, set_caption, HelpAsk, Topic};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
pub use quote_decision::{ask_for_changes, decide_quote, Decision};
use uuid::Uuid;

/// The room behind `reference` for the caller this path acts as, in one round trip after the
/// session check: the read itself applies the access rule (see [`access::open_request`] for
/// the same rule on writes). A request that exists but belongs to someone else gets the same
/// answer as one that doesn't exist. With the view comes the room's `view_version` as of that
/// same read, which `http::room_pages` keeps the rendered page under.
pub async fn open(
    state: &AppState,
    callers: &Callers,
    path: &str,
    reference: &str,
) -> Result<(RoomView, i64), AppError> {
    match callers.for_path(path) {
        Caller::Anonymous => Err(AppError::NotSignedIn),
        Caller::Staff(_) => read_as_staff(state, reference).await,
        // A browser with both cookies whose customer session cannot see the request reads
        // it as its staff session (as `access::open_request` does).
        Caller::Customer {
            contact,
            request_id,
        } => {
            let reader = Reader {
                staff: callers.staff.is_some(),
                contact: contact.as_deref(),
                scoped: request_id,
                session: callers.room_cookie.as_deref(),
            };
            read(state, reference, &reader).await
        }
    }
}

/// The room as staff see it beside their tools.
pub async fn for_staff(state: &AppState, reference: &str) -> Result<RoomView, AppError> {
    Ok(read_as_staff(state, reference).await?.0)
}

async fn read_as_staff(state: &AppState, reference: &str) -> Result<(RoomView, i64), AppError> {
    let reader = Reader {
        staff: true,
        ..Reader::default()
    };
    read(state, reference, &reader).await
}

async fn read(
    state: &AppState,
    reference: &str,
    reader: &Reader<'_>,
) -> Result<(RoomView, i64), AppError> {
    let reference: Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    let max_age = state.config.link_max_age();
    let read = db::room_view::read(&state.pool, reference.as_str(), reader, max_age)
        .await?
        .ok_or(AppError::Forbidden)?;
    let version = read.view_version;
    Ok((view(state, read), version))
}

/// Staff-only parts of the room show to whoever the customer rule did not let in (the read
/// returns nothing to a customer it refuses).
fn view(state: &AppState, read: db::room_view::RoomRead) -> RoomView {
    let viewer_is_staff = !read.as_customer;
    let db::room_view::RoomRead {
        request,
        state: room,
        first_events: events,
        updates,
        messages,
        quote,
        sessions,
        links,
        texts_off,
        proof,
        feedback_sent,
        as_customer: _,
        view_version: _,
    } = read;
    let job_finished = room
        .job
        .as_ref()
        .is_some_and(|j| j.status == JobStatus::Finished);
    let updates = updates
        .into_iter()
        .map(|(body, at)| RoomUpdate { body, at })
        .collect();
    // A request for photos is settled once photos arrive after it.
    let ask_kind = match (room.ask_kind.as_deref(), room.ask_at) {
        (Some("photos"), Some(at)) if request.attachments.iter().any(|a| a.created_at > at) => None,
        (kind, _) => kind,
    };
    RoomView {
        texts: inbound::consent(request.phone.as_deref(), texts_off),
        timeline: timeline(&events, &room, state.config.timezone),
        messages,
        recommended: recommended_card(ask_kind, quote.as_ref()),
        ask: ask_kind.and(room.ask_text.clone()),
        urgent: room.urgent,
        callback_window: room.callback_window.clone(),
        help_by: promise::help_by(
            &state.config,
            room.urgent.then_some(room.urgent_at).flatten(),
        ),
        quote,
        request,
        updates,
        business_name: state.config.business_name.clone(),
        business_phone: state.config.business_phone.clone(),
        payment_url: state.config.payment_url.clone(),
        viewer_is_staff,
        today: Utc::now().date_naive(),
        form_key: Uuid::new_v4(),
        access: devices::entries(sessions, links),
        proof_invited: job_finished || proof.is_some(),
        proof: proof.map(crate::server::proof::room_proof),
        feedback_sent: feedback_sent > 0,
    }
}

/// The customer's journey. Only customer-visible events count; future steps have no time.
pub fn timeline(events: &[(String, DateTime<Utc>)], room: &RoomState, tz: Tz) -> Vec<TimelineStep> {
    let at = |kinds: &[&str]| {
        events
            .iter()
            .filter(|(k, _)| kinds.contains(&k.as_str()))
            .map(|(_, t)| *t)
            .min()
    };
    let reviewed = match (at(&["accepted"]), at(&["declined"])) {
        (_, Some(t)) => (
            Some(t),
            Some(format!("Not able to take this job{}", reason_suffix(room))),
        ),
        (Some(t), None) => (Some(t), Some(format!("We can help{}", reason_suffix(room)))),
        (None, None) => (None, None),
    };
    let who = |j: &RoomJob| {
        let name = j.technician_name.split_whitespace().next().unwrap_or("");
        name.to_string()
    };
    // A cancelled visit leaves no job: the step waits for the next booking.
    let schedule = room.job.as_ref().map(|j| {
        let when = job::when(
            j.starts_at.with_timezone(&tz).naive_local(),
            j.ends_at.with_timezone(&tz).naive_local(),
        );
        format!("{when} · Technician: {}", who(j))
    });
    let on_site = room.job.as_ref().and_then(|j| match j.status {
        JobStatus::OnMyWay => Some(format!("{} is on the way", who(j))),
        JobStatus::InProgress => Some(format!("{} is working on the job", who(j))),
        _ => None,
    });
    let step = |title: &str, done_at: Option<DateTime<Utc>>, detail: Option<String>| TimelineStep {
        title: title.into(),
        done_at,
        detail,
    };
    vec![
        step("Request received", at(&["received"]), None),
        step("Details confirmed", at(&["confirmed"]), None),
        step("Reviewed", reviewed.0, reviewed.1),
        step("Quote prepared", at(&["quote_sent"]), None),
        step(
            "Job scheduled",
            schedule.as_ref().and(at(&["scheduled"])),
            schedule,
        ),
        step(
            "On the way / in progress",
            at(&["in_progress", "job_on_my_way", "job_in_progress"]),
            on_site,
        ),
        step("Done", at(&["done", "job_finished"]), None),
    ]
}

fn reason_suffix(room: &RoomState) -> String {
    match room.customer_reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => format!(": {r}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    const TZ: Tz = chrono_tz::Australia::Sydney;

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
        let steps = timeline(&events, &room, TZ);
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
    fn a_scheduled_job_names_the_day_times_and_technician_in_local_time() {
        // 9 am to 11 am in Sydney (daylight time, UTC+11) on Thursday 3 December.
        let starts_at = TZ
            .with_ymd_and_hms(2026, 12, 3, 9, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let room = RoomState {
            job: Some(RoomJob {
                starts_at,
                ends_at: starts_at + Duration::hours(2),
                status: JobStatus::OnMyWay,
                technician_name: "Jake Smith".into(),
            }),
            ..Default::default()
        };
        let events = [
            ("scheduled".to_string(), Utc::now()),
            ("job_on_my_way".to_string(), Utc::now()),
        ];
        let steps = timeline(&events, &room, TZ);
        assert_eq!(
            steps[4].detail.as_deref(),
            Some("Thursday 3 December, 9:00 am – 11:00 am · Technician: Jake")
        );
        assert!(steps[5].done_at.is_some());
        assert_eq!(steps[5].detail.as_deref(), Some("Jake is on the way"));
        // A cancelled visit (no job left) leaves the step open even after it was booked once.
        let none = RoomState::default();
        assert!(timeline(&events, &none, TZ)[4].done_at.is_none());
    }
}
