//! The stub server (`accord stub`): answers requests with the responses of existing
//! contracts, so front-end developers can work without the real provider.
//!
//! Interactions are indexed by method and path when the stub is built; a request is matched
//! with the engine against the interactions of its route only, in load order, and the first
//! that matches without a mismatch answers. Responses without generators are rendered once.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use accord_contracts_format::{
    Contract, GeneratorContext, HttpRequest, HttpResponse, InteractionKind, MatchOptions, Mismatch,
    MismatchCategory, apply_response_generators, match_request,
};

use crate::http::{BODY_LIMIT, Rendered, json_response, to_model_request, to_response};
use crate::routes::RouteIndex;

/// The request header that selects a provider state: only interactions given that state
/// (by exact name) answer.
pub const STATE_HEADER: &str = "x-accord-state";

/// How many near misses a 404 lists.
const CANDIDATES_SHOWN: usize = 3;

/// The interactions of some contracts, ready to serve. Build it with [`Stub::add_contract`],
/// then serve it with [`Stub::serve`] or mount [`Stub::router`].
#[derive(Debug, Default)]
pub struct Stub {
    entries: Vec<Entry>,
    routes: RouteIndex,
    /// How many interactions were skipped because they are not HTTP interactions.
    skipped: usize,
    /// Whether to answer CORS preflight requests and allow any origin.
    cors: bool,
}

/// One HTTP interaction.
#[derive(Debug)]
struct Entry {
    description: String,
    /// Where it came from (a file name), for diagnostics.
    source: String,
    states: Vec<String>,
    request: HttpRequest,
    options: MatchOptions,
    answer: Answer,
}

/// A response whose generators run per request.
#[derive(Debug)]
struct Generated {
    response: HttpResponse,
    /// The provider state parameters, for `ProviderState` generators.
    state: Map<String, Value>,
}

/// How an entry answers.
#[derive(Debug)]
enum Answer {
    /// The same bytes every time.
    Fixed(Rendered),
    /// Generators run per request, with the provider state parameters at hand.
    Generated(Box<Generated>),
}

impl Stub {
    /// An empty stub.
    pub fn new() -> Self {
        Stub::default()
    }

    /// Adds the HTTP interactions of `contract`, which came from `source` (a file name,
    /// shown in diagnostics). Earlier interactions win ties.
    pub fn add_contract(&mut self, contract: &Contract, source: &str) {
        for interaction in &contract.interactions {
            let InteractionKind::Http { request, response } = &interaction.kind else {
                self.skipped += 1;
                continue;
            };
            let index = self.entries.len();
            self.routes.insert(index, request);
            let answer = if response.generators.is_empty() {
                Answer::Fixed(Rendered::of(response))
            } else {
                let mut state = Map::new();
                for provider_state in &interaction.provider_states {
                    state.extend(provider_state.params.clone());
                }
                Answer::Generated(Box::new(Generated {
                    response: response.clone(),
                    state,
                }))
            };
            self.entries.push(Entry {
                description: interaction.description.clone(),
                source: source.to_owned(),
                states: interaction
                    .provider_states
                    .iter()
                    .map(|s| s.name.clone())
                    .collect(),
                request: request.clone(),
                options: MatchOptions::new(contract.spec_version),
                answer,
            });
        }
    }

    /// Answers CORS preflight requests (`OPTIONS` with `Access-Control-Request-Method`) and
    /// adds `Access-Control-Allow-Origin` to every response, so pages served from another
    /// origin can call the stub.
    pub fn with_cors(mut self, cors: bool) -> Self {
        self.cors = cors;
        self
    }

    /// How many HTTP interactions the stub serves.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the stub serves nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many interactions were skipped because they are messages.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The HTTP application. `url` is the server's base URL, for `MockServerURL` generators.
    pub fn router(self, url: &str) -> Router {
        let server = Arc::new(Server {
            stub: self,
            url: url.to_owned(),
        });
        Router::new().fallback(handle).with_state(server)
    }

    /// Serves on `listener` until `shutdown` completes.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let url = format!("http://{}", listener.local_addr()?);
        axum::serve(listener, self.router(&url))
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// The response for `actual`, or the diagnostic of a 404.
    fn answer(
        &self,
        actual: &HttpRequest,
        state: Option<&str>,
        url: &str,
    ) -> Result<Response, Value> {
        let candidates = self.routes.candidates(&actual.method, &actual.path);
        let in_state = |index: &usize| {
            state.is_none_or(|wanted| self.entries[*index].states.iter().any(|s| s == wanted))
        };
        // Candidates are in load order: the first full match wins ties.
        for &index in candidates.iter().filter(|i| in_state(i)) {
            let entry = &self.entries[index];
            if match_request(&entry.request, actual, &entry.options).is_empty() {
                tracing::debug!(interaction = %entry.description, "stub answered");
                return Ok(entry.respond(url));
            }
        }
        Err(self.diagnose(actual, state, &candidates))
    }

    /// Explains why nothing answered: the closest candidates and their mismatches.
    fn diagnose(&self, actual: &HttpRequest, state: Option<&str>, candidates: &[usize]) -> Value {
        let request =
            json!({ "method": actual.method, "path": actual.path, "query": actual.raw_query });
        // Interactions whose path pattern does not take this path are no candidates.
        let mut scored: Vec<(usize, Vec<Mismatch>, bool)> = candidates
            .iter()
            .map(|&index| {
                let entry = &self.entries[index];
                let in_state = state.is_none_or(|wanted| entry.states.iter().any(|s| s == wanted));
                (
                    index,
                    match_request(&entry.request, actual, &entry.options),
                    in_state,
                )
            })
            .filter(|(_, mismatches, _)| {
                mismatches
                    .iter()
                    .all(|m| m.category != MismatchCategory::Path)
            })
            .collect();
        if scored.is_empty() {
            let other = self.routes.other_methods(&actual.method, &actual.path);
            let error = if other.is_empty() {
                format!(
                    "no interaction has the route {} {} (the stub serves {} interactions)",
                    actual.method,
                    actual.path,
                    self.entries.len()
                )
            } else {
                format!(
                    "no interaction has the route {} {}; this path is served for {}",
                    actual.method,
                    actual.path,
                    other.join(", ")
                )
            };
            return json!({ "error": error, "request": request, "candidates": [], "otherMethods": other });
        }
        // Interactions in the wanted state first, then fewest mismatches, then load order.
        scored.sort_by_key(|(index, mismatches, in_state)| (!*in_state, mismatches.len(), *index));
        let matches_out_of_state: Vec<&(usize, Vec<Mismatch>, bool)> = scored
            .iter()
            .filter(|(_, m, s)| m.is_empty() && !s)
            .collect();
        let error = match state {
            Some(wanted)
                if !matches_out_of_state.is_empty() && scored.iter().all(|(_, _, s)| !s) =>
            {
                format!(
                    "{} {} matches interactions, but none with provider state \"{wanted}\" (header {STATE_HEADER})",
                    actual.method, actual.path
                )
            }
            _ => format!(
                "no interaction for {} {} matches the request; the closest are listed with their mismatches",
                actual.method, actual.path
            ),
        };
        let shown: Vec<Value> = scored
            .iter()
            .take(CANDIDATES_SHOWN)
            .map(|(index, mismatches, in_state)| {
                let entry = &self.entries[*index];
                json!({
                    "interaction": entry.description,
                    "source": entry.source,
                    "providerStates": entry.states,
                    "inRequestedState": in_state,
                    "mismatches": mismatches.iter().map(Mismatch::to_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut states: Vec<&str> = scored
            .iter()
            .flat_map(|(i, _, _)| self.entries[*i].states.iter().map(String::as_str))
            .collect();
        states.sort_unstable();
        states.dedup();
        json!({
            "error": error,
            "request": request,
            "requestedState": state,
            "statesForRoute": states,
            "candidates": shown,
        })
    }
}

impl Entry {
    fn respond(&self, url: &str) -> Response {
        match &self.answer {
            Answer::Fixed(rendered) => rendered.to_response(),
            Answer::Generated(generated) => {
                let context = GeneratorContext {
                    mock_server_url: Some(url.to_owned()),
                    ..GeneratorContext::for_provider(generated.state.clone())
                };
                to_response(&apply_response_generators(&generated.response, &context))
            }
        }
    }
}

/// What the handler needs.
#[derive(Debug)]
struct Server {
    stub: Stub,
    url: String,
}

// Summaries for the command line.
impl Stub {
    /// The provider states the interactions are given, with how many interactions each.
    pub fn states(&self) -> Vec<(String, usize)> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for entry in &self.entries {
            for state in &entry.states {
                *counts.entry(state).or_default() += 1;
            }
        }
        let mut states: Vec<(String, usize)> =
            counts.into_iter().map(|(s, n)| (s.to_owned(), n)).collect();
        states.sort();
        states
    }
}

async fn handle(State(server): State<Arc<Server>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if server.stub.cors && is_preflight(&parts.method, &parts.headers) {
        return preflight(&parts.headers);
    }
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => return (StatusCode::PAYLOAD_TOO_LARGE, error.to_string()).into_response(),
    };
    let state = parts
        .headers
        .get(STATE_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut actual = to_model_request(&parts, &bytes);
    // The selector is for the stub, not part of the request the contract describes.
    if let Some(headers) = actual.headers.as_mut() {
        headers.shift_remove(STATE_HEADER);
    }
    let mut response = match server.stub.answer(&actual, state.as_deref(), &server.url) {
        Ok(response) => response,
        Err(diagnostic) => json_response(StatusCode::NOT_FOUND, &diagnostic),
    };
    if server.stub.cors {
        let origin = allowed_origin(&parts.headers);
        response
            .headers_mut()
            .entry(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .or_insert(origin);
    }
    response
}

fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// The request's origin when it names one, else `*`.
fn allowed_origin(headers: &HeaderMap) -> HeaderValue {
    headers
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or(HeaderValue::from_static("*"))
}

/// Allows the method and headers the browser asks for, from any origin.
fn preflight(headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let out = response.headers_mut();
    out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allowed_origin(headers));
    out.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
    );
    if let Some(requested) = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
    }
    out.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    out.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("3600"),
    );
    response
}
