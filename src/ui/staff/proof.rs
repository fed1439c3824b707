//! /staff/proof and /staff/feedback: what customers said. Proof is published only in the
//! wording its customer approved; private feedback is read here and nowhere else.
use super::staff_page;
use crate::{
    api::proof::{staff_feedback, staff_proofs, ChangeProof, FeedbackRead},
    model::proof::{FeedbackEntry, ProofState, StaffProof},
    ui::components::{
        clock::TimeAgo,
        errors::{ActionAlert, SavedNotice},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffProofPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| staff_proofs());
    let change = ServerAction::<ChangeProof>::new();
    view! {
        <Title text="Proof — staff" />
        {staff_page(
            list,
            move |_, list: Vec<StaffProof>| {
                view! {
                    <section class="page staff proof-review">
                        <h1>"Proof"</h1>
                        <p class="small">
                            "Words customers offered after a job. You may change the wording; the customer then has to approve it before it can go on "
                            <a href="/proof">"the proof page"</a>
                            ". Either of you can take it down at any time."
                        </p>
                        <SavedNotice flag="proof" />
                        {list
                            .is_empty()
                            .then(|| view! { <p class="hint">"No words offered yet."</p> })}
                        <ul class="proof-review-list">
                            {list
                                .into_iter()
                                .map(|p| view! { <ProofItem p change /> })
                                .collect_view()}
                        </ul>
                    </section>
                }
            },
        )}
    }
}

#[component]
fn ProofItem(p: StaffProof, change: ServerAction<ChangeProof>) -> impl IntoView {
    let id = p.request_id.to_string();
    let state = p.proof.state;
    let field = format!("wording-{}", p.reference);
    let open = state != ProofState::WithdrawnByCustomer;
    let (publish_id, down_id) = (id.clone(), id.clone());
    view! {
        <li class=format!("proof-review-item proof-{state:?}").to_lowercase()>
            <p class="small">
                <a href=format!("/staff/requests/{}", p.reference)>{p.reference.clone()}</a>
                " · "
                {p.proof.attribution.clone()}
                " · offered "
                <TimeAgo at=p.offered_at />
            </p>
            <p class="status">{state.staff_label()}</p>
            <p class="hint">"The customer wrote:"</p>
            <blockquote class="proof-words original">
                <p>{p.proof.customer_words.clone()}</p>
            </blockquote>
            {open
                .then(move || {
                    view! {
                        <ActionForm action=change attr:class="proof-edit">
                            <input type="hidden" name="request_id" value=id.clone() />
                            <input type="hidden" name="action" value="edit" />
                            <label for=field.clone()>"Wording to publish"</label>
                            <textarea id=field.clone() name="wording" rows="3" maxlength="1000">
                                {p.proof.wording.clone()}
                            </textarea>
                            <button type="submit" class="button">
                                "Save wording and ask the customer"
                            </button>
                        </ActionForm>
                        <div class="proof-actions">
                            {state
                                .may_publish()
                                .then(move || {
                                    view! {
                                        <ActionForm action=change attr:class="inline-form">
                                            <input type="hidden" name="request_id" value=publish_id />
                                            <input type="hidden" name="action" value="publish" />
                                            <button type="submit" class="button primary">
                                                "Publish"
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                            {(state == ProofState::Published)
                                .then(move || {
                                    view! {
                                        <ActionForm action=change attr:class="inline-form">
                                            <input type="hidden" name="request_id" value=down_id />
                                            <input type="hidden" name="action" value="withdraw" />
                                            <button type="submit" class="button">
                                                "Take it down"
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </div>
                    }
                })}
            <ActionAlert value=change.value() />
        </li>
    }
}

#[component]
pub fn StaffFeedbackPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| staff_feedback());
    let read = ServerAction::<FeedbackRead>::new();
    view! {
        <Title text="Feedback — staff" />
        {staff_page(
            list,
            move |_, list: Vec<FeedbackEntry>| {
                let unread = list.iter().filter(|f| f.reviewed.is_none()).count();
                view! {
                    <section class="page staff feedback-review">
                        <h1>"Private feedback"</h1>
                        <p class="small">
                            "Where customers found the path unclear. It is private: it never appears on any public page, and customers are told so."
                        </p>
                        {(unread > 0)
                            .then(|| {
                                view! {
                                    <p class="notice" role="status">
                                        {format!("{unread} not read yet.")}
                                    </p>
                                }
                            })}
                        <ActionAlert value=read.value() />
                        {list.is_empty().then(|| view! { <p class="hint">"No feedback yet."</p> })}
                        <ul class="feedback-list">
                            {list
                                .into_iter()
                                .map(|f| {
                                    view! {
                                        <li class="feedback-item">
                                            <p class="small">
                                                <a href=format!(
                                                    "/staff/requests/{}",
                                                    f.reference,
                                                )>{f.reference.clone()}</a>
                                                " · "
                                                <strong>{f.step.title()}</strong>
                                                " · "
                                                <TimeAgo at=f.created_at />
                                            </p>
                                            <p class="feedback-body">{f.body.clone()}</p>
                                            {match f.reviewed.clone() {
                                                Some((who, _)) => {
                                                    view! { <p class="small">{format!("Read by {who}")}</p> }
                                                        .into_any()
                                                }
                                                None => {
                                                    view! {
                                                        <ActionForm action=read attr:class="inline-form">
                                                            <input type="hidden" name="id" value=f.id.to_string() />
                                                            <button type="submit" class="button">
                                                                "Mark read"
                                                            </button>
                                                        </ActionForm>
                                                    }
                                                        .into_any()
                                                }
                                            }}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            },
        )}
    }
}
