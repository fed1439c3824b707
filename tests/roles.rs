//! Every server function and page the app registers, against the one policy table
//! (src/server/auth/policy.rs), for owner, office, technician, a signed-out visitor and a
//! customer. A new endpoint or page without a policy line fails here.
use crate::common;

use axum::http::StatusCode;
use common::*;
use customer_room::{
    model::{staff::StaffRole, AppError},
    server::auth::policy::{self, Rule},
};
use sqlx::PgPool;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Staff(StaffRole),
    SignedOut,
    Customer,
}

struct World {
    app: TestApp,
    reference: String,
    /// Another customer's request, for calls that would end the first customer's access.
    other_reference: String,
    callers: Vec<(Who, Option<String>)>,
}

async fn world(pool: PgPool) -> World {
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let (_, customer) = open_latest_link(&app, "jo@example.com").await;
    let other = submit_request(&app, "sam@example.com", vec![]).await;
    let mut callers: Vec<(Who, Option<String>)> = common::staff::team(&app)
        .await
        .into_iter()
        .map(|(role, cookie)| (Who::Staff(role), Some(cookie)))
        .collect();
    callers.push((Who::SignedOut, None));
    callers.push((Who::Customer, customer));
    // The technician has a job on the first request (and none on the other): the request
    // pages a technician may open.
    let office = callers[1].1.clone().unwrap();
    workflow::accept(&app, &sent.reference, &office).await;
    let tech = common::staff::user(&app, "tech@example.com").await.id;
    let job = workflow::make_job(&app, &sent.reference, &office, tech, "2030-01-08").await;
    assert_eq!(job.status, StatusCode::OK, "{}", job.body);
    World {
        app,
        reference: sent.reference,
        other_reference: other.reference,
        callers,
    }
}

/// What the policy promises this caller: Some(status) for a refusal, None for "let through".
fn promised(rule: Rule, who: Who, api: bool) -> Option<StatusCode> {
    let signed_out = if api {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::SEE_OTHER
    };
    match (rule, who) {
        (Rule::Public | Rule::Anyone, _) => None,
        // Every test database here has staff, so first-run setup is gone.
        (Rule::FirstRun, _) => Some(StatusCode::NOT_FOUND),
        (Rule::Deny, _) => Some(StatusCode::FORBIDDEN),
        (Rule::Staff(roles), Who::Staff(r)) | (Rule::CustomerOrStaff(roles), Who::Staff(r)) => {
            (!roles.contains(&r)).then_some(StatusCode::FORBIDDEN)
        }
        (Rule::CustomerOrStaff(_), _) => None,
        (Rule::Staff(_), Who::SignedOut) => Some(signed_out),
        (Rule::Staff(_), Who::Customer) => Some(StatusCode::FORBIDDEN),
    }
}

fn leaks(body: &str, reference: &str) -> bool {
    [reference, "Citizen", "Kitchen tap drips", "jo@example.com"]
        .iter()
        .any(|s| body.contains(s))
}

fn server_fn_paths() -> Vec<String> {
    let mut paths: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Page routes from the app's own router, with their parameters filled in (`id`: the
/// request's customer, for the customer card).
fn page_paths(reference: &str, customer: &str) -> Vec<String> {
    leptos_axum::generate_route_list(customer_room::app::App)
        .iter()
        .map(|r| {
            r.path()
                .split('/')
                .map(|seg| match seg.trim_start_matches(':') {
                    s if s.starts_with('{') || seg.starts_with(':') => match s {
                        "{reference}" | "reference" => reference.to_string(),
                        "{id}" | "id" => customer.to_string(),
                        _ => "0123abcd".to_string(),
                    },
                    _ => seg.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .map(|p| if p.is_empty() { "/".to_string() } else { p })
        .collect()
}

#[test]
fn every_server_function_and_page_has_a_policy_line() {
    let fns = server_fn_paths();
    assert!(
        fns.iter().any(|p| p == "/api/staff_requests") && fns.len() > 20,
        "the registry lists the app's server functions: {fns:?}"
    );
    let pages = page_paths("CR-ABC234", "00000000-0000-0000-0000-000000000000");
    assert!(pages.iter().any(|p| p == "/staff/team"), "{pages:?}");
    let missing: Vec<_> = fns
        .iter()
        .chain(pages.iter())
        .filter(|p| policy::declared(p).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "add a line to POLICY in src/server/auth/policy.rs for: {missing:?}"
    );
    // Staff areas without a line are refused, never open.
    assert_eq!(policy::rule_for("/staff/new-page"), Rule::Deny);
    assert_eq!(policy::rule_for("/api/staff_new_thing"), Rule::Deny);
}

/// Arguments that let most staff functions succeed for an allowed caller.
fn args<'a>(reference: &'a str, key: &'a str, tech_id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("reference", reference),
        ("body", "Checked the tap"),
        ("client_key", key),
        ("kind", "photos"),
        ("text", "Could you send a photo of the tap?"),
        ("status", "confirmed"),
        ("topic", "general"),
        ("id", tech_id),
        ("role", "technician"),
        ("active", "true"),
        ("email", "new.person@example.com"),
        ("name", "New Person"),
        ("valid_until", "2999-01-01"),
        ("quote_id", "00000000-0000-0000-0000-000000000000"),
    ]
}

#[tokio::test]
async fn every_staff_server_function_answers_each_caller_as_the_policy_says() {
    let pool = fresh_db().await;
    let w = world(pool).await;
    let tech_id = common::staff::user(&w.app, "tech@example.com")
        .await
        .id
        .to_string();
    let mut checked = 0;
    for path in server_fn_paths() {
        let rule = policy::rule_for(&path);
        let endpoint = path.trim_start_matches("/api/");
        if !policy::is_staff_area(&path) && !matches!(rule, Rule::CustomerOrStaff(_)) {
            continue;
        }
        for (who, cookie) in &w.callers {
            let key = uuid::Uuid::new_v4().to_string();
            // Ending access would sign our customer out for the endpoints after it.
            let reference = if endpoint == "staff_end_access" {
                &w.other_reference
            } else {
                &w.reference
            };
            let form = args(reference, &key, &tech_id);
            let res = w.app.call(endpoint, &form, cookie.as_deref()).await;
            let what = format!("{path} as {who:?}: {} {}", res.status, res.body);
            match promised(rule, *who, true) {
                Some(status) => {
                    assert_eq!(res.status, status, "{what}");
                    assert!(!leaks(&res.body, &w.reference), "{what}");
                    let err: AppError = serde_json::from_str(&res.body).expect(&what);
                    assert!(
                        matches!(
                            err,
                            AppError::NotSignedIn | AppError::Forbidden | AppError::NotFound
                        ),
                        "{what}"
                    );
                }
                // Customers and visitors on a shared function: the function decides.
                None if !matches!(who, Who::Staff(_)) => {
                    assert!(res.status == StatusCode::OK || !leaks(&res.body, &w.reference))
                }
                None => {
                    let denied = matches!(
                        serde_json::from_str::<AppError>(&res.body),
                        Ok(AppError::NotSignedIn | AppError::Forbidden)
                    );
                    assert!(!denied && res.status != StatusCode::UNAUTHORIZED, "{what}");
                    assert_ne!(res.status, StatusCode::FORBIDDEN, "{what}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} calls checked");
}

#[tokio::test]
async fn reads_answer_200_to_the_roles_that_may_read() {
    let pool = fresh_db().await;
    let w = world(pool).await;
    for (endpoint, roles) in [
        ("staff_requests", policy::OFFICE),
        ("staff_room", policy::ALL_STAFF),
        ("staff_request", policy::ALL_STAFF),
        ("staff_team", policy::OWNER),
    ] {
        for (who, cookie) in &w.callers {
            let res = w
                .app
                .call(endpoint, &[("reference", &w.reference)], cookie.as_deref())
                .await;
            let ok = matches!(who, Who::Staff(r) if roles.contains(r));
            let expected = match who {
                _ if ok => StatusCode::OK,
                Who::SignedOut => StatusCode::UNAUTHORIZED,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(res.status, expected, "{endpoint} as {who:?}: {}", res.body);
        }
    }
}

#[tokio::test]
async fn every_staff_page_answers_each_caller_as_the_policy_says() {
    let pool = fresh_db().await;
    let w = world(pool).await;
    let mut checked = 0;
    let customer: uuid::Uuid =
        sqlx::query_scalar("SELECT customer_id FROM requests WHERE reference = $1")
            .bind(&w.reference)
            .fetch_one(&w.app.state.pool)
            .await
            .unwrap();
    for path in page_paths(&w.reference, &customer.to_string()) {
        if !policy::is_staff_area(&path) {
            continue;
        }
        let rule = policy::rule_for(&path);
        for (who, cookie) in &w.callers {
            let res = w.app.get(&path, cookie.as_deref()).await;
            let what = format!("{path} as {who:?}: {}", res.status);
            match promised(rule, *who, false) {
                Some(status) => {
                    assert_eq!(res.status, status, "{what} {}", res.body);
                    assert!(!leaks(&res.body, &w.reference), "{what} {}", res.body);
                    if status == StatusCode::SEE_OTHER {
                        assert_eq!(res.location().as_deref(), Some("/staff/sign-in"));
                    }
                }
                None => assert_eq!(res.status, StatusCode::OK, "{what}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} page visits checked");
    // A staff page nobody declared is refused even to the owner.
    let owner = w.callers[0].1.as_deref();
    let unknown = w.app.get("/staff/not-declared", owner).await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
    let unknown_fn = w.app.call("staff_not_declared", &[], owner).await;
    assert_eq!(unknown_fn.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn technicians_read_requests_and_post_updates_but_cannot_quote_or_move_them() {
    let pool = fresh_db().await;
    let w = world(pool).await;
    let tech = w.callers[2].1.as_deref();
    assert_eq!(w.callers[2].0, Who::Staff(StaffRole::Technician));
    // A request with no job of theirs stays closed to a technician (page and functions).
    for res in [
        w.app
            .get(&format!("/staff/requests/{}", w.other_reference), tech)
            .await,
        w.app
            .call("staff_room", &[("reference", &w.other_reference)], tech)
            .await,
    ] {
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(!res.body.contains("sam@example.com"), "{}", res.body);
    }
    let page = w
        .app
        .get(&format!("/staff/requests/{}", w.reference), tech)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kitchen tap drips"));
    assert!(page.body.contains("Post update") && page.body.contains("Add internal note"));
    assert!(!page.body.contains("Update status") && !page.body.contains("Send reply"));
    assert!(
        !page.body.contains(">Team<"),
        "no team link for technicians"
    );

    let update = w
        .app
        .call(
            "staff_update",
            &[("reference", &w.reference), ("body", "On my way")],
            tech,
        )
        .await;
    assert_eq!(update.status, StatusCode::OK, "{}", update.body);
    let status = w
        .app
        .call(
            "staff_status",
            &[("reference", &w.reference), ("status", "done")],
            tech,
        )
        .await;
    assert_eq!(status.status, StatusCode::FORBIDDEN, "{}", status.body);
    assert!(!leaks(&status.body, &w.reference), "{}", status.body);
    let stored: String = sqlx::query_scalar("SELECT status FROM requests WHERE reference = $1")
        .bind(&w.reference)
        .fetch_one(&w.app.state.pool)
        .await
        .unwrap();
    assert_eq!(
        stored, "scheduled",
        "the refused status change left no trace"
    );
    let reply = w
        .app
        .call(
            "room_message",
            &[
                ("reference", &w.reference),
                ("topic", "general"),
                ("body", "hi"),
                ("client_key", "k1"),
            ],
            tech,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert!(!leaks(&reply.body, &w.reference), "{}", reply.body);
}
