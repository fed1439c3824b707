//! First-run setup: the owner's account, only while the database has no staff.
use crate::api::staff::{staff_setup_open, StaffSetup};
use crate::ui::components::errors::ActionAlert;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffSetupPage() -> impl IntoView {
    let open = Resource::new(|| (), |_| staff_setup_open());
    let action = ServerAction::<StaffSetup>::new();
    view! {
        <Title text="Set up Customer Room" />
        <section class="page narrow">
            <h1>"Set up Customer Room"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    if open.await.unwrap_or(false) {
                        view! {
                            <p>
                                "Create the owner's account. The owner invites everyone else from the team page."
                            </p>
                            <ActionForm action>
                                <div class="field">
                                    <label for="name">"Your name"</label>
                                    <input
                                        id="name"
                                        name="name"
                                        type="text"
                                        autocomplete="name"
                                        required
                                    />
                                </div>
                                <div class="field">
                                    <label for="email">"Your email"</label>
                                    <input
                                        id="email"
                                        name="email"
                                        type="email"
                                        autocomplete="username"
                                        required
                                    />
                                </div>
                                <div class="field">
                                    <label for="password">
                                        "Password (at least 10 characters)"
                                    </label>
                                    <input
                                        id="password"
                                        name="password"
                                        type="password"
                                        autocomplete="new-password"
                                        minlength="10"
                                        required
                                    />
                                </div>
                                <div class="field">
                                    <label for="confirm">"Type it again"</label>
                                    <input
                                        id="confirm"
                                        name="confirm"
                                        type="password"
                                        autocomplete="new-password"
                                        required
                                    />
                                </div>
                                <button type="submit" class="button primary big">
                                    "Create the owner's account"
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    } else {
                        view! {
                            <p>"This business already has staff accounts."</p>
                            <p>
                                <a class="button primary" href="/staff/sign-in">
                                    "Sign in"
                                </a>
                            </p>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
            <ActionAlert value=action.value() />
        </section>
    }
}
