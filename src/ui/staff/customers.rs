//! `/staff/customers`: find a customer by name, business name, phone in any format, email or
//! a request's reference; and, on a card, the other cards that are likely the same person,
//! with a checked merge. A plain GET form: works the same without JavaScript.
use super::{board::Tags, staff_page};
use crate::{
    api::customers::{customer_search, CustomerMerge},
    model::customer::{CustomerHit, CustomerSearchView},
    ui::components::{clock::TimeAgo, errors::ActionAlert},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let found = Resource::new(q, customer_search);
    view! {
        <Title text="Customers — staff" />
        {staff_page(
            found,
            move |_, v: CustomerSearchView| {
                let none = v.searched && v.hits.is_empty();
                view! {
                    <section class="page staff customers">
                        <h1>"Customers"</h1>
                        <form
                            method="get"
                            action="/staff/customers"
                            class="search-form"
                            role="search"
                        >
                            <label for="customer_q">"Find a customer"</label>
                            <p class="hint" id="customer_q_hint">
                                "Name, business, phone (any format), email or a reference like CR-7K3Q9X."
                            </p>
                            <input
                                id="customer_q"
                                name="q"
                                type="search"
                                value=v.q.clone()
                                aria-describedby="customer_q_hint"
                                autocomplete="off"
                            />
                            <button type="submit" class="button primary">
                                "Search"
                            </button>
                        </form>
                        {none
                            .then(|| {
                                view! {
                                    <p class="notice" role="status">
                                        {format!("No customer matches “{}”.", v.q)}
                                    </p>
                                }
                            })}
                        <HitList hits=v.hits />
                    </section>
                }
            },
        )}
    }
}

#[component]
fn HitList(hits: Vec<CustomerHit>) -> impl IntoView {
    view! {
        <ul class="customer-hits">
            {hits
                .into_iter()
                .map(|h| {
                    view! {
                        <li>
                            <Hit h />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Hit(h: CustomerHit) -> impl IntoView {
    let contact = [h.phone.clone(), h.email.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <p class="hit-name">
            <a href=format!("/staff/customers/{}", h.id)>{h.name.clone()}</a>
            {h
                .business_name
                .clone()
                .map(|b| view! { <span class="small">{format!(" · {b}")}</span> })}
        </p>
        <Tags tags=h.tags.clone() />
        <p class="small">{contact}</p>
        <p class="small">
            {format!("{} request{}", h.requests, if h.requests == 1 { "" } else { "s" })}
            {h
                .latest_reference
                .clone()
                .map(|r| {
                    view! {
                        " · latest "
                        <a href=format!("/staff/requests/{r}")>{r.clone()}</a>
                    }
                })}
            {h
                .latest_at
                .map(|at| {
                    view! {
                        " · "
                        <TimeAgo at />
                    }
                })}
        </p>
    }
}

/// Cards with the same phone number or email as this one, each with a merge that needs a
/// tick: the other card's requests, messages, files and history move here.
#[component]
pub fn Duplicates(id: String, duplicates: Vec<CustomerHit>) -> impl IntoView {
    let merge = ServerAction::<CustomerMerge>::new();
    if duplicates.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="room-section duplicates" id="duplicates">
            <h2>"Possibly the same person"</h2>
            <p class="hint">
                "These cards have the same phone number or email. Merging moves the other card's requests, messages, files and history here; it is recorded in the history."
            </p>
            <ul class="customer-hits">
                {duplicates
                    .into_iter()
                    .map(|h| {
                        let field = format!("confirm-{}", h.id);
                        let gone = h.id.to_string();
                        let keep = id.clone();
                        view! {
                            <li>
                                <Hit h />
                                <ActionForm action=merge attr:class="merge-form">
                                    <input type="hidden" name="id" value=keep />
                                    <input type="hidden" name="gone" value=gone />
                                    <p class="check">
                                        <input
                                            type="checkbox"
                                            id=field.clone()
                                            name="confirm"
                                            value="yes"
                                        />
                                        <label for=field>
                                            "I've checked: this is the same person"
                                        </label>
                                    </p>
                                    <button type="submit" class="button">
                                        "Merge into this card"
                                    </button>
                                </ActionForm>
                                <ActionAlert value=merge.value() />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
