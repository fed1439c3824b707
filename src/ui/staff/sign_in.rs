use crate::api::staff::{
    staff_reset_valid, CompleteStaffReset, RequestStaffReset, StaffSignIn, RESET_SENT_MESSAGE,
};
use crate::ui::components::errors::ActionAlert;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StaffSignInPage() -> impl IntoView {
    let action = ServerAction::<StaffSignIn>::new();
    let query = use_query_map();
    let after_reset = move || query.read().get("reset").is_some();
    view! {
        <Title text="Staff sign in" />
        <section class="page narrow">
            <h1>"Staff sign in"</h1>
            <Show when=after_reset>
                <div class="notice ok" role="status">
                    <p>"Your password was changed. Sign in with the new one."</p>
                </div>
            </Show>
            <ActionForm action>
                <div class="field">
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                    />
                </div>
                <button
                    type="submit"
                    class="button primary big"
                    disabled=move || action.pending().get()
                >
                    "Sign in"
                </button>
            </ActionForm>
            <ActionAlert value=action.value() />
            <p class="small">
                <a href="/staff/forgot">"Forgot your password?"</a>
            </p>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestStaffReset>::new();
    let sent = crate::ui::components::errors::came_back_with("sent");
    view! {
        <Title text="Reset your password" />
        <section class="page narrow">
            <h1>"Reset your password"</h1>
            <ActionForm action>
                <div class="field">
                    <label for="email">"Your staff email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required />
                </div>
                <button type="submit" class="button primary big">
                    "Email me a reset link"
                </button>
            </ActionForm>
            {move || {
                action
                    .value()
                    .get()
                    .or_else(|| sent.then(|| Ok(RESET_SENT_MESSAGE.to_string())))
                    .map(|r| match r {
                        Ok(m) => {
                            view! {
                                <div class="notice ok" role="status">
                                    <p>{m}</p>
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <div class="notice error" role="alert">
                                    <p>{e.to_string()}</p>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
            <p class="small">
                <a href="/staff/sign-in">"Back to sign in"</a>
            </p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let valid = Resource::new(token, staff_reset_valid);
    let action = ServerAction::<CompleteStaffReset>::new();
    view! {
        <Title text="Choose a new password" />
        <section class="page narrow">
            <h1>"Choose a new password"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    if valid.await.unwrap_or(false) {
                        view! {
                            <ActionForm action>
                                <input type="hidden" name="token" value=token() />
                                <div class="field">
                                    <label for="password">
                                        "New password (at least 10 characters)"
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
                                    "Save new password"
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    } else {
                        view! {
                            <div class="notice error">
                                <p>"This reset link has expired or was already used."</p>
                            </div>
                            <p>
                                <a class="button" href="/staff/forgot">
                                    "Send a new reset link"
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
