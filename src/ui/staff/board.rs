//! `/staff/board`: the office's live job board. Columns by stage, cards that need someone
//! first, a filter form (a plain GET, so a filtered board is a link), and on each card a
//! "Move" form under the same rules as the request page. Live: `data-live="all"` refreshes
//! the board on every change, and `data-cue` calls out new and urgent requests.
use super::staff_page;
use crate::{
    api::{board::staff_board, staff_room::SetStatus},
    model::board::{BoardCard, BoardColumn, BoardFilter, BoardView, Flag},
    ui::components::{clock::TimeAgo, errors::ActionAlert},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn BoardPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            get("technician"),
            get("service"),
            get("flag"),
            get("q"),
            get("rejected"),
        )
    };
    let board = Resource::new(filter, |(t, s, f, q, r)| staff_board(t, s, f, q, r));
    view! {
        <Title text="Job board — staff" />
        {staff_page(board, |_, view| view! { <Board view /> })}
    }
}

#[component]
fn Board(view: BoardView) -> impl IntoView {
    let moved = ServerAction::<SetStatus>::new();
    let total: usize = view.columns.iter().map(|c| c.cards.len()).sum();
    let attention: usize = view
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .filter(|c| c.needs_attention())
        .count();
    let filtered = !view.filter.is_empty();
    view! {
        <section class="page staff board-page" data-live="all" data-cue="on">
            <h1>"Job board"</h1>
            <Filters filter=view.filter.clone() team=view.team.clone() services=view.services />
            <div data-region="board">
                <p class="small" role="status">
                    {format!(
                        "{total} request{} · {attention} need{} attention{}",
                        if total == 1 { "" } else { "s" },
                        if attention == 1 { "s" } else { "" },
                        if filtered { " (filtered)" } else { "" },
                    )}
                </p>
                <ActionAlert value=moved.value() />
                <div class="board">
                    {view
                        .columns
                        .into_iter()
                        .map(|column| view! { <Column column moved /> })
                        .collect_view()}
                </div>
            </div>
        </section>
    }
}

#[component]
fn Filters(filter: BoardFilter, team: Vec<(Uuid, String)>, services: Vec<String>) -> impl IntoView {
    let tech = filter.technician;
    let service = filter.service.clone();
    let flag = filter.flag;
    view! {
        <form method="get" action="/staff/board" class="board-filters" role="search">
            <span class="filter-search">
                <label for="board-q">"Search"</label>
                <input
                    id="board-q"
                    name="q"
                    type="search"
                    value=filter.search.clone()
                    placeholder="Reference, name, phone or email"
                    maxlength="254"
                />
            </span>
            <span>
                <label for="board-technician">"Technician"</label>
                <select id="board-technician" name="technician">
                    <option value="">"Anyone"</option>
                    {team
                        .into_iter()
                        .map(|(id, name)| {
                            view! {
                                <option value=id.to_string() selected=tech == Some(id)>
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
            <span>
                <label for="board-service">"Service"</label>
                <select id="board-service" name="service">
                    <option value="">"All services"</option>
                    {services
                        .into_iter()
                        .map(|s| {
                            let on = service.as_deref() == Some(s.as_str());
                            view! {
                                <option value=s.clone() selected=on>
                                    {s.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
            <span>
                <label for="board-flag">"Flag"</label>
                <select id="board-flag" name="flag">
                    <option value="">"Any"</option>
                    {Flag::ALL
                        .into_iter()
                        .map(|f| {
                            view! {
                                <option value=f.as_str() selected=flag == Some(f)>
                                    {f.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
            <label class="choice">
                <input type="checkbox" name="rejected" value="1" checked=filter.show_rejected />
                "Show rejected"
            </label>
            <span class="filter-actions">
                <button type="submit" class="button">
                    "Filter"
                </button>
                <a href="/staff/board">"Clear"</a>
            </span>
        </form>
    }
}

#[component]
fn Column(column: BoardColumn, moved: ServerAction<SetStatus>) -> impl IntoView {
    let heading = format!("col-{}", column.stage.as_str());
    let labelled_by = heading.clone();
    let count = column.cards.len();
    view! {
        <section class="board-col" aria-labelledby=labelled_by>
            <h2 id=heading>{column.stage.label()} " " <span class="count">{count}</span></h2>
            {if column.cards.is_empty() {
                view! { <p class="hint">"Nothing here."</p> }.into_any()
            } else {
                view! {
                    <ol class="cards">
                        {column
                            .cards
                            .into_iter()
                            .map(|card| view! { <Card card moved /> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Card(card: BoardCard, moved: ServerAction<SetStatus>) -> impl IntoView {
    let href = format!("/staff/requests/{}", card.reference);
    let moves = card.status.manual_moves();
    let field = format!("move-{}", card.reference);
    let reason = format!("reason-{}", card.reference);
    let anchor = format!("card-{}", card.reference);
    let data_reference = card.reference.clone();
    let attention = card.needs_attention();
    view! {
        <li class="board-card" class:attention=attention id=anchor data-reference=data_reference>
            <p class="card-head">
                <a href=href class="card-ref">
                    {card.reference.clone()}
                </a>
                " "
                <a href=format!("/staff/customers/{}", card.customer_id) class="card-customer">
                    {card.customer_name.clone()}
                </a>
            </p>
            <Tags tags=card.tags.clone() />
            <p class="small">
                {format!("{} · {} · ", card.service_type, card.suburb)}
                <TimeAgo at=card.created_at />
            </p>
            {(!card.flags.is_empty())
                .then(|| {
                    view! {
                        <ul class="flags" aria-label="Needs attention">
                            {card
                                .flags
                                .iter()
                                .map(|f| {
                                    view! {
                                        <li class=format!(
                                            "flag flag-{}",
                                            f.as_str(),
                                        )>{f.label()}</li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {card
                .technician
                .clone()
                .map(|t| view! { <p class="small">{format!("Technician: {t}")}</p> })}
            {(!moves.is_empty())
                .then(|| {
                    view! {
                        <details class="card-move">
                            <summary>{format!("Move {}", card.reference)}</summary>
                            <ActionForm action=moved attr:class="move-form">
                                <input
                                    type="hidden"
                                    name="reference"
                                    value=card.reference.clone()
                                />
                                <label for=field.clone()>"Move to"</label>
                                <select id=field name="status">
                                    {moves
                                        .iter()
                                        .map(|s| {
                                            view! {
                                                <option value=s.as_str()>{s.staff_label()}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <label for=reason
                                    .clone()>"Reason for the customer (to reject)"</label>
                                <input id=reason name="reason" type="text" maxlength="500" />
                                <button type="submit" class="button">
                                    "Move"
                                </button>
                            </ActionForm>
                        </details>
                    }
                })}
        </li>
    }
}

/// A customer's tags as chips (board cards, the inbox, the customer card).
#[component]
pub fn Tags(tags: Vec<String>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Tags">
                {tags.into_iter().map(|t| view! { <li class="tag">{t}</li> }).collect_view()}
            </ul>
        }
    })
}
