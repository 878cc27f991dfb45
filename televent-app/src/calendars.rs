//! Calendar collections as a whole: their properties changed, and the calendar deleted with
//! every resource in it.
//!
//! Both check that the calendar is the user's and write an audit entry (`calendar.update`,
//! `calendar.delete`) through the `AuditLog` port once the change is made. Deleting removes each
//! resource through the write path (`delete_object`) first, so the attendees of events the user
//! organized are told exactly as for a single removal. The default calendar is never deleted:
//! every door writes into it. This module must never touch another user's calendar.

use televent_domain::audit::AuditEntry;
use televent_domain::calendar::{Calendar, CalendarPatch, CalendarSlug};
use televent_domain::user::User;
use televent_ports::StoreError;
use televent_ports::store::Precondition;

use crate::engine::Televent;
use crate::error::AppError;

impl Televent {
    /// Changes the properties `patch` names on the user's `calendar`; returns the calendar as
    /// saved.
    pub async fn update_calendar(
        &self,
        user: &User,
        calendar: &Calendar,
        patch: CalendarPatch,
    ) -> Result<Calendar, AppError> {
        owned(user, calendar)?;
        let changed = changed_properties(&patch);
        let updated = self
            .store
            .update_calendar(calendar.id, patch, self.clock.now())
            .await
            .map_err(|error| not_found_as_calendar(error, calendar))?;
        self.audit(user, "calendar.update", calendar, Some(format!("changed: {changed}")))
            .await;
        Ok(updated)
    }

    /// Deletes the user's `calendar` with every resource in it and its change log. Attendees
    /// of the events the user organized get a cancellation. `Forbidden` for the default
    /// calendar.
    pub async fn delete_calendar(&self, user: &User, calendar: &Calendar) -> Result<(), AppError> {
        owned(user, calendar)?;
        if calendar.slug == CalendarSlug::default_calendar() {
            return Err(AppError::Forbidden("the default calendar cannot be deleted".to_owned()));
        }
        let metas = self
            .store
            .object_metas(calendar.id)
            .await
            .map_err(|error| not_found_as_calendar(error, calendar))?;
        let count = metas.len();
        for meta in metas {
            match self.delete_object(user, calendar, &meta.href, Precondition::None).await {
                // Removed meanwhile by another request: the goal is reached.
                Ok(_) | Err(AppError::NotFound(_)) => {}
                Err(error) => return Err(error),
            }
        }
        self.store
            .delete_calendar(calendar.id)
            .await
            .map_err(|error| not_found_as_calendar(error, calendar))?;
        self.audit(user, "calendar.delete", calendar, Some(format!("{count} resources")))
            .await;
        Ok(())
    }

    /// Appends an audit entry for a change already made. A failure is logged, not returned:
    /// the change is committed and a client told otherwise would retry it.
    async fn audit(&self, user: &User, action: &str, calendar: &Calendar, detail: Option<String>) {
        let entry = AuditEntry {
            at: self.clock.now(),
            user: Some(user.id),
            action: action.to_owned(),
            entity: calendar.slug.as_str().to_owned(),
            detail,
            client_addr: None,
            user_agent: None,
        };
        if let Err(error) = self.store.record(entry).await {
            tracing::warn!(%error, action, calendar = %calendar.slug, "could not audit a calendar change");
        }
    }
}

/// `NotFound` unless `calendar` is the user's (another user's calendar looks like none).
fn owned(user: &User, calendar: &Calendar) -> Result<(), AppError> {
    if calendar.owner == user.id {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("calendar '{}'", calendar.slug)))
    }
}

fn not_found_as_calendar(error: StoreError, calendar: &Calendar) -> AppError {
    match error {
        StoreError::NotFound => AppError::NotFound(format!("calendar '{}'", calendar.slug)),
        other => other.into(),
    }
}

/// The names of the properties a patch sets or removes, for the audit log.
fn changed_properties(patch: &CalendarPatch) -> String {
    let names: Vec<&str> = [
        ("display_name", patch.display_name.is_some()),
        ("color", patch.color.is_some()),
        ("description", patch.description.is_some()),
        ("time_zone", patch.time_zone.is_some()),
        ("order", patch.order.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(", ")
    }
}
