use serde_json::{Value, json};

use super::*;
use crate::parse_contract;

fn contract(interactions: Value) -> Contract {
    let text = json!({
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
    .to_string();
    parse_contract(&text).unwrap()
}

fn get(description: &str, request: Value, response: Value) -> Value {
    json!({"description": description, "request": request, "response": response})
}

fn only_changes(diff: &ContractDiff) -> Vec<String> {
    diff.interactions
        .iter()
        .flat_map(|i| i.changes.iter().map(ToString::to_string))
        .collect()
}

#[test]
fn identical_contracts_have_no_diff() {
    let a = contract(json!([get(
        "list",
        json!({"method": "GET", "path": "/orders"}),
        json!({"status": 200, "body": [{"id": 1}]})
    )]));
    let diff = compare(&a, &a.clone());
    assert!(diff.is_empty());
    assert!(!diff.is_breaking());
}

#[test]
fn added_and_removed_interactions_are_paired_by_description_and_states() {
    let mut with_state = get(
        "get order",
        json!({"method": "GET", "path": "/orders/1"}),
        json!({"status": 200}),
    );
    with_state["providerStates"] = json!([{"name": "order exists", "params": {"id": 1}}]);
    let mut other_params = with_state.clone();
    other_params["providerStates"] = json!([{"name": "order exists", "params": {"id": 2}}]);
    let diff = compare(
        &contract(json!([with_state])),
        &contract(json!([other_params])),
    );
    let statuses: Vec<DiffStatus> = diff.interactions.iter().map(|i| i.status).collect();
    assert_eq!(statuses, vec![DiffStatus::Removed, DiffStatus::Added]);
    assert_eq!(
        only_changes(&diff),
        vec![
            "$: HTTP interaction removed [breaks consumer]",
            "$: HTTP interaction added [breaks provider]"
        ]
    );
    assert!(diff.is_breaking());
}

#[test]
fn response_changes_are_classified() {
    let old = contract(json!([get(
        "get order",
        json!({"method": "GET", "path": "/orders/1"}),
        json!({"status": 200, "headers": {"X-Old": "1"},
               "body": {"id": 1, "name": "a", "total": 10, "tags": ["x"]},
               "matchingRules": {"body": {"$.name": {"matchers": [{"match": "type"}]},
                                          "$.total": {"matchers": [{"match": "type"}]}}}})
    )]));
    let new = contract(json!([get(
        "get order",
        json!({"method": "GET", "path": "/orders/1"}),
        json!({"status": 201, "headers": {"X-New": "1"},
               "body": {"id": "1", "name": "b", "total": 10, "tags": ["x"], "extra": true},
               "matchingRules": {"body": {"$.name": {"matchers": [{"match": "type"}]},
                                          "$.total": {"matchers": [{"match": "integer"}]}}}})
    )]));
    assert_eq!(
        only_changes(&compare(&old, &new)),
        vec![
            "response.status: status changed from 200 to 201 [breaks provider and consumer]",
            "response.headers.X-Old: header removed [breaks consumer]",
            "response.headers.X-New: header added [breaks provider]",
            "response.body.id: type changed from number to string [breaks provider and consumer]",
            "response.body.extra: field added [breaks provider]",
            "response.matchingRules.body['$.total']: matcher tightened: type -> integer [breaks provider]",
        ]
    );
}

#[test]
fn example_values_under_matchers_are_not_changes() {
    let old = contract(json!([get(
        "list",
        json!({"method": "GET", "path": "/orders"}),
        json!({"status": 200, "body": {"items": [{"id": 1}, {"id": 2}]},
               "matchingRules": {"body": {"$.items": {"matchers": [{"match": "type", "min": 1}]}}}})
    )]));
    let new = contract(json!([get(
        "list",
        json!({"method": "GET", "path": "/orders"}),
        json!({"status": 200, "body": {"items": [{"id": 7}]},
               "matchingRules": {"body": {"$.items": {"matchers": [{"match": "type", "min": 1}]}}}})
    )]));
    assert!(compare(&old, &new).is_empty());
}

#[test]
fn request_changes_are_classified() {
    let old = contract(json!([get(
        "create",
        json!({"method": "POST", "path": "/orders", "headers": {"X-Trace": "1"},
               "body": {"item": "a", "note": "n"}}),
        json!({"status": 201})
    )]));
    let new = contract(json!([get(
        "create",
        json!({"method": "POST", "path": "/orders",
               "headers": {"x-trace": "1", "Authorization": "Bearer t"},
               "body": {"item": "a", "qty": 1},
               "matchingRules": {"body": {"$.item": {"matchers": [{"match": "type"}]}}}}),
        json!({"status": 201})
    )]));
    assert_eq!(
        only_changes(&compare(&old, &new)),
        vec![
            "request.headers.Authorization: header added [breaks provider and consumer]",
            "request.body.note: field removed [breaks provider]",
            "request.body.qty: field added [breaks provider and consumer]",
            "request.matchingRules.body['$.item']: matcher added (type) [breaks provider]",
        ]
    );
}

#[test]
fn loosened_response_matchers_break_consumers() {
    let rules = |matcher: Value| json!({"body": {"$.code": {"matchers": [matcher]}}});
    let old = contract(json!([get(
        "get",
        json!({"method": "GET", "path": "/"}),
        json!({"status": 200, "body": {"code": "A1"},
               "matchingRules": rules(json!({"match": "regex", "regex": "^[A-Z]\\d$"}))})
    )]));
    let new = contract(json!([get(
        "get",
        json!({"method": "GET", "path": "/"}),
        json!({"status": 200, "body": {"code": "A1"},
               "matchingRules": rules(json!({"match": "type"}))})
    )]));
    let diff = compare(&old, &new);
    assert_eq!(
        only_changes(&diff),
        vec![
            "response.matchingRules.body['$.code']: matcher loosened: regex \"^[A-Z]\\\\d$\" -> type [breaks consumer]"
        ]
    );
    let min_up = |min: usize| {
        contract(json!([get(
            "get",
            json!({"method": "GET", "path": "/"}),
            json!({"status": 200, "body": {"code": ["a"]},
                   "matchingRules": rules(json!({"match": "type", "min": min}))})
        )]))
    };
    let diff = compare(&min_up(0), &min_up(2));
    assert_eq!(
        diff.interactions[0].changes[0].breaks,
        Breaks {
            provider: true,
            consumer: false
        }
    );
}

#[test]
fn message_contents_follow_response_rules() {
    let message = |body: Value| {
        json!({"consumer": {"name": "a"}, "provider": {"name": "b"},
               "messages": [{"description": "order created", "contents": body,
                             "metaData": {"contentType": "application/json"}}],
               "metadata": {"pactSpecification": {"version": "3.0.0"}}})
        .to_string()
    };
    let old = parse_contract(&message(json!({"id": 1, "total": 2}))).unwrap();
    let new = parse_contract(&message(json!({"id": 1}))).unwrap();
    assert_eq!(
        only_changes(&compare(&old, &new)),
        vec!["message.contents.total: field removed [breaks consumer]"]
    );
}

#[test]
fn status_classes_and_content_types_are_compared_by_meaning() {
    let response = |status: u16, content_type: &str| {
        json!({"status": status, "headers": {"Content-Type": content_type},
               "matchingRules": {"status": {"matchers": [{"match": "statusCode", "status": "success"}]}}})
    };
    let request = json!({"method": "GET", "path": "/"});
    let old = contract(json!([get(
        "get",
        request.clone(),
        response(200, "application/json")
    )]));
    let same_meaning = contract(json!([get(
        "get",
        request.clone(),
        response(201, "application/json; charset=utf-8")
    )]));
    assert!(compare(&old, &same_meaning).is_empty());
    let other_type = contract(json!([get("get", request, response(200, "text/plain"))]));
    assert_eq!(
        only_changes(&compare(&old, &other_type)),
        vec![
            "response.headers.Content-Type: header value changed from \"application/json\" to \"text/plain\" [breaks provider and consumer]"
        ]
    );
}

#[test]
fn kinds_and_sync_message_responses_are_compared() {
    let v4 = |interactions: Value| {
        parse_contract(
            &json!({"consumer": {"name": "a"}, "provider": {"name": "b"},
                    "interactions": interactions,
                    "metadata": {"pactSpecification": {"version": "4.0"}}})
            .to_string(),
        )
        .unwrap()
    };
    let sync = |responses: Value| {
        json!({"type": "Synchronous/Messages", "description": "price",
               "request": {"contents": {"content": {"sku": "a"}, "contentType": "application/json"}},
               "response": responses})
    };
    let reply = json!({"contents": {"content": {"price": 1}, "contentType": "application/json"}});
    let old = v4(json!([sync(json!([reply.clone()]))]));
    let two_replies = v4(json!([sync(json!([reply.clone(), reply]))]));
    assert_eq!(
        only_changes(&compare(&old, &two_replies)),
        vec!["response[1]: response message added [breaks provider]"]
    );
    let now_async = v4(
        json!([{"type": "Asynchronous/Messages", "description": "price",
                                "contents": {"content": {"price": 1}, "contentType": "application/json"}}]),
    );
    assert_eq!(
        only_changes(&compare(&old, &now_async)),
        vec![
            "$: kind changed from synchronous message to asynchronous message [breaks provider and consumer]"
        ]
    );
}

#[test]
fn equality_examples_and_array_lengths_matter_without_matchers() {
    let body = |value: Value| {
        contract(json!([get(
            "get",
            json!({"method": "GET", "path": "/"}),
            json!({"status": 200, "body": value})
        )]))
    };
    assert_eq!(
        only_changes(&compare(
            &body(json!({"state": "open", "ids": [1, 2]})),
            &body(json!({"state": "closed", "ids": [1]}))
        )),
        vec![
            "response.body.state: value changed from \"open\" to \"closed\" [breaks provider and consumer]",
            "response.body.ids: array length changed from 2 to 1 [breaks provider and consumer]",
        ]
    );
}
