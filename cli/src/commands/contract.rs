//! `accord contract`: validate, show, convert and diff contract files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_contracts_format::{
    Body, BodyValue, Contract, ContractDiff, Interaction, InteractionKind, Message, SpecVersion,
    compare, parse_contract, to_json_string, validate,
};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

/// Work with contract files.
#[derive(Debug, Subcommand)]
pub(crate) enum ContractCommand {
    /// Check contract files: JSON syntax, the V4 schema, and rules a schema cannot express.
    ///
    /// Prints every problem as `file: JSON path: message`. Exits 0 when all files are
    /// valid, 1 when any has problems, 2 when a file cannot be read.
    Validate(ValidateArgs),
    /// Summarise a contract: parties, spec version and each interaction.
    Show(ShowArgs),
    /// Rewrite a contract in another Pact specification version.
    Convert(ConvertArgs),
    /// Compare two versions of a contract and say which changes can break a party.
    ///
    /// Exits 0 when no change can break anyone, 1 otherwise.
    Diff(DiffArgs),
}

/// Arguments of `accord contract validate`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Contract files to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Arguments of `accord contract show`.
#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The contract file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
}

/// Arguments of `accord contract convert`.
#[derive(Debug, Args)]
pub(crate) struct ConvertArgs {
    /// The specification version to write.
    #[arg(long, value_enum)]
    to: TargetVersion,
    /// The contract file to read.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Where to write the result (standard output when absent).
    #[arg(short = 'o', long = "output-file", value_name = "OUT")]
    out: Option<PathBuf>,
}

/// Arguments of `accord contract diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The old version of the contract.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The new version of the contract.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
}

/// How command output is written.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Output format: text for people, or JSON for tools.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    output: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TargetVersion {
    V2,
    V3,
    V4,
}

impl From<TargetVersion> for SpecVersion {
    fn from(version: TargetVersion) -> Self {
        match version {
            TargetVersion::V2 => SpecVersion::V2,
            TargetVersion::V3 => SpecVersion::V3,
            TargetVersion::V4 => SpecVersion::V4,
        }
    }
}

pub(crate) async fn run(command: ContractCommand) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    let result = match command {
        ContractCommand::Validate(args) => run_validate(&args, &mut stdout),
        ContractCommand::Show(args) => run_show(&args, &mut stdout),
        ContractCommand::Convert(args) => run_convert(&args, &mut stdout),
        ContractCommand::Diff(args) => run_diff(&args, &mut stdout),
    };
    match result {
        // A reader that stops early (`| head`) is not an error.
        Err(error) if is_broken_pipe(&error) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn load(path: &Path) -> anyhow::Result<Contract> {
    let text = read(path)?;
    parse_contract(&text).map_err(|error| anyhow::Error::new(error.in_file(path)))
}

fn run_validate(args: &ValidateArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let mut unreadable = false;
    let mut invalid = false;
    for file in &args.files {
        let text = match read(file) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: {error:#}");
                unreadable = true;
                continue;
            }
        };
        for problem in validate(&text, file) {
            invalid = true;
            writeln!(out, "{problem}")?;
        }
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_show(args: &ShowArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let contract = load(&args.file)?;
    match args.output.output {
        OutputFormat::Human => out.write_all(render_summary(&contract).as_bytes())?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &summary_json(&contract))?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_convert(args: &ConvertArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let contract = load(&args.file)?;
    let version = SpecVersion::from(args.to);
    let text = to_json_string(&contract, version)
        .with_context(|| format!("converting {} to Pact {version}", args.file.display()))?;
    match &args.out {
        Some(path) => std::fs::write(path, format!("{text}\n"))
            .with_context(|| format!("writing {}", path.display()))?,
        None => writeln!(out, "{text}")?,
    }
    Ok(ExitCode::SUCCESS)
}

fn run_diff(args: &DiffArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let old = load(&args.old)?;
    let new = load(&args.new)?;
    let diff = compare(&old, &new);
    match args.output.output {
        OutputFormat::Human => out.write_all(render_diff(&diff).as_bytes())?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &diff_json(&diff))?;
            writeln!(out)?;
        }
    }
    Ok(if diff.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn kind_label(interaction: &Interaction) -> &'static str {
    match interaction.kind {
        InteractionKind::Http { .. } => "HTTP",
        InteractionKind::AsyncMessage(_) => "async message",
        InteractionKind::SyncMessage(_) => "sync message",
    }
}

fn states_text(interaction: &Interaction) -> Vec<String> {
    interaction
        .provider_states
        .iter()
        .map(|state| {
            if state.params.is_empty() {
                state.name.clone()
            } else {
                format!("{} {}", state.name, Value::Object(state.params.clone()))
            }
        })
        .collect()
}

fn body_text(body: &Body) -> Option<String> {
    let content = body.content()?;
    let kind = match &content.value {
        BodyValue::Json(_) => "JSON",
        BodyValue::Text(_) => "text",
        BodyValue::Bytes(bytes) => return Some(format!("{} bytes", bytes.len())),
    };
    Some(match &content.content_type {
        Some(content_type) => format!("{kind} ({content_type})"),
        None => kind.to_owned(),
    })
}

fn message_text(message: &Message) -> String {
    let mut parts = Vec::new();
    if let Some(body) = body_text(&message.contents) {
        parts.push(body);
    }
    if !message.metadata.is_empty() {
        let keys: Vec<&str> = message.metadata.keys().map(String::as_str).collect();
        parts.push(format!("metadata: {}", keys.join(", ")));
    }
    if parts.is_empty() {
        "empty".to_owned()
    } else {
        parts.join("; ")
    }
}

fn request_line(interaction: &Interaction) -> Vec<String> {
    match &interaction.kind {
        InteractionKind::Http { request, response } => {
            let query = match (&request.raw_query, &request.query) {
                (Some(raw), _) => format!("?{raw}"),
                (None, Some(query)) if !query.is_empty() => {
                    let pairs: Vec<String> = query
                        .iter()
                        .flat_map(|(k, vs)| vs.iter().map(move |v| format!("{k}={v}")))
                        .collect();
                    format!("?{}", pairs.join("&"))
                }
                _ => String::new(),
            };
            let mut lines = vec![format!(
                "{} {}{} -> {}",
                request.method, request.path, query, response.status
            )];
            if let Some(body) = body_text(&request.body) {
                lines.push(format!("request body: {body}"));
            }
            if let Some(body) = body_text(&response.body) {
                lines.push(format!("response body: {body}"));
            }
            lines
        }
        InteractionKind::AsyncMessage(message) => {
            vec![format!("message: {}", message_text(message))]
        }
        InteractionKind::SyncMessage(sync) => {
            let mut lines = vec![format!("request: {}", message_text(&sync.request))];
            for (i, response) in sync.responses.iter().enumerate() {
                lines.push(format!("response {}: {}", i + 1, message_text(response)));
            }
            lines
        }
    }
}

fn render_summary(contract: &Contract) -> String {
    let mut out = format!(
        "{} -> {} (Pact {}), {} interaction{}\n",
        contract.consumer.name,
        contract.provider.name,
        contract.spec_version,
        contract.interactions.len(),
        if contract.interactions.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    for (i, interaction) in contract.interactions.iter().enumerate() {
        let pending = if interaction.pending {
            " (pending)"
        } else {
            ""
        };
        out.push_str(&format!(
            "\n{}. {} [{}]{}\n",
            i + 1,
            interaction.description,
            kind_label(interaction),
            pending
        ));
        for state in states_text(interaction) {
            out.push_str(&format!("   given: {state}\n"));
        }
        for line in request_line(interaction) {
            out.push_str(&format!("   {line}\n"));
        }
    }
    out
}

fn states_json(interaction: &Interaction) -> Value {
    Value::Array(
        interaction
            .provider_states
            .iter()
            .map(|s| json!({"name": s.name, "params": s.params}))
            .collect(),
    )
}

fn message_json(message: &Message) -> Value {
    json!({
        "contentType": message.contents.content_type(),
        "metadata": message.metadata,
    })
}

fn summary_json(contract: &Contract) -> Value {
    let interactions: Vec<Value> = contract
        .interactions
        .iter()
        .map(|interaction| {
            let mut item = json!({
                "description": interaction.description,
                "type": interaction.type_name(),
                "providerStates": states_json(interaction),
                "pending": interaction.pending,
            });
            match &interaction.kind {
                InteractionKind::Http { request, response } => {
                    item["request"] = json!({
                        "method": request.method,
                        "path": request.path,
                        "query": request.query,
                        "contentType": request.content_type(),
                    });
                    item["response"] = json!({
                        "status": response.status,
                        "contentType": response.content_type(),
                    });
                }
                InteractionKind::AsyncMessage(message) => {
                    item["message"] = message_json(message);
                }
                InteractionKind::SyncMessage(sync) => {
                    item["request"] = message_json(&sync.request);
                    item["responses"] =
                        Value::Array(sync.responses.iter().map(message_json).collect());
                }
            }
            item
        })
        .collect();
    json!({
        "consumer": contract.consumer.name,
        "provider": contract.provider.name,
        "specVersion": contract.spec_version.as_str(),
        "interactions": interactions,
    })
}

fn render_diff(diff: &ContractDiff) -> String {
    if diff.is_empty() {
        return "no differences\n".to_owned();
    }
    let mut out = String::new();
    let mut counts = [0usize; 3];
    for interaction in &diff.interactions {
        let (mark, index) = match interaction.status {
            accord_contracts_format::DiffStatus::Added => ('+', 0),
            accord_contracts_format::DiffStatus::Removed => ('-', 1),
            accord_contracts_format::DiffStatus::Changed => ('~', 2),
        };
        counts[index] += 1;
        let states: Vec<String> = interaction
            .provider_states
            .iter()
            .map(|s| {
                if s.params.is_empty() {
                    s.name.clone()
                } else {
                    format!("{} {}", s.name, Value::Object(s.params.clone()))
                }
            })
            .collect();
        let given = if states.is_empty() {
            String::new()
        } else {
            format!(" (given {})", states.join("; "))
        };
        out.push_str(&format!(
            "{mark} {} {}{given}\n",
            interaction.status.as_str(),
            interaction.description
        ));
        for change in &interaction.changes {
            out.push_str(&format!("    {change}\n"));
        }
    }
    out.push_str(&format!(
        "\n{} added, {} removed, {} changed; {}\n",
        counts[0],
        counts[1],
        counts[2],
        if diff.is_breaking() {
            "BREAKING"
        } else {
            "no breaking change"
        }
    ));
    out
}

fn diff_json(diff: &ContractDiff) -> Value {
    let interactions: Vec<Value> = diff
        .interactions
        .iter()
        .map(|interaction| {
            json!({
                "status": interaction.status.as_str(),
                "description": interaction.description,
                "providerStates": interaction
                    .provider_states
                    .iter()
                    .map(|s| json!({"name": s.name, "params": s.params}))
                    .collect::<Vec<_>>(),
                "breaking": interaction.is_breaking(),
                "changes": interaction.changes.iter().map(|change| json!({
                    "at": change.at,
                    "what": change.what,
                    "breaksProvider": change.breaks.provider,
                    "breaksConsumer": change.breaks.consumer,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "breaking": diff.is_breaking(), "interactions": interactions })
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = r#"{
      "consumer": {"name": "web"}, "provider": {"name": "orders"},
      "interactions": [{
        "description": "get order", "providerStates": [{"name": "order exists", "params": {"id": 1}}],
        "request": {"method": "GET", "path": "/orders/1", "query": {"x": ["1"]}},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1}}
      }],
      "metadata": {"pactSpecification": {"version": "3.0.0"}}
    }"#;

    #[test]
    fn summaries_list_every_interaction() {
        let contract = parse_contract(V3).unwrap();
        assert_eq!(
            render_summary(&contract),
            "web -> orders (Pact V3), 1 interaction\n\n\
             1. get order [HTTP]\n   given: order exists {\"id\":1}\n   \
             GET /orders/1?x=1 -> 200\n   response body: JSON (application/json)\n"
        );
        let json = summary_json(&contract);
        assert_eq!(json["interactions"][0]["response"]["status"], 200);
        assert_eq!(json["specVersion"], "3.0.0");
    }

    #[test]
    fn diffs_render_a_verdict() {
        let old = parse_contract(V3).unwrap();
        let mut new = old.clone();
        new.interactions[0].description = "get an order".into();
        let rendered = render_diff(&compare(&old, &new));
        assert!(rendered.starts_with("- removed get order (given order exists {\"id\":1})\n"));
        assert!(rendered.ends_with("1 added, 1 removed, 0 changed; BREAKING\n"));
        assert_eq!(render_diff(&compare(&old, &old)), "no differences\n");
    }
}
