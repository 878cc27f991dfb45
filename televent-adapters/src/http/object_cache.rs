//! Parsed calendar objects by ETag, so that queries over the same resources (calendar-query,
//! free-busy) do not read the same bytes again and again.
//!
//! The key is the ETag, the BLAKE3 of the bytes, so an entry can never be stale: changed bytes
//! have another key. The cache is bounded: when it is full it is emptied and fills again (the
//! simplest policy that bounds memory; queries touch the same recurring objects over and over,
//! and those come back at once). It must never be the only place data lives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use televent_domain::etag::ETag;
use televent_domain::event::StoredObject;
use televent_domain::ingest::ingest_resource;
use televent_domain::object::CalendarObject;

/// Default number of parsed objects kept.
pub const DEFAULT_CAPACITY: usize = 8192;

/// Parsed objects by ETag.
#[derive(Debug)]
pub struct ObjectCache {
    /// Shared by every request; held only to look up or insert, never while parsing.
    entries: Mutex<HashMap<ETag, Arc<CalendarObject>>>,
    capacity: usize,
}

impl ObjectCache {
    /// A cache of at most `capacity` objects.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ETag, Arc<CalendarObject>>> {
        // Only a cache: a poisoned map is still usable.
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
