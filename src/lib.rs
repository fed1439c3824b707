#![recursion_limit = "256"]
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
