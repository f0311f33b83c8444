//! Coupling findings and deployment planning on the benchmark-size estate of `scale.rs`
//! (20,000 versions, ~120,000 verifications), plus a pair of services (ledger and billing)
//! that rely on each other and only deploy together. The answers are worked out by hand from
//! the generator. Run with `--nocapture` to see how long each step took; nothing here asserts
//! on time.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};

use super::coupling::{CoDeployOptions, CoDeployment, CouplingQuery, coupling_report};
use super::graph::EdgeKind;
use super::index::Index;
use super::model::{
    BrokerData, ContentSummary, DeployedVersion, EnvironmentId, Pacticipant, PacticipantId,
    Publication, PublicationId, Verification, VerificationId, Version, VersionId,
};
use super::plan::{PlanOutcome, PlanQuery, ServiceVersion, plan_deployment};
use super::scale::{
    CONTENT_EVERY, PACTICIPANTS, PROVIDERS, VERSIONS_EACH, estate, providers_of, sha,
};

const PRODUCTION: EnvironmentId = EnvironmentId(1);

/// The estate, with a summary for every content, and ledger/billing: ledger calls billing over
/// HTTP, billing consumes ledger's events. Version 1 of both is in production (deployed five
/// times, two minutes apart each time); on main, ledger 2's pact fails with billing 1 and
/// billing 2 fails the pact of ledger 1, while 2 and 2 pass each other.
fn estate_with_lockstep_pair() -> BrokerData {
    let mut data = estate();
    let base = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date");
    for c in PROVIDERS..PACTICIPANTS {
        for provider in providers_of(c) {
            for content in 0..VERSIONS_EACH / CONTENT_EVERY {
                data.content_summaries.push(ContentSummary {
                    content_sha: sha(c, provider, content),
                    http_interactions: 3,
                    message_interactions: 0,
                    fields: (0..5)
                        .map(|f| format!("GET /p{provider} response.body$.f{f}"))
                        .collect(),
                });
            }
        }
    }

    let (ledger, billing) = (PacticipantId(PACTICIPANTS), PacticipantId(PACTICIPANTS + 1));
    let mut next_version = 1_000_000;
    let mut version = |data: &mut BrokerData, pacticipant: PacticipantId, number: &str| {
        next_version += 1;
        data.versions.push(Version {
            id: VersionId(next_version),
            pacticipant,
            number: number.to_owned(),
            order: next_version,
            created_at: base,
            branches: vec!["main".to_owned()],
            tags: Vec::new(),
        });
        VersionId(next_version)
    };
    for (id, name) in [(ledger, "ledger"), (billing, "billing")] {
        data.pacticipants.push(Pacticipant {
            id,
            name: name.to_owned(),
            main_branch: Some("main".to_owned()),
        });
    }
    let ledger_1 = version(&mut data, ledger, "1");
    let billing_1 = version(&mut data, billing, "1");
    let ledger_2 = version(&mut data, ledger, "2");
    let billing_2 = version(&mut data, billing, "2");
    for (consumer_version, provider, content) in [
        (ledger_1, billing, "l1"),
        (billing_1, ledger, "b1"),
        (ledger_2, billing, "l2"),
        (billing_2, ledger, "b2"),
    ] {
        data.publications.push(Publication {
            id: PublicationId(data.publications.len() as i64 + 1),
            consumer_version,
            provider,
            content_sha: content.to_owned(),
            created_at: base,
        });
    }
    for (content, http, message) in [("l1", 2, 0), ("l2", 2, 0), ("b1", 0, 1), ("b2", 0, 1)] {
        data.content_summaries.push(ContentSummary {
            content_sha: content.to_owned(),
            http_interactions: http,
            message_interactions: message,
            fields: BTreeSet::from([format!("{content} field")]),
        });
    }
    for (content, provider_version, success) in [
        ("l1", billing_1, true),
        ("b1", ledger_1, true),
        ("l2", billing_1, false),
        ("l1", billing_2, false),
        ("l2", billing_2, true),
        ("b1", ledger_2, true),
        ("b2", ledger_2, true),
        ("b2", ledger_1, true),
    ] {
        data.verifications.push(Verification {
            id: VerificationId(data.verifications.len() as i64 + 1),
            number: data.verifications.len() as i64 + 1,
            content_sha: content.to_owned(),
            provider_version,
            provider_branch: Some("main".to_owned()),
            success,
            verified_at: base,
            wip: false,
        });
    }
    for round in 0..5 {
        let at = base + Duration::hours(300 + round);
        for (version, offset) in [(ledger_1, 0), (billing_1, 2)] {
            data.deployed_versions.push(DeployedVersion {
                version,
                environment: PRODUCTION,
                application_instance: None,
                currently_deployed: round == 4,
                deployed_at: at + Duration::minutes(offset),
                undeployed_at: None,
            });
        }
    }
    data
}

fn app(n: i64) -> String {
    format!("app-{n}")
}

#[test]
fn coupling_report_on_benchmark_sized_data() {
    let started = Instant::now();
    let data = estate_with_lockstep_pair();
    let index = Index::new(&data);
    let prepared = started.elapsed();

    let started = Instant::now();
    let query = CouplingQuery {
        environment: Some("production".into()),
        ignore: Vec::new(),
        co_deploy: CoDeployOptions::default(),
    };
    let report = coupling_report(&index, &query).expect("valid query");
    let reported = started.elapsed();

    // Graph: every estate consumer's deployed version 190 with its one or two providers.
    let estate_edges: usize = (PROVIDERS..PACTICIPANTS)
        .map(|c| providers_of(c).len())
        .sum();
    assert_eq!(report.graph.nodes.len(), PACTICIPANTS as usize + 2);
    assert_eq!(report.graph.edges.len(), estate_edges + 2);
    let edge = report
        .graph
        .edge("app-21", "app-1")
        .expect("app-21 relies on app-1");
    assert_eq!(
        (edge.kind, edge.http_interactions, edge.fields),
        (EdgeKind::Http, 3, 5)
    );
    assert_eq!(
        edge.contracts[0].content_sha,
        sha(21, 1, 190 / CONTENT_EVERY)
    );

    // The only cycle: ledger calls billing, billing consumes ledger's events.
    assert_eq!(report.cycles.len(), 1);
    assert_eq!(report.cycles[0].services, ["billing", "ledger"]);
    assert!(report.cycles[0].through_messages);

    // Hubs: the provider with the most consumers comes first.
    let mut fan_in: BTreeMap<i64, usize> = BTreeMap::new();
    for c in PROVIDERS..PACTICIPANTS {
        for p in providers_of(c) {
            *fan_in.entry(p).or_default() += 1;
        }
    }
    let most = fan_in.values().copied().max().expect("providers");
    assert_eq!(report.hubs[0].fan_in, most);
    assert_eq!(report.hubs[0].fan_in, report.hubs[0].blast_radius);
    let top = &report.hubs[0].service;
    let top_id: i64 = top
        .trim_start_matches("app-")
        .parse()
        .expect("an estate app");
    assert_eq!(fan_in[&top_id], most);
    // Chains: consumer -> provider, two links; the ledger/billing cycle is one link.
    assert_eq!(report.longest_chains.depth, 2);
    assert_eq!(report.longest_chains.chains.len(), 10, "capped");

    // Lockstep: the estate's main heads (199) are not: providers can go alone, consumers
    // need provider versions that fail their new content ((199 + 39) % 17 == 0). Only
    // ledger 2 and billing 2 need each other.
    assert_eq!(report.candidates.len(), PACTICIPANTS as usize + 2);
    assert_eq!(report.lockstep.len(), 1);
    let group = &report.lockstep[0];
    assert_eq!(
        group.versions,
        [
            ServiceVersion::new("billing", "2"),
            ServiceVersion::new("ledger", "2")
        ]
    );
    assert_eq!(group.together_successes, 2);
    assert!(group.alone.iter().all(|a| !a.rows.is_empty()));

    // Co-deployment: ledger and billing five times out of five; the estate apps were
    // deployed once each, below the three-event minimum.
    assert_eq!(
        report.co_deployments,
        [CoDeployment {
            services: ["billing".into(), "ledger".into()],
            deployments: [5, 5],
            co_deployed: 5,
            ratio: 1.0,
        }]
    );

    eprintln!("estate + index {prepared:?}, coupling report {reported:?}");
}

/// Four providers (198) and six of their consumers (199), listed consumers first.
fn ten_changes(provider_version: &str) -> Vec<ServiceVersion> {
    let consumers = [21, 41, 61, 81, 27, 23];
    let providers = [1, 7, 9, 3];
    let mut changes: Vec<ServiceVersion> = consumers
        .iter()
        .map(|c| ServiceVersion::new(&app(*c), "199"))
        .collect();
    changes.extend(
        providers
            .iter()
            .map(|p| ServiceVersion::new(&app(*p), provider_version)),
    );
    changes
}

#[test]
fn ten_change_plan_on_benchmark_sized_data() {
    let data = estate_with_lockstep_pair();
    let index = Index::new(&data);
    let plan = |changes: Vec<ServiceVersion>| {
        let query = PlanQuery {
            changes,
            environment: "production".into(),
            ignore: Vec::new(),
        };
        plan_deployment(&index, &query).expect("valid batch")
    };

    // Provider 198 verified contents 36..=39 (the consumers' new 39 and deployed 38), and
    // neither (198 + 39) nor (198 + 38) is a multiple of 17: providers first, then consumers.
    let started = Instant::now();
    let ordered = plan(ten_changes("198"));
    let planned = started.elapsed();
    assert_eq!(ordered.outcome, PlanOutcome::Sequential);
    assert_eq!(ordered.steps.len(), 10);
    let position = |service: &str| {
        ordered
            .steps
            .iter()
            .position(|s| s.deploy[0].service == service)
            .expect("every change has a step")
    };
    for step in &ordered.steps {
        let change = &step.deploy[0];
        let n: i64 = change
            .service
            .trim_start_matches("app-")
            .parse()
            .expect("app");
        let waits: BTreeSet<String> = step.after.iter().map(|p| p.after.service.clone()).collect();
        if n < PROVIDERS {
            assert!(waits.is_empty(), "{change} waits for {waits:?}");
        } else {
            let providers: BTreeSet<String> = providers_of(n).into_iter().map(app).collect();
            assert_eq!(waits, providers, "{change}");
            for p in &providers {
                assert!(
                    position(p) < position(&change.service),
                    "{p} before {change}"
                );
            }
        }
    }

    // Provider 199 fails the consumers' new content 39 ((199 + 39) % 17 == 0): app-1's
    // consumers cannot follow; the rows name app-1 199 and the failing content.
    let started = Instant::now();
    let blocked = plan(ten_changes("199"));
    let blocked_in = started.elapsed();
    assert_eq!(blocked.outcome, PlanOutcome::Blocked);
    let failing: BTreeSet<(String, Option<String>)> = blocked
        .blocking_rows
        .iter()
        .map(|r| (r.provider.clone(), r.provider_version.clone()))
        .collect();
    assert_eq!(
        failing,
        [1, 3, 7, 9]
            .into_iter()
            .map(|p| (app(p), Some("199".to_owned())))
            .collect()
    );
    assert!(
        blocked
            .blocking_rows
            .iter()
            .all(|r| r.content_sha.ends_with("-39")),
        "{:?}",
        blocked.blocking_rows
    );
    assert_eq!(blocked.blocked.len(), 6, "every consumer waits");
    assert_eq!(blocked.steps.len(), 4, "the providers can still go");

    eprintln!(
        "10-change plan {planned:?} ({} can-i-deploy questions), blocked 10-change plan {blocked_in:?} ({} questions)",
        ordered.checks, blocked.checks
    );
}

/// The worst case for the search: eight independent providers that can go in any order and a
/// lockstep pair, so no one-at-a-time order exists and every subset could be visited.
/// Measurement only: `cargo test -p accord-broker --lib worst_case -- --ignored --nocapture`.
#[test]
#[ignore = "measurement; prints figures"]
fn worst_case_ten_change_plan_measurement() {
    let data = estate_with_lockstep_pair();
    let index = Index::new(&data);
    let mut changes = vec![
        ServiceVersion::new("ledger", "2"),
        ServiceVersion::new("billing", "2"),
    ];
    changes.extend((1..=8).map(|p| ServiceVersion::new(&app(p), "198")));
    let query = PlanQuery {
        changes,
        environment: "production".into(),
        ignore: Vec::new(),
    };
    let started = Instant::now();
    let plan = plan_deployment(&index, &query).expect("valid batch");
    let took = started.elapsed();
    assert_eq!(plan.outcome, PlanOutcome::NeedsGroups);
    assert_eq!(plan.groups().count(), 1);
    eprintln!(
        "10-change plan, lockstep pair + 8 unrelated providers: {took:?} ({} can-i-deploy questions)",
        plan.checks
    );

    // The same shape inside one part: ledger also calls app-1, and app-1 198 ships with seven
    // of its consumers (191, same content as deployed): the search cannot split the batch and
    // visits every subset of the eight changes that can go in any order.
    let mut data = estate_with_lockstep_pair();
    let ledger_versions: Vec<VersionId> = data
        .versions
        .iter()
        .filter(|v| v.pacticipant == PacticipantId(PACTICIPANTS))
        .map(|v| v.id)
        .collect();
    for consumer_version in ledger_versions {
        data.publications.push(Publication {
            id: PublicationId(data.publications.len() as i64 + 1),
            consumer_version,
            provider: PacticipantId(1),
            content_sha: "ledger-app-1".to_owned(),
            created_at: Utc::now(),
        });
    }
    for k in [190, 198] {
        data.verifications.push(Verification {
            id: VerificationId(data.verifications.len() as i64 + 1),
            number: data.verifications.len() as i64 + 1,
            content_sha: "ledger-app-1".to_owned(),
            provider_version: VersionId(VERSIONS_EACH + k + 1),
            provider_branch: Some("main".to_owned()),
            success: true,
            verified_at: Utc::now(),
            wip: false,
        });
    }
    let index = Index::new(&data);
    let mut changes = vec![
        ServiceVersion::new("ledger", "2"),
        ServiceVersion::new("billing", "2"),
        ServiceVersion::new(&app(1), "198"),
    ];
    changes.extend([21, 41, 61, 81, 23, 43, 63].map(|c| ServiceVersion::new(&app(c), "191")));
    let query = PlanQuery {
        changes,
        environment: "production".into(),
        ignore: Vec::new(),
    };
    let started = Instant::now();
    let plan = plan_deployment(&index, &query).expect("valid batch");
    let took = started.elapsed();
    assert_eq!(plan.outcome, PlanOutcome::NeedsGroups);
    assert_eq!(plan.groups().count(), 1);
    eprintln!(
        "10-change plan, one part (lockstep pair + 8 related changes): {took:?} ({} can-i-deploy questions)",
        plan.checks
    );
}
