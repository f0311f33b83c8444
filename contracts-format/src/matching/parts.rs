//! Matching the parts of a request, response or message other than the body: method, path,
//! query parameters, headers, status and message metadata.

use indexmap::IndexMap;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::content::{MediaType, split_outside_quotes};
use super::mismatch::{Mismatch, MismatchCategory, MismatchKind};
use super::values::{Domain, accepts, json_equal};
use crate::model::{Combine, Matcher, MatchingRules, Query, RuleCategory, RuleList, find_header};

/// The first failing matcher of `list` for `actual` (`None` when the list accepts it).
pub(crate) fn failing_rule<'l>(
    list: &'l RuleList,
    expected: &Value,
    actual: &Value,
    domain: Domain,
) -> Option<&'l Matcher> {
    let mut first_failure = None;
    for matcher in &list.matchers {
        let ok = accepts(matcher, expected, actual, domain);
        match (ok, list.combine) {
            (true, Combine::Or) => return None,
            (false, _) => {
                first_failure.get_or_insert(matcher);
                if list.combine == Combine::And {
                    break;
                }
            }
            (true, Combine::And) => {}
        }
    }
    first_failure
}

/// The rule list of a single-valued category (`method`, `path`, `status`).
fn single_rule(rules: &MatchingRules, category: RuleCategory) -> Option<&RuleList> {
    rules
        .category(category)
        .and_then(|map| map.get("$").or_else(|| map.values().next()))
        .filter(|list| !list.matchers.is_empty())
}

/// A rule list keyed by name in `category`; header names compare without case.
fn named_rule<'r>(
    rules: &'r MatchingRules,
    category: RuleCategory,
    name: &str,
) -> Option<&'r RuleList> {
    let map = rules.category(category)?;
    let found = if category == RuleCategory::Header {
        map.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, list)| list)
    } else {
        map.get(name)
    };
    found.filter(|list| !list.matchers.is_empty())
}

fn text_mismatch(
    category: MismatchCategory,
    path: &str,
    rule: Option<&RuleList>,
    expected: &str,
    actual: &str,
    equal: impl Fn(&str, &str) -> bool,
) -> Option<Mismatch> {
    let (e, a) = (Value::String(expected.into()), Value::String(actual.into()));
    match rule {
        Some(list) => failing_rule(list, &e, &a, Domain::Text).map(|rule| {
            Mismatch::new(category, path, MismatchKind::Rule)
                .expected(e.clone())
                .actual(a.clone())
                .rule(rule)
        }),
        None => (!equal(expected, actual)).then(|| {
            Mismatch::new(category, path, MismatchKind::Value)
                .expected(e)
                .actual(a)
        }),
    }
}

/// Methods compare without case.
pub(crate) fn method(expected: &str, actual: &str, rules: &MatchingRules) -> Option<Mismatch> {
    let rule = single_rule(rules, RuleCategory::Method);
    text_mismatch(
        MismatchCategory::Method,
        "$",
        rule,
        expected,
        actual,
        |e, a| e.eq_ignore_ascii_case(a),
    )
}

/// Paths compare exactly (after percent-decoding: `/a%20b` is `/a b`) unless a rule applies.
pub(crate) fn path(expected: &str, actual: &str, rules: &MatchingRules) -> Option<Mismatch> {
    let rule = single_rule(rules, RuleCategory::Path);
    text_mismatch(
        MismatchCategory::Path,
        "$",
        rule,
        expected,
        actual,
        |e, a| {
            e == a
                || percent_decode_str(e).decode_utf8_lossy()
                    == percent_decode_str(a).decode_utf8_lossy()
        },
    )
}

/// The status must be equal, or pass the `status` rules (`statusCode` matchers).
pub(crate) fn status(expected: u16, actual: u16, rules: &MatchingRules) -> Option<Mismatch> {
    let (e, a) = (Value::from(expected), Value::from(actual));
    match single_rule(rules, RuleCategory::Status) {
        Some(list) => failing_rule(list, &e, &a, Domain::Json).map(|rule| {
            Mismatch::new(MismatchCategory::Status, "$", MismatchKind::Rule)
                .expected(e.clone())
                .actual(a.clone())
                .rule(rule)
        }),
        None => (expected != actual).then(|| {
            Mismatch::new(MismatchCategory::Status, "$", MismatchKind::Value)
                .expected(e)
                .actual(a)
        }),
    }
}

/// V1 compares query strings: the `&`-separated pairs in order (a trailing `&` counts),
/// each percent-decoded.
pub(crate) fn raw_query(expected: &str, actual: &str) -> Option<Mismatch> {
    let decode = |raw: &str| -> Vec<String> {
        raw.split('&')
            .map(|pair| {
                percent_decode_str(&pair.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect()
    };
    (decode(expected) != decode(actual)).then(|| {
        Mismatch::new(MismatchCategory::Query, "$", MismatchKind::Value)
            .expected(Value::String(expected.to_owned()))
            .actual(Value::String(actual.to_owned()))
    })
}

/// Compares named multi-valued parameters (query parameters, form fields). Every expected
/// name must be present with its values in order, unless a rule for the name applies to each
/// actual value instead; unexpected names fail unless `allow_unexpected`.
pub(crate) fn params<'r>(
    expected: &Query,
    actual: &Query,
    rule_for: impl Fn(&str) -> Option<&'r RuleList>,
    allow_unexpected: bool,
    category: MismatchCategory,
) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for (name, e_values) in expected {
        let Some(a_values) = actual.get(name) else {
            mismatches.push(
                Mismatch::new(category, name, MismatchKind::Missing).expected(strings(e_values)),
            );
            continue;
        };
        match rule_for(name) {
            Some(list) => {
                // `type` bounds count the values of a repeated parameter.
                let len = a_values.len();
                for matcher in &list.matchers {
                    if let Matcher::Type { min, max } = matcher
                        && (min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m))
                    {
                        let kind = MismatchKind::Length {
                            min: *min,
                            max: *max,
                            actual: len,
                        };
                        mismatches.push(
                            Mismatch::new(category, name, kind)
                                .expected(strings(e_values))
                                .actual(strings(a_values))
                                .rule(matcher),
                        );
                    }
                }
                for (i, a) in a_values.iter().enumerate() {
                    let e = e_values.get(i).or(e_values.first()).map(String::as_str);
                    let (ev, av) = (
                        Value::String(e.unwrap_or("").into()),
                        Value::String(a.clone()),
                    );
                    if let Some(rule) = failing_rule(list, &ev, &av, Domain::Text) {
                        mismatches.push(
                            Mismatch::new(category, name, MismatchKind::Rule)
                                .expected(ev)
                                .actual(av)
                                .rule(rule),
                        );
                    }
                }
            }
            None if e_values != a_values => mismatches.push(
                Mismatch::new(category, name, MismatchKind::Value)
                    .expected(strings(e_values))
                    .actual(strings(a_values)),
            ),
            None => {}
        }
    }
    if !allow_unexpected {
        for (name, a_values) in actual {
            if !expected.contains_key(name) {
                mismatches.push(
                    Mismatch::new(category, name, MismatchKind::Unexpected)
                        .actual(strings(a_values)),
                );
            }
        }
    }
    mismatches
}

fn strings(values: &[String]) -> Value {
    match values {
        [one] => Value::String(one.clone()),
        many => Value::Array(many.iter().cloned().map(Value::String).collect()),
    }
}

/// Query parameters by the rules of `query` (V1.1 and later).
pub(crate) fn query(
    expected: Option<&Query>,
    actual: Option<&Query>,
    rules: &MatchingRules,
) -> Vec<Mismatch> {
    let empty = Query::new();
    let expected = expected.unwrap_or(&empty);
    let actual = actual.unwrap_or(&empty);
    params(
        expected,
        actual,
        |name| named_rule(rules, RuleCategory::Query, name),
        false,
        MismatchCategory::Query,
    )
}

/// Headers: every expected header must be present (names without case); extra headers are
/// fine. Values are compared as comma-separated lists with whitespace trimmed; media types
/// (`Content-Type`, `Accept`) compare by type and the expected parameters.
pub(crate) fn headers(
    expected: Option<&IndexMap<String, Vec<String>>>,
    actual: Option<&IndexMap<String, Vec<String>>>,
    rules: &MatchingRules,
) -> Vec<Mismatch> {
    let Some(expected) = expected else {
        return Vec::new();
    };
    let empty = IndexMap::new();
    let actual = actual.unwrap_or(&empty);
    let mut mismatches = Vec::new();
    for (name, e_values) in expected {
        let Some(a_values) = find_header(actual, name) else {
            mismatches.push(
                Mismatch::new(MismatchCategory::Header, name, MismatchKind::Missing)
                    .expected(Value::String(e_values.join(", "))),
            );
            continue;
        };
        match named_rule(rules, RuleCategory::Header, name) {
            Some(list) => {
                for (i, a) in a_values.iter().enumerate() {
                    let e = e_values
                        .get(i)
                        .or(e_values.first())
                        .cloned()
                        .unwrap_or_default();
                    mismatches.extend(text_mismatch(
                        MismatchCategory::Header,
                        name,
                        Some(list),
                        &e,
                        a,
                        |_, _| true,
                    ));
                }
            }
            None => {
                let (e, a) = (e_values.join(", "), a_values.join(", "));
                if !header_values_equal(&e, &a) {
                    mismatches.push(
                        Mismatch::new(MismatchCategory::Header, name, MismatchKind::Value)
                            .expected(Value::String(e))
                            .actual(Value::String(a)),
                    );
                }
            }
        }
    }
    mismatches
}

/// Header values as comma-separated lists: same items in the same order, whitespace around
/// items ignored; media-type items compare as media types.
pub(crate) fn header_values_equal(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    let e_items = split_outside_quotes(expected, ',');
    let a_items = split_outside_quotes(actual, ',');
    e_items.len() == a_items.len()
        && e_items.iter().zip(&a_items).all(|(e, a)| {
            let (e, a) = (e.trim(), a.trim());
            e == a
                || match (MediaType::parse(e), MediaType::parse(a)) {
                    (Some(e), Some(a)) => e.accepts(&a),
                    _ => false,
                }
        })
}

/// Message metadata: every expected key must be present and match (rules of the
/// `metadata` category, else equality; content types compare as media types).
pub(crate) fn metadata(
    expected: &Map<String, Value>,
    actual: &Map<String, Value>,
    rules: &MatchingRules,
) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for (key, e) in expected {
        let Some(a) = actual.get(key) else {
            mismatches.push(
                Mismatch::new(MismatchCategory::Metadata, key, MismatchKind::Missing)
                    .expected(e.clone()),
            );
            continue;
        };
        match named_rule(rules, RuleCategory::Metadata, key) {
            Some(list) => {
                if let Some(rule) = failing_rule(list, e, a, Domain::Json) {
                    mismatches.push(
                        Mismatch::new(MismatchCategory::Metadata, key, MismatchKind::Rule)
                            .expected(e.clone())
                            .actual(a.clone())
                            .rule(rule),
                    );
                }
            }
            None => {
                let equal = match (e, a) {
                    (Value::String(e), Value::String(a))
                        if key.to_ascii_lowercase().replace(['-', '_'], "") == "contenttype" =>
                    {
                        header_values_equal(e, a)
                    }
                    _ => json_equal(e, a),
                };
                if !equal {
                    mismatches.push(
                        Mismatch::new(MismatchCategory::Metadata, key, MismatchKind::Value)
                            .expected(e.clone())
                            .actual(a.clone()),
                    );
                }
            }
        }
    }
    mismatches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pattern;

    fn query_of(pairs: &[(&str, &[&str])]) -> Query {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn header_values_with_commas_and_parameters() {
        assert!(header_values_equal(
            "alligators,hippos",
            "alligators, hippos"
        ));
        assert!(!header_values_equal(
            "alligators, hippos",
            "hippos, alligators"
        ));
        assert!(!header_values_equal("alligators", "Alligators"));
        assert!(header_values_equal(
            "application/json",
            "application/json; charset=UTF-8"
        ));
        assert!(!header_values_equal(
            "application/json; charset=UTF-16",
            "application/json; charset=UTF-8"
        ));
        assert!(header_values_equal(
            "text/plain; q=0.5, application/json",
            "text/plain;q=0.5,application/json"
        ));
    }

    #[test]
    fn header_names_ignore_case_and_extras_are_allowed() {
        let mut expected = IndexMap::new();
        expected.insert("Accept".to_owned(), vec!["text/plain".to_owned()]);
        let mut actual = IndexMap::new();
        actual.insert("ACCEPT".to_owned(), vec!["text/plain".to_owned()]);
        actual.insert("X-Extra".to_owned(), vec!["1".to_owned()]);
        assert!(headers(Some(&expected), Some(&actual), &MatchingRules::default()).is_empty());
        let none = headers(Some(&expected), None, &MatchingRules::default());
        assert_eq!(none[0].kind, MismatchKind::Missing);
    }

    #[test]
    fn header_rules_apply_per_value() {
        let mut rules = MatchingRules::default();
        rules.add(
            RuleCategory::Header,
            "x-id",
            Matcher::Regex(Pattern::new("\\d+")),
        );
        let mut expected = IndexMap::new();
        expected.insert("X-Id".to_owned(), vec!["1".to_owned()]);
        let mut actual = IndexMap::new();
        actual.insert("x-id".to_owned(), vec!["42".to_owned(), "x".to_owned()]);
        let found = headers(Some(&expected), Some(&actual), &rules);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].actual, Some(Value::String("x".into())));
    }

    #[test]
    fn query_order_of_repeated_values_matters() {
        let rules = MatchingRules::default();
        let e = query_of(&[("a", &["1", "2"]), ("b", &["x"])]);
        let reordered_names = query_of(&[("b", &["x"]), ("a", &["1", "2"])]);
        assert!(query(Some(&e), Some(&reordered_names), &rules).is_empty());
        let reordered_values = query_of(&[("a", &["2", "1"]), ("b", &["x"])]);
        assert_eq!(query(Some(&e), Some(&reordered_values), &rules).len(), 1);
        let extra = query_of(&[("a", &["1", "2"]), ("b", &["x"]), ("c", &["y"])]);
        assert_eq!(
            query(Some(&e), Some(&extra), &rules)[0].kind,
            MismatchKind::Unexpected
        );
        assert_eq!(query(None, Some(&extra), &rules).len(), 3);
    }

    #[test]
    fn query_rules_apply_to_each_value_and_bound_the_count() {
        let mut rules = MatchingRules::default();
        rules.add(
            RuleCategory::Query,
            "id",
            Matcher::Type {
                min: Some(2),
                max: None,
            },
        );
        rules.add(RuleCategory::Query, "id", Matcher::Integer);
        let e = query_of(&[("id", &["1", "2"])]);
        assert!(
            query(
                Some(&e),
                Some(&query_of(&[("id", &["7", "8", "9"])])),
                &rules
            )
            .is_empty()
        );
        let found = query(Some(&e), Some(&query_of(&[("id", &["7"])])), &rules);
        assert!(matches!(
            found[0].kind,
            MismatchKind::Length { actual: 1, .. }
        ));
        let found = query(Some(&e), Some(&query_of(&[("id", &["7", "x"])])), &rules);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, Some(Matcher::Integer));
    }

    #[test]
    fn v1_query_strings_compare_in_order() {
        assert!(raw_query("a=1&b=2", "a=1&b=2").is_none());
        assert!(raw_query("a=1&b=2", "b=2&a=1").is_some());
        assert!(raw_query("a=1&b=2", "a=1&b=2&").is_some());
        assert!(raw_query("o=x=y", "o=x%3Dy").is_none());
    }

    #[test]
    fn method_path_status() {
        let rules = MatchingRules::default();
        assert!(method("GET", "get", &rules).is_none());
        assert!(method("GET", "POST", &rules).is_some());
        assert!(path("/a", "/a/", &rules).is_some());
        assert!(path("/a b", "/a%20b", &rules).is_none());
        assert!(path("/a%2Fb", "/a/b", &rules).is_none());
        assert!(path("/a b", "/a+b", &rules).is_some());
        assert!(status(200, 200, &rules).is_none());
        let mut rules = MatchingRules::default();
        rules.add(
            RuleCategory::Status,
            "$",
            Matcher::StatusCode(crate::model::StatusCodes::Class(
                crate::model::StatusClass::Success,
            )),
        );
        assert!(status(200, 201, &rules).is_none());
        assert!(status(200, 500, &rules).is_some());
    }
}
