use crate::model::AppError;
use leptos::prelude::*;

/// A page whose main data could not be loaded: a calm, specific message, sign-in problems
/// get a way forward, and (rendered on the server) the page answers with the error's own
/// status — a room you may not see is a 403, a missing one a 404, never a 200.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(crate::server::error::status_of(&error));
    }
    let action = match &error {
        AppError::NotSignedIn | AppError::Forbidden | AppError::LinkExpired => Some(view! {
            <p>
                <a class="button" href="/get-link">
                    "Get a new link"
                </a>
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

/// Why the last submit of a form was refused, in plain words, right where the form is.
/// Nothing while it is pending or after it succeeded. Placed right after its form: when a
/// page has several forms of one server function, the server's page shows the refusal after
/// each, and `ui::enhance` keeps only the one after the form that was sent.
#[component]
pub fn ActionAlert<S, T>(value: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    move || {
        value.with(|v| match v {
            Some(Err(e)) => Some(view! {
                <p class="notice error" role="alert" data-action-alert="">
                    {e.to_string()}
                </p>
            }),
            _ => None,
        })
    }
}

/// Whether a form post came back to this page marked `?{flag}` (its server function said it
/// worked with `api::ctx::back_to_page_with`): the one way a plain form post can say so.
pub fn came_back_with(flag: &str) -> bool {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get(flag)
        .is_some()
}

/// "Saved." (or `text`) under a form whose post came back marked `?{flag}`: the page the
/// server renders after the redirect, with JavaScript or without.
#[component]
pub fn SavedNotice(
    flag: &'static str,
    #[prop(default = "Saved.")] text: &'static str,
) -> impl IntoView {
    came_back_with(flag).then(|| {
        view! {
            <p class="notice ok" role="status">
                {text}
            </p>
        }
    })
}
