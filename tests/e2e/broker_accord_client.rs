//! Accord's own client commands against `accord broker serve`.

use serde_json::Value;

use crate::harness::{Broker, accord, accord_env, fixture, fixtures};

#[test]
fn accord_client_publishes_records_and_describes() {
    let broker = Broker::start();
    let b = broker.url.as_str();

    // Publish a folder: two contracts of one consumer.
    let dir = tempfile::tempdir().unwrap();
    for name in ["web-orders-v3.json", "web-users-v4.json"] {
        std::fs::copy(fixtures().join(name), dir.path().join(name)).unwrap();
    }
    let folder = dir.path().display().to_string();
    let published = accord(&[
        "publish",
        &folder,
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
        "--tag",
        "dev",
        "--build-url",
        "https://ci/1",
        "-b",
        b,
    ])
    .success();
    assert!(
        published
            .stdout
            .contains("Pact between Web (v1.0.0) and Orders published"),
        "{}",
        published.stdout
    );
    assert_eq!(
        broker.get("/pacts/provider/Users/consumer/Web/latest")["interactions"][0]["key"],
        "get-user-7"
    );
    let version = broker.get("/pacticipants/Web/versions/1.0.0");
    assert_eq!(version["_embedded"]["tags"][0]["name"], "dev");
    assert_eq!(version["buildUrl"], "https://ci/1");

    let again = accord(&[
        "publish",
        &fixture("web-orders-v3.json"),
        "-a",
        "1.0.0",
        "--branch",
        "main",
        "-b",
        b,
        "-o",
        "json",
    ])
    .success();
    let answers: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(answers[0]["_embedded"]["version"]["number"], "1.0.0");
    let refused = accord(&[
        "publish",
        &fixture("web-orders-v3-changed.json"),
        "-a",
        "1.0.0",
        "--branch",
        "main",
        "-b",
        b,
    ]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("409"), "{}", refused.stderr);

    // Environments.
    let created = accord(&[
        "environment",
        "create",
        "--name",
        "staging",
        "--display-name",
        "Staging",
        "-b",
        b,
    ])
    .success();
    let staging = broker.environment_uuid("staging");
    assert!(created.stdout.contains(&staging), "{}", created.stdout);
    let listed = accord(&["environment", "list", "-b", b]).success();
    assert!(
        listed.stdout.contains("staging\tStaging"),
        "{}",
        listed.stdout
    );
    let shown = accord(&[
        "environment",
        "show",
        "--name",
        "production",
        "-b",
        b,
        "-o",
        "json",
    ])
    .success();
    assert_eq!(
        serde_json::from_str::<Value>(&shown.stdout).unwrap()["production"],
        true
    );
    assert_eq!(
        accord(&["environment", "show", "--name", "nowhere", "-b", b]).code,
        1
    );
    assert_eq!(
        accord(&["environment", "create", "--name", "bad name", "-b", b]).code,
        2
    );

    // Pacticipants.
    accord(&[
        "pacticipant",
        "create",
        "--name",
        "Web",
        "--main-branch",
        "main",
        "--display-name",
        "Web app",
        "-b",
        b,
    ])
    .success();
    accord(&["pacticipant", "create", "--name", "Billing", "-b", b]).success();
    let list = accord(&["pacticipant", "list", "-b", b]).success();
    assert!(
        list.stdout.contains("Billing") && list.stdout.contains("Web\tWeb app\tmain"),
        "{}",
        list.stdout
    );
    let shown = accord(&["pacticipant", "show", "--name", "Web", "-b", b]).success();
    assert!(shown.stdout.contains("Web app"), "{}", shown.stdout);
    assert_eq!(
        accord(&["pacticipant", "show", "--name", "Nobody", "-b", b]).code,
        1
    );

    // Deployments and releases.
    accord(&[
        "record-deployment",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--environment",
        "staging",
        "-b",
        b,
    ])
    .success();
    accord(&[
        "record-release",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--environment",
        "production",
        "-b",
        b,
    ])
    .success();
    let described = accord(&[
        "version",
        "describe",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "-b",
        b,
    ])
    .success();
    assert!(
        described.stdout.contains("deployed to: staging"),
        "{}",
        described.stdout
    );
    assert!(
        described.stdout.contains("released to: production"),
        "{}",
        described.stdout
    );
    assert!(
        described.stdout.contains("tags:        dev"),
        "{}",
        described.stdout
    );
    let latest = accord(&[
        "version",
        "describe",
        "--pacticipant",
        "Web",
        "--latest",
        "-b",
        b,
        "-o",
        "json",
    ])
    .success();
    assert_eq!(
        serde_json::from_str::<Value>(&latest.stdout).unwrap()["number"],
        "1.0.0"
    );
    let tagged = accord(&[
        "version",
        "describe",
        "--pacticipant",
        "Web",
        "--latest",
        "dev",
        "-b",
        b,
    ])
    .success();
    assert!(
        tagged.stdout.contains("number:      1.0.0"),
        "{}",
        tagged.stdout
    );
    assert_eq!(
        accord(&[
            "version",
            "describe",
            "--pacticipant",
            "Web",
            "--version",
            "9",
            "-b",
            b
        ])
        .code,
        1
    );
    let unknown_env = accord(&[
        "record-deployment",
        "--pacticipant",
        "Web",
        "--version",
        "1.0.0",
        "--environment",
        "mars",
        "-b",
        b,
    ]);
    assert_eq!(unknown_env.code, 2);
    assert!(
        unknown_env.stderr.contains("environment mars not found"),
        "{}",
        unknown_env.stderr
    );

    accord(&[
        "record-undeployment",
        "--pacticipant",
        "Web",
        "--environment",
        "staging",
        "-b",
        b,
    ])
    .success();
    let current = broker.get(&format!(
        "/environments/{staging}/deployed-versions/currently-deployed"
    ));
    assert_eq!(
        current["_embedded"]["deployedVersions"],
        serde_json::json!([])
    );
    let again = accord(&[
        "record-undeployment",
        "--pacticipant",
        "Web",
        "--environment",
        "staging",
        "-b",
        b,
    ]);
    assert_eq!(
        again.code, 1,
        "nothing left to undeploy is a negative answer"
    );
}

#[test]
fn accord_client_authenticates_with_pact_environment_variables() {
    let broker = Broker::start_with(&[
        "--username",
        "admin",
        "--password",
        "s3cret",
        "--read-only-token",
        "reader",
    ]);
    let b = broker.url.as_str();
    let orders = fixture("web-orders-v3.json");
    let publish = [
        "publish",
        orders.as_str(),
        "-a",
        "1",
        "--branch",
        "main",
        "-b",
        b,
    ];

    let anonymous = accord(&publish);
    assert_eq!(anonymous.code, 2);
    assert!(anonymous.stderr.contains("401"), "{}", anonymous.stderr);
    let reader = accord_env(&publish, &[("PACT_BROKER_TOKEN", "reader")]);
    assert_eq!(reader.code, 2);
    assert!(reader.stderr.contains("403"), "{}", reader.stderr);
    accord_env(
        &publish,
        &[
            ("PACT_BROKER_USERNAME", "admin"),
            ("PACT_BROKER_PASSWORD", "s3cret"),
        ],
    )
    .success();
    let listed = accord_env(
        &["pacticipant", "list", "-b", b],
        &[("PACT_BROKER_TOKEN", "reader")],
    )
    .success();
    assert!(listed.stdout.contains("Orders"), "{}", listed.stdout);
}

#[test]
fn broker_warns_when_exposed_without_credentials() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("w.db").display());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "broker",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--database",
            &database,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The warning is printed before the listening line; once stdout has a line, stderr has it.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("without credentials"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn broker_stops_cleanly_on_sigterm() {
    let broker = Broker::start();
    let b = broker.url.clone();
    accord(&["pacticipant", "create", "--name", "Web", "-b", &b]).success();
    let status = broker.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}
