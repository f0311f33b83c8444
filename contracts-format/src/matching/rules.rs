//! Rule selection: which rule list applies at a node of a document, by "most specific path
//! expression wins", with rules of ancestors cascading to their descendants.
//!
//! Rule paths are parsed once per match into a [`RuleSet`]: a trie of their steps, so rules
//! sharing a prefix (`$.items[*].id`, `$.items[*].name`...) are followed as one. Walks do not
//! follow the trie themselves: [`RuleStates`](super::states::RuleStates) turns it into states
//! of the nodes of a document.

use indexmap::IndexMap;

use crate::datefmt::DatePattern;
use crate::model::{Matcher, RuleList};
use crate::path::{Step, parse_into};

/// Rule lists of one category (body, or a variant of `arrayContains`) with parsed keys.
#[derive(Debug)]
pub(crate) struct RuleSet<'r> {
    /// The trie of the rules' steps; node 0 is the root `$`.
    nodes: Vec<TrieNode>,
    /// The steps out of the trie's nodes, as lists linked from [`TrieNode::first`] (one
    /// vector for the whole trie rather than one per node: a set is built for every match).
    edges: Vec<Edge<'r>>,
    rules: Vec<Rule<'r>>,
}

/// No edge: the end of a node's list.
const NO_EDGE: u32 = u32::MAX;

#[derive(Debug)]
struct TrieNode {
    /// The first step out of this node in `edges`.
    first: u32,
    /// The first rule (in file order) whose expression ends here.
    rule: Option<usize>,
}

#[derive(Debug)]
struct Edge<'r> {
    step: Step<'r>,
    /// The node the step leads to.
    to: usize,
    /// The next step out of the same node.
    next: u32,
}

#[derive(Debug)]
struct Rule<'r> {
    list: &'r RuleList,
    /// Whether any matcher of the list cascades (see [`cascades`]): an inherited list
    /// without one is no rule at all.
    cascading: bool,
    /// The patterns of the list's date, time and datetime matchers, by matcher index (empty
    /// when there are none).
    dates: Vec<Option<DatePattern<'r>>>,
}

impl<'r> RuleSet<'r> {
    /// Parses the keys of `rules`; with `xml`, index steps are dropped (XML nodes are
    /// addressed by names). Keys that do not parse never apply.
    pub(crate) fn new(rules: Option<&'r IndexMap<String, RuleList>>, xml: bool) -> Self {
        let count = rules.map_or(0, IndexMap::len);
        let mut set = RuleSet {
            nodes: Vec::with_capacity(1 + 3 * count),
            edges: Vec::with_capacity(3 * count),
            rules: Vec::with_capacity(count),
        };
        set.nodes.push(TrieNode {
            first: NO_EDGE,
            rule: None,
        });
        let mut steps = Vec::with_capacity(8);
        for (key, list) in rules.into_iter().flatten() {
            steps.clear();
            if parse_into(key, &mut steps).is_err() {
                continue;
            }
            if xml {
                steps.retain(|step| !step.is_index());
            }
            let mut node = 0;
            for step in steps.drain(..) {
                let found = set.steps(node).find(|(s, _)| **s == step).map(|(_, to)| to);
                node = match found {
                    Some(to) => to,
                    None => set.add_edge(node, step),
                };
            }
            let index = set.rules.len();
            set.nodes[node].rule.get_or_insert(index);
            set.rules.push(Rule {
                list,
                cascading: list.matchers.iter().any(cascades),
                dates: date_patterns(list),
            });
        }
        set
    }

    /// Adds a node reached from `from` by `step`.
    fn add_edge(&mut self, from: usize, step: Step<'r>) -> usize {
        let to = self.nodes.len();
        self.nodes.push(TrieNode {
            first: NO_EDGE,
            rule: None,
        });
        let edge = u32::try_from(self.edges.len()).expect("fewer steps than rule keys");
        self.edges.push(Edge {
            step,
            to,
            next: self.nodes[from].first,
        });
        self.nodes[from].first = edge;
        to
    }

    /// The steps out of trie node `node` (0 is the root `$`), with the nodes they lead to.
    pub(super) fn steps(&self, node: usize) -> impl Iterator<Item = (&Step<'r>, usize)> {
        let mut edge = self.nodes[node].first;
        std::iter::from_fn(move || {
            let e = self.edges.get(edge as usize)?;
            edge = e.next;
            Some((&e.step, e.to))
        })
    }

    /// True when no step leads out of trie node `node`.
    pub(super) fn is_leaf(&self, node: usize) -> bool {
        self.nodes[node].first == NO_EDGE
    }

    /// The first rule whose expression ends at trie node `node`.
    pub(super) fn rule_at(&self, node: usize) -> Option<usize> {
        self.nodes[node].rule
    }

    /// The rule list of rule `rule`, and whether any of its matchers cascades to the
    /// descendants of the node it is set on.
    pub(super) fn list(&self, rule: usize) -> (&'r RuleList, bool) {
        let rule = &self.rules[rule];
        (rule.list, rule.cascading)
    }

    /// The pre-read pattern of matcher `matcher` of rule `rule`, for date matchers.
    pub(crate) fn date_pattern(&self, rule: usize, matcher: usize) -> Option<&DatePattern<'r>> {
        self.rules.get(rule)?.dates.get(matcher)?.as_ref()
    }
}

/// The patterns of the date, time and datetime matchers of `list`, by matcher index; empty
/// when it has none. (Times and date-times without a pattern accept ISO 8601 forms: they
/// have none.)
fn date_patterns(list: &RuleList) -> Vec<Option<DatePattern<'_>>> {
    fn format(m: &Matcher) -> Option<&str> {
        match m {
            Matcher::Date(Some(f)) | Matcher::Time(Some(f)) | Matcher::DateTime(Some(f)) => {
                Some(f.as_str())
            }
            Matcher::Date(None) => Some(crate::datefmt::DEFAULT_DATE),
            _ => None,
        }
    }
    if !list.matchers.iter().any(|m| format(m).is_some()) {
        return Vec::new();
    }
    list.matchers
        .iter()
        .map(|m| format(m).and_then(DatePattern::new))
        .collect()
}

/// True for matchers that keep applying to the descendants of the node they are set on.
pub(crate) fn cascades(matcher: &Matcher) -> bool {
    !matches!(
        matcher,
        Matcher::Values
            | Matcher::EachKey { .. }
            | Matcher::EachValue { .. }
            | Matcher::ArrayContains(_)
            | Matcher::NotEmpty
            | Matcher::StatusCode(_)
            | Matcher::ContentType(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_matchers_do_not_cascade() {
        assert!(!cascades(&Matcher::NotEmpty));
        assert!(cascades(&Matcher::Type {
            min: None,
            max: None
        }));
    }
}
