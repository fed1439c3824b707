//! Every integration test, as one test binary: each file here is a module (`cargo test --test
//! it room_pages::` runs one). As thirty-three binaries each linked the whole server again
//! after any change (most of a warm `cargo test`'s build) and ran one after another, each
//! waiting on its slowest test; as one, a change links once and the tests share the threads.
//! A new file needs its `mod` line here (with `autotests = false` nothing else finds it).
#![cfg(feature = "ssr")]
mod common;

mod access;
mod board;
mod customer_card;
mod customer_search;
mod email_smtp;
mod hostile;
mod hostile_fields;
mod inbound_sms;
mod instances;
mod intake;
mod intake_privacy;
mod job_changes;
mod links;
mod live;
mod outbox;
mod outbox_page;
mod outbox_throughput;
mod promise;
mod proof;
mod quotes;
mod roles;
mod room;
mod room_pages;
mod room_uploads;
mod security;
mod sessions;
mod sms;
mod staff;
mod team;
mod technician_files;
mod templates;
mod uploads;
mod workflow;
