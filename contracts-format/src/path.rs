//! The matching-rule path expression language (`$.items[*].id`, `$['a b']`, `$.*`) and the
//! "most specific expression wins" weighting of an expression against a concrete path.
//!
//! An expression is parsed once into tokens; weighting it against a concrete path multiplies
//! one factor per token: the root and a matching name or index count 2, a wildcard 1, and any
//! mismatch makes the whole weight 0. An expression shorter than the path applies to the
//! path's descendants too (rules cascade to children).

use std::fmt;

/// One step of a parsed path expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathToken {
    /// `$`, the root of the document.
    Root,
    /// `.name` or `['name']`: a named member (an XML attribute is `@name`, XML text `#text`).
    Field(String),
    /// `[n]`: the element at index `n`.
    Index(usize),
    /// `.*`: any member name or array index.
    Star,
    /// `[*]`: any array index.
    StarIndex,
}

/// One step of a concrete path inside a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segment<'a> {
    /// A member of an object (or an XML element, attribute or text node).
    Field(&'a str),
    /// An element of an array.
    Index(usize),
}

/// A parsed path expression, such as the key of a body matching rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathExpr {
    tokens: Vec<PathToken>,
}

/// Why a path expression could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid path expression {expression:?} at character {position}: {reason}")]
pub struct PathError {
    /// The expression as written.
    pub expression: String,
    /// Character offset of the problem.
    pub position: usize,
    /// What was wrong.
    pub reason: &'static str,
}

impl PathExpr {
    /// Parses an expression. A leading `$` is optional (`a.b` reads as `$.a.b`).
    pub fn parse(expression: &str) -> Result<Self, PathError> {
        Parser {
            text: expression,
            pos: 0,
        }
        .parse()
    }

    /// The tokens, starting with [`PathToken::Root`].
    pub fn tokens(&self) -> &[PathToken] {
        &self.tokens
    }

    /// The weight of this expression for a concrete path given as its steps below the root:
    /// 0 when it does not apply, higher for more specific expressions. Expressions shorter
    /// than the path apply through cascading.
    pub fn weight_for(&self, path: &[PathStep<'_>]) -> u64 {
        let segments: Vec<Segment<'_>> = path
            .iter()
            .map(|step| match step {
                PathStep::Field(name) => Segment::Field(name),
                PathStep::Index(i) => Segment::Index(*i),
            })
            .collect();
        self.weight(&segments)
    }

    pub(crate) fn weight(&self, path: &[Segment<'_>]) -> u64 {
        let below_root = &self.tokens[1..];
        if below_root.len() > path.len() {
            return 0;
        }
        let mut weight = 2u64;
        for (token, segment) in below_root.iter().zip(path) {
            let factor = token_weight(token, *segment);
            if factor == 0 {
                return 0;
            }
            weight = weight.saturating_mul(factor);
        }
        weight
    }

    /// The expression without its index steps (`[n]`, `[*]` and numeric names such as `.0`).
    /// XML rule paths are written both with and without element indexes; Accord addresses
    /// XML nodes by names only.
    pub(crate) fn without_indexes(&self) -> PathExpr {
        PathExpr {
            tokens: self
                .tokens
                .iter()
                .filter(|t| match t {
                    PathToken::Index(_) | PathToken::StarIndex => false,
                    PathToken::Field(name) => !is_number(name),
                    _ => true,
                })
                .cloned()
                .collect(),
        }
    }

    /// Number of tokens below the root.
    pub(crate) fn depth(&self) -> usize {
        self.tokens.len() - 1
    }
}

/// One step of a concrete path, for [`PathExpr::weight_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep<'a> {
    /// A member name.
    Field(&'a str),
    /// An array index.
    Index(usize),
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The factor one expression token contributes for one concrete step (0: no match).
pub(crate) fn token_weight(token: &PathToken, segment: Segment<'_>) -> u64 {
    match (token, segment) {
        (PathToken::Field(name), Segment::Field(actual)) if name == actual => 2,
        (PathToken::Field(name), Segment::Index(i)) if is_number(name) && name.parse() == Ok(i) => {
            2
        }
        (PathToken::Index(n), Segment::Index(i)) if *n == i => 2,
        (PathToken::Star, _) => 1,
        (PathToken::StarIndex, Segment::Index(_)) => 1,
        _ => 0,
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, reason: &'static str) -> PathError {
        PathError {
            expression: self.text.to_owned(),
            position: self.pos,
            reason,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn parse(mut self) -> Result<PathExpr, PathError> {
        let mut tokens = vec![PathToken::Root];
        let trimmed = self.text.trim();
        if trimmed.is_empty() {
            return Err(self.error("empty expression"));
        }
        if self.rest().starts_with('$') {
            self.pos += 1;
        } else if !self.rest().starts_with(['.', '[']) {
            // A bare name: `a.b` reads as `$.a.b`.
            tokens.push(self.name()?);
        }
        while !self.rest().is_empty() {
            if self.rest().starts_with('.') {
                self.pos += 1;
                tokens.push(self.name()?);
            } else if self.rest().starts_with('[') {
                self.pos += 1;
                tokens.push(self.bracket()?);
            } else {
                return Err(self.error("expected `.` or `[`"));
            }
        }
        Ok(PathExpr { tokens })
    }

    fn name(&mut self) -> Result<PathToken, PathError> {
        let rest = self.rest();
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        if end == 0 {
            return Err(self.error("expected a name"));
        }
        let name = &rest[..end];
        self.pos += end;
        Ok(if name == "*" {
            PathToken::Star
        } else {
            PathToken::Field(name.to_owned())
        })
    }

    fn bracket(&mut self) -> Result<PathToken, PathError> {
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let mut name = String::new();
            let mut chars = rest[1..].char_indices();
            while let Some((i, c)) = chars.next() {
                if c == '\\' {
                    if let Some((_, escaped)) = chars.next() {
                        name.push(escaped);
                    }
                } else if c == quote {
                    let after = 1 + i + 1;
                    if !rest[after..].starts_with(']') {
                        self.pos += after;
                        return Err(self.error("expected `]` after a quoted name"));
                    }
                    self.pos += after + 1;
                    return Ok(PathToken::Field(name));
                } else {
                    name.push(c);
                }
            }
            return Err(self.error("unterminated quoted name"));
        }
        let end = rest.find(']').ok_or_else(|| self.error("expected `]`"))?;
        let inner = rest[..end].trim();
        let token = if inner == "*" {
            PathToken::StarIndex
        } else if let Ok(index) = inner.parse() {
            PathToken::Index(index)
        } else {
            return Err(self.error("expected an index, `*` or a quoted name"));
        };
        self.pos += end + 1;
        Ok(token)
    }
}

impl fmt::Display for PathExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for token in &self.tokens {
            match token {
                PathToken::Root => out.push('$'),
                PathToken::Field(name) => crate::spec::push_key(&mut out, name),
                PathToken::Index(i) => out.push_str(&format!("[{i}]")),
                PathToken::Star => out.push_str(".*"),
                PathToken::StarIndex => out.push_str("[*]"),
            }
        }
        f.write_str(&out)
    }
}

/// Renders a concrete path: `$.items[2]['a b']`.
pub(crate) fn render(path: &[Segment<'_>]) -> String {
    let mut out = String::from("$");
    for segment in path {
        match segment {
            Segment::Field(name) => crate::spec::push_key(&mut out, name),
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<PathToken> {
        PathExpr::parse(text).unwrap().tokens
    }

    fn field(name: &str) -> PathToken {
        PathToken::Field(name.to_owned())
    }

    #[test]
    fn parses_every_form() {
        use PathToken::*;
        assert_eq!(parse("$"), vec![Root]);
        assert_eq!(
            parse("$.a[*].b"),
            vec![Root, field("a"), StarIndex, field("b")]
        );
        assert_eq!(parse("$['x y'][2]"), vec![Root, field("x y"), Index(2)]);
        assert_eq!(parse("$.*"), vec![Root, Star]);
        assert_eq!(parse("$[\"it's\"]"), vec![Root, field("it's")]);
        assert_eq!(parse("$['a\\'b']"), vec![Root, field("a'b")]);
        assert_eq!(
            parse("$.alligator['@name'].#text"),
            vec![Root, field("alligator"), field("@name"), field("#text")]
        );
        assert_eq!(parse("a.b"), vec![Root, field("a"), field("b")]);
    }

    #[test]
    fn rejects_malformed_expressions() {
        for bad in ["", "$.", "$[", "$['a'", "$[x]", "$..a", "$a"] {
            assert!(PathExpr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn displays_round_trip() {
        for text in ["$", "$.a[*].b", "$['x y'][2]", "$.*"] {
            assert_eq!(PathExpr::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn weights_follow_the_most_specific_rule() {
        let path = [
            PathStep::Field("animals"),
            PathStep::Index(0),
            PathStep::Field("name"),
        ];
        let weight = |expr: &str| PathExpr::parse(expr).unwrap().weight_for(&path);
        assert_eq!(weight("$"), 2);
        assert_eq!(weight("$.animals"), 4);
        assert_eq!(weight("$.animals[*]"), 4);
        assert_eq!(weight("$.animals[0]"), 8);
        assert_eq!(weight("$.animals[*].name"), 8);
        assert_eq!(weight("$.animals[0].name"), 16);
        assert_eq!(weight("$.*[*].*"), 2);
        assert_eq!(weight("$.animals[1].name"), 0);
        assert_eq!(weight("$.animals.name"), 0);
        assert_eq!(weight("$.animals[0].name.first"), 0);
        assert_eq!(weight("$.animals[*]"), weight("$.animals"));
        // `[*]` only matches indexes, `.*` matches names too.
        assert_eq!(weight("$[*]"), 0);
        assert_eq!(weight("$.*"), 2);
        // Numeric names address indexes (V2 files write `$.animals.0`).
        assert_eq!(weight("$.animals.0"), 8);
    }

    #[test]
    fn indexes_can_be_dropped_for_xml() {
        let expr = PathExpr::parse("$.animals[*].alligator[0].0['@a']").unwrap();
        assert_eq!(
            expr.without_indexes().to_string(),
            "$.animals.alligator['@a']"
        );
    }
}
