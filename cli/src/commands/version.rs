//! `accord version describe`.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::Value;

use super::broker_client::{BrokerArgs, BrokerClient, OutputArgs, print_json, text};

/// Inspect pacticipant versions.
#[derive(Debug, Subcommand)]
pub(crate) enum VersionCommand {
    /// Show a version: branches, tags, deployments and releases.
    Describe(DescribeArgs),
}

#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub(crate) struct DescribeArgs {
    /// The application.
    #[arg(long)]
    pacticipant: String,
    /// The version number.
    #[arg(long, conflicts_with = "latest", required_unless_present = "latest")]
    version: Option<String>,
    /// The latest version instead (optionally the latest with this tag).
    #[arg(long, num_args = 0..=1, default_missing_value = "")]
    latest: Option<String>,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

fn names(list: &Value, key: &str) -> String {
    let names: Vec<&str> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v[key].as_str())
        .collect();
    if names.is_empty() {
        "-".to_owned()
    } else {
        names.join(", ")
    }
}

pub(crate) async fn run(command: VersionCommand) -> anyhow::Result<ExitCode> {
    match command {
        VersionCommand::Describe(args) => {
            let client = BrokerClient::new(&args.broker)?;
            let p = args.pacticipant.as_str();
            let url = match (&args.version, args.latest.as_deref()) {
                (Some(v), _) => {
                    client
                        .index_link(
                            "pb:pacticipant-version",
                            &[("pacticipant", p), ("version", v)],
                        )
                        .await?
                }
                (None, Some("") | None) => {
                    client
                        .index_link("pb:latest-version", &[("pacticipant", p)])
                        .await?
                }
                (None, Some(tag)) => {
                    client
                        .index_link(
                            "pb:latest-tagged-version",
                            &[("pacticipant", p), ("tag", tag)],
                        )
                        .await?
                }
            };
            let Some(version) = client.get(&url).await? else {
                eprintln!("Version not found for pacticipant {p}.");
                return Ok(ExitCode::from(1));
            };
            if args.output.json() {
                print_json(&version)?;
                return Ok(ExitCode::SUCCESS);
            }
            let current = |rel: &str, flag: &str| -> String {
                let names: Vec<String> = version["_links"][rel]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|l| l[flag] == true)
                    .map(|l| match l["applicationInstance"].as_str() {
                        Some(i) => format!("{} ({i})", text(&l["name"])),
                        None => text(&l["name"]).to_owned(),
                    })
                    .collect();
                if names.is_empty() {
                    "-".to_owned()
                } else {
                    names.join(", ")
                }
            };
            println!("pacticipant: {p}");
            println!("number:      {}", text(&version["number"]));
            println!(
                "branches:    {}",
                names(&version["_embedded"]["branchVersions"], "name")
            );
            println!(
                "tags:        {}",
                names(&version["_embedded"]["tags"], "name")
            );
            println!("build URL:   {}", text(&version["buildUrl"]));
            println!(
                "deployed to: {}",
                current("pb:deployed-environments", "currentlyDeployed")
            );
            println!(
                "released to: {}",
                current("pb:released-environments", "currentlySupported")
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
