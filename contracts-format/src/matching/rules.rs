//! Rule selection: which rule list applies at a node of a document, by "most specific path
//! expression wins", with rules of ancestors cascading to their descendants.
//!
//! Rule paths are parsed once per match into a [`RuleSet`]: a trie of their steps, so rules
//! sharing a prefix (`$.items[*].id`, `$.items[*].name`...) are followed as one. A
//! depth-first walk keeps, per node, the trie nodes the path so far reaches (on a shared
//! stack, so the walk allocates nothing per node) and the best rule that has matched
//! completely.

use std::borrow::Cow;

use indexmap::IndexMap;

use crate::datefmt::DatePattern;
use crate::model::{Matcher, RuleList};
use crate::path::{Segment, Step, is_number, parse_into, same_name, step_weight};

/// Rule lists of one category (body, or a variant of `arrayContains`) with parsed keys.
#[derive(Debug)]
pub(crate) struct RuleSet<'r> {
    /// The trie of the rules' steps; node 0 is the root `$`.
    nodes: Vec<TrieNode<'r>>,
    rules: Vec<Rule<'r>>,
}

#[derive(Debug, Default)]
struct TrieNode<'r> {
    /// The named steps out of this node (non-numeric names) and the nodes they lead to.
    fields: Vec<(&'r str, usize)>,
    /// Bit `len % 64` is set for the length of every name of `fields`: most members of a
    /// document are ruled out without comparing names.
    lengths: u64,
    /// The other steps (indexes, wildcards, numeric names) and the nodes they lead to.
    others: Vec<(Step<'r>, usize)>,
    /// The first rule (in file order) whose expression ends here.
    rule: Option<usize>,
}

impl<'r> TrieNode<'r> {
    fn is_leaf(&self) -> bool {
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

fn length_bit(name: &str) -> u64 {
    1 << (name.len() % 64)
}

#[derive(Debug)]
struct Rule<'r> {
    list: &'r RuleList,
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
                                from.lengths |= length_bit(name);
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
            set.rules.push(Rule { list, dates });
        }
        set
    }

    /// The frame of the document root.
    pub(crate) fn root(&self, stack: &mut Vec<Alive>) -> Frame {
        let start = stack.len();
        let root = &self.nodes[0];
        let best = root.rule.map_or(Best::NONE, |rule| Best::new(rule, 2, 0));
        if !root.is_leaf() {
            stack.push(Alive { node: 0, weight: 2 });
        }
        Frame {
            start,
            end: stack.len(),
            best,
            depth: 0,
        }
    }

    /// The frame of the child `segment` of the node of `parent`. Pushes onto `stack`; the
    /// caller truncates the stack to `parent.end` when done with the child.
    pub(crate) fn child(
        &self,
        stack: &mut Vec<Alive>,
        parent: &Frame,
        segment: Segment<'_>,
    ) -> Frame {
        let start = stack.len();
        let depth = parent.depth + 1;
        let mut best = Best {
            inherited: true,
            ..parent.best
        };
        for k in parent.start..parent.end {
            let alive = stack[k];
            let node = &self.nodes[alive.node];
            let mut reach = |to: usize, factor: u64, stack: &mut Vec<Alive>| {
                let weight = alive.weight.saturating_mul(factor);
                let next = &self.nodes[to];
                if let Some(rule) = next.rule {
                    best = better(best, Best::new(rule, weight, depth));
                }
                if !next.is_leaf() {
                    stack.push(Alive { node: to, weight });
                }
            };
            if let Segment::Field(name) = segment
                && node.lengths & length_bit(name) != 0
            {
                for &(field, to) in &node.fields {
                    if same_name(field, name) {
                        reach(to, 2, stack);
                    }
                }
            }
            for (step, to) in &node.others {
                let factor = step_weight(step, segment);
                if factor != 0 {
                    reach(*to, factor, stack);
                }
            }
        }
        Frame {
            start,
            end: stack.len(),
            best,
            depth,
        }
    }

    /// The rules that apply at the node of `frame`.
    pub(crate) fn resolve(&self, frame: &Frame) -> Option<Applied<'r>> {
        let best = frame.best;
        (best.rule != NO_RULE).then(|| Applied {
            list: self.rules[best.rule as usize].list,
            inherited: best.inherited,
            rule: best.rule as usize,
        })
    }

    /// The pre-read pattern of matcher `matcher` of rule `rule`, for date matchers.
    pub(crate) fn date_pattern(&self, rule: usize, matcher: usize) -> Option<&DatePattern<'r>> {
        self.rules.get(rule)?.dates.get(matcher)?.as_ref()
    }
}

/// A trie node the path so far reaches, with the weight of the steps that led there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Alive {
    node: usize,
    weight: u64,
}

/// The rule state at one node of a walk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    start: usize,
    /// End of this frame's entries on the stack: truncate to this after visiting a child.
    pub(crate) end: usize,
    best: Best,
    depth: u32,
}

/// No rule: [`Best::NONE`].
const NO_RULE: u32 = u32::MAX;

/// The best rule so far at a node (plain integers rather than an `Option` of a struct with a
/// `bool`, which copies badly: frames are copied for every node of a walk).
#[derive(Debug, Clone, Copy)]
struct Best {
    weight: u64,
    rule: u32,
    depth: u32,
    inherited: bool,
}

impl Best {
    /// No rule applies; any candidate beats it (candidates weigh at least 2).
    const NONE: Best = Best {
        weight: 0,
        rule: NO_RULE,
        depth: 0,
        inherited: false,
    };

    fn new(rule: usize, weight: u64, depth: u32) -> Self {
        Best {
            weight,
            rule: u32::try_from(rule).unwrap_or(NO_RULE - 1),
            depth,
            inherited: false,
        }
    }
}

/// Higher weight wins; on a tie the rule that matched deeper (more specific) wins, then the
/// earlier one in the file.
fn better(c: Best, candidate: Best) -> Best {
    if (c.weight, c.depth) > (candidate.weight, candidate.depth)
        || ((c.weight, c.depth) == (candidate.weight, candidate.depth) && c.rule <= candidate.rule)
    {
        c
    } else {
        candidate
    }
}

/// The rule list that applies at a node, and whether it was inherited from an ancestor.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Applied<'r> {
    pub(crate) list: &'r RuleList,
    /// Inherited rules lose their length bounds, and matchers that describe a container
    /// rather than values (`values`, `eachKey`, `arrayContains`...) do not cascade.
    pub(crate) inherited: bool,
    /// Which rule of the set, for [`RuleSet::date_pattern`].
    pub(crate) rule: usize,
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
    use crate::model::{Combine, Pattern};

    fn list(matcher: Matcher) -> RuleList {
        RuleList {
            matchers: vec![matcher],
            combine: Combine::And,
        }
    }

    #[test]
    fn most_specific_rule_wins_and_cascades() {
        let mut map = IndexMap::new();
        map.insert(
            "$.items".to_owned(),
            list(Matcher::Type {
                min: Some(1),
                max: None,
            }),
        );
        map.insert("$.items[*].id".to_owned(), list(Matcher::Integer));
        map.insert(
            "$.items[1].id".to_owned(),
            list(Matcher::Regex(Pattern::new("7"))),
        );
        let set = RuleSet::new(Some(&map), false);
        let mut stack = Vec::new();
        let root = set.root(&mut stack);
        assert!(set.resolve(&root).is_none());
        let items = set.child(&mut stack, &root, Segment::Field("items"));
        let applied = set.resolve(&items).unwrap();
        assert!(!applied.inherited);
        assert_eq!(applied.list.matchers[0].name(), "type");
        let first = set.child(&mut stack, &items, Segment::Index(0));
        assert!(set.resolve(&first).unwrap().inherited);
        let id = set.child(&mut stack, &first, Segment::Field("id"));
        assert_eq!(set.resolve(&id).unwrap().list.matchers[0].name(), "integer");
        stack.truncate(items.end);
        let second = set.child(&mut stack, &items, Segment::Index(1));
        let id = set.child(&mut stack, &second, Segment::Field("id"));
        assert_eq!(set.resolve(&id).unwrap().list.matchers[0].name(), "regex");
        let name = set.child(&mut stack, &second, Segment::Field("name"));
        let applied = set.resolve(&name).unwrap();
        assert!(applied.inherited);
        assert_eq!(applied.list.matchers[0].name(), "type");
    }

    #[test]
    fn equal_expressions_share_a_trie_node_and_the_first_wins() {
        let mut map = IndexMap::new();
        map.insert("$.items[*].id".to_owned(), list(Matcher::Integer));
        map.insert("$['items'][*]['id']".to_owned(), list(Matcher::Decimal));
        map.insert("$.items.1.id".to_owned(), list(Matcher::Boolean));
        map.insert("$.items[1].id".to_owned(), list(Matcher::Null));
        let set = RuleSet::new(Some(&map), false);
        let mut stack = Vec::new();
        let root = set.root(&mut stack);
        let items = set.child(&mut stack, &root, Segment::Field("items"));
        let first = set.child(&mut stack, &items, Segment::Index(0));
        let id = set.child(&mut stack, &first, Segment::Field("id"));
        assert_eq!(set.resolve(&id).unwrap().list.matchers[0].name(), "integer");
        stack.truncate(items.end);
        // `.1` and `[1]` weigh the same; the one written first wins.
        let second = set.child(&mut stack, &items, Segment::Index(1));
        let id = set.child(&mut stack, &second, Segment::Field("id"));
        assert_eq!(set.resolve(&id).unwrap().list.matchers[0].name(), "boolean");
        // A name of another length never matches.
        let other = set.child(&mut stack, &second, Segment::Field("identifier"));
        assert!(set.resolve(&other).is_none());
    }

    #[test]
    fn container_matchers_do_not_cascade() {
        assert!(!cascades(&Matcher::NotEmpty));
        assert!(cascades(&Matcher::Type {
            min: None,
            max: None
        }));
    }
}
