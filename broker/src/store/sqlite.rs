//! The SQLite backend: one database file, WAL journal, created on first start.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::load::impl_loader;
use super::sql::{
    branch_version_select, deployed_select, environment_select, impl_store, pact_select,
    pacticipant_select, released_select, tag_select, verification_select, version_select,
};

/// The store on a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `url` (`sqlite://PATH` or a plain path)
    /// and applies the migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let url = if url.starts_with("sqlite:") {
            url.to_owned()
        } else {
            format!("sqlite://{url}")
        };
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let store = Self { pool };
        // Contents published before content summaries existed (migration 0004) get one now.
        store.summarise_contents().await?;
        Ok(store)
    }

    /// Writers take the write lock up front, so concurrent writers wait (busy timeout)
    /// instead of failing to upgrade a read transaction.
    async fn write_tx(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }
}

impl_loader!(sqlx::Sqlite);
impl_store!(SqliteStore, Sqlite);
