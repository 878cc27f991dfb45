//! Calendars held in memory for the read-heavy reports (calendar-query, calendar-multiget):
//! every resource of a calendar, as of a sync token.
//!
//! A snapshot is never stale for the request that uses it: the request has read its calendar
//! (and so its sync token) first, and a snapshot older than that token is brought up to it
//! from the change log (only the resources that changed are read again) before it is used.
//! Data read after a token is at least as new as the token, so a snapshot is labelled with
//! the token read *before* its data. Several processes on one PostgreSQL stay correct for the
//! same reason: each checks the token the database holds.
//!
//! Memory is the data itself, bounded by a budget: over it, other calendars are dropped, and a
//! calendar bigger than the whole budget is never held (its reports read the store).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use televent_domain::calendar::Calendar;
use televent_domain::event::{Href, StoredObject};
use televent_domain::ids::CalendarId;
use televent_domain::recurrence::Window;
use televent_domain::sync::SyncToken;
use televent_ports::{Store, StoreError};

use super::object_cache::{ObjectCache, Span, Spans, reaching};

/// Default bytes of resources held across calendars: 256 MiB.
pub const DEFAULT_BUDGET: usize = 256 * 1024 * 1024;

/// One calendar's resources as of `token`.
#[derive(Debug)]
pub struct Snapshot {
    token: SyncToken,
    /// Sorted by href (one pointer each: the href is the resource's own).
    objects: Vec<Arc<StoredObject>>,
    bytes: usize,
    /// Every listed occurrence, sorted, for the zone queries ask in (the calendar's owner's);
    /// built by the first query, again only if the zone changes.
    index: Mutex<Option<Arc<TimeIndex>>>,
    /// The latest index of the snapshot this one caught up from: a new index keeps its
    /// occurrences of the resources that did not change and lists only those that did.
    seed: Option<Arc<TimeIndex>>,
}

/// The occurrences of a snapshot's resources on the time line, so that a time-range query
/// touches only what it returns.
#[derive(Debug)]
pub struct TimeIndex {
    zone: Tz,
    resources: Vec<Arc<StoredObject>>,
    /// Listed occurrences by start, with the position of the resource they belong to.
    spans: Vec<(Span, u32)>,
    /// At least the longest occurrence: how far before a window to look.
    longest: Duration,
    /// Positions of resources whose occurrences are not listed (endless rules): the caller
    /// expands them.
    unlisted: Vec<u32>,
}

impl TimeIndex {
    /// The index of `objects` (sorted by href), starting from `seed` when it was built for the
    /// same zone: its occurrences of resources still there unchanged (the same stored object)
    /// are kept, and only the others are listed, each once.
    fn build(objects: &[Arc<StoredObject>], zone: Tz, cache: &ObjectCache, seed: Option<&TimeIndex>) -> Self {
        let resources = objects.to_vec();
        let mut listed_already = vec![false; resources.len()];
        let (mut spans, mut unlisted, mut longest) = match seed.filter(|seed| seed.zone == zone) {
            Some(seed) => {
                let moved = positions_kept(&seed.resources, &resources);
                // Unchanged resources are listed already (those with no occurrence too).
                for new in moved.iter().flatten() {
                    if let Some(flag) = listed_already.get_mut(*new as usize) {
                        *flag = true;
                    }
                }
                let moved_to = |old: &u32| moved.get(*old as usize).copied().flatten();
                let spans: Vec<(Span, u32)> = seed
                    .spans
                    .iter()
                    .filter_map(|(span, old)| Some((*span, moved_to(old)?)))
                    .collect();
                let unlisted: Vec<u32> = seed.unlisted.iter().filter_map(moved_to).collect();
                // The seed's longest may have left with a changed resource: still an upper
                // bound, which only makes a query look a little further back.
                (spans, unlisted, seed.longest)
            }
            None => (Vec::new(), Vec::new(), Duration::zero()),
        };
        let mut added = Vec::new();
        for (position, resource) in resources.iter().enumerate() {
            if listed_already.get(position).copied().unwrap_or(false) {
                continue;
            }
            let Ok(position) = u32::try_from(position) else {
                continue;
            };
            match cache.occurrences(resource, zone) {
                Spans::Listed {
                    instances,
                    longest: own,
                } => {
                    longest = longest.max(own);
                    added.extend(instances.into_iter().map(|span| (span, position)));
                }
                Spans::Unlisted => unlisted.push(position),
            }
        }
        if !added.is_empty() {
            added.sort_by_key(|(span, _)| span.start);
            spans = merge_by_start(spans, added);
        }
        unlisted.sort_unstable();
        Self {
            zone,
            resources,
            spans,
            longest,
            unlisted,
        }
    }

    /// Resources with a listed occurrence overlapping `window`, and the unlisted ones whose
    /// bounds may overlap it (for the caller to expand).
    fn overlapping(&self, window: Window) -> (Vec<Arc<StoredObject>>, Vec<Arc<StoredObject>>) {
        // The positions hit, in resource order, each once: a query touches what it returns,
        // never every resource of the calendar.
        let mut hit: Vec<u32> = Vec::new();
        if window.from < window.to {
            hit.extend(
                reaching(&self.spans, |(span, _)| span.start, self.longest, window)
                    .filter(|(span, _)| span.overlaps(window))
                    .map(|(_, position)| *position),
            );
        }
        hit.sort_unstable();
        hit.dedup();
        let at = |position: &u32| self.resources.get(*position as usize);
        let listed = hit.iter().filter_map(at).cloned().collect();
        let unlisted = self
            .unlisted
            .iter()
            .filter_map(at)
            .filter(|resource| resource.index.bounds.may_overlap(window.from, window.to))
            .cloned()
            .collect();
        (listed, unlisted)
    }
}

/// For each of `before` (sorted by href), its position in `after` (sorted by href) when it is
/// there as the same stored object; `None` when it changed or went.
fn positions_kept(before: &[Arc<StoredObject>], after: &[Arc<StoredObject>]) -> Vec<Option<u32>> {
    let mut kept = Vec::with_capacity(before.len());
    let mut next = 0;
    for old in before {
        while after.get(next).is_some_and(|new| new.href.as_str() < old.href.as_str()) {
            next += 1;
        }
        kept.push(
            after
                .get(next)
                .filter(|new| Arc::ptr_eq(new, old))
                .and_then(|_| u32::try_from(next).ok()),
        );
    }
    kept
}

/// `objects` shared and sorted by href, one per href (a store answers so; kept true whatever
/// it answered).
fn by_href(objects: impl IntoIterator<Item = StoredObject>) -> Vec<Arc<StoredObject>> {
    let mut objects: Vec<Arc<StoredObject>> = objects.into_iter().map(Arc::new).collect();
    objects.sort_by(|a, b| a.href.as_str().cmp(b.href.as_str()));
    objects.dedup_by(|a, b| a.href == b.href);
    objects
}

/// `a` and `b`, each sorted by start, as one list sorted by start.
fn merge_by_start(a: Vec<(Span, u32)>, b: Vec<(Span, u32)>) -> Vec<(Span, u32)> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some((x, _)), Some((y, _))) if x.start <= y.start => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        merged.extend(next);
    }
    merged
}

impl Snapshot {
    fn new(token: SyncToken, objects: impl IntoIterator<Item = StoredObject>) -> Self {
        Self::sorted(token, by_href(objects), None)
    }

    fn sorted(token: SyncToken, objects: Vec<Arc<StoredObject>>, seed: Option<Arc<TimeIndex>>) -> Self {
        let bytes = objects.iter().map(|o| o.bytes.len()).sum();
        Self {
            token,
            objects,
            bytes,
            index: Mutex::new(None),
            seed,
        }
    }

    /// Resources with an occurrence overlapping `window` (exact, from the occurrence lists),
    /// and resources whose occurrences could not be listed but may overlap (to be expanded).
    pub fn overlapping(
        &self,
        window: Window,
        zone: Tz,
        cache: &ObjectCache,
    ) -> (Vec<Arc<StoredObject>>, Vec<Arc<StoredObject>>) {
        let index = {
            let mut slot = self.index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match slot.as_ref().filter(|index| index.zone == zone) {
                Some(index) => Arc::clone(index),
                None => {
                    let built = Arc::new(TimeIndex::build(&self.objects, zone, cache, self.seed.as_deref()));
                    *slot = Some(Arc::clone(&built));
                    built
                }
            }
        };
        index.overlapping(window)
    }

    /// The index built for this snapshot, if a query built one.
    fn built_index(&self) -> Option<Arc<TimeIndex>> {
        self.index
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Resources whose stored bounds may overlap `[from, to)` (the store's `candidates`).
    pub fn candidates(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Arc<StoredObject>> {
        self.objects
            .iter()
            .filter(|o| o.index.bounds.may_overlap(from, to))
            .cloned()
            .collect()
    }

    /// Every resource.
    pub fn all(&self) -> Vec<Arc<StoredObject>> {
        self.objects.clone()
    }

    /// The resource at `href`.
    pub fn get(&self, href: &Href) -> Option<&Arc<StoredObject>> {
        self.objects
            .binary_search_by(|o| o.href.as_str().cmp(href.as_str()))
            .ok()
            .and_then(|at| self.objects.get(at))
    }
}

/// Snapshots by calendar.
#[derive(Debug)]
pub struct Snapshots {
    /// Shared by every request; held only to look up or swap an entry, never across a read.
    entries: Mutex<HashMap<CalendarId, Arc<Snapshot>>>,
    /// One loader per calendar at a time: sixteen requests meeting a cold calendar wait for one
    /// read of it instead of making sixteen (held across the read, hence async).
    loading: Mutex<HashMap<CalendarId, Arc<tokio::sync::Mutex<()>>>>,
    budget: usize,
}

impl Default for Snapshots {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET)
    }
}

impl Snapshots {
    /// Snapshots holding at most `budget` bytes of resources.
    pub fn new(budget: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            loading: Mutex::new(HashMap::new()),
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CalendarId, Arc<Snapshot>>> {
        // Only a cache: a poisoned map is still consistent (entries are swapped whole).
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The snapshot of `calendar` if one is held at its sync token (or newer); never reads.
    pub fn current(&self, calendar: &Calendar) -> Option<Arc<Snapshot>> {
        self.lock()
            .get(&calendar.id)
            .filter(|held| held.token.seq() >= calendar.sync_token.seq())
            .cloned()
    }

    /// Drops what is held of a calendar that was deleted, at once (a calendar deleted by
    /// another process goes when the budget next overflows).
    pub fn forget(&self, calendar: CalendarId) {
        self.lock().remove(&calendar);
        self.loading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&calendar);
    }

    /// `calendar`'s resources as of its sync token (or newer).
    pub async fn of(&self, store: &dyn Store, calendar: &Calendar) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(current) = self.current(calendar) {
            return Ok(current);
        }
        let loader = {
            let mut loading = self.loading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(loading.entry(calendar.id).or_default())
        };
        let _turn = loader.lock().await;
        // Whoever held the turn before may have loaded what this request needs.
        let held = self.lock().get(&calendar.id).cloned();
        if let Some(held) = held.as_ref()
            && held.token.seq() >= calendar.sync_token.seq()
        {
            return Ok(Arc::clone(held));
        }
        let fresh = match held {
            Some(held) => match Self::catch_up(store, &held).await {
                Ok(fresh) => fresh,
                // A pruned log: read the calendar whole.
                Err(StoreError::Sync(_)) => Snapshot::new(calendar.sync_token, store.objects(calendar.id).await?),
                Err(other) => return Err(other),
            },
            None => Snapshot::new(calendar.sync_token, store.objects(calendar.id).await?),
        };
        let fresh = Arc::new(fresh);
        self.keep(calendar.id, &fresh);
        Ok(fresh)
    }

    /// `held` brought up to date: the changes since its token, and those resources read again.
    async fn catch_up(store: &dyn Store, held: &Snapshot) -> Result<Snapshot, StoreError> {
        let calendar = held.token.calendar();
        let changes = store.changes_since(calendar, Some(held.token), None).await?;
        let changed: HashSet<&str> = changes.changes.iter().map(|c| c.href.as_str()).collect();
        let fresh = by_href(store.objects_by_hrefs(calendar, &changes.live_hrefs()).await?);
        // The unchanged resources and the ones read again, both sorted by href, merged.
        let unchanged = held
            .objects
            .iter()
            .filter(|o| !changed.contains(o.href.as_str()))
            .cloned();
        let mut objects = Vec::with_capacity(held.objects.len() + fresh.len());
        let mut fresh = fresh.into_iter().peekable();
        for object in unchanged {
            while let Some(first) = fresh.next_if(|f| f.href.as_str() < object.href.as_str()) {
                objects.push(first);
            }
            objects.push(object);
        }
        objects.extend(fresh);
        let seed = held.built_index().or_else(|| held.seed.clone());
        // Read after the change list: at least as new as its token.
        Ok(Snapshot::sorted(changes.token, objects, seed))
    }

    fn keep(&self, calendar: CalendarId, fresh: &Arc<Snapshot>) {
        if fresh.bytes > self.budget {
            return;
        }
        let mut entries = self.lock();
        if entries
            .get(&calendar)
            .is_some_and(|held| held.token.seq() > fresh.token.seq())
        {
            return;
        }
        let others: usize = entries
            .iter()
            .filter(|(id, _)| **id != calendar)
            .map(|(_, s)| s.bytes)
            .sum();
        if others + fresh.bytes > self.budget {
            entries.retain(|id, _| *id == calendar);
        }
        entries.insert(calendar, Arc::clone(fresh));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use televent_ports::store::{NewUser, UserStore};

    fn stored(name: &str, body: &str) -> Arc<StoredObject> {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{body}END:VCALENDAR\r\n");
        let resource = televent_domain::ingest::ingest_resource(text.as_bytes()).unwrap();
        let now = Utc::now();
        Arc::new(StoredObject {
            id: televent_domain::ids::EventId::new_random(),
            calendar: CalendarId::new_random(),
            href: Href::parse(&format!("{name}.ics")).unwrap(),
            etag: resource.etag.clone(),
            bytes: resource.bytes.clone(),
            index: televent_domain::event::ObjectIndexRow::of(&resource),
            created_at: now,
            updated_at: now,
        })
    }

    fn event(name: &str, day: u32, rule: &str) -> Arc<StoredObject> {
        stored(
            name,
            &format!(
                "BEGIN:VEVENT\r\nUID:{name}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:202406{day:02}T100000Z\r\nDURATION:PT90M\r\n{rule}END:VEVENT\r\n"
            ),
        )
    }

    fn hrefs(found: (Vec<Arc<StoredObject>>, Vec<Arc<StoredObject>>)) -> (Vec<String>, Vec<String>) {
        let names = |list: Vec<Arc<StoredObject>>| list.iter().map(|o| o.href.as_str().to_owned()).collect();
        (names(found.0), names(found.1))
    }

    #[test]
    fn an_index_built_from_a_seed_answers_as_one_built_afresh() {
        use chrono::TimeZone;
        let cache = ObjectCache::default();
        let zone = chrono_tz::Europe::Berlin;
        let mut before: Vec<Arc<StoredObject>> = vec![
            event("a-single", 3, ""),
            event("b-weekly", 1, "RRULE:FREQ=WEEKLY;COUNT=8\r\n"),
            event("c-endless", 2, "RRULE:FREQ=DAILY\r\n"),
            event("d-moves", 10, ""),
            event("e-goes", 12, ""),
            event("f-stays", 20, "RRULE:FREQ=DAILY;COUNT=3\r\n"),
        ];
        before.sort_by(|a, b| a.href.as_str().cmp(b.href.as_str()));
        let seed = TimeIndex::build(&before, zone, &cache, None);
        // Kept as they were (the same stored objects), one changed, one gone, two new.
        let mut after: Vec<Arc<StoredObject>> = before
            .iter()
            .filter(|o| !["d-moves.ics", "e-goes.ics"].contains(&o.href.as_str()))
            .cloned()
            .collect();
        after.push(event("d-moves", 25, ""));
        after.push(event("aa-new", 14, "RRULE:FREQ=WEEKLY;COUNT=2\r\n"));
        after.push(event("g-new-endless", 16, "RRULE:FREQ=WEEKLY\r\n"));
        after.sort_by(|a, b| a.href.as_str().cmp(b.href.as_str()));
        let grown = TimeIndex::build(&after, zone, &cache, Some(&seed));
        let fresh = TimeIndex::build(&after, zone, &cache, None);
        let mut seen = 0;
        for start_day in 0..45 {
            for hours in [1, 6, 24, 24 * 7] {
                let from = Utc.with_ymd_and_hms(2024, 5, 28, 0, 0, 0).unwrap() + Duration::hours(start_day * 12);
                let window = Window {
                    from,
                    to: from + Duration::hours(hours),
                };
                let expected = hrefs(fresh.overlapping(window));
                assert_eq!(hrefs(grown.overlapping(window)), expected, "{window:?}");
                seen += expected.0.len();
            }
        }
        assert!(seen > 100, "the windows hit occurrences ({seen})");
        // The one that moved is found at its new time only.
        let old_time = Window {
            from: Utc.with_ymd_and_hms(2024, 6, 10, 0, 0, 0).unwrap(),
            to: Utc.with_ymd_and_hms(2024, 6, 11, 0, 0, 0).unwrap(),
        };
        assert!(!hrefs(grown.overlapping(old_time)).0.contains(&"d-moves.ics".to_owned()));
    }

    #[test]
    fn a_snapshot_finds_each_resource_by_href() {
        let objects = ["m", "a", "z", "k"].map(|name| (*event(name, 5, "")).clone());
        let snapshot = Snapshot::new(SyncToken::new(CalendarId::new_random(), 1), objects);
        for name in ["a", "k", "m", "z"] {
            let href = Href::parse(&format!("{name}.ics")).unwrap();
            assert_eq!(snapshot.get(&href).unwrap().href, href);
        }
        assert!(snapshot.get(&Href::parse("b.ics").unwrap()).is_none());
        assert_eq!(snapshot.all().len(), 4);
    }

    #[tokio::test]
    async fn a_forgotten_calendar_is_read_again() {
        let store = MemoryStore::new();
        let (_, calendar) = store
            .create_user(NewUser {
                name: televent_domain::user::UserName::parse("alice").unwrap(),
                telegram_id: None,
                time_zone: televent_domain::user::TimeZoneId::parse("UTC").unwrap(),
                at: Utc::now(),
            })
            .await
            .unwrap();
        let snapshots = Snapshots::default();
        snapshots.of(&store, &calendar).await.unwrap();
        assert!(snapshots.current(&calendar).is_some());
        snapshots.forget(calendar.id);
        assert!(snapshots.current(&calendar).is_none());
        assert!(snapshots.loading.lock().unwrap().is_empty());
    }
}
