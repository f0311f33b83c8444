//! `accord publish`: publish contract files to a broker (`POST /contracts/publish`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use base64::Engine;
use clap::Args;
use reqwest::Method;
use serde_json::{Value, json};

use super::broker_client::{BrokerArgs, BrokerClient, OutputArgs, print_json, text};
use crate::env;

/// Publish contract files (or every `.json` file of a folder) for one consumer version.
#[derive(Debug, Args)]
pub(crate) struct PublishArgs {
    /// Contract files or folders of contract files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The consumer version the contracts belong to (e.g. the git commit).
    #[arg(short = 'a', long, env = env::PACT_BROKER_CONSUMER_APP_VERSION)]
    consumer_app_version: String,
    /// The consumer version's branch.
    #[arg(long, env = env::PACT_BROKER_BRANCH)]
    branch: String,
    /// Tag for the consumer version (repeatable).
    #[arg(short = 't', long = "tag")]
    tags: Vec<String>,
    /// CI build URL of the consumer version.
    #[arg(long)]
    build_url: Option<String>,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// A contract file ready to publish.
#[derive(Debug)]
struct ContractFile {
    path: PathBuf,
    consumer: String,
    provider: String,
    bytes: Vec<u8>,
}

fn collect_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading the folder {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                })
                .collect();
            found.sort();
            if found.is_empty() {
                bail!("no .json contract files in {}", path.display());
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn read_contract(path: &Path) -> anyhow::Result<ContractFile> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let doc: Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let name = |role: &str| -> anyhow::Result<String> {
        doc.get(role)
            .and_then(|r| r.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .with_context(|| format!("{}: $.{role}.name is missing", path.display()))
    };
    Ok(ContractFile {
        path: path.to_owned(),
        consumer: name("consumer")?,
        provider: name("provider")?,
        bytes,
    })
}

pub(crate) async fn run(args: PublishArgs) -> anyhow::Result<ExitCode> {
    let files = collect_files(&args.paths)?;
    let mut by_consumer: BTreeMap<String, Vec<ContractFile>> = BTreeMap::new();
    for file in &files {
        let contract = read_contract(file)?;
        by_consumer
            .entry(contract.consumer.clone())
            .or_default()
            .push(contract);
    }
    let client = BrokerClient::new(&args.broker)?;
    let url = client.index_link("pb:publish-contracts", &[]).await?;
    let mut answers = Vec::new();
    for (consumer, contracts) in &by_consumer {
        let body = json!({
            "pacticipantName": consumer,
            "pacticipantVersionNumber": args.consumer_app_version,
            "branch": args.branch,
            "tags": args.tags,
            "buildUrl": args.build_url,
            "contracts": contracts.iter().map(|c| json!({
                "consumerName": c.consumer,
                "providerName": c.provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": base64::engine::general_purpose::STANDARD.encode(&c.bytes),
            })).collect::<Vec<_>>(),
        });
        let files: Vec<String> = contracts
            .iter()
            .map(|c| c.path.display().to_string())
            .collect();
        let answer = client
            .write(Method::POST, &url, &body)
            .await
            .with_context(|| {
                format!(
                    "publishing {} to {}",
                    files.join(", "),
                    args.broker.base_url
                )
            })?;
        if !args.output.json() {
            for notice in answer["notices"].as_array().into_iter().flatten() {
                println!("{}", text(&notice["text"]));
            }
        }
        answers.push(answer);
    }
    if args.output.json() {
        print_json(&Value::Array(answers))?;
    }
    Ok(ExitCode::SUCCESS)
}
