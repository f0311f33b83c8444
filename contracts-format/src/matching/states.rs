//! The rules in force at each node of a document, as the states of an automaton built while
//! the document is walked.
//!
//! The state of a node is what its path from the root leaves to decide the rules below it:
//! the trie nodes of the [`RuleSet`] the path reaches (each with the weight of the steps that
//! led there) and the best rule so far. The state of a child depends only on the parent's
//! state and the child's name or index, and most names and indexes lead to the same state:
//! every element of an array that no rule names by index, every member of an object that no
//! rule names. So [`RuleStates::child`] computes each transition once per walk and
//! afterwards looks it up: the 50 elements of an array share one state (and the states of
//! their members) instead of each re-resolving the rules.
//!
//! Transitions are built only for the names and indexes a walk meets, so the number of
//! states is bounded by the size of the document as well as by the rules.

use super::rules::RuleSet;
use crate::model::{Combine, Matcher};
use crate::path::{Segment, Step, is_number, same_name, step_weight};

/// A state of [`RuleStates`]; [`RuleStates::ROOT`] is the document root's.
pub(crate) type StateId = u32;

/// No state computed yet for a transition.
const UNSET: StateId = StateId::MAX;

/// No rule: [`Best::NONE`].
const NO_RULE: u32 = u32::MAX;

/// The states of one walk over one document.
#[derive(Debug)]
pub(crate) struct RuleStates<'s, 'r> {
    set: &'s RuleSet<'r>,
    states: Vec<State<'r>>,
    /// The trie nodes each state reaches, as ranges of this list.
    alive: Vec<Alive>,
    /// The names each state has a transition of its own for, with its target.
    names: Vec<(&'s str, StateId)>,
    /// The indexes each state has a transition of its own for, with its target.
    indexes: Vec<(usize, StateId)>,
    /// The states of the members of objects, by position (see [`RuleStates::members`]).
    members: Vec<StateId>,
    /// The trie nodes of the state being built.
    scratch: Vec<Alive>,
}

#[derive(Debug, Clone, Copy)]
struct State<'r> {
    /// The rules at a node in this state, read for every node: kept here rather than
    /// looked up through `best`.
    rules: Rules<'r>,
    alive: (u32, u32),
    names: (u32, u32),
    indexes: (u32, u32),
    /// Bit `len % 64` is set for the length of every name of `names`: most members of a
    /// document are ruled out without comparing names.
    lengths: u64,
    best: Best,
    /// The state of a child whose name has no transition of its own (only `.*` steps
    /// match it), once computed.
    any_name: StateId,
    /// The state of an element whose index has no transition of its own (only `.*` and
    /// `[*]` steps match it), once computed.
    any_index: StateId,
    /// The object whose members' states were looked up last in this state (its address; 0
    /// for none), and where those states start in `members`.
    shape: (usize, u32),
}

/// The rules that apply at a node.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules<'r> {
    /// The matchers; empty when no rule applies. An inherited list none of whose matchers
    /// cascades is no rule.
    pub(crate) matchers: &'r [Matcher],
    pub(crate) combine: Combine,
    /// Whether the list was set at an ancestor. Inherited rules lose their length bounds,
    /// and matchers that describe a container rather than values (`values`, `eachKey`,
    /// `arrayContains`...) do not cascade.
    pub(crate) inherited: bool,
    /// Which rule of the set, for [`RuleSet::date_pattern`] ([`NO_RULE`] for none).
    rule: u32,
}

impl Rules<'_> {
    const NONE: Rules<'static> = Rules {
        matchers: &[],
        combine: Combine::And,
        inherited: false,
        rule: NO_RULE,
    };

    /// The matchers of an `eachValue` rule above, applied to its values.
    pub(crate) fn each_value(matchers: &[Matcher]) -> Rules<'_> {
        Rules {
            matchers,
            ..Rules::NONE
        }
    }

    /// True for a list set at the node itself (even an empty one).
    pub(crate) fn is_own(&self) -> bool {
        !self.inherited && self.rule != NO_RULE
    }

    /// Which rule of the set, for [`RuleSet::date_pattern`].
    pub(crate) fn rule(&self) -> Option<usize> {
        (self.rule != NO_RULE).then_some(self.rule as usize)
    }
}

/// A trie node a path reaches, with the weight of the steps that led there.
#[derive(Debug, Clone, Copy)]
struct Alive {
    node: usize,
    weight: u64,
}

/// The best rule at a node: the heaviest expression that ends there or at an ancestor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Best {
    weight: u64,
    rule: u32,
    /// Whether it was set at an ancestor rather than at the node itself.
    inherited: bool,
}

impl Best {
    /// No rule applies; any candidate beats it (candidates weigh at least 2).
    const NONE: Best = Best {
        weight: 0,
        rule: NO_RULE,
        inherited: false,
    };
}

/// The states of the members of an object, from [`RuleStates::members`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Members {
    /// Every member is in this state.
    All(StateId),
    /// The members' states, by position, from here in `RuleStates::members`.
    From(usize),
}

/// Where a child's state is stored in its parent's.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Name(usize),
    Index(usize),
    AnyName,
    AnyIndex,
}

impl<'s, 'r> RuleStates<'s, 'r> {
    /// The state of the document root.
    pub(crate) const ROOT: StateId = 0;

    /// States for a walk under `set`, with only the root's built.
    pub(crate) fn new(set: &'s RuleSet<'r>) -> Self {
        let mut states = RuleStates {
            set,
            states: Vec::with_capacity(16),
            alive: Vec::with_capacity(16),
            names: Vec::with_capacity(16),
            indexes: Vec::new(),
            members: Vec::with_capacity(16),
            scratch: Vec::with_capacity(8),
        };
        let best = match set.rule_at(0) {
            Some(rule) => Best {
                weight: 2,
                rule: rule_number(rule),
                inherited: false,
            },
            None => Best::NONE,
        };
        if !set.is_leaf(0) {
            states.scratch.push(Alive { node: 0, weight: 2 });
        }
        states.add(best);
        states
    }

    /// The rule set the states were built from.
    pub(crate) fn set(&self) -> &'s RuleSet<'r> {
        self.set
    }

    /// The state of the child `segment` of a node in state `parent`.
    #[inline]
    pub(crate) fn child(&mut self, parent: StateId, segment: Segment<'_>) -> StateId {
        let state = &self.states[parent as usize];
        let (slot, known) = match segment {
            Segment::Field(name) => {
                let (start, end) = (state.names.0 as usize, state.names.1 as usize);
                let found = if state.lengths & length_bit(name) != 0 {
                    self.names[start..end]
                        .iter()
                        .position(|(n, _)| same_name(n, name))
                } else {
                    None
                };
                match found {
                    Some(i) => (Slot::Name(start + i), self.names[start + i].1),
                    None => (Slot::AnyName, state.any_name),
                }
            }
            Segment::Index(index) => {
                let (start, end) = (state.indexes.0 as usize, state.indexes.1 as usize);
                match self.indexes[start..end]
                    .iter()
                    .position(|(i, _)| *i == index)
                {
                    Some(i) => (Slot::Index(start + i), self.indexes[start + i].1),
                    None => (Slot::AnyIndex, state.any_index),
                }
            }
        };
        if known != UNSET {
            return known;
        }
        self.learn(parent, segment, slot)
    }

    /// The states of the members named `names` of a node in state `parent`, in order, for
    /// [`RuleStates::member`]. `shape` identifies the names: the address of the expected
    /// object they are the keys of. Visiting the same object in the same state again (as
    /// the example for the next element of an array) reuses the states without comparing a
    /// name.
    pub(crate) fn members<'n>(
        &mut self,
        parent: StateId,
        shape: usize,
        names: impl Iterator<Item = &'n str>,
    ) -> Members {
        let state = &self.states[parent as usize];
        if state.names.0 == state.names.1 {
            // No name has a transition of its own: all members share one state.
            return Members::All(self.child(parent, Segment::Field("")));
        }
        let (last, start) = state.shape;
        if last == shape {
            return Members::From(start as usize);
        }
        let start = self.members.len();
        for name in names {
            let state = self.child(parent, Segment::Field(name));
            self.members.push(state);
        }
        self.states[parent as usize].shape = (shape, position(start));
        Members::From(start)
    }

    /// The state of member `index` of [`RuleStates::members`].
    #[inline]
    pub(crate) fn member(&self, members: Members, index: usize) -> StateId {
        match members {
            Members::All(state) => state,
            Members::From(start) => self.members[start + index],
        }
    }

    /// Builds the state of a transition met for the first time, and records it.
    #[cold]
    #[inline(never)]
    fn learn(&mut self, parent: StateId, segment: Segment<'_>, slot: Slot) -> StateId {
        let to = self.build(parent, segment);
        match slot {
            Slot::Name(i) => self.names[i].1 = to,
            Slot::Index(i) => self.indexes[i].1 = to,
            Slot::AnyName => self.states[parent as usize].any_name = to,
            Slot::AnyIndex => self.states[parent as usize].any_index = to,
        }
        to
    }

    /// The rules that apply at a node in `state`.
    #[inline]
    pub(crate) fn rules(&self, state: StateId) -> Rules<'r> {
        self.states[state as usize].rules
    }

    /// Computes the state of the child `segment` of a node in state `parent`: the trie
    /// nodes its steps reach and the best rule, by "heaviest expression wins", on a tie
    /// the one ending deeper, then the one written first.
    fn build(&mut self, parent: StateId, segment: Segment<'_>) -> StateId {
        let state = self.states[parent as usize];
        if state.alive.0 == state.alive.1 && (state.best.inherited || state.best.rule == NO_RULE) {
            // No rule reaches further down: every descendant is in this same state.
            return parent;
        }
        // Candidates ending at the child all end at the same depth: the heaviest wins, then
        // the first written.
        let mut local = Best::NONE;
        self.scratch.clear();
        let set = self.set;
        for k in state.alive.0..state.alive.1 {
            let alive = self.alive[k as usize];
            for (step, to) in set.steps(alive.node) {
                let factor = step_weight(step, segment);
                if factor == 0 {
                    continue;
                }
                let weight = alive.weight.saturating_mul(factor);
                if let Some(rule) = set.rule_at(to) {
                    let rule = rule_number(rule);
                    if weight > local.weight || (weight == local.weight && rule < local.rule) {
                        local = Best {
                            weight,
                            rule,
                            inherited: false,
                        };
                    }
                }
                if !set.is_leaf(to) {
                    self.scratch.push(Alive { node: to, weight });
                }
            }
        }
        // An ancestor's rule stays only when it is heavier: on equal weight the deeper wins.
        let best = if state.best.weight > local.weight {
            Best {
                inherited: true,
                ..state.best
            }
        } else {
            local
        };
        self.add(best)
    }

    /// Adds a state reaching the trie nodes of `scratch`, with its own transitions for the
    /// names and indexes their steps mention.
    fn add(&mut self, best: Best) -> StateId {
        let set = self.set;
        let alive_start = self.alive.len();
        self.alive.extend_from_slice(&self.scratch);
        let names_start = self.names.len();
        let indexes_start = self.indexes.len();
        let mut lengths = 0;
        for alive in &self.scratch {
            let mut name = |name: &'s str| {
                if !self.names[names_start..]
                    .iter()
                    .any(|(n, _)| same_name(n, name))
                {
                    self.names.push((name, UNSET));
                    lengths |= length_bit(name);
                }
            };
            for (step, _) in set.steps(alive.node) {
                match step {
                    Step::Field(field) => {
                        name(field);
                        // Numeric names (`$.items.0`) address elements too.
                        if is_number(field)
                            && let Ok(index) = field.parse()
                        {
                            push_index(&mut self.indexes, indexes_start, index);
                        }
                    }
                    Step::Index(index) => push_index(&mut self.indexes, indexes_start, *index),
                    Step::Star | Step::StarIndex => {}
                }
            }
        }
        let rules = match best.rule {
            NO_RULE => Rules::NONE,
            rule => match set.list(rule as usize) {
                (_, false) if best.inherited => Rules::NONE,
                (list, _) => Rules {
                    matchers: &list.matchers,
                    combine: list.combine,
                    inherited: best.inherited,
                    rule,
                },
            },
        };
        let id = StateId::try_from(self.states.len()).expect("fewer states than nodes walked");
        self.states.push(State {
            rules,
            alive: (position(alive_start), position(self.alive.len())),
            names: (position(names_start), position(self.names.len())),
            indexes: (position(indexes_start), position(self.indexes.len())),
            lengths,
            best,
            any_name: UNSET,
            any_index: UNSET,
            shape: (0, 0),
        });
        id
    }
}

fn push_index(indexes: &mut Vec<(usize, StateId)>, start: usize, index: usize) {
    if !indexes[start..].iter().any(|(i, _)| *i == index) {
        indexes.push((index, UNSET));
    }
}

fn length_bit(name: &str) -> u64 {
    1 << (name.len() % 64)
}

fn position(index: usize) -> u32 {
    u32::try_from(index).expect("fewer transitions than nodes walked")
}

fn rule_number(rule: usize) -> u32 {
    u32::try_from(rule).unwrap_or(NO_RULE - 1)
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;

    use super::*;
    use crate::model::{Pattern, RuleList};

    fn list(matcher: Matcher) -> RuleList {
        RuleList {
            matchers: vec![matcher],
            combine: Combine::And,
        }
    }

    fn name(states: &RuleStates<'_, '_>, state: StateId) -> Option<&'static str> {
        states.rules(state).matchers.first().map(Matcher::name)
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
        let mut states = RuleStates::new(&set);
        let root = RuleStates::ROOT;
        assert_eq!(name(&states, root), None);
        let items = states.child(root, Segment::Field("items"));
        assert!(states.rules(items).is_own());
        assert_eq!(name(&states, items), Some("type"));
        let first = states.child(items, Segment::Index(0));
        assert!(states.rules(first).inherited);
        let id = states.child(first, Segment::Field("id"));
        assert_eq!(name(&states, id), Some("integer"));
        let second = states.child(items, Segment::Index(1));
        let id = states.child(second, Segment::Field("id"));
        assert_eq!(name(&states, id), Some("regex"));
        let name_state = states.child(second, Segment::Field("name"));
        assert!(states.rules(name_state).inherited);
        assert_eq!(name(&states, name_state), Some("type"));
    }

    #[test]
    fn siblings_share_states() {
        let mut map = IndexMap::new();
        map.insert("$.items[*].id".to_owned(), list(Matcher::Integer));
        map.insert("$.items[2].id".to_owned(), list(Matcher::Null));
        let set = RuleSet::new(Some(&map), false);
        let mut states = RuleStates::new(&set);
        let items = states.child(RuleStates::ROOT, Segment::Field("items"));
        let first = states.child(items, Segment::Index(0));
        assert_eq!(states.child(items, Segment::Index(7)), first);
        assert_ne!(states.child(items, Segment::Index(2)), first);
        let id = states.child(first, Segment::Field("id"));
        assert_eq!(states.child(first, Segment::Field("id")), id);
        // Names no rule mentions share one state; below a node no rule reaches, every
        // descendant is in the same state.
        let other = states.child(first, Segment::Field("other"));
        assert_eq!(states.child(first, Segment::Field("something")), other);
        assert_eq!(states.child(other, Segment::Index(3)), other);
        assert_eq!(states.child(other, Segment::Field("x")), other);
        assert_eq!(name(&states, other), None);
        assert_eq!(name(&states, id), Some("integer"));
    }

    #[test]
    fn equal_expressions_share_a_trie_node_and_the_first_wins() {
        let mut map = IndexMap::new();
        map.insert("$.items[*].id".to_owned(), list(Matcher::Integer));
        map.insert("$['items'][*]['id']".to_owned(), list(Matcher::Decimal));
        map.insert("$.items.1.id".to_owned(), list(Matcher::Boolean));
        map.insert("$.items[1].id".to_owned(), list(Matcher::Null));
        let set = RuleSet::new(Some(&map), false);
        let mut states = RuleStates::new(&set);
        let items = states.child(RuleStates::ROOT, Segment::Field("items"));
        let first = states.child(items, Segment::Index(0));
        let id = states.child(first, Segment::Field("id"));
        assert_eq!(name(&states, id), Some("integer"));
        // `.1` and `[1]` weigh the same; the one written first wins.
        let second = states.child(items, Segment::Index(1));
        let id = states.child(second, Segment::Field("id"));
        assert_eq!(name(&states, id), Some("boolean"));
        // A name of another length never matches.
        let other = states.child(second, Segment::Field("identifier"));
        assert_eq!(name(&states, other), None);
        // A numeric name matches a member of that name too.
        let member = states.child(items, Segment::Field("1"));
        let id = states.child(member, Segment::Field("id"));
        assert_eq!(name(&states, id), Some("boolean"));
    }

    #[test]
    fn wildcards_weigh_less_than_names() {
        let mut map = IndexMap::new();
        map.insert("$.*".to_owned(), list(Matcher::Integer));
        map.insert("$.a".to_owned(), list(Matcher::Decimal));
        map.insert("$.*.b".to_owned(), list(Matcher::Boolean));
        map.insert("$.a.*".to_owned(), list(Matcher::Null));
        let set = RuleSet::new(Some(&map), false);
        let mut states = RuleStates::new(&set);
        let a = states.child(RuleStates::ROOT, Segment::Field("a"));
        assert_eq!(name(&states, a), Some("decimal"));
        let z = states.child(RuleStates::ROOT, Segment::Field("z"));
        assert_eq!(name(&states, z), Some("integer"));
        // `$.*.b` and `$.a.*` weigh the same at `$.a.b`: the first written wins.
        let ab = states.child(a, Segment::Field("b"));
        assert_eq!(name(&states, ab), Some("boolean"));
        let ac = states.child(a, Segment::Field("c"));
        assert_eq!(name(&states, ac), Some("null"));
        let zc = states.child(z, Segment::Field("c"));
        assert!(states.rules(zc).inherited);
        assert_eq!(name(&states, zc), Some("integer"));
    }
}
