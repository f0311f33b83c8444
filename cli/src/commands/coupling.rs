//! `accord graph` and `accord plan`: the broker's coupling report and deployment planning
//! (Accord's own `pb:coupling` and `pb:deployment-plan` relations of the index).
//!
//! `graph` prints the service graph and the coupling findings in plain words, as the broker's
//! JSON, or as a Graphviz (`dot`) or Mermaid diagram with the edges of dependency cycles
//! highlighted. `plan` prints an order in which a batch of versions can be deployed one at a
//! time, or the groups that must ship together and the contracts that force them; it exits 0
//! when a one-at-a-time order exists and 1 when a group must ship together or the batch is
//! blocked.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};
use reqwest::Method;
use serde_json::{Value, json};
use url::form_urlencoded::Serializer;

use super::broker_client::{BrokerArgs, BrokerClient, print_json, text};

/// Output of `graph`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    /// The edges and the findings in plain words.
    #[default]
    Text,
    /// The broker's JSON report.
    Json,
    /// A Graphviz digraph (cycle edges in red).
    Dot,
    /// A Mermaid flowchart (cycle edges in red).
    Mermaid,
}

#[derive(Debug, Args)]
pub(crate) struct GraphArgs {
    /// Build the graph from the versions in this environment and look for lockstep groups and
    /// co-deployment there. Without it: each application's main-branch head, graph findings
    /// only.
    #[arg(long = "environment")]
    environment: Option<String>,
    /// Deployments at most this many minutes apart count as together.
    #[arg(long = "window")]
    window: Option<u32>,
    /// Smallest share of deployments together reported (0 to 1).
    #[arg(long = "min-ratio")]
    min_ratio: Option<f64>,
    /// Fewest deployments together reported.
    #[arg(long = "min-events")]
    min_events: Option<u32>,
    /// Applications whose contracts do not block (lockstep search; repeatable).
    #[arg(long = "ignore")]
    ignore: Vec<String>,
    /// Output format.
    #[arg(short = 'f', long = "format", value_enum, default_value_t = GraphFormat::Text)]
    format: GraphFormat,
    #[command(flatten)]
    broker: BrokerArgs,
}

/// Output of `plan`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlanOutput {
    /// The steps, one per line, with why each waits.
    #[default]
    Table,
    /// The broker's JSON plan.
    Json,
}

#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub(crate) struct PlanArgs {
    /// An application to deploy; repeat, each followed by its `--version`.
    #[arg(short = 'a', long = "pacticipant", required = true)]
    pacticipant: Vec<String>,
    /// The version of the preceding pacticipant.
    #[arg(short = 'e', long = "version", required = true)]
    version: Vec<String>,
    /// The environment the versions are going to.
    #[arg(long = "to-environment", required = true)]
    to_environment: String,
    /// Applications whose contracts do not block (repeatable).
    #[arg(long = "ignore")]
    ignore: Vec<String>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = PlanOutput::Table)]
    output: PlanOutput,
    #[command(flatten)]
    broker: BrokerArgs,
}

pub(crate) async fn run_graph(args: GraphArgs) -> anyhow::Result<ExitCode> {
    let client = BrokerClient::new(&args.broker)?;
    let href = client.index_link("pb:coupling", &[]).await?;
    let mut query = Serializer::new(String::new());
    if let Some(environment) = &args.environment {
        query.append_pair("environment", environment);
    }
    if let Some(window) = args.window {
        query.append_pair("window", &window.to_string());
    }
    if let Some(ratio) = args.min_ratio {
        query.append_pair("minRatio", &ratio.to_string());
    }
    if let Some(events) = args.min_events {
        query.append_pair("minEvents", &events.to_string());
    }
    for name in &args.ignore {
        query.append_pair("ignore", name);
    }
    let query = query.finish();
    let url = if query.is_empty() {
        href
    } else {
        format!("{href}?{query}")
    };
    let what = match &args.environment {
        Some(environment) => format!("environment \"{environment}\""),
        None => "the coupling report".to_owned(),
    };
    let report = client.get_existing(&url, &what).await?;
    match args.format {
        GraphFormat::Json => print_json(&report)?,
        GraphFormat::Text => print!("{}", graph_text(&report)),
        GraphFormat::Dot => print!("{}", graph_dot(&report)),
        GraphFormat::Mermaid => print!("{}", graph_mermaid(&report)),
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn run_plan(args: PlanArgs) -> anyhow::Result<ExitCode> {
    if args.pacticipant.len() != args.version.len() {
        bail!(
            "give one --version per --pacticipant ({} pacticipants, {} versions)",
            args.pacticipant.len(),
            args.version.len()
        );
    }
    let client = BrokerClient::new(&args.broker)?;
    let href = client.index_link("pb:deployment-plan", &[]).await?;
    let changes: Vec<Value> = args
        .pacticipant
        .iter()
        .zip(&args.version)
        .map(|(p, v)| json!({ "pacticipant": p, "version": v }))
        .collect();
    let body = json!({
        "environment": args.to_environment,
        "changes": changes,
        "ignore": args.ignore,
    });
    let Some(plan) = client
        .send(Method::POST, &href, Some(("application/json", &body)))
        .await?
    else {
        bail!(
            "the broker does not know a pacticipant, version or environment of the plan \
             (environment \"{}\")",
            args.to_environment
        );
    };
    match args.output {
        PlanOutput::Json => print_json(&plan)?,
        PlanOutput::Table => print!("{}", plan_text(&plan)),
    }
    Ok(if plan["outcome"] == "sequential" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

fn names(value: &Value) -> Vec<&str> {
    list(value).iter().map(text).collect()
}

fn kind_label(kind: &Value) -> &str {
    match kind.as_str() {
        Some("http") => "HTTP",
        Some("message") => "message",
        Some("httpAndMessage") => "HTTP and message",
        _ => "unknown kind",
    }
}

/// (consumer, provider) pairs inside a dependency cycle.
fn cycle_edges(report: &Value) -> HashSet<(String, String)> {
    list(&report["findings"])
        .iter()
        .filter(|f| f["type"] == "cycle")
        .flat_map(|f| list(&f["edges"]))
        .map(|e| {
            (
                text(&e["consumer"]).to_owned(),
                text(&e["provider"]).to_owned(),
            )
        })
        .collect()
}

fn graph_text(report: &Value) -> String {
    let mut out = String::new();
    let scope = match report["environment"].as_str() {
        Some(environment) => format!("the versions in {environment}"),
        None => "each application's main-branch head".to_owned(),
    };
    let edges = list(&report["graph"]["edges"]);
    let _ = writeln!(
        out,
        "Service graph of {scope}: {} services, {} dependencies",
        list(&report["graph"]["nodes"]).len(),
        edges.len()
    );
    let in_cycle = cycle_edges(report);
    for e in edges {
        let (consumer, provider) = (text(&e["consumer"]), text(&e["provider"]));
        let mark = if in_cycle.contains(&(consumer.to_owned(), provider.to_owned())) {
            "  [cycle]"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {consumer} -> {provider}: {}, {} HTTP and {} message interactions, {} fields{mark}",
            kind_label(&e["kind"]),
            e["httpInteractions"],
            e["messageInteractions"],
            e["fields"]
        );
    }
    let findings = list(&report["findings"]);
    out.push('\n');
    if findings.is_empty() {
        out.push_str("No coupling findings.\n");
    } else {
        let _ = writeln!(out, "Findings ({}):", findings.len());
        for f in findings {
            let _ = writeln!(
                out,
                "  {} [{}]: {}",
                f["type"].as_str().unwrap_or("finding"),
                names(&f["services"]).join(", "),
                text(&f["description"])
            );
            for alone in list(&f["alone"]) {
                for row in list(&alone["blockingRows"]) {
                    let _ = writeln!(
                        out,
                        "      {} {} alone: {}",
                        text(&alone["pacticipant"]),
                        text(&alone["version"]),
                        text(&row["reason"])
                    );
                }
            }
        }
    }
    let hubs: Vec<&Value> = list(&report["hubs"])
        .iter()
        .filter(|h| h["fanIn"].as_u64().unwrap_or(0) + h["fanOut"].as_u64().unwrap_or(0) > 0)
        .take(5)
        .collect();
    if !hubs.is_empty() {
        out.push_str("\nMost connected services:\n");
        for h in hubs {
            let _ = writeln!(
                out,
                "  {}: {} consumers, {} providers; a breaking change reaches {} services",
                text(&h["service"]),
                h["fanIn"],
                h["fanOut"],
                h["blastRadius"]
            );
        }
    }
    let chains = &report["longestChains"];
    if let Some(chain) = list(&chains["chains"]).first() {
        let links: Vec<String> = list(chain)
            .iter()
            .map(|link| {
                let members = names(link);
                if members.len() == 1 {
                    members[0].to_owned()
                } else {
                    format!("({})", members.join(" "))
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "\nLongest dependency chain ({} links): {}",
            chains["depth"],
            links.join(" -> ")
        );
    }
    for notice in list(&report["notices"]) {
        let _ = writeln!(out, "\nNote: {}", text(notice));
    }
    out
}

fn dot_id(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

fn graph_dot(report: &Value) -> String {
    let in_cycle = cycle_edges(report);
    let mut out = String::from("digraph services {\n  rankdir=LR;\n  node [shape=box];\n");
    for n in list(&report["graph"]["nodes"]) {
        let _ = writeln!(out, "  {};", dot_id(text(&n["name"])));
    }
    for e in list(&report["graph"]["edges"]) {
        let (consumer, provider) = (text(&e["consumer"]), text(&e["provider"]));
        let style = if in_cycle.contains(&(consumer.to_owned(), provider.to_owned())) {
            ", color=red, penwidth=2"
        } else {
            ""
        };
        let dashed = if e["kind"] == "message" {
            ", style=dashed"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{} ({} fields)\"{style}{dashed}];",
            dot_id(consumer),
            dot_id(provider),
            kind_label(&e["kind"]),
            e["fields"]
        );
    }
    out.push_str("}\n");
    out
}

fn graph_mermaid(report: &Value) -> String {
    let in_cycle = cycle_edges(report);
    let nodes = list(&report["graph"]["nodes"]);
    let id = |name: &str| {
        nodes
            .iter()
            .position(|n| n["name"] == name)
            .map_or_else(|| "unknown".to_owned(), |i| format!("n{i}"))
    };
    let mut out = String::from("flowchart LR\n");
    for (i, n) in nodes.iter().enumerate() {
        let label = text(&n["name"]).replace('"', "#quot;");
        let _ = writeln!(out, "  n{i}[\"{label}\"]");
    }
    let mut highlighted = Vec::new();
    for (i, e) in list(&report["graph"]["edges"]).iter().enumerate() {
        let (consumer, provider) = (text(&e["consumer"]), text(&e["provider"]));
        let arrow = if e["kind"] == "message" {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|{}| {}",
            id(consumer),
            kind_label(&e["kind"]),
            id(provider)
        );
        if in_cycle.contains(&(consumer.to_owned(), provider.to_owned())) {
            highlighted.push(i.to_string());
        }
    }
    if !highlighted.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:red,stroke-width:3px",
            highlighted.join(",")
        );
    }
    out
}

fn versions(value: &Value) -> String {
    list(value)
        .iter()
        .map(|v| format!("{} {}", text(&v["pacticipant"]), text(&v["version"])))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plan_text(plan: &Value) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", text(&plan["summary"]));
    for step in list(&plan["steps"]) {
        let deploy = list(&step["deploy"]);
        let verb = if deploy.len() > 1 {
            "deploy together"
        } else {
            "deploy"
        };
        let _ = writeln!(
            out,
            "{:>3}. {verb} {}",
            step["step"].as_u64().unwrap_or_default(),
            versions(&step["deploy"])
        );
        for after in list(&step["after"]) {
            let _ = writeln!(out, "       after {}", text(&after["reason"]));
        }
        for row in list(&step["togetherBecause"]) {
            let _ = writeln!(out, "       together because {}", text(&row["reason"]));
        }
    }
    if !list(&plan["blocked"]).is_empty() {
        let _ = writeln!(out, "Blocked: {}", versions(&plan["blocked"]));
        for row in list(&plan["blockingRows"]) {
            let _ = writeln!(out, "  {}", text(&row["reason"]));
            if let Some(fix) = row["fix"].as_str() {
                let _ = writeln!(out, "    fix: {fix}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Value {
        json!({
            "environment": "production",
            "graph": {
                "nodes": [{"name": "a"}, {"name": "b"}, {"name": "c \"x\""}],
                "edges": [
                    {"consumer": "a", "provider": "b", "kind": "http", "httpInteractions": 2, "messageInteractions": 0, "fields": 3},
                    {"consumer": "b", "provider": "a", "kind": "message", "httpInteractions": 0, "messageInteractions": 1, "fields": 1},
                    {"consumer": "b", "provider": "c \"x\"", "kind": "http", "httpInteractions": 1, "messageInteractions": 0, "fields": 1}
                ]
            },
            "findings": [{
                "type": "cycle", "services": ["a", "b"], "description": "2 services rely on each other",
                "edges": [{"consumer": "a", "provider": "b"}, {"consumer": "b", "provider": "a"}]
            }],
            "hubs": [{"service": "b", "fanIn": 1, "fanOut": 2, "blastRadius": 1}],
            "longestChains": {"depth": 2, "chains": [[["a", "b"], ["c \"x\""]]]},
            "notices": []
        })
    }

    #[test]
    fn dot_highlights_cycle_edges_only_and_escapes_names() {
        let dot = graph_dot(&report());
        assert!(dot.contains("\"a\" -> \"b\" [label=\"HTTP (3 fields)\", color=red, penwidth=2];"));
        assert!(dot.contains(
            "\"b\" -> \"a\" [label=\"message (1 fields)\", color=red, penwidth=2, style=dashed];"
        ));
        assert!(dot.contains("\"b\" -> \"c \\\"x\\\"\" [label=\"HTTP (1 fields)\"];"));
    }

    #[test]
    fn mermaid_styles_the_cycle_links_by_position() {
        let mermaid = graph_mermaid(&report());
        assert!(mermaid.starts_with("flowchart LR\n"));
        assert!(mermaid.contains("n0 -->|HTTP| n1"));
        assert!(mermaid.contains("n1 -.->|message| n0"));
        assert!(mermaid.contains("n2[\"c #quot;x#quot;\"]"));
        assert!(mermaid.contains("linkStyle 0,1 stroke:red"));
    }

    #[test]
    fn text_names_findings_hubs_and_chains() {
        let text = graph_text(&report());
        assert!(
            text.contains("a -> b: HTTP, 2 HTTP and 0 message interactions, 3 fields  [cycle]")
        );
        assert!(text.contains("b -> c \"x\": HTTP, 1 HTTP and 0 message interactions, 1 fields\n"));
        assert!(text.contains("cycle [a, b]: 2 services rely on each other"));
        assert!(text.contains("b: 1 consumers, 2 providers"));
        assert!(text.contains("(2 links): (a b) -> c \"x\""));
    }

    #[test]
    fn plan_text_lists_steps_with_their_reasons() {
        let plan = json!({
            "summary": "no one-at-a-time order exists",
            "steps": [
                {"step": 1, "deploy": [{"pacticipant": "s", "version": "2"}], "after": [], "togetherBecause": []},
                {"step": 2, "deploy": [{"pacticipant": "a", "version": "2"}, {"pacticipant": "b", "version": "2"}],
                 "after": [{"reason": "a 2 needs s 2: ..."}], "togetherBecause": [{"reason": "pact of a 2 not verified by b 1"}]}
            ],
            "blocked": []
        });
        let text = plan_text(&plan);
        assert!(text.contains("  1. deploy s 2\n"));
        assert!(text.contains("  2. deploy together a 2, b 2\n       after a 2 needs s 2: ...\n       together because pact of a 2 not verified by b 1\n"));
    }
}
