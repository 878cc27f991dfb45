//! `CalendarStore`: calendars and reads of their resources. Writes are in
//! [`super::write`], the sync report in [`super::sync`].

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_query::{Cond, Expr, ExprTrait};
use televent_domain::calendar::{Calendar, CalendarPatch, CalendarSlug, NewCalendar};
use televent_domain::event::{Href, ObjectMeta, StoredObject};
use televent_domain::ids::{CalendarId, UserId};
use televent_domain::sync::{ChangeSet, SyncError, SyncToken};
use televent_ports::StoreError;
use televent_ports::store::{CalendarStore, DeleteObject, ObjectWrite, WriteOutcome};

use super::{Connection, sync, write};
use crate::store::sql::backend::{Backend, SqlStore, commit};
use crate::store::sql::codec::unsigned;
use crate::store::sql::conn::Conn;
use crate::store::sql::error::{db_error, is_foreign_key_violation, is_unique_violation};
use crate::store::sql::queries::{calendars, objects};
use crate::store::sql::rows::{CalendarRow, CounterRow, MetaRow, ObjectRow};
use crate::store::sql::schema::Calendars;

/// A calendar as `create_calendar` makes it.
pub(super) fn new_calendar(owner: UserId, new: NewCalendar, at: DateTime<Utc>) -> Calendar {
    Calendar::create(owner, new, at)
}

/// Hrefs per query of a multiget.
const HREFS_PER_QUERY: usize = 500;

impl<B: Backend> SqlStore<B> {
    async fn calendars_where(&self, condition: Expr) -> Result<Vec<Calendar>, StoreError> {
        let mut conn = self.reader().await?;
        let rows: Vec<CalendarRow> = conn
            .fetch_all(&calendars::select_calendars(condition))
            .await
            .map_err(db_error)?;
        rows.into_iter().map(CalendarRow::into_calendar).collect()
    }

    async fn objects_where(
        &self,
        calendar: CalendarId,
        condition: Option<Cond>,
    ) -> Result<Vec<StoredObject>, StoreError> {
        let mut conn = self.reader().await?;
        conn.fetch_map(&objects::select_objects(calendar, condition), |row: ObjectRow| {
            row.into_object()
        })
        .await
    }
}

#[async_trait]
impl<B: Backend> CalendarStore for SqlStore<B> {
    async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.reader().await?;
        conn.fetch_optional::<CalendarRow>(&calendars::select_calendars(Expr::val(false)))
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn create_calendar(
        &self,
        owner: UserId,
        new: NewCalendar,
        at: DateTime<Utc>,
    ) -> Result<Calendar, StoreError> {
        let calendar = new_calendar(owner, new, at);
        let mut conn = self.writer().await?;
        conn.execute(&calendars::insert_calendar(&calendar)?)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    StoreError::NotFound
                } else if is_unique_violation(&e) {
                    StoreError::AlreadyExists(format!("calendar {}", calendar.slug))
                } else {
                    db_error(e)
                }
            })?;
        Ok(calendar)
    }

    async fn calendars(&self, owner: UserId) -> Result<Vec<Calendar>, StoreError> {
        self.calendars_where(Expr::col(Calendars::OwnerId).eq(owner.as_uuid()))
            .await
    }

    async fn calendar(&self, owner: UserId, slug: &CalendarSlug) -> Result<Option<Calendar>, StoreError> {
        let condition = Expr::col(Calendars::OwnerId)
            .eq(owner.as_uuid())
            .and(Expr::col(Calendars::Slug).eq(slug.as_str()));
        Ok(self.calendars_where(condition).await?.into_iter().next())
    }

    async fn calendar_by_id(&self, id: CalendarId) -> Result<Option<Calendar>, StoreError> {
        Ok(self
            .calendars_where(Expr::col(Calendars::Id).eq(id.as_uuid()))
            .await?
            .into_iter()
            .next())
    }

    async fn update_calendar(
        &self,
        id: CalendarId,
        patch: CalendarPatch,
        at: DateTime<Utc>,
    ) -> Result<Calendar, StoreError> {
        let mut conn = self.writer().await?;
        let row: Option<CalendarRow> = conn
            .fetch_optional(&calendars::update_calendar(id, patch, at))
            .await
            .map_err(db_error)?;
        row.ok_or(StoreError::NotFound)?.into_calendar()
    }

    async fn delete_calendar(&self, id: CalendarId) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        let deleted = conn.execute(&calendars::delete_calendar(id)).await.map_err(db_error)?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn put_object(&self, object: ObjectWrite) -> Result<WriteOutcome, StoreError> {
        let mut transaction = self.begin().await?;
        let conn: &mut Connection<B> = &mut transaction;
        let outcome = write::put(conn, object).await?;
        commit(transaction).await?;
        Ok(outcome)
    }

    async fn delete_object(&self, delete: DeleteObject) -> Result<SyncToken, StoreError> {
        let mut transaction = self.begin().await?;
        let conn: &mut Connection<B> = &mut transaction;
        let token = write::delete(conn, delete).await?;
        commit(transaction).await?;
        Ok(token)
    }

    async fn object(&self, calendar: CalendarId, href: &Href) -> Result<Option<StoredObject>, StoreError> {
        Ok(self
            .objects_where(calendar, Some(objects::with_hrefs(std::slice::from_ref(href))))
            .await?
            .into_iter()
            .next())
    }

    async fn objects_by_hrefs(&self, calendar: CalendarId, hrefs: &[Href]) -> Result<Vec<StoredObject>, StoreError> {
        // A few hundred names per query keeps the bound parameters within every backend's
        // limit, however large the multiget.
        let mut found = Vec::new();
        for chunk in hrefs.chunks(HREFS_PER_QUERY) {
            found.extend(self.objects_where(calendar, Some(objects::with_hrefs(chunk))).await?);
        }
        // In the order asked for, as the in-memory store answers.
        let by_href: HashMap<&Href, &StoredObject> = found.iter().map(|o| (&o.href, o)).collect();
        Ok(hrefs
            .iter()
            .filter_map(|href| by_href.get(href).map(|o| (*o).clone()))
            .collect())
    }

    async fn object_by_uid(&self, calendar: CalendarId, uid: &str) -> Result<Option<StoredObject>, StoreError> {
        Ok(self
            .objects_where(calendar, Some(objects::with_uid(uid)))
            .await?
            .into_iter()
            .next())
    }

    async fn object_metas(&self, calendar: CalendarId) -> Result<Vec<ObjectMeta>, StoreError> {
        let mut conn = self.reader().await?;
        conn.fetch_map(&objects::select_metas(calendar), |row: MetaRow| row.into_meta())
            .await
    }

    async fn objects(&self, calendar: CalendarId) -> Result<Vec<StoredObject>, StoreError> {
        self.objects_where(calendar, None).await
    }

    async fn candidates(
        &self,
        calendar: CalendarId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StoredObject>, StoreError> {
        self.objects_where(calendar, Some(objects::overlapping(from, to))).await
    }

    async fn changes_since(
        &self,
        calendar: CalendarId,
        since: Option<SyncToken>,
        limit: Option<usize>,
    ) -> Result<ChangeSet, StoreError> {
        let mut conn = self.reader().await?;
        sync::changes_since(&mut *conn, calendar, since, limit).await
    }

    async fn prune_changes(&self, calendar: CalendarId, through: SyncToken) -> Result<u64, StoreError> {
        let mut transaction = self.begin().await?;
        let conn: &mut Connection<B> = &mut transaction;
        // Read inside the transaction, so the check and the pruning see one state.
        let counter: Option<CounterRow> = conn
            .fetch_optional(&calendars::select_counter(calendar))
            .await
            .map_err(db_error)?;
        let seq = unsigned(counter.ok_or(StoreError::NotFound)?.sync_seq)?;
        if through.calendar() != calendar || through.seq() > seq {
            return Err(StoreError::Sync(SyncError::Unknown));
        }
        conn.execute(&calendars::raise_changes_floor(calendar, through.seq()))
            .await
            .map_err(db_error)?;
        let deleted = conn
            .execute(&crate::store::sql::queries::changes::delete_changes_through(
                calendar,
                through.seq(),
            ))
            .await
            .map_err(db_error)?;
        commit(transaction).await?;
        Ok(deleted)
    }
}
