//! `/staff/customers/{id}`: the customer card. At a glance: who they are, tags, how they
//! reach us, one tap to call, text or email; then their requests, every message, and
//! everything done, newest first, paged. Plain forms; without JavaScript each comes back.
use super::{board::Tags, composer::WriteForm, customers::Duplicates, staff_page};
use crate::{
    api::customers::{staff_customer, CustomerCall, CustomerEdit, CustomerTag, CustomerUntag},
    model::customer::{
        ActivityEntry, CallOutcome, CommEntry, CustomerCard, Direction, TAG_SUGGESTIONS,
    },
    ui::components::{
        clock::TimeAgo,
        errors::{ActionAlert, SavedNotice},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params.read().get("id").unwrap_or_default();
        let page = query.read().get("page").and_then(|p| p.parse().ok());
        (id, page)
    };
    let card = Resource::new(key, |(id, page)| staff_customer(id, page));
    view! {
        <Title text="Customer — staff" />
        {staff_page(
            card,
            move |_, c: CustomerCard| {
                let pick = query.read_untracked().get("write");
                view! { <CardBody c pick /> }
            },
        )}
    }
}

#[component]
fn CardBody(c: CustomerCard, pick: Option<String>) -> impl IntoView {
    let id = c.id.to_string();
    let since = c.insights.customer_since.format("%b %Y").to_string();
    let most = c
        .insights
        .most_common
        .map_or("Not enough yet", |ch| ch.label());
    view! {
        <section class="page staff customer-card" data-live="all">
            <p>
                <a href="/staff/board">"← Job board"</a>
                " · "
                <a href="/staff/customers">"Find a customer"</a>
            </p>
            <h1>{c.name()}</h1>
            <SavedNotice
                flag="merged"
                text="Merged. Everything from the other card is on this one now."
            />
            {c.business_name.clone().map(|b| view! { <p class="business-name">{b}</p> })}
            <Tags tags=c.tags.clone() />
            <QuickActions c=c.clone() />
            <dl class="insights">
                <div>
                    <dt>"Customer since"</dt>
                    <dd>{since}</dd>
                </div>
                <div>
                    <dt>"Jobs completed"</dt>
                    <dd>{c.insights.jobs_completed}</dd>
                </div>
                <div>
                    <dt>"Most common channel"</dt>
                    <dd>{most}</dd>
                </div>
            </dl>
            {c
                .composer
                .clone()
                .map(|composer| {
                    view! {
                        <WriteForm
                            id=id.clone()
                            first_name=c.first_name.clone()
                            composer
                            key=c.form_key.clone()
                            pick=pick.clone()
                        />
                    }
                })}
            <CallForm id=id.clone() key=c.form_key.clone() />
            <Duplicates id=id.clone() duplicates=c.duplicates.clone() />
            <Requests c=c.clone() />
            <History c=c.clone() />
            <TagsForm id=id.clone() tags=c.tags.clone() />
            <DetailsForm c />
        </section>
    }
}

/// Call, text and email in one tap from the phone staff hold.
#[component]
fn QuickActions(c: CustomerCard) -> impl IntoView {
    view! {
        <p class="quick-actions">
            {c
                .phone
                .clone()
                .map(|p| {
                    view! {
                        <a class="button" href=format!("tel:{p}")>
                            {format!("Call {p}")}
                        </a>
                        <a class="button" href="?write=sms#write">
                            "Text"
                        </a>
                    }
                })}
            {c
                .email
                .clone()
                .map(|e| {
                    view! {
                        <a class="button" href="?write=email#write">
                            "Email"
                        </a>
                        <span class="small">{e}</span>
                    }
                })}
        </p>
    }
}

#[component]
fn CallForm(id: String, key: String) -> impl IntoView {
    let call = ServerAction::<CustomerCall>::new();
    view! {
        <section class="room-section" id="call">
            <h2>"Log a call"</h2>
            // One key per page view: a double tap or a retried post logs the call once.
            <ActionForm action=call attr:class="call-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="client_key" value=key />
                {CallOutcome::ALL
                    .into_iter()
                    .map(|o| {
                        view! {
                            <button type="submit" class="button" name="outcome" value=o.as_str()>
                                {o.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </ActionForm>
            <SavedNotice flag="call" text="Saved in the history." />
            <ActionAlert value=call.value() />
        </section>
    }
}

#[component]
fn Requests(c: CustomerCard) -> impl IntoView {
    view! {
        <section class="room-section" id="requests">
            <h2>"Requests, jobs and quotes"</h2>
            <ul class="plain-list">
                {c
                    .requests
                    .into_iter()
                    .map(|r| {
                        let extra = [r.job, r.quote].into_iter().flatten().collect::<Vec<_>>();
                        view! {
                            <li>
                                <a href=format!(
                                    "/staff/requests/{}",
                                    r.reference,
                                )>{format!("{} · {}", r.reference, r.service_type)}</a>
                                <span class="small">
                                    {format!(" · {}", r.status.staff_label())}
                                    {extra
                                        .into_iter()
                                        .map(|e| format!(" · {e}"))
                                        .collect::<String>()} " · " <TimeAgo at=r.created_at />
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn History(c: CustomerCard) -> impl IntoView {
    let id = c.id;
    let newer = (c.page > 0).then(|| format!("/staff/customers/{id}?page={}", c.page - 1));
    let older = c
        .more
        .then(|| format!("/staff/customers/{id}?page={}", c.page + 1));
    view! {
        <section class="room-section" id="messages">
            <h2>"Messages"</h2>
            {c.comms.is_empty().then(|| view! { <p class="hint">"No messages yet."</p> })}
            <ul class="history">
                {c.comms.into_iter().map(|m| view! { <CommItem m /> }).collect_view()}
            </ul>
        </section>
        <section class="room-section" id="activity">
            <h2>"Activity"</h2>
            <ul class="history">
                {c.activity.into_iter().map(|a| view! { <ActivityItem a /> }).collect_view()}
            </ul>
        </section>
        <nav class="pager" aria-label="History pages">
            {newer.map(|h| view! { <a href=h>"← Newer"</a> })}
            {older.map(|h| view! { <a href=h>"Older →"</a> })}
        </nav>
    }
}

#[component]
fn CommItem(m: CommEntry) -> impl IntoView {
    let way = match m.direction {
        Direction::FromCustomer => "From the customer",
        Direction::ToCustomer => "To the customer",
    };
    view! {
        <li class="history-item">
            <p class="small">
                <strong>{m.channel.label()}</strong>
                {format!(" · {way}")}
                {m.reference.map(|r| format!(" · {r}"))}
                " · "
                <TimeAgo at=m.at />
            </p>
            <p class="message-body">{m.text}</p>
        </li>
    }
}

#[component]
fn ActivityItem(a: ActivityEntry) -> impl IntoView {
    view! {
        <li class="history-item">
            <p>
                <strong>{a.who}</strong>
                {format!(": {}", a.what)}
            </p>
            <p class="small">{a.reference.map(|r| format!("{r} · "))} <TimeAgo at=a.at /></p>
        </li>
    }
}

#[component]
fn TagsForm(id: String, tags: Vec<String>) -> impl IntoView {
    let add = ServerAction::<CustomerTag>::new();
    let remove = ServerAction::<CustomerUntag>::new();
    let current = tags
        .into_iter()
        .map(|t| {
            let id = id.clone();
            view! {
                <li>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="tag" value=t.clone() />
                        <span class="tag">{t.clone()}</span>
                        " "
                        <button
                            type="submit"
                            class="button link"
                            aria-label=format!("Remove the tag {t}")
                        >
                            "Remove"
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="room-section" id="tags">
            <h2>"Tags"</h2>
            <ul class="plain-list">{current}</ul>
            <ActionForm action=add attr:class="stack">
                <input type="hidden" name="id" value=id />
                <label for="new-tag">"Add a tag"</label>
                <input id="new-tag" name="tag" list="tag-suggestions" maxlength="30" required />
                <datalist id="tag-suggestions">
                    {TAG_SUGGESTIONS
                        .into_iter()
                        .map(|t| view! { <option value=t></option> })
                        .collect_view()}
                </datalist>
                <button type="submit" class="button">
                    "Add tag"
                </button>
            </ActionForm>
            <ActionAlert value=add.value() />
            <ActionAlert value=remove.value() />
        </section>
    }
}

#[component]
fn DetailsForm(c: CustomerCard) -> impl IntoView {
    let save = ServerAction::<CustomerEdit>::new();
    let field =
        |id: &'static str, label: &'static str, value: Option<String>, kind: &'static str| {
            view! {
                <label for=id>{label}</label>
                <input id=id name=id type=kind value=value.unwrap_or_default() />
            }
        };
    view! {
        <section class="room-section" id="details">
            <h2>"Details"</h2>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="id" value=c.id.to_string() />
                {field("first_name", "First name", Some(c.first_name.clone()), "text")}
                {field("last_name", "Last name", Some(c.last_name.clone()), "text")}
                {field(
                    "business_name",
                    "Business name (optional)",
                    c.business_name.clone(),
                    "text",
                )}
                {field("phone", "Phone", c.phone.clone(), "tel")}
                {field("address", "Address", c.address.clone(), "text")}
                <button type="submit" class="button">
                    "Save details"
                </button>
            </ActionForm>
            <SavedNotice flag="details" />
            <ActionAlert value=save.value() />
        </section>
    }
}
