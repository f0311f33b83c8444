//! Typed access to JSON values that reports the JSON path on a type error.

use serde_json::{Map, Value};

use super::json_path::At;
use crate::error::{ParseError, Problem};

pub(crate) type Result<T> = std::result::Result<T, ParseError>;

/// The JSON type name of a value, for error messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn wrong_type(at: &At<'_>, expected: &'static str, found: &Value) -> ParseError {
    ParseError::invalid(
        at.render(),
        Problem::WrongType {
            expected,
            found: type_name(found),
        },
    )
}

pub(crate) fn problem(at: &At<'_>, problem: Problem) -> ParseError {
    ParseError::invalid(at.render(), problem)
}

pub(crate) fn bad_value(at: &At<'_>, expected: &'static str, found: &Value) -> ParseError {
    ParseError::invalid(
        at.render(),
        Problem::BadValue {
            expected,
            found: found.to_string(),
        },
    )
}

pub(crate) fn object(value: Value, at: &At<'_>) -> Result<Map<String, Value>> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(wrong_type(at, "an object", &other)),
    }
}

pub(crate) fn array(value: Value, at: &At<'_>) -> Result<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(wrong_type(at, "an array", &other)),
    }
}

pub(crate) fn string(value: Value, at: &At<'_>) -> Result<String> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(wrong_type(at, "a string", &other)),
    }
}

pub(crate) fn boolean(value: &Value, at: &At<'_>) -> Result<bool> {
    value
        .as_bool()
        .ok_or_else(|| wrong_type(at, "a boolean", value))
}

/// A non-negative integer (also accepted as a numeric string, which some writers emit).
pub(crate) fn count(value: &Value, at: &At<'_>) -> Result<usize> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| bad_value(at, "a non-negative integer", value)),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| bad_value(at, "a non-negative integer", value)),
        other => Err(wrong_type(at, "a non-negative integer", other)),
    }
}

pub(crate) fn integer(value: &Value, at: &At<'_>) -> Result<i64> {
    match value {
        Value::Number(n) => n.as_i64().ok_or_else(|| bad_value(at, "an integer", value)),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| bad_value(at, "an integer", value)),
        other => Err(wrong_type(at, "an integer", other)),
    }
}

/// For `#[serde(deserialize_with = "present", default)]` on an `Option` field: a member
/// written as `null` becomes `Some(null)` instead of `None`, so that it stays distinct from
/// an absent one.
pub(crate) fn present<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Removes `key` from `map` and reads it as a string, if present and not null.
pub(crate) fn take_string(
    map: &mut Map<String, Value>,
    key: &'static str,
    at: &At<'_>,
) -> Result<Option<String>> {
    optional_string(map.remove(key), key, at)
}

/// Reads the member `key` of the object at `at` (already taken out) as a string, if present
/// and not null.
pub(crate) fn optional_string(
    value: Option<Value>,
    key: &'static str,
    at: &At<'_>,
) -> Result<Option<String>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => string(value, &at.key(key)).map(Some),
    }
}

/// Removes `key` from `map` and reads it as a string; absent is an error.
pub(crate) fn require_string(
    map: &mut Map<String, Value>,
    key: &'static str,
    at: &At<'_>,
) -> Result<String> {
    take_string(map, key, at)?.ok_or_else(|| problem(at, Problem::Missing(key)))
}

/// Removes `key` from `map` and reads it as an object; absent or null give an empty map.
pub(crate) fn take_object(
    map: &mut Map<String, Value>,
    key: &'static str,
    at: &At<'_>,
) -> Result<Map<String, Value>> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(value) => object(value, &at.key(key)),
    }
}
