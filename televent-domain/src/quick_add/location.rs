//! Places: `at Main St 5`, `@ Cafe Central`, `in Room 4`.
//!
//! `at` or a lone `@` followed by anything that is not a time starts a place (`at 9` is a
//! time). `in` starts a place only before a capitalised word that is not a month or weekday
//! (`in Room 4`, not `in 3 days` or `in the evening`). The place runs to the end of the
//! message or to the next word that starts another part: `for`, `with`, `every`, `from`,
//! `until`, `daily`..., or a date, a time or an invitee.

use super::attendees::attendee;
use super::dates::{month_name, parse_date, weekday_name};
use super::lexer::Token;
use super::recurrence::parse_repeat;
use super::times::parse_time;

const STOP_WORDS: &[&str] = &[
    "for",
    "with",
    "every",
    "each",
    "from",
    "until",
    "till",
    "between",
    "daily",
    "weekly",
    "fortnightly",
    "monthly",
    "yearly",
    "annually",
];

fn starts_another_part(tokens: &[Token], today: chrono::NaiveDate) -> bool {
    let Some(first) = tokens.first() else {
        return true;
    };
    STOP_WORDS.contains(&first.norm.as_str())
        || attendee(&first.norm).is_some()
        || parse_date(tokens, today).is_some()
        || parse_time(tokens).is_some()
        || parse_repeat(tokens).is_some()
}

/// A place at the start of `tokens`, and how many words it took.
pub(crate) fn parse_location(tokens: &[Token], today: chrono::NaiveDate) -> Option<(String, usize)> {
    let first = tokens.first()?;
    let second = tokens.get(1)?;
    match first.norm.as_str() {
        "at" | "@" => {}
        "in" if second.is_capitalised()
            && month_name(&second.norm).is_none()
            && weekday_name(&second.norm).is_none() => {}
        _ => return None,
    }
    let rest = tokens.get(1..)?;
    let length = (0..rest.len())
        .find(|&i| rest.get(i..).is_none_or(|tail| starts_another_part(tail, today)))
        .unwrap_or(rest.len());
    let words: Vec<&str> = rest.get(..length)?.iter().map(|t| t.raw.as_str()).collect();
    let place = words.join(" ");
    let place = place.trim_end_matches([',', ';', ':']).trim();
    (!place.is_empty()).then(|| (place.to_owned(), 1 + length))
}
