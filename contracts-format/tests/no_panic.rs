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
    let _ = validate(&text, "generated.json");
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
                let shape_problems: Vec<_> = validate(&written.to_string(), "written.json")
                    .into_iter()
                    .filter(|p| matches!(p.source, ProblemSource::Schema | ProblemSource::Reader))
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
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

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
