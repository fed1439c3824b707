//! Alerts to staff: a new request, a customer asking for a person, a customer writing or
//! texting, a quote decided, a text from a number we don't know. Each goes to the one person
//! routing picks (`model::inbox::route`: the technician while the job is under way, else the
//! point of contact, else the owner), on the channel that person chose (email, text, or none),
//! in the business's wording for that alert. Its link is the request's staff page (or the
//! inbox), which asks for a staff sign-in: no customer room link ever goes to staff.
use super::{
    alerts::{fill, template, Values},
    templates::{greeting_name, Rendered},
};
use crate::{
    model::{
        inbox::{route, RouteReason},
        template::{AlertKind, Channel},
    },
    server::{db, state::AppState},
};
use sqlx::PgConnection;
use uuid::Uuid;

/// Who an alert or a text about `request_id` (none: a new lead) goes to, and why.
pub struct Routed {
    pub to: Option<Uuid>,
    pub because: RouteReason,
}

pub async fn recipient(
    conn: &mut PgConnection,
    request_id: Option<Uuid>,
) -> Result<Routed, sqlx::Error> {
    let f = db::inbound::route_facts(conn, request_id).await?;
    let because = route(
        f.job_status,
        f.technician.is_some(),
        f.point_of_contact.is_some(),
    );
    let to = match because {
        RouteReason::Technician => f.technician,
        RouteReason::PointOfContact => f.point_of_contact,
        RouteReason::Owner => f.owner,
    };
    Ok(Routed { to, because })
}

/// Alerts whoever routing picks for `request_id` about `kind`, in the caller's transaction.
pub async fn alert_staff(
    conn: &mut PgConnection,
    state: &AppState,
    request_id: Uuid,
    kind: AlertKind,
) -> Result<(), sqlx::Error> {
    let routed = recipient(&mut *conn, Some(request_id)).await?;
    if let Some(to) = routed.to {
        send_to(conn, state, to, Some(request_id), kind).await?;
    }
    Ok(())
}

/// Alerts one staff member about `kind`, by the channel they chose; nothing when they chose
/// none, are no longer active, or the business turned this alert off on that channel.
pub async fn send_to(
    conn: &mut PgConnection,
    state: &AppState,
    staff_id: Uuid,
    request_id: Option<Uuid>,
    kind: AlertKind,
) -> Result<(), sqlx::Error> {
    let Some(target) = db::inbound::alert_target(&mut *conn, staff_id).await? else {
        return Ok(());
    };
    let (channel, contact) = match (target.alert_channel.as_str(), target.phone) {
        ("none", _) => return Ok(()),
        ("sms", Some(phone)) => (Channel::Sms, phone),
        // Texts chosen but no number given: email rather than nothing.
        _ => (Channel::Email, target.email),
    };
    let Some((subject, body)) = template(&mut *conn, kind, channel).await? else {
        return Ok(());
    };
    let base = &state.config.public_url;
    let values = match request_id {
        Some(id) => {
            let Some(facts) = db::requests::alert_facts(&mut *conn, id).await? else {
                return Ok(());
            };
            Values {
                room_link: format!("{base}/staff/requests/{}", facts.reference),
                // Alerts put the name first: "A customer wrote…" when it isn't one.
                first_name: greeting_name(&facts.first_name)
                    .unwrap_or("A customer")
                    .to_string(),
                reference: facts.reference,
                technician: facts.technician,
                window: None,
            }
        }
        None => Values {
            first_name: String::new(),
            reference: String::new(),
            room_link: format!("{base}/staff/inbox"),
            technician: None,
            window: None,
        },
    };
    let named = db::templates::names_technician(&mut *conn).await?;
    let business = &state.config.business_name;
    let m = Rendered {
        template: kind.as_str(),
        subject: fill(&subject, business, named, &values),
        body: fill(&body, business, named, &values),
    };
    db::outbox::enqueue(conn, channel.as_str(), &contact, &m, request_id).await?;
    Ok(())
}
