//! Statements on `access_tokens` and `calendar_subscriptions`.

use chrono::{DateTime, Utc};
use sea_query::{DeleteStatement, Expr, ExprTrait, InsertStatement, OnConflict, Query, SelectStatement};
use televent_domain::access::{AccessToken, Subscription, TokenHash, TokenKind};
use televent_domain::ids::CalendarId;
use televent_ports::StoreError;

use super::insert;
use crate::store::sql::codec::micros;
use crate::store::sql::schema::{AccessTokens, CalendarSubscriptions};

/// The columns of a `TokenRow`.
const TOKEN_COLUMNS: [AccessTokens; 6] = [
    AccessTokens::Hash,
    AccessTokens::Kind,
    AccessTokens::UserId,
    AccessTokens::DeviceId,
    AccessTokens::CreatedAt,
    AccessTokens::ExpiresAt,
];

/// The columns of a `SubscriptionRow`.
const SUBSCRIPTION_COLUMNS: [CalendarSubscriptions; 3] = [
    CalendarSubscriptions::CalendarId,
    CalendarSubscriptions::Token,
    CalendarSubscriptions::CreatedAt,
];

/// Inserts a token.
pub fn insert_token(token: &AccessToken) -> Result<InsertStatement, StoreError> {
    insert(
        AccessTokens::Table,
        TOKEN_COLUMNS,
        [
            token.hash.0.to_vec().into(),
            token.kind.as_str().into(),
            token.user.as_uuid().into(),
            token.device.map(|d| d.as_uuid()).into(),
            micros(token.created_at).into(),
            micros(token.expires_at).into(),
        ],
    )
}

/// The live token of `kind` with `hash`.
pub fn select_token(hash: &TokenHash, kind: TokenKind, now: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .columns(TOKEN_COLUMNS)
        .from(AccessTokens::Table)
        .and_where(Expr::col(AccessTokens::Hash).eq(hash.0.to_vec()))
        .and_where(Expr::col(AccessTokens::Kind).eq(kind.as_str()))
        .and_where(Expr::col(AccessTokens::ExpiresAt).gt(micros(now)))
        .to_owned()
}

/// Deletes the token of `kind` with `hash`, returning it (whether live or not: the caller
/// checks, so an expired link is removed too).
pub fn take_token(hash: &TokenHash, kind: TokenKind) -> DeleteStatement {
    Query::delete()
        .from_table(AccessTokens::Table)
        .and_where(Expr::col(AccessTokens::Hash).eq(hash.0.to_vec()))
        .and_where(Expr::col(AccessTokens::Kind).eq(kind.as_str()))
        .returning(Query::returning().columns(TOKEN_COLUMNS))
        .to_owned()
}

/// Deletes one token.
pub fn delete_token(hash: &TokenHash) -> DeleteStatement {
    Query::delete()
        .from_table(AccessTokens::Table)
        .and_where(Expr::col(AccessTokens::Hash).eq(hash.0.to_vec()))
        .to_owned()
}

/// Deletes the tokens that expired before `now`.
pub fn delete_expired_tokens(now: DateTime<Utc>) -> DeleteStatement {
    Query::delete()
        .from_table(AccessTokens::Table)
        .and_where(Expr::col(AccessTokens::ExpiresAt).lt(micros(now)))
        .to_owned()
}

/// Inserts or replaces a calendar's subscription.
pub fn upsert_subscription(subscription: &Subscription) -> Result<InsertStatement, StoreError> {
    let mut statement = insert(
        CalendarSubscriptions::Table,
        SUBSCRIPTION_COLUMNS,
        [
            subscription.calendar.as_uuid().into(),
            subscription.token.as_str().into(),
            micros(subscription.created_at).into(),
        ],
    )?;
    statement.on_conflict(
        OnConflict::column(CalendarSubscriptions::CalendarId)
            .update_columns([CalendarSubscriptions::Token, CalendarSubscriptions::CreatedAt])
            .to_owned(),
    );
    Ok(statement)
}

/// A calendar's subscription.
pub fn select_subscription(calendar: CalendarId) -> SelectStatement {
    Query::select()
        .columns(SUBSCRIPTION_COLUMNS)
        .from(CalendarSubscriptions::Table)
        .and_where(Expr::col(CalendarSubscriptions::CalendarId).eq(calendar.as_uuid()))
        .to_owned()
}

/// The subscription with `token`.
pub fn select_subscription_by_token(token: &str) -> SelectStatement {
    Query::select()
        .columns(SUBSCRIPTION_COLUMNS)
        .from(CalendarSubscriptions::Table)
        .and_where(Expr::col(CalendarSubscriptions::Token).eq(token))
        .to_owned()
}

/// Deletes a calendar's subscription.
pub fn delete_subscription(calendar: CalendarId) -> DeleteStatement {
    Query::delete()
        .from_table(CalendarSubscriptions::Table)
        .and_where(Expr::col(CalendarSubscriptions::CalendarId).eq(calendar.as_uuid()))
        .to_owned()
}
