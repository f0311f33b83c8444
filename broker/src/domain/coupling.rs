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
pub(crate) use lockstep::{LockstepGroup, candidate_versions, lockstep_groups};
pub(crate) use structure::{Chains, Cycle, Hub, cycles, hubs, longest_chains};

use super::can_i_deploy::{CanIDeployError, IgnoreSelector};
use super::graph::{GraphError, GraphScope, ServiceGraph, service_graph};
use super::index::Index;
use super::plan::ServiceVersion;

/// What to analyse.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CouplingQuery {
    /// With an environment, the graph is made of the versions in it, lockstep groups are
    /// searched among the main-branch heads not yet there, and co-deployment reads its
    /// history. Without one, the graph is made of the main-branch heads and only the graph
    /// findings (cycles, hubs, chains) are computed.
    pub(crate) environment: Option<String>,
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
    let (graph, candidates, lockstep, co_deployments) = match &query.environment {
        Some(environment) => {
            let graph = service_graph(index, &GraphScope::Environment(environment.clone()))?;
            let candidates = candidate_versions(index, environment);
            let lockstep = lockstep_groups(index, environment, &query.ignore, &candidates)?;
            let co_deployments =
                co_deployments(index, environment, &query.co_deploy).unwrap_or_default();
            (graph, candidates, lockstep, co_deployments)
        }
        None => {
            let graph = service_graph(index, &GraphScope::MainBranches)?;
            (graph, Vec::new(), Vec::new(), Vec::new())
        }
    };
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
