use chrono::Duration;

use super::structure::strongly_connected;
use super::*;
use crate::domain::can_i_deploy::RowStatus;
use crate::domain::graph::EdgeKind;
use crate::domain::scenario::Scenario;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// web -> orders -> payments -> notifications -> orders (notifications consumes the events
/// orders publishes), and payments -> bank; everything deployed to production.
fn loop_of_three() -> Scenario {
    let mut s = Scenario::new();
    s.publish("web", "1", "orders", "web-orders")
        .summarise("web-orders", 3, 0, &["GET /orders response.body$.id"])
        .publish("orders", "1", "payments", "orders-payments")
        .summarise(
            "orders-payments",
            1,
            0,
            &["POST /payments request.body$.amount"],
        )
        .publish("payments", "1", "notifications", "payments-notifications")
        .summarise(
            "payments-notifications",
            1,
            0,
            &["POST /notify request.body$.to"],
        )
        .publish("notifications", "1", "orders", "notifications-orders")
        .summarise(
            "notifications-orders",
            0,
            1,
            &[
                "message order-placed body$.orderId",
                "message order-placed body$.email",
            ],
        )
        .publish("payments", "1", "bank", "payments-bank");
    for name in ["web", "orders", "payments", "notifications", "bank"] {
        s.deploy(name, "1", "production");
    }
    s
}

fn production_graph(s: &Scenario) -> ServiceGraph {
    service_graph(
        &Index::new(s.data()),
        &GraphScope::Environment("production".into()),
    )
    .unwrap()
}

#[test]
fn a_cycle_of_three_through_http_and_a_message_is_found_with_its_edges() {
    let s = loop_of_three();
    let found = cycles(&production_graph(&s));
    assert_eq!(found.len(), 1);
    let cycle = &found[0];
    assert_eq!(
        cycle.services,
        names(&["notifications", "orders", "payments"])
    );
    assert_eq!(
        cycle.path,
        names(&["notifications", "orders", "payments", "notifications"])
    );
    let edges: Vec<(&str, &str, EdgeKind)> = cycle
        .edges
        .iter()
        .map(|e| (e.consumer.as_str(), e.provider.as_str(), e.kind))
        .collect();
    assert_eq!(
        edges,
        [
            ("notifications", "orders", EdgeKind::Message),
            ("orders", "payments", EdgeKind::Http),
            ("payments", "notifications", EdgeKind::Http),
        ]
    );
    assert!(cycle.through_messages);
}

#[test]
fn without_the_message_edge_there_is_no_cycle() {
    let mut s = loop_of_three();
    // notifications 2 stops consuming order events and replaces version 1.
    s.publish("notifications", "2", "bank", "notifications-bank")
        .deploy("notifications", "2", "production");
    assert!(cycles(&production_graph(&s)).is_empty());
}

#[test]
fn strongly_connected_components_come_sinks_first_and_survive_deep_graphs() {
    // 0 -> 1 -> 2 -> 0, 2 -> 3, 4 alone.
    let successors = vec![vec![1], vec![2], vec![0, 3], vec![], vec![]];
    assert_eq!(
        strongly_connected(&successors),
        vec![vec![3], vec![0, 1, 2], vec![4]]
    );
    // A chain of 200,000 services closed into one loop: recursion would overflow.
    let n = 200_000;
    let ring: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
    let components = strongly_connected(&ring);
    assert_eq!(components.len(), 1);
    assert_eq!(components[0].len(), n);
}

#[test]
fn hubs_count_fan_in_fan_out_and_blast_radius() {
    let mut s = loop_of_three();
    s.publish("mobile", "1", "orders", "mobile-orders")
        .deploy("mobile", "1", "production");
    let found = hubs(&production_graph(&s));
    let orders = &found[0];
    assert_eq!(orders.service, "orders");
    assert_eq!((orders.fan_in, orders.fan_out), (3, 1));
    assert_eq!(orders.consumers, names(&["mobile", "notifications", "web"]));
    assert_eq!(orders.providers, names(&["payments"]));
    // Everyone but bank relies on orders, directly or through the loop.
    assert_eq!(orders.blast_radius, 4);
    let bank = found.iter().find(|h| h.service == "bank").unwrap();
    assert_eq!((bank.fan_in, bank.fan_out, bank.blast_radius), (1, 0, 5));
    let web = found.iter().find(|h| h.service == "web").unwrap();
    assert_eq!((web.fan_in, web.fan_out, web.blast_radius), (0, 1, 0));
}

#[test]
fn the_longest_chain_collapses_a_cycle_into_one_link() {
    let mut s = loop_of_three();
    s.publish("mobile", "1", "orders", "mobile-orders")
        .deploy("mobile", "1", "production");
    let chains = longest_chains(&production_graph(&s));
    assert_eq!(chains.depth, 3);
    let links = |c: &[&[&str]]| -> Vec<Vec<String>> { c.iter().map(|l| names(l)).collect() };
    assert_eq!(
        chains.chains,
        [
            links(&[
                &["mobile"],
                &["notifications", "orders", "payments"],
                &["bank"]
            ]),
            links(&[
                &["web"],
                &["notifications", "orders", "payments"],
                &["bank"]
            ]),
        ]
    );
}

#[test]
fn a_plain_chain_without_cycles_has_one_link_per_service() {
    let mut s = Scenario::new();
    s.publish("a", "1", "b", "ab")
        .publish("b", "1", "c", "bc")
        .publish("x", "1", "c", "xc");
    for name in ["a", "b", "c", "x"] {
        s.deploy(name, "1", "production");
    }
    let chains = longest_chains(&production_graph(&s));
    assert_eq!(chains.depth, 3);
    assert_eq!(
        chains.chains,
        [vec![names(&["a"]), names(&["b"]), names(&["c"])]]
    );
}

/// orders 1 and stock 1 in production; on main, orders 2 is verified only by stock 2, and
/// stock 2 fails the pact of orders 1.
fn lockstep_pair() -> Scenario {
    let mut s = Scenario::new();
    for name in ["orders", "stock", "web"] {
        s.main_branch(name, "main");
    }
    s.publish_on("orders", "1", "main", "stock", "o1")
        .branch("stock", "1", "main")
        .verify("stock", "1", "o1", true)
        .deploy("orders", "1", "production")
        .deploy("stock", "1", "production")
        .publish_on("orders", "2", "main", "stock", "o2")
        .branch("stock", "2", "main")
        .verify("stock", "1", "o2", false)
        .verify("stock", "2", "o1", false)
        .verify("stock", "2", "o2", true);
    s
}

/// (consumer, consumer version, provider version, status)
type RowSummary = (String, String, Option<String>, RowStatus);

fn lockstep(s: &Scenario, ignore: &[IgnoreSelector]) -> Vec<LockstepGroup> {
    let index = Index::new(s.data());
    let candidates = candidate_versions(&index, "production");
    lockstep_groups(&index, "production", ignore, &candidates).unwrap()
}

#[test]
fn a_true_lockstep_pair_is_reported_with_the_rows_that_block_each_alone() {
    let s = lockstep_pair();
    let groups = lockstep(&s, &[]);
    assert_eq!(groups.len(), 1, "found once, from either member");
    let group = &groups[0];
    assert_eq!(
        group.versions,
        [
            ServiceVersion::new("orders", "2"),
            ServiceVersion::new("stock", "2")
        ]
    );
    assert!(group.needs_first.is_empty());
    assert_eq!(group.together_successes, 1);
    let evidence: Vec<(String, Vec<RowSummary>)> = group
        .alone
        .iter()
        .map(|a| {
            let rows = a
                .rows
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
            (a.version.to_string(), rows)
        })
        .collect();
    assert_eq!(
        evidence,
        [
            (
                "orders 2".to_owned(),
                vec![(
                    "orders".into(),
                    "2".into(),
                    Some("1".into()),
                    RowStatus::Failed
                )]
            ),
            (
                "stock 2".to_owned(),
                vec![(
                    "orders".into(),
                    "1".into(),
                    Some("2".into()),
                    RowStatus::Failed
                )]
            ),
        ]
    );
    assert_eq!(group.alone[0].rows[0].content_sha, "o2");
}

#[test]
fn a_consumer_waiting_for_its_provider_is_an_order_not_lockstep() {
    let mut s = lockstep_pair();
    // stock 3 on main keeps serving orders 1 too: it can go first, then orders 2.
    s.branch("stock", "3", "main")
        .verify("stock", "3", "o1", true)
        .verify("stock", "3", "o2", true);
    assert_eq!(lockstep(&s, &[]), []);
}

#[test]
fn candidates_are_main_branch_heads_not_yet_in_the_environment() {
    let mut s = lockstep_pair();
    s.branch("web", "7", "main")
        .deploy("web", "7", "production");
    let index = Index::new(s.data());
    assert_eq!(
        candidate_versions(&index, "production"),
        [
            ServiceVersion::new("orders", "2"),
            ServiceVersion::new("stock", "2")
        ]
    );
}

#[test]
fn a_lockstep_pair_that_also_needs_a_third_version_first_names_it() {
    // web 2 needs orders 2 (its pact is verified only by orders 2) and auth 2 (likewise);
    // orders 2 fails the pact of web 1; auth 2 still serves web 1.
    let mut s = Scenario::new();
    for name in ["web", "orders", "auth"] {
        s.main_branch(name, "main");
    }
    s.publish_on("web", "1", "main", "orders", "w1")
        .publish("web", "1", "auth", "a1")
        .branch("orders", "1", "main")
        .branch("auth", "1", "main")
        .verify("orders", "1", "w1", true)
        .verify("auth", "1", "a1", true);
    for name in ["web", "orders", "auth"] {
        s.deploy(name, "1", "production");
    }
    s.publish_on("web", "2", "main", "orders", "w2")
        .publish("web", "2", "auth", "a2")
        .branch("orders", "2", "main")
        .branch("auth", "2", "main")
        .verify("orders", "2", "w1", false)
        .verify("orders", "2", "w2", true)
        .verify("auth", "2", "a1", true)
        .verify("auth", "2", "a2", true);
    let groups = lockstep(&s, &[]);
    assert_eq!(groups.len(), 1);
    let group = &groups[0];
    assert_eq!(
        group.versions,
        [
            ServiceVersion::new("orders", "2"),
            ServiceVersion::new("web", "2")
        ]
    );
    assert_eq!(group.needs_first, [ServiceVersion::new("auth", "2")]);
    // With auth 2 in, web 2 is blocked only by orders, and orders 2 only by web 1.
    let blocking: Vec<(String, Vec<(String, String)>)> = group
        .alone
        .iter()
        .map(|a| {
            let rows = a
                .rows
                .iter()
                .map(|r| {
                    (
                        r.consumer.clone() + " " + &r.consumer_version,
                        r.provider.clone(),
                    )
                })
                .collect();
            (a.version.to_string(), rows)
        })
        .collect();
    assert_eq!(
        blocking,
        [
            (
                "orders 2".to_owned(),
                vec![("web 1".to_owned(), "orders".to_owned())]
            ),
            (
                "web 2".to_owned(),
                vec![("web 2".to_owned(), "orders".to_owned())]
            ),
        ]
    );
}

/// Deployments in minutes from the start: orders five times, stock four times (three of them
/// within three minutes of an orders deployment), web three times.
fn history() -> Scenario {
    let mut s = Scenario::new();
    for (i, at) in [0, 60, 120, 180, 240].into_iter().enumerate() {
        s.deploy_at("orders", &(i + 1).to_string(), "production", at);
    }
    for (version, at) in [("1", 3), ("1", 5), ("2", 62), ("3", 125), ("4", 300)] {
        // stock 1 twice: a second application instance rolled out two minutes later.
        s.deploy_at("stock", version, "production", at);
    }
    for (i, at) in [12, 200, 400].into_iter().enumerate() {
        s.deploy_at("web", &(i + 1).to_string(), "production", at);
    }
    s
}

fn co_deployed(s: &Scenario, window_minutes: i64, min_events: usize) -> Vec<CoDeployment> {
    let options = CoDeployOptions {
        window: Duration::minutes(window_minutes),
        min_ratio: 0.5,
        min_events,
    };
    co_deployments(&Index::new(s.data()), "production", &options).unwrap()
}

#[test]
fn co_deployment_ratio_counts_events_of_the_rarer_service_within_the_window() {
    let s = history();
    let pairs = co_deployed(&s, 10, 2);
    assert_eq!(
        pairs,
        [CoDeployment {
            services: ["stock".into(), "orders".into()],
            deployments: [4, 5],
            co_deployed: 3,
            ratio: 0.75,
        }]
    );
    // web 12 is nine minutes after stock 3 (one event of three: below the ratio).
    let loose = co_deployed(&s, 10, 1);
    assert_eq!(loose.len(), 1);
    // A two-minute window keeps only stock 62 with orders 60.
    assert_eq!(co_deployed(&s, 2, 1), []);
    let options = CoDeployOptions {
        window: Duration::minutes(2),
        min_ratio: 0.25,
        min_events: 1,
    };
    let rare = co_deployments(&Index::new(s.data()), "production", &options).unwrap();
    assert_eq!(
        (rare.len(), rare[0].co_deployed, rare[0].ratio),
        (1, 1, 0.25)
    );
}

#[test]
fn co_deployment_in_an_unknown_environment_is_none() {
    let s = history();
    let index = Index::new(s.data());
    assert_eq!(
        co_deployments(&index, "staging", &CoDeployOptions::default()),
        None
    );
}

#[test]
fn the_report_gathers_every_finding() {
    let mut s = loop_of_three();
    for name in ["web", "orders", "payments", "notifications", "bank"] {
        s.main_branch(name, "main").branch(name, "1", "main");
    }
    let index = Index::new(s.data());
    let query = CouplingQuery {
        environment: Some("production".into()),
        ignore: Vec::new(),
        co_deploy: CoDeployOptions::default(),
    };
    let report = coupling_report(&index, &query).unwrap();
    assert_eq!(report.graph.edges.len(), 5);
    assert_eq!(report.cycles.len(), 1);
    assert_eq!(report.hubs[0].service, "orders");
    assert_eq!(report.longest_chains.depth, 3);
    assert!(report.candidates.is_empty(), "the heads are deployed");
    assert!(report.lockstep.is_empty());
    assert!(report.co_deployments.is_empty(), "one deployment each");
    // Without an environment: the main-branch heads' graph and its findings only.
    let heads = coupling_report(
        &index,
        &CouplingQuery {
            environment: None,
            ..query.clone()
        },
    )
    .unwrap();
    assert_eq!(heads.graph.scope, GraphScope::MainBranches);
    assert_eq!(heads.graph.edges, report.graph.edges);
    assert_eq!(heads.cycles, report.cycles);
    assert!(heads.candidates.is_empty() && heads.co_deployments.is_empty());
    let unknown = CouplingQuery {
        environment: Some("staging".into()),
        ..query
    };
    assert_eq!(
        coupling_report(&index, &unknown),
        Err(CouplingError::Graph(GraphError::UnknownEnvironment(
            "staging".into()
        )))
    );
}
