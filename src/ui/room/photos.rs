use super::{details::AttachmentGrid, reload::RoomReload};
use crate::model::room::RoomView;
use leptos::{ev::SubmitEvent, prelude::*};

/// One file on its way up, as the customer sees it.
#[derive(Clone, PartialEq)]
struct Sending {
    name: String,
    progress: f64,
    error: Option<String>,
    done: bool,
}

/// Add photos: several at once from camera or gallery. A plain multipart post without
/// JavaScript; with it, big photos are shrunk first and each file has its own progress
/// bar and can be retried (the server recognises a retry by its key).
#[component]
pub fn PhotosSection(view: RoomView) -> impl IntoView {
    let reference = view.request.reference.clone();
    let action_url = format!("/room/{reference}/photos");
    let form_key = view.form_key.to_string();
    let sending = RwSignal::new(Vec::<Sending>::new());
    let files_ref = NodeRef::<leptos::html::Input>::new();
    let caption_ref = NodeRef::<leptos::html::Input>::new();
    let reload = use_context::<RoomReload>();
    let url = StoredValue::new(action_url.clone());
    let key = StoredValue::new(form_key.clone());

    let on_submit = move |ev: SubmitEvent| {
        let Some(input) = files_ref.get_untracked() else {
            return;
        };
        let Some(list) = input.files() else { return };
        if list.length() == 0 {
            return; // let the server explain that nothing was chosen
        }
        ev.prevent_default();
        let caption = caption_ref
            .get_untracked()
            .map(|c| c.value())
            .unwrap_or_default();
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        let start = sending.with_untracked(Vec::len);
        sending.update(|s| {
            s.extend(files.iter().map(|f| Sending {
                name: f.name(),
                progress: 0.0,
                error: None,
                done: false,
            }))
        });
        input.set_value("");
        for (i, file) in files.into_iter().enumerate() {
            let slot = start + i;
            let file_key = format!("{}:{}:{}", key.get_value(), slot, file.name());
            upload_one(
                url.get_value(),
                file,
                file_key,
                caption.clone(),
                slot,
                sending,
                reload,
            );
        }
    };

    view! {
        <section class="room-section" id="photos">
            <h2>"Add photos"</h2>
            {view.ask.clone().filter(|_| view.recommended == crate::model::room::Card::AddPhotos).map(|a| view! {
                <p class="notice">{a}</p>
            })}
            <form method="post" action=action_url enctype="multipart/form-data" on:submit=on_submit class="photo-form">
                <input type="hidden" name="client_key" value=form_key />
                <label for="room-photos" class="file-label">"Take or choose photos"</label>
                <input id="room-photos" node_ref=files_ref type="file" name="files" multiple accept="image/*,application/pdf" />
                <label for="photo-caption">"Caption (optional)"</label>
                <input id="photo-caption" node_ref=caption_ref type="text" name="caption" maxlength="200" placeholder="e.g. under the kitchen sink" />
                <button type="submit" class="button primary big">"Upload photos"</button>
            </form>
            <ul class="uploads" aria-live="polite">
                {move || {
                    sending
                        .get()
                        .into_iter()
                        .enumerate()
                        .filter(|(_, s)| !s.done)
                        .map(|(_, s)| {
                            view! {
                                <li class="upload" class:failed=s.error.is_some()>
                                    <span class="file-name">{s.name.clone()}</span>
                                    <progress max="100" value=(s.progress * 100.0).round().to_string()></progress>
                                    {s.error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <AttachmentGrid attachments=view.request.attachments.clone() />
        </section>
    }
}

/// Sends one file (shrunk if it's a big photo), retrying on a dropped connection with the
/// same key so it is never stored twice.
fn upload_one(
    url: String,
    file: web_sys::File,
    file_key: String,
    caption: String,
    slot: usize,
    sending: RwSignal<Vec<Sending>>,
    reload: Option<RoomReload>,
) {
    leptos::task::spawn_local(async move {
        let blob: web_sys::Blob =
            match crate::ui::components::browser::shrink_photo(&file, 2048).await {
                Some(small) => small,
                None => file.clone().into(),
            };
        for attempt in 0..3u32 {
            let Ok(data) = web_sys::FormData::new() else {
                return;
            };
            let name = file.name();
            let _ = data.append_with_str("client_key", &file_key);
            let _ = data.append_with_str("caption", &caption);
            let _ = data.append_with_blob_and_filename("files", &blob, &name);
            let (tx, rx) = futures_channel();
            let progress = move |p: f64| {
                sending.update(|s| {
                    if let Some(x) = s.get_mut(slot) {
                        x.progress = p
                    }
                })
            };
            if crate::ui::components::browser::post_data_with_progress(
                &url,
                &data,
                progress,
                move |r| tx(r),
            )
            .is_err()
            {
                break;
            }
            let res = rx.await;
            match res.status {
                200 => {
                    sending.update(|s| {
                        if let Some(x) = s.get_mut(slot) {
                            x.done = true
                        }
                    });
                    if let Some(r) = reload {
                        r.0.run(());
                    }
                    return;
                }
                0 => {
                    sending.update(|s| {
                        if let Some(x) = s.get_mut(slot) {
                            x.error =
                                Some(format!("Connection lost — retrying ({}/3)…", attempt + 1));
                        }
                    });
                    gloo_timers::future::TimeoutFuture::new(1500 * (attempt + 1)).await;
                }
                _ => {
                    let message = serde_json::from_str::<serde_json::Value>(&res.body)
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
                        .unwrap_or_else(|| "We couldn't add this file. Please try again.".into());
                    sending.update(|s| {
                        if let Some(x) = s.get_mut(slot) {
                            x.error = Some(message)
                        }
                    });
                    return;
                }
            }
        }
        sending.update(|s| if let Some(x) = s.get_mut(slot) {
            x.error = Some("Couldn't upload — check your connection and choose the photo again. Nothing will be added twice.".into());
        });
    });
}

/// A one-shot callback/future pair without pulling in another crate.
fn futures_channel() -> (
    impl FnOnce(crate::ui::components::browser::PostResult),
    impl std::future::Future<Output = crate::ui::components::browser::PostResult>,
) {
    use std::{cell::RefCell, rc::Rc};
    let slot: Rc<
        RefCell<(
            Option<crate::ui::components::browser::PostResult>,
            Option<std::task::Waker>,
        )>,
    > = Rc::new(RefCell::new((None, None)));
    let tx_slot = slot.clone();
    let tx = move |r| {
        let mut s = tx_slot.borrow_mut();
        s.0 = Some(r);
        if let Some(w) = s.1.take() {
            w.wake();
        }
    };
    let rx = std::future::poll_fn(move |cx| {
        let mut s = slot.borrow_mut();
        match s.0.take() {
            Some(r) => std::task::Poll::Ready(r),
            None => {
                s.1 = Some(cx.waker().clone());
                std::task::Poll::Pending
            }
        }
    });
    (tx, rx)
}
