//! Invitees: `with anna@example.com`, `with anna@example.com and bob@example.com`, `with @bob`.
//! An e-mail address or a glued `@name` is an invitee anywhere in the message; `with` before a
//! list is taken with it.

use super::draft::DraftAttendee;
use super::lexer::Token;

fn word(tokens: &[Token], index: usize) -> &str {
    tokens.get(index).map_or("", |t| t.norm.as_str())
}

/// One invitee word: an e-mail address (`mailto:` and `<...>` allowed) or `@username`.
pub(crate) fn attendee(norm: &str) -> Option<DraftAttendee> {
    let text = norm.strip_prefix("mailto:").unwrap_or(norm);
    if let Some(name) = text.strip_prefix('@') {
        let valid = (1..=32).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        return valid.then(|| DraftAttendee::TelegramUser(name.to_owned()));
    }
    let (local, domain) = text.split_once('@')?;
    let allowed = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_+'%".contains(&b) || !b.is_ascii())
    };
    let valid = !local.is_empty()
        && allowed(local)
        && allowed(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.');
    valid.then(|| DraftAttendee::Email(text.to_owned()))
}

/// Invitees at the start of `tokens`, joined by `and`, `&` or commas, with an optional `with`
/// before them; and how many words they took.
pub(crate) fn parse_attendees(tokens: &[Token]) -> Option<(Vec<DraftAttendee>, usize)> {
    let mut used = usize::from(matches!(word(tokens, 0), "with" | "invite" | "inviting"));
    let mut found = vec![attendee(word(tokens, used))?];
    used += 1;
    loop {
        let joiner = usize::from(matches!(word(tokens, used), "and" | "&" | ","));
        let Some(next) = attendee(word(tokens, used + joiner)) else {
            break;
        };
        found.push(next);
        used += joiner + 1;
    }
    Some((found, used))
}
