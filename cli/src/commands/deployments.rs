//! `accord record-deployment`, `record-undeployment` and `record-release`.

use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::Args;
use reqwest::Method;
use serde_json::{Value, json};

use super::broker_client::{
    BrokerArgs, BrokerClient, OutputArgs, find_environment, print_json, text,
};

/// Record that a version is deployed to an environment (replacing the version deployed there).
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub(crate) struct RecordDeploymentArgs {
    /// The application.
    #[arg(long)]
    pacticipant: String,
    /// Its version.
    #[arg(long)]
    version: String,
    /// Environment name.
    #[arg(long)]
    environment: String,
    /// For permanently co-existing copies (e.g. one per customer); not for blue/green.
    #[arg(long)]
    application_instance: Option<String>,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Record that a version was released to an environment (releases add up; nothing is replaced).
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub(crate) struct RecordReleaseArgs {
    /// The application.
    #[arg(long)]
    pacticipant: String,
    /// Its version.
    #[arg(long)]
    version: String,
    /// Environment name.
    #[arg(long)]
    environment: String,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Record that an application is no longer deployed to an environment.
#[derive(Debug, Args)]
pub(crate) struct RecordUndeploymentArgs {
    /// The application.
    #[arg(long)]
    pacticipant: String,
    /// Environment name.
    #[arg(long)]
    environment: String,
    /// Only this instance (default: every current deployment of the application there).
    #[arg(long)]
    application_instance: Option<String>,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Follows the version's `rel` link for `environment` and POSTs `body` to it.
async fn record(
    client: &BrokerClient,
    pacticipant: &str,
    version: &str,
    environment: &str,
    rel: &str,
    body: &Value,
) -> anyhow::Result<Value> {
    let url = client
        .index_link(
            "pb:pacticipant-version",
            &[("pacticipant", pacticipant), ("version", version)],
        )
        .await?;
    let resource = client
        .get_existing(&url, &format!("version {version} of {pacticipant}"))
        .await?;
    let target = resource["_links"][rel]
        .as_array()
        .and_then(|links| links.iter().find(|l| l["name"] == environment))
        .and_then(|l| l["href"].as_str())
        .ok_or_else(|| anyhow!("environment {environment} not found on the broker"))?;
    client.write(Method::POST, target, body).await
}

pub(crate) async fn run_deployment(args: RecordDeploymentArgs) -> anyhow::Result<ExitCode> {
    let client = BrokerClient::new(&args.broker)?;
    let body = json!({ "applicationInstance": args.application_instance, "target": args.application_instance });
    let answer = record(
        &client,
        &args.pacticipant,
        &args.version,
        &args.environment,
        "pb:record-deployment",
        &body,
    )
    .await
    .context("recording the deployment")?;
    if args.output.json() {
        print_json(&answer)?;
    } else {
        let instance = args
            .application_instance
            .map(|i| format!(" (instance {i})"))
            .unwrap_or_default();
        println!(
            "Recorded deployment of {} version {} to {}{instance}.",
            args.pacticipant, args.version, args.environment
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn run_release(args: RecordReleaseArgs) -> anyhow::Result<ExitCode> {
    let client = BrokerClient::new(&args.broker)?;
    let answer = record(
        &client,
        &args.pacticipant,
        &args.version,
        &args.environment,
        "pb:record-release",
        &json!({}),
    )
    .await
    .context("recording the release")?;
    if args.output.json() {
        print_json(&answer)?;
    } else {
        println!(
            "Recorded release of {} version {} to {}.",
            args.pacticipant, args.version, args.environment
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn run_undeployment(args: RecordUndeploymentArgs) -> anyhow::Result<ExitCode> {
    let client = BrokerClient::new(&args.broker)?;
    let environment = find_environment(&client, &args.environment)
        .await?
        .ok_or_else(|| anyhow!("environment {} not found on the broker", args.environment))?;
    let list_url = environment["_links"]["pb:currently-deployed-deployed-versions"]["href"]
        .as_str()
        .ok_or_else(|| {
            anyhow!("the broker's environment has no pb:currently-deployed-deployed-versions link")
        })?;
    let mut list_url =
        url::Url::parse(list_url).context("the currently-deployed link is not a URL")?;
    list_url
        .query_pairs_mut()
        .append_pair("pacticipant", &args.pacticipant);
    let listing = client
        .get_existing(list_url.as_str(), "the current deployments")
        .await?;
    let targets: Vec<&Value> = listing["_embedded"]["deployedVersions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            args.application_instance
                .as_deref()
                .is_none_or(|i| d["applicationInstance"] == i)
        })
        .collect();
    if targets.is_empty() {
        let instance = args
            .application_instance
            .map(|i| format!(" (instance {i})"))
            .unwrap_or_default();
        eprintln!(
            "{} is not currently deployed to {}{instance}.",
            args.pacticipant, args.environment
        );
        return Ok(ExitCode::from(1));
    }
    let mut answers = Vec::new();
    for target in targets {
        let href = target["_links"]["self"]["href"]
            .as_str()
            .ok_or_else(|| anyhow!("a deployed version has no self link"))?;
        let answer = client
            .write(Method::PATCH, href, &json!({ "currentlyDeployed": false }))
            .await?;
        if !args.output.json() {
            println!(
                "Recorded undeployment of {} version {} from {}.",
                args.pacticipant,
                text(&answer["_embedded"]["version"]["number"]),
                args.environment
            );
        }
        answers.push(answer);
    }
    if args.output.json() {
        print_json(&Value::Array(answers))?;
    }
    Ok(ExitCode::SUCCESS)
}
