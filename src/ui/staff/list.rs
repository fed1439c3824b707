use super::staff_page;
use crate::{
    api::staff::staff_requests, model::request::RequestSummary, ui::components::clock::TimeAgo,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Requests, newest first. Refreshes itself when a new request or change arrives
/// (`data-live="all"`, `ui::enhance::live`).
#[component]
pub fn StaffListPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| staff_requests());
    view! {
        <Title text="Requests — staff" />
        {staff_page(
            list,
            |_, rows: Vec<RequestSummary>| {
                view! {
                    <section class="page staff" data-live="all">
                        <h1>"Requests"</h1>
                        <p class="small">{format!("{} requests, newest first", rows.len())}</p>
                        <table class="staff-table">
                            <thead>
                                <tr>
                                    <th>"Ref"</th>
                                    <th>"Customer"</th>
                                    <th>"Service"</th>
                                    <th>"Suburb"</th>
                                    <th>"Status"</th>
                                    <th>"Age"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|row| view! { <RequestRow row /> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
            },
        )}
    }
}

/// One request in the list: reference (the way in), who, what, where, status and age.
#[component]
fn RequestRow(row: RequestSummary) -> impl IntoView {
    let r = row;
    let href = format!("/staff/requests/{}", r.reference);
    view! {
        <tr>
            <td>
                <a href=href>{r.reference.clone()}</a>
            </td>
            <td>{r.customer_name.clone()}</td>
            <td>{r.service_type.clone()}</td>
            <td>{r.suburb.clone()}</td>
            <td>
                <span class=format!("status status-{}", r.status.as_str())>{r.status.label()}</span>
                {r
                    .urgent
                    .then(|| {
                        view! {
                            " "
                            <span class="status status-urgent">"Urgent"</span>
                        }
                    })}
            </td>
            <td>
                <TimeAgo at=r.created_at />
            </td>
        </tr>
    }
}
