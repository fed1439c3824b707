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

/// A customer-facing page's frame: waits for the page's data and shows `body`, or the
/// error under a plain header (answered with its own status, see `ErrorPanel`).
pub fn customer_page<T, V>(
    data: Resource<Result<T, crate::model::AppError>>,
    loading: &'static str,
    body: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || {
            view! { <p class="loading">{loading}</p> }
        }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => body(v).into_any(),
                        Err(e) => {
                            view! {
                                <SiteHeader />
                                <section class="page narrow">
                                    <super::errors::ErrorPanel error=e />
                                </section>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}
