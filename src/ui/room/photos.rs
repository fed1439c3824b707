//! The Add photos card: several at once from camera or gallery, with a progress bar per file.
use super::details::AttachmentGrid;
use crate::model::room::{Card, RoomView};
use leptos::prelude::*;

/// Add photos: several at once from camera or gallery. A plain multipart post without
/// JavaScript; with it (`data-photos`, `ui::enhance::photos`), big photos are shrunk first
/// and each file has its own progress bar and can be retried (the server recognises a
/// retry by its key).
#[component]
pub fn PhotosSection(view: RoomView) -> impl IntoView {
    let reference = view.request.reference.clone();
    let action_url = format!("/room/{reference}/photos");
    let form_key = view.form_key.to_string();
    view! {
        <section class="room-section" id="photos" data-region="photos">
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
                class="photo-form"
                data-photos
            >
                <input type="hidden" name="client_key" value=form_key />
                <label for="room-photos" class="file-label">
                    "Take or choose photos"
                </label>
                <input
                    id="room-photos"
                    type="file"
                    name="files"
                    multiple
                    accept="image/*,application/pdf"
                />
                <label for="photo-caption">"Caption (optional)"</label>
                <input
                    id="photo-caption"
                    type="text"
                    name="caption"
                    maxlength="200"
                    placeholder="e.g. under the kitchen sink"
                />
                <button type="submit" class="button primary big">
                    "Upload photos"
                </button>
            </form>
            <ul
                class="uploads"
                id="photo-uploads"
                aria-live="polite"
                data-upload-list
                data-keep
            ></ul>
            <AttachmentGrid attachments=view.request.attachments.clone() />
        </section>
    }
}
