//! Example values checked against the regex matchers that apply to them: an example its own
//! matcher rejects makes the contract contradict itself (a mock provider would serve, or
//! expect, a value the contract forbids).

use serde_json::{Map, Value};

use super::{Found, PathStep, WRAPPER_KEYS, parse_path_expression};
use crate::model::RuleCategory;
use crate::spec::{self, push_key};

/// A regex matcher of a request, response or message, and what it applies to.
pub(super) struct RegexRule {
    pub(super) category: RuleCategory,
    /// The header, query or metadata name, or the body path expression.
    pub(super) key: String,
    /// JSON path of the matcher's `regex` attribute.
    pub(super) at: String,
    pub(super) regex: regex::Regex,
}

/// Reports example values that the regex matcher applying to them rejects: the consumer's
/// own example would fail its contract. Only values the file shows directly are checked
/// (JSON bodies, headers, query parameters, the path, metadata); like Pact, a regex matches
/// when it finds a match anywhere in the value.
pub(super) fn check_regex_examples(
    part: &Map<String, Value>,
    regexes: &[RegexRule],
    found: &mut Found,
) {
    for rule in regexes {
        let examples: Vec<(String, String)> = match rule.category {
            RuleCategory::Body => {
                let Some(body) = json_body(part) else {
                    continue;
                };
                let Ok(steps) = parse_path_expression(&rule.key) else {
                    continue;
                };
                let mut out = Vec::new();
                select(body, &steps, &mut String::from("$"), &mut out);
                out.into_iter()
                    .map(|(at, v)| (format!("body {at}"), v))
                    .collect()
            }
            RuleCategory::Header => named_values(part.get("headers"), &rule.key, true)
                .into_iter()
                .map(|(name, v)| (format!("header {name}"), v))
                .collect(),
            RuleCategory::Query => match part.get("query") {
                Some(Value::String(raw)) => spec::parse_query_string(raw)
                    .get(&rule.key)
                    .map(|values| {
                        values
                            .iter()
                            .map(|v| (format!("query parameter {}", rule.key), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                other => named_values(other, &rule.key, false)
                    .into_iter()
                    .map(|(name, v)| (format!("query parameter {name}"), v))
                    .collect(),
            },
            RuleCategory::Path => part
                .get("path")
                .and_then(Value::as_str)
                .map(|path| vec![("the path".to_owned(), path.to_owned())])
                .unwrap_or_default(),
            RuleCategory::Metadata => {
                let metadata = part.get("metadata").or_else(|| part.get("metaData"));
                named_values(metadata, &rule.key, false)
                    .into_iter()
                    .map(|(name, v)| (format!("metadata {name}"), v))
                    .collect()
            }
            RuleCategory::Method | RuleCategory::Status => Vec::new(),
        };
        for (place, example) in examples {
            let whole = rule.regex.is_match(&example);
            // Header values written as one comma-separated string may be matched per value.
            let each = rule.category == RuleCategory::Header
                && example.contains(',')
                && example.split(',').all(|v| rule.regex.is_match(v.trim()));
            if !whole && !each {
                found.semantic(
                    rule.at.clone(),
                    format!(
                        "the example {example:?} at {place} does not match the regex {:?}",
                        rule.regex.as_str()
                    ),
                );
            }
        }
    }
}

/// The JSON content of a body, when the file shows it as JSON (not encoded, not text).
fn json_body(part: &Map<String, Value>) -> Option<&Value> {
    let body = part.get("body").or_else(|| part.get("contents"))?;
    let content = match body {
        Value::Object(map)
            if (map.contains_key("content") || map.contains_key("contents"))
                && map.keys().all(|k| WRAPPER_KEYS.contains(&k.as_str())) =>
        {
            if map.get("encoded").is_some_and(|e| e != &Value::Bool(false)) {
                return None;
            }
            map.get("content").or_else(|| map.get("contents"))?
        }
        other => other,
    };
    matches!(content, Value::Object(_) | Value::Array(_)).then_some(content)
}

/// The scalar values a body path expression selects, with their concrete paths.
fn select(value: &Value, steps: &[PathStep], here: &mut String, out: &mut Vec<(String, String)>) {
    let Some((step, rest)) = steps.split_first() else {
        match value {
            Value::String(text) => out.push((here.clone(), text.clone())),
            Value::Number(_) | Value::Bool(_) => out.push((here.clone(), value.to_string())),
            _ => {}
        }
        return;
    };
    let len = here.len();
    match (step, value) {
        (PathStep::Field(name), Value::Object(map)) => {
            if let Some(child) = map.get(name) {
                push_key(here, name);
                select(child, rest, here, out);
            }
        }
        (PathStep::Index(i), Value::Array(items)) => {
            if let Some(child) = items.get(*i) {
                here.push_str(&format!("[{i}]"));
                select(child, rest, here, out);
            }
        }
        (PathStep::Any, Value::Object(map)) => {
            for (name, child) in map {
                push_key(here, name);
                select(child, rest, here, out);
                here.truncate(len);
            }
        }
        (PathStep::Any, Value::Array(items)) => {
            for (i, child) in items.iter().enumerate() {
                here.push_str(&format!("[{i}]"));
                select(child, rest, here, out);
                here.truncate(len);
            }
        }
        _ => {}
    }
    here.truncate(len);
}

/// The values of a header, query parameter or metadata entry, by name.
fn named_values(map: Option<&Value>, name: &str, ignore_case: bool) -> Vec<(String, String)> {
    let Some(Value::Object(map)) = map else {
        return Vec::new();
    };
    let found = map.iter().find(|(key, _)| {
        if ignore_case {
            key.eq_ignore_ascii_case(name)
        } else {
            key.as_str() == name
        }
    });
    let Some((key, value)) = found else {
        return Vec::new();
    };
    let scalar = |v: &Value| match v {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(scalar)
            .map(|v| (key.clone(), v))
            .collect(),
        other => scalar(other)
            .map(|v| vec![(key.clone(), v)])
            .unwrap_or_default(),
    }
}
