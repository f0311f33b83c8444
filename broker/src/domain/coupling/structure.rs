//! Findings from the shape of the service graph alone: dependency cycles (strongly connected
//! components), fan-in and fan-out, and the longest dependency chains.

use std::collections::VecDeque;

use crate::domain::graph::{GraphEdge, ServiceGraph};

/// Services that depend on each other in a loop, through HTTP and/or messages: none of them
/// can be reasoned about, tested or released without the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cycle {
    /// The services of the strongly connected component, sorted by name.
    pub(crate) services: Vec<String>,
    /// One shortest loop through the component, starting and ending at its first service:
    /// `["a", "b", "c", "a"]` reads "a relies on b, b on c, c on a".
    pub(crate) path: Vec<String>,
    /// Every graph edge between two services of the component (the evidence).
    pub(crate) edges: Vec<GraphEdge>,
    /// Some edge of the component is (partly) a message contract: a hidden cycle that HTTP
    /// call graphs do not show.
    pub(crate) through_messages: bool,
}

/// How many services a service relies on and how many rely on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hub {
    pub(crate) service: String,
    /// Consumers relying on it directly.
    pub(crate) fan_in: usize,
    /// Providers it relies on directly.
    pub(crate) fan_out: usize,
    pub(crate) consumers: Vec<String>,
    pub(crate) providers: Vec<String>,
    /// Services that rely on it directly or transitively: who a breaking change could reach.
    pub(crate) blast_radius: usize,
}

/// The longest dependency chains, over the graph with each cycle collapsed into one link so
/// that a chain never loops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chains {
    /// Links in the longest chain (1 when no service relies on another).
    pub(crate) depth: usize,
    /// Up to [`MAX_CHAINS`] chains of that depth, each a list of links from the outermost
    /// consumer to the innermost provider; a link is one service, or the services of a cycle.
    pub(crate) chains: Vec<Vec<Vec<String>>>,
}

/// Most chains listed (there may be exponentially many of the same depth).
pub(crate) const MAX_CHAINS: usize = 10;

/// Strongly connected components (Tarjan, with an explicit stack so that deep graphs do not
/// overflow the call stack). Components come out in reverse topological order: every
/// component that a component reaches comes out before it. Members are ascending.
pub(crate) fn strongly_connected(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = successors.len();
    let mut t = Tarjan {
        order: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
    };
    let mut components = Vec::new();
    // (node, how many of its successors were handled)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if t.order[root] != UNSEEN {
            continue;
        }
        t.visit(root);
        calls.push((root, 0));
        while let Some((v, handled)) = calls.last_mut() {
            let v = *v;
            if let Some(&w) = successors[v].get(*handled) {
                *handled += 1;
                if t.order[w] == UNSEEN {
                    t.visit(w);
                    calls.push((w, 0));
                } else if t.on_stack[w] {
                    t.low[v] = t.low[v].min(t.order[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                t.low[parent] = t.low[parent].min(t.low[v]);
            }
            if t.low[v] == t.order[v] {
                let mut component = Vec::new();
                while let Some(w) = t.stack.pop() {
                    t.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components
}

const UNSEEN: usize = usize::MAX;

/// Tarjan's bookkeeping: discovery order, lowest order reachable, and the node stack.
struct Tarjan {
    order: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
}

impl Tarjan {
    fn visit(&mut self, v: usize) {
        self.order[v] = self.next;
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
    }
}

/// The cycles of a graph: components of more than one service, sorted by their first name.
pub(crate) fn cycles(graph: &ServiceGraph) -> Vec<Cycle> {
    let successors = graph.successors();
    let mut cycles: Vec<Cycle> = strongly_connected(&successors)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|component| {
            let inside = |name: &str| {
                graph
                    .node(name)
                    .is_some_and(|i| component.binary_search(&i).is_ok())
            };
            let edges: Vec<GraphEdge> = graph
                .edges
                .iter()
                .filter(|e| inside(&e.consumer) && inside(&e.provider))
                .cloned()
                .collect();
            let through_messages = edges.iter().any(|e| e.kind.has_messages());
            let path = shortest_loop(&successors, &component)
                .into_iter()
                .map(|i| graph.nodes[i].name.clone())
                .collect();
            Cycle {
                services: component
                    .iter()
                    .map(|&i| graph.nodes[i].name.clone())
                    .collect(),
                path,
                edges,
                through_messages,
            }
        })
        .collect();
    cycles.sort_by(|a, b| a.services.cmp(&b.services));
    cycles
}

/// A shortest loop from the component's first node back to itself, staying inside it
/// (breadth-first).
fn shortest_loop(successors: &[Vec<usize>], component: &[usize]) -> Vec<usize> {
    let start = component[0];
    let inside = |v: usize| component.binary_search(&v).is_ok();
    let mut parent = vec![usize::MAX; successors.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &successors[v] {
            if w == start {
                let mut back = Vec::new();
                let mut at = v;
                while at != start {
                    back.push(at);
                    at = parent[at];
                }
                let mut path = vec![start];
                path.extend(back.into_iter().rev());
                path.push(start);
                return path;
            }
            if inside(w) && parent[w] == usize::MAX && w != start {
                parent[w] = v;
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

/// Fan-in, fan-out and blast radius of every service, most connected first (by fan-in plus
/// fan-out, then name).
pub(crate) fn hubs(graph: &ServiceGraph) -> Vec<Hub> {
    let successors = graph.successors();
    let n = graph.nodes.len();
    let mut predecessors = vec![Vec::new(); n];
    for (v, list) in successors.iter().enumerate() {
        for &w in list {
            predecessors[w].push(v);
        }
    }
    let names = |list: &[usize]| -> Vec<String> {
        list.iter().map(|&i| graph.nodes[i].name.clone()).collect()
    };
    let mut hubs: Vec<Hub> = (0..n)
        .map(|v| Hub {
            service: graph.nodes[v].name.clone(),
            fan_in: predecessors[v].len(),
            fan_out: successors[v].len(),
            consumers: names(&predecessors[v]),
            providers: names(&successors[v]),
            blast_radius: reachable(&predecessors, v),
        })
        .collect();
    hubs.sort_by(|a, b| {
        (b.fan_in + b.fan_out)
            .cmp(&(a.fan_in + a.fan_out))
            .then_with(|| a.service.cmp(&b.service))
    });
    hubs
}

/// How many nodes `from` reaches (itself excluded).
fn reachable(next: &[Vec<usize>], from: usize) -> usize {
    let mut seen = vec![false; next.len()];
    seen[from] = true;
    let mut stack = vec![from];
    let mut count = 0;
    while let Some(v) = stack.pop() {
        for &w in &next[v] {
            if !seen[w] {
                seen[w] = true;
                count += 1;
                stack.push(w);
            }
        }
    }
    count
}

/// The longest chains of the condensation (each cycle one link).
pub(crate) fn longest_chains(graph: &ServiceGraph) -> Chains {
    let successors = graph.successors();
    let components = strongly_connected(&successors);
    let mut component_of = vec![0; graph.nodes.len()];
    for (c, members) in components.iter().enumerate() {
        for &v in members {
            component_of[v] = c;
        }
    }
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); components.len()];
    for (v, list) in successors.iter().enumerate() {
        for &w in list {
            let (a, b) = (component_of[v], component_of[w]);
            if a != b {
                next[a].push(b);
            }
        }
    }
    for list in &mut next {
        list.sort_unstable();
        list.dedup();
    }
    // Reverse topological order: successors are already measured.
    let mut depth = vec![1usize; components.len()];
    for c in 0..components.len() {
        depth[c] = 1 + next[c].iter().map(|&d| depth[d]).max().unwrap_or(0);
    }
    let longest = depth.iter().copied().max().unwrap_or(0);
    let link = |c: usize| -> Vec<String> {
        components[c]
            .iter()
            .map(|&v| graph.nodes[v].name.clone())
            .collect()
    };
    let mut starts: Vec<usize> = (0..components.len())
        .filter(|&c| depth[c] == longest)
        .collect();
    starts.sort_by_key(|&c| link(c));
    let mut chains = Vec::new();
    for start in starts {
        // Depth-first over links whose depth is one less, names in order.
        let mut stack = vec![vec![start]];
        while let Some(chain) = stack.pop() {
            if chains.len() >= MAX_CHAINS {
                break;
            }
            let last = *chain.last().expect("chains are never empty");
            let mut onward: Vec<usize> = next[last]
                .iter()
                .copied()
                .filter(|&d| depth[d] + 1 == depth[last])
                .collect();
            if onward.is_empty() {
                chains.push(chain.iter().map(|&c| link(c)).collect());
                continue;
            }
            onward.sort_by_key(|&c| std::cmp::Reverse(link(c)));
            for d in onward {
                let mut longer = chain.clone();
                longer.push(d);
                stack.push(longer);
            }
        }
    }
    Chains {
        depth: longest,
        chains,
    }
}
