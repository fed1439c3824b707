//! Who may open what: the one table of rules for every staff page, route and server function,
//! and the middleware that enforces it before anything renders or runs.
//!
//! Deny by default: a `/staff` page or `/api/staff*` server function with no line here is
//! refused for everyone (and `tests/roles.rs` fails until it has one).
use super::session::{self, Caller};
use crate::{
    model::{staff::StaffRole, AppError},
    server::{db, state::AppState},
};
use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use StaffRole::{Office, Owner, Technician};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not (sign-in, password reset, the intake form).
    Public,
    /// Anyone; the page or function itself checks the caller's right to the request.
    Anyone,
    /// Customers and visitors pass (the function checks them); staff need one of these roles.
    CustomerOrStaff(&'static [StaffRole]),
    /// Staff with one of these roles.
    Staff(&'static [StaffRole]),
    /// Only while the database has no staff at all (first-run setup).
    FirstRun,
    /// No rule: refused for everyone.
    Deny,
}

pub const ALL_STAFF: &[StaffRole] = &[Owner, Office, Technician];
pub const OFFICE: &[StaffRole] = &[Owner, Office];
pub const OWNER: &[StaffRole] = &[Owner];

/// Path → rule. A pattern ending in `*` matches that prefix. Server functions are
/// `/api/<endpoint>` (the `endpoint` of `#[server]`).
pub const POLICY: &[(&str, Rule)] = &[
    // Staff pages
    // Office pages; a technician's day is theirs (each request page checks a technician
    // has a job on it).
    ("/staff", Rule::Staff(OFFICE)),
    ("/staff/board", Rule::Staff(OFFICE)),
    ("/staff/outbox", Rule::Staff(OFFICE)),
    ("/staff/templates", Rule::Staff(OFFICE)),
    // Everyone's inbox: a technician sees the texts routed to them (the service filters).
    ("/staff/inbox", Rule::Staff(ALL_STAFF)),
    // A customer's whole history and details: the office's, not a technician's.
    ("/staff/customers", Rule::Staff(OFFICE)),
    ("/staff/customers/*", Rule::Staff(OFFICE)),
    ("/staff/today", Rule::Staff(ALL_STAFF)),
    ("/staff/requests/*", Rule::Staff(ALL_STAFF)),
    ("/staff/team", Rule::Staff(OWNER)),
    // What customers said: private feedback and proof before it is published.
    ("/staff/feedback", Rule::Staff(OFFICE)),
    ("/staff/proof", Rule::Staff(OFFICE)),
    ("/staff/sign-in", Rule::Public),
    ("/staff/forgot", Rule::Public),
    ("/staff/reset/*", Rule::Public),
    ("/staff/setup", Rule::FirstRun),
    // Staff accounts
    ("/api/staff_me", Rule::Anyone),
    ("/api/staff_sign_in", Rule::Public),
    ("/api/staff_reset_request", Rule::Public),
    ("/api/staff_reset_valid", Rule::Public),
    ("/api/staff_reset_complete", Rule::Public),
    ("/api/staff_setup_open", Rule::Public),
    ("/api/staff_setup", Rule::FirstRun),
    ("/api/staff_team", Rule::Staff(OWNER)),
    ("/api/staff_team_invite", Rule::Staff(OWNER)),
    ("/api/staff_team_role", Rule::Staff(OWNER)),
    ("/api/staff_team_active", Rule::Staff(OWNER)),
    // A request's page: technicians (on requests they have a job on) read, and post updates
    // and notes.
    ("/api/staff_requests", Rule::Staff(OFFICE)),
    ("/api/staff_board", Rule::Staff(OFFICE)),
    ("/api/staff_outbox", Rule::Staff(OFFICE)),
    ("/api/staff_outbox_retry", Rule::Staff(OFFICE)),
    ("/api/staff_templates", Rule::Staff(OFFICE)),
    ("/api/staff_template_save", Rule::Staff(OFFICE)),
    ("/api/staff_alert_naming", Rule::Staff(OFFICE)),
    ("/api/staff_inbox", Rule::Staff(ALL_STAFF)),
    ("/api/staff_customer", Rule::Staff(OFFICE)),
    ("/api/staff_customer_of", Rule::Staff(OFFICE)),
    ("/api/staff_customer_edit", Rule::Staff(OFFICE)),
    ("/api/staff_customer_tag", Rule::Staff(OFFICE)),
    ("/api/staff_customer_untag", Rule::Staff(OFFICE)),
    ("/api/staff_customer_call", Rule::Staff(OFFICE)),
    ("/api/staff_customer_search", Rule::Staff(OFFICE)),
    ("/api/staff_customer_merge", Rule::Staff(OFFICE)),
    ("/api/staff_customer_write", Rule::Staff(OFFICE)),
    ("/api/staff_inbox_done", Rule::Staff(ALL_STAFF)),
    ("/api/staff_my_alerts", Rule::Staff(ALL_STAFF)),
    ("/api/staff_point_of_contact", Rule::Staff(OFFICE)),
    ("/api/staff_job_create", Rule::Staff(OFFICE)),
    ("/api/staff_job_change", Rule::Staff(OFFICE)),
    // The service lets a technician step only their own jobs.
    ("/api/staff_job_step", Rule::Staff(ALL_STAFF)),
    ("/api/staff_today", Rule::Staff(ALL_STAFF)),
    ("/api/staff_request", Rule::Staff(ALL_STAFF)),
    ("/api/staff_room", Rule::Staff(ALL_STAFF)),
    ("/api/staff_update", Rule::Staff(ALL_STAFF)),
    ("/api/staff_note", Rule::Staff(ALL_STAFF)),
    ("/api/staff_ask", Rule::Staff(OFFICE)),
    ("/api/staff_status", Rule::Staff(OFFICE)),
    ("/api/staff_help_done", Rule::Staff(OFFICE)),
    ("/api/staff_quote_save", Rule::Staff(OFFICE)),
    ("/api/staff_quote_send", Rule::Staff(OFFICE)),
    ("/api/staff_end_access", Rule::Staff(OFFICE)),
    ("/api/staff_proofs", Rule::Staff(OFFICE)),
    ("/api/staff_proof_change", Rule::Staff(OFFICE)),
    ("/api/staff_feedback", Rule::Staff(OFFICE)),
    ("/api/staff_feedback_read", Rule::Staff(OFFICE)),
    // Customer pages and functions: each checks the caller's right to the request itself.
    ("/", Rule::Public),
    ("/submitted/*", Rule::Anyone),
    ("/room/*", Rule::Anyone),
    ("/my-requests", Rule::Anyone),
    ("/link-expired", Rule::Public),
    ("/get-link", Rule::Public),
    ("/signed-out", Rule::Public),
    ("/proof", Rule::Public),
    ("/guide", Rule::Anyone),
    ("/api/proof", Rule::Public),
    ("/api/guide", Rule::Anyone),
    ("/api/intake_form", Rule::Public),
    ("/api/request_room_link", Rule::Public),
    ("/api/my_requests", Rule::Anyone),
    ("/api/sign_out", Rule::Anyone),
    ("/api/room", Rule::Anyone),
    // Replies to the customer: customers, and office staff (not technicians).
    ("/api/room_message", Rule::CustomerOrStaff(OFFICE)),
    ("/api/room_help", Rule::Anyone),
    // The customer's own choice: the service refuses staff.
    ("/api/room_texts", Rule::Anyone),
    ("/api/quote_approve", Rule::Anyone),
    ("/api/quote_decline", Rule::Anyone),
    ("/api/quote_changes", Rule::Anyone),
    ("/api/photo_caption", Rule::Anyone),
    ("/api/room_access", Rule::Anyone),
    ("/api/room_access_end", Rule::Anyone),
    // The customer's own word: the service refuses staff.
    ("/api/room_feedback", Rule::Anyone),
    ("/api/room_proof_offer", Rule::Anyone),
    ("/api/room_proof_approve", Rule::Anyone),
    ("/api/room_proof_withdraw", Rule::Anyone),
];

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix) && path.len() > prefix.len(),
        None => pattern == path,
    }
}

/// The line for this path, if there is one (exact lines win over prefixes).
pub fn declared(path: &str) -> Option<Rule> {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    POLICY
        .iter()
        .find(|(p, _)| *p == path)
        .or_else(|| POLICY.iter().find(|(p, _)| matches(p, path)))
        .map(|(_, r)| *r)
}

/// Staff areas are denied by default; everything else without a line is open to anyone
/// (its handler checks the caller, as the customer routes do).
pub fn rule_for(path: &str) -> Rule {
    declared(path).unwrap_or(if is_staff_area(path) {
        Rule::Deny
    } else {
        Rule::Anyone
    })
}

pub fn is_staff_area(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/") || path.starts_with("/api/staff")
}

pub enum Verdict {
    Allow,
    SignIn,
    Forbidden,
    NotFound,
}

/// The rule applied to a caller. `no_staff_yet` only matters for [`Rule::FirstRun`].
pub fn judge(rule: Rule, caller: &Caller, no_staff_yet: bool) -> Verdict {
    match (rule, caller) {
        (Rule::Public | Rule::Anyone, _) => Verdict::Allow,
        (Rule::FirstRun, _) if no_staff_yet => Verdict::Allow,
        (Rule::FirstRun, _) => Verdict::NotFound,
        (Rule::CustomerOrStaff(roles), Caller::Staff(u)) if !roles.contains(&u.role) => {
            Verdict::Forbidden
        }
        (Rule::CustomerOrStaff(_), _) => Verdict::Allow,
        (Rule::Staff(roles), Caller::Staff(u)) if roles.contains(&u.role) => Verdict::Allow,
        (Rule::Staff(_), Caller::Anonymous) => Verdict::SignIn,
        (Rule::Staff(_), _) | (Rule::Deny, _) => Verdict::Forbidden,
    }
}

/// The middleware: every request is judged by its line before it reaches a handler.
pub async fn enforce(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let rule = rule_for(&path);
    if matches!(rule, Rule::Public | Rule::Anyone) {
        return next.run(req).await;
    }
    let callers = match session::callers(&state, req.headers()).await {
        Ok(c) => c,
        Err(e) => return failed(&path, e),
    };
    let caller = callers.for_path(&path);
    // Handed on, so the handler acts on the sessions judged here without reading them again.
    req.extensions_mut().insert(callers);
    let no_staff_yet = match rule {
        Rule::FirstRun => match db::staff::any_exist(&state.pool).await {
            Ok(any) => !any,
            Err(e) => return failed(&path, e),
        },
        _ => false,
    };
    let api = path.starts_with("/api/");
    match (judge(rule, &caller, no_staff_yet), api) {
        (Verdict::Allow, _) => next.run(req).await,
        (Verdict::SignIn, true) => api_error(AppError::NotSignedIn),
        (Verdict::SignIn, false) => Redirect::to("/staff/sign-in").into_response(),
        (Verdict::Forbidden, true) => api_error(AppError::Forbidden),
        (Verdict::Forbidden, false) => forbidden_page(&caller),
        (Verdict::NotFound, true) => api_error(AppError::NotFound),
        (Verdict::NotFound, false) => crate::server::pages::message(
            StatusCode::NOT_FOUND,
            "Setup is already done",
            "This business already has staff accounts. Sign in, or ask the owner to invite you.",
            ("/staff/sign-in", "Sign in"),
        ),
    }
}

fn failed(path: &str, e: sqlx::Error) -> Response {
    tracing::error!(error = %e, path, "could not check who is asking");
    if path.starts_with("/api/") {
        api_error(AppError::Internal)
    } else {
        crate::server::pages::message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side",
            "Please try again in a moment.",
            ("/", "Go to the start page"),
        )
    }
}

/// The status comes from the error itself (`server::error::status_of`).
fn api_error(error: AppError) -> Response {
    crate::server::error::json_response(error)
}

fn forbidden_page(caller: &Caller) -> Response {
    let (text, back) = match caller {
        Caller::Staff(_) => (
            "Your role doesn't include this page.",
            ("/staff", "Back to the job list"),
        ),
        _ => (
            "This page is for the business's staff.",
            ("/my-requests", "Back to your requests"),
        ),
    };
    crate::server::pages::message(StatusCode::FORBIDDEN, "Staff only", text, back)
}
