//! Statements on `calendar_objects`: the resources, their bytes and index columns.

use chrono::{DateTime, Utc};
use sea_query::{
    Cond, DeleteStatement, Expr, ExprTrait, InsertStatement, Order, Query, SelectStatement, UpdateStatement,
};
use televent_domain::event::Href;
use televent_domain::ids::{CalendarId, EventId};
use televent_ports::StoreError;
use televent_ports::store::ObjectWrite;

use super::insert;
use crate::store::sql::codec::{micros, signed};
use crate::store::sql::schema::CalendarObjects as Objects;

/// The columns of an [`ObjectRow`](crate::store::sql::rows::ObjectRow).
const OBJECT_COLUMNS: [Objects; 13] = [
    Objects::Id,
    Objects::CalendarId,
    Objects::Href,
    Objects::Uid,
    Objects::Kind,
    Objects::Etag,
    Objects::Data,
    Objects::Summary,
    Objects::FirstStart,
    Objects::LastEnd,
    Objects::Recurring,
    Objects::CreatedAt,
    Objects::UpdatedAt,
];

/// The columns a write sets, with their values, whether it creates or replaces.
fn written(write: &ObjectWrite, seq: i64) -> [(Objects, Expr); 11] {
    let bounds = write.index.bounds;
    [
        (Objects::Uid, write.index.uid.as_str().into()),
        (Objects::Kind, write.index.kind.as_str().into()),
        (Objects::Etag, write.etag.as_str().into()),
        (Objects::Data, write.bytes.clone().into()),
        (
            Objects::Size,
            signed(u64::try_from(write.bytes.len()).unwrap_or(u64::MAX)).into(),
        ),
        (Objects::Summary, write.index.summary.clone().into()),
        (Objects::FirstStart, bounds.start.map(micros).into()),
        (Objects::LastEnd, bounds.end.map(micros).into()),
        (Objects::Recurring, write.index.recurring.into()),
        (Objects::ModifiedSeq, seq.into()),
        (Objects::UpdatedAt, micros(write.at).into()),
    ]
}

/// Inserts a new resource, written at sequence number `seq`.
pub fn insert_object(id: EventId, write: &ObjectWrite, seq: i64) -> Result<InsertStatement, StoreError> {
    let (columns, values): (Vec<Objects>, Vec<Expr>) = [
        (Objects::Id, id.as_uuid().into()),
        (Objects::CalendarId, write.calendar.as_uuid().into()),
        (Objects::Href, write.href.as_str().into()),
        (Objects::CreatedAt, micros(write.at).into()),
    ]
    .into_iter()
    .chain(written(write, seq))
    .unzip();
    insert(Objects::Table, columns, values)
}

/// Replaces resource `id` with a write at sequence number `seq`.
pub fn update_object(id: EventId, write: &ObjectWrite, seq: i64) -> UpdateStatement {
    Query::update()
        .table(Objects::Table)
        .values(written(write, seq))
        .and_where(Expr::col(Objects::Id).eq(id.as_uuid()))
        .to_owned()
}

/// Removes resource `id`.
pub fn delete_object(id: EventId) -> DeleteStatement {
    Query::delete()
        .from_table(Objects::Table)
        .and_where(Expr::col(Objects::Id).eq(id.as_uuid()))
        .to_owned()
}

/// The heads (an [`ObjectHeadRow`](crate::store::sql::rows::ObjectHeadRow)) of the resource
/// at `href` and of one with `uid`: at most two rows.
pub fn select_heads(calendar: CalendarId, href: &Href, uid: Option<&str>) -> SelectStatement {
    let mut same = Cond::any().add(Expr::col(Objects::Href).eq(href.as_str()));
    if let Some(uid) = uid {
        same = same.add(Expr::col(Objects::Uid).eq(uid));
    }
    Query::select()
        .columns([Objects::Id, Objects::Href, Objects::Uid, Objects::Etag])
        .from(Objects::Table)
        .and_where(Expr::col(Objects::CalendarId).eq(calendar.as_uuid()))
        .cond_where(same)
        .to_owned()
}

/// The resources of `calendar` matching `condition`, with their bytes, by href.
pub fn select_objects(calendar: CalendarId, condition: Option<Cond>) -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(OBJECT_COLUMNS)
        .from(Objects::Table)
        .and_where(Expr::col(Objects::CalendarId).eq(calendar.as_uuid()))
        .order_by(Objects::Href, Order::Asc);
    if let Some(condition) = condition {
        select.cond_where(condition);
    }
    select
}

/// Resources named `hrefs`.
pub fn with_hrefs(hrefs: &[Href]) -> Cond {
    Cond::all().add(Expr::col(Objects::Href).is_in(hrefs.iter().map(Href::as_str)))
}

/// The resource with `uid`.
pub fn with_uid(uid: &str) -> Cond {
    Cond::all().add(Expr::col(Objects::Uid).eq(uid))
}

/// Resources whose stored bounds may overlap `[from, to)`, as `TimeBounds::may_overlap`
/// decides: a NULL bound is open.
pub fn overlapping(from: DateTime<Utc>, to: DateTime<Utc>) -> Cond {
    Cond::all()
        .add(
            Cond::any()
                .add(Expr::col(Objects::FirstStart).is_null())
                .add(Expr::col(Objects::FirstStart).lte(micros(to))),
        )
        .add(
            Cond::any()
                .add(Expr::col(Objects::LastEnd).is_null())
                .add(Expr::col(Objects::LastEnd).gte(micros(from))),
        )
}

/// Every resource's listing columns (a [`MetaRow`](crate::store::sql::rows::MetaRow)), by
/// href. Never the bytes: a PROPFIND of thousands of resources reads only these.
pub fn select_metas(calendar: CalendarId) -> SelectStatement {
    Query::select()
        .columns([
            Objects::Href,
            Objects::Etag,
            Objects::Size,
            Objects::Kind,
            Objects::UpdatedAt,
        ])
        .from(Objects::Table)
        .and_where(Expr::col(Objects::CalendarId).eq(calendar.as_uuid()))
        .order_by(Objects::Href, Order::Asc)
        .to_owned()
}
