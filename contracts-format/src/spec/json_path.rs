//! Cheap tracking of where a reader is inside a JSON document, rendered only for errors.

use std::fmt::Write;

/// A position in a JSON document: a chain of frames on the reader's stack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    parent: Option<&'a At<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    /// The document root, `$`.
    pub(crate) const ROOT: At<'static> = At {
        parent: None,
        segment: Segment::Root,
    };

    /// The member `key` of the object here.
    pub(crate) fn key(&'a self, key: &'a str) -> At<'a> {
        At {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The element `index` of the array here.
    pub(crate) fn index(&'a self, index: usize) -> At<'a> {
        At {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// Renders the path: `$.interactions[2].request.matchingRules.body['$.a']`.
    pub(crate) fn render(&self) -> String {
        let mut frames = Vec::new();
        let mut current = Some(self);
        while let Some(frame) = current {
            frames.push(frame.segment);
            current = frame.parent;
        }
        let mut out = String::new();
        for segment in frames.iter().rev() {
            match segment {
                Segment::Root => out.push('$'),
                Segment::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Segment::Key(key) => push_key(&mut out, key),
            }
        }
        out
    }
}

/// Appends `.key`, or `['key']` when the key is not a plain identifier.
pub(crate) fn push_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        out.push('.');
        out.push_str(key);
    } else {
        out.push_str("['");
        out.push_str(&key.replace('\\', "\\\\").replace('\'', "\\'"));
        out.push_str("']");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_keys_and_indexes() {
        let root = At::ROOT;
        let interactions = root.key("interactions");
        let second = interactions.index(2);
        let rules = second.key("matchingRules");
        let odd = rules.key("$.a b");
        assert_eq!(odd.render(), "$.interactions[2].matchingRules['$.a b']");
        assert_eq!(root.render(), "$");
    }
}
