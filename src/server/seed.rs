//! Demo data for `make run` (only with `CR_SEED_DEMO=1`): a business's staff and a few
//! requests. Created once: later starts keep every row as it is (a changed password stays
//! changed). Refused on a database that has real staff. The demo password is random per
//! database (or `CR_DEMO_PASSWORD`, which scripts/test.sh sets for the e2e tests), printed
//! once, and never in the source.
use super::{
    auth::{passwords, tokens},
    db::{self, access, staff::NewStaff},
    intake::room_link,
    state::AppState,
};
use crate::model::{staff::StaffRole, status::RequestStatus};
use chrono::{Duration, Utc};
use uuid::Uuid;

pub const DEMO_OWNER: &str = "owner@demo.customerroom.test";
pub const DEMO_STAFF: &[(&str, &str, StaffRole)] = &[
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
];
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
    DemoRequest {
        reference: "CR-DEM5D7",
        first: "Grace",
        last: "Okafor",
        email: "grace.okafor@example.com",
        phone: "+61433201774",
        address: "7 Juliett Street",
        suburb: "Enmore",
        service: "Plumbing",
        status: RequestStatus::Accepted,
        notes: "Outside tap won't stop dripping; the washer may be gone.",
        hours_ago: 30,
    },
];

/// The demo technician's visit today, for the request above.
const DEMO_JOB_REQUEST: &str = "CR-DEM5D7";

#[derive(Debug, PartialEq)]
pub enum Seeded {
    /// First seed: the demo staff were created with this password.
    Created { password: String },
    /// The demo staff were there already; nothing about them changed.
    AlreadyThere,
    /// The database has real staff, so no demo data was added.
    Refused,
}

/// What `make run` calls: `CR_DEMO_PASSWORD` when set, otherwise a random password.
pub async fn seed_demo(state: &AppState) -> Result<Seeded, Box<dyn std::error::Error>> {
    let password = std::env::var("CR_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.trim().is_empty());
    let seeded = seed_demo_with(state, password).await?;
    let url = &state.config.public_url;
    match &seeded {
        Seeded::Refused => tracing::warn!(
            "CR_SEED_DEMO is set but this database has real staff accounts: demo data skipped"
        ),
        Seeded::Created { password } => {
            tracing::info!(
                "Demo staff created ({DEMO_OWNER}); the password is printed once on stdout"
            );
            println!(
                "\n  Demo staff login:   {DEMO_OWNER} / {password}  ({url}/staff)\n  \
                 (office@… and tech@demo.customerroom.test use the same password; it is shown only this once)"
            );
        }
        Seeded::AlreadyThere => println!(
            "\n  Demo staff login:   {DEMO_OWNER} (password shown at the first start). Forgot it? \
             Run `customer-room staff reset-link {DEMO_OWNER}` or use {url}/staff/forgot"
        ),
    }
    Ok(seeded)
}

pub async fn seed_demo_with(
    state: &AppState,
    password: Option<String>,
) -> Result<Seeded, Box<dyn std::error::Error>> {
    let seeded = seed_staff(state, password).await?;
    if seeded == Seeded::Refused {
        return Ok(seeded);
    }
    let mut first_room = None;
    for d in DEMO_REQUESTS {
        let id = match db::requests::id_by_reference(&state.pool, d.reference).await? {
            Some(id) => id,
            None => insert_demo(state, d).await?,
        };
        first_room.get_or_insert((id, d.email));
    }
    seed_job(state).await?;
    if let Some((request_id, email)) = first_room {
        let (token, hash) = tokens::new_token();
        access::insert_room_token(&mut *state.pool.acquire().await?, &hash, request_id, email)
            .await?;
        println!(
            "  Demo customer room: {}  (valid 2 hours)\n",
            room_link(state, &token)
        );
    }
    Ok(seeded)
}

/// Books the demo technician for this afternoon (business time) on the accepted demo
/// request, once: the board's Scheduled column and the technician's day have something in them.
async fn seed_job(state: &AppState) -> Result<(), Box<dyn std::error::Error>> {
    let Some(request_id) = db::requests::id_by_reference(&state.pool, DEMO_JOB_REQUEST).await?
    else {
        return Ok(());
    };
    let Some(tech) = db::staff::active_by_email(&state.pool, DEMO_STAFF[2].0).await? else {
        return Ok(());
    };
    if !db::jobs::for_request(&state.pool, request_id)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let tz = state.config.timezone;
    let day = Utc::now().with_timezone(&tz).date_naive();
    let at = |h: u32| {
        day.and_hms_opt(h, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .map(|t| t.with_timezone(&Utc))
            .ok_or("the demo job's time does not exist today")
    };
    let mut tx = state.pool.begin().await?;
    let job = db::jobs::NewJob {
        request_id,
        kind: crate::model::job::JobKind::WorkOrder,
        location: "7 Juliett Street, Enmore NSW 2042",
        starts_at: at(14)?,
        ends_at: at(16)?,
        technician_id: tech.id,
        notes: "Side gate is unlocked. Bring a spare washer kit.",
    };
    db::jobs::insert(&mut tx, &job).await?;
    db::requests::set_status(&mut tx, request_id, RequestStatus::Scheduled).await?;
    db::activity::add_event(
        &mut tx,
        request_id,
        "scheduled",
        "Your job is booked for this afternoon, 2:00 pm – 4:00 pm. Jake will come.",
        true,
        db::activity::Actor::System,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates the demo staff once, under the accounts lock (two instances starting together
/// create them once). Never touches an existing account.
async fn seed_staff(
    state: &AppState,
    password: Option<String>,
) -> Result<Seeded, Box<dyn std::error::Error>> {
    let mut tx = state.pool.begin().await?;
    db::staff::lock_accounts(&mut tx).await?;
    if db::staff::count(&mut tx, true).await? > 0 {
        return Ok(Seeded::Refused);
    }
    if db::staff::count(&mut tx, false).await? > 0 {
        return Ok(Seeded::AlreadyThere);
    }
    let password = password.unwrap_or_else(|| hex::encode(tokens::random_bytes::<10>()));
    let hash = passwords::hash(password.clone()).await?;
    for (email, name, role) in DEMO_STAFF {
        let new = NewStaff {
            email,
            display_name: name,
            role: *role,
            password_hash: Some(&hash),
            is_demo: true,
        };
        db::staff::insert(&mut tx, &new).await?;
    }
    tx.commit().await?;
    Ok(Seeded::Created { password })
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
    db::activity::add_event(
        &mut tx,
        id,
        "received",
        "We received your request.",
        true,
        db::activity::Actor::Customer,
    )
    .await?;
    db::requests::backdate(&mut tx, id, Utc::now() - Duration::hours(d.hours_ago)).await?;
    tx.commit().await?;
    Ok(id)
}
