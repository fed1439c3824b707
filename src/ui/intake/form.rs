//! The service request form. A plain multipart form post that works before the wasm
//! loads; once hydrated it checks fields as you go and shows upload progress.
use super::{
    sections::{FilesFieldset, FormNotices, JobAddress, JobNeeds, SendControls, YourDetails},
    send::{check_left_field, submit, FormState, Sending},
};
use crate::{
    api::intake::{intake_form, IntakeFormData},
    ui::components::{errors::ErrorPanel, layout::SiteHeader},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn IntakePage() -> impl IntoView {
    let form = Resource::new(|| (), |_| intake_form());
    view! {
        <Title text="Start a request" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(data) => view! { <IntakeFormView data /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IntakeFormView(data: IntakeFormData) -> impl IntoView {
    let IntakeFormData {
        key,
        services,
        fields,
        errors,
        kept_files,
        returning_customer,
        business_name,
    } = data;
    let state = FormState {
        errors: RwSignal::new(errors),
        kept: RwSignal::new(kept_files),
        sending: RwSignal::new(Sending::Idle),
        notice: RwSignal::new(None::<String>),
        form_ref: NodeRef::new(),
    };
    let services_for_check = StoredValue::new(services.clone());
    let heading = if returning_customer {
        "Start a new request"
    } else {
        "Start a request"
    };
    view! {
        <SiteHeader business=business_name.clone() />
        <section class="page intake">
            <h1 id="request-form">{heading}</h1>
            <p class="lead">
                "Tell us what you need. You'll get a link to your own request page, where you can check progress, add photos and ask questions — no need to call back or repeat yourself."
            </p>
            <p class="small">
                "Already sent a request? " <a href="/get-link">"Get a link to it"</a>
            </p>
            <FormNotices notice=state.notice errors=state.errors />
            <form
                node_ref=state.form_ref
                method="post"
                action="/requests"
                enctype="multipart/form-data"
                novalidate
                on:submit=move |ev| submit(ev, state)
                on:focusout=move |ev| check_left_field(ev, state, services_for_check)
            >
                <input type="hidden" name="idempotency_key" value=key.to_string() />
                <YourDetails f=fields.clone() errors=state.errors />
                <JobAddress f=fields.clone() errors=state.errors />
                <JobNeeds f=fields errors=state.errors services />
                <FilesFieldset kept=state.kept errors=state.errors />
                <SendControls sending=state.sending />
            </form>
        </section>
    }
}
