//! Reading a server's database directly from a test.

use sqlx::Connection;

/// A test's own connection to the database a server uses (or a killed one left), for
/// checks by SQL the product has no call for.
pub enum Database {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Database {
    pub async fn open(url: &str) -> Database {
        if url.starts_with("sqlite:") {
            Database::Sqlite(sqlx::SqliteConnection::connect(url).await.unwrap())
        } else {
            Database::Postgres(sqlx::PgConnection::connect(url).await.unwrap())
        }
    }

    pub async fn strings(&mut self, sql: &str) -> Vec<String> {
        match self {
            Database::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await.unwrap(),
            Database::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await.unwrap(),
        }
    }

    pub async fn numbers(&mut self, sql: &str) -> Vec<i64> {
        match self {
            Database::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await.unwrap(),
            Database::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await.unwrap(),
        }
    }

    pub async fn rows(&mut self, sql: &str) -> Vec<(String, i64)> {
        match self {
            Database::Sqlite(c) => sqlx::query_as(sql).fetch_all(c).await.unwrap(),
            Database::Postgres(c) => sqlx::query_as(sql).fetch_all(c).await.unwrap(),
        }
    }

    pub async fn pairs(&mut self, sql: &str) -> Vec<(String, String)> {
        match self {
            Database::Sqlite(c) => sqlx::query_as(sql).fetch_all(c).await.unwrap(),
            Database::Postgres(c) => sqlx::query_as(sql).fetch_all(c).await.unwrap(),
        }
    }

    pub async fn count(&mut self, sql: &str) -> i64 {
        self.numbers(sql).await[0]
    }
}

