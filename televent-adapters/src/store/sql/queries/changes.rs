//! Statements on `calendar_changes`, the per-calendar change log, and the initial-sync
//! listing.

use sea_query::{Expr, ExprTrait, InsertStatement, Order, Query, SelectStatement};
use televent_domain::event::Href;
use televent_domain::ids::CalendarId;
use televent_domain::sync::ChangeKind;
use televent_ports::StoreError;

use super::insert;
use crate::store::sql::codec::signed;
use crate::store::sql::schema::{CalendarChanges, CalendarObjects};

/// Appends one change.
pub fn insert_change(
    calendar: CalendarId,
    seq: i64,
    href: &Href,
    kind: ChangeKind,
) -> Result<InsertStatement, StoreError> {
    insert(
        CalendarChanges::Table,
        [
            CalendarChanges::CalendarId,
            CalendarChanges::Seq,
            CalendarChanges::Href,
            CalendarChanges::Kind,
        ],
        [
            calendar.as_uuid().into(),
            seq.into(),
            href.as_str().into(),
            kind.as_str().into(),
        ],
    )
}

/// The changes after `after` up to and including `upto`, in log order.
pub fn select_changes(calendar: CalendarId, after: u64, upto: u64) -> SelectStatement {
    Query::select()
        .columns([CalendarChanges::Seq, CalendarChanges::Href, CalendarChanges::Kind])
        .from(CalendarChanges::Table)
        .and_where(Expr::col(CalendarChanges::CalendarId).eq(calendar.as_uuid()))
        .and_where(Expr::col(CalendarChanges::Seq).gt(signed(after)))
        .and_where(Expr::col(CalendarChanges::Seq).lte(signed(upto)))
        .order_by(CalendarChanges::Seq, Order::Asc)
        .to_owned()
}

/// Deletes the log rows up to and including `through`.
pub fn delete_changes_through(calendar: CalendarId, through: u64) -> sea_query::DeleteStatement {
    Query::delete()
        .from_table(CalendarChanges::Table)
        .and_where(Expr::col(CalendarChanges::CalendarId).eq(calendar.as_uuid()))
        .and_where(Expr::col(CalendarChanges::Seq).lte(signed(through)))
        .to_owned()
}

/// Every current resource with the sequence number of its last write (a
/// [`CreatedRow`](crate::store::sql::rows::CreatedRow)).
pub fn select_current(calendar: CalendarId) -> SelectStatement {
    Query::select()
        .columns([CalendarObjects::Href, CalendarObjects::ModifiedSeq])
        .from(CalendarObjects::Table)
        .and_where(Expr::col(CalendarObjects::CalendarId).eq(calendar.as_uuid()))
        .order_by(CalendarObjects::ModifiedSeq, Order::Asc)
        .to_owned()
}
