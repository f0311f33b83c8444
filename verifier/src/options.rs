//! What a verification run is told: where the contracts come from, where the provider is,
//! which interactions to verify and whether to publish the results.

use std::path::PathBuf;
use std::time::Duration;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// Everything a verification run needs to know. Build it directly (the fields are public) or
/// from the command line (the `accord` binary converts its arguments into this).
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Where to read contracts from; at least one.
    pub sources: Vec<ContractSource>,
    /// The running provider, e.g. `http://localhost:8080` (a path prefix is kept).
    pub provider_base_url: url::Url,
    /// Where to send provider-state changes, if the provider has such an endpoint.
    pub state_change_url: Option<url::Url>,
    /// Send a `teardown` state change after each interaction, as well as the `setup` before.
    pub state_change_teardown: bool,
    /// Send the state-change data as query parameters (`state`, `action` and each parameter)
    /// instead of a JSON body, for endpoints written for Pact's `--state-change-as-query`.
    pub state_change_as_query: bool,
    /// Headers added to every request sent to the provider (replacing a header of the same
    /// name in the contract).
    pub custom_headers: Vec<(String, String)>,
    /// Timeout of each request to the provider, the state-change endpoint and the broker.
    pub request_timeout: Duration,
    /// How many interactions may be in flight at once (at least 1). Interactions with provider
    /// states never overlap each other, whatever this says.
    pub jobs: usize,
    /// Which contracts and interactions to verify.
    pub filter: InteractionFilter,
    /// Publish results to the broker the contracts came from.
    pub publish: Option<PublishOptions>,
    /// Succeed with nothing verified instead of failing when no contract is found.
    pub ignore_no_contracts: bool,
    /// Accept any TLS certificate from the provider, the state-change endpoint and the broker
    /// (self-signed test certificates). Never in production pipelines.
    pub accept_invalid_certificates: bool,
    /// How many times a broker (or contract URL) request answered with 5xx, 408 or 429 is
    /// retried, waiting longer each time (or as long as `Retry-After` says).
    pub broker_retries: u32,
}

impl VerifyOptions {
    /// Options with defaults for everything but the sources and the provider's address.
    pub fn new(sources: Vec<ContractSource>, provider_base_url: url::Url) -> Self {
        VerifyOptions {
            sources,
            provider_base_url,
            state_change_url: None,
            state_change_teardown: false,
            state_change_as_query: false,
            custom_headers: Vec::new(),
            request_timeout: Duration::from_secs(30),
            jobs: 1,
            filter: InteractionFilter::default(),
            publish: None,
            ignore_no_contracts: false,
            broker_retries: 3,
            accept_invalid_certificates: false,
        }
    }
}

/// A place to read contracts from.
#[derive(Debug, Clone)]
pub enum ContractSource {
    /// One contract file.
    File(PathBuf),
    /// Every `*.json` file of a directory (not recursive).
    Dir(PathBuf),
    /// A contract served over HTTP(S).
    Url {
        /// The contract's URL.
        url: url::Url,
        /// Credentials to send, if the server wants them.
        auth: Option<BrokerAuth>,
    },
    /// The contracts a broker selects for this provider ("pacts for verification").
    Broker(BrokerSource),
}

/// Credentials for a broker (or any server holding contracts).
#[derive(Clone, PartialEq, Eq)]
pub enum BrokerAuth {
    /// `Authorization: Bearer <token>`.
    Token(String),
    /// `Authorization: Basic ...`.
    Basic {
        /// User name.
        username: String,
        /// Password, if any.
        password: Option<String>,
    },
}

impl std::fmt::Debug for BrokerAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BrokerAuth::Token(_) => f.write_str("Token(<redacted>)"),
            BrokerAuth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
        }
    }
}

/// Which contracts a broker should hand over, and how to treat them.
#[derive(Debug, Clone)]
pub struct BrokerSource {
    /// The broker's base URL.
    pub url: url::Url,
    /// Credentials, if the broker wants them.
    pub auth: Option<BrokerAuth>,
    /// The provider's name.
    pub provider: String,
    /// Which consumer versions' contracts to verify; empty lets the broker choose (main
    /// branch, deployed and released versions).
    pub selectors: Vec<ConsumerVersionSelector>,
    /// Ask the broker which contracts are pending (their failures do not fail the run).
    pub enable_pending: bool,
    /// Also verify work-in-progress contracts created since this date (`2024-01-31`).
    pub include_wip_since: Option<String>,
    /// The provider version's branch: the broker computes pending and WIP status for it.
    pub provider_branch: Option<String>,
    /// The provider version's tags (the older way of doing what the branch does).
    pub provider_tags: Vec<String>,
}

/// One consumer version selector, as the broker's `pacts for verification` resource takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsumerVersionSelector {
    /// The latest contract from each consumer's main branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_branch: Option<bool>,
    /// The latest contract from this consumer branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The branch to use when `branch` has no versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_branch: Option<String>,
    /// The latest contract from the consumer branch named like the provider's branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matching_branch: Option<bool>,
    /// Contracts of consumer versions with this tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The tag to use when `tag` has no versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_tag: Option<String>,
    /// Only the latest version (with `tag`), or the overall latest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest: Option<bool>,
    /// Versions currently deployed (anywhere, or in `environment`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployed: Option<bool>,
    /// Versions currently released and supported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub released: Option<bool>,
    /// Versions deployed or released.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployed_or_released: Option<bool>,
    /// Restricts deployed/released versions to one environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// Restricts the selector to one consumer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer: Option<String>,
}

/// Which contracts and interactions a run verifies. Empty filters select everything.
#[derive(Debug, Clone, Default)]
pub struct InteractionFilter {
    /// Only contracts of these consumers.
    pub consumers: Vec<String>,
    /// Only interactions whose description matches.
    pub description: Option<Regex>,
    /// Only interactions with a provider state whose name matches.
    pub state: Option<Regex>,
    /// Only interactions without provider states.
    pub no_state: bool,
}

/// How to publish verification results.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The provider version verified (a commit SHA, a build number...).
    pub provider_version: String,
    /// The provider version's branch, set on the broker before the results are posted.
    pub provider_branch: Option<String>,
    /// Tags to put on the provider version.
    pub provider_tags: Vec<String>,
    /// A link to the build that ran the verification.
    pub build_url: Option<String>,
}
