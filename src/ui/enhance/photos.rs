//! `form[data-photos]`: each chosen file is shrunk if it is a big photo, sent on its own
//! with its own progress bar, and retried with the same key after a dropped connection, so
//! the server never stores it twice. Without JavaScript the same form posts every file at
//! once.
use super::{
    dom::{document, window},
    swap,
};
use std::{cell::RefCell, rc::Rc};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, Element, File, FormData, HtmlFormElement, HtmlInputElement, ProgressEvent, XmlHttpRequest,
};

const GAVE_UP: &str = "Couldn't upload — check your connection and choose the photo again. Nothing will be added twice.";

/// Takes over the post when files were chosen (`false`: let the server explain that
/// nothing was chosen).
pub fn take_over(form: &HtmlFormElement) -> bool {
    let input = form
        .query_selector("input[type=file]")
        .ok()
        .flatten()
        .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
    let Some(input) = input else { return false };
    let Some(list) = input.files().filter(|l| l.length() > 0) else {
        return false;
    };
    let field = |name: &str| {
        form.query_selector(&format!("[name=\"{name}\"]"))
            .ok()
            .flatten()
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
    };
    let caption = field("caption").map(|c| c.value()).unwrap_or_default();
    let key = field("client_key").map(|c| c.value()).unwrap_or_default();
    let url = super::forms::action_of(form);
    let files: Vec<File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    input.set_value("");
    let stamp = js_sys::Date::now() as u64;
    for (i, file) in files.into_iter().enumerate() {
        let Some(row) = progress_row(form, &file.name()) else {
            continue;
        };
        // Unique per chosen file, the same for each retry of it.
        let file_key = format!("{key}:{stamp}:{i}:{}", file.name());
        let (url, caption) = (url.clone(), caption.clone());
        leptos::task::spawn_local(async move {
            if upload_one(&url, &file, &file_key, &caption, &row).await {
                row.remove();
                swap::refresh();
            }
        });
    }
    if let Some(c) = field("caption") {
        c.set_value("");
    }
    true
}

/// A row in the form's upload list (`[data-upload-list]`): the name and a progress bar.
fn progress_row(form: &HtmlFormElement, name: &str) -> Option<Element> {
    let doc = document();
    let list = form
        .parent_element()?
        .query_selector("[data-upload-list]")
        .ok()??;
    let row = doc.create_element("li").ok()?;
    row.set_class_name("upload");
    let label = doc.create_element("span").ok()?;
    label.set_class_name("file-name");
    label.set_text_content(Some(name));
    let bar = doc.create_element("progress").ok()?;
    let _ = bar.set_attribute("max", "100");
    let _ = bar.set_attribute("value", "0");
    let _ = row.append_with_node_1(&label);
    let _ = row.append_with_node_1(&bar);
    let _ = list.append_with_node_1(&row);
    Some(row)
}

fn show_progress(row: &Element, fraction: f64) {
    if let Ok(Some(bar)) = row.query_selector("progress") {
        let _ = bar.set_attribute("value", &format!("{}", (fraction * 100.0).round()));
    }
}

fn show_error(row: &Element, text: &str) {
    row.set_class_name("upload failed");
    let doc = document();
    let p = match row.query_selector(".field-error") {
        Ok(Some(p)) => p,
        _ => match doc.create_element("p") {
            Ok(p) => {
                p.set_class_name("field-error");
                let _ = row.append_with_node_1(&p);
                p
            }
            Err(_) => return,
        },
    };
    p.set_text_content(Some(text));
}

/// `true` once the server has the file.
async fn upload_one(url: &str, file: &File, key: &str, caption: &str, row: &Element) -> bool {
    let blob: Blob = match shrink_photo(file, 2048).await {
        Some(small) => small,
        None => file.clone().into(),
    };
    for attempt in 1..=3u32 {
        let Ok(data) = FormData::new() else {
            return false;
        };
        let _ = data.append_with_str("client_key", key);
        let _ = data.append_with_str("caption", caption);
        let _ = data.append_with_blob_and_filename("files", &blob, &file.name());
        let row_for_progress = row.clone();
        let (status, body) = post(url, &data, move |p| show_progress(&row_for_progress, p)).await;
        match status {
            200 => return true,
            0 => {
                show_error(row, &format!("Connection lost — retrying ({attempt}/3)…"));
                gloo_timers::future::TimeoutFuture::new(1500 * attempt).await;
            }
            _ => {
                show_error(row, &refusal_message(&body));
                return false;
            }
        }
    }
    show_error(row, GAVE_UP);
    false
}

/// The server's reasons for refusing a file, or a plain fallback.
fn refusal_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v["errors"].as_array().map(|a| {
                a.iter()
                    .filter_map(|e| e.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "We couldn't add this file. Please try again.".into())
}

/// Posts with upload progress (`fetch` can't report it; XMLHttpRequest can). Status 0:
/// the request never reached the server.
async fn post(url: &str, data: &FormData, on_progress: impl Fn(f64) + 'static) -> (u16, String) {
    let Ok(xhr) = XmlHttpRequest::new() else {
        return (0, String::new());
    };
    if xhr.open_with_async("POST", url, true).is_err() {
        return (0, String::new());
    }
    let _ = xhr.set_request_header("Accept", "application/json");
    let progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress(e.loaded() / e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done: Rc<RefCell<Option<js_sys::Function>>> = Rc::new(RefCell::new(None));
    let waiter = done.clone();
    let finished = js_sys::Promise::new(&mut move |resolve, _| {
        *waiter.borrow_mut() = Some(resolve);
    });
    let finish = Closure::<dyn Fn()>::new(move || {
        if let Some(resolve) = done.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    xhr.set_onloadend(Some(finish.as_ref().unchecked_ref()));
    if xhr.send_with_opt_form_data(Some(data)).is_err() {
        return (0, String::new());
    }
    let _ = JsFuture::from(finished).await;
    drop((progress, finish));
    (
        xhr.status().unwrap_or(0),
        xhr.response_text().ok().flatten().unwrap_or_default(),
    )
}

/// Shrinks a large photo to at most `max_side` pixels as a JPEG, to save mobile data.
/// `None` (send the original) for small images, non-images, or any failure.
async fn shrink_photo(file: &File, max_side: u32) -> Option<Blob> {
    let kind = file.type_();
    if !kind.starts_with("image/") || kind == "image/heic" || kind == "image/heif" {
        return None;
    }
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window().create_image_bitmap_with_blob(file).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let (w, h) = (bitmap.width(), bitmap.height());
    if w.max(h) <= max_side {
        return None;
    }
    let scale = f64::from(max_side) / f64::from(w.max(h));
    let (nw, nh) = (
        (f64::from(w) * scale).round(),
        (f64::from(h) * scale).round(),
    );
    let canvas: web_sys::HtmlCanvasElement =
        document().create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(nw as u32);
    canvas.set_height(nh as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, nw, nh)
        .ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let cb = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            cb.unchecked_ref(),
            "image/jpeg",
            &0.85.into(),
        );
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}
