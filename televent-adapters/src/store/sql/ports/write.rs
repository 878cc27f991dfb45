//! Resource writes: `put_object` and `delete_object`, each one transaction.
//!
//! The order of statements is the concurrency design. The calendar's counter is bumped
//! first: on PostgreSQL that row lock makes writers of one calendar wait for each other, so
//! the precondition read that follows sees the previous writer's commit (on SQLite a single
//! writer connection already serializes writes). Then the precondition and UID checks, the
//! resource, the change-log row and the outbox rows. Any refusal returns an error and the
//! caller drops the transaction, which rolls everything back: an empty idempotency key is
//! found only when the outbox rows are built, after the resource was written, and still
//! leaves nothing behind.

use chrono::{DateTime, Utc};
use televent_domain::event::Href;
use televent_domain::ids::{CalendarId, EventId};
use televent_domain::outbox::NewOutboxMessage;
use televent_domain::sync::{ChangeKind, SyncToken};
use televent_ports::StoreError;
use televent_ports::store::{DeleteObject, ObjectWrite, Precondition, WriteOutcome};

use crate::store::sql::codec::unsigned;
use crate::store::sql::conn::Conn;
use crate::store::sql::error::db_error;
use crate::store::sql::queries::{calendars, changes, objects, outbox};
use crate::store::sql::rows::{ObjectHeadRow, SeqRow};

/// Creates or replaces a resource inside the caller's transaction.
pub(super) async fn put<C: Conn>(conn: &mut C, write: ObjectWrite) -> Result<WriteOutcome, StoreError> {
    let seq = bump(conn, write.calendar, write.at).await?;
    let uid = write.index.uid.as_str();
    let heads: Vec<ObjectHeadRow> = conn
        .fetch_all(&objects::select_heads(write.calendar, &write.href, Some(uid)))
        .await
        .map_err(db_error)?;
    let current = heads.iter().find(|h| h.href == write.href.as_str());
    check(&write.precondition, current.map(|h| h.etag.as_str()))?;
    if let Some(other) = heads.iter().find(|h| h.href != write.href.as_str() && h.uid == uid) {
        return Err(StoreError::UidConflict(
            Href::parse(&other.href).map_err(StoreError::Corrupt)?,
        ));
    }
    let kind = match current {
        Some(head) => {
            conn.execute(&objects::update_object(EventId::from_uuid(head.id), &write, seq))
                .await
                .map_err(db_error)?;
            ChangeKind::Updated
        }
        None => {
            conn.execute(&objects::insert_object(EventId::new_random(), &write, seq)?)
                .await
                .map_err(db_error)?;
            ChangeKind::Created
        }
    };
    log_and_enqueue(conn, write.calendar, seq, &write.href, kind, &write.outbox, write.at).await?;
    Ok(WriteOutcome {
        created: kind == ChangeKind::Created,
        etag: write.etag,
        token: SyncToken::new(write.calendar, unsigned(seq)?),
    })
}

/// Removes a resource inside the caller's transaction.
pub(super) async fn delete<C: Conn>(conn: &mut C, delete: DeleteObject) -> Result<SyncToken, StoreError> {
    let seq = bump(conn, delete.calendar, delete.at).await?;
    let heads: Vec<ObjectHeadRow> = conn
        .fetch_all(&objects::select_heads(delete.calendar, &delete.href, None))
        .await
        .map_err(db_error)?;
    let current = heads.first().ok_or(StoreError::NotFound)?;
    check(&delete.precondition, Some(current.etag.as_str()))?;
    conn.execute(&objects::delete_object(EventId::from_uuid(current.id)))
        .await
        .map_err(db_error)?;
    log_and_enqueue(
        conn,
        delete.calendar,
        seq,
        &delete.href,
        ChangeKind::Deleted,
        &delete.outbox,
        delete.at,
    )
    .await?;
    Ok(SyncToken::new(delete.calendar, unsigned(seq)?))
}

/// Takes the calendar's next sequence number (and, on PostgreSQL, its row lock).
/// `NotFound` when there is no such calendar.
async fn bump<C: Conn>(conn: &mut C, calendar: CalendarId, at: DateTime<Utc>) -> Result<i64, StoreError> {
    let row: Option<SeqRow> = conn
        .fetch_optional(&calendars::bump_counter(calendar, at))
        .await
        .map_err(db_error)?;
    Ok(row.ok_or(StoreError::NotFound)?.sync_seq)
}

/// Appends the change-log row and enqueues the write's messages.
async fn log_and_enqueue<C: Conn>(
    conn: &mut C,
    calendar: CalendarId,
    seq: i64,
    href: &Href,
    kind: ChangeKind,
    messages: &[NewOutboxMessage],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(&changes::insert_change(calendar, seq, href, kind)?)
        .await
        .map_err(db_error)?;
    enqueue(conn, messages, at).await?;
    Ok(())
}

/// Inserts outbox messages whose keys are new; returns how many. Every statement is built
/// (and every key checked) before the first runs.
pub(super) async fn enqueue<C: Conn>(
    conn: &mut C,
    messages: &[NewOutboxMessage],
    at: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut added = 0;
    for insert in outbox::insert_messages(messages, at)? {
        added += conn.execute(&insert).await.map_err(db_error)?;
    }
    Ok(usize::try_from(added).unwrap_or(usize::MAX))
}

/// Checks a write precondition against the current ETag (`None`: nothing there).
fn check(precondition: &Precondition, current: Option<&str>) -> Result<(), StoreError> {
    match (precondition, current) {
        (Precondition::None, _) => Ok(()),
        (Precondition::IfMatch(etag), Some(current)) if etag.as_str() == current => Ok(()),
        (Precondition::IfNoneMatchAny, None) => Ok(()),
        _ => Err(StoreError::PreconditionFailed),
    }
}
