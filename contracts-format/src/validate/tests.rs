use serde_json::json;

use super::*;

fn v4(interactions: Value) -> String {
    json!({
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
    .to_string()
}

fn http(description: &str, response: Value) -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": description,
        "request": {"method": "GET", "path": "/orders"},
        "response": response
    })
}

fn rendered(problems: &[ValidationProblem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

#[test]
fn path_expressions_parse() {
    assert_eq!(
        parse_path_expression("$.a.b[0]['x y'][*].*"),
        Ok(vec![
            PathStep::Field("a".into()),
            PathStep::Field("b".into()),
            PathStep::Index(0),
            PathStep::Field("x y".into()),
            PathStep::Any,
            PathStep::Any,
        ])
    );
    assert_eq!(parse_path_expression("$"), Ok(vec![]));
    assert_eq!(
        parse_path_expression(r#"$["it's"].@id"#),
        Ok(vec![
            PathStep::Field("it's".into()),
            PathStep::Field("@id".into())
        ])
    );
    for bad in [
        "", "a.b", "$.", "$..a", "$[", "$[0", "$['a", "$[a]", "$.a b", "$a", "$[-1]", "$.a]",
    ] {
        assert!(
            parse_path_expression(bad).is_err(),
            "{bad:?} should not parse"
        );
    }
}

#[test]
fn a_valid_file_has_no_problems() {
    let text = v4(json!([http(
        "list orders",
        json!({"status": 200, "body": {"content": [{"id": 1}], "contentType": "application/json"},
               "matchingRules": {"body": {"$[*].id": {"matchers": [{"match": "integer"}]}}}})
    )]));
    assert_eq!(rendered(&validate(&text, "ok.json")), Vec::<String>::new());
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let text = v4(json!([
        http(
            "a",
            json!({"status": 200, "matchingRules": {"body": {
                "$.id": {"matchers": [{"match": "regex", "regex": "(unclosed"}]},
                "$.x[": {"matchers": [{"match": "type"}]}
            }}})
        ),
        http("b", json!({"status": "ok"})),
        http(
            "a",
            json!({"status": 201, "headers": {"Content-Type": "application/xml"},
                         "body": {"content": "<a><b></a>", "contentType": "application/xml"}})
        )
    ]));
    let problems = rendered(&validate(&text, "f.json"));
    assert_eq!(
        problems,
        vec![
            r#"f.json: $.interactions[1].response.status: "ok" is not of type "integer""#,
            r#"f.json: $.interactions[0].response.matchingRules.body['$.id'].matchers[0].regex: invalid regular expression "(unclosed": unclosed group"#,
            r#"f.json: $.interactions[0].response.matchingRules.body['$.x[']: invalid path expression "$.x[": expected an index, * or a quoted name after "[" at character 4"#,
            "f.json: $.interactions[2].description: duplicate interaction: $.interactions[0] has the same description and provider states",
            "f.json: $.interactions[2].response.body.content: body is declared as application/xml but does not parse as XML: expected 'b' tag, not 'a' at 1:7",
        ]
    );
}

#[test]
fn provider_state_params_distinguish_interactions() {
    let with_state = |id: i64| {
        let mut interaction = http("get order", json!({"status": 200}));
        interaction["providerStates"] = json!([{"name": "order exists", "params": {"id": id}}]);
        interaction
    };
    let text = v4(json!([with_state(1), with_state(2)]));
    assert!(validate(&text, "f.json").is_empty());
    let text = v4(json!([with_state(1), with_state(1)]));
    assert_eq!(validate(&text, "f.json").len(), 1);
}

#[test]
fn reader_errors_of_legacy_files_are_reported_per_interaction() {
    let text = json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "interactions": [
            {"description": "a", "request": {"method": "GET", "path": "/"}},
            {"description": "b", "request": {"method": "GET", "path": "/"},
             "response": {"status": 200, "headers": {"X": {"no": 1}}}}
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}}
    })
    .to_string();
    assert_eq!(
        rendered(&validate(&text, "old.json")),
        vec![
            r#"old.json: $.interactions[0]: missing required field "response""#,
            "old.json: $.interactions[1].response.headers.X: expected a string, found an object",
        ]
    );
}

#[test]
fn bad_base64_and_json_under_json_types_are_reported() {
    let text = v4(json!([
        http(
            "bin",
            json!({"status": 200,
            "body": {"content": "not base64!", "contentType": "image/png", "encoded": "base64"}})
        ),
        http(
            "json",
            json!({"status": 200,
            "body": {"content": "{\"a\": ", "contentType": "application/json", "encoded": false}})
        )
    ]));
    let problems = validate(&text, "f.json");
    let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        vec![
            "$.interactions[0].response.body.content",
            "$.interactions[1].response.body.content"
        ],
        "{problems:?}"
    );
    assert!(problems[0].message.contains("base64"));
    assert!(problems[1].message.contains("does not parse as JSON"));
}

#[test]
fn syntax_errors_are_one_problem() {
    let problems = validate("{\"consumer\": ", "t.json");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].source, ProblemSource::Syntax);
    assert_eq!(problems[0].at, "$");
}

#[test]
fn impossible_bounds_are_reported() {
    let text = v4(json!([http(
        "list",
        json!({"status": 200, "body": {"content": [1], "contentType": "application/json"},
               "matchingRules": {"body": {"$": {"matchers": [{"match": "type", "min": 3, "max": 1}]}}},
               "generators": {"body": {"$[0]": {"type": "RandomInt", "min": 9, "max": 2}}}})
    )]));
    assert_eq!(
        rendered(&validate(&text, "b.json")),
        vec![
            "b.json: $.interactions[0].response.matchingRules.body['$'].matchers[0]: type matcher has min 3 greater than max 1: no array can match",
            "b.json: $.interactions[0].response.generators.body['$[0]']: RandomInt generator has min 9 greater than max 2",
        ]
    );
}

#[test]
fn regex_examples_are_checked_in_every_layout() {
    let v2 = json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "interactions": [{
            "description": "v2",
            "request": {"method": "GET", "path": "/", "query": "id=12&id=x1"},
            "response": {"status": 200,
                         "headers": {"Accept": "text/html, application/xml", "X-Id": "abc"},
                         "body": {"ids": [1, 22, "z"]},
                         "matchingRules": {
                             "$.body.ids[*]": {"match": "regex", "regex": "^\\d+$"},
                             "$.headers.Accept": {"match": "regex", "regex": "^[a-z]+/[a-z]+$"},
                             "$.headers.X-Id": {"match": "regex", "regex": "^\\d+$"}
                         }}
        }],
        "metadata": {"pactSpecification": {"version": "2.0.0"}}
    })
    .to_string();
    assert_eq!(
        rendered(&validate(&v2, "v2.json")),
        vec![
            r#"v2.json: $.interactions[0].response.matchingRules['$.body.ids[*]'].regex: the example "z" at body $.ids[2] does not match the regex "^\\d+$""#,
            r#"v2.json: $.interactions[0].response.matchingRules['$.headers.X-Id'].regex: the example "abc" at header X-Id does not match the regex "^\\d+$""#,
        ]
    );
    let message = json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "messages": [{"description": "m", "contents": {"id": 1},
                      "metaData": {"topic": "orders", "contentType": "application/json"},
                      "matchingRules": {"metadata": {"topic": {"matchers": [{"match": "regex", "regex": "^payments$"}]}}}}],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
    .to_string();
    assert_eq!(
        rendered(&validate(&message, "m.json")),
        vec![
            r#"m.json: $.messages[0].matchingRules.metadata.topic.matchers[0].regex: the example "orders" at metadata topic does not match the regex "^payments$""#
        ]
    );
}

#[test]
fn empty_party_names_are_reported_in_every_version() {
    let v3 = json!({
        "consumer": {"name": "web"},
        "provider": {"name": ""},
        "interactions": [],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
    .to_string();
    assert_eq!(
        rendered(&validate(&v3, "v3.json")),
        ["v3.json: $.provider.name: the name must not be empty"]
    );
    let v4_file = v4(json!([])).replace(r#""name":"web""#, r#""name":"""#);
    let problems = validate(&v4_file, "v4.json");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].at, "$.consumer.name");
}
