//! Rows of `outbox`, and the per-status counts.

use televent_domain::ids::OutboxId;
use televent_domain::outbox::{Channel, OutboxMessage, OutboxStatus};
use televent_ports::StoreError;
use uuid::Uuid;

use crate::store::sql::codec::{instant, small};
use crate::store::sql::error::corrupt;
use crate::store::sql::payload;

/// An `outbox` row, as the port shows it (no lease columns).
#[derive(Debug, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub payload: String,
    pub idempotency_key: String,
    pub status: String,
    pub attempts: i64,
    pub available_at: i64,
    pub lease_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

impl OutboxRow {
    /// The message, with the status a reader at `now` sees: a claim whose lease has ended
    /// reads as pending.
    pub fn into_message(self, now: i64) -> Result<OutboxMessage, StoreError> {
        let stored = status(&self.status)?;
        let status = match stored {
            OutboxStatus::Claimed if self.lease_until.is_some_and(|until| until <= now) => OutboxStatus::Pending,
            other => other,
        };
        Ok(OutboxMessage {
            id: OutboxId::from_uuid(self.id),
            channel: Channel::parse(&self.channel).ok_or_else(|| corrupt(format!("channel '{}'", self.channel)))?,
            recipient: self.recipient,
            payload: payload::decode(&self.payload)?,
            idempotency_key: self.idempotency_key,
            status,
            attempts: small(self.attempts)?,
            available_at: instant(self.available_at)?,
            last_error: self.last_error,
            created_at: instant(self.created_at)?,
        })
    }
}

/// How many messages show one status.
#[derive(Debug, sqlx::FromRow)]
pub struct OutboxCountRow {
    pub visible: String,
    pub count: i64,
}

/// A stored status.
pub fn status(text: &str) -> Result<OutboxStatus, StoreError> {
    OutboxStatus::parse(text).ok_or_else(|| corrupt(format!("outbox status '{text}'")))
}
