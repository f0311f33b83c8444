//! Random strings that match a regular expression, for the `Regex` generator.
//!
//! Supports the constructs contracts use: literals and escapes, `.`, classes (`[a-z_]`,
//! `[^0-9]`, `\d \w \s` and their negations), groups with alternation (`(a|b)`, `(?:..)`),
//! quantifiers (`? * + {n} {n,} {n,m}`, lazy forms too) and the anchors `^ $ \b`.
//! Anything else (look-around, back-references, Unicode classes) gives `None`, and the
//! caller keeps the contract's example. Unbounded repeats are capped at a few repetitions.

use rand::Rng;

/// Extra repetitions allowed for `*`, `+` and `{n,}`.
const OPEN_REPEAT: usize = 5;

#[derive(Debug, Clone)]
enum Node {
    /// One character out of a set (inclusive ranges), or outside it when `negated`.
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    /// Alternatives, each a sequence.
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: usize,
        max: usize,
    },
    /// Anchors and boundaries produce nothing.
    Empty,
}

/// A random string matching `pattern`, or `None` when the pattern uses unsupported syntax.
pub(crate) fn generate(pattern: &str, rng: &mut impl Rng) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser { chars, pos: 0 };
    let tree = parser.alternation()?;
    if parser.pos != parser.chars.len() {
        return None;
    }
    let mut out = String::new();
    emit(&Node::Group(tree), rng, &mut out);
    Some(out)
}

fn emit(node: &Node, rng: &mut impl Rng, out: &mut String) {
    match node {
        Node::Empty => {}
        Node::Class { ranges, negated } => {
            if *negated {
                // Printable ASCII outside the set.
                let allowed: Vec<char> = (' '..='~')
                    .filter(|c| !ranges.iter().any(|(lo, hi)| (lo..=hi).contains(&c)))
                    .collect();
                if !allowed.is_empty() {
                    out.push(allowed[rng.random_range(0..allowed.len())]);
                }
            } else {
                let total: u32 = ranges
                    .iter()
                    .map(|(lo, hi)| *hi as u32 - *lo as u32 + 1)
                    .sum();
                let mut pick = rng.random_range(0..total.max(1));
                for (lo, hi) in ranges {
                    let size = *hi as u32 - *lo as u32 + 1;
                    if pick < size {
                        out.extend(char::from_u32(*lo as u32 + pick));
                        return;
                    }
                    pick -= size;
                }
            }
        }
        Node::Group(alternatives) => {
            if alternatives.is_empty() {
                return;
            }
            let chosen = &alternatives[rng.random_range(0..alternatives.len())];
            for node in chosen {
                emit(node, rng, out);
            }
        }
        Node::Repeat { node, min, max } => {
            let times = rng.random_range(*min..=*max);
            for _ in 0..times {
                emit(node, rng, out);
            }
        }
    }
}

fn literal(c: char) -> Node {
    Node::Class {
        ranges: vec![(c, c)],
        negated: false,
    }
}

const DIGITS: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
const SPACE: &[(char, char)] = &[(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')];

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn alternation(&mut self) -> Option<Vec<Vec<Node>>> {
        let mut alternatives = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alternatives.push(self.sequence()?);
        }
        Some(alternatives)
    }

    fn sequence(&mut self) -> Option<Vec<Node>> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            nodes.push(self.quantified(atom)?);
        }
        Some(nodes)
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            '^' | '$' => Node::Empty,
            '.' => Node::Class {
                ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
                negated: false,
            },
            '(' => {
                if self.peek() == Some('?') {
                    // Only non-capturing groups `(?:`.
                    if self.chars.get(self.pos + 1) != Some(&':') {
                        return None;
                    }
                    self.pos += 2;
                }
                let group = self.alternation()?;
                if self.peek() != Some(')') {
                    return None;
                }
                self.pos += 1;
                Node::Group(group)
            }
            '[' => self.class()?,
            '\\' => self.escape(false)?.0,
            '*' | '+' | '?' | '{' | ')' => return None,
            other => literal(other),
        })
    }

    /// An escape after `\`; in a class, returns the ranges for merging.
    fn escape(&mut self, in_class: bool) -> Option<(Node, Vec<(char, char)>)> {
        let c = self.peek()?;
        self.pos += 1;
        let class = |ranges: &[(char, char)], negated| {
            (
                Node::Class {
                    ranges: ranges.to_vec(),
                    negated,
                },
                ranges.to_vec(),
            )
        };
        Some(match c {
            'd' => class(DIGITS, false),
            'w' => class(WORD, false),
            's' => class(SPACE, false),
            'D' if !in_class => class(DIGITS, true),
            'W' if !in_class => class(WORD, true),
            'S' if !in_class => class(SPACE, true),
            'b' | 'B' | 'A' | 'z' if !in_class => (Node::Empty, Vec::new()),
            'n' => class(&[('\n', '\n')], false),
            't' => class(&[('\t', '\t')], false),
            'r' => class(&[('\r', '\r')], false),
            c if c.is_ascii_alphanumeric() => return None,
            other => class(&[(other, other)], false),
        })
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek()?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            let low = if c == '\\' {
                self.pos += 1;
                let (_, escaped) = self.escape(true)?;
                if escaped.len() != 1 || escaped[0].0 != escaped[0].1 {
                    ranges.extend(escaped);
                    continue;
                }
                escaped[0].0
            } else if c == '[' {
                return None;
            } else {
                self.pos += 1;
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|n| *n != ']') {
                self.pos += 1;
                let high = self.peek()?;
                if high == '\\' {
                    return None;
                }
                self.pos += 1;
                if high < low {
                    return None;
                }
                ranges.push((low, high));
            } else {
                ranges.push((low, low));
            }
        }
        Some(Node::Class { ranges, negated })
    }

    fn quantified(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('?') => (0, 1),
            Some('*') => (0, OPEN_REPEAT),
            Some('+') => (1, 1 + OPEN_REPEAT),
            Some('{') => {
                let close = self.chars[self.pos..].iter().position(|c| *c == '}')?;
                let inner: String = self.chars[self.pos + 1..self.pos + close].iter().collect();
                let (min, max) = match inner.split_once(',') {
                    None => {
                        let n = inner.trim().parse().ok()?;
                        (n, n)
                    }
                    Some((lo, hi)) if hi.trim().is_empty() => {
                        let n: usize = lo.trim().parse().ok()?;
                        (n, n + OPEN_REPEAT)
                    }
                    Some((lo, hi)) => (lo.trim().parse().ok()?, hi.trim().parse().ok()?),
                };
                if max < min {
                    return None;
                }
                self.pos += close;
                (min, max)
            }
            _ => return Some(atom),
        };
        self.pos += 1;
        // Lazy and possessive suffixes do not change what can be generated.
        if matches!(self.peek(), Some('?' | '+')) {
            self.pos += 1;
        }
        Some(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str) {
        let re = regex::Regex::new(&format!("^(?:{pattern})$")).unwrap();
        let mut rng = rand::rng();
        for _ in 0..50 {
            let text = generate(pattern, &mut rng).unwrap_or_else(|| panic!("{pattern}"));
            assert!(re.is_match(&text), "{pattern} generated {text:?}");
        }
    }

    #[test]
    fn generates_matching_strings() {
        for pattern in [
            "\\d+",
            "\\d{2}/\\d{2}/\\d{4}",
            "[a-z0-9_-]{3,8}",
            "(red|blue|green)",
            "(?:ab)+c?",
            "^[A-Z][a-z]*$",
            "\\w+@example\\.com",
            "[^0-9]{4}",
            "\\d{3}-\\d{3,}",
            "v\\d+\\.\\d+\\.\\d+",
            "[\\d.]+",
            "a.b",
            "\\s?x\\S",
        ] {
            check(pattern);
        }
    }

    #[test]
    fn unsupported_syntax_gives_none() {
        let mut rng = rand::rng();
        for pattern in ["(?=a)b", "(a)\\1", "\\p{L}+", "a{2,1}", "(ab", "[abc"] {
            assert!(generate(pattern, &mut rng).is_none(), "{pattern}");
        }
    }
}
