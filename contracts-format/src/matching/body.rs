//! Matching bodies by content type: JSON, XML, form-urlencoded, plain text and binary.
//!
//! A missing expected body accepts anything; a `null` expected body accepts a missing, null
//! or empty one; a present expected body needs a present actual body.

use std::borrow::Cow;

use indexmap::IndexMap;
use serde_json::Value;

use super::mismatch::{Mismatch, MismatchCategory, MismatchKind};
use super::rules::RuleSet;
use super::{content, json, parts, xml};
use crate::model::{
    Body, BodyContent, BodyValue, RuleList, is_json_content_type, is_xml_content_type, media_type,
};
use crate::spec::parse_query_string;

/// What the caller knows about the two bodies besides their content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyContext<'a> {
    /// Content type of the expected side (header, metadata or the body's own).
    pub(crate) expected_type: Option<&'a str>,
    /// Content type of the actual side.
    pub(crate) actual_type: Option<&'a str>,
    /// Body rules (`body` category).
    pub(crate) rules: Option<&'a IndexMap<String, RuleList>>,
    /// Whether keys, attributes and elements the contract does not mention are fine
    /// (responses and messages) or not (requests).
    pub(crate) allow_unexpected: bool,
}

fn is_empty(content: &BodyContent) -> bool {
    match &content.value {
        BodyValue::Text(text) => text.is_empty(),
        BodyValue::Bytes(bytes) => bytes.is_empty(),
        BodyValue::Json(Value::String(text)) => text.is_empty(),
        BodyValue::Json(_) => false,
    }
}

fn shown(content: &BodyContent) -> Value {
    match &content.value {
        BodyValue::Json(value) => value.clone(),
        BodyValue::Text(text) => Value::String(text.clone()),
        BodyValue::Bytes(bytes) => Value::String(format!("<{} bytes>", bytes.len())),
    }
}

fn body_mismatch(kind: MismatchKind) -> Mismatch {
    Mismatch::new(MismatchCategory::Body, "$", kind)
}

/// Compares an actual body with the expected one.
pub(crate) fn compare(expected: &Body, actual: &Body, cx: BodyContext<'_>) -> Vec<Mismatch> {
    let expected = match expected {
        Body::Missing => return Vec::new(),
        Body::Null => {
            return match actual {
                Body::Present(content)
                    if !is_empty(content) && content.value != BodyValue::Json(Value::Null) =>
                {
                    vec![
                        body_mismatch(MismatchKind::Unexpected)
                            .expected(Value::Null)
                            .actual(shown(content)),
                    ]
                }
                _ => Vec::new(),
            };
        }
        Body::Present(content) => content,
    };
    let actual = match actual {
        Body::Present(content) => content,
        Body::Null if expected.value == BodyValue::Json(Value::Null) => return Vec::new(),
        _ if is_empty(expected) => return Vec::new(),
        _ => {
            return vec![body_mismatch(MismatchKind::Missing).expected(shown(expected))];
        }
    };
    if is_empty(expected) {
        return if is_empty(actual) {
            Vec::new()
        } else {
            vec![
                body_mismatch(MismatchKind::Unexpected)
                    .expected(shown(expected))
                    .actual(shown(actual)),
            ]
        };
    }
    let expected_type = cx.expected_type.or(expected.content_type.as_deref());
    let actual_type = cx.actual_type.or(actual.content_type.as_deref());
    if let (Some(e), Some(a)) = (expected_type, actual_type)
        && !compatible_types(e, a)
    {
        return vec![
            body_mismatch(MismatchKind::ContentType)
                .expected(Value::String(e.to_owned()))
                .actual(Value::String(a.to_owned())),
        ];
    }
    let kind_type = expected_type.or(actual_type);
    match &expected.value {
        BodyValue::Json(e) => match actual_json(actual) {
            Ok(a) => {
                let rules = RuleSet::new(cx.rules, false);
                json::compare(&rules, e, &a, cx.allow_unexpected, MismatchCategory::Body)
            }
            Err(reason) => vec![
                body_mismatch(MismatchKind::Unreadable(reason))
                    .expected(e.clone())
                    .actual(shown(actual)),
            ],
        },
        BodyValue::Text(e) if kind_type.is_some_and(is_xml_content_type) || looks_like_xml(e) => {
            let rules = RuleSet::new(cx.rules, true);
            xml::compare(&rules, e, &actual_text(actual), cx.allow_unexpected)
        }
        BodyValue::Text(e)
            if kind_type.is_some_and(|t| media_type(t) == "application/x-www-form-urlencoded") =>
        {
            form(e, &actual_text(actual), cx)
        }
        BodyValue::Text(e) => {
            let actual = actual_text(actual);
            root_value(
                cx,
                Value::String(e.clone()),
                Value::String(actual),
                |e, a| e == a,
            )
        }
        BodyValue::Bytes(e) => {
            let actual_bytes = match &actual.value {
                BodyValue::Bytes(b) => b.clone(),
                BodyValue::Text(t) => t.as_bytes().to_vec(),
                BodyValue::Json(v) => v.to_string().into_bytes(),
            };
            binary(cx, e, &actual_bytes)
        }
    }
}

/// JSON types are compatible with each other (`application/json` and `+json` variants);
/// otherwise media types must be equal.
fn compatible_types(expected: &str, actual: &str) -> bool {
    (is_json_content_type(expected) && is_json_content_type(actual))
        || (is_xml_content_type(expected) && is_xml_content_type(actual))
        || media_type(expected) == media_type(actual)
}

fn looks_like_xml(text: &str) -> bool {
    text.trim_start().starts_with("<?xml")
}

fn actual_json(actual: &BodyContent) -> Result<Cow<'_, Value>, String> {
    match &actual.value {
        BodyValue::Json(value) => Ok(Cow::Borrowed(value)),
        BodyValue::Text(text) => serde_json::from_str(text)
            .map(Cow::Owned)
            .map_err(|e| e.to_string()),
        BodyValue::Bytes(bytes) => serde_json::from_slice(bytes)
            .map(Cow::Owned)
            .map_err(|e| e.to_string()),
    }
}

fn actual_text(actual: &BodyContent) -> String {
    match &actual.value {
        BodyValue::Json(Value::String(text)) => text.clone(),
        BodyValue::Json(value) => value.to_string(),
        BodyValue::Text(text) => text.clone(),
        BodyValue::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The rule list at `$`, if any.
fn root_rules<'a>(cx: BodyContext<'a>) -> Option<&'a RuleList> {
    cx.rules?
        .iter()
        .find(|(key, _)| key.trim() == "$")
        .map(|(_, list)| list)
        .filter(|list| !list.matchers.is_empty())
}

/// A text body as one value: rules at `$`, else `equal`.
fn root_value(
    cx: BodyContext<'_>,
    expected: Value,
    actual: Value,
    equal: impl Fn(&Value, &Value) -> bool,
) -> Vec<Mismatch> {
    match root_rules(cx) {
        Some(list) => parts::failing_rule(list, &expected, &actual, super::values::Domain::Text)
            .map(|rule| {
                body_mismatch(MismatchKind::Rule)
                    .expected(expected.clone())
                    .actual(actual.clone())
                    .rule(rule)
            })
            .into_iter()
            .collect(),
        None if equal(&expected, &actual) => Vec::new(),
        None => vec![
            body_mismatch(MismatchKind::Value)
                .expected(expected)
                .actual(actual),
        ],
    }
}

fn binary(cx: BodyContext<'_>, expected: &[u8], actual: &[u8]) -> Vec<Mismatch> {
    let show = |bytes: &[u8]| Value::String(format!("<{} bytes>", bytes.len()));
    if let Some(list) = root_rules(cx) {
        let failed = list.matchers.iter().find(|m| match m {
            crate::model::Matcher::ContentType(ct) => {
                !content::detect(actual).is_some_and(|found| content::same_media_type(found, ct))
            }
            crate::model::Matcher::Equality => expected != actual,
            _ => false,
        });
        return failed
            .map(|rule| {
                body_mismatch(MismatchKind::Rule)
                    .expected(show(expected))
                    .actual(show(actual))
                    .rule(rule)
            })
            .into_iter()
            .collect();
    }
    if expected == actual {
        Vec::new()
    } else {
        vec![
            body_mismatch(MismatchKind::Value)
                .expected(show(expected))
                .actual(show(actual)),
        ]
    }
}

/// Form bodies compare as parameters; rules are keyed `$.field`.
fn form(expected: &str, actual: &str, cx: BodyContext<'_>) -> Vec<Mismatch> {
    let e = parse_query_string(expected);
    let a = parse_query_string(actual);
    let rules: Vec<(crate::path::PathExpr, &RuleList)> = cx
        .rules
        .into_iter()
        .flatten()
        .filter_map(|(key, list)| Some((crate::path::PathExpr::parse(key).ok()?, list)))
        .collect();
    let rule_for = |name: &str| {
        let path = [crate::path::PathStep::Field(name)];
        rules
            .iter()
            .filter(|(expr, _)| expr.depth() == 1)
            .max_by_key(|(expr, _)| expr.weight_for(&path))
            .filter(|(expr, _)| expr.weight_for(&path) > 0)
            .map(|(_, list)| *list)
    };
    parts::params(
        &e,
        &a,
        rule_for,
        cx.allow_unexpected,
        MismatchCategory::Body,
    )
    .into_iter()
    .map(|mut m| {
        let mut path = String::from("$");
        crate::spec::push_key(&mut path, &m.path);
        m.path = path;
        m
    })
    .collect()
}
