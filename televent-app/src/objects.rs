//! Writing and removing calendar object resources: the write path every door uses.

use televent_domain::calendar::Calendar;
use televent_domain::event::{Href, ObjectIndexRow};
use televent_domain::ical::Problem;
use televent_domain::ingest::{Resource, ingest_resource};
use televent_domain::outbox::ItipMethod;
use televent_domain::sync::SyncToken;
use televent_domain::user::User;
use televent_ports::store::{DeleteObject, ObjectWrite, Precondition, WriteOutcome};

use crate::engine::Televent;
use crate::error::AppError;

/// What a write did, and what was repaired or skipped in the data on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutResult {
    /// Created or updated, the ETag, the new sync token.
    pub outcome: WriteOutcome,
    /// Problems met reading the data (never fatal ones).
    pub problems: Vec<Problem>,
}

impl Televent {
    /// Stores `bytes` exactly as sent at `href` in the user's `calendar`, with the sync bump,
    /// the change-log row and the invitations it causes, as one unit.
    pub async fn put_object(
        &self,
        user: &User,
        calendar: &Calendar,
        href: &Href,
        bytes: &[u8],
        precondition: Precondition,
    ) -> Result<PutResult, AppError> {
        let resource = ingest_resource(bytes).map_err(AppError::Ingest)?;
        self.store_resource(user, calendar, href, resource, precondition).await
    }

    /// Stores an already validated resource (imports split files into these).
    pub(crate) async fn store_resource(
        &self,
        user: &User,
        calendar: &Calendar,
        href: &Href,
        resource: Resource,
        precondition: Precondition,
    ) -> Result<PutResult, AppError> {
        if calendar.owner != user.id {
            return Err(AppError::NotFound(format!("calendar '{}'", calendar.slug)));
        }
        if !calendar.components.contains(&resource.index.kind) {
            return Err(AppError::UnsupportedComponent(resource.index.kind.as_str().to_owned()));
        }
        let now = self.clock.now();
        let previous = self
            .store
            .object(calendar.id, href)
            .await?
            .and_then(|p| ingest_resource(&p.bytes).ok());
        let mut read = vec![&resource.object];
        read.extend(previous.as_ref().map(|p| &p.object));
        let own = self.own_addresses_for(user, &read).await?;
        let mut outbox = self
            .invitations(
                user,
                &own,
                calendar,
                &resource.object,
                &resource.bytes,
                ItipMethod::Request,
                now,
            )
            .await?;
        if let Some(previous) = previous.as_ref() {
            outbox.extend(
                self.cancellations_for_removed(user, &own, calendar, previous, &resource.object, now)
                    .await?,
            );
        }
        let write = ObjectWrite {
            calendar: calendar.id,
            href: href.clone(),
            etag: resource.etag.clone(),
            index: ObjectIndexRow::of(&resource),
            bytes: resource.bytes,
            precondition,
            outbox,
            at: now,
        };
        let outcome = self.store.put_object(write).await?;
        self.forward_attendee_answer(user, &own, &resource.object).await;
        Ok(PutResult {
            outcome,
            problems: resource.problems,
        })
    }

    /// Removes a resource; its attendees are told it is cancelled (when the user organized it).
    pub async fn delete_object(
        &self,
        user: &User,
        calendar: &Calendar,
        href: &Href,
        precondition: Precondition,
    ) -> Result<SyncToken, AppError> {
        if calendar.owner != user.id {
            return Err(AppError::NotFound(format!("calendar '{}'", calendar.slug)));
        }
        let now = self.clock.now();
        let Some(current) = self.store.object(calendar.id, href).await? else {
            return Err(AppError::NotFound(format!("resource '{href}'")));
        };
        let outbox = match ingest_resource(&current.bytes) {
            Ok(resource) => {
                let own = self.own_addresses_for(user, &[&resource.object]).await?;
                self.invitations(
                    user,
                    &own,
                    calendar,
                    &resource.object,
                    &current.bytes,
                    ItipMethod::Cancel,
                    now,
                )
                .await?
            }
            Err(_) => Vec::new(),
        };
        let delete = DeleteObject {
            calendar: calendar.id,
            href: href.clone(),
            precondition,
            outbox,
            at: now,
        };
        self.store.delete_object(delete).await.map_err(|error| match error {
            televent_ports::StoreError::NotFound => AppError::NotFound(format!("resource '{href}'")),
            other => other.into(),
        })
    }
}
