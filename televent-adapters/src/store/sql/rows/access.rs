//! Rows of `access_tokens` and `calendar_subscriptions`.

use televent_domain::access::{AccessToken, Subscription, TokenHash, TokenKind};
use televent_domain::ids::{CalendarId, DeviceId, UserId};
use televent_ports::StoreError;
use uuid::Uuid;

use crate::store::sql::codec::instant;
use crate::store::sql::error::corrupt;

/// An `access_tokens` row.
#[derive(Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub hash: Vec<u8>,
    pub kind: String,
    pub user_id: Uuid,
    pub device_id: Option<Uuid>,
    pub created_at: i64,
    pub expires_at: i64,
}

impl TokenRow {
    /// The token.
    pub fn into_token(self) -> Result<AccessToken, StoreError> {
        let hash: [u8; 32] = self
            .hash
            .try_into()
            .map_err(|_| corrupt("a token hash is not 32 bytes"))?;
        Ok(AccessToken {
            hash: TokenHash(hash),
            kind: TokenKind::parse(&self.kind).ok_or_else(|| corrupt(format!("unknown token kind {}", self.kind)))?,
            user: UserId::from_uuid(self.user_id),
            device: self.device_id.map(DeviceId::from_uuid),
            created_at: instant(self.created_at)?,
            expires_at: instant(self.expires_at)?,
        })
    }
}

/// A `calendar_subscriptions` row.
#[derive(Debug, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub calendar_id: Uuid,
    pub token: String,
    pub created_at: i64,
}

impl SubscriptionRow {
    /// The subscription.
    pub fn into_subscription(self) -> Result<Subscription, StoreError> {
        Ok(Subscription {
            calendar: CalendarId::from_uuid(self.calendar_id),
            token: self.token,
            created_at: instant(self.created_at)?,
        })
    }
}
