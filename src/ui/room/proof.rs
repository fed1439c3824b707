//! "A few words about the job": after the job is finished the room invites — never
//! requires — words the business may show on `/proof`, only with the customer's approval of
//! the exact wording. Either side can take them back; the customer's withdrawal is final
//! for those words.
use crate::{
    api::proof::{ApproveProof, OfferProof, WithdrawProof},
    model::{
        proof::{ProofState, RoomProof},
        room::RoomView,
    },
    ui::components::errors::ActionAlert,
};
use leptos::prelude::*;

#[component]
pub fn ProofSection(view: RoomView) -> impl IntoView {
    if !view.proof_invited {
        return ().into_any();
    }
    let reference = view.request.reference.clone();
    let signed = crate::model::proof::attribution(&view.request.first_name, &view.request.suburb);
    let body = match (view.proof.clone(), view.viewer_is_staff) {
        (Some(p), true) => view! { <ProofStatus p /> }.into_any(),
        (None, true) => {
            view! { <p class="hint">"The customer hasn't shared any words. Only they can."</p> }
                .into_any()
        }
        (Some(p), false) if p.state != ProofState::WithdrawnByCustomer => {
            view! { <ProofChoices p reference /> }.into_any()
        }
        (withdrawn, false) => view! {
            {withdrawn
                .map(|_| {
                    view! {
                        <p class="notice ok" role="status">
                            "You took your words back. They aren't shown anywhere."
                        </p>
                    }
                })}
            <OfferForm reference signed business=view.business_name.clone() />
        }
        .into_any(),
    };
    view! {
        <section class="room-section" id="proof" data-region="proof">
            <h2>"A few words about the job?"</h2>
            {body}
        </section>
    }
    .into_any()
}

#[component]
fn OfferForm(reference: String, signed: String, business: String) -> impl IntoView {
    let offer = ServerAction::<OfferProof>::new();
    view! {
        <p>
            "Only if you'd like to. If you write something, we may show it on "
            <a href="/proof">"our proof page"</a>
            {format!(
                ", signed “{signed}”. Nothing appears without your permission, we ask you before changing a word, and you can take it back at any time.",
            )}
        </p>
        <ActionForm action=offer attr:class="proof-form">
            <input type="hidden" name="reference" value=reference />
            <label for="proof_words">"Your words"</label>
            <textarea id="proof_words" name="words" rows="3" maxlength="1000"></textarea>
            <p class="check">
                <input type="checkbox" id="proof_consent" name="consent" value="yes" />
                <label for="proof_consent">
                    {format!("{business} may show these words on its proof page")}
                </label>
            </p>
            <button type="submit" class="button">
                "Share my words"
            </button>
        </ActionForm>
        <ActionAlert value=offer.value() />
    }
}

/// What the customer can do with words they shared, by where they stand.
#[component]
fn ProofChoices(p: RoomProof, reference: String) -> impl IntoView {
    let approve = ServerAction::<ApproveProof>::new();
    let withdraw = ServerAction::<WithdrawProof>::new();
    let (state, take_back) = match p.state {
        ProofState::WithStaff => (
            "Thank you. We'll read your words before they appear on our proof page.",
            "Withdraw my words",
        ),
        ProofState::WithCustomer => (
            "We'd like to show your words like this. Nothing is shown until you approve it.",
            "Don't show anything",
        ),
        ProofState::Published => ("Your words are on our proof page.", "Take them down"),
        _ => (
            "Your words aren't on our proof page at the moment.",
            "Withdraw my permission",
        ),
    };
    let asks = p.state == ProofState::WithCustomer;
    let approve_ref = reference.clone();
    view! {
        <p class="proof-state">{state}</p>
        <blockquote class="proof-words">
            <p>{p.wording.clone()}</p>
            <footer>{format!("— {}", p.attribution)}</footer>
        </blockquote>
        {(asks && p.customer_words != p.wording)
            .then(|| {
                view! {
                    <p class="hint">"You wrote:"</p>
                    <blockquote class="proof-words original">
                        <p>{p.customer_words.clone()}</p>
                    </blockquote>
                }
            })}
        {asks
            .then(|| {
                view! {
                    <ActionForm action=approve attr:class="inline-form">
                        <input type="hidden" name="reference" value=approve_ref.clone() />
                        <input type="hidden" name="revision" value=p.revision.to_string() />
                        <button type="submit" class="button primary">
                            "Approve this wording"
                        </button>
                    </ActionForm>
                    <ActionAlert value=approve.value() />
                }
            })}
        {(p.state == ProofState::Published)
            .then(|| {
                view! {
                    <p>
                        <a href="/proof">"See the proof page"</a>
                    </p>
                }
            })}
        <ActionForm action=withdraw attr:class="inline-form">
            <input type="hidden" name="reference" value=reference />
            <button type="submit" class="button">
                {take_back}
            </button>
        </ActionForm>
        <ActionAlert value=withdraw.value() />
        <p class="hint">"Taking your words back removes them at once."</p>
    }
}

/// Staff reading the room see where the words stand; only the customer can act here.
#[component]
fn ProofStatus(p: RoomProof) -> impl IntoView {
    view! {
        <p class="proof-state">{p.state.staff_label()}</p>
        <blockquote class="proof-words">
            <p>{p.wording}</p>
        </blockquote>
        <p>
            <a href="/staff/proof">"Review on the proof list"</a>
        </p>
    }
}
