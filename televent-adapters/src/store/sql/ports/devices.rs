//! `DeviceStore` and `AuditLog`: device passwords and the audit trail.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use televent_domain::audit::AuditEntry;
use televent_domain::device::DevicePassword;
use televent_domain::ids::{DeviceId, UserId};
use televent_ports::StoreError;
use televent_ports::store::{AuditLog, DeviceStore};

use crate::store::sql::backend::{Backend, SqlStore};
use crate::store::sql::conn::Conn;
use crate::store::sql::error::{db_error, is_foreign_key_violation, is_unique_violation};
use crate::store::sql::queries::users;
use crate::store::sql::rows::{AuditRow, DeviceRow};

/// `NotFound` when no row changed.
fn found(changed: u64) -> Result<(), StoreError> {
    if changed == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl<B: Backend> DeviceStore for SqlStore<B> {
    async fn add_device(&self, device: DevicePassword) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        conn.execute(&users::insert_device(&device)?).await.map_err(|e| {
            if is_foreign_key_violation(&e) {
                StoreError::NotFound
            } else if is_unique_violation(&e) {
                StoreError::AlreadyExists(format!("device {}", device.id))
            } else {
                db_error(e)
            }
        })?;
        Ok(())
    }

    async fn devices(&self, user: UserId) -> Result<Vec<DevicePassword>, StoreError> {
        let mut conn = self.reader().await?;
        let rows: Vec<DeviceRow> = conn.fetch_all(&users::select_devices(user)).await.map_err(db_error)?;
        rows.into_iter().map(DeviceRow::into_device).collect()
    }

    async fn device(&self, id: DeviceId) -> Result<Option<DevicePassword>, StoreError> {
        let mut conn = self.reader().await?;
        let row: Option<DeviceRow> = conn.fetch_optional(&users::select_device(id)).await.map_err(db_error)?;
        row.map(DeviceRow::into_device).transpose()
    }

    async fn revoke_device(&self, user: UserId, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        found(
            conn.execute(&users::revoke_device(user, id, at))
                .await
                .map_err(db_error)?,
        )
    }

    async fn touch_device(&self, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        found(conn.execute(&users::touch_device(id, at)).await.map_err(db_error)?)
    }
}

#[async_trait]
impl<B: Backend> AuditLog for SqlStore<B> {
    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        conn.execute(&users::insert_audit(&entry)?).await.map_err(db_error)?;
        Ok(())
    }

    async fn entries(&self, user: Option<UserId>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let mut conn = self.reader().await?;
        let rows: Vec<AuditRow> = conn
            .fetch_all(&users::select_audit(user, limit))
            .await
            .map_err(db_error)?;
        rows.into_iter().map(AuditRow::into_entry).collect()
    }
}
