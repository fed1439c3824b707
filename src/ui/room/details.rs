use crate::{
    model::{
        intake::time_window_label,
        request::{AttachmentInfo, RequestDetail},
    },
    ui::intake::format_size,
};
use leptos::prelude::*;

/// The submitted details, exactly as the customer gave them.
#[component]
pub fn RequestDetails(request: RequestDetail) -> impl IntoView {
    let r = request;
    let when = match r.preferred_date {
        Some(d) => format!(
            "{} · {}",
            d.format("%a %e %b %Y"),
            time_window_label(&r.preferred_window)
        ),
        None => format!("Any day · {}", time_window_label(&r.preferred_window)),
    };
    let contact = [r.email.clone(), r.phone.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <dl class="details">
            <dt>"Name"</dt>
            <dd>{format!("{} {}", r.first_name, r.last_name)}</dd>
            <dt>"Contact"</dt>
            <dd>{contact}</dd>
            <dt>"Address"</dt>
            <dd>{format!("{}, {} {} {}", r.address_line, r.suburb, r.state, r.postcode)}</dd>
            <dt>"Service"</dt>
            <dd>{r.service_type.clone()}</dd>
            <dt>"Preferred time"</dt>
            <dd>{when}</dd>
            <dt>"Sent"</dt>
            <dd>{r.created_at.format("%e %b %Y, %H:%M UTC").to_string()}</dd>
            <dt>"Notes"</dt>
            <dd class="notes">
                {if r.notes.is_empty() { "—".to_string() } else { r.notes.clone() }}
            </dd>
        </dl>
    }
}

#[component]
pub fn AttachmentGrid(attachments: Vec<AttachmentInfo>) -> impl IntoView {
    if attachments.is_empty() {
        return view! { <p class="empty">"No photos or files yet."</p> }.into_any();
    }
    view! {
        <ul class="attachments">
            {attachments
                .into_iter()
                .map(|a| {
                    let label = format!("{} ({})", a.file_name, format_size(a.byte_size));
                    if a.is_image {
                        view! {
                            <li>
                                <a href=a.url() target="_blank" rel="noopener">
                                    <img
                                        src=a.thumb_url()
                                        alt=a.file_name.clone()
                                        loading="lazy"
                                        width="160"
                                        height="160"
                                    />
                                </a>
                                <span class="file-name">{label}</span>
                                {(!a.caption.is_empty())
                                    .then(|| {
                                        view! { <span class="caption">{a.caption.clone()}</span> }
                                    })}
                            </li>
                        }
                            .into_any()
                    } else {
                        view! {
                            <li class="doc">
                                <a href=a.url()>"📄 " {label}</a>
                            </li>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
