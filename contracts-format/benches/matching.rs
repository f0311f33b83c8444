//! Matching throughput: a realistic response (50 items with nested type, regex, integer and
//! datetime rules) against the expected one, next to plain `serde_json::Value` equality of
//! the same bodies as a baseline; then the same with one item, for the fixed cost per match. Throughput is one match per iteration, so criterion's
//! `elem/s` is matches per second.
//!
//! Every case runs twice: timed by the wall clock, then by the benchmark thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`), which excludes time spent waiting for a core on a loaded
//! machine.
//!
//! Run with `cargo bench -p accord-contracts-format --bench matching`.

use std::hint::black_box;

use accord_contracts_format::{
    Body, HttpResponse, MatchOptions, Matcher, Pattern, RuleCategory, match_response,
};
use criterion::measurement::Measurement;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

mod support;
use support::ThreadCpuTime;

fn item(i: usize) -> Value {
    json!({
        "id": 1000 + i,
        "name": format!("customer {i}"),
        "email": format!("user{i}@example.com"),
        "createdAt": format!("2024-03-{:02}T10:{:02}:00Z", 1 + i % 28, i % 60),
        "active": i.is_multiple_of(2),
        "address": {"street": format!("{i} Main St"), "city": "Springfield", "zip": format!("{:05}", 10000 + i)},
        "tags": ["a", "b"]
    })
}

fn bodies(items: usize) -> (Value, Value) {
    let expected = json!({"items": [item(0)], "total": items, "next": "/customers?page=2"});
    let actual = json!({
        "items": (0..items).map(item).collect::<Vec<_>>(),
        "total": items,
        "next": "/customers?page=2"
    });
    (expected, actual)
}

fn expected_response(body: Value) -> HttpResponse {
    let mut response = HttpResponse {
        body: Body::json(body),
        ..HttpResponse::default()
    };
    let rules = &mut response.matching_rules;
    let mut add = |path: &str, matcher: Matcher| rules.add(RuleCategory::Body, path, matcher);
    add(
        "$.items",
        Matcher::Type {
            min: Some(1),
            max: None,
        },
    );
    add("$.items[*].id", Matcher::Integer);
    add(
        "$.items[*].name",
        Matcher::Type {
            min: None,
            max: None,
        },
    );
    add(
        "$.items[*].email",
        Matcher::Regex(Pattern::new("[a-z0-9.]+@[a-z0-9.]+\\.[a-z]+")),
    );
    add(
        "$.items[*].createdAt",
        Matcher::DateTime(Some("yyyy-MM-dd'T'HH:mm:ssX".to_owned())),
    );
    add(
        "$.items[*].address",
        Matcher::Type {
            min: None,
            max: None,
        },
    );
    add(
        "$.items[*].address.zip",
        Matcher::Regex(Pattern::new("\\d{5}")),
    );
    add("$.total", Matcher::Integer);
    response
}

fn matching<M: Measurement>(c: &mut Criterion<M>, clock: &str) {
    // The realistic case (50 items), and a one-item body that shows the fixed cost per match.
    for items in [50, 1] {
        let (expected_body, actual_body) = bodies(items);
        let expected = expected_response(expected_body);
        let actual = HttpResponse {
            body: Body::json(actual_body.clone()),
            ..HttpResponse::default()
        };
        let options = MatchOptions::default();
        assert!(match_response(&expected, &actual, &options).is_empty());

        let mut group = c.benchmark_group(format!("response with {items} items ({clock})"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("match_response", |b| {
            b.iter(|| match_response(black_box(&expected), black_box(&actual), &options))
        });
        let same = actual_body.clone();
        group.bench_function("baseline: Value equality", |b| {
            b.iter(|| black_box(&actual_body) == black_box(&same))
        });
        group.finish();
    }
}

fn wall_time(c: &mut Criterion) {
    matching(c, "wall time");
}

fn cpu_time(c: &mut Criterion<ThreadCpuTime>) {
    matching(c, "thread CPU time");
}

criterion_group!(wall, wall_time);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu_time
}
criterion_main!(wall, cpu);
