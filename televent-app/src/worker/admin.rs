//! Looking at the outbox and requeueing dead letters (the operator's side).

use televent_domain::ids::OutboxId;
use televent_domain::outbox::{OutboxMessage, OutboxStatus};
use televent_ports::OutboxCounts;

use crate::engine::Televent;
use crate::error::AppError;

impl Televent {
    /// Messages, newest first, of one status or all.
    pub async fn outbox_messages(
        &self,
        status: Option<OutboxStatus>,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, AppError> {
        Ok(self.store.list(status, limit, self.clock.now()).await?)
    }

    /// How many messages are in each state.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, AppError> {
        Ok(self.store.counts(self.clock.now()).await?)
    }

    /// Puts one dead-lettered message back in the queue, its tries counted from zero.
    pub async fn retry_outbox_message(&self, id: OutboxId) -> Result<(), AppError> {
        self.store
            .retry(id, self.clock.now())
            .await
            .map_err(|error| match error {
                televent_ports::StoreError::NotFound => AppError::NotFound(format!("failed message {id}")),
                other => other.into(),
            })
    }

    /// Puts every dead-lettered message back; returns how many.
    pub async fn retry_failed_outbox_messages(&self) -> Result<u64, AppError> {
        Ok(self.store.retry_all_failed(self.clock.now()).await?)
    }
}
