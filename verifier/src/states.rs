//! Provider states: putting the provider in the state an interaction needs, through a
//! state-change URL or a Rust callback.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use accord_contracts_format::ProviderState;
use serde_json::{Map, Value, json};

use crate::broker_client::excerpt;
use crate::error::StateChangeError;

/// A boxed future, so that the callback traits stay usable as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Whether a state change sets a state up (before the interaction) or tears it down (after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateAction {
    /// Before the interaction.
    Setup,
    /// After the interaction.
    Teardown,
}

impl StateAction {
    /// `setup` or `teardown`, as sent to state-change endpoints.
    pub fn as_str(self) -> &'static str {
        match self {
            StateAction::Setup => "setup",
            StateAction::Teardown => "teardown",
        }
    }
}

/// Puts the provider into a provider state. Implement it to set states up from Rust (a test
/// that runs the provider in-process); the verifier's `--state-change-url` uses
/// [`HttpStateChange`].
pub trait ProviderStateExecutor: Send + Sync {
    /// Sets up or tears down `state`. On setup, the returned values feed the interaction's
    /// `ProviderState` generators (an id created by the setup, for example).
    fn change_state<'a>(
        &'a self,
        state: &'a ProviderState,
        action: StateAction,
    ) -> BoxFuture<'a, Result<Map<String, Value>, StateChangeError>>;
}

/// Sends state changes to the provider's state-change endpoint:
/// `POST {"state": name, "params": {...}, "action": "setup"|"teardown"}`. A JSON object in the
/// response body provides values for generators.
#[derive(Debug, Clone)]
pub struct HttpStateChange {
    url: url::Url,
    client: reqwest::Client,
    timeout: Duration,
    as_query: bool,
}

impl HttpStateChange {
    /// State changes posted to `url` with `client`, whose timeout is `timeout`.
    pub fn new(url: url::Url, client: reqwest::Client, timeout: Duration) -> Self {
        HttpStateChange {
            url,
            client,
            timeout,
            as_query: false,
        }
    }

    /// Sends the state, action and parameters as query parameters rather than a JSON body
    /// (parameters that are not strings are sent as JSON text).
    pub fn with_query_parameters(mut self) -> Self {
        self.as_query = true;
        self
    }

    fn request(&self, state: &ProviderState, action: StateAction) -> reqwest::RequestBuilder {
        if !self.as_query {
            let body = json!({
                "state": state.name,
                "params": state.params,
                "action": action.as_str(),
            });
            return self.client.post(self.url.clone()).json(&body);
        }
        let mut url = self.url.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("state", &state.name);
            query.append_pair("action", action.as_str());
            for (name, value) in &state.params {
                match value {
                    Value::String(text) => query.append_pair(name, text),
                    other => query.append_pair(name, &other.to_string()),
                };
            }
        }
        self.client.post(url)
    }

    async fn post(
        &self,
        state: &ProviderState,
        action: StateAction,
    ) -> Result<Map<String, Value>, StateChangeError> {
        let url = self.url.to_string();
        let transport = |source: reqwest::Error| {
            if source.is_timeout() {
                StateChangeError::Timeout {
                    url: url.clone(),
                    timeout_ms: u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX),
                }
            } else if source.is_connect() {
                StateChangeError::Unreachable {
                    url: url.clone(),
                    source,
                }
            } else {
                StateChangeError::Transport {
                    url: url.clone(),
                    source,
                }
            }
        };
        let response = self
            .request(state, action)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(transport)?;
        match status {
            404 | 405 => return Err(StateChangeError::MissingEndpoint { url, status }),
            200..=299 => {}
            _ => {
                return Err(StateChangeError::Status {
                    url,
                    status,
                    body: excerpt(&bytes),
                });
            }
        }
        Ok(match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(values)) => values,
            _ => Map::new(),
        })
    }
}

impl ProviderStateExecutor for HttpStateChange {
    fn change_state<'a>(
        &'a self,
        state: &'a ProviderState,
        action: StateAction,
    ) -> BoxFuture<'a, Result<Map<String, Value>, StateChangeError>> {
        Box::pin(self.post(state, action))
    }
}
