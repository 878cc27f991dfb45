//! [`EventFields`] written as a new calendar object resource.

use chrono::{DateTime, Utc};

use super::error::EditError;
use super::fields::EventFields;
use super::{lines, validate};
use crate::ical::write::fold_into;
use crate::uid::Uid;

/// `fields` as a new resource: one VCALENDAR with one VEVENT, CRLF line ends, lines folded at
/// 75 octets. Timed events get `TZID=` the IANA name (no VTIMEZONE, like quick add), all-day
/// ones `VALUE=DATE`; one DISPLAY VALARM per reminder; each attendee with their status
/// (`RSVP=TRUE` while it is `NEEDS-ACTION`); ORGANIZER only when `fields.organizer` is set.
///
/// The fields are checked first: a title, an end after the start, an RRULE Televent reads
/// completely (its UNTIL is put in the form the start asks for), reminders of at most four
/// weeks, e-mail addresses that look like ones, and a usable `uid`.
pub fn new_event(fields: &EventFields, uid: &str, dtstamp: DateTime<Utc>) -> Result<String, EditError> {
    let uid =
        Uid::parse(uid).ok_or_else(|| EditError::Invalid("the event needs a UID without line breaks".to_owned()))?;
    let title = validate::title(&fields.title)?;
    validate::when(&fields.when)?;
    let rrule = fields
        .recurrence
        .as_ref()
        .map(|r| validate::rrule(&r.rrule))
        .transpose()?;
    let reminders = validate::reminders(&fields.reminders)?;
    let organizer = fields.organizer.as_deref().map(validate::email).transpose()?;
    let mut attendees: Vec<(String, Option<&str>, String)> = Vec::with_capacity(fields.attendees.len());
    for attendee in &fields.attendees {
        let email = validate::email(&attendee.email)?;
        if attendees.iter().any(|(known, ..)| *known == email) {
            continue;
        }
        attendees.push((email, attendee.name.as_deref(), validate::partstat(&attendee.status)?));
    }

    let mut out = String::new();
    let mut line = |text: &str| fold_into(text, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Televent//Event//EN");
    line("BEGIN:VEVENT");
    line(&lines::text("UID", uid.as_str()));
    line(&lines::stamp("DTSTAMP", dtstamp));
    let (start, end) = lines::start_and_end(&fields.when);
    line(&start);
    line(&end);
    if let Some(rrule) = rrule {
        line(&format!(
            "RRULE:{}",
            lines::fit_until(&rrule, &lines::start_frame(&fields.when))
        ));
    }
    line(&lines::text("SUMMARY", &title));
    if let Some(location) = validate::optional_text(fields.location.as_deref()) {
        line(&lines::text("LOCATION", &location));
    }
    if let Some(description) = validate::optional_text(fields.description.as_deref()) {
        line(&lines::text("DESCRIPTION", &description));
    }
    if let Some(organizer) = organizer {
        line(&format!("ORGANIZER:mailto:{organizer}"));
    }
    for (email, name, status) in &attendees {
        line(&lines::attendee(email, *name, status));
    }
    for minutes in reminders {
        for text in lines::reminder(minutes, &title) {
            line(&text);
        }
    }
    line("END:VEVENT");
    line("END:VCALENDAR");
    Ok(out)
}
