//! Statements on `calendars`: the collections and their sync counters.

use chrono::{DateTime, Utc};
use sea_query::{DeleteStatement, Expr, ExprTrait, InsertStatement, Order, Query, SelectStatement, UpdateStatement};
use televent_domain::calendar::{Calendar, CalendarPatch};
use televent_domain::ids::CalendarId;
use televent_ports::StoreError;

use super::insert;
use crate::store::sql::codec::{micros, signed};
use crate::store::sql::rows::components_text;
use crate::store::sql::schema::Calendars;

/// The columns of a [`CalendarRow`](crate::store::sql::rows::CalendarRow).
const CALENDAR_COLUMNS: [Calendars; 12] = [
    Calendars::Id,
    Calendars::OwnerId,
    Calendars::Slug,
    Calendars::DisplayName,
    Calendars::Color,
    Calendars::Description,
    Calendars::TimeZone,
    Calendars::SortOrder,
    Calendars::Components,
    Calendars::SyncSeq,
    Calendars::CreatedAt,
    Calendars::UpdatedAt,
];

/// Inserts a calendar.
pub fn insert_calendar(calendar: &Calendar) -> Result<InsertStatement, StoreError> {
    insert(
        Calendars::Table,
        CALENDAR_COLUMNS,
        [
            calendar.id.as_uuid().into(),
            calendar.owner.as_uuid().into(),
            calendar.slug.as_str().into(),
            calendar.display_name.as_str().into(),
            calendar.color.clone().into(),
            calendar.description.clone().into(),
            calendar.time_zone.clone().into(),
            calendar.order.map(i64::from).into(),
            components_text(&calendar.components).into(),
            signed(calendar.sync_token.seq()).into(),
            micros(calendar.created_at).into(),
            micros(calendar.updated_at).into(),
        ],
    )
}

/// The calendars matching `condition`, oldest first.
pub fn select_calendars(condition: Expr) -> SelectStatement {
    Query::select()
        .columns(CALENDAR_COLUMNS)
        .from(Calendars::Table)
        .and_where(condition)
        .order_by(Calendars::CreatedAt, Order::Asc)
        .order_by(Calendars::Slug, Order::Asc)
        .to_owned()
}

/// Applies a patch; returns the whole row.
pub fn update_calendar(id: CalendarId, patch: CalendarPatch, at: DateTime<Utc>) -> UpdateStatement {
    let mut update = Query::update();
    update.table(Calendars::Table);
    if let Some(name) = patch.display_name {
        update.value(Calendars::DisplayName, name);
    }
    if let Some(color) = patch.color {
        update.value(Calendars::Color, color);
    }
    if let Some(description) = patch.description {
        update.value(Calendars::Description, description);
    }
    if let Some(zone) = patch.time_zone {
        update.value(Calendars::TimeZone, zone);
    }
    if let Some(order) = patch.order {
        update.value(Calendars::SortOrder, order.map(i64::from));
    }
    update
        .value(Calendars::UpdatedAt, micros(at))
        .and_where(Expr::col(Calendars::Id).eq(id.as_uuid()))
        .returning(Query::returning().columns(CALENDAR_COLUMNS))
        .to_owned()
}

/// Deletes a calendar; its resources and change log go with it (ON DELETE CASCADE).
pub fn delete_calendar(id: CalendarId) -> DeleteStatement {
    Query::delete()
        .from_table(Calendars::Table)
        .and_where(Expr::col(Calendars::Id).eq(id.as_uuid()))
        .to_owned()
}

/// Gives out the calendar's next sequence number and returns it. Run first in a write: on
/// PostgreSQL the row lock it takes makes writers of one calendar wait for each other.
pub fn bump_counter(id: CalendarId, at: DateTime<Utc>) -> UpdateStatement {
    Query::update()
        .table(Calendars::Table)
        .value(Calendars::SyncSeq, Expr::col(Calendars::SyncSeq).add(1))
        .value(Calendars::UpdatedAt, micros(at))
        .and_where(Expr::col(Calendars::Id).eq(id.as_uuid()))
        .returning(Query::returning().column(Calendars::SyncSeq))
        .to_owned()
}

/// The calendar's counters (a [`CounterRow`](crate::store::sql::rows::CounterRow)).
pub fn select_counter(id: CalendarId) -> SelectStatement {
    Query::select()
        .columns([Calendars::SyncSeq, Calendars::ChangesFloor])
        .from(Calendars::Table)
        .and_where(Expr::col(Calendars::Id).eq(id.as_uuid()))
        .to_owned()
}

/// Raises the pruning floor of a calendar to `through` (never lowers it).
pub fn raise_changes_floor(id: CalendarId, through: u64) -> UpdateStatement {
    Query::update()
        .table(Calendars::Table)
        .value(
            Calendars::ChangesFloor,
            Expr::case(Expr::col(Calendars::ChangesFloor).lt(signed(through)), signed(through))
                .finally(Expr::col(Calendars::ChangesFloor)),
        )
        .and_where(Expr::col(Calendars::Id).eq(id.as_uuid()))
        .to_owned()
}
