//! The checks a field value passes before it is written; each failure says what to fix.

use super::error::EditError;
use super::fields::EventTime;
use crate::recurrence::rule::parse_rrule;

/// Longest reminder: four weeks, in minutes.
pub(super) const MAX_REMINDER_MINUTES: u32 = 4 * 7 * 24 * 60;

fn invalid(message: impl Into<String>) -> EditError {
    EditError::Invalid(message.into())
}

/// A title: not empty once trimmed; returned trimmed. Newlines are kept (they are escaped).
pub(super) fn title(text: &str) -> Result<String, EditError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("the title is empty"));
    }
    Ok(text.to_owned())
}

/// An optional free text (location, description): `None` when absent or only whitespace.
pub(super) fn optional_text(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).map(str::to_owned)
}

/// An end after its start.
pub(super) fn when(when: &EventTime) -> Result<(), EditError> {
    match when {
        EventTime::Timed { start, end, .. } if end <= start => Err(invalid("the end must be after the start")),
        EventTime::AllDay { start, end_exclusive } if end_exclusive <= start => {
            Err(invalid("the last day must not be before the first day"))
        }
        _ => Ok(()),
    }
}

/// An RRULE value (an `RRULE:` name in front is dropped) that Televent reads completely.
pub(super) fn rrule(text: &str) -> Result<String, EditError> {
    let mut text = text.trim();
    if let Some(head) = text.get(..6)
        && head.eq_ignore_ascii_case("RRULE:")
    {
        text = text.get(6..).unwrap_or_default().trim();
    }
    if text.is_empty() {
        return Err(invalid("the repetition rule is empty"));
    }
    if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(invalid(format!(
            "the repetition rule '{}' holds spaces or line breaks",
            text.escape_debug()
        )));
    }
    let (rule, issues) = parse_rrule(text);
    match (rule, issues.first()) {
        (Some(_), None) => Ok(text.to_owned()),
        (_, Some(issue)) => Err(invalid(format!("the repetition rule '{text}' is not valid: {issue}"))),
        (None, None) => Err(invalid(format!("the repetition rule '{text}' is not valid"))),
    }
}

/// Reminders sorted, without repeats, none longer than four weeks before the start.
pub(super) fn reminders(minutes: &[u32]) -> Result<Vec<u32>, EditError> {
    if let Some(too_long) = minutes.iter().find(|&&m| m > MAX_REMINDER_MINUTES) {
        return Err(invalid(format!(
            "a reminder {too_long} minutes before is too early; at most {MAX_REMINDER_MINUTES} minutes (4 weeks)"
        )));
    }
    let mut minutes = minutes.to_vec();
    minutes.sort_unstable();
    minutes.dedup();
    Ok(minutes)
}

/// An e-mail address (a `mailto:` in front is dropped), lower-cased: one `@` with something on
/// each side, a dot in the domain, and nothing that would break a content line.
pub(super) fn email(text: &str) -> Result<String, EditError> {
    let mut text = text.trim();
    if let Some(head) = text.get(..7)
        && head.eq_ignore_ascii_case("mailto:")
    {
        text = text.get(7..).unwrap_or_default().trim();
    }
    let refused =
        |c: char| c.is_whitespace() || c.is_control() || matches!(c, ':' | ';' | ',' | '"' | '<' | '>' | '\\');
    let well_formed = text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    });
    if !well_formed || text.chars().any(refused) || text.len() > 254 {
        return Err(invalid(format!("'{}' is not an e-mail address", text.escape_debug())));
    }
    Ok(text.to_lowercase())
}

/// E-mail addresses checked, lower-cased, repeats dropped, order kept.
pub(super) fn emails<S: AsRef<str>>(texts: &[S]) -> Result<Vec<String>, EditError> {
    let mut out: Vec<String> = Vec::with_capacity(texts.len());
    for text in texts {
        let email = email(text.as_ref())?;
        if !out.contains(&email) {
            out.push(email);
        }
    }
    Ok(out)
}

/// A PARTSTAT token: letters, digits and `-`, upper-cased; `NEEDS-ACTION` when empty.
pub(super) fn partstat(text: &str) -> Result<String, EditError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok("NEEDS-ACTION".to_owned());
    }
    if !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(invalid(format!("'{}' is not an attendee status", text.escape_debug())));
    }
    Ok(text.to_ascii_uppercase())
}
