//! The outbox, in memory: leases instead of row locks.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use televent_domain::ids::{OutboxId, UserId};
use televent_domain::outbox::{NewOutboxMessage, OutboxMessage, OutboxStatus};
use televent_ports::StoreError;
use televent_ports::outbox::{Outbox, OutboxCounts};

use super::{MemoryStore, OutboxEntry, State};

impl State {
    /// Enqueues messages whose keys are new; returns how many.
    pub(super) fn enqueue_new(&mut self, messages: Vec<NewOutboxMessage>, at: DateTime<Utc>) -> usize {
        let mut added = 0;
        for message in messages {
            if !self.outbox_keys.insert(message.idempotency_key.clone()) {
                continue;
            }
            added += 1;
            self.outbox.push(OutboxEntry {
                message: OutboxMessage {
                    id: OutboxId::new_random(),
                    channel: message.channel,
                    recipient: message.recipient,
                    payload: message.payload,
                    idempotency_key: message.idempotency_key,
                    status: OutboxStatus::Pending,
                    attempts: 0,
                    available_at: message.available_at,
                    last_error: None,
                    created_at: at,
                },
                leased_by: None,
                lease_until: None,
            });
        }
        added
    }

    fn held(&mut self, id: OutboxId, worker: &str) -> Result<&mut OutboxEntry, StoreError> {
        self.outbox
            .iter_mut()
            .find(|e| {
                e.message.id == id
                    && e.message.status == OutboxStatus::Claimed
                    && e.leased_by.as_deref() == Some(worker)
            })
            .ok_or(StoreError::NotFound)
    }
}

impl OutboxEntry {
    /// The worker lets go: complete, failed or released, the message is nobody's now.
    fn end_lease(&mut self) {
        self.leased_by = None;
        self.lease_until = None;
    }
}

fn visible_status(entry: &OutboxEntry, now: DateTime<Utc>) -> OutboxStatus {
    match entry.message.status {
        OutboxStatus::Claimed if entry.lease_until.is_some_and(|until| until <= now) => OutboxStatus::Pending,
        status => status,
    }
}

#[async_trait]
impl Outbox for MemoryStore {
    async fn enqueue(&self, messages: Vec<NewOutboxMessage>, now: DateTime<Utc>) -> Result<usize, StoreError> {
        State::check_outbox_keys(&messages)?;
        Ok(self.lock().enqueue_new(messages, now))
    }

    async fn claim(
        &self,
        worker: &str,
        batch: usize,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let mut state = self.lock();
        let mut claimed = Vec::new();
        let mut due: Vec<&mut OutboxEntry> = state
            .outbox
            .iter_mut()
            .filter(|e| e.message.available_at <= now && visible_status(e, now) == OutboxStatus::Pending)
            .collect();
        due.sort_by_key(|e| (e.message.available_at, e.message.created_at));
        for entry in due.into_iter().take(batch) {
            entry.message.status = OutboxStatus::Claimed;
            entry.leased_by = Some(worker.to_owned());
            entry.lease_until = Some(now + lease);
            claimed.push(entry.message.clone());
        }
        Ok(claimed)
    }

    async fn complete(&self, id: OutboxId, worker: &str, _now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut state = self.lock();
        let entry = state.held(id, worker)?;
        entry.message.status = OutboxStatus::Delivered;
        entry.message.attempts += 1;
        entry.end_lease();
        Ok(())
    }

    async fn fail(
        &self,
        id: OutboxId,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        _now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let entry = state.held(id, worker)?;
        entry.message.attempts += 1;
        entry.message.last_error = Some(error.to_owned());
        entry.end_lease();
        match retry_at {
            Some(at) => {
                entry.message.status = OutboxStatus::Pending;
                entry.message.available_at = at;
            }
            None => entry.message.status = OutboxStatus::Failed,
        }
        Ok(())
    }

    async fn release(
        &self,
        id: OutboxId,
        worker: &str,
        available_at: DateTime<Utc>,
        _now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let entry = state.held(id, worker)?;
        entry.message.status = OutboxStatus::Pending;
        entry.message.available_at = available_at;
        entry.end_lease();
        Ok(())
    }

    async fn list(
        &self,
        status: Option<OutboxStatus>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let state = self.lock();
        let mut found: Vec<OutboxMessage> = state
            .outbox
            .iter()
            .filter(|e| status.is_none_or(|s| visible_status(e, now) == s))
            .map(|e| OutboxMessage {
                status: visible_status(e, now),
                ..e.message.clone()
            })
            .collect();
        found.sort_by_key(|m| std::cmp::Reverse(m.created_at));
        found.truncate(limit);
        Ok(found)
    }

    async fn list_for_owner(
        &self,
        owner: UserId,
        after: Option<OutboxId>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let state = self.lock();
        let newest_first = |m: &OutboxMessage| std::cmp::Reverse((m.created_at, m.id.as_uuid()));
        let cursor = match after {
            None => None,
            Some(id) => match state.outbox.iter().find(|e| e.message.id == id) {
                Some(entry) => Some(newest_first(&entry.message)),
                None => return Ok(Vec::new()),
            },
        };
        let mut found: Vec<OutboxMessage> = state
            .outbox
            .iter()
            .filter(|e| e.message.payload.owner() == owner)
            .filter(|e| cursor.as_ref().is_none_or(|c| newest_first(&e.message) > *c))
            .map(|e| OutboxMessage {
                status: visible_status(e, now),
                ..e.message.clone()
            })
            .collect();
        found.sort_by_key(newest_first);
        found.truncate(limit);
        Ok(found)
    }

    async fn message(&self, id: OutboxId, now: DateTime<Utc>) -> Result<Option<OutboxMessage>, StoreError> {
        let state = self.lock();
        Ok(state.outbox.iter().find(|e| e.message.id == id).map(|e| OutboxMessage {
            status: visible_status(e, now),
            ..e.message.clone()
        }))
    }

    async fn retry(&self, id: OutboxId, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut state = self.lock();
        let entry = state
            .outbox
            .iter_mut()
            .find(|e| e.message.id == id && e.message.status == OutboxStatus::Failed)
            .ok_or(StoreError::NotFound)?;
        entry.message.status = OutboxStatus::Pending;
        entry.message.available_at = now;
        entry.message.attempts = 0;
        Ok(())
    }

    async fn retry_all_failed(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut state = self.lock();
        let mut count = 0;
        for entry in state
            .outbox
            .iter_mut()
            .filter(|e| e.message.status == OutboxStatus::Failed)
        {
            entry.message.status = OutboxStatus::Pending;
            entry.message.available_at = now;
            entry.message.attempts = 0;
            count += 1;
        }
        Ok(count)
    }

    async fn counts(&self, now: DateTime<Utc>) -> Result<OutboxCounts, StoreError> {
        let state = self.lock();
        let mut counts = OutboxCounts::default();
        for entry in &state.outbox {
            match visible_status(entry, now) {
                OutboxStatus::Pending => counts.pending += 1,
                OutboxStatus::Claimed => counts.claimed += 1,
                OutboxStatus::Delivered => counts.delivered += 1,
                OutboxStatus::Failed => counts.failed += 1,
            }
        }
        Ok(counts)
    }
}
