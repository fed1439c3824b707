//! The staff request page's fields.
use super::*;

#[tokio::test]
async fn staff_room_fields_refuse_hostile_text() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, _) = customer(&app).await;
    let staff = staff_cookie(&app).await;
    let s = Some(staff.as_str());
    let r = reference.as_str();

    let update = [
        ("reference", r),
        ("body", "On our way"),
        ("client_key", "u1"),
    ];
    all_refused(
        &app,
        "staff_update",
        &update,
        "body",
        s,
        Field::Update,
        false,
    )
    .await;
    all_refused(
        &app,
        "staff_update",
        &update,
        "client_key",
        s,
        Field::ClientKey,
        true,
    )
    .await;
    all_refused(
        &app,
        "staff_note",
        &update,
        "body",
        s,
        Field::StaffNote,
        false,
    )
    .await;
    all_refused(
        &app,
        "staff_note",
        &update,
        "client_key",
        s,
        Field::ClientKey,
        true,
    )
    .await;
    // Staff reply in the room thread through the customer's function.
    let reply = [
        ("reference", r),
        ("body", "hi"),
        ("topic", "general"),
        ("client_key", ""),
    ];
    all_refused(
        &app,
        "room_message",
        &reply,
        "body",
        s,
        Field::Message,
        false,
    )
    .await;

    let ask = [
        ("reference", r),
        ("kind", "photos"),
        ("text", "Under the sink please"),
    ];
    all_refused(
        &app,
        "staff_ask",
        &ask,
        "text",
        s,
        Field::AskCustomer,
        false,
    )
    .await;

    let accept = [
        ("reference", r),
        ("status", "accepted"),
        ("reason", "Happy to"),
    ];
    all_refused(
        &app,
        "staff_status",
        &accept,
        "reason",
        s,
        Field::StatusReason,
        false,
    )
    .await;
    // Making a job and stepping it: every text input refuses what it can't store.
    let tech = uuid::Uuid::new_v4().to_string();
    let job = workflow::job_fields(r, &tech, "2030-01-01");
    all_refused(
        &app,
        "staff_job_create",
        &job,
        "location",
        s,
        Field::JobLocation,
        true,
    )
    .await;
    all_refused(
        &app,
        "staff_job_create",
        &job,
        "notes",
        s,
        Field::JobNotes,
        false,
    )
    .await;
    for (name, field) in [
        ("date", Field::JobDate),
        ("start", Field::JobStart),
        ("end", Field::JobEnd),
    ] {
        refused(
            &app,
            "staff_job_create",
            &job,
            name,
            NUL,
            s,
            field,
            Reason::ControlCharacter,
        )
        .await;
    }
    refused(
        &app,
        "staff_job_create",
        &job,
        "end",
        "08:00",
        s,
        Field::JobEnd,
        Reason::NotAfterStart,
    )
    .await;
    refused(
        &app,
        "staff_job_create",
        &job,
        "start",
        "25:99",
        s,
        Field::JobStart,
        Reason::NotATime,
    )
    .await;
    let finish = [
        ("job_id", tech.as_str()),
        ("to", "finished"),
        ("outcome", "Replaced the washer"),
    ];
    all_refused(
        &app,
        "staff_job_step",
        &finish,
        "outcome",
        s,
        Field::JobSummary,
        false,
    )
    .await;

    let line = Some(1);
    let quote = [
        ("reference", r),
        ("lines[0][description]", "Labour"),
        ("lines[0][quantity]", "1"),
        ("lines[0][unit_price]", "120"),
        ("valid_until", "2030-01-01"),
        ("notes", "Includes call-out"),
        ("tax_percent", "10"),
    ];
    all_refused(
        &app,
        "staff_quote_save",
        &quote,
        "lines[0][description]",
        s,
        Field::LineDescription { line },
        false,
    )
    .await;
    all_refused(
        &app,
        "staff_quote_save",
        &quote,
        "notes",
        s,
        Field::QuoteNotes,
        false,
    )
    .await;
    refused(
        &app,
        "staff_quote_save",
        &quote,
        "lines[0][quantity]",
        NUL,
        s,
        Field::Quantity { line },
        Reason::NotANumber,
    )
    .await;
    refused(
        &app,
        "staff_quote_save",
        &quote,
        "lines[0][unit_price]",
        &huge(),
        s,
        Field::UnitPrice { line },
        Reason::NotANumber,
    )
    .await;
    refused(
        &app,
        "staff_quote_save",
        &quote,
        "tax_percent",
        NUL,
        s,
        Field::TaxRate,
        Reason::NotANumber,
    )
    .await;
}
