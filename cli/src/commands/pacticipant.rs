//! `accord pacticipant create|list|show`.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::broker_client::{BrokerArgs, BrokerClient, OutputArgs, print_json, text};

/// Manage the broker's pacticipants (applications).
#[derive(Debug, Subcommand)]
pub(crate) enum PacticipantCommand {
    /// Create a pacticipant, or update it when it exists.
    Create(CreateArgs),
    /// List pacticipants.
    List(ListArgs),
    /// Show one pacticipant.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// Name.
    #[arg(long)]
    name: String,
    /// Human name.
    #[arg(long)]
    display_name: Option<String>,
    /// The main line of development (used by main-branch selectors).
    #[arg(long)]
    main_branch: Option<String>,
    /// Repository URL.
    #[arg(long)]
    repository_url: Option<String>,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// Name.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub(crate) async fn run(command: PacticipantCommand) -> anyhow::Result<ExitCode> {
    match command {
        PacticipantCommand::Create(args) => {
            let client = BrokerClient::new(&args.broker)?;
            let mut body = Map::new();
            body.insert("name".into(), json!(args.name));
            for (key, value) in [
                ("displayName", &args.display_name),
                ("mainBranch", &args.main_branch),
                ("repositoryUrl", &args.repository_url),
            ] {
                if let Some(value) = value {
                    body.insert(key.into(), json!(value));
                }
            }
            let body = Value::Object(body);
            let url = client
                .index_link("pb:pacticipant", &[("pacticipant", &args.name)])
                .await?;
            let (answer, verb) = if client.get(&url).await?.is_some() {
                (client.write(Method::PATCH, &url, &body).await?, "Updated")
            } else {
                let create = client.index_link("pb:pacticipants", &[]).await?;
                (client.write(Method::POST, &create, &body).await?, "Created")
            };
            if args.output.json() {
                print_json(&answer)?;
            } else {
                println!("{verb} pacticipant {}", text(&answer["name"]));
            }
            Ok(ExitCode::SUCCESS)
        }
        PacticipantCommand::List(args) => {
            let client = BrokerClient::new(&args.broker)?;
            let url = client.index_link("pb:pacticipants", &[]).await?;
            let list = client.get_existing(&url, "the pacticipants").await?;
            if args.output.json() {
                print_json(&list)?;
            } else {
                println!("NAME\tDISPLAY NAME\tMAIN BRANCH");
                for p in list["_embedded"]["pacticipants"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    println!(
                        "{}\t{}\t{}",
                        text(&p["name"]),
                        text(&p["displayName"]),
                        text(&p["mainBranch"])
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PacticipantCommand::Show(args) => {
            let client = BrokerClient::new(&args.broker)?;
            let url = client
                .index_link("pb:pacticipant", &[("pacticipant", &args.name)])
                .await?;
            let Some(p) = client.get(&url).await? else {
                eprintln!("Pacticipant {} not found.", args.name);
                return Ok(ExitCode::from(1));
            };
            if args.output.json() {
                print_json(&p)?;
            } else {
                println!("name:           {}", text(&p["name"]));
                println!("display name:   {}", text(&p["displayName"]));
                println!("main branch:    {}", text(&p["mainBranch"]));
                println!("repository URL: {}", text(&p["repositoryUrl"]));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
