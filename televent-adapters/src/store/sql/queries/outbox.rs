//! Statements on `outbox`: enqueueing, claiming under a lease, finishing, listing.
//!
//! A message is *due* at `now` when it is pending, or claimed under a lease that has ended,
//! and its `available_at` has come. A claimed row whose lease ended reads as pending.

use chrono::{DateTime, Utc};
use sea_query::{
    Asterisk, CaseStatement, Cond, Expr, ExprTrait, Func, InsertStatement, LockBehavior, LockType, OnConflict, Order,
    Query, SelectStatement, UpdateStatement,
};
use televent_domain::ids::{OutboxId, UserId};
use televent_domain::outbox::{NewOutboxMessage, OutboxStatus};
use televent_ports::StoreError;
use uuid::Uuid;

use crate::store::sql::codec::{limit, micros};
use crate::store::sql::payload;
use crate::store::sql::schema::Outbox;

/// The columns of an [`OutboxRow`](crate::store::sql::rows::OutboxRow).
const MESSAGE_COLUMNS: [Outbox; 11] = [
    Outbox::Id,
    Outbox::Channel,
    Outbox::Recipient,
    Outbox::Payload,
    Outbox::IdempotencyKey,
    Outbox::Status,
    Outbox::Attempts,
    Outbox::AvailableAt,
    Outbox::LeaseUntil,
    Outbox::LastError,
    Outbox::CreatedAt,
];

const PENDING: &str = "pending";
const CLAIMED: &str = "claimed";

/// Rows per INSERT: ten values each stays far below SQLite's and PostgreSQL's limits on
/// bound parameters.
const ROWS_PER_INSERT: usize = 500;

/// Inserts messages, skipping those whose idempotency key is known: one statement per
/// `ROWS_PER_INSERT` messages, none when there are none. Refuses the whole batch if a key
/// is empty: inside a resource write this is what rolls the write back.
pub fn insert_messages(messages: &[NewOutboxMessage], at: DateTime<Utc>) -> Result<Vec<InsertStatement>, StoreError> {
    if messages.iter().any(|m| m.idempotency_key.is_empty()) {
        return Err(StoreError::Invalid(
            "an outbox message has an empty idempotency key".to_owned(),
        ));
    }
    messages
        .chunks(ROWS_PER_INSERT)
        .map(|chunk| insert_chunk(chunk, at))
        .collect()
}

fn insert_chunk(messages: &[NewOutboxMessage], at: DateTime<Utc>) -> Result<InsertStatement, StoreError> {
    let mut insert = Query::insert();
    insert.into_table(Outbox::Table).columns([
        Outbox::Id,
        Outbox::Channel,
        Outbox::Recipient,
        Outbox::Payload,
        Outbox::IdempotencyKey,
        Outbox::Status,
        Outbox::Attempts,
        Outbox::AvailableAt,
        Outbox::CreatedAt,
        Outbox::UpdatedAt,
        Outbox::OwnerId,
    ]);
    for message in messages {
        insert
            .values([
                Uuid::new_v4().into(),
                message.channel.as_str().into(),
                message.recipient.as_str().into(),
                payload::encode(&message.payload)?.into(),
                message.idempotency_key.as_str().into(),
                PENDING.into(),
                0_i64.into(),
                micros(message.available_at).into(),
                micros(at).into(),
                micros(at).into(),
                message.payload.owner().as_uuid().into(),
            ])
            .map_err(|e| StoreError::Invalid(format!("bad outbox insert: {e}")))?;
    }
    insert.on_conflict(OnConflict::column(Outbox::IdempotencyKey).do_nothing().to_owned());
    Ok(insert)
}

/// Messages due at `now`.
fn due(now: i64) -> Cond {
    Cond::all()
        .add(Expr::col(Outbox::Status).is_in([PENDING, CLAIMED]))
        .add(Expr::col(Outbox::AvailableAt).lte(now))
        .add(
            Cond::any()
                .add(Expr::col(Outbox::Status).eq(PENDING))
                .add(Expr::col(Outbox::LeaseUntil).lte(now)),
        )
}

/// Leases up to `batch` due messages to `worker` until `until`, oldest due first; returns
/// them. With `lock_rows` the choice skips rows another transaction is claiming (`FOR UPDATE
/// SKIP LOCKED`, PostgreSQL); without, the caller must be the only writer (SQLite).
pub fn claim(worker: &str, batch: usize, until: DateTime<Utc>, now: DateTime<Utc>, lock_rows: bool) -> UpdateStatement {
    let now = micros(now);
    let mut chosen = Query::select();
    chosen
        .column(Outbox::Id)
        .from(Outbox::Table)
        .cond_where(due(now))
        .order_by(Outbox::AvailableAt, Order::Asc)
        .order_by(Outbox::CreatedAt, Order::Asc)
        .limit(limit(batch));
    if lock_rows {
        chosen.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    Query::update()
        .table(Outbox::Table)
        .value(Outbox::Status, CLAIMED)
        .value(Outbox::LeasedBy, worker)
        .value(Outbox::LeaseUntil, micros(until))
        .value(Outbox::UpdatedAt, now)
        .and_where(Expr::col(Outbox::Id).in_subquery(chosen))
        .returning(Query::returning().columns(MESSAGE_COLUMNS))
        .to_owned()
}

/// Ends `worker`'s lease on message `id`: `to` sets the outcome. Matches nothing when the
/// worker no longer holds the message.
pub fn finish(id: OutboxId, worker: &str, to: Finish<'_>, at: DateTime<Utc>) -> UpdateStatement {
    let mut update = Query::update();
    update
        .table(Outbox::Table)
        .value(Outbox::LeasedBy, Option::<String>::None)
        .value(Outbox::LeaseUntil, Option::<i64>::None)
        .value(Outbox::UpdatedAt, micros(at));
    let attempt = Expr::col(Outbox::Attempts).add(1);
    match to {
        Finish::Delivered => {
            update
                .value(Outbox::Status, OutboxStatus::Delivered.as_str())
                .value(Outbox::Attempts, attempt);
        }
        Finish::Failed {
            error,
            retry_at: Some(retry_at),
        } => {
            update
                .value(Outbox::Status, PENDING)
                .value(Outbox::AvailableAt, micros(retry_at))
                .value(Outbox::Attempts, attempt)
                .value(Outbox::LastError, error);
        }
        Finish::Failed { error, retry_at: None } => {
            update
                .value(Outbox::Status, OutboxStatus::Failed.as_str())
                .value(Outbox::Attempts, attempt)
                .value(Outbox::LastError, error);
        }
        Finish::Released { available_at } => {
            update
                .value(Outbox::Status, PENDING)
                .value(Outbox::AvailableAt, micros(available_at));
        }
    }
    update
        .and_where(Expr::col(Outbox::Id).eq(id.as_uuid()))
        .and_where(Expr::col(Outbox::Status).eq(CLAIMED))
        .and_where(Expr::col(Outbox::LeasedBy).eq(worker))
        .to_owned()
}

/// How a lease ends.
#[derive(Debug, Clone, Copy)]
pub enum Finish<'a> {
    /// Delivered: an attempt that worked.
    Delivered,
    /// An attempt that failed: retried at `retry_at`, or dead-lettered.
    Failed {
        error: &'a str,
        retry_at: Option<DateTime<Utc>>,
    },
    /// Given back without an attempt.
    Released { available_at: DateTime<Utc> },
}

/// Puts dead-lettered messages (one, or all) back in the queue, due at `now`.
pub fn retry(id: Option<OutboxId>, now: DateTime<Utc>) -> UpdateStatement {
    let mut update = Query::update();
    update
        .table(Outbox::Table)
        .value(Outbox::Status, PENDING)
        .value(Outbox::AvailableAt, micros(now))
        .value(Outbox::Attempts, 0_i64)
        .value(Outbox::UpdatedAt, micros(now))
        .and_where(Expr::col(Outbox::Status).eq(OutboxStatus::Failed.as_str()));
    if let Some(id) = id {
        update.and_where(Expr::col(Outbox::Id).eq(id.as_uuid()));
    }
    update
}

/// Messages, newest first, of the status a reader at `now` sees.
/// One user's messages, newest first, after the message created at `after` with that id.
pub fn select_owner_messages(owner: UserId, after: Option<(i64, Uuid)>, count: usize) -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(MESSAGE_COLUMNS)
        .from(Outbox::Table)
        .and_where(Expr::col(Outbox::OwnerId).eq(owner.as_uuid()))
        .order_by(Outbox::CreatedAt, Order::Desc)
        .order_by(Outbox::Id, Order::Desc)
        .limit(limit(count));
    if let Some((created_at, id)) = after {
        select.cond_where(
            Cond::any().add(Expr::col(Outbox::CreatedAt).lt(created_at)).add(
                Cond::all()
                    .add(Expr::col(Outbox::CreatedAt).eq(created_at))
                    .add(Expr::col(Outbox::Id).lt(id)),
            ),
        );
    }
    select
}

pub fn select_messages(status: Option<OutboxStatus>, count: usize, now: DateTime<Utc>) -> SelectStatement {
    let now = micros(now);
    let mut select = Query::select();
    select
        .columns(MESSAGE_COLUMNS)
        .from(Outbox::Table)
        .order_by(Outbox::CreatedAt, Order::Desc)
        .limit(limit(count));
    let condition = match status {
        None => None,
        Some(OutboxStatus::Pending) => Some(
            Cond::any().add(Expr::col(Outbox::Status).eq(PENDING)).add(
                Cond::all()
                    .add(Expr::col(Outbox::Status).eq(CLAIMED))
                    .add(Expr::col(Outbox::LeaseUntil).lte(now)),
            ),
        ),
        Some(OutboxStatus::Claimed) => Some(
            Cond::all().add(Expr::col(Outbox::Status).eq(CLAIMED)).add(
                Cond::any()
                    .add(Expr::col(Outbox::LeaseUntil).is_null())
                    .add(Expr::col(Outbox::LeaseUntil).gt(now)),
            ),
        ),
        Some(other) => Some(Cond::all().add(Expr::col(Outbox::Status).eq(other.as_str()))),
    };
    if let Some(condition) = condition {
        select.cond_where(condition);
    }
    select
}

/// One message by id (a row of [`OutboxRow`](crate::store::sql::rows::OutboxRow)).
pub fn select_message(id: OutboxId) -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(MESSAGE_COLUMNS)
        .from(Outbox::Table)
        .and_where(Expr::col(Outbox::Id).eq(id.as_uuid()));
    select
}

/// How many messages show each status at `now` (rows of
/// [`OutboxCountRow`](crate::store::sql::rows::OutboxCountRow)).
pub fn count_by_status(now: DateTime<Utc>) -> SelectStatement {
    let visible = CaseStatement::new()
        .case(
            Cond::all()
                .add(Expr::col(Outbox::Status).eq(CLAIMED))
                .add(Expr::col(Outbox::LeaseUntil).lte(micros(now))),
            Expr::val(PENDING),
        )
        .finally(Expr::col(Outbox::Status));
    Query::select()
        .expr_as(visible, "visible")
        .expr_as(Func::count(Expr::col(Asterisk)), "count")
        .from(Outbox::Table)
        // The output column, by its alias: grouping by the CASE expression again would bind
        // its values twice, and PostgreSQL would not see the two as the same expression.
        .group_by_col("visible")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    use super::*;

    #[test]
    fn only_postgres_claims_skip_locked_rows() {
        let now = Utc::now();
        let (postgres, _) = claim("w", 10, now, now, true).build(PostgresQueryBuilder);
        assert!(
            postgres.contains("IN (SELECT \"id\" FROM \"outbox\" WHERE"),
            "{postgres}"
        );
        assert!(postgres.contains("FOR UPDATE SKIP LOCKED)"), "{postgres}");
        assert!(postgres.contains("RETURNING"), "{postgres}");
        let (sqlite, _) = claim("w", 10, now, now, false).build(SqliteQueryBuilder);
        assert!(!sqlite.contains("FOR UPDATE"), "{sqlite}");
        assert!(sqlite.contains("LIMIT ?) RETURNING"), "{sqlite}");
    }
}
