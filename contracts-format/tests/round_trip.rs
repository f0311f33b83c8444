//! Round trips keep meaning: V2, V3 and V4 files read into the model and written back in
//! their own version give the same model; V3 -> V4 -> V3 too; V2 rule paths (`$.body.x`,
//! `$.headers.X`, `$.query.q`, `$.path`) become V3/V4 rule categories and come back.

use accord_contracts_format::{
    Body, Contract, InteractionKind, Matcher, RuleCategory, SpecVersion, parse_contract,
    parse_query_string, to_json, to_json_string, validate,
};
use serde_json::{Value, json};

fn read(value: &Value) -> Contract {
    parse_contract(&value.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn write_read(contract: &Contract, version: SpecVersion) -> Contract {
    let text = to_json_string(contract, version).unwrap_or_else(|e| panic!("{e}"));
    let problems = validate(&text, format!("as-{version}.json"));
    assert!(problems.is_empty(), "{problems:#?}\n{text}");
    parse_contract(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The contract without the verbatim query strings of V1/V2 files, which V3 and V4 do not
/// carry (they keep the parsed parameters).
fn without_raw_queries(mut contract: Contract) -> Contract {
    for interaction in &mut contract.interactions {
        if let InteractionKind::Http { request, .. } = &mut interaction.kind {
            request.raw_query = None;
        }
    }
    contract
}

fn v2_file() -> Value {
    json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "interactions": [{
            "description": "search orders",
            "providerState": "orders exist",
            "request": {
                "method": "GET", "path": "/orders/17", "query": "q=shoes&page=2&q=hats",
                "headers": {"Accept": "application/json", "X-Trace": "abc-1"},
                "matchingRules": {
                    "$.path": {"match": "regex", "regex": "^/orders/\\d+$"},
                    "$.query.page": {"match": "regex", "regex": "\\d+"},
                    "$.headers.X-Trace": {"match": "regex", "regex": "^[a-z]+-\\d$"}
                }
            },
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/json"},
                "body": {"orders": [{"id": 1, "lines": [{"sku": "a"}]}], "count": 1,
                         "weird key": {"a.b": true}},
                "matchingRules": {
                    "$.body.orders": {"min": 1},
                    "$.body.orders[*].id": {"match": "type"},
                    "$.body.orders[*].lines[*].sku": {"match": "regex", "regex": "[a-z]+"},
                    "$.body['weird key']['a.b']": {"match": "type"},
                    "$.headers['Content-Type']": {"match": "regex", "regex": "application/json.*"}
                }
            }
        }],
        "metadata": {"pactSpecification": {"version": "2.0.0"}}
    })
}

fn v3_file() -> Value {
    json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "interactions": [{
            "description": "create order",
            "providerStates": [{"name": "user exists", "params": {"id": 7, "roles": ["admin"]}},
                               {"name": "stock is available"}],
            "request": {
                "method": "POST", "path": "/orders",
                "query": {"dryRun": ["false"], "tag": ["a", "b"]},
                "headers": {"Content-Type": "application/json"},
                "body": {"sku": "a-1", "qty": 2, "note": null},
                "matchingRules": {
                    "body": {"$.sku": {"matchers": [{"match": "regex", "regex": "^[a-z]-\\d$"}]},
                             "$.qty": {"matchers": [{"match": "integer"}], "combine": "AND"}},
                    "query": {"tag": {"matchers": [{"match": "type", "min": 1}]}}
                },
                "generators": {"body": {"$.qty": {"type": "RandomInt", "min": 1, "max": 5}}}
            },
            "response": {
                "status": 201,
                "headers": {"Location": "/orders/1", "Content-Type": "application/json"},
                "body": {"id": 1, "createdAt": "2024-05-01T10:00:00Z", "total": 12.5,
                         "tags": ["x"], "meta": {"k": "v"}},
                "matchingRules": {
                    "header": {"Location": {"matchers": [{"match": "regex", "regex": "^/orders/\\d+$"}]}},
                    "body": {
                        "$.id": {"matchers": [{"match": "integer"}]},
                        "$.createdAt": {"matchers": [{"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ssX"}]},
                        "$.total": {"matchers": [{"match": "decimal"}, {"match": "null"}], "combine": "OR"},
                        "$.tags": {"matchers": [{"match": "type", "min": 1, "max": 3}]},
                        "$.meta": {"matchers": [{"match": "values"}]}
                    }
                },
                "generators": {
                    "body": {"$.id": {"type": "ProviderState", "expression": "${id}", "dataType": "INTEGER"},
                             "$.createdAt": {"type": "DateTime", "format": "yyyy-MM-dd'T'HH:mm:ssX"}},
                    "header": {"Location": {"type": "ProviderState", "expression": "/orders/${id}"}}
                }
            }
        }, {
            "description": "plain text ping",
            "request": {"method": "GET", "path": "/ping"},
            "response": {"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "pong"}
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}, "pactRust": {"version": "1.0"}}
    })
}

fn v3_messages() -> Value {
    json!({
        "consumer": {"name": "worker"}, "provider": {"name": "orders"},
        "messages": [{
            "description": "order created",
            "providerStates": [{"name": "an order", "params": {"id": 3}}],
            "contents": {"id": 3, "lines": [{"sku": "a"}]},
            "metaData": {"contentType": "application/json", "topic": "orders"},
            "matchingRules": {
                "body": {"$.id": {"matchers": [{"match": "integer"}]},
                         "$.lines": {"matchers": [{"match": "type", "min": 1}]}},
                "metadata": {"topic": {"matchers": [{"match": "regex", "regex": "^orders$"}]}}
            },
            "generators": {"body": {"$.id": {"type": "RandomInt", "min": 1, "max": 99}}}
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
}

fn v4_file() -> Value {
    json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "interactions": [
            {
                "type": "Synchronous/HTTP", "description": "get label", "key": "k1",
                "pending": true, "comments": {"text": ["why"], "testname": "t"},
                "providerStates": [{"name": "label exists", "params": {"id": 1}}],
                "request": {"method": "GET", "path": "/labels/1",
                            "headers": {"Accept": ["image/png", "image/*"]}},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["image/png"]},
                    "body": {"content": "iVBORw0KGgo=", "contentType": "image/png", "encoded": "base64"},
                    "matchingRules": {
                        "status": {"matchers": [{"match": "statusCode", "status": "success"}], "combine": "AND"},
                        "body": {"$": {"matchers": [{"match": "contentType", "value": "image/png"}], "combine": "AND"}}
                    }
                },
                "pluginConfiguration": {"p": {"a": 1}},
                "transport": "http"
            },
            {
                "type": "Asynchronous/Messages", "description": "label printed",
                "contents": {"content": {"id": 1, "ids": [1, "2"]}, "contentType": "application/json", "encoded": false},
                "metadata": {"topic": "labels"},
                "matchingRules": {"content": {
                    "$.ids": {"matchers": [{"match": "arrayContains", "variants": [
                        {"index": 0, "rules": {"$": {"matchers": [{"match": "integer"}], "combine": "AND"}}},
                        {"index": 1, "rules": {"$": {"matchers": [{"match": "type"}], "combine": "AND"}},
                         "generators": {"$": {"type": "RandomString", "size": 4}}}
                    ]}], "combine": "AND"},
                    "$.id": {"matchers": [{"match": "notEmpty"}, {"match": "semver"}], "combine": "OR"}
                }},
                "generators": {"content": {"$.id": {"type": "Uuid", "format": "URN"}}}
            },
            {
                "type": "Synchronous/Messages", "description": "price query",
                "request": {"contents": {"content": "sku-1", "contentType": "text/plain", "encoded": false}},
                "response": [
                    {"contents": {"content": {"price": 1.5}, "contentType": "application/json", "encoded": false},
                     "metadata": {"currency": "EUR"},
                     "matchingRules": {"content": {"$.price": {"matchers": [{"match": "decimal"}], "combine": "AND"}}}}
                ]
            },
            {
                "type": "Synchronous/HTTP", "description": "xml invoice",
                "request": {"method": "GET", "path": "/invoice", "query": {"id": ["1"]}},
                "response": {"status": 200,
                             "headers": {"Content-Type": ["application/xml"]},
                             "body": {"content": "<invoice id=\"1\"/>", "contentType": "application/xml", "encoded": false},
                             "matchingRules": {"header": {"Content-Type": {"matchers": [{"match": "regex", "regex": "application/xml.*"}], "combine": "AND"}},
                                               "body": {"$.invoice['@id']": {"matchers": [{"match": "integer"}], "combine": "AND"}}}}
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}, "plugins": []}
    })
}

#[test]
fn each_version_round_trips_in_itself() {
    for (label, file, version) in [
        ("v2", v2_file(), SpecVersion::V2),
        ("v3", v3_file(), SpecVersion::V3),
        ("v3 messages", v3_messages(), SpecVersion::V3),
        ("v4", v4_file(), SpecVersion::V4),
    ] {
        let contract = read(&file);
        assert_eq!(contract.spec_version, version, "{label}");
        assert_eq!(write_read(&contract, version), contract, "{label}");
        // Writing is stable: the second write gives the same JSON as the first.
        let once = to_json(&contract, version).unwrap();
        let twice = to_json(&write_read(&contract, version), version).unwrap();
        assert_eq!(once, twice, "{label}");
    }
}

#[test]
fn v3_round_trips_through_v4() {
    for (label, file) in [("v3", v3_file()), ("v3 messages", v3_messages())] {
        let contract = read(&file);
        let v4 = write_read(&contract, SpecVersion::V4);
        assert_eq!(v4.spec_version, SpecVersion::V4);
        assert_eq!(write_read(&v4, SpecVersion::V3), contract, "{label}");
    }
}

#[test]
fn v3_message_rules_use_the_v4_content_category_and_back() {
    let contract = read(&v3_messages());
    let v4 = to_json(&contract, SpecVersion::V4).unwrap();
    let message = &v4["interactions"][0];
    assert_eq!(message["type"], "Asynchronous/Messages");
    assert!(message["matchingRules"]["content"]["$.id"].is_object());
    assert_eq!(message["metadata"]["topic"], "orders");
    let v3 = to_json(&read(&v4), SpecVersion::V3).unwrap();
    assert!(v3["messages"][0]["matchingRules"]["body"]["$.id"].is_object());
    assert_eq!(v3["messages"][0]["metaData"]["topic"], "orders");
}

#[test]
fn v2_rule_paths_become_categories_and_come_back() {
    let contract = read(&v2_file());
    for version in [SpecVersion::V3, SpecVersion::V4] {
        let json = to_json(&contract, version).unwrap();
        let request = &json["interactions"][0]["request"]["matchingRules"];
        let response = &json["interactions"][0]["response"]["matchingRules"];
        assert_eq!(
            request["path"]["matchers"][0]["regex"], "^/orders/\\d+$",
            "{version}"
        );
        assert_eq!(request["query"]["page"]["matchers"][0]["match"], "regex");
        assert_eq!(
            request["header"]["X-Trace"]["matchers"][0]["match"],
            "regex"
        );
        assert_eq!(response["body"]["$.orders"]["matchers"][0]["min"], 1);
        assert_eq!(
            response["body"]["$.orders[*].lines[*].sku"]["matchers"][0]["regex"],
            "[a-z]+"
        );
        assert!(
            response["body"]["$['weird key']['a.b']"].is_object(),
            "{response}"
        );
        assert!(response["header"]["Content-Type"].is_object());

        let back = to_json(&write_read(&contract, version), SpecVersion::V2).unwrap();
        let rules = &back["interactions"][0]["response"]["matchingRules"];
        assert_eq!(
            rules["$.body.orders[*].id"]["match"], "type",
            "{version}: {rules}"
        );
        assert_eq!(rules["$.body['weird key']['a.b']"]["match"], "type");
        assert_eq!(rules["$.headers.Content-Type"]["match"], "regex");
        let request = &back["interactions"][0]["request"];
        assert_eq!(request["matchingRules"]["$.path"]["match"], "regex");
        assert_eq!(request["matchingRules"]["$.query.page"]["match"], "regex");
        // V3 and V4 keep parameters, not the query string: the order of different names
        // may change, the values of each name may not.
        assert_eq!(
            parse_query_string(request["query"].as_str().unwrap()),
            parse_query_string("q=shoes&page=2&q=hats")
        );
        assert_eq!(
            without_raw_queries(write_read(&write_read(&contract, version), SpecVersion::V2)),
            without_raw_queries(contract.clone())
        );
    }
    let body_rules = contract.interactions[0].kind.clone();
    let accord_contracts_format::InteractionKind::Http { response, request } = body_rules else {
        panic!("HTTP interaction expected");
    };
    let body = response
        .matching_rules
        .category(RuleCategory::Body)
        .unwrap();
    assert_eq!(
        body["$.orders"].matchers,
        vec![Matcher::Type {
            min: Some(1),
            max: None
        }]
    );
    assert!(
        request
            .matching_rules
            .category(RuleCategory::Path)
            .is_some()
    );
    assert_eq!(request.query.unwrap()["q"], vec!["shoes", "hats"]);
}

#[test]
fn v4_only_features_are_refused_by_older_versions() {
    let contract = read(&v4_file());
    let error = to_json(&contract, SpecVersion::V3).unwrap_err();
    assert_eq!(error.at, "$.interactions[0]");
    assert!(error.reason.contains("pending"), "{error}");
    let mut without_pending = contract.clone();
    without_pending.interactions[0].pending = false;
    let error = to_json(&without_pending, SpecVersion::V3).unwrap_err();
    assert_eq!(error.at, "$.interactions[0].response.body");
    let error = to_json(&read(&v3_file()), SpecVersion::V2).unwrap_err();
    assert!(error.to_string().contains("V2"), "{error}");
}

#[test]
fn v4_text_and_json_bodies_keep_their_content_types_through_v3() {
    let contract = read(&v4_file());
    let mut http_only = contract.clone();
    http_only.interactions = vec![contract.interactions[3].clone()];
    let v3 = write_read(&http_only, SpecVersion::V3);
    let back = write_read(&v3, SpecVersion::V4);
    let accord_contracts_format::InteractionKind::Http { response, .. } =
        &back.interactions[0].kind
    else {
        panic!("HTTP interaction expected");
    };
    assert_eq!(
        response.body,
        Body::text("<invoice id=\"1\"/>", Some("application/xml"))
    );
    assert_eq!(back.interactions[0].kind, http_only.interactions[0].kind);
}

#[test]
fn null_bodies_survive_every_version() {
    let file = json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "interactions": [{"description": "null body", "request": {"method": "GET", "path": "/"},
                          "response": {"status": 200, "body": null}}],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    let contract = read(&file);
    let v4 = to_json(&contract, SpecVersion::V4).unwrap();
    assert_eq!(
        v4["interactions"][0]["response"]["body"],
        json!({"content": null})
    );
    let back = write_read(&write_read(&contract, SpecVersion::V4), SpecVersion::V3);
    assert_eq!(back, contract);
    let InteractionKind::Http { response, .. } = &back.interactions[0].kind else {
        panic!("HTTP interaction expected");
    };
    assert_eq!(response.body, Body::Null);
}
