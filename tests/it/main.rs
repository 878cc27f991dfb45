//! Televent's cross-crate integration tests, one binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod api;
mod bot;
mod caldav;
mod corpus;
mod fuzz_regressions;
mod hostile;
mod mailer;
mod store_contract;
mod telegram_notifier;
mod worker;
