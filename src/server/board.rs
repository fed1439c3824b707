//! Board service: the office's live job board — every request in its column, flagged for
//! what needs a person, narrowed by technician, service, flag or a search.
use crate::{
    model::{
        board::{sort_column, BoardCard, BoardColumn, BoardFilter, BoardView, Flag, Stage},
        room::QuoteStatus,
        search::{like_pattern, phone_digits},
        status::RequestStatus,
        AppError,
    },
    server::{
        config::Config,
        db::{self, board::BoardRow},
        promise,
        state::AppState,
    },
};

/// A search as a LIKE pattern and, when it looks like part of a phone number, its digits
/// (`model::search`): "0412 345 678", "+61 412 345 678" and "412345678" all find +61412345678.
fn search_terms(search: &str) -> (Option<String>, Option<String>) {
    let s = search.trim();
    if s.is_empty() {
        return (None, None);
    }
    (Some(like_pattern(s)), phone_digits(s))
}

fn flags(r: &BoardRow, config: &Config) -> Vec<Flag> {
    let decided = r.status == RequestStatus::Quoted;
    let past_promise = r.urgent && r.urgent_at.is_some_and(|at| promise::overdue(config, at));
    [
        (past_promise, Flag::PastPromise),
        (r.urgent, Flag::Urgent),
        (r.new_photos, Flag::NewPhotos),
        (r.unanswered, Flag::Question),
        (
            decided && r.quote_status == Some(QuoteStatus::Approved),
            Flag::QuoteApproved,
        ),
        (
            decided && r.quote_status == Some(QuoteStatus::Declined),
            Flag::QuoteDeclined,
        ),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect()
}

fn card(r: BoardRow, config: &Config) -> BoardCard {
    BoardCard {
        flags: flags(&r, config),
        stage: Stage::of(r.status, r.waiting),
        id: r.id,
        reference: r.reference,
        customer_name: r.customer_name,
        customer_id: r.customer_id,
        tags: r.tags,
        service_type: r.service_type,
        suburb: r.suburb,
        created_at: r.created_at,
        status: r.status,
        technician: r.technician,
    }
}

pub async fn board(state: &AppState, filter: BoardFilter) -> Result<BoardView, AppError> {
    let (like, phone) = search_terms(&filter.search);
    let query = db::board::BoardQuery {
        show_rejected: filter.show_rejected,
        technician: filter.technician,
        service: filter.service.as_deref(),
        like: like.as_deref(),
        phone_digits: phone.as_deref(),
    };
    let rows = db::board::read(&state.pool, &query).await?;
    let mut stages: Vec<Stage> = Stage::COLUMNS.to_vec();
    if filter.show_rejected {
        stages.push(Stage::Rejected);
    }
    let mut columns: Vec<BoardColumn> = stages
        .into_iter()
        .map(|stage| BoardColumn {
            stage,
            cards: Vec::new(),
        })
        .collect();
    for card in rows.into_iter().map(|r| card(r, &state.config)) {
        if filter.flag.is_some_and(|f| !card.flags.contains(&f)) {
            continue;
        }
        if let Some(col) = columns.iter_mut().find(|c| c.stage == card.stage) {
            col.cards.push(card);
        }
    }
    for col in &mut columns {
        sort_column(col.stage, &mut col.cards);
    }
    Ok(BoardView {
        columns,
        filter,
        team: db::staff::assignable(&state.pool).await?,
        services: state.config.service_types.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::search_terms;

    #[test]
    fn a_phone_in_any_format_searches_by_its_digits_and_wildcards_are_literal() {
        for typed in ["0412 345 678", "+61 412 345 678", "(04) 1234-5678"] {
            let (_, phone) = search_terms(typed);
            assert!(phone.is_some_and(|d| "61412345678".contains(&d)), "{typed}");
        }
        assert_eq!(search_terms("Jo Citizen").1, None);
        assert_eq!(search_terms("50%_off").0.as_deref(), Some("50\\%\\_off"));
        assert_eq!(search_terms("  "), (None, None));
    }
}
