//! `UserStore`: users, their preferences and linked addresses. Creating a user also creates
//! their default calendar and preferences, in one transaction.

use async_trait::async_trait;
use chrono::Utc;
use sea_query::{Expr, ExprTrait};
use televent_domain::attendee::CalAddress;
use televent_domain::calendar::{Calendar, CalendarSlug, NewCalendar};
use televent_domain::ids::UserId;
use televent_domain::user::{TelegramId, User, UserName, UserPreferences};
use televent_ports::StoreError;
use televent_ports::store::{NewUser, UserStore, internal_user_name};

use super::Connection;
use super::calendars::new_calendar;
use crate::store::sql::backend::{Backend, SqlStore, commit};
use crate::store::sql::conn::Conn;
use crate::store::sql::error::{db_error, is_foreign_key_violation, is_unique_violation, violated_constraint};
use crate::store::sql::queries::{addresses, calendars, users};
use crate::store::sql::rows::{AddressRow, PreferencesRow, UserRow};
use crate::store::sql::schema::Users;

/// The error for a user row refused as a duplicate: the Telegram id, or else the name.
fn taken(error: sqlx::Error, name: &UserName) -> StoreError {
    if !is_unique_violation(&error) {
        return db_error(error);
    }
    if violated_constraint(&error).contains("telegram") {
        StoreError::AlreadyExists("a user with that Telegram id".to_owned())
    } else {
        StoreError::AlreadyExists(format!("user {name}"))
    }
}

impl<B: Backend> SqlStore<B> {
    async fn one_user(&self, condition: Expr) -> Result<Option<User>, StoreError> {
        let mut conn = self.reader().await?;
        let row: Option<UserRow> = conn
            .fetch_optional(&users::select_users(Some(condition)))
            .await
            .map_err(db_error)?;
        row.map(UserRow::into_user).transpose()
    }
}

#[async_trait]
impl<B: Backend> UserStore for SqlStore<B> {
    async fn create_user(&self, new: NewUser) -> Result<(User, Calendar), StoreError> {
        let user = User {
            id: UserId::new_random(),
            name: new.name,
            telegram_id: new.telegram_id,
            time_zone: new.time_zone,
            created_at: new.at,
        };
        let calendar = new_calendar(
            user.id,
            NewCalendar::named(CalendarSlug::default_calendar(), "Calendar"),
            new.at,
        );
        let mut transaction = self.begin().await?;
        let conn: &mut Connection<B> = &mut transaction;
        conn.execute(&users::insert_user(&user)?)
            .await
            .map_err(|e| taken(e, &user.name))?;
        conn.execute(&calendars::insert_calendar(&calendar)?)
            .await
            .map_err(db_error)?;
        conn.execute(&users::insert_preferences(user.id, &UserPreferences::default())?)
            .await
            .map_err(db_error)?;
        commit(transaction).await?;
        Ok((user, calendar))
    }

    async fn user_by_name(&self, name: &UserName) -> Result<Option<User>, StoreError> {
        self.one_user(Expr::col(Users::Name).eq(name.as_str())).await
    }

    async fn user_by_id(&self, id: UserId) -> Result<Option<User>, StoreError> {
        self.one_user(Expr::col(Users::Id).eq(id.as_uuid())).await
    }

    async fn user_by_telegram_id(&self, id: TelegramId) -> Result<Option<User>, StoreError> {
        self.one_user(Expr::col(Users::TelegramId).eq(id.get())).await
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let mut conn = self.reader().await?;
        let rows: Vec<UserRow> = conn.fetch_all(&users::select_users(None)).await.map_err(db_error)?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    async fn update_user(&self, user: &User) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        let changed = conn
            .execute(&users::update_user(user))
            .await
            .map_err(|e| taken(e, &user.name))?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn preferences(&self, user: UserId) -> Result<UserPreferences, StoreError> {
        let mut conn = self.reader().await?;
        let row: Option<PreferencesRow> = conn
            .fetch_optional(&users::select_preferences(user))
            .await
            .map_err(db_error)?;
        row.ok_or(StoreError::NotFound)?.into_preferences()
    }

    async fn set_preferences(&self, user: UserId, preferences: UserPreferences) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        let changed = conn
            .execute(&users::update_preferences(user, &preferences))
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn link_address(&self, user: UserId, address: &CalAddress) -> Result<(), StoreError> {
        if internal_user_name(address).is_some() {
            return Err(StoreError::Invalid(format!(
                "{} is an internal address",
                address.as_str()
            )));
        }
        // `created_at` is bookkeeping for operators, never read back: the port takes no time.
        let insert = addresses::insert_address(user, address, Utc::now())?;
        let mut conn = self.writer().await?;
        let error = match conn.execute(&insert).await {
            Ok(_) => return Ok(()),
            Err(error) => error,
        };
        drop(conn);
        if is_foreign_key_violation(&error) {
            return Err(StoreError::NotFound);
        }
        if !is_unique_violation(&error) {
            return Err(db_error(error));
        }
        // Taken: by this user already (a no-op), or by another.
        match self.one_user(addresses::owner_of(address)).await? {
            Some(owner) if owner.id == user => Ok(()),
            _ => Err(StoreError::AlreadyExists(format!("address {}", address.as_str()))),
        }
    }

    async fn unlink_address(&self, user: UserId, address: &CalAddress) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        let removed = conn
            .execute(&addresses::delete_address(user, address))
            .await
            .map_err(db_error)?;
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn addresses(&self, user: UserId) -> Result<Vec<CalAddress>, StoreError> {
        let mut conn = self.reader().await?;
        let rows: Vec<AddressRow> = conn
            .fetch_all(&addresses::select_addresses(user))
            .await
            .map_err(db_error)?;
        rows.into_iter().map(AddressRow::into_address).collect()
    }

    async fn user_by_address(&self, address: &CalAddress) -> Result<Option<User>, StoreError> {
        match internal_user_name(address) {
            Some(Ok(name)) => self.user_by_name(&name).await,
            Some(Err(_)) => Ok(None),
            None => self.one_user(addresses::owner_of(address)).await,
        }
    }
}
