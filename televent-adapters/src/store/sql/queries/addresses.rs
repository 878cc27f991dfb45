//! Statements on `user_addresses`: the addresses users have linked.

use chrono::{DateTime, Utc};
use sea_query::{DeleteStatement, Expr, ExprTrait, InsertStatement, Order, Query, SelectStatement};
use televent_domain::attendee::CalAddress;
use televent_domain::ids::UserId;
use televent_ports::StoreError;

use super::insert;
use crate::store::sql::codec::micros;
use crate::store::sql::schema::{UserAddresses, Users};

/// Links `address` to `user`.
pub fn insert_address(user: UserId, address: &CalAddress, at: DateTime<Utc>) -> Result<InsertStatement, StoreError> {
    insert(
        UserAddresses::Table,
        [UserAddresses::Address, UserAddresses::UserId, UserAddresses::CreatedAt],
        [address.as_str().into(), user.as_uuid().into(), micros(at).into()],
    )
}

/// Unlinks `address` from `user`; matches nothing when it is not theirs.
pub fn delete_address(user: UserId, address: &CalAddress) -> DeleteStatement {
    Query::delete()
        .from_table(UserAddresses::Table)
        .and_where(Expr::col(UserAddresses::Address).eq(address.as_str()))
        .and_where(Expr::col(UserAddresses::UserId).eq(user.as_uuid()))
        .to_owned()
}

/// The addresses linked to `user` (rows of [`AddressRow`](crate::store::sql::rows::AddressRow)), sorted.
pub fn select_addresses(user: UserId) -> SelectStatement {
    Query::select()
        .column(UserAddresses::Address)
        .from(UserAddresses::Table)
        .and_where(Expr::col(UserAddresses::UserId).eq(user.as_uuid()))
        .order_by(UserAddresses::Address, Order::Asc)
        .to_owned()
}

/// A condition on `users`: the user `address` is linked to.
pub fn owner_of(address: &CalAddress) -> Expr {
    let owner = Query::select()
        .column(UserAddresses::UserId)
        .from(UserAddresses::Table)
        .and_where(Expr::col(UserAddresses::Address).eq(address.as_str()))
        .to_owned();
    Expr::col(Users::Id).in_subquery(owner)
}
