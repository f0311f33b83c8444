//! Loading contracts from files, directories, URLs and brokers.

mod broker;
mod file;
mod url;

use std::path::PathBuf;

use accord_contracts_format::{Contract, ParseError, contract_from_value};
use serde_json::Value;

use crate::broker_client::{BrokerClient, hal};
use crate::error::{SourceError, VerifyError};
use crate::options::ContractSource;
use crate::result::ContractInfo;

/// A contract ready to verify, with what is known about where it came from.
#[derive(Debug)]
pub(crate) struct LoadedContract {
    pub(crate) info: ContractInfo,
    pub(crate) contract: Contract,
    /// Where to publish the results, for contracts that came from a broker.
    pub(crate) broker: Option<BrokerLinks>,
}

/// The broker relations of a contract fetched from a broker.
#[derive(Debug, Clone)]
pub(crate) struct BrokerLinks {
    pub(crate) client: BrokerClient,
    /// `pb:publish-verification-results`.
    pub(crate) publish_results: Option<String>,
    /// `pb:provider`: the provider pacticipant, whose links set the version's branch and tags.
    pub(crate) provider: Option<String>,
}

/// Every source read: the contracts found and the ones that could not be loaded.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub(crate) contracts: Vec<LoadedContract>,
    pub(crate) failures: Vec<(String, SourceError)>,
}

/// Reads every source. A broker that cannot list its contracts stops the run; a contract
/// that cannot be read is recorded and the others are still verified.
pub(crate) async fn load(
    sources: &[ContractSource],
    http: &reqwest::Client,
    retries: u32,
) -> Result<Loaded, VerifyError> {
    let mut loaded = Loaded::default();
    for source in sources {
        match source {
            ContractSource::File(path) => file::load_file(path, &mut loaded).await,
            ContractSource::Dir(path) => file::load_dir(path, &mut loaded).await,
            ContractSource::Url { url, auth } => {
                let client = BrokerClient::new(http.clone(), auth.clone(), retries);
                url::load_url(url.as_str(), &client, &mut loaded).await
            }
            ContractSource::Broker(source) => {
                let client = BrokerClient::new(http.clone(), source.auth.clone(), retries);
                broker::load_from_broker(source, &client, &mut loaded).await?
            }
        }
    }
    Ok(loaded)
}

/// Parses a contract document fetched over HTTP, keeping its broker links.
pub(crate) fn from_fetched_document(
    name: &str,
    document: Value,
    client: &BrokerClient,
) -> Result<(Contract, BrokerLinks), SourceError> {
    let links = BrokerLinks {
        client: client.clone(),
        publish_results: hal::link_href(&document, "pb:publish-verification-results")
            .map(str::to_owned),
        provider: hal::link_href(&document, "pb:provider").map(str::to_owned),
    };
    let contract = match contract_from_value(document.clone()) {
        Ok(contract) => contract,
        Err(error) => return Err(parse_failure(error, name, Some(&document))),
    };
    Ok((contract, links))
}

/// A parse error of the contract `file`, naming the interaction it is in when `document`
/// (the contract's JSON) tells which.
pub(crate) fn parse_failure(
    error: ParseError,
    file: impl Into<PathBuf>,
    document: Option<&Value>,
) -> SourceError {
    let interaction = document.and_then(|document| interaction_at(document, error.json_path()));
    SourceError::Parse {
        source: error.in_file(file),
        interaction,
    }
}

/// The description of the interaction (or V3 message) a JSON path points into.
fn interaction_at(document: &Value, path: &str) -> Option<String> {
    ["interactions", "messages"].into_iter().find_map(|list| {
        let rest = path.strip_prefix(&format!("$.{list}["))?;
        let index: usize = rest.split(']').next()?.parse().ok()?;
        let description = document.get(list)?.get(index)?.get("description")?;
        description.as_str().map(str::to_owned)
    })
}

impl ContractInfo {
    pub(crate) fn of(name: impl Into<String>, contract: &Contract) -> Self {
        ContractInfo {
            name: name.into(),
            consumer: contract.consumer.name.clone(),
            provider: contract.provider.name.clone(),
            pending: false,
            wip: false,
            notices: Vec::new(),
            notices_after: Vec::new(),
        }
    }
}
