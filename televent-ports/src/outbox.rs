//! The outbox port: claiming, completing and failing messages.
//!
//! Messages caused by an object write are enqueued by the store in that write's transaction
//! (see `ObjectWrite::outbox`); this port serves the worker and the scheduler.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use televent_domain::ids::{OutboxId, UserId};
use televent_domain::outbox::{NewOutboxMessage, OutboxMessage, OutboxStatus};

use crate::error::StoreError;

/// How many messages are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    /// Waiting.
    pub pending: u64,
    /// Claimed under a live lease.
    pub claimed: u64,
    /// Delivered.
    pub delivered: u64,
    /// Dead-lettered.
    pub failed: u64,
}

/// The outbox.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Outbox: Send + Sync {
    /// Enqueues messages; one whose idempotency key is already known is skipped. Returns how
    /// many were new.
    async fn enqueue(&self, messages: Vec<NewOutboxMessage>, now: DateTime<Utc>) -> Result<usize, StoreError>;

    /// Claims up to `batch` messages that are due at `now` (pending, or claimed under a lease
    /// that has ended) for `worker`, leasing them for `lease`. No two live leases hold one
    /// message.
    async fn claim(
        &self,
        worker: &str,
        batch: usize,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError>;

    /// Marks a claimed message delivered. `NotFound` if `worker` no longer holds it.
    async fn complete(&self, id: OutboxId, worker: &str, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Records a failed attempt: back to pending until `retry_at`, or dead-lettered when
    /// `retry_at` is `None`. `NotFound` if `worker` no longer holds it.
    async fn fail(
        &self,
        id: OutboxId,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Gives a claimed message back without counting an attempt (its channel is off).
    async fn release(
        &self,
        id: OutboxId,
        worker: &str,
        available_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Messages, newest first, optionally of one status as seen at `now` (a claim whose lease
    /// has ended counts as pending).
    async fn list(
        &self,
        status: Option<OutboxStatus>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError>;

    /// The messages of one user (`OutboxPayload::owner`), newest first (by creation, then
    /// id), at most `limit`, starting after `after` (the last message of the previous page).
    async fn list_for_owner(
        &self,
        owner: UserId,
        after: Option<OutboxId>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError>;

    /// One message as seen at `now`, whatever its status.
    async fn message(&self, id: OutboxId, now: DateTime<Utc>) -> Result<Option<OutboxMessage>, StoreError>;

    /// Puts one dead-lettered message back in the queue.
    async fn retry(&self, id: OutboxId, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Puts every dead-lettered message back; returns how many.
    async fn retry_all_failed(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Counts by status.
    async fn counts(&self, now: DateTime<Utc>) -> Result<OutboxCounts, StoreError>;
}
