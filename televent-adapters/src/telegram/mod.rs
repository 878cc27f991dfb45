//! The Telegram door: delivery of notices through the Bot API (teloxide).

pub mod notifier;
