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
use super::xml::shared_text::{Piece, SharedText, pieces_of};
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};

/// Default number of parsed objects kept: those reports rewrite (recurring events expanded or
/// limited); a parsed object is several times the size of its bytes, and single events need
/// none (their occurrences and expansions are cached in smaller forms).
pub const DEFAULT_CAPACITY: usize = 2048;

/// Default number of occurrence lists kept for filters that test resources one by one (a
/// snapshot's time index holds its own, so this is not one per resource of every calendar).
pub const DEFAULT_SPAN_CAPACITY: usize = 4096;

/// Expanded single events kept, as pieces of their stored bytes (a few hundred bytes each).
const EXPANDED_CAPACITY: usize = 16_384;

/// Objects with more instances than this are expanded per query instead of listed.
const MAX_LISTED_INSTANCES: usize = 4096;

/// A map by ETag that empties itself when full (the policy in the module docs). Shared by
/// every request; its lock is held only to look up or insert, never while computing a value.
#[derive(Debug)]
struct ByEtag<V> {
    map: Mutex<HashMap<ETag, V>>,
    capacity: usize,
}

impl<V: Clone> ByEtag<V> {
    fn new(capacity: usize) -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ETag, V>> {
        // Only a cache: a poisoned map is still usable.
        self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, etag: &ETag) -> Option<V> {
        self.lock().get(etag).cloned()
    }

    fn insert(&self, etag: &ETag, value: V) {
        let mut map = self.lock();
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(etag.clone(), value);
    }

    fn len(&self) -> usize {
        self.lock().len()
    }
}

/// Parsed objects by ETag, and what reports derive from them.
#[derive(Debug)]
pub struct ObjectCache {
    /// Parsed objects.
    entries: ByEtag<Arc<CalendarObject>>,
    /// Every occurrence of a finite object, by the zone floating times are read in: a
    /// time-range test is then a binary search, not an expansion.
    spans: ByEtag<SpansByZone>,
    /// Single events expanded (RFC 4791 section 9.6.5), as pieces of their stored bytes, with
    /// the zone they were expanded in and their one occurrence: the same for every window
    /// that occurrence falls in.
    expanded: ByEtag<(Tz, Span, Arc<[Piece]>)>,
    /// What expanding each resource copies from it.
    templates: ByEtag<Arc<ExpandTemplate>>,
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
    /// A cache of at most `capacity` parsed objects.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: ByEtag::new(capacity),
            spans: ByEtag::new(DEFAULT_SPAN_CAPACITY),
            expanded: ByEtag::new(EXPANDED_CAPACITY),
            templates: ByEtag::new(capacity),
        }
    }

    /// What expanding `stored` copies from it, read once per ETag.
    pub fn template(&self, stored: &StoredObject) -> Arc<ExpandTemplate> {
        if let Some(hit) = self.templates.get(&stored.etag) {
            return hit;
        }
        let template = Arc::new(ExpandTemplate::of(&stored.bytes));
        self.templates.insert(&stored.etag, Arc::clone(&template));
        template
    }

    /// `stored` (a single event) expanded for `window`, when its one occurrence falls in it:
    /// `expand` runs once per ETag and zone, and what is kept is the occurrence and pieces of
    /// the stored bytes (the lines an expansion copies) with the few lines it rewrote. `None`
    /// when the occurrence is not in the window, the object has other than one occurrence, or
    /// `expand` gives nothing: the caller then expands it as any other.
    pub fn expanded_single(
        &self,
        stored: &Arc<StoredObject>,
        zone: Tz,
        window: Window,
        expand: impl FnOnce() -> Option<String>,
    ) -> Option<SharedText> {
        if window.from >= window.to {
            // An empty window holds nothing (as `matching::occurs` answers).
            return None;
        }
        let source = Arc::clone(stored);
        if let Some((cached_zone, span, pieces)) = self.expanded.get(&stored.etag)
            && cached_zone == zone
        {
            return span.overlaps(window).then(|| SharedText::pieces(source, pieces));
        }
        let Spans::Listed { instances, .. } = self.occurrences(stored, zone) else {
            return None;
        };
        let [span] = instances.as_slice() else {
            return None;
        };
        if !span.overlaps(window) {
            return None;
        }
        let pieces: Arc<[Piece]> = pieces_of(&expand()?, &stored.bytes).into();
        self.expanded.insert(&stored.etag, (zone, *span, Arc::clone(&pieces)));
        Some(SharedText::pieces(source, pieces))
    }

    /// Whether `stored` has an occurrence overlapping `window` (RFC 4791 section 9.9), when
    /// its occurrences can be listed; `None` when it must be expanded for this window (an
    /// endless rule, or one with very many instances).
    pub fn occurs_listed(&self, stored: &StoredObject, window: Window, options: &ExpandOptions) -> Option<bool> {
        if window.from >= window.to {
            // An empty window holds nothing (as `matching::occurs` answers).
            return Some(false);
        }
        match self.spans(stored, options.floating_in).as_ref() {
            Spans::Unlisted => None,
            Spans::Listed { instances, longest } => {
                Some(reaching(instances, |span| span.start, *longest, window).any(|span| span.overlaps(window)))
            }
        }
    }

    /// The occurrences of `stored` with floating times in `zone`, listed once per ETag.
    pub fn spans(&self, stored: &StoredObject, zone: Tz) -> Arc<Spans> {
        let mut zones = self.spans.get(&stored.etag).unwrap_or_default();
        if let Some((_, spans)) = zones.iter().find(|(z, _)| *z == zone) {
            return Arc::clone(spans);
        }
        let spans = Arc::new(self.occurrences(stored, zone));
        zones.push((zone, Arc::clone(&spans)));
        self.spans.insert(&stored.etag, zones);
        spans
    }

    /// The occurrences of `stored` with floating times in `floating_in`, listed now (not
    /// kept: a snapshot's time index holds what it lists).
    pub fn occurrences(&self, stored: &StoredObject, floating_in: Tz) -> Spans {
        if stored.index.bounds.end.is_none() {
            return Spans::Unlisted;
        }
        // Parsed for this once and dropped: the list is what is kept (a parsed object is many
        // times the size of its occurrences).
        let object = match self.entries.get(&stored.etag) {
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

    /// The parsed object of `stored`; `None` when its bytes no longer read as a resource.
    pub fn object(&self, stored: &StoredObject) -> Option<Arc<CalendarObject>> {
        if let Some(hit) = self.entries.get(&stored.etag) {
            return Some(hit);
        }
        let object = Arc::new(ingest_resource(&stored.bytes).ok()?.object);
        self.entries.insert(&stored.etag, Arc::clone(&object));
        Some(object)
    }

    /// How many parsed objects are cached.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The items of `sorted` (by `start`) that can reach into `window`: those starting after
/// `window.from - longest` and no later than its end. The caller tests each for overlap.
pub fn reaching<T>(
    sorted: &[T],
    start: impl Fn(&T) -> DateTime<Utc>,
    longest: Duration,
    window: Window,
) -> impl Iterator<Item = &T> {
    let earliest = window.from.checked_sub_signed(longest).unwrap_or(window.from);
    let first = sorted.partition_point(|item| start(item) < earliest);
    sorted
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(move |item| start(item) <= window.to)
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
