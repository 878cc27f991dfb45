//! From sqlx errors to the store's error cases.
//!
//! Constraint violations a caller can act on (a taken name, a missing owner) are recognised at
//! the call site with [`is_unique_violation`] and [`is_foreign_key_violation`]; everything
//! else goes through [`db_error`]: the database could not be reached or refused the work
//! (`Unavailable`), or a stored row could not be read back (`Corrupt`).

use televent_ports::StoreError;

/// The store error for a failed database call.
pub fn db_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::TypeNotFound { .. } => StoreError::Corrupt(error.to_string()),
        other => StoreError::Unavailable(other.to_string()),
    }
}

/// True when a UNIQUE constraint refused the statement.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// True when a FOREIGN KEY constraint refused the statement.
pub fn is_foreign_key_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_foreign_key_violation())
}

/// Which constraint refused the statement, as the database says it: PostgreSQL names the
/// constraint (`users_telegram_id_key`), SQLite the columns (`UNIQUE constraint failed:
/// users.telegram_id`).
pub fn violated_constraint(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(e) => e.constraint().map_or_else(|| e.message().to_owned(), str::to_owned),
        other => other.to_string(),
    }
}

/// A stored value that does not read back.
pub fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}
