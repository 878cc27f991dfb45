//! Users and their calendars.

use televent_domain::calendar::{Calendar, CalendarSlug, NewCalendar};
use televent_domain::user::{TelegramId, TimeZoneId, User, UserName, UserPreferences};
use televent_ports::store::NewUser;

use crate::engine::Televent;
use crate::error::AppError;

impl Televent {
    /// Creates a user with a default calendar. `zone` is an IANA name (UTC when absent).
    pub async fn create_user(
        &self,
        name: &str,
        telegram_id: Option<i64>,
        zone: Option<&str>,
    ) -> Result<(User, Calendar), AppError> {
        let name = UserName::parse(name).map_err(AppError::Invalid)?;
        let telegram_id = telegram_id
            .map(TelegramId::new)
            .transpose()
            .map_err(AppError::Invalid)?;
        let time_zone = zone
            .map(TimeZoneId::parse)
            .transpose()
            .map_err(AppError::Invalid)?
            .unwrap_or(TimeZoneId::UTC);
        Ok(self
            .store
            .create_user(NewUser {
                name,
                telegram_id,
                time_zone,
                at: self.clock.now(),
            })
            .await?)
    }

    /// The user called `name`.
    pub async fn user(&self, name: &str) -> Result<User, AppError> {
        let parsed = UserName::parse(name).map_err(AppError::Invalid)?;
        self.store
            .user_by_name(&parsed)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("user '{name}'")))
    }

    /// Every user.
    pub async fn users(&self) -> Result<Vec<User>, AppError> {
        Ok(self.store.users().await?)
    }

    /// Changes a user's zone.
    pub async fn set_time_zone(&self, user: &User, zone: &str) -> Result<User, AppError> {
        let mut updated = user.clone();
        updated.time_zone = TimeZoneId::parse(zone).map_err(AppError::Invalid)?;
        self.store.update_user(&updated).await?;
        Ok(updated)
    }

    /// A user's preferences.
    pub async fn preferences(&self, user: &User) -> Result<UserPreferences, AppError> {
        Ok(self.store.preferences(user.id).await?)
    }

    /// Saves a user's preferences.
    pub async fn set_preferences(&self, user: &User, preferences: UserPreferences) -> Result<(), AppError> {
        Ok(self.store.set_preferences(user.id, preferences).await?)
    }

    /// A user's calendars.
    pub async fn calendars(&self, user: &User) -> Result<Vec<Calendar>, AppError> {
        Ok(self.store.calendars(user.id).await?)
    }

    /// A user's calendar by slug.
    pub async fn calendar(&self, user: &User, slug: &str) -> Result<Calendar, AppError> {
        let parsed = CalendarSlug::parse(slug).map_err(AppError::Invalid)?;
        self.store
            .calendar(user.id, &parsed)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("calendar '{slug}'")))
    }

    /// Creates a calendar for `user`.
    pub async fn create_calendar(&self, user: &User, calendar: NewCalendar) -> Result<Calendar, AppError> {
        Ok(self.store.create_calendar(user.id, calendar, self.clock.now()).await?)
    }
}
