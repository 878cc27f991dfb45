//! One of the user's events found by UID, and deleted, for a door that lists occurrences and
//! then acts on the event behind one.

use televent_domain::calendar::Calendar;
use televent_domain::etag::ETag;
use televent_domain::event::Href;
use televent_domain::user::User;
use televent_ports::store::Precondition;

use crate::engine::Televent;
use crate::error::AppError;

/// Where one of the user's events is stored, as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRef {
    /// The calendar that holds it.
    pub calendar: Calendar,
    /// The resource name.
    pub href: Href,
    /// The ETag when it was read.
    pub etag: ETag,
    /// Its SUMMARY.
    pub summary: Option<String>,
}

impl Televent {
    /// The user's event with `uid`, in whichever of their calendars holds it.
    pub async fn event_by_uid(&self, user: &User, uid: &str) -> Result<EventRef, AppError> {
        for calendar in self.calendars(user).await? {
            if let Some(stored) = self.store.object_by_uid(calendar.id, uid).await? {
                return Ok(EventRef {
                    href: stored.href,
                    etag: stored.etag,
                    summary: stored.index.summary,
                    calendar,
                });
            }
        }
        Err(AppError::NotFound(format!("event '{uid}'")))
    }

    /// Deletes `event` (every occurrence) through the write path, so attendees are told;
    /// `PreconditionFailed` when it changed since it was read.
    pub async fn delete_event(&self, user: &User, event: &EventRef) -> Result<(), AppError> {
        self.delete_object(
            user,
            &event.calendar,
            &event.href,
            Precondition::IfMatch(event.etag.clone()),
        )
        .await
        .map(|_| ())
    }
}
