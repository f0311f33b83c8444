//! The typed reader reads every file it accepts exactly as the `Value` reader does, and
//! gives up on every file the `Value` reader refuses.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::model::Contract;
use crate::spec::contract_from_value;

/// Reads `text` both ways and checks they agree; true when the typed reader accepted it.
fn agree(name: &str, text: &str) -> bool {
    let slow = serde_json::from_str::<Value>(text)
        .map_err(|e| e.to_string())
        .and_then(|value| contract_from_value(value).map_err(|e| e.to_string()));
    let Some(fast) = super::parse_contract(text) else {
        return false;
    };
    let slow: Contract = match slow {
        Ok(contract) => contract,
        Err(error) => {
            panic!("{name}: the typed reader accepts what the Value reader refuses: {error}")
        }
    };
    assert_eq!(fast, slow, "{name}");
    // `Debug` shows the order of every map (`PartialEq` of JSON objects ignores it, and the
    // writers keep it).
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{name}");
    true
}

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
    found.sort();
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn fixtures_read_the_same_both_ways() {
    let mut files = Vec::new();
    json_files(&fixtures_dir(), &mut files);
    assert!(
        files.len() > 20,
        "expected the fixtures in {}",
        fixtures_dir().display()
    );
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let accepted = agree(&name, &text);
        if name.contains("pact-libs") && name.ends_with("v4.json") {
            assert!(accepted, "{name}: the typed reader should read it");
        }
    }
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("ACCORD_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/pact-spec")
        }
    }
}

fn v4_file(interaction: Value) -> String {
    json!({
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
    .to_string()
}

/// The interactions a part of a corpus case can be in.
fn wrapped(kind: &str, part: &Value) -> Vec<Value> {
    let Some(members) = part.as_object() else {
        return Vec::new();
    };
    match kind {
        "request" => vec![json!({
            "type": "Synchronous/HTTP", "description": "d",
            "request": part, "response": {"status": 200}
        })],
        "response" => vec![json!({
            "type": "Synchronous/HTTP", "description": "d",
            "request": {"method": "GET", "path": "/"}, "response": part
        })],
        _ => {
            let mut message = members.clone();
            message.insert("type".into(), json!("Asynchronous/Messages"));
            message.insert("description".into(), json!("d"));
            vec![
                Value::Object(message),
                json!({
                    "type": "Synchronous/Messages", "description": "d",
                    "request": part, "response": [part, part]
                }),
            ]
        }
    }
}

/// True when `part` has only members that a V4 `kind` (request, response, message) reads.
fn only_members_of(kind: &str, part: &Value) -> bool {
    let known: &[&str] = match kind {
        "request" => &[
            "method",
            "path",
            "query",
            "headers",
            "body",
            "matchingRules",
            "generators",
        ],
        "response" => &["status", "headers", "body", "matchingRules", "generators"],
        _ => &[
            "metadata",
            "metaData",
            "contents",
            "matchingRules",
            "generators",
        ],
    };
    part.as_object()
        .is_some_and(|members| members.keys().all(|k| known.contains(&k.as_str())))
}

#[test]
fn corpus_parts_read_the_same_both_ways() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let (mut v4_parts, mut v4_accepted, mut all_accepted) = (0, 0, 0);
    for path in files {
        let relative = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut segments = relative.split('/');
        let (Some(version), Some(kind), Some(_)) =
            (segments.next(), segments.next(), segments.next())
        else {
            continue;
        };
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for side in ["expected", "actual"] {
            for interaction in wrapped(kind, &case[side]) {
                let accepted = agree(&format!("{relative} ({side})"), &v4_file(interaction));
                all_accepted += usize::from(accepted);
                if version == "v4" && only_members_of(kind, &case[side]) {
                    v4_parts += 1;
                    v4_accepted += usize::from(accepted);
                }
            }
        }
    }
    assert!(v4_parts > 100, "expected the corpus in {}", dir.display());
    // Every V4 part is in the shape V4 writers produce, but for a response that also has a
    // request's `method`, `path` and `query` (which both readers ignore; the typed one by
    // giving up).
    assert_eq!(v4_accepted, v4_parts);
    assert!(
        all_accepted > 1000,
        "only {all_accepted} parts took the typed path"
    );
}

/// Documents at the edges of what the typed reader accepts. `true`: it must read the
/// document (so that the comparison tests something).
const EDGES: &[(&str, bool, &str)] = &[
    (
        "unknown interaction members keep the order the Value reader leaves",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "metadata": {"pactSpecification": {"version": "4.0"}},
            "interactions": [{"_id": 1, "type": "Synchronous/HTTP", "transport": "http",
              "description": "d", "b": 2, "request": {}, "pending": null, "a": 3,
              "response": {}, "z": {"x": [1]}, "_id": 4}]}"#,
    ),
    (
        "message interactions with unknown members",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "metadata": {"pactSpecification": {"version": "4.0"}},
            "interactions": [{"x": 1, "contents": {"content": "aGk=", "encoded": "base64",
              "contentType": "text/plain"}, "type": "Asynchronous/Messages", "y": 2,
              "metaData": {"a": 1}, "metadata": {"a": 2, "b": 3}, "description": "d",
              "matchingRules": {"body": {"$": {"matchers": [{"match": "type"}]}}}, "w": null}]}"#,
    ),
    (
        "undeclared version, typed interactions",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {}}]}"#,
    ),
    (
        "nulls where the Value reader reads them as absent",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"}, "metadata": null,
            "interactions": [{"type": "Synchronous/HTTP", "description": "d", "key": null,
              "pending": null, "comments": null, "providerState": null,
              "request": {"method": null, "path": null, "query": null, "headers": null,
                "body": null, "matchingRules": null, "generators": null},
              "response": {"status": null, "headers": null, "body": {"content": null},
                "matchingRules": {"body": {"$.a": {"combine": null,
                  "matchers": [{"match": "type", "min": null, "max": null}]}}}}}]}"#,
    ),
    (
        "single-valued categories, aliases, bodies in every form",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "metadata": {"pactSpecification": "4.0", "pact-specification": {"version": "3"}},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "providerStates": [{"name": "s", "params": {"b": 1, "a": 2}}, {"name": "t"}],
              "providerState": "old", "provider_state": "older",
              "request": {"method": "POST", "path": "/a", "query": "a=1&b=%20&a=2",
                "headers": {"Content-Type": "application/json", "X": ["1", 2, true, 1.5]},
                "body": {"contents": "{\"a\": 1}", "encoded": "JSON"},
                "matchingRules": {"path": {"matchers": [{"match": "regex", "regex": "/a"}]},
                  "header": {"X": {"matchers": [{"match": "type"}]}},
                  "headers": {"Y": {"combine": "or", "matchers": [{"regex": "y"}]}},
                  "method": {"$": {"matchers": [{"match": "equality"}]}}},
                "generators": {"path": {"type": "ProviderState", "expression": "/${a}"},
                  "header": {"X": {"type": "Uuid", "format": "URN"}},
                  "query": {"a": {"type": "RandomInt", "min": "1", "max": 9}}}},
              "response": {"status": "201", "headers": {"content-type": ["text/plain"]},
                "body": {"content": "x", "contentTypeHint": "binary", "encoded": false,
                  "contentType": "application/octet-stream"},
                "matchingRules": {"status": {"matchers": [{"match": "statusCode",
                  "status": [200, "201"]}]}, "body": {"$.a": {"matchers": [
                    {"match": "arrayContains", "variants": [{"index": 0, "rules": {"$": {
                      "matchers": [{"match": "type"}]}}}]},
                    {"match": "eachKey", "rules": [{"match": "regex", "regex": "a"}],
                      "value": null},
                    {"match": "datetime", "timestamp": "yyyy"},
                    {"match": "date", "format": null, "date": "yyyy"}]}}}}},
             {"type": "Synchronous/Messages", "description": "e",
              "request": {"contents": {"content": {"a": 1}, "content": {"b": 2}}},
              "response": null},
             {"type": "Asynchronous/Messages", "description": "f", "contents": [1, "a"]},
             {"type": "Asynchronous/Messages", "description": "g",
              "contents": {"content": 1, "other": 2}}]}"#,
    ),
    (
        "messages at the root of a V4 file",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "messages": [{"type": "Asynchronous/Messages", "description": "m"}],
            "metadata": {"pactSpecification": {"version": "4.0"}},
            "interactions": [{"type": "Asynchronous/Messages", "description": "i"}],
            "_links": {"self": {"href": "x"}}}"#,
    ),
    (
        "repeated headers, rule keys and generator keys: the last value in the first place",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {"headers": {"A": "1", "B": "2", "A": ["3", "4"]},
                "query": {"q": "1", "q": "2"}},
              "response": {"matchingRules": {"body": {
                  "$.a": {"matchers": [{"match": "type"}]},
                  "$.b": {"matchers": [{"match": "integer"}]},
                  "$.a": {"combine": "OR", "matchers": [{"match": "null"}]}}},
                "generators": {"body": {"$.a": {"type": "RandomInt"}, "$.b": {"type": "Uuid"},
                  "$.a": {"type": "RandomBoolean"}}}}}]}"#,
    ),
    (
        "a rule category named twice (the Value reader keeps the last)",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {"matchingRules": {
                "body": {"$.a": {"matchers": [{"match": "type"}]}},
                "body": {"$.b": {"matchers": [{"match": "type"}]}}}}}]}"#,
    ),
    (
        "a generator category named twice",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {"generators": {
                "body": {"$.a": {"type": "RandomInt"}},
                "body": {"$.b": {"type": "RandomInt"}}}}}]}"#,
    ),
    (
        "serde_json's reserved raw-value name in metadata (read through `Value` both ways)",
        true,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "metadata": {"$serde_json::private::RawValue": "{}"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {}}]}"#,
    ),
    (
        "serde_json's reserved raw-value name as a rule key",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {"matchingRules": {"body": {
                "$serde_json::private::RawValue": {"matchers": [{"match": "type"}]}}}}}]}"#,
    ),
    (
        "serde_json's reserved raw-value name as a body member",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {"body": {"$serde_json::private::RawValue": "1"}}, "response": {}}]}"#,
    ),
    (
        "duplicate interaction member",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "description": "e", "request": {}, "response": {}}]}"#,
    ),
    (
        "duplicate matcher member",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {"matchingRules": {"body": {"$": {"matchers": [
                {"match": "type", "match": "integer"}]}}}}}]}"#,
    ),
    (
        "a lone surrogate in an unknown interaction member: not JSON for the Value reader",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "x": "\ud800", "request": {}, "response": {}}]}"#,
    ),
    (
        "a number out of range in an unknown root member",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"}, "x": [1e400],
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {}}]}"#,
    ),
    (
        "an unknown member of a request (serde would skip it unchecked)",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {"x": "\ud800"}, "response": {}}]}"#,
    ),
    (
        "an array where the Value reader wants an object",
        false,
        r#"{"consumer": ["c"], "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {}}]}"#,
    ),
    (
        "an array of fields as a matcher",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {"matchingRules": {"body": {"$": {"matchers": [
                ["type"]]}}}}}]}"#,
    ),
    (
        "a rule list written as a bare matcher",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {"matchingRules": {"body": {"$": {"match": "type"}}}}}]}"#,
    ),
    (
        "message members on an HTTP interaction",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {}, "metadata": null}]}"#,
    ),
    (
        "an interaction without a type",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "metadata": {"pactSpecification": {"version": "4.0"}},
            "interactions": [{"description": "d", "request": {}, "response": {}}]}"#,
    ),
    (
        "a V3 file",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "metadata": {"pactSpecification": {"version": "3.0.0"}},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {}}]}"#,
    ),
    (
        "interactions: null",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": null,
            "metadata": {"pactSpecification": {"version": "4.0"}}}"#,
    ),
    (
        "providerStates: null",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "providerStates": null, "request": {}, "response": {}}]}"#,
    ),
    (
        "a body with an unknown encoding",
        false,
        r#"{"consumer": {"name": "c"}, "provider": {"name": "p"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
              "request": {}, "response": {"body": {"content": "%%", "encoded": "base64"}}}]}"#,
    ),
];

#[test]
fn edge_documents_read_the_same_both_ways() {
    for (name, must_accept, text) in EDGES {
        let accepted = agree(name, text);
        assert_eq!(
            accepted, *must_accept,
            "{name}: typed reader accepted: {accepted}"
        );
    }
}

/// Values a mutation puts somewhere in a real file.
fn replacement() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(200),
        json!(""),
        json!("x"),
        json!("AND"),
        json!("or"),
        json!("base64"),
        json!("JSON"),
        json!("TEXT"),
        json!("application/json"),
        json!("text/plain"),
        json!("Synchronous/HTTP"),
        json!("Asynchronous/Messages"),
        json!("Synchronous/Messages"),
        json!("4.0"),
        json!("3.0.0"),
        json!("$.a"),
        json!("regex"),
        json!("eachValue"),
        json!([]),
        json!(["a"]),
        json!([1, "2"]),
        json!({}),
        json!({"match": "type"}),
        json!({"matchers": [{"match": "integer"}]}),
        json!({"content": "x"}),
        json!({"content": {"a": 1}, "contentType": "application/json", "encoded": false}),
        json!({"content": "aGk=", "encoded": "base64"}),
        json!({"name": "s"}),
        json!({"type": "RandomInt"}),
    ])
}

/// Member names a mutation adds.
const NAMES: &[&str] = &[
    "type",
    "description",
    "key",
    "pending",
    "comments",
    "providerState",
    "providerStates",
    "request",
    "response",
    "contents",
    "metadata",
    "metaData",
    "matchingRules",
    "generators",
    "body",
    "headers",
    "query",
    "status",
    "method",
    "path",
    "content",
    "contentType",
    "encoded",
    "contentTypeHint",
    "matchers",
    "combine",
    "match",
    "regex",
    "min",
    "value",
    "format",
    "pactSpecification",
    "transport",
    "_id",
];

#[derive(Debug, Clone)]
enum Mutation {
    Replace(Value),
    Remove,
    Add(&'static str, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        replacement().prop_map(Mutation::Replace),
        Just(Mutation::Remove),
        (prop::sample::select(NAMES), replacement()).prop_map(|(n, v)| Mutation::Add(n, v)),
    ]
}

/// Follows `steps` (each picks a child, modulo the number of children) and applies the
/// mutation where the walk ends.
fn mutate(node: &mut Value, steps: &[usize], mutation: Mutation) {
    let children = match node {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    match (steps, mutation) {
        ([step, rest @ ..], mutation) if children > 0 && !rest.is_empty() => {
            let child = match node {
                Value::Object(map) => map.values_mut().nth(step % children),
                Value::Array(items) => items.get_mut(step % children),
                _ => None,
            };
            if let Some(child) = child {
                mutate(child, rest, mutation);
            }
        }
        ([step, ..], Mutation::Remove) if children > 0 => match node {
            Value::Object(map) => {
                let key = map.keys().nth(step % children).cloned().unwrap();
                map.shift_remove(&key);
            }
            Value::Array(items) => {
                items.remove(step % children);
            }
            _ => {}
        },
        (_, Mutation::Add(name, value)) => {
            if let Value::Object(map) = node {
                map.insert(name.to_owned(), value);
            }
        }
        (_, Mutation::Replace(value)) => *node = value,
        (_, Mutation::Remove) => {}
    }
}

fn v4_fixtures() -> Vec<Value> {
    let dir = fixtures_dir().join("pact-libs");
    [
        "pact-js-mixed-v4.json",
        "pact-python-http-v4.json",
        "pact-python-messages-v4.json",
    ]
    .iter()
    .map(|name| serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap())
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn mutated_v4_files_read_the_same_both_ways(
        file in 0usize..3,
        mutations in prop::collection::vec(
            (prop::collection::vec(any::<usize>(), 1..9), mutation()), 1..4),
    ) {
        let mut document = v4_fixtures().swap_remove(file);
        for (steps, mutation) in mutations {
            mutate(&mut document, &steps, mutation);
        }
        agree("mutated fixture", &document.to_string());
    }
}

#[test]
fn a_file_with_unknown_root_members_takes_the_typed_path() {
    let mut document: Map<String, Value> = serde_json::from_value(v4_fixtures().remove(0)).unwrap();
    document.insert(
        "_links".into(),
        json!({"self": {"href": "http://broker/pacts/1"}}),
    );
    assert!(agree("broker links", &Value::Object(document).to_string()));
}
