//! Calendar collections.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::component::ComponentKind;
use crate::ids::{CalendarId, UserId};
use crate::sync::SyncToken;

/// The last path segment of a calendar's URL, chosen by the client (MKCALENDAR) or by us.
/// 1 to 128 characters, no `/`, no control characters, not `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalendarSlug(String);

impl CalendarSlug {
    /// Checks a slug.
    pub fn parse(text: &str) -> Result<Self, String> {
        if crate::path_segment::is_path_segment(text, 128) {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!("'{text}' is not a valid calendar name for a URL"))
        }
    }

    /// The slug of the calendar every user starts with.
    pub fn default_calendar() -> Self {
        Self("default".to_owned())
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CalendarSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Identifier.
    pub id: CalendarId,
    /// Owner.
    pub owner: UserId,
    /// URL segment.
    pub slug: CalendarSlug,
    /// DAV:displayname
    pub display_name: String,
    /// Apple calendar-color, `#RRGGBB[AA]`.
    pub color: Option<String>,
    /// CALDAV:calendar-description
    pub description: Option<String>,
    /// CALDAV:calendar-timezone (a VCALENDAR with one VTIMEZONE), as the client set it.
    pub time_zone: Option<String>,
    /// Apple calendar-order.
    pub order: Option<i32>,
    /// Component kinds the calendar accepts.
    pub components: Vec<ComponentKind>,
    /// The current sync token; it is also the CTag.
    pub sync_token: SyncToken,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When its properties or members last changed.
    pub updated_at: DateTime<Utc>,
}

impl Calendar {
    /// A new calendar of `owner` as `new` describes it: a fresh id, its sync counter at zero,
    /// events and to-dos when no kinds are given.
    pub fn create(owner: UserId, new: NewCalendar, at: DateTime<Utc>) -> Self {
        let id = CalendarId::new_random();
        let components = if new.components.is_empty() {
            vec![ComponentKind::Event, ComponentKind::Todo]
        } else {
            new.components
        };
        Self {
            id,
            owner,
            slug: new.slug,
            display_name: new.display_name,
            color: new.color,
            description: new.description,
            time_zone: new.time_zone,
            order: new.order,
            components,
            sync_token: SyncToken::new(id, 0),
            created_at: at,
            updated_at: at,
        }
    }
}

/// What creating a calendar needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCalendar {
    /// URL segment.
    pub slug: CalendarSlug,
    /// Display name.
    pub display_name: String,
    /// Colour.
    pub color: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// calendar-timezone.
    pub time_zone: Option<String>,
    /// Order.
    pub order: Option<i32>,
    /// Accepted kinds; both when empty.
    pub components: Vec<ComponentKind>,
}

impl NewCalendar {
    /// A calendar with a slug and a name, accepting events and to-dos.
    pub fn named(slug: CalendarSlug, display_name: impl Into<String>) -> Self {
        Self {
            slug,
            display_name: display_name.into(),
            color: None,
            description: None,
            time_zone: None,
            order: None,
            components: vec![ComponentKind::Event, ComponentKind::Todo],
        }
    }
}

/// A change to a calendar's properties (PROPPATCH). `Some(None)` removes a value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CalendarPatch {
    /// New display name.
    pub display_name: Option<String>,
    /// New or removed colour.
    pub color: Option<Option<String>>,
    /// New or removed description.
    pub description: Option<Option<String>>,
    /// New or removed calendar-timezone.
    pub time_zone: Option<Option<String>>,
    /// New or removed order.
    pub order: Option<Option<i32>>,
}
