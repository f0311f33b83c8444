//! The PostgreSQL backend: several broker processes can share one database.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

use super::load::impl_loader;
use super::sql::{
    branch_version_select, deployed_select, environment_select, impl_store, pact_select,
    pacticipant_select, released_select, tag_select, verification_select, version_select,
};

/// The store on a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://...`) and applies the migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options: PgConnectOptions = url.parse()?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        let store = Self { pool };
        // Contents published before content summaries existed (migration 0004) get one now.
        store.summarise_contents().await?;
        Ok(store)
    }

    async fn write_tx(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}

impl_loader!(sqlx::Postgres);
impl_store!(PostgresStore, Postgres);
