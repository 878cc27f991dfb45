//! Importing .ics files (split into one resource per UID) and exporting calendars.

use televent_domain::calendar::Calendar;
use televent_domain::event::Href;
use televent_domain::export::merge_calendars;
use televent_domain::ingest::{Rejection, split_import};
use televent_domain::user::User;
use televent_ports::store::Precondition;

use crate::engine::Televent;
use crate::error::AppError;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Resources created.
    pub created: usize,
    /// Resources that replaced one with the same UID.
    pub updated: usize,
    /// What was not stored, with reasons.
    pub rejected: Vec<Rejection>,
}

impl ImportReport {
    /// Resources stored, new or replaced.
    pub fn stored(&self) -> usize {
        self.created + self.updated
    }
}

impl Televent {
    /// Imports an iCalendar stream into `calendar`: one resource per UID; a UID already in the
    /// calendar is replaced in place. `progress(done, total)` is called after each resource.
    pub async fn import(
        &self,
        user: &User,
        calendar: &Calendar,
        bytes: &[u8],
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<ImportReport, AppError> {
        let split = split_import(bytes);
        let mut report = ImportReport {
            rejected: split.rejected,
            ..ImportReport::default()
        };
        let total = split.resources.len();
        for (done, resource) in split.resources.into_iter().enumerate() {
            let existing = self.store.object_by_uid(calendar.id, resource.uid.as_str()).await?;
            let href = existing.map_or_else(|| Href::for_uid(&resource.uid), |o| o.href);
            let uid = resource.uid.to_string();
            let line = resource.object.primary().map_or(0, |c| c.line);
            match self
                .store_resource(user, calendar, &href, resource, Precondition::None)
                .await
            {
                Ok(result) if result.outcome.created => report.created += 1,
                Ok(_) => report.updated += 1,
                Err(error @ (AppError::Unavailable(_) | AppError::Internal(_))) => return Err(error),
                Err(error) => report.rejected.push(Rejection {
                    uid: Some(uid),
                    component: String::new(),
                    line,
                    reason: error.to_string(),
                }),
            }
            progress(done + 1, total);
        }
        Ok(report)
    }

    /// The calendar as one iCalendar stream.
    pub async fn export(&self, user: &User, calendar: &Calendar) -> Result<String, AppError> {
        if calendar.owner != user.id {
            return Err(AppError::NotFound(format!("calendar '{}'", calendar.slug)));
        }
        let objects = self.store.objects(calendar.id).await?;
        Ok(merge_calendars(
            objects.iter().map(|o| o.bytes.as_slice()),
            &calendar.display_name,
        ))
    }
}
