//! Validation of contract files: every problem of a file, each with the JSON path where it is.
//!
//! [`validate`] goes further than the readers, which stop at the first error: it reports JSON
//! syntax errors, violations of the V4 schema, reader errors of each interaction on its own,
//! and semantic problems a schema cannot express (unknown matchers, regular expressions that
//! do not compile, malformed body path expressions, duplicate interactions, bodies that do
//! not parse as their content type, bad base64, example values their own regex matcher
//! rejects, `min` greater than `max`).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{Map, Value};

use crate::error::{ParseError, Problem};
use crate::model::{
    Generator, GeneratorCategory, Matcher, RuleCategory, SpecVersion, is_json_content_type,
    is_xml_content_type,
};
use crate::schema;
use crate::spec::{self, push_key};

mod examples;
mod expression;

use examples::{RegexRule, check_regex_examples};
pub(crate) use expression::{PathStep, parse_path_expression};

/// One problem found in a contract file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationProblem {
    /// The file the problem is in, as given to [`validate`].
    pub file: PathBuf,
    /// JSON path of the offending value, e.g. `$.interactions[2].request.matchingRules`.
    pub at: String,
    /// What is wrong there.
    pub message: String,
    /// Which check found the problem.
    pub source: ProblemSource,
}

/// The check that found a [`ValidationProblem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemSource {
    /// The text is not JSON.
    Syntax,
    /// The document violates Accord's V4 JSON schema.
    Schema,
    /// The contract reader of the file's version rejects the document.
    Reader,
    /// A rule beyond the schema: matchers, expressions, encodings, content types, duplicates.
    Semantic,
}

impl fmt::Display for ValidationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file.display(), self.at, self.message)
    }
}

/// Checks the text of a contract file and returns every problem found; an empty list means
/// the file is valid. `file` is only used to label the problems.
///
/// ```
/// use accord_contracts_format::validate;
///
/// let text = r#"{"consumer": {"name": "web"}, "provider": {"name": "orders"},
///   "interactions": [{"description": "list", "request": {"method": "GET", "path": "/"},
///     "response": {"status": 200, "body": [], "matchingRules": {
///       "body": {"$[": {"matchers": [{"match": "regexx"}]}}}}}],
///   "metadata": {"pactSpecification": {"version": "3.0.0"}}}"#;
/// let problems = validate(text, "orders.json");
/// assert_eq!(problems.len(), 2);
/// assert_eq!(
///     problems[1].to_string(),
///     "orders.json: $.interactions[0].response.matchingRules.body['$['].matchers[0].match: \
///      unknown matcher \"regexx\""
/// );
/// ```
pub fn validate(text: &str, file: impl AsRef<Path>) -> Vec<ValidationProblem> {
    let file = file.as_ref();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut found = Found::default();
    match serde_json::from_str::<Value>(text) {
        Ok(document) => check_document(&document, &mut found),
        Err(error) => found.push(
            "$".to_owned(),
            format!("not valid JSON: {error}"),
            ProblemSource::Syntax,
        ),
    }
    found.finish(file)
}

#[derive(Default)]
struct Found {
    problems: Vec<(String, String, ProblemSource)>,
    /// Compiling regex matchers of the part being checked, for [`check_regex_examples`].
    regexes: Vec<RegexRule>,
}

impl Found {
    fn push(&mut self, at: String, message: String, source: ProblemSource) {
        self.problems.push((at, message, source));
    }

    fn semantic(&mut self, at: String, message: impl Into<String>) {
        self.push(at, message.into(), ProblemSource::Semantic);
    }

    /// Records a reader error; `base` is the path its `$` stands for.
    fn reader(&mut self, base: &str, error: &ParseError) {
        self.push(
            rebase(base, error.json_path()),
            error.problem(),
            ProblemSource::Reader,
        );
    }

    /// Records a reader error found by a semantic check.
    fn semantic_from(&mut self, base: &str, error: &ParseError) {
        self.semantic(rebase(base, error.json_path()), error.problem());
    }

    /// Drops repeats: exact duplicates, and reader errors already explained by a schema or
    /// semantic problem at the same place (or just above or below it).
    fn finish(self, file: &Path) -> Vec<ValidationProblem> {
        let others: Vec<&str> = self
            .problems
            .iter()
            .filter(|(_, _, source)| *source != ProblemSource::Reader)
            .map(|(at, _, _)| at.as_str())
            .collect();
        let mut out: Vec<ValidationProblem> = Vec::new();
        let mut seen = HashSet::new();
        for (at, message, source) in &self.problems {
            if *source == ProblemSource::Reader && others.iter().any(|other| related(other, at)) {
                continue;
            }
            if !seen.insert((at, message)) {
                continue;
            }
            out.push(ValidationProblem {
                file: file.to_owned(),
                at: at.clone(),
                message: message.clone(),
                source: *source,
            });
        }
        out
    }
}

/// Replaces the leading `$` of `relative` by `base`.
fn rebase(base: &str, relative: &str) -> String {
    format!("{base}{}", relative.strip_prefix('$').unwrap_or(relative))
}

/// True when the paths are equal, or one is inside the other below interaction level.
fn related(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short == long {
        return true;
    }
    let depth = short.matches(['.', '[']).count();
    depth >= 3 && long.starts_with(short) && long[short.len()..].starts_with(['.', '['])
}

fn key_path(base: &str, key: &str) -> String {
    let mut out = base.to_owned();
    push_key(&mut out, key);
    out
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn check_document(document: &Value, found: &mut Found) {
    let Value::Object(root) = document else {
        found.push(
            "$".to_owned(),
            format!("expected an object, found {}", type_name(document)),
            ProblemSource::Reader,
        );
        return;
    };
    let version = match spec::version_of(root) {
        Ok(version) => version,
        Err(error) => {
            found.reader("$", &error);
            let typed = root
                .get("interactions")
                .and_then(Value::as_array)
                .is_some_and(|items| items.iter().any(|i| i.get("type").is_some()));
            if typed {
                SpecVersion::V4
            } else {
                SpecVersion::V3
            }
        }
    };
    if version == SpecVersion::V4 {
        for violation in schema::check_v4(document) {
            found.push(violation.at, violation.message, ProblemSource::Schema);
        }
    } else {
        check_party_names(root, found);
    }
    if let Err(error) = spec::check_envelope(root) {
        found.reader("$", &error);
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for list in ["interactions", "messages"] {
        let Some(Value::Array(items)) = root.get(list) else {
            continue;
        };
        let message_list = list == "messages";
        for (i, item) in items.iter().enumerate() {
            let at = format!("$.{list}[{i}]");
            let read = spec::read_interaction_value(item.clone(), version, message_list);
            if let Err(error) = read {
                found.reader(&at, &error);
                // The interaction reader stops at its first error; reading the request and
                // the response on their own also reports an error in the response after one
                // in the request.
                if !message_list && let Value::Object(interaction) = item {
                    check_http_parts(interaction, &at, version, found);
                }
            }
            if let Value::Object(interaction) = item {
                check_duplicate(interaction, &at, &mut seen, found);
                check_interaction(interaction, &at, version, found);
            }
        }
    }
}

/// An empty consumer or provider name reads, but no broker takes it and the V4 schema
/// refuses it; the schema reports it for V4 files, this for older ones.
fn check_party_names(root: &Map<String, Value>, found: &mut Found) {
    for party in ["consumer", "provider"] {
        if root
            .get(party)
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            == Some("")
        {
            found.semantic(format!("$.{party}.name"), "the name must not be empty");
        }
    }
}

/// Reads the request and the response of an HTTP interaction on their own.
fn check_http_parts(
    interaction: &Map<String, Value>,
    at: &str,
    version: SpecVersion,
    found: &mut Found,
) {
    if let Some(request @ Value::Object(_)) = interaction.get("request")
        && interaction.get("response").is_some_and(Value::is_object)
        && let Err(error) = spec::read_request(request.clone(), version)
    {
        found.reader(&key_path(at, "request"), &error);
    }
    if let Some(response @ Value::Object(_)) = interaction.get("response")
        && let Err(error) = spec::read_response(response.clone(), version)
    {
        found.reader(&key_path(at, "response"), &error);
    }
}

/// Reports an interaction whose description and provider states repeat an earlier one's.
fn check_duplicate(
    interaction: &Map<String, Value>,
    at: &str,
    seen: &mut HashMap<String, String>,
    found: &mut Found,
) {
    let Some(description) = interaction.get("description").and_then(Value::as_str) else {
        return;
    };
    let mut states = Vec::new();
    for key in ["providerState", "provider_state"] {
        if let Some(Value::String(name)) = interaction.get(key) {
            states.push(serde_json::json!({ "name": name, "params": {} }));
        }
    }
    if let Some(Value::Array(list)) = interaction.get("providerStates") {
        for state in list {
            let name = state.get("name").cloned().unwrap_or(Value::Null);
            let params = match state.get("params") {
                None | Some(Value::Null) => Value::Object(Map::new()),
                Some(params) => params.clone(),
            };
            states.push(serde_json::json!({ "name": name, "params": params }));
        }
    }
    let identity = serde_json::json!([description, states]).to_string();
    match seen.get(&identity) {
        Some(first) => found.semantic(
            key_path(at, "description"),
            format!("duplicate interaction: {first} has the same description and provider states"),
        ),
        None => {
            seen.insert(identity, at.to_owned());
        }
    }
}

/// Semantic checks of the request, response and message parts of one interaction.
fn check_interaction(
    interaction: &Map<String, Value>,
    at: &str,
    version: SpecVersion,
    found: &mut Found,
) {
    let mut is_message = true;
    if let Some(Value::Object(request)) = interaction.get("request") {
        is_message = false;
        check_part(request, &key_path(at, "request"), version, found);
    }
    match interaction.get("response") {
        Some(Value::Object(response)) => {
            is_message = false;
            check_part(response, &key_path(at, "response"), version, found);
        }
        Some(Value::Array(responses)) => {
            let list_at = key_path(at, "response");
            for (i, response) in responses.iter().enumerate() {
                if let Value::Object(response) = response {
                    check_part(response, &format!("{list_at}[{i}]"), version, found);
                }
            }
        }
        _ => {}
    }
    if is_message {
        check_part(interaction, at, version, found);
    }
}

/// Checks a request, response or message: its body against its content type, its matching
/// rules and its generators.
fn check_part(part: &Map<String, Value>, at: &str, version: SpecVersion, found: &mut Found) {
    let declared_type = declared_content_type(part);
    for key in ["body", "contents"] {
        if let Some(body) = part.get(key) {
            check_body(body, &key_path(at, key), declared_type, found);
        }
    }
    if let Some(rules) = part.get("matchingRules") {
        check_rules(rules, &key_path(at, "matchingRules"), version, found);
    }
    let regexes = std::mem::take(&mut found.regexes);
    check_regex_examples(part, &regexes, found);
    if let Some(generators) = part.get("generators") {
        check_generators(generators, &key_path(at, "generators"), found);
    }
}

fn first_text(value: &Value) -> Option<&str> {
    match value {
        Value::String(text) => Some(text.as_str()),
        Value::Array(items) => items.first().and_then(Value::as_str),
        _ => None,
    }
}

/// The content type a part declares in its `Content-Type` header or message metadata.
fn declared_content_type(part: &Map<String, Value>) -> Option<&str> {
    if let Some(Value::Object(headers)) = part.get("headers")
        && let Some((_, value)) = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        return first_text(value);
    }
    for key in ["metadata", "metaData"] {
        if let Some(Value::Object(metadata)) = part.get(key) {
            for name in ["contentType", "content-type", "content_type"] {
                if let Some(value) = metadata.get(name) {
                    return first_text(value);
                }
            }
        }
    }
    None
}

const WRAPPER_KEYS: [&str; 5] = [
    "content",
    "contents",
    "contentType",
    "encoded",
    "contentTypeHint",
];

/// Checks that a body decodes and parses as its declared content type.
fn check_body(body: &Value, at: &str, declared_type: Option<&str>, found: &mut Found) {
    let wrapper = match body {
        Value::Object(map)
            if (map.contains_key("content") || map.contains_key("contents"))
                && map.keys().all(|k| WRAPPER_KEYS.contains(&k.as_str())) =>
        {
            map
        }
        Value::String(text) => {
            check_text(text, at, declared_type, found);
            return;
        }
        Value::Null => return,
        other => {
            if let Some(content_type) = declared_type.filter(|ct| is_xml_content_type(ct)) {
                found.semantic(
                    at.to_owned(),
                    format!(
                        "body is declared as {content_type} but is {} rather than XML text",
                        type_name(other)
                    ),
                );
            }
            return;
        }
    };
    let content_key = if wrapper.contains_key("content") {
        "content"
    } else {
        "contents"
    };
    let content_at = key_path(at, content_key);
    let content = &wrapper[content_key];
    let content_type = wrapper
        .get("contentType")
        .and_then(Value::as_str)
        .or(declared_type);
    let encoding = match wrapper.get("encoded") {
        Some(Value::Bool(true)) => Some("base64".to_owned()),
        Some(Value::String(name)) => Some(name.to_ascii_lowercase()),
        _ => None,
    };
    match (encoding.as_deref(), content) {
        (_, Value::Null) => {}
        (None, Value::String(text)) => check_text(text, &content_at, content_type, found),
        (Some("json"), Value::String(text)) => {
            if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
                found.semantic(content_at, Problem::BadEncodedJson(error).to_string());
            }
        }
        (Some("json") | None, other) => {
            if let Some(content_type) = content_type.filter(|ct| is_xml_content_type(ct)) {
                found.semantic(
                    content_at,
                    format!(
                        "body is declared as {content_type} but is {} rather than XML text",
                        type_name(other)
                    ),
                );
            }
        }
        (Some(_), Value::String(encoded)) => {
            match base64::engine::general_purpose::STANDARD.decode(encoded.trim()) {
                Ok(bytes) => {
                    let is_texty = content_type
                        .is_some_and(|ct| is_json_content_type(ct) || is_xml_content_type(ct));
                    if is_texty {
                        match String::from_utf8(bytes) {
                            Ok(text) => check_text(&text, &content_at, content_type, found),
                            Err(_) => found.semantic(
                                content_at,
                                format!(
                                    "decoded body is not UTF-8 text although declared as {}",
                                    content_type.unwrap_or_default()
                                ),
                            ),
                        }
                    }
                }
                Err(error) => found.semantic(content_at, Problem::BadBase64(error).to_string()),
            }
        }
        (Some(_), other) => found.semantic(
            content_at,
            format!(
                "expected a base64 string for an encoded body, found {}",
                type_name(other)
            ),
        ),
    }
}

/// Checks body text against a JSON or XML content type. A JSON body that is a bare string is
/// a JSON string value, so only text that looks like a JSON document (`{...}`, `[...]`) is
/// parsed.
fn check_text(text: &str, at: &str, content_type: Option<&str>, found: &mut Found) {
    let Some(content_type) = content_type else {
        return;
    };
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return;
    }
    if is_json_content_type(content_type) && trimmed.starts_with(['{', '[']) {
        if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
            found.semantic(
                at.to_owned(),
                format!("body is declared as {content_type} but does not parse as JSON: {error}"),
            );
        }
    } else if is_xml_content_type(content_type)
        && let Err(error) = roxmltree::Document::parse(text)
    {
        found.semantic(
            at.to_owned(),
            format!("body is declared as {content_type} but does not parse as XML: {error}"),
        );
    }
}

/// Checks a `matchingRules` object: categories, body path expressions and every matcher.
fn check_rules(rules: &Value, at: &str, version: SpecVersion, found: &mut Found) {
    let Value::Object(categories) = rules else {
        return;
    };
    let flat = version <= SpecVersion::V2 || categories.keys().any(|k| k.starts_with('$'));
    if flat {
        for (key, list) in categories {
            let list_at = key_path(at, key);
            let target = spec::split_flat_key(key);
            match &target {
                None => found.semantic(
                    list_at.clone(),
                    Problem::BadRulePath(key.clone()).to_string(),
                ),
                Some((RuleCategory::Body, _)) => check_path_syntax(key, &list_at, found),
                Some(_) => {}
            }
            check_rule_list(list, &list_at, target.as_ref(), found);
        }
        return;
    }
    for (name, entries) in categories {
        let category_at = key_path(at, name);
        let Some(category) = RuleCategory::parse(name) else {
            found.semantic(
                category_at,
                Problem::UnknownCategory(name.clone()).to_string(),
            );
            continue;
        };
        let Value::Object(map) = entries else {
            continue;
        };
        if category.is_single_valued()
            && (map.contains_key("matchers") || map.contains_key("match"))
        {
            let target = (category, "$".to_owned());
            check_rule_list(entries, &category_at, Some(&target), found);
            continue;
        }
        for (key, list) in map {
            let list_at = key_path(&category_at, key);
            if category == RuleCategory::Body {
                check_path_syntax(key, &list_at, found);
            }
            let target = (category, key.clone());
            check_rule_list(list, &list_at, Some(&target), found);
        }
    }
}

/// Checks `{"matchers": [...]}` or a bare matcher object. `target` is what the rules apply
/// to (category and key), when known.
fn check_rule_list(
    list: &Value,
    at: &str,
    target: Option<&(RuleCategory, String)>,
    found: &mut Found,
) {
    let Value::Object(map) = list else {
        return;
    };
    match map.get("matchers") {
        Some(Value::Array(matchers)) => {
            let matchers_at = key_path(at, "matchers");
            for (i, matcher) in matchers.iter().enumerate() {
                check_matcher(matcher, &format!("{matchers_at}[{i}]"), target, found);
            }
        }
        Some(_) => {}
        None => check_matcher(list, at, target, found),
    }
}

fn check_matcher(
    matcher: &Value,
    at: &str,
    target: Option<&(RuleCategory, String)>,
    found: &mut Found,
) {
    if !matcher.is_object() {
        return;
    }
    match spec::read_matcher_value(matcher.clone()) {
        Ok(matcher) => {
            check_matcher_model(&matcher, at, found);
            if let (Matcher::Regex(pattern), Some((category, key))) = (&matcher, target)
                && let Ok(regex) = pattern.regex()
            {
                found.regexes.push(RegexRule {
                    category: *category,
                    key: key.clone(),
                    at: key_path(at, "regex"),
                    regex: regex.clone(),
                });
            }
        }
        Err(error) => found.semantic_from(at, &error),
    }
}

/// Checks what only the decoded matcher shows: regular expressions, nested rules and paths.
fn check_matcher_model(matcher: &Matcher, at: &str, found: &mut Found) {
    match matcher {
        Matcher::Regex(pattern) => {
            if let Err(error) = pattern.regex() {
                found.semantic(
                    key_path(at, "regex"),
                    format!(
                        "invalid regular expression \"{}\": {}",
                        pattern.as_str(),
                        one_line(&error.to_string())
                    ),
                );
            }
        }
        Matcher::Type {
            min: Some(min),
            max: Some(max),
        } if min > max => found.semantic(
            at.to_owned(),
            format!("type matcher has min {min} greater than max {max}: no array can match"),
        ),
        Matcher::EachKey { rules, .. } | Matcher::EachValue { rules, .. } => {
            let rules_at = key_path(at, "rules");
            for (i, rule) in rules.iter().enumerate() {
                check_matcher_model(rule, &format!("{rules_at}[{i}]"), found);
            }
        }
        Matcher::ArrayContains(variants) => {
            let variants_at = key_path(at, "variants");
            for (i, variant) in variants.iter().enumerate() {
                let variant_at = format!("{variants_at}[{i}]");
                let rules_at = key_path(&variant_at, "rules");
                for (key, list) in &variant.rules {
                    let list_at = key_path(&rules_at, key);
                    check_path_syntax(key, &list_at, found);
                    for (j, rule) in list.matchers.iter().enumerate() {
                        check_matcher_model(rule, &format!("{list_at}.matchers[{j}]"), found);
                    }
                }
                let generators_at = key_path(&variant_at, "generators");
                for (key, generator) in &variant.generators {
                    let generator_at = key_path(&generators_at, key);
                    check_path_syntax(key, &generator_at, found);
                    check_generator_model(generator, &generator_at, found);
                }
            }
        }
        _ => {}
    }
}

/// The useful line of a multi-line `regex` error (`error: unclosed group`).
fn one_line(message: &str) -> String {
    message
        .lines()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .map(str::to_owned)
        .unwrap_or_else(|| message.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Checks a `generators` object: categories, body path expressions and every generator.
fn check_generators(generators: &Value, at: &str, found: &mut Found) {
    let Value::Object(categories) = generators else {
        return;
    };
    for (name, entries) in categories {
        let category_at = key_path(at, name);
        let Some(category) = GeneratorCategory::parse(name) else {
            found.semantic(
                category_at,
                Problem::UnknownCategory(name.clone()).to_string(),
            );
            continue;
        };
        let Value::Object(map) = entries else {
            continue;
        };
        if category.is_single_valued() && map.contains_key("type") {
            check_generator(entries, &category_at, found);
            continue;
        }
        for (key, generator) in map {
            let generator_at = key_path(&category_at, key);
            if category == GeneratorCategory::Body {
                check_path_syntax(key, &generator_at, found);
            }
            check_generator(generator, &generator_at, found);
        }
    }
}

fn check_generator(generator: &Value, at: &str, found: &mut Found) {
    match spec::read_generator_value(generator.clone()) {
        Ok(generator) => check_generator_model(&generator, at, found),
        Err(error) => found.semantic_from(at, &error),
    }
}

fn check_generator_model(generator: &Generator, at: &str, found: &mut Found) {
    let regex = match generator {
        Generator::Regex { regex } | Generator::MockServerUrl { regex, .. } => regex,
        Generator::RandomInt { min, max } if min > max => {
            found.semantic(
                at.to_owned(),
                format!("RandomInt generator has min {min} greater than max {max}"),
            );
            return;
        }
        _ => return,
    };
    if let Err(error) = regex::Regex::new(regex) {
        found.semantic(
            key_path(at, "regex"),
            format!(
                "invalid regular expression \"{regex}\": {}",
                one_line(&error.to_string())
            ),
        );
    }
}

fn check_path_syntax(expression: &str, at: &str, found: &mut Found) {
    if let Err(reason) = parse_path_expression(expression) {
        found.semantic(
            at.to_owned(),
            format!("invalid path expression \"{expression}\": {reason}"),
        );
    }
}

#[cfg(test)]
mod tests;
