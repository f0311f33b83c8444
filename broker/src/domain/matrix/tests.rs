use super::*;
use crate::domain::scenario::Scenario;

fn selector(pacticipant: &str) -> MatrixSelector {
    MatrixSelector {
        pacticipant: pacticipant.to_owned(),
        ..MatrixSelector::default()
    }
}

fn version(pacticipant: &str, number: &str) -> MatrixSelector {
    MatrixSelector {
        version: Some(number.to_owned()),
        ..selector(pacticipant)
    }
}

/// Rows as (consumer version, provider version, success) for compact assertions.
fn table(rows: &[MatrixRow<'_>]) -> Vec<(String, Option<String>, Option<bool>)> {
    rows.iter()
        .map(|r| {
            (
                r.consumer_version.number.clone(),
                r.provider_version.map(|v| v.number.clone()),
                r.success(),
            )
        })
        .collect()
}

fn row(c: &str, p: Option<&str>, ok: Option<bool>) -> (String, Option<String>, Option<bool>) {
    (c.to_owned(), p.map(str::to_owned), ok)
}

#[test]
fn worked_example_whole_integration_is_the_left_join() {
    let s = Scenario::worked_example();
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![selector("Foo"), selector("Bar")],
        ..MatrixQuery::default()
    };
    let rows = matrix(&index, &query).unwrap();
    assert_eq!(
        table(&rows),
        vec![
            row("25", Some("58"), Some(false)),
            row("24", Some("58"), Some(true)),
            row("23", Some("58"), Some(true)),
            row("23", Some("57"), Some(false)),
            row("23", Some("56"), Some(true)),
            row("22", Some("56"), Some(true)),
        ]
    );
}

#[test]
fn a_pact_not_verified_by_the_selected_provider_version_is_an_unverified_row() {
    let s = Scenario::worked_example();
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![version("Foo", "24"), version("Bar", "56")],
        ..MatrixQuery::default()
    };
    assert_eq!(
        table(&matrix(&index, &query).unwrap()),
        vec![row("24", None, None)]
    );
}

#[test]
fn latestby_cvp_keeps_only_the_newest_provider_version() {
    let s = Scenario::worked_example();
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![version("Foo", "23"), selector("Bar")],
        latestby: Some(LatestBy::NewestProviderVersion),
        ..MatrixQuery::default()
    };
    assert_eq!(
        table(&matrix(&index, &query).unwrap()),
        vec![row("23", Some("58"), Some(true))]
    );
}

#[test]
fn latestby_cvpv_keeps_the_latest_result_per_provider_version() {
    let mut s = Scenario::worked_example();
    // Bar 57 is fixed and re-verifies 23 successfully: the latest result wins.
    s.verify("Bar", "57", "foo-23", true);
    let index = Index::new(s.data());
    let all = MatrixQuery {
        selectors: vec![version("Foo", "23"), selector("Bar")],
        ..MatrixQuery::default()
    };
    assert_eq!(
        matrix(&index, &all).unwrap().len(),
        4,
        "without latestby every result is a row"
    );
    let query = MatrixQuery {
        latestby: Some(LatestBy::EachProviderVersion),
        ..all
    };
    assert_eq!(
        table(&matrix(&index, &query).unwrap()),
        vec![
            row("23", Some("58"), Some(true)),
            row("23", Some("57"), Some(true)),
            row("23", Some("56"), Some(true))
        ]
    );
}

#[test]
fn latestby_cp_keeps_one_row_per_integration() {
    let s = Scenario::worked_example();
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![selector("Foo"), selector("Bar")],
        latestby: Some(LatestBy::NewestOfIntegration),
        ..MatrixQuery::default()
    };
    assert_eq!(
        table(&matrix(&index, &query).unwrap()),
        vec![row("25", Some("58"), Some(false))]
    );
}

#[test]
fn identical_content_from_a_new_consumer_version_is_pre_verified() {
    let mut s = Scenario::worked_example();
    s.publish("Foo", "26", "Bar", "foo-24");
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![version("Foo", "26"), selector("Bar")],
        ..MatrixQuery::default()
    };
    assert_eq!(
        table(&matrix(&index, &query).unwrap()),
        vec![row("26", Some("58"), Some(true))]
    );
}

#[test]
fn a_republished_revision_replaces_the_earlier_content() {
    let mut s = Scenario::worked_example();
    s.publish("Foo", "22", "Bar", "foo-22-revised");
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![version("Foo", "22"), selector("Bar")],
        ..MatrixQuery::default()
    };
    assert_eq!(
        table(&matrix(&index, &query).unwrap()),
        vec![row("22", None, None)]
    );
}

#[test]
fn one_selector_gives_rows_as_consumer_and_as_provider() {
    let mut s = Scenario::worked_example();
    s.publish("Bar", "58", "Baz", "bar-58")
        .verify("Baz", "1", "bar-58", true);
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![version("Bar", "58")],
        ..MatrixQuery::default()
    };
    let rows = matrix(&index, &query).unwrap();
    let pairs: Vec<_> = rows
        .iter()
        .map(|r| (r.consumer.name.as_str(), r.consumer_version.number.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![("Bar", "58"), ("Foo", "25"), ("Foo", "24"), ("Foo", "23")]
    );
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.provider_version.map(|v| v.number.as_str()) == Some("58"))
    );
}

#[test]
fn selectors_filter_by_branch_tag_environment_and_latest() {
    let mut s = Scenario::worked_example();
    s.branch("Foo", "23", "main")
        .branch("Foo", "24", "main")
        .branch("Foo", "25", "feat");
    s.tag("Foo", "22", "prod").tag("Foo", "23", "prod");
    s.deploy("Bar", "56", "production");
    s.main_branch("Foo", "main");
    let index = Index::new(s.data());
    let numbers = |foo: MatrixSelector, bar: MatrixSelector| {
        let rows = matrix(
            &index,
            &MatrixQuery {
                selectors: vec![foo, bar],
                ..MatrixQuery::default()
            },
        )
        .unwrap();
        let mut pairs: Vec<_> = rows
            .iter()
            .map(|r| {
                format!(
                    "{}-{}",
                    r.consumer_version.number,
                    r.provider_version.map_or("none", |v| v.number.as_str())
                )
            })
            .collect();
        pairs.dedup();
        pairs
    };
    let main = MatrixSelector {
        main_branch: true,
        latest: true,
        ..selector("Foo")
    };
    assert_eq!(numbers(main, selector("Bar")), vec!["24-58"]);
    let prod = MatrixSelector {
        tag: Some("prod".into()),
        ..selector("Foo")
    };
    let bar_in_production = MatrixSelector {
        environment: Some("production".into()),
        ..selector("Bar")
    };
    assert_eq!(
        numbers(prod, bar_in_production.clone()),
        vec!["23-56", "22-56"]
    );
    let feat = MatrixSelector {
        branch: Some("feat".into()),
        ..selector("Foo")
    };
    assert_eq!(numbers(feat, bar_in_production), vec!["25-none"]);
}

#[test]
fn success_filter_and_limit() {
    let s = Scenario::worked_example();
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![selector("Foo"), selector("Bar")],
        success: vec![Some(false)],
        limit: Some(1),
        ..MatrixQuery::default()
    };
    assert_eq!(
        table(&matrix(&index, &query).unwrap()),
        vec![row("25", Some("58"), Some(false))]
    );
}

#[test]
fn unknown_names_are_errors() {
    let s = Scenario::worked_example();
    let index = Index::new(s.data());
    let query = MatrixQuery {
        selectors: vec![selector("Nope")],
        ..MatrixQuery::default()
    };
    assert_eq!(
        matrix(&index, &query),
        Err(MatrixError::UnknownPacticipant("Nope".into()))
    );
    let env = MatrixSelector {
        environment: Some("mars".into()),
        ..selector("Foo")
    };
    let query = MatrixQuery {
        selectors: vec![env],
        ..MatrixQuery::default()
    };
    assert_eq!(
        matrix(&index, &query),
        Err(MatrixError::UnknownEnvironment("mars".into()))
    );
    assert_eq!(
        matrix(&index, &MatrixQuery::default()),
        Err(MatrixError::NoSelectors)
    );
}
