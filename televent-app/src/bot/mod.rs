//! The bot's use cases that are not Telegram-specific: an account for a chat user, a zone from
//! a city name or a shared location, quick add with the user's zone and clock, the days of an
//! agenda, and an event's fields read, changed and its invitees added. The
//! Telegram door (`televent-adapters`' `telegram::bot`) calls these and only formats.
//!
//! Nothing here knows Telegram's types or holds conversation state.

mod account;
mod days;
mod drafts;
mod edits;
mod events;
mod organizer;
mod zone_places;
mod zones;

pub use account::telegram_user_name;
pub use days::AgendaDay;
pub use edits::{EventDetails, Invited};
pub use events::EventRef;
pub use zone_places::zone_near;
pub use zones::{ZoneMatch, find_zone};
