//! Subscribes a page to the live event stream (`/events`, server-sent events).
use crate::model::live::LiveEvent;
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

/// Calls `on_event` for every change the server says this visitor may see. The browser's
/// EventSource reconnects by itself after a dropped connection.
pub fn use_live_events(on_event: impl Fn(LiveEvent) + 'static) {
    let on_event = std::rc::Rc::new(on_event);
    Effect::new(move |_| {
        let Ok(source) = web_sys::EventSource::new("/events") else {
            return;
        };
        let handler = on_event.clone();
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    if let Ok(ev) = serde_json::from_str::<LiveEvent>(&text) {
                        handler(ev);
                    }
                }
            });
        let _ =
            source.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
        listener.forget();
        // Marks the page so people (and tests) can tell live updates are on.
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-live", "on");
        }
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
}
