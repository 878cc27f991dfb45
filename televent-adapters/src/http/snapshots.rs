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

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use televent_domain::calendar::Calendar;
use televent_domain::event::{Href, StoredObject};
use televent_domain::ids::CalendarId;
use televent_domain::recurrence::Window;
use televent_domain::sync::{ChangeKind, SyncToken};
use televent_ports::{Store, StoreError};

use super::object_cache::{ObjectCache, Span, Spans, reaching};

/// Default bytes of resources held across calendars: 256 MiB.
pub const DEFAULT_BUDGET: usize = 256 * 1024 * 1024;

/// One calendar's resources as of `token`.
#[derive(Debug)]
pub struct Snapshot {
    token: SyncToken,
    objects: BTreeMap<String, Arc<StoredObject>>,
    bytes: usize,
    /// Every listed occurrence, sorted, for the zone of the first query that asked (the
    /// calendar's owner's); built once per snapshot.
    index: OnceLock<Arc<TimeIndex>>,
}

/// The occurrences of a snapshot's resources on the time line, so that a time-range query
/// touches only what it returns.
#[derive(Debug)]
pub struct TimeIndex {
    zone: Tz,
    resources: Vec<Arc<StoredObject>>,
    /// Listed occurrences by start, with the resource they belong to.
    spans: Vec<(Span, usize)>,
    /// The longest occurrence: how far before a window to look.
    longest: Duration,
    /// Resources whose occurrences are not listed (endless rules): the caller expands them.
    unlisted: Vec<usize>,
}

impl TimeIndex {
    fn build(objects: &BTreeMap<String, Arc<StoredObject>>, zone: Tz, cache: &ObjectCache) -> Self {
        let resources: Vec<Arc<StoredObject>> = objects.values().cloned().collect();
        let mut spans = Vec::new();
        let mut unlisted = Vec::new();
        let mut longest = Duration::zero();
        for (index, resource) in resources.iter().enumerate() {
            match cache.spans(resource, zone).as_ref() {
                Spans::Listed {
                    instances,
                    longest: own,
                } => {
                    longest = longest.max(*own);
                    spans.extend(instances.iter().map(|span| (*span, index)));
                }
                Spans::Unlisted => unlisted.push(index),
            }
        }
        spans.sort_by_key(|(span, _)| span.start);
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
        // The indexes hit, in resource order, each once: a query touches what it returns,
        // never every resource of the calendar.
        let mut hit: Vec<usize> = Vec::new();
        if window.from < window.to {
            hit.extend(
                reaching(&self.spans, |(span, _)| span.start, self.longest, window)
                    .filter(|(span, _)| span.overlaps(window))
                    .map(|(_, index)| *index),
            );
        }
        hit.sort_unstable();
        hit.dedup();
        let listed = hit
            .iter()
            .filter_map(|index| self.resources.get(*index))
            .cloned()
            .collect();
        let unlisted = self
            .unlisted
            .iter()
            .filter_map(|index| self.resources.get(*index))
            .filter(|resource| resource.index.bounds.may_overlap(window.from, window.to))
            .cloned()
            .collect();
        (listed, unlisted)
    }
}

impl Snapshot {
    fn new(token: SyncToken, objects: impl IntoIterator<Item = StoredObject>) -> Self {
        let objects: BTreeMap<String, Arc<StoredObject>> = objects
            .into_iter()
            .map(|o| (o.href.as_str().to_owned(), Arc::new(o)))
            .collect();
        let bytes = objects.values().map(|o| o.bytes.len()).sum();
        Self {
            token,
            objects,
            bytes,
            index: OnceLock::new(),
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
        let index = self
            .index
            .get_or_init(|| Arc::new(TimeIndex::build(&self.objects, zone, cache)));
        if index.zone == zone {
            index.overlapping(window)
        } else {
            TimeIndex::build(&self.objects, zone, cache).overlapping(window)
        }
    }

    /// Resources whose stored bounds may overlap `[from, to)` (the store's `candidates`).
    pub fn candidates(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Arc<StoredObject>> {
        self.objects
            .values()
            .filter(|o| o.index.bounds.may_overlap(from, to))
            .cloned()
            .collect()
    }

    /// Every resource.
    pub fn all(&self) -> Vec<Arc<StoredObject>> {
        self.objects.values().cloned().collect()
    }

    /// The resource at `href`.
    pub fn get(&self, href: &Href) -> Option<&Arc<StoredObject>> {
        self.objects.get(href.as_str())
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
        let mut objects = held.objects.clone();
        let mut reread = Vec::new();
        for change in &changes.changes {
            objects.remove(&change.href);
            if change.kind != ChangeKind::Deleted
                && let Ok(href) = Href::parse(&change.href)
            {
                reread.push(href);
            }
        }
        for object in store.objects_by_hrefs(calendar, &reread).await? {
            objects.insert(object.href.as_str().to_owned(), Arc::new(object));
        }
        let bytes = objects.values().map(|o| o.bytes.len()).sum();
        // Read after the change list: at least as new as its token.
        Ok(Snapshot {
            token: changes.token,
            objects,
            bytes,
            index: OnceLock::new(),
        })
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
