//! Quotes as staff build them: checking the typed lines into money, saving drafts, and
//! sending a draft to the customer.
use crate::{
    model::{
        field::{Field, FieldError, Reason},
        money::Money,
        room::QuoteLine,
        staff::{QuoteLineInput, StaffUser},
        status::RequestStatus,
        template::AlertKind,
        text::{clean_field, TextKind},
        values::{MessageText, Quantity, TaxRate},
        AppError,
    },
    server::{db, live, notify::alerts, state::AppState},
};
use chrono::NaiveDate;
use uuid::Uuid;

/// A checked quote, ready to save as a draft.
pub struct QuoteDraft {
    lines: Vec<QuoteLine>,
    tax_bp: i32,
    valid_until: NaiveDate,
    notes: String,
}

/// Blank lines are skipped; a blank quantity is 1; a blank tax is the configured rate.
pub fn parse_quote(
    lines: &[QuoteLineInput],
    valid_until: &str,
    notes: &str,
    tax_percent: &str,
    default_tax_bp: i32,
) -> Result<QuoteDraft, AppError> {
    let mut parsed = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(line) = parse_line(i + 1, l)? {
            parsed.push(line);
        }
    }
    if parsed.is_empty() {
        return Err(AppError::Invalid(
            "Add at least one line to the quote.".into(),
        ));
    }
    let valid_until = NaiveDate::parse_from_str(valid_until.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::Invalid("Choose the date the quote is valid until.".into()))?;
    if valid_until < chrono::Utc::now().date_naive() {
        return Err(AppError::Invalid(
            "The valid-until date has already passed.".into(),
        ));
    }
    let tax_bp = match tax_percent.trim() {
        "" => default_tax_bp,
        t => TaxRate::parse(t)?.basis_points(),
    };
    let notes = MessageText::parse_optional(Field::QuoteNotes, notes)?
        .map(MessageText::into_string)
        .unwrap_or_default();
    Ok(QuoteDraft {
        lines: parsed,
        tax_bp,
        valid_until,
        notes,
    })
}

/// Line `n` (counting from 1, as staff see them), or `None` when it is left blank.
fn parse_line(n: usize, l: &QuoteLineInput) -> Result<Option<QuoteLine>, AppError> {
    let line = Some(u32::try_from(n).unwrap_or(u32::MAX));
    let description = clean_field(
        Field::LineDescription { line },
        &l.description,
        TextKind::SingleLine,
    )?;
    if description.is_empty() && l.quantity.trim().is_empty() && l.unit_price.trim().is_empty() {
        return Ok(None);
    }
    if description.is_empty() {
        return Err(FieldError::new(Field::LineDescription { line }, Reason::Missing).into());
    }
    let quantity = match l.quantity.trim() {
        "" => Quantity::ONE,
        q => Quantity::parse_as(Field::Quantity { line }, q)?,
    };
    let unit_price = Money::parse_as(Field::UnitPrice { line }, &l.unit_price)?;
    Ok(Some(QuoteLine {
        description,
        quantity_centi: quantity.hundredths(),
        unit_price,
    }))
}

/// Saves the quote being built as a draft (not visible to the customer until sent).
pub async fn save_quote(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    draft: QuoteDraft,
) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    db::quotes::save_draft(
        &mut tx,
        id,
        &draft.lines,
        draft.tax_bp,
        draft.valid_until,
        &draft.notes,
        user.id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a draft to the customer; it supersedes any earlier version they haven't decided on.
pub async fn send_quote(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    quote_id: Uuid,
) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    let status = db::requests::lock_status(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    status.check_quote().map_err(AppError::Conflict)?;
    if !db::quotes::send(&mut tx, id, quote_id).await? {
        // Already sent (a double tap): nothing more to do.
        return Ok(());
    }
    db::requests::set_status(&mut tx, id, RequestStatus::Quoted).await?;
    db::activity::add_event(
        &mut tx,
        id,
        "quote_sent",
        "Your quote is ready to review.",
        true,
        db::activity::Actor::Staff(user),
    )
    .await?;
    alerts::alert_customer(&mut tx, state, id, AlertKind::QuoteReady).await?;
    live::publish_change(&mut tx, id, "quote").await?;
    tx.commit().await?;
    Ok(())
}
