//! Stored calendar object resources ("events", though to-dos live here too).

use std::fmt;

use chrono::{DateTime, Utc};

use crate::component::ComponentKind;
use crate::etag::ETag;
use crate::ids::{CalendarId, EventId};
use crate::ingest::Resource;
use crate::recurrence::TimeBounds;
use crate::uid::Uid;

/// The name of a resource inside its calendar (the last URL segment, decoded), for example
/// `0f8e-4c.ics`. 1 to 255 characters, no `/`, no control characters, not `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Href(String);

impl Href {
    /// Checks a resource name.
    pub fn parse(text: &str) -> Result<Self, String> {
        if crate::path_segment::is_path_segment(text, 255) {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!("'{text}' is not a valid resource name"))
        }
    }

    /// A name derived from a UID: the UID itself when it is URL-safe, else a hash of it.
    pub fn for_uid(uid: &Uid) -> Self {
        let text = uid.as_str();
        let safe = text.len() <= 200
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
        if safe {
            Self(format!("{text}.ics"))
        } else {
            let hash = blake3::hash(text.as_bytes()).to_hex();
            Self(format!("{}.ics", hash.get(..32).unwrap_or_default()))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Href {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the store keeps of a resource besides its bytes: the index columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectIndexRow {
    /// UID
    pub uid: Uid,
    /// VEVENT or VTODO.
    pub kind: ComponentKind,
    /// SUMMARY
    pub summary: Option<String>,
    /// Occurrence span, for time-range candidates.
    pub bounds: TimeBounds,
    /// More than one instance.
    pub recurring: bool,
}

impl ObjectIndexRow {
    /// The index of a validated resource.
    pub fn of(resource: &Resource) -> Self {
        Self {
            uid: resource.uid.clone(),
            kind: resource.index.kind,
            summary: resource.index.summary.clone(),
            bounds: resource.index.bounds,
            recurring: resource.index.recurring,
        }
    }
}

/// A stored resource with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    /// Identifier.
    pub id: EventId,
    /// Its calendar.
    pub calendar: CalendarId,
    /// Its name in the calendar.
    pub href: Href,
    /// ETag of `bytes`.
    pub etag: ETag,
    /// The bytes exactly as stored.
    pub bytes: Vec<u8>,
    /// Index columns.
    pub index: ObjectIndexRow,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last written.
    pub updated_at: DateTime<Utc>,
}

/// A stored resource without its bytes (listings: PROPFIND Depth 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    /// Its name.
    pub href: Href,
    /// ETag.
    pub etag: ETag,
    /// Size of the bytes.
    pub size: u64,
    /// VEVENT or VTODO.
    pub kind: ComponentKind,
    /// Last written.
    pub updated_at: DateTime<Utc>,
}

impl StoredObject {
    /// The listing view of this resource.
    pub fn meta(&self) -> ObjectMeta {
        ObjectMeta {
            href: self.href.clone(),
            etag: self.etag.clone(),
            size: u64::try_from(self.bytes.len()).unwrap_or(u64::MAX),
            kind: self.index.kind,
            updated_at: self.updated_at,
        }
    }
}

/// Its bytes as stored: what a reader shares instead of copying them.
impl AsRef<[u8]> for StoredObject {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs() {
        assert!(Href::parse("a b.ics").is_ok());
        assert!(Href::parse("../x").is_err());
        assert!(Href::parse("..").is_err());
        let uid = Uid::parse("abc-123@example.com").unwrap();
        assert_eq!(Href::for_uid(&uid).as_str(), "abc-123@example.com.ics");
        let odd = Uid::parse("a/b c").unwrap();
        assert_eq!(Href::for_uid(&odd).as_str().len(), 36);
    }
}
