//! The JSON documents exchanged with a broker: the pacts-for-verification query and answer,
//! and the verification result.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::options::ConsumerVersionSelector;

/// Body of `POST /pacts/provider/{provider}/for-verification`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PactsForVerificationQuery<'a> {
    pub(crate) consumer_version_selectors: &'a [ConsumerVersionSelector],
    pub(crate) include_pending_status: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) include_wip_pacts_since: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) provider_version_branch: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub(crate) provider_version_tags: &'a [String],
}

/// The broker's answer: the contracts to verify, each with its pending/WIP status.
#[derive(Debug, Deserialize)]
pub(crate) struct PactsForVerification {
    #[serde(rename = "_embedded")]
    pub(crate) embedded: EmbeddedPacts,
}

#[derive(Debug, Deserialize)]
pub(crate) struct EmbeddedPacts {
    pub(crate) pacts: Vec<VerifiablePact>,
}

/// One contract to verify.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifiablePact {
    #[serde(default)]
    pub(crate) short_description: Option<String>,
    #[serde(default)]
    pub(crate) verification_properties: VerificationProperties,
    #[serde(rename = "_links")]
    pub(crate) links: VerifiablePactLinks,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct VerificationProperties {
    #[serde(default)]
    pub(crate) pending: bool,
    #[serde(default)]
    pub(crate) wip: bool,
    #[serde(default)]
    pub(crate) notices: Vec<Notice>,
}

/// A message the broker asks verifiers to print.
#[derive(Debug, Deserialize)]
pub(crate) struct Notice {
    #[serde(default)]
    pub(crate) when: String,
    pub(crate) text: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct VerifiablePactLinks {
    #[serde(rename = "self")]
    pub(crate) self_link: Link,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Link {
    pub(crate) href: String,
}

/// Body of `POST {pb:publish-verification-results}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerificationResultBody<'a> {
    pub(crate) success: bool,
    pub(crate) provider_application_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) build_url: Option<&'a str>,
    pub(crate) test_results: Vec<TestResult>,
    pub(crate) verified_by: VerifiedBy,
}

/// The result of one interaction inside a published verification result.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TestResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) interaction_id: Option<String>,
    pub(crate) interaction_description: String,
    pub(crate) success: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) mismatches: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
}

/// Which tool verified.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifiedBy {
    pub(crate) implementation: &'static str,
    pub(crate) version: &'static str,
}

impl VerifiedBy {
    pub(crate) fn accord() -> Self {
        VerifiedBy {
            implementation: "Accord",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}
