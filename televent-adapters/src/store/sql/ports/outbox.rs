//! `Outbox`: enqueueing, leasing, finishing and inspecting messages.
//!
//! A claim is one `UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING ...` statement. On
//! PostgreSQL the inner select locks what it picks with `FOR UPDATE SKIP LOCKED`, so two
//! workers never pick the same row; on SQLite the single writer connection gives the same.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use televent_domain::ids::{OutboxId, UserId};
use televent_domain::outbox::{NewOutboxMessage, OutboxMessage, OutboxStatus};
use televent_ports::StoreError;
use televent_ports::outbox::{Outbox, OutboxCounts};

use super::Connection;
use super::write::enqueue;
use crate::store::sql::backend::{Backend, SqlStore, commit};
use crate::store::sql::codec::{micros, unsigned};
use crate::store::sql::conn::Conn;
use crate::store::sql::error::db_error;
use crate::store::sql::queries::outbox::{self as queries, Finish};
use crate::store::sql::rows::{OutboxCountRow, OutboxRow, status};

impl<B: Backend> SqlStore<B> {
    async fn finish(&self, id: OutboxId, worker: &str, to: Finish<'_>, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        let changed = conn
            .execute(&queries::finish(id, worker, to, at))
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

#[async_trait]
impl<B: Backend> Outbox for SqlStore<B> {
    async fn enqueue(&self, messages: Vec<NewOutboxMessage>, now: DateTime<Utc>) -> Result<usize, StoreError> {
        // A transaction: a large batch takes several statements, and all of it or none
        // must land.
        let mut transaction = self.begin().await?;
        let conn: &mut Connection<B> = &mut transaction;
        let added = enqueue(conn, &messages, now).await?;
        commit(transaction).await?;
        Ok(added)
    }

    async fn claim(
        &self,
        worker: &str,
        batch: usize,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        if batch == 0 {
            return Ok(Vec::new());
        }
        let mut conn = self.writer().await?;
        let statement = queries::claim(worker, batch, now + lease, now, B::LOCKS_ROWS);
        let rows: Vec<OutboxRow> = conn.fetch_all(&statement).await.map_err(db_error)?;
        let mut claimed = rows
            .into_iter()
            .map(|row| row.into_message(micros(now)))
            .collect::<Result<Vec<_>, _>>()?;
        // RETURNING does not keep the inner ORDER BY.
        claimed.sort_by_key(|m| (m.available_at, m.created_at));
        Ok(claimed)
    }

    async fn complete(&self, id: OutboxId, worker: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.finish(id, worker, Finish::Delivered, now).await
    }

    async fn fail(
        &self,
        id: OutboxId,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.finish(id, worker, Finish::Failed { error, retry_at }, now).await
    }

    async fn release(
        &self,
        id: OutboxId,
        worker: &str,
        available_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.finish(id, worker, Finish::Released { available_at }, now).await
    }

    async fn list(
        &self,
        status: Option<OutboxStatus>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let mut conn = self.reader().await?;
        let rows: Vec<OutboxRow> = conn
            .fetch_all(&queries::select_messages(status, limit, now))
            .await
            .map_err(db_error)?;
        rows.into_iter().map(|row| row.into_message(micros(now))).collect()
    }

    async fn list_for_owner(
        &self,
        owner: UserId,
        after: Option<OutboxId>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let mut conn = self.reader().await?;
        let after = match after {
            None => None,
            Some(id) => {
                let row: Option<OutboxRow> = conn
                    .fetch_optional(&queries::select_message(id))
                    .await
                    .map_err(db_error)?;
                // A cursor naming no message starts nowhere: an empty page, not the first.
                let Some(row) = row else { return Ok(Vec::new()) };
                Some((row.created_at, row.id))
            }
        };
        let rows: Vec<OutboxRow> = conn
            .fetch_all(&queries::select_owner_messages(owner, after, limit))
            .await
            .map_err(db_error)?;
        rows.into_iter().map(|row| row.into_message(micros(now))).collect()
    }

    async fn message(&self, id: OutboxId, now: DateTime<Utc>) -> Result<Option<OutboxMessage>, StoreError> {
        let mut conn = self.reader().await?;
        let row: Option<OutboxRow> = conn
            .fetch_optional(&queries::select_message(id))
            .await
            .map_err(db_error)?;
        row.map(|row| row.into_message(micros(now))).transpose()
    }

    async fn retry(&self, id: OutboxId, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        let changed = conn.execute(&queries::retry(Some(id), now)).await.map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn retry_all_failed(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut conn = self.writer().await?;
        conn.execute(&queries::retry(None, now)).await.map_err(db_error)
    }

    async fn counts(&self, now: DateTime<Utc>) -> Result<OutboxCounts, StoreError> {
        let mut conn = self.reader().await?;
        let rows: Vec<OutboxCountRow> = conn.fetch_all(&queries::count_by_status(now)).await.map_err(db_error)?;
        let mut counts = OutboxCounts::default();
        for row in rows {
            let count = unsigned(row.count)?;
            match status(&row.visible)? {
                OutboxStatus::Pending => counts.pending += count,
                OutboxStatus::Claimed => counts.claimed += count,
                OutboxStatus::Delivered => counts.delivered += count,
                OutboxStatus::Failed => counts.failed += count,
            }
        }
        Ok(counts)
    }
}
