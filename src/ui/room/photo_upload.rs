//! The browser side of adding photos: each chosen file is shrunk if it is a big photo, sent
//! on its own with its own progress, and retried with the same key after a dropped
//! connection so the server never stores it twice.
use super::reload::RoomReload;
use crate::ui::components::browser::{self, PostResult};
use leptos::prelude::*;

/// One file on its way up, as the customer sees it.
#[derive(Clone, PartialEq)]
pub struct Sending {
    pub name: String,
    pub progress: f64,
    pub error: Option<String>,
    pub done: bool,
}

/// Where a file's upload shows: its slot in the list of files being sent.
#[derive(Clone, Copy)]
pub struct Slot {
    pub sending: RwSignal<Vec<Sending>>,
    pub index: usize,
}

impl Slot {
    fn update(self, f: impl FnOnce(&mut Sending)) {
        self.sending.update(|s| {
            if let Some(x) = s.get_mut(self.index) {
                f(x)
            }
        });
    }
}

/// Sends one file (shrunk if it's a big photo), retrying on a dropped connection with the
/// same key so it is never stored twice.
pub fn upload_one(
    url: String,
    file: web_sys::File,
    file_key: String,
    caption: String,
    slot: Slot,
    reload: Option<RoomReload>,
) {
    leptos::task::spawn_local(async move {
        let blob: web_sys::Blob = match browser::shrink_photo(&file, 2048).await {
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
            let progress = move |p: f64| slot.update(|x| x.progress = p);
            if browser::post_data_with_progress(&url, &data, progress, tx).is_err() {
                break;
            }
            let res = rx.await;
            match res.status {
                200 => {
                    slot.update(|x| x.done = true);
                    if let Some(r) = reload {
                        r.0.run(());
                    }
                    return;
                }
                0 => {
                    slot.update(|x| {
                        x.error = Some(format!("Connection lost — retrying ({}/3)…", attempt + 1));
                    });
                    gloo_timers::future::TimeoutFuture::new(1500 * (attempt + 1)).await;
                }
                _ => {
                    let message = refusal_message(&res.body);
                    slot.update(|x| x.error = Some(message));
                    return;
                }
            }
        }
        slot.update(|x| {
            x.error = Some("Couldn't upload — check your connection and choose the photo again. Nothing will be added twice.".into());
        });
    });
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

/// A one-shot callback/future pair without pulling in another crate.
fn futures_channel() -> (
    impl FnOnce(PostResult),
    impl std::future::Future<Output = PostResult>,
) {
    use std::{cell::RefCell, rc::Rc};
    let slot: Rc<RefCell<(Option<PostResult>, Option<std::task::Waker>)>> =
        Rc::new(RefCell::new((None, None)));
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
