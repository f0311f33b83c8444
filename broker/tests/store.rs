//! The store suite: every test body runs on SQLite (a temp file) and on PostgreSQL (a fresh
//! database per test, created from `ACCORD_TEST_POSTGRES_URL` and dropped afterwards).
//!
//! Without `ACCORD_TEST_POSTGRES_URL` the PostgreSQL half is skipped with a note, unless `CI`
//! is set, in which case it fails.

use accord_broker::domain::content;
use accord_broker::store::{
    ContractOutcome, ContractToPublish, EnvironmentFields, NewVerification, PactFilter,
    PactSelector, PacticipantFields, PostgresStore, Publication, SqliteStore, Store, StoreError,
    UpdateMode,
};
use serde_json::json;

mod support;

use support::TestDatabase;

/// Runs the generic async test function of the same name on both backends.
macro_rules! store_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("store.db").display());
                let store = super::SqliteStore::connect(&url).await.unwrap();
                super::$name(store).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = super::TestDatabase::create().await else {
                    return;
                };
                let store = super::PostgresStore::connect(&db.url).await.unwrap();
                super::$name(store).await;
                drop(db);
            }
        }
    };
}

fn pact(consumer: &str, provider: &str, description: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": [{ "description": description, "request": { "method": "GET", "path": "/" }, "response": { "status": 200 } }],
        "metadata": { "pactSpecification": { "version": "3.0.0" } }
    }))
    .unwrap()
}

fn contract(provider: &str, bytes: Vec<u8>) -> ContractToPublish {
    let (content, _) = content::parse(bytes).unwrap();
    ContractToPublish {
        provider: provider.to_owned(),
        content,
    }
}

fn publication(version: &str, contracts: Vec<ContractToPublish>) -> Publication {
    Publication {
        pacticipant: "Web".to_owned(),
        version: version.to_owned(),
        branch: Some("main".to_owned()),
        tags: vec!["dev".to_owned()],
        build_url: Some("https://ci/1".to_owned()),
        contracts,
        allow_modification: false,
    }
}

fn is_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::NotFound { .. }))
}

fn is_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::Conflict { .. }))
}

async fn pacticipants_are_created_updated_and_deleted<S: Store>(store: S) {
    let fields = PacticipantFields {
        display_name: Some("Web app".into()),
        ..Default::default()
    };
    let created = store.create_pacticipant("Web", fields).await.unwrap();
    assert_eq!(created.display_name.as_deref(), Some("Web app"));
    assert!(is_conflict(
        store
            .create_pacticipant("Web", PacticipantFields::default())
            .await
    ));

    let patch = PacticipantFields {
        main_branch: Some("trunk".into()),
        ..Default::default()
    };
    let (merged, was_created) = store
        .update_pacticipant("Web", patch, UpdateMode::Merge)
        .await
        .unwrap();
    assert!(!was_created);
    assert_eq!(merged.display_name.as_deref(), Some("Web app"));
    assert_eq!(merged.main_branch.as_deref(), Some("trunk"));

    let replace = PacticipantFields {
        repository_url: Some("https://git/web".into()),
        ..Default::default()
    };
    let (replaced, _) = store
        .update_pacticipant("Web", replace, UpdateMode::Replace)
        .await
        .unwrap();
    assert_eq!(replaced.display_name, None);
    assert_eq!(replaced.repository_url.as_deref(), Some("https://git/web"));

    let (_, created) = store
        .update_pacticipant("Api", PacticipantFields::default(), UpdateMode::Merge)
        .await
        .unwrap();
    assert!(created);
    let names: Vec<String> = store
        .pacticipants()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Api", "Web"]);

    store.delete_pacticipant("Web").await.unwrap();
    assert!(is_not_found(store.pacticipant("Web").await));
    assert!(is_not_found(store.delete_pacticipant("Web").await));
}
store_test!(pacticipants_are_created_updated_and_deleted);

async fn publishing_stores_everything_and_is_idempotent<S: Store>(store: S) {
    let orders = pact("Web", "Orders", "get order");
    let result = store
        .publish_contracts(publication(
            "1.0.0",
            vec![
                contract("Orders", orders.clone()),
                contract("Users", pact("Web", "Users", "get user")),
            ],
        ))
        .await
        .unwrap();
    assert!(result.version_created);
    assert_eq!(
        result.pacticipant.main_branch.as_deref(),
        Some("main"),
        "main branch auto-detected"
    );
    assert!(
        result
            .contracts
            .iter()
            .all(|(_, outcome)| *outcome == ContractOutcome::Created)
    );

    let detail = store.version("Web", "1.0.0").await.unwrap();
    assert_eq!(detail.version.build_url.as_deref(), Some("https://ci/1"));
    assert_eq!(
        detail
            .branches
            .iter()
            .map(|b| b.branch_name.as_str())
            .collect::<Vec<_>>(),
        ["main"]
    );
    assert_eq!(
        detail
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["dev"]
    );
    store.pacticipant("Orders").await.unwrap();

    // The same content, formatted differently: nothing changes.
    let value: serde_json::Value = serde_json::from_slice(&orders).unwrap();
    let compact = serde_json::to_vec(&value).unwrap();
    let again = store
        .publish_contracts(publication("1.0.0", vec![contract("Orders", compact)]))
        .await
        .unwrap();
    assert!(!again.version_created);
    assert_eq!(again.contracts[0].1, ContractOutcome::Unchanged);

    // The original bytes are kept and served.
    let (row, bytes) = store
        .pact("Orders", "Web", PactSelector::Version("1.0.0".into()))
        .await
        .unwrap();
    assert_eq!(bytes, orders);
    assert_eq!(row.sha, content::parse(orders.clone()).unwrap().0.sha);
    for selector in [
        PactSelector::Latest,
        PactSelector::LatestTagged("dev".into()),
        PactSelector::LatestOnBranch("main".into()),
        PactSelector::Sha(row.sha.clone()),
    ] {
        let (found, _) = store.pact("Orders", "Web", selector.clone()).await.unwrap();
        assert_eq!(found.consumer_version_number, "1.0.0", "{selector:?}");
    }
    assert!(is_not_found(
        store
            .pact("Orders", "Web", PactSelector::LatestTagged("prod".into()))
            .await
    ));
    assert!(is_not_found(
        store.pact("Orders", "Nobody", PactSelector::Latest).await
    ));
}
store_test!(publishing_stores_everything_and_is_idempotent);

async fn changed_content_is_refused_and_nothing_is_written<S: Store>(store: S) {
    store
        .publish_contracts(publication(
            "1.0.0",
            vec![contract("Orders", pact("Web", "Orders", "one"))],
        ))
        .await
        .unwrap();
    let mut changed = publication(
        "1.0.0",
        vec![
            contract("Billing", pact("Web", "Billing", "new")),
            contract("Orders", pact("Web", "Orders", "two")),
        ],
    );
    changed.tags = vec!["prod".into()];
    changed.branch = Some("feature".into());
    assert!(is_conflict(store.publish_contracts(changed.clone()).await));

    // Nothing of the refused publication was written.
    assert!(is_not_found(store.pacticipant("Billing").await));
    let detail = store.version("Web", "1.0.0").await.unwrap();
    assert_eq!(detail.tags.len(), 1);
    assert_eq!(detail.branches.len(), 1);
    assert!(is_not_found(store.branch("Web", "feature").await));
    let (row, _) = store
        .pact("Orders", "Web", PactSelector::Latest)
        .await
        .unwrap();
    assert_eq!(
        row.sha,
        content::parse(pact("Web", "Orders", "one")).unwrap().0.sha
    );

    // With modification allowed the content is replaced.
    changed.allow_modification = true;
    let replaced = store.publish_contracts(changed).await.unwrap();
    let outcomes: Vec<ContractOutcome> = replaced.contracts.iter().map(|(_, o)| *o).collect();
    assert_eq!(
        outcomes,
        [ContractOutcome::Created, ContractOutcome::Replaced]
    );
    let (row, _) = store
        .pact("Orders", "Web", PactSelector::Latest)
        .await
        .unwrap();
    assert_eq!(
        row.sha,
        content::parse(pact("Web", "Orders", "two")).unwrap().0.sha
    );
}
store_test!(changed_content_is_refused_and_nothing_is_written);

async fn put_pact_is_the_same_rule<S: Store>(store: S) {
    let (first, _) = content::parse(pact("Web", "Orders", "one")).unwrap();
    let (second, _) = content::parse(pact("Web", "Orders", "two")).unwrap();
    let (_, outcome) = store
        .put_pact("Orders", "Web", "1", first.clone(), false)
        .await
        .unwrap();
    assert_eq!(outcome, ContractOutcome::Created);
    let (_, outcome) = store
        .put_pact("Orders", "Web", "1", first, false)
        .await
        .unwrap();
    assert_eq!(outcome, ContractOutcome::Unchanged);
    assert!(is_conflict(
        store
            .put_pact("Orders", "Web", "1", second.clone(), false)
            .await
    ));
    let (_, outcome) = store
        .put_pact("Orders", "Web", "1", second, true)
        .await
        .unwrap();
    assert_eq!(outcome, ContractOutcome::Replaced);
    store.delete_pact("Orders", "Web", "1").await.unwrap();
    assert!(is_not_found(
        store
            .pact("Orders", "Web", PactSelector::Version("1".into()))
            .await
    ));
    assert!(is_not_found(store.delete_pact("Orders", "Web", "1").await));
}
store_test!(put_pact_is_the_same_rule);

async fn content_is_stored_once_and_verifications_follow_it<S: Store>(store: S) {
    let bytes = pact("Web", "Orders", "same");
    store
        .publish_contracts(publication("1", vec![contract("Orders", bytes.clone())]))
        .await
        .unwrap();
    let (first, _) = store
        .pact("Orders", "Web", PactSelector::Version("1".into()))
        .await
        .unwrap();

    let verification = |version: &str, success: bool| NewVerification {
        provider_version: version.to_owned(),
        success,
        build_url: None,
        test_results: Some(json!([{ "interaction": "same", "success": success }]).to_string()),
        verified_by: None,
        wip: false,
    };
    let v1 = store
        .publish_verification("Orders", "Web", &first.sha, verification("p1", false))
        .await
        .unwrap();
    let v2 = store
        .publish_verification("Orders", "Web", &first.sha, verification("p2", true))
        .await
        .unwrap();
    assert_eq!((v1.number, v2.number), (1, 2));
    assert_eq!(v2.provider_version_number, "p2");
    store
        .version("Orders", "p2")
        .await
        .expect("the provider version was created");

    // A new consumer version with the same content is already verified.
    store
        .publish_contracts(publication("2", vec![contract("Orders", bytes)]))
        .await
        .unwrap();
    let (second, _) = store
        .pact("Orders", "Web", PactSelector::Version("2".into()))
        .await
        .unwrap();
    assert_eq!(first.sha, second.sha);
    let latest = store
        .verification("Orders", "Web", &second.sha, None)
        .await
        .unwrap();
    assert!(latest.success);
    assert_eq!(latest.number, 2);
    let numbered = store
        .verification("Orders", "Web", &second.sha, Some(1))
        .await
        .unwrap();
    assert!(!numbered.success);
    assert_eq!(
        numbered.test_results.as_deref(),
        Some(r#"[{"interaction":"same","success":false}]"#)
    );

    assert!(is_not_found(
        store
            .publish_verification("Orders", "Web", "0000", verification("p3", true))
            .await
    ));
    assert!(is_not_found(
        store
            .verification("Orders", "Web", &first.sha, Some(9))
            .await
    ));

    // Deleting one consumer version keeps the shared content; deleting both removes it.
    store.delete_version("Web", "1").await.unwrap();
    store
        .pact("Orders", "Web", PactSelector::Sha(first.sha.clone()))
        .await
        .unwrap();
    store.delete_version("Web", "2").await.unwrap();
    assert!(is_not_found(
        store
            .pact("Orders", "Web", PactSelector::Sha(first.sha.clone()))
            .await
    ));
}
store_test!(content_is_stored_once_and_verifications_follow_it);

async fn pacts_are_listed_by_provider_tag_and_branch<S: Store>(store: S) {
    let mut p1 = publication("1", vec![contract("Orders", pact("Web", "Orders", "a"))]);
    p1.tags = vec!["prod".into()];
    store.publish_contracts(p1).await.unwrap();
    let mut p2 = publication("2", vec![contract("Orders", pact("Web", "Orders", "b"))]);
    p2.branch = Some("feat/x".into());
    p2.tags = vec![];
    store.publish_contracts(p2).await.unwrap();
    let mobile = Publication {
        pacticipant: "Mobile".into(),
        version: "m1".into(),
        branch: Some("main".into()),
        tags: vec!["prod".into()],
        build_url: None,
        contracts: vec![contract("Orders", pact("Mobile", "Orders", "c"))],
        allow_modification: false,
    };
    store.publish_contracts(mobile).await.unwrap();

    let versions = |rows: Vec<accord_broker::store::PactRow>| -> Vec<String> {
        rows.into_iter()
            .map(|r| format!("{}:{}", r.consumer_name, r.consumer_version_number))
            .collect()
    };
    assert_eq!(
        versions(
            store
                .provider_pacts("Orders", None, PactFilter::All)
                .await
                .unwrap()
        ),
        ["Mobile:m1", "Web:2", "Web:1"]
    );
    assert_eq!(
        versions(
            store
                .provider_pacts("Orders", Some("Web"), PactFilter::All)
                .await
                .unwrap()
        ),
        ["Web:2", "Web:1"]
    );
    assert_eq!(
        versions(
            store
                .provider_pacts("Orders", None, PactFilter::Tag("prod".into()))
                .await
                .unwrap()
        ),
        ["Mobile:m1", "Web:1"]
    );
    assert_eq!(
        versions(
            store
                .provider_pacts("Orders", None, PactFilter::Branch("feat/x".into()))
                .await
                .unwrap()
        ),
        ["Web:2"]
    );
    assert_eq!(
        versions(
            store
                .provider_pacts("Orders", None, PactFilter::MainBranch)
                .await
                .unwrap()
        ),
        ["Mobile:m1", "Web:1"]
    );
    assert_eq!(
        versions(store.latest_pacts().await.unwrap()),
        ["Mobile:m1", "Web:2"]
    );
    assert!(is_not_found(
        store.provider_pacts("Nobody", None, PactFilter::All).await
    ));
}
store_test!(pacts_are_listed_by_provider_tag_and_branch);

async fn versions_tags_and_branches<S: Store>(store: S) {
    let (detail, created) = store
        .put_version("Api", "1", Some("main"), Some("https://ci/1"))
        .await
        .unwrap();
    assert!(created);
    assert_eq!(detail.branches[0].branch_name, "main");
    let (_, created) = store
        .put_version("Api", "1", None, Some("https://ci/2"))
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(
        store
            .version("Api", "1")
            .await
            .unwrap()
            .version
            .build_url
            .as_deref(),
        Some("https://ci/2")
    );

    let (tag, created) = store.put_tag("Api", "2", "prod").await.unwrap();
    assert!(created);
    assert_eq!(tag.version_number, "2");
    let (_, created) = store.put_tag("Api", "2", "prod").await.unwrap();
    assert!(!created);
    store.put_version("Api", "3", None, None).await.unwrap();
    assert_eq!(
        store
            .latest_version("Api", None)
            .await
            .unwrap()
            .version
            .number,
        "3"
    );
    assert_eq!(
        store
            .latest_version("Api", Some("prod"))
            .await
            .unwrap()
            .version
            .number,
        "2"
    );
    assert!(is_not_found(
        store.latest_version("Api", Some("none")).await
    ));
    store.delete_tag("Api", "2", "prod").await.unwrap();
    assert!(is_not_found(store.tag("Api", "2", "prod").await));

    let (bv, added) = store
        .put_branch_version("Api", "feat/y", "3")
        .await
        .unwrap();
    assert!(added);
    assert_eq!(bv.branch_name, "feat/y");
    let (_, added) = store
        .put_branch_version("Api", "feat/y", "3")
        .await
        .unwrap();
    assert!(!added);
    store
        .put_branch_version("Api", "feat/y", "4")
        .await
        .unwrap();
    let on_branch: Vec<String> = store
        .branch_versions("Api", "feat/y")
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.number)
        .collect();
    assert_eq!(on_branch, ["4", "3"]);
    store.branch_version("Api", "feat/y", "4").await.unwrap();
    store
        .delete_branch_version("Api", "feat/y", "4")
        .await
        .unwrap();
    assert!(is_not_found(
        store.branch_version("Api", "feat/y", "4").await
    ));
    let names: Vec<String> = store
        .branches("Api")
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["feat/y", "main"]);
    store.delete_branch("Api", "feat/y").await.unwrap();
    assert!(is_not_found(store.branch("Api", "feat/y").await));
    store
        .version("Api", "3")
        .await
        .expect("deleting a branch keeps its versions");
    let numbers: Vec<String> = store
        .versions("Api")
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.number)
        .collect();
    assert_eq!(numbers, ["4", "3", "2", "1"]);
}
store_test!(versions_tags_and_branches);

async fn environments_are_seeded_and_managed<S: Store>(store: S) {
    let seeded: Vec<(String, bool)> = store
        .environments()
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.name, e.production))
        .collect();
    assert_eq!(
        seeded,
        [("production".to_owned(), true), ("test".to_owned(), false)]
    );
    let fields = EnvironmentFields {
        name: "staging".into(),
        display_name: Some("Staging".into()),
        production: false,
        contacts: Some("[]".into()),
    };
    let staging = store.create_environment(fields.clone()).await.unwrap();
    assert_eq!(staging.uuid.len(), 36);
    assert!(is_conflict(store.create_environment(fields).await));
    let renamed = EnvironmentFields {
        name: "stage".into(),
        display_name: None,
        production: true,
        contacts: None,
    };
    let updated = store
        .update_environment(&staging.uuid, renamed)
        .await
        .unwrap();
    assert_eq!((updated.name.as_str(), updated.production), ("stage", true));
    let clash = EnvironmentFields {
        name: "test".into(),
        display_name: None,
        production: false,
        contacts: None,
    };
    assert!(is_conflict(
        store.update_environment(&staging.uuid, clash).await
    ));
    store.delete_environment(&staging.uuid).await.unwrap();
    assert!(is_not_found(store.environment(&staging.uuid).await));
}
store_test!(environments_are_seeded_and_managed);

async fn deployments_replace_and_releases_add_up<S: Store>(store: S) {
    for v in ["1", "2"] {
        store.put_version("Api", v, None, None).await.unwrap();
    }
    let env = store
        .environments()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.name == "production")
        .unwrap();
    let first = store
        .record_deployment("Api", "1", &env.uuid, None)
        .await
        .unwrap();
    assert!(first.currently_deployed());
    let again = store
        .record_deployment("Api", "1", &env.uuid, None)
        .await
        .unwrap();
    assert_eq!(
        again.uuid, first.uuid,
        "recording the current version again is idempotent"
    );
    let customer = store
        .record_deployment("Api", "1", &env.uuid, Some("customer-a"))
        .await
        .unwrap();
    assert_ne!(customer.uuid, first.uuid);
    let second = store
        .record_deployment("Api", "2", &env.uuid, None)
        .await
        .unwrap();
    assert!(
        !store
            .deployed_version(&first.uuid)
            .await
            .unwrap()
            .currently_deployed(),
        "replaced"
    );

    let current: Vec<(String, Option<String>)> = store
        .deployed_versions(&env.uuid, Some("Api"), true)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.version_number, d.application_instance))
        .collect();
    assert_eq!(
        current,
        [
            ("1".to_owned(), Some("customer-a".to_owned())),
            ("2".to_owned(), None)
        ]
    );
    assert_eq!(
        store
            .deployed_versions(&env.uuid, None, false)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        store
            .deployed_versions(&env.uuid, Some("Other"), true)
            .await
            .unwrap()
            .is_empty()
    );

    let undeployed = store.undeploy(&second.uuid).await.unwrap();
    assert!(!undeployed.currently_deployed());
    let at = undeployed.undeployed_at;
    assert_eq!(
        store.undeploy(&second.uuid).await.unwrap().undeployed_at,
        at,
        "idempotent"
    );
    assert!(is_not_found(store.undeploy("no-such-uuid").await));
    assert!(is_not_found(
        store.record_deployment("Api", "9", &env.uuid, None).await
    ));
    assert!(is_not_found(
        store
            .record_deployment("Api", "1", "no-such-env", None)
            .await
    ));

    let r1 = store.record_release("Api", "1", &env.uuid).await.unwrap();
    let r2 = store.record_release("Api", "2", &env.uuid).await.unwrap();
    assert_eq!(
        store
            .released_versions(&env.uuid, Some("Api"), true)
            .await
            .unwrap()
            .len(),
        2
    );
    let ended = store.end_support(&r1.uuid).await.unwrap();
    assert!(!ended.currently_supported());
    let supported: Vec<String> = store
        .released_versions(&env.uuid, None, true)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.uuid)
        .collect();
    assert_eq!(supported, std::slice::from_ref(&r2.uuid));
    let revived = store.record_release("Api", "1", &env.uuid).await.unwrap();
    assert_eq!(revived.uuid, r1.uuid);
    assert!(revived.currently_supported());

    let detail = store.version("Api", "1").await.unwrap();
    assert_eq!(detail.deployments.len(), 2);
    assert_eq!(detail.releases.len(), 1);

    // Deleting the environment removes its records; deleting the pacticipant everything.
    store.delete_pacticipant("Api").await.unwrap();
    assert!(
        store
            .deployed_versions(&env.uuid, None, false)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .released_versions(&env.uuid, None, false)
            .await
            .unwrap()
            .is_empty()
    );
}
store_test!(deployments_replace_and_releases_add_up);

async fn concurrent_publications_do_not_fail<S: Store>(store: S) {
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let p = publication(
                &format!("v{i}"),
                vec![contract("Orders", pact("Web", "Orders", "same"))],
            );
            store.publish_contracts(p).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(store.versions("Web").await.unwrap().len(), 8);
}
store_test!(concurrent_publications_do_not_fail);

/// Publishing stores what each new content holds (for the service graph); content that does
/// not parse as a contract is stored without a summary; deleting the content drops it.
async fn publishing_summarises_contents<S: Store>(store: S) {
    let not_a_contract =
        serde_json::to_vec(&json!({"consumer": {"name": "Web"}, "interactions": "none"})).unwrap();
    store
        .publish_contracts(publication(
            "1",
            vec![
                contract("Orders", pact("Web", "Orders", "a")),
                contract("Stock", not_a_contract),
            ],
        ))
        .await
        .unwrap();
    let (row, _) = store
        .pact("Orders", "Web", PactSelector::Latest)
        .await
        .unwrap();
    let summaries = store.content_summaries().await.unwrap();
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert_eq!(summaries[0].sha, row.sha);
    assert_eq!(
        (
            summaries[0].http_interactions,
            summaries[0].message_interactions
        ),
        (1, 0)
    );
    // `GET /` with no body, query or headers: nothing the consumer reads.
    assert!(summaries[0].fields.is_empty());
    // Nothing is left to summarise: the unparsable content is skipped.
    assert_eq!(store.summarise_contents().await.unwrap(), 0);

    store.delete_pact("Orders", "Web", "1").await.unwrap();
    assert!(store.content_summaries().await.unwrap().is_empty());
}
store_test!(publishing_summarises_contents);

/// Contents stored before summaries existed are summarised when the broker next starts.
#[tokio::test]
async fn contents_without_a_summary_are_summarised_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let store = SqliteStore::connect(&url).await.unwrap();
    store
        .publish_contracts(publication(
            "1",
            vec![contract("Orders", pact("Web", "Orders", "a"))],
        ))
        .await
        .unwrap();
    drop(store);
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("DELETE FROM content_summaries")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let store = SqliteStore::connect(&url).await.unwrap();
    let summaries = store.content_summaries().await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].http_interactions, 1);
}

/// Two brokers on one PostgreSQL database: both migrate on start, each sees the other's writes.
#[tokio::test]
async fn two_postgres_stores_share_one_database() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let (first, second) = tokio::join!(
        PostgresStore::connect(&db.url),
        PostgresStore::connect(&db.url)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    first
        .publish_contracts(publication(
            "1",
            vec![contract("Orders", pact("Web", "Orders", "a"))],
        ))
        .await
        .unwrap();
    let (row, _) = second
        .pact("Orders", "Web", PactSelector::Latest)
        .await
        .unwrap();
    assert_eq!(row.consumer_version_number, "1");
    let again = second
        .publish_contracts(publication(
            "1",
            vec![contract("Orders", pact("Web", "Orders", "b"))],
        ))
        .await;
    assert!(is_conflict(again));
    drop((first, second));
    drop(db);
}
