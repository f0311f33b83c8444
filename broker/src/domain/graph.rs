//! The service graph: which application relies on which, from the contracts of the versions
//! that matter now. Nodes are pacticipants; an edge goes from a consumer to a provider it has
//! a contract with, labelled with the kind of interactions (HTTP requests, messages, or both),
//! how many there are and how many distinct fields the consumer relies on.
//!
//! "The versions that matter" are either those currently deployed to (or released and supported
//! in) an environment, or the latest version on each pacticipant's main branch. The graph is
//! the input of the coupling findings (`coupling.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::index::Index;
use super::model::{ContentSummary, PacticipantId, Version};

/// Whose contracts make up the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GraphScope {
    /// The versions currently deployed to, or released and supported in, the environment.
    Environment(String),
    /// The latest version on each pacticipant's main branch (pacticipants without a main
    /// branch, or without versions on it, take no part).
    MainBranches,
}

/// How a consumer talks to a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EdgeKind {
    Http,
    Message,
    HttpAndMessage,
    /// No content summary was supplied for the edge's contracts (or they hold no interactions).
    Unknown,
}

impl EdgeKind {
    fn of(http: u32, message: u32) -> Self {
        match (http > 0, message > 0) {
            (true, true) => EdgeKind::HttpAndMessage,
            (true, false) => EdgeKind::Http,
            (false, true) => EdgeKind::Message,
            (false, false) => EdgeKind::Unknown,
        }
    }

    /// Whether some of the edge's interactions are messages.
    pub(crate) fn has_messages(self) -> bool {
        matches!(self, EdgeKind::Message | EdgeKind::HttpAndMessage)
    }
}

/// An application in the graph, with the versions that put it there (empty for a provider
/// that consumers rely on but that has no version in scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GraphNode {
    pub(crate) name: String,
    pub(crate) versions: Vec<String>,
}

/// One contract behind an edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct EdgeContract {
    pub(crate) consumer_version: String,
    pub(crate) content_sha: String,
}

/// Consumer relies on provider. When several consumer versions are in scope (several
/// application instances, or several supported releases), the interaction counts are the
/// largest of their contents and the fields are the union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GraphEdge {
    pub(crate) consumer: String,
    pub(crate) provider: String,
    pub(crate) kind: EdgeKind,
    pub(crate) http_interactions: u32,
    pub(crate) message_interactions: u32,
    /// Distinct fields (request and response parts, message content leaves) relied on.
    pub(crate) fields: usize,
    pub(crate) contracts: Vec<EdgeContract>,
}

/// Nodes sorted by name; edges sorted by consumer then provider, at most one per pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceGraph {
    pub(crate) scope: GraphScope,
    pub(crate) nodes: Vec<GraphNode>,
    pub(crate) edges: Vec<GraphEdge>,
}

/// The scope names an environment that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum GraphError {
    #[error("no environment named {0:?}")]
    UnknownEnvironment(String),
}

impl ServiceGraph {
    /// Position of a node by name.
    pub(crate) fn node(&self, name: &str) -> Option<usize> {
        self.nodes
            .binary_search_by(|n| n.name.as_str().cmp(name))
            .ok()
    }

    /// For each node (by position), the positions of the providers it relies on, ascending.
    pub(crate) fn successors(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.nodes.len()];
        for e in &self.edges {
            if let (Some(c), Some(p)) = (self.node(&e.consumer), self.node(&e.provider)) {
                out[c].push(p);
            }
        }
        for list in &mut out {
            list.sort_unstable();
            list.dedup();
        }
        out
    }

    /// The edge from consumer to provider, if any (what the tests look edges up by).
    #[cfg(test)]
    pub(crate) fn edge(&self, consumer: &str, provider: &str) -> Option<&GraphEdge> {
        self.edges
            .binary_search_by(|e| {
                (e.consumer.as_str(), e.provider.as_str()).cmp(&(consumer, provider))
            })
            .ok()
            .map(|i| &self.edges[i])
    }
}

/// Builds the graph for a scope.
pub(crate) fn service_graph(
    index: &Index<'_>,
    scope: &GraphScope,
) -> Result<ServiceGraph, GraphError> {
    let data = index.data();
    let mut in_scope: BTreeMap<PacticipantId, Vec<&Version>> = BTreeMap::new();
    match scope {
        GraphScope::Environment(name) => {
            let environment = index
                .environment_named(name)
                .ok_or_else(|| GraphError::UnknownEnvironment(name.clone()))?;
            for p in &data.pacticipants {
                let mut versions: Vec<&Version> = index
                    .in_environment(environment.id, p.id)
                    .iter()
                    .filter_map(|(v, _)| index.version(*v))
                    .collect();
                versions.dedup_by_key(|v| v.id);
                if !versions.is_empty() {
                    in_scope.insert(p.id, versions);
                }
            }
        }
        GraphScope::MainBranches => {
            for p in &data.pacticipants {
                let Some(branch) = &p.main_branch else {
                    continue;
                };
                if let Some(v) = index.versions_on_branch(p.id, branch).last() {
                    in_scope.insert(p.id, vec![*v]);
                }
            }
        }
    }

    let summaries: HashMap<&str, &ContentSummary> = data
        .content_summaries
        .iter()
        .map(|c| (c.content_sha.as_str(), c))
        .collect();
    let name = |id: PacticipantId| index.pacticipant(id).map(|p| p.name.clone());
    let mut nodes: BTreeMap<String, GraphNode> = BTreeMap::new();
    let mut edges: BTreeMap<(String, String), EdgeBuilder<'_>> = BTreeMap::new();
    for (pacticipant, versions) in &in_scope {
        let Some(consumer) = name(*pacticipant) else {
            continue;
        };
        nodes.insert(
            consumer.clone(),
            GraphNode {
                name: consumer.clone(),
                versions: versions.iter().map(|v| v.number.clone()).collect(),
            },
        );
        for version in versions {
            for pact in index.pacts_of_consumer_version(version.id) {
                if pact.provider == *pacticipant {
                    continue;
                }
                let Some(provider) = name(pact.provider) else {
                    continue;
                };
                let edge = edges.entry((consumer.clone(), provider)).or_default();
                edge.contracts.insert(EdgeContract {
                    consumer_version: version.number.clone(),
                    content_sha: pact.content_sha.clone(),
                });
                if let Some(summary) = summaries.get(pact.content_sha.as_str()) {
                    edge.http = edge.http.max(summary.http_interactions);
                    edge.message = edge.message.max(summary.message_interactions);
                    edge.fields
                        .extend(summary.fields.iter().map(String::as_str));
                }
            }
        }
    }
    for (_, provider) in edges.keys() {
        nodes.entry(provider.clone()).or_insert_with(|| GraphNode {
            name: provider.clone(),
            versions: Vec::new(),
        });
    }
    let edges = edges
        .into_iter()
        .map(|((consumer, provider), e)| GraphEdge {
            consumer,
            provider,
            kind: EdgeKind::of(e.http, e.message),
            http_interactions: e.http,
            message_interactions: e.message,
            fields: e.fields.len(),
            contracts: e.contracts.into_iter().collect(),
        })
        .collect();
    Ok(ServiceGraph {
        scope: scope.clone(),
        nodes: nodes.into_values().collect(),
        edges,
    })
}

#[derive(Default)]
struct EdgeBuilder<'d> {
    contracts: BTreeSet<EdgeContract>,
    http: u32,
    message: u32,
    fields: BTreeSet<&'d str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scenario::Scenario;

    /// web calls orders over HTTP; orders calls stock over HTTP and consumes its events.
    fn shop() -> Scenario {
        let mut s = Scenario::new();
        for name in ["web", "orders", "stock"] {
            s.main_branch(name, "main");
        }
        s.publish_on("web", "1", "main", "orders", "web-orders-1")
            .summarise(
                "web-orders-1",
                2,
                0,
                &[
                    "GET /orders response.body$.id",
                    "GET /orders response.body$.total",
                ],
            )
            .publish_on("orders", "1", "main", "stock", "orders-stock-1")
            .summarise(
                "orders-stock-1",
                1,
                2,
                &[
                    "GET /stock/{id} response.body$.count",
                    "message stock-changed body$.sku",
                ],
            )
            .branch("stock", "1", "main")
            .deploy("web", "1", "production")
            .deploy("orders", "1", "production")
            .deploy("stock", "1", "production");
        // A newer orders on main drops the HTTP call and relies on more event fields.
        s.publish_on("orders", "2", "main", "stock", "orders-stock-2")
            .summarise(
                "orders-stock-2",
                0,
                2,
                &[
                    "message stock-changed body$.sku",
                    "message stock-changed body$.count",
                    "message stock-changed metadata.topic",
                ],
            );
        s
    }

    fn graph(s: &Scenario, scope: GraphScope) -> ServiceGraph {
        service_graph(&Index::new(s.data()), &scope).unwrap()
    }

    #[test]
    fn the_environment_graph_uses_the_deployed_versions_contracts() {
        let s = shop();
        let g = graph(&s, GraphScope::Environment("production".into()));
        let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["orders", "stock", "web"]);
        assert_eq!(g.edges.len(), 2);
        let orders_stock = g.edge("orders", "stock").unwrap();
        assert_eq!(orders_stock.kind, EdgeKind::HttpAndMessage);
        assert_eq!(
            (
                orders_stock.http_interactions,
                orders_stock.message_interactions
            ),
            (1, 2)
        );
        assert_eq!(orders_stock.fields, 2);
        assert_eq!(
            orders_stock.contracts,
            [EdgeContract {
                consumer_version: "1".into(),
                content_sha: "orders-stock-1".into()
            }]
        );
        let web_orders = g.edge("web", "orders").unwrap();
        assert_eq!((web_orders.kind, web_orders.fields), (EdgeKind::Http, 2));
        assert!(g.edge("stock", "orders").is_none());
    }

    #[test]
    fn the_main_branch_graph_uses_each_main_branch_head() {
        let s = shop();
        let g = graph(&s, GraphScope::MainBranches);
        let orders_stock = g.edge("orders", "stock").unwrap();
        assert_eq!(orders_stock.kind, EdgeKind::Message);
        assert_eq!(orders_stock.fields, 3);
        assert_eq!(orders_stock.contracts[0].consumer_version, "2");
        let orders = &g.nodes[g.node("orders").unwrap()];
        assert_eq!(orders.versions, ["2"]);
    }

    #[test]
    fn several_versions_in_the_environment_merge_their_fields_and_a_missing_provider_is_a_node() {
        let mut s = shop();
        s.deploy_instance("orders", "2", "production", Some("eu"))
            .publish("web", "1", "payments", "web-payments-1");
        let g = graph(&s, GraphScope::Environment("production".into()));
        let orders_stock = g.edge("orders", "stock").unwrap();
        assert_eq!(orders_stock.kind, EdgeKind::HttpAndMessage);
        assert_eq!(
            (
                orders_stock.http_interactions,
                orders_stock.message_interactions
            ),
            (1, 2)
        );
        assert_eq!(orders_stock.fields, 4, "union of both contents' fields");
        assert_eq!(orders_stock.contracts.len(), 2);
        let payments = &g.nodes[g.node("payments").unwrap()];
        assert!(payments.versions.is_empty());
        assert_eq!(g.edge("web", "payments").unwrap().kind, EdgeKind::Unknown);
    }

    #[test]
    fn an_unknown_environment_is_an_error() {
        let s = shop();
        let err = service_graph(
            &Index::new(s.data()),
            &GraphScope::Environment("moon".into()),
        );
        assert_eq!(err, Err(GraphError::UnknownEnvironment("moon".into())));
    }

    #[test]
    fn successors_follow_consumer_to_provider() {
        let g = graph(&shop(), GraphScope::Environment("production".into()));
        let (orders, stock, web) = (0, 1, 2);
        assert_eq!(g.successors(), vec![vec![stock], vec![], vec![orders]]);
        assert_eq!(g.node("web"), Some(web));
    }
}
