use super::field::FieldError;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// The one error type the browser sees. Each variant reads as a sentence a customer
/// or staff member can act on, and carries its HTTP status (`status()`), so server
/// functions, plain routes and pages all answer with the same status for the same problem.
/// Details stay in the server log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A field or value that was understood but not acceptable (422).
    #[error("{0}")]
    Invalid(String),
    /// One input refused, with which input and why (422): the page shows the message
    /// (`to_string()`) beside the input `FieldError::field` names.
    #[error("{0}")]
    Field(FieldError),
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("This page isn't available to you. If you think that's wrong, ask us for a new link.")]
    Forbidden,
    /// Staff acting where only the customer may (a quote's approval is the customer's word).
    #[error("Only the customer can approve or decline a quote.")]
    CustomerOnly,
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
    /// A request we could not read at all: broken encoding, invalid UTF-8, a wrong type, a
    /// missing field, a number out of range (400). The text is a short, plain reason (serde's
    /// own wording names Rust types, so it stays in the server log); the sentence is fixed.
    #[error("We couldn't read that request. Please reload the page and try again.")]
    BadRequest(String),
    /// The action clashes with the current state, e.g. a quote that was already answered (409).
    #[error("{0}")]
    Conflict(String),
    /// A file or body over its limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// A state-changing request that came from another site (403).
    #[error("This form was sent from another website, so we didn't act on it. Please use the page on our site.")]
    CrossSite,
    /// A dependency (the database) is down for a moment (503).
    #[error("We're having trouble right now. Nothing you entered was lost — please try again in a minute.")]
    Unavailable,
}

impl AppError {
    /// The one mapping from meaning to HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::NotSignedIn | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::CustomerOnly | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::LinkExpired => 410,
            AppError::TooLarge(_) => 413,
            AppError::Invalid(_) | AppError::Field(_) => 422,
            AppError::RateLimited => 429,
            AppError::Internal => 500,
            AppError::Unavailable | AppError::Network(_) => 503,
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Field(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => AppError::Network(m),
            // Everything that means "the body could not be decoded into the arguments".
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(plain_args_error(&m)),
            _ => AppError::Internal,
        }
    }

    /// Called on the server when a server function fails: this is where its status is set
    /// (plain form posts keep the redirect back to the page, which shows the message).
    fn ser(&self) -> bytes::Bytes {
        #[cfg(feature = "ssr")]
        crate::server::error::set_server_fn_status(self);
        <Self::Encoder as server_fn::Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| bytes::Bytes::from_static(b"\"Internal\""))
    }
}

/// serde's messages name Rust types: the log gets them, the browser a plain reason.
fn plain_args_error(m: &str) -> String {
    #[cfg(feature = "ssr")]
    tracing::info!(detail = %m.chars().take(300).collect::<String>(), "unreadable request");
    let m = m.to_ascii_lowercase();
    let reason = if m.contains("missing") {
        "a field is missing"
    } else if m.contains("unknown field") {
        "it has a field we don't know"
    } else if m.contains("utf") || m.contains("encod") || m.contains("percent") {
        "its text isn't encoded the way a browser sends it"
    } else {
        "a field has the wrong kind of value"
    };
    reason.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::field::{Field, Reason};

    #[test]
    fn a_field_error_is_a_422_that_names_its_field_on_the_wire() {
        let e: AppError = FieldError::new(Field::Phone, Reason::NotAPhone).into();
        assert_eq!(e.status(), 422);
        assert_eq!(
            e.to_string(),
            "Please enter a phone number we can call or text, e.g. 0412 345 678."
        );
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, r#"{"Field":{"field":"Phone","reason":"NotAPhone"}}"#);
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), e);
    }

    #[test]
    fn an_unreadable_body_is_a_400_with_a_plain_sentence() {
        for err in [
            ServerFnErrorErr::Args("missing field `reference`".into()),
            ServerFnErrorErr::MissingArg("reference".into()),
            ServerFnErrorErr::Deserialization("invalid type: map, expected a string".into()),
            ServerFnErrorErr::Args("invalid utf-8 sequence of 1 bytes from index 0".into()),
        ] {
            let e = AppError::from_server_fn_error(err);
            assert_eq!(e.status(), 400);
            assert_eq!(
                e.to_string(),
                "We couldn't read that request. Please reload the page and try again."
            );
            let AppError::BadRequest(reason) = &e else {
                panic!("{e:?}")
            };
            assert!(
                !reason.contains('`') && !reason.contains("expected"),
                "{reason}"
            );
        }
    }
}
