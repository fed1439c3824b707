#![recursion_limit = "256"]
// No app function over 80 lines (clippy.toml); unit tests may be longer.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]
pub mod api;
pub mod app;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: only `ui::enhance::Enhance` runs in the browser; every page is server HTML.
    leptos::mount::hydrate_islands();
}
