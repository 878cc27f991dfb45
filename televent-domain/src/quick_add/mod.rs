//! Quick add: a message typed to the Telegram bot ("Dentist tomorrow 15:30 for 1h at Main St
//! 5") read into an [`EventDraft`], and the draft written as iCalendar. Pure: no I/O, and `now`
//! is given by the caller.
//!
//! English, case-insensitive. The rules for what is ambiguous:
//!
//! - **Days** are counted from `now` in the user's zone. A weekday name (`Friday`, `on Friday`,
//!   `this Friday`) is the nearest such day from today on; today counts unless a time is given
//!   that has already passed today (then it is next week). `next Friday` is the nearest one
//!   after today. A day and month without a year (`24 Dec`, `24.12`, `24/12`, day first) is
//!   the next such date from today on, so on 25 Dec `24 Dec` is next year. `in 3 days`, `in 2
//!   weeks`, `in a month` count from today.
//! - **Times** with a colon, am/pm, `noon` or `midnight` are times anywhere; a bare number
//!   (`9`) only after `at`/`from`/`@` or as an end of a range (`10-11`). `at` before a number
//!   is always a time, so `at 10 Downing St` is 10:00. In a range, am/pm on the end applies to
//!   the start when that keeps the order (`3-4pm`), and an end before the start moves 12
//!   hours later when it can (`9-5` is 9:00–17:00) or else to the next day (`22:00-01:00`).
//! - **A time without a day** is today if it is still ahead, else tomorrow (`Call mom 9:00`
//!   at 10:00 is tomorrow 9:00). With a repetition the start is the first matching day from
//!   then on. A start exactly at `now` counts as passed.
//! - **Length**: `for 1h`, `for 90 min`, `for 1.5 hours`, `for 1h30`; one hour when only a
//!   start is given. `for 3 days` on a day without a time makes an all-day range.
//! - **All day**: a day without a time; ranges `24 Dec - 2 Jan` (the end is the first such
//!   date on or after the start, so it may be next year), `24-26 Dec`, `from Monday to
//!   Wednesday`, `24 Dec until 2 Jan`.
//! - **Repetition**: `every day`/`daily`, `every weekday`, `every week`/`weekly`, `every
//!   Monday and Thursday`, `every 2 weeks`, `every other week`, `every month`/`monthly`,
//!   `every year`/`yearly`, weekdays in the plural (`on Mondays`), with `until <day>`
//!   (inclusive). A weekly repetition on named days starts on the first such day on or after
//!   the given (or implied) day.
//! - **Place**: `at`/`@ ` followed by something that is not a time, or `in` before a
//!   capitalised word that is not a month or weekday (`in Room 4`; `in 3 days` is a day,
//!   `in the evening` stays in the title). It runs to the end or to the next part (a day, a
//!   time, an invitee, `for`, `with`, `every`, `from`, `until`...).
//! - **Invitees**: e-mail addresses and glued `@username`s anywhere, joined by `and`, `&` or
//!   commas, with an optional `with` before them (`@bob` is a Telegram user, `@ Cafe` a place).
//! - **Title**: the words no recogniser took, with loose joining words at the ends dropped.
//!   The first day, time, length, repetition and place win; a second one stays in the title.
//!   If only a place is left, it is the title too.
//! - **Zones and DST**: the draft holds wall-clock times in the zone of `now`; a time that
//!   does not exist there (spring forward) is resolved by the zone when the event is read.
//!
//! It must never panic, whatever the text: the bot feeds it whatever users type.

mod attendees;
mod dates;
mod draft;
mod error;
mod ics;
mod lexer;
mod location;
mod parser;
mod recurrence;
mod times;

#[cfg(test)]
mod tests;

pub use draft::{DraftAttendee, DraftRecurrence, DraftTime, EventDraft};
pub use error::QuickAddError;
pub use parser::parse_quick_add;
