//! Device passwords: created, listed, revoked, and checked at login.

use televent_domain::device::{DevicePassword, parse_label};
use televent_domain::ids::DeviceId;
use televent_domain::user::{User, UserName};

use crate::engine::Televent;
use crate::error::AppError;

/// A device password just made: the record and the password, which is shown once and never
/// stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    /// The stored record.
    pub device: DevicePassword,
    /// The password in clear.
    pub password: String,
}

impl Televent {
    /// Makes a new device password for `user`.
    pub async fn add_device(&self, user: &User, label: &str) -> Result<NewDevice, AppError> {
        let label = parse_label(label).map_err(AppError::Invalid)?;
        let password = self.hasher.generate().map_err(AppError::Internal)?;
        let hash = self.hasher.hash(&password).map_err(AppError::Internal)?;
        let device = DevicePassword {
            id: DeviceId::new_random(),
            user: user.id,
            label,
            hash,
            created_at: self.clock.now(),
            last_used_at: None,
            revoked_at: None,
        };
        self.store.add_device(device.clone()).await?;
        Ok(NewDevice { device, password })
    }

    /// A user's device passwords.
    pub async fn devices(&self, user: &User) -> Result<Vec<DevicePassword>, AppError> {
        Ok(self.store.devices(user.id).await?)
    }

    /// Revokes one of the user's device passwords.
    pub async fn revoke_device(&self, user: &User, id: &str) -> Result<(), AppError> {
        let id: DeviceId = id
            .parse()
            .map_err(|_| AppError::Invalid(format!("'{id}' is not a device id")))?;
        self.store
            .revoke_device(user.id, id, self.clock.now())
            .await
            .map_err(|error| match error {
                televent_ports::StoreError::NotFound => AppError::NotFound(format!("device {id}")),
                other => other.into(),
            })
    }

    /// True while `device` is one of `user`'s and not revoked: one read of the device by its
    /// id.
    pub async fn device_active(&self, user: &User, device: DeviceId) -> Result<bool, AppError> {
        Ok(self
            .store
            .device(device)
            .await?
            .is_some_and(|d| d.user == user.id && d.is_active()))
    }

    /// The user of `device` as stored now, while the device is not revoked: a read of the
    /// device and of its user, both by primary key. Doors that cache a verified credential
    /// call it on each use, so a revocation made by any process sharing the store takes effect
    /// at once, and a change to the user (their zone) is seen at once too.
    pub async fn active_device_user(&self, device: DeviceId) -> Result<Option<User>, AppError> {
        let Some(record) = self.store.device(device).await? else {
            return Ok(None);
        };
        if !record.is_active() {
            return Ok(None);
        }
        Ok(self.store.user_by_id(record.user).await?)
    }

    /// Checks a user name and device password. `Ok(None)` for a wrong name or password (the
    /// two are not told apart). A success records the device's last use.
    pub async fn authenticate(&self, name: &str, password: &str) -> Result<Option<(User, DeviceId)>, AppError> {
        let Ok(name) = UserName::parse(name) else {
            return Ok(None);
        };
        let Some(user) = self.store.user_by_name(&name).await? else {
            return Ok(None);
        };
        let devices = self.store.devices(user.id).await?;
        let Some(device) = devices
            .iter()
            .filter(|d| d.is_active())
            .find(|d| self.hasher.verify(password, &d.hash))
        else {
            return Ok(None);
        };
        self.store.touch_device(device.id, self.clock.now()).await?;
        Ok(Some((user, device.id)))
    }
}
