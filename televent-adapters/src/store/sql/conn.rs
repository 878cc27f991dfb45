//! Running sea-query statements on a connection of either backend.
//!
//! The shared store code is generic over [`Conn`]; SQLite and PostgreSQL each implement it for
//! their connection type, building the statement with their own query builder. A row type
//! decodes on both backends ([`Decodable`]), so the shared code names no backend.
//!
//! This is the one place runtime-built SQL reaches sqlx: it comes from sea-query with every
//! value bound as a parameter, which is what `AssertSqlSafe` asserts.

use std::future::Future;

use futures_util::TryStreamExt as _;
use televent_ports::StoreError;

use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow, PgConnection, Postgres, Sqlite, SqliteConnection};

use super::error::db_error;

/// A row struct that decodes from a SQLite row and from a PostgreSQL row.
pub trait Decodable: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static {}

impl<T> Decodable for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static {}

/// A connection (or a transaction's connection) that runs sea-query statements.
pub trait Conn: Send {
    /// Every row the statement returns.
    fn fetch_all<T: Decodable>(
        &mut self,
        statement: &impl SqlxBinder,
    ) -> impl Future<Output = Result<Vec<T>, sqlx::Error>> + Send;

    /// The first row the statement returns, if any.
    fn fetch_optional<T: Decodable>(
        &mut self,
        statement: &impl SqlxBinder,
    ) -> impl Future<Output = Result<Option<T>, sqlx::Error>> + Send;

    /// Every row the statement returns, each made into a `U` as it arrives: a large answer
    /// is never held twice, as rows and as what they become.
    fn fetch_map<T: Decodable, U: Send>(
        &mut self,
        statement: &impl SqlxBinder,
        map: impl FnMut(T) -> Result<U, StoreError> + Send,
    ) -> impl Future<Output = Result<Vec<U>, StoreError>> + Send;

    /// Runs the statement; returns how many rows it changed.
    fn execute(&mut self, statement: &impl SqlxBinder) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;
}

impl Conn for SqliteConnection {
    fn fetch_all<T: Decodable>(
        &mut self,
        statement: &impl SqlxBinder,
    ) -> impl Future<Output = Result<Vec<T>, sqlx::Error>> + Send {
        let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
        sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values).fetch_all(self)
    }

    fn fetch_optional<T: Decodable>(
        &mut self,
        statement: &impl SqlxBinder,
    ) -> impl Future<Output = Result<Option<T>, sqlx::Error>> + Send {
        let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
        sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values).fetch_optional(self)
    }

    fn fetch_map<T: Decodable, U: Send>(
        &mut self,
        statement: &impl SqlxBinder,
        mut map: impl FnMut(T) -> Result<U, StoreError> + Send,
    ) -> impl Future<Output = Result<Vec<U>, StoreError>> + Send {
        let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
        async move {
            let mut rows = sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values).fetch(self);
            let mut mapped = Vec::new();
            while let Some(row) = rows.try_next().await.map_err(db_error)? {
                mapped.push(map(row)?);
            }
            Ok(mapped)
        }
    }

    fn execute(&mut self, statement: &impl SqlxBinder) -> impl Future<Output = Result<u64, sqlx::Error>> + Send {
        let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
        async move {
            Ok(sqlx::query_with::<Sqlite, _>(AssertSqlSafe(sql), values)
                .execute(self)
                .await?
                .rows_affected())
        }
    }
}

impl Conn for PgConnection {
    fn fetch_all<T: Decodable>(
        &mut self,
        statement: &impl SqlxBinder,
    ) -> impl Future<Output = Result<Vec<T>, sqlx::Error>> + Send {
        let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
        sqlx::query_as_with::<Postgres, T, _>(AssertSqlSafe(sql), values).fetch_all(self)
    }

    fn fetch_optional<T: Decodable>(
        &mut self,
        statement: &impl SqlxBinder,
    ) -> impl Future<Output = Result<Option<T>, sqlx::Error>> + Send {
        let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
        sqlx::query_as_with::<Postgres, T, _>(AssertSqlSafe(sql), values).fetch_optional(self)
    }

    fn fetch_map<T: Decodable, U: Send>(
        &mut self,
        statement: &impl SqlxBinder,
        mut map: impl FnMut(T) -> Result<U, StoreError> + Send,
    ) -> impl Future<Output = Result<Vec<U>, StoreError>> + Send {
        let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
        async move {
            let mut rows = sqlx::query_as_with::<Postgres, T, _>(AssertSqlSafe(sql), values).fetch(self);
            let mut mapped = Vec::new();
            while let Some(row) = rows.try_next().await.map_err(db_error)? {
                mapped.push(map(row)?);
            }
            Ok(mapped)
        }
    }

    fn execute(&mut self, statement: &impl SqlxBinder) -> impl Future<Output = Result<u64, sqlx::Error>> + Send {
        let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
        async move {
            Ok(sqlx::query_with::<Postgres, _>(AssertSqlSafe(sql), values)
                .execute(self)
                .await?
                .rows_affected())
        }
    }
}
