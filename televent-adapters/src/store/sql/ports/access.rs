//! `AccessStore`: sessions, login links and subscription tokens.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use televent_domain::access::{AccessToken, Subscription, TokenHash, TokenKind};
use televent_domain::ids::CalendarId;
use televent_ports::StoreError;
use televent_ports::store::AccessStore;

use crate::store::sql::backend::{Backend, SqlStore};
use crate::store::sql::conn::Conn;
use crate::store::sql::error::{db_error, is_foreign_key_violation, is_unique_violation};
use crate::store::sql::queries::access;
use crate::store::sql::rows::{SubscriptionRow, TokenRow};

#[async_trait]
impl<B: Backend> AccessStore for SqlStore<B> {
    async fn put_token(&self, token: AccessToken) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        conn.execute(&access::insert_token(&token)?).await.map_err(|e| {
            if is_foreign_key_violation(&e) {
                StoreError::NotFound
            } else if is_unique_violation(&e) {
                StoreError::AlreadyExists("access token".to_owned())
            } else {
                db_error(e)
            }
        })?;
        Ok(())
    }

    async fn token(
        &self,
        hash: &TokenHash,
        kind: TokenKind,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StoreError> {
        let mut conn = self.reader().await?;
        let row: Option<TokenRow> = conn
            .fetch_optional(&access::select_token(hash, kind, now))
            .await
            .map_err(db_error)?;
        row.map(TokenRow::into_token).transpose()
    }

    async fn take_token(
        &self,
        hash: &TokenHash,
        kind: TokenKind,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StoreError> {
        // One DELETE … RETURNING: of two concurrent takers only one sees the row.
        let mut conn = self.writer().await?;
        let row: Option<TokenRow> = conn
            .fetch_optional(&access::take_token(hash, kind))
            .await
            .map_err(db_error)?;
        Ok(row
            .map(TokenRow::into_token)
            .transpose()?
            .filter(|token| token.is_live(now)))
    }

    async fn delete_token(&self, hash: &TokenHash) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        conn.execute(&access::delete_token(hash)).await.map_err(db_error)?;
        Ok(())
    }

    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut conn = self.writer().await?;
        conn.execute(&access::delete_expired_tokens(now))
            .await
            .map_err(db_error)
    }

    async fn put_subscription(&self, subscription: Subscription) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        conn.execute(&access::upsert_subscription(&subscription)?)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    StoreError::NotFound
                } else if is_unique_violation(&e) {
                    StoreError::AlreadyExists("subscription token".to_owned())
                } else {
                    db_error(e)
                }
            })?;
        Ok(())
    }

    async fn subscription(&self, calendar: CalendarId) -> Result<Option<Subscription>, StoreError> {
        let mut conn = self.reader().await?;
        let row: Option<SubscriptionRow> = conn
            .fetch_optional(&access::select_subscription(calendar))
            .await
            .map_err(db_error)?;
        row.map(SubscriptionRow::into_subscription).transpose()
    }

    async fn subscription_by_token(&self, token: &str) -> Result<Option<Subscription>, StoreError> {
        let mut conn = self.reader().await?;
        let row: Option<SubscriptionRow> = conn
            .fetch_optional(&access::select_subscription_by_token(token))
            .await
            .map_err(db_error)?;
        row.map(SubscriptionRow::into_subscription).transpose()
    }

    async fn delete_subscription(&self, calendar: CalendarId) -> Result<(), StoreError> {
        let mut conn = self.writer().await?;
        let changed = conn
            .execute(&access::delete_subscription(calendar))
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
