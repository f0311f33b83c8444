//! A syntax check of matching-rule and generator body paths (`$.a.b[0]['x y'][*].*`).
//!
//! This is for validation and comparison only; the matching engine has its own path module.

/// One step of a body path expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathStep {
    /// A member name: `.name` or `['name']`.
    Field(String),
    /// An array index: `[2]`.
    Index(usize),
    /// Any member or element: `.*` or `[*]`.
    Any,
}

/// Parses the syntax of a matching-rule or generator body path: `$` followed by `.name`,
/// `.*`, `[n]`, `[*]`, `['any name']` or `["any name"]` steps. Names after a dot may hold
/// any character but whitespace, `.`, `[`, `]` and quotes (`$.@id`, `$.ns:item` are fine).
///
/// This is a syntax check for validation and comparison only; the matching engine has its
/// own path module.
pub(crate) fn parse_path_expression(text: &str) -> Result<Vec<PathStep>, String> {
    let mut chars = text.char_indices().peekable();
    match chars.next() {
        Some((_, '$')) => {}
        Some((_, other)) => return Err(format!("must start with \"$\", not \"{other}\"")),
        None => return Err("is empty".to_owned()),
    }
    let mut steps = Vec::new();
    while let Some((position, c)) = chars.next() {
        match c {
            '.' => {
                let mut name = String::new();
                while let Some(&(_, next)) = chars.peek() {
                    if next == '.' || next == '[' {
                        break;
                    }
                    if next.is_whitespace() || matches!(next, ']' | '\'' | '"') {
                        return Err(format!(
                            "character {:?} is not allowed in a name after \".\" (use ['...'])",
                            next
                        ));
                    }
                    name.push(next);
                    chars.next();
                }
                match name.as_str() {
                    "" => {
                        return Err(format!(
                            "expected a name or * after \".\" at character {}",
                            position + 1
                        ));
                    }
                    "*" => steps.push(PathStep::Any),
                    _ => steps.push(PathStep::Field(name)),
                }
            }
            '[' => {
                let step = match chars.peek().map(|&(_, c)| c) {
                    Some('*') => {
                        chars.next();
                        PathStep::Any
                    }
                    Some(quote @ ('\'' | '"')) => {
                        chars.next();
                        let mut name = String::new();
                        let mut closed = false;
                        while let Some((_, c)) = chars.next() {
                            if c == '\\' {
                                if let Some((_, escaped)) = chars.next() {
                                    name.push(escaped);
                                }
                                continue;
                            }
                            if c == quote {
                                closed = true;
                                break;
                            }
                            name.push(c);
                        }
                        if !closed {
                            return Err(format!(
                                "unterminated quoted name starting at character {}",
                                position + 2
                            ));
                        }
                        PathStep::Field(name)
                    }
                    Some(d) if d.is_ascii_digit() => {
                        let mut digits = String::new();
                        while let Some(&(_, d)) = chars.peek() {
                            if !d.is_ascii_digit() {
                                break;
                            }
                            digits.push(d);
                            chars.next();
                        }
                        PathStep::Index(
                            digits
                                .parse()
                                .map_err(|_| format!("index {digits} is too large"))?,
                        )
                    }
                    _ => {
                        return Err(format!(
                            "expected an index, * or a quoted name after \"[\" at character {}",
                            position + 1
                        ));
                    }
                };
                match chars.next() {
                    Some((_, ']')) => steps.push(step),
                    _ => {
                        return Err(format!(
                            "\"[\" at character {} is not closed by \"]\"",
                            position + 1
                        ));
                    }
                }
            }
            other => {
                return Err(format!(
                    "unexpected character {other:?} at character {} (expected \".\" or \"[\")",
                    position + 1
                ));
            }
        }
    }
    Ok(steps)
}
