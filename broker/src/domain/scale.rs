//! The rules on a data set of benchmark size (20,000 versions, ~120,000 verifications), with
//! answers that can be worked out by hand from the generator. Run with `--nocapture` to see
//! how long each step took; nothing here asserts on time.

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};

use super::can_i_deploy::{CanIDeployQuery, SpecifiedVersion, Target, VersionSpec, can_i_deploy};
use super::index::Index;
use super::matrix::{MatrixQuery, MatrixSelector, matrix};
use super::model::{
    Branch, BrokerData, DeployedVersion, Environment, EnvironmentId, Pacticipant, PacticipantId,
    Publication, PublicationId, Verification, VerificationId, Version, VersionId,
};
use super::selectors::{PactsForVerificationQuery, pacts_for_verification};

pub(super) const PACTICIPANTS: i64 = 100;
pub(super) const PROVIDERS: i64 = 20;
pub(super) const VERSIONS_EACH: i64 = 200;
/// A consumer's content changes every this many versions.
pub(super) const CONTENT_EVERY: i64 = 5;

/// The providers consumer `c` has contracts with.
pub(super) fn providers_of(c: i64) -> Vec<i64> {
    let mut list = vec![c % PROVIDERS, (c * 7) % PROVIDERS];
    list.dedup();
    list
}

pub(super) fn sha(consumer: i64, provider: i64, content: i64) -> String {
    format!("c{consumer}-p{provider}-{content}")
}

fn version_id(pacticipant: i64, k: i64) -> VersionId {
    VersionId(pacticipant * VERSIONS_EACH + k + 1)
}

/// Provider version `k` verifies content `j` of each of its consumers for `j` in
/// `k/5 - 3 ..= k/5`; it fails when `(k + j) % 17 == 0`. Every version is on `main` except
/// every tenth, which is alone on its own feature branch. Version 190 of everyone is deployed
/// to production.
pub(super) fn estate() -> BrokerData {
    let base = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date");
    let at = |k: i64| base + Duration::hours(k);
    let mut data = BrokerData::default();
    data.environments.push(Environment {
        id: EnvironmentId(1),
        name: "production".into(),
        production: true,
    });
    for p in 0..PACTICIPANTS {
        let id = PacticipantId(p);
        data.pacticipants.push(Pacticipant {
            id,
            name: format!("app-{p}"),
            main_branch: Some("main".into()),
        });
        data.branches.push(Branch {
            pacticipant: id,
            name: "main".into(),
            created_at: base,
        });
        for k in 0..VERSIONS_EACH {
            let branch = if k % 10 == 0 {
                format!("feat-{k}")
            } else {
                "main".to_owned()
            };
            if k % 10 == 0 {
                data.branches.push(Branch {
                    pacticipant: id,
                    name: branch.clone(),
                    created_at: at(k),
                });
            }
            data.versions.push(Version {
                id: version_id(p, k),
                pacticipant: id,
                number: format!("{k}"),
                order: k,
                created_at: at(k),
                branches: vec![branch],
                tags: Vec::new(),
            });
            if p >= PROVIDERS {
                for provider in providers_of(p) {
                    data.publications.push(Publication {
                        id: PublicationId(data.publications.len() as i64 + 1),
                        consumer_version: version_id(p, k),
                        provider: PacticipantId(provider),
                        content_sha: sha(p, provider, k / CONTENT_EVERY),
                        created_at: at(k),
                    });
                }
            }
        }
        data.deployed_versions.push(DeployedVersion {
            version: version_id(p, 190),
            environment: EnvironmentId(1),
            application_instance: None,
            currently_deployed: true,
            deployed_at: at(VERSIONS_EACH),
            undeployed_at: None,
        });
    }
    for provider in 0..PROVIDERS {
        let consumers: Vec<i64> = (PROVIDERS..PACTICIPANTS)
            .filter(|c| providers_of(*c).contains(&provider))
            .collect();
        for k in 0..VERSIONS_EACH {
            for c in &consumers {
                for j in (k / CONTENT_EVERY - 3).max(0)..=k / CONTENT_EVERY {
                    let branch = if k % 10 == 0 {
                        format!("feat-{k}")
                    } else {
                        "main".to_owned()
                    };
                    data.verifications.push(Verification {
                        id: VerificationId(data.verifications.len() as i64 + 1),
                        number: data.verifications.len() as i64 + 1,
                        content_sha: sha(*c, provider, j),
                        provider_version: version_id(provider, k),
                        provider_branch: Some(branch),
                        success: (k + j) % 17 != 0,
                        verified_at: at(k),
                        wip: false,
                    });
                }
            }
        }
    }
    data
}

#[test]
fn rules_answer_on_benchmark_sized_data() {
    let started = Instant::now();
    let data = estate();
    assert_eq!(data.versions.len(), 20_000);
    assert!(
        data.verifications.len() > 100_000,
        "{}",
        data.verifications.len()
    );
    let generated = started.elapsed();

    let started = Instant::now();
    let index = Index::new(&data);
    let indexed = started.elapsed();

    // app-21 has contracts with app-1 and app-7. Its version 190 (content 38) is verified by
    // their deployed version 190 (contents 35..=38, and (190 + 38) % 17 != 0); its version 199
    // (content 39) is not.
    let started = Instant::now();
    let ask = |number: &str| {
        let query = CanIDeployQuery {
            specified: vec![SpecifiedVersion {
                pacticipant: "app-21".into(),
                version: VersionSpec::Number(number.into()),
            }],
            target: Target::Environment("production".into()),
            ignore: Vec::new(),
        };
        can_i_deploy(&index, &query).expect("valid query")
    };
    let yes = ask("190");
    assert_eq!(yes.deployable, Some(true));
    assert_eq!(yes.counts.success, 2);
    let unknown = ask("199");
    assert_eq!(unknown.deployable, None);
    assert_eq!(unknown.counts.unknown, 2);
    // As a provider, app-1's version 199 verified contents 36..=39 of each consumer; the
    // deployed consumers (version 190, content 38) all pass, except where (199 + 38) % 17 == 0
    // (it is not: 237 = 13 * 17 + 16).
    let provider = CanIDeployQuery {
        specified: vec![SpecifiedVersion {
            pacticipant: "app-1".into(),
            version: VersionSpec::Number("199".into()),
        }],
        target: Target::Environment("production".into()),
        ignore: Vec::new(),
    };
    let provider = can_i_deploy(&index, &provider).expect("valid query");
    assert_eq!(
        (provider.deployable, provider.counts.success),
        (Some(true), 8)
    );
    let deployed = started.elapsed();

    let started = Instant::now();
    let query = PactsForVerificationQuery {
        provider: "app-1".into(),
        selectors: Vec::new(),
        provider_version_branch: Some("main".into()),
        provider_version_tags: Vec::new(),
        include_pending_status: true,
        include_wip_pacts_since: Some(
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                .single()
                .expect("valid date"),
        ),
    };
    let pacts = pacts_for_verification(&index, &query).expect("valid query");
    // 8 consumers: the main-branch head (199, content 39) and the deployed 190 (content 38).
    let explicit: Vec<_> = pacts.iter().filter(|p| !p.wip).collect();
    assert_eq!(explicit.len(), 16);
    assert!(
        pacts
            .iter()
            .filter(|p| p.wip)
            .all(|p| p.pending == Some(true))
    );
    let selected = started.elapsed();

    let started = Instant::now();
    let integration = MatrixQuery {
        selectors: vec![
            MatrixSelector {
                pacticipant: "app-21".into(),
                ..MatrixSelector::default()
            },
            MatrixSelector {
                pacticipant: "app-1".into(),
                ..MatrixSelector::default()
            },
        ],
        ..MatrixQuery::default()
    };
    // 200 consumer versions; each content is verified by 20 provider versions (5 per window
    // position, 4 positions), except the first contents and the last ones.
    let rows = matrix(&index, &integration).expect("valid query");
    assert!(rows.len() > 2_500, "{}", rows.len());
    let queried = started.elapsed();

    eprintln!(
        "generate {generated:?}, index {indexed:?}, can-i-deploy x3 {deployed:?}, \
         pacts for verification {selected:?}, matrix of one integration {queried:?}"
    );
}
