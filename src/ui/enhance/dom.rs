//! Small typed wrappers over the browser's DOM, so the enhancers read as what they do.
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Document, Element, Event, HtmlElement, Window};

pub fn window() -> Window {
    web_sys::window().expect("a browser window")
}

pub fn document() -> Document {
    window().document().expect("a document")
}

/// A flag on `<body>` people (and tests) can see: `data-enhanced`, `data-live`.
pub fn set_body_flag(name: &str, value: &str) {
    if let Some(body) = document().body() {
        let _ = body.set_attribute(name, value);
    }
}

pub fn body_flag(name: &str) -> Option<String> {
    document().body()?.get_attribute(name)
}

/// Calls `handler` for every `event` anywhere in the document (listeners on the document
/// keep working for elements swapped in later).
pub fn on_document<E: JsCast + 'static>(event: &str, handler: impl Fn(E) + 'static) {
    let listener = Closure::<dyn Fn(Event)>::new(move |e: Event| {
        if let Ok(e) = e.dyn_into::<E>() {
            handler(e);
        }
    });
    let _ = document().add_event_listener_with_callback_and_bool(
        event,
        listener.as_ref().unchecked_ref(),
        // Capture: `focusout`/`submit` reach us before anything else can stop them.
        true,
    );
    listener.forget();
}

/// An attribute as written by the server. For forms, never the `form.id`/`form.action`
/// properties: a field named `id` or `action` shadows them.
pub fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

/// Every element under `root` that matches `selector`, in document order.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

pub fn target_element(e: &Event) -> Option<Element> {
    e.target()?.dyn_into::<Element>().ok()
}

/// A short message right after `anchor`, created the first time and reused after; `None`
/// removes it. `class` is e.g. `notice error`; `role=alert` so screen readers hear it.
pub fn message_after(anchor: &Element, id: &str, class: &str, text: Option<&str>) {
    let doc = document();
    let existing = doc.get_element_by_id(id);
    match (text, existing) {
        (None, Some(el)) => el.remove(),
        (None, None) => {}
        (Some(text), Some(el)) => el.set_text_content(Some(text)),
        (Some(text), None) => {
            let Ok(p) = doc.create_element("p") else {
                return;
            };
            p.set_id(id);
            p.set_class_name(class);
            let _ = p.set_attribute("role", "alert");
            p.set_text_content(Some(text));
            let _ = anchor.after_with_node_1(&p);
        }
    }
}

/// A button while its form is on its way: disabled, busy, and saying so when the server
/// gave it words for that (`data-busy-label`).
pub fn set_busy(el: Option<&HtmlElement>, busy: bool) {
    let Some(el) = el else { return };
    if busy {
        let _ = el.set_attribute("disabled", "");
        let _ = el.set_attribute("aria-busy", "true");
        if let Some(label) = el.get_attribute("data-busy-label") {
            let _ = el.set_attribute("data-idle-label", &el.inner_text());
            el.set_inner_text(&label);
        }
    } else {
        let _ = el.remove_attribute("disabled");
        let _ = el.remove_attribute("aria-busy");
        if let Some(label) = el.get_attribute("data-idle-label") {
            el.set_inner_text(&label);
        }
    }
}
