//! Reading matching rules and generators in the V2 (flat) and V3/V4 (by category) layouts.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::json_path::At;
use super::values::{
    Result, array, bad_value, count, integer, object, optional_string, present, problem, wrong_type,
};
use crate::error::Problem;
use crate::model::{
    ArrayContainsVariant, Combine, Generator, GeneratorCategory, Generators, Matcher,
    MatchingRules, Pattern, RuleCategory, RuleList, StatusClass, StatusCodes, UuidFormat,
};

/// Reads a V3/V4 `matchingRules` object: category -> (rule list, or key -> rule list).
pub(crate) fn read_rules_by_category(value: Value, at: &At<'_>) -> Result<MatchingRules> {
    let mut rules = MatchingRules::default();
    for (name, category_value) in object(value, at)? {
        let category_at = at.key(&name);
        let category = RuleCategory::parse(&name)
            .ok_or_else(|| problem(&category_at, Problem::UnknownCategory(name.clone())))?;
        let entries = rules.categories.entry(category).or_default();
        read_rule_category(category, category_value, entries, &category_at)?;
    }
    Ok(rules)
}

/// Reads the rules of one category (the object at `at`) into `entries`: one rule list at `$`
/// for a single-valued category written without keys, else a rule list per key.
pub(crate) fn read_rule_category(
    category: RuleCategory,
    value: Value,
    entries: &mut IndexMap<String, RuleList>,
    at: &At<'_>,
) -> Result<()> {
    let map = object(value, at)?;
    if category.is_single_valued() && (map.contains_key("matchers") || map.contains_key("match")) {
        entries.insert("$".to_owned(), read_rule_list(Value::Object(map), at)?);
        return Ok(());
    }
    for (key, list) in map {
        let list_at = at.key(&key);
        let list = read_rule_list(list, &list_at)?;
        entries.insert(key, list);
    }
    Ok(())
}

/// Reads `{"matchers": [...], "combine": "AND"}`, or a bare matcher object (a V2 habit some
/// V3 writers kept).
pub(crate) fn read_rule_list(value: Value, at: &At<'_>) -> Result<RuleList> {
    let mut map = object(value, at)?;
    let Some(matchers) = map.remove("matchers") else {
        return Ok(RuleList::single(read_matcher(map, at)?));
    };
    let combine = read_combine(map.remove("combine"), at)?;
    let matchers_at = at.key("matchers");
    let matchers = read_matcher_array(matchers, &matchers_at)?;
    Ok(RuleList { matchers, combine })
}

/// Reads the `combine` member (already taken out) of the rule list at `at`.
pub(crate) fn read_combine(value: Option<Value>, at: &At<'_>) -> Result<Combine> {
    match value {
        None | Some(Value::Null) => Ok(Combine::And),
        Some(Value::String(c)) if c.eq_ignore_ascii_case("and") => Ok(Combine::And),
        Some(Value::String(c)) if c.eq_ignore_ascii_case("or") => Ok(Combine::Or),
        Some(other) => Err(bad_value(&at.key("combine"), "\"AND\" or \"OR\"", &other)),
    }
}

fn read_matcher_array(value: Value, at: &At<'_>) -> Result<Vec<Matcher>> {
    array(value, at)?
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let m_at = at.index(i);
            read_matcher(object(m, &m_at)?, &m_at)
        })
        .collect()
}

/// The members of a matcher object that some matcher reads, taken out of the object: `None`
/// when absent, `Some(Value::Null)` when written as `null` (a legacy matcher without `match`
/// is recognised by which members it has, null or not). Other members are ignored.
///
/// The typed V4 reader deserialises this straight from the file's bytes. It refuses unknown
/// members rather than skip them: serde skips a value without the checks a `Value` parse
/// makes (lone surrogates, numbers out of range), and the file then goes to the `Value`
/// reader.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MatcherFields {
    #[serde(rename = "match", default, deserialize_with = "present")]
    name: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    regex: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    min: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    max: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    value: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    format: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    date: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    time: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    datetime: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    timestamp: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    variants: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    status: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    rules: Option<Value>,
}

impl MatcherFields {
    fn take(map: &mut Map<String, Value>) -> Self {
        MatcherFields {
            name: map.remove("match"),
            regex: map.remove("regex"),
            min: map.remove("min"),
            max: map.remove("max"),
            value: map.remove("value"),
            format: map.remove("format"),
            date: map.remove("date"),
            time: map.remove("time"),
            datetime: map.remove("datetime"),
            timestamp: map.remove("timestamp"),
            variants: map.remove("variants"),
            status: map.remove("status"),
            rules: map.remove("rules"),
        }
    }
}

/// Reads one matcher object, e.g. `{"match": "regex", "regex": "\\d+"}`.
pub(crate) fn read_matcher(mut map: Map<String, Value>, at: &At<'_>) -> Result<Matcher> {
    matcher_from_fields(MatcherFields::take(&mut map), at)
}

/// Reads the matcher object at `at` from its members.
pub(crate) fn matcher_from_fields(fields: MatcherFields, at: &At<'_>) -> Result<Matcher> {
    let MatcherFields {
        name,
        regex,
        min,
        max,
        value,
        format,
        date,
        time,
        datetime,
        timestamp,
        variants,
        status: status_codes,
        rules,
    } = fields;
    let name = match name {
        Some(Value::String(name)) => name,
        Some(other) => return Err(wrong_type(&at.key("match"), "a string", &other)),
        // Legacy matchers without `match`: infer from the attributes.
        None if regex.is_some() => "regex".to_owned(),
        None if min.is_some() || max.is_some() => "type".to_owned(),
        None if timestamp.is_some() => "timestamp".to_owned(),
        None => return Err(problem(at, Problem::UntypedMatcher)),
    };
    let bound = |value: Option<Value>, key: &'static str| -> Result<Option<usize>> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(v) => count(&v, &at.key(key)).map(Some),
        }
    };
    // `format`, else the member named after the matcher (`{"match": "date", "date": ...}`).
    let format_or = |alias: Option<Value>, alias_key: &'static str| -> Result<Option<String>> {
        match optional_string(format, "format", at)? {
            Some(f) => Ok(Some(f)),
            None => optional_string(alias, alias_key, at),
        }
    };
    let required = |value: Option<Value>, key: &'static str| -> Result<String> {
        optional_string(value, key, at)?.ok_or_else(|| problem(at, Problem::Missing(key)))
    };
    Ok(match name.as_str() {
        "equality" => Matcher::Equality,
        "regex" => Matcher::Regex(Pattern::new(required(regex, "regex")?)),
        "type" | "min" | "max" | "minType" | "maxType" | "minmax" => Matcher::Type {
            min: bound(min, "min")?,
            max: bound(max, "max")?,
        },
        "include" => Matcher::Include(required(value, "value")?),
        "integer" => Matcher::Integer,
        "decimal" | "real" => Matcher::Decimal,
        "number" => Matcher::Number,
        "boolean" => Matcher::Boolean,
        "null" => Matcher::Null,
        "date" => Matcher::Date(format_or(date, "date")?),
        "time" => Matcher::Time(format_or(time, "time")?),
        "datetime" | "timestamp" => Matcher::DateTime(match format_or(timestamp, "timestamp")? {
            Some(f) => Some(f),
            None => optional_string(datetime, "datetime", at)?,
        }),
        "values" => Matcher::Values,
        "contentType" | "content-type" => Matcher::ContentType(required(value, "value")?),
        "arrayContains" | "array-contains" => {
            let variants_at = at.key("variants");
            let variants = variants.ok_or_else(|| problem(at, Problem::Missing("variants")))?;
            let variants = array(variants, &variants_at)?
                .into_iter()
                .enumerate()
                .map(|(i, v)| read_variant(v, &variants_at.index(i)))
                .collect::<Result<_>>()?;
            Matcher::ArrayContains(variants)
        }
        "statusCode" | "status-code" => {
            let status_at = at.key("status");
            Matcher::StatusCode(match status_codes {
                None | Some(Value::Null) => StatusCodes::Class(StatusClass::Success),
                Some(Value::String(class)) => {
                    StatusCodes::Class(StatusClass::parse(&class).ok_or_else(|| {
                        bad_value(
                            &status_at,
                            "info, success, redirect, clientError, serverError, nonError or error",
                            &Value::String(class.clone()),
                        )
                    })?)
                }
                Some(Value::Array(codes)) => StatusCodes::Codes(
                    codes
                        .iter()
                        .enumerate()
                        .map(|(i, c)| status(c, &status_at.index(i)))
                        .collect::<Result<_>>()?,
                ),
                Some(other) => {
                    return Err(wrong_type(
                        &status_at,
                        "a status class or an array of status codes",
                        &other,
                    ));
                }
            })
        }
        "notEmpty" | "not-empty" => Matcher::NotEmpty,
        "semver" => Matcher::Semver,
        "eachKey" | "each-key" | "eachValue" | "each-value" => {
            let rules = match rules {
                None | Some(Value::Null) => Vec::new(),
                Some(rules) => read_matcher_array(rules, &at.key("rules"))?,
            };
            if name.starts_with("eachK") || name.starts_with("each-k") {
                Matcher::EachKey { rules, value }
            } else {
                Matcher::EachValue { rules, value }
            }
        }
        _ => return Err(problem(&at.key("match"), Problem::UnknownMatcher(name))),
    })
}

/// A status code: an integer from 100 to 599.
pub(crate) fn status(value: &Value, at: &At<'_>) -> Result<u16> {
    let code = integer(value, at)?;
    u16::try_from(code)
        .ok()
        .filter(|c| (100..=599).contains(c))
        .ok_or_else(|| bad_value(at, "an HTTP status code from 100 to 599", value))
}

fn read_variant(value: Value, at: &At<'_>) -> Result<ArrayContainsVariant> {
    let mut map = object(value, at)?;
    let index = match map.get("index") {
        Some(v) => count(v, &at.key("index"))?,
        None => return Err(problem(at, Problem::Missing("index"))),
    };
    let mut rules = IndexMap::new();
    if let Some(value) = map.remove("rules") {
        let rules_at = at.key("rules");
        for (key, list) in object(value, &rules_at)? {
            let list_at = rules_at.key(&key);
            let list = read_rule_list(list, &list_at)?;
            rules.insert(key, list);
        }
    }
    let mut generators = IndexMap::new();
    if let Some(value) = map.remove("generators") {
        let gens_at = at.key("generators");
        for (key, generator) in object(value, &gens_at)? {
            let gen_at = gens_at.key(&key);
            let generator = read_generator(generator, &gen_at)?;
            generators.insert(key, generator);
        }
    }
    Ok(ArrayContainsVariant {
        index,
        rules,
        generators,
    })
}

/// Reads a V2 flat `matchingRules` object, whose keys address the whole request or response
/// (`$.body.a`, `$.headers.Accept`, `$.query.q`, `$.path`), into categories. Body keys lose
/// their `$.body` prefix: `$.body.a[0]` becomes `$.a[0]`.
pub(crate) fn read_flat_rules(value: Value, at: &At<'_>) -> Result<MatchingRules> {
    let mut rules = MatchingRules::default();
    for (key, rule) in object(value, at)? {
        let rule_at = at.key(&key);
        let (category, sub_key) = split_flat_key(&key)
            .ok_or_else(|| problem(&rule_at, Problem::BadRulePath(key.clone())))?;
        let list = read_rule_list(rule, &rule_at)?;
        let entry = rules
            .categories
            .entry(category)
            .or_default()
            .entry(sub_key)
            .or_default();
        entry.matchers.extend(list.matchers);
        entry.combine = list.combine;
    }
    Ok(rules)
}

/// Splits a V2 rule key into its category and the key inside that category.
pub(crate) fn split_flat_key(key: &str) -> Option<(RuleCategory, String)> {
    let rest = key.strip_prefix('$')?;
    let (name, remainder) = first_segment(rest)?;
    match name.as_str() {
        "body" => Some((RuleCategory::Body, format!("${remainder}"))),
        "headers" | "header" => {
            let (header, tail) = first_segment(remainder)?;
            tail.is_empty().then_some((RuleCategory::Header, header))
        }
        "query" => {
            let (param, tail) = first_segment(remainder)?;
            // `$.query.q[0]` addresses one value of a parameter; rules apply per parameter.
            (tail.is_empty() || tail.starts_with('[')).then_some((RuleCategory::Query, param))
        }
        "path" if remainder.is_empty() => Some((RuleCategory::Path, "$".to_owned())),
        "method" if remainder.is_empty() => Some((RuleCategory::Method, "$".to_owned())),
        "status" if remainder.is_empty() => Some((RuleCategory::Status, "$".to_owned())),
        _ => None,
    }
}

/// Reads `.name` or `['name']` from the front of a path; returns the name and the rest.
fn first_segment(path: &str) -> Option<(String, &str)> {
    if let Some(rest) = path.strip_prefix('.') {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        (end > 0).then(|| (rest[..end].to_owned(), &rest[end..]))
    } else if let Some(rest) = path.strip_prefix("['") {
        let end = rest.find("']")?;
        Some((rest[..end].to_owned(), &rest[end + 2..]))
    } else {
        None
    }
}

/// Reads a V3/V4 `generators` object: category -> (generator, or key -> generator).
pub(crate) fn read_generators(value: Value, at: &At<'_>) -> Result<Generators> {
    let mut generators = Generators::default();
    for (name, category_value) in object(value, at)? {
        let category_at = at.key(&name);
        let category = GeneratorCategory::parse(&name)
            .ok_or_else(|| problem(&category_at, Problem::UnknownCategory(name.clone())))?;
        let entries = generators.categories.entry(category).or_default();
        read_generator_category(category, category_value, entries, &category_at)?;
    }
    Ok(generators)
}

/// Reads the generators of one category (the object at `at`) into `entries`: one generator
/// at `$` for a single-valued category written without keys, else a generator per key.
pub(crate) fn read_generator_category(
    category: GeneratorCategory,
    value: Value,
    entries: &mut IndexMap<String, Generator>,
    at: &At<'_>,
) -> Result<()> {
    let map = object(value, at)?;
    if category.is_single_valued() && map.contains_key("type") {
        entries.insert("$".to_owned(), read_generator(Value::Object(map), at)?);
        return Ok(());
    }
    for (key, generator) in map {
        let gen_at = at.key(&key);
        let generator = read_generator(generator, &gen_at)?;
        entries.insert(key, generator);
    }
    Ok(())
}

/// The members of a generator object that some generator reads, taken out of the object
/// (`Some(Value::Null)` when written as `null`). Other members are ignored.
///
/// The typed V4 reader deserialises this straight from the file's bytes, refusing unknown
/// members as for [`MatcherFields`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GeneratorFields {
    #[serde(rename = "type", default, deserialize_with = "present")]
    kind: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    min: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    max: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    digits: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    size: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    regex: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    format: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    expression: Option<Value>,
    #[serde(rename = "dataType", default, deserialize_with = "present")]
    data_type: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    example: Option<Value>,
}

impl GeneratorFields {
    fn take(map: &mut Map<String, Value>) -> Self {
        GeneratorFields {
            kind: map.remove("type"),
            min: map.remove("min"),
            max: map.remove("max"),
            digits: map.remove("digits"),
            size: map.remove("size"),
            regex: map.remove("regex"),
            format: map.remove("format"),
            expression: map.remove("expression"),
            data_type: map.remove("dataType"),
            example: map.remove("example"),
        }
    }
}

/// Reads one generator object, e.g. `{"type": "RandomInt", "min": 1, "max": 10}`.
pub(crate) fn read_generator(value: Value, at: &At<'_>) -> Result<Generator> {
    let mut map = object(value, at)?;
    generator_from_fields(GeneratorFields::take(&mut map), at)
}

/// Reads the generator object at `at` from its members.
pub(crate) fn generator_from_fields(fields: GeneratorFields, at: &At<'_>) -> Result<Generator> {
    let GeneratorFields {
        kind,
        min,
        max,
        digits,
        size,
        regex,
        format,
        expression,
        data_type,
        example,
    } = fields;
    let kind =
        optional_string(kind, "type", at)?.ok_or_else(|| problem(at, Problem::Missing("type")))?;
    let usize_attr = |value: Option<Value>, key: &'static str, default: usize| match value {
        None | Some(Value::Null) => Ok(default),
        Some(v) => count(&v, &at.key(key)),
    };
    let int_attr = |value: Option<Value>, key: &'static str, default: i64| match value {
        None | Some(Value::Null) => Ok(default),
        Some(v) => integer(&v, &at.key(key)),
    };
    let string = |value: Option<Value>, key: &'static str| optional_string(value, key, at);
    let required = |value: Option<Value>, key: &'static str| -> Result<String> {
        optional_string(value, key, at)?.ok_or_else(|| problem(at, Problem::Missing(key)))
    };
    Ok(match kind.as_str() {
        "RandomInt" => Generator::RandomInt {
            min: int_attr(min, "min", 0)?,
            max: int_attr(max, "max", i64::from(i32::MAX))?,
        },
        "RandomDecimal" => Generator::RandomDecimal {
            digits: usize_attr(digits, "digits", 10)?,
        },
        "RandomHexadecimal" => Generator::RandomHexadecimal {
            digits: usize_attr(digits, "digits", 10)?,
        },
        "RandomString" => Generator::RandomString {
            size: usize_attr(size, "size", 10)?,
        },
        "Regex" => Generator::Regex {
            regex: required(regex, "regex")?,
        },
        "Uuid" => Generator::Uuid {
            format: match string(format, "format")? {
                None => None,
                Some(name) => Some(UuidFormat::parse(&name).ok_or_else(|| {
                    bad_value(
                        &at.key("format"),
                        "simple, lower-case-hyphenated, upper-case-hyphenated or URN",
                        &Value::String(name.clone()),
                    )
                })?),
            },
        },
        "Date" => Generator::Date {
            format: string(format, "format")?,
            expression: string(expression, "expression")?,
        },
        "Time" => Generator::Time {
            format: string(format, "format")?,
            expression: string(expression, "expression")?,
        },
        "DateTime" | "Timestamp" => Generator::DateTime {
            format: string(format, "format")?,
            expression: string(expression, "expression")?,
        },
        "RandomBoolean" => Generator::RandomBoolean,
        "ProviderState" => Generator::ProviderState {
            expression: required(expression, "expression")?,
            data_type: string(data_type, "dataType")?,
        },
        "MockServerURL" => Generator::MockServerUrl {
            regex: required(regex, "regex")?,
            example: required(example, "example")?,
        },
        _ => return Err(problem(&at.key("type"), Problem::UnknownGenerator(kind))),
    })
}

/// Reads a map of string values (or arrays of strings, or other scalars rendered as text),
/// as headers and V3 query maps are written.
pub(crate) fn read_multi_map(value: Value, at: &At<'_>) -> Result<IndexMap<String, Vec<String>>> {
    let mut out = IndexMap::new();
    for (name, values) in object(value, at)? {
        let values = multi_map_values(values, &at.key(&name))?;
        out.insert(name, values);
    }
    Ok(out)
}

/// Reads the value of one member of a multi-map (`"Accept": ["a", "b"]` or `"Accept": "a"`).
pub(crate) fn multi_map_values(value: Value, at: &At<'_>) -> Result<Vec<String>> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| scalar_text(v, &at.index(i)))
            .collect(),
        other => Ok(vec![scalar_text(other, at)?]),
    }
}

fn scalar_text(value: Value, at: &At<'_>) -> Result<String> {
    match value {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(wrong_type(at, "a string", &other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_v2_rule_keys() {
        let cases = [
            ("$.body", Some((RuleCategory::Body, "$"))),
            (
                "$.body.animals[*].name",
                Some((RuleCategory::Body, "$.animals[*].name")),
            ),
            ("$.body['2']", Some((RuleCategory::Body, "$['2']"))),
            ("$.headers.Accept", Some((RuleCategory::Header, "Accept"))),
            (
                "$.headers['Content-Type']",
                Some((RuleCategory::Header, "Content-Type")),
            ),
            ("$.query.q", Some((RuleCategory::Query, "q"))),
            ("$.path", Some((RuleCategory::Path, "$"))),
            ("$.nope", None),
            ("body", None),
        ];
        for (key, expected) in cases {
            let got = split_flat_key(key);
            assert_eq!(
                got.as_ref().map(|(c, k)| (*c, k.as_str())),
                expected,
                "{key}"
            );
        }
    }

    #[test]
    fn unknown_matcher_names_its_path() {
        let value = serde_json::json!({"body": {"$.a": {"matchers": [{"match": "regexx"}]}}});
        let error = read_rules_by_category(value, &At::ROOT).unwrap_err();
        assert_eq!(
            error.to_string(),
            "<contract>: $.body['$.a'].matchers[0].match: unknown matcher \"regexx\""
        );
    }
}
