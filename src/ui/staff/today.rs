//! `/staff/today`: the technician's day on a phone — their own jobs for today and tomorrow
//! in time order, each with the address (tap for maps), the customer's first name and
//! phone (tap to call), the request's photos and thread, and one-tap steps.
use super::{jobs::JobSteps, staff_page};
use crate::{
    api::jobs::staff_today,
    model::job::DayJob,
    ui::room::{AttachmentGrid, Thread},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TodayPage() -> impl IntoView {
    let day = Resource::new(|| (), |_| staff_today());
    view! {
        <Title text="My day — staff" />
        {staff_page(
            day,
            |_, jobs: Vec<DayJob>| {
                view! {
                    <section class="page narrow today" data-live="all">
                        <h1>"My day"</h1>
                        <div data-region="today">
                            {if jobs.is_empty() {
                                view! { <p class="hint">"No jobs for you today or tomorrow."</p> }
                                    .into_any()
                            } else {
                                jobs.into_iter()
                                    .map(|d| view! { <DayCard d /> })
                                    .collect_view()
                                    .into_any()
                            }}
                        </div>
                    </section>
                }
            },
        )}
    }
}

/// Maps on any phone: the platform opens its own maps app for this link.
fn maps_link(address: &str) -> String {
    let q: String = address
        .chars()
        .map(|c| match c {
            ' ' => "+".to_string(),
            c if c.is_ascii_alphanumeric() || ",.-".contains(c) => c.to_string(),
            c => {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect()
            }
        })
        .collect();
    format!("https://www.google.com/maps/search/?api=1&query={q}")
}

#[component]
fn DayCard(d: DayJob) -> impl IntoView {
    let job = d.job;
    let tel = d
        .phone
        .clone()
        .map(|p| format!("tel:{}", p.replace(' ', "")));
    let href = format!("/staff/requests/{}", job.reference);
    view! {
        <article
            class=format!("day-job job-{}", job.status.as_str())
            id=format!("job-{}", job.number)
        >
            <h2>
                {job.when()}
                <span class=format!(
                    "status status-job-{}",
                    job.status.as_str(),
                )>{job.status.label()}</span>
            </h2>
            <p class="small">
                {format!("{} · {} · {}", job.number_label(), job.kind.label(), d.service_type)}
            </p>
            <p>
                <a class="button big" href=maps_link(&job.location)>
                    {format!("📍 {}", job.location)}
                </a>
            </p>
            <p>
                {d.first_name.clone()} " "
                {tel
                    .map(|t| {
                        view! {
                            <a class="button" href=t>
                                {format!("Call {}", d.phone.clone().unwrap_or_default())}
                            </a>
                        }
                    })}
            </p>
            {(!job.notes.is_empty())
                .then(|| view! { <p class="job-notes">{format!("Notes: {}", job.notes)}</p> })}
            {(!d.request_notes.is_empty())
                .then(|| {
                    view! { <p class="small">{format!("Customer wrote: {}", d.request_notes)}</p> }
                })}
            <JobSteps job=job.clone() />
            <details>
                <summary>{format!("Photos ({})", d.photos.len())}</summary>
                <AttachmentGrid attachments=d.photos />
            </details>
            <details>
                <summary>{format!("Thread ({})", d.messages.len())}</summary>
                <Thread messages=d.messages staff_view=true />
            </details>
            <p class="small">
                <a href=href>{format!("Request {}", job.reference)}</a>
            </p>
        </article>
    }
}
