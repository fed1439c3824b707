//! `/guide`: the path for everyone, and for a signed-in customer where their newest request
//! is on it with a link to the next step.
use crate::{
    model::{
        guide::{GuidePlace, GuideStep, GuideView},
        AppError,
    },
    server::{auth::session::Caller, db, state::AppState},
};

pub async fn view(state: &AppState, caller: &Caller) -> Result<GuideView, AppError> {
    let current = match caller {
        Caller::Customer {
            contact,
            request_id,
        } => db::guide::newest_progress(&state.pool, contact.as_deref(), *request_id)
            .await?
            .map(|(reference, progress)| {
                let step = GuideStep::of_request(&progress);
                GuidePlace {
                    next_href: format!("/room/{reference}#{}", step.room_anchor()),
                    reference,
                    step,
                }
            }),
        _ => None,
    };
    Ok(GuideView {
        business_name: state.config.business_name.clone(),
        current,
    })
}
