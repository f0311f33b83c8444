//! Parsing speed of large V4 contracts: 5,000 rich HTTP and message interactions with bodies,
//! headers, matching rules and generators (21 MB), and 5,000 interactions replicated from a
//! file pact-js wrote (a lighter, typical shape).
//!
//! Run with `cargo bench -p accord-contracts-format --bench parse`. The `serde_json_value`
//! case parses the same text into a `serde_json::Value` only: the reader's cost is the ratio
//! of `parse_contract` to it. `value_reader` reads the contract through a `Value`
//! (`contract_from_value`): the reader `parse_contract` falls back on for files its typed V4
//! path does not read, and the whole reader before that path existed. Every case runs twice:
//! timed by the wall clock, then by the benchmark thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`), which excludes time spent waiting for a core on a loaded
//! machine.

use std::hint::black_box;

use accord_contracts_format::{
    SpecVersion, contract_from_value, parse_contract, to_json_string, validate,
};
use criterion::measurement::Measurement;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

mod support;
use support::ThreadCpuTime;

const INTERACTIONS: usize = 5_000;

fn http(i: usize) -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": format!("get order {i}"),
        "key": format!("{i:016x}"),
        "pending": false,
        "providerStates": [{"name": "an order exists", "params": {"id": i, "currency": "EUR"}}],
        "request": {
            "method": "GET",
            "path": format!("/orders/{i}"),
            "query": {"expand": ["lines", "customer"]},
            "headers": {"Accept": ["application/json"], "X-Request-Id": [format!("req-{i}")]},
            "matchingRules": {
                "path": {"combine": "AND", "matchers": [{"match": "regex", "regex": "^/orders/\\d+$"}]},
                "header": {"X-Request-Id": {"combine": "AND", "matchers": [{"match": "regex", "regex": "^req-\\d+$"}]}}
            },
            "generators": {"path": {"type": "ProviderState", "expression": "/orders/${id}", "dataType": "STRING"}}
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": ["application/json; charset=utf-8"]},
            "body": {
                "contentType": "application/json",
                "encoded": false,
                "content": {
                    "id": i,
                    "reference": format!("ORD-{i:06}"),
                    "total": 12.5,
                    "paid": true,
                    "placedAt": "2024-05-01T10:00:00Z",
                    "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "tier": "gold"},
                    "lines": [
                        {"sku": "sku-1", "quantity": 2, "price": 3.25},
                        {"sku": "sku-2", "quantity": 1, "price": 6.0}
                    ],
                    "tags": ["gift", "express"]
                }
            },
            "matchingRules": {
                "body": {
                    "$.id": {"combine": "AND", "matchers": [{"match": "integer"}]},
                    "$.reference": {"combine": "AND", "matchers": [{"match": "regex", "regex": "^ORD-\\d{6}$"}]},
                    "$.total": {"combine": "AND", "matchers": [{"match": "decimal"}]},
                    "$.placedAt": {"combine": "AND", "matchers": [{"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ssX"}]},
                    "$.customer": {"combine": "AND", "matchers": [{"match": "type"}]},
                    "$.lines": {"combine": "AND", "matchers": [{"match": "type", "min": 1}]},
                    "$.lines[*].sku": {"combine": "AND", "matchers": [{"match": "type"}]},
                    "$.lines[*].quantity": {"combine": "AND", "matchers": [{"match": "integer"}]},
                    "$.tags": {"combine": "AND", "matchers": [{"match": "eachValue", "rules": [{"match": "type"}]}]}
                },
                "header": {"Content-Type": {"combine": "AND", "matchers": [{"match": "regex", "regex": "application/json.*"}]}}
            },
            "generators": {"body": {"$.id": {"type": "ProviderState", "expression": "${id}", "dataType": "INTEGER"},
                                    "$.placedAt": {"type": "DateTime", "format": "yyyy-MM-dd'T'HH:mm:ssX"}}}
        }
    })
}

fn message(i: usize) -> Value {
    json!({
        "type": "Asynchronous/Messages",
        "description": format!("order {i} placed"),
        "providerStates": [{"name": "an order was placed", "params": {"id": i}}],
        "contents": {"contentType": "application/json", "encoded": false,
                     "content": {"id": i, "event": "order.placed", "total": 12.5, "lines": [{"sku": "sku-1"}]}},
        "metadata": {"topic": "orders", "contentType": "application/json"},
        "matchingRules": {"content": {
            "$.id": {"combine": "AND", "matchers": [{"match": "integer"}]},
            "$.lines": {"combine": "AND", "matchers": [{"match": "type", "min": 1}]}
        }}
    })
}

/// A 5,000-interaction V4 file: four HTTP interactions for each message.
fn large_contract() -> String {
    let interactions: Vec<Value> = (0..INTERACTIONS)
        .map(|i| if i % 5 == 4 { message(i) } else { http(i) })
        .collect();
    serde_json::to_string_pretty(&json!({
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}, "pactRust": {"models": "1.2.0"}}
    }))
    .expect("serialises")
}

/// 5,000 interactions replicated from a file pact-js wrote (HTTP with JSON, binary and text
/// bodies, async and sync messages), each description made unique.
fn pact_js_contract() -> String {
    let fixture: Value = serde_json::from_str(include_str!(
        "../tests/fixtures/pact-libs/pact-js-mixed-v4.json"
    ))
    .expect("the fixture is JSON");
    let originals = fixture["interactions"].as_array().expect("interactions");
    let interactions: Vec<Value> = (0..INTERACTIONS)
        .map(|i| {
            let mut interaction = originals[i % originals.len()].clone();
            let description = format!("{} #{i}", interaction["description"].as_str().unwrap_or(""));
            interaction["description"] = Value::String(description);
            interaction
        })
        .collect();
    let mut document = fixture.clone();
    document["interactions"] = Value::Array(interactions);
    serde_json::to_string_pretty(&document).expect("serialises")
}

/// The contract read through a `serde_json::Value`, as `parse_contract` reads files its typed
/// path refuses.
fn value_reader(text: &str) -> accord_contracts_format::Contract {
    contract_from_value(serde_json::from_str(text).expect("JSON")).expect("contract")
}

fn parse_pact_js_shaped<M: Measurement>(c: &mut Criterion<M>, clock: &str) {
    let text = pact_js_contract();
    let contract = parse_contract(&text).expect("parses");
    assert_eq!(contract.interactions.len(), INTERACTIONS);
    assert_eq!(contract, value_reader(&text));
    let mut group = c.benchmark_group(format!(
        "pact_js_shaped_{INTERACTIONS}_interactions ({clock})"
    ));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)).expect("JSON"))
    });
    group.bench_function("parse_contract", |b| {
        b.iter(|| parse_contract(black_box(&text)).expect("contract"))
    });
    group.bench_function("value_reader", |b| {
        b.iter(|| value_reader(black_box(&text)))
    });
    group.finish();
}

fn parse<M: Measurement>(c: &mut Criterion<M>, clock: &str) {
    let text = large_contract();
    let contract = parse_contract(&text).expect("the generated contract parses");
    assert_eq!(contract.interactions.len(), INTERACTIONS);
    assert_eq!(contract, value_reader(&text));
    assert!(validate(&text, "large.json").is_empty());

    let mut group = c.benchmark_group(format!("v4_{INTERACTIONS}_interactions ({clock})"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)).expect("JSON"))
    });
    group.bench_function("parse_contract", |b| {
        b.iter(|| parse_contract(black_box(&text)).expect("contract"))
    });
    group.bench_function("value_reader", |b| {
        b.iter(|| value_reader(black_box(&text)))
    });
    group.bench_function("write_v4", |b| {
        b.iter(|| to_json_string(black_box(&contract), SpecVersion::V4).expect("writes"))
    });
    group.sample_size(10);
    group.bench_function("validate", |b| {
        b.iter(|| validate(black_box(&text), "large.json"))
    });
    group.finish();
}

fn wall_time(c: &mut Criterion) {
    parse(c, "wall time");
    parse_pact_js_shaped(c, "wall time");
}

fn cpu_time(c: &mut Criterion<ThreadCpuTime>) {
    parse(c, "thread CPU time");
    parse_pact_js_shaped(c, "thread CPU time");
}

criterion_group!(wall, wall_time);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu_time
}
criterion_main!(wall, cpu);
