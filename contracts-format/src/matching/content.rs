//! Content types: parsing `type/subtype; param=value` values, comparing them as Pact does
//! (case-insensitive type, expected parameters must be present), and sniffing the type of
//! raw content from its first bytes.

/// A parsed media type with its parameters (names lower-cased, values unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediaType {
    pub(crate) essence: String,
    pub(crate) params: Vec<(String, String)>,
}

impl MediaType {
    /// Parses `Text/HTML; Charset="UTF-8"`; `None` without a `/` in the essence.
    pub(crate) fn parse(text: &str) -> Option<MediaType> {
        let mut parts = split_outside_quotes(text, ';').into_iter();
        let essence = parts.next()?.trim().to_ascii_lowercase();
        let (kind, sub) = essence.split_once('/')?;
        if kind.is_empty() || sub.is_empty() || essence.contains(char::is_whitespace) {
            return None;
        }
        let params = parts
            .filter_map(|p| {
                let (name, value) = p.split_once('=')?;
                let value = value.trim();
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value);
                Some((name.trim().to_ascii_lowercase(), value.to_owned()))
            })
            .collect();
        Some(MediaType { essence, params })
    }

    /// True when `actual` has the same essence and every parameter of `self` (charset values
    /// compare without case, others exactly). Extra actual parameters are allowed.
    pub(crate) fn accepts(&self, actual: &MediaType) -> bool {
        self.essence == actual.essence
            && self.params.iter().all(|(name, value)| {
                actual.params.iter().any(|(n, v)| {
                    n == name
                        && if name == "charset" {
                            v.eq_ignore_ascii_case(value)
                        } else {
                            v == value
                        }
                })
            })
    }
}

/// Splits on `separator` except inside double quotes.
pub(crate) fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// True when two content types name the same media type (parameters ignored).
pub(crate) fn same_media_type(a: &str, b: &str) -> bool {
    crate::model::media_type(a) == crate::model::media_type(b)
}

/// The content type of raw content, from magic bytes for common binary formats, then by
/// shape for text (JSON, XML, HTML, plain text). `None` when nothing fits.
pub(crate) fn detect(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 12] = [
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
        (b"BM", "image/bmp"),
        (b"II*\x00", "image/tiff"),
        (b"MM\x00*", "image/tiff"),
        (b"\x00asm", "application/wasm"),
        (b"OggS", "application/ogg"),
    ];
    if let Some((_, found)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(found);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let lower: String = trimmed
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        Some("text/html")
    } else if trimmed.starts_with("<?xml")
        || (trimmed.starts_with('<') && roxmltree::Document::parse(trimmed).is_ok())
    {
        Some("application/xml")
    } else if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde_json::Value>(trimmed).is_ok()
    {
        Some("application/json")
    } else {
        Some("text/plain")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares_media_types() {
        let expected = MediaType::parse("application/json;charset=utf-8").unwrap();
        let actual = MediaType::parse("Application/JSON; charset=UTF-8").unwrap();
        assert!(expected.accepts(&actual));
        let bare = MediaType::parse("application/json").unwrap();
        assert!(bare.accepts(&actual), "extra parameters are allowed");
        assert!(!expected.accepts(&bare), "expected parameters are required");
        let utf16 = MediaType::parse("application/json; charset=UTF-16").unwrap();
        assert!(!utf16.accepts(&actual));
        let a =
            MediaType::parse("text/x-okie; charset=iso-8859-1;\n declaration=\"<a;b>\"").unwrap();
        let b = MediaType::parse("Text/x-Okie; declaration=\"<a;b>\"; charset=iso-8859-1").unwrap();
        assert!(a.accepts(&b));
        assert!(MediaType::parse("alligators").is_none());
    }

    #[test]
    fn sniffs_common_types() {
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(detect(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(detect(b"{\"a\": 1}"), Some("application/json"));
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><a/>"),
            Some("application/xml")
        );
        assert_eq!(detect(b"<!DOCTYPE html><html></html>"), Some("text/html"));
        assert_eq!(detect(b"hello"), Some("text/plain"));
        assert_eq!(detect(&[0xff, 0xfe, 0x00, 0x01]), None);
        assert!(same_media_type(
            "application/json; charset=utf-8",
            "Application/JSON"
        ));
    }
}
