//! Customer search (name, business, phone in any format, email, reference) and merging two
//! cards of one person; plus the search bench (`CR_BENCH_SEARCH=100000`, from `make bench`).
use crate::common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;
use sqlx::PgPool;
use std::time::Instant;
use uuid::Uuid;

async fn search(app: &TestApp, staff: &str, q: &str) -> Value {
    let res = app
        .call("staff_customer_search", &[("q", q)], Some(staff))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{q}: {}", res.body);
    res.json()
}

fn names(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect()
}

/// The reference the seed gives the request of the customer created `n`th (every tenth).
fn seeded_reference(n: i64) -> String {
    const A: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let code: String = (0..5)
        .map(|k| A[((n / 32_i64.pow(k)) % 32) as usize] as char)
        .collect();
    format!("CR-S{code}")
}

/// `n` customers with names from small lists (so a fragment finds a few, not all), one in
/// five with a business name, each with a phone and an email, one in ten with a request.
async fn seed_customers(pool: &PgPool, n: i64) {
    sqlx::query(
        "WITH f AS (SELECT ARRAY['Alex','Sam','Jo','Kim','Lee','Max','Ria','Tom','Ana','Ben','Cat','Dan',
                'Eve','Fay','Gus','Hal','Ivy','Jay','Kai','Liv','Mia','Ned','Oli','Pia','Quinn','Ray','Sia',
                'Ted','Uma','Vic','Wes','Xan','Yas','Zoe'] AS a),
              l AS (SELECT ARRAY['Rivera','Nguyen','Smith','Patel','Brown','Wilson','Taylor','Martin',
                'Lee','Walker','Hall','Young','King','Wright','Scott','Green','Baker','Adams','Nelson',
                'Hill','Campbell','Mitchell','Roberts','Carter','Phillips','Evans','Turner','Torres',
                'Parker','Collins','Edwards','Stewart','Morris','Murphy','Cook','Rogers','Morgan',
                'Cooper','Peterson','Reed','Bailey','Bell','Gomez','Kelly','Howard','Ward','Cox','Diaz',
                'Richardson','Wood','Watson','Brooks','Bennett','Gray','James','Reyes','Cruz','Hughes',
                'Price','Myers','Long','Foster','Sanders','Ross','Morales','Powell','Sullivan','Russell',
                'Ortiz','Jenkins','Gutierrez','Perry','Butler','Barnes','Fisher','Henderson','Coleman'] AS a)
         INSERT INTO customers (id, first_name, last_name, email, phone, business_name, created_at)
         SELECT gen_random_uuid(), f.a[1 + g % array_length(f.a, 1)],
            l.a[1 + (g / 7) % array_length(l.a, 1)] || CASE WHEN g % 3 = 0 THEN '' ELSE '-' || (g % 97) END,
            'cust' || g || '@mail' || (g % 13) || '.example.com',
            '+614' || lpad(g::text, 8, '0'),
            CASE WHEN g % 5 = 0 THEN 'Bench ' || l.a[1 + g % array_length(l.a, 1)] || ' Pty ' || g END,
            now() - make_interval(mins => g::int)
         FROM generate_series(1, $1) g, f, l",
    )
    .bind(n)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO requests (id, reference, customer_id, contact_email, contact_phone, first_name,
            last_name, address_line, suburb, state, postcode, service_type, preferred_window, notes,
            status, idempotency_key)
         SELECT gen_random_uuid(), 'CR-S' || (SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ',
                1 + ((c.n / (32 ^ k)::bigint) % 32)::int, 1), '' ORDER BY k) FROM generate_series(0, 4) k), c.id, c.email, c.phone,
            c.first_name, c.last_name, '1 Bench St', 'Newtown', 'NSW', '2042', 'Plumbing', 'any', '',
            'new', gen_random_uuid()
         FROM (SELECT id, email, phone, first_name, last_name, row_number() OVER (ORDER BY created_at) AS n
               FROM customers) c
         WHERE c.n % 10 = 0",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE customers")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("ANALYZE requests").execute(pool).await.unwrap();
}

#[tokio::test]
async fn staff_find_a_customer_by_name_business_phone_in_any_format_email_or_reference() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo.citizen@example.com", vec![]).await;
    seed_customers(&app.state.pool, 2000).await;
    let office = staff_cookie(&app).await;
    let jo = customer_of(&app, &sent.reference).await.to_string();
    let first_hit = |v: &Value| v["hits"][0]["id"].as_str().unwrap_or_default().to_string();

    for q in [
        "Citizen",
        "jo cit",
        "JO.CITIZEN@example",
        "0412 345 678",
        "+61 412 345 678",
        "412345678",
        &sent.reference.to_lowercase(),
    ] {
        let v = search(&app, &office, q).await;
        assert_eq!(first_hit(&v), jo, "{q}: {:?}", names(&v));
    }
    let v = search(&app, &office, &sent.reference).await;
    assert_eq!(v["hits"][0]["latest_reference"], sent.reference.as_str());
    assert_eq!(v["hits"][0]["requests"], 1);

    // Business names, and prefix matches ranked first.
    let v = search(&app, &office, "Pty 35").await;
    assert!(
        v["hits"][0]["business_name"]
            .as_str()
            .unwrap()
            .contains("Pty 35"),
        "{v}"
    );
    let v = search(&app, &office, "rivera").await;
    let found = names(&v);
    assert_eq!(found.len(), 20, "a page of results");
    assert!(
        found.iter().all(|n| n.to_lowercase().contains("rivera")),
        "{found:?}"
    );

    // Nothing found says so; too little typed is not a search; wildcards are literal.
    let v = search(&app, &office, "Zzyzx").await;
    assert_eq!(
        (v["searched"].as_bool(), v["hits"].as_array().unwrap().len()),
        (Some(true), 0)
    );
    let v = search(&app, &office, "j").await;
    assert_eq!(v["searched"], false);
    assert_eq!(
        search(&app, &office, "%%").await["hits"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let bad = app
        .call("staff_customer_search", &[("q", "jo\u{0}")], Some(&office))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The page, with the search kept in its box; technicians may not search customers.
    let page = app.get("/staff/customers?q=Citizen", Some(&office)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("/staff/customers/{jo}"))
            && page.body.contains("value=\"Citizen\"")
    );
    let (_, tech) = common::workflow::technician(&app, "tech@example.com", "Tess Tech").await;
    let denied = app.get("/staff/customers?q=Citizen", Some(&tech)).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(!denied.body.contains("jo.citizen"));
    let denied = app
        .call("staff_customer_search", &[("q", "Citizen")], Some(&tech))
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(!denied.body.contains("jo.citizen"));
}

#[tokio::test]
async fn two_cards_with_one_phone_merge_without_losing_anything_and_the_merge_is_recorded() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    // The same phone number on two requests with different emails: two cards.
    let (first_ref, _) = signed_in_customer(&app, "jo@example.com").await;
    let (second_ref, second_cookie) = signed_in_customer(&app, "jo.work@example.com").await;
    let office = staff_cookie(&app).await;
    let keep = customer_of(&app, &first_ref).await;
    let gone = customer_of(&app, &second_ref).await;
    assert_ne!(keep, gone);
    let res = app
        .call(
            "room_message",
            &[
                ("reference", &second_ref),
                ("body", "From my work email."),
                ("topic", "general"),
                ("client_key", ""),
            ],
            Some(&second_cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let (k, g) = (keep.to_string(), gone.to_string());
    app.call(
        "staff_customer_tag",
        &[("id", &g), ("tag", "Supplier")],
        Some(&office),
    )
    .await;
    app.call(
        "staff_customer_call",
        &[("id", &g), ("outcome", "spoke"), ("client_key", "c1")],
        Some(&office),
    )
    .await;

    // The card lists the other one as likely the same person.
    let card = app
        .call("staff_customer", &[("id", &k)], Some(&office))
        .await
        .json();
    assert_eq!(card["duplicates"][0]["id"], g.as_str());

    // A tick is asked for; cards that share nothing can't be merged.
    let res = app
        .call(
            "staff_customer_merge",
            &[("id", &k), ("gone", &g)],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.error_text().contains("Tick the box"));
    let stranger_ref = submit_other_request(&app, "kim@example.com", vec![])
        .await
        .reference()
        .to_string();
    let stranger = customer_of(&app, &stranger_ref).await.to_string();
    let res = app
        .call(
            "staff_customer_merge",
            &[("id", &k), ("gone", &stranger), ("confirm", "yes")],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);

    let before = |sql: &'static str| app.count(sql);
    let (messages, events, files) = (
        before("SELECT count(*) FROM messages").await,
        before("SELECT count(*) FROM request_events").await,
        before("SELECT count(*) FROM attachments").await,
    );
    for _ in 0..2 {
        let res = app
            .call(
                "staff_customer_merge",
                &[("id", &k), ("gone", &g), ("confirm", "yes")],
                Some(&office),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "a repeat is answered as done: {}",
            res.body
        );
    }
    // Everything is on the kept card, nothing lost or doubled.
    let owners: Vec<Uuid> =
        sqlx::query_scalar("SELECT customer_id FROM requests WHERE reference = ANY($1)")
            .bind(vec![first_ref.clone(), second_ref.clone()])
            .fetch_all(&app.state.pool)
            .await
            .unwrap();
    assert_eq!(owners, vec![keep, keep]);
    assert_eq!(app.count("SELECT count(*) FROM messages").await, messages);
    assert_eq!(
        app.count("SELECT count(*) FROM request_events").await,
        events
    );
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, files);
    assert_eq!(app.count("SELECT count(*) FROM customer_merges").await, 1);
    let card = app
        .call("staff_customer", &[("id", &k)], Some(&office))
        .await
        .json();
    assert_eq!(card["requests"].as_array().unwrap().len(), 2);
    assert!(card["tags"]
        .as_array()
        .unwrap()
        .contains(&Value::from("Supplier")));
    assert!(card["duplicates"].as_array().unwrap().is_empty());
    let activity = card["activity"].to_string();
    assert!(
        activity.contains("Merged the card for Jo Citizen (same phone number"),
        "{activity}"
    );
    assert!(
        activity.contains("Call: Spoke to them"),
        "the other card's history came along"
    );
    assert!(card["comms"].to_string().contains("From my work email."));
    // The old card's address opens the kept card.
    let old = app
        .call("staff_customer", &[("id", &g)], Some(&office))
        .await
        .json();
    assert_eq!(old["id"], k.as_str());
    // Technicians can't merge.
    let (_, tech) = common::workflow::technician(&app, "tech@example.com", "Tess Tech").await;
    let res = app
        .call(
            "staff_customer_merge",
            &[("id", &k), ("gone", &stranger), ("confirm", "yes")],
            Some(&tech),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// `make bench`: search p50/p95 over mixed searches at `CR_BENCH_SEARCH` customers (2,000
/// when unset, so `make test` runs the same code and checks what it finds).
#[tokio::test]
async fn search_bench() {
    let pool = fresh_db().await;
    let n: i64 = std::env::var("CR_BENCH_SEARCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let app = TestApp::new(pool).await;
    seed_customers(&app.state.pool, n).await;
    let office = staff_cookie(&app).await;
    let mut searches: Vec<(String, &str)> = vec![];
    for i in 0..40 {
        let g = 1 + (i * 7919) % n;
        searches.push((format!("cust{g}@"), "email"));
        searches.push((
            format!("04{:08}", g).chars().skip(1).collect::<String>(),
            "phone",
        ));
        searches.push((format!("+61 4{:08}", g), "phone"));
        searches.push((
            ["Rivera", "nguyen", "Smith", "Bench Hill", "oli", "Zoe"][i as usize % 6].to_string(),
            "name",
        ));
        searches.push((seeded_reference((g / 10).max(1) * 10), "reference"));
    }
    let mut took = vec![];
    for (q, kind) in &searches {
        let t = Instant::now();
        let v = search(&app, &office, q).await;
        took.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(
            !v["hits"].as_array().unwrap().is_empty(),
            "{kind} {q} found nobody"
        );
    }
    took.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| took[((took.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    println!(
        "CUSTOMER_SEARCH customers={n} searches={} p50={:.1} p95={:.1} max={:.1}",
        took.len(),
        pct(0.50),
        pct(0.95),
        pct(1.0)
    );
}
