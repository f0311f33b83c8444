//! Comparing bodies: JSON documents member by member, with matchers deciding which example
//! values and array lengths matter.

use serde_json::Value;

use super::{Breaks, Diff, Role};
use crate::model::{Body, BodyValue, Matcher, MatchingRules, RuleCategory, RuleList, media_type};
use crate::validate::{PathStep, parse_path_expression};

/// Body rules of both contracts, parsed once.
struct BodyRules {
    rules: Vec<(Vec<PathStep>, RuleList)>,
}

impl BodyRules {
    fn new(old: &MatchingRules, new: &MatchingRules) -> Self {
        let mut rules = Vec::new();
        for source in [old, new] {
            if let Some(entries) = source.category(RuleCategory::Body) {
                for (key, list) in entries {
                    if let Ok(steps) = parse_path_expression(key) {
                        rules.push((steps, list.clone()));
                    }
                }
            }
        }
        BodyRules { rules }
    }

    /// The non-equality matchers that apply at `path` (rules cascade to children).
    fn covering(&self, path: &[Step]) -> impl Iterator<Item = &Matcher> {
        self.rules
            .iter()
            .filter(move |(steps, _)| prefix_matches(steps, path))
            .flat_map(|(_, list)| list.matchers.iter())
            .filter(|m| **m != Matcher::Equality)
    }

    fn covers_values(&self, path: &[Step]) -> bool {
        self.covering(path).next().is_some()
    }

    /// True when a matcher makes the array at `path` a template (`eachLike`, min/max...).
    fn templates_array(&self, path: &[Step]) -> bool {
        self.rules.iter().any(|(steps, list)| {
            steps.len() == path.len()
                && prefix_matches(steps, path)
                && list.matchers.iter().any(|m| {
                    matches!(
                        m,
                        Matcher::Type { .. }
                            | Matcher::EachValue { .. }
                            | Matcher::ArrayContains(_)
                            | Matcher::Values
                            | Matcher::NotEmpty
                    )
                })
        })
    }

    /// True when a matcher makes the keys of the object at `path` free.
    fn frees_keys(&self, path: &[Step]) -> bool {
        self.rules.iter().any(|(steps, list)| {
            steps.len() == path.len()
                && prefix_matches(steps, path)
                && list.matchers.iter().any(|m| {
                    matches!(
                        m,
                        Matcher::Values | Matcher::EachKey { .. } | Matcher::EachValue { .. }
                    )
                })
        })
    }
}

/// A step of a concrete location in a body.
#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Index(usize),
}

fn prefix_matches(rule: &[PathStep], path: &[Step]) -> bool {
    rule.len() <= path.len()
        && rule.iter().zip(path).all(|(r, p)| match (r, p) {
            (PathStep::Any, _) => true,
            (PathStep::Field(a), Step::Field(b)) => a == b,
            (PathStep::Index(a), Step::Index(b)) => a == b,
            _ => false,
        })
}

fn render(base: &str, path: &[Step]) -> String {
    let mut out = base.to_owned();
    for step in path {
        match step {
            Step::Field(name) => crate::spec::push_key(&mut out, name),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

pub(super) fn compare_bodies(
    old: &Body,
    new: &Body,
    at: &str,
    rules: (&MatchingRules, &MatchingRules),
    role: Role,
    diff: &mut Diff,
) {
    let (old_content, new_content) = match (old, new) {
        (Body::Missing, Body::Missing) | (Body::Null, Body::Null) => return,
        (Body::Missing, _) => {
            diff.push(at, "body added", role.added());
            return;
        }
        (_, Body::Missing) => {
            diff.push(at, "body removed", role.removed());
            return;
        }
        (Body::Present(a), Body::Present(b)) => (a, b),
        _ => {
            diff.push(at, "body changed to or from null", Breaks::BOTH);
            return;
        }
    };
    let old_type = old_content.content_type.as_deref().map(media_type);
    let new_type = new_content.content_type.as_deref().map(media_type);
    if old_type.is_some() && new_type.is_some() && old_type != new_type {
        diff.push(
            at,
            format!(
                "content type changed from {} to {}",
                old_type.unwrap_or_default(),
                new_type.unwrap_or_default()
            ),
            Breaks::BOTH,
        );
        return;
    }
    let body_rules = BodyRules::new(rules.0, rules.1);
    match (&old_content.value, &new_content.value) {
        (BodyValue::Json(a), BodyValue::Json(b)) => {
            compare_json(a, b, &mut Vec::new(), at, &body_rules, role, diff)
        }
        (a, b) if a == b => {}
        _ if body_rules.covers_values(&[]) => {}
        _ => diff.push(at, "body content changed", Breaks::BOTH),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compare_json(
    old: &Value,
    new: &Value,
    path: &mut Vec<Step>,
    at: &str,
    rules: &BodyRules,
    role: Role,
    diff: &mut Diff,
) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            if rules.frees_keys(path) {
                return;
            }
            for (key, old_value) in a {
                path.push(Step::Field(key.clone()));
                match b.get(key) {
                    Some(new_value) => {
                        compare_json(old_value, new_value, path, at, rules, role, diff)
                    }
                    None => diff.push(render(at, path), "field removed", role.removed()),
                }
                path.pop();
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                path.push(Step::Field(key.clone()));
                diff.push(render(at, path), "field added", role.added());
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            let templated = rules.templates_array(path);
            let common = if templated { 1 } else { a.len().min(b.len()) };
            for i in 0..common.min(a.len()).min(b.len()) {
                path.push(Step::Index(i));
                compare_json(&a[i], &b[i], path, at, rules, role, diff);
                path.pop();
            }
            if !templated && a.len() != b.len() && !rules.covers_values(path) {
                diff.push(
                    render(at, path),
                    format!("array length changed from {} to {}", a.len(), b.len()),
                    Breaks::BOTH,
                );
            }
        }
        (a, b) if json_type(a) != json_type(b) => diff.push(
            render(at, path),
            format!("type changed from {} to {}", json_type(a), json_type(b)),
            Breaks::BOTH,
        ),
        (a, b) => {
            if a != b && !rules.covers_values(path) {
                diff.push(
                    render(at, path),
                    format!("value changed from {a} to {b}"),
                    Breaks::BOTH,
                );
            }
        }
    }
}
