//! The live connection: one `EventSource` per page on `/events`. A change to what this page
//! shows refreshes it in place; losing the connection says so on the page, and coming back
//! refreshes once, so nothing that happened while offline is missed.
use super::{
    dom::{self, document},
    swap,
};
use crate::model::live::LiveEvent;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, EventSource, MessageEvent};

const OFFLINE: &str = "Offline — this page will catch up as soon as the connection is back.";

/// Pages that show live data say which request (`data-live="<request id>"`) or `all`
/// (the staff list). Other pages open no connection.
fn watched() -> Option<String> {
    document()
        .query_selector("[data-live]")
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("data-live"))
}

pub fn connect() {
    let Some(watching) = watched() else { return };
    let Ok(source) = EventSource::new("/events") else {
        return;
    };
    let on_change = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(text) = e.data().as_string() else {
            return;
        };
        let Ok(ev) = serde_json::from_str::<LiveEvent>(&text) else {
            return;
        };
        if watching == "all" {
            // A page of every request (the board, the list): any change can move any card.
            swap::refresh_regions(&[]);
            if ev.is_alert() {
                cue(&ev);
            }
        } else if watching == ev.request_id.to_string() {
            // Only the cards this kind of change can alter (all of them for an unknown kind).
            swap::refresh_regions(ev.regions());
        }
    });
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    on_change.forget();

    let was_offline = std::rc::Rc::new(std::cell::Cell::new(false));
    let offline = was_offline.clone();
    let on_error = Closure::<dyn Fn(Event)>::new(move |_| {
        offline.set(true);
        dom::set_body_flag("data-live", "offline");
        show_offline(true);
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    let on_open = Closure::<dyn Fn(Event)>::new(move |_| {
        dom::set_body_flag("data-live", "on");
        show_offline(false);
        if was_offline.replace(false) {
            swap::refresh();
        }
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    on_open.forget();
    // Kept open for the life of the page; the browser reconnects by itself.
    std::mem::forget(source);
}

/// The board's call-out for a new request or a customer asking for a person: a banner
/// that stays until dismissed (read out by screen readers) and a short sound. Pages opt in
/// with `data-cue`; the count on `<body data-cue>` lets people (and tests) see it happened.
fn cue(ev: &LiveEvent) {
    let doc = document();
    if doc.query_selector("[data-cue]").ok().flatten().is_none() {
        return;
    }
    let text = if ev.kind == "help" {
        "A customer asked for a person — see the Urgent cards."
    } else {
        "A new request just arrived."
    };
    let banner = doc.get_element_by_id("live-cue").or_else(|| {
        let p = doc.create_element("p").ok()?;
        p.set_id("live-cue");
        p.set_class_name("notice warn live-cue");
        let _ = p.set_attribute("role", "alert");
        let main = doc.query_selector("main").ok().flatten()?;
        let _ = main.prepend_with_node_1(&p);
        Some(p)
    });
    if let Some(b) = banner {
        b.set_text_content(Some(text));
    }
    let count = dom::body_flag("data-cue")
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0);
    dom::set_body_flag("data-cue", &(count + 1).to_string());
    if let Ok(audio) = web_sys::HtmlAudioElement::new_with_src("/cue.wav") {
        // Browsers may refuse sound before the first tap on the page; the banner still shows.
        let _ = audio.play();
    }
}

fn show_offline(offline: bool) {
    let doc = document();
    let existing = doc.get_element_by_id("live-offline");
    match (offline, existing) {
        (true, None) => {
            let Ok(p) = doc.create_element("p") else {
                return;
            };
            p.set_id("live-offline");
            p.set_class_name("notice warn live-offline");
            let _ = p.set_attribute("role", "status");
            p.set_text_content(Some(OFFLINE));
            if let Ok(Some(main)) = doc.query_selector("main") {
                let _ = main.prepend_with_node_1(&p);
            }
        }
        (false, Some(p)) => p.remove(),
        _ => {}
    }
}
