//! `accord verify --broker-url` against the real `accord broker serve`: the contracts come
//! from pacts-for-verification (selectors, pending status, WIP pacts), the results are
//! published to the metadata-bearing URLs the broker handed out, and a work-in-progress
//! success does not end the contract's pending status.

use std::process::Command;

use serde_json::{Value, json};

use super::{interaction, start_provider, text};
use crate::harness::{Broker, accord};

fn publish(broker: &Broker, dir: &std::path::Path, version: &str, branch: &str, description: &str) {
    let path = dir.join(format!("web-orders-{version}.json"));
    let document = json!({
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": [interaction(description, "/orders/1", false)],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    });
    std::fs::write(&path, document.to_string()).unwrap();
    accord(&[
        "publish",
        &path.display().to_string(),
        "--consumer-app-version",
        version,
        "--branch",
        branch,
        "-b",
        &broker.url,
    ])
    .success();
}

fn verify(broker: &Broker, provider: &str, provider_version: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "verify",
            "--broker-url",
            &broker.url,
            "--provider",
            "orders",
            "--provider-base-url",
            provider,
            "--consumer-version-selectors",
            r#"{"mainBranch": true}"#,
            "--enable-pending",
            "--include-wip-pacts-since",
            "2020-01-01",
            "--provider-version-branch",
            "main",
            "--publish",
            "--provider-app-version",
            provider_version,
        ])
        .env_remove("PACT_BROKER_BASE_URL")
        .output()
        .unwrap();
    let out = format!("{}{}", text(&output.stdout), text(&output.stderr));
    (output.status.code().unwrap_or(-1), out)
}

/// The pacts the broker selects for `orders` on branch main, with pending and WIP status.
fn for_verification(broker: &Broker) -> Vec<Value> {
    let answer = broker.send_json(
        reqwest::Method::POST,
        "/pacts/provider/orders/for-verification",
        &json!({
            "consumerVersionSelectors": [{"mainBranch": true}],
            "includePendingStatus": true,
            "includeWipPactsSince": "2020-01-01",
            "providerVersionBranch": "main",
        }),
    );
    answer["_embedded"]["pacts"].as_array().unwrap().clone()
}

#[test]
fn broker_verification_uses_pacts_for_verification_with_pending_and_wip() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let provider = start_provider();
    publish(&broker, dir.path(), "1", "main", "get order 1");

    // The index leads verifiers to pacts-for-verification.
    let index = broker.get("/");
    assert!(
        index["_links"]["pb:provider-pacts-for-verification"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/pacts/provider/{provider}/for-verification")
    );
    let pacts = for_verification(&broker);
    assert_eq!(pacts.len(), 1, "{pacts:?}");
    assert_eq!(pacts[0]["verificationProperties"]["pending"], true);
    assert!(
        pacts[0]["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .contains("/metadata/")
    );

    let (code, out) = verify(&broker, &provider, "p1");
    assert_eq!(code, 0, "{out}");
    let result =
        broker.get("/pacts/provider/orders/consumer/web/version/1/verification-results/latest");
    assert_eq!(result["success"], true);
    assert_eq!(result["providerApplicationVersion"], "p1");
    let pacts = for_verification(&broker);
    assert_eq!(
        pacts[0]["verificationProperties"]["pending"], false,
        "a success on main ends pending status: {pacts:?}"
    );

    // A feature-branch contract is not selected, so it comes as a WIP pact, and its
    // success while WIP does not end its pending status.
    publish(
        &broker,
        dir.path(),
        "2",
        "feat-x",
        "get order 1 from the feature",
    );
    let pacts = for_verification(&broker);
    let wip: Vec<&Value> = pacts
        .iter()
        .filter(|p| p["verificationProperties"]["wip"] == true)
        .collect();
    assert_eq!(wip.len(), 1, "{pacts:?}");
    assert_eq!(wip[0]["verificationProperties"]["pending"], true);

    let (code, out) = verify(&broker, &provider, "p2");
    assert_eq!(code, 0, "{out}");
    let result =
        broker.get("/pacts/provider/orders/consumer/web/version/2/verification-results/latest");
    assert_eq!(
        result["success"], true,
        "the WIP pact was verified and published"
    );
    let pacts = for_verification(&broker);
    let wip: Vec<&Value> = pacts
        .iter()
        .filter(|p| p["verificationProperties"]["wip"] == true)
        .collect();
    assert_eq!(
        wip.len(),
        1,
        "a WIP success does not end pending status, so it is still WIP: {pacts:?}"
    );

    // The same success had it been an explicit (non-WIP) verification ends pending status.
    let pact = broker.get("/pacts/provider/orders/consumer/web/version/2");
    let href = pact["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    broker.send_json(
        reqwest::Method::PUT,
        "/pacticipants/orders/branches/main/versions/p3",
        &json!({}),
    );
    broker.send_json(
        reqwest::Method::POST,
        &href,
        &json!({"success": true, "providerApplicationVersion": "p3"}),
    );
    let pacts = for_verification(&broker);
    assert!(
        pacts
            .iter()
            .all(|p| p["verificationProperties"]["wip"] != true),
        "no longer pending, so no longer WIP: {pacts:?}"
    );
}
