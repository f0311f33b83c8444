use super::*;
use crate::domain::scenario::Scenario;

/// Bar is verified against two consumers: Foo (main branch "main") and Qux (no main branch).
fn estate() -> Scenario {
    let mut s = Scenario::new();
    s.main_branch("Foo", "main");
    s.branch("Bar", "1", "main");
    s.publish_on("Foo", "1", "main", "Bar", "foo-1");
    s.publish_on("Foo", "2", "main", "Bar", "foo-2");
    s.publish_on("Foo", "3", "main", "Baz", "foo-3-baz"); // Foo 3 dropped Bar
    s.publish_on("Foo", "4", "feat-x", "Bar", "foo-4");
    s.publish("Foo", "5", "Bar", "foo-5");
    s.tag("Foo", "1", "prod")
        .tag("Foo", "2", "prod")
        .tag("Foo", "4", "beta");
    s.publish("Qux", "1", "Bar", "qux-1");
    s.publish("Qux", "2", "Bar", "qux-2");
    s.deploy("Foo", "1", "production")
        .deploy("Qux", "1", "test");
    s.release("Foo", "2", "production");
    s
}

fn sel() -> ConsumerVersionSelector {
    ConsumerVersionSelector::default()
}

fn query(selectors: Vec<ConsumerVersionSelector>) -> PactsForVerificationQuery {
    PactsForVerificationQuery {
        provider: "Bar".into(),
        selectors,
        ..Default::default()
    }
}

fn run<'a>(s: &'a Scenario, q: &PactsForVerificationQuery) -> Vec<VerifiablePact<'a>> {
    let index = Index::new(s.data());
    pacts_for_verification(&index, q).unwrap()
}

/// The selected contents, in answer order.
fn shas(s: &Scenario, q: &PactsForVerificationQuery) -> Vec<String> {
    run(s, q).iter().map(|p| p.content_sha.to_owned()).collect()
}

fn errors(s: &Scenario, q: &PactsForVerificationQuery) -> Vec<String> {
    let index = Index::new(s.data());
    match pacts_for_verification(&index, q) {
        Err(PactsForVerificationError::Invalid(errors)) => {
            errors.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn main_branch_selects_the_latest_pact_on_each_consumers_main_branch() {
    let s = estate();
    let q = query(vec![ConsumerVersionSelector {
        main_branch: Some(true),
        ..sel()
    }]);
    let pacts = run(&s, &q);
    assert_eq!(pacts.len(), 1, "Qux has no main branch");
    assert_eq!(
        pacts[0].content_sha, "foo-2",
        "Foo 3 on main has no pact with Bar"
    );
    let reason = &pacts[0].selected_by[0];
    assert_eq!(
        reason.description,
        "latest version of Foo from its main branch 'main' (2)"
    );
    assert_eq!(
        (reason.selector, reason.branch.as_deref(), reason.latest),
        (Some(0), Some("main"), true)
    );
    assert_eq!(pacts[0].pending, None, "pending status was not requested");
    assert_eq!(
        pacts[0].short_description,
        "Foo 2: latest version of Foo from its main branch 'main'"
    );
}

#[test]
fn branch_with_fallback_branch() {
    let s = estate();
    let branch = |b: &str, fallback: Option<&str>| {
        query(vec![ConsumerVersionSelector {
            branch: Some(b.into()),
            fallback_branch: fallback.map(Into::into),
            ..sel()
        }])
    };
    assert_eq!(shas(&s, &branch("feat-x", Some("main"))), vec!["foo-4"]);
    assert!(shas(&s, &branch("feat-y", None)).is_empty());
    let pacts = run(&s, &branch("feat-y", Some("main")));
    assert_eq!(pacts.len(), 1);
    assert_eq!(
        pacts[0].selected_by[0].description,
        "latest version of Foo from branch 'main' (fallback: branch 'feat-y' has no pact) (2)"
    );
}

#[test]
fn matching_branch_uses_the_provider_branch() {
    let s = estate();
    let mut q = query(vec![ConsumerVersionSelector {
        matching_branch: Some(true),
        ..sel()
    }]);
    q.provider_version_branch = Some("feat-x".into());
    assert_eq!(shas(&s, &q), vec!["foo-4"]);
    q.provider_version_branch = Some("feat-other".into());
    assert!(shas(&s, &q).is_empty());
    q.provider_version_branch = None;
    assert_eq!(
        errors(&s, &q),
        vec![
            "consumerVersionSelectors[0].matchingBranch: requires providerVersionBranch to be set in the request"
        ]
    );
}

#[test]
fn tags_latest_all_and_fallback() {
    let s = estate();
    let tag = |t: &str, latest: Option<bool>, fallback: Option<&str>| {
        query(vec![ConsumerVersionSelector {
            tag: Some(t.into()),
            latest,
            fallback_tag: fallback.map(Into::into),
            ..sel()
        }])
    };
    assert_eq!(shas(&s, &tag("prod", Some(true), None)), vec!["foo-2"]);
    assert_eq!(shas(&s, &tag("prod", None, None)), vec!["foo-1", "foo-2"]);
    assert_eq!(
        shas(&s, &tag("gamma", Some(true), Some("beta"))),
        vec!["foo-4"]
    );
    assert!(shas(&s, &tag("gamma", Some(true), None)).is_empty());
}

#[test]
fn latest_alone_and_consumer_restriction() {
    let s = estate();
    assert_eq!(
        shas(
            &s,
            &query(vec![ConsumerVersionSelector {
                latest: Some(true),
                ..sel()
            }])
        ),
        vec!["foo-5", "qux-2"]
    );
    let only_qux = ConsumerVersionSelector {
        latest: Some(true),
        consumer: Some("Qux".into()),
        ..sel()
    };
    assert_eq!(shas(&s, &query(vec![only_qux])), vec!["qux-2"]);
}

#[test]
fn deployed_released_and_environment() {
    let mut s = estate();
    s.release("Qux", "2", "production")
        .end_support("Qux", "2", "production");
    let q = |selector: ConsumerVersionSelector| shas(&s, &query(vec![selector]));
    assert_eq!(
        q(ConsumerVersionSelector {
            deployed: Some(true),
            ..sel()
        }),
        vec!["foo-1", "qux-1"]
    );
    assert_eq!(
        q(ConsumerVersionSelector {
            deployed: Some(true),
            environment: Some("production".into()),
            ..sel()
        }),
        vec!["foo-1"]
    );
    assert_eq!(
        q(ConsumerVersionSelector {
            released: Some(true),
            ..sel()
        }),
        vec!["foo-2"],
        "Qux 2 is no longer supported"
    );
    assert_eq!(
        q(ConsumerVersionSelector {
            deployed_or_released: Some(true),
            ..sel()
        }),
        vec!["foo-1", "foo-2", "qux-1"]
    );
    assert_eq!(
        q(ConsumerVersionSelector {
            environment: Some("production".into()),
            ..sel()
        }),
        vec!["foo-1", "foo-2"]
    );
    let pacts = run(
        &s,
        &query(vec![ConsumerVersionSelector {
            environment: Some("test".into()),
            ..sel()
        }]),
    );
    let reason = &pacts[0].selected_by[0];
    assert_eq!(
        reason.description,
        "a version of Qux currently deployed to test (1)"
    );
    assert_eq!(
        (reason.environment.as_deref(), reason.latest),
        (Some("test"), false)
    );
}

#[test]
fn the_same_content_is_verified_once_with_every_reason() {
    let mut s = estate();
    s.publish_on("Foo", "6", "main", "Bar", "foo-1"); // main head republishes the deployed content
    let q = query(vec![
        ConsumerVersionSelector {
            main_branch: Some(true),
            ..sel()
        },
        ConsumerVersionSelector {
            deployed: Some(true),
            consumer: Some("Foo".into()),
            ..sel()
        },
    ]);
    let pacts = run(&s, &q);
    assert_eq!(pacts.len(), 1);
    let reasons: Vec<_> = pacts[0]
        .selected_by
        .iter()
        .map(|r| (r.selector, r.description.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (
                Some(0),
                "latest version of Foo from its main branch 'main' (6)"
            ),
            (
                Some(1),
                "a version of Foo currently deployed to production (1)"
            ),
        ]
    );
    assert_eq!(pacts[0].notices.len(), 1);
    assert_eq!(pacts[0].notices[0].when.wire_name(), "before_verification");
    assert!(
        pacts[0].notices[0]
            .text
            .ends_with("'main' (6); a version of Foo currently deployed to production (1)")
    );
}

#[test]
fn default_selectors_are_main_branch_or_latest_plus_deployed_and_released() {
    let s = estate();
    let pacts = run(&s, &query(Vec::new()));
    let got: Vec<_> = pacts
        .iter()
        .map(|p| {
            let reasons: Vec<&str> = p
                .selected_by
                .iter()
                .map(|r| r.description.as_str())
                .collect();
            format!("{}: {}", p.content_sha, reasons.join(" + "))
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "foo-2: latest version of Foo from its main branch 'main' (2) + a version of Foo released and supported in production (2)",
            "foo-1: a version of Foo currently deployed to production (1)",
            "qux-2: latest version of Qux (2)",
            "qux-1: a version of Qux currently deployed to test (1)",
        ]
    );
    assert!(
        pacts
            .iter()
            .all(|p| p.selected_by.iter().all(|r| r.selector.is_none()))
    );
}

#[test]
fn default_selectors_fall_back_to_the_main_branch_tag() {
    let mut s = Scenario::new();
    s.main_branch("Foo", "master");
    s.publish("Foo", "1", "Bar", "tagged")
        .tag("Foo", "1", "master");
    s.publish("Foo", "2", "Bar", "newest");
    assert_eq!(shas(&s, &query(Vec::new())), vec!["tagged"]);
}

#[test]
fn pending_status_per_provider_branch_with_notices() {
    let mut s = estate();
    s.verify_on("Bar", "1", "main", "foo-2", true);
    let mut q = query(vec![ConsumerVersionSelector {
        main_branch: Some(true),
        ..sel()
    }]);
    q.include_pending_status = true;
    q.provider_version_branch = Some("main".into());
    let pacts = run(&s, &q);
    assert_eq!(pacts[0].pending, Some(false));
    let when: Vec<_> = pacts[0]
        .notices
        .iter()
        .map(|n| n.when.wire_name())
        .collect();
    assert_eq!(
        when,
        vec![
            "before_verification",
            "before_verification",
            "after_verification:success_false_published_false",
            "after_verification:success_false_published_true"
        ]
    );

    q.provider_version_branch = Some("feat-old".into());
    s.branch("Bar", "0", "feat-old");
    // feat-old was created after main verified: not pending either.
    assert_eq!(run(&s, &q)[0].pending, Some(false));

    let mut s = estate();
    s.branch("Bar", "2", "feat-early");
    s.verify_on("Bar", "1", "main", "foo-2", true);
    q.provider_version_branch = Some("feat-early".into());
    let pacts = run(&s, &q);
    assert_eq!(pacts[0].pending, Some(true));
    assert_eq!(
        pacts[0].notices.len(),
        6,
        "why it was selected, then the pending notices"
    );
    assert!(
        pacts[0].notices[1]
            .text
            .starts_with("This pact is in pending state for this version of Bar")
    );
}

#[test]
fn wip_pacts_follow_the_selected_ones() {
    let mut s = estate();
    let since = s.now();
    s.publish_on("Foo", "7", "feat-new", "Bar", "foo-7");
    let mut q = query(vec![ConsumerVersionSelector {
        main_branch: Some(true),
        ..sel()
    }]);
    q.provider_version_branch = Some("main".into());
    q.include_wip_pacts_since = Some(since);
    let pacts = run(&s, &q);
    let got: Vec<_> = pacts
        .iter()
        .map(|p| (p.content_sha, p.pending, p.wip))
        .collect();
    assert_eq!(
        got,
        vec![("foo-2", None, false), ("foo-7", Some(true), true)]
    );
    let wip = &pacts[1];
    assert_eq!(
        wip.selected_by[0].description,
        "latest version of Foo from branch 'feat-new' (7)"
    );
    assert!(
        wip.notices[0]
            .text
            .starts_with("This pact is being verified because it is a work-in-progress pact")
    );

    q.include_wip_pacts_since = Some(s.now() + chrono::Duration::minutes(1));
    assert_eq!(
        shas(&s, &q),
        vec!["foo-2"],
        "nothing published after the cut-off"
    );
    q.include_wip_pacts_since = Some(since);
    q.provider_version_branch = None;
    assert_eq!(shas(&s, &q), vec!["foo-2"], "WIP needs a provider branch");
}

#[test]
fn invalid_selectors_name_the_index_and_the_key() {
    let s = estate();
    let q = query(vec![
        ConsumerVersionSelector {
            consumer: Some("Foo".into()),
            ..sel()
        },
        ConsumerVersionSelector {
            tag: Some("prod".into()),
            branch: Some("main".into()),
            ..sel()
        },
        ConsumerVersionSelector {
            branch: Some("main".into()),
            environment: Some("production".into()),
            ..sel()
        },
        ConsumerVersionSelector {
            deployed: Some(true),
            released: Some(true),
            ..sel()
        },
        ConsumerVersionSelector {
            tag: Some("prod".into()),
            fallback_tag: Some("x".into()),
            ..sel()
        },
        ConsumerVersionSelector {
            fallback_branch: Some("main".into()),
            latest: Some(true),
            ..sel()
        },
        ConsumerVersionSelector {
            main_branch: Some(true),
            tag: Some("prod".into()),
            ..sel()
        },
        ConsumerVersionSelector {
            environment: Some("mars".into()),
            ..sel()
        },
        ConsumerVersionSelector {
            branch: Some("".into()),
            ..sel()
        },
        ConsumerVersionSelector {
            branch: Some("main".into()),
            latest: Some(false),
            ..sel()
        },
        ConsumerVersionSelector {
            deployed: Some(false),
            ..sel()
        },
    ]);
    assert_eq!(
        errors(&s, &q),
        vec![
            "consumerVersionSelectors[0]: must specify a value for environment, tag or branch, or set one of \
             mainBranch, matchingBranch, latest, deployed, released or deployedOrReleased to true",
            "consumerVersionSelectors[1].branch: cannot be combined with tag",
            "consumerVersionSelectors[2].environment: cannot be combined with branch: branch and tag keys select \
             by version history, environment keys by what is deployed or released",
            "consumerVersionSelectors[3].released: cannot be combined with deployed",
            "consumerVersionSelectors[4].fallbackTag: requires latest to be true",
            "consumerVersionSelectors[5].fallbackBranch: requires branch",
            "consumerVersionSelectors[6].tag: cannot be combined with mainBranch (only consumer and latest can)",
            "consumerVersionSelectors[7].environment: no environment named \"mars\" exists",
            "consumerVersionSelectors[8].branch: must not be blank",
            "consumerVersionSelectors[9].latest: cannot be false with branch: a branch selector always selects \
             the latest pact",
            "consumerVersionSelectors[10].deployed: can only be true (leave it out instead)",
        ]
    );
}

#[test]
fn a_blank_provider_branch_with_pending_is_invalid_and_unknown_providers_are_errors() {
    let s = estate();
    let mut q = query(vec![ConsumerVersionSelector {
        latest: Some(true),
        ..sel()
    }]);
    q.include_pending_status = true;
    q.provider_version_branch = Some(" ".into());
    assert_eq!(
        errors(&s, &q),
        vec![
            "providerVersionBranch: must not be blank when includePendingStatus or includeWipPactsSince is set"
        ]
    );
    let index = Index::new(s.data());
    let unknown = PactsForVerificationQuery {
        provider: "Nope".into(),
        ..Default::default()
    };
    assert_eq!(
        pacts_for_verification(&index, &unknown),
        Err(PactsForVerificationError::UnknownProvider("Nope".into()))
    );
}

#[test]
fn selectors_deserialise_from_pacts_wire_names() {
    let json = r#"{"mainBranch": true, "fallbackBranch": "dev", "deployedOrReleased": true, "consumer": "Foo"}"#;
    let selector: ConsumerVersionSelector = serde_json::from_str(json).unwrap();
    assert_eq!(selector.main_branch, Some(true));
    assert_eq!(selector.fallback_branch.as_deref(), Some("dev"));
    assert_eq!(selector.deployed_or_released, Some(true));
    assert_eq!(selector.consumer.as_deref(), Some("Foo"));
}

#[test]
fn pending_status_from_provider_tags_when_no_branch_is_given() {
    let mut s = estate();
    s.tag("Bar", "5", "master")
        .verify("Bar", "5", "foo-2", true);
    let mut q = query(vec![ConsumerVersionSelector {
        main_branch: Some(true),
        ..sel()
    }]);
    q.include_pending_status = true;
    q.provider_version_branch = Some(String::new());
    q.provider_version_tags = vec!["master".into()];
    let pacts = run(&s, &q);
    assert_eq!(pacts[0].pending, Some(false));
    assert!(
        pacts[0].notices[1]
            .text
            .contains("a version of Bar with tag 'master' has verified it"),
        "{:?}",
        pacts[0].notices
    );
    q.provider_version_tags = vec!["dev".into(), "other".into()];
    s.tag("Bar", "0", "dev");
    let pacts = run(&s, &q);
    assert_eq!(
        pacts[0].pending,
        Some(false),
        "dev was first used after master verified it"
    );
    q.provider_version_tags = Vec::new();
    q.provider_version_branch = None;
    assert_eq!(
        run(&s, &q)[0].pending,
        Some(false),
        "without branch or tags, any success counts"
    );
}
