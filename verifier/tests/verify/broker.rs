//! Contracts from a broker: pacts for verification, pending and WIP, publishing results.

use accord_verifier::report::human::HumanReporter;
use accord_verifier::{
    BrokerAuth, BrokerSource, ConsumerVersionSelector, ContractSource, Outcome, Publication,
    PublishOptions, Verdict, Verifier, VerifyOptions,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

const PACT_PATH: &str = "/pacts/provider/orders/consumer/web/pact-version/abc/metadata/m1";
const WIP_PATH: &str = "/pacts/provider/orders/consumer/app/pact-version/def/metadata/m2";

/// A fake broker serving two contracts for `orders`: one from `web` (pending as told) and a
/// WIP one from `app`.
async fn broker(web_pending: bool) -> MockServer {
    let broker = MockServer::start().await;
    let base = broker.uri();
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_links": {
            "pb:provider-pacts-for-verification": {
                "href": format!("{base}/pacts/provider/{{provider}}/for-verification"),
                "templated": true
            }
        }})))
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .and(path("/pacts/provider/orders/for-verification"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_embedded": {"pacts": [
                {
                    "shortDescription": "latest from web's main branch",
                    "verificationProperties": {
                        "pending": web_pending,
                        "notices": [
                            {"when": "before_verification", "text": "web is selected by mainBranch"},
                            {"when": "after_verification:success_true_published_true", "text": "web thanks you"},
                            {"when": "after_verification:success_false_published_true", "text": "web is sad"}
                        ]
                    },
                    "_links": {"self": {"href": format!("{base}{PACT_PATH}"), "name": "web"}}
                },
                {
                    "shortDescription": "work in progress from app",
                    "verificationProperties": {"pending": true, "wip": true, "notices": []},
                    "_links": {"self": {"href": format!("{base}{WIP_PATH}"), "name": "app"}}
                }
            ]},
            "_links": {"self": {"href": format!("{base}/pacts/provider/orders/for-verification")}}
        })))
        .mount(&broker)
        .await;
    for (consumer, pact_path, sha) in [("web", PACT_PATH, "abc"), ("app", WIP_PATH, "def")] {
        let mut document = contract(
            consumer,
            "orders",
            vec![
                http(
                    "get order 1",
                    json!({"method": "GET", "path": "/orders/1"}),
                    json!({"status": 200}),
                ),
                http(
                    &format!("{consumer} wants something new"),
                    json!({"method": "GET", "path": "/new"}),
                    json!({"status": 200}),
                ),
            ],
        );
        document["_links"] = json!({
            "pb:publish-verification-results": {
                "href": format!("{base}/pacts/provider/orders/consumer/{consumer}/pact-version/{sha}/metadata/m/verification-results")
            },
            "pb:provider": {"href": format!("{base}/pacticipants/orders")}
        });
        Mock::given(method("GET"))
            .and(path(pact_path))
            .respond_with(ResponseTemplate::new(200).set_body_json(document))
            .mount(&broker)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/pacticipants/orders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "orders", "_links": {
            "pb:branch-version": {
                "href": format!("{base}/pacticipants/orders/branches/{{branch}}/versions/{{version}}"),
                "templated": true
            },
            "pb:version-tag": {
                "href": format!("{base}/pacticipants/orders/versions/{{version}}/tags/{{tag}}"),
                "templated": true
            }
        }})))
        .mount(&broker)
        .await;
    Mock::given(method("PUT"))
        .and(path("/pacticipants/orders/branches/feat/x/versions/1.0.0"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&broker)
        .await;
    Mock::given(method("PUT"))
        .and(path(
            "/pacticipants/orders/branches/feat%2Fx/versions/1.0.0",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&broker)
        .await;
    Mock::given(method("PUT"))
        .and(path("/pacticipants/orders/versions/1.0.0/tags/prod"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"success": true})))
        .mount(&broker)
        .await;
    broker
}

/// A provider that knows `/orders/1` but nothing new.
async fn provider() -> MockServer {
    let provider = MockServer::start().await;
    Mock::given(path("/orders/1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    provider
}

fn broker_options(broker: &MockServer, provider: &MockServer) -> VerifyOptions {
    VerifyOptions::new(
        vec![ContractSource::Broker(BrokerSource {
            url: broker.uri().parse().unwrap(),
            auth: Some(BrokerAuth::Token("secret".into())),
            provider: "orders".into(),
            selectors: vec![ConsumerVersionSelector {
                main_branch: Some(true),
                ..ConsumerVersionSelector::default()
            }],
            enable_pending: true,
            include_wip_since: Some("2026-01-01".into()),
            provider_branch: Some("feat/x".into()),
            provider_tags: Vec::new(),
        })],
        provider.uri().parse().unwrap(),
    )
}

async fn requests(broker: &MockServer) -> Vec<(String, String, Value)> {
    broker
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let body = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
            (r.method.to_string(), r.url.path().to_owned(), body)
        })
        .collect()
}

#[tokio::test]
async fn pending_and_wip_failures_are_reported_but_do_not_fail_the_run() {
    let broker = broker(true).await;
    let provider = provider().await;
    let results = verify(broker_options(&broker, &provider)).await;

    let requests = requests(&broker).await;
    let (_, _, query) = requests
        .iter()
        .find(|(m, p, _)| m == "POST" && p.ends_with("/for-verification"))
        .unwrap();
    assert_eq!(
        query,
        &json!({
            "consumerVersionSelectors": [{"mainBranch": true}],
            "includePendingStatus": true,
            "includeWipPactsSince": "2026-01-01",
            "providerVersionBranch": "feat/x"
        })
    );
    let auth = broker.received_requests().await.unwrap()[0]
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(auth.as_deref(), Some("Bearer secret"));

    assert_eq!(results.contracts.len(), 2);
    let web = &results.contracts[0];
    assert!(web.info.pending && !web.info.wip);
    assert_eq!(web.info.notices, ["web is selected by mainBranch"]);
    let app = &results.contracts[1];
    assert!(app.info.pending && app.info.wip);
    for contract in &results.contracts {
        assert!(contract.interactions[0].outcome.is_passed());
        assert!(matches!(
            contract.interactions[1].outcome,
            Outcome::Failed(_)
        ));
        assert!(contract.interactions[1].pending);
    }
    let summary = results.summary();
    assert_eq!(
        (summary.passed, summary.failed, summary.pending_failed),
        (2, 0, 2)
    );
    assert_eq!(results.verdict(), Verdict::Passed);
}

#[tokio::test]
async fn a_failure_of_a_contract_that_is_not_pending_fails_the_run() {
    let broker = broker(false).await;
    let provider = provider().await;
    let results = verify(broker_options(&broker, &provider)).await;
    assert_eq!(results.summary().failed, 1);
    assert_eq!(results.summary().pending_failed, 1);
    assert_eq!(results.verdict(), Verdict::Failed);
}

#[tokio::test]
async fn publishing_sets_the_branch_then_posts_each_result() {
    let broker = broker(false).await;
    let provider = provider().await;
    let mut options = broker_options(&broker, &provider);
    options.publish = Some(PublishOptions {
        provider_version: "1.0.0".into(),
        provider_branch: Some("feat/x".into()),
        provider_tags: vec!["prod".into()],
        build_url: Some("http://ci/build/9".into()),
    });
    let report = Log::default();
    let mut reporter = HumanReporter::new(Box::new(LogWriter(report.clone())), false);
    let results = Verifier::new(options)
        .unwrap()
        .verify(&mut reporter)
        .await
        .unwrap();
    let report = report.lines().concat();
    assert!(report.contains("notice: web is sad"), "{report}");
    assert!(!report.contains("web thanks you"), "{report}");
    assert!(report.contains("results published to"), "{report}");
    for contract in &results.contracts {
        assert!(
            matches!(contract.publication, Some(Publication::Published { .. })),
            "{:?}",
            contract.publication
        );
    }

    let requests = requests(&broker).await;
    let writes: Vec<(String, String)> = requests
        .iter()
        .filter(|(m, p, _)| m != "GET" && !p.ends_with("/for-verification"))
        .map(|(m, p, _)| (m.clone(), p.clone()))
        .collect();
    assert_eq!(
        writes,
        [
            ("PUT".to_owned(), "/pacticipants/orders/branches/feat%2Fx/versions/1.0.0".to_owned()),
            ("PUT".to_owned(), "/pacticipants/orders/versions/1.0.0/tags/prod".to_owned()),
            (
                "POST".to_owned(),
                "/pacts/provider/orders/consumer/web/pact-version/abc/metadata/m/verification-results"
                    .to_owned()
            ),
            (
                "POST".to_owned(),
                "/pacts/provider/orders/consumer/app/pact-version/def/metadata/m/verification-results"
                    .to_owned()
            ),
        ]
    );
    let (_, _, web_result) = requests
        .iter()
        .find(|(_, p, _)| p.contains("/web/") && p.ends_with("verification-results"))
        .unwrap();
    assert_eq!(web_result["success"], false);
    assert_eq!(web_result["providerApplicationVersion"], "1.0.0");
    assert_eq!(web_result["buildUrl"], "http://ci/build/9");
    assert_eq!(web_result["verifiedBy"]["implementation"], "Accord");
    let tests = web_result["testResults"].as_array().unwrap();
    assert_eq!(tests.len(), 2);
    assert_eq!(tests[0]["interactionDescription"], "get order 1");
    assert_eq!(tests[0]["success"], true);
    assert_eq!(
        tests[1]["interactionDescription"],
        "web wants something new"
    );
    assert_eq!(tests[1]["success"], false);
    assert_eq!(tests[1]["mismatches"][0]["category"], "status");
}

#[tokio::test]
async fn a_contract_url_from_the_broker_can_be_verified_and_published() {
    let broker = broker(false).await;
    let provider = provider().await;
    let mut options = VerifyOptions::new(
        vec![ContractSource::Url {
            url: format!("{}{PACT_PATH}", broker.uri()).parse().unwrap(),
            auth: Some(BrokerAuth::Basic {
                username: "ci".into(),
                password: Some("pw".into()),
            }),
        }],
        provider.uri().parse().unwrap(),
    );
    options.publish = Some(PublishOptions {
        provider_version: "2.0.0".into(),
        provider_branch: None,
        provider_tags: Vec::new(),
        build_url: None,
    });
    let results = verify(options.clone()).await;
    assert_eq!(results.verdict(), Verdict::Failed);
    assert_eq!(results.contracts[0].interactions.len(), 2);
    let requests = broker.received_requests().await.unwrap();
    assert_eq!(
        requests[0]
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap(),
        "Basic Y2k6cHc="
    );
    let posted: Vec<Value> = requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0]["success"], false);
    assert_eq!(posted[0]["providerApplicationVersion"], "2.0.0");
    assert_eq!(posted[0]["testResults"].as_array().unwrap().len(), 2);

    // Verifying only some interactions says nothing about the whole contract: no result.
    options.filter.description = Some(accord_verifier::Regex::new("order 1").unwrap());
    let results = verify(options).await;
    assert_eq!(results.verdict(), Verdict::Passed);
    assert!(matches!(
        results.contracts[0].publication,
        Some(Publication::Filtered)
    ));
    let posts = broker
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .count();
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn brokers_without_pacts_for_verification_give_their_latest_pacts() {
    let broker = MockServer::start().await;
    let base = broker.uri();
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_links": {
            "pb:latest-provider-pacts": {
                "href": format!("{base}/pacts/provider/{{provider}}/latest"),
                "templated": true
            }
        }})))
        .mount(&broker)
        .await;
    Mock::given(method("GET"))
        .and(path("/pacts/provider/orders/latest"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_links": {
            "pb:pacts": [{"href": format!("{base}/pact/web"), "name": "web"}]
        }})))
        .mount(&broker)
        .await;
    let document = contract(
        "web",
        "orders",
        vec![http(
            "get order 1",
            json!({"method": "GET", "path": "/orders/1"}),
            json!({"status": 200}),
        )],
    );
    Mock::given(method("GET"))
        .and(path("/pact/web"))
        .respond_with(ResponseTemplate::new(200).set_body_json(document))
        .mount(&broker)
        .await;
    let provider = provider().await;
    let mut options = broker_options(&broker, &provider);
    options.publish = None;
    let results = verify(options).await;
    assert_eq!(results.contracts.len(), 1);
    assert_eq!(results.contracts[0].info.consumer, "web");
    assert_eq!(results.verdict(), Verdict::Passed);
}
