//! `accord environment create|list|show`.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Args, Subcommand};
use reqwest::Method;
use serde_json::{Value, json};

use super::broker_client::{
    BrokerArgs, BrokerClient, OutputArgs, find_environment, print_json, text,
};

/// Manage the broker's environments.
#[derive(Debug, Subcommand)]
pub(crate) enum EnvironmentCommand {
    /// Create an environment.
    Create(CreateArgs),
    /// List environments.
    List(ListArgs),
    /// Show one environment.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// Unique name, without spaces.
    #[arg(long)]
    name: String,
    /// Human name.
    #[arg(long)]
    display_name: Option<String>,
    /// Mark it as a production environment.
    #[arg(long)]
    production: bool,
    /// Contact name.
    #[arg(long)]
    contact_name: Option<String>,
    /// Contact email address.
    #[arg(long, requires = "contact_name")]
    contact_email_address: Option<String>,
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
    /// Environment name.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    broker: BrokerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

fn describe(env: &Value) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        text(&env["name"]),
        text(&env["displayName"]),
        if env["production"] == true {
            "production"
        } else {
            "-"
        },
        text(&env["uuid"])
    )
}

pub(crate) async fn run(command: EnvironmentCommand) -> anyhow::Result<ExitCode> {
    match command {
        EnvironmentCommand::Create(args) => {
            let client = BrokerClient::new(&args.broker)?;
            let url = client.index_link("pb:environments", &[]).await?;
            let contacts: Vec<Value> = args
                .contact_name
                .iter()
                .map(|name| json!({ "name": name, "details": { "emailAddress": args.contact_email_address } }))
                .collect();
            let body = json!({
                "name": args.name,
                "displayName": args.display_name,
                "production": args.production,
                "contacts": contacts,
            });
            let created = client.write(Method::POST, &url, &body).await?;
            if args.output.json() {
                print_json(&created)?;
            } else {
                println!(
                    "Created environment {} with UUID {}",
                    text(&created["name"]),
                    text(&created["uuid"])
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        EnvironmentCommand::List(args) => {
            let client = BrokerClient::new(&args.broker)?;
            let url = client.index_link("pb:environments", &[]).await?;
            let list = client.get_existing(&url, "the environments").await?;
            if args.output.json() {
                print_json(&list)?;
            } else {
                println!("NAME\tDISPLAY NAME\tPRODUCTION\tUUID");
                for env in list["_embedded"]["environments"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    println!("{}", describe(env));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        EnvironmentCommand::Show(args) => {
            let client = BrokerClient::new(&args.broker)?;
            let Some(env) = find_environment(&client, &args.name).await? else {
                eprintln!("Environment {} not found.", args.name);
                return Ok(ExitCode::from(1));
            };
            let href = env["_links"]["self"]["href"]
                .as_str()
                .ok_or_else(|| anyhow!("the environment has no self link"))?;
            let env = client.get_existing(href, "the environment").await?;
            if args.output.json() {
                print_json(&env)?;
            } else {
                println!("name:         {}", text(&env["name"]));
                println!("display name: {}", text(&env["displayName"]));
                println!("production:   {}", env["production"] == true);
                println!("uuid:         {}", text(&env["uuid"]));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
