//! The bot's side of the conversation: what it does with each update Telegram sends, however
//! the update arrived (long polling now, a webhook later). It never fails: every error becomes
//! a reply or a log line, and no reply shows an error's internals.
//!
//! In private chats it answers everything; in groups only `/command@<botusername>`.
//!
//! **Invariant:** the conversation state (drafts waiting for Save, a zone being asked for, the
//! event a title, time or invitees are being asked for)
//! lives in memory in the one process that polls the bot (`state`); a restart forgets it,
//! and old buttons then answer "This button is no longer in use.". A store-backed state
//! (needed for a webhook served by several processes) is future work.

mod agenda;
mod callback;
mod commands;
mod delete;
mod details;
mod devices;
mod export;
mod handler;
mod import;
mod invite;
mod onboarding;
mod quick_add;
mod rsvp;
mod settings;
mod state;
mod subscribe;
mod texts;
mod web;

pub use commands::register_commands;
pub use handler::{BotConfig, TeleventBot};
