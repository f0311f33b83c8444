//! No input makes the reader, the validator, the writers or the comparison panic: arbitrary
//! text, arbitrary JSON, and JSON built from the vocabulary of contract files so that the
//! generated documents reach deep into the readers.

use accord_contracts_format::{
    ProblemSource, SpecVersion, compare, contract_from_value, parse_contract, to_json, validate,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Member names of contract files, so that random objects often look like parts of one.
const KEYS: &[&str] = &[
    "consumer",
    "provider",
    "name",
    "interactions",
    "messages",
    "metadata",
    "pactSpecification",
    "version",
    "type",
    "description",
    "key",
    "pending",
    "comments",
    "providerState",
    "providerStates",
    "params",
    "request",
    "response",
    "method",
    "path",
    "query",
    "headers",
    "body",
    "status",
    "contents",
    "content",
    "contentType",
    "encoded",
    "contentTypeHint",
    "metaData",
    "matchingRules",
    "generators",
    "matchers",
    "match",
    "combine",
    "regex",
    "min",
    "max",
    "value",
    "format",
    "variants",
    "index",
    "rules",
    "header",
    "$",
    "$.a",
    "$.a[*].b",
    "$['x y']",
    "$.body.a",
    "$.headers.X",
    "$.query.q",
    "$[",
    "expression",
    "dataType",
    "digits",
    "size",
    "Content-Type",
];

/// String values with meaning somewhere in a contract file.
const STRINGS: &[&str] = &[
    "4.0",
    "3.0.0",
    "2.0.0",
    "1.1.0",
    "1.0.0",
    "5",
    "Synchronous/HTTP",
    "Asynchronous/Messages",
    "Synchronous/Messages",
    "GET",
    "/",
    "type",
    "regex",
    "equality",
    "include",
    "integer",
    "decimal",
    "number",
    "boolean",
    "null",
    "date",
    "time",
    "datetime",
    "timestamp",
    "values",
    "contentType",
    "arrayContains",
    "statusCode",
    "notEmpty",
    "semver",
    "eachKey",
    "eachValue",
    "min",
    "max",
    "AND",
    "OR",
    "base64",
    "JSON",
    "TEXT",
    "BINARY",
    "application/json",
    "application/xml",
    "text/plain",
    "image/png",
    "(",
    "[a-",
    "\\d+",
    "aGVsbG8=",
    "not base64",
    "{\"a\":",
    "<a>",
    "RandomInt",
    "Regex",
    "Uuid",
    "ProviderState",
    "MockServerURL",
    "Date",
    "success",
    "clientError",
    "x=1&y=2",
    "$.a",
    "$.body",
    "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u16..700).prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        prop::sample::select(STRINGS).prop_map(|s| Value::String(s.to_owned())),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
                        1 => "[a-z$.\\[\\]' ]{0,8}",
                    ],
                    inner
                ),
                0..7
            )
            .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A contract-shaped document whose interactions are random, so the readers get past the
/// envelope.
fn contract_like() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["1.0.0", "2.0.0", "3.0.0", "4.0", "x"][..]),
        prop::collection::vec(json_value(), 0..4),
        any::<bool>(),
    )
        .prop_map(|(version, interactions, messages)| {
            let list = if messages { "messages" } else { "interactions" };
            json!({
                "consumer": {"name": "c"},
                "provider": {"name": "p"},
                list: interactions,
                "metadata": {"pactSpecification": {"version": version}}
            })
        })
}

/// A matcher object with plausible attributes (sometimes broken ones).
fn matcher() -> impl Strategy<Value = Value> {
    let simple = prop::sample::select(
        &[
            "equality",
            "integer",
            "decimal",
            "number",
            "boolean",
            "null",
            "values",
            "notEmpty",
            "semver",
            "type",
            "date",
            "time",
            "datetime",
            "timestamp",
            "real",
            "regexx",
        ][..],
    )
    .prop_map(|name| json!({ "match": name }));
    let leaf = prop_oneof![
        4 => simple,
        2 => prop::sample::select(&["\\d+", "^[a-z]+$", "(", "[a-", ".*"][..])
            .prop_map(|r| json!({"match": "regex", "regex": r})),
        1 => (0usize..4, prop::option::of(1usize..6)).prop_map(|(min, max)| match max {
            Some(max) => json!({"match": "type", "min": min, "max": max}),
            None => json!({"match": "type", "min": min}),
        }),
        1 => ".{0,5}".prop_map(|v| json!({"match": "include", "value": v})),
        1 => prop::sample::select(&["yyyy-MM-dd", "HH:mm"][..])
            .prop_map(|f| json!({"match": "date", "format": f})),
        1 => prop::sample::select(&["success", "clientError", "nope"][..])
            .prop_map(|c| json!({"match": "statusCode", "status": c})),
        1 => Just(json!({"match": "statusCode", "status": [200, 201]})),
        1 => Just(json!({"match": "contentType", "value": "image/png"})),
    ];
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3)
                .prop_map(|rules| json!({"match": "eachValue", "rules": rules})),
            prop::collection::vec(inner.clone(), 0..3)
                .prop_map(|rules| json!({"match": "eachKey", "rules": rules, "value": {"k": 1}})),
            prop::collection::vec(inner, 1..3).prop_map(|rules| {
                let variants: Vec<Value> = rules
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| json!({"index": i, "rules": {"$": {"matchers": [m]}}}))
                    .collect();
                json!({"match": "arrayContains", "variants": variants})
            }),
        ]
    })
}

fn generator() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0i64..10, 10i64..100)
            .prop_map(|(min, max)| json!({"type": "RandomInt", "min": min, "max": max})),
        (1usize..12).prop_map(|d| json!({"type": "RandomDecimal", "digits": d})),
        (1usize..12).prop_map(|d| json!({"type": "RandomString", "size": d})),
        Just(json!({"type": "Uuid", "format": "simple"})),
        Just(json!({"type": "Regex", "regex": "\\d{3}"})),
        Just(json!({"type": "DateTime", "format": "yyyy-MM-dd", "expression": "+1 day"})),
        Just(json!({"type": "ProviderState", "expression": "${id}", "dataType": "INTEGER"})),
        Just(json!({"type": "MockServerURL", "regex": ".*(/a)$", "example": "http://x/a"})),
        Just(json!({"type": "RandomBoolean"})),
    ]
}

const BODY_PATHS: &[&str] = &[
    "$",
    "$.a",
    "$.a[*].b",
    "$['x y']",
    "$.items[0]",
    "$.*",
    "$[",
];

/// Matching rules in the layout of `version` (flat V2 keys, or categories).
fn rules(version: &'static str, message: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop::sample::select(&["body", "header", "query", "path", "status", "metadata"][..]),
            prop::sample::select(BODY_PATHS),
            prop::collection::vec(matcher(), 1..3),
            any::<bool>(),
        ),
        0..4,
    )
    .prop_map(move |entries| {
        let mut out = Map::new();
        for (category, key, matchers, or) in entries {
            let combine = if or { "OR" } else { "AND" };
            if version == "2.0.0" {
                let flat = match category {
                    "body" => format!("$.body{}", &key[1..]),
                    "header" => "$.headers.X-Id".to_owned(),
                    "query" => "$.query.q".to_owned(),
                    other => format!("$.{other}"),
                };
                out.insert(flat, matchers[0].clone());
                continue;
            }
            let category = if message && category == "body" && version == "4.0" {
                "content"
            } else {
                category
            };
            let list = json!({"combine": combine, "matchers": matchers});
            let entry = out.entry(category.to_owned()).or_insert_with(|| json!({}));
            match category {
                "path" | "status" => *entry = list,
                "body" | "content" => {
                    entry[key] = list;
                }
                _ => {
                    entry["X-Id"] = list;
                }
            }
        }
        Value::Object(out)
    })
}

fn generators() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop::sample::select(&["body", "header", "query", "path", "status"][..]),
            prop::sample::select(BODY_PATHS),
            generator(),
        ),
        0..3,
    )
    .prop_map(|entries| {
        let mut out = Map::new();
        for (category, key, generator) in entries {
            let entry = out.entry(category.to_owned()).or_insert_with(|| json!({}));
            match category {
                "path" | "status" => *entry = generator,
                "body" => entry[key] = generator,
                _ => entry["X-Id"] = generator,
            }
        }
        Value::Object(out)
    })
}

/// A body as `version` writes it: plain JSON or text before V4, a wrapper in V4.
fn body(version: &'static str) -> impl Strategy<Value = Option<Value>> {
    let content = prop_oneof![
        json_value().prop_map(|v| (v, "application/json", json!(false))),
        ".{0,10}".prop_map(|t| (Value::String(t), "text/plain", json!(false))),
        Just((json!("<a><b/></a>"), "application/xml", json!(false))),
        Just((json!("<a><b></a>"), "text/xml", json!(false))),
        Just((json!("{\"a\": 1"), "application/json", json!(false))),
        Just((
            json!("aGVsbG8="),
            "application/octet-stream",
            json!("base64")
        )),
        Just((json!("%%%"), "image/png", json!("base64"))),
        Just((json!("{\"a\": [1]}"), "application/json", json!("JSON"))),
    ];
    prop::option::of(content).prop_map(move |content| {
        content.map(|(value, content_type, encoded)| {
            if version == "4.0" {
                json!({"content": value, "contentType": content_type, "encoded": encoded})
            } else {
                value
            }
        })
    })
}

fn part(version: &'static str, message: bool) -> impl Strategy<Value = Map<String, Value>> {
    (
        body(version),
        rules(version, message),
        generators(),
        prop::sample::select(&["application/json", "text/plain", "application/xml"][..]),
    )
        .prop_map(move |(body, rules, generators, content_type)| {
            let mut out = Map::new();
            if let Some(body) = body {
                out.insert((if message { "contents" } else { "body" }).into(), body);
            }
            if message {
                out.insert(
                    (if version == "4.0" {
                        "metadata"
                    } else {
                        "metaData"
                    })
                    .into(),
                    json!({"contentType": content_type, "topic": "t"}),
                );
            } else {
                out.insert(
                    "headers".into(),
                    json!({"Content-Type": content_type, "X-Id": "1"}),
                );
            }
            if !rules.as_object().is_some_and(Map::is_empty) {
                out.insert("matchingRules".into(), rules);
            }
            if version != "2.0.0" && !generators.as_object().is_some_and(Map::is_empty) {
                out.insert("generators".into(), generators);
            }
            out
        })
}

/// One interaction of `version`, well-formed in its outline, with random parts.
fn interaction(version: &'static str) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["a", "b", "c"][..]),
        prop::option::of((".{0,6}", leaf())),
        0usize..3,
        part(version, false),
        part(version, false),
        part(version, true),
        prop::collection::vec(part(version, true), 0..3),
        prop::sample::select(&["GET", "POST", "delete"][..]),
        100u16..600,
        any::<bool>(),
    )
        .prop_map(
            move |(
                description,
                state,
                kind,
                request,
                response,
                message,
                replies,
                method,
                status,
                pending,
            )| {
                let mut out = Map::new();
                out.insert("description".into(), json!(description));
                if let Some((name, param)) = state {
                    if version == "2.0.0" {
                        out.insert("providerState".into(), json!(name));
                    } else {
                        out.insert(
                            "providerStates".into(),
                            json!([{"name": name, "params": {"p": param}}]),
                        );
                    }
                }
                let kind = if version == "4.0" { kind } else { 0 };
                if version == "4.0" && pending {
                    out.insert("pending".into(), json!(true));
                }
                match kind {
                    0 => {
                        let mut request = request;
                        request.insert("method".into(), json!(method));
                        request.insert("path".into(), json!("/orders/1"));
                        request.insert(
                            "query".into(),
                            if version == "2.0.0" {
                                json!("q=1&q=2&r=%20")
                            } else {
                                json!({"q": ["1", "2"]})
                            },
                        );
                        let mut response = response;
                        response.insert("status".into(), json!(status));
                        if version == "4.0" {
                            out.insert("type".into(), json!("Synchronous/HTTP"));
                        }
                        out.insert("request".into(), Value::Object(request));
                        out.insert("response".into(), Value::Object(response));
                    }
                    1 => {
                        out.insert("type".into(), json!("Asynchronous/Messages"));
                        out.extend(message);
                    }
                    _ => {
                        out.insert("type".into(), json!("Synchronous/Messages"));
                        out.insert("request".into(), Value::Object(message));
                        out.insert(
                            "response".into(),
                            Value::Array(replies.into_iter().map(Value::Object).collect()),
                        );
                    }
                }
                Value::Object(out)
            },
        )
}

/// A contract file of a random version whose interactions are well-formed in outline.
fn generated_contract() -> impl Strategy<Value = Value> {
    prop::sample::select(&["2.0.0", "3.0.0", "4.0"][..]).prop_flat_map(|version| {
        prop::collection::vec(interaction(version), 0..4).prop_map(move |interactions| {
            json!({
                "consumer": {"name": "c"},
                "provider": {"name": "p"},
                "interactions": interactions,
                "metadata": {"pactSpecification": {"version": version}, "tool": {"x": 1}}
            })
        })
    })
}

const FIXTURES: &[&str] = &[
    include_str!("fixtures/pact-libs/pact-js-mixed-v4.json"),
    include_str!("fixtures/pact-libs/pact-js-http-v3.json"),
    include_str!("fixtures/pact-libs/pact-js-http-v2.json"),
    include_str!("fixtures/pact-libs/pact-js-messages-v3.json"),
    include_str!("fixtures/pact-libs/pact-python-http-v4.json"),
    include_str!("fixtures/pact-libs/pact-python-messages-v4.json"),
];

/// Replaces the value found by walking `steps` (each picks a member or element, modulo the
/// container's size) in `document` with `replacement`.
fn mutate(document: &mut Value, steps: &[usize], replacement: Value) {
    let Some((&step, rest)) = steps.split_first() else {
        *document = replacement;
        return;
    };
    let child = match document {
        Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(step % map.len())
                .cloned()
                .unwrap_or_default();
            map.get_mut(&key)
        }
        Value::Array(items) if !items.is_empty() => {
            let len = items.len();
            items.get_mut(step % len)
        }
        _ => None,
    };
    match child {
        Some(child) => mutate(child, rest, replacement),
        None => *document = replacement,
    }
}

fn exercise(value: &Value) {
    let text = value.to_string();
    let input_is_valid = validate(&text, "generated.json").is_empty();
    if let Ok(contract) = contract_from_value(value.clone()) {
        for version in [
            SpecVersion::V1,
            SpecVersion::V2,
            SpecVersion::V3,
            SpecVersion::V4,
        ] {
            if let Ok(written) = to_json(&contract, version) {
                // What a writer produced must read back, and V4 output must fit the schema.
                let again = contract_from_value(written.clone());
                assert!(again.is_ok(), "{version}: {again:?}\n{written}");
                // Reading what a writer wrote and writing it again gives the same document.
                if let Ok(again) = again {
                    let rewritten = to_json(&again, version);
                    assert_eq!(rewritten.as_ref().ok(), Some(&written), "{version}");
                }
                // The writer's output always reads; from a valid input it is valid (the
                // model keeps free-form members such as comments as they were, so an
                // invalid input may stay invalid).
                let shape_problems: Vec<_> = validate(&written.to_string(), "written.json")
                    .into_iter()
                    .filter(|p| {
                        p.source == ProblemSource::Reader
                            || (input_is_valid && p.source == ProblemSource::Schema)
                    })
                    .collect();
                assert!(
                    shape_problems.is_empty(),
                    "{version}: {shape_problems:#?}\n{written}"
                );
            }
        }
        let _ = compare(&contract, &contract);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = parse_contract(&text);
        let _ = validate(&text, "text.json");
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        exercise(&value);
    }

    #[test]
    fn contract_shaped_json_never_panics(value in contract_like()) {
        exercise(&value);
    }

    #[test]
    fn generated_contracts_never_panic(value in generated_contract()) {
        exercise(&value);
    }

    #[test]
    fn mutated_real_contracts_never_panic(
        fixture in 0..FIXTURES.len(),
        mutations in prop::collection::vec(
            (prop::collection::vec(any::<usize>(), 1..9), json_value()),
            1..4
        ),
    ) {
        let mut document: Value = serde_json::from_str(FIXTURES[fixture]).unwrap();
        for (steps, replacement) in mutations {
            mutate(&mut document, &steps, replacement);
        }
        exercise(&document);
    }

    #[test]
    fn truncated_contracts_never_panic(cut in 0usize..2000) {
        let text = include_str!("fixtures/pact-libs/pact-js-mixed-v4.json");
        let end = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
        let _ = parse_contract(&text[..end]);
        let _ = validate(&text[..end], "cut.json");
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_contract(&deep).is_err());
    assert_eq!(validate(&deep, "deep.json").len(), 1);
}
