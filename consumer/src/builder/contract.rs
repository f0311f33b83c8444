//! The contract builder: the entry point of the DSL.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use accord_contracts_format::{Contract, Interaction, InteractionKind, SpecVersion};

use super::{InteractionBuilder, MessageBuilder, MessageExample, SyncMessageBuilder};
use crate::error::{BuildError, MessageError, MockError, WriteContractError};
use crate::mock::MockProvider;
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
    ///
    /// This is for message contracts: it refuses while a message has not been passed to its
    /// consumer handler, and refuses HTTP interactions, which only
    /// [`MockProvider::finish`] writes, once the consumer has exercised them.
    pub fn try_write(&self) -> Result<PathBuf, WriteContractError> {
        self.write_exercised(&HashSet::new())
    }

    /// Writes the contract when every interaction was exercised: messages accepted by their
    /// handlers, HTTP interactions listed in `http` (by index).
    pub(crate) fn write_exercised(
        &self,
        http: &HashSet<usize>,
    ) -> Result<PathBuf, WriteContractError> {
        let unexercised: Vec<String> = self
            .contract
            .interactions
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.verified.contains(index) && !http.contains(index))
            .map(|(_, interaction)| interaction.description.clone())
            .collect();
        if !unexercised.is_empty() {
            return Err(WriteContractError::Unexercised(unexercised));
        }
        self.writer.write(&self.contract)
    }

    /// Starts a mock provider for the HTTP interactions on `127.0.0.1` (a free port); panics
    /// when it cannot start. Messages must be verified before: the mock provider writes the
    /// whole contract when it finishes.
    ///
    /// The server runs on its own thread, so any test runtime (or none) works.
    #[track_caller]
    pub fn start_mock(self) -> MockProvider {
        match self.try_start_mock() {
            Ok(mock) => mock,
            Err(error) => panic!("{error}"),
        }
    }

    /// Starts a mock provider, or says why it cannot start.
    pub fn try_start_mock(self) -> Result<MockProvider, MockError> {
        MockProvider::start(self)
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
