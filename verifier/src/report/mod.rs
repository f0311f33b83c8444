//! Reporting: the verifier sends [`Event`]s to a [`Reporter`]; [`human`], [`json`] and
//! [`junit`] turn them into output for people and machines.

pub mod human;
pub mod json;
pub mod junit;

use std::io;

use accord_contracts_format::ProviderState;

use accord_contracts_format::Mismatch;

use crate::error::{SourceError, StateChangeError};
use crate::result::{ContractInfo, InteractionResult, Publication, VerificationResults};
use crate::states::StateAction;

/// Something that happened during a verification run.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A contract could not be loaded; the others are still verified.
    LoadFailed {
        /// The file or URL.
        source: &'a str,
        /// Why.
        error: &'a SourceError,
    },
    /// A contract was loaded; `interactions` of its interactions will be verified.
    ContractStarted {
        /// Which contract.
        contract: &'a ContractInfo,
        /// How many interactions pass the filters.
        interactions: usize,
    },
    /// Every contract is loaded; `total` interactions will be verified.
    Started {
        /// Interactions to verify, over every contract.
        total: usize,
    },
    /// An interaction's verification began.
    InteractionStarted {
        /// Its contract.
        contract: &'a ContractInfo,
        /// Its description.
        description: &'a str,
    },
    /// A provider state was set up or torn down (or failed to be).
    StateChange {
        /// The interaction's contract.
        contract: &'a ContractInfo,
        /// The interaction's description.
        description: &'a str,
        /// The state.
        state: &'a ProviderState,
        /// Setup or teardown.
        action: StateAction,
        /// Why it failed, if it did.
        error: Option<&'a StateChangeError>,
    },
    /// The provider's answer differed from the contract.
    Mismatches {
        /// The interaction's contract.
        contract: &'a ContractInfo,
        /// The interaction's description.
        description: &'a str,
        /// The differences.
        mismatches: &'a [Mismatch],
    },
    /// An interaction's verification ended.
    InteractionFinished {
        /// Its contract.
        contract: &'a ContractInfo,
        /// What it gave.
        result: &'a InteractionResult,
    },
    /// A contract's result was published (or not).
    Published {
        /// Which contract.
        contract: &'a ContractInfo,
        /// What happened.
        publication: &'a Publication,
    },
    /// The run is over.
    Finished {
        /// Everything it found.
        results: &'a VerificationResults,
    },
}

/// Receives the events of a run. Events come one at a time, in order for each interaction;
/// events of interactions running concurrently interleave.
pub trait Reporter {
    /// Handles one event. An error (a report file that cannot be written) is kept in
    /// [`VerificationResults::report_error`] and makes the run's verdict an error.
    fn report(&mut self, event: &Event<'_>) -> io::Result<()>;
}

/// A reporter that ignores every event (the results are still returned).
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Reporter for Silent {
    fn report(&mut self, _event: &Event<'_>) -> io::Result<()> {
        Ok(())
    }
}

/// Sends every event to several reporters, in order.
#[derive(Default)]
pub struct Reporters(pub Vec<Box<dyn Reporter + Send>>);

impl std::fmt::Debug for Reporters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Reporters({})", self.0.len())
    }
}

impl Reporter for Reporters {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        let mut first_error = None;
        for reporter in &mut self.0 {
            if let Err(error) = reporter.report(event) {
                first_error.get_or_insert(error);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}
