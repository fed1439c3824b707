use crate::ui::components::errors::ActionAlert;
use crate::{
    api::room::{ApproveQuote, AskForChanges, DeclineQuote},
    model::room::{Quote, QuoteStatus, RoomView},
};
use leptos::prelude::*;

/// A quote exactly as the customer sees it (staff preview uses this too).
#[component]
pub fn QuoteDetails(quote: Quote) -> impl IntoView {
    view! {
        <div class="quote">
            <p class="quote-meta">
                {format!("Quote version {}", quote.version)} " · valid until "
                <strong>{quote.valid_until.format("%e %B %Y").to_string()}</strong>
            </p>
            <table class="quote-lines">
                <thead>
                    <tr>
                        <th>"Item"</th>
                        <th class="num">"Qty"</th>
                        <th class="num">"Each"</th>
                        <th class="num">"Amount"</th>
                    </tr>
                </thead>
                <tbody>
                    {quote
                        .lines
                        .iter()
                        .map(|l| {
                            view! {
                                <tr>
                                    <td>{l.description.clone()}</td>
                                    <td class="num">{l.quantity_label()}</td>
                                    <td class="num">{l.unit_price.to_string()}</td>
                                    <td class="num">{l.total().to_string()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <td colspan="3">"Subtotal"</td>
                        <td class="num">{quote.subtotal().to_string()}</td>
                    </tr>
                    <tr>
                        <td colspan="3">{quote.tax_label()}</td>
                        <td class="num">{quote.tax().to_string()}</td>
                    </tr>
                    <tr class="total">
                        <td colspan="3">"Total"</td>
                        <td class="num">{quote.total().to_string()}</td>
                    </tr>
                </tfoot>
            </table>
            {(!quote.notes.is_empty())
                .then(|| view! { <p class="quote-notes">{quote.notes.clone()}</p> })}
        </div>
    }
}

/// Review quote / continue: approve (typing your name), decline, or ask a question.
#[component]
pub fn QuoteSection(view: RoomView) -> impl IntoView {
    let approve = ServerAction::<ApproveQuote>::new();
    let decline = ServerAction::<DeclineQuote>::new();
    let reference = view.request.reference.clone();
    let name_hint = format!("{} {}", view.request.first_name, view.request.last_name);
    let body = match view.quote.clone() {
        None => view! {
            <p class="empty">
                "No quote yet — a person will prepare it; you don't need to send a second request. You can ask about it any time."
            </p>
        }
            .into_any(),
        Some(q) => {
            let decision = decision_text(&q, view.today);
            let can_decide = decision.is_none();
            let quote_id = q.id.to_string();
            view! {
                <QuoteDetails quote=q.clone() />
                {decision
                    .map(|d| {
                        view! {
                            <p class="notice" role="status">
                                {d}
                            </p>
                        }
                    })}
                {can_decide
                    .then(|| {
                        view! {
                            <DecideForms
                                reference
                                quote_id
                                name_hint
                                approve
                                decline
                                key=format!("{}:changes", view.form_key)
                            />
                        }
                    })}
            }
                .into_any()
        }
    };
    view! {
        <section class="room-section" id="quote" data-region="quote">
            <h2>"Review quote / continue"</h2>
            {body}
            {view.payment_url.clone().map(|url| view! { <PaymentNote url /> })}
        </section>
    }
}

/// Why a quote can no longer be answered, or `None` while it can.
fn decision_text(q: &Quote, today: chrono::NaiveDate) -> Option<String> {
    match q.status {
        QuoteStatus::Approved => Some(format!(
            "You approved this quote{}. We'll contact you to arrange the job — nothing has been charged.",
            q.decided_at.map(|d| format!(" on {}", d.format("%e %B %Y"))).unwrap_or_default()
        )),
        QuoteStatus::Declined => Some("You declined this quote. If you change your mind, ask us in the messages.".to_string()),
        QuoteStatus::Superseded => Some("This quote was replaced by a newer version.".to_string()),
        _ if q.is_expired(today) => Some("This quote has expired, so it can't be approved. Ask us for an updated quote.".to_string()),
        _ => None,
    }
}

/// Approve by typing your name, or decline with an optional reason.
#[component]
fn DecideForms(
    reference: String,
    quote_id: String,
    name_hint: String,
    approve: ServerAction<ApproveQuote>,
    decline: ServerAction<DeclineQuote>,
    key: String,
) -> impl IntoView {
    let (ref_b, id_b) = (reference.clone(), quote_id.clone());
    let (ref_c, id_c) = (reference.clone(), quote_id.clone());
    let changes = ServerAction::<AskForChanges>::new();
    view! {
        <div class="decide">
            <ActionForm action=approve attr:class="approve-form">
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="quote_id" value=quote_id />
                <label for="typed_name">"To approve, type your name"</label>
                <p class="hint">
                    {format!(
                        "As on your request: {name_hint}. Approving doesn't take a payment or book a time by itself — we'll contact you to arrange it.",
                    )}
                </p>
                <input id="typed_name" name="typed_name" type="text" autocomplete="name" required />
                <button
                    type="submit"
                    class="button primary big"
                    disabled=move || approve.pending().get()
                >
                    "Approve this quote"
                </button>
            </ActionForm>
            <ActionAlert value=approve.value() />
            <details class="decline">
                <summary>"Decline this quote"</summary>
                <ActionForm action=decline>
                    <input type="hidden" name="reference" value=ref_b />
                    <input type="hidden" name="quote_id" value=id_b />
                    <label for="decline_reason">"Reason (optional)"</label>
                    <textarea id="decline_reason" name="reason" rows="2"></textarea>
                    <button type="submit" class="button big">
                        "Decline quote"
                    </button>
                </ActionForm>
            </details>
            <details class="changes">
                <summary>"Ask for changes"</summary>
                <ActionForm action=changes>
                    <input type="hidden" name="reference" value=ref_c />
                    <input type="hidden" name="quote_id" value=id_c />
                    <input type="hidden" name="client_key" value=key />
                    <label for="quote_changes">"What would you like changed?"</label>
                    <p class="hint">
                        "We'll answer in your messages, usually with an updated quote. Nothing is approved or declined."
                    </p>
                    <textarea id="quote_changes" name="body" rows="3" required></textarea>
                    <button type="submit" class="button big">
                        "Send to us"
                    </button>
                </ActionForm>
            </details>
            <ActionAlert value=changes.value() />
            <p>
                <a href="#ask-quote">"Ask a question about this quote"</a>
            </p>
        </div>
    }
}

/// Where to pay, once it is time: only the business's own payment page.
#[component]
fn PaymentNote(url: String) -> impl IntoView {
    view! {
        <p class="small">
            "When it's time to pay, use only our payment page: " <a href=url.clone() rel="noopener">
                {url.clone()}
            </a>". We never take card details in messages."
        </p>
    }
}
