//! Accord's own resources for finding the distributed monolith (see `broker/COUPLING.md`):
//!
//! - `GET /coupling[?environment=E&window=MINUTES&minRatio=R&minEvents=N&ignore=P]`: the
//!   service graph and the coupling findings with their evidence. With an environment the
//!   graph is built from the versions deployed (or released) there, lockstep groups are
//!   searched among the main-branch heads not yet there, and co-deployment reads the
//!   environment's deployment history; without one the graph is built from every main-branch
//!   head and only the graph findings (cycles, hubs, chains) are given.
//! - `POST /deployment-plan` with `{"environment", "changes": [{"pacticipant", "version"}],
//!   "ignore": [...]}`: an order of single-service deployments that each pass can-i-deploy,
//!   or the groups that must ship together and the contracts that force them.
//!
//! Both are linked from the index as `pb:coupling` and `pb:deployment-plan`.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::{get, post};
use chrono::Duration;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::JsonBody;
use super::hal::{Base, Hal, link};
use crate::domain::{
    BlockingRow, CanIDeployError, Chains, CoDeployOptions, CouplingError, CouplingQuery,
    CouplingReport, Cycle, DeploymentPlan, EdgeKind, GraphError, IgnoreSelector, Index, PlanError,
    PlanOutcome, PlanQuery, PlanStep, RowStatus, ServiceGraph, ServiceVersion, SpecifiedVersion,
    Target, VersionSpec, coupling_report, plan_deployment,
};
use crate::store::load::DataRequest;
use crate::store::{LoadRequest, Store};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/coupling", get(get_coupling::<S>))
        .route("/deployment-plan", post(post_plan::<S>))
}

// --- GET /coupling --------------------------------------------------------------------------

/// The validated query of `GET /coupling`.
#[derive(Debug, Clone, PartialEq)]
struct CouplingParams {
    environment: Option<String>,
    co_deploy: CoDeployOptions,
    ignore: Vec<IgnoreSelector>,
}

fn coupling_params(raw: Option<&str>) -> Result<CouplingParams, ApiError> {
    let mut params = CouplingParams {
        environment: None,
        co_deploy: CoDeployOptions::default(),
        ignore: Vec::new(),
    };
    let mut errors = Vec::new();
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "environment" if !value.trim().is_empty() => {
                params.environment = Some(value.trim().to_owned());
            }
            "environment" => errors.push(("environment".into(), "cannot be blank".into())),
            "window" => match value.parse::<u32>() {
                Ok(minutes) if minutes > 0 => {
                    params.co_deploy.window = Duration::minutes(i64::from(minutes));
                }
                _ => errors.push((
                    "window".into(),
                    format!("must be a positive number of minutes, not \"{value}\""),
                )),
            },
            "minRatio" => match value.parse::<f64>() {
                Ok(ratio) if (0.0..=1.0).contains(&ratio) => params.co_deploy.min_ratio = ratio,
                _ => errors.push((
                    "minRatio".into(),
                    format!("must be a number between 0 and 1, not \"{value}\""),
                )),
            },
            "minEvents" => match value.parse::<usize>() {
                Ok(events) if events > 0 => params.co_deploy.min_events = events,
                _ => errors.push((
                    "minEvents".into(),
                    format!("must be a positive whole number, not \"{value}\""),
                )),
            },
            "ignore" if !value.trim().is_empty() => params.ignore.push(IgnoreSelector {
                pacticipant: value.trim().to_owned(),
                version: None,
            }),
            "ignore" => errors.push(("ignore".into(), "cannot be blank".into())),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(params)
    } else {
        Err(ApiError::Invalid(errors))
    }
}

async fn get_coupling<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Hal, ApiError> {
    let params = coupling_params(raw.as_deref())?;
    let request = LoadRequest(DataRequest::Coupling {
        environment: params.environment.clone(),
    });
    let loaded = state.store.load_broker_data(&request).await?;
    let index = Index::new(&loaded.0);
    let query = CouplingQuery {
        environment: params.environment.clone(),
        ignore: params.ignore,
        co_deploy: params.co_deploy,
    };
    let report = coupling_report(&index, &query).map_err(coupling_error)?;
    let mut body = report_json(&report, query.environment.as_deref());
    body["_links"] = json!({ "self": link(base.coupling()), "pb:deployment-plan": link(base.deployment_plan()) });
    Ok(Hal::ok(body))
}

fn coupling_error(error: CouplingError) -> ApiError {
    match error {
        CouplingError::Graph(GraphError::UnknownEnvironment(name))
        | CouplingError::CanIDeploy(CanIDeployError::UnknownEnvironment(name)) => {
            ApiError::NotFound(format!("environment \"{name}\""))
        }
        CouplingError::CanIDeploy(CanIDeployError::UnknownPacticipant(name)) => {
            ApiError::NotFound(format!("pacticipant \"{name}\""))
        }
        CouplingError::CanIDeploy(CanIDeployError::NothingSpecified) => {
            ApiError::Internal("the lockstep search asked about no version".into())
        }
    }
}

fn kind_name(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Http => "http",
        EdgeKind::Message => "message",
        EdgeKind::HttpAndMessage => "httpAndMessage",
        EdgeKind::Unknown => "unknown",
    }
}

fn graph_json(graph: &ServiceGraph) -> Value {
    let nodes: Vec<Value> = graph
        .nodes
        .iter()
        .map(|n| json!({ "name": n.name, "versions": n.versions }))
        .collect();
    let edges: Vec<Value> = graph
        .edges
        .iter()
        .map(|e| {
            json!({
                "consumer": e.consumer,
                "provider": e.provider,
                "kind": kind_name(e.kind),
                "httpInteractions": e.http_interactions,
                "messageInteractions": e.message_interactions,
                "fields": e.fields,
                "contracts": e.contracts.iter().map(|c| json!({
                    "consumerVersion": c.consumer_version,
                    "contentSha": c.content_sha,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "nodes": nodes, "edges": edges })
}

fn version_json(v: &ServiceVersion) -> Value {
    json!({ "pacticipant": v.service, "version": v.version })
}

fn status_name(status: RowStatus) -> &'static str {
    match status {
        RowStatus::Success => "success",
        RowStatus::Failed => "failed",
        RowStatus::Unknown => "unknown",
    }
}

fn row_json(row: &BlockingRow) -> Value {
    json!({
        "consumer": row.consumer,
        "consumerVersion": row.consumer_version,
        "provider": row.provider,
        "providerVersion": row.provider_version,
        "contentSha": row.content_sha,
        "status": status_name(row.status),
        "reason": row.reason,
        "fix": row.fix,
    })
}

fn cycle_description(cycle: &Cycle) -> String {
    let via = if cycle.through_messages {
        " (partly through messages, which call graphs do not show)"
    } else {
        ""
    };
    format!(
        "{} services rely on each other in a loop{via}: {}; none of them can be changed or \
         released without considering the others",
        cycle.services.len(),
        cycle.path.join(" -> ")
    )
}

fn chains_json(chains: &Chains) -> Value {
    json!({ "depth": chains.depth, "chains": chains.chains })
}

/// The whole report: the graph, the findings (each with `type`, `services`, a plain-words
/// `description` and its evidence), every service's fan-in and fan-out, and the longest chains.
fn report_json(report: &CouplingReport, environment: Option<&str>) -> Value {
    let mut findings = Vec::new();
    for cycle in &report.cycles {
        findings.push(json!({
            "type": "cycle",
            "services": cycle.services,
            "description": cycle_description(cycle),
            "path": cycle.path,
            "throughMessages": cycle.through_messages,
            "edges": cycle.edges.iter().map(|e| json!({
                "consumer": e.consumer,
                "provider": e.provider,
                "kind": kind_name(e.kind),
                "contracts": e.contracts.iter().map(|c| json!({
                    "consumerVersion": c.consumer_version,
                    "contentSha": c.content_sha,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }));
    }
    for group in &report.lockstep {
        let services: Vec<&str> = group.versions.iter().map(|v| v.service.as_str()).collect();
        let names: Vec<String> = group.versions.iter().map(ToString::to_string).collect();
        let mut description = format!(
            "{} cannot be deployed in either order: each needs the other, so they only ship \
             together",
            names.join(" and ")
        );
        if !group.needs_first.is_empty() {
            let first: Vec<String> = group.needs_first.iter().map(ToString::to_string).collect();
            description.push_str(&format!(" (after {})", first.join(", ")));
        }
        findings.push(json!({
            "type": "lockstep",
            "services": services,
            "description": description,
            "versions": group.versions.iter().map(version_json).collect::<Vec<_>>(),
            "needsFirst": group.needs_first.iter().map(version_json).collect::<Vec<_>>(),
            "alone": group.alone.iter().map(|a| json!({
                "pacticipant": a.version.service,
                "version": a.version.version,
                "blockingRows": a.rows.iter().map(row_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "togetherSuccesses": group.together_successes,
        }));
    }
    for pair in &report.co_deployments {
        findings.push(json!({
            "type": "coDeployment",
            "services": pair.services,
            "description": format!(
                "{} was deployed together with {} in {} of its {} deployments ({:.0}%)",
                pair.services[0],
                pair.services[1],
                pair.co_deployed,
                pair.deployments[0],
                pair.ratio * 100.0
            ),
            "deployments": pair.deployments,
            "coDeployed": pair.co_deployed,
            "ratio": pair.ratio,
        }));
    }
    let hubs: Vec<Value> = report
        .hubs
        .iter()
        .map(|h| {
            json!({
                "service": h.service,
                "fanIn": h.fan_in,
                "fanOut": h.fan_out,
                "consumers": h.consumers,
                "providers": h.providers,
                "blastRadius": h.blast_radius,
            })
        })
        .collect();
    let mut notices = Vec::new();
    if environment.is_none() {
        notices.push(
            "no environment given: the graph is built from each pacticipant's main-branch head; \
             lockstep groups and co-deployment need an environment (?environment=NAME)",
        );
    }
    json!({
        "environment": environment,
        "scope": match environment {
            Some(_) => "environment",
            None => "mainBranches",
        },
        "graph": graph_json(&report.graph),
        "findings": findings,
        "candidates": report.candidates.iter().map(version_json).collect::<Vec<_>>(),
        "hubs": hubs,
        "longestChains": chains_json(&report.longest_chains),
        "notices": notices,
    })
}

// --- POST /deployment-plan ------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlanBody {
    environment: Option<String>,
    changes: Option<Vec<ChangeBody>>,
    ignore: Option<Vec<IgnoreBody>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChangeBody {
    pacticipant: Option<String>,
    version: Option<String>,
}

/// `"Name"` or `{"pacticipant": "Name", "version": "1"}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum IgnoreBody {
    Name(String),
    Selector {
        pacticipant: Option<String>,
        version: Option<String>,
    },
}

fn plan_query(body: PlanBody) -> Result<PlanQuery, ApiError> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let environment = match body.environment.as_deref().map(str::trim) {
        Some(e) if !e.is_empty() => e.to_owned(),
        Some(_) => {
            errors.push(("environment".into(), "cannot be blank".into()));
            String::new()
        }
        None => {
            errors.push(("environment".into(), "is required".into()));
            String::new()
        }
    };
    let changes_in = body.changes.unwrap_or_default();
    if changes_in.is_empty() {
        errors.push(("changes".into(), "must contain at least one change".into()));
    }
    let mut changes = Vec::new();
    for (i, change) in changes_in.into_iter().enumerate() {
        let mut field = |name: &str, value: Option<String>| match value {
            Some(v) if !v.trim().is_empty() => Some(v.trim().to_owned()),
            _ => {
                errors.push((format!("changes[{i}].{name}"), "is required".into()));
                None
            }
        };
        let pacticipant = field("pacticipant", change.pacticipant);
        let version = field("version", change.version);
        if let (Some(p), Some(v)) = (pacticipant, version) {
            changes.push(ServiceVersion::new(&p, &v));
        }
    }
    let mut ignore = Vec::new();
    for (i, selector) in body.ignore.unwrap_or_default().into_iter().enumerate() {
        let (pacticipant, version) = match selector {
            IgnoreBody::Name(name) => (Some(name), None),
            IgnoreBody::Selector {
                pacticipant,
                version,
            } => (pacticipant, version),
        };
        match pacticipant {
            Some(p) if !p.trim().is_empty() => ignore.push(IgnoreSelector {
                pacticipant: p.trim().to_owned(),
                version,
            }),
            _ => errors.push((format!("ignore[{i}].pacticipant"), "is required".into())),
        }
    }
    if errors.is_empty() {
        Ok(PlanQuery {
            changes,
            environment,
            ignore,
        })
    } else {
        Err(ApiError::Invalid(errors))
    }
}

fn plan_error(error: PlanError) -> ApiError {
    match error {
        PlanError::CanIDeploy(CanIDeployError::UnknownPacticipant(name)) => {
            ApiError::NotFound(format!("pacticipant \"{name}\""))
        }
        PlanError::CanIDeploy(CanIDeployError::UnknownEnvironment(name)) => {
            ApiError::NotFound(format!("environment \"{name}\""))
        }
        PlanError::CanIDeploy(CanIDeployError::NothingSpecified) | PlanError::NoChanges => {
            ApiError::invalid("changes", "must contain at least one change")
        }
        PlanError::UnknownVersion { service, version } => ApiError::NotFound(format!(
            "version \"{version}\" of pacticipant \"{service}\""
        )),
        e @ (PlanError::DuplicateService(_) | PlanError::TooManyChanges(_)) => {
            ApiError::invalid("changes", e.to_string())
        }
    }
}

async fn post_plan<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    JsonBody(body): JsonBody<PlanBody>,
) -> Result<Hal, ApiError> {
    let query = plan_query(body)?;
    // Every question of the plan is a can-i-deploy question about a subset of the changes
    // against the environment: the data of the whole batch answers all of them.
    let request = LoadRequest(DataRequest::CanIDeploy {
        specified: query
            .changes
            .iter()
            .map(|c| SpecifiedVersion {
                pacticipant: c.service.clone(),
                version: VersionSpec::Number(c.version.clone()),
            })
            .collect(),
        target: Target::Environment(query.environment.clone()),
        ignore: query
            .ignore
            .iter()
            .filter_map(|i| Some((i.pacticipant.clone(), i.version.clone()?)))
            .collect(),
    });
    let loaded = state.store.load_broker_data(&request).await?;
    let index = Index::new(&loaded.0);
    let plan = plan_deployment(&index, &query).map_err(plan_error)?;
    let mut body = plan_json(&plan);
    body["_links"] =
        json!({ "self": link(base.deployment_plan()), "pb:coupling": link(base.coupling()) });
    Ok(Hal::ok(body))
}

fn outcome_name(outcome: PlanOutcome) -> &'static str {
    match outcome {
        PlanOutcome::Sequential => "sequential",
        PlanOutcome::NeedsGroups => "needsGroups",
        PlanOutcome::Blocked => "blocked",
    }
}

fn step_json(number: usize, step: &PlanStep) -> Value {
    json!({
        "step": number,
        "deploy": step.deploy.iter().map(version_json).collect::<Vec<_>>(),
        "after": step.after.iter().map(|p| json!({
            "pacticipant": p.after.service,
            "version": p.after.version,
            "reason": p.reason,
            "blockingRows": p.rows.iter().map(row_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "togetherBecause": step.together_because.iter().map(row_json).collect::<Vec<_>>(),
    })
}

/// The plan: the ordered steps, the groups that must ship together with the contracts that
/// force them, and, when blocked, what is left and the rows that block it.
fn plan_json(plan: &DeploymentPlan) -> Value {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| step_json(i + 1, step))
        .collect();
    let together: Vec<Value> = plan
        .groups()
        .map(|s| {
            json!({
                "services": s.deploy.iter().map(|v| v.service.as_str()).collect::<Vec<_>>(),
                "versions": s.deploy.iter().map(version_json).collect::<Vec<_>>(),
                "contracts": s.together_because.iter().map(row_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let summary = match plan.outcome {
        PlanOutcome::Sequential => format!(
            "every change can be deployed to {} on its own, in {} steps",
            plan.environment,
            plan.steps.len()
        ),
        PlanOutcome::NeedsGroups => format!(
            "no one-at-a-time order exists: {} group(s) must ship together to {}",
            together.len(),
            plan.environment
        ),
        PlanOutcome::Blocked => format!(
            "the changes cannot all be deployed to {} even at once: {} blocked",
            plan.environment,
            plan.blocked
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    json!({
        "environment": plan.environment,
        "outcome": outcome_name(plan.outcome),
        "summary": summary,
        "steps": steps,
        "mustShipTogether": together,
        "blocked": plan.blocked.iter().map(version_json).collect::<Vec<_>>(),
        "blockingRows": plan.blocking_rows.iter().map(row_json).collect::<Vec<_>>(),
        "checks": plan.checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coupling_parameters_are_validated_by_name() {
        let params = coupling_params(Some(
            "environment=production&window=30&minRatio=0.8&ignore=a",
        ))
        .unwrap();
        assert_eq!(params.environment.as_deref(), Some("production"));
        assert_eq!(params.co_deploy.window, Duration::minutes(30));
        assert!((params.co_deploy.min_ratio - 0.8).abs() < f64::EPSILON);
        assert_eq!(params.ignore[0].pacticipant, "a");
        let Err(ApiError::Invalid(errors)) =
            coupling_params(Some("window=0&minRatio=2&minEvents=x&environment="))
        else {
            panic!("expected field errors");
        };
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["window", "minRatio", "minEvents", "environment"]);
    }

    #[test]
    fn plan_bodies_name_the_missing_fields() {
        let body: PlanBody = serde_json::from_value(json!({
            "changes": [{"pacticipant": "a"}, {"pacticipant": "b", "version": "2"}],
            "ignore": ["c", {"pacticipant": "d", "version": "1"}, {}]
        }))
        .unwrap();
        let Err(ApiError::Invalid(errors)) = plan_query(body) else {
            panic!("expected field errors");
        };
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["environment", "changes[0].version", "ignore[2].pacticipant"]
        );
        let body: PlanBody = serde_json::from_value(json!({
            "environment": "production",
            "changes": [{"pacticipant": "b", "version": "2"}],
            "ignore": ["c", {"pacticipant": "d", "version": "1"}]
        }))
        .unwrap();
        let query = plan_query(body).unwrap();
        assert_eq!(query.changes, [ServiceVersion::new("b", "2")]);
        assert_eq!(query.ignore[1].version.as_deref(), Some("1"));
    }
}
