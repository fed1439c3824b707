//! Jobs on staff pages: the "make a job" form on an accepted request, each job with its
//! details, and the one-tap steps (On my way, Start, Finish) the technician — or the office
//! — moves it on with. Every form is a plain post; `ui::enhance` swaps the fresh page in.
use crate::{
    api::jobs::{ChangeJob, CreateJob, JobStep},
    model::{
        job::{Job, JobKind, JobStatus},
        request::RequestDetail,
    },
    ui::components::errors::{came_back_with, ActionAlert},
};
use leptos::prelude::*;
use uuid::Uuid;

/// What a booking holds, as a form's starting values: empty for a new job, the job's own
/// for a change.
#[derive(Clone)]
struct Booking {
    kind: JobKind,
    location: String,
    day: String,
    start: String,
    end: String,
    technician_id: Option<Uuid>,
    notes: String,
}

/// The fields of a booking, shared by "make a job" and "change this job". `key` keeps the
/// ids of several forms on one page apart.
#[component]
fn BookingFields(booking: Booking, team: Vec<(Uuid, String)>, key: String) -> impl IntoView {
    let id = move |what: &str| format!("{key}-{what}");
    let kind_name = booking.kind;
    view! {
        <fieldset class="choice-row">
            <legend>"Kind"</legend>
            {JobKind::ALL
                .into_iter()
                .map(|k| {
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name="kind"
                                value=k.as_str()
                                checked=k == kind_name
                            />
                            {k.label()}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <label for=id("location")>"Address"</label>
        <input id=id("location") name="location" type="text" required value=booking.location />
        <div class="time-row">
            <span>
                <label for=id("date")>"Day"</label>
                <input id=id("date") name="date" type="date" required value=booking.day />
            </span>
            <span>
                <label for=id("start")>"From"</label>
                <input id=id("start") name="start" type="time" required value=booking.start />
            </span>
            <span>
                <label for=id("end")>"To"</label>
                <input id=id("end") name="end" type="time" required value=booking.end />
            </span>
        </div>
        <label for=id("technician")>"Technician"</label>
        <select id=id("technician") name="technician_id" required>
            {team
                .into_iter()
                .map(|(tid, name)| {
                    view! {
                        <option value=tid.to_string() selected=Some(tid) == booking.technician_id>
                            {name}
                        </option>
                    }
                })
                .collect_view()}
        </select>
        <label for=id("notes")>"Notes for the technician (the customer never sees these)"</label>
        <textarea id=id("notes") name="notes" rows="2" maxlength="2000">
            {booking.notes}
        </textarea>
    }
}

/// Office: turn an accepted request into a job. The address comes from the request and can
/// be changed; the day starts at the customer's preferred day.
#[component]
pub fn NewJobForm(
    request: RequestDetail,
    team: Vec<(Uuid, String)>,
    today: String,
) -> impl IntoView {
    let create = ServerAction::<CreateJob>::new();
    let booking = Booking {
        kind: JobKind::WorkOrder,
        location: format!(
            "{}, {} {} {}",
            request.address_line, request.suburb, request.state, request.postcode
        ),
        day: request
            .preferred_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or(today),
        start: "09:00".into(),
        end: "11:00".into(),
        technician_id: None,
        notes: String::new(),
    };
    view! {
        <h3>"Make a job"</h3>
        <ActionForm action=create attr:class="message-form job-form">
            <input type="hidden" name="reference" value=request.reference.clone() />
            <BookingFields booking team key="job".into() />
            <button type="submit" class="button primary">
                "Make the job"
            </button>
        </ActionForm>
        <ActionAlert value=create.value() />
    }
}

/// Office: move a booked job to another time, technician or address. Behind a disclosure:
/// most visits keep their booking.
#[component]
fn ChangeJobForm(job: Job, team: Vec<(Uuid, String)>) -> impl IntoView {
    let change = ServerAction::<ChangeJob>::new();
    let booking = Booking {
        kind: job.kind,
        location: job.location.clone(),
        day: job.starts.format("%Y-%m-%d").to_string(),
        start: job.starts.format("%H:%M").to_string(),
        end: job.ends.format("%H:%M").to_string(),
        technician_id: Some(job.technician_id),
        notes: job.notes.clone(),
    };
    view! {
        <details class="job-change">
            <summary>"Change time, technician or address"</summary>
            <ActionForm action=change attr:class="message-form job-form">
                <input type="hidden" name="job_id" value=job.id.to_string() />
                <BookingFields booking team key=format!("change-{}", job.number) />
                <button type="submit" class="button primary">
                    "Save the change"
                </button>
            </ActionForm>
            <ActionAlert value=change.value() />
        </details>
    }
}

/// One job: when, where, who, and the steps that move it on. `show_request` links to the
/// request page (the technician's day; the request page itself needs no link).
#[component]
pub fn JobCard(job: Job, #[prop(optional)] show_request: bool) -> impl IntoView {
    let href = format!("/staff/requests/{}", job.reference);
    view! {
        <article
            class=format!("job-card job-{}", job.status.as_str())
            id=format!("job-{}", job.number)
        >
            <h3>
                {job.number_label()} " · " {job.kind.label()} " "
                <span class=format!(
                    "status status-job-{}",
                    job.status.as_str(),
                )>{job.status.label()}</span>
            </h3>
            <p>
                <strong>{job.when()}</strong>
            </p>
            <p class="small">{format!("Technician: {}", job.technician_name)}</p>
            {show_request
                .then(|| {
                    view! {
                        <p class="small">
                            <a href=href>{format!("Request {}", job.reference)}</a>
                        </p>
                    }
                })}
            {(!job.notes.is_empty())
                .then(|| view! { <p class="job-notes">{format!("Notes: {}", job.notes)}</p> })}
            {job
                .outcome
                .clone()
                .map(|o| {
                    let what = if job.status == JobStatus::Cancelled {
                        "Reason"
                    } else {
                        "Summary"
                    };
                    view! { <p class="small">{format!("{what} for the customer: {o}")}</p> }
                })}
            <JobSteps job=job.clone() />
        </article>
    }
}

/// The next steps as big buttons; Finish asks for a short summary the customer reads.
/// A cancel (with its reason) sits behind a disclosure so it is never tapped by mistake.
#[component]
pub fn JobSteps(job: Job) -> impl IntoView {
    let step = ServerAction::<JobStep>::new();
    let id = job.id.to_string();
    let n = job.number;
    let buttons = job
        .status
        .steps()
        .iter()
        .map(|(to, words)| {
            let finishing = *to == JobStatus::Finished;
            let job_id = id.clone();
            view! {
                <ActionForm action=step attr:class="job-step">
                    <input type="hidden" name="job_id" value=job_id />
                    <input type="hidden" name="to" value=to.as_str() />
                    {finishing
                        .then(|| {
                            view! {
                                <label for=format!(
                                    "summary-{n}",
                                )>"What was done (the customer reads this)"</label>
                                <textarea
                                    id=format!("summary-{n}")
                                    name="outcome"
                                    rows="2"
                                    required
                                    maxlength="500"
                                ></textarea>
                            }
                        })}
                    <button type="submit" class="button primary big">
                        {*words}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    let open = job.status.is_open();
    let cancel_id = id;
    view! {
        <div class="job-steps">
            {buttons}
            {open
                .then(|| {
                    view! {
                        <details class="job-cancel">
                            <summary>"Cancel this visit"</summary>
                            <ActionForm action=step attr:class="message-form">
                                <input type="hidden" name="job_id" value=cancel_id />
                                <input type="hidden" name="to" value="cancelled" />
                                <label for=format!("cancel-{n}")>"Reason for the customer"</label>
                                <input
                                    id=format!("cancel-{n}")
                                    name="outcome"
                                    type="text"
                                    required
                                    maxlength="500"
                                />
                                <button type="submit" class="button">
                                    "Cancel the visit"
                                </button>
                            </ActionForm>
                        </details>
                    }
                })}
        </div>
        <ActionAlert value=step.value() />
    }
}

/// The Job part of a request's staff page: its jobs, and the form to make one when the
/// request is ready for it.
#[component]
pub fn JobSection(
    request: RequestDetail,
    jobs: Vec<Job>,
    team: Vec<(Uuid, String)>,
    office: bool,
    today: String,
) -> impl IntoView {
    let can_make = office && request.status.check_job().is_ok();
    let made = came_back_with("job");
    let changed = came_back_with("job_changed");
    view! {
        <section data-region="job" id="job">
            <h2>"Job"</h2>
            {made
                .then(|| {
                    view! {
                        <p class="notice ok" role="status">
                            "Job made. The customer's room shows the booking."
                        </p>
                    }
                })}
            {changed
                .then(|| {
                    view! {
                        <p class="notice ok" role="status">
                            "Job changed. A new time, technician or address shows in the customer's room."
                        </p>
                    }
                })}
            {(jobs.is_empty() && !can_make)
                .then(|| {
                    view! { <p class="hint">"Accept the request to make a job for it."</p> }
                })}
            {jobs
                .into_iter()
                .map(|job| {
                    let change = (office && job.status.check_change().is_ok())
                        .then(|| view! { <ChangeJobForm job=job.clone() team=team.clone() /> });
                    view! {
                        <JobCard job />
                        {change}
                    }
                })
                .collect_view()}
            {can_make.then(|| view! { <NewJobForm request team today /> })}
        </section>
    }
}
