//! Reading a plain route's body: any extractor wrapped in [`Readable`] turns a body it cannot
//! read (broken percent-encoding, invalid UTF-8, a missing field, a wrong content type, a
//! broken multipart boundary) into the app's 400, with the same sentence a server function
//! gives, instead of the extractor's own wording.
use crate::{
    model::AppError,
    server::error::{accepts_html, json_response},
};
use axum::{
    extract::{FromRequest, Request},
    http::StatusCode,
    response::{IntoResponse, Response},
};

pub struct Readable<E>(pub E);

impl<S, E> FromRequest<S> for Readable<E>
where
    S: Send + Sync,
    E: FromRequest<S>,
    E::Rejection: std::fmt::Display,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let html = accepts_html(req.headers());
        match E::from_request(req, state).await {
            Ok(value) => Ok(Readable(value)),
            Err(rejection) => Err(unreadable(html, rejection)),
        }
    }
}

fn unreadable(html: bool, rejection: impl std::fmt::Display + IntoResponse) -> Response {
    let detail = rejection.to_string();
    let status = rejection.into_response().status();
    tracing::info!(%status, detail = %detail.chars().take(300).collect::<String>(), "unreadable body");
    let error = if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge(
            "That was more than we can take in one go. Please send less at once.".into(),
        )
    } else {
        AppError::BadRequest("the body could not be read".into())
    };
    if html {
        error.into_response()
    } else {
        json_response(error)
    }
}
