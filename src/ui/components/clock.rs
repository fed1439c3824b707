//! One shared clock, so "12 min ago" labels stay current without a reload.
use chrono::{DateTime, Utc};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Clock(pub RwSignal<DateTime<Utc>>);

pub fn provide_clock() {
    let now = RwSignal::new(Utc::now());
    // Effects run only in the browser; the app root lives as long as the page.
    Effect::new(move |_| {
        gloo_timers::callback::Interval::new(20_000, move || now.set(Utc::now())).forget();
    });
    provide_context(Clock(now));
}

/// A relative time that re-renders as the clock ticks.
#[component]
pub fn TimeAgo(at: DateTime<Utc>) -> impl IntoView {
    let clock = use_context::<Clock>()
        .map(|c| c.0)
        .unwrap_or_else(|| RwSignal::new(Utc::now()));
    let iso = at.to_rfc3339();
    let exact = at.format("%e %b %Y, %H:%M UTC").to_string();
    view! {
        <time datetime=iso title=exact>
            {move || crate::model::request::time_ago(at, clock.get())}
        </time>
    }
}
