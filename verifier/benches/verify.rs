//! How long verifying a 600-interaction contract takes against a fast in-process provider,
//! one interaction at a time and eight at a time.
//!
//! Run with `cargo bench -p accord-verifier`. For the comparison with Pact's verifier, the
//! same contract shape against a local provider took Pact's `pact verifier` 14.9 s and a debug
//! build of `accord verify` 0.21 s (see the verifier branch's report).

use std::hint::black_box;

use accord_verifier::report::Silent;
use accord_verifier::{ContractSource, Verdict, Verifier, VerifyOptions};
use axum::Json;
use axum::extract::Path;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

const INTERACTIONS: usize = 600;

fn item(id: usize) -> Value {
    json!({
        "id": id,
        "name": format!("item {id}"),
        "tags": ["a", "b"],
        "price": 12.5,
        "stock": {"warehouse": "north", "count": id % 7}
    })
}

fn contract() -> Value {
    let interactions: Vec<Value> = (0..INTERACTIONS)
        .map(|id| {
            json!({
                "type": "Synchronous/HTTP",
                "description": format!("get item {id}"),
                "request": {"method": "GET", "path": format!("/items/{id}")},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"contentType": "application/json", "content": item(id)},
                    "matchingRules": {"body": {
                        "$.id": {"matchers": [{"match": "integer"}]},
                        "$.name": {"matchers": [{"match": "type"}]}
                    }}
                }
            })
        })
        .collect();
    json!({
        "consumer": {"name": "bench-consumer"},
        "provider": {"name": "bench-provider"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
}

fn verify_600(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let provider_url = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let app = axum::Router::new().route(
            "/items/{id}",
            get(|Path(id): Path<usize>| async move { Json(item(id)) }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{address}")
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bench.json");
    std::fs::write(&file, contract().to_string()).expect("write the contract");

    let mut group = c.benchmark_group("verify 600 interactions");
    group.sample_size(10);
    for jobs in [1, 8] {
        let mut options = VerifyOptions::new(
            vec![ContractSource::File(file.clone())],
            provider_url.parse().expect("url"),
        );
        options.jobs = jobs;
        let verifier = Verifier::new(options).expect("verifier");
        group.bench_function(format!("jobs {jobs}"), |b| {
            b.iter(|| {
                let results = runtime
                    .block_on(verifier.verify(&mut Silent))
                    .expect("verification");
                assert_eq!(results.verdict(), Verdict::Passed);
                black_box(results)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, verify_600);
criterion_main!(benches);
