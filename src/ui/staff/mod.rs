mod answer;
mod board;
mod composer;
mod customer;
mod customers;
mod inbox;
mod jobs;
mod list;
mod outbox;
mod proof;
mod quote_builder;
mod request;
mod setup;
mod sign_in;
mod team;
mod templates;
mod today;

pub use board::BoardPage;
pub use customer::CustomerPage;
pub use customers::CustomersPage;
pub use inbox::InboxPage;
pub use list::StaffListPage;
pub use outbox::OutboxPage;
pub use proof::{StaffFeedbackPage, StaffProofPage};
pub use request::StaffRequestPage;
pub use setup::StaffSetupPage;
pub use sign_in::{ForgotPasswordPage, ResetPasswordPage, StaffSignInPage};
pub use team::TeamPage;
pub use templates::TemplatesPage;
pub use today::TodayPage;

use crate::{
    api::{access::SignOut, staff::current_staff},
    model::{
        staff::{StaffRole, StaffUser},
        AppError,
    },
    ui::components::errors::ErrorPanel,
};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Every staff page's frame: waits for the signed-in staff member and the page's data, then
/// shows the header and `body`; "Staff only" to anyone else, and the error (answered with its
/// own status) when the data can't be had.
pub fn staff_page<T, V>(
    data: Resource<Result<T, AppError>>,
    body: impl Fn(StaffUser, T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let me = Resource::new(|| (), |_| current_staff());
    view! {
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match (me.await, data.await) {
                        (Ok(Some(user)), Ok(v)) => {
                            view! {
                                <StaffHeader user=user.clone() />
                                {body(user, v)}
                            }
                                .into_any()
                        }
                        (Ok(None), _) => view! { <StaffOnly /> }.into_any(),
                        (Err(e), _) | (_, Err(e)) => {
                            view! {
                                <section class="page narrow">
                                    <ErrorPanel error=e />
                                </section>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn StaffHeader(user: StaffUser) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <header class="site-header staff-header">
            <nav class="staff-nav" aria-label="Staff">
                {(user.role != StaffRole::Technician)
                    .then(|| {
                        view! {
                            <a class="brand" href="/staff/board">
                                "Board"
                            </a>
                            <a href="/staff">"List"</a>
                            <a href="/staff/customers">"Customers"</a>
                            <a href="/staff/outbox">"Outbox"</a>
                            <a href="/staff/templates">"Alerts"</a>
                            <a href="/staff/proof">"Proof"</a>
                            <a href="/staff/feedback">"Feedback"</a>
                        }
                    })}
                <a href="/staff/today">"My day"</a>
                <a href="/staff/inbox">"Inbox"</a>
                {(user.role == StaffRole::Owner)
                    .then(|| {
                        view! {
                            <a class="team-link" href="/staff/team">
                                "Team"
                            </a>
                        }
                    })}
            </nav>
            <span class="who">{user.display_name}</span>
            <ActionForm action=sign_out attr:class="inline-form">
                <button type="submit" class="link-button">
                    "Sign out"
                </button>
            </ActionForm>
        </header>
    }
}

/// Shown instead of a staff page when the session isn't a staff member's.
#[component]
pub fn StaffOnly() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>"Staff only"</h1>
            <p>
                <a class="button primary" href="/staff/sign-in">
                    "Sign in"
                </a>
            </p>
        </section>
    }
}
