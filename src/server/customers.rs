//! The customer card: reading it, and what staff change on it (details, tags, calls). Each
//! change is one transaction that also writes the line the card's history shows, and tells
//! open boards (tags show on their cards).
use crate::{
    model::{
        customer::{
            parse_tag, ActivityEntry, CallOutcome, Channel, CommEntry, CustomerCard,
            CustomerRequest, Direction, Insights, HISTORY_PAGE, MAX_TAGS,
        },
        field::Field,
        staff::StaffUser,
        template::AlertKind,
        text::{clean_field, TextKind},
        values::{PersonName, Phone},
        AppError,
    },
    server::{db, live, state::AppState},
};
use sqlx::PgConnection;
use uuid::Uuid;

/// The card; a card that was merged opens the one it went into.
pub async fn card(state: &AppState, id: Uuid, page: i64) -> Result<CustomerCard, AppError> {
    let c = match db::customers::card(&state.pool, id).await? {
        Some(c) => c,
        None => {
            let into = db::customer_search::merged_into(&state.pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            db::customers::card(&state.pool, into)
                .await?
                .ok_or(AppError::NotFound)?
        }
    };
    let id = c.id;
    let page = page.clamp(0, 10_000);
    let offset = page * HISTORY_PAGE;
    // One more than a page tells whether an older page exists.
    let mut comms = db::customers::comms(&state.pool, id, HISTORY_PAGE + 1, offset).await?;
    let mut activity = db::customers::activity(&state.pool, id, HISTORY_PAGE + 1, offset).await?;
    let more = comms.len() as i64 > HISTORY_PAGE || activity.len() as i64 > HISTORY_PAGE;
    comms.truncate(HISTORY_PAGE as usize);
    activity.truncate(HISTORY_PAGE as usize);
    let requests = db::customers::requests(&state.pool, id).await?;
    let composer = super::composer::composer(
        state,
        &c.first_name,
        c.phone.as_deref(),
        c.email.as_deref(),
        &requests,
    )
    .await?;
    let most_common = Channel::most_common(&[
        (Channel::Call, c.calls),
        (Channel::Text, c.texts),
        (Channel::Email, c.emails),
        (Channel::Room, c.room),
        (Channel::WebForm, c.forms),
    ]);
    Ok(CustomerCard {
        id: c.id,
        first_name: c.first_name.clone(),
        last_name: c.last_name,
        business_name: c.business_name,
        email: c.email,
        phone: c.phone,
        address: c.address,
        tags: c.tags,
        insights: Insights {
            customer_since: c.created_at,
            jobs_completed: c.jobs_completed,
            most_common,
        },
        requests: requests.into_iter().map(request_entry).collect(),
        comms: comms.into_iter().map(comm_entry).collect(),
        activity: activity
            .into_iter()
            .map(|a| activity_entry(a, &c.first_name))
            .collect(),
        page,
        more,
        form_key: Uuid::new_v4().to_string(),
        duplicates: super::customer_search::duplicates(state, id).await?,
        composer,
    })
}

fn request_entry(r: db::customers::RequestRow) -> CustomerRequest {
    CustomerRequest {
        reference: r.reference,
        service_type: r.service_type,
        status: r.status,
        created_at: r.created_at,
        job: r
            .job_number
            .zip(r.job_status)
            .map(|(n, s)| format!("Job {n}: {}", s.label())),
        quote: r
            .quote_version
            .zip(r.quote_status)
            .map(|(v, s)| format!("Quote v{v}: {}", s.as_str())),
    }
}

fn comm_entry(m: db::customers::CommRow) -> CommEntry {
    let channel = match m.channel.as_str() {
        "text" => Channel::Text,
        "email" => Channel::Email,
        _ => Channel::Room,
    };
    let text = if m.is_alert {
        // Alerts are shown by name: their stored body may still hold a live room link.
        let what = AlertKind::parse(&m.text).map_or("An alert", AlertKind::label);
        format!("Alert: {what}")
    } else {
        m.text
    };
    CommEntry {
        at: m.at,
        channel,
        direction: if m.from_customer {
            Direction::FromCustomer
        } else {
            Direction::ToCustomer
        },
        reference: m.reference,
        text,
    }
}

fn activity_entry(a: db::customers::ActivityRow, first_name: &str) -> ActivityEntry {
    let who = match a.actor_kind.as_str() {
        "customer" => first_name.to_string(),
        "staff" => a.actor,
        _ => "Customer Room".to_string(),
    };
    ActivityEntry {
        at: a.at,
        who,
        what: a.what,
        reference: a.reference,
    }
}

/// What the quick edit form sent, as typed.
pub struct DetailsInput<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub business_name: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
}

/// Saves the card's details; each field that changed is a line in the history.
pub async fn edit(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    input: DetailsInput<'_>,
) -> Result<(), AppError> {
    let first = PersonName::parse_as(Field::FirstName, input.first_name)?.into_string();
    let last = PersonName::parse_as(Field::LastName, input.last_name)?.into_string();
    let business = optional(Field::BusinessName, input.business_name)?;
    let address = optional(Field::CustomerAddress, input.address)?;
    let phone = match input.phone.trim() {
        "" => None,
        p => Some(Phone::parse_in(Field::Phone, p, state.config.region)?.into_string()),
    };
    let mut tx = state.pool.begin().await?;
    let mut d = db::customers::lock_details(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if phone.is_none() && d.email.is_none() {
        return Err(AppError::Invalid(
            "Keep a phone number: this customer has no email address, so it's the only way to reach them.".into(),
        ));
    }
    let mut changes = Vec::new();
    let mut note = |what: &str, old: &Option<String>, new: &Option<String>| {
        if old != new {
            changes.push(match new {
                Some(v) => format!("Changed the {what} to {v}"),
                None => format!("Removed the {what}"),
            });
        }
    };
    let name = Some(format!("{first} {last}"));
    note(
        "name",
        &Some(format!("{} {}", d.first_name, d.last_name)),
        &name,
    );
    note("business name", &d.business_name, &business);
    note("phone", &d.phone, &phone);
    note("address", &d.address, &address);
    if changes.is_empty() {
        // A second tap of Save, or nothing changed: nothing to record.
        return Ok(());
    }
    d.first_name = first;
    d.last_name = last;
    d.business_name = business;
    d.phone = phone;
    d.address = address;
    db::customers::save_details(&mut tx, id, &d).await?;
    for line in &changes {
        record(&mut tx, id, user, "edited", line).await?;
    }
    changed(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

fn optional(field: Field, input: &str) -> Result<Option<String>, AppError> {
    let v = clean_field(field, input, TextKind::SingleLine)?;
    Ok((!v.is_empty()).then_some(v))
}

/// Adds a tag (the same tag in any case is already there: nothing changes).
pub async fn add_tag(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    tag: &str,
) -> Result<(), AppError> {
    let tag = parse_tag(tag)?;
    let mut tx = state.pool.begin().await?;
    let mut d = db::customers::lock_details(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if d.tags
        .iter()
        .any(|t| t.to_lowercase() == tag.to_lowercase())
    {
        return Ok(());
    }
    if d.tags.len() >= MAX_TAGS {
        return Err(AppError::Invalid(format!(
            "A customer can have up to {MAX_TAGS} tags. Remove one first."
        )));
    }
    d.tags.push(tag.clone());
    db::customers::save_details(&mut tx, id, &d).await?;
    let line = format!("Tagged {tag}");
    record(&mut tx, id, user, "tagged", &line).await?;
    changed(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a tag; one that isn't there (a second tap) changes nothing.
pub async fn remove_tag(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    tag: &str,
) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    let mut d = db::customers::lock_details(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = d.tags.len();
    d.tags.retain(|t| t != tag.trim());
    if d.tags.len() == before {
        return Ok(());
    }
    db::customers::save_details(&mut tx, id, &d).await?;
    let line = format!("Removed the tag {}", tag.trim());
    record(&mut tx, id, user, "untagged", &line).await?;
    changed(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Logs a call and how it went; the same `client_key` again (a double tap) logs nothing.
pub async fn log_call(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    outcome: CallOutcome,
    client_key: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    db::customers::lock_details(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let line = format!("Call: {}", outcome.label());
    let event = db::customers::NewEvent {
        kind: "call",
        body: &line,
        outcome: Some(outcome.as_str()),
        staff_id: user.id,
        client_key: client_key.unwrap_or(""),
    };
    if db::customers::add_event(&mut tx, id, &event).await? {
        changed(&mut tx, id).await?;
        tx.commit().await?;
    }
    Ok(())
}

pub(super) async fn record(
    tx: &mut PgConnection,
    id: Uuid,
    user: &StaffUser,
    kind: &str,
    line: &str,
) -> Result<(), AppError> {
    let event = db::customers::NewEvent {
        kind,
        body: line,
        outcome: None,
        staff_id: user.id,
        client_key: "",
    };
    db::customers::add_event(tx, id, &event).await?;
    Ok(())
}

/// Open boards redraw (they show names and tags); a room shows nothing of the card.
pub(super) async fn changed(tx: &mut PgConnection, id: Uuid) -> Result<(), AppError> {
    if let Some(request) = db::customers::newest_request(&mut *tx, id).await? {
        live::publish_change(tx, request, "customer").await?;
    }
    Ok(())
}

/// The customer a request belongs to (for the request page's link to the card).
pub async fn of_request(state: &AppState, request_id: Uuid) -> Result<Uuid, AppError> {
    db::customers::of_request(&state.pool, request_id)
        .await?
        .ok_or(AppError::NotFound)
}
