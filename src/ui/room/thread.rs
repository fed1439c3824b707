use crate::ui::components::errors::ActionAlert;
use crate::{
    api::room::SendMessage,
    model::room::{RoomView, ThreadMessage},
    ui::components::clock::TimeAgo,
};
use leptos::prelude::*;

/// The messages themselves, newest at the bottom; shared with the staff page.
#[component]
pub fn Thread(messages: Vec<ThreadMessage>, #[prop(optional)] staff_view: bool) -> impl IntoView {
    if messages.is_empty() {
        let text = if staff_view {
            "No messages yet."
        } else {
            "No messages yet. Ask us anything — your request reference is attached automatically."
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    view! {
        <ol class="thread">
            {messages
                .into_iter()
                .map(|m| {
                    let who = if m.from_staff {
                        m.author.clone()
                    } else if staff_view {
                        format!("{} (customer)", m.author)
                    } else {
                        "You".to_string()
                    };
                    let changes = m
                        .quote_version
                        .map(|v| format!("Asked for changes to quote version {v}"));
                    let topic = match m.topic.as_str() {
                        _ if changes.is_some() => changes,
                        "quote" => Some("About the quote".to_string()),
                        "help" => Some("Asked for help".to_string()),
                        _ if m.by_text => Some("By text message".to_string()),
                        _ => None,
                    };
                    view! {
                        <li class="message" class:staff=m.from_staff class:customer=!m.from_staff>
                            <p class="message-meta">
                                <strong>{who}</strong>
                                " · "
                                <TimeAgo at=m.at />
                                {topic
                                    .map(|t| {
                                        view! {
                                            " · "
                                            <span class="topic">{t}</span>
                                        }
                                    })}
                            </p>
                            <p class="message-body">{m.body}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// Reply or add info: the thread plus a box to write in. With JavaScript the box warns
/// before anything sensitive is sent (`data-sensitive`, `ui::enhance::checks`).
#[component]
pub fn ThreadSection(view: RoomView) -> impl IntoView {
    let action = ServerAction::<SendMessage>::new();
    let reference = view.request.reference.clone();
    let key = format!("{}:thread", view.form_key);
    view! {
        <section class="room-section" id="thread" data-region="thread">
            <h2>"Reply or add info"</h2>
            <Thread messages=view.messages.clone() />
            <ActionForm action attr:class="message-form">
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="topic" value="general" />
                <input type="hidden" name="client_key" value=key />
                <label for="thread-body">"Your message"</label>
                <textarea id="thread-body" name="body" rows="3" required data-sensitive></textarea>
                <button type="submit" class="button primary big">
                    "Send message"
                </button>
            </ActionForm>
            <ActionAlert value=action.value() />
        </section>
    }
}
