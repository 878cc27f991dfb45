//! The Telegram door: delivery of notices through the Bot API (teloxide), and the bot that
//! receives updates (invitation answers; the conversational bot grows here).

pub mod bot;
pub mod notifier;
pub mod updates;
pub mod webhook;
