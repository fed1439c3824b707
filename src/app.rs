use crate::ui::{
    access::{GetLinkPage, MyRequestsPage, SignedOutPage},
    enhance::Enhance,
    intake::{IntakePage, SubmittedPage},
    public::{GuidePage, ProofPage},
    room::RoomPage,
    staff::{
        BoardPage, CustomerPage, CustomersPage, ForgotPasswordPage, InboxPage, OutboxPage,
        ResetPasswordPage, StaffFeedbackPage, StaffListPage, StaffProofPage, StaffRequestPage,
        StaffSetupPage, StaffSignInPage, TeamPage, TemplatesPage, TodayPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use crate::server::http::{back, headers};
        headers::set_page_headers();
        if let Some(parts) = use_context::<axum::http::request::Parts>() {
            back::remember_page(parts.uri.path());
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0f5c4d" />
                <link rel="icon" href="/favicon.ico" sizes="32x32" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
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
    view! {
        <Stylesheet id="leptos" href="/pkg/customer-room.css" />
        <Title text="Customer Room" />
        <Router>
            <main>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") ssr=SsrMode::Async view=IntakePage />
                    <Route
                        path=path!("/submitted/:reference")
                        ssr=SsrMode::Async
                        view=SubmittedPage
                    />
                    <Route path=path!("/room/:reference") ssr=SsrMode::Async view=RoomPage />
                    <Route path=path!("/my-requests") ssr=SsrMode::Async view=MyRequestsPage />
                    <Route
                        path=path!("/link-expired")
                        ssr=SsrMode::Async
                        view=|| view! { <GetLinkPage expired=true /> }
                    />
                    <Route
                        path=path!("/get-link")
                        ssr=SsrMode::Async
                        view=|| view! { <GetLinkPage expired=false /> }
                    />
                    <Route path=path!("/signed-out") ssr=SsrMode::Async view=SignedOutPage />
                    <Route path=path!("/staff") ssr=SsrMode::Async view=StaffListPage />
                    <Route path=path!("/staff/board") ssr=SsrMode::Async view=BoardPage />
                    <Route path=path!("/staff/today") ssr=SsrMode::Async view=TodayPage />
                    <Route path=path!("/staff/sign-in") ssr=SsrMode::Async view=StaffSignInPage />
                    <Route path=path!("/staff/forgot") ssr=SsrMode::Async view=ForgotPasswordPage />
                    <Route
                        path=path!("/staff/reset/:token")
                        ssr=SsrMode::Async
                        view=ResetPasswordPage
                    />
                    <Route
                        path=path!("/staff/requests/:reference")
                        ssr=SsrMode::Async
                        view=StaffRequestPage
                    />
                    <Route path=path!("/staff/team") ssr=SsrMode::Async view=TeamPage />
                    <Route path=path!("/staff/outbox") ssr=SsrMode::Async view=OutboxPage />
                    <Route path=path!("/staff/inbox") ssr=SsrMode::Async view=InboxPage />
                    <Route path=path!("/staff/customers") ssr=SsrMode::Async view=CustomersPage />
                    <Route
                        path=path!("/staff/customers/:id")
                        ssr=SsrMode::Async
                        view=CustomerPage
                    />
                    <Route path=path!("/staff/templates") ssr=SsrMode::Async view=TemplatesPage />
                    <Route path=path!("/staff/proof") ssr=SsrMode::Async view=StaffProofPage />
                    <Route
                        path=path!("/staff/feedback")
                        ssr=SsrMode::Async
                        view=StaffFeedbackPage
                    />
                    <Route path=path!("/proof") ssr=SsrMode::Async view=ProofPage />
                    <Route path=path!("/guide") ssr=SsrMode::Async view=GuidePage />
                    <Route path=path!("/staff/setup") ssr=SsrMode::Async view=StaffSetupPage />
                </Routes>
            </main>
        </Router>
        <Enhance />
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
                <a class="button" href="/get-link">
                    "Get a new link to your request"
                </a>
            </p>
            <p>
                <a href="/">"Start a new request"</a>
            </p>
        </section>
    }
}
