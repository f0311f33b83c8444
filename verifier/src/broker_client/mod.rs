//! A small HAL+JSON client for the broker: GET, POST and PUT of JSON documents with the
//! broker's credentials, and errors that name the request that failed.

pub(crate) mod hal;
pub(crate) mod wire;

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use serde::Serialize;
use serde_json::Value;

use crate::error::BrokerError;
use crate::options::BrokerAuth;

const HAL_ACCEPT: &str = "application/hal+json, application/json";
/// How much of an error response body to keep in an error message.
const BODY_EXCERPT: usize = 500;
/// Wait before the first retry; each further retry waits twice as long.
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(250);
/// Longest wait between two attempts, whatever `Retry-After` says.
const LONGEST_RETRY_DELAY: Duration = Duration::from_secs(30);

/// Talks JSON to one broker (or any server holding contracts) with its credentials.
#[derive(Debug, Clone)]
pub(crate) struct BrokerClient {
    http: reqwest::Client,
    auth: Option<BrokerAuth>,
    retries: u32,
}

impl BrokerClient {
    /// A client sending `auth` with each request, retrying answers that say "try again"
    /// (5xx, 408, 429) up to `retries` times.
    pub(crate) fn new(http: reqwest::Client, auth: Option<BrokerAuth>, retries: u32) -> Self {
        BrokerClient {
            http,
            auth,
            retries,
        }
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
        let mut attempt = 0;
        let response = loop {
            let this_try = request
                .try_clone()
                .expect("requests without a body or with a JSON body can be cloned");
            let response = this_try
                .send()
                .await
                .map_err(|source| transport_error(method, url, source))?;
            let status = response.status();
            let retryable = status.is_server_error()
                || status == StatusCode::REQUEST_TIMEOUT
                || status == StatusCode::TOO_MANY_REQUESTS;
            if !retryable || attempt >= self.retries {
                break response;
            }
            let delay = retry_after(&response)
                .unwrap_or(FIRST_RETRY_DELAY * 2u32.saturating_pow(attempt))
                .min(LONGEST_RETRY_DELAY);
            tracing::warn!(method, url, %status, ?delay, "broker asked to try again");
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
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

/// The `Retry-After` header in seconds, if the answer has one.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let seconds = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    seconds.trim().parse::<u64>().ok().map(Duration::from_secs)
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
