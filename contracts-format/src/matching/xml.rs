//! Matching XML bodies: elements by namespace and local name, attributes (`@name` in rule
//! paths), and text (`#text`).
//!
//! Children are compared per name: the n-th `<item>` with the n-th `<item>`, so order only
//! matters between elements of the same name. A `type` rule on an element turns its first
//! expected child into an example for every actual child. Rule paths address nodes by names
//! only; index steps in rule paths (`$.a[*].b`, `$.a.0`) are ignored, as files write XML
//! paths both with and without them.

use indexmap::IndexMap;
use roxmltree::{Document, Node};
use serde_json::Value;

use super::mismatch::{Mismatch, MismatchCategory, MismatchKind};
use super::rules::{RuleSet, cascades};
use super::states::{RuleStates, StateId};
use super::values::{Domain, accepts};
use crate::model::{Combine, Matcher};
use crate::path::{Segment, render};

/// Compares two XML documents under body `rules` (parsed with `xml = true`).
pub(crate) fn compare(
    rules: &RuleSet<'_>,
    expected: &str,
    actual: &str,
    allow_unexpected: bool,
) -> Vec<Mismatch> {
    let expected_doc = match Document::parse(expected) {
        Ok(doc) => doc,
        Err(error) => {
            // An expected body that is not XML can only be compared as text.
            if expected == actual {
                return Vec::new();
            }
            return vec![
                Mismatch::new(
                    MismatchCategory::Body,
                    "$",
                    MismatchKind::Unreadable(error.to_string()),
                )
                .expected(Value::String(expected.to_owned()))
                .actual(Value::String(actual.to_owned())),
            ];
        }
    };
    let actual_doc = match Document::parse(actual) {
        Ok(doc) => doc,
        Err(error) => {
            return vec![
                Mismatch::new(
                    MismatchCategory::Body,
                    "$",
                    MismatchKind::Unreadable(error.to_string()),
                )
                .actual(Value::String(actual.to_owned())),
            ];
        }
    };
    let mut walk = Walk {
        rules: RuleStates::new(rules),
        path: Vec::new(),
        allow_unexpected,
        mismatches: Vec::new(),
    };
    let root = RuleStates::ROOT;
    let (e, a) = (expected_doc.root_element(), actual_doc.root_element());
    if same_name(e, a) {
        walk.child_element(root, e, a, None);
    } else {
        walk.path.push(Segment::Field(e.tag_name().name()));
        walk.push(MismatchKind::Value, Some(&describe(e)), Some(&describe(a)));
    }
    walk.mismatches
}

fn same_name(a: Node<'_, '_>, b: Node<'_, '_>) -> bool {
    a.tag_name().name() == b.tag_name().name()
        && a.tag_name().namespace() == b.tag_name().namespace()
}

fn describe(node: Node<'_, '_>) -> Value {
    let name = node.tag_name();
    Value::String(match name.namespace() {
        Some(ns) => format!("<{}> in namespace {ns}", name.name()),
        None => format!("<{}>", name.name()),
    })
}

/// The element's own text: its text children joined and trimmed.
fn text_of<'a>(node: Node<'a, '_>) -> String {
    let mut text = String::new();
    for child in node.children().filter(Node::is_text) {
        text.push_str(child.text().unwrap_or(""));
    }
    text.trim().to_owned()
}

struct Walk<'r, 's, 'd> {
    rules: RuleStates<'s, 'r>,
    path: Vec<Segment<'d>>,
    allow_unexpected: bool,
    mismatches: Vec<Mismatch>,
}

impl<'r, 'd> Walk<'r, '_, 'd> {
    fn push(&mut self, kind: MismatchKind, expected: Option<&Value>, actual: Option<&Value>) {
        let m = Mismatch::new(MismatchCategory::Body, render(&self.path), kind)
            .expected(expected.cloned())
            .actual(actual.cloned());
        self.mismatches.push(m);
    }

    fn rules_at(&self, state: StateId) -> (&'r [Matcher], bool, Combine) {
        let rules = self.rules.rules(state);
        (rules.matchers, rules.inherited, rules.combine)
    }

    /// Visits the element pair as the child `index` (for reports) of the node of `parent`.
    fn child_element<'i>(
        &mut self,
        parent: StateId,
        e: Node<'d, 'i>,
        a: Node<'d, 'i>,
        index: Option<usize>,
    ) {
        let name = e.tag_name().name();
        let state = self.rules.child(parent, Segment::Field(name));
        self.path.push(Segment::Field(name));
        if let Some(i) = index {
            self.path.push(Segment::Index(i));
        }
        self.element(state, e, a);
        if index.is_some() {
            self.path.pop();
        }
        self.path.pop();
    }

    fn element<'i>(&mut self, state: StateId, e: Node<'d, 'i>, a: Node<'d, 'i>) {
        self.attributes(state, e, a);
        let (matchers, inherited, _) = self.rules_at(state);
        let type_rule = matchers
            .iter()
            .filter(|m| !inherited || cascades(m))
            .find(|m| matches!(m, Matcher::Type { .. }));
        let expected_children: Vec<_> = e.children().filter(Node::is_element).collect();
        let actual_children: Vec<_> = a.children().filter(Node::is_element).collect();
        match type_rule {
            Some(rule @ Matcher::Type { min, max }) => {
                let len = actual_children.len();
                if !inherited && (min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m)) {
                    let kind = MismatchKind::Length {
                        min: *min,
                        max: *max,
                        actual: len,
                    };
                    let m =
                        Mismatch::new(MismatchCategory::Body, render(&self.path), kind).rule(rule);
                    self.mismatches.push(m);
                }
                if let Some(first) = expected_children.first() {
                    for (i, actual) in actual_children.iter().enumerate() {
                        let example = expected_children.get(i).unwrap_or(first);
                        self.pair(state, *example, *actual, i);
                    }
                }
            }
            _ => self.children_by_name(state, &expected_children, &actual_children),
        }
        self.text(state, e, a);
    }

    /// Compares an expected child with an actual one whose name may differ.
    fn pair<'i>(&mut self, state: StateId, e: Node<'d, 'i>, a: Node<'d, 'i>, index: usize) {
        if same_name(e, a) {
            self.child_element(state, e, a, Some(index));
        } else {
            self.path.push(Segment::Index(index));
            self.push(MismatchKind::Value, Some(&describe(e)), Some(&describe(a)));
            self.path.pop();
        }
    }

    fn children_by_name<'i>(
        &mut self,
        state: StateId,
        expected: &[Node<'d, 'i>],
        actual: &[Node<'d, 'i>],
    ) {
        let group = |nodes: &[Node<'d, 'i>]| {
            let mut groups: IndexMap<(Option<&'d str>, &'d str), Vec<Node<'d, 'i>>> =
                IndexMap::new();
            for node in nodes {
                let name = node.tag_name();
                groups
                    .entry((name.namespace(), name.name()))
                    .or_default()
                    .push(*node);
            }
            groups
        };
        let expected_groups = group(expected);
        let actual_groups = group(actual);
        for (key, e_nodes) in &expected_groups {
            let a_nodes = actual_groups.get(key).map(Vec::as_slice).unwrap_or(&[]);
            for (i, e) in e_nodes.iter().enumerate() {
                match a_nodes.get(i) {
                    Some(a) => self.child_element(state, *e, *a, Some(i)),
                    None => {
                        self.path.push(Segment::Field(key.1));
                        self.path.push(Segment::Index(i));
                        self.push(MismatchKind::Missing, Some(&describe(*e)), None);
                        self.path.pop();
                        self.path.pop();
                    }
                }
            }
            if !self.allow_unexpected {
                for (i, a) in a_nodes.iter().enumerate().skip(e_nodes.len()) {
                    self.path.push(Segment::Field(key.1));
                    self.path.push(Segment::Index(i));
                    self.push(MismatchKind::Unexpected, None, Some(&describe(*a)));
                    self.path.pop();
                    self.path.pop();
                }
            }
        }
        if !self.allow_unexpected {
            for (key, a_nodes) in &actual_groups {
                if !expected_groups.contains_key(key) {
                    self.path.push(Segment::Field(key.1));
                    self.push(MismatchKind::Unexpected, None, Some(&describe(a_nodes[0])));
                    self.path.pop();
                }
            }
        }
    }

    fn attributes<'i>(&mut self, state: StateId, e: Node<'d, 'i>, a: Node<'d, 'i>) {
        for attribute in e.attributes() {
            let found = a
                .attributes()
                .find(|x| x.name() == attribute.name() && x.namespace() == attribute.namespace());
            let name = format!("@{}", attribute.name());
            let expected = Value::String(attribute.value().to_owned());
            match found {
                Some(actual) => {
                    let actual = Value::String(actual.value().to_owned());
                    self.value(state, &name, &expected, &actual);
                }
                None => {
                    let mut path = render(&self.path);
                    crate::spec::push_key(&mut path, &name);
                    let m = Mismatch::new(MismatchCategory::Body, path, MismatchKind::Missing)
                        .expected(expected);
                    self.mismatches.push(m);
                }
            }
        }
        if !self.allow_unexpected {
            for attribute in a.attributes() {
                let known = e.attributes().any(|x| {
                    x.name() == attribute.name() && x.namespace() == attribute.namespace()
                });
                if !known {
                    let mut path = render(&self.path);
                    crate::spec::push_key(&mut path, &format!("@{}", attribute.name()));
                    let m = Mismatch::new(MismatchCategory::Body, path, MismatchKind::Unexpected)
                        .actual(Value::String(attribute.value().to_owned()));
                    self.mismatches.push(m);
                }
            }
        }
    }

    fn text<'i>(&mut self, state: StateId, e: Node<'d, 'i>, a: Node<'d, 'i>) {
        let expected = text_of(e);
        let actual = text_of(a);
        if expected.is_empty() && actual.is_empty() {
            return;
        }
        self.value(
            state,
            "#text",
            &Value::String(expected),
            &Value::String(actual),
        );
    }

    /// Compares an attribute value or text node (`name`) under the rules that apply there.
    fn value(&mut self, state: StateId, name: &str, expected: &Value, actual: &Value) {
        let child = self.rules.child(state, Segment::Field(name));
        let (matchers, inherited, combine) = self.rules_at(child);
        let active: Vec<&Matcher> = matchers
            .iter()
            .filter(|m| !inherited || cascades(m))
            .collect();
        let failed = if active.is_empty() {
            (expected != actual).then_some(None)
        } else {
            let results = active
                .iter()
                .map(|m| (*m, accepts(m, expected, actual, Domain::Text)));
            let mut first_failure = None;
            let mut any_ok = false;
            for (m, ok) in results {
                any_ok |= ok;
                if !ok && first_failure.is_none() {
                    first_failure = Some(m);
                }
            }
            match combine {
                Combine::And => first_failure.map(Some),
                Combine::Or if any_ok => None,
                Combine::Or => first_failure.map(Some),
            }
        };
        if let Some(rule) = failed {
            let mut path = render(&self.path);
            crate::spec::push_key(&mut path, name);
            let kind = if rule.is_some() {
                MismatchKind::Rule
            } else {
                MismatchKind::Value
            };
            let mut m = Mismatch::new(MismatchCategory::Body, path, kind)
                .expected(expected.clone())
                .actual(actual.clone());
            if let Some(rule) = rule {
                m = m.rule(rule);
            }
            self.mismatches.push(m);
        }
    }
}
