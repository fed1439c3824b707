//! The room's reload context: the page that shows a request provides it, and every card (and
//! the staff page's forms) uses it to ask for a fresh copy after changing something. It lives
//! apart from the page so cards never import the page that imports them.
use leptos::prelude::*;

/// Lets every card ask the room to reload after it changed something.
#[derive(Clone, Copy)]
pub struct RoomReload(pub Callback<()>);

/// Reloads the room once an action has finished successfully (with JavaScript; without it,
/// the form post itself comes back to a freshly rendered room).
pub fn reload_on_success<S, T, E>(value: S)
where
    S: With<Value = Option<Result<T, E>>> + 'static,
    T: 'static,
    E: 'static,
{
    let reload = use_context::<RoomReload>();
    Effect::new(move |prev: Option<bool>| {
        let ok = value.with(|v| matches!(v, Some(Ok(_))));
        if ok && prev == Some(false) {
            if let Some(r) = reload {
                r.0.run(());
            }
        }
        ok
    });
}
