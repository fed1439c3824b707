//! Access service: which request a reference opens for a caller, new room links sent to a
//! contact, a customer's own requests, and signing out.
use crate::{
    model::{
        field::{Field, FieldError},
        reference::Reference,
        request::RequestSummary,
        template::{AlertKind, Channel},
        values::{Email, Phone},
        AppError,
    },
    server::{
        auth::{
            limits,
            session::{self, Caller, Callers},
            tokens,
        },
        db,
        intake::room_link,
        notify::alerts,
        state::AppState,
    },
};
use uuid::Uuid;

/// Resolves a reference to a request the caller may see. A request that exists but belongs
/// to someone else gets the same answer as one that doesn't exist. A browser with both
/// cookies whose customer session cannot see the request acts as its staff session (staff
/// replying from the staff page through a shared function such as `room_message`).
pub async fn open_request(
    state: &AppState,
    callers: &Callers,
    path: &str,
    reference: &str,
) -> Result<(Caller, Uuid), AppError> {
    let caller = callers.for_path(path);
    if matches!(caller, Caller::Anonymous) {
        return Err(AppError::NotSignedIn);
    }
    let reference: Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    let id = db::requests::id_by_reference(&state.pool, reference.as_str())
        .await?
        .ok_or(AppError::Forbidden)?;
    if caller.may_see_request(state, id).await? {
        return Ok((caller, id));
    }
    match (&caller, &callers.staff) {
        (Caller::Customer { .. }, Some((staff, _))) => Ok((Caller::Staff(staff.clone()), id)),
        _ => Err(AppError::Forbidden),
    }
}

/// The contact a customer types to get a new link: an e-mail address, or a phone number
/// read for the business's region.
pub enum Contact {
    Email(Email),
    Phone(Phone),
}

impl Contact {
    pub fn parse(input: &str, region: phonenumber::country::Id) -> Result<Self, FieldError> {
        if input.contains('@') {
            Email::parse_as(Field::Contact, input).map(Contact::Email)
        } else {
            Phone::parse_in(Field::Contact, input, region).map(Contact::Phone)
        }
    }

    /// How requests store it: lower-case e-mail or E.164.
    pub fn as_str(&self) -> &str {
        match self {
            Contact::Email(e) => e.as_str(),
            Contact::Phone(p) => p.as_str(),
        }
    }
}

/// A contact asking for a new link.
/// Rate limited per address and per contact; an unknown contact gets the same silence as a
/// known one gets a message.
pub async fn request_link(
    state: &AppState,
    client_ip: &str,
    contact: &Contact,
) -> Result<(), AppError> {
    let contact = contact.as_str();
    if !limits::allow(&state.limits.link_per_ip, client_ip)
        || !limits::allow(&state.limits.link_per_contact, contact)
    {
        return Err(AppError::RateLimited);
    }
    let requests = db::requests::for_contact(&state.pool, contact).await?;
    let Some((newest, _)) = requests.first() else {
        tracing::info!("room link asked for an unknown contact");
        return Ok(());
    };
    let references: Vec<String> = requests.iter().map(|(_, r)| r.clone()).collect();
    let (token, hash) = tokens::new_token();
    let link = room_link(state, &token);
    let mut tx = state.pool.begin().await?;
    db::access::insert_room_token(&mut tx, &hash, *newest, contact).await?;
    let channel = if contact.contains('@') {
        Channel::Email
    } else {
        Channel::Sms
    };
    let values = alerts::Values {
        first_name: String::new(),
        reference: references.join(", "),
        room_link: link,
        technician: None,
        window: None,
    };
    // The sign-in link can't be turned off (/staff/templates refuses): it is always there.
    let Some(m) = alerts::rendered(&mut tx, state, AlertKind::MagicLink, channel, &values).await?
    else {
        return Ok(());
    };
    db::outbox::enqueue(&mut tx, channel.as_str(), contact, &m, Some(*newest)).await?;
    tx.commit().await?;
    Ok(())
}

/// The requests a customer session opens, and whether it is the one-request session the
/// form starts (rather than a contact's session from a link).
pub async fn my_requests(
    state: &AppState,
    caller: &Caller,
) -> Result<(Vec<RequestSummary>, bool), AppError> {
    match caller {
        Caller::Customer {
            contact,
            request_id,
        } => {
            let requests =
                db::requests::list_for_customer(&state.pool, contact.as_deref(), *request_id)
                    .await?;
            Ok((requests, contact.is_none()))
        }
        Caller::Staff(_) => Err(AppError::Forbidden),
        Caller::Anonymous => Err(AppError::NotSignedIn),
    }
}

/// Which sessions a sign-out ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignOut {
    /// From the room: a staff session in the same browser stays.
    CustomerOnly,
    Everything,
}

/// Ends the sessions behind the presented cookies on the server (their live streams close).
pub async fn sign_out(state: &AppState, callers: &Callers, scope: SignOut) -> Result<(), AppError> {
    if scope == SignOut::Everything {
        session::end_hash(state, callers.staff_cookie.as_deref()).await?;
    }
    session::end_hash(state, callers.room_cookie.as_deref()).await?;
    Ok(())
}
