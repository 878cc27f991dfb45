//! Users, preferences, devices and the audit log, in memory.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use televent_domain::attendee::CalAddress;
use televent_domain::audit::AuditEntry;
use televent_domain::calendar::{Calendar, CalendarSlug, NewCalendar};
use televent_domain::device::DevicePassword;
use televent_domain::ids::{DeviceId, UserId};
use televent_domain::user::{TelegramId, User, UserName, UserPreferences};
use televent_ports::StoreError;
use televent_ports::store::{AuditLog, DeviceStore, NewUser, UserStore, internal_user_name};

use super::{MemoryStore, State};

impl State {
    fn telegram_taken(&self, telegram_id: Option<TelegramId>, except: Option<UserId>) -> bool {
        telegram_id.is_some_and(|t| {
            self.users
                .values()
                .any(|u| u.telegram_id == Some(t) && Some(u.id) != except)
        })
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn create_user(&self, new: NewUser) -> Result<(User, Calendar), StoreError> {
        let mut state = self.lock();
        if state.users.values().any(|u| u.name == new.name) {
            return Err(StoreError::AlreadyExists(format!("user {}", new.name)));
        }
        if state.telegram_taken(new.telegram_id, None) {
            return Err(StoreError::AlreadyExists("a user with that Telegram id".to_owned()));
        }
        let user = User {
            id: UserId::new_random(),
            name: new.name,
            telegram_id: new.telegram_id,
            time_zone: new.time_zone,
            created_at: new.at,
        };
        let calendar = state.insert_calendar(
            user.id,
            NewCalendar::named(CalendarSlug::default_calendar(), "Calendar"),
            new.at,
        );
        state.users.insert(user.id, user.clone());
        state.preferences.insert(user.id, UserPreferences::default());
        Ok((user, calendar))
    }

    async fn user_by_name(&self, name: &UserName) -> Result<Option<User>, StoreError> {
        Ok(self.lock().users.values().find(|u| u.name == *name).cloned())
    }

    async fn user_by_id(&self, id: UserId) -> Result<Option<User>, StoreError> {
        Ok(self.lock().users.get(&id).cloned())
    }

    async fn user_by_telegram_id(&self, id: TelegramId) -> Result<Option<User>, StoreError> {
        Ok(self.lock().users.values().find(|u| u.telegram_id == Some(id)).cloned())
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let mut users: Vec<User> = self.lock().users.values().cloned().collect();
        users.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(users)
    }

    async fn update_user(&self, user: &User) -> Result<(), StoreError> {
        let mut state = self.lock();
        if state.telegram_taken(user.telegram_id, Some(user.id)) {
            return Err(StoreError::AlreadyExists("a user with that Telegram id".to_owned()));
        }
        let stored = state.users.get_mut(&user.id).ok_or(StoreError::NotFound)?;
        stored.telegram_id = user.telegram_id;
        stored.time_zone = user.time_zone;
        Ok(())
    }

    async fn preferences(&self, user: UserId) -> Result<UserPreferences, StoreError> {
        self.lock().preferences.get(&user).copied().ok_or(StoreError::NotFound)
    }

    async fn set_preferences(&self, user: UserId, preferences: UserPreferences) -> Result<(), StoreError> {
        let mut state = self.lock();
        let stored = state.preferences.get_mut(&user).ok_or(StoreError::NotFound)?;
        *stored = preferences;
        Ok(())
    }

    async fn link_address(&self, user: UserId, address: &CalAddress) -> Result<(), StoreError> {
        if internal_user_name(address).is_some() {
            return Err(StoreError::Invalid(format!(
                "{} is an internal address",
                address.as_str()
            )));
        }
        let mut state = self.lock();
        if !state.users.contains_key(&user) {
            return Err(StoreError::NotFound);
        }
        match state.addresses.get(address) {
            Some(owner) if *owner == user => Ok(()),
            Some(_) => Err(StoreError::AlreadyExists(format!("address {}", address.as_str()))),
            None => {
                state.addresses.insert(address.clone(), user);
                Ok(())
            }
        }
    }

    async fn unlink_address(&self, user: UserId, address: &CalAddress) -> Result<(), StoreError> {
        let mut state = self.lock();
        if state.addresses.get(address) != Some(&user) {
            return Err(StoreError::NotFound);
        }
        state.addresses.remove(address);
        Ok(())
    }

    async fn addresses(&self, user: UserId) -> Result<Vec<CalAddress>, StoreError> {
        let state = self.lock();
        Ok(state
            .addresses
            .iter()
            .filter(|(_, owner)| **owner == user)
            .map(|(address, _)| address.clone())
            .collect())
    }

    async fn user_by_address(&self, address: &CalAddress) -> Result<Option<User>, StoreError> {
        match internal_user_name(address) {
            Some(Ok(name)) => self.user_by_name(&name).await,
            Some(Err(_)) => Ok(None),
            None => {
                let state = self.lock();
                Ok(state.addresses.get(address).and_then(|id| state.users.get(id)).cloned())
            }
        }
    }
}

#[async_trait]
impl DeviceStore for MemoryStore {
    async fn add_device(&self, device: DevicePassword) -> Result<(), StoreError> {
        let mut state = self.lock();
        if !state.users.contains_key(&device.user) {
            return Err(StoreError::NotFound);
        }
        state.devices.push(device);
        Ok(())
    }

    async fn devices(&self, user: UserId) -> Result<Vec<DevicePassword>, StoreError> {
        Ok(self.lock().devices.iter().filter(|d| d.user == user).cloned().collect())
    }

    async fn device(&self, id: DeviceId) -> Result<Option<DevicePassword>, StoreError> {
        Ok(self.lock().devices.iter().find(|d| d.id == id).cloned())
    }

    async fn revoke_device(&self, user: UserId, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut state = self.lock();
        let device = state
            .devices
            .iter_mut()
            .find(|d| d.id == id && d.user == user)
            .ok_or(StoreError::NotFound)?;
        device.revoked_at.get_or_insert(at);
        Ok(())
    }

    async fn touch_device(&self, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut state = self.lock();
        let device = state
            .devices
            .iter_mut()
            .find(|d| d.id == id)
            .ok_or(StoreError::NotFound)?;
        device.last_used_at = Some(at);
        Ok(())
    }
}

#[async_trait]
impl AuditLog for MemoryStore {
    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError> {
        self.lock().audit.push(entry);
        Ok(())
    }

    async fn entries(&self, user: Option<UserId>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let state = self.lock();
        Ok(state
            .audit
            .iter()
            .rev()
            .filter(|e| user.is_none() || e.user == user)
            .take(limit)
            .cloned()
            .collect())
    }
}
