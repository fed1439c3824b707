use leptos::prelude::*;

/// The customer-facing page header.
#[component]
pub fn SiteHeader(#[prop(into, optional)] business: Option<String>) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                {business.unwrap_or_else(|| "Customer Room".to_string())}
            </a>
            <a class="header-link" href="/my-requests">
                "My requests"
            </a>
        </header>
    }
}

/// Shown wherever a customer might type something sensitive.
#[component]
pub fn SafetyLine() -> impl IntoView {
    view! {
        <p class="safety">
            "We will never ask for passwords, one-time codes, banking or card details. Don't share them here."
        </p>
    }
}
