//! Each request's Leptos reactive owner stays its own.
//!
//! A page render (`leptos_integration_utils`) makes its owner with `Owner::new_root`, which
//! also makes it the worker thread's current owner, and nothing unsets it afterwards. The
//! static-file and server-function handlers of `leptos_axum` make theirs with `Owner::new()`,
//! a child of whatever owner is current on the thread, and a static file takes the
//! `ResponseOptions` it finds there. So a stylesheet or wasm file served on a thread where
//! someone else's page was still streaming went out with that page's response headers,
//! `Set-Cookie` included: an e2e trace caught a customer's browser receiving the office's
//! `cr_back=/staff/board` with the app's wasm (and then sending a no-JS form back to the
//! staff board). Every poll of a request here starts and ends with no current owner, so no
//! request can become the parent of another's.
use axum::{extract::Request, middleware::Next, response::Response};
use leptos::reactive::owner::Owner;
use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

/// Middleware, outermost: runs the rest of the stack inside [`Isolated`].
pub async fn isolate(req: Request, next: Next) -> Response {
    Isolated(Box::pin(next.run(req))).await
}

struct Isolated<F>(Pin<Box<F>>);

impl<F: Future> Future for Isolated<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        clear_current();
        let polled = self.0.as_mut().poll(cx);
        clear_current();
        polled
    }
}

fn clear_current() {
    if let Some(owner) = Owner::current() {
        owner.unset();
    }
}
