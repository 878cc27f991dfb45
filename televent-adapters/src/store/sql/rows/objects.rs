//! Rows of `calendar_objects`: whole (with bytes), listing (without), and the head a write
//! checks its precondition against.

use televent_domain::component::ComponentKind;
use televent_domain::etag::ETag;
use televent_domain::event::{Href, ObjectIndexRow, ObjectMeta, StoredObject};
use televent_domain::ids::{CalendarId, EventId};
use televent_domain::recurrence::TimeBounds;
use televent_domain::uid::Uid;
use televent_ports::StoreError;
use uuid::Uuid;

use crate::store::sql::codec::{instant, optional_instant, unsigned};
use crate::store::sql::error::corrupt;

/// A whole `calendar_objects` row.
#[derive(Debug, sqlx::FromRow)]
pub struct ObjectRow {
    pub id: Uuid,
    pub calendar_id: Uuid,
    pub href: String,
    pub uid: String,
    pub kind: String,
    pub etag: String,
    pub data: Vec<u8>,
    pub summary: Option<String>,
    pub first_start: Option<i64>,
    pub last_end: Option<i64>,
    pub recurring: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ObjectRow {
    /// The stored resource.
    pub fn into_object(self) -> Result<StoredObject, StoreError> {
        Ok(StoredObject {
            id: EventId::from_uuid(self.id),
            calendar: CalendarId::from_uuid(self.calendar_id),
            href: href(&self.href)?,
            etag: etag(&self.etag)?,
            bytes: self.data,
            index: ObjectIndexRow {
                uid: Uid::parse(&self.uid).ok_or_else(|| corrupt(format!("UID '{}'", self.uid)))?,
                kind: kind(&self.kind)?,
                summary: self.summary,
                bounds: TimeBounds {
                    start: optional_instant(self.first_start)?,
                    end: optional_instant(self.last_end)?,
                },
                recurring: self.recurring,
            },
            created_at: instant(self.created_at)?,
            updated_at: instant(self.updated_at)?,
        })
    }
}

/// A `calendar_objects` row for listings: no bytes.
#[derive(Debug, sqlx::FromRow)]
pub struct MetaRow {
    pub href: String,
    pub etag: String,
    pub size: i64,
    pub kind: String,
    pub updated_at: i64,
}

impl MetaRow {
    /// The listing view.
    pub fn into_meta(self) -> Result<ObjectMeta, StoreError> {
        Ok(ObjectMeta {
            href: href(&self.href)?,
            etag: etag(&self.etag)?,
            size: unsigned(self.size)?,
            kind: kind(&self.kind)?,
            updated_at: instant(self.updated_at)?,
        })
    }
}

/// What a write needs of the resources it may collide with: the one at its href, and one
/// holding its UID elsewhere.
#[derive(Debug, sqlx::FromRow)]
pub struct ObjectHeadRow {
    pub id: Uuid,
    pub href: String,
    pub uid: String,
    pub etag: String,
}

/// A stored href.
pub fn href(text: &str) -> Result<Href, StoreError> {
    Href::parse(text).map_err(corrupt)
}

/// A stored ETag.
pub fn etag(text: &str) -> Result<ETag, StoreError> {
    ETag::parse(text).ok_or_else(|| corrupt(format!("ETag '{text}'")))
}

fn kind(text: &str) -> Result<ComponentKind, StoreError> {
    ComponentKind::from_name(text).ok_or_else(|| corrupt(format!("component kind '{text}'")))
}
