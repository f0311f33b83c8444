//! Pact's own broker client (`pact-broker`) against `accord broker serve`.

use serde_json::Value;

use crate::harness::{Broker, fixture, pact_broker, pact_broker_cli};

#[test]
fn pact_client_publishes_records_and_describes() {
    let Some(cli) = pact_broker_cli() else { return };
    let broker = Broker::start();
    let run = |args: &[&str]| pact_broker(&cli, &broker, args);

    // Publish two contracts with branch, tags and build URL.
    let (orders, users) = (fixture("web-orders-v3.json"), fixture("web-users-v4.json"));
    let published = run(&[
        "publish",
        &orders,
        &users,
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
        "--tag",
        "dev",
        "qa",
        "--build-url",
        "https://ci/7",
    ])
    .success();
    assert!(
        published
            .stdout
            .contains("Pact between Web (v1.0.0) and Orders published"),
        "{}",
        published.stdout
    );
    let version = broker.get("/pacticipants/Web/versions/1.0.0");
    assert_eq!(version["buildUrl"], "https://ci/7");
    assert_eq!(version["_embedded"]["branchVersions"][0]["name"], "main");
    let tags: Vec<&str> = version["_embedded"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["dev", "qa"]);
    let pact = broker.get("/pacts/provider/Users/consumer/Web/latest");
    assert_eq!(
        pact["interactions"][0]["key"], "get-user-7",
        "the V4 content is served back"
    );

    // Same content again succeeds; changed content for the same version is refused.
    run(&[
        "publish",
        &orders,
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
    ])
    .success();
    let refused = run(&[
        "publish",
        &fixture("web-orders-v3-changed.json"),
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
    ]);
    assert_ne!(
        refused.code, 0,
        "changed content must be refused: {}",
        refused.stdout
    );
    let pact = broker.get("/pacts/provider/Orders/consumer/Web/version/1.0.0");
    assert_eq!(
        pact["interactions"][0]["description"],
        "a request for order 1"
    );

    // Environments.
    let created = run(&[
        "create-environment",
        "--name",
        "staging",
        "--display-name",
        "Staging",
    ])
    .success();
    let staging = broker.environment_uuid("staging");
    assert!(created.stdout.contains(&staging), "{}", created.stdout);
    let listed = run(&["list-environments"]).success();
    assert!(
        listed.stdout.contains("staging") && listed.stdout.contains("production"),
        "{}",
        listed.stdout
    );

    // Deployments and releases.
    run(&[
        "record-deployment",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--environment",
        "staging",
    ])
    .success();
    let deployed = broker.get(&format!(
        "/environments/{staging}/deployed-versions/currently-deployed?pacticipant=Web"
    ));
    assert_eq!(
        deployed["_embedded"]["deployedVersions"][0]["_embedded"]["version"]["number"],
        "1.0.0"
    );
    run(&[
        "record-release",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--environment",
        "production",
    ])
    .success();
    let production = broker.environment_uuid("production");
    let released = broker.get(&format!(
        "/environments/{production}/released-versions/currently-supported"
    ));
    assert_eq!(
        released["_embedded"]["releasedVersions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Describing.
    let described = run(&[
        "describe-version",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
    ])
    .success();
    assert!(
        described.stdout.contains("1.0.0") && described.stdout.contains("dev"),
        "{}",
        described.stdout
    );
    let latest = run(&[
        "describe-version",
        "--pacticipant",
        "Web",
        "--latest",
        "-o",
        "json",
    ])
    .success();
    let latest: Value = serde_json::from_str(latest.stdout.trim()).unwrap();
    assert_eq!(latest["number"], "1.0.0");
    let pacts = run(&["list-latest-pact-versions"]).success();
    assert!(
        pacts.stdout.contains("Orders") && pacts.stdout.contains("Users"),
        "{}",
        pacts.stdout
    );
    let pacticipants = run(&["list-pacticipants"]).success();
    assert!(
        pacticipants.stdout.contains("Web"),
        "{}",
        pacticipants.stdout
    );

    // Undeploy and end support.
    run(&[
        "record-undeployment",
        "--pacticipant",
        "Web",
        "--environment",
        "staging",
    ])
    .success();
    let deployed = broker.get(&format!(
        "/environments/{staging}/deployed-versions/currently-deployed"
    ));
    assert_eq!(
        deployed["_embedded"]["deployedVersions"],
        serde_json::json!([])
    );
    run(&[
        "record-support-ended",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--environment",
        "production",
    ])
    .success();
    let released = broker.get(&format!(
        "/environments/{production}/released-versions/currently-supported"
    ));
    assert_eq!(
        released["_embedded"]["releasedVersions"],
        serde_json::json!([])
    );

    // Pacticipants, tags and branches.
    run(&[
        "create-or-update-pacticipant",
        "--name",
        "Web",
        "--main-branch",
        "main",
        "--display-name",
        "Web app",
    ])
    .success();
    assert_eq!(broker.get("/pacticipants/Web")["displayName"], "Web app");
    run(&["create-or-update-pacticipant", "--name", "Billing"]).success();
    broker.get("/pacticipants/Billing");
    run(&[
        "create-version-tag",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--tag",
        "prod",
    ])
    .success();
    run(&[
        "delete-version-tag",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--tag",
        "qa",
    ])
    .success();
    let tags = broker.get("/pacticipants/Web/versions/1.0.0")["_embedded"]["tags"].clone();
    let tags: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["dev", "prod"]);
    let pacts = run(&[
        "get-pacts",
        "--provider",
        "Orders",
        "--consumer",
        "Web",
        "--branch",
        "main",
    ])
    .success();
    assert!(
        pacts
            .stdout
            .contains("/pacts/provider/Orders/consumer/Web/version/1.0.0"),
        "{}",
        pacts.stdout
    );

    // Versions, and the environment's lifecycle.
    run(&[
        "create-or-update-version",
        "--pacticipant",
        "Orders",
        "--version",
        "p1",
        "--branch",
        "main",
        "--tag",
        "prod",
    ])
    .success();
    let provider = broker.get("/pacticipants/Orders/versions/p1");
    assert_eq!(provider["_embedded"]["branchVersions"][0]["name"], "main");
    assert_eq!(provider["_embedded"]["tags"][0]["name"], "prod");
    run(&[
        "record-deployment",
        "--pacticipant",
        "Orders",
        "--version",
        "p1",
        "--environment",
        "staging",
    ])
    .success();
    let deployed = run(&[
        "describe-version",
        "--pacticipant",
        "Orders",
        "--environment",
        "staging",
        "--deployed",
    ])
    .success();
    assert!(deployed.stdout.contains("p1"), "{}", deployed.stdout);
    run(&[
        "update-environment",
        "--uuid",
        &staging,
        "--name",
        "stage",
        "--display-name",
        "Stage",
        "--production",
    ])
    .success();
    let updated = broker.get(&format!("/environments/{staging}"));
    assert_eq!(
        (updated["name"].as_str(), updated["production"].as_bool()),
        (Some("stage"), Some(true))
    );
    let described = run(&["describe-environment", "--uuid", &staging]).success();
    assert!(described.stdout.contains("stage"), "{}", described.stdout);
    run(&["delete-environment", "--uuid", &staging]).success();
    let remaining = broker.get("/environments");
    assert_eq!(
        remaining["_embedded"]["environments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
