//! Coupling findings and deployment planning through the real broker: contracts published with
//! `accord publish`, results posted to the broker's verification URLs, deployments recorded
//! with `accord record-deployment`, then `accord graph` and `accord plan` asked.
//!
//! The estate (environment `production`, everything on branch `main`):
//!
//! - a provider-first chain: shop 2 relies on a field only stock 2 provides (stock 1 never
//!   verified shop 2's pact); stock 2 still passes shop 1's pact;
//! - a true lockstep pair: web 2's pact passes only accounts 2, and accounts 2 fails the pact of
//!   web 1, which is in production;
//! - a cycle of three: alpha calls beta, beta calls gamma (HTTP), gamma consumes alpha's events
//!   (a message contract), all in production;
//! - reports and audit, unrelated by contracts, deployed together three times.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Broker, Run, accord};

struct Estate {
    broker: Broker,
    dir: tempfile::TempDir,
}

impl Estate {
    fn new() -> Self {
        Self {
            broker: Broker::start(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn url(&self) -> &str {
        &self.broker.url
    }

    /// Writes a contract file: HTTP interactions reading `fields` from `GET /{provider}`, or
    /// one message whose contents hold `fields`.
    fn contract(&self, consumer: &str, provider: &str, fields: &[&str], message: bool) -> String {
        let body: serde_json::Map<String, Value> = fields
            .iter()
            .map(|f| ((*f).to_owned(), json!("x")))
            .collect();
        let document = if message {
            json!({
                "consumer": { "name": consumer },
                "provider": { "name": provider },
                "messages": [{ "description": format!("{provider} changed"), "contents": body }],
                "metadata": { "pactSpecification": { "version": "3.0.0" } }
            })
        } else {
            json!({
                "consumer": { "name": consumer },
                "provider": { "name": provider },
                "interactions": [{
                    "description": format!("a request to {provider}"),
                    "request": { "method": "GET", "path": format!("/{provider}/42") },
                    "response": { "status": 200, "body": body }
                }],
                "metadata": { "pactSpecification": { "version": "3.0.0" } }
            })
        };
        let path = self
            .dir
            .path()
            .join(format!("{consumer}-{provider}-{}.json", fields.join("-")));
        std::fs::write(&path, document.to_string()).unwrap();
        path.display().to_string()
    }

    fn publish(&self, version: &str, files: &[String]) {
        let mut args = vec!["publish"];
        args.extend(files.iter().map(String::as_str));
        args.extend([
            "--consumer-app-version",
            version,
            "--branch",
            "main",
            "--broker-url",
            self.url(),
        ]);
        accord(&args).success();
    }

    /// Puts a version on the main branch (as a provider's build does).
    fn build(&self, pacticipant: &str, version: &str) {
        self.broker.send_json(
            Method::PUT,
            &format!("/pacticipants/{pacticipant}/branches/main/versions/{version}"),
            &json!({}),
        );
    }

    fn verify(&self, provider: &str, version: &str, consumer: &str, cv: &str, success: bool) {
        let pact = self.broker.get(&format!(
            "/pacts/provider/{provider}/consumer/{consumer}/version/{cv}"
        ));
        let href = pact["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap()
            .to_owned();
        self.broker.send_json(
            Method::POST,
            &href,
            &json!({ "success": success, "providerApplicationVersion": version }),
        );
    }

    fn deploy(&self, pacticipant: &str, version: &str) {
        accord(&[
            "record-deployment",
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

    fn create() -> Self {
        let e = Self::new();
        // Provider first: stock 2 adds `price`, which shop 2 relies on.
        e.build("stock", "1");
        e.publish("1", &[e.contract("shop", "stock", &["name"], false)]);
        e.verify("stock", "1", "shop", "1", true);
        e.deploy("stock", "1");
        e.deploy("shop", "1");
        e.build("stock", "2");
        e.verify("stock", "2", "shop", "1", true);
        e.publish(
            "2",
            &[e.contract("shop", "stock", &["name", "price"], false)],
        );
        e.verify("stock", "2", "shop", "2", true);

        // Lockstep: accounts 2 renames `login` to `user`, web 2 reads `user`.
        e.build("accounts", "1");
        e.publish("1", &[e.contract("web", "accounts", &["login"], false)]);
        e.verify("accounts", "1", "web", "1", true);
        e.deploy("accounts", "1");
        e.deploy("web", "1");
        e.build("accounts", "2");
        e.verify("accounts", "2", "web", "1", false);
        e.publish("2", &[e.contract("web", "accounts", &["user"], false)]);
        e.verify("accounts", "2", "web", "2", true);

        // A cycle of three, closed by a message contract.
        for (consumer, provider, message) in [
            ("alpha", "beta", false),
            ("beta", "gamma", false),
            ("gamma", "alpha", true),
        ] {
            let file = e.contract(consumer, provider, &["id", "state"], message);
            e.publish("1", &[file]);
        }
        for (provider, consumer) in [("beta", "alpha"), ("gamma", "beta"), ("alpha", "gamma")] {
            e.verify(provider, "1", consumer, "1", true);
        }
        for service in ["alpha", "beta", "gamma"] {
            e.deploy(service, "1");
        }

        // Deployed together, every time.
        for version in ["1", "2", "3"] {
            for service in ["reports", "audit"] {
                e.build(service, version);
                e.deploy(service, version);
            }
        }
        e
    }

    fn plan(&self, changes: &[(&str, &str)], extra: &[&str]) -> (Run, Value) {
        let mut args = vec!["plan"];
        for (pacticipant, version) in changes {
            args.extend(["--pacticipant", pacticipant, "--version", version]);
        }
        args.extend(["--to-environment", "production", "--output", "json"]);
        args.extend(extra);
        args.extend(["--broker-url", self.url()]);
        let run = accord(&args);
        let json = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
        (run, json)
    }
}

fn names(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn deployed(step: &Value) -> Vec<String> {
    step["deploy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v["pacticipant"].as_str().unwrap(),
                v["version"].as_str().unwrap()
            )
        })
        .collect()
}

fn findings<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["type"] == kind)
        .collect()
}

#[test]
fn graph_and_plan_find_the_distributed_monolith() {
    let e = Estate::create();

    // --- accord graph ---------------------------------------------------------------------
    let run = accord(&[
        "graph",
        "--environment",
        "production",
        "--format",
        "json",
        "--broker-url",
        e.url(),
    ])
    .success();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();

    let edges: Vec<(String, String, String)> = report["graph"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["consumer"].as_str().unwrap().to_owned(),
                e["provider"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let edge = |c: &str, p: &str, k: &str| (c.to_owned(), p.to_owned(), k.to_owned());
    assert_eq!(
        edges,
        [
            edge("alpha", "beta", "http"),
            edge("beta", "gamma", "http"),
            edge("gamma", "alpha", "message"),
            edge("shop", "stock", "http"),
            edge("web", "accounts", "http"),
        ],
        "the graph of production is built from the deployed versions' contracts"
    );
    let shop_stock = &report["graph"]["edges"][3];
    assert_eq!(shop_stock["fields"], 1, "shop 1 reads only `name`");

    let cycles = findings(&report, "cycle");
    assert_eq!(cycles.len(), 1, "{report:#}");
    assert_eq!(names(&cycles[0]["services"]), ["alpha", "beta", "gamma"]);
    assert_eq!(
        names(&cycles[0]["path"]),
        ["alpha", "beta", "gamma", "alpha"]
    );
    assert_eq!(cycles[0]["throughMessages"], true);

    let lockstep = findings(&report, "lockstep");
    assert_eq!(
        lockstep.len(),
        1,
        "only web/accounts is lockstep: {report:#}"
    );
    assert_eq!(names(&lockstep[0]["services"]), ["accounts", "web"]);
    let alone = lockstep[0]["alone"].as_array().unwrap();
    assert_eq!(alone.len(), 2);
    assert_eq!(alone[0]["pacticipant"], "accounts");
    assert_eq!(alone[0]["blockingRows"][0]["consumer"], "web");
    assert_eq!(alone[0]["blockingRows"][0]["consumerVersion"], "1");
    assert_eq!(alone[0]["blockingRows"][0]["status"], "failed");
    assert_eq!(alone[1]["pacticipant"], "web");
    assert_eq!(alone[1]["blockingRows"][0]["providerVersion"], "1");

    let co = findings(&report, "coDeployment");
    assert_eq!(co.len(), 1, "{report:#}");
    assert_eq!(names(&co[0]["services"]), ["audit", "reports"]);
    assert_eq!(co[0]["coDeployed"], 3);
    assert_eq!(co[0]["ratio"], 1.0);

    // The text and the diagrams say the same.
    let text = accord(&["graph", "--environment", "production", "-b", e.url()])
        .success()
        .stdout;
    assert!(text.contains("gamma -> alpha: message"), "{text}");
    assert!(text.contains("cycle [alpha, beta, gamma]"), "{text}");
    assert!(text.contains("lockstep [accounts, web]"), "{text}");
    let dot = accord(&[
        "graph",
        "--environment",
        "production",
        "--format",
        "dot",
        "-b",
        e.url(),
    ])
    .success()
    .stdout;
    assert!(
        dot.contains("\"gamma\" -> \"alpha\" [label=\"message (2 fields)\", color=red"),
        "{dot}"
    );
    assert!(
        dot.contains("\"shop\" -> \"stock\" [label=\"HTTP (1 fields)\"];"),
        "{dot}"
    );

    // Without an environment: every main-branch head; shop 2 now reads two fields.
    let run = accord(&["graph", "--format", "json", "-b", e.url()]).success();
    let heads: Value = serde_json::from_str(&run.stdout).unwrap();
    let shop_stock = heads["graph"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["consumer"] == "shop")
        .unwrap();
    assert_eq!(shop_stock["fields"], 2);
    assert_eq!(findings(&heads, "lockstep").len(), 0);

    // --- accord plan ----------------------------------------------------------------------
    let (run, plan) = e.plan(&[("shop", "2"), ("stock", "2")], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(plan["outcome"], "sequential");
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(deployed(&steps[0]), ["stock 2"]);
    assert_eq!(deployed(&steps[1]), ["shop 2"]);
    assert_eq!(steps[1]["after"][0]["pacticipant"], "stock");

    let (run, plan) = e.plan(
        &[
            ("shop", "2"),
            ("stock", "2"),
            ("web", "2"),
            ("accounts", "2"),
        ],
        &[],
    );
    assert_eq!(run.code, 1, "a group must ship together");
    assert_eq!(plan["outcome"], "needsGroups");
    let steps = plan["steps"].as_array().unwrap();
    let order: Vec<Vec<String>> = steps.iter().map(deployed).collect();
    assert_eq!(
        order,
        [
            vec!["stock 2".to_owned()],
            vec!["shop 2".to_owned()],
            vec!["web 2".to_owned(), "accounts 2".to_owned()],
        ]
    );
    let together = plan["mustShipTogether"].as_array().unwrap();
    assert_eq!(together.len(), 1);
    // In the order the changes were given.
    assert_eq!(names(&together[0]["services"]), ["web", "accounts"]);
    let forcing: Vec<(&str, &str)> = together[0]["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["consumerVersion"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(forcing.contains(&("1", "failed")), "{forcing:?}");
    assert!(forcing.contains(&("2", "unknown")), "{forcing:?}");

    // shop 2 alone is blocked by stock 1 until stock is ignored.
    let (run, plan) = e.plan(&[("shop", "2")], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(plan["outcome"], "blocked");
    assert_eq!(plan["blocked"][0]["pacticipant"], "shop");
    assert_eq!(plan["blockingRows"][0]["provider"], "stock");
    let (run, plan) = e.plan(&[("shop", "2")], &["--ignore", "stock"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(plan["outcome"], "sequential");

    // The table form, and errors from the broker.
    let table = accord(&[
        "plan",
        "-a",
        "shop",
        "-e",
        "2",
        "-a",
        "stock",
        "-e",
        "2",
        "--to-environment",
        "production",
        "-b",
        e.url(),
    ])
    .success()
    .stdout;
    assert!(
        table
            .contains("  1. deploy stock 2\n  2. deploy shop 2\n       after shop 2 needs stock 2"),
        "{table}"
    );
    let unknown = accord(&[
        "plan",
        "-a",
        "shop",
        "-e",
        "9",
        "--to-environment",
        "production",
        "-b",
        e.url(),
    ]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    let unknown = accord(&["graph", "--environment", "moon", "-b", e.url()]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("moon"), "{}", unknown.stderr);
}
