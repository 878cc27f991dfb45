//! `AccessStore` in memory: sessions, login links and subscription tokens.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use televent_domain::access::{AccessToken, Subscription, TokenHash, TokenKind};
use televent_domain::ids::CalendarId;
use televent_ports::StoreError;
use televent_ports::store::AccessStore;

use super::MemoryStore;

#[async_trait]
impl AccessStore for MemoryStore {
    async fn put_token(&self, token: AccessToken) -> Result<(), StoreError> {
        let mut state = self.lock();
        if !state.users.contains_key(&token.user) {
            return Err(StoreError::NotFound);
        }
        state.tokens.insert(token.hash, token);
        Ok(())
    }

    async fn token(
        &self,
        hash: &TokenHash,
        kind: TokenKind,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StoreError> {
        Ok(self
            .lock()
            .tokens
            .get(hash)
            .filter(|token| token.kind == kind && token.is_live(now))
            .cloned())
    }

    async fn take_token(
        &self,
        hash: &TokenHash,
        kind: TokenKind,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StoreError> {
        let mut state = self.lock();
        if !state.tokens.get(hash).is_some_and(|token| token.kind == kind) {
            return Ok(None);
        }
        Ok(state.tokens.remove(hash).filter(|token| token.is_live(now)))
    }

    async fn delete_token(&self, hash: &TokenHash) -> Result<(), StoreError> {
        self.lock().tokens.remove(hash);
        Ok(())
    }

    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut state = self.lock();
        let before = state.tokens.len();
        state.tokens.retain(|_, token| token.expires_at >= now);
        Ok(u64::try_from(before - state.tokens.len()).unwrap_or(u64::MAX))
    }

    async fn put_subscription(&self, subscription: Subscription) -> Result<(), StoreError> {
        let mut state = self.lock();
        if !state.calendars.contains_key(&subscription.calendar) {
            return Err(StoreError::NotFound);
        }
        if state
            .subscriptions
            .values()
            .any(|other| other.token == subscription.token && other.calendar != subscription.calendar)
        {
            return Err(StoreError::AlreadyExists("subscription token".to_owned()));
        }
        state.subscriptions.insert(subscription.calendar, subscription);
        Ok(())
    }

    async fn subscription(&self, calendar: CalendarId) -> Result<Option<Subscription>, StoreError> {
        Ok(self.lock().subscriptions.get(&calendar).cloned())
    }

    async fn subscription_by_token(&self, token: &str) -> Result<Option<Subscription>, StoreError> {
        Ok(self
            .lock()
            .subscriptions
            .values()
            .find(|subscription| subscription.token == token)
            .cloned())
    }

    async fn delete_subscription(&self, calendar: CalendarId) -> Result<(), StoreError> {
        self.lock()
            .subscriptions
            .remove(&calendar)
            .map(|_| ())
            .ok_or(StoreError::NotFound)
    }
}
