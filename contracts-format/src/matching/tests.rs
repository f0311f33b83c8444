//! Body matching through the public functions: JSON with every container matcher, XML,
//! forms, text and binary bodies.

use indexmap::IndexMap;
use serde_json::{Value, json};

use super::*;
use crate::model::{
    ArrayContainsVariant, Body, Combine, Matcher, Pattern, RuleList, StatusClass, StatusCodes,
};

fn response(body: Value, rules: &[(&str, Matcher)]) -> HttpResponse {
    let mut response = HttpResponse {
        body: Body::json(body),
        ..HttpResponse::default()
    };
    for (path, matcher) in rules {
        response
            .matching_rules
            .add(RuleCategory::Body, *path, matcher.clone());
    }
    response
}

fn actual(body: Value) -> HttpResponse {
    HttpResponse {
        body: Body::json(body),
        ..HttpResponse::default()
    }
}

fn check(expected: &HttpResponse, body: Value) -> Vec<Mismatch> {
    match_response(expected, &actual(body), &MatchOptions::default())
}

fn min(n: usize) -> Matcher {
    Matcher::Type {
        min: Some(n),
        max: None,
    }
}

fn any_type() -> Matcher {
    Matcher::Type {
        min: None,
        max: None,
    }
}

fn regex(source: &str) -> Matcher {
    Matcher::Regex(Pattern::new(source))
}

#[test]
fn paths_of_mismatches_name_the_element() {
    let expected = response(json!({"items": [{"id": 1}]}), &[("$.items", min(1))]);
    let found = check(
        &expected,
        json!({"items": [{"id": 1}, {"id": 2}, {"id": "3"}]}),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "$.items[2].id");
    assert_eq!(found[0].kind, MismatchKind::Type);
    assert_eq!(found[0].category, MismatchCategory::Body);
}

#[test]
fn empty_arrays_under_min() {
    let expected = response(json!({"items": [1]}), &[("$.items", min(1))]);
    let found = check(&expected, json!({"items": []}));
    assert_eq!(
        found[0].kind,
        MismatchKind::Length {
            min: Some(1),
            max: None,
            actual: 0
        }
    );
    let zero = response(json!({"items": [1]}), &[("$.items", min(0))]);
    assert!(check(&zero, json!({"items": []})).is_empty());
    let bounded = response(
        json!({"items": [1]}),
        &[(
            "$.items",
            Matcher::Type {
                min: Some(1),
                max: Some(2),
            },
        )],
    );
    assert_eq!(check(&bounded, json!({"items": [1, 2, 3]})).len(), 1);
}

#[test]
fn nested_each_like_rules() {
    let expected = response(
        json!({"animals": [{"name": "Fred", "children": [{"age": 9}]}]}),
        &[
            ("$.animals", min(1)),
            ("$.animals[*].children", min(1)),
            ("$.animals[*].children[*].age", Matcher::Integer),
        ],
    );
    let good = json!({"animals": [
        {"name": "Mary", "children": [{"age": 3}, {"age": 4}]},
        {"name": "Sue", "children": [{"age": 1}]}
    ]});
    assert!(check(&expected, good).is_empty());
    let bad = json!({"animals": [
        {"name": "Mary", "children": [{"age": 3.5}]},
        {"name": "Sue", "children": []}
    ]});
    let found = check(&expected, bad);
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["$.animals[0].children[0].age", "$.animals[1].children"]
    );
}

#[test]
fn date_rules_on_array_elements() {
    let expected = response(
        json!({"items": [{"at": "2024-01-01T10:00:00+01:00"}]}),
        &[
            ("$.items", min(1)),
            (
                "$.items[*].at",
                Matcher::DateTime(Some("yyyy-MM-dd'T'HH:mm:ssXXX".into())),
            ),
        ],
    );
    let body = json!({"items": [
        {"at": "2024-02-29T23:59:59Z"},
        {"at": "2023-02-29T10:00:00Z"},
        {"at": "2024-03-01T10:00:00-05:00"},
        {"at": "2024-03-01T10:00:00"}
    ]});
    let found = check(&expected, body);
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, vec!["$.items[1].at", "$.items[3].at"]);
}

#[test]
fn cascaded_type_rules_lose_their_bounds() {
    let expected = response(json!({"a": [[1, 2]]}), &[("$.a", min(1))]);
    // The inner array inherits `type` without `min`, so its length is free.
    assert!(check(&expected, json!({"a": [[5]]})).is_empty());
    assert!(!check(&expected, json!({"a": [["x"]]})).is_empty());
    let root = response(json!({"x": {"y": 1}}), &[("$", any_type())]);
    assert!(check(&root, json!({"x": {"y": 99}})).is_empty());
}

#[test]
fn requests_reject_unexpected_keys_responses_accept_them() {
    let body = json!({"a": 1});
    let request = HttpRequest {
        body: Body::json(body.clone()),
        ..HttpRequest::default()
    };
    let received = HttpRequest {
        body: Body::json(json!({"a": 1, "b": 2})),
        ..HttpRequest::default()
    };
    let found = match_request(&request, &received, &MatchOptions::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, MismatchKind::Unexpected);
    assert_eq!(found[0].path, "$.b");
    assert!(check(&response(body, &[]), json!({"a": 1, "b": 2})).is_empty());
    // Unexpected array elements fail everywhere.
    assert_eq!(check(&response(json!([1]), &[]), json!([1, 2])).len(), 1);
}

#[test]
fn or_combination_needs_one_matcher() {
    let mut expected = response(json!({"v": 1}), &[]);
    expected
        .matching_rules
        .categories
        .entry(RuleCategory::Body)
        .or_default()
        .insert(
            "$.v".into(),
            RuleList {
                matchers: vec![Matcher::Null, Matcher::Integer],
                combine: Combine::Or,
            },
        );
    assert!(check(&expected, json!({"v": null})).is_empty());
    assert!(check(&expected, json!({"v": 5})).is_empty());
    assert_eq!(check(&expected, json!({"v": "x"})).len(), 1);
}

#[test]
fn array_contains_finds_each_variant_anywhere() {
    let mut variant_rules = IndexMap::new();
    variant_rules.insert("$.id".to_owned(), RuleList::single(Matcher::Integer));
    let matcher = Matcher::ArrayContains(vec![
        ArrayContainsVariant {
            index: 0,
            rules: variant_rules,
            generators: IndexMap::new(),
        },
        ArrayContainsVariant {
            index: 1,
            rules: IndexMap::new(),
            generators: IndexMap::new(),
        },
    ]);
    let expected = response(
        json!([{"id": 1, "kind": "a"}, {"kind": "b"}]),
        &[("$", matcher)],
    );
    let good = json!([{"kind": "z"}, {"kind": "b", "extra": true}, {"id": 7, "kind": "a"}]);
    assert!(check(&expected, good).is_empty());
    let missing_b = json!([{"id": 7, "kind": "a"}]);
    let found = check(&expected, missing_b);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].rule.as_ref().map(Matcher::name),
        Some("arrayContains")
    );
}

#[test]
fn each_key_each_value_and_values() {
    let each_key = Matcher::EachKey {
        rules: vec![regex("[a-z]+")],
        value: None,
    };
    let each_value = Matcher::EachValue {
        rules: vec![any_type()],
        value: None,
    };
    let expected = response(
        json!({"prices": {"apple": 1}}),
        &[("$.prices", each_key), ("$.prices", each_value)],
    );
    assert!(check(&expected, json!({"prices": {"pear": 2, "fig": 3}})).is_empty());
    let found = check(&expected, json!({"prices": {"Pear": 2, "fig": "3"}}));
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, vec!["$.prices.Pear", "$.prices.fig"]);

    let values = response(
        json!({"byId": {"1": {"name": "a"}}}),
        &[("$.byId", Matcher::Values), ("$.byId.*.name", any_type())],
    );
    assert!(
        check(
            &values,
            json!({"byId": {"7": {"name": "x"}, "8": {"name": "y"}}})
        )
        .is_empty()
    );
    assert_eq!(check(&values, json!({"byId": {"7": {"name": 1}}})).len(), 1);
}

#[test]
fn each_value_rules_reach_nested_values_unless_overridden() {
    let each_value = Matcher::EachValue {
        rules: vec![any_type()],
        value: None,
    };
    let expected = response(
        json!({"users": {"u1": {"name": "a", "age": 1}}}),
        &[("$.users", each_value), ("$.users.*.age", Matcher::Integer)],
    );
    let good = json!({"users": {"x": {"name": "b", "age": 7}, "y": {"name": "c", "age": 9}}});
    assert!(check(&expected, good).is_empty());
    let bad = json!({"users": {"x": {"name": 5, "age": 7.5}}});
    let found = check(&expected, bad);
    let rules: Vec<&str> = found
        .iter()
        .map(|m| m.rule.as_ref().map(Matcher::name).unwrap_or(""))
        .collect();
    assert_eq!(rules, vec!["type", "integer"]);
}

#[test]
fn container_matchers_need_containers() {
    let each_key = Matcher::EachKey {
        rules: vec![regex("[a-z]+")],
        value: None,
    };
    let expected = response(
        json!({"m": {"a": 1}}),
        &[("$.m", each_key), ("$.l", Matcher::Values)],
    );
    let found = check(&expected, json!({"m": "not a map"}));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, MismatchKind::Rule);
    let found = check(&expected, json!({"m": [1]}));
    assert_eq!(found.len(), 1, "{found:?}");
    let values = response(json!({"m": {"a": 1}}), &[("$.m", Matcher::Values)]);
    assert_eq!(
        check(&values, json!({"m": [1]}))[0].kind,
        MismatchKind::Type
    );
    assert_eq!(check(&values, json!({"m": 1}))[0].kind, MismatchKind::Rule);
}

#[test]
fn not_empty_does_not_cascade() {
    let expected = response(json!({"tags": ["a"]}), &[("$.tags", Matcher::NotEmpty)]);
    assert!(!check(&expected, json!({"tags": []})).is_empty());
    // Elements are still compared by equality (lengths must agree without a type rule).
    assert!(check(&expected, json!({"tags": ["a"]})).is_empty());
    assert_eq!(check(&expected, json!({"tags": ["b"]})).len(), 1);
}

#[test]
fn status_codes_and_headers_with_rules() {
    let mut expected = HttpResponse::default();
    expected.matching_rules.add(
        RuleCategory::Status,
        "$",
        Matcher::StatusCode(StatusCodes::Class(StatusClass::Success)),
    );
    let mut got = HttpResponse {
        status: 204,
        ..HttpResponse::default()
    };
    assert!(match_response(&expected, &got, &MatchOptions::default()).is_empty());
    got.status = 404;
    let found = match_response(&expected, &got, &MatchOptions::default());
    assert_eq!(found[0].category, MismatchCategory::Status);
    assert!(
        found[0].to_string().contains("statusCode success"),
        "{}",
        found[0]
    );
}

fn xml_response(xml: &str, rules: &[(&str, Matcher)]) -> HttpResponse {
    let mut r = HttpResponse {
        body: Body::text(xml, Some("application/xml")),
        ..HttpResponse::default()
    };
    for (path, matcher) in rules {
        r.matching_rules
            .add(RuleCategory::Body, *path, matcher.clone());
    }
    r
}

fn xml_request(xml: &str) -> HttpRequest {
    HttpRequest {
        body: Body::text(xml, Some("application/xml")),
        ..HttpRequest::default()
    }
}

#[test]
fn xml_attributes_text_and_namespaces() {
    let expected = xml_response(
        r#"<a xmlns="urn:x" id="1"><b>red</b><c/></a>"#,
        &[("$.a.b['#text']", regex("red|blue"))],
    );
    let same = r#"<p:a xmlns:p="urn:x" id="1" extra="y"><p:c/><p:b>blue</p:b></p:a>"#;
    let got = xml_response(same, &[]);
    assert!(match_response(&expected, &got, &MatchOptions::default()).is_empty());
    let wrong = xml_response(r#"<a xmlns="urn:y" id="1"><b>red</b><c/></a>"#, &[]);
    assert_eq!(
        match_response(&expected, &wrong, &MatchOptions::default()).len(),
        1
    );
    let bad_text = xml_response(r#"<a xmlns="urn:x" id="2"><b>green</b><c/></a>"#, &[]);
    let found = match_response(&expected, &bad_text, &MatchOptions::default());
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, vec!["$.a['@id']", "$.a.b[0]['#text']"]);
}

#[test]
fn xml_requests_reject_unexpected_attributes_and_elements() {
    let expected = xml_request("<a x=\"1\"><b/></a>");
    let got = xml_request("<a x=\"1\" y=\"2\"><b/><b/></a>");
    let found = match_request(&expected, &got, &MatchOptions::default());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|m| m.kind == MismatchKind::Unexpected));
}

#[test]
fn xml_type_rule_makes_the_first_child_an_example() {
    let expected = xml_response(
        "<people><person name=\"a\"/></people>",
        &[("$.people", min(2))],
    );
    let got = xml_response(
        "<people><person name=\"b\"/><person name=\"c\"/></people>",
        &[],
    );
    assert!(match_response(&expected, &got, &MatchOptions::default()).is_empty());
    let short = xml_response("<people><person name=\"b\"/></people>", &[]);
    assert_eq!(
        match_response(&expected, &short, &MatchOptions::default()).len(),
        1
    );
    let unreadable = xml_response("<people>", &[]);
    let found = match_response(&expected, &unreadable, &MatchOptions::default());
    assert!(matches!(found[0].kind, MismatchKind::Unreadable(_)));
}

#[test]
fn form_bodies_compare_as_parameters() {
    let form = |text: &str| HttpRequest {
        body: Body::text(text, Some("application/x-www-form-urlencoded")),
        ..HttpRequest::default()
    };
    let mut expected = form("a=1&b=x");
    expected
        .matching_rules
        .add(RuleCategory::Body, "$.b", regex("[a-z]+"));
    let options = MatchOptions::default();
    assert!(match_request(&expected, &form("b=yz&a=1"), &options).is_empty());
    let found = match_request(&expected, &form("a=2&b=9&c=3"), &options);
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, vec!["$.a", "$.b", "$.c"]);
}

#[test]
fn text_and_binary_bodies() {
    let text = |t: &str| HttpResponse {
        body: Body::text(t, Some("text/plain")),
        ..HttpResponse::default()
    };
    let options = MatchOptions::default();
    assert!(match_response(&text("hi"), &text("hi"), &options).is_empty());
    assert_eq!(match_response(&text("hi"), &text("ho"), &options).len(), 1);
    let mut pattern = text("hello 1");
    pattern
        .matching_rules
        .add(RuleCategory::Body, "$", regex("hello \\d+"));
    assert!(match_response(&pattern, &text("hello 42"), &options).is_empty());

    let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
    let binary = |bytes: Vec<u8>| HttpResponse {
        body: Body::bytes(bytes, Some("image/png")),
        ..HttpResponse::default()
    };
    assert!(match_response(&binary(png.clone()), &binary(png.clone()), &options).is_empty());
    assert_eq!(
        match_response(&binary(png.clone()), &binary(b"GIF89a".to_vec()), &options).len(),
        1
    );
    let mut by_type = binary(png);
    by_type.matching_rules.add(
        RuleCategory::Body,
        "$",
        Matcher::ContentType("image/png".into()),
    );
    let other_png = b"\x89PNG\r\n\x1a\nother".to_vec();
    assert!(match_response(&by_type, &binary(other_png), &options).is_empty());
    assert_eq!(
        match_response(&by_type, &binary(b"GIF89a".to_vec()), &options).len(),
        1
    );
}

#[test]
fn body_presence_and_content_types() {
    let options = MatchOptions::default();
    let missing = HttpResponse::default();
    assert!(match_response(&missing, &actual(json!({"a": 1})), &options).is_empty());
    let expected = response(json!({"a": 1}), &[]);
    let found = match_response(&expected, &HttpResponse::default(), &options);
    assert_eq!(found[0].kind, MismatchKind::Missing);
    let xml = xml_response("<a/>", &[]);
    let found = match_response(&expected, &xml, &options);
    assert_eq!(found[0].kind, MismatchKind::ContentType);
    let broken = HttpResponse {
        body: Body::text("{oops", Some("application/json")),
        ..HttpResponse::default()
    };
    assert!(matches!(
        match_response(&expected, &broken, &options)[0].kind,
        MismatchKind::Unreadable(_)
    ));
}

#[test]
fn messages_compare_contents_and_metadata() {
    let mut expected = Message {
        contents: Body::json(json!({"id": 1})),
        ..Message::default()
    };
    expected
        .metadata
        .insert("contentType".into(), json!("application/json"));
    expected.metadata.insert("topic".into(), json!("orders"));
    expected.matching_rules.add(
        RuleCategory::Metadata,
        "topic",
        regex("orders\\.\\w+|orders"),
    );
    let mut got = Message {
        contents: Body::json(json!({"id": 1, "extra": true})),
        ..Message::default()
    };
    got.metadata.insert(
        "contentType".into(),
        json!("application/json; charset=utf-8"),
    );
    got.metadata.insert("topic".into(), json!("orders.eu"));
    let options = MatchOptions::default();
    assert!(match_message(&expected, &got, &options).is_empty());
    got.metadata.remove("topic");
    let found = match_message(&expected, &got, &options);
    assert_eq!(found[0].category, MismatchCategory::Metadata);
    assert_eq!(found[0].kind, MismatchKind::Missing);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            "[a-z0-9 ]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-z]{1,5}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn every_body_matches_itself(value in json_value()) {
            let request = HttpRequest { body: Body::json(value.clone()), ..HttpRequest::default() };
            prop_assert!(match_request(&request, &request.clone(), &MatchOptions::default()).is_empty());
            let expected = response(value.clone(), &[("$", any_type())]);
            prop_assert!(check(&expected, value).is_empty());
        }

        #[test]
        fn differing_bodies_never_panic_and_equal_ones_agree(a in json_value(), b in json_value()) {
            let found = check(&response(a.clone(), &[]), b.clone());
            if a == b {
                prop_assert!(found.is_empty());
            }
            let request = HttpRequest { body: Body::json(a.clone()), ..HttpRequest::default() };
            let other = HttpRequest { body: Body::json(b.clone()), ..HttpRequest::default() };
            let found = match_request(&request, &other, &MatchOptions::default());
            prop_assert_eq!(found.is_empty(), values::json_equal(&a, &b));
        }
    }
}
