//! Accord's JSON schema for V4 contract files, and checking documents against it.
//!
//! The schema covers the shape of a file (required members, JSON types, the interaction
//! kinds, the body wrapper, how matching rules and generators are grouped). What a schema
//! cannot say — known matcher names, regular expressions that compile, path expressions,
//! encodings, bodies that parse as their content type — is checked by [`crate::validate`].

use std::sync::OnceLock;

use jsonschema::paths::LocationSegment;
use serde_json::Value;

use crate::spec::push_key;

/// The JSON schema of V4 contract files (draft 2020-12), as shipped in
/// `contracts-format/schema/contract-v4.schema.json`.
pub const CONTRACT_V4_SCHEMA: &str = include_str!("../schema/contract-v4.schema.json");

/// One place where a document does not conform to the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchemaViolation {
    /// JSON path of the offending value, e.g. `$.interactions[0].response.status`.
    pub(crate) at: String,
    /// What is wrong there.
    pub(crate) message: String,
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(CONTRACT_V4_SCHEMA).expect("the shipped schema is valid JSON");
        jsonschema::validator_for(&schema).expect("the shipped schema is a valid JSON schema")
    })
}

/// Checks a parsed document against the V4 schema and returns every violation, in document
/// order as the validator reports them.
pub(crate) fn check_v4(document: &Value) -> Vec<SchemaViolation> {
    validator()
        .iter_errors(document)
        .map(|error| {
            let at = render_location(document, error.instance_path().iter());
            let placeholder = describe(error.instance());
            SchemaViolation {
                at,
                message: error.masked_with(placeholder).to_string(),
            }
        })
        .collect()
}

/// Renders a JSON pointer as a JSON path, using the document to tell array indexes from
/// object members whose names are digits.
fn render_location<'a>(
    document: &Value,
    segments: impl Iterator<Item = LocationSegment<'a>>,
) -> String {
    let mut out = String::from("$");
    let mut current = Some(document);
    for segment in segments {
        let name = match &segment {
            LocationSegment::Property(name) => name.to_string(),
            LocationSegment::Index(i) => i.to_string(),
        };
        match current {
            Some(Value::Array(items)) => {
                let index = name.parse::<usize>().ok();
                out.push_str(&format!("[{name}]"));
                current = index.and_then(|i| items.get(i));
            }
            Some(Value::Object(map)) => {
                push_key(&mut out, &name);
                current = map.get(&name);
            }
            _ => {
                push_key(&mut out, &name);
                current = None;
            }
        }
    }
    out
}

/// A short stand-in for a value in messages: scalars as JSON, containers by type, so that a
/// whole interaction is never pasted into a one-line problem.
fn describe(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        scalar => {
            let text = scalar.to_string();
            if text.chars().count() > 60 {
                let short: String = text.chars().take(57).collect();
                format!("{short}...")
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "consumer": {"name": "web"},
            "provider": {"name": "orders"},
            "interactions": [{
                "type": "Synchronous/HTTP",
                "description": "get order",
                "request": {"method": "GET", "path": "/orders/1"},
                "response": {"status": 200,
                             "body": {"content": {"id": 1}, "contentType": "application/json",
                                      "encoded": false}}
            }],
            "metadata": {"pactSpecification": {"version": "4.0"}}
        })
    }

    #[test]
    fn the_shipped_schema_compiles_and_accepts_a_minimal_file() {
        assert_eq!(check_v4(&minimal()), Vec::new());
    }

    #[test]
    fn violations_name_the_json_path() {
        let mut doc = minimal();
        doc["interactions"][0]["response"]["status"] = json!("200");
        doc["interactions"][0]["request"]["headers"] = json!({"X-Id": [1]});
        doc.as_object_mut().unwrap().remove("consumer");
        let found = check_v4(&doc);
        let at: Vec<&str> = found.iter().map(|v| v.at.as_str()).collect();
        assert!(at.contains(&"$"), "{found:?}");
        assert!(
            at.contains(&"$.interactions[0].response.status"),
            "{found:?}"
        );
        assert!(
            at.contains(&"$.interactions[0].request.headers.X-Id[0]"),
            "{found:?}"
        );
        let status = found
            .iter()
            .find(|v| v.at.ends_with("status"))
            .expect("status violation");
        assert_eq!(status.message, r#""200" is not of type "integer""#);
    }

    #[test]
    fn digit_member_names_are_not_taken_for_indexes() {
        let doc = json!({"a": {"0": [5]}});
        let path = render_location(
            &doc,
            [
                LocationSegment::Property("a".into()),
                LocationSegment::Index(0),
                LocationSegment::Index(0),
            ]
            .into_iter(),
        );
        assert_eq!(path, "$.a['0'][0]");
    }

    #[test]
    fn body_wrappers_reject_unknown_members() {
        let mut doc = minimal();
        doc["interactions"][0]["response"]["body"] = json!({"id": 1});
        let found = check_v4(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].at, "$.interactions[0].response.body");
    }
}
