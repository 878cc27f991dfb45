//! The bot's use cases that are not Telegram-specific: an account for a chat user, a zone from
//! a city name, quick add with the user's zone and clock, and the days of an agenda. The
//! Telegram door (`televent-adapters`' `telegram::bot`) calls these and only formats.
//!
//! Nothing here knows Telegram's types or holds conversation state.

mod account;
mod days;
mod drafts;
mod events;
mod zones;

pub use account::telegram_user_name;
pub use days::AgendaDay;
pub use events::EventRef;
pub use zones::{ZoneMatch, find_zone};
