//! The broker's rules as pure functions over plain data: the matrix, can-i-deploy, consumer
//! version selectors (pacts for verification), pending and WIP pacts, and the analyses
//! built on them (service graph, coupling findings, deployment planning).
//!
//! Nothing here does I/O or knows about HTTP or SQL: the store loads a `BrokerData`, the
//! caller builds an `Index` over it once (linear time), and each rule answers from the index:
//!
//! - `matrix()`: rows of (consumer version, provider version, verification) for `/matrix`;
//! - `can_i_deploy()`: the deployable / not deployable / unknown answer with reasons, counts,
//!   one row per pair and a suggested fix per blocking row, for `/can-i-deploy`;
//! - `pacts_for_verification`: consumer version selectors, de-duplicated by content, with
//!   pending status, WIP pacts and notices, for `/pacts/provider/{P}/for-verification`;
//! - `coupling_report`: the service graph (who relies on whom, over HTTP or messages, with
//!   interaction and field counts) of an environment or of the main-branch heads, and the
//!   distributed-monolith findings with their evidence: dependency cycles, lockstep groups,
//!   co-deployed pairs, hubs and the longest dependency chains, for `/coupling`;
//! - `plan_deployment`: an order of single-service deployments for a batch in which every
//!   step passes can-i-deploy, or the smallest groups that must ship together, and why, for
//!   `/deployment-plan`.
//!
//! What each rule reads, for a store that loads less than everything: the pacticipants and
//! versions involved (with branches and tags), their publications, the verifications of those
//! contents with the verifying provider versions, and, for environment targets or
//! `deployed`/`released`/`environment` selectors, the environments with their current
//! deployments and supported releases. Pending and WIP also read the provider's branches
//! (creation times). The coupling report also reads the content summaries (`ContentSummary`,
//! computed by the store at publish time) and the whole deployment history of the
//! environment (past deployments included, for co-deployment). A blocking row's suggested fix
//! reads every verification of the row's content (the provider versions that passed it) and,
//! when the deployed side is the consumer, every verification by the row's provider version
//! with the consumer versions of those contents. The store's loaders (`store/load.rs`) load
//! this per question, except that the can-i-deploy loader leaves out the fixes' evidence (its
//! fixes can miss the other versions that passed).
//!
//! Answers borrow from the data (`&'a Version`, `&'a Publication`, ...), so the HTTP layer can
//! render names, numbers, branches, tags and ids without copying.

pub mod content;
pub mod names;
pub mod pacts;

mod can_i_deploy;
mod coupling;
mod graph;
mod index;
mod matrix;
mod model;
mod pending;
mod plan;
mod selectors;
mod summary;

#[cfg(test)]
mod scale;
#[cfg(test)]
mod scale_coupling;
#[cfg(test)]
mod scenario;

pub(crate) use can_i_deploy::{
    CanIDeployAnswer, CanIDeployError, CanIDeployQuery, Counts, DeployRow, IgnoreSelector,
    RowStatus, SpecifiedVersion, Target, VersionSpec, can_i_deploy, failed_interactions,
};
pub(crate) use coupling::{
    Chains, CoDeployOptions, CouplingError, CouplingQuery, CouplingReport, Cycle, coupling_report,
};
pub(crate) use graph::{EdgeKind, GraphError, ServiceGraph};
pub(crate) use index::Index;
pub(crate) use matrix::{LatestBy, MatrixError, MatrixQuery, MatrixRow, MatrixSelector, matrix};
pub(crate) use model::{
    Branch, BrokerData, ContentSummary, DeployedVersion, Environment, EnvironmentId, Pacticipant,
    PacticipantId, Publication, PublicationId, ReleasedVersion, Verification, VerificationId,
    Version, VersionId,
};
pub(crate) use plan::{
    BlockingRow, DeploymentPlan, PlanError, PlanOutcome, PlanQuery, PlanStep, ServiceVersion,
    plan_deployment,
};
pub(crate) use selectors::{
    ConsumerVersionSelector, PactsForVerificationError, PactsForVerificationQuery, VerifiablePact,
    pacts_for_verification,
};
pub(crate) use summary::summarise_contract;
