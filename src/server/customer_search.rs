//! Finding a customer by name, phone (any format), email or reference, and merging two
//! cards of one person without losing any request, message, file or history entry.
use crate::{
    model::{
        customer::{CustomerHit, CustomerSearchView},
        search::CustomerSearch,
        staff::StaffUser,
        AppError,
    },
    server::{db, state::AppState},
};
use uuid::Uuid;

pub async fn search(state: &AppState, q: &str) -> Result<CustomerSearchView, AppError> {
    let parsed = CustomerSearch::parse(q)?;
    let pool = &state.pool;
    let ids = match &parsed {
        None => vec![],
        Some(CustomerSearch::Reference(r)) => db::customer_search::by_reference(pool, r).await?,
        Some(CustomerSearch::Phone(d)) => db::customer_search::by_phone(pool, d).await?,
        Some(CustomerSearch::Email(p)) => db::customer_search::by_email(pool, p).await?,
        Some(CustomerSearch::Name(p)) => db::customer_search::by_name(pool, p).await?,
    };
    Ok(CustomerSearchView {
        q: q.trim().to_string(),
        searched: parsed.is_some(),
        hits: hits(state, &ids).await?,
    })
}

pub async fn duplicates(state: &AppState, id: Uuid) -> Result<Vec<CustomerHit>, AppError> {
    let ids = db::customer_search::duplicates_of(&state.pool, id).await?;
    hits(state, &ids).await
}

/// Result lines for `ids`, in the order the search ranked them.
async fn hits(state: &AppState, ids: &[Uuid]) -> Result<Vec<CustomerHit>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = db::customer_search::hits(&state.pool, ids).await?;
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    Ok(rows
        .into_iter()
        .map(|r| CustomerHit {
            id: r.id,
            name: format!("{} {}", r.first_name, r.last_name),
            business_name: r.business_name,
            email: r.email,
            phone: r.phone,
            tags: r.tags,
            customer_since: r.created_at,
            requests: r.requests,
            latest_reference: r.latest_reference,
            latest_at: r.latest_at,
        })
        .collect())
}

/// Merges the card `gone` into `keep`. Only cards that share a phone number or email (both
/// stored normalised) — the likely duplicates the card lists. Asking again after it is done
/// is answered as done.
pub async fn merge(
    state: &AppState,
    user: &StaffUser,
    keep: Uuid,
    gone: Uuid,
) -> Result<(), AppError> {
    if keep == gone {
        return Err(AppError::Conflict("That is the same card.".into()));
    }
    let mut tx = state.pool.begin().await?;
    let pair = db::customer_search::lock_pair(&mut tx, keep, gone).await?;
    let (Some(k), Some(g)) = (
        pair.iter().find(|c| c.id == keep),
        pair.iter().find(|c| c.id == gone),
    ) else {
        let done = db::customer_search::merged_into(&state.pool, gone).await? == Some(keep);
        return if done {
            Ok(())
        } else {
            Err(AppError::NotFound)
        };
    };
    let same_phone = k.phone.is_some() && k.phone == g.phone;
    let same_email =
        matches!((&k.email, &g.email), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
    if !same_phone && !same_email {
        return Err(AppError::Conflict(
            "These two cards don't share a phone number or an email, so they can't be merged."
                .into(),
        ));
    }
    let (requests, entries) = db::customer_search::merge(&mut tx, keep, g).await?;
    let summary = format!(
        "Merged the card for {} {} ({}, customer since {}) into this one: {requests} request{} and {entries} history entr{} moved",
        g.first_name,
        g.last_name,
        if same_phone { "same phone number" } else { "same email" },
        g.created_at.with_timezone(&state.config.timezone).format("%-d %b %Y"),
        if requests == 1 { "" } else { "s" },
        if entries == 1 { "y" } else { "ies" },
    );
    db::customer_search::record_merge(&mut tx, gone, keep, user.id, &summary).await?;
    super::customers::record(&mut tx, keep, user, "merged", &summary).await?;
    super::customers::changed(&mut tx, keep).await?;
    tx.commit().await?;
    Ok(())
}
