//! Coupling findings: the symptoms of a distributed monolith, each with the evidence that
//! produced it, so that a team can check it and act on it (see `broker/COUPLING.md`).
//!
//! - [`Cycle`]s: services that rely on each other in a loop, through HTTP and/or messages;
//! - [`LockstepGroup`]s: candidate versions that can only be deployed together;
//! - [`CoDeployment`]s: services whose recorded deployments mostly happen together;
//! - [`Hub`]s and the longest dependency [`Chains`]: where a change spreads furthest.
//!
//! The graph findings read the [`ServiceGraph`]; lockstep asks can-i-deploy (through the
//! same set question as deployment planning); co-deployment reads the deployment history.

mod co_deploy;
mod lockstep;
mod structure;

pub(crate) use co_deploy::{CoDeployOptions, CoDeployment, co_deployments};
pub(crate) use lockstep::{
    AloneBlocked, Candidates, LockstepGroup, MAX_GROUP, candidate_versions, lockstep_groups,
};
pub(crate) use structure::{
    Chains, Cycle, Hub, MAX_CHAINS, cycles, hubs, longest_chains, strongly_connected,
};

use super::can_i_deploy::{CanIDeployError, IgnoreSelector};
use super::graph::{GraphError, GraphScope, ServiceGraph, service_graph};
use super::index::Index;
use super::plan::ServiceVersion;

/// What to analyse.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CouplingQuery {
    /// The environment whose deployments the lockstep search starts from and whose history
    /// co-deployment reads.
    pub(crate) environment: String,
    /// Whose contracts make up the graph (cycles, hubs, chains).
    pub(crate) graph: GraphScope,
    pub(crate) candidates: Candidates,
    /// As in can-i-deploy: rows with these pacticipants do not block.
    pub(crate) ignore: Vec<IgnoreSelector>,
    pub(crate) co_deploy: CoDeployOptions,
}

/// Every finding for one question.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CouplingReport {
    pub(crate) graph: ServiceGraph,
    pub(crate) cycles: Vec<Cycle>,
    /// The candidate versions the lockstep search looked at.
    pub(crate) candidates: Vec<ServiceVersion>,
    pub(crate) lockstep: Vec<LockstepGroup>,
    pub(crate) co_deployments: Vec<CoDeployment>,
    pub(crate) hubs: Vec<Hub>,
    pub(crate) longest_chains: Chains,
}

/// A question naming an environment or pacticipant that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CouplingError {
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    CanIDeploy(#[from] CanIDeployError),
}

/// Computes every finding.
pub(crate) fn coupling_report(
    index: &Index<'_>,
    query: &CouplingQuery,
) -> Result<CouplingReport, CouplingError> {
    if index.environment_named(&query.environment).is_none() {
        return Err(GraphError::UnknownEnvironment(query.environment.clone()).into());
    }
    let graph = service_graph(index, &query.graph)?;
    let candidates = candidate_versions(index, &query.environment, &query.candidates);
    let lockstep = lockstep_groups(index, &query.environment, &query.ignore, &candidates)?;
    let co_deployments =
        co_deployments(index, &query.environment, &query.co_deploy).unwrap_or_default();
    Ok(CouplingReport {
        cycles: cycles(&graph),
        hubs: hubs(&graph),
        longest_chains: longest_chains(&graph),
        graph,
        candidates,
        lockstep,
        co_deployments,
    })
}

#[cfg(test)]
mod tests;
