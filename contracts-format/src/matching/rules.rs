//! Rule selection: which rule list applies at a node of a document, by "most specific path
//! expression wins", with rules of ancestors cascading to their descendants.
//!
//! Rule paths are parsed once per match into a [`RuleSet`]: a trie of their steps, so rules
//! sharing a prefix (`$.items[*].id`, `$.items[*].name`...) are followed as one. Walks do not
//! follow the trie themselves: [`RuleStates`](super::states::RuleStates) turns it into states
//! of the nodes of a document.

use std::borrow::Cow;

use indexmap::IndexMap;

use crate::datefmt::DatePattern;
use crate::model::{Matcher, RuleList};
use crate::path::{Step, is_number, parse_into};

/// Rule lists of one category (body, or a variant of `arrayContains`) with parsed keys.
#[derive(Debug)]
pub(crate) struct RuleSet<'r> {
    /// The trie of the rules' steps; node 0 is the root `$`.
    nodes: Vec<TrieNode<'r>>,
    rules: Vec<Rule<'r>>,
}

#[derive(Debug, Default)]
pub(super) struct TrieNode<'r> {
    /// The named steps out of this node (non-numeric names) and the nodes they lead to.
    pub(super) fields: Vec<(&'r str, usize)>,
    /// The other steps (indexes, wildcards, numeric or escaped names) and the nodes they
    /// lead to.
    pub(super) others: Vec<(Step<'r>, usize)>,
    /// The first rule (in file order) whose expression ends here.
    pub(super) rule: Option<usize>,
}

impl<'r> TrieNode<'r> {
    pub(super) fn is_leaf(&self) -> bool {
        self.fields.is_empty() && self.others.is_empty()
    }

    /// The node the step leads to, if the trie has it.
    fn find(&self, step: &Step<'r>) -> Option<usize> {
        match step {
            Step::Field(name) if !step.is_index() => self
                .fields
                .iter()
                .find(|(n, _)| *n == name.as_ref())
                .map(|&(_, to)| to),
            _ => self
                .others
                .iter()
                .find(|(s, _)| s == step)
                .map(|&(_, to)| to),
        }
    }
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
        let mut nodes = Vec::with_capacity(1 + 3 * count);
        nodes.push(TrieNode::default());
        let mut set = RuleSet {
            nodes,
            rules: Vec::with_capacity(count),
        };
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
                node = match set.nodes[node].find(&step) {
                    Some(to) => to,
                    None => {
                        let to = set.nodes.len();
                        set.nodes.push(TrieNode::default());
                        let from = &mut set.nodes[node];
                        match step {
                            // Names borrow from the rule keys, which live as long as the set.
                            Step::Field(Cow::Borrowed(name)) if !is_number(name) => {
                                from.fields.push((name, to));
                            }
                            other => from.others.push((other, to)),
                        }
                        to
                    }
                };
            }
            let index = set.rules.len();
            set.nodes[node].rule.get_or_insert(index);
            let date_format = |m: &'r Matcher| match m {
                Matcher::Date(Some(f)) | Matcher::Time(Some(f)) | Matcher::DateTime(Some(f)) => {
                    Some(f.as_str())
                }
                _ => None,
            };
            let dates = if list.matchers.iter().any(|m| date_format(m).is_some()) {
                list.matchers
                    .iter()
                    .map(|m| date_format(m).and_then(DatePattern::new))
                    .collect()
            } else {
                Vec::new()
            };
            set.rules.push(Rule {
                list,
                cascading: list.matchers.iter().any(cascades),
                dates,
            });
        }
        set
    }

    /// The trie node `index` (0 is the root `$`).
    pub(super) fn node(&self, index: usize) -> &TrieNode<'r> {
        &self.nodes[index]
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
