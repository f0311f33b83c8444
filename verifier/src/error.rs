//! Errors of the verifier: whole-run errors ([`VerifyError`]), problems loading one contract
//! ([`SourceError`]), broker conversations ([`BrokerError`]), provider-state changes
//! ([`StateChangeError`]) and replaying one interaction ([`InteractionError`]).

use std::path::PathBuf;

use accord_contracts_format::ParseError;

/// An error boxed for callers' own failures (state-change callbacks, message producers).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error that stops a verification run before (or instead of) verifying anything.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The options do not describe a run (no source, a bad URL, a bad filter...).
    #[error("invalid options: {0}")]
    Options(String),
    /// The broker could not give the list of contracts to verify.
    #[error("fetching the contracts to verify from the broker: {0}")]
    Broker(#[from] BrokerError),
    /// Every source was read and none held a contract to verify.
    #[error("no contracts to verify were found")]
    NoContracts,
    /// The HTTP client could not be built.
    #[error("cannot create the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

/// A contract that could not be loaded; the run goes on with the others.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A file or directory could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A contract does not parse.
    #[error("{source}{}", interaction_suffix(interaction))]
    Parse {
        /// Where and why (file and JSON path).
        #[source]
        source: ParseError,
        /// The description of the interaction the problem is in, when it is in one.
        interaction: Option<String>,
    },
    /// A contract URL (or a pact the broker listed) could not be fetched.
    #[error("{0}")]
    Fetch(#[source] BrokerError),
}

/// A failed conversation with a broker or another HTTP server holding contracts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrokerError {
    /// Nothing answered at the address (connection refused, unknown host...).
    #[error("{method} {url}: cannot connect: {}", RootCause(source))]
    Unreachable {
        /// Request method.
        method: &'static str,
        /// The URL asked for.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The server did not answer in time.
    #[error("{method} {url}: no answer within the request timeout")]
    Timeout {
        /// Request method.
        method: &'static str,
        /// The URL asked for.
        url: String,
    },
    /// The server answered with an error status.
    #[error("{method} {url}: HTTP {status}{}", body_suffix(body))]
    Status {
        /// Request method.
        method: &'static str,
        /// The URL asked for.
        url: String,
        /// The status received.
        status: u16,
        /// The start of the response body, to show what the server said.
        body: String,
    },
    /// The response is not the JSON document expected.
    #[error("{method} {url}: unexpected response: {problem}")]
    BadResponse {
        /// Request method.
        method: &'static str,
        /// The URL asked for.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A HAL resource lacks the relation the verifier needs.
    #[error("{url}: the resource has no \"{relation}\" link")]
    MissingLink {
        /// The resource.
        url: String,
        /// The missing relation.
        relation: String,
    },
    /// Any other transport failure.
    #[error("{method} {url}: {source}")]
    Transport {
        /// Request method.
        method: &'static str,
        /// The URL asked for.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
}

/// The innermost cause of an error (`Connection refused (os error 111)`), which says more
/// than the outer layers' "error sending request".
struct RootCause<'a>(&'a (dyn std::error::Error + 'static));

impl std::fmt::Display for RootCause<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut error = self.0;
        while let Some(source) = error.source() {
            error = source;
        }
        write!(f, "{error}")
    }
}

/// `scheme://host:port` of a URL, so that one unreachable provider reads the same for every
/// interaction.
fn origin(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => parsed.origin().ascii_serialization(),
        Err(_) => url.to_owned(),
    }
}

fn interaction_suffix(interaction: &Option<String>) -> String {
    match interaction {
        Some(description) => format!(" (interaction {description:?})"),
        None => String::new(),
    }
}

fn body_suffix(body: &str) -> String {
    if body.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", body.trim())
    }
}

/// A provider-state change that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateChangeError {
    /// Nothing answered at the state-change URL.
    #[error("state-change endpoint {url} is unreachable: {}", RootCause(source))]
    Unreachable {
        /// The state-change URL.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The state-change URL did not answer in time.
    #[error("state-change endpoint {url} did not answer within {timeout_ms} ms")]
    Timeout {
        /// The state-change URL.
        url: String,
        /// The timeout in force.
        timeout_ms: u64,
    },
    /// The provider has no endpoint at the state-change URL (404 or 405).
    #[error(
        "the provider has no state-change endpoint at {url} (HTTP {status}); check --state-change-url"
    )]
    MissingEndpoint {
        /// The state-change URL.
        url: String,
        /// 404 or 405.
        status: u16,
    },
    /// The state-change endpoint answered with an error status.
    #[error(
        "state-change endpoint {url} answered HTTP {status}{}",
        body_suffix(body)
    )]
    Status {
        /// The state-change URL.
        url: String,
        /// The status received.
        status: u16,
        /// The start of the response body.
        body: String,
    },
    /// Any other transport failure.
    #[error("state-change request to {url} failed: {source}")]
    Transport {
        /// The state-change URL.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// A state-change callback of a Rust provider failed.
    #[error("state-change callback failed: {0}")]
    Callback(#[source] BoxError),
}

/// Why an interaction could not be verified (as opposed to verified and found wrong).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InteractionError {
    /// Setting up (or tearing down) a provider state failed.
    #[error("{action} of provider state \"{state}\": {source}")]
    StateChange {
        /// The state's name.
        state: String,
        /// `setup` or `teardown`.
        action: &'static str,
        /// What went wrong.
        #[source]
        source: StateChangeError,
    },
    /// Nothing answered at the provider's address.
    #[error("provider at {} is unreachable: {}", origin(url), RootCause(source))]
    ProviderUnreachable {
        /// The URL requested.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The provider did not answer in time.
    #[error("provider did not answer {method} {url} within {timeout_ms} ms")]
    Timeout {
        /// The request method.
        method: String,
        /// The URL requested.
        url: String,
        /// The timeout in force.
        timeout_ms: u64,
    },
    /// Any other transport failure while talking to the provider.
    #[error("request to the provider ({url}) failed: {source}")]
    Transport {
        /// The URL requested.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The contract's request cannot be sent as written (bad header name, bad URL...).
    #[error("the request cannot be sent: {0}")]
    InvalidRequest(String),
    /// The provider answered a message request with an error status.
    #[error(
        "provider answered HTTP {status} to the message request at {url}{}",
        body_suffix(body)
    )]
    MessageStatus {
        /// The URL requested.
        url: String,
        /// The status received.
        status: u16,
        /// The start of the response body.
        body: String,
    },
    /// The `Pact-Message-Metadata` header is not base64 of a JSON object.
    #[error("the Pact-Message-Metadata header is not base64-encoded JSON: {0}")]
    BadMessageMetadata(String),
    /// The provider-side message callback failed.
    #[error("message provider failed: {0}")]
    MessageProvider(#[source] BoxError),
    /// A synchronous message interaction without any expected response.
    #[error("the interaction has no response message to compare with")]
    NoResponseMessage,
}
