//! The loader's subsets answer exactly as the whole database does: a generated history
//! (publications with repeated content, verifications that fail and pass, deployments with
//! application instances, releases whose support ended, undeployments) is stored through the
//! store API, then every can-i-deploy, pacts for verification and coupling question is
//! answered twice, from the subset and from everything, and the answers compared. The
//! coupling comparison runs on both backends.

use crate::domain::content::parse;
use crate::domain::{
    CanIDeployAnswer, CanIDeployQuery, CoDeployOptions, CouplingQuery, CouplingReport,
    IgnoreSelector, Index, SpecifiedVersion, Target, VersionSpec, can_i_deploy, coupling_report,
};
use crate::store::load::DataRequest;
use crate::store::test_database::TestDatabase;
use crate::store::{
    ContractToPublish, LoadRequest, NewVerification, PostgresStore, Publication, SqliteStore, Store,
};

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

const SERVICES: usize = 5;
const VERSIONS: usize = 6;

fn name(i: usize) -> String {
    format!("S{i}")
}

fn contract(consumer: &str, provider: &str, variant: u64) -> ContractToPublish {
    let document = serde_json::json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": [{ "type": "Synchronous/HTTP", "description": format!("call {variant}"),
            "request": { "method": "GET", "path": format!("/r/{variant}") },
            "response": { "status": 200 } }],
        "metadata": { "pactSpecification": { "version": "4.0" } }
    });
    let (content, _) = parse(serde_json::to_vec(&document).unwrap()).unwrap();
    ContractToPublish {
        provider: provider.to_owned(),
        content: crate::store::PactContent {
            sha: content.sha,
            bytes: content.bytes,
        },
    }
}

async fn generate<S: Store>(store: &S, seed: u64) {
    let mut rng = Rng(seed);
    let environments = store.environments().await.unwrap();
    for v in 0..VERSIONS {
        for s in 0..SERVICES {
            let consumer = name(s);
            // Later versions may drop an integration; content repeats across versions.
            let mut contracts = Vec::new();
            for d in [1, 2] {
                if rng.next(5) > 0 {
                    contracts.push(contract(&consumer, &name((s + d) % SERVICES), rng.next(2)));
                }
            }
            let branch = if rng.next(4) == 0 { "feat" } else { "main" };
            store
                .publish_contracts(Publication {
                    pacticipant: consumer.clone(),
                    version: format!("{v}"),
                    branch: Some(branch.to_owned()),
                    tags: if rng.next(3) == 0 {
                        vec!["prod".into()]
                    } else {
                        vec![]
                    },
                    build_url: None,
                    contracts,
                    allow_modification: false,
                })
                .await
                .unwrap();
        }
        for s in 0..SERVICES {
            let provider = name(s);
            let pacts = store.latest_pacts().await.unwrap();
            for pact in pacts.iter().filter(|p| p.provider_name == provider) {
                if rng.next(3) == 0 {
                    continue;
                }
                let verification = NewVerification {
                    provider_version: format!("{}", rng.next(v as u64 + 1)),
                    success: rng.next(4) > 0,
                    build_url: None,
                    test_results: None,
                    verified_by: None,
                    wip: false,
                };
                store
                    .publish_verification(&provider, &pact.consumer_name, &pact.sha, verification)
                    .await
                    .unwrap();
            }
            let environment = &environments[rng.next(2) as usize];
            let number = format!("{}", rng.next(v as u64 + 1));
            match rng.next(4) {
                0 => {
                    let instance = (rng.next(2) == 0).then_some("blue");
                    store
                        .record_deployment(&provider, &number, &environment.uuid, instance)
                        .await
                        .unwrap();
                }
                1 => {
                    if let Ok(released) = store
                        .record_release(&provider, &number, &environment.uuid)
                        .await
                        && rng.next(2) == 0
                    {
                        store.end_support(&released.uuid).await.unwrap();
                    }
                }
                _ => {}
            }
        }
    }
}

fn questions() -> Vec<CanIDeployQuery> {
    let targets = [
        Target::Environment("production".into()),
        Target::Environment("test".into()),
        Target::Tag("prod".into()),
        Target::MainBranch,
        Target::Latest,
        Target::SpecifiedOnly,
    ];
    let mut specs: Vec<VersionSpec> = (0..=VERSIONS)
        .map(|v| VersionSpec::Number(v.to_string()))
        .collect();
    specs.extend([
        VersionSpec::Latest,
        VersionSpec::LatestOnBranch("main".into()),
        VersionSpec::LatestOnBranch("feat".into()),
        VersionSpec::LatestWithTag("prod".into()),
    ]);
    let mut out = Vec::new();
    for s in 0..SERVICES {
        for spec in &specs {
            for target in &targets {
                out.push(CanIDeployQuery {
                    specified: vec![SpecifiedVersion {
                        pacticipant: name(s),
                        version: spec.clone(),
                    }],
                    target: target.clone(),
                    ignore: Vec::new(),
                });
            }
        }
        // Two services deployed together, and ignore selectors (one naming a version).
        for target in &targets {
            out.push(CanIDeployQuery {
                specified: vec![
                    SpecifiedVersion {
                        pacticipant: name(s),
                        version: VersionSpec::Latest,
                    },
                    SpecifiedVersion {
                        pacticipant: name((s + 1) % SERVICES),
                        version: VersionSpec::Number("3".into()),
                    },
                ],
                target: target.clone(),
                ignore: vec![
                    IgnoreSelector {
                        pacticipant: name((s + 2) % SERVICES),
                        version: Some("1".into()),
                    },
                    IgnoreSelector {
                        pacticipant: "Nobody".into(),
                        version: None,
                    },
                ],
            });
        }
    }
    out
}

/// How often the fixes of blocking rows name other versions, so the comparison is known to
/// cover what only the fixes read.
#[derive(Debug, Default)]
struct Fixes {
    /// "... versions that passed this pact: ..."
    passed: usize,
    /// "... or first replace ... with a version whose pact it passes: ..."
    replace: usize,
}

/// Every question, answered from its subset and from everything: the whole answers (rows,
/// statuses, reasons, fixes, warnings) must be equal.
async fn can_i_deploy_subsets_answer_as_everything<S: Store>(
    store: S,
    seed: u64,
    fixes: &mut Fixes,
) {
    generate(&store, seed).await;
    let all = store.load_broker_data_all().await.unwrap();
    let all_index = Index::new(&all.0);
    let mut compared = 0;
    let mut smaller = 0;
    let mut outcomes = std::collections::BTreeSet::new();
    for question in questions() {
        let ignore = question
            .ignore
            .iter()
            .filter_map(|i| Some((i.pacticipant.clone(), i.version.clone()?)))
            .collect();
        let request = LoadRequest(DataRequest::CanIDeploy {
            specified: question.specified.clone(),
            target: question.target.clone(),
            ignore,
        });
        let subset = store.load_broker_data(&request).await.unwrap();
        if subset.0.versions.len() < all.0.versions.len() {
            smaller += 1;
        }
        let index = Index::new(&subset.0);
        let expected: Result<CanIDeployAnswer<'_>, _> = can_i_deploy(&all_index, &question);
        let actual = can_i_deploy(&index, &question);
        assert_eq!(actual, expected, "seed {seed}, question {question:?}");
        if let Ok(answer) = expected {
            outcomes.insert(format!("{:?}", answer.deployable));
            for fix in answer.rows.iter().filter_map(|r| r.fix.as_deref()) {
                fixes.passed += usize::from(fix.contains("versions that passed this pact"));
                fixes.replace += usize::from(fix.contains("or first replace"));
            }
        }
        compared += 1;
    }
    assert!(compared > 300);
    assert_eq!(
        outcomes.len(),
        3,
        "yes, no and unknown all occur: {outcomes:?}"
    );
    assert!(
        smaller * 2 > compared,
        "subsets should be smaller: {smaller}/{compared}"
    );
}

const CAN_I_DEPLOY_SEEDS: [u64; 3] = [7, 1234, 99_991];

#[tokio::test]
async fn can_i_deploy_subsets_answer_as_everything_on_sqlite() {
    let mut fixes = Fixes::default();
    for seed in CAN_I_DEPLOY_SEEDS {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::connect(&dir.path().join("b.db").display().to_string())
            .await
            .unwrap();
        can_i_deploy_subsets_answer_as_everything(store, seed, &mut fixes).await;
    }
    assert!(
        fixes.passed > 0 && fixes.replace > 0,
        "fixes name other versions: {fixes:?}"
    );
}

#[tokio::test]
async fn can_i_deploy_subsets_answer_as_everything_on_postgres() {
    let mut fixes = Fixes::default();
    for seed in CAN_I_DEPLOY_SEEDS {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let store = PostgresStore::connect(&db.url).await.unwrap();
        can_i_deploy_subsets_answer_as_everything(store, seed, &mut fixes).await;
        drop(db);
    }
    assert!(
        fixes.passed > 0 && fixes.replace > 0,
        "fixes name other versions: {fixes:?}"
    );
}

fn canonical_pacts(pacts: &[crate::domain::VerifiablePact<'_>]) -> String {
    let lines: Vec<String> = pacts
        .iter()
        .map(|p| {
            let reasons: Vec<&str> = p
                .selected_by
                .iter()
                .map(|r| r.description.as_str())
                .collect();
            let notices: Vec<&str> = p.notices.iter().map(|n| n.text.as_str()).collect();
            format!(
                "{} {} {:?} pending={:?} wip={} {:?} {:?} {}",
                p.consumer.name,
                p.content_sha,
                p.pact.id,
                p.pending,
                p.wip,
                reasons,
                notices,
                p.short_description
            )
        })
        .collect();
    lines.join("\n")
}

fn verification_questions() -> Vec<crate::domain::PactsForVerificationQuery> {
    use crate::domain::{ConsumerVersionSelector, PactsForVerificationQuery};
    let one = |f: fn(&mut ConsumerVersionSelector)| {
        let mut s = ConsumerVersionSelector::default();
        f(&mut s);
        s
    };
    let selector_sets: Vec<Vec<ConsumerVersionSelector>> = vec![
        vec![],
        vec![one(|s| s.main_branch = Some(true))],
        vec![
            one(|s| s.main_branch = Some(true)),
            one(|s| s.deployed_or_released = Some(true)),
        ],
        vec![one(|s| {
            s.branch = Some("feat".into());
            s.fallback_branch = Some("main".into());
        })],
        vec![one(|s| s.matching_branch = Some(true))],
        vec![one(|s| {
            s.tag = Some("prod".into());
            s.latest = Some(true);
        })],
        vec![one(|s| s.tag = Some("prod".into()))],
        vec![one(|s| s.latest = Some(true))],
        vec![one(|s| s.deployed = Some(true))],
        vec![one(|s| s.released = Some(true))],
        vec![one(|s| s.environment = Some("production".into()))],
        vec![one(|s| {
            s.main_branch = Some(true);
            s.consumer = Some("S1".into());
        })],
    ];
    let since = "2000-01-01T00:00:00Z".parse().unwrap();
    let mut out = Vec::new();
    for provider in 0..SERVICES {
        for selectors in &selector_sets {
            for (branch, tags) in [
                (Some("main"), vec![]),
                (Some("feat"), vec![]),
                (None, vec!["prod".to_owned()]),
                (None, vec![]),
            ] {
                out.push(PactsForVerificationQuery {
                    provider: name(provider),
                    selectors: selectors.clone(),
                    provider_version_branch: branch.map(str::to_owned),
                    provider_version_tags: tags,
                    include_pending_status: true,
                    include_wip_pacts_since: branch.map(|_| since),
                });
            }
        }
    }
    out
}

#[tokio::test]
async fn pacts_for_verification_subsets_answer_as_everything() {
    use crate::domain::pacts_for_verification;
    for seed in [7_u64, 4242] {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::connect(&dir.path().join("b.db").display().to_string())
            .await
            .unwrap();
        generate(&store, seed).await;
        // Some provider versions on branches and with tags, for pending per line.
        for s in 0..SERVICES {
            store
                .put_branch_version(&name(s), "main", "1")
                .await
                .unwrap();
            store.put_tag(&name(s), "2", "prod").await.unwrap();
        }
        let all = store.load_broker_data_all().await.unwrap();
        let all_index = Index::new(&all.0);
        let mut non_empty = 0;
        for question in verification_questions() {
            let mut tags: Vec<String> = question
                .selectors
                .iter()
                .filter(|s| s.latest != Some(true))
                .filter_map(|s| s.tag.clone())
                .collect();
            tags.extend(question.provider_version_tags.iter().cloned());
            let request = LoadRequest(DataRequest::ForVerification {
                provider: question.provider.clone(),
                tags,
            });
            let subset = store.load_broker_data(&request).await.unwrap();
            let index = Index::new(&subset.0);
            let expected =
                pacts_for_verification(&all_index, &question).map(|p| canonical_pacts(&p));
            let actual = pacts_for_verification(&index, &question).map(|p| canonical_pacts(&p));
            if expected.as_ref().is_ok_and(|e| !e.is_empty()) {
                non_empty += 1;
            }
            assert_eq!(actual, expected, "seed {seed}, question {question:?}");
        }
        assert!(non_empty > 100, "{non_empty}");
    }
}

/// On top of the generated history, a pair that only ships together: ledger calls billing
/// over HTTP, billing consumes ledger's events; version 1 of both is in production, ledger 2's
/// pact fails with billing 1 and billing 2 fails the pact of ledger 1, while 2 and 2 pass
/// each other. And two services without contracts, audit and reports, deployed to production
/// together three times.
async fn add_coupled_services<S: Store>(store: &S) {
    let production = store
        .environments()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.name == "production")
        .unwrap();
    let mut shas = std::collections::HashMap::new();
    for v in ["1", "2"] {
        for (consumer, provider) in [("ledger", "billing"), ("billing", "ledger")] {
            let variant = if v == "1" { 10 } else { 20 };
            let published = store
                .publish_contracts(Publication {
                    pacticipant: consumer.to_owned(),
                    version: v.to_owned(),
                    branch: Some("main".to_owned()),
                    tags: Vec::new(),
                    build_url: None,
                    contracts: vec![contract(consumer, provider, variant)],
                    allow_modification: false,
                })
                .await
                .unwrap();
            shas.insert((consumer, v), published.contracts[0].0.sha.clone());
        }
    }
    // Ledger 3 and 4, on a feature branch (neither in production nor a main-branch head),
    // are versions whose pact billing 2 passes: 3 publishes the content of ledger 2 again, 4 a
    // content of its own.
    for (v, variant) in [("3", 20), ("4", 30)] {
        let published = store
            .publish_contracts(Publication {
                pacticipant: "ledger".to_owned(),
                version: v.to_owned(),
                branch: Some("feat".to_owned()),
                tags: Vec::new(),
                build_url: None,
                contracts: vec![contract("ledger", "billing", variant)],
                allow_modification: false,
            })
            .await
            .unwrap();
        shas.insert(("ledger", v), published.contracts[0].0.sha.clone());
    }
    let (l1, l2, l4) = (
        &shas[&("ledger", "1")],
        &shas[&("ledger", "2")],
        &shas[&("ledger", "4")],
    );
    let (b1, b2) = (&shas[&("billing", "1")], &shas[&("billing", "2")]);
    for (provider, consumer, sha, provider_version, success) in [
        ("billing", "ledger", l1, "1", true),
        ("ledger", "billing", b1, "1", true),
        ("billing", "ledger", l2, "1", false),
        ("billing", "ledger", l1, "2", false),
        ("billing", "ledger", l2, "2", true),
        ("billing", "ledger", l4, "2", true),
        ("ledger", "billing", b1, "2", true),
        ("ledger", "billing", b2, "2", true),
        ("ledger", "billing", b2, "1", true),
    ] {
        let verification = NewVerification {
            provider_version: provider_version.to_owned(),
            success,
            build_url: None,
            test_results: None,
            verified_by: None,
            wip: false,
        };
        store
            .publish_verification(provider, consumer, sha, verification)
            .await
            .unwrap();
    }
    for name in ["ledger", "billing"] {
        store
            .record_deployment(name, "1", &production.uuid, None)
            .await
            .unwrap();
    }
    for number in ["1", "2", "3"] {
        for name in ["audit", "reports"] {
            store
                .put_version(name, number, Some("main"), None)
                .await
                .unwrap();
            store
                .record_deployment(name, number, &production.uuid, None)
                .await
                .unwrap();
        }
    }
}

/// Every coupling question the API asks (with and without an environment, with and without
/// an ignored pacticipant), answered from the coupling subset and from everything; adds what
/// the reports found to `found`.
async fn coupling_subsets_answer_as_everything<S: Store>(store: S, seed: u64, found: &mut Found) {
    generate(&store, seed).await;
    add_coupled_services(&store).await;
    let mut all = store.load_broker_data_all().await.unwrap();
    all.0.content_summaries = store
        .content_summaries()
        .await
        .unwrap()
        .iter()
        .map(|s| s.to_domain())
        .collect();
    let all_index = Index::new(&all.0);
    for environment in [Some("production"), Some("test"), None, Some("moon")] {
        let request = LoadRequest(DataRequest::Coupling {
            environment: environment.map(str::to_owned),
        });
        let subset = store.load_broker_data(&request).await.unwrap();
        assert!(subset.0.versions.len() < all.0.versions.len());
        let index = Index::new(&subset.0);
        for ignore in [vec![], vec![name(1)], vec!["billing".to_owned()]] {
            let query = CouplingQuery {
                environment: environment.map(str::to_owned),
                ignore: ignore
                    .into_iter()
                    .map(|pacticipant| IgnoreSelector {
                        pacticipant,
                        version: None,
                    })
                    .collect(),
                co_deploy: CoDeployOptions::default(),
            };
            let expected = coupling_report(&all_index, &query);
            assert_eq!(
                coupling_report(&index, &query),
                expected,
                "seed {seed}, {query:?}"
            );
            if let Ok(report) = expected {
                found.add(&report);
            }
        }
    }
}

/// How often each kind of finding occurred, so the comparison is known to cover them.
#[derive(Debug, Default)]
struct Found {
    lockstep: usize,
    cycles: usize,
    co_deployed: usize,
    /// Fixes of blocking rows that name other versions (which passed, or to replace with).
    fixes_naming_versions: usize,
    /// Fixes naming ledger 4 and 3, which only the fixes read (not in production, not heads).
    fixes_naming_other_versions: usize,
}

impl Found {
    fn add(&mut self, report: &CouplingReport) {
        self.lockstep += report.lockstep.len();
        self.cycles += report.cycles.len();
        self.co_deployed += report.co_deployments.len();
        self.fixes_naming_versions += report
            .lockstep
            .iter()
            .flat_map(|g| &g.alone)
            .flat_map(|a| &a.rows)
            .filter_map(|r| r.fix.as_deref())
            .filter(|fix| fix.contains("passed") || fix.contains("replace"))
            .count();
        self.fixes_naming_other_versions += report
            .lockstep
            .iter()
            .flat_map(|g| &g.alone)
            .flat_map(|a| &a.rows)
            .filter_map(|r| r.fix.as_deref())
            .filter(|fix| fix.contains("whose pact it passes: 4, 3, 2"))
            .count();
    }

    fn assert_complete(&self) {
        assert!(
            self.lockstep > 0
                && self.cycles > 0
                && self.co_deployed > 0
                && self.fixes_naming_versions > 0
                && self.fixes_naming_other_versions > 0,
            "every finding occurs: {self:?}"
        );
    }
}

const COUPLING_SEEDS: [u64; 3] = [7, 1234, 99_991];

#[tokio::test]
async fn coupling_subsets_answer_as_everything_on_sqlite() {
    let mut found = Found::default();
    for seed in COUPLING_SEEDS {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::connect(&dir.path().join("b.db").display().to_string())
            .await
            .unwrap();
        coupling_subsets_answer_as_everything(store, seed, &mut found).await;
    }
    found.assert_complete();
}

#[tokio::test]
async fn coupling_subsets_answer_as_everything_on_postgres() {
    let mut found = Found::default();
    for seed in COUPLING_SEEDS {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let store = PostgresStore::connect(&db.url).await.unwrap();
        coupling_subsets_answer_as_everything(store, seed, &mut found).await;
        drop(db);
    }
    found.assert_complete();
}

#[test]
fn long_id_lists_are_bound_in_chunks() {
    let ids: super::load::Ids = (1..=25_001).collect();
    let chunks = super::load::chunks(&ids);
    let sizes: Vec<usize> = chunks.iter().map(std::collections::BTreeSet::len).collect();
    assert_eq!(sizes, [10_000, 10_000, 5_001]);
    assert!(chunks.iter().flatten().eq(ids.iter()));
    assert!(super::load::chunks(&super::load::Ids::new()).is_empty());
}
