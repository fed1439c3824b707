use crate::model::AppError;
use leptos::prelude::*;

/// A calm, specific message for a failed call; sign-in problems get a way forward.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let action = match &error {
        AppError::NotSignedIn | AppError::Forbidden | AppError::LinkExpired => Some(view! {
            <p>
                <a class="button" href="/get-link">"Get a new link"</a>
            </p>
        }),
        _ => None,
    };
    view! {
        <div class="notice error" role="alert">
            <p>{error.to_string()}</p>
            {action}
        </div>
    }
}

/// The message under a form field, tied to it for screen readers.
#[component]
pub fn FieldError(id: String, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="field-error" id=id.clone()>
                {move || message.get()}
            </p>
        </Show>
    }
}
