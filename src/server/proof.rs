//! Private feedback and permissioned proof: who may do what, each change in one
//! transaction with its line in the request's activity log. The state rules are
//! `model::proof::ProofState`; the queries in `db::proof` apply them as they write.
use crate::{
    model::{
        guide::GuideStep,
        proof::{
            attribution, FeedbackEntry, ProofPage, ProofState, PublicProof, RoomProof, StaffProof,
        },
        staff::StaffUser,
        values::MessageText,
        AppError,
    },
    server::{
        auth::session::Caller,
        db::{self, activity::Actor, proof::ProofRow},
        live,
        state::AppState,
    },
};
use uuid::Uuid;

/// Writes the proof change's line in the request's log, tells open pages (the room's proof
/// card) and commits.
async fn changed(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    request_id: Uuid,
    line: &str,
    actor: Actor<'_>,
) -> Result<(), AppError> {
    db::activity::add_event(&mut tx, request_id, "proof", line, false, actor).await?;
    live::publish_change(&mut tx, request_id, "proof").await?;
    tx.commit().await?;
    Ok(())
}

/// Feedback and proof are the customer's own word: staff reading the room cannot give them.
fn customer_only(caller: &Caller) -> Result<(), AppError> {
    match caller {
        Caller::Customer { .. } => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

pub fn room_proof(row: ProofRow) -> RoomProof {
    RoomProof {
        state: ProofState::of(
            &row.wording,
            row.customer_approved.as_deref(),
            row.published_at.is_some(),
            row.withdrawn_by.as_deref(),
        ),
        customer_words: row.customer_words,
        wording: row.wording,
        revision: row.revision,
        attribution: row.attribution,
        published_at: row.published_at,
    }
}

pub async fn send_feedback(
    state: &AppState,
    caller: &Caller,
    request_id: Uuid,
    step: GuideStep,
    body: &MessageText,
    client_key: &str,
) -> Result<(), AppError> {
    customer_only(caller)?;
    let mut tx = state.pool.begin().await?;
    if db::proof::add_feedback(&mut tx, request_id, step.key(), body.as_str(), client_key).await? {
        let line = format!("Sent private feedback about “{}”", step.title());
        db::activity::add_event(
            &mut tx,
            request_id,
            "feedback",
            &line,
            false,
            Actor::Customer,
        )
        .await?;
        live::publish_change(&mut tx, request_id, "feedback").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The customer offers their words (approving them as written), once the job is finished.
/// Offering the same words again is a retry and changes nothing.
pub async fn offer(
    state: &AppState,
    caller: &Caller,
    request_id: Uuid,
    words: &MessageText,
) -> Result<(), AppError> {
    customer_only(caller)?;
    let detail = db::requests::detail(&state.pool, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.pool.begin().await?;
    if !db::proof::has_finished_job(&mut tx, request_id).await? {
        return Err(AppError::Conflict(
            "You can share a few words once the job is finished.".into(),
        ));
    }
    let existing = db::proof::get(&mut tx, request_id).await?;
    let signed = attribution(&detail.first_name, &detail.suburb);
    if !db::proof::offer(&mut tx, request_id, words.as_str(), &signed).await? {
        if existing.is_some_and(|p| p.customer_words == words.as_str()) {
            return Ok(());
        }
        return Err(AppError::Conflict(
            "You've already shared your words. Withdraw them first if you'd like to write new ones.".into(),
        ));
    }
    changed(
        tx,
        request_id,
        "Offered a few words about the job, with permission to show them",
        Actor::Customer,
    )
    .await
}

/// The customer approves the wording staff proposed, at the revision they read.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    request_id: Uuid,
    revision: i32,
) -> Result<(), AppError> {
    customer_only(caller)?;
    let mut tx = state.pool.begin().await?;
    let current = db::proof::get(&mut tx, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.revision == revision
        && current.customer_approved.as_deref() == Some(&current.wording)
    {
        return Ok(());
    }
    if !db::proof::approve(&mut tx, request_id, revision).await? {
        return Err(AppError::Conflict(
            "The wording changed while you were reading it. Please read the new version below."
                .into(),
        ));
    }
    changed(
        tx,
        request_id,
        "Approved the wording of their words about the job",
        Actor::Customer,
    )
    .await
}

/// The customer takes their words back: off the proof page at once, approval gone.
pub async fn withdraw_by_customer(
    state: &AppState,
    caller: &Caller,
    request_id: Uuid,
) -> Result<(), AppError> {
    customer_only(caller)?;
    let mut tx = state.pool.begin().await?;
    let current = db::proof::get(&mut tx, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.withdrawn_by.as_deref() == Some("customer") {
        return Ok(());
    }
    db::proof::withdraw(&mut tx, request_id, true).await?;
    changed(
        tx,
        request_id,
        "Withdrew their words about the job",
        Actor::Customer,
    )
    .await
}

pub async fn staff_list(state: &AppState) -> Result<Vec<StaffProof>, AppError> {
    Ok(db::proof::staff_list(&state.pool)
        .await?
        .into_iter()
        .map(|r| StaffProof {
            request_id: r.request_id,
            reference: r.reference,
            proof: room_proof(r.row),
            offered_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

/// What staff may do with a proof, each refused with the reason when the state forbids it.
pub enum StaffChange<'a> {
    Edit(&'a MessageText),
    Publish,
    Withdraw,
}

pub async fn staff_change(
    state: &AppState,
    user: &StaffUser,
    request_id: Uuid,
    change: StaffChange<'_>,
) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    let current = db::proof::get(&mut tx, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = room_proof(current);
    if now.state == ProofState::WithdrawnByCustomer {
        return Err(AppError::Conflict(
            "The customer withdrew these words, so they can't be changed or shown.".into(),
        ));
    }
    let line =
        match change {
            StaffChange::Edit(w) if w.as_str() == now.wording => return Ok(()),
            StaffChange::Edit(w) => {
                db::proof::edit(&mut tx, request_id, w.as_str(), user.id).await?;
                "Proposed new wording for the customer's words; it waits for their approval"
            }
            StaffChange::Publish if now.state == ProofState::Published => return Ok(()),
            StaffChange::Publish if !now.state.may_publish() => return Err(AppError::Conflict(
                "The customer hasn't approved this wording yet. It can be published once they do."
                    .into(),
            )),
            StaffChange::Publish => {
                db::proof::publish(&mut tx, request_id, user.id).await?;
                "Published the customer's words on the proof page"
            }
            StaffChange::Withdraw if now.state != ProofState::Published => return Ok(()),
            StaffChange::Withdraw => {
                db::proof::withdraw(&mut tx, request_id, false).await?;
                "Took the customer's words off the proof page"
            }
        };
    changed(tx, request_id, line, Actor::Staff(user)).await
}

/// `/proof`: published, approved words only.
pub async fn public_page(state: &AppState) -> Result<ProofPage, AppError> {
    Ok(ProofPage {
        business_name: state.config.business_name.clone(),
        entries: db::proof::published(&state.pool)
            .await?
            .into_iter()
            .map(|p| PublicProof {
                wording: p.wording,
                attribution: p.attribution,
                service_type: p.service_type,
                published_at: p.published_at,
            })
            .collect(),
    })
}

pub async fn feedback_list(state: &AppState) -> Result<Vec<FeedbackEntry>, AppError> {
    Ok(db::proof::feedback_list(&state.pool, 200)
        .await?
        .into_iter()
        .map(|f| FeedbackEntry {
            id: f.id,
            reference: f.reference,
            step: GuideStep::parse(&f.step).unwrap_or(GuideStep::Track),
            body: f.body,
            created_at: f.created_at,
            reviewed: f.reviewed_at.map(|at| (f.reviewer.unwrap_or_default(), at)),
        })
        .collect())
}

pub async fn mark_feedback_read(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
) -> Result<(), AppError> {
    if !db::proof::mark_feedback_read(&state.pool, id, user.id).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
