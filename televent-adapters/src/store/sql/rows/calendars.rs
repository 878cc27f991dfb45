//! Rows of `calendars` and `calendar_changes`, and the counter reads of a sync.

use televent_domain::calendar::{Calendar, CalendarSlug};
use televent_domain::component::ComponentKind;
use televent_domain::ids::{CalendarId, UserId};
use televent_domain::sync::{Change, ChangeKind, SyncToken};
use televent_ports::StoreError;
use uuid::Uuid;

use crate::store::sql::codec::{instant, unsigned};
use crate::store::sql::error::corrupt;

/// A `calendars` row.
#[derive(Debug, sqlx::FromRow)]
pub struct CalendarRow {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub slug: String,
    pub display_name: String,
    pub color: Option<String>,
    pub description: Option<String>,
    pub time_zone: Option<String>,
    pub sort_order: Option<i64>,
    pub components: String,
    pub sync_seq: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CalendarRow {
    /// The calendar.
    pub fn into_calendar(self) -> Result<Calendar, StoreError> {
        let id = CalendarId::from_uuid(self.id);
        Ok(Calendar {
            id,
            owner: UserId::from_uuid(self.owner_id),
            slug: CalendarSlug::parse(&self.slug).map_err(corrupt)?,
            display_name: self.display_name,
            color: self.color,
            description: self.description,
            time_zone: self.time_zone,
            order: self
                .sort_order
                .map(|o| i32::try_from(o).map_err(|_| corrupt(format!("calendar order {o} does not fit 32 bits"))))
                .transpose()?,
            components: parse_components(&self.components)?,
            sync_token: SyncToken::new(id, unsigned(self.sync_seq)?),
            created_at: instant(self.created_at)?,
            updated_at: instant(self.updated_at)?,
        })
    }
}

/// Component kinds as stored: names joined by commas, in order.
pub fn components_text(kinds: &[ComponentKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

fn parse_components(text: &str) -> Result<Vec<ComponentKind>, StoreError> {
    text.split(',')
        .filter(|name| !name.is_empty())
        .map(|name| ComponentKind::from_name(name).ok_or_else(|| corrupt(format!("component kind '{name}'"))))
        .collect()
}

/// The sequence number a write was given.
#[derive(Debug, sqlx::FromRow)]
pub struct SeqRow {
    pub sync_seq: i64,
}

/// A calendar's counters: its sequence number and the oldest token its log still serves.
#[derive(Debug, sqlx::FromRow)]
pub struct CounterRow {
    pub sync_seq: i64,
    pub changes_floor: i64,
}

/// A `calendar_changes` row, without its calendar.
#[derive(Debug, sqlx::FromRow)]
pub struct ChangeRow {
    pub seq: i64,
    pub href: String,
    pub kind: String,
}

impl ChangeRow {
    /// The change.
    pub fn into_change(self) -> Result<Change, StoreError> {
        Ok(Change {
            href: self.href,
            kind: ChangeKind::parse(&self.kind).ok_or_else(|| corrupt(format!("change kind '{}'", self.kind)))?,
            seq: unsigned(self.seq)?,
        })
    }
}

/// A current resource as the initial sync lists it: created at its last write.
#[derive(Debug, sqlx::FromRow)]
pub struct CreatedRow {
    pub href: String,
    pub modified_seq: i64,
}

impl CreatedRow {
    /// The change reporting it.
    pub fn into_change(self) -> Result<Change, StoreError> {
        Ok(Change {
            href: self.href,
            kind: ChangeKind::Created,
            seq: unsigned(self.modified_seq)?,
        })
    }
}
