//! "Who can open this request": the room links and signed-in devices of a request, and
//! ending them (by the customer from the room, or all at once by staff).
use crate::model::{room::AccessEntry, AppError};
use leptos::prelude::*;

/// Lists what can open the request; for anyone who may see the request. The same list the
/// room shows, from the same one read.
#[server(endpoint = "room_access")]
pub async fn room_access(reference: String) -> Result<Vec<AccessEntry>, AppError> {
    super::room::get_room(reference)
        .await
        .map(|room| room.access)
}

/// Ends one link or signed-in device of a request the caller may see. Ending this
/// browser's own session signs it out.
#[server(endpoint = "room_access_end")]
pub async fn end_room_access(reference: String, id: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::auth::session::{clear_cookie_header, ROOM_COOKIE};
    let (_, request_id) = ctx::require_request(&reference).await?;
    let public_id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let state = ctx::state()?;
    let callers = ctx::callers().await?;
    if crate::server::devices::end_one(&state, &callers, request_id, public_id).await? {
        ctx::set_cookie(clear_cookie_header(ROOM_COOKIE, state.config.is_https()));
        leptos_axum::redirect("/signed-out");
    }
    Ok(())
}

/// Staff: ends every link and customer session that can open this request. The customer
/// can still ask for a fresh link, which goes to the contact details on the request.
/// What the request page says after a form post ended the customer's access.
pub const ACCESS_ENDED: &str =
    "The customer's links and signed-in devices are ended. They can ask for a fresh link.";

#[server(endpoint = "staff_end_access")]
pub async fn staff_end_access(reference: String) -> Result<String, AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    let (_, request_id) = ctx::require_request(&reference).await?;
    let (links, sessions) =
        crate::server::devices::end_all(&ctx::state()?, &user, request_id, &reference).await?;
    let plural = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    super::ctx::back_to_page_with("access_ended=1");
    Ok(format!(
        "Ended {} and {}. The customer can ask for a fresh link.",
        plural(links, "link"),
        plural(sessions, "signed-in device")
    ))
}
