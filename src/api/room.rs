//! The customer's room for one request.
use crate::model::{request::RequestDetail, AppError};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomUpdate {
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomView {
    pub request: RequestDetail,
    /// Newest first; only what the customer is meant to see.
    pub updates: Vec<RoomUpdate>,
    pub business_name: String,
    pub business_phone: String,
    pub viewer_is_staff: bool,
}

#[server(endpoint = "room")]
pub async fn get_room(reference: String) -> Result<RoomView, AppError> {
    use super::ctx;
    use crate::server::db;
    let (caller, id) = ctx::require_request(&reference).await?;
    let state = ctx::state();
    let request = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let updates = db::requests::customer_updates(&state.pool, id)
        .await?
        .into_iter()
        .map(|(body, at)| RoomUpdate { body, at })
        .collect();
    Ok(RoomView {
        request,
        updates,
        business_name: state.config.business_name.clone(),
        business_phone: state.config.business_phone.clone(),
        viewer_is_staff: caller.is_staff(),
    })
}
