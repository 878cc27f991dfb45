//! The sync report (RFC 6578): what changed in a calendar since a token.
//!
//! The same semantics as the in-memory store: no token lists every current resource as
//! created at its last write; a token lists the log rows after it. Both are collapsed to the
//! latest change per href by `televent_domain::sync::collapse`.

use televent_domain::ids::CalendarId;
use televent_domain::sync::{Change, ChangeSet, SyncError, SyncToken, collapse};
use televent_ports::StoreError;

use crate::store::sql::codec::unsigned;
use crate::store::sql::conn::Conn;
use crate::store::sql::error::db_error;
use crate::store::sql::queries::{calendars, changes};
use crate::store::sql::rows::{ChangeRow, CounterRow, CreatedRow};

/// What changed in `calendar` since `since`, at most `limit` hrefs.
pub(super) async fn changes_since<C: Conn>(
    conn: &mut C,
    calendar: CalendarId,
    since: Option<SyncToken>,
    limit: Option<usize>,
) -> Result<ChangeSet, StoreError> {
    let counter: Option<CounterRow> = conn
        .fetch_optional(&calendars::select_counter(calendar))
        .await
        .map_err(db_error)?;
    let counter = counter.ok_or(StoreError::NotFound)?;
    let seq = unsigned(counter.sync_seq)?;
    let rows: Vec<Change> = match since {
        None => {
            let rows: Vec<CreatedRow> = conn
                .fetch_all(&changes::select_current(calendar))
                .await
                .map_err(db_error)?;
            rows.into_iter()
                .map(CreatedRow::into_change)
                .collect::<Result<_, _>>()?
        }
        Some(token) if token.calendar() != calendar || token.seq() > seq => {
            return Err(StoreError::Sync(SyncError::Unknown));
        }
        Some(token) if token.seq() < unsigned(counter.changes_floor)? => {
            return Err(StoreError::Sync(SyncError::TooOld));
        }
        Some(token) => {
            // Up to the counter just read: a write committed since is reported next time.
            let rows: Vec<ChangeRow> = conn
                .fetch_all(&changes::select_changes(calendar, token.seq(), seq))
                .await
                .map_err(db_error)?;
            rows.into_iter().map(ChangeRow::into_change).collect::<Result<_, _>>()?
        }
    };
    Ok(collapse(rows, SyncToken::new(calendar, seq), limit))
}
