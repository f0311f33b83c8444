//! Bodies of requests, responses and messages.

use serde_json::Value;

/// A body as a contract states it.
///
/// The three states matter to matching: a [`Body::Missing`] expected body accepts anything,
/// while a present body must match (an empty one means "must be empty").
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    /// The contract says nothing about the body.
    #[default]
    Missing,
    /// The body is JSON `null` (a legacy file's `"body": null`).
    Null,
    /// The body has content (possibly empty).
    Present(BodyContent),
}

/// Content of a present body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyContent {
    /// The declared content type (`application/json`, `text/xml; charset=utf-8`...), if any.
    pub content_type: Option<String>,
    /// The content itself.
    pub value: BodyValue,
    /// V4's `contentTypeHint`: whether content of an unknown type should be treated as text
    /// or binary.
    pub hint: Option<ContentTypeHint>,
}

/// The content of a body, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyValue {
    /// A JSON document.
    Json(Value),
    /// Text: plain text, XML, form-urlencoded...
    Text(String),
    /// Binary data (stored base64-encoded in V4 files).
    Bytes(Vec<u8>),
}

/// V4's hint for content types that are neither obviously text nor binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentTypeHint {
    /// Treat as text.
    Text,
    /// Treat as binary.
    Binary,
}

impl Body {
    /// A JSON body with content type `application/json`.
    pub fn json(value: Value) -> Self {
        Body::Present(BodyContent {
            content_type: Some("application/json".to_owned()),
            value: BodyValue::Json(value),
            hint: None,
        })
    }

    /// A text body with the given content type.
    pub fn text(text: impl Into<String>, content_type: Option<&str>) -> Self {
        Body::Present(BodyContent {
            content_type: content_type.map(str::to_owned),
            value: BodyValue::Text(text.into()),
            hint: None,
        })
    }

    /// A binary body with the given content type.
    pub fn bytes(bytes: Vec<u8>, content_type: Option<&str>) -> Self {
        Body::Present(BodyContent {
            content_type: content_type.map(str::to_owned),
            value: BodyValue::Bytes(bytes),
            hint: None,
        })
    }

    /// Builds a body from raw bytes seen on the wire, using the content type to decide how to
    /// read them: JSON types are parsed (falling back to text when they do not parse), text
    /// types and valid UTF-8 become text, anything else stays binary. Empty bytes give an empty
    /// present body.
    pub fn from_wire(bytes: &[u8], content_type: Option<&str>) -> Self {
        let owned_type = content_type.map(str::to_owned);
        if bytes.is_empty() {
            return Body::Present(BodyContent {
                content_type: owned_type,
                value: BodyValue::Text(String::new()),
                hint: None,
            });
        }
        let value = match content_type {
            Some(ct) if is_json_content_type(ct) => match serde_json::from_slice(bytes) {
                Ok(value) => BodyValue::Json(value),
                Err(_) => text_or_bytes(bytes),
            },
            Some(ct) if is_text_content_type(ct) => text_or_bytes(bytes),
            Some(_) => BodyValue::Bytes(bytes.to_vec()),
            None => match serde_json::from_slice::<Value>(bytes) {
                Ok(value @ (Value::Object(_) | Value::Array(_))) => BodyValue::Json(value),
                _ => text_or_bytes(bytes),
            },
        };
        Body::Present(BodyContent {
            content_type: owned_type,
            value,
            hint: None,
        })
    }

    /// The body's content, when present.
    pub fn content(&self) -> Option<&BodyContent> {
        match self {
            Body::Present(content) => Some(content),
            _ => None,
        }
    }

    /// The declared content type, when present.
    pub fn content_type(&self) -> Option<&str> {
        self.content().and_then(|c| c.content_type.as_deref())
    }

    /// The bytes that would be sent on the wire (JSON serialised compactly).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Missing => Vec::new(),
            Body::Null => b"null".to_vec(),
            Body::Present(content) => match &content.value {
                BodyValue::Json(value) => serde_json::to_vec(value).unwrap_or_default(),
                BodyValue::Text(text) => text.as_bytes().to_vec(),
                BodyValue::Bytes(bytes) => bytes.clone(),
            },
        }
    }
}

fn text_or_bytes(bytes: &[u8]) -> BodyValue {
    match std::str::from_utf8(bytes) {
        Ok(text) => BodyValue::Text(text.to_owned()),
        Err(_) => BodyValue::Bytes(bytes.to_vec()),
    }
}

/// The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` gives
/// `application/json`.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// True for `application/json`, `application/*+json` and `*/json` types.
pub fn is_json_content_type(content_type: &str) -> bool {
    let media = media_type(content_type);
    media.ends_with("/json") || media.ends_with("+json")
}

/// True for XML types: `application/xml`, `text/xml`, `*/*+xml`.
pub fn is_xml_content_type(content_type: &str) -> bool {
    let media = media_type(content_type);
    media.ends_with("/xml") || media.ends_with("+xml")
}

/// True for types whose content is text: `text/*`, JSON, XML, form-urlencoded, JavaScript...
pub fn is_text_content_type(content_type: &str) -> bool {
    let media = media_type(content_type);
    media.starts_with("text/")
        || is_json_content_type(&media)
        || is_xml_content_type(&media)
        || media == "application/x-www-form-urlencoded"
        || media == "application/javascript"
        || media == "application/graphql"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_bodies_are_read_by_content_type() {
        assert_eq!(
            Body::from_wire(br#"{"a":1}"#, Some("application/json; charset=utf-8")),
            Body::Present(BodyContent {
                content_type: Some("application/json; charset=utf-8".into()),
                value: BodyValue::Json(json!({"a": 1})),
                hint: None
            })
        );
        let xml = Body::from_wire(b"<a/>", Some("application/xml"));
        assert!(matches!(xml.content().unwrap().value, BodyValue::Text(_)));
        let binary = Body::from_wire(&[0xff, 0, 1], Some("application/octet-stream"));
        assert!(matches!(
            binary.content().unwrap().value,
            BodyValue::Bytes(_)
        ));
        let sniffed = Body::from_wire(b"[1,2]", None);
        assert_eq!(
            sniffed.content().unwrap().value,
            BodyValue::Json(json!([1, 2]))
        );
        let broken_json = Body::from_wire(b"{oops", Some("application/json"));
        assert_eq!(
            broken_json.content().unwrap().value,
            BodyValue::Text("{oops".into())
        );
    }

    #[test]
    fn content_type_families() {
        assert!(is_json_content_type("application/vnd.api+json"));
        assert!(is_xml_content_type("text/xml;charset=UTF-8"));
        assert!(is_text_content_type("application/x-www-form-urlencoded"));
        assert!(!is_text_content_type("image/png"));
    }
}
