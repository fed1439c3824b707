//! Demo data for `make run`: a business's staff and a few requests. Safe to run on every
//! start: existing demo rows are kept and a fresh room link is printed each time.
use super::{
    auth::{passwords, tokens},
    db::{self, access},
    intake::room_link,
    state::AppState,
};
use crate::model::{staff::StaffRole, status::RequestStatus};
use chrono::{Duration, Utc};
use uuid::Uuid;

pub const DEMO_PASSWORD: &str = "demo-password-2026";
pub const DEMO_OWNER: &str = "owner@demo.customerroom.test";

struct DemoRequest {
    reference: &'static str,
    first: &'static str,
    last: &'static str,
    email: &'static str,
    phone: &'static str,
    address: &'static str,
    suburb: &'static str,
    service: &'static str,
    status: RequestStatus,
    notes: &'static str,
    hours_ago: i64,
}

const DEMO_REQUESTS: &[DemoRequest] = &[
    DemoRequest {
        reference: "CR-DEM2A4",
        first: "Priya",
        last: "Sharma",
        email: "priya@example.com",
        phone: "+61412345678",
        address: "14 Wattle Street",
        suburb: "Marrickville",
        service: "Hot water",
        status: RequestStatus::New,
        notes: "No hot water since this morning. The unit is in the back courtyard.",
        hours_ago: 1,
    },
    DemoRequest {
        reference: "CR-DEM3B5",
        first: "Tom",
        last: "Nguyen",
        email: "tom.nguyen@example.com",
        phone: "+61422555019",
        address: "3/88 Parramatta Road",
        suburb: "Annandale",
        service: "Electrical",
        status: RequestStatus::Confirmed,
        notes: "Kitchen power points keep tripping the safety switch.",
        hours_ago: 26,
    },
    DemoRequest {
        reference: "CR-DEM4C6",
        first: "Priya",
        last: "Sharma",
        email: "priya@example.com",
        phone: "+61412345678",
        address: "14 Wattle Street",
        suburb: "Marrickville",
        service: "Blocked drain",
        status: RequestStatus::Done,
        notes: "Laundry drain gurgles and backs up.",
        hours_ago: 24 * 40,
    },
];

pub async fn seed_demo(state: &AppState) -> Result<(), Box<dyn std::error::Error>> {
    let hash = passwords::hash(DEMO_PASSWORD.to_string()).await?;
    for (email, name, role) in [
        (DEMO_OWNER, "Olivia (owner)", StaffRole::Owner),
        (
            "office@demo.customerroom.test",
            "Sam (office)",
            StaffRole::Office,
        ),
        (
            "tech@demo.customerroom.test",
            "Jake (technician)",
            StaffRole::Technician,
        ),
    ] {
        let id = db::staff::upsert(&state.pool, email, name, role, &hash).await?;
        // Keep the printed demo password true even if someone changed it last run.
        db::staff::set_password(&mut *state.pool.acquire().await?, id, &hash).await?;
    }
    let mut first_room = None;
    for d in DEMO_REQUESTS {
        let id = match db::requests::id_by_reference(&state.pool, d.reference).await? {
            Some(id) => id,
            None => insert_demo(state, d).await?,
        };
        first_room.get_or_insert((id, d.email));
    }
    if let Some((request_id, email)) = first_room {
        let (token, hash) = tokens::new_token();
        access::insert_room_token(&mut *state.pool.acquire().await?, &hash, request_id, email)
            .await?;
        tracing::info!(
            "Demo staff login: {DEMO_OWNER} / {DEMO_PASSWORD} at {}/staff",
            state.config.public_url
        );
        tracing::info!("Demo customer room: {}", room_link(state, &token));
        println!(
            "\n  Demo staff login:   {DEMO_OWNER} / {DEMO_PASSWORD}  ({}/staff)",
            state.config.public_url
        );
        println!(
            "  Demo customer room: {}  (valid 2 hours)\n",
            room_link(state, &token)
        );
    }
    Ok(())
}

async fn insert_demo(state: &AppState, d: &DemoRequest) -> Result<Uuid, sqlx::Error> {
    let mut tx = state.pool.begin().await?;
    let customer =
        db::customers::find_or_create(&mut tx, d.first, d.last, Some(d.email), Some(d.phone))
            .await?;
    let id = db::requests::insert(
        &mut tx,
        &db::requests::NewRequest {
            customer_id: customer,
            reference: d.reference,
            idempotency_key: Uuid::new_v4(),
            email: Some(d.email),
            phone: Some(d.phone),
            first_name: d.first,
            last_name: d.last,
            address_line: d.address,
            suburb: d.suburb,
            state: "NSW",
            postcode: "2204",
            service_type: d.service,
            preferred_date: Some((Utc::now() + Duration::days(2)).date_naive()),
            preferred_window: "morning",
            notes: d.notes,
        },
    )
    .await?;
    db::requests::set_status(&mut tx, id, d.status).await?;
    db::requests::add_event(
        &mut tx,
        id,
        "received",
        "We received your request.",
        true,
        "customer",
    )
    .await?;
    db::requests::backdate(&mut tx, id, Utc::now() - Duration::hours(d.hours_ago)).await?;
    tx.commit().await?;
    Ok(id)
}
