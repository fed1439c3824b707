//! The office's live job board. The rules live in `server::board`.
use crate::model::{board::BoardView, AppError};
use leptos::prelude::*;

/// The board, narrowed by the filter form's fields (each may be empty): `technician` (a
/// staff id), `service`, `flag`, `q` (reference, name, phone or email) and `rejected`.
#[server(endpoint = "staff_board")]
pub async fn staff_board(
    #[server(default)] technician: String,
    #[server(default)] service: String,
    #[server(default)] flag: String,
    #[server(default)] q: String,
    #[server(default)] rejected: String,
) -> Result<BoardView, AppError> {
    use crate::model::{
        board::{BoardFilter, Flag},
        field::Field,
        text::{clean_field, TextKind},
    };
    super::ctx::require_staff().await?;
    let state = super::ctx::state()?;
    // Unknown choices narrow nothing rather than fail: a stale bookmark still opens the board.
    let filter = BoardFilter {
        technician: uuid::Uuid::parse_str(technician.trim()).ok(),
        service: state
            .config
            .service_types
            .iter()
            .find(|s| **s == service.trim())
            .cloned(),
        flag: Flag::parse(&flag),
        search: clean_field(Field::Search, &q, TextKind::Identifier)?,
        show_rejected: !rejected.trim().is_empty(),
    };
    crate::server::board::board(&state, filter).await
}
