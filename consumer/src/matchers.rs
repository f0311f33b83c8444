//! Matcher helpers and the [`Template`] values they build: example JSON with matcher and
//! generator nodes in it, which the builders turn into example values plus matching rules.
//!
//! A matcher node is a JSON object with an `accord:matcher` member (and a generator node one
//! with `accord:generator`), so helpers nest inside `serde_json::json!` and inside each other.
//! The encoding is private to this crate: only the compiled examples, rules and generators
//! reach a contract file.

use indexmap::IndexMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value, json};

use accord_contracts_format::{
    ArrayContainsVariant, Body, Generator, MatchOptions, Matcher, Message, Pattern, RuleCategory,
    RuleList, match_message,
};

use crate::error::{TemplateError, TemplateProblem};

const MATCHER_KEY: &str = "accord:matcher";
const GENERATOR_KEY: &str = "accord:generator";
const EXAMPLE: &str = "example";

/// A value for a body, message, header, query parameter or path: plain JSON in which matcher
/// helpers ([`like`], [`regex()`], [`each_like`]...) may appear at any depth.
///
/// Every JSON value converts into a template, and a template serialises to JSON, so helpers
/// can be used inside `serde_json::json!`:
///
/// ```
/// use accord_consumer::{Template, integer, like};
/// use serde_json::json;
///
/// let body: Template = json!({ "id": integer(10), "name": like("Ada") }).into();
/// # let _ = body;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Template(Value);

impl Template {
    fn node(matcher: &str, example: Value) -> Self {
        let mut map = Map::new();
        map.insert(MATCHER_KEY.into(), json!(matcher));
        map.insert(EXAMPLE.into(), example);
        Template(Value::Object(map))
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        if let Value::Object(map) = &mut self.0 {
            map.insert(key.into(), value);
        }
        self
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl From<Value> for Template {
    fn from(value: Value) -> Self {
        Template(value)
    }
}

impl From<Template> for Value {
    fn from(template: Template) -> Self {
        template.0
    }
}

macro_rules! template_from {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Template {
            fn from(value: $ty) -> Self {
                Template(Value::from(value))
            }
        }
    )*};
}

template_from!(&str, String, bool, i32, i64, u32, u64, f64);

/// Matches any value of the same JSON type as `example`; objects and arrays inside it are
/// matched by type too (cascading), unless other helpers inside say otherwise.
pub fn like(example: impl Into<Template>) -> Template {
    Template::node("type", example.into().0)
}

/// Matches an array whose every element is like `example`, with at least `min` and at most
/// `max` elements. The example array holds `max(min, 1)` copies of `example`.
pub fn each_like(
    example: impl Into<Template>,
    min: usize,
    max: impl Into<Option<usize>>,
) -> Template {
    let node = Template::node("eachLike", example.into().0).with("min", json!(min));
    match max.into() {
        Some(max) => node.with("max", json!(max)),
        None => node,
    }
}

/// Matches a string against the regular expression `pattern`; `example` must match it.
pub fn regex(pattern: &str, example: &str) -> Template {
    Template::node("regex", json!(example)).with("regex", json!(pattern))
}

/// Matches an integer.
pub fn integer(example: i64) -> Template {
    Template::node("integer", json!(example))
}

/// Matches a number with a fractional part.
pub fn decimal(example: f64) -> Template {
    Template::node("decimal", json!(example))
}

/// Matches any number; `example` must be a number.
pub fn number(example: impl Into<Template>) -> Template {
    Template::node("number", example.into().0)
}

/// Matches a boolean.
pub fn boolean(example: bool) -> Template {
    Template::node("boolean", json!(example))
}

/// Matches JSON `null`. Inside `json!`, write it in parentheses, `(null())`: the macro
/// reads a bare `null` as its own keyword.
pub fn null() -> Template {
    Template::node("null", Value::Null)
}

/// Matches a date-time string in `format` (a Java `SimpleDateFormat`-style pattern such as
/// `yyyy-MM-dd'T'HH:mm:ss`); `example` must be in that format.
pub fn datetime(format: &str, example: &str) -> Template {
    Template::node("datetime", json!(example)).with("format", json!(format))
}

/// Matches a date string in `format` (a `SimpleDateFormat`-style pattern such as
/// `yyyy-MM-dd` or `dd/MM/yyyy`); `example` must be in that format.
///
/// ```
/// use accord_consumer::{ContractBuilder, date};
/// use serde_json::json;
///
/// let mut orders = ContractBuilder::new("web-app", "orders-api");
/// orders.interaction("get order 10", |i| {
///     i.request(|r| r.get("/orders/10"))
///         .response(|r| r.json_body(json!({ "due": date("yyyy-MM-dd", "2024-05-31") })))
/// });
/// // An example that is not in its own format is refused.
/// let refused = orders.try_interaction("get order 11", |i| {
///     i.request(|r| r.get("/orders/11"))
///         .response(|r| r.json_body(json!({ "due": date("yyyy-MM-dd", "31/05/2024") })))
/// });
/// assert!(refused.is_err());
/// ```
pub fn date(format: &str, example: &str) -> Template {
    Template::node("date", json!(example)).with("format", json!(format))
}

/// Matches a time string in `format` (a `SimpleDateFormat`-style pattern such as `HH:mm:ss`
/// or `HH:mm`); `example` must be in that format.
pub fn time(format: &str, example: &str) -> Template {
    Template::node("time", json!(example)).with("format", json!(format))
}

/// Matches a string containing `substring`; `example` must contain it.
pub fn include(substring: &str, example: &str) -> Template {
    Template::node("include", json!(example)).with("include", json!(substring))
}

/// Matches an array that contains, somewhere, an element matching each variant (in any
/// order, possibly among other elements). The example array is the variants' examples.
pub fn array_containing(variants: impl IntoIterator<Item = Template>) -> Template {
    let variants = variants.into_iter().map(|v| v.0).collect();
    Template::node("arrayContains", Value::Null).with("variants", Value::Array(variants))
}

/// Matches an object whose every key matches `key_matcher` (a helper such as [`regex()`]; its
/// example is ignored). `example` is the example object.
pub fn each_key(example: impl Into<Template>, key_matcher: Template) -> Template {
    Template::node("eachKey", example.into().0).with("rule", key_matcher.0)
}

/// Matches an object (or array) whose every value matches `value_matcher` (a helper such as
/// [`like`]; its example is ignored). `example` is the example object.
pub fn each_value(example: impl Into<Template>, value_matcher: Template) -> Template {
    Template::node("eachValue", example.into().0).with("rule", value_matcher.0)
}

/// Matches a non-empty string, array or object of the same type as `example`.
pub fn not_empty(example: impl Into<Template>) -> Template {
    Template::node("notEmpty", example.into().0)
}

/// Matches a value equal to `example`, overriding a cascading [`like`] from further up.
pub fn equality(example: impl Into<Template>) -> Template {
    Template::node("equality", example.into().0)
}

/// Matches a semantic version string such as `1.2.3`.
pub fn semver(example: &str) -> Template {
    Template::node("semver", json!(example))
}

/// A value the provider fills in from its provider state: `expression` uses `${name}`
/// placeholders (`/orders/${id}`) that the verifier replaces with the values the provider's
/// state-change handler returns. `example` is what the mock provider uses.
///
/// Only a generator is recorded; wrap it in [`like`] to also accept any value of the type.
pub fn from_provider_state(expression: &str, example: impl Into<Template>) -> Template {
    let mut map = Map::new();
    map.insert(GENERATOR_KEY.into(), json!("ProviderState"));
    map.insert("expression".into(), json!(expression));
    map.insert(EXAMPLE.into(), example.into().0);
    Template(Value::Object(map))
}

/// A URL pointing at the provider, rewritten by the mock provider to point at itself: the
/// part of the URL captured by the first group of `pattern` is appended to the mock's base
/// URL. The provider is checked against `pattern`; `example` must match it.
///
/// ```
/// # use accord_consumer::mock_server_url;
/// let link = mock_server_url("^https?://[^/]+(/orders/\\d+)$", "http://orders.example/orders/10");
/// # let _ = link;
/// ```
pub fn mock_server_url(pattern: &str, example: &str) -> Template {
    regex(pattern, example).with(GENERATOR_KEY, json!("MockServerURL"))
}

/// The result of compiling a body template: the example value plus the rules and generators
/// keyed by path expressions rooted at the body (`$.items[*].id`).
#[derive(Debug, Default)]
pub(crate) struct CompiledBody {
    pub(crate) example: Value,
    pub(crate) rules: IndexMap<String, RuleList>,
    pub(crate) generators: IndexMap<String, Generator>,
}

/// The result of compiling a single value (path, header, query parameter, metadata entry).
#[derive(Debug)]
pub(crate) struct CompiledValue {
    pub(crate) example: Value,
    pub(crate) matchers: Vec<Matcher>,
    pub(crate) generator: Option<Generator>,
}

impl CompiledValue {
    /// The example as the text sent on the wire: strings as they are, numbers and booleans
    /// printed; anything else is refused.
    pub(crate) fn text(&self) -> Result<String, TemplateProblem> {
        match &self.example {
            Value::String(text) => Ok(text.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(TemplateProblem::NotText(other.clone())),
        }
    }
}

/// Compiles a body template rooted at `$`.
pub(crate) fn compile_body(template: &Template) -> Result<CompiledBody, Box<TemplateError>> {
    let mut out = CompiledBody::default();
    let mut path = String::from("$");
    out.example = walk(&template.0, &mut path, &mut out.rules, &mut out.generators)?;
    Ok(out)
}

/// Compiles a template that stands for one value: a matcher or generator is allowed at the
/// top only, since headers, query parameters and paths have no inner structure to address.
pub(crate) fn compile_value(template: &Template) -> Result<CompiledValue, Box<TemplateError>> {
    let mut rules = IndexMap::new();
    let mut generators = IndexMap::new();
    let mut path = String::from("$");
    let example = walk(&template.0, &mut path, &mut rules, &mut generators)?;
    if let Some(inner) = rules.keys().chain(generators.keys()).find(|k| *k != "$") {
        return Err(TemplateError::new(inner, TemplateProblem::NestedMatcher));
    }
    Ok(CompiledValue {
        example,
        matchers: rules
            .shift_remove("$")
            .map(|l| l.matchers)
            .unwrap_or_default(),
        generator: generators.shift_remove("$"),
    })
}

fn add_rule(rules: &mut IndexMap<String, RuleList>, path: &str, matcher: Matcher) {
    rules
        .entry(path.to_owned())
        .or_default()
        .matchers
        .push(matcher);
}

/// Walks `value`, returning its example and recording rules and generators under `path`.
fn walk(
    value: &Value,
    path: &mut String,
    rules: &mut IndexMap<String, RuleList>,
    generators: &mut IndexMap<String, Generator>,
) -> Result<Value, Box<TemplateError>> {
    match value {
        Value::Object(map) if map.contains_key(MATCHER_KEY) || map.contains_key(GENERATOR_KEY) => {
            walk_node(map, path, rules, generators)
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, item) in map {
                let len = path.len();
                push_key(path, key);
                let example = walk(item, path, rules, generators)?;
                path.truncate(len);
                out.insert(key.clone(), example);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                out.push(walk(item, path, rules, generators)?);
                path.truncate(len);
            }
            Ok(Value::Array(out))
        }
        scalar => Ok(scalar.clone()),
    }
}

fn walk_node(
    node: &Map<String, Value>,
    path: &mut String,
    rules: &mut IndexMap<String, RuleList>,
    generators: &mut IndexMap<String, Generator>,
) -> Result<Value, Box<TemplateError>> {
    let here = path.clone();
    let fail = |problem| Err(TemplateError::new(&here, problem));
    let example_template = node.get(EXAMPLE).unwrap_or(&Value::Null);
    match node.get(GENERATOR_KEY).and_then(Value::as_str) {
        Some("ProviderState") => {
            let expression = str_attr(node, "expression");
            generators.insert(
                here.clone(),
                Generator::ProviderState {
                    expression,
                    data_type: None,
                },
            );
        }
        Some("MockServerURL") => {
            let pattern = str_attr(node, "regex");
            let groups = regex::Regex::new(&pattern).map_or(1, |r| r.captures_len());
            if groups < 2 {
                return fail(TemplateProblem::NoCaptureGroup(pattern));
            }
            generators.insert(
                here.clone(),
                Generator::MockServerUrl {
                    regex: pattern,
                    example: example_template.as_str().unwrap_or_default().to_owned(),
                },
            );
        }
        Some(other) => return fail(TemplateProblem::UnknownNode(other.to_owned())),
        None => {}
    }
    let Some(Value::String(kind)) = node.get(MATCHER_KEY) else {
        return walk(example_template, path, rules, generators);
    };
    match kind.as_str() {
        "eachLike" => {
            let min = usize_attr(node, "min").unwrap_or(0);
            let max = usize_attr(node, "max");
            if let Some(max) = max
                && (max < min || max == 0)
            {
                return fail(TemplateProblem::BadBounds { min, max });
            }
            add_rule(
                rules,
                &here,
                Matcher::Type {
                    min: Some(min),
                    max,
                },
            );
            path.push_str("[*]");
            let element = walk(example_template, path, rules, generators);
            path.truncate(here.len());
            let element = element?;
            let copies = min.max(1);
            Ok(Value::Array(vec![element; copies]))
        }
        "arrayContains" => {
            let mut variants = Vec::new();
            let mut examples = Vec::new();
            let list = node.get("variants").and_then(Value::as_array);
            for (index, variant) in list.into_iter().flatten().enumerate() {
                let compiled = compile_body(&Template(variant.clone())).map_err(|e| {
                    TemplateError::new(&format!("{here}[{index}]{}", &e.at[1..]), e.problem)
                })?;
                examples.push(compiled.example);
                variants.push(ArrayContainsVariant {
                    index,
                    rules: compiled.rules,
                    generators: compiled.generators,
                });
            }
            if variants.is_empty() {
                return fail(TemplateProblem::NoVariants);
            }
            add_rule(rules, &here, Matcher::ArrayContains(variants));
            Ok(Value::Array(examples))
        }
        "eachKey" | "eachValue" => {
            let rule = node.get("rule").cloned().unwrap_or(Value::Null);
            let inner =
                compile_value(&Template(rule)).map_err(|e| TemplateError::new(&here, e.problem))?;
            if inner.matchers.is_empty() {
                return fail(TemplateProblem::NotAMatcher);
            }
            let example = walk(example_template, path, rules, generators)?;
            let fits = example.is_object() || (kind == "eachValue" && example.is_array());
            if !fits {
                return fail(TemplateProblem::WrongExample {
                    matcher: if kind == "eachKey" {
                        "each_key"
                    } else {
                        "each_value"
                    },
                    expected: "an object",
                    found: example,
                });
            }
            let matcher = if kind == "eachKey" {
                Matcher::EachKey {
                    rules: inner.matchers,
                    value: None,
                }
            } else {
                Matcher::EachValue {
                    rules: inner.matchers,
                    value: None,
                }
            };
            add_rule(rules, &here, matcher);
            Ok(example)
        }
        _ => {
            // Matchers whose example may itself hold helpers (`like`, `not_empty`,
            // `equality`) record their rule first so it is the outer one at this path.
            let matcher = leaf_matcher(kind, node).ok_or_else(|| {
                TemplateError::new(&here, TemplateProblem::UnknownNode(kind.clone()))
            })?;
            add_rule(rules, &here, matcher.clone());
            let example = walk(example_template, path, rules, generators)?;
            check_example(&matcher, &example).map_err(|p| TemplateError::new(&here, p))?;
            Ok(example)
        }
    }
}

fn leaf_matcher(kind: &str, node: &Map<String, Value>) -> Option<Matcher> {
    let format = || {
        node.get("format")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Some(match kind {
        "type" => Matcher::Type {
            min: None,
            max: None,
        },
        "regex" => Matcher::Regex(Pattern::new(str_attr(node, "regex"))),
        "integer" => Matcher::Integer,
        "decimal" => Matcher::Decimal,
        "number" => Matcher::Number,
        "boolean" => Matcher::Boolean,
        "null" => Matcher::Null,
        "datetime" => Matcher::DateTime(format()),
        "date" => Matcher::Date(format()),
        "time" => Matcher::Time(format()),
        "include" => Matcher::Include(str_attr(node, "include")),
        "notEmpty" => Matcher::NotEmpty,
        "equality" => Matcher::Equality,
        "semver" => Matcher::Semver,
        _ => return None,
    })
}

/// Refuses examples the matcher itself would reject: a contract whose examples fail its own
/// rules would make every provider verification fail.
fn check_example(matcher: &Matcher, example: &Value) -> Result<(), TemplateProblem> {
    let wrong = |matcher: &'static str, expected: &'static str| {
        Err(TemplateProblem::WrongExample {
            matcher,
            expected,
            found: example.clone(),
        })
    };
    match matcher {
        Matcher::Regex(pattern) => {
            let regex = pattern
                .regex()
                .map_err(|source| TemplateProblem::BadRegex {
                    pattern: pattern.as_str().to_owned(),
                    source: source.clone(),
                })?;
            let Some(text) = example.as_str() else {
                return wrong("regex", "a string");
            };
            if !regex.is_match(text) {
                return Err(TemplateProblem::NoMatch {
                    pattern: pattern.as_str().to_owned(),
                    example: text.to_owned(),
                });
            }
        }
        Matcher::Include(substring) => match example.as_str() {
            Some(text) if text.contains(substring.as_str()) => {}
            Some(_) => {
                return Err(TemplateProblem::NotIncluded {
                    substring: substring.clone(),
                    example: example.clone(),
                });
            }
            None => return wrong("include", "a string"),
        },
        Matcher::Number if !example.is_number() => return wrong("number", "a number"),
        Matcher::Date(format) | Matcher::Time(format) | Matcher::DateTime(format) => {
            let name = matcher.name();
            if !example.is_string() {
                return wrong(name, "a string");
            }
            if !accepts_itself(matcher, example) {
                return Err(TemplateProblem::BadDateTime {
                    matcher: name,
                    format: format.clone().unwrap_or_else(|| "ISO 8601".to_owned()),
                    example: example.clone(),
                });
            }
        }
        Matcher::NotEmpty => {
            let empty = match example {
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => return wrong("not_empty", "a string, array or object"),
            };
            if empty {
                return wrong("not_empty", "a non-empty value");
            }
        }
        Matcher::Semver => {
            let valid = example.as_str().is_some_and(|text| {
                let core = text.split(['-', '+']).next().unwrap_or("");
                let parts: Vec<&str> = core.split('.').collect();
                parts.len() == 3
                    && parts
                        .iter()
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            });
            if !valid {
                return wrong("semver", "a version such as 1.2.3");
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether the matching engine accepts `example` under `matcher` (the date and time
/// formats are the engine's to interpret, so the check asks it).
fn accepts_itself(matcher: &Matcher, example: &Value) -> bool {
    let mut message = Message {
        contents: Body::json(example.clone()),
        ..Message::default()
    };
    message
        .matching_rules
        .add(RuleCategory::Body, "$", matcher.clone());
    match_message(&message, &message, &MatchOptions::default()).is_empty()
}

fn str_attr(node: &Map<String, Value>, key: &str) -> String {
    node.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn usize_attr(node: &Map<String, Value>, key: &str) -> Option<usize> {
    node.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// Appends `.key`, or `['key']` when the key is not a plain identifier.
pub(crate) fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        path.push_str("['");
        path.push_str(&key.replace('\\', "\\\\").replace('\'', "\\'"));
        path.push_str("']");
    }
}

#[cfg(test)]
#[path = "matchers_tests.rs"]
mod tests;
