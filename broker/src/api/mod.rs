//! The Pact Broker compatible HTTP API: one module per resource, merged here with the layers
//! every request passes (trace span named by the matched route, authentication, body limit).

mod auth;
mod coupling;
mod deployments;
mod environments;
pub(crate) mod error;
mod extract;
mod for_verification;
mod hal;
mod index;
mod matrix;
mod metadata;
mod pacticipants;
mod pacts;
mod publish;
mod verifications;
mod versions;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::BrokerConfig;
use crate::store::Store;
use error::ApiError;

/// What every handler can reach.
#[derive(Debug)]
pub struct AppState<S> {
    /// The store.
    pub store: S,
    /// The configuration.
    pub config: Arc<BrokerConfig>,
}

impl<S: Clone> Clone for AppState<S> {
    fn clone(&self) -> Self {
        Self {
            store: self.store.clone(),
            config: Arc::clone(&self.config),
        }
    }
}

impl<S> AppState<S> {
    /// State over `store` with `config`.
    pub fn new(store: S, config: BrokerConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
        }
    }
}

/// The broker's HTTP application.
pub fn router<S: Store>(state: AppState<S>) -> Router {
    let config = Arc::clone(&state.config);
    Router::new()
        .merge(index::routes())
        .merge(pacticipants::routes())
        .merge(versions::routes())
        .merge(publish::routes())
        .merge(pacts::routes())
        .merge(verifications::routes())
        .merge(environments::routes())
        .merge(deployments::routes())
        .merge(coupling::routes())
        .merge(matrix::routes())
        .merge(for_verification::routes())
        .fallback(|| async { ApiError::NotFound("resource".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&config),
            auth::authorise,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("-", MatchedPath::as_str);
                tracing::info_span!("request", method = %request.method(), route)
            }),
        )
}
