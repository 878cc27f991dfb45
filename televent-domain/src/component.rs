//! One VEVENT or VTODO read into typed fields: the index of a calendar object resource.

use chrono::Duration;

use crate::alarm::Alarm;
use crate::attendee::{Attendee, Organizer};
use crate::ical::value::{parse_duration, split_list, unescape_text};
use crate::ical::{Component, Problem};
use crate::ical_time::{IcalTime, read_time, read_time_text};
use crate::recurrence::rule::{RecurRule, parse_rrule};
use crate::tz::ZoneResolver;

/// The kinds of calendar component a Televent calendar holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComponentKind {
    /// VEVENT
    Event,
    /// VTODO
    Todo,
}

impl ComponentKind {
    /// The iCalendar component name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Event => "VEVENT",
            Self::Todo => "VTODO",
        }
    }

    /// Reads a component name; `None` for components Televent does not store.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "VEVENT" => Some(Self::Event),
            "VTODO" => Some(Self::Todo),
            _ => None,
        }
    }
}

/// An RDATE value: a start, or a period with its own end.
#[derive(Debug, Clone, PartialEq)]
pub enum RDate {
    /// `RDATE:20240101T100000Z`
    Start(IcalTime),
    /// `RDATE;VALUE=PERIOD:start/end` or `start/duration`
    Period(IcalTime, IcalTime),
}

impl RDate {
    /// The start of the added instance.
    pub fn start(&self) -> &IcalTime {
        match self {
            Self::Start(start) | Self::Period(start, _) => start,
        }
    }
}

/// RECURRENCE-ID, with RANGE=THISANDFUTURE noted.
#[derive(Debug, Clone, PartialEq)]
pub struct RecurrenceId {
    /// The original start of the instance this component overrides.
    pub time: IcalTime,
    /// RANGE=THISANDFUTURE: the override also applies to later instances.
    pub this_and_future: bool,
}

/// A VEVENT or VTODO, read.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectComponent {
    /// VEVENT or VTODO.
    pub kind: ComponentKind,
    /// UID, if present.
    pub uid: Option<String>,
    /// SUMMARY
    pub summary: Option<String>,
    /// LOCATION
    pub location: Option<String>,
    /// DESCRIPTION
    pub description: Option<String>,
    /// DTSTART
    pub start: Option<IcalTime>,
    /// DTEND for events, DUE for to-dos.
    pub end: Option<IcalTime>,
    /// DURATION
    pub duration: Option<Duration>,
    /// STATUS, upper-cased.
    pub status: Option<String>,
    /// SEQUENCE (0 when absent).
    pub sequence: i64,
    /// TRANSP:TRANSPARENT (does not block time).
    pub transparent: bool,
    /// RRULE properties (clients occasionally write more than one).
    pub rrules: Vec<RecurRule>,
    /// EXRULE properties (deprecated, still read).
    pub exrules: Vec<RecurRule>,
    /// RDATE values.
    pub rdates: Vec<RDate>,
    /// EXDATE values.
    pub exdates: Vec<IcalTime>,
    /// RECURRENCE-ID, for overrides.
    pub recurrence_id: Option<RecurrenceId>,
    /// ORGANIZER
    pub organizer: Option<Organizer>,
    /// ATTENDEE properties.
    pub attendees: Vec<Attendee>,
    /// VALARM children.
    pub alarms: Vec<Alarm>,
    /// 1-based line of the BEGIN.
    pub line: u32,
}

impl ObjectComponent {
    /// Reads a VEVENT or VTODO; `None` for other components. Unreadable properties are left
    /// out and reported.
    pub fn read(component: &Component, zones: &ZoneResolver, problems: &mut Vec<Problem>) -> Option<Self> {
        let kind = ComponentKind::from_name(&component.name)?;
        let mut time = |name: &str| -> Option<IcalTime> {
            let property = component.property(name)?;
            match read_time(property, zones) {
                Ok((value, note)) => {
                    if let Some(note) = note {
                        problems.push(Problem::skipped(property.line, note));
                    }
                    Some(value)
                }
                Err(error) => {
                    problems.push(Problem::skipped(property.line, format!("{}; ignored", error.0)));
                    None
                }
            }
        };
        let (start, end) = reconcile(
            time("DTSTART"),
            time(if kind == ComponentKind::Todo { "DUE" } else { "DTEND" }),
        );
        let recurrence_id = time("RECURRENCE-ID").map(|time| RecurrenceId {
            time,
            this_and_future: component
                .property("RECURRENCE-ID")
                .and_then(|p| p.param("RANGE"))
                .is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE")),
        });
        let text = |name: &str| component.property(name).map(|p| unescape_text(&p.value));
        let duration = component.property("DURATION").and_then(|p| {
            let parsed = parse_duration(&p.value);
            if parsed.is_none() {
                problems.push(Problem::skipped(
                    p.line,
                    format!("DURATION '{}' cannot be read; ignored", p.value),
                ));
            }
            parsed
        });
        let mut rules = |name: &str| -> Vec<RecurRule> {
            component
                .properties_named(name)
                .filter_map(|p| {
                    let (rule, issues) = parse_rrule(&p.value);
                    for issue in issues {
                        problems.push(Problem::skipped(p.line, format!("{name}: {issue}")));
                    }
                    rule
                })
                .collect()
        };
        let rrules = rules("RRULE");
        let exrules = rules("EXRULE");
        let mut rdates = Vec::new();
        for property in component.properties_named("RDATE") {
            for value in split_list(&property.value) {
                match read_rdate(value, property, zones) {
                    Some(rdate) => rdates.push(rdate),
                    None => problems.push(Problem::skipped(
                        property.line,
                        format!("RDATE value '{value}' cannot be read; ignored"),
                    )),
                }
            }
        }
        let mut exdates = Vec::new();
        for property in component.properties_named("EXDATE") {
            for value in split_list(&property.value) {
                match read_time_text(value.trim(), property, zones) {
                    Ok((time, _)) => exdates.push(time),
                    Err(error) => problems.push(Problem::skipped(property.line, format!("{}; ignored", error.0))),
                }
            }
        }
        Some(Self {
            kind,
            uid: component
                .property("UID")
                .map(|p| p.value.trim().to_owned())
                .filter(|u| !u.is_empty()),
            summary: text("SUMMARY"),
            location: text("LOCATION"),
            description: text("DESCRIPTION"),
            start,
            end,
            duration,
            status: component
                .property("STATUS")
                .map(|p| p.value.trim().to_ascii_uppercase()),
            sequence: component
                .property("SEQUENCE")
                .and_then(|p| p.value.trim().parse().ok())
                .unwrap_or(0),
            transparent: component
                .property("TRANSP")
                .is_some_and(|p| p.value.trim().eq_ignore_ascii_case("TRANSPARENT")),
            rrules,
            exrules,
            rdates,
            exdates,
            recurrence_id,
            organizer: component.property("ORGANIZER").and_then(Organizer::from_property),
            attendees: component
                .properties_named("ATTENDEE")
                .filter_map(Attendee::from_property)
                .collect(),
            alarms: component
                .children_named("VALARM")
                .filter_map(Alarm::from_component)
                .collect(),
            line: component.line,
        })
    }

    /// True when RRULE or RDATE make this component recur.
    pub fn is_recurring(&self) -> bool {
        !self.rrules.is_empty() || !self.rdates.is_empty()
    }

    /// True for an all-day component (DATE start).
    pub fn is_all_day(&self) -> bool {
        self.start.as_ref().is_some_and(IcalTime::is_date)
    }
}

/// A start and end of different kinds (one floating, one zoned; one a date, one a time) are
/// not valid RFC 5545, but clients write them. The odd one is read in the other's frame: a
/// floating time takes the zoned one's zone, a date becomes midnight in the time's zone.
fn reconcile(start: Option<IcalTime>, end: Option<IcalTime>) -> (Option<IcalTime>, Option<IcalTime>) {
    use crate::tz::Zone;
    let (Some(start), Some(end)) = (start.clone(), end.clone()) else {
        return (start, end);
    };
    let zoned = |t: &IcalTime| t.zone().filter(|z| !z.is_floating() && **z != Zone::Utc).cloned();
    match (&start, &end) {
        (IcalTime::DateTime(s, Zone::Floating), IcalTime::DateTime(..)) if zoned(&end).is_some() => (
            Some(IcalTime::DateTime(*s, zoned(&end).unwrap_or(Zone::Floating))),
            Some(end),
        ),
        (IcalTime::DateTime(..), IcalTime::DateTime(e, Zone::Floating)) if zoned(&start).is_some() => (
            Some(start.clone()),
            Some(IcalTime::DateTime(*e, zoned(&start).unwrap_or(Zone::Floating))),
        ),
        (IcalTime::Date(_), IcalTime::DateTime(_, zone)) => {
            (Some(IcalTime::DateTime(start.local(), zone.clone())), Some(end))
        }
        (IcalTime::DateTime(_, zone), IcalTime::Date(_)) => {
            (Some(start.clone()), Some(IcalTime::DateTime(end.local(), zone.clone())))
        }
        _ => (Some(start), Some(end)),
    }
}

fn read_rdate(value: &str, property: &crate::ical::Property, zones: &ZoneResolver) -> Option<RDate> {
    let value = value.trim();
    if let Some((start, end)) = value.split_once('/') {
        let (start, _) = read_time_text(start, property, zones).ok()?;
        if let Some(duration) = parse_duration(end) {
            let end = start.with_local(start.local() + duration);
            return Some(RDate::Period(start, end));
        }
        let (end, _) = read_time_text(end, property, zones).ok()?;
        return Some(RDate::Period(start, end));
    }
    read_time_text(value, property, zones)
        .ok()
        .map(|(time, _)| RDate::Start(time))
}
