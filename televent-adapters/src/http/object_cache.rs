//! Parsed calendar objects by ETag, so that queries over the same resources (calendar-query,
//! free-busy) do not read the same bytes again and again.
//!
//! The key is the ETag, the BLAKE3 of the bytes, so an entry can never be stale: changed bytes
//! have another key. The cache is bounded: when it is full it is emptied and fills again (the
//! simplest policy that bounds memory; queries touch the same recurring objects over and over,
//! and those come back at once). It must never be the only place data lives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use televent_domain::component::ComponentKind;
use televent_domain::etag::ETag;
use televent_domain::event::StoredObject;
use televent_domain::ingest::ingest_resource;
use televent_domain::object::CalendarObject;
use televent_domain::recurrence::expand::overlaps;

use super::expand::ExpandTemplate;
use super::xml::write::EscapedText;
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};

/// Default number of parsed objects kept: those reports rewrite (recurring events expanded or
/// limited); a parsed object is several times the size of its bytes, and single events need
/// none (their occurrences and expansions are cached in smaller forms).
pub const DEFAULT_CAPACITY: usize = 2048;

/// Default number of occurrence lists kept (each is small: one span for a single event).
pub const DEFAULT_SPAN_CAPACITY: usize = 65_536;

/// Escaped calendar-data texts kept (about the size of the stored bytes each).
const ESCAPED_CAPACITY: usize = 16_384;

/// Objects with more instances than this are expanded per query instead of listed.
const MAX_LISTED_INSTANCES: usize = 4096;

/// Parsed objects by ETag, and their occurrences on the time line.
#[derive(Debug)]
pub struct ObjectCache {
    /// Shared by every request; held only to look up or insert, never while parsing.
    entries: Mutex<HashMap<ETag, Arc<CalendarObject>>>,
    capacity: usize,
    /// Every occurrence of a finite object, by ETag and the zone floating times are read in:
    /// a time-range test is then a binary search, not an expansion. Held like `entries`.
    spans: Mutex<HashMap<ETag, SpansByZone>>,
    span_capacity: usize,
    /// The stored bytes as escaped calendar-data text, by ETag: a report writes them with a
    /// copy instead of decoding and escaping each time. Held like `entries`.
    escaped: Mutex<HashMap<ETag, EscapedText>>,
    /// Single events expanded (RFC 4791 section 9.6.5), escaped, by ETag and zone: the same
    /// for every window they fall in. Held like `entries`.
    expanded: Mutex<HashMap<ETag, (Tz, EscapedText)>>,
    /// What expanding each resource copies, read once per ETag. Held like `entries`.
    templates: Mutex<HashMap<ETag, Arc<ExpandTemplate>>>,
}

/// One object's occurrence lists, by the zone floating times were read in (usually one).
type SpansByZone = Vec<(Tz, Arc<Spans>)>;

/// The occurrences of one object, or why they are not listed.
#[derive(Debug)]
pub enum Spans {
    /// Sorted by start; with the longest instance, to know how far back to look.
    Listed {
        /// The occurrences, by start.
        instances: Vec<Span>,
        /// The longest of them.
        longest: Duration,
    },
    /// Endless, too many, or unreadable: expand per query.
    Unlisted,
}

/// One occurrence on the time line, with what RFC 4791's overlap test needs.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// Its start.
    pub start: DateTime<Utc>,
    /// Its end (DTEND, DUE, or from DURATION).
    pub end: Option<DateTime<Utc>>,
    /// VEVENT or VTODO.
    pub kind: ComponentKind,
    /// A to-do with a DUE and no DTSTART.
    pub due_only: bool,
}

impl Span {
    /// Does it overlap `window` (RFC 4791 section 9.9)?
    pub fn overlaps(&self, window: Window) -> bool {
        overlaps(self.kind, self.start, self.end, self.due_only, window)
    }
}

impl ObjectCache {
    /// A cache of at most `capacity` objects.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            spans: Mutex::new(HashMap::new()),
            span_capacity: DEFAULT_SPAN_CAPACITY,
            escaped: Mutex::new(HashMap::new()),
            expanded: Mutex::new(HashMap::new()),
            templates: Mutex::new(HashMap::new()),
        }
    }

    /// What expanding `stored` copies from it, read once per ETag.
    pub fn template(&self, stored: &StoredObject) -> Arc<ExpandTemplate> {
        let lock = || self.templates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(hit) = lock().get(&stored.etag) {
            return Arc::clone(hit);
        }
        let template = Arc::new(ExpandTemplate::of(&stored.bytes));
        let mut all = lock();
        if all.len() >= self.capacity {
            all.clear();
        }
        all.insert(stored.etag.clone(), Arc::clone(&template));
        template
    }

    /// `stored` (a single event) expanded for a window it falls in, escaped: `expand` runs
    /// once per ETag and zone. `None` when `expand` gives nothing.
    pub fn expanded_single(
        &self,
        stored: &StoredObject,
        zone: Tz,
        expand: impl FnOnce() -> Option<String>,
    ) -> Option<EscapedText> {
        let lock = || self.expanded.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((cached_zone, text)) = lock().get(&stored.etag)
            && *cached_zone == zone
        {
            return Some(text.clone());
        }
        let text = EscapedText::of(&expand()?);
        let mut all = lock();
        if all.len() >= ESCAPED_CAPACITY {
            all.clear();
        }
        all.insert(stored.etag.clone(), (zone, text.clone()));
        Some(text)
    }

    /// `stored`'s bytes as calendar-data text, escaped for XML (invalid UTF-8 replaced).
    pub fn escaped_data(&self, stored: &StoredObject) -> EscapedText {
        let lock = || self.escaped.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(hit) = lock().get(&stored.etag) {
            return hit.clone();
        }
        let escaped = EscapedText::of(&String::from_utf8_lossy(&stored.bytes));
        let mut all = lock();
        if all.len() >= ESCAPED_CAPACITY {
            all.clear();
        }
        all.insert(stored.etag.clone(), escaped.clone());
        escaped
    }

    /// Whether `stored` has an occurrence overlapping `window` (RFC 4791 section 9.9), when
    /// its occurrences can be listed; `None` when it must be expanded for this window (an
    /// endless rule, or one with very many instances).
    pub fn occurs_listed(&self, stored: &StoredObject, window: Window, options: &ExpandOptions) -> Option<bool> {
        if window.from >= window.to {
            // An empty window holds nothing (as `matching::occurs` answers).
            return Some(false);
        }
        let spans = self.spans(stored, options.floating_in);
        match spans.as_ref() {
            Spans::Unlisted => None,
            Spans::Listed { instances, longest } => {
                // Only instances starting after `from - longest` can reach into the window.
                let earliest = window.from.checked_sub_signed(*longest).unwrap_or(window.from);
                let first = instances.partition_point(|span| span.start < earliest);
                Some(
                    instances
                        .get(first..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|span| span.start <= window.to)
                        .any(|span| overlaps(span.kind, span.start, span.end, span.due_only, window)),
                )
            }
        }
    }

    /// The occurrences of `stored` with floating times in `zone`, listed once per ETag.
    pub fn spans(&self, stored: &StoredObject, zone: Tz) -> Arc<Spans> {
        let lock = || self.spans.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let hit = lock().get(&stored.etag).and_then(|zones| {
            zones
                .iter()
                .find(|(z, _)| *z == zone)
                .map(|(_, spans)| Arc::clone(spans))
        });
        if let Some(spans) = hit {
            return spans;
        }
        let spans = Arc::new(self.list(stored, zone));
        let mut all = lock();
        if all.len() >= self.span_capacity {
            all.clear();
        }
        all.entry(stored.etag.clone())
            .or_default()
            .push((zone, Arc::clone(&spans)));
        spans
    }

    fn list(&self, stored: &StoredObject, floating_in: Tz) -> Spans {
        if stored.index.bounds.end.is_none() {
            return Spans::Unlisted;
        }
        // Parsed for this once and dropped: the list is what is kept (a parsed object is many
        // times the size of its occurrences).
        let object = match self.cached(&stored.etag) {
            Some(object) => object,
            None => match ingest_resource(&stored.bytes) {
                Ok(resource) => Arc::new(resource.object),
                Err(_) => return Spans::Unlisted,
            },
        };
        let options = ExpandOptions {
            floating_in,
            selection: Selection::Overlaps,
            max_instances: MAX_LISTED_INSTANCES,
        };
        let (Some(from), Some(to)) = (
            DateTime::<Utc>::from_timestamp(-62_135_596_800, 0),
            DateTime::<Utc>::from_timestamp(253_402_300_799, 0),
        ) else {
            return Spans::Unlisted;
        };
        let expansion = expand(&object, Window { from, to }, &options);
        if expansion.truncated {
            return Spans::Unlisted;
        }
        let mut instances: Vec<Span> = expansion
            .occurrences
            .iter()
            .map(|o| Span {
                start: o.start.to_utc(floating_in),
                end: o.end.as_ref().map(|e| e.to_utc(floating_in)),
                kind: o.component.kind,
                due_only: o.component.start.is_none(),
            })
            .collect();
        instances.sort_by_key(|span| span.start);
        let longest = instances
            .iter()
            .filter_map(|span| span.end.map(|end| end - span.start))
            .max()
            .unwrap_or_else(Duration::zero)
            .max(Duration::zero());
        Spans::Listed { instances, longest }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ETag, Arc<CalendarObject>>> {
        // Only a cache: a poisoned map is still usable.
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn cached(&self, etag: &ETag) -> Option<Arc<CalendarObject>> {
        self.lock().get(etag).cloned()
    }

    /// The parsed object of `stored`; `None` when its bytes no longer read as a resource.
    pub fn object(&self, stored: &StoredObject) -> Option<Arc<CalendarObject>> {
        if let Some(hit) = self.lock().get(&stored.etag) {
            return Some(Arc::clone(hit));
        }
        let object = Arc::new(ingest_resource(&stored.bytes).ok()?.object);
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(stored.etag.clone(), Arc::clone(&object));
        Some(object)
    }

    /// How many objects are cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for ObjectCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use televent_domain::event::{Href, ObjectIndexRow};
    use televent_domain::ids::{CalendarId, EventId};

    use super::*;

    fn stored(uid: &str) -> StoredObject {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        let resource = ingest_resource(text.as_bytes()).unwrap();
        let now = chrono::Utc::now();
        StoredObject {
            id: EventId::new_random(),
            calendar: CalendarId::new_random(),
            href: Href::parse(&format!("{uid}.ics")).unwrap(),
            etag: resource.etag.clone(),
            bytes: resource.bytes.clone(),
            index: ObjectIndexRow::of(&resource),
            created_at: now,
            updated_at: now,
        }
    }

    fn resource(body: &str) -> StoredObject {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{body}END:VCALENDAR\r\n");
        let resource = ingest_resource(text.as_bytes()).unwrap();
        let now = chrono::Utc::now();
        StoredObject {
            id: EventId::new_random(),
            calendar: CalendarId::new_random(),
            href: Href::parse("x.ics").unwrap(),
            etag: resource.etag.clone(),
            bytes: resource.bytes.clone(),
            index: ObjectIndexRow::of(&resource),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn listed_occurrences_answer_as_expansion_does() {
        use chrono::TimeZone;
        let objects = [
            "BEGIN:VEVENT\r\nUID:single\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240110T100000Z\r\nDTEND:20240110T113000Z\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:instant\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240110T100000Z\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:allday\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240110\r\nDTEND;VALUE=DATE:20240112\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20240101T090000\r\nDURATION:PT2H\r\nRRULE:FREQ=WEEKLY;COUNT=30;BYDAY=MO,TH\r\nEXDATE;TZID=Europe/Berlin:20240104T090000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240108T090000\r\nDTSTART;TZID=Europe/Berlin:20240109T150000\r\nDURATION:PT30M\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:floating\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240110T233000\r\nDTEND:20240111T003000\r\nRRULE:FREQ=DAILY;UNTIL=20240120T000000\r\nEND:VEVENT\r\n",
            "BEGIN:VTODO\r\nUID:due\r\nDTSTAMP:20240101T000000Z\r\nDUE:20240110T120000Z\r\nEND:VTODO\r\n",
            "BEGIN:VTODO\r\nUID:todo\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240110T080000Z\r\nDUE:20240112T120000Z\r\nEND:VTODO\r\n",
        ];
        let base = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        for zone in [Tz::UTC, chrono_tz::Europe::Berlin, chrono_tz::Pacific::Auckland] {
            let options = ExpandOptions {
                floating_in: zone,
                ..ExpandOptions::default()
            };
            for body in objects {
                let stored = resource(body);
                let cache = ObjectCache::default();
                let object = cache.object(&stored).unwrap();
                let mut seen = 0;
                // Windows of many widths and offsets, in half-hour steps, edges included.
                for offset in (0..24 * 2 * 40).step_by(7) {
                    for width in [0, 1, 2, 3, 5, 48, 24 * 14] {
                        let from = base + Duration::minutes(30 * offset);
                        let to = from + Duration::minutes(30 * width);
                        let expected = crate::http::matching::occurs(&object, from, to, &options);
                        let listed = cache.occurs_listed(&stored, Window { from, to }, &options);
                        assert_eq!(listed, Some(expected), "{} in [{from}, {to}) {zone}", object.uid);
                        seen += usize::from(expected);
                    }
                }
                assert!(seen > 0, "{} occurs somewhere", object.uid);
            }
        }
    }

    #[test]
    fn hits_by_etag_and_stays_bounded() {
        let cache = ObjectCache::new(2);
        let (a, b, c) = (stored("a"), stored("b"), stored("c"));
        let first = cache.object(&a).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.object(&a).unwrap()));
        assert_eq!(first.uid, "a");
        cache.object(&b).unwrap();
        assert_eq!(cache.len(), 2);
        cache.object(&c).unwrap();
        assert_eq!(cache.len(), 1);
        let mut broken = stored("d");
        broken.bytes = b"not iCalendar".to_vec();
        broken.etag = ETag::of(&broken.bytes);
        assert!(cache.object(&broken).is_none());
    }
}
