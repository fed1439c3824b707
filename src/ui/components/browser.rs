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
    post_data_with_progress(url, &data, on_progress, on_done)
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

/// Posts already-built form data, reporting upload progress (see `post_form_with_progress`).
pub fn post_data_with_progress(
    url: &str,
    data: &FormData,
    on_progress: impl Fn(f64) + 'static,
    on_done: impl FnOnce(PostResult) + 'static,
) -> Result<(), String> {
    let xhr = XmlHttpRequest::new().map_err(|_| "This browser can't send files".to_string())?;
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
    xhr.send_with_opt_form_data(Some(data))
        .map_err(|_| "Could not send the file".to_string())
}

/// Shrinks a large photo to at most `max_side` pixels as a JPEG, to save mobile data.
/// Returns `None` (send the original) for small images, non-images, or any failure.
pub async fn shrink_photo(file: &web_sys::File, max_side: u32) -> Option<web_sys::Blob> {
    use wasm_bindgen_futures::JsFuture;
    if !file.type_().starts_with("image/")
        || file.type_() == "image/heic"
        || file.type_() == "image/heif"
    {
        return None;
    }
    let window = web_sys::window()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let (w, h) = (bitmap.width(), bitmap.height());
    if w.max(h) <= max_side {
        return None;
    }
    let scale = max_side as f64 / w.max(h) as f64;
    let (nw, nh) = ((w as f64 * scale).round(), (h as f64 * scale).round());
    let canvas: web_sys::HtmlCanvasElement = window
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(nw as u32);
    canvas.set_height(nh as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, nw, nh)
        .ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let cb = Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            cb.unchecked_ref(),
            "image/jpeg",
            &0.85.into(),
        );
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}
