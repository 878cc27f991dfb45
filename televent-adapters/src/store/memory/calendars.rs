//! Calendars, resources and the change log, in memory.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use televent_domain::calendar::{Calendar, CalendarPatch, CalendarSlug, NewCalendar};
use televent_domain::event::{Href, ObjectMeta, StoredObject};
use televent_domain::ids::{CalendarId, EventId, UserId};
use televent_domain::outbox::NewOutboxMessage;
use televent_domain::sync::{Change, ChangeKind, ChangeSet, SyncError, SyncToken, collapse};
use televent_ports::StoreError;
use televent_ports::store::{CalendarStore, DeleteObject, ObjectWrite, Precondition, WriteOutcome};

use super::{CalendarState, MemoryStore, State};

impl State {
    pub(super) fn insert_calendar(&mut self, owner: UserId, new: NewCalendar, at: DateTime<Utc>) -> Calendar {
        let calendar = Calendar::create(owner, new, at);
        self.calendars.insert(
            calendar.id,
            CalendarState {
                calendar: calendar.clone(),
                seq: 0,
                objects: Default::default(),
                changes: Vec::new(),
                floor: 0,
            },
        );
        calendar
    }

    fn calendar_mut(&mut self, id: CalendarId) -> Result<&mut CalendarState, StoreError> {
        self.calendars.get_mut(&id).ok_or(StoreError::NotFound)
    }

    /// Checks outbox messages before a write touches anything.
    pub(super) fn check_outbox_keys(messages: &[NewOutboxMessage]) -> Result<(), StoreError> {
        if messages.iter().any(|m| m.idempotency_key.is_empty()) {
            return Err(StoreError::Invalid(
                "an outbox message has an empty idempotency key".to_owned(),
            ));
        }
        Ok(())
    }
}

impl CalendarState {
    fn bump(&mut self, href: &Href, kind: ChangeKind, at: DateTime<Utc>) -> u64 {
        self.seq += 1;
        self.changes.push(Change {
            href: href.as_str().to_owned(),
            kind,
            seq: self.seq,
        });
        self.calendar.sync_token = SyncToken::new(self.calendar.id, self.seq);
        self.calendar.updated_at = at;
        self.seq
    }
}

fn check(precondition: &Precondition, current: Option<&StoredObject>) -> Result<(), StoreError> {
    match (precondition, current) {
        (Precondition::None, _) => Ok(()),
        (Precondition::IfMatch(etag), Some(object)) if object.etag == *etag => Ok(()),
        (Precondition::IfNoneMatchAny, None) => Ok(()),
        _ => Err(StoreError::PreconditionFailed),
    }
}

#[async_trait]
impl CalendarStore for MemoryStore {
    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn create_calendar(
        &self,
        owner: UserId,
        calendar: NewCalendar,
        at: DateTime<Utc>,
    ) -> Result<Calendar, StoreError> {
        let mut state = self.lock();
        if !state.users.contains_key(&owner) {
            return Err(StoreError::NotFound);
        }
        if state
            .calendars
            .values()
            .any(|c| c.calendar.owner == owner && c.calendar.slug == calendar.slug)
        {
            return Err(StoreError::AlreadyExists(format!("calendar {}", calendar.slug)));
        }
        Ok(state.insert_calendar(owner, calendar, at))
    }

    async fn calendars(&self, owner: UserId) -> Result<Vec<Calendar>, StoreError> {
        let state = self.lock();
        let mut calendars: Vec<Calendar> = state
            .calendars
            .values()
            .filter(|c| c.calendar.owner == owner)
            .map(|c| c.calendar.clone())
            .collect();
        calendars.sort_by(|a, b| (a.created_at, a.slug.as_str()).cmp(&(b.created_at, b.slug.as_str())));
        Ok(calendars)
    }

    async fn calendar(&self, owner: UserId, slug: &CalendarSlug) -> Result<Option<Calendar>, StoreError> {
        let state = self.lock();
        Ok(state
            .calendars
            .values()
            .find(|c| c.calendar.owner == owner && c.calendar.slug == *slug)
            .map(|c| c.calendar.clone()))
    }

    async fn calendar_by_id(&self, id: CalendarId) -> Result<Option<Calendar>, StoreError> {
        Ok(self.lock().calendars.get(&id).map(|c| c.calendar.clone()))
    }

    async fn update_calendar(
        &self,
        id: CalendarId,
        patch: CalendarPatch,
        at: DateTime<Utc>,
    ) -> Result<Calendar, StoreError> {
        let mut state = self.lock();
        let entry = state.calendar_mut(id)?;
        let calendar = &mut entry.calendar;
        if let Some(name) = patch.display_name {
            calendar.display_name = name;
        }
        if let Some(color) = patch.color {
            calendar.color = color;
        }
        if let Some(description) = patch.description {
            calendar.description = description;
        }
        if let Some(zone) = patch.time_zone {
            calendar.time_zone = zone;
        }
        if let Some(order) = patch.order {
            calendar.order = order;
        }
        calendar.updated_at = at;
        Ok(calendar.clone())
    }

    async fn delete_calendar(&self, id: CalendarId) -> Result<(), StoreError> {
        let mut state = self.lock();
        state.calendars.remove(&id).ok_or(StoreError::NotFound)?;
        state.subscriptions.remove(&id);
        Ok(())
    }

    async fn put_object(&self, write: ObjectWrite) -> Result<WriteOutcome, StoreError> {
        let mut state = self.lock();
        State::check_outbox_keys(&write.outbox)?;
        let entry = state.calendar_mut(write.calendar)?;
        let current = entry.objects.get(&write.href).map(|(object, _)| object);
        check(&write.precondition, current)?;
        if let Some((other, _)) = entry
            .objects
            .iter()
            .find(|(href, (o, _))| **href != write.href && o.index.uid == write.index.uid)
        {
            return Err(StoreError::UidConflict(other.clone()));
        }
        let created = current.is_none();
        let (id, created_at) = current.map_or((EventId::new_random(), write.at), |o| (o.id, o.created_at));
        let kind = if created {
            ChangeKind::Created
        } else {
            ChangeKind::Updated
        };
        let seq = entry.bump(&write.href, kind, write.at);
        let object = StoredObject {
            id,
            calendar: write.calendar,
            href: write.href.clone(),
            etag: write.etag.clone(),
            bytes: write.bytes,
            index: write.index,
            created_at,
            updated_at: write.at,
        };
        entry.objects.insert(write.href, (object, seq));
        let token = entry.calendar.sync_token;
        state.enqueue_new(write.outbox, write.at);
        Ok(WriteOutcome {
            created,
            etag: write.etag,
            token,
        })
    }

    async fn delete_object(&self, delete: DeleteObject) -> Result<SyncToken, StoreError> {
        let mut state = self.lock();
        State::check_outbox_keys(&delete.outbox)?;
        let entry = state.calendar_mut(delete.calendar)?;
        let current = entry
            .objects
            .get(&delete.href)
            .map(|(object, _)| object)
            .ok_or(StoreError::NotFound)?;
        check(&delete.precondition, Some(current))?;
        entry.objects.remove(&delete.href);
        entry.bump(&delete.href, ChangeKind::Deleted, delete.at);
        let token = entry.calendar.sync_token;
        state.enqueue_new(delete.outbox, delete.at);
        Ok(token)
    }

    async fn object(&self, calendar: CalendarId, href: &Href) -> Result<Option<StoredObject>, StoreError> {
        let state = self.lock();
        Ok(state
            .calendars
            .get(&calendar)
            .and_then(|c| c.objects.get(href))
            .map(|(o, _)| o.clone()))
    }

    async fn objects_by_hrefs(&self, calendar: CalendarId, hrefs: &[Href]) -> Result<Vec<StoredObject>, StoreError> {
        let state = self.lock();
        let Some(entry) = state.calendars.get(&calendar) else {
            return Ok(Vec::new());
        };
        Ok(hrefs
            .iter()
            .filter_map(|h| entry.objects.get(h))
            .map(|(o, _)| o.clone())
            .collect())
    }

    async fn object_by_uid(&self, calendar: CalendarId, uid: &str) -> Result<Option<StoredObject>, StoreError> {
        let state = self.lock();
        let Some(entry) = state.calendars.get(&calendar) else {
            return Ok(None);
        };
        Ok(entry
            .objects
            .values()
            .find(|(o, _)| o.index.uid.as_str() == uid)
            .map(|(o, _)| o.clone()))
    }

    async fn object_metas(&self, calendar: CalendarId) -> Result<Vec<ObjectMeta>, StoreError> {
        let state = self.lock();
        Ok(state
            .calendars
            .get(&calendar)
            .map(|c| c.objects.values().map(|(o, _)| o.meta()).collect())
            .unwrap_or_default())
    }

    async fn objects(&self, calendar: CalendarId) -> Result<Vec<StoredObject>, StoreError> {
        let state = self.lock();
        Ok(state
            .calendars
            .get(&calendar)
            .map(|c| c.objects.values().map(|(o, _)| o.clone()).collect())
            .unwrap_or_default())
    }

    async fn candidates(
        &self,
        calendar: CalendarId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StoredObject>, StoreError> {
        let state = self.lock();
        let Some(entry) = state.calendars.get(&calendar) else {
            return Ok(Vec::new());
        };
        Ok(entry
            .objects
            .values()
            .filter(|(o, _)| o.index.bounds.may_overlap(from, to))
            .map(|(o, _)| o.clone())
            .collect())
    }

    async fn changes_since(
        &self,
        calendar: CalendarId,
        since: Option<SyncToken>,
        limit: Option<usize>,
    ) -> Result<ChangeSet, StoreError> {
        let state = self.lock();
        let entry = state.calendars.get(&calendar).ok_or(StoreError::NotFound)?;
        let current = entry.calendar.sync_token;
        let rows = match since {
            None => entry
                .objects
                .iter()
                .map(|(href, (_, seq))| Change {
                    href: href.as_str().to_owned(),
                    kind: ChangeKind::Created,
                    seq: *seq,
                })
                .collect(),
            Some(token) if token.calendar() != calendar || token.seq() > entry.seq => {
                return Err(StoreError::Sync(SyncError::Unknown));
            }
            Some(token) if token.seq() < entry.floor => return Err(StoreError::Sync(SyncError::TooOld)),
            Some(token) => entry.changes.iter().filter(|c| c.seq > token.seq()).cloned().collect(),
        };
        Ok(collapse(rows, current, limit))
    }

    async fn prune_changes(&self, calendar: CalendarId, through: SyncToken) -> Result<u64, StoreError> {
        let mut state = self.lock();
        let entry = state.calendar_mut(calendar)?;
        if through.calendar() != calendar || through.seq() > entry.seq {
            return Err(StoreError::Sync(SyncError::Unknown));
        }
        let before = entry.changes.len();
        entry.changes.retain(|c| c.seq > through.seq());
        entry.floor = entry.floor.max(through.seq());
        Ok(u64::try_from(before - entry.changes.len()).unwrap_or(u64::MAX))
    }
}
