//! `accord verify` against Accord's own broker: contracts written by pact-js are published with
//! `accord publish`, fetched by `accord verify --broker-url`, verified against the provider of
//! [`super::pact_libs`], and the results published back; the broker's record is checked.
//!
//! The broker on main has no `pb:provider-pacts-for-verification` yet, so these tests exercise
//! the verifier's fallback to `pb:latest-provider-pacts` (the latest contract of each consumer).
//! When the broker gains the relation, the same test covers pacts for verification.

use serde_json::Value;

use super::pact_libs::{Mode, contracts_dir, provider};
use super::provider as server;
use crate::harness::{Broker, accord};

/// The contracts of `orders-api`, one per consumer (`web-v2`, `web-v3`, `web-v4`).
const ORDERS_API: [&str; 3] = [
    "pact-js-http-v2.json",
    "pact-js-http-v3.json",
    "pact-js-mixed-v4.json",
];

fn publish_contracts(broker: &Broker) {
    let dir = tempfile::tempdir().unwrap();
    for name in ORDERS_API {
        std::fs::copy(contracts_dir().join(name), dir.path().join(name)).unwrap();
    }
    let folder = dir.path().display().to_string();
    accord(&[
        "publish",
        &folder,
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
        "-b",
        &broker.url,
    ])
    .success();
}

/// Verifies `orders-api` from the broker against a provider in `mode`, publishing the results
/// as provider version `version` on branch `main`; returns the exit code and the JSON report.
fn verify_from_broker(broker: &Broker, mode: Mode, version: &str) -> (i32, Value, String) {
    let url = server::start(move |seen| provider(mode, seen));
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let run = accord(&[
        "verify",
        "--broker-url",
        &broker.url,
        "--provider",
        "orders-api",
        "--provider-base-url",
        &url,
        "--state-change-url",
        &format!("{url}/_states"),
        "--publish",
        "--provider-app-version",
        version,
        "--provider-version-branch",
        "main",
        "--json",
        report.to_str().unwrap(),
    ]);
    let output = format!("{}{}", run.stdout, run.stderr);
    let report = std::fs::read_to_string(&report)
        .unwrap_or_else(|error| panic!("no report ({error}):\n{output}"));
    (run.code, serde_json::from_str(&report).unwrap(), output)
}

/// The latest verification result the broker holds for `consumer`'s latest contract.
fn latest_verification(broker: &Broker, consumer: &str) -> Value {
    let pact = broker.get(&format!(
        "/pacts/provider/orders-api/consumer/{consumer}/latest"
    ));
    let href = pact["_links"]["pb:latest-verification-results"]["href"]
        .as_str()
        .unwrap_or_else(|| panic!("no pb:latest-verification-results link: {pact:#}"));
    let path = href
        .strip_prefix(&broker.url)
        .unwrap_or_else(|| panic!("{href} is not on {}", broker.url));
    broker.get(path)
}

/// `interactionDescription -> success` of a published verification result.
fn test_results(verification: &Value) -> Vec<(String, bool)> {
    let mut results: Vec<(String, bool)> = verification["testResults"]
        .as_array()
        .unwrap_or_else(|| panic!("no testResults: {verification:#}"))
        .iter()
        .map(|result| {
            (
                result["interactionDescription"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                result["success"].as_bool().unwrap(),
            )
        })
        .collect();
    results.sort();
    results
}

#[test]
fn verify_fetches_from_accords_broker_and_publishes_the_results() {
    let broker = Broker::start();
    publish_contracts(&broker);
    let index = broker.get("/");
    let source = if index["_links"]["pb:provider-pacts-for-verification"].is_object() {
        "pb:provider-pacts-for-verification"
    } else {
        "pb:latest-provider-pacts (the broker has no pacts for verification)"
    };
    eprintln!("accord verify selects the contracts through {source}");

    // An honest provider: every contract passes and the broker records it.
    let (code, report, output) = verify_from_broker(&broker, Mode::Honest, "2.0.0");
    assert_eq!(code, 0, "{output}");
    let contracts = report["contracts"].as_array().unwrap();
    let mut consumers: Vec<&str> = contracts
        .iter()
        .map(|c| c["consumer"].as_str().unwrap())
        .collect();
    consumers.sort_unstable();
    assert_eq!(consumers, ["web-v2", "web-v3", "web-v4"], "{output}");
    for contract in contracts {
        assert_eq!(contract["publication"]["published"], true, "{contract:#}");
    }
    let verification = latest_verification(&broker, "web-v3");
    assert_eq!(verification["success"], true, "{verification:#}");
    assert_eq!(verification["providerApplicationVersion"], "2.0.0");
    assert_eq!(verification["verifiedBy"]["implementation"], "Accord");
    assert_eq!(
        test_results(&verification),
        [
            ("a request for a missing order".to_owned(), true),
            ("a request for order 10".to_owned(), true),
            (
                "a request for order 12 by provider-state id".to_owned(),
                true
            ),
            ("a request to create an order".to_owned(), true),
            ("an XML request for an invoice".to_owned(), true),
        ]
    );
    // The provider version is recorded on its branch.
    let branch_version = broker.get("/pacticipants/orders-api/branches/main/versions/2.0.0");
    assert_eq!(
        branch_version["_links"]["pb:version"]["name"], "2.0.0",
        "{branch_version:#}"
    );

    // A broken provider: the failures are published per interaction, and they are the latest.
    let (code, _, output) = verify_from_broker(&broker, Mode::Broken, "2.0.1");
    assert_eq!(code, 1, "{output}");
    let verification = latest_verification(&broker, "web-v3");
    assert_eq!(verification["success"], false, "{verification:#}");
    assert_eq!(verification["providerApplicationVersion"], "2.0.1");
    assert_eq!(
        test_results(&verification),
        [
            ("a request for a missing order".to_owned(), true),
            ("a request for order 10".to_owned(), false),
            (
                "a request for order 12 by provider-state id".to_owned(),
                false
            ),
            ("a request to create an order".to_owned(), false),
            ("an XML request for an invoice".to_owned(), true),
        ]
    );
    let failed = verification["testResults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["interactionDescription"] == "a request to create an order")
        .unwrap();
    assert!(
        failed["mismatches"].to_string().contains("Location"),
        "{failed:#}"
    );
    // web-v2's contract fails only on creating an order; its record is its own.
    let verification = latest_verification(&broker, "web-v2");
    assert_eq!(verification["success"], false);
    assert_eq!(
        test_results(&verification),
        [
            ("a request for a missing order".to_owned(), true),
            ("a request for order 10".to_owned(), true),
            ("a request to create an order".to_owned(), false),
        ]
    );
}
