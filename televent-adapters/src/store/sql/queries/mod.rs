//! The statements the store runs, built with sea-query for both backends. Each function
//! builds one statement; none runs anything. Values are always bound, never inlined.

pub mod access;
pub mod addresses;
pub mod calendars;
pub mod changes;
pub mod objects;
pub mod outbox;
pub mod users;

use sea_query::{Expr, InsertStatement, IntoIden, IntoTableRef, Query};
use televent_ports::StoreError;

/// `INSERT INTO table (columns) VALUES (values)`, checking the counts match.
fn insert<C: IntoIden>(
    table: impl IntoTableRef,
    columns: impl IntoIterator<Item = C>,
    values: impl IntoIterator<Item = Expr>,
) -> Result<InsertStatement, StoreError> {
    let mut statement = Query::insert();
    statement.into_table(table).columns(columns);
    statement
        .values(values)
        .map_err(|e| StoreError::Invalid(format!("bad insert: {e}")))?;
    Ok(statement)
}
