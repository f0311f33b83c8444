//! can-i-deploy through the real broker: contracts published with `accord publish`, results
//! posted to the broker's verification URL, deployments and releases recorded with `accord`,
//! and every question asked both with `accord can-i-deploy` and with Pact's own
//! `pact-broker can-i-deploy`, which must agree (exit code and `deployable`).

use std::path::Path;

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Broker, Run, accord, pact_broker, pact_broker_cli};

/// A contract file from `consumer` to `provider`; `variant` changes the content.
fn contract_file(dir: &Path, consumer: &str, provider: &str, variant: &str) -> String {
    let path = dir.join(format!("{consumer}-{provider}-{variant}.json"));
    let document = json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": [{
            "description": format!("a request for {variant}"),
            "request": { "method": "GET", "path": format!("/things/{variant}") },
            "response": { "status": 200, "body": { "name": variant } }
        }],
        "metadata": { "pactSpecification": { "version": "3.0.0" } }
    });
    std::fs::write(&path, document.to_string()).unwrap();
    path.display().to_string()
}

struct World {
    broker: Broker,
    dir: tempfile::TempDir,
    pact: Option<std::path::PathBuf>,
}

impl World {
    fn new() -> Self {
        Self {
            broker: Broker::start(),
            dir: tempfile::tempdir().unwrap(),
            pact: pact_broker_cli(),
        }
    }

    fn url(&self) -> &str {
        &self.broker.url
    }

    /// `consumer` version `version` publishes one contract per (provider, variant).
    fn publish(&self, consumer: &str, version: &str, contracts: &[(&str, &str)]) {
        let files: Vec<String> = contracts
            .iter()
            .map(|(provider, variant)| contract_file(self.dir.path(), consumer, provider, variant))
            .collect();
        let mut args = vec!["publish"];
        args.extend(files.iter().map(String::as_str));
        args.extend([
            "--consumer-app-version",
            version,
            "--branch",
            "main",
            "-b",
            self.url(),
        ]);
        accord(&args).success();
    }

    /// `provider` version `version` publishes a result for `consumer` version's pact.
    fn verify(&self, provider: &str, version: &str, consumer: &str, cv: &str, success: bool) {
        let result = json!({ "success": success, "providerApplicationVersion": version });
        self.post_result(provider, consumer, cv, &result);
    }

    /// Posts a verification result body for `consumer` version `cv`'s pact with `provider`.
    fn post_result(&self, provider: &str, consumer: &str, cv: &str, result: &Value) {
        let pact = self.broker.get(&format!(
            "/pacts/provider/{provider}/consumer/{consumer}/version/{cv}"
        ));
        let href = pact["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap()
            .to_owned();
        self.broker.send_json(Method::POST, &href, result);
    }

    /// Creates the version (as a provider build would when it is tested).
    fn version(&self, pacticipant: &str, version: &str) {
        self.broker.send_json(
            Method::PUT,
            &format!("/pacticipants/{pacticipant}/versions/{version}"),
            &json!({}),
        );
    }

    fn deploy(&self, pacticipant: &str, version: &str, instance: Option<&str>) {
        self.version(pacticipant, version);
        let mut args = vec![
            "record-deployment",
            "--pacticipant",
            pacticipant,
            "--version",
            version,
            "--environment",
            "production",
            "-b",
            self.url(),
        ];
        if let Some(instance) = instance {
            args.extend(["--application-instance", instance]);
        }
        accord(&args).success();
    }

    fn release(&self, pacticipant: &str, version: &str) {
        self.version(pacticipant, version);
        accord(&[
            "record-release",
            "--pacticipant",
            pacticipant,
            "--version",
            version,
            "--environment",
            "production",
            "-b",
            self.url(),
        ])
        .success();
    }

    fn end_support(&self, pacticipant: &str, version: &str) {
        let environment = self.broker.environment_uuid("production");
        let list = self.broker.get(&format!(
            "/environments/{environment}/released-versions/currently-supported?pacticipant={pacticipant}"
        ));
        let entry = list["_embedded"]["releasedVersions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["_embedded"]["version"]["number"] == version)
            .unwrap_or_else(|| panic!("{pacticipant} {version} is not released: {list}"))
            .clone();
        let href = entry["_links"]["self"]["href"].as_str().unwrap();
        self.broker
            .send_json(Method::PATCH, href, &json!({ "currentlySupported": false }));
    }

    /// Asks both clients whether `pacticipant` `version` may go to production; both must
    /// give `expected` (exit code 0 and `deployable: true` for yes, 1 otherwise).
    #[track_caller]
    fn check(&self, pacticipant: &str, version: &str, expected: Option<bool>, why: &str) {
        self.check_with(&[], pacticipant, version, expected, why);
    }

    /// [`World::check`] with extra arguments after the question (e.g. `--ignore`).
    #[track_caller]
    fn check_with(
        &self,
        extra: &[&str],
        pacticipant: &str,
        version: &str,
        expected: Option<bool>,
        why: &str,
    ) {
        let mut args = vec![
            "can-i-deploy",
            "--pacticipant",
            pacticipant,
            "--version",
            version,
            "--to-environment",
            "production",
        ];
        args.extend(extra);
        let expected_code = if expected == Some(true) { 0 } else { 1 };
        let ours = accord(&[&args[..], &["-o", "json", "-b", self.url()]].concat());
        assert_eq!(
            ours.code, expected_code,
            "accord, {why}: {}{}",
            ours.stdout, ours.stderr
        );
        assert_eq!(
            deployable(&ours),
            expected,
            "accord, {why}: {}",
            ours.stdout
        );
        let table = accord(&[&args[..], &["-b", self.url()]].concat());
        assert_eq!(
            table.code, expected_code,
            "accord table, {why}: {}",
            table.stdout
        );
        assert!(
            table.stdout.contains(if expected == Some(true) {
                "Computer says yes"
            } else {
                "Computer says no"
            }),
            "{why}: {}",
            table.stdout
        );
        if let Some(cli) = &self.pact {
            // pact-broker-cli 0.9.0 exits 0 whenever it prints JSON, so its exit code is
            // compared in table mode and `deployable` in JSON mode.
            let theirs = pact_broker(cli, &self.broker, &args);
            assert_eq!(
                theirs.code, expected_code,
                "pact-broker, {why}: {}{}",
                theirs.stdout, theirs.stderr
            );
            let theirs = pact_broker(
                cli,
                &self.broker,
                &[&args[..], &["--output", "json"]].concat(),
            );
            assert_eq!(
                deployable(&theirs),
                expected,
                "pact-broker, {why}: {}",
                theirs.stdout
            );
        }
    }
}

/// `summary.deployable` of a JSON answer printed on stdout.
fn deployable(run: &Run) -> Option<bool> {
    let start = run
        .stdout
        .find('{')
        .unwrap_or_else(|| panic!("no JSON in {}", run.stdout));
    let body: Value = serde_json::from_str(&run.stdout[start..])
        .unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    body["summary"]["deployable"].as_bool()
}

#[test]
fn provider_deployed_at_two_versions_in_one_environment() {
    let w = World::new();
    w.publish("Shop", "1", &[("Stock", "a")]);
    w.deploy("Stock", "10", None);
    w.verify("Stock", "10", "Shop", "1", true);
    w.deploy("Stock", "11", Some("eu"));
    w.check(
        "Shop",
        "1",
        None,
        "Stock 11 (second instance) has not verified Shop 1",
    );
    w.verify("Stock", "11", "Shop", "1", false);
    w.check("Shop", "1", Some(false), "Stock 11 failed Shop 1");
    w.verify("Stock", "11", "Shop", "1", true);
    w.check(
        "Shop",
        "1",
        Some(true),
        "both versions of Stock in production passed",
    );
}

#[test]
fn consumer_that_dropped_an_integration() {
    let w = World::new();
    w.publish("Mobile", "1", &[("Search", "a"), ("Profile", "a")]);
    w.publish("Mobile", "2", &[("Profile", "b")]);
    w.deploy("Mobile", "1", None);
    w.version("Search", "7");
    w.check(
        "Search",
        "7",
        None,
        "Mobile 1 in production needs Search and nothing verified",
    );
    w.deploy("Mobile", "2", None);
    w.check("Search", "7", Some(true), "Mobile 2 no longer uses Search");
}

#[test]
fn identical_content_republished_by_a_new_consumer_version() {
    let w = World::new();
    w.publish("Front", "1", &[("Billing", "same")]);
    w.verify("Billing", "3", "Front", "1", true);
    w.deploy("Billing", "3", None);
    w.publish("Front", "2", &[("Billing", "same")]);
    w.check(
        "Front",
        "2",
        Some(true),
        "Front 2 published content Billing 3 verified",
    );
    w.publish("Front", "3", &[("Billing", "changed")]);
    w.check("Front", "3", None, "Front 3 changed its contract");
}

#[test]
fn failed_then_fixed_verification() {
    let w = World::new();
    w.publish("Checkout", "1", &[("Payments", "a")]);
    w.deploy("Payments", "5", None);
    w.verify("Payments", "5", "Checkout", "1", false);
    w.check("Checkout", "1", Some(false), "Payments 5 failed Checkout 1");
    w.check_with(
        &["--ignore", "Payments"],
        "Checkout",
        "1",
        Some(true),
        "the failing Payments row is ignored",
    );
    w.check_with(
        &["--ignore", "Payments", "--version", "4"],
        "Checkout",
        "1",
        Some(false),
        "only Payments 4 is ignored, and 5 fails",
    );
    w.verify("Payments", "5", "Checkout", "1", true);
    w.check(
        "Checkout",
        "1",
        Some(true),
        "the latest result of Payments 5 passes",
    );
}

#[test]
fn released_version_no_longer_supported() {
    let w = World::new();
    w.publish("Portal", "1", &[("Api", "a")]);
    w.release("Api", "1");
    w.release("Api", "2");
    w.verify("Api", "1", "Portal", "1", false);
    w.verify("Api", "2", "Portal", "1", true);
    w.check(
        "Portal",
        "1",
        Some(false),
        "Api 1 is still supported and fails",
    );
    w.end_support("Api", "1");
    w.check("Portal", "1", Some(true), "only Api 2 is supported");
}

#[test]
fn failed_verification_names_the_failing_interaction() {
    let w = World::new();
    w.publish("Basket", "1", &[("Prices", "discount")]);
    w.deploy("Prices", "4", None);
    let result = json!({
        "success": false,
        "providerApplicationVersion": "4",
        "testResults": [{
            "interactionId": "0",
            "interactionDescription": "a request for discount",
            "success": false,
            "mismatches": [{ "category": "body", "message": "$.name: expected \"discount\", got null" }]
        }]
    });
    w.post_result("Prices", "Basket", "1", &result);
    w.check("Basket", "1", Some(false), "Prices 4 failed Basket 1");
    let args = [
        "can-i-deploy",
        "--pacticipant",
        "Basket",
        "--version",
        "1",
        "--to-environment",
        "production",
        "-b",
        w.url(),
    ];
    let table = accord(&args);
    assert_eq!(table.code, 1, "{}{}", table.stdout, table.stderr);
    assert!(
        table.stdout.contains(
            "    failed interaction: \"a request for discount\"\n      - $.name: expected"
        ),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("failed (failing interaction: \"a request for discount\")"),
        "{}",
        table.stdout
    );
    let json_run = accord(&[&args[..], &["-o", "json"]].concat());
    let start = json_run.stdout.find('{').unwrap();
    let body: Value = serde_json::from_str(&json_run.stdout[start..]).unwrap();
    let failed = &body["matrix"][0]["verificationResult"]["failedInteractions"];
    assert_eq!(failed[0]["description"], "a request for discount", "{body}");
}
