//! Bytes in, calendar object resources out: grouping by UID, validation, and splitting an
//! import into one resource per UID.
//!
//! Two doors use it. A CalDAV PUT stores exactly the bytes it was sent, so it must hold one UID
//! ([`ingest_resource`]). An import may hold anything a calendar app exports, so it is split into
//! one new resource per UID ([`split_import`]); each resource copies its components' lines
//! verbatim with the VTIMEZONEs they use.

use std::collections::BTreeMap;

use crate::component::{ComponentKind, ObjectComponent};
use crate::etag::ETag;
use crate::ical::{Component, Document, Problem, Severity, parse_document};
use crate::object::CalendarObject;
use crate::recurrence::{TimeBounds, bounds};
use crate::tz::ZoneResolver;
use crate::uid::Uid;

/// What is wrong with a resource, in the terms of CalDAV preconditions (RFC 4791 section 5.3.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestErrorKind {
    /// `valid-calendar-data`: not readable as iCalendar.
    InvalidData,
    /// `valid-calendar-object-resource`: readable, but not one proper calendar object.
    InvalidObject,
    /// `supported-calendar-component`: only components Televent does not store (VJOURNAL, ...).
    UnsupportedComponent,
}

/// Why bytes were refused: the kind, the line, and a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", match self.line { 0 => self.message.clone(), line => format!("line {line}: {}", self.message) })]
pub struct IngestError {
    /// The CalDAV precondition this breaks.
    pub kind: IngestErrorKind,
    /// 1-based line, 0 when it concerns the whole input.
    pub line: u32,
    /// What is wrong, for a person.
    pub message: String,
}

impl IngestError {
    fn new(kind: IngestErrorKind, line: u32, message: impl Into<String>) -> Self {
        Self {
            kind,
            line,
            message: message.into(),
        }
    }
}

/// The searchable fields of a stored resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceIndex {
    /// VEVENT or VTODO.
    pub kind: ComponentKind,
    /// SUMMARY of the master (or first override).
    pub summary: Option<String>,
    /// Span of all occurrences, for time-range candidates.
    pub bounds: TimeBounds,
    /// True when the object has more than one instance.
    pub recurring: bool,
    /// True when the master's start is a DATE.
    pub all_day: bool,
}

/// A validated calendar object resource: the bytes to store and what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The one UID of the resource.
    pub uid: Uid,
    /// The bytes to store, exactly as sent for a PUT.
    pub bytes: Vec<u8>,
    /// BLAKE3 of `bytes`.
    pub etag: ETag,
    /// The parsed object.
    pub object: CalendarObject,
    /// The index derived from it.
    pub index: ResourceIndex,
    /// What was repaired or skipped while reading (never fatal ones).
    pub problems: Vec<Problem>,
}

/// A component of an import that was not stored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The UID, if the component had one.
    pub uid: Option<String>,
    /// The component name.
    pub component: String,
    /// 1-based line of its BEGIN.
    pub line: u32,
    /// Why it was not stored.
    pub reason: String,
}

/// An import split into resources.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportSplit {
    /// One resource per UID.
    pub resources: Vec<Resource>,
    /// What was left out, with reasons.
    pub rejected: Vec<Rejection>,
    /// Problems about the whole file.
    pub problems: Vec<Problem>,
}

/// One UID's components as found in a stream, before validation.
#[derive(Debug, Clone)]
pub struct FoundObject<'d> {
    /// The UID, or `None` for a component written without one.
    pub uid: Option<String>,
    /// The VCALENDAR the components came from.
    pub calendar: &'d Component,
    /// The raw components with their reading.
    pub components: Vec<(&'d Component, ObjectComponent)>,
}

/// A stream read and grouped by UID.
#[derive(Debug, Clone)]
pub struct ReadCalendar<'d> {
    /// Objects in order of first appearance.
    pub objects: Vec<FoundObject<'d>>,
    /// Components Televent does not store.
    pub unsupported: Vec<&'d Component>,
    /// All problems met.
    pub problems: Vec<Problem>,
}

/// What to do with a component whose UID and RECURRENCE-ID were seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicates {
    /// Keep the definition with the highest SEQUENCE, the later one on a tie (an import: iTIP
    /// streams repeat a REQUEST as a CANCEL, and a resource can hold only one).
    KeepHighestSequence,
    /// Group by UID within each VCALENDAR and keep the first definition there (an expansion of
    /// the file as written: a stream of iTIP messages is several calendars, each counted).
    FirstPerCalendar,
}

/// Reads a parsed document into UID groups. Components without a UID form a group each.
pub fn read_calendar(document: &Document, mut problems: Vec<Problem>, duplicates: Duplicates) -> ReadCalendar<'_> {
    let mut objects: Vec<FoundObject<'_>> = Vec::new();
    let mut by_uid: BTreeMap<String, usize> = BTreeMap::new();
    let mut unsupported = Vec::new();
    for calendar in &document.calendars {
        if duplicates == Duplicates::FirstPerCalendar {
            by_uid.clear();
        }
        let zones = ZoneResolver::from_calendar(calendar);
        for component in &calendar.children {
            if component.name == "VTIMEZONE" {
                continue;
            }
            let Some(read) = ObjectComponent::read(component, &zones, &mut problems) else {
                unsupported.push(component);
                continue;
            };
            let Some(uid) = read.uid.clone() else {
                objects.push(FoundObject {
                    uid: None,
                    calendar,
                    components: vec![(component, read)],
                });
                continue;
            };
            let Some(&index) = by_uid.get(&uid) else {
                by_uid.insert(uid.clone(), objects.len());
                objects.push(FoundObject {
                    uid: Some(uid),
                    calendar,
                    components: vec![(component, read)],
                });
                continue;
            };
            let Some(found) = objects.get_mut(index) else { continue };
            let rid = read.recurrence_id.as_ref().map(|r| r.time.local());
            let same = found
                .components
                .iter()
                .position(|(_, c)| c.recurrence_id.as_ref().map(|r| r.time.local()) == rid);
            match same {
                Some(position) => {
                    let Some(existing) = found.components.get_mut(position) else {
                        continue;
                    };
                    // A later VCALENDAR of an iTIP stream supersedes an earlier one at the same
                    // SEQUENCE; inside one VCALENDAR a repeated UID is a slip, and the first stands.
                    let later_message = !std::ptr::eq(found.calendar, calendar);
                    let keep_new = duplicates == Duplicates::KeepHighestSequence
                        && (read.sequence > existing.1.sequence
                            || (read.sequence == existing.1.sequence && later_message));
                    problems.push(Problem::skipped(
                        component.line,
                        format!(
                            "UID {uid} is defined again (also on line {}); only one definition is kept",
                            existing.0.line
                        ),
                    ));
                    if keep_new {
                        *existing = (component, read);
                        found.calendar = calendar;
                    }
                }
                None => found.components.push((component, read)),
            }
        }
    }
    ReadCalendar {
        objects,
        unsupported,
        problems,
    }
}

impl FoundObject<'_> {
    /// Assembles the object, or says why it cannot be one.
    pub fn to_object(&self) -> Result<CalendarObject, IngestError> {
        let uid = self.uid.clone().unwrap_or_default();
        let kind = self
            .components
            .first()
            .map(|(_, c)| c.kind)
            .unwrap_or(ComponentKind::Event);
        if let Some((raw, _)) = self.components.iter().find(|(_, c)| c.kind != kind) {
            return Err(IngestError::new(
                IngestErrorKind::InvalidObject,
                raw.line,
                format!(
                    "UID {uid} is used by a {} and a {}; one UID is one kind of component",
                    kind.as_str(),
                    raw.name
                ),
            ));
        }
        let mut master = None;
        let mut overrides = Vec::new();
        for (raw, component) in &self.components {
            if component.recurrence_id.is_some() {
                overrides.push(component.clone());
            } else if master.is_none() {
                master = Some(component.clone());
            } else {
                return Err(IngestError::new(
                    IngestErrorKind::InvalidObject,
                    raw.line,
                    "a second component without RECURRENCE-ID for the same UID",
                ));
            }
            if kind == ComponentKind::Event && component.start.is_none() {
                let has_method = self.calendar.property("METHOD").is_some();
                if !has_method || component.recurrence_id.is_none() {
                    return Err(IngestError::new(
                        IngestErrorKind::InvalidObject,
                        raw.line,
                        "VEVENT has no readable DTSTART; an event needs a start",
                    ));
                }
            }
        }
        Ok(CalendarObject {
            uid,
            kind,
            master,
            overrides,
        })
    }
}

/// Standard components a calendar of events and to-dos does not hold.
const REFUSED_COMPONENTS: &[&str] = &["VJOURNAL", "VFREEBUSY", "VAVAILABILITY", "VPOLL", "VALARM"];

fn first_fatal(problems: &[Problem]) -> Option<&Problem> {
    problems.iter().find(|p| p.severity == Severity::Fatal)
}

/// Validates bytes a client PUT as one calendar object resource. The bytes are kept as sent.
pub fn ingest_resource(bytes: &[u8]) -> Result<Resource, IngestError> {
    let (document, problems) = parse_document(bytes);
    if let Some(fatal) = first_fatal(&problems) {
        return Err(IngestError::new(
            IngestErrorKind::InvalidData,
            fatal.line,
            fatal.message.clone(),
        ));
    }
    if document.calendars.iter().all(|c| c.line == 0) {
        return Err(IngestError::new(
            IngestErrorKind::InvalidData,
            1,
            "the data holds no BEGIN:VCALENDAR",
        ));
    }
    if document.calendars.len() > 1 {
        return Err(IngestError::new(
            IngestErrorKind::InvalidObject,
            0,
            "a calendar object resource holds one VCALENDAR",
        ));
    }
    let read = read_calendar(&document, problems, Duplicates::KeepHighestSequence);
    // Standard components Televent does not keep are refused; experimental (X-) ones ride
    // along in the stored bytes untouched.
    if let Some(component) = read
        .unsupported
        .iter()
        .find(|c| REFUSED_COMPONENTS.contains(&c.name.as_str()))
    {
        return Err(IngestError::new(
            IngestErrorKind::UnsupportedComponent,
            component.line,
            format!("{} is not stored here: calendars hold VEVENT and VTODO", component.name),
        ));
    }
    let [found] = read.objects.as_slice() else {
        return Err(match read.objects.len() {
            0 => IngestError::new(
                IngestErrorKind::InvalidObject,
                0,
                "the calendar holds no VEVENT or VTODO",
            ),
            n => IngestError::new(
                IngestErrorKind::InvalidObject,
                0,
                format!("the calendar holds {n} UIDs; a resource holds one"),
            ),
        });
    };
    let Some(uid) = found.uid.as_deref().and_then(Uid::parse) else {
        let line = found.components.first().map_or(0, |(c, _)| c.line);
        return Err(IngestError::new(
            IngestErrorKind::InvalidObject,
            line,
            "the component has no UID",
        ));
    };
    let object = found.to_object()?;
    Ok(resource(uid, bytes.to_vec(), object, read.problems))
}

fn resource(uid: Uid, bytes: Vec<u8>, object: CalendarObject, problems: Vec<Problem>) -> Resource {
    let primary = object.primary();
    let index = ResourceIndex {
        kind: object.kind,
        summary: primary.and_then(|c| c.summary.clone()),
        bounds: bounds(&object),
        recurring: object.is_recurring(),
        all_day: primary.is_some_and(ObjectComponent::is_all_day),
    };
    Resource {
        uid,
        etag: ETag::of(&bytes),
        bytes,
        object,
        index,
        problems,
    }
}

/// Splits an import into one resource per UID. Components without a UID get one derived from
/// their content (so importing the same file twice finds the same UIDs).
pub fn split_import(bytes: &[u8]) -> ImportSplit {
    let (document, problems) = parse_document(bytes);
    let mut split = ImportSplit::default();
    if let Some(fatal) = first_fatal(&problems) {
        split.problems = problems.clone();
        split.rejected.push(Rejection {
            uid: None,
            component: "VCALENDAR".to_owned(),
            line: fatal.line,
            reason: fatal.message.clone(),
        });
        return split;
    }
    let read = read_calendar(&document, problems, Duplicates::KeepHighestSequence);
    for component in &read.unsupported {
        split.rejected.push(Rejection {
            uid: component.property("UID").map(|p| p.value.trim().to_owned()),
            component: component.name.clone(),
            line: component.line,
            reason: format!("{} is not stored here: calendars hold VEVENT and VTODO", component.name),
        });
    }
    for found in &read.objects {
        let (generated, uid) = match found.uid.as_deref().and_then(Uid::parse) {
            Some(uid) => (false, uid),
            None => (true, derived_uid(&document, found)),
        };
        let rejection = |reason: String, line: u32| Rejection {
            uid: Some(uid.to_string()),
            component: found
                .components
                .first()
                .map_or_else(String::new, |(c, _)| c.name.clone()),
            line,
            reason,
        };
        let mut object = match found.to_object() {
            Ok(object) => object,
            Err(error) => {
                split.rejected.push(rejection(error.message, error.line));
                continue;
            }
        };
        object.uid = uid.to_string();
        let bytes = assemble(&document, found, generated.then_some(&uid));
        // A resource an import stores must be one a client could PUT back (an iTIP message's
        // METHOD tolerates an override without DTSTART; a stored resource does not).
        if let Err(error) = ingest_resource(&bytes) {
            let line = found.components.first().map_or(0, |(component, _)| component.line);
            split.rejected.push(rejection(error.message.clone(), line));
            continue;
        }
        let line_problems = read
            .problems
            .iter()
            .filter(|p| {
                found
                    .components
                    .iter()
                    .any(|(c, _)| (c.line..=line_of(&document, c.last_line)).contains(&p.line))
            })
            .cloned()
            .collect();
        split.resources.push(resource(uid, bytes, object, line_problems));
    }
    split.problems = read.problems.into_iter().filter(|p| p.line == 0).collect();
    if split.resources.is_empty() && split.rejected.is_empty() {
        split.rejected.push(Rejection {
            uid: None,
            component: "VCALENDAR".to_owned(),
            line: document.calendars.first().map_or(1, |c| c.line.max(1)),
            reason: "the file holds no VEVENT or VTODO".to_owned(),
        });
    }
    split
}

fn line_of(document: &Document, index: usize) -> u32 {
    document.lines.get(index).map_or(u32::MAX, |l| l.line)
}

fn derived_uid(document: &Document, found: &FoundObject<'_>) -> Uid {
    let mut hasher = blake3::Hasher::new();
    for (component, _) in &found.components {
        for line in document
            .lines
            .get(component.first_line..=component.last_line)
            .unwrap_or_default()
        {
            hasher.update(line.text.as_bytes());
            hasher.update(b"\n");
        }
    }
    let hex = hasher.finalize().to_hex();
    Uid::generated(format!("televent-import-{}", hex.get(..32).unwrap_or_default()))
}

/// A new VCALENDAR holding the object's components and the VTIMEZONEs they name, lines copied
/// as read (line ends become CRLF).
fn assemble(document: &Document, found: &FoundObject<'_>, new_uid: Option<&Uid>) -> Vec<u8> {
    let mut out = String::from("BEGIN:VCALENDAR\r\n");
    let header = |name: &str| found.calendar.property(name).map(|p| p.value.trim().to_owned());
    out.push_str(&format!(
        "VERSION:{}\r\n",
        header("VERSION").unwrap_or_else(|| "2.0".to_owned())
    ));
    out.push_str(&format!(
        "PRODID:{}\r\n",
        header("PRODID").unwrap_or_else(|| "-//Televent//Televent import//EN".to_owned())
    ));
    if let Some(scale) = header("CALSCALE") {
        out.push_str(&format!("CALSCALE:{scale}\r\n"));
    }
    let used: Vec<String> = found.components.iter().flat_map(|(c, _)| tzids(c)).collect();
    for zone in found.calendar.children_named("VTIMEZONE") {
        if zone
            .property("TZID")
            .is_some_and(|p| used.iter().any(|u| *u == p.value.trim()))
        {
            copy_lines(document, zone, None, &mut out);
        }
    }
    for (component, _) in &found.components {
        copy_lines(document, component, new_uid, &mut out);
    }
    out.push_str("END:VCALENDAR\r\n");
    out.into_bytes()
}

fn tzids(component: &Component) -> Vec<String> {
    let mut found: Vec<String> = component
        .properties
        .iter()
        .filter_map(|p| p.param("TZID"))
        .map(|t| t.trim().trim_matches('"').to_owned())
        .collect();
    for child in &component.children {
        found.extend(tzids(child));
    }
    found
}

fn copy_lines(document: &Document, component: &Component, new_uid: Option<&Uid>, out: &mut String) {
    for (offset, line) in document
        .lines
        .get(component.first_line..=component.last_line)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if line.text.trim().is_empty() {
            continue;
        }
        out.push_str(&line.raw);
        out.push_str("\r\n");
        if offset == 0
            && let Some(uid) = new_uid
        {
            out.push_str(&format!("UID:{uid}\r\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\nSUMMARY:Hi\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn a_single_uid_resource_keeps_its_bytes() {
        let resource = ingest_resource(EVENT.as_bytes()).unwrap();
        assert_eq!(resource.bytes, EVENT.as_bytes());
        assert_eq!(resource.uid.as_str(), "a");
        assert_eq!(resource.index.summary.as_deref(), Some("Hi"));
        assert_eq!(resource.etag, ETag::of(EVENT.as_bytes()));
    }

    #[test]
    fn refusals_name_their_precondition() {
        let two = EVENT.replace(
            "END:VCALENDAR",
            "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR",
        );
        assert_eq!(
            ingest_resource(two.as_bytes()).unwrap_err().kind,
            IngestErrorKind::InvalidObject
        );
        let cut = EVENT.replace("END:VCALENDAR\r\n", "");
        let error = ingest_resource(cut.as_bytes()).unwrap_err();
        assert_eq!((error.kind, error.line), (IngestErrorKind::InvalidData, 1));
        let journal = EVENT.replace("VEVENT", "VJOURNAL");
        assert_eq!(
            ingest_resource(journal.as_bytes()).unwrap_err().kind,
            IngestErrorKind::UnsupportedComponent
        );
        let no_uid = EVENT.replace("UID:a\r\n", "");
        assert_eq!(
            ingest_resource(no_uid.as_bytes()).unwrap_err().message,
            "the component has no UID"
        );
        let no_start = EVENT.replace("DTSTART:20240101T100000Z\r\n", "");
        assert_eq!(
            ingest_resource(no_start.as_bytes()).unwrap_err().kind,
            IngestErrorKind::InvalidObject
        );
        assert_eq!(
            ingest_resource(b"hello").unwrap_err().kind,
            IngestErrorKind::InvalidData
        );
    }

    #[test]
    fn an_import_splits_per_uid_with_the_zones_it_needs() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTIMEZONE\nTZID:Custom\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=Custom:20240101T100000\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20240102T100000Z\nEND:VEVENT\nBEGIN:VJOURNAL\nUID:j\nEND:VJOURNAL\nEND:VCALENDAR\n";
        let split = split_import(text.as_bytes());
        assert_eq!(split.resources.len(), 2);
        let first = String::from_utf8(split.resources[0].bytes.clone()).unwrap();
        assert!(first.contains("TZID:Custom\r\n"), "{first}");
        let second = String::from_utf8(split.resources[1].bytes.clone()).unwrap();
        assert!(!second.contains("VTIMEZONE"));
        assert!(split.resources[1].uid.as_str().starts_with("televent-import-"));
        // Each split resource is itself a valid PUT body.
        for resource in &split.resources {
            assert_eq!(ingest_resource(&resource.bytes).unwrap().uid, resource.uid);
        }
        assert_eq!(split.rejected.len(), 1);
        assert_eq!(split.rejected[0].component, "VJOURNAL");
    }
}
