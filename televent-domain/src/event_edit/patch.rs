//! An [`EventPatch`] written into stored bytes, line by line (the approach of `crate::rsvp`).

use std::collections::{BTreeMap, HashMap};
use std::ops::RangeInclusive;

use chrono::{DateTime, Utc};

use super::error::EditError;
use super::fields::EventTime;
use super::read::{find_master, reminder_minutes};
use super::{lines, validate};
use crate::alarm::Alarm;
use crate::attendee::CalAddress;
use crate::component::ObjectComponent;
use crate::ical::content_line::parse_line;
use crate::ical::decode::LogicalLine;
use crate::ical::write::fold_into;
use crate::ical::{Component, Property, parse_document};
use crate::ingest::ingest_resource;
use crate::tz::ZoneResolver;

/// The fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventPatch {
    /// A new title (SUMMARY); must not be empty.
    pub title: Option<String>,
    /// New times (DTSTART and DTEND; a DURATION goes).
    pub when: Option<EventTime>,
    /// A new LOCATION; `Some(None)` (or an empty text) removes it.
    pub location: Option<Option<String>>,
    /// A new DESCRIPTION; `Some(None)` (or an empty text) removes it.
    pub description: Option<Option<String>>,
    /// A new RRULE value; `Some(None)` removes the RRULE.
    pub recurrence: Option<Option<String>>,
    /// The reminders, minutes before the start: replace every reminder alarm.
    pub reminders: Option<Vec<u32>>,
    /// The attendees' e-mail addresses: who stays keeps their line, who is new is invited.
    pub attendees: Option<Vec<String>>,
}

/// Writes `patch` into the stored resource `bytes`. `Ok(None)` when the patch changes nothing
/// (every field already has the value asked for); otherwise the new resource text, CRLF.
///
/// Only the master VEVENT is edited, and in it only the lines of the patched fields:
///
/// - SUMMARY, LOCATION, DESCRIPTION: the line is replaced (TEXT-escaped, without the old
///   parameters), inserted, or removed. A changed LOCATION also drops
///   X-APPLE-STRUCTURED-LOCATION, a changed DESCRIPTION drops X-ALT-DESC: clients show those
///   before the plain value, and they would show the old one.
/// - `when`: DTSTART and DTEND are written (`TZID=` IANA name, or `VALUE=DATE`), DURATION
///   removed. Overrides (RECURRENCE-ID), EXDATEs and RDATEs are left as they are. An RRULE
///   whose UNTIL no longer fits the start (a date for a timed event, say) gets its UNTIL
///   rewritten.
/// - `recurrence`: the first RRULE is replaced (others removed) or all are removed; RDATE,
///   EXDATE and overrides stay.
/// - `reminders`: the reminder alarms (see the module docs) are removed and one DISPLAY VALARM
///   per minute value added; other VALARMs stay.
/// - `attendees`: `mailto:` ATTENDEE lines of addresses still listed stay as written (with
///   their PARTSTAT), the others go, new addresses get `PARTSTAT=NEEDS-ACTION;RSVP=TRUE`.
///
/// When something changed, SEQUENCE goes up by one (`SEQUENCE:1` when there was none), and
/// DTSTAMP and LAST-MODIFIED become `now`. Every other line is copied as stored, folding
/// included (blank lines are dropped). The result is checked with
/// [`crate::ingest::ingest_resource`].
pub fn apply_patch(bytes: &[u8], patch: &EventPatch, now: DateTime<Utc>) -> Result<Option<String>, EditError> {
    let title = patch.title.as_deref().map(validate::title).transpose()?;
    if let Some(when) = &patch.when {
        validate::when(when)?;
    }
    let rrule = match &patch.recurrence {
        Some(Some(rule)) => Some(Some(validate::rrule(rule)?)),
        Some(None) => Some(None),
        None => None,
    };
    let reminders = patch.reminders.as_deref().map(validate::reminders).transpose()?;
    let attendees = patch.attendees.as_deref().map(validate::emails).transpose()?;

    ingest_resource(bytes).map_err(|e| EditError::Unreadable(e.to_string()))?;
    let (document, _) = parse_document(bytes);
    let (calendar, raw) = find_master(&document).ok_or(EditError::NoEvent)?;
    let zones = ZoneResolver::from_calendar(calendar);
    let master = ObjectComponent::read(raw, &zones, &mut Vec::new()).ok_or(EditError::NoEvent)?;
    let mut editor = Editor::new(&document.lines, raw);

    if let Some(title) = &title
        && master.summary.as_deref() != Some(title.as_str())
    {
        editor.set("SUMMARY", Some(lines::text("SUMMARY", title)));
    }
    if let Some(location) = &patch.location {
        let location = validate::optional_text(location.as_deref());
        if validate::optional_text(master.location.as_deref()) != location {
            editor.set("LOCATION", location.map(|l| lines::text("LOCATION", &l)));
            editor.set("X-APPLE-STRUCTURED-LOCATION", None);
        }
    }
    if let Some(description) = &patch.description {
        let description = validate::optional_text(description.as_deref());
        if validate::optional_text(master.description.as_deref()) != description {
            editor.set("DESCRIPTION", description.map(|d| lines::text("DESCRIPTION", &d)));
            editor.set("X-ALT-DESC", None);
        }
    }

    let frame = patch
        .when
        .as_ref()
        .map(lines::start_frame)
        .or_else(|| master.start.clone());
    if let Some(when) = &patch.when {
        let (start, end) = lines::start_and_end(when);
        editor.set("DTSTART", Some(start));
        let has_end = raw.property("DTEND").is_some();
        let end_changed = editor.set("DTEND", Some(end));
        if !has_end && end_changed {
            // `set` put it with the new properties; next to DTSTART reads better.
            editor.move_last_insert_after("DTSTART");
        }
        editor.set("DURATION", None);
    }
    match (&rrule, &frame) {
        (Some(Some(rule)), Some(frame)) => {
            editor.set("RRULE", Some(format!("RRULE:{}", lines::fit_until(rule, frame))));
        }
        (Some(Some(rule)), None) => {
            editor.set("RRULE", Some(format!("RRULE:{rule}")));
        }
        (Some(None), _) => {
            editor.set("RRULE", None);
        }
        (None, Some(frame)) if patch.when.is_some() => {
            for property in raw.properties_named("RRULE") {
                let fitted = lines::fit_until(&property.value, frame);
                if fitted != property.value {
                    editor.rewrite(property, format!("RRULE:{fitted}"));
                }
            }
        }
        (None, _) => {}
    }

    if let Some(wanted) = &reminders {
        let alarms: Vec<(&Component, u32)> = raw
            .children_named("VALARM")
            .filter_map(|c| Some((c, Alarm::from_component(c).as_ref().and_then(reminder_minutes)?)))
            .collect();
        let mut current: Vec<u32> = alarms.iter().map(|(_, m)| *m).collect();
        current.sort_unstable();
        current.dedup();
        if current != *wanted {
            for (alarm, _) in &alarms {
                editor.remove_range(alarm.first_line..=alarm.last_line);
            }
            let description = title.clone().or_else(|| master.summary.clone()).unwrap_or_default();
            for minutes in wanted {
                for text in lines::reminder(*minutes, &description) {
                    editor.insert_before_end(text);
                }
            }
        }
    }

    if let Some(wanted) = &attendees {
        let existing: Vec<(&Property, String)> = raw
            .properties_named("ATTENDEE")
            .filter_map(|p| Some((p, CalAddress::parse(&p.value)?.email()?.to_owned())))
            .collect();
        for (property, email) in &existing {
            if !wanted.contains(email) {
                editor.remove(property);
            }
        }
        let anchor = raw
            .properties_named("ATTENDEE")
            .last()
            .and_then(|p| editor.span(p))
            .map(|span| *span.end());
        for email in wanted {
            if existing.iter().any(|(_, known)| known == email) {
                continue;
            }
            let line = lines::attendee(email, None, "NEEDS-ACTION");
            match anchor {
                Some(index) => editor.insert_after(index, line),
                None => editor.insert_property(line),
            }
        }
    }

    if !editor.changed {
        return Ok(None);
    }
    let sequence = raw
        .property("SEQUENCE")
        .and_then(|p| p.value.trim().parse::<i64>().ok())
        .unwrap_or(0)
        .max(0)
        .saturating_add(1);
    editor.set("SEQUENCE", Some(format!("SEQUENCE:{sequence}")));
    editor.set("DTSTAMP", Some(lines::stamp("DTSTAMP", now)));
    editor.set("LAST-MODIFIED", Some(lines::stamp("LAST-MODIFIED", now)));
    let out = editor.render();
    ingest_resource(out.as_bytes())
        .map_err(|e| EditError::Invalid(format!("the changed event would not be valid calendar data: {e}")))?;
    Ok(Some(out))
}

/// Line edits on one component of a parsed document: replacements and insertions by logical
/// line index, rendered over the original lines.
struct Editor<'d> {
    lines: &'d [LogicalLine],
    /// Logical line index of each physical line number a logical line starts on.
    by_number: HashMap<u32, usize>,
    component: &'d Component,
    /// Lines written instead of the line at an index (none: the line is removed).
    replace: BTreeMap<usize, Vec<String>>,
    /// Lines written after the line at an index.
    after: BTreeMap<usize, Vec<String>>,
    /// Lines written just before the component's END, after every new property (new VALARMs).
    before_end: Vec<String>,
    /// Where the last `insert_property` put its line, for `move_last_insert_after`.
    last_insert: Option<(usize, usize)>,
    changed: bool,
}

impl<'d> Editor<'d> {
    fn new(lines: &'d [LogicalLine], component: &'d Component) -> Self {
        Self {
            lines,
            by_number: lines.iter().enumerate().map(|(index, l)| (l.line, index)).collect(),
            component,
            replace: BTreeMap::new(),
            after: BTreeMap::new(),
            before_end: Vec::new(),
            last_insert: None,
            changed: false,
        }
    }

    /// The logical lines `property` was read from: its own, and the lines the reader joined to
    /// it (quoted-printable soft breaks, text that lost its fold space).
    fn span(&self, property: &Property) -> Option<RangeInclusive<usize>> {
        let first = *self.by_number.get(&property.line)?;
        let line = self.lines.get(first)?;
        let mut last = first;
        let quoted_printable = property
            .param("ENCODING")
            .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"));
        if quoted_printable {
            let mut value = parse_line(&line.text, line.line).map(|p| p.value).unwrap_or_default();
            while value.ends_with('=') {
                let Some(next) = self.lines.get(last + 1) else { break };
                value.pop();
                value.push_str(&next.text);
                last += 1;
            }
        } else {
            while let Some(next) = self.lines.get(last + 1)
                && last + 1 < self.component.last_line
                && !next.text.trim().is_empty()
                && parse_line(&next.text, next.line).is_err()
            {
                last += 1;
            }
        }
        Some(first..=last)
    }

    /// The text of the logical line `property` starts on.
    fn text_of(&self, property: &Property) -> Option<&str> {
        let index = self.by_number.get(&property.line)?;
        self.lines.get(*index).map(|l| l.text.as_str())
    }

    /// Sets the property `name` to the one line `text`, or removes it (`None`): the first line
    /// is replaced, further ones removed, and a missing one inserted with the other new
    /// properties. Returns whether anything changed.
    fn set(&mut self, name: &str, text: Option<String>) -> bool {
        let component = self.component;
        let existing: Vec<&Property> = component.properties_named(name).collect();
        match (text, existing.as_slice()) {
            (None, []) => false,
            (Some(text), [only]) if self.text_of(only) == Some(text.as_str()) => false,
            (Some(text), []) => {
                self.insert_property(text);
                true
            }
            (text, [first, rest @ ..]) => {
                match text {
                    Some(text) => self.rewrite(first, text),
                    None => self.remove(first),
                }
                for property in rest {
                    self.remove(property);
                }
                true
            }
        }
    }

    fn rewrite(&mut self, property: &Property, text: String) {
        let Some(span) = self.span(property) else { return };
        let first = *span.start();
        self.remove_range(span);
        self.replace.insert(first, vec![text]);
    }

    fn remove(&mut self, property: &Property) {
        if let Some(span) = self.span(property) {
            self.remove_range(span);
        }
    }

    fn remove_range(&mut self, range: RangeInclusive<usize>) {
        for index in range {
            self.replace.insert(index, Vec::new());
        }
        self.changed = true;
    }

    fn insert_after(&mut self, index: usize, text: String) {
        self.after.entry(index).or_default().push(text);
        self.changed = true;
    }

    fn insert_before_end(&mut self, text: String) {
        self.before_end.push(text);
        self.changed = true;
    }

    /// Inserts a property line after the component's last property: before its first
    /// sub-component (properties come before VALARMs, RFC 5545 section 3.6.1), else before END.
    fn insert_property(&mut self, text: String) {
        let component = self.component;
        let end = component
            .children
            .iter()
            .map(|c| c.first_line)
            .min()
            .unwrap_or(component.last_line);
        let index = end.saturating_sub(1).max(component.first_line);
        let entry = self.after.entry(index).or_default();
        entry.push(text);
        self.last_insert = Some((index, entry.len() - 1));
        self.changed = true;
    }

    /// Moves the line the last `insert_property` added to just after property `name`.
    fn move_last_insert_after(&mut self, name: &str) {
        let component = self.component;
        let Some(anchor) = component.property(name).and_then(|p| self.span(p)) else {
            return;
        };
        let Some((index, position)) = self.last_insert.take() else {
            return;
        };
        let Some(entry) = self.after.get_mut(&index) else {
            return;
        };
        if position >= entry.len() {
            return;
        }
        let text = entry.remove(position);
        // Ahead of anything already queued after the anchor.
        self.after.entry(*anchor.end()).or_default().insert(0, text);
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for (index, line) in self.lines.iter().enumerate() {
            if index == self.component.last_line {
                self.before_end.iter().for_each(|t| fold_into(t, &mut out));
            }
            match self.replace.get(&index) {
                Some(texts) => texts.iter().for_each(|t| fold_into(t, &mut out)),
                None if line.text.trim().is_empty() => {}
                None => {
                    out.push_str(&line.raw);
                    out.push_str("\r\n");
                }
            }
            if let Some(texts) = self.after.get(&index) {
                texts.iter().for_each(|t| fold_into(t, &mut out));
            }
        }
        out
    }
}
