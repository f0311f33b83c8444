//! Validation of a pacts-for-verification request: which selector keys may be combined, and
//! what each needs. Every error names the selector index and the key (wire names).

use std::fmt;

use super::{ConsumerVersionSelector, PactsForVerificationQuery};
use crate::domain::index::Index;

/// One problem in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SelectorError {
    /// The selector's position in `consumerVersionSelectors`; `None` for request-level keys.
    pub(crate) selector: Option<usize>,
    /// The offending key, as spelled on the wire (empty for the selector as a whole).
    pub(crate) key: &'static str,
    pub(crate) message: String,
}

impl SelectorError {
    /// The field path used in error bodies, e.g. `consumerVersionSelectors[2].fallbackTag`.
    pub(crate) fn field(&self) -> String {
        match (self.selector, self.key) {
            (Some(i), "") => format!("consumerVersionSelectors[{i}]"),
            (Some(i), key) => format!("consumerVersionSelectors[{i}].{key}"),
            (None, key) => key.to_owned(),
        }
    }
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field(), self.message)
    }
}

const BRANCH_FAMILY: [&str; 7] = [
    "latest",
    "tag",
    "fallbackTag",
    "branch",
    "fallbackBranch",
    "matchingBranch",
    "mainBranch",
];
const ENVIRONMENT_FAMILY: [&str; 4] = ["environment", "deployed", "released", "deployedOrReleased"];

/// The keys a selector sets, by wire name.
fn keys(s: &ConsumerVersionSelector) -> Vec<&'static str> {
    let present = [
        ("mainBranch", s.main_branch.is_some()),
        ("branch", s.branch.is_some()),
        ("fallbackBranch", s.fallback_branch.is_some()),
        ("matchingBranch", s.matching_branch.is_some()),
        ("tag", s.tag.is_some()),
        ("fallbackTag", s.fallback_tag.is_some()),
        ("latest", s.latest.is_some()),
        ("deployed", s.deployed.is_some()),
        ("released", s.released.is_some()),
        ("deployedOrReleased", s.deployed_or_released.is_some()),
        ("environment", s.environment.is_some()),
        ("consumer", s.consumer.is_some()),
    ];
    present
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(k, _)| k)
        .collect()
}

/// Every problem of the request; empty when it is valid.
pub(crate) fn validate(index: &Index<'_>, query: &PactsForVerificationQuery) -> Vec<SelectorError> {
    let mut errors = Vec::new();
    let wants_branch = query.include_pending_status || query.include_wip_pacts_since.is_some();
    let blank = query
        .provider_version_branch
        .as_deref()
        .is_some_and(|b| b.trim().is_empty());
    if wants_branch && blank && query.provider_version_tags.is_empty() {
        errors.push(SelectorError {
            selector: None,
            key: "providerVersionBranch",
            message: "must not be blank when includePendingStatus or includeWipPactsSince is set"
                .to_owned(),
        });
    }
    for (i, selector) in query.selectors.iter().enumerate() {
        validate_selector(
            index,
            i,
            selector,
            query.provider_version_branch.as_deref(),
            &mut errors,
        );
    }
    errors
}

fn validate_selector(
    index: &Index<'_>,
    i: usize,
    s: &ConsumerVersionSelector,
    provider_branch: Option<&str>,
    errors: &mut Vec<SelectorError>,
) {
    let mut error = |key: &'static str, message: String| {
        errors.push(SelectorError {
            selector: Some(i),
            key,
            message,
        })
    };
    let texts = [
        ("branch", &s.branch),
        ("fallbackBranch", &s.fallback_branch),
        ("tag", &s.tag),
        ("fallbackTag", &s.fallback_tag),
        ("environment", &s.environment),
        ("consumer", &s.consumer),
    ];
    for (key, value) in texts {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            error(key, "must not be blank".to_owned());
        }
    }
    let flags = [
        ("mainBranch", s.main_branch),
        ("matchingBranch", s.matching_branch),
        ("deployed", s.deployed),
        ("released", s.released),
        ("deployedOrReleased", s.deployed_or_released),
    ];
    for (key, value) in flags {
        if value == Some(false) {
            error(key, "can only be true (leave it out instead)".to_owned());
        }
    }
    let keys = keys(s);
    let selecting = s.main_branch.is_some()
        || s.branch.is_some()
        || s.matching_branch.is_some()
        || s.tag.is_some()
        || s.latest == Some(true)
        || s.deployed.is_some()
        || s.released.is_some()
        || s.deployed_or_released.is_some()
        || s.environment.is_some();
    if !selecting {
        error(
            "",
            "must specify a value for environment, tag or branch, or set one of mainBranch, matchingBranch, \
             latest, deployed, released or deployedOrReleased to true"
                .to_owned(),
        );
    }
    if s.tag.is_some() && s.branch.is_some() {
        error("branch", "cannot be combined with tag".to_owned());
    }
    let branch_keys: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| BRANCH_FAMILY.contains(k))
        .collect();
    let environment_keys: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| ENVIRONMENT_FAMILY.contains(k))
        .collect();
    if let (Some(b), Some(e)) = (branch_keys.first(), environment_keys.first()) {
        error(
            e,
            format!(
                "cannot be combined with {b}: branch and tag keys select by version history, environment keys by what is deployed or released"
            ),
        );
    }
    let exclusive: Vec<&str> = ["deployed", "released", "deployedOrReleased"]
        .into_iter()
        .filter(|k| keys.contains(k))
        .collect();
    if exclusive.len() > 1 {
        error(
            exclusive[1],
            format!("cannot be combined with {}", exclusive[0]),
        );
    }
    if s.fallback_tag.is_some() && s.tag.is_none() {
        error("fallbackTag", "requires tag".to_owned());
    } else if s.fallback_tag.is_some() && s.latest != Some(true) {
        error("fallbackTag", "requires latest to be true".to_owned());
    }
    if s.fallback_branch.is_some() && s.branch.is_none() {
        error("fallbackBranch", "requires branch".to_owned());
    }
    if s.branch.is_some() && s.latest == Some(false) {
        error(
            "latest",
            "cannot be false with branch: a branch selector always selects the latest pact"
                .to_owned(),
        );
    }
    if s.main_branch.is_some() {
        if s.latest == Some(false) {
            error("latest", "cannot be false with mainBranch".to_owned());
        }
        for other in keys
            .iter()
            .filter(|k| !["mainBranch", "consumer", "latest"].contains(k))
        {
            error(
                other,
                "cannot be combined with mainBranch (only consumer and latest can)".to_owned(),
            );
        }
    }
    if s.matching_branch.is_some() {
        for other in keys
            .iter()
            .filter(|k| !["matchingBranch", "consumer"].contains(k))
        {
            error(
                other,
                "cannot be combined with matchingBranch (only consumer can)".to_owned(),
            );
        }
        if provider_branch.is_none_or(|b| b.trim().is_empty()) {
            error(
                "matchingBranch",
                "requires providerVersionBranch to be set in the request".to_owned(),
            );
        }
    }
    if let Some(name) = s.environment.as_deref()
        && !name.trim().is_empty()
        && index.environment_named(name).is_none()
    {
        error(
            "environment",
            format!("no environment named {name:?} exists"),
        );
    }
}
