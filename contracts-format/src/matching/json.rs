//! Matching JSON documents (bodies, message contents) against an expected document and its
//! body rules.
//!
//! Without rules, objects must have every expected key (unexpected keys fail only where the
//! caller says so: requests), arrays must have the same length, and scalars must be equal.
//! A `type` rule on an array turns the expected elements into examples: every actual element
//! is compared with the expected one at its index, or with the first.

use serde_json::{Map, Value};

use super::mismatch::{Mismatch, MismatchCategory, MismatchKind};
use super::rules::{RuleSet, cascades};
use super::states::{RuleStates, Rules, StateId};
use super::values::{Domain, accepts, json_equal, same_type};
use crate::model::{Combine, Matcher};
use crate::path::{Segment, render, same_name};

/// Compares `actual` with `expected` under `rules`.
pub(crate) fn compare(
    rules: &RuleSet<'_>,
    expected: &Value,
    actual: &Value,
    allow_unexpected_keys: bool,
    category: MismatchCategory,
) -> Vec<Mismatch> {
    let mut walk = Walk {
        rules: RuleStates::new(rules),
        allow_unexpected_keys,
        category,
        mismatches: Vec::new(),
    };
    walk.node(At::ROOT, RuleStates::ROOT, expected, actual, None);
    walk.mismatches
}

/// Where a node is, for the paths of mismatches: links up to the root kept on the call
/// stack. A path is rendered only when a mismatch is reported, so the walk keeps nothing
/// else per node.
#[derive(Debug, Clone, Copy)]
struct At<'a, 'v>(Option<&'a Link<'a, 'v>>);

#[derive(Debug)]
struct Link<'a, 'v> {
    segment: Segment<'v>,
    up: At<'a, 'v>,
}

impl<'a, 'v> At<'a, 'v> {
    const ROOT: At<'static, 'static> = At(None);

    /// The link of the child `segment` of this node.
    fn child(self, segment: Segment<'v>) -> Link<'a, 'v> {
        Link { segment, up: self }
    }

    fn render(self) -> String {
        let mut segments = Vec::new();
        let mut at = self;
        while let At(Some(link)) = at {
            segments.push(link.segment);
            at = link.up;
        }
        segments.reverse();
        render(&segments)
    }
}

struct Walk<'r, 's> {
    rules: RuleStates<'s, 'r>,
    allow_unexpected_keys: bool,
    category: MismatchCategory,
    mismatches: Vec<Mismatch>,
}

/// How the children of a container are compared once the container's own rules ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Children {
    /// Keys must be present, arrays of equal length.
    Strict,
    /// Expected elements are examples for any number of actual elements.
    Examples,
    /// Keys are free; each value is compared with the expected value of its key or the first.
    AnyKeys,
    /// Nothing more to compare.
    Done,
}

impl<'r> Walk<'r, '_> {
    #[cold]
    #[inline(never)]
    fn push(
        &mut self,
        at: At<'_, '_>,
        kind: MismatchKind,
        expected: Option<&Value>,
        actual: Option<&Value>,
    ) {
        let mismatch = Mismatch::new(self.category, at.render(), kind)
            .expected(expected.cloned())
            .actual(actual.cloned());
        self.mismatches.push(mismatch);
    }

    #[cold]
    #[inline(never)]
    fn push_rule(&mut self, at: At<'_, '_>, rule: &Matcher, expected: &Value, actual: &Value) {
        let kind = match rule {
            Matcher::Type { .. } => MismatchKind::Type,
            _ => MismatchKind::Rule,
        };
        let mismatch = Mismatch::new(self.category, at.render(), kind)
            .expected(expected.clone())
            .actual(actual.clone())
            .rule(rule);
        self.mismatches.push(mismatch);
    }

    #[cold]
    #[inline(never)]
    fn push_length(
        &mut self,
        at: At<'_, '_>,
        rule: &Matcher,
        (min, max): (Option<usize>, Option<usize>),
        expected: &Value,
        actual: &Value,
        len: usize,
    ) {
        let kind = MismatchKind::Length {
            min,
            max,
            actual: len,
        };
        let m = Mismatch::new(self.category, at.render(), kind)
            .expected(expected.clone())
            .actual(actual.clone())
            .rule(rule);
        self.mismatches.push(m);
    }

    /// Compares the child `segment` of a node at `at` in state `parent`.
    fn child<'v>(
        &mut self,
        at: At<'_, 'v>,
        parent: StateId,
        segment: Segment<'v>,
        expected: &'v Value,
        actual: &'v Value,
        forced: Option<&'r [Matcher]>,
    ) {
        let state = self.rules.child(parent, segment);
        self.node(
            At(Some(&at.child(segment))),
            state,
            expected,
            actual,
            forced,
        );
    }

    fn node<'v>(
        &mut self,
        at: At<'_, 'v>,
        state: StateId,
        expected: &'v Value,
        actual: &'v Value,
        forced: Option<&'r [Matcher]>,
    ) {
        // Rules set directly at this node win; otherwise the rules of an `eachValue` above
        // (`forced`) apply, then rules inherited from ancestors.
        let rules = match forced {
            Some(forced) if !self.rules.rules(state).is_own() => Rules::each_value(forced),
            _ => self.rules.rules(state),
        };
        if rules.matchers.is_empty() {
            return self.plain(at, state, expected, actual, forced);
        }
        if !matches!(actual, Value::Array(_) | Value::Object(_)) {
            return self.leaf(at, rules, expected, actual);
        }
        self.container(at, state, rules, expected, actual, forced);
    }

    /// A container (`actual` is an array or object) under `rules`.
    fn container<'v>(
        &mut self,
        at: At<'_, 'v>,
        state: StateId,
        rules: Rules<'r>,
        expected: &'v Value,
        actual: &'v Value,
        forced: Option<&'r [Matcher]>,
    ) {
        let Rules {
            matchers,
            combine,
            inherited,
            ..
        } = rules;
        let active = |m: &&Matcher| !inherited || cascades(m);
        let before = self.mismatches.len();
        let mut children = Children::Strict;
        let mut any_passed = false;
        let mut each_value = forced.filter(|rules| rules.iter().all(cascades));
        for matcher in matchers.iter().filter(active) {
            let failures = self.mismatches.len();
            match matcher {
                Matcher::Type { min, max } => {
                    if !same_type(expected, actual) {
                        self.push_rule(at, matcher, expected, actual);
                    } else if let (Value::Array(items), false) = (actual, inherited) {
                        let len = items.len();
                        if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
                            self.push_length(at, matcher, (*min, *max), expected, actual, len);
                        }
                    }
                    if children == Children::Strict {
                        children = Children::Examples;
                    }
                }
                Matcher::ArrayContains(_) => {
                    self.array_contains(at, matcher, expected, actual);
                    children = Children::Done;
                }
                Matcher::Values | Matcher::EachKey { .. } => {
                    if children != Children::Done {
                        children = Children::AnyKeys;
                    }
                    if let (Matcher::EachKey { rules, .. }, Value::Object(map)) = (matcher, actual)
                    {
                        self.each_key(at, rules, map);
                    }
                }
                Matcher::EachValue { rules, .. } => {
                    if children != Children::Done {
                        children = Children::AnyKeys;
                    }
                    each_value = Some(rules.as_slice());
                }
                Matcher::Equality => {
                    if !same_type(expected, actual) {
                        self.push_rule(at, matcher, expected, actual);
                    }
                }
                other => {
                    if !accepts(other, expected, actual, Domain::Json) {
                        self.push_rule(at, other, expected, actual);
                    }
                }
            }
            any_passed |= self.mismatches.len() == failures;
        }
        if combine == Combine::Or && any_passed {
            self.mismatches.truncate(before);
        }
        if self.mismatches.len() > before && !same_type(expected, actual) {
            return;
        }
        match (children, expected, actual) {
            (Children::Done, ..) => {}
            (Children::Strict, ..) => self.plain(at, state, expected, actual, each_value),
            (Children::Examples, Value::Array(e), Value::Array(a)) => {
                self.examples(at, state, e, a, each_value)
            }
            (Children::Examples, Value::Object(e), Value::Object(a)) => {
                self.objects(at, state, e, a, each_value)
            }
            (Children::AnyKeys, Value::Object(e), Value::Object(a)) => {
                self.any_keys(at, state, e, a, each_value)
            }
            (Children::AnyKeys, Value::Array(e), Value::Array(a)) => {
                self.examples(at, state, e, a, each_value)
            }
            // An object where an array is expected, or the reverse.
            _ if self.mismatches.len() == before => {
                self.push(at, MismatchKind::Type, Some(expected), Some(actual))
            }
            _ => {}
        }
    }

    #[inline(always)]
    fn leaf(&mut self, at: At<'_, '_>, rules: Rules<'r>, expected: &Value, actual: &Value) {
        if let [matcher] = rules.matchers {
            // The usual case. It is active: an inherited list without a matcher that
            // cascades is no rule.
            if !self.check(rules, 0, matcher, expected, actual) {
                self.push_rule(at, matcher, expected, actual);
            }
            return;
        }
        let combine = rules.combine;
        let mut first_failure = None;
        for (i, matcher) in rules.matchers.iter().enumerate() {
            if rules.inherited && !cascades(matcher) {
                continue;
            }
            match (self.check(rules, i, matcher, expected, actual), combine) {
                (true, Combine::Or) => return,
                (false, Combine::And) => return self.push_rule(at, matcher, expected, actual),
                (false, Combine::Or) => {
                    first_failure.get_or_insert(matcher);
                }
                (true, Combine::And) => {}
            }
        }
        if let Some(matcher) = first_failure {
            self.push_rule(at, matcher, expected, actual);
        }
    }

    /// Whether `actual` passes matcher `i` of `rules`.
    #[inline(always)]
    fn check(
        &self,
        rules: Rules<'r>,
        i: usize,
        matcher: &Matcher,
        expected: &Value,
        actual: &Value,
    ) -> bool {
        match matcher {
            // The usual matchers first, without a call.
            Matcher::Type { .. } => same_type(expected, actual),
            Matcher::Regex(pattern) if let Value::String(text) = actual => {
                pattern.is_full_match(text)
            }
            // Patterns read once per rule set.
            Matcher::Date(_) | Matcher::Time(_) | Matcher::DateTime(_) => {
                match rules
                    .rule()
                    .and_then(|r| self.rules.set().date_pattern(r, i))
                {
                    Some(pattern) => actual.as_str().is_some_and(|s| pattern.matches(s)),
                    None => accepts(matcher, expected, actual, Domain::Json),
                }
            }
            _ => accepts(matcher, expected, actual, Domain::Json),
        }
    }

    /// Comparison without rules at this node (descendants may still have some).
    fn plain<'v>(
        &mut self,
        at: At<'_, 'v>,
        state: StateId,
        expected: &'v Value,
        actual: &'v Value,
        forced: Option<&'r [Matcher]>,
    ) {
        match (expected, actual) {
            (Value::Object(e), Value::Object(a)) => self.objects(at, state, e, a, forced),
            (Value::Array(e), Value::Array(a)) => {
                if e.len() != a.len() {
                    let kind = MismatchKind::Length {
                        min: Some(e.len()),
                        max: Some(e.len()),
                        actual: a.len(),
                    };
                    self.push(at, kind, Some(expected), Some(actual));
                }
                for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                    self.child(at, state, Segment::Index(i), ev, av, forced);
                }
            }
            _ if json_equal(expected, actual) => {}
            _ if !same_type(expected, actual) => {
                self.push(at, MismatchKind::Type, Some(expected), Some(actual))
            }
            _ => self.push(at, MismatchKind::Value, Some(expected), Some(actual)),
        }
    }

    fn objects<'v>(
        &mut self,
        at: At<'_, 'v>,
        state: StateId,
        expected: &'v Map<String, Value>,
        actual: &'v Map<String, Value>,
        forced: Option<&'r [Matcher]>,
    ) {
        let shape = std::ptr::from_ref(expected).addr();
        let members = self
            .rules
            .members(state, shape, expected.keys().map(String::as_str));
        // Bodies usually list keys in the expected order: try the actual key at the same
        // position before hashing.
        let mut in_order = actual.iter();
        for (i, (key, ev)) in expected.iter().enumerate() {
            let found = match in_order.next() {
                Some((k, v)) if same_name(k, key) => Some(v),
                _ => actual.get(key),
            };
            match found {
                Some(av) => {
                    let member = self.rules.member(members, i);
                    let link = at.child(Segment::Field(key));
                    self.node(At(Some(&link)), member, ev, av, forced);
                }
                None => {
                    let link = at.child(Segment::Field(key));
                    self.push(At(Some(&link)), MismatchKind::Missing, Some(ev), None);
                }
            }
        }
        if !self.allow_unexpected_keys {
            for (key, av) in actual {
                if !expected.contains_key(key) {
                    let link = at.child(Segment::Field(key));
                    self.push(At(Some(&link)), MismatchKind::Unexpected, None, Some(av));
                }
            }
        }
    }

    /// Every actual element against the expected element at its index, or the first.
    fn examples<'v>(
        &mut self,
        at: At<'_, 'v>,
        state: StateId,
        expected: &'v [Value],
        actual: &'v [Value],
        forced: Option<&'r [Matcher]>,
    ) {
        let Some(first) = expected.first() else {
            return;
        };
        for (i, av) in actual.iter().enumerate() {
            let ev = expected.get(i).unwrap_or(first);
            self.child(at, state, Segment::Index(i), ev, av, forced);
        }
    }

    fn any_keys<'v>(
        &mut self,
        at: At<'_, 'v>,
        state: StateId,
        expected: &'v Map<String, Value>,
        actual: &'v Map<String, Value>,
        forced: Option<&'r [Matcher]>,
    ) {
        let Some(first) = expected.values().next() else {
            return;
        };
        for (key, av) in actual {
            let ev = expected.get(key).unwrap_or(first);
            self.child(at, state, Segment::Field(key), ev, av, forced);
        }
    }

    #[inline(never)]
    fn each_key(&mut self, at: At<'_, '_>, rules: &[Matcher], actual: &Map<String, Value>) {
        for key in actual.keys() {
            let key_value = Value::String(key.clone());
            if let Some(rule) = rules
                .iter()
                .find(|r| !accepts(r, &key_value, &key_value, Domain::Text))
            {
                let link = at.child(Segment::Field(key));
                let m = Mismatch::new(self.category, At(Some(&link)).render(), MismatchKind::Rule)
                    .actual(key_value.clone())
                    .rule(rule);
                self.mismatches.push(m);
            }
        }
    }

    #[inline(never)]
    fn array_contains(
        &mut self,
        at: At<'_, '_>,
        matcher: &Matcher,
        expected: &Value,
        actual: &Value,
    ) {
        let (Matcher::ArrayContains(variants), Value::Array(e), Value::Array(a)) =
            (matcher, expected, actual)
        else {
            return self.push_rule(at, matcher, expected, actual);
        };
        for variant in variants {
            let Some(example) = e.get(variant.index) else {
                continue;
            };
            let rules = RuleSet::new(Some(&variant.rules), false);
            let found = a.iter().any(|candidate| {
                compare(&rules, example, candidate, true, self.category).is_empty()
            });
            if !found {
                let m = Mismatch::new(self.category, at.render(), MismatchKind::Rule)
                    .expected(example.clone())
                    .actual(actual.clone())
                    .rule(matcher);
                self.mismatches.push(m);
            }
        }
    }
}
