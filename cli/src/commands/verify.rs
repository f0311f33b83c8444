//! `accord verify`: verify a running provider against contracts from files, URLs or a broker.
//!
//! Flag names follow Pact's verifier where one exists (hidden aliases accept Pact's spelling),
//! so pipelines switch by changing the command name.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use accord_verifier::report::Reporters;
use accord_verifier::report::human::HumanReporter;
use accord_verifier::report::json::JsonReporter;
use accord_verifier::report::junit::JunitReporter;
use accord_verifier::{
    BrokerAuth, BrokerSource, ConsumerVersionSelector, ContractSource, InteractionFilter,
    PublishOptions, Regex, Url, Verdict, Verifier, VerifyOptions,
};
use anyhow::{Context, bail};
use clap::Args;

use crate::env;

/// Verify a running provider against its contracts.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// A contract file, a directory of contract files, or a contract URL (repeatable).
    #[arg(
        long = "contract",
        value_name = "FILE|DIR|URL",
        help_heading = "Contracts"
    )]
    contracts: Vec<String>,
    /// A contract file (Pact's spelling of --contract).
    #[arg(short = 'f', long = "file", hide = true)]
    files: Vec<PathBuf>,
    /// A directory of contract files (Pact's spelling of --contract).
    #[arg(short = 'd', long = "dir", hide = true)]
    dirs: Vec<PathBuf>,
    /// A contract URL (Pact's spelling of --contract).
    #[arg(short = 'u', long = "url", hide = true)]
    urls: Vec<String>,
    /// Verify the contracts a broker selects for the provider.
    #[arg(
        short = 'b',
        long,
        env = env::PACT_BROKER_BASE_URL,
        value_name = "URL",
        help_heading = "Broker"
    )]
    broker_url: Option<String>,
    /// Bearer token for the broker (and contract URLs).
    #[arg(
        short = 't',
        long,
        alias = "token",
        env = env::PACT_BROKER_TOKEN,
        hide_env_values = true,
        help_heading = "Broker"
    )]
    broker_token: Option<String>,
    /// User name for the broker (and contract URLs).
    #[arg(
        long,
        alias = "user",
        env = env::PACT_BROKER_USERNAME,
        help_heading = "Broker"
    )]
    broker_username: Option<String>,
    /// Password for the broker (and contract URLs).
    #[arg(
        long,
        alias = "password",
        env = env::PACT_BROKER_PASSWORD,
        hide_env_values = true,
        help_heading = "Broker"
    )]
    broker_password: Option<String>,
    /// The provider's name (required with --broker-url).
    #[arg(
        short = 'n',
        long,
        alias = "provider-name",
        env = env::PACT_PROVIDER_NAME,
        help_heading = "Broker"
    )]
    provider: Option<String>,
    /// A consumer version selector as JSON, e.g. '{"mainBranch": true}' (repeatable).
    #[arg(
        long = "consumer-version-selectors",
        value_name = "JSON",
        help_heading = "Broker"
    )]
    selectors: Vec<String>,
    /// Shorthand selector: the latest contract from this consumer branch (repeatable).
    #[arg(
        long = "consumer-version-branch",
        value_name = "BRANCH",
        help_heading = "Broker"
    )]
    selector_branches: Vec<String>,
    /// Shorthand selector: the latest contract with this consumer version tag (repeatable,
    /// or comma-separated).
    #[arg(
        long = "consumer-version-tag",
        alias = "consumer-version-tags",
        value_delimiter = ',',
        value_name = "TAG",
        help_heading = "Broker"
    )]
    selector_tags: Vec<String>,
    /// Shorthand selector: every deployed or released consumer version.
    #[arg(
        long = "consumer-version-deployed-or-released",
        help_heading = "Broker"
    )]
    selector_deployed_or_released: bool,
    /// Ask the broker for pending status: failures of pending contracts do not fail the run.
    #[arg(long, help_heading = "Broker")]
    enable_pending: bool,
    /// Also verify work-in-progress contracts created since this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", help_heading = "Broker")]
    include_wip_pacts_since: Option<String>,
    /// The provider version's branch (for pending/WIP status, and set when publishing).
    #[arg(
        long,
        alias = "provider-branch",
        env = env::ACCORD_PROVIDER_VERSION_BRANCH,
        value_name = "BRANCH",
        help_heading = "Broker"
    )]
    provider_version_branch: Option<String>,
    /// Provider version tags (comma-separated; set when publishing).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "TAG",
        help_heading = "Broker"
    )]
    provider_tags: Vec<String>,
    /// How many times a broker request answered with 5xx, 408 or 429 is retried.
    #[arg(
        long,
        env = env::PACT_BROKER_HTTP_RETRIES,
        value_name = "N",
        default_value_t = 3,
        help_heading = "Broker"
    )]
    retries: u32,
    /// Succeed when no contract is found.
    #[arg(long, alias = "ignore-no-contracts", help_heading = "Contracts")]
    ignore_no_pacts_error: bool,

    /// Only contracts of this consumer (repeatable).
    #[arg(short = 'c', long, value_name = "CONSUMER", help_heading = "Filters")]
    filter_consumer: Vec<String>,
    /// Only interactions whose description matches this regular expression.
    #[arg(
        long,
        env = env::PACT_DESCRIPTION,
        value_name = "REGEX",
        help_heading = "Filters"
    )]
    filter_description: Option<String>,
    /// Only interactions with a provider state matching this regular expression.
    #[arg(
        long,
        env = env::PACT_PROVIDER_STATE,
        value_name = "REGEX",
        help_heading = "Filters"
    )]
    filter_state: Option<String>,
    /// Only interactions without provider states.
    #[arg(long, env = env::PACT_PROVIDER_NO_STATE, help_heading = "Filters")]
    filter_no_state: bool,

    /// The running provider, e.g. http://localhost:8080 (a path is kept as a prefix).
    #[arg(
        long,
        env = env::ACCORD_PROVIDER_BASE_URL,
        value_name = "URL",
        required_unless_present = "port",
        conflicts_with_all = ["hostname", "port", "base_path"],
        help_heading = "Provider"
    )]
    provider_base_url: Option<String>,
    /// The provider's host, with --port (Pact's way of giving the provider's address).
    #[arg(
        long,
        env = env::PACT_PROVIDER_HOSTNAME,
        value_name = "HOST",
        help_heading = "Provider"
    )]
    hostname: Option<String>,
    /// The provider's port, with --hostname (default localhost).
    #[arg(
        short = 'p',
        long,
        env = env::PACT_PROVIDER_PORT,
        value_name = "PORT",
        help_heading = "Provider"
    )]
    port: Option<u16>,
    /// A path prefix for every request, with --port.
    #[arg(
        long,
        env = env::PACT_PROVIDER_BASE_PATH,
        value_name = "PATH",
        help_heading = "Provider"
    )]
    base_path: Option<String>,
    /// Where to POST provider-state changes.
    #[arg(
        short = 's',
        long,
        env = env::PACT_PROVIDER_STATE_CHANGE_URL,
        value_name = "URL",
        help_heading = "Provider"
    )]
    state_change_url: Option<String>,
    /// Also send a teardown state change after each interaction.
    #[arg(
        long,
        env = env::PACT_PROVIDER_STATE_CHANGE_TEARDOWN,
        help_heading = "Provider"
    )]
    state_change_teardown: bool,
    /// Send state-change data as query parameters instead of a JSON body.
    #[arg(
        long,
        env = env::PACT_PROVIDER_STATE_CHANGE_AS_QUERY,
        help_heading = "Provider"
    )]
    state_change_as_query: bool,
    /// A header added to every request: "Name: value" (or Name=value). Repeatable.
    #[arg(
        short = 'H',
        long = "header",
        value_name = "HEADER",
        help_heading = "Provider"
    )]
    headers: Vec<String>,
    /// Timeout in milliseconds for each request to the provider, state changes and the broker.
    #[arg(
        long,
        env = env::PACT_PROVIDER_REQUEST_TIMEOUT,
        value_name = "MS",
        default_value_t = 30_000,
        help_heading = "Provider"
    )]
    request_timeout: u64,
    /// Accept any TLS certificate (self-signed test certificates).
    #[arg(long, alias = "disable-ssl-verification", help_heading = "Provider")]
    insecure: bool,
    /// How many interactions run at once (interactions with provider states never overlap).
    /// Defaults to the number of CPUs.
    #[arg(
        long,
        env = env::ACCORD_VERIFY_JOBS,
        value_name = "N",
        help_heading = "Provider"
    )]
    jobs: Option<usize>,

    /// Publish the results to the broker (needs --provider-app-version).
    #[arg(long, help_heading = "Publishing")]
    publish: bool,
    /// The provider version verified.
    #[arg(
        long,
        alias = "provider-version",
        env = env::ACCORD_PROVIDER_APP_VERSION,
        value_name = "VERSION",
        help_heading = "Publishing"
    )]
    provider_app_version: Option<String>,
    /// A link to the CI build.
    #[arg(
        long,
        env = env::ACCORD_BUILD_URL,
        value_name = "URL",
        help_heading = "Publishing"
    )]
    build_url: Option<String>,

    /// Also write a JSON report to FILE.
    #[arg(
        short = 'j',
        long,
        env = env::PACT_VERIFIER_JSON_REPORT,
        value_name = "FILE",
        help_heading = "Output"
    )]
    json: Option<PathBuf>,
    /// Also write a JUnit XML report to FILE.
    #[arg(
        short = 'x',
        long,
        env = env::PACT_VERIFIER_JUNIT_REPORT,
        value_name = "FILE",
        help_heading = "Output"
    )]
    junit: Option<PathBuf>,
    /// No ANSI colours in the report.
    #[arg(long, alias = "no-color", help_heading = "Output")]
    no_colour: bool,
}

impl TryFrom<VerifyArgs> for VerifyOptions {
    type Error = anyhow::Error;

    fn try_from(args: VerifyArgs) -> anyhow::Result<Self> {
        let auth = match (&args.broker_token, &args.broker_username) {
            (Some(token), _) => Some(BrokerAuth::Token(token.clone())),
            (None, Some(username)) => Some(BrokerAuth::Basic {
                username: username.clone(),
                password: args.broker_password.clone(),
            }),
            (None, None) => None,
        };
        let mut sources = Vec::new();
        for contract in &args.contracts {
            sources.push(contract_source(contract, &auth)?);
        }
        sources.extend(args.files.iter().cloned().map(ContractSource::File));
        sources.extend(args.dirs.iter().cloned().map(ContractSource::Dir));
        for url in &args.urls {
            sources.push(ContractSource::Url {
                url: parse_url(url, "--url")?,
                auth: auth.clone(),
            });
        }
        if let Some(broker_url) = &args.broker_url {
            let Some(provider) = args.provider.clone() else {
                bail!("--broker-url needs --provider: the name of the provider to verify");
            };
            let has_branch =
                args.provider_version_branch.is_some() || !args.provider_tags.is_empty();
            if args.include_wip_pacts_since.is_some() && !has_branch {
                bail!(
                    "--include-wip-pacts-since needs --provider-version-branch: the broker picks \
                     work-in-progress contracts for a provider branch"
                );
            }
            if args.enable_pending && !has_branch {
                tracing::warn!(
                    "--enable-pending without --provider-version-branch: the broker cannot tell \
                     which contracts are pending for this build"
                );
            }
            sources.push(ContractSource::Broker(BrokerSource {
                url: parse_url(broker_url, "--broker-url")?,
                auth: auth.clone(),
                provider,
                selectors: selectors(&args)?,
                enable_pending: args.enable_pending,
                include_wip_since: args.include_wip_pacts_since.clone(),
                provider_branch: args.provider_version_branch.clone(),
                provider_tags: args.provider_tags.clone(),
            }));
        }
        if sources.is_empty() {
            bail!(
                "nothing to verify: give --contract FILE|DIR|URL or --broker-url with --provider"
            );
        }
        let mut options = VerifyOptions::new(sources, provider_url(&args)?);
        options.state_change_url = args
            .state_change_url
            .as_deref()
            .map(|url| parse_url(url, "--state-change-url"))
            .transpose()?;
        options.state_change_teardown = args.state_change_teardown;
        options.state_change_as_query = args.state_change_as_query;
        options.custom_headers = args
            .headers
            .iter()
            .map(|header| parse_header(header))
            .collect::<anyhow::Result<_>>()?;
        options.request_timeout = Duration::from_millis(args.request_timeout.max(1));
        options.jobs = match args.jobs {
            Some(0) => bail!("--jobs must be at least 1"),
            Some(jobs) => jobs,
            None => std::thread::available_parallelism().map_or(1, usize::from),
        };
        options.filter = InteractionFilter {
            consumers: args.filter_consumer.clone(),
            description: regex(args.filter_description.as_deref(), "--filter-description")?,
            state: regex(args.filter_state.as_deref(), "--filter-state")?,
            no_state: args.filter_no_state,
        };
        options.ignore_no_contracts = args.ignore_no_pacts_error;
        options.broker_retries = args.retries;
        options.accept_invalid_certificates = args.insecure;
        if args.publish {
            let Some(provider_version) = args.provider_app_version.clone() else {
                bail!("--publish needs --provider-app-version: the provider version verified");
            };
            options.publish = Some(PublishOptions {
                provider_version,
                provider_branch: args.provider_version_branch.clone(),
                provider_tags: args.provider_tags.clone(),
                build_url: args.build_url.clone(),
            });
        }
        Ok(options)
    }
}

/// `--provider-base-url`, or the URL `--hostname`, `--port` and `--base-path` describe.
fn provider_url(args: &VerifyArgs) -> anyhow::Result<Url> {
    if let Some(url) = &args.provider_base_url {
        return parse_url(url, "--provider-base-url");
    }
    let Some(port) = args.port else {
        bail!("give the provider's address: --provider-base-url URL (or --port)");
    };
    let host = args.hostname.as_deref().unwrap_or("localhost");
    let path = args
        .base_path
        .as_deref()
        .unwrap_or("")
        .trim_start_matches('/');
    parse_url(&format!("http://{host}:{port}/{path}"), "--hostname/--port")
}

fn contract_source(text: &str, auth: &Option<BrokerAuth>) -> anyhow::Result<ContractSource> {
    if text.starts_with("http://") || text.starts_with("https://") {
        return Ok(ContractSource::Url {
            url: parse_url(text, "--contract")?,
            auth: auth.clone(),
        });
    }
    let path = PathBuf::from(text);
    Ok(if path.is_dir() {
        ContractSource::Dir(path)
    } else {
        ContractSource::File(path)
    })
}

fn parse_url(text: &str, flag: &str) -> anyhow::Result<Url> {
    Url::parse(text).with_context(|| format!("{flag}: {text:?} is not a valid URL"))
}

fn regex(pattern: Option<&str>, flag: &str) -> anyhow::Result<Option<Regex>> {
    pattern
        .map(|p| Regex::new(p).with_context(|| format!("{flag}: {p:?} is not a valid regex")))
        .transpose()
}

/// `Name: value` (ours) or `Name=value` (Pact's).
fn parse_header(text: &str) -> anyhow::Result<(String, String)> {
    let split = text
        .split_once(':')
        .or_else(|| text.split_once('='))
        .filter(|(name, _)| !name.trim().is_empty());
    match split {
        Some((name, value)) => Ok((name.trim().to_owned(), value.trim().to_owned())),
        None => bail!("--header: {text:?} is not \"Name: value\""),
    }
}

fn selectors(args: &VerifyArgs) -> anyhow::Result<Vec<ConsumerVersionSelector>> {
    let mut selectors = Vec::new();
    for json in &args.selectors {
        let selector: ConsumerVersionSelector = serde_json::from_str(json)
            .with_context(|| format!("--consumer-version-selectors: {json}"))?;
        if selector == ConsumerVersionSelector::default() {
            bail!("--consumer-version-selectors: {json} selects nothing");
        }
        selectors.push(selector);
    }
    for branch in &args.selector_branches {
        selectors.push(ConsumerVersionSelector {
            branch: Some(branch.clone()),
            ..ConsumerVersionSelector::default()
        });
    }
    for tag in &args.selector_tags {
        selectors.push(ConsumerVersionSelector {
            tag: Some(tag.clone()),
            latest: Some(true),
            ..ConsumerVersionSelector::default()
        });
    }
    if args.selector_deployed_or_released {
        selectors.push(ConsumerVersionSelector {
            deployed_or_released: Some(true),
            ..ConsumerVersionSelector::default()
        });
    }
    Ok(selectors)
}

/// Runs the verification: exit 0 when everything (but pending contracts) passed, 1 when
/// something failed, 2 when something could not be verified.
pub(crate) async fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let colour = !args.no_colour
        && std::io::stdout().is_terminal()
        && std::env::var_os(env::NO_COLOR).is_none();
    let json = args.json.clone();
    let junit = args.junit.clone();
    let options = VerifyOptions::try_from(args)?;
    let mut human = HumanReporter::new(Box::new(std::io::stdout()), colour);
    human = human.with_progress(Box::new(std::io::stderr()), std::io::stderr().is_terminal());
    let mut reporters: Vec<Box<dyn accord_verifier::report::Reporter + Send>> =
        vec![Box::new(human)];
    if let Some(path) = json {
        reporters.push(Box::new(JsonReporter::new(path)));
    }
    if let Some(path) = junit {
        reporters.push(Box::new(JunitReporter::new(path)));
    }
    let mut reporter = Reporters(reporters);
    let results = Verifier::new(options)?.verify(&mut reporter).await?;
    if let Some(error) = &results.report_error {
        eprintln!("error: {error}");
    }
    Ok(match results.verdict() {
        Verdict::Passed => ExitCode::SUCCESS,
        Verdict::Failed => ExitCode::from(1),
        Verdict::Errored => ExitCode::from(2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Harness {
        #[command(flatten)]
        args: VerifyArgs,
    }

    fn options(argv: &[&str]) -> anyhow::Result<VerifyOptions> {
        let mut full = vec!["verify", "--provider-base-url", "http://localhost:9"];
        full.extend_from_slice(argv);
        VerifyOptions::try_from(Harness::try_parse_from(full)?.args)
    }

    #[test]
    fn broker_flags_become_a_broker_source_with_selectors() {
        let options = options(&[
            "--broker-url",
            "http://broker",
            "--provider",
            "orders",
            "--consumer-version-selectors",
            r#"{"mainBranch": true}"#,
            "--consumer-version-tag",
            "prod,test",
            "--consumer-version-deployed-or-released",
            "--enable-pending",
            "--provider-version-branch",
            "main",
            "-t",
            "secret",
            "--publish",
            "--provider-app-version",
            "1.2.3",
        ])
        .unwrap();
        let ContractSource::Broker(broker) = &options.sources[0] else {
            panic!("expected a broker source: {:?}", options.sources);
        };
        assert_eq!(broker.provider, "orders");
        assert!(broker.enable_pending);
        assert_eq!(broker.provider_branch.as_deref(), Some("main"));
        assert_eq!(broker.auth, Some(BrokerAuth::Token("secret".into())));
        let json = serde_json::to_value(&broker.selectors).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"mainBranch": true},
                {"tag": "prod", "latest": true},
                {"tag": "test", "latest": true},
                {"deployedOrReleased": true}
            ])
        );
        let publish = options.publish.unwrap();
        assert_eq!(publish.provider_version, "1.2.3");
        assert_eq!(publish.provider_branch.as_deref(), Some("main"));
    }

    #[test]
    fn bad_input_is_rejected_with_the_flag_named() {
        let error = |argv: &[&str]| format!("{:#}", options(argv).unwrap_err());
        assert!(error(&["--broker-url", "http://b"]).contains("--provider"));
        assert!(error(&["--contract", "a.json", "--publish"]).contains("--provider-app-version"));
        assert!(error(&[]).contains("nothing to verify"));
        assert!(
            error(&[
                "--broker-url",
                "http://b",
                "--provider",
                "p",
                "--include-wip-pacts-since",
                "2026-01-01"
            ])
            .contains("--provider-version-branch")
        );
        assert!(error(&["--contract", "a.json", "--header", "novalue"]).contains("--header"));
        assert!(
            error(&[
                "--broker-url",
                "http://b",
                "--provider",
                "p",
                "--consumer-version-selectors",
                r#"{"mainBrunch": true}"#
            ])
            .contains("--consumer-version-selectors")
        );
    }

    #[test]
    fn the_provider_address_takes_pact_flags_too() {
        let parse = |argv: &[&str]| {
            let mut full = vec!["verify", "--contract", "a.json"];
            full.extend_from_slice(argv);
            VerifyOptions::try_from(Harness::try_parse_from(full)?.args)
        };
        let options = parse(&[
            "--hostname",
            "orders",
            "--port",
            "8080",
            "--base-path",
            "/api",
        ])
        .unwrap();
        assert_eq!(options.provider_base_url.as_str(), "http://orders:8080/api");
        let options = parse(&["-p", "9000", "--disable-ssl-verification"]).unwrap();
        assert_eq!(options.provider_base_url.as_str(), "http://localhost:9000/");
        assert!(options.accept_invalid_certificates);
        assert!(!parse(&["-p", "9000"]).unwrap().accept_invalid_certificates);
        assert!(parse(&[]).is_err());
        assert!(parse(&["--provider-base-url", "http://a", "--port", "1"]).is_err());
    }

    #[test]
    fn headers_take_both_spellings() {
        assert_eq!(
            parse_header("Authorization: Bearer x").unwrap(),
            ("Authorization".into(), "Bearer x".into())
        );
        assert_eq!(parse_header("X-Id=7").unwrap(), ("X-Id".into(), "7".into()));
    }
}
