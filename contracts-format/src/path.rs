//! The matching-rule path expression language (`$.items[*].id`, `$['a b']`, `$.*`) and the
//! "most specific expression wins" weighting of an expression against a concrete path.
//!
//! An expression is parsed once into steps; weighting it against a concrete path multiplies
//! one factor per step: the root and a matching name or index count 2, a wildcard 1, and any
//! mismatch makes the whole weight 0. An expression shorter than the path applies to the
//! path's descendants too (rules cascade to children).

use std::borrow::Cow;
use std::fmt;

/// One step of a parsed path expression below the root `$`. Names borrow from the
/// expression text when they can, so parsing rule keys for a match allocates little.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// `.name` or `['name']`: a named member (an XML attribute is `@name`, XML text `#text`).
    Field(Cow<'a, str>),
    /// `[n]`: the element at index `n`.
    Index(usize),
    /// `.*`: any member name or array index.
    Star,
    /// `[*]`: any array index.
    StarIndex,
}

impl Step<'_> {
    fn into_owned(self) -> Step<'static> {
        match self {
            Step::Field(name) => Step::Field(Cow::Owned(name.into_owned())),
            Step::Index(i) => Step::Index(i),
            Step::Star => Step::Star,
            Step::StarIndex => Step::StarIndex,
        }
    }

    /// True for `[n]`, `[*]` and numeric names (`.0`): XML paths ignore these.
    pub(crate) fn is_index(&self) -> bool {
        match self {
            Step::Index(_) | Step::StarIndex => true,
            Step::Field(name) => is_number(name),
            Step::Star => false,
        }
    }
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
    steps: Vec<Step<'static>>,
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
        let mut steps = Vec::new();
        parse_into(expression, &mut steps)?;
        Ok(PathExpr {
            steps: steps.into_iter().map(Step::into_owned).collect(),
        })
    }

    /// The steps below the root.
    pub(crate) fn steps(&self) -> &[Step<'static>] {
        &self.steps
    }

    /// The weight of this expression for a concrete path given as its steps below the root:
    /// 0 when it does not apply, higher for more specific expressions. Expressions shorter
    /// than the path apply through cascading.
    pub fn weight_for(&self, path: &[PathStep<'_>]) -> u64 {
        if self.steps.len() > path.len() {
            return 0;
        }
        let mut weight = 2u64;
        for (step, at) in self.steps.iter().zip(path) {
            let segment = match at {
                PathStep::Field(name) => Segment::Field(name),
                PathStep::Index(i) => Segment::Index(*i),
            };
            let factor = step_weight(step, segment);
            if factor == 0 {
                return 0;
            }
            weight = weight.saturating_mul(factor);
        }
        weight
    }

    /// Number of steps below the root.
    pub(crate) fn depth(&self) -> usize {
        self.steps.len()
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

pub(crate) fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The factor one expression step contributes for one concrete step (0: no match).
pub(crate) fn step_weight(step: &Step<'_>, segment: Segment<'_>) -> u64 {
    match (step, segment) {
        (Step::Field(name), Segment::Field(actual)) if same_name(name, actual) => 2,
        (Step::Field(name), Segment::Index(i)) if is_number(name) && name.parse() == Ok(i) => 2,
        (Step::Index(n), Segment::Index(i)) if *n == i => 2,
        (Step::Star, _) => 1,
        (Step::StarIndex, Segment::Index(_)) => 1,
        _ => 0,
    }
}

/// String equality for the short names of documents and rule paths: up to 16 bytes are
/// compared as two overlapping words each, without a call to `memcmp` (which costs more than
/// the comparison for names of a few bytes) or a loop over bytes.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let len = a.len();
    if len != b.len() {
        return false;
    }
    match len {
        0 => true,
        1..4 => a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1],
        4..8 => {
            word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, len - 4) == word::<4>(b, len - 4)
        }
        8..=16 => {
            word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, len - 8) == word::<8>(b, len - 8)
        }
        _ => a == b,
    }
}

/// `N` bytes of `bytes` from `at`, as one integer.
#[inline]
fn word<const N: usize>(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word[..N].copy_from_slice(&bytes[at..at + N]);
    u64::from_le_bytes(word)
}

/// Parses `expression`, appending its steps to `steps` (nothing is appended on error).
pub(crate) fn parse_into<'a>(
    expression: &'a str,
    steps: &mut Vec<Step<'a>>,
) -> Result<(), PathError> {
    let start = steps.len();
    let result = Parser {
        text: expression,
        pos: 0,
    }
    .parse(steps);
    if result.is_err() {
        steps.truncate(start);
    }
    result
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

    fn parse(mut self, tokens: &mut Vec<Step<'a>>) -> Result<(), PathError> {
        if self.text.chars().all(char::is_whitespace) {
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
        Ok(())
    }

    fn name(&mut self) -> Result<Step<'a>, PathError> {
        let rest = self.rest();
        // Both are ASCII: no byte of another character equals them.
        let end = rest
            .bytes()
            .position(|b| b == b'.' || b == b'[')
            .unwrap_or(rest.len());
        if end == 0 {
            return Err(self.error("expected a name"));
        }
        let name = &rest[..end];
        self.pos += end;
        Ok(if name == "*" {
            Step::Star
        } else {
            Step::Field(Cow::Borrowed(name))
        })
    }

    fn bracket(&mut self) -> Result<Step<'a>, PathError> {
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let mut escaped_any = false;
            let mut name = String::new();
            let mut chars = rest[1..].char_indices();
            while let Some((i, c)) = chars.next() {
                if c == '\\' {
                    escaped_any = true;
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
                    return Ok(Step::Field(if escaped_any {
                        Cow::Owned(name)
                    } else {
                        Cow::Borrowed(&rest[1..1 + i])
                    }));
                } else {
                    name.push(c);
                }
            }
            return Err(self.error("unterminated quoted name"));
        }
        let end = rest.find(']').ok_or_else(|| self.error("expected `]`"))?;
        let inner = rest[..end].trim();
        let token = if inner == "*" {
            Step::StarIndex
        } else if let Ok(index) = inner.parse() {
            Step::Index(index)
        } else {
            return Err(self.error("expected an index, `*` or a quoted name"));
        };
        self.pos += end + 1;
        Ok(token)
    }
}

impl fmt::Display for PathExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::from("$");
        for step in &self.steps {
            match step {
                Step::Field(name) => crate::spec::push_key(&mut out, name),
                Step::Index(i) => out.push_str(&format!("[{i}]")),
                Step::Star => out.push_str(".*"),
                Step::StarIndex => out.push_str("[*]"),
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

    fn parse(text: &str) -> Vec<Step<'static>> {
        PathExpr::parse(text).unwrap().steps
    }

    fn field(name: &str) -> Step<'static> {
        Step::Field(Cow::Owned(name.to_owned()))
    }

    #[test]
    fn parses_every_form() {
        use Step::*;
        assert_eq!(parse("$"), vec![]);
        assert_eq!(parse("$.a[*].b"), vec![field("a"), StarIndex, field("b")]);
        assert_eq!(parse("$['x y'][2]"), vec![field("x y"), Index(2)]);
        assert_eq!(parse("$.*"), vec![Star]);
        assert_eq!(parse("$[\"it's\"]"), vec![field("it's")]);
        assert_eq!(parse("$['a\\'b']"), vec![field("a'b")]);
        assert_eq!(
            parse("$.alligator['@name'].#text"),
            vec![field("alligator"), field("@name"), field("#text")]
        );
        assert_eq!(parse("a.b"), vec![field("a"), field("b")]);
    }

    #[test]
    fn names_borrow_from_the_expression() {
        let mut steps = Vec::new();
        parse_into("$.a['b c']['d\\'e']", &mut steps).unwrap();
        assert!(matches!(&steps[0], Step::Field(Cow::Borrowed("a"))));
        assert!(matches!(&steps[1], Step::Field(Cow::Borrowed("b c"))));
        assert!(matches!(&steps[2], Step::Field(Cow::Owned(_))));
        assert!(parse_into("$.a[", &mut steps).is_err());
        assert_eq!(steps.len(), 3, "a failed parse appends nothing");
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
    fn same_name_compares_every_byte() {
        let names = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcdefg",
            "abcdefgh",
            "abcdefghijklmnop",
        ];
        for name in names {
            assert!(same_name(name, name));
            for at in 0..name.len() {
                let mut other = name.as_bytes().to_vec();
                other[at] ^= 1;
                let other = String::from_utf8(other).unwrap();
                assert!(!same_name(name, &other), "{name} vs {other}");
            }
        }
        assert!(!same_name("abc", "abcd"));
        let long = "a name longer than sixteen bytes";
        assert!(same_name(long, long));
        assert!(!same_name(long, "a name longer than sixteen byteS"));
    }

    #[test]
    fn index_steps_are_recognised_for_xml() {
        let expr = PathExpr::parse("$.animals[*].alligator[0].0['@a']").unwrap();
        let kept: Vec<bool> = expr.steps().iter().map(Step::is_index).collect();
        assert_eq!(kept, vec![false, true, false, true, true, false]);
    }
}
