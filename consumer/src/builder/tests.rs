use serde_json::json;

use accord_contracts_format::{
    Body, Generator, GeneratorCategory, HttpRequest, HttpResponse, InteractionKind, Matcher,
    Pattern, RuleCategory, RuleList, SpecVersion, StatusClass, StatusCodes, parse_contract,
    to_json_string,
};

use crate::error::{BuildError, MessageError, TemplateProblem, WriteContractError};
use crate::matchers::{from_provider_state, integer, like, regex};

use super::*;

fn http_parts(builder: &ContractBuilder, index: usize) -> (&HttpRequest, &HttpResponse) {
    match &builder.contract().interactions[index].kind {
        InteractionKind::Http { request, response } => (request, response),
        other => panic!("not HTTP: {other:?}"),
    }
}

fn rules_at<'a>(
    rules: &'a accord_contracts_format::MatchingRules,
    category: RuleCategory,
    key: &str,
) -> &'a [Matcher] {
    &rules.category(category).expect("category has rules")[key].matchers
}

#[test]
fn request_values_take_matchers_and_generators() {
    let mut builder = ContractBuilder::new("web-app", "orders-api");
    builder.interaction("search orders", |i| {
        i.given("orders exist").request(|r| {
            r.post(regex("^/orders/\\d+$", "/orders/10"))
                .query("status", "open")
                .query("status", "shipped")
                .query("page", integer(2))
                .header("X-Trace", regex("^[a-f0-9]+$", "abc1"))
                .header(
                    "Authorization",
                    from_provider_state("Bearer ${token}", "Bearer t"),
                )
                .json_body(json!({"id": integer(10)}))
        })
    });
    let (request, _) = http_parts(&builder, 0);
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/orders/10");
    let query = request.query.as_ref().unwrap();
    assert_eq!(query["status"], vec!["open", "shipped"]);
    assert_eq!(query["page"], vec!["2"]);
    let headers = request.headers.as_ref().unwrap();
    assert_eq!(headers["X-Trace"], vec!["abc1"]);
    assert_eq!(headers["Content-Type"], vec!["application/json"]);
    assert_eq!(request.body, Body::json(json!({"id": 10})));
    let rules = &request.matching_rules;
    assert_eq!(
        rules_at(rules, RuleCategory::Path, "$"),
        [Matcher::Regex(Pattern::new("^/orders/\\d+$"))]
    );
    assert_eq!(
        rules_at(rules, RuleCategory::Query, "page"),
        [Matcher::Integer]
    );
    assert!(
        !rules
            .category(RuleCategory::Query)
            .unwrap()
            .contains_key("status")
    );
    assert_eq!(
        rules_at(rules, RuleCategory::Header, "X-Trace"),
        [Matcher::Regex(Pattern::new("^[a-f0-9]+$"))]
    );
    assert_eq!(
        rules_at(rules, RuleCategory::Body, "$.id"),
        [Matcher::Integer]
    );
    assert_eq!(
        request.generators.categories[&GeneratorCategory::Header]["Authorization"],
        Generator::ProviderState {
            expression: "Bearer ${token}".into(),
            data_type: None
        }
    );
}

#[test]
fn response_status_classes_headers_and_bodies() {
    let mut builder = ContractBuilder::new("web-app", "orders-api");
    builder.interaction("create order", |i| {
        i.request(|r| {
            r.post("/orders")
                .body("id=1", "application/x-www-form-urlencoded")
        })
        .response(|r| {
            r.status_in(StatusClass::Success, 201)
                .header("content-type", "application/hal+json")
                .json_body(json!({"id": like(1)}))
        })
    });
    let (request, response) = http_parts(&builder, 0);
    assert_eq!(
        request.headers.as_ref().unwrap()["Content-Type"],
        vec!["application/x-www-form-urlencoded"]
    );
    assert_eq!(response.status, 201);
    let headers = response.headers.as_ref().unwrap();
    assert_eq!(
        headers.len(),
        1,
        "an explicit content type is kept: {headers:?}"
    );
    assert_eq!(headers["content-type"], vec!["application/hal+json"]);
    assert_eq!(
        rules_at(&response.matching_rules, RuleCategory::Status, "$"),
        [Matcher::StatusCode(StatusCodes::Class(
            StatusClass::Success
        ))]
    );
    let error = builder
        .try_interaction("bad status", |i| {
            i.response(|r| r.status_in(StatusClass::ClientError, 200))
        })
        .unwrap_err();
    assert!(error.to_string().contains("response status"), "{error}");
}

#[test]
fn template_errors_name_interaction_part_and_path() {
    let mut builder = ContractBuilder::new("web-app", "orders-api");
    let error = builder
        .try_interaction("get order", |i| {
            i.response(|r| r.json_body(json!({"lines": [{"sku": regex("^[A-Z]+$", "a-1")}]})))
        })
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "interaction \"get order\": response body $.lines[0].sku: example \"a-1\" does not match regular expression \"^[A-Z]+$\""
    );
    let error = builder
        .try_interaction("nested header", |i| {
            i.request(|r| r.header("X-A", json!({"a": integer(1)})))
        })
        .unwrap_err();
    assert!(
        matches!(&error, BuildError::Template { part, error, .. }
            if part == "request header X-A" && matches!(error.problem, TemplateProblem::NestedMatcher)),
        "{error}"
    );
    assert!(builder.contract().interactions.is_empty());
}

#[test]
fn provider_states_with_parameters_and_duplicates() {
    let mut builder = ContractBuilder::new("web-app", "orders-api");
    builder.interaction("get order", |i| {
        i.given("the service is up")
            .given_with("an order exists", json!({"id": 10}))
            .pending(true)
            .comment("checks the happy path")
    });
    let interaction = &builder.contract().interactions[0];
    assert_eq!(interaction.provider_states.len(), 2);
    assert_eq!(interaction.provider_states[1].params["id"], 10);
    assert!(interaction.pending);
    assert_eq!(
        interaction.comments["text"],
        json!(["checks the happy path"])
    );

    let duplicate = builder.try_interaction("get order", |i| {
        i.given("the service is up")
            .given_with("an order exists", json!({"id": 10}))
    });
    assert!(matches!(duplicate, Err(BuildError::Duplicate(_))));
    builder.interaction("get order", |i| {
        i.given_with("an order exists", json!({"id": 11}))
    });
    assert_eq!(builder.contract().interactions.len(), 2);

    let bad = builder.try_interaction("x", |i| i.given_with("state", json!([1])));
    assert!(matches!(bad, Err(BuildError::StateParams { .. })));
}

#[test]
fn panicking_methods_report_the_callers_line() {
    use std::sync::{Arc, Mutex};
    // The hook is process-wide: record only panics of this test's thread, pass others on.
    let seen: Arc<Mutex<Option<(String, u32)>>> = Arc::default();
    let this_thread = std::thread::current().id();
    let previous = Arc::new(std::panic::take_hook());
    {
        let seen = Arc::clone(&seen);
        let previous = Arc::clone(&previous);
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == this_thread {
                let location = info.location().map(|l| (l.file().to_owned(), l.line()));
                *seen.lock().unwrap() = location;
            } else {
                previous(info);
            }
        }));
    }
    let mut builder = ContractBuilder::new("web-app", "orders-api");
    let expected_line = line!() + 2;
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        builder.interaction("bad", |i| i.request(|r| r.get(regex("(", "/x"))));
    }));
    let _ = std::panic::take_hook();
    let previous = Arc::try_unwrap(previous).unwrap_or_else(|_| panic!("hook still shared"));
    std::panic::set_hook(previous);

    let payload = caught.unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(message.contains("does not compile"), "{message}");
    let (file, line) = seen
        .lock()
        .unwrap()
        .clone()
        .expect("panic location recorded");
    assert!(file.ends_with("builder/tests.rs"), "{file}");
    assert_eq!(line, expected_line);
}

#[test]
fn async_messages_need_the_consumer_handler_to_accept_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = ContractBuilder::new("billing", "orders-events").with_output_dir(dir.path());
    builder.message("order created", |m| {
        m.given("an order is placed")
            .json_contents(json!({"id": integer(10), "total": like(9.5)}))
            .metadata("topic", "orders")
            .metadata("key", regex("^order-\\d+$", "order-10"))
    });
    let message = match &builder.contract().interactions[0].kind {
        InteractionKind::AsyncMessage(message) => message.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(message.metadata["contentType"], "application/json");
    assert_eq!(
        rules_at(&message.matching_rules, RuleCategory::Metadata, "key"),
        [Matcher::Regex(Pattern::new("^order-\\d+$"))]
    );
    assert_eq!(
        rules_at(&message.matching_rules, RuleCategory::Body, "$.id"),
        [Matcher::Integer]
    );

    let unverified = builder.try_write().unwrap_err();
    assert!(matches!(&unverified, WriteContractError::Unexercised(d) if d == &["order created"]));
    assert!(!builder.output_path().exists());

    let rejected = builder.try_verify_message("order created", |contents, _| {
        if contents["id"] == 11 {
            Ok(())
        } else {
            Err("wrong order")
        }
    });
    assert!(
        matches!(&rejected, Err(MessageError::Rejected { source, .. }) if source.to_string() == "wrong order")
    );
    assert!(matches!(
        builder.try_verify_message("order shipped", |_, _| Ok::<(), String>(())),
        Err(MessageError::Unknown(_))
    ));

    let mut seen = Vec::new();
    builder.verify_message("order created", |contents, metadata| {
        seen.push((contents.clone(), metadata["topic"].clone()));
        Ok::<(), String>(())
    });
    assert_eq!(
        seen,
        vec![(json!({"id": 10, "total": 9.5}), json!("orders"))]
    );
    let path = builder.write();
    let written = parse_contract(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(written.interactions, builder.contract().interactions);
}

#[test]
fn sync_messages_round_trip_through_v4() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = ContractBuilder::new("shop", "stock-service").with_output_dir(dir.path());
    builder.sync_message("check stock", |m| {
        m.given("sku A exists")
            .request(|r| r.json_contents(json!({"sku": like("A")})))
            .response(|r| r.json_contents(json!({"available": integer(3)})))
    });
    builder.verify_sync_message("check stock", |request, responses| {
        assert_eq!(request.contents, json!({"sku": "A"}));
        match responses {
            [only] if only.contents == json!({"available": 3}) => Ok(()),
            _ => Err("unexpected responses"),
        }
    });
    let path = builder.write();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("Synchronous/Messages"), "{text}");
    let written = parse_contract(&text).unwrap();
    assert_eq!(written.interactions, builder.contract().interactions);
    let v3 = builder
        .clone()
        .with_spec_version(SpecVersion::V3)
        .try_write();
    assert!(matches!(v3, Err(WriteContractError::Format(_))));
}

#[test]
fn http_contracts_round_trip_through_the_v4_writer() {
    let mut builder = ContractBuilder::new("web-app", "orders-api");
    builder.interaction("get order 10", |i| {
        i.given_with("an order exists", json!({"id": 10}))
            .request(|r| r.get(from_provider_state("/orders/${id}", "/orders/10")))
            .response(|r| {
                r.json_body(json!({
                    "id": from_provider_state("${id}", 10),
                    "lines": crate::each_like(json!({"qty": integer(1)}), 1, 10),
                }))
            })
    });
    let text = to_json_string(builder.contract(), SpecVersion::V4).unwrap();
    let read = parse_contract(&text).unwrap();
    assert_eq!(read.interactions, builder.contract().interactions);
    let (request, response) = http_parts(&builder, 0);
    assert_eq!(
        request.generators.categories[&GeneratorCategory::Path]["$"],
        Generator::ProviderState {
            expression: "/orders/${id}".into(),
            data_type: None
        }
    );
    assert_eq!(
        response
            .matching_rules
            .category(RuleCategory::Body)
            .unwrap()["$.lines"],
        RuleList::single(Matcher::Type {
            min: Some(1),
            max: Some(10)
        })
    );
}

#[test]
fn contracts_round_trip_through_the_v3_writer() {
    let mut http = ContractBuilder::new("web-app", "orders-api");
    http.interaction("get order 10", |i| {
        i.given_with("an order exists", json!({"id": 10}))
            .request(|r| r.get("/orders/10").query("page", integer(1)))
            .response(|r| r.json_body(json!({"id": integer(10), "name": like("x")})))
    });
    let text = to_json_string(http.contract(), SpecVersion::V3).unwrap();
    assert!(text.contains("\"3.0.0\""), "{text}");
    assert_eq!(
        parse_contract(&text).unwrap().interactions,
        http.contract().interactions
    );

    let mut messages = ContractBuilder::new("billing", "orders-events");
    messages.message("order created", |m| {
        m.json_contents(json!({"id": integer(1)}))
            .metadata("topic", "orders")
    });
    let text = to_json_string(messages.contract(), SpecVersion::V3).unwrap();
    assert!(text.contains("\"messages\""), "{text}");
    assert_eq!(
        parse_contract(&text).unwrap().interactions,
        messages.contract().interactions
    );
}
