//! Contracts in local files and directories.

use std::path::Path;

use accord_contracts_format::parse_contract;

use super::{Loaded, LoadedContract};
use crate::error::SourceError;
use crate::result::ContractInfo;

pub(super) async fn load_file(path: &Path, loaded: &mut Loaded) {
    let name = path.display().to_string();
    let text = match tokio::fs::read_to_string(path).await {
        Ok(text) => text,
        Err(source) => {
            let error = SourceError::Io {
                path: path.to_owned(),
                source,
            };
            loaded.failures.push((name, error));
            return;
        }
    };
    match parse_contract(&text) {
        Ok(contract) => loaded.contracts.push(LoadedContract {
            info: ContractInfo::of(name, &contract),
            contract,
            broker: None,
        }),
        Err(error) => {
            let document = serde_json::from_str(&text).ok();
            let failure = super::parse_failure(error, path, document.as_ref());
            loaded.failures.push((name, failure));
        }
    }
}

/// Loads every `*.json` file of the directory, in name order.
pub(super) async fn load_dir(path: &Path, loaded: &mut Loaded) {
    let mut files = Vec::new();
    let listing = match std::fs::read_dir(path) {
        Ok(listing) => listing,
        Err(source) => {
            let error = SourceError::Io {
                path: path.to_owned(),
                source,
            };
            loaded.failures.push((path.display().to_string(), error));
            return;
        }
    };
    for entry in listing.flatten() {
        let file = entry.path();
        if file.is_file() && file.extension().is_some_and(|ext| ext == "json") {
            files.push(file);
        }
    }
    files.sort();
    for file in files {
        load_file(&file, loaded).await;
    }
}
