use crate::ui::components::errors::ActionAlert;
use crate::{
    api::room::GetHelp,
    model::{intake::TIME_WINDOWS, room::RoomView},
};
use leptos::prelude::*;

/// Get human help: call us now, or ask us to call you back. Flags the job for the office.
#[component]
pub fn HelpSection(view: RoomView) -> impl IntoView {
    let action = ServerAction::<GetHelp>::new();
    let tel = format!("tel:{}", view.business_phone.replace(' ', ""));
    let reference = view.request.reference.clone();
    view! {
        <section class="room-section" id="help" data-region="help">
            <h2>"Get human help"</h2>
            <p>
                <a class="button primary big" href=tel>
                    {format!("Call {} now", view.business_name)}
                </a>
            </p>
            <p class="hint">
                {format!(
                    "Mention your reference {} — or ask us to call you:",
                    view.request.reference,
                )}
            </p>
            {(!view.urgent)
                .then(|| {
                    view! {
                        <p class="promise">
                            {format!(
                                "Ask now and a person will call you back by {}.",
                                view.help_by,
                            )}
                        </p>
                    }
                })}
            {view
                .urgent
                .then(|| {
                    view! {
                        <p class="notice ok" role="status">
                            {match view.callback_window.as_deref() {
                                Some(w) => {
                                    format!(
                                        "We've flagged your request. We'll call you back by {} — you said {} suits you best.",
                                        view.help_by,
                                        crate::model::intake::time_window_label(w).to_lowercase(),
                                    )
                                }
                                None => {
                                    format!(
                                        "We've flagged your request. A person will contact you by {}.",
                                        view.help_by,
                                    )
                                }
                            }}
                        </p>
                    }
                })}
            <ActionForm action attr:class="help-form">
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="client_key" value=view.form_key.to_string() />
                <label for="callback_window">"Best time to call you back"</label>
                <select id="callback_window" name="callback_window">
                    {TIME_WINDOWS
                        .iter()
                        .map(|(k, l)| view! { <option value=*k>{*l}</option> })
                        .collect_view()}
                </select>
                <label for="help_note">"What do you need help with? (optional)"</label>
                <textarea id="help_note" name="note" rows="2"></textarea>
                <button type="submit" class="button big" disabled=move || action.pending().get()>
                    "Call me back"
                </button>
            </ActionForm>
            <ActionAlert value=action.value() />
        </section>
    }
}
