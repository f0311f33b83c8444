//! HAL documents: finding a relation's link and expanding templated hrefs.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// Characters percent-encoded in a path segment: everything but unreserved ones.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `href` of `relation` in a document's `_links` (the first one when the relation holds
/// an array of links).
pub(crate) fn link_href<'a>(document: &'a Value, relation: &str) -> Option<&'a str> {
    let link = document.get("_links")?.get(relation)?;
    let link = match link {
        Value::Array(links) => links.first()?,
        other => other,
    };
    link.get("href")?.as_str()
}

/// Replaces each `{name}` of a templated href by the percent-encoded value.
pub(crate) fn expand(template: &str, values: &[(&str, &str)]) -> String {
    let mut href = template.to_owned();
    for (name, value) in values {
        let encoded = utf8_percent_encode(value, SEGMENT).to_string();
        href = href.replace(&format!("{{{name}}}"), &encoded);
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_links_in_objects_and_arrays() {
        let doc = json!({"_links": {
            "self": {"href": "http://b/"},
            "pb:pacts": [{"href": "http://b/p1"}, {"href": "http://b/p2"}]
        }});
        assert_eq!(link_href(&doc, "self"), Some("http://b/"));
        assert_eq!(link_href(&doc, "pb:pacts"), Some("http://b/p1"));
        assert_eq!(link_href(&doc, "pb:nothing"), None);
    }

    #[test]
    fn expands_templates_with_encoded_segments() {
        assert_eq!(
            expand(
                "http://b/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
                &[
                    ("pacticipant", "order service"),
                    ("branch", "feat/x"),
                    ("version", "1.0")
                ]
            ),
            "http://b/pacticipants/order%20service/branches/feat%2Fx/versions/1.0"
        );
    }
}
