//! The contracts a broker selects for a provider: index, `pb:provider-pacts-for-verification`,
//! then each pact.

use super::{Loaded, LoadedContract, from_fetched_document};
use crate::broker_client::wire::{PactsForVerification, PactsForVerificationQuery};
use crate::broker_client::{BrokerClient, hal};
use crate::error::{BrokerError, SourceError, VerifyError};
use crate::options::BrokerSource;
use crate::result::ContractInfo;

const FOR_VERIFICATION: &str = "pb:provider-pacts-for-verification";
const FOR_VERIFICATION_BETA: &str = "beta:provider-pacts-for-verification";
const LATEST_PROVIDER_PACTS: &str = "pb:latest-provider-pacts";

/// One contract the broker listed, before it is fetched.
struct Listed {
    href: String,
    pending: bool,
    wip: bool,
    notices: Vec<String>,
    notices_after: Vec<(String, String)>,
}

pub(super) async fn load_from_broker(
    source: &BrokerSource,
    client: &BrokerClient,
    loaded: &mut Loaded,
) -> Result<(), VerifyError> {
    let listed = list(source, client).await?;
    tracing::info!(
        count = listed.len(),
        "the broker selected contracts to verify"
    );
    for entry in listed {
        let document = match client.get(&entry.href).await {
            Ok(document) => document,
            Err(error) => {
                loaded
                    .failures
                    .push((entry.href.clone(), SourceError::Fetch(error)));
                continue;
            }
        };
        match from_fetched_document(&entry.href, document, client) {
            Ok((contract, links)) => {
                let mut info = ContractInfo::of(entry.href, &contract);
                info.pending = entry.pending;
                info.wip = entry.wip;
                info.notices = entry.notices;
                info.notices_after = entry.notices_after;
                loaded.contracts.push(LoadedContract {
                    info,
                    contract,
                    broker: Some(links),
                });
            }
            Err(error) => loaded.failures.push((entry.href, error)),
        }
    }
    Ok(())
}

async fn list(source: &BrokerSource, client: &BrokerClient) -> Result<Vec<Listed>, BrokerError> {
    let index_url = source.url.as_str();
    let index = client.get(index_url).await?;
    let provider = [("provider", source.provider.as_str())];
    let template = hal::link_href(&index, FOR_VERIFICATION)
        .or_else(|| hal::link_href(&index, FOR_VERIFICATION_BETA));
    let Some(template) = template else {
        return list_latest(source, client, &index).await;
    };
    let url = hal::expand(template, &provider);
    let query = PactsForVerificationQuery {
        consumer_version_selectors: &source.selectors,
        include_pending_status: source.enable_pending,
        include_wip_pacts_since: source.include_wip_since.as_deref(),
        provider_version_branch: source.provider_branch.as_deref(),
        provider_version_tags: &source.provider_tags,
    };
    let answer = client.post(&url, &query).await?;
    let answer: PactsForVerification =
        serde_json::from_value(answer).map_err(|error| BrokerError::BadResponse {
            method: "POST",
            url: url.clone(),
            problem: format!("not a list of pacts for verification ({error})"),
        })?;
    Ok(answer
        .embedded
        .pacts
        .into_iter()
        .map(|pact| {
            let properties = pact.verification_properties;
            let (before, after): (Vec<_>, Vec<_>) = properties
                .notices
                .into_iter()
                .partition(|notice| notice.when.is_empty() || notice.when == "before_verification");
            let mut notices: Vec<String> = before.into_iter().map(|notice| notice.text).collect();
            if notices.is_empty() {
                notices.extend(pact.short_description);
            }
            Listed {
                href: pact.links.self_link.href,
                pending: properties.pending || properties.wip,
                wip: properties.wip,
                notices,
                notices_after: after
                    .into_iter()
                    .map(|notice| (notice.when, notice.text))
                    .collect(),
            }
        })
        .collect())
}

/// Old brokers without pacts-for-verification: the latest contract of each consumer.
async fn list_latest(
    source: &BrokerSource,
    client: &BrokerClient,
    index: &serde_json::Value,
) -> Result<Vec<Listed>, BrokerError> {
    let template =
        hal::link_href(index, LATEST_PROVIDER_PACTS).ok_or_else(|| BrokerError::MissingLink {
            url: source.url.to_string(),
            relation: FOR_VERIFICATION.to_owned(),
        })?;
    let url = hal::expand(template, &[("provider", source.provider.as_str())]);
    let listing = client.get(&url).await?;
    let hrefs = listing
        .get("_links")
        .and_then(|links| links.get("pb:pacts"))
        .and_then(|pacts| pacts.as_array())
        .ok_or_else(|| BrokerError::MissingLink {
            url: url.clone(),
            relation: "pb:pacts".to_owned(),
        })?;
    Ok(hrefs
        .iter()
        .filter_map(|link| link.get("href").and_then(|href| href.as_str()))
        .map(|href| Listed {
            href: href.to_owned(),
            pending: false,
            wip: false,
            notices: Vec::new(),
            notices_after: Vec::new(),
        })
        .collect())
}
