//! The staff page for one request: everything the customer sent, and every way to answer.
use super::{
    answer::{
        ActivityLog, AskCustomerForm, CustomerAccessForm, HelpRequested, NoteForm, PostUpdateForm,
        ReplyForm, StatusForm,
    },
    jobs::JobSection,
    quote_builder::QuoteBuilder,
    staff_page,
};
use crate::{
    api::staff_room::{staff_room, StaffRoomView},
    model::staff::StaffRole,
    ui::room::{AttachmentGrid, RequestDetails, Thread},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StaffRequestPage() -> impl IntoView {
    let params = use_params_map();
    // Read once, untracked, into a plain string: see `ui::room::page` (a title closure can
    // read another request's arena).
    let reference = params.read_untracked().get("reference").unwrap_or_default();
    let title = format!("{reference} — staff");
    let detail = Resource::new(move || reference.clone(), staff_room);
    view! {
        <Title text=title />
        {staff_page(
            detail,
            |user, v| {
                view! { <StaffRequestBody v office=user.role != StaffRole::Technician /> }
            },
        )}
    }
}

#[component]
/// `office`: owners and office staff answer, ask, move and quote; technicians (policy.rs)
/// read the request and post updates and notes.
fn StaffRequestBody(v: StaffRoomView, office: bool) -> impl IntoView {
    let r = v.room.request.clone();
    let reference = r.reference.clone();
    let key = v.room.form_key;
    let room_href = format!("/room/{reference}");
    let rf = StoredValue::new(reference);
    let rf = move || rf.get_value();
    let today = v.today.format("%Y-%m-%d").to_string();
    let back = if office {
        view! { <a href="/staff/board">"← Job board"</a> }.into_any()
    } else {
        view! { <a href="/staff/today">"← My day"</a> }.into_any()
    };
    view! {
        <section class="page staff" data-live=r.id.to_string()>
            <p>{back}</p>
            <div data-region="room-top">
                <h1>
                    <span class="reference">{r.reference.clone()}</span>
                    " · "
                    {r.service_type.clone()}
                </h1>
                <p class="status-line">
                    <span class=format!(
                        "status status-{}",
                        r.status.as_str(),
                    )>{r.status.staff_label()}</span>
                    {v
                        .room
                        .urgent
                        .then(|| {
                            view! {
                                <span class="status status-urgent">
                                    "Urgent: customer asked for help"
                                </span>
                            }
                        })}
                </p>
                {v
                    .room
                    .urgent
                    .then(|| {
                        view! {
                            <HelpRequested
                                reference=rf()
                                callback_window=v.room.callback_window.clone()
                                office
                            />
                        }
                    })}
            </div>
            <p class="small">
                <a href=room_href>"See the customer's room exactly as they see it"</a>
                {office
                    .then(|| {
                        view! {
                            " · "
                            <a href=format!(
                                "/staff/customers/{}",
                                v.customer_id,
                            )>"Customer card"</a>
                        }
                    })}
            </p>
            <div class="staff-grid">
                <div>
                    <h2>"Customer's request"</h2>
                    <RequestDetails request=r.clone() />
                    <div data-region="photos">
                        <h2>"Photos and files"</h2>
                        <AttachmentGrid attachments=r.attachments.clone() />
                    </div>
                    <div data-region="thread">
                        <h2 id="thread">"Thread"</h2>
                        <Thread messages=v.room.messages.clone() staff_view=true />
                        {office.then(|| view! { <ReplyForm reference=rf() key /> })}
                    </div>
                </div>
                <div>
                    <JobSection
                        request=r.clone()
                        jobs=v.jobs.clone()
                        team=v.team.clone()
                        office
                        today
                    />
                    <PostUpdateForm reference=rf() key />
                    {office
                        .then(|| {
                            view! {
                                <AskCustomerForm reference=rf() />
                                <div data-region="status">
                                    <StatusForm reference=rf() current=r.status />
                                </div>
                                <div data-region="quote">
                                    <h2 id="quote">"Quote"</h2>
                                    <QuoteBuilder
                                        reference=rf()
                                        quotes=v.quotes.clone()
                                        default_tax_bp=v.default_tax_bp
                                    />
                                </div>
                            }
                        })}
                    <NoteForm reference=rf() key />
                    {office.then(|| view! { <CustomerAccessForm reference=rf() /> })}
                    <div data-region="log">
                        <h2>"Activity"</h2>
                        <ActivityLog log=v.log />
                    </div>
                </div>
            </div>
        </section>
    }
}
