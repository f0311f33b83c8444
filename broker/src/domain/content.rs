//! Contract content: validation, normalisation and the content hash ("pact version" SHA).
//!
//! Two documents that differ only in key order or whitespace are the same content: the hash is
//! the SHA-256 of the JSON with object keys sorted and no insignificant whitespace.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::store::PactContent;

/// Why content was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// Not valid UTF-8 / JSON.
    #[error("is not valid JSON: {0}")]
    NotJson(String),
    /// Valid JSON but not an object.
    #[error("must be a JSON object")]
    NotAnObject,
}

/// Parses contract bytes, checks they are a JSON object and computes the content hash.
pub fn parse(bytes: Vec<u8>) -> Result<(PactContent, Value), ContentError> {
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| ContentError::NotJson(e.to_string()))?;
    if !value.is_object() {
        return Err(ContentError::NotAnObject);
    }
    let sha = sha256_hex(normalise(&value).as_bytes());
    Ok((PactContent { sha, bytes }, value))
}

/// The JSON text of `value` with object keys sorted and no whitespace.
pub fn normalise(value: &Value) -> String {
    let mut out = String::new();
    write_normalised(value, &mut out);
    out
}

fn write_normalised(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_normalised(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_normalised(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `consumer.name` / `provider.name` of a contract document, when present.
pub fn participant_name<'a>(document: &'a Value, role: &str) -> Option<&'a str> {
    document.get(role)?.get("name")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_whitespace_do_not_change_the_hash() {
        let (a, _) = parse(br#"{"b": 1, "a": {"y": [1, 2], "x": "s"}}"#.to_vec()).unwrap();
        let (b, _) = parse(br#"{"a":{"x":"s","y":[1,2]},"b":1}"#.to_vec()).unwrap();
        assert_eq!(a.sha, b.sha);
        assert_ne!(a.bytes, b.bytes);
    }

    #[test]
    fn array_order_and_values_change_the_hash() {
        let (a, _) = parse(br#"{"a":[1,2]}"#.to_vec()).unwrap();
        let (b, _) = parse(br#"{"a":[2,1]}"#.to_vec()).unwrap();
        let (c, _) = parse(br#"{"a":[1,3]}"#.to_vec()).unwrap();
        assert_ne!(a.sha, b.sha);
        assert_ne!(a.sha, c.sha);
    }

    #[test]
    fn normalised_text_is_sorted_and_compact() {
        let value: Value =
            serde_json::from_str(r#"{ "z": "é\"", "a": [ true, null, 1.5 ] }"#).unwrap();
        assert_eq!(normalise(&value), r#"{"a":[true,null,1.5],"z":"é\""}"#);
    }

    #[test]
    fn refuses_non_objects_and_bad_json() {
        assert_eq!(
            parse(b"[1]".to_vec()).unwrap_err(),
            ContentError::NotAnObject
        );
        assert!(matches!(
            parse(b"{".to_vec()).unwrap_err(),
            ContentError::NotJson(_)
        ));
        assert!(matches!(
            parse(vec![0xff, 0xfe]).unwrap_err(),
            ContentError::NotJson(_)
        ));
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
