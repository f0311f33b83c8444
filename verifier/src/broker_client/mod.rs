//! A small HAL+JSON client for the broker: GET, POST and PUT of JSON documents with the
//! broker's credentials, and errors that name the request that failed.

pub(crate) mod hal;
pub(crate) mod wire;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::Serialize;
use serde_json::Value;

use crate::error::BrokerError;
use crate::options::BrokerAuth;

const HAL_ACCEPT: &str = "application/hal+json, application/json";
/// How much of an error response body to keep in an error message.
const BODY_EXCERPT: usize = 500;

/// Talks JSON to one broker (or any server holding contracts) with its credentials.
#[derive(Debug, Clone)]
pub(crate) struct BrokerClient {
    http: reqwest::Client,
    auth: Option<BrokerAuth>,
}

impl BrokerClient {
    pub(crate) fn new(http: reqwest::Client, auth: Option<BrokerAuth>) -> Self {
        BrokerClient { http, auth }
    }

    /// GETs a JSON document.
    pub(crate) async fn get(&self, url: &str) -> Result<Value, BrokerError> {
        let request = self.http.get(url).header(ACCEPT, HAL_ACCEPT);
        self.send("GET", url, request).await
    }

    /// POSTs a JSON body and reads the JSON answer (an empty answer reads as `null`).
    pub(crate) async fn post(
        &self,
        url: &str,
        body: &impl Serialize,
    ) -> Result<Value, BrokerError> {
        let request = self.http.post(url).json(body).header(ACCEPT, HAL_ACCEPT);
        self.send("POST", url, request).await
    }

    /// PUTs a JSON body and reads the JSON answer (an empty answer reads as `null`).
    pub(crate) async fn put(&self, url: &str, body: &impl Serialize) -> Result<Value, BrokerError> {
        let request = self
            .http
            .put(url)
            .json(body)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, HAL_ACCEPT);
        self.send("PUT", url, request).await
    }

    async fn send(
        &self,
        method: &'static str,
        url: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Value, BrokerError> {
        let request = match &self.auth {
            Some(BrokerAuth::Token(token)) => request.bearer_auth(token),
            Some(BrokerAuth::Basic { username, password }) => {
                request.basic_auth(username, password.as_deref())
            }
            None => request,
        };
        tracing::debug!(method, url, "broker request");
        let response = request
            .send()
            .await
            .map_err(|source| transport_error(method, url, source))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|source| transport_error(method, url, source))?;
        if !status.is_success() {
            return Err(BrokerError::Status {
                method,
                url: url.to_owned(),
                status: status.as_u16(),
                body: excerpt(&bytes),
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|error| BrokerError::BadResponse {
            method,
            url: url.to_owned(),
            problem: format!("not JSON ({error})"),
        })
    }
}

fn transport_error(method: &'static str, url: &str, source: reqwest::Error) -> BrokerError {
    let url = url.to_owned();
    if source.is_timeout() {
        BrokerError::Timeout { method, url }
    } else if source.is_connect() {
        BrokerError::Unreachable {
            method,
            url,
            source,
        }
    } else {
        BrokerError::Transport {
            method,
            url,
            source,
        }
    }
}

/// The start of a body as text, for error messages.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(BODY_EXCERPT) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.into_owned(),
    }
}
