use crate::{
    api::staff_room::{SaveQuote, SendQuote},
    model::room::{Quote, QuoteLine, QuoteStatus},
    ui::{components::errors::ActionAlert, room::QuoteDetails},
};
use leptos::prelude::*;

const ROWS: usize = 6;

/// Build a quote as a draft, preview it exactly as the customer will see it, then send it.
/// Revising a sent quote starts a new version that supersedes the old one when sent.
#[component]
pub fn QuoteBuilder(reference: String, quotes: Vec<Quote>, default_tax_bp: i32) -> impl IntoView {
    let save = ServerAction::<SaveQuote>::new();
    let send = ServerAction::<SendQuote>::new();
    let draft = quotes
        .iter()
        .find(|q| q.status == QuoteStatus::Draft)
        .cloned();
    // Start from the draft, else from the newest version (to revise it).
    let base = draft.clone().or_else(|| quotes.first().cloned());
    let valid_default = base
        .as_ref()
        .map(|q| q.valid_until.max(chrono::Utc::now().date_naive()))
        .unwrap_or_else(|| chrono::Utc::now().date_naive() + chrono::Days::new(30));
    let tax = base
        .as_ref()
        .map(|q| q.tax_rate_bp)
        .unwrap_or(default_tax_bp);
    let notes = base.as_ref().map(|q| q.notes.clone()).unwrap_or_default();
    let lines = base.map(|q| q.lines).unwrap_or_default();
    let (ref_a, ref_b) = (reference.clone(), reference);
    let has_draft = draft.is_some();
    view! {
        <ActionForm action=save attr:class="quote-form">
            <input type="hidden" name="reference" value=ref_a />
            <table class="quote-lines edit">
                <thead>
                    <tr>
                        <th>"Description"</th>
                        <th>"Qty"</th>
                        <th>"Unit price ($, ex GST)"</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..ROWS)
                        .map(|i| view! { <LineRow i line=lines.get(i).cloned() /> })
                        .collect_view()}
                </tbody>
            </table>
            <label for="tax_percent">"GST %"</label>
            <input
                id="tax_percent"
                name="tax_percent"
                inputmode="decimal"
                value=format!("{}", tax as f64 / 100.0)
            />
            <label for="valid_until">"Valid until"</label>
            <input
                id="valid_until"
                name="valid_until"
                type="date"
                value=valid_default.format("%Y-%m-%d").to_string()
            />
            <label for="quote_notes">"Notes for the customer"</label>
            <textarea id="quote_notes" name="notes" rows="2">
                {notes}
            </textarea>
            <button type="submit" class="button">
                {if has_draft { "Save draft" } else { "Save as draft and preview" }}
            </button>
        </ActionForm>
        <ActionAlert value=save.value() />
        {draft
            .map(|d| {
                let id = d.id.to_string();
                view! {
                    <div class="preview">
                        <h3>"Preview — exactly what the customer will see"</h3>
                        <QuoteDetails quote=d />
                        <ActionForm action=send>
                            <input type="hidden" name="reference" value=ref_b.clone() />
                            <input type="hidden" name="quote_id" value=id />
                            <button type="submit" class="button primary">
                                "Send quote to customer"
                            </button>
                        </ActionForm>
                    </div>
                }
            })}
        <QuoteHistory quotes />
    }
}

/// One editable line of the quote: description, quantity, unit price (blank rows are ignored).
#[component]
fn LineRow(i: usize, line: Option<QuoteLine>) -> impl IntoView {
    let l = line.as_ref();
    view! {
        <tr>
            <td data-label=format!("Line {} description", i + 1)>
                <input
                    aria-label=format!("Line {} description", i + 1)
                    name=format!("lines[{i}][description]")
                    value=l.map(|l| l.description.clone()).unwrap_or_default()
                />
            </td>
            <td data-label="Qty">
                <input
                    aria-label=format!("Line {} quantity", i + 1)
                    name=format!("lines[{i}][quantity]")
                    inputmode="decimal"
                    value=l.map(|l| l.quantity_label()).unwrap_or_default()
                />
            </td>
            <td data-label="Unit price ($, ex GST)">
                <input
                    aria-label=format!("Line {} unit price", i + 1)
                    name=format!("lines[{i}][unit_price]")
                    inputmode="decimal"
                    value=l
                        .map(|l| format!("{:.2}", l.unit_price.cents() as f64 / 100.0))
                        .unwrap_or_default()
                />
            </td>
        </tr>
    }
}

/// Every version sent so far, with how the customer answered.
#[component]
fn QuoteHistory(quotes: Vec<Quote>) -> impl IntoView {
    view! {
        <ul class="quote-history">
            {quotes
                .into_iter()
                .filter(|q| q.status != QuoteStatus::Draft)
                .map(|q| {
                    view! {
                        <li>
                            {format!(
                                "Version {} · {} · {}",
                                q.version,
                                q.status.as_str(),
                                q.total(),
                            )}
                            {q.decision_name.clone().map(|n| format!(" · approved by “{n}”"))}
                            {q.decision_reason.clone().map(|r| format!(" · reason: {r}"))}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
