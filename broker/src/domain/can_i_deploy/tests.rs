use super::*;
use crate::domain::scenario::Scenario;

/// Pact's worked example, with a production environment and nothing deployed yet.
fn worked_example() -> Scenario {
    let mut s = Scenario::worked_example();
    s.environment("production");
    s
}

fn version(pacticipant: &str, number: &str) -> SpecifiedVersion {
    SpecifiedVersion {
        pacticipant: pacticipant.to_owned(),
        version: VersionSpec::Number(number.to_owned()),
    }
}

fn to_production(specified: Vec<SpecifiedVersion>) -> CanIDeployQuery {
    CanIDeployQuery {
        specified,
        target: Target::Environment("production".to_owned()),
        ignore: Vec::new(),
    }
}

fn ask<'a>(s: &'a Scenario, query: &CanIDeployQuery) -> CanIDeployAnswer<'a> {
    let index = Index::new(s.data());
    can_i_deploy(&index, query).unwrap()
}

/// Rows as "consumer-provider:status" for compact assertions.
fn pairs(answer: &CanIDeployAnswer<'_>) -> Vec<String> {
    let mut pairs: Vec<String> = answer
        .rows
        .iter()
        .map(|r| {
            let provider = r.row.provider_version.map_or("none", |v| v.number.as_str());
            let ignored = if r.ignored { " ignored" } else { "" };
            format!(
                "{}-{provider}:{:?}{ignored}",
                r.row.consumer_version.number, r.status
            )
        })
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn worked_example_foo_23_can_go_to_production_with_bar_56() {
    let mut s = worked_example();
    s.deploy("Bar", "56", "production");
    let answer = ask(&s, &to_production(vec![version("Foo", "23")]));
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(pairs(&answer), vec!["23-56:Success"]);
    assert_eq!(
        answer.reasons,
        vec!["All required verification results are published and successful"]
    );
    assert_eq!(
        answer.counts,
        Counts {
            success: 1,
            failed: 0,
            unknown: 0,
            ignored: 0
        }
    );
}

#[test]
fn worked_example_foo_24_is_unknown_until_bar_58_is_deployed() {
    let mut s = worked_example();
    s.deploy("Bar", "56", "production");
    let answer = ask(&s, &to_production(vec![version("Foo", "24")]));
    assert_eq!(answer.deployable, None);
    assert_eq!(pairs(&answer), vec!["24-56:Unknown"]);
    assert_eq!(
        answer.reasons,
        vec![
            "There is no verified pact between version 24 of Foo and a version of Bar currently deployed to production (56)"
        ]
    );
    let fix = answer.rows[0].fix.as_deref().unwrap();
    assert!(
        fix.starts_with("Run the verification of Bar 56 against the pact of Foo 24"),
        "{fix}"
    );
    assert!(
        fix.contains("Bar versions that passed this pact: 58"),
        "{fix}"
    );

    s.deploy("Bar", "58", "production");
    let answer = ask(&s, &to_production(vec![version("Foo", "24")]));
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(pairs(&answer), vec!["24-58:Success"]);
}

#[test]
fn worked_example_bar_58_can_follow_foo_24_but_not_56_or_57() {
    let mut s = worked_example();
    s.deploy("Foo", "24", "production");
    assert_eq!(
        ask(&s, &to_production(vec![version("Bar", "58")])).deployable,
        Some(true)
    );
    for bar in ["56", "57"] {
        let answer = ask(&s, &to_production(vec![version("Bar", bar)]));
        assert_eq!(answer.deployable, None, "Bar {bar}");
        assert_eq!(pairs(&answer), vec![format!("24-{bar}:Unknown")]);
        let fix = answer.rows[0].fix.as_deref().unwrap();
        assert!(
            fix.contains("Bar versions that passed this pact: 58"),
            "{fix}"
        );
    }
}

#[test]
fn a_provider_with_no_consumer_in_the_environment_is_deployable() {
    let s = worked_example();
    let answer = ask(&s, &to_production(vec![version("Bar", "57")]));
    assert_eq!(answer.deployable, Some(true));
    assert!(answer.rows.is_empty());
    assert_eq!(answer.reasons, vec!["There are no missing dependencies"]);
}

#[test]
fn a_consumer_whose_provider_is_not_in_the_environment_is_unknown() {
    let s = worked_example();
    let answer = ask(&s, &to_production(vec![version("Foo", "23")]));
    assert_eq!(answer.deployable, None);
    assert_eq!(pairs(&answer), vec!["23-none:Unknown"]);
    assert_eq!(answer.counts.unknown, 1);
    assert!(
        answer.reasons[0]
            .contains("a version of Bar currently in production (no version is currently recorded")
    );
    let fix = answer.rows[0].fix.as_deref().unwrap();
    assert_eq!(
        fix,
        "Deploy a version of Bar that passed the pact of Foo 23 to production first: 58, 56"
    );
}

#[test]
fn every_provider_version_in_the_environment_must_pass() {
    let mut s = worked_example();
    s.deploy_instance("Bar", "56", "production", Some("eu"))
        .deploy_instance("Bar", "58", "production", Some("us"));
    let both = ask(&s, &to_production(vec![version("Foo", "23")]));
    assert_eq!(both.deployable, Some(true));
    assert_eq!(pairs(&both), vec!["23-56:Success", "23-58:Success"]);
    for foo in ["22", "24"] {
        assert_eq!(
            ask(&s, &to_production(vec![version("Foo", foo)])).deployable,
            None,
            "Foo {foo}"
        );
    }
    // Unknown dominates failure, as in Pact; both are counted.
    let answer = ask(&s, &to_production(vec![version("Foo", "25")]));
    assert_eq!(answer.deployable, None);
    assert_eq!(
        answer.counts,
        Counts {
            success: 0,
            failed: 1,
            unknown: 1,
            ignored: 0
        }
    );
    assert_eq!(answer.reasons.len(), 2);
}

#[test]
fn every_consumer_version_released_in_the_environment_must_pass() {
    let mut s = worked_example();
    s.release("Foo", "22", "production")
        .release("Foo", "24", "production");
    let answer = ask(&s, &to_production(vec![version("Bar", "58")]));
    assert_eq!(answer.deployable, None);
    assert_eq!(pairs(&answer), vec!["22-58:Unknown", "24-58:Success"]);
    assert!(
        answer.reasons[0]
            .contains("a version of Foo currently released and supported in production (22)")
    );

    s.end_support("Foo", "22", "production");
    let answer = ask(&s, &to_production(vec![version("Bar", "58")]));
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(pairs(&answer), vec!["24-58:Success"]);
}

#[test]
fn an_undeployed_version_no_longer_counts() {
    let mut s = worked_example();
    s.deploy("Foo", "22", "production")
        .undeploy("Foo", "22", "production");
    assert_eq!(
        ask(&s, &to_production(vec![version("Bar", "58")])).deployable,
        Some(true)
    );
}

#[test]
fn a_consumer_that_dropped_the_integration_does_not_need_or_block_the_provider() {
    let mut s = worked_example();
    s.publish("Foo", "30", "Baz", "foo-30-baz")
        .verify("Baz", "1", "foo-30-baz", true);
    s.deploy("Baz", "1", "production")
        .deploy("Bar", "57", "production");
    let consumer = ask(&s, &to_production(vec![version("Foo", "30")]));
    assert_eq!(consumer.deployable, Some(true));
    assert_eq!(pairs(&consumer), vec!["30-1:Success"]);

    s.deploy("Foo", "30", "production");
    let provider = ask(&s, &to_production(vec![version("Bar", "56")]));
    assert_eq!(provider.deployable, Some(true));
    assert!(provider.rows.is_empty());
}

#[test]
fn identical_content_from_a_new_consumer_version_is_already_verified() {
    let mut s = worked_example();
    s.deploy("Bar", "58", "production");
    s.publish("Foo", "26", "Bar", "foo-24");
    let answer = ask(&s, &to_production(vec![version("Foo", "26")]));
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(pairs(&answer), vec!["26-58:Success"]);
}

#[test]
fn a_failed_verification_blocks_until_fixed() {
    let mut s = worked_example();
    s.deploy("Foo", "25", "production");
    let failed = ask(&s, &to_production(vec![version("Bar", "58")]));
    assert_eq!(failed.deployable, Some(false));
    assert_eq!(
        failed.reasons,
        vec![
            "The verification for the pact between a version of Foo currently deployed to production (25) and version 58 of Bar failed"
        ]
    );
    let fix = failed.rows[0].fix.as_deref().unwrap();
    assert!(fix.starts_with("Bar 58 fails the pact of Foo 25"), "{fix}");
    assert!(
        fix.contains("or first replace Foo 25 with a version whose pact it passes: 24, 23"),
        "{fix}"
    );

    // A new provider version fixes it; the old one re-verified successfully is fine too.
    s.verify("Bar", "59", "foo-25", true);
    assert_eq!(
        ask(&s, &to_production(vec![version("Bar", "59")])).deployable,
        Some(true)
    );
    s.verify("Bar", "58", "foo-25", true);
    assert_eq!(
        ask(&s, &to_production(vec![version("Bar", "58")])).deployable,
        Some(true)
    );
}

#[test]
fn ignored_rows_are_kept_marked_and_do_not_decide() {
    let mut s = worked_example();
    s.deploy("Foo", "25", "production");
    let mut query = to_production(vec![version("Bar", "58")]);
    query.ignore = vec![IgnoreSelector {
        pacticipant: "Foo".into(),
        version: None,
    }];
    let answer = ask(&s, &query);
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(pairs(&answer), vec!["25-58:Failed ignored"]);
    assert_eq!(
        answer.counts,
        Counts {
            success: 0,
            failed: 0,
            unknown: 0,
            ignored: 1
        }
    );
    assert!(answer.reasons[0].starts_with("Ignoring: The verification for the pact between"));
    assert_eq!(answer.reasons[1], "There are no missing dependencies");

    query.ignore = vec![IgnoreSelector {
        pacticipant: "Foo".into(),
        version: Some("24".into()),
    }];
    assert_eq!(
        ask(&s, &query).deployable,
        Some(false),
        "ignoring another version changes nothing"
    );

    query.ignore = vec![
        IgnoreSelector {
            pacticipant: "Foo".into(),
            version: Some("25".into()),
        },
        IgnoreSelector {
            pacticipant: "Nobody".into(),
            version: None,
        },
        IgnoreSelector {
            pacticipant: "Foo".into(),
            version: Some("99".into()),
        },
    ];
    let answer = ask(&s, &query);
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(
        answer.warnings,
        vec![
            "Ignoring Nobody: no pacticipant with that name exists",
            "Ignoring version 99 of Foo: no such version exists"
        ]
    );
}

#[test]
fn versions_deployed_as_a_set_replace_their_own_deployed_versions() {
    let mut s = worked_example();
    s.deploy("Bar", "56", "production")
        .deploy("Foo", "22", "production");
    assert_eq!(
        ask(&s, &to_production(vec![version("Foo", "24")])).deployable,
        None
    );
    assert_eq!(
        ask(&s, &to_production(vec![version("Bar", "58")])).deployable,
        None
    );
    let together = ask(
        &s,
        &to_production(vec![version("Foo", "24"), version("Bar", "58")]),
    );
    assert_eq!(together.deployable, Some(true));
    assert_eq!(pairs(&together), vec!["24-58:Success"]);
    assert_eq!(together.rows[0].consumer_selection, Selection::Specified);
    assert_eq!(together.rows[0].provider_selection, Selection::Specified);

    let broken = ask(
        &s,
        &to_production(vec![version("Foo", "25"), version("Bar", "58")]),
    );
    assert_eq!(broken.deployable, Some(false));
}

#[test]
fn a_set_still_checks_the_other_applications_in_the_environment() {
    let mut s = worked_example();
    s.publish("Qux", "1", "Bar", "qux-1")
        .verify("Bar", "56", "qux-1", true);
    s.deploy("Qux", "1", "production");
    let answer = ask(
        &s,
        &to_production(vec![version("Foo", "24"), version("Bar", "58")]),
    );
    assert_eq!(answer.deployable, None);
    assert_eq!(pairs(&answer), vec!["1-58:Unknown", "24-58:Success"]);
}

#[test]
fn specified_only_checks_the_listed_versions_against_each_other() {
    let mut s = worked_example();
    s.deploy("Bar", "56", "production");
    let query = CanIDeployQuery {
        specified: vec![version("Foo", "23"), version("Bar", "57")],
        target: Target::SpecifiedOnly,
        ignore: Vec::new(),
    };
    let answer = ask(&s, &query);
    assert_eq!(answer.deployable, Some(false));
    assert_eq!(pairs(&answer), vec!["23-57:Failed"]);
}

#[test]
fn the_tag_form_checks_the_latest_version_with_the_tag() {
    let mut s = worked_example();
    s.tag("Bar", "56", "prod").tag("Bar", "58", "prod");
    let query = CanIDeployQuery {
        specified: vec![version("Foo", "24")],
        target: Target::Tag("prod".into()),
        ignore: Vec::new(),
    };
    let answer = ask(&s, &query);
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(pairs(&answer), vec!["24-58:Success"]);
}

#[test]
fn latest_on_a_branch_selects_the_version_to_deploy() {
    let mut s = worked_example();
    s.branch("Foo", "23", "main")
        .branch("Foo", "24", "main")
        .branch("Foo", "25", "feat");
    s.deploy("Bar", "58", "production");
    let spec = |branch: &str| SpecifiedVersion {
        pacticipant: "Foo".into(),
        version: VersionSpec::LatestOnBranch(branch.into()),
    };
    let main = ask(&s, &to_production(vec![spec("main")]));
    assert_eq!(main.deployable, Some(true));
    assert_eq!(
        main.specified[0].version.map(|v| v.number.as_str()),
        Some("24")
    );
    assert!(main.warnings[0].starts_with("Specify the version number"));
    assert_eq!(
        ask(&s, &to_production(vec![spec("feat")])).deployable,
        Some(false)
    );
    let missing = ask(&s, &to_production(vec![spec("nope")]));
    assert_eq!(missing.deployable, Some(false));
    assert_eq!(
        missing.reasons,
        vec!["the latest version of Foo from branch nope does not exist"]
    );
}

#[test]
fn main_branch_target_answers_can_i_merge() {
    let mut s = worked_example();
    s.main_branch("Bar", "main").branch("Bar", "57", "main");
    let query = CanIDeployQuery {
        specified: vec![version("Foo", "23")],
        target: Target::MainBranch,
        ignore: Vec::new(),
    };
    let answer = ask(&s, &query);
    assert_eq!(answer.deployable, Some(false));
    assert_eq!(pairs(&answer), vec!["23-57:Failed"]);
    assert!(answer.reasons[0].contains("the latest version of Bar from branch main (57)"));
}

#[test]
fn a_version_that_does_not_exist_is_not_deployable() {
    let s = worked_example();
    let answer = ask(&s, &to_production(vec![version("Foo", "99")]));
    assert_eq!(answer.deployable, Some(false));
    assert_eq!(answer.reasons, vec!["version 99 of Foo does not exist"]);
}

#[test]
fn unknown_names_are_errors() {
    let s = worked_example();
    let index = Index::new(s.data());
    let err = can_i_deploy(&index, &to_production(vec![version("Nope", "1")])).unwrap_err();
    assert_eq!(err, CanIDeployError::UnknownPacticipant("Nope".into()));
    let mut query = to_production(vec![version("Foo", "22")]);
    query.target = Target::Environment("mars".into());
    assert_eq!(
        can_i_deploy(&index, &query).unwrap_err(),
        CanIDeployError::UnknownEnvironment("mars".into())
    );
    assert_eq!(
        can_i_deploy(&index, &to_production(Vec::new())).unwrap_err(),
        CanIDeployError::NothingSpecified
    );
}

#[test]
fn a_set_with_a_missing_version_is_not_deployable() {
    let mut s = worked_example();
    s.deploy("Bar", "58", "production");
    let answer = ask(
        &s,
        &to_production(vec![version("Foo", "24"), version("Bar", "99")]),
    );
    assert_eq!(answer.deployable, Some(false));
    assert_eq!(pairs(&answer), vec!["24-none:Unknown"]);
    assert_eq!(
        answer.reasons,
        vec![
            "version 99 of Bar does not exist",
            "There is no verified pact between version 24 of Foo and a version of Bar (none found)"
        ]
    );
}

#[test]
fn ignoring_an_absent_provider_lets_the_consumer_go() {
    let s = worked_example();
    let mut query = to_production(vec![version("Foo", "23")]);
    query.ignore = vec![IgnoreSelector {
        pacticipant: "Bar".into(),
        version: None,
    }];
    let answer = ask(&s, &query);
    assert_eq!(answer.deployable, Some(true));
    assert_eq!(pairs(&answer), vec!["23-none:Unknown ignored"]);
    assert_eq!(answer.counts.ignored, 1);
}

#[test]
fn both_directions_of_a_two_way_integration_are_checked() {
    let mut s = Scenario::new();
    s.publish("Web", "2", "Api", "web-2")
        .publish("Api", "1", "Web", "api-1");
    s.verify("Api", "1", "web-2", true)
        .verify("Web", "2", "api-1", false);
    s.deploy("Api", "1", "production");
    let answer = ask(&s, &to_production(vec![version("Web", "2")]));
    assert_eq!(answer.deployable, Some(false));
    let rows: Vec<_> = answer
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} {} -> {} {:?}",
                r.row.consumer.name, r.row.consumer_version.number, r.row.provider.name, r.status
            )
        })
        .collect();
    assert_eq!(rows, vec!["Api 1 -> Web Failed", "Web 2 -> Api Success"]);
}

#[test]
fn latest_with_tag_and_no_target_warn_about_races() {
    let mut s = worked_example();
    s.tag("Foo", "23", "prod");
    let query = CanIDeployQuery {
        specified: vec![SpecifiedVersion {
            pacticipant: "Foo".into(),
            version: VersionSpec::LatestWithTag("prod".into()),
        }],
        target: Target::Latest,
        ignore: Vec::new(),
    };
    let answer = ask(&s, &query);
    assert_eq!(
        answer.deployable,
        Some(true),
        "Bar's latest version, 58, verified Foo 23"
    );
    assert_eq!(pairs(&answer), vec!["23-58:Success"]);
    assert_eq!(answer.warnings.len(), 2);
    assert!(answer.warnings[1].starts_with("Specify the environment"));
}

#[test]
fn reasons_and_warnings_become_typed_notices() {
    let mut s = worked_example();
    s.deploy("Foo", "25", "production")
        .deploy("Foo", "22", "test");
    let mut query = to_production(vec![version("Bar", "58")]);
    let levels = |answer: &CanIDeployAnswer<'_>| -> Vec<&str> {
        answer
            .notices()
            .iter()
            .map(|(level, _)| level.wire_name())
            .collect()
    };
    assert_eq!(levels(&ask(&s, &query)), vec!["error"]);
    query.ignore = vec![IgnoreSelector {
        pacticipant: "Foo".into(),
        version: None,
    }];
    query.specified[0].version = VersionSpec::Latest;
    let answer = ask(&s, &query);
    assert_eq!(levels(&answer), vec!["warning", "success", "warning"]);
    assert_eq!(answer.notices()[1].1, "There are no missing dependencies");
}
