//! Signing in to the web page and the REST API, and calendar subscription URLs.
//!
//! A session is made by one of three proofs: a one-time login link (from the bot's `/web`), a
//! Telegram account the door has verified (Mini App `initData`), or a device password. The
//! secret is returned once; the store keeps its BLAKE3 hash. A session made with a device
//! password ends when that device is revoked. Verifying Telegram's signature is the door's
//! work (it holds the bot token); this module trusts the Telegram id it is given.

use chrono::{DateTime, Duration, Utc};
use televent_domain::access::{AccessToken, Subscription, TokenHash, TokenKind};
use televent_domain::calendar::Calendar;
use televent_domain::ids::DeviceId;
use televent_domain::user::{TelegramId, User};
use televent_ports::StoreError;

use crate::engine::Televent;
use crate::error::AppError;

/// How long a one-time login link works.
pub const LOGIN_LINK_LIFETIME: Duration = Duration::minutes(10);
/// How long a session lasts.
pub const SESSION_LIFETIME: Duration = Duration::days(30);

/// A secret just made, shown to its holder once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedSecret {
    /// The secret.
    pub secret: String,
    /// Whose it is.
    pub user: User,
    /// Useless from this instant on.
    pub expires_at: DateTime<Utc>,
}

impl Televent {
    /// A one-time login link secret for `user`, valid for [`LOGIN_LINK_LIFETIME`].
    pub async fn create_login_link(&self, user: &User) -> Result<IssuedSecret, AppError> {
        self.issue(user, TokenKind::LoginLink, None, LOGIN_LINK_LIFETIME).await
    }

    /// Trades a login link secret for a session. `Ok(None)` when the link is unknown, used or
    /// expired (the cases are not told apart).
    pub async fn sign_in_with_link(&self, secret: &str) -> Result<Option<IssuedSecret>, AppError> {
        let now = self.clock.now();
        let Some(link) = self
            .store
            .take_token(&TokenHash::of(secret), TokenKind::LoginLink, now)
            .await?
        else {
            return Ok(None);
        };
        let Some(user) = self.store.user_by_id(link.user).await? else {
            return Ok(None);
        };
        self.issue(&user, TokenKind::Session, None, SESSION_LIFETIME)
            .await
            .map(Some)
    }

    /// A session for the user linked to a Telegram account the caller has verified.
    /// `Ok(None)` when no user has that account (they have not started the bot).
    pub async fn sign_in_with_telegram(&self, telegram: TelegramId) -> Result<Option<IssuedSecret>, AppError> {
        let Some(user) = self.store.user_by_telegram_id(telegram).await? else {
            return Ok(None);
        };
        self.issue(&user, TokenKind::Session, None, SESSION_LIFETIME)
            .await
            .map(Some)
    }

    /// A session for `user`, who proved who they are with `device` (a device password the
    /// door checked) or otherwise (`None`).
    pub async fn start_session(&self, user: &User, device: Option<DeviceId>) -> Result<IssuedSecret, AppError> {
        self.issue(user, TokenKind::Session, device, SESSION_LIFETIME).await
    }

    /// The user a session secret belongs to, while it lasts (and, for a session made with a
    /// device password, while that device is not revoked).
    pub async fn session_user(&self, secret: &str) -> Result<Option<User>, AppError> {
        let now = self.clock.now();
        let Some(session) = self
            .store
            .token(&TokenHash::of(secret), TokenKind::Session, now)
            .await?
        else {
            return Ok(None);
        };
        let Some(user) = self.store.user_by_id(session.user).await? else {
            return Ok(None);
        };
        if let Some(device) = session.device
            && !self.device_active(&user, device).await?
        {
            return Ok(None);
        }
        Ok(Some(user))
    }

    /// Ends a session (signing out). Unknown secrets are ignored.
    pub async fn sign_out(&self, secret: &str) -> Result<(), AppError> {
        Ok(self.store.delete_token(&TokenHash::of(secret)).await?)
    }

    /// Forgets expired sessions and links; returns how many went.
    pub async fn prune_access_tokens(&self) -> Result<u64, AppError> {
        Ok(self.store.delete_expired_tokens(self.clock.now()).await?)
    }

    async fn issue(
        &self,
        user: &User,
        kind: TokenKind,
        device: Option<DeviceId>,
        lifetime: Duration,
    ) -> Result<IssuedSecret, AppError> {
        let secret = self.hasher.secret().map_err(AppError::Internal)?;
        let now = self.clock.now();
        let expires_at = now + lifetime;
        self.store
            .put_token(AccessToken {
                hash: TokenHash::of(&secret),
                kind,
                user: user.id,
                device,
                created_at: now,
                expires_at,
            })
            .await?;
        Ok(IssuedSecret {
            secret,
            user: user.clone(),
            expires_at,
        })
    }

    /// The calendar's subscription, if it has one. The calendar must be the user's (the
    /// caller looked it up through them).
    pub async fn subscription(&self, calendar: &Calendar) -> Result<Option<Subscription>, AppError> {
        Ok(self.store.subscription(calendar.id).await?)
    }

    /// Gives the calendar a new subscription token; the old one stops working.
    pub async fn renew_subscription(&self, calendar: &Calendar) -> Result<Subscription, AppError> {
        let subscription = Subscription {
            calendar: calendar.id,
            token: self.hasher.secret().map_err(AppError::Internal)?,
            created_at: self.clock.now(),
        };
        self.store.put_subscription(subscription.clone()).await?;
        Ok(subscription)
    }

    /// Revokes the calendar's subscription.
    pub async fn revoke_subscription(&self, calendar: &Calendar) -> Result<(), AppError> {
        self.store
            .delete_subscription(calendar.id)
            .await
            .map_err(|error| match error {
                StoreError::NotFound => AppError::NotFound("subscription".to_owned()),
                other => other.into(),
            })
    }

    /// The calendar a subscription token opens, with its owner.
    pub async fn subscribed_calendar(&self, token: &str) -> Result<Option<(User, Calendar)>, AppError> {
        let Some(subscription) = self.store.subscription_by_token(token).await? else {
            return Ok(None);
        };
        let Some(calendar) = self.store.calendar_by_id(subscription.calendar).await? else {
            return Ok(None);
        };
        let Some(owner) = self.store.user_by_id(calendar.owner).await? else {
            return Ok(None);
        };
        Ok(Some((owner, calendar)))
    }
}
