//! What the broker client commands share: connection flags (Pact's environment variable
//! names), the output flag, and an HTTP client that discovers URLs through the broker's HAL
//! index the way Pact's own client does.

use anyhow::{Context, anyhow, bail};
use clap::{Args, ValueEnum};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::env;

/// Where the broker is and how to authenticate.
#[derive(Debug, Clone, Args)]
pub(crate) struct BrokerArgs {
    /// Base URL of the broker.
    #[arg(
        short = 'b',
        long = "broker-base-url",
        visible_alias = "broker-url",
        env = env::PACT_BROKER_BASE_URL
    )]
    pub(crate) base_url: String,
    /// Bearer token.
    #[arg(
        long = "broker-token",
        env = env::PACT_BROKER_TOKEN,
        hide_env_values = true
    )]
    pub(crate) token: Option<String>,
    /// User for HTTP basic authentication.
    #[arg(long = "broker-username", env = env::PACT_BROKER_USERNAME)]
    pub(crate) username: Option<String>,
    /// Password for HTTP basic authentication.
    #[arg(
        long = "broker-password",
        env = env::PACT_BROKER_PASSWORD,
        hide_env_values = true
    )]
    pub(crate) password: Option<String>,
}

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Text for people.
    #[default]
    Human,
    /// The broker's JSON.
    Json,
}

/// The `--output` flag.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct OutputArgs {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Human)]
    pub(crate) output: OutputFormat,
}

impl OutputArgs {
    pub(crate) fn json(self) -> bool {
        self.output == OutputFormat::Json
    }
}

/// Prints a JSON value on stdout (pretty).
pub(crate) fn print_json(value: &Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Characters escaped when a value is put into a templated path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// Expands `{name}` placeholders of a HAL href with percent-encoded values.
pub(crate) fn expand(template: &str, params: &[(&str, &str)]) -> String {
    let mut href = template.to_owned();
    for (name, value) in params {
        href = href.replace(
            &format!("{{{name}}}"),
            &utf8_percent_encode(value, SEGMENT).to_string(),
        );
    }
    href
}

/// A broker HTTP client.
#[derive(Debug)]
pub(crate) struct BrokerClient {
    http: reqwest::Client,
    args: BrokerArgs,
}

impl BrokerClient {
    pub(crate) fn new(args: &BrokerArgs) -> anyhow::Result<Self> {
        url::Url::parse(&args.base_url)
            .with_context(|| format!("the broker base URL {:?} is not a URL", args.base_url))?;
        if args.username.is_some() != args.password.is_some() {
            bail!("--broker-username and --broker-password go together");
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("accord/", env!("CARGO_PKG_VERSION")))
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .context("creating the HTTP client")?;
        Ok(Self {
            http,
            args: args.clone(),
        })
    }

    fn base(&self) -> &str {
        self.args.base_url.trim_end_matches('/')
    }

    /// A URL on the broker from a path (for the few fixed paths).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    /// Sends a request; `Ok(None)` for 404, an error naming the broker's complaint for any
    /// other failure.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<(&str, &Value)>,
    ) -> anyhow::Result<Option<Value>> {
        let mut request = self.http.request(method.clone(), url).header(
            reqwest::header::ACCEPT,
            "application/hal+json, application/json",
        );
        if let Some(token) = &self.args.token {
            request = request.bearer_auth(token);
        } else if let Some(user) = &self.args.username {
            request = request.basic_auth(user, self.args.password.as_deref());
        }
        if let Some((content_type, body)) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body.to_string());
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("{method} {url}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .with_context(|| format!("reading the answer to {method} {url}"))?;
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let parsed: Option<Value> = serde_json::from_str(&text).ok();
        if !status.is_success() {
            let detail = parsed
                .as_ref()
                .map_or_else(|| text.trim().to_owned(), describe_errors);
            bail!("{method} {url}: the broker answered {status}: {detail}");
        }
        parsed
            .map(Some)
            .ok_or_else(|| anyhow!("{method} {url}: the broker's answer is not JSON"))
    }

    pub(crate) async fn get(&self, url: &str) -> anyhow::Result<Option<Value>> {
        self.send(Method::GET, url, None).await
    }

    /// GET that treats 404 as an error.
    pub(crate) async fn get_existing(&self, url: &str, what: &str) -> anyhow::Result<Value> {
        self.get(url)
            .await?
            .ok_or_else(|| anyhow!("{what} not found ({url})"))
    }

    pub(crate) async fn write(
        &self,
        method: Method,
        url: &str,
        body: &Value,
    ) -> anyhow::Result<Value> {
        let content_type = if method == Method::PATCH {
            "application/merge-patch+json"
        } else {
            "application/json"
        };
        self.send(method.clone(), url, Some((content_type, body)))
            .await?
            .ok_or_else(|| anyhow!("{method} {url}: not found"))
    }

    /// The href of relation `rel` of the index, expanded with `params`.
    pub(crate) async fn index_link(
        &self,
        rel: &str,
        params: &[(&str, &str)],
    ) -> anyhow::Result<String> {
        let index = self
            .get_existing(&self.url("/"), "the broker index")
            .await?;
        let href = index["_links"][rel]["href"].as_str().ok_or_else(|| {
            anyhow!(
                "the broker at {} does not offer the relation {rel}",
                self.base()
            )
        })?;
        Ok(expand(href, params))
    }
}

/// One line from a broker error body: `field: message; ...`.
fn describe_errors(body: &Value) -> String {
    match body.get("errors") {
        Some(Value::Object(fields)) => fields
            .iter()
            .flat_map(|(field, messages)| match messages {
                Value::Array(list) => list
                    .iter()
                    .map(|m| {
                        format!(
                            "{field}: {}",
                            m.as_str().map_or_else(|| m.to_string(), str::to_owned)
                        )
                    })
                    .collect(),
                other => vec![format!("{field}: {other}")],
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
        None => body.to_string(),
    }
}

/// Finds the environment named `name` through the index.
pub(crate) async fn find_environment(
    client: &BrokerClient,
    name: &str,
) -> anyhow::Result<Option<Value>> {
    let url = client.index_link("pb:environments", &[]).await?;
    let list = client.get_existing(&url, "the environments").await?;
    Ok(list["_embedded"]["environments"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["name"] == name))
        .cloned())
}

/// A JSON string field or "-".
pub(crate) fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expands_templates_with_encoding() {
        assert_eq!(
            expand(
                "http://b/pacticipants/{pacticipant}/versions/{version}",
                &[("pacticipant", "My App"), ("version", "feat/1")]
            ),
            "http://b/pacticipants/My%20App/versions/feat%2F1"
        );
    }

    #[test]
    fn describes_broker_errors() {
        let body = json!({"errors": {"name": ["is required"], "branch": ["bad", "worse"]}});
        assert_eq!(
            describe_errors(&body),
            "name: is required; branch: bad; branch: worse"
        );
    }
}
