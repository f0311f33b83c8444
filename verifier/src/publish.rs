//! Publishing verification results: set the provider version's branch and tags, then post
//! each contract's result to the `pb:publish-verification-results` link it carries.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::broker_client::hal;
use crate::broker_client::wire::{TestResult, VerificationResultBody, VerifiedBy};
use crate::error::BrokerError;
use crate::options::PublishOptions;
use crate::result::{ContractResult, Outcome, Publication};
use crate::source::BrokerLinks;

/// Publishes the result of every contract that came from a broker, recording what happened in
/// each [`ContractResult::publication`].
pub(crate) async fn publish_all(
    contracts: &mut [ContractResult],
    links: &[Option<BrokerLinks>],
    options: &PublishOptions,
    filtered: bool,
) {
    if filtered {
        for contract in contracts.iter_mut() {
            contract.publication = Some(Publication::Filtered);
        }
        return;
    }
    // The branch and tags are set once per provider resource, before any result is posted.
    let mut prepared = HashSet::new();
    for (contract, links) in contracts.iter_mut().zip(links) {
        let Some(links) = links else {
            contract.publication = Some(Publication::NotPublishable);
            continue;
        };
        let Some(results_url) = &links.publish_results else {
            contract.publication = Some(Publication::NotPublishable);
            continue;
        };
        if links.provider.is_none()
            && (options.provider_branch.is_some() || !options.provider_tags.is_empty())
        {
            tracing::warn!(
                contract = %contract.info.name,
                "the contract has no pb:provider link: the provider version's branch and tags are not set"
            );
        }
        if let Some(provider_url) = &links.provider
            && !prepared.contains(provider_url)
        {
            if let Err(error) = prepare_provider_version(links, provider_url, options).await {
                contract.publication = Some(Publication::Failed(error));
                continue;
            }
            prepared.insert(provider_url.clone());
        }
        let body = result_body(contract, options);
        contract.publication = Some(match links.client.post(results_url, &body).await {
            Ok(_) => Publication::Published {
                url: results_url.clone(),
            },
            Err(error) => Publication::Failed(error),
        });
    }
}

/// PUTs the provider version's branch (`pb:branch-version`) and tags (`pb:version-tag`).
async fn prepare_provider_version(
    links: &BrokerLinks,
    provider_url: &str,
    options: &PublishOptions,
) -> Result<(), BrokerError> {
    if options.provider_branch.is_none() && options.provider_tags.is_empty() {
        return Ok(());
    }
    let provider = links.client.get(provider_url).await?;
    let version = options.provider_version.as_str();
    if let Some(branch) = &options.provider_branch {
        let template = required_link(&provider, provider_url, "pb:branch-version")?;
        let url = hal::expand(template, &[("branch", branch), ("version", version)]);
        links.client.put(&url, &json!({})).await?;
    }
    for tag in &options.provider_tags {
        let template = required_link(&provider, provider_url, "pb:version-tag")?;
        let url = hal::expand(template, &[("version", version), ("tag", tag)]);
        links.client.put(&url, &json!({})).await?;
    }
    Ok(())
}

fn required_link<'a>(
    document: &'a Value,
    url: &str,
    relation: &str,
) -> Result<&'a str, BrokerError> {
    hal::link_href(document, relation).ok_or_else(|| BrokerError::MissingLink {
        url: url.to_owned(),
        relation: relation.to_owned(),
    })
}

/// The result posted for one contract, with one entry per interaction verified.
fn result_body<'a>(
    contract: &ContractResult,
    options: &'a PublishOptions,
) -> VerificationResultBody<'a> {
    let test_results = contract
        .interactions
        .iter()
        .map(|result| {
            let (mismatches, error) = match &result.outcome {
                Outcome::Passed => (Vec::new(), None),
                Outcome::Failed(mismatches) => {
                    (mismatches.iter().map(|m| m.to_json()).collect(), None)
                }
                Outcome::Error(error) => (Vec::new(), Some(error.to_string())),
            };
            TestResult {
                interaction_id: result.key.clone(),
                interaction_description: result.description.clone(),
                success: result.outcome.is_passed(),
                mismatches,
                error,
            }
        })
        .collect();
    VerificationResultBody {
        success: contract.success(),
        provider_application_version: &options.provider_version,
        build_url: options.build_url.as_deref(),
        test_results,
        verified_by: VerifiedBy::accord(),
    }
}
