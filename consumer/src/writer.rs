//! Writing contract files: merging the interactions of many tests (threads and processes)
//! into one file per consumer and provider, under an exclusive file lock.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use accord_contracts_format::{Contract, Interaction, SpecVersion, parse_contract, to_json_string};

use crate::error::WriteContractError;

/// The environment variable naming the folder contract files go to. It is read here and
/// nowhere else.
pub const CONTRACTS_DIR_VAR: &str = "ACCORD_CONTRACTS_DIR";

/// The folder used when neither the builder nor [`CONTRACTS_DIR_VAR`] names one, relative to
/// the working directory (a crate's folder under `cargo test`).
pub const DEFAULT_CONTRACTS_DIR: &str = "target/contracts";

/// Writes contracts to `<dir>/<consumer>-<provider>.json`, merging with what is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractWriter {
    dir: PathBuf,
    version: SpecVersion,
}

impl Default for ContractWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ContractWriter {
    /// A V4 writer into `$ACCORD_CONTRACTS_DIR`, or `target/contracts` when it is not set.
    pub fn new() -> Self {
        let dir = std::env::var_os(CONTRACTS_DIR_VAR)
            .filter(|dir| !dir.is_empty())
            .map_or_else(|| PathBuf::from(DEFAULT_CONTRACTS_DIR), PathBuf::from);
        ContractWriter {
            dir,
            version: SpecVersion::V4,
        }
    }

    /// Writes into `dir` instead.
    pub fn with_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = dir.into();
        self
    }

    /// Writes files as `version` (V4 or V3; V3 cannot hold synchronous messages, nor HTTP
    /// interactions and messages in one file).
    pub fn with_version(mut self, version: SpecVersion) -> Self {
        self.version = version;
        self
    }

    /// The folder files go to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file `contract` goes to: `<consumer>-<provider>.json`, with characters that
    /// cannot appear in file names replaced by `_`.
    pub fn path_for(&self, contract: &Contract) -> PathBuf {
        let name = format!(
            "{}-{}.json",
            file_safe(&contract.consumer.name),
            file_safe(&contract.provider.name)
        );
        self.dir.join(name)
    }

    /// Merges `contract`'s interactions into its file and returns the file's path.
    ///
    /// Holding an exclusive lock on a sibling `.lock` file, it reads the existing contract,
    /// replaces interactions with the same description and provider states, adds the new
    /// ones, sorts them by description and states, writes a temporary file and renames it
    /// over the old one. Tests writing in parallel threads or processes therefore never lose
    /// each other's interactions, and readers never see a half-written file.
    pub fn write(&self, contract: &Contract) -> Result<PathBuf, WriteContractError> {
        let path = self.path_for(contract);
        fs::create_dir_all(&self.dir).map_err(io_at(&self.dir))?;
        let lock_path = path.with_extension("json.lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_at(&lock_path))?;
        fs4::FileExt::lock(&lock).map_err(io_at(&lock_path))?;
        let result = self.merge_and_replace(contract, &path);
        // Closing the file releases the lock too; unlocking first keeps the window short.
        let _ = fs4::FileExt::unlock(&lock);
        result.map(|()| path)
    }

    fn merge_and_replace(
        &self,
        contract: &Contract,
        path: &Path,
    ) -> Result<(), WriteContractError> {
        let mut merged = match fs::read_to_string(path) {
            Ok(text) => {
                let existing = parse_contract(&text).map_err(|e| e.in_file(path))?;
                if existing.consumer != contract.consumer || existing.provider != contract.provider
                {
                    return Err(WriteContractError::OtherParties {
                        path: path.to_owned(),
                        consumer: contract.consumer.name.clone(),
                        provider: contract.provider.name.clone(),
                        found_consumer: existing.consumer.name,
                        found_provider: existing.provider.name,
                    });
                }
                existing
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Contract::new(
                contract.consumer.name.clone(),
                contract.provider.name.clone(),
            ),
            Err(error) => return Err(io_at(path)(error)),
        };
        merged.interactions = merge(
            std::mem::take(&mut merged.interactions),
            &contract.interactions,
        );
        for (key, value) in &contract.metadata {
            merged.metadata.insert(key.clone(), value.clone());
        }
        merged.metadata.insert(
            "accord".to_owned(),
            json!({ "consumerVersion": env!("CARGO_PKG_VERSION") }),
        );
        merged.spec_version = self.version;
        let mut text = to_json_string(&merged, self.version)?;
        text.push('\n');
        let dir = path.parent().unwrap_or(Path::new("."));
        let temp_path = dir.join(format!(
            ".{}.{}.tmp",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("contract"),
            std::process::id()
        ));
        let written = write_file(&temp_path, text.as_bytes())
            .and_then(|()| fs::rename(&temp_path, path).map_err(io_at(path)));
        if written.is_err() {
            let _ = fs::remove_file(&temp_path);
        }
        written
    }
}

/// `existing` plus `new`, where a new interaction replaces an existing one with the same
/// description and provider states, sorted by description then states.
fn merge(existing: Vec<Interaction>, new: &[Interaction]) -> Vec<Interaction> {
    let mut by_key: BTreeMap<_, Interaction> = BTreeMap::new();
    for interaction in existing.into_iter().chain(new.iter().cloned()) {
        by_key.insert(identity(&interaction), interaction);
    }
    by_key.into_values().collect()
}

/// What makes an interaction unique in a file: its description and provider states (names
/// and parameters, in order).
fn identity(interaction: &Interaction) -> (String, Vec<(String, String)>) {
    let states = interaction
        .provider_states
        .iter()
        .map(|state| {
            (
                state.name.clone(),
                Value::Object(state.params.clone()).to_string(),
            )
        })
        .collect();
    (interaction.description.clone(), states)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteContractError> {
    let mut file = File::create(path).map_err(io_at(path))?;
    file.write_all(bytes).map_err(io_at(path))
}

fn io_at(path: &Path) -> impl FnOnce(std::io::Error) -> WriteContractError + '_ {
    move |source| WriteContractError::Io {
        path: path.to_owned(),
        source,
    }
}

fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
