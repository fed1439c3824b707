use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// The one error type the browser sees. Each variant reads as a sentence a customer
/// or staff member can act on; details stay in the server log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(String),
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("This page isn't available to you. If you think that's wrong, ask us for a new link.")]
    Forbidden,
    #[error("We couldn't find that.")]
    NotFound,
    #[error("Too many attempts. Please wait a few minutes and try again.")]
    RateLimited,
    #[error("That email and password don't match an account.")]
    BadCredentials,
    #[error("This link has expired or was already used.")]
    LinkExpired,
    #[error("Something went wrong on our side. Nothing you entered was lost — please try again.")]
    Internal,
    #[error("We couldn't reach the server. Check your connection and try again.")]
    Network(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => AppError::Network(m),
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => AppError::Invalid(m),
            _ => AppError::Internal,
        }
    }
}
