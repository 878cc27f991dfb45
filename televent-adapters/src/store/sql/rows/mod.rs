//! Rows as the queries return them (`#[derive(sqlx::FromRow)]`, decodable on both backends),
//! each with its conversion into a domain type. Field names are column names.

mod access;
mod addresses;
mod calendars;
mod objects;
mod outbox;
mod users;

pub use access::{SubscriptionRow, TokenRow};
pub use addresses::AddressRow;
pub use calendars::{CalendarRow, ChangeRow, CounterRow, CreatedRow, SeqRow, components_text};
pub use objects::{MetaRow, ObjectHeadRow, ObjectRow};
pub use outbox::{OutboxCountRow, OutboxRow, status};
pub use users::{AuditRow, DeviceRow, PreferencesRow, UserRow};
