use super::*;
use crate::domain::scenario::Scenario;

/// web 1 -> orders 1 -> stock 1 in production, all verified against each other.
fn shop() -> Scenario {
    let mut s = Scenario::new();
    s.publish("web", "1", "orders", "w1")
        .publish("orders", "1", "stock", "o1")
        .verify("orders", "1", "w1", true)
        .verify("stock", "1", "o1", true)
        .deploy("web", "1", "production")
        .deploy("orders", "1", "production")
        .deploy("stock", "1", "production");
    s
}

fn change(service: &str, version: &str) -> ServiceVersion {
    ServiceVersion::new(service, version)
}

fn plan(s: &Scenario, changes: &[(&str, &str)], ignore: &[&str]) -> DeploymentPlan {
    let index = Index::new(s.data());
    let query = PlanQuery {
        changes: changes.iter().map(|(s, v)| change(s, v)).collect(),
        environment: "production".into(),
        ignore: ignore
            .iter()
            .map(|p| IgnoreSelector {
                pacticipant: (*p).to_owned(),
                version: None,
            })
            .collect(),
    };
    plan_deployment(&index, &query).unwrap()
}

/// Steps as "a 1 + b 2" strings.
fn order(plan: &DeploymentPlan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| {
            let names: Vec<String> = s.deploy.iter().map(ToString::to_string).collect();
            names.join(" + ")
        })
        .collect()
}

fn waits_for(step: &PlanStep) -> Vec<String> {
    step.after.iter().map(|p| p.after.to_string()).collect()
}

#[test]
fn a_chain_of_new_consumer_versions_goes_provider_first() {
    let mut s = shop();
    // web 2 relies on something only orders 2 has; orders 2 on something only stock 2 has.
    s.publish("web", "2", "orders", "w2")
        .publish("orders", "2", "stock", "o2")
        .verify("orders", "2", "w1", true)
        .verify("orders", "2", "w2", true)
        .verify("stock", "2", "o1", true)
        .verify("stock", "2", "o2", true);
    let plan = plan(&s, &[("web", "2"), ("orders", "2"), ("stock", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::Sequential);
    assert_eq!(order(&plan), ["stock 2", "orders 2", "web 2"]);
    assert!(plan.steps[0].after.is_empty());
    assert_eq!(waits_for(&plan.steps[1]), ["stock 2"]);
    assert_eq!(waits_for(&plan.steps[2]), ["orders 2"]);
    assert_eq!(
        plan.steps[2].after[0].reason,
        "web 2 needs orders 2: its pact with orders (content w2) is not verified by orders 1 (in production); \
         orders 2 passes it"
    );
    let row = &plan.steps[2].after[0].rows[0];
    assert_eq!(
        (
            row.consumer.as_str(),
            row.provider_version.as_deref(),
            row.status
        ),
        ("web", Some("1"), RowStatus::Unknown)
    );
    assert!(plan.blocked.is_empty() && plan.blocking_rows.is_empty());
}

#[test]
fn a_provider_dropping_a_field_waits_for_its_consumer_to_stop_using_it() {
    let mut s = shop();
    // stock 2 removes a field orders 1 reads; orders 2 no longer reads it and works with both.
    s.publish("orders", "2", "stock", "o2")
        .verify("orders", "2", "w1", true)
        .verify("stock", "1", "o2", true)
        .verify("stock", "2", "o1", false)
        .verify("stock", "2", "o2", true);
    let plan = plan(&s, &[("stock", "2"), ("orders", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::Sequential);
    assert_eq!(order(&plan), ["orders 2", "stock 2"]);
    assert_eq!(waits_for(&plan.steps[1]), ["orders 2"]);
    assert_eq!(
        plan.steps[1].after[0].reason,
        "stock 2 must wait for orders 2: it fails the pact of orders 1 (in production, content o1); \
         the pact of orders 2 passes"
    );
}

/// orders 2 needs stock 2 (its pact is verified only by stock 2), and stock 2 breaks the
/// deployed orders 1: neither can go first.
fn lockstep_shop() -> Scenario {
    let mut s = shop();
    s.publish("orders", "2", "stock", "o2")
        .verify("orders", "2", "w1", true)
        .verify("stock", "1", "o2", false)
        .verify("stock", "2", "o1", false)
        .verify("stock", "2", "o2", true);
    s
}

#[test]
fn a_true_lockstep_pair_ships_as_one_step_with_the_contracts_that_force_it() {
    let mut s = lockstep_shop();
    // web 2 needs orders 2 and comes after the pair.
    s.publish("web", "2", "orders", "w2")
        .verify("orders", "2", "w2", true);
    let plan = plan(&s, &[("web", "2"), ("orders", "2"), ("stock", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::NeedsGroups);
    assert_eq!(order(&plan), ["orders 2 + stock 2", "web 2"]);
    assert_eq!(plan.groups().count(), 1);
    let group = &plan.steps[0];
    let forced: Vec<(String, String, Option<String>, RowStatus)> = group
        .together_because
        .iter()
        .map(|r| {
            (
                r.consumer.clone(),
                r.consumer_version.clone(),
                r.provider_version.clone(),
                r.status,
            )
        })
        .collect();
    assert_eq!(
        forced,
        [
            (
                "orders".into(),
                "2".into(),
                Some("1".into()),
                RowStatus::Failed
            ),
            (
                "orders".into(),
                "1".into(),
                Some("2".into()),
                RowStatus::Failed
            ),
        ]
    );
    assert_eq!(waits_for(&plan.steps[1]), ["orders 2"]);
}

#[test]
fn a_batch_blocked_by_a_service_outside_it_ships_what_it_can_until_that_service_is_ignored() {
    let mut s = shop();
    // orders 2 starts calling fraud, which is not in production and not verified yet.
    s.publish("orders", "2", "stock", "o1")
        .publish("orders", "2", "fraud", "of2")
        .publish("web", "2", "orders", "w2")
        .verify("orders", "2", "w1", true)
        .verify("orders", "2", "w2", true);
    let blocked = plan(&s, &[("web", "2"), ("orders", "2")], &[]);
    assert_eq!(blocked.outcome, PlanOutcome::Blocked);
    assert!(blocked.steps.is_empty(), "{:?}", order(&blocked));
    assert_eq!(blocked.blocked, [change("web", "2"), change("orders", "2")]);
    let rows: Vec<(&str, Option<&str>)> = blocked
        .blocking_rows
        .iter()
        .map(|r| (r.provider.as_str(), r.provider_version.as_deref()))
        .collect();
    assert_eq!(rows, [("fraud", None)]);
    assert!(blocked.blocking_rows[0].fix.is_some());

    let ignoring = plan(&s, &[("web", "2"), ("orders", "2")], &["fraud"]);
    assert_eq!(ignoring.outcome, PlanOutcome::Sequential);
    assert_eq!(order(&ignoring), ["orders 2", "web 2"]);
}

#[test]
fn a_blocked_batch_still_ships_the_changes_that_can_go_now() {
    let mut s = shop();
    s.publish("orders", "2", "stock", "o1")
        .publish("orders", "2", "fraud", "of2")
        .verify("stock", "2", "o1", true);
    let plan = plan(&s, &[("orders", "2"), ("stock", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::Blocked);
    assert_eq!(order(&plan), ["stock 2"]);
    assert_eq!(plan.blocked, [change("orders", "2")]);
}

#[test]
fn independent_changes_keep_the_given_order() {
    let mut s = shop();
    s.publish("web", "2", "orders", "w1")
        .verify("stock", "2", "o1", true);
    let plan = plan(&s, &[("web", "2"), ("stock", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::Sequential);
    assert_eq!(order(&plan), ["web 2", "stock 2"]);
    assert!(plan.steps.iter().all(|s| s.after.is_empty()));
}

#[test]
fn bad_batches_are_errors() {
    let s = lockstep_shop();
    let index = Index::new(s.data());
    let ask = |changes: Vec<ServiceVersion>, environment: &str| {
        plan_deployment(
            &index,
            &PlanQuery {
                changes,
                environment: environment.into(),
                ignore: Vec::new(),
            },
        )
    };
    assert_eq!(ask(Vec::new(), "production"), Err(PlanError::NoChanges));
    assert_eq!(
        ask(vec![change("orders", "9")], "production"),
        Err(PlanError::UnknownVersion {
            service: "orders".into(),
            version: "9".into()
        })
    );
    assert_eq!(
        ask(
            vec![change("orders", "2"), change("orders", "1")],
            "production"
        ),
        Err(PlanError::DuplicateService("orders".into()))
    );
    assert_eq!(
        ask(vec![change("orders", "2")], "staging"),
        Err(PlanError::CanIDeploy(CanIDeployError::UnknownEnvironment(
            "staging".into()
        )))
    );
}

#[test]
fn combinations_come_in_lexicographic_order() {
    let mut c = vec![0, 1];
    let mut all = vec![c.clone()];
    while next_combination(&mut c, 4) {
        all.push(c.clone());
    }
    assert_eq!(
        all,
        [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]].map(|a| a.to_vec())
    );
}

#[test]
fn unrelated_changes_are_planned_apart_and_keep_their_place() {
    let mut s = lockstep_shop();
    s.publish("mail", "1", "smtp", "m1")
        .verify("smtp", "1", "m1", true)
        .deploy("mail", "1", "production")
        .deploy("smtp", "1", "production")
        .publish("mail", "2", "smtp", "m1");
    let plan = plan(&s, &[("mail", "2"), ("orders", "2"), ("stock", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::NeedsGroups);
    assert_eq!(order(&plan), ["mail 2", "orders 2 + stock 2"]);
}

#[test]
fn one_blocked_part_blocks_the_plan_but_the_others_still_ship() {
    let mut s = lockstep_shop();
    s.publish("mail", "2", "smtp", "m2");
    let plan = plan(&s, &[("mail", "2"), ("orders", "2"), ("stock", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::Blocked);
    assert_eq!(order(&plan), ["orders 2 + stock 2"]);
    assert_eq!(plan.blocked, [change("mail", "2")]);
    assert_eq!(plan.blocking_rows.len(), 1);
    assert_eq!(plan.blocking_rows[0].provider, "smtp");
}

#[test]
fn a_group_can_wait_for_a_single_change_that_goes_first() {
    // web 2 needs orders 2 and auth 2; orders 2 fails the pact of web 1; auth 2 serves both.
    let mut s = Scenario::new();
    s.publish("web", "1", "orders", "w1")
        .publish("web", "1", "auth", "a1")
        .verify("orders", "1", "w1", true)
        .verify("auth", "1", "a1", true);
    for name in ["web", "orders", "auth"] {
        s.deploy(name, "1", "production");
    }
    s.publish("web", "2", "orders", "w2")
        .publish("web", "2", "auth", "a2")
        .verify("orders", "2", "w1", false)
        .verify("orders", "2", "w2", true)
        .verify("auth", "2", "a1", true)
        .verify("auth", "2", "a2", true);
    let plan = plan(&s, &[("web", "2"), ("orders", "2"), ("auth", "2")], &[]);
    assert_eq!(plan.outcome, PlanOutcome::NeedsGroups);
    assert_eq!(order(&plan), ["auth 2", "web 2 + orders 2"]);
    assert_eq!(waits_for(&plan.steps[1]), ["auth 2"]);
    assert_eq!(
        plan.steps[1].after[0].reason,
        "web 2 needs auth 2: its pact with auth (content a2) is not verified by auth 1 (in production); \
         auth 2 passes it"
    );
    let forced: Vec<(&str, &str)> = plan.steps[1]
        .together_because
        .iter()
        .map(|r| (r.consumer_version.as_str(), r.provider.as_str()))
        .collect();
    assert_eq!(forced, [("2", "orders"), ("1", "orders")]);
}
