use crate::ui::{
    access::{GetLinkPage, MyRequestsPage, SignedOutPage},
    components::clock::provide_clock,
    intake::{IntakePage, SubmittedPage},
    room::RoomPage,
    staff::{
        ForgotPasswordPage, ResetPasswordPage, StaffListPage, StaffRequestPage, StaffSignInPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0f5c4d" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_clock();
    view! {
        <Stylesheet id="leptos" href="/pkg/customer-room.css" />
        <Title text="Customer Room" />
        <Router>
            <main>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=IntakePage />
                    <Route path=path!("/submitted/:reference") view=SubmittedPage />
                    <Route path=path!("/room/:reference") view=RoomPage />
                    <Route path=path!("/my-requests") view=MyRequestsPage />
                    <Route path=path!("/link-expired") view=|| view! { <GetLinkPage expired=true /> } />
                    <Route path=path!("/get-link") view=|| view! { <GetLinkPage expired=false /> } />
                    <Route path=path!("/signed-out") view=SignedOutPage />
                    <Route path=path!("/staff") view=StaffListPage />
                    <Route path=path!("/staff/sign-in") view=StaffSignInPage />
                    <Route path=path!("/staff/forgot") view=ForgotPasswordPage />
                    <Route path=path!("/staff/reset/:token") view=ResetPasswordPage />
                    <Route path=path!("/staff/requests/:reference") view=StaffRequestPage />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="page narrow">
            <h1>"We couldn't find that page"</h1>
            <p>"If you followed a link from a message, it may be out of date."</p>
            <p>
                <a class="button" href="/get-link">"Get a new link to your request"</a>
            </p>
            <p>
                <a href="/">"Start a new request"</a>
            </p>
        </section>
    }
}
