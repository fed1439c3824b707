//! The Add photos card: several at once from camera or gallery, with a progress bar per file.
use super::{
    details::AttachmentGrid,
    photo_upload::{upload_one, Sending, Slot},
    reload::RoomReload,
};
use crate::model::room::{Card, RoomView};
use leptos::{ev::SubmitEvent, prelude::*};

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
    let form = PhotoForm {
        url: StoredValue::new(action_url.clone()),
        key: StoredValue::new(form_key.clone()),
        files_ref,
        caption_ref,
        sending,
        reload: use_context::<RoomReload>(),
    };
    view! {
        <section class="room-section" id="photos">
            <h2>"Add photos"</h2>
            {view
                .ask
                .clone()
                .filter(|_| view.recommended == Card::AddPhotos)
                .map(|a| view! { <p class="notice">{a}</p> })}
            <form
                method="post"
                action=action_url
                enctype="multipart/form-data"
                on:submit=move |ev| form.send_chosen(ev)
                class="photo-form"
            >
                <input type="hidden" name="client_key" value=form_key />
                <label for="room-photos" class="file-label">
                    "Take or choose photos"
                </label>
                <input
                    id="room-photos"
                    node_ref=files_ref
                    type="file"
                    name="files"
                    multiple
                    accept="image/*,application/pdf"
                />
                <label for="photo-caption">"Caption (optional)"</label>
                <input
                    id="photo-caption"
                    node_ref=caption_ref
                    type="text"
                    name="caption"
                    maxlength="200"
                    placeholder="e.g. under the kitchen sink"
                />
                <button type="submit" class="button primary big">
                    "Upload photos"
                </button>
            </form>
            <UploadList sending />
            <AttachmentGrid attachments=view.request.attachments.clone() />
        </section>
    }
}

/// The files still on their way up (or that failed), each with its progress.
#[component]
fn UploadList(sending: RwSignal<Vec<Sending>>) -> impl IntoView {
    view! {
        <ul class="uploads" aria-live="polite">
            {move || {
                sending
                    .get()
                    .into_iter()
                    .filter(|s| !s.done)
                    .map(|s| {
                        view! {
                            <li class="upload" class:failed=s.error.is_some()>
                                <span class="file-name">{s.name.clone()}</span>
                                <progress
                                    max="100"
                                    value=(s.progress * 100.0).round().to_string()
                                ></progress>
                                {s.error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// What the photo form needs to send its files itself; all handles, so `Copy`.
#[derive(Clone, Copy)]
struct PhotoForm {
    url: StoredValue<String>,
    key: StoredValue<String>,
    files_ref: NodeRef<leptos::html::Input>,
    caption_ref: NodeRef<leptos::html::Input>,
    sending: RwSignal<Vec<Sending>>,
    reload: Option<RoomReload>,
}

impl PhotoForm {
    /// Takes over the post when files were chosen: each goes up on its own.
    fn send_chosen(self, ev: SubmitEvent) {
        let Some(input) = self.files_ref.get_untracked() else {
            return;
        };
        let Some(list) = input.files() else { return };
        if list.length() == 0 {
            return; // let the server explain that nothing was chosen
        }
        ev.prevent_default();
        let caption = self
            .caption_ref
            .get_untracked()
            .map(|c| c.value())
            .unwrap_or_default();
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        let start = self.sending.with_untracked(Vec::len);
        self.sending.update(|s| {
            s.extend(files.iter().map(|f| Sending {
                name: f.name(),
                progress: 0.0,
                error: None,
                done: false,
            }))
        });
        input.set_value("");
        for (i, file) in files.into_iter().enumerate() {
            let index = start + i;
            let file_key = format!("{}:{}:{}", self.key.get_value(), index, file.name());
            let slot = Slot {
                sending: self.sending,
                index,
            };
            upload_one(
                self.url.get_value(),
                file,
                file_key,
                caption.clone(),
                slot,
                self.reload,
            );
        }
    }
}
