//! `accord can-i-deploy`: may these versions go to that environment now?
//!
//! Asks the broker's `/matrix` the way Pact's client does (`q[][pacticipant]`,
//! `q[][version]`/`q[][latest]`/`q[][branch]`, `environment` or the tag form, `latestby`),
//! prints one row per (consumer version, provider version) pair with its verdict, then the
//! answer, the reasons, and for each failed or unknown row what would fix it. Exit 0 only when
//! deployable (or with `--dry-run`); 1 when not; 2 on usage or connection errors.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{ArgMatches, Args, CommandFactory, ValueEnum};
use serde_json::Value;
use url::form_urlencoded::Serializer;

use super::broker_client::{BrokerArgs, BrokerClient, print_json, text};
use crate::cli::Cli;
use crate::env;

/// Output of `can-i-deploy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum CanIDeployOutput {
    /// A table of every pair, then the answer.
    #[default]
    Table,
    /// The broker's matrix JSON.
    Json,
}

#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub(crate) struct CanIDeployArgs {
    /// The application to deploy; repeat for several deployed together. `--version`,
    /// `--latest` and `--branch` after it apply to it.
    #[arg(short = 'a', long = "pacticipant", required = true)]
    pacticipant: Vec<String>,
    /// The version of the preceding pacticipant.
    #[arg(short = 'e', long = "version")]
    version: Vec<String>,
    /// The latest version of the preceding pacticipant (optionally the latest with this tag,
    /// or on `--branch`).
    #[arg(short = 'l', long = "latest", num_args = 0..=1, default_missing_value = "")]
    latest: Vec<String>,
    /// The latest version of the preceding pacticipant on this branch.
    #[arg(long = "branch")]
    branch: Vec<String>,
    /// The environment the versions are going to.
    #[arg(long = "to-environment", conflicts_with = "to")]
    to_environment: Option<String>,
    /// The older form: the tag the versions are going to (the latest version of every other
    /// application with this tag must be compatible).
    #[arg(long = "to")]
    to: Option<String>,
    /// An application whose rows are shown but do not decide the answer (repeatable); a
    /// `--version` right after it ignores only that version.
    #[arg(
        long = "ignore",
        env = env::PACT_BROKER_CAN_I_DEPLOY_IGNORE,
        value_delimiter = ','
    )]
    ignore: Vec<String>,
    /// While the answer is unknown (a verification is missing), ask again this many times.
    #[arg(long = "retry-while-unknown", default_value_t = 0)]
    retry_while_unknown: u32,
    /// Seconds between retries.
    #[arg(long = "retry-interval", default_value_t = 10)]
    retry_interval: u64,
    /// Print the answer but always exit 0.
    #[arg(long = "dry-run", env = env::PACT_BROKER_CAN_I_DEPLOY_DRY_RUN)]
    dry_run: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = CanIDeployOutput::Table)]
    output: CanIDeployOutput,
    #[command(flatten)]
    broker: BrokerArgs,
}

/// Values with their positions on the command line.
type Positioned<T> = Vec<(usize, T)>;

/// Which version of one pacticipant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Which {
    Number(String),
    /// `--latest [TAG]`; an empty tag means no tag.
    Latest(String),
    Branch(String),
}

/// One `--pacticipant` with what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selector {
    pub(crate) pacticipant: String,
    pub(crate) which: Vec<Which>,
}

/// An `--ignore`, with the version that followed it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ignore {
    pub(crate) pacticipant: String,
    pub(crate) version: Option<String>,
}

/// Assigns each `--version/--latest/--branch` (by its position on the command line) to the
/// last `--pacticipant` or `--ignore` before it (only `--version` may follow `--ignore`).
pub(crate) fn pair(
    pacticipants: &[(usize, String)],
    ignores: &[(usize, String)],
    modifiers: &[(usize, Which)],
) -> anyhow::Result<(Vec<Selector>, Vec<Ignore>)> {
    let mut selectors: Vec<Selector> = pacticipants
        .iter()
        .map(|(_, name)| Selector {
            pacticipant: name.clone(),
            which: Vec::new(),
        })
        .collect();
    let mut ignored: Vec<Ignore> = ignores
        .iter()
        .map(|(_, name)| Ignore {
            pacticipant: name.clone(),
            version: None,
        })
        .collect();
    for (position, which) in modifiers {
        let selector = pacticipants
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| p < position)
            .max_by_key(|(_, (p, _))| *p);
        let ignore = ignores
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| p < position)
            .max_by_key(|(_, (p, _))| *p);
        match (selector, ignore) {
            (Some((_, (sp, _))), Some((i, (ip, name)))) if ip > sp => match which {
                Which::Number(v) => ignored[i].version = Some(v.clone()),
                _ => bail!("only --version may follow --ignore {name}"),
            },
            (Some((i, _)), _) => selectors[i].which.push(which.clone()),
            (None, Some((i, (_, name)))) => match which {
                Which::Number(v) => ignored[i].version = Some(v.clone()),
                _ => bail!("only --version may follow --ignore {name}"),
            },
            (None, None) => bail!(
                "--version, --latest and --branch must follow the --pacticipant they apply to"
            ),
        }
    }
    Ok((selectors, ignored))
}

/// The `/matrix` query string, as Pact's client builds it.
pub(crate) fn matrix_query(
    selectors: &[Selector],
    to_environment: Option<&str>,
    to: Option<&str>,
    ignore: &[Ignore],
) -> anyhow::Result<String> {
    let mut query = Serializer::new(String::new());
    for s in selectors {
        query.append_pair("q[][pacticipant]", &s.pacticipant);
        let mut latest = None;
        let mut branch = None;
        let mut number = None;
        for w in &s.which {
            match w {
                Which::Number(n) => number = Some(n.as_str()),
                Which::Latest(tag) => latest = Some(tag.as_str()),
                Which::Branch(b) => branch = Some(b.as_str()),
            }
        }
        match (number, latest, branch) {
            (Some(n), None, None) => {
                query.append_pair("q[][version]", n);
            }
            (None, Some(tag), branch) => {
                query.append_pair("q[][latest]", "true");
                if let Some(b) = branch {
                    query.append_pair("q[][branch]", b);
                } else if !tag.is_empty() {
                    query.append_pair("q[][tag]", tag);
                }
            }
            (None, None, Some(b)) => {
                query.append_pair("q[][branch]", b);
            }
            (None, None, None) => bail!(
                "say which version of {} to deploy: --version, --latest [TAG] or --branch",
                s.pacticipant
            ),
            _ => bail!(
                "give {} either --version or --latest/--branch, not both",
                s.pacticipant
            ),
        }
    }
    for i in ignore {
        query.append_pair("ignore[][pacticipant]", &i.pacticipant);
        if let Some(version) = &i.version {
            query.append_pair("ignore[][version]", version);
        }
    }
    let latestby = if selectors.len() == 1 && to_environment.is_none() {
        "cvp"
    } else {
        "cvpv"
    };
    query.append_pair("latestby", latestby);
    if let Some(environment) = to_environment {
        query.append_pair("environment", environment);
    } else if let Some(tag) = to {
        query.append_pair("latest", "true");
        query.append_pair("tag", tag);
    } else if selectors.len() == 1 {
        query.append_pair("latest", "true");
    }
    Ok(query.finish())
}

fn version_of(side: &Value) -> String {
    side["version"]["number"]
        .as_str()
        .map_or_else(|| "-".to_owned(), str::to_owned)
}

/// `  failed interaction: "…"` lines (each with its mismatches) for a row whose verification
/// names the interactions that failed.
fn failed_interaction_lines(row: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    let failed = row["verificationResult"]["failedInteractions"].as_array();
    for interaction in failed.into_iter().flatten() {
        lines.push(format!(
            "    failed interaction: \"{}\"",
            text(&interaction["description"])
        ));
        for mismatch in interaction["mismatches"].as_array().into_iter().flatten() {
            lines.push(format!("      - {}", text(mismatch)));
        }
    }
    lines
}

/// The table of rows, the answer and the reasons, for people.
pub(crate) fn render(body: &Value) -> String {
    let rows = body["matrix"].as_array().cloned().unwrap_or_default();
    let header = [
        "CONSUMER",
        "C.VERSION",
        "PROVIDER",
        "P.VERSION",
        "SUCCESS?",
        "RESULT",
    ];
    let mut table: Vec<[String; 6]> = vec![header.map(str::to_owned)];
    // Lines shown under a row: the interactions its verification failed.
    let mut under: Vec<Vec<String>> = vec![Vec::new()];
    for row in &rows {
        under.push(failed_interaction_lines(row));
        let verdict = match row["verificationResult"]["success"].as_bool() {
            Some(true) => "true",
            Some(false) => "false",
            None => "???",
        };
        let status = match (row["ignored"].as_bool(), row["status"].as_str()) {
            (Some(true), Some(s)) => format!("{s} (ignored)"),
            (Some(true), None) => "ignored".to_owned(),
            (_, Some(s)) => s.to_owned(),
            (_, None) => "-".to_owned(),
        };
        table.push([
            text(&row["consumer"]["name"]).to_owned(),
            version_of(&row["consumer"]),
            text(&row["provider"]["name"]).to_owned(),
            version_of(&row["provider"]),
            verdict.to_owned(),
            status,
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            table
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, row) in table.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join(" | ").trim_end());
        out.push('\n');
        for extra in &under[n] {
            out.push_str(extra);
            out.push('\n');
        }
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("-|-"));
            out.push('\n');
        }
    }
    if rows.is_empty() {
        out.push_str("(no rows: nothing this decision depends on)\n");
    }
    out.push('\n');
    let summary = &body["summary"];
    out.push_str(match summary["deployable"].as_bool() {
        Some(true) => "Computer says yes \\o/",
        Some(false) => "Computer says no",
        None => "Computer says no (unknown: a verification result is missing)",
    });
    out.push_str("\n\n");
    for notice in body["notices"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "[{}] {}\n",
            text(&notice["type"]),
            text(&notice["text"])
        ));
    }
    if body["notices"].as_array().is_none_or(Vec::is_empty) {
        for line in text(&summary["reason"]).lines() {
            out.push_str(line);
            out.push('\n');
        }
    }
    let fixes: Vec<String> = rows
        .iter()
        .filter(|r| r["ignored"].as_bool() != Some(true))
        .filter_map(|r| r["fix"].as_str())
        .map(|fix| format!("  - {fix}"))
        .collect();
    if !fixes.is_empty() {
        out.push_str("\nTo fix:\n");
        out.push_str(&fixes.join("\n"));
        out.push('\n');
    }
    out
}

/// The command line positions of each pacticipant and modifier, from the process arguments
/// (clap keeps each occurrence's index). Without them (the arguments were not this process's),
/// every modifier goes to the first pacticipant.
fn positions(args: &CanIDeployArgs) -> (Positioned<String>, Positioned<String>, Positioned<Which>) {
    let matches = Cli::command()
        .try_get_matches_from(std::env::args_os())
        .ok();
    let sub: Option<&ArgMatches> = matches
        .as_ref()
        .and_then(|m| m.subcommand_matches("can-i-deploy"));
    let indices = |id: &str, count: usize| -> Option<Vec<usize>> {
        let found: Vec<usize> = sub?
            .indices_of(id)
            .map(Iterator::collect)
            .unwrap_or_default();
        (found.len() == count).then_some(found)
    };
    let lists = (
        indices("pacticipant", args.pacticipant.len()),
        indices("version", args.version.len()),
        indices("latest", args.latest.len()),
        indices("branch", args.branch.len()),
    );
    let (p_at, v_at, l_at, b_at) = match lists {
        (Some(p), Some(v), Some(l), Some(b)) => (p, v, l, b),
        _ => (
            vec![0; args.pacticipant.len()],
            vec![1; args.version.len()],
            vec![1; args.latest.len()],
            vec![1; args.branch.len()],
        ),
    };
    let pacticipants = p_at.into_iter().zip(args.pacticipant.clone()).collect();
    // Ignores from the environment variable have no position: nothing follows them.
    let i_at = indices("ignore", args.ignore.len()).unwrap_or(vec![usize::MAX; args.ignore.len()]);
    let ignores = i_at.into_iter().zip(args.ignore.clone()).collect();
    let mut modifiers: Vec<(usize, Which)> = Vec::new();
    modifiers.extend(
        v_at.into_iter()
            .zip(args.version.iter().cloned().map(Which::Number)),
    );
    modifiers.extend(
        l_at.into_iter()
            .zip(args.latest.iter().cloned().map(Which::Latest)),
    );
    modifiers.extend(
        b_at.into_iter()
            .zip(args.branch.iter().cloned().map(Which::Branch)),
    );
    (pacticipants, ignores, modifiers)
}

pub(crate) async fn run(args: CanIDeployArgs) -> anyhow::Result<ExitCode> {
    let (pacticipants, ignores, modifiers) = positions(&args);
    let (selectors, ignore) = pair(&pacticipants, &ignores, &modifiers)?;
    let query = matrix_query(
        &selectors,
        args.to_environment.as_deref(),
        args.to.as_deref(),
        &ignore,
    )?;
    let client = BrokerClient::new(&args.broker)?;
    let url = client.url(&format!("/matrix?{query}"));
    let mut retries_left = args.retry_while_unknown;
    let body = loop {
        let body = client
            .get(&url)
            .await?
            .with_context(|| format!("the broker has no matrix resource ({url})"))?;
        let unknown = body["summary"]["unknown"].as_u64().unwrap_or(0);
        if unknown == 0 || retries_left == 0 {
            break body;
        }
        retries_left -= 1;
        eprintln!(
            "Waiting for {unknown} verification result(s); asking again in {} s ({retries_left} retries left)",
            args.retry_interval
        );
        tokio::time::sleep(Duration::from_secs(args.retry_interval)).await;
    };
    match args.output {
        CanIDeployOutput::Json => print_json(&body)?,
        CanIDeployOutput::Table => print!("{}", render(&body)),
    }
    let deployable = body["summary"]["deployable"].as_bool() == Some(true);
    if args.dry_run {
        if !deployable {
            eprintln!("Dry run: exiting 0 although the answer is no.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    Ok(if deployable {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn modifiers_belong_to_the_preceding_pacticipant() {
        let (selectors, ignored) = pair(
            &[(1, "Foo".into()), (5, "Bar".into())],
            &[(9, "Baz".into()), (12, "Qux".into())],
            &[
                (3, Which::Number("1".into())),
                (7, Which::Latest("prod".into())),
                (11, Which::Number("4".into())),
            ],
        )
        .unwrap();
        assert_eq!(selectors[0].which, [Which::Number("1".into())]);
        assert_eq!(selectors[1].which, [Which::Latest("prod".into())]);
        assert_eq!(ignored[0].version.as_deref(), Some("4"));
        assert_eq!(ignored[1].version, None);
        assert!(pair(&[(4, "Foo".into())], &[], &[(2, Which::Number("1".into()))]).is_err());
        assert!(
            pair(
                &[(1, "Foo".into())],
                &[(3, "Bar".into())],
                &[(4, Which::Latest(String::new()))]
            )
            .is_err()
        );
    }

    #[test]
    fn queries_match_pact_clients() {
        let one = |which: Which| {
            vec![Selector {
                pacticipant: "Foo".into(),
                which: vec![which],
            }]
        };
        let q = matrix_query(&one(Which::Number("1".into())), Some("prod"), None, &[]).unwrap();
        assert_eq!(
            q,
            "q%5B%5D%5Bpacticipant%5D=Foo&q%5B%5D%5Bversion%5D=1&latestby=cvpv&environment=prod"
        );
        let q = matrix_query(&one(Which::Latest("main".into())), None, Some("prod"), &[]).unwrap();
        assert!(
            q.ends_with(
                "q%5B%5D%5Blatest%5D=true&q%5B%5D%5Btag%5D=main&latestby=cvp&latest=true&tag=prod"
            ),
            "{q}"
        );
        let q = matrix_query(
            &one(Which::Branch("main".into())),
            Some("prod"),
            None,
            &[Ignore {
                pacticipant: "Bar".into(),
                version: Some("2".into()),
            }],
        )
        .unwrap();
        assert!(q.contains(
            "q%5B%5D%5Bbranch%5D=main&ignore%5B%5D%5Bpacticipant%5D=Bar&ignore%5B%5D%5Bversion%5D=2"
        ));
        let none = vec![Selector {
            pacticipant: "Foo".into(),
            which: vec![],
        }];
        assert!(matrix_query(&none, Some("prod"), None, &[]).is_err());
    }

    #[test]
    fn table_shows_rows_answer_and_fixes() {
        let body = json!({
            "summary": { "deployable": null, "reason": "There is no verified pact between Foo (1) and Bar (2)", "unknown": 1 },
            "notices": [],
            "matrix": [{
                "consumer": { "name": "Foo", "version": { "number": "1" } },
                "provider": { "name": "Bar", "version": { "number": "2" } },
                "verificationResult": null,
                "status": "unknown",
                "fix": "Verify Foo 1 with Bar 2"
            }]
        });
        let out = render(&body);
        assert!(
            out.contains("Foo      | 1         | Bar      | 2         | ???      | unknown"),
            "{out}"
        );
        assert!(out.contains("Computer says no (unknown"));
        assert!(out.contains("There is no verified pact"));
        assert!(out.contains("To fix:\n  - Verify Foo 1 with Bar 2"));
    }

    #[test]
    fn table_names_failed_interactions_under_their_row() {
        let body = json!({
            "summary": { "deployable": false, "reason": "failed", "failed": 1 },
            "notices": [],
            "matrix": [{
                "consumer": { "name": "Foo", "version": { "number": "1" } },
                "provider": { "name": "Bar", "version": { "number": "2" } },
                "verificationResult": {
                    "success": false,
                    "failedInteractions": [
                        { "description": "get a thing", "mismatches": ["$.a: expected 1, got 2"] }
                    ]
                },
                "status": "failed"
            }]
        });
        let out = render(&body);
        assert!(
            out.contains(
                "| failed\n    failed interaction: \"get a thing\"\n      - $.a: expected 1, got 2\n"
            ),
            "{out}"
        );
    }
}
