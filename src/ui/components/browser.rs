//! Browser-only helpers. They are only called from event handlers and effects, which
//! never run during server rendering.
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{FormData, HtmlFormElement, ProgressEvent, XmlHttpRequest};

pub struct PostResult {
    /// 0 when the request never reached the server.
    pub status: u16,
    pub body: String,
}

/// Posts a form (files included) and reports upload progress from 0.0 to 1.0.
/// `fetch` can't report upload progress; XMLHttpRequest can.
pub fn post_form_with_progress(
    url: &str,
    form: &HtmlFormElement,
    on_progress: impl Fn(f64) + 'static,
    on_done: impl FnOnce(PostResult) + 'static,
) -> Result<(), String> {
    let data = FormData::new_with_form(form).map_err(|_| "Could not read the form".to_string())?;
    let xhr = XmlHttpRequest::new().map_err(|_| "This browser can't send the form".to_string())?;
    xhr.open_with_async("POST", url, true)
        .map_err(|_| "Could not start sending".to_string())?;
    let _ = xhr.set_request_header("Accept", "application/json");

    let progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress(e.loaded() / e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    progress.forget();

    let done_xhr = xhr.clone();
    let on_done = std::cell::RefCell::new(Some(on_done));
    let finish = Closure::<dyn Fn()>::new(move || {
        if let Some(cb) = on_done.borrow_mut().take() {
            cb(PostResult {
                status: done_xhr.status().unwrap_or(0),
                body: done_xhr.response_text().ok().flatten().unwrap_or_default(),
            });
        }
    });
    xhr.set_onloadend(Some(finish.as_ref().unchecked_ref()));
    finish.forget();
    xhr.send_with_opt_form_data(Some(&data))
        .map_err(|_| "Could not send the form".to_string())
}

/// The value of every named field in a form, as text (files are skipped).
pub fn form_text_fields(form: &HtmlFormElement) -> Vec<(String, String)> {
    let Ok(data) = FormData::new_with_form(form) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&data) {
        for entry in iter.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.push((k, v));
            }
        }
    }
    out
}

pub fn navigate_to(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(url);
    }
}
