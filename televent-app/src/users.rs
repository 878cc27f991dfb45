//! Users, their linked addresses and their calendars.

use televent_domain::attendee::CalAddress;
use televent_domain::calendar::{Calendar, CalendarSlug, NewCalendar};
use televent_domain::user::{INTERNAL_DOMAIN, TelegramId, TimeZoneId, User, UserName, UserPreferences};
use televent_ports::StoreError;
use televent_ports::store::{NewUser, internal_user_name};

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
        self.users_changed.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(updated)
    }

    /// Links an e-mail address (`anna@example.com` or `mailto:anna@example.com`) to `user`:
    /// attendees at it are `user` from then on. Returns the address as stored. Linking it again
    /// is a no-op; `AlreadyExists` when another user has it.
    pub async fn link_address(&self, user: &User, address: &str) -> Result<CalAddress, AppError> {
        let address = email_address(address)?;
        let email = address.email().unwrap_or(address.as_str());
        if internal_user_name(&address).is_some() {
            return Err(AppError::Invalid(format!(
                "{email} is an internal address: every user has NAME@{INTERNAL_DOMAIN} without linking it"
            )));
        }
        match self.store.link_address(user.id, &address).await {
            Ok(()) => Ok(address),
            Err(StoreError::AlreadyExists(_)) => {
                Err(AppError::AlreadyExists(format!("another user's link to {email}")))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Unlinks an address from `user`. `NotFound` when it is not linked to them.
    pub async fn unlink_address(&self, user: &User, address: &str) -> Result<(), AppError> {
        let parsed = email_address(address)?;
        self.store.unlink_address(user.id, &parsed).await.map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound(format!("address '{address}' of user '{}'", user.name)),
            other => other.into(),
        })
    }

    /// The addresses `user` linked, sorted (without the internal one).
    pub async fn addresses(&self, user: &User) -> Result<Vec<CalAddress>, AppError> {
        Ok(self.store.addresses(user.id).await?)
    }

    /// Every address that is `user`: the internal one first, then the linked ones.
    pub async fn own_addresses(&self, user: &User) -> Result<Vec<CalAddress>, AppError> {
        let internal = CalAddress::parse(&user.internal_address());
        Ok(internal.into_iter().chain(self.addresses(user).await?).collect())
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

/// An e-mail address as a `mailto:` address: one `@` between non-empty parts, no spaces.
fn email_address(text: &str) -> Result<CalAddress, AppError> {
    let text = text.trim();
    let email = match text.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("mailto:") => text.get(7..).unwrap_or_default(),
        _ => text,
    };
    let looks_like_email = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !email.contains(char::is_whitespace)
        }
        None => false,
    };
    if !looks_like_email {
        return Err(AppError::Invalid(format!(
            "'{text}' is not an e-mail address (expected NAME@DOMAIN, like anna@example.com)"
        )));
    }
    CalAddress::parse(&format!("mailto:{email}"))
        .ok_or_else(|| AppError::Invalid(format!("'{text}' is not an e-mail address")))
}
