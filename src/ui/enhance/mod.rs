//! The only code a browser downloads: one island that enhances the server's HTML.
//!
//! Every page is rendered on the server, and every form on it is a plain HTML form that
//! works with JavaScript off. When the wasm arrives, [`Enhance`] takes over from the
//! outside, guided by data attributes the server wrote:
//! - form posts are sent in the background and only the changed parts of the page
//!   (`data-region`) are swapped in, keeping what the person typed and where they were
//!   ([`forms`], [`swap`]);
//! - live changes (`/events`) refresh the same way ([`live`]);
//! - `form[data-photos]` sends each file on its own, shrunk, with progress ([`photos`]);
//! - `form[data-checks]` checks a field as the person leaves it, and
//!   `textarea[data-sensitive]` warns before a card number or code is sent ([`checks`]).
//!
//! The page looks the same either way because there is one renderer: the server. The wasm
//! holds no views, so it stays small whatever the pages grow into (ARCHITECTURE.md).
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod checks;
#[cfg(feature = "hydrate")]
mod dom;
#[cfg(feature = "hydrate")]
mod forms;
#[cfg(feature = "hydrate")]
mod live;
#[cfg(feature = "hydrate")]
mod photos;
#[cfg(feature = "hydrate")]
mod swap;

/// Placed once at the end of every page (see `app::App`).
#[island]
pub fn Enhance() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        forms::listen();
        checks::listen();
        live::connect();
        dom::set_body_flag("data-enhanced", "on");
    }
}
