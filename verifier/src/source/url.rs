//! A contract fetched from a URL (a broker's pact URL, a file server...).

use super::{Loaded, LoadedContract, from_fetched_document};
use crate::broker_client::BrokerClient;
use crate::error::SourceError;
use crate::result::ContractInfo;

pub(super) async fn load_url(url: &str, client: &BrokerClient, loaded: &mut Loaded) {
    let document = match client.get(url).await {
        Ok(document) => document,
        Err(error) => {
            loaded
                .failures
                .push((url.to_owned(), SourceError::Fetch(error)));
            return;
        }
    };
    match from_fetched_document(url, document, client) {
        Ok((contract, links)) => loaded.contracts.push(LoadedContract {
            info: ContractInfo::of(url, &contract),
            contract,
            broker: Some(links),
        }),
        Err(error) => loaded.failures.push((url.to_owned(), error)),
    }
}
