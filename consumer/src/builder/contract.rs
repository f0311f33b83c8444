//! The contract builder: the entry point of the DSL.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use accord_contracts_format::{Contract, Interaction, InteractionKind, SpecVersion};

use super::{InteractionBuilder, MessageBuilder, MessageExample, SyncMessageBuilder};
use crate::error::{BuildError, MessageError, WriteContractError};
use crate::writer::ContractWriter;

/// Collects the interactions of one consumer with one provider and writes them to the
/// contract file.
///
/// Methods that can fail come in pairs: `try_x` returns the error, `x` panics with it (for
/// tests, reporting the caller's line).
#[derive(Debug, Clone)]
pub struct ContractBuilder {
    contract: Contract,
    writer: ContractWriter,
    /// Indexes of message interactions a consumer handler has accepted.
    verified: HashSet<usize>,
}

impl ContractBuilder {
    /// A contract between `consumer` and `provider`, written as V4 to the default folder
    /// (see [`ContractWriter::new`]).
    pub fn new(consumer: &str, provider: &str) -> Self {
        ContractBuilder {
            contract: Contract::new(consumer, provider),
            writer: ContractWriter::new(),
            verified: HashSet::new(),
        }
    }

    /// Writes the contract file into `dir` instead of the default folder.
    pub fn with_output_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.writer = self.writer.with_dir(dir);
        self
    }

    /// Writes the contract file as `version` (V4 by default; V3 on request).
    pub fn with_spec_version(mut self, version: SpecVersion) -> Self {
        self.writer = self.writer.with_version(version);
        self
    }

    /// The contract built so far.
    pub fn contract(&self) -> &Contract {
        &self.contract
    }

    /// The file [`ContractBuilder::write`] writes to.
    pub fn output_path(&self) -> PathBuf {
        self.writer.path_for(&self.contract)
    }

    /// Adds an HTTP interaction; panics (at the caller's line) when it is not valid.
    #[track_caller]
    pub fn interaction(
        &mut self,
        description: &str,
        build: impl FnOnce(InteractionBuilder) -> InteractionBuilder,
    ) -> &mut Self {
        let result = self.try_interaction(description, build);
        expect(result.map(|_| ()));
        self
    }

    /// Adds an HTTP interaction, or says why it is not valid.
    pub fn try_interaction(
        &mut self,
        description: &str,
        build: impl FnOnce(InteractionBuilder) -> InteractionBuilder,
    ) -> Result<&mut Self, BuildError> {
        let interaction = build(InteractionBuilder::new(description)).build()?;
        self.push(interaction)
    }

    /// Adds an asynchronous message interaction; panics when it is not valid. Pass it to
    /// [`ContractBuilder::verify_message`] before writing the contract.
    #[track_caller]
    pub fn message(
        &mut self,
        description: &str,
        build: impl FnOnce(MessageBuilder) -> MessageBuilder,
    ) -> &mut Self {
        let result = self.try_message(description, build);
        expect(result.map(|_| ()));
        self
    }

    /// Adds an asynchronous message interaction, or says why it is not valid.
    pub fn try_message(
        &mut self,
        description: &str,
        build: impl FnOnce(MessageBuilder) -> MessageBuilder,
    ) -> Result<&mut Self, BuildError> {
        let interaction = build(MessageBuilder::new(description)).build()?;
        self.push(interaction)
    }

    /// Adds a synchronous message interaction; panics when it is not valid. Pass it to
    /// [`ContractBuilder::verify_sync_message`] before writing the contract.
    #[track_caller]
    pub fn sync_message(
        &mut self,
        description: &str,
        build: impl FnOnce(SyncMessageBuilder) -> SyncMessageBuilder,
    ) -> &mut Self {
        let result = self.try_sync_message(description, build);
        expect(result.map(|_| ()));
        self
    }

    /// Adds a synchronous message interaction, or says why it is not valid.
    pub fn try_sync_message(
        &mut self,
        description: &str,
        build: impl FnOnce(SyncMessageBuilder) -> SyncMessageBuilder,
    ) -> Result<&mut Self, BuildError> {
        let interaction = build(SyncMessageBuilder::new(description)).build()?;
        self.push(interaction)
    }

    fn push(&mut self, interaction: Interaction) -> Result<&mut Self, BuildError> {
        let duplicate = self.contract.interactions.iter().any(|existing| {
            existing.description == interaction.description
                && existing.provider_states == interaction.provider_states
        });
        if duplicate {
            return Err(BuildError::Duplicate(interaction.description));
        }
        self.contract.interactions.push(interaction);
        Ok(self)
    }

    /// Calls the consumer's `handler` with the example contents and metadata of every
    /// asynchronous message described as `description`; panics when there is none or the
    /// handler returns an error.
    #[track_caller]
    pub fn verify_message<E>(
        &mut self,
        description: &str,
        handler: impl FnMut(&Value, &Map<String, Value>) -> Result<(), E>,
    ) -> &mut Self
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        expect(self.try_verify_message(description, handler));
        self
    }

    /// Calls the consumer's `handler` with the example contents and metadata of every
    /// asynchronous message described as `description`, and marks them as accepted.
    pub fn try_verify_message<E>(
        &mut self,
        description: &str,
        mut handler: impl FnMut(&Value, &Map<String, Value>) -> Result<(), E>,
    ) -> Result<(), MessageError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.verify_each(description, |kind| match kind {
            InteractionKind::AsyncMessage(message) => {
                let example = MessageExample::of(message);
                Some(handler(&example.contents, &example.metadata).map_err(Into::into))
            }
            _ => None,
        })
    }

    /// Calls the consumer's `handler` with the request and response examples of every
    /// synchronous message described as `description`; panics when there is none or the
    /// handler returns an error.
    #[track_caller]
    pub fn verify_sync_message<E>(
        &mut self,
        description: &str,
        handler: impl FnMut(&MessageExample, &[MessageExample]) -> Result<(), E>,
    ) -> &mut Self
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        expect(self.try_verify_sync_message(description, handler));
        self
    }

    /// Calls the consumer's `handler` with the request and response examples of every
    /// synchronous message described as `description`, and marks them as accepted.
    pub fn try_verify_sync_message<E>(
        &mut self,
        description: &str,
        mut handler: impl FnMut(&MessageExample, &[MessageExample]) -> Result<(), E>,
    ) -> Result<(), MessageError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.verify_each(description, |kind| match kind {
            InteractionKind::SyncMessage(sync) => {
                let request = MessageExample::of(&sync.request);
                let responses: Vec<_> = sync.responses.iter().map(MessageExample::of).collect();
                Some(handler(&request, &responses).map_err(Into::into))
            }
            _ => None,
        })
    }

    fn verify_each(
        &mut self,
        description: &str,
        mut call: impl FnMut(
            &InteractionKind,
        ) -> Option<Result<(), Box<dyn std::error::Error + Send + Sync>>>,
    ) -> Result<(), MessageError> {
        let mut found = false;
        for (index, interaction) in self.contract.interactions.iter().enumerate() {
            if interaction.description != description {
                continue;
            }
            let Some(result) = call(&interaction.kind) else {
                continue;
            };
            found = true;
            result.map_err(|source| MessageError::Rejected {
                description: description.to_owned(),
                source,
            })?;
            self.verified.insert(index);
        }
        if found {
            Ok(())
        } else {
            Err(MessageError::Unknown(description.to_owned()))
        }
    }

    /// Merges the interactions into the contract file; panics on failure. Returns the file.
    #[track_caller]
    pub fn write(&self) -> PathBuf {
        match self.try_write() {
            Ok(path) => path,
            Err(error) => panic!("{error}"),
        }
    }

    /// Merges the interactions into the contract file (see [`ContractWriter::write`]).
    /// Refuses while a message interaction has not been passed to its consumer handler.
    pub fn try_write(&self) -> Result<PathBuf, WriteContractError> {
        let unverified: Vec<String> = self
            .contract
            .interactions
            .iter()
            .enumerate()
            .filter(|(index, interaction)| {
                !matches!(interaction.kind, InteractionKind::Http { .. })
                    && !self.verified.contains(index)
            })
            .map(|(_, interaction)| interaction.description.clone())
            .collect();
        if !unverified.is_empty() {
            return Err(WriteContractError::UnverifiedMessages(unverified));
        }
        self.writer.write(&self.contract)
    }

    /// The folder the contract file goes to.
    pub fn output_dir(&self) -> &Path {
        self.writer.dir()
    }
}

#[track_caller]
fn expect<E: std::fmt::Display>(result: Result<(), E>) {
    if let Err(error) = result {
        panic!("{error}");
    }
}
