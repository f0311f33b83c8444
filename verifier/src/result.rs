//! What a verification run found: per contract, per interaction, and the overall verdict.

use std::time::Duration;

use accord_contracts_format::Mismatch;

use crate::error::{BrokerError, InteractionError, SourceError};

/// Everything a run found.
#[derive(Debug, Default)]
pub struct VerificationResults {
    /// The contracts verified, in source order.
    pub contracts: Vec<ContractResult>,
    /// Contracts that could not be loaded, named by file or URL.
    pub load_failures: Vec<(String, SourceError)>,
    /// The first error a reporter returned (a report file that could not be written).
    pub report_error: Option<std::io::Error>,
}

/// The results of one contract.
#[derive(Debug)]
pub struct ContractResult {
    /// Which contract.
    pub info: ContractInfo,
    /// One result per verified interaction, in contract order (filtered-out ones are absent).
    pub interactions: Vec<InteractionResult>,
    /// What happened when the results were published, if they were.
    pub publication: Option<Publication>,
}

/// Identifies a contract being verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractInfo {
    /// Where it came from: a file path or URL.
    pub name: String,
    /// The consumer's name.
    pub consumer: String,
    /// The provider's name.
    pub provider: String,
    /// The broker says the contract is pending: its failures do not fail the run.
    pub pending: bool,
    /// The broker included the contract as work in progress (always pending too).
    pub wip: bool,
    /// Notices the broker asked to print before verifying.
    pub notices: Vec<String>,
    /// Notices the broker asked to print after verifying, each with its condition
    /// (`after_verification:success_false_published_true`...).
    pub notices_after: Vec<(String, String)>,
}

/// The result of one interaction.
#[derive(Debug)]
pub struct InteractionResult {
    /// The interaction's description.
    pub description: String,
    /// V4's interaction key, when the contract gives one.
    pub key: Option<String>,
    /// Names of the interaction's provider states, in order.
    pub provider_states: Vec<String>,
    /// True when a failure must not fail the run (pending contract or interaction).
    pub pending: bool,
    /// The request sent to the provider (`GET http://...`), once one was.
    pub sent: Option<String>,
    /// A line diff of the expected and actual bodies (`- ` expected, `+ ` actual), when a
    /// mismatch concerns the body.
    pub body_diff: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// How long the interaction took, state changes included.
    pub duration: Duration,
}

/// What verifying one interaction gave.
#[derive(Debug)]
pub enum Outcome {
    /// The provider behaved as the contract says.
    Passed,
    /// The provider answered, but not as the contract says.
    Failed(Vec<Mismatch>),
    /// The interaction could not be verified.
    Error(InteractionError),
}

impl Outcome {
    /// True for [`Outcome::Passed`].
    pub fn is_passed(&self) -> bool {
        matches!(self, Outcome::Passed)
    }
}

/// The result of publishing one contract's verification result.
#[derive(Debug)]
pub enum Publication {
    /// The broker accepted the result.
    Published {
        /// Where it was posted.
        url: String,
    },
    /// The contract did not come from a broker (or the broker gave no link to publish to).
    NotPublishable,
    /// Not published because filters left interactions out: a partial verification must not
    /// count as a verification of the contract.
    Filtered,
    /// Publishing failed.
    Failed(BrokerError),
}

/// The overall answer of a run, which the command turns into an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Everything verified passed (pending failures allowed).
    Passed,
    /// Some interaction of a non-pending contract failed: exit 1.
    Failed,
    /// Something could not be verified or published: exit 2.
    Errored,
}

/// Counts of interaction results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Interactions verified.
    pub total: usize,
    /// Passed.
    pub passed: usize,
    /// Failed (the provider answered wrongly), counting against the run.
    pub failed: usize,
    /// Could not be verified (unreachable provider, failed state change...), counting
    /// against the run.
    pub errored: usize,
    /// Failed or errored, but pending.
    pub pending_failed: usize,
}

impl VerificationResults {
    /// The counts over every contract.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for result in self.contracts.iter().flat_map(|c| &c.interactions) {
            summary.total += 1;
            if result.outcome.is_passed() {
                summary.passed += 1;
            } else if result.pending {
                summary.pending_failed += 1;
            } else if matches!(result.outcome, Outcome::Error(_)) {
                summary.errored += 1;
            } else {
                summary.failed += 1;
            }
        }
        summary
    }

    /// The run's verdict: errors (interactions that could not be verified, contracts that
    /// could not be loaded, results that could not be published) win over failures; pending
    /// failures count as neither.
    pub fn verdict(&self) -> Verdict {
        let errored = !self.load_failures.is_empty()
            || self.report_error.is_some()
            || self.contracts.iter().any(|contract| {
                matches!(contract.publication, Some(Publication::Failed(_)))
                    || contract
                        .interactions
                        .iter()
                        .any(|r| !r.pending && matches!(r.outcome, Outcome::Error(_)))
            });
        if errored {
            return Verdict::Errored;
        }
        if self.summary().failed > 0 {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }
}

impl ContractResult {
    /// True when every interaction passed (pending or not): what is published as `success`.
    pub fn success(&self) -> bool {
        self.interactions.iter().all(|r| r.outcome.is_passed())
    }
}
