//! Relative times ("12 min ago"), worked out when the server renders the page; a live
//! refresh (`ui::enhance`) renders them again.
use chrono::{DateTime, Utc};
use leptos::prelude::*;

#[component]
pub fn TimeAgo(at: DateTime<Utc>) -> impl IntoView {
    let iso = at.to_rfc3339();
    let exact = at.format("%e %b %Y, %H:%M UTC").to_string();
    view! {
        <time datetime=iso title=exact>
            {crate::model::request::time_ago(at, Utc::now())}
        </time>
    }
}
