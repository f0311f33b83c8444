//! The mock provider: an HTTP server on `127.0.0.1:0` that answers the consumer's requests
//! with the contract's responses, records what it received, and on finish checks the
//! session and writes the contract.
//!
//! It runs on its own thread with its own single-threaded Tokio runtime, so tests may use
//! any runtime (or none) and any HTTP client, blocking or not.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::body::{Body as AxumBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use indexmap::IndexMap;
use serde_json::json;
use tokio::sync::watch;

use accord_contracts_format::{
    Body, Category, GeneratorContext, HttpRequest, HttpResponse, InteractionKind, MatchOptions,
    Mismatch, RuleCategory, apply_response_generators, match_request, parse_query_string,
};

use super::journal::{Journal, MismatchedRequest, ReceivedRequest};
use crate::builder::ContractBuilder;
use crate::error::MockError;

/// How long `finish` lets requests in flight complete before closing their connections.
const GRACE: Duration = Duration::from_secs(1);

/// Requests larger than this are refused (a consumer test has no business sending more).
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// A running mock provider. Point the code under test at [`MockProvider::url`], then call
/// [`MockProvider::finish`] (or [`MockProvider::try_finish`]).
///
/// Dropping it without finishing stops the server and writes nothing.
#[derive(Debug)]
pub struct MockProvider {
    url: String,
    shared: Arc<Shared>,
    builder: ContractBuilder,
    shutdown: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<Result<(), std::io::Error>>>,
}

/// One expected HTTP interaction.
#[derive(Debug)]
struct Expected {
    description: String,
    request: HttpRequest,
    response: HttpResponse,
}

/// What the request handler needs: the expected requests, indexed, and the journal.
#[derive(Debug)]
struct Shared {
    /// HTTP interactions by index in the contract.
    http: HashMap<usize, Expected>,
    /// Interactions with a literal path, by method and path.
    by_route: HashMap<(String, String), Vec<usize>>,
    /// Interactions whose path has a matching rule, by method.
    by_method: HashMap<String, Vec<usize>>,
    journal: Mutex<Journal>,
    options: MatchOptions,
    context: GeneratorContext,
}

impl MockProvider {
    pub(crate) fn start(builder: ContractBuilder) -> Result<Self, MockError> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(MockError::Start)?;
        listener.set_nonblocking(true).map_err(MockError::Start)?;
        let address = listener.local_addr().map_err(MockError::Start)?;
        let url = format!("http://{address}");
        let shared = Arc::new(Shared::new(&builder, &url));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(MockError::Start)?;
        let (shutdown, stopped) = watch::channel(false);
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let thread = std::thread::Builder::new()
            .name(format!("accord-mock-{}", address.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    let mut graceful = stopped.clone();
                    let mut deadline = stopped;
                    let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                        let _ = graceful.wait_for(|stop| *stop).await;
                    });
                    // A client that never completes its request must not hold `finish` up:
                    // after the grace period the runtime drops its connection.
                    tokio::select! {
                        result = std::future::IntoFuture::into_future(serve) => result,
                        () = async move {
                            let _ = deadline.wait_for(|stop| *stop).await;
                            tokio::time::sleep(GRACE).await;
                        } => Ok(()),
                    }
                })
            })
            .map_err(MockError::Start)?;
        tracing::debug!(%url, "mock provider started");
        Ok(MockProvider {
            url,
            shared,
            builder,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The base URL: `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the server, then checks that every expected interaction was received and no
    /// request was unexpected or mismatched; only then writes the contract file. Panics
    /// with the report otherwise. Returns the contract file.
    #[track_caller]
    pub fn finish(self) -> PathBuf {
        match self.try_finish() {
            Ok(path) => path,
            Err(error) => panic!("{error}"),
        }
    }

    /// Stops the server, checks the session and writes the contract file, or returns why
    /// not ([`MockError::Failed`] carries the report).
    pub fn try_finish(mut self) -> Result<PathBuf, MockError> {
        self.stop()?;
        let journal = self
            .shared
            .journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut expected: Vec<(usize, &str)> = self
            .shared
            .http
            .iter()
            .map(|(index, e)| (*index, e.description.as_str()))
            .collect();
        expected.sort_unstable();
        let report = journal.report(expected.into_iter());
        if !report.is_empty() {
            return Err(MockError::Failed(report));
        }
        let exercised: HashSet<usize> = self.shared.http.keys().copied().collect();
        drop(journal);
        Ok(self.builder.write_exercised(&exercised)?)
    }

    fn stop(&mut self) -> Result<(), MockError> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result.map_err(MockError::Serve),
            Some(Err(_)) => Err(MockError::Serve(std::io::Error::other(
                "the mock provider's thread panicked",
            ))),
            None => Ok(()),
        }
    }
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

impl Shared {
    fn new(builder: &ContractBuilder, url: &str) -> Self {
        let contract = builder.contract();
        let mut http = HashMap::new();
        let mut by_route: HashMap<(String, String), Vec<usize>> = HashMap::new();
        let mut by_method: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, interaction) in contract.interactions.iter().enumerate() {
            let InteractionKind::Http { request, response } = &interaction.kind else {
                continue;
            };
            let method = request.method.to_ascii_uppercase();
            if request
                .matching_rules
                .category(RuleCategory::Path)
                .is_some()
            {
                by_method.entry(method).or_default().push(index);
            } else {
                by_route
                    .entry((method, request.path.clone()))
                    .or_default()
                    .push(index);
            }
            http.insert(
                index,
                Expected {
                    description: interaction.description.clone(),
                    request: request.clone(),
                    response: response.clone(),
                },
            );
        }
        Shared {
            journal: Mutex::new(Journal::new(contract.interactions.len())),
            http,
            by_route,
            by_method,
            options: MatchOptions::new(contract.spec_version),
            context: GeneratorContext::for_mock_server(url),
        }
    }

    /// Finds the interaction `actual` matches and records the outcome: `Ok` with the
    /// response to send, or `Err` with the diagnostic body.
    fn answer(
        &self,
        actual: &HttpRequest,
        raw_query: Option<&str>,
    ) -> Result<HttpResponse, serde_json::Value> {
        let method = actual.method.to_ascii_uppercase();
        let literal = self
            .by_route
            .get(&(method.clone(), actual.path.clone()))
            .into_iter()
            .flatten();
        let patterned = self.by_method.get(&method).into_iter().flatten();
        let mut journal = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        let mut matching = Vec::new();
        let mut closest: Option<(usize, Vec<Mismatch>)> = None;
        for &index in literal.chain(patterned) {
            let mismatches = match_request(&self.http[&index].request, actual, &self.options);
            if mismatches.is_empty() {
                matching.push(index);
            } else if mismatches.iter().all(|m| m.category != Category::Path)
                && closest
                    .as_ref()
                    .is_none_or(|(_, best)| mismatches.len() < best.len())
            {
                closest = Some((index, mismatches));
            }
        }
        // Several interactions may expect the same request (under different provider
        // states): answer with the first one not received yet.
        let chosen = matching
            .iter()
            .copied()
            .find(|&index| journal.count(index) == 0)
            .or_else(|| matching.first().copied());
        let request = ReceivedRequest::of(actual, raw_query);
        if let Some(index) = chosen {
            journal.matched(index);
            let response = &self.http[&index].response;
            return Ok(apply_response_generators(response, &self.context));
        }
        let body = match closest {
            Some((index, mismatches)) => {
                let interaction = self.http[&index].description.clone();
                let body = json!({
                    "error": format!("request {request} does not match interaction \"{interaction}\""),
                    "request": request.to_json(),
                    "interaction": interaction,
                    "mismatches": mismatches.iter().map(Mismatch::to_json).collect::<Vec<_>>(),
                });
                journal.mismatched(MismatchedRequest {
                    request,
                    interaction,
                    mismatches,
                });
                body
            }
            None => {
                let body = json!({
                    "error": format!("unexpected request {request}: no interaction has this method and path"),
                    "request": request.to_json(),
                    "expected": self.routes(),
                });
                journal.unexpected(request);
                body
            }
        };
        Err(body)
    }

    fn routes(&self) -> Vec<String> {
        let mut routes: Vec<String> = self
            .http
            .values()
            .map(|e| format!("{} {}", e.request.method, e.request.path))
            .collect();
        routes.sort();
        routes.dedup();
        routes
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            return (StatusCode::PAYLOAD_TOO_LARGE, error.to_string()).into_response();
        }
    };
    let mut headers: IndexMap<String, Vec<String>> = IndexMap::new();
    for (name, value) in &parts.headers {
        headers
            .entry(name.as_str().to_owned())
            .or_default()
            .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    let content_type = headers
        .get("content-type")
        .and_then(|values| values.first())
        .cloned();
    let raw_query = parts.uri.query();
    let actual = HttpRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: raw_query.map(parse_query_string),
        raw_query: raw_query.map(str::to_owned),
        headers: Some(headers),
        body: Body::from_wire(&bytes, content_type.as_deref()),
        ..HttpRequest::default()
    };
    match shared.answer(&actual, raw_query) {
        Ok(response) => to_response(&response),
        Err(diagnostic) => {
            tracing::debug!(%diagnostic, "mock provider refused a request");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [("content-type", "application/json")],
                diagnostic.to_string(),
            )
                .into_response()
        }
    }
}

fn to_response(expected: &HttpResponse) -> Response {
    let mut response = Response::new(AxumBody::from(expected.body.to_bytes()));
    *response.status_mut() =
        StatusCode::from_u16(expected.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, values) in expected.headers.iter().flatten() {
        let Ok(name) = HeaderName::try_from(name.as_str()) else {
            continue;
        };
        for value in values {
            if let Ok(value) = HeaderValue::try_from(value.as_str()) {
                response.headers_mut().append(name.clone(), value);
            }
        }
    }
    response
}
