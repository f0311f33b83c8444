//! Accord's broker: a Pact Broker compatible HTTP server storing contracts, versions, branches,
//! tags, environments, deployments, releases and verification results, on SQLite (default, one
//! file) or PostgreSQL (several broker processes sharing one database).
//!
//! The CLI builds a [`BrokerConfig`], opens an [`AnyStore`], binds a listener and calls
//! [`serve`]. Tests call [`router`] directly. This crate does not read the environment, does
//! not print, and does not depend on the verifier or consumer libraries.
//!
//! Not here yet: webhooks and the UI.

#![warn(missing_docs)]

mod api;
mod config;
pub mod domain;
pub mod store;

use std::future::Future;

pub use api::error::ApiError;
pub use api::{AppState, router};
pub use config::{AuthConfig, BrokerConfig, Credential, DEFAULT_BODY_LIMIT, DatabaseUrl};
use store::{PostgresStore, SqliteStore, Store, StoreError};

/// The store picked at start-up from the database URL's scheme.
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// A SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PostgresStore),
}

impl AnyStore {
    /// Opens the database (creating a SQLite file when missing) and applies the migrations.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, StoreError> {
        if url.is_postgres() {
            Ok(Self::Postgres(PostgresStore::connect(url.expose()).await?))
        } else {
            Ok(Self::Sqlite(SqliteStore::connect(url.expose()).await?))
        }
    }
}

/// Serves the broker on `listener` until `shutdown` completes, then finishes in-flight
/// requests and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: AnyStore,
    config: BrokerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    match store {
        AnyStore::Sqlite(store) => serve_with(listener, store, config, shutdown).await,
        AnyStore::Postgres(store) => serve_with(listener, store, config, shutdown).await,
    }
}

async fn serve_with<S: Store>(
    listener: tokio::net::TcpListener,
    store: S,
    config: BrokerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(AppState::new(store, config));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
