//! The service request form: a plain multipart form post. With JavaScript, `ui::enhance`
//! sends it in the background and checks each field as it is left (`data-checks`).
use super::{
    sections::{FilesFieldset, FormNotices, JobAddress, JobNeeds, SendControls, YourDetails},
    send::FormState,
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
        notice: RwSignal::new(None::<String>),
    };
    let services_list = services.join("\n");
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
                method="post"
                action="/requests"
                enctype="multipart/form-data"
                novalidate
                data-checks
                data-services=services_list
            >
                <input type="hidden" name="idempotency_key" value=key.to_string() />
                <YourDetails f=fields.clone() errors=state.errors />
                <JobAddress f=fields.clone() errors=state.errors />
                <JobNeeds f=fields errors=state.errors services />
                <FilesFieldset kept=state.kept errors=state.errors />
                <SendControls />
            </form>
        </section>
    }
}
