//! Rows of `user_addresses`.

use televent_domain::attendee::CalAddress;
use televent_ports::StoreError;

use crate::store::sql::error::corrupt;

/// The address column of a `user_addresses` row.
#[derive(Debug, sqlx::FromRow)]
pub struct AddressRow {
    pub address: String,
}

impl AddressRow {
    /// The address, as it was normalised before it was stored.
    pub fn into_address(self) -> Result<CalAddress, StoreError> {
        CalAddress::parse(&self.address).ok_or_else(|| corrupt(format!("stored address '{}'", self.address)))
    }
}
